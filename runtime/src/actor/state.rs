//! What the store holds for an actor: the waPC buffers, the capability providers it may call,
//! and where its log lines go.

use super::log::{LogLevel, LogSink};
use super::providers::Providers;
use super::wapc::WapcState;

#[derive(Debug)]
pub struct ActorState {
    pub(crate) wapc: WapcState,
    pub providers: Providers,
    pub log: LogSink,
}

impl ActorState {
    pub fn new(providers: Providers, log: LogSink) -> Self {
        ActorState {
            wapc: WapcState::default(),
            providers,
            log,
        }
    }

    /// A waPC `__host_call`: the error is the text the guest receives.
    pub(crate) fn host_call(
        &mut self,
        binding: &str,
        namespace: &str,
        operation: &str,
        payload: &[u8],
    ) -> Result<Vec<u8>, String> {
        self.providers.call(binding, namespace, operation, payload, &self.log)
    }

    /// waPC's `__console_log`: wasmCloud hosts log it at info level.
    pub(crate) fn console_log(&self, text: &str) {
        self.log.log(LogLevel::Info, "console", text);
    }
}
