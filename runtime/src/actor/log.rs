//! Actor log lines (`wasmcloud:logging`, `__console_log`) with their level, filtered by a
//! verbosity that can change while the actor runs.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use anyhow::bail;

/// Levels as `wasmcloud:logging` names them, most severe first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Default)]
pub enum LogLevel {
    Error = 1,
    Warn = 2,
    #[default]
    Info = 3,
    Debug = 4,
    Trace = 5,
}

impl LogLevel {
    fn from_u8(value: u8) -> LogLevel {
        match value {
            1 => LogLevel::Error,
            2 => LogLevel::Warn,
            3 => LogLevel::Info,
            4 => LogLevel::Debug,
            _ => LogLevel::Trace,
        }
    }
}

impl FromStr for LogLevel {
    type Err = anyhow::Error;

    fn from_str(s: &str) -> anyhow::Result<LogLevel> {
        Ok(match s.trim().to_ascii_lowercase().as_str() {
            "error" => LogLevel::Error,
            "warn" | "warning" => LogLevel::Warn,
            "info" => LogLevel::Info,
            "debug" => LogLevel::Debug,
            "trace" => LogLevel::Trace,
            other => bail!("unknown log level `{other}` (expected error, warn, info, debug or trace)"),
        })
    }
}

impl fmt::Display for LogLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LogLevel::Error => "error",
            LogLevel::Warn => "warn",
            LogLevel::Info => "info",
            LogLevel::Debug => "debug",
            LogLevel::Trace => "trace",
        })
    }
}

/// Receives the log lines that pass the verbosity filter: level, target, text.
pub type LogCallback = Arc<dyn Fn(LogLevel, &str, &str) + Send + Sync>;

/// Where an actor's log lines go. Clones share the verbosity, so the session can change it
/// while the actor runs.
#[derive(Clone)]
pub struct LogSink {
    verbosity: Arc<AtomicU8>,
    callback: LogCallback,
}

impl LogSink {
    pub fn new(verbosity: LogLevel, callback: LogCallback) -> Self {
        LogSink {
            verbosity: Arc::new(AtomicU8::new(verbosity as u8)),
            callback,
        }
    }

    /// Lines to standard error, as `[level target] text`.
    pub fn stderr(verbosity: LogLevel) -> Self {
        LogSink::new(
            verbosity,
            Arc::new(|level, target, text| {
                use std::io::Write as _;
                // A closed stderr must not take the actor down (`eprintln!` would panic).
                let _ = if target.is_empty() {
                    writeln!(std::io::stderr(), "[{level}] {text}")
                } else {
                    writeln!(std::io::stderr(), "[{level} {target}] {text}")
                };
            }),
        )
    }

    pub fn verbosity(&self) -> LogLevel {
        LogLevel::from_u8(self.verbosity.load(Ordering::Relaxed))
    }

    pub fn set_verbosity(&self, level: LogLevel) {
        self.verbosity.store(level as u8, Ordering::Relaxed);
    }

    pub fn log(&self, level: LogLevel, target: &str, text: &str) {
        if level <= self.verbosity() {
            (self.callback)(level, target, text);
        }
    }
}

impl fmt::Debug for LogSink {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LogSink").field("verbosity", &self.verbosity()).finish()
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    #[test]
    fn lines_below_the_verbosity_are_dropped_and_it_changes_live() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let sink = {
            let seen = seen.clone();
            LogSink::new(
                LogLevel::Info,
                Arc::new(move |level, _, text| seen.lock().unwrap().push(format!("{level}:{text}"))),
            )
        };
        let shared = sink.clone();
        sink.log(LogLevel::Debug, "t", "hidden");
        sink.log(LogLevel::Warn, "t", "shown");
        shared.set_verbosity(LogLevel::Trace);
        sink.log(LogLevel::Debug, "t", "now shown");
        assert_eq!(*seen.lock().unwrap(), ["warn:shown", "debug:now shown"]);
        assert_eq!("WARNING".parse::<LogLevel>().unwrap(), LogLevel::Warn);
        assert!("loud".parse::<LogLevel>().is_err());
    }
}
