//! continue, next, stepIn, stepOut, pause.

use anyhow::Result;
use serde_json::{Value, json};
use wasmscope_runtime::debug::StepKind;

use crate::server::Server;

impl Server {
    /// Answers first, then resumes: the `stopped` event that may follow at once must not
    /// overtake the response.
    pub(crate) fn resume(&mut self, seq: u64, command: &str, step: Option<StepKind>) -> Result<Option<Value>> {
        let session = self.session()?;
        if !session.is_stopped() {
            anyhow::bail!("the program is not stopped");
        }
        let body = if step.is_none() {
            json!({ "allThreadsContinued": true })
        } else {
            Value::Null
        };
        self.out.response(seq, command, body);
        let result = match step {
            None => session.resume(),
            Some(kind) => session.step(kind),
        };
        if let Err(e) = result {
            tracing::warn!("{command}: {e:#}");
        }
        Ok(None)
    }

    pub(crate) fn pause(&mut self) -> Result<Option<Value>> {
        self.session()?.pause();
        Ok(Some(Value::Null))
    }
}
