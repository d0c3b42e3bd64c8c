//! `wasi:logging/logging`: `log(level, context, message)` to the actor log, where waPC's
//! `wasmcloud:logging` lines go too (stderr under `run`, the debug console under a debugger),
//! filtered by the same live verbosity.

use super::bindings::wasi::logging::logging::{Host, Level};
use crate::actor::LogLevel;
use crate::host::HostState;

impl Host for HostState {
    fn log(&mut self, level: Level, context: String, message: String) {
        self.actor.log.log(log_level(level), &context, &message);
    }
}

/// `critical` has no waPC counterpart: it is shown as an error.
fn log_level(level: Level) -> LogLevel {
    match level {
        Level::Trace => LogLevel::Trace,
        Level::Debug => LogLevel::Debug,
        Level::Info => LogLevel::Info,
        Level::Warn => LogLevel::Warn,
        Level::Error | Level::Critical => LogLevel::Error,
    }
}
