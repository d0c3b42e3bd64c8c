//! Host commands typed in the debug console (`evaluate` with a leading `.`), the REPL of the
//! seed's `wash`: invoke an actor operation, publish a message to it, view or change the log
//! verbosity.

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use wasmscope_runtime::actor::{Invocation, LogLevel};

use crate::server::Server;

const HELP: &str = "\
.invoke OP[=PAYLOAD]        invoke an actor operation (text payload)
.invoke OP@FORMAT=PAYLOAD   FORMAT: text, json, msgpack (JSON sent as msgpack), base64
.publish SUBJECT[=BODY]     publish a wasmcloud:messaging message to the actor's subscriptions
.log [LEVEL]                show or set the actor log verbosity: error, warn, info, debug, trace
.help                       this list";

/// Whether an expression is a host command rather than an expression to evaluate.
pub(crate) fn is_console_command(expression: &str) -> bool {
    expression.trim_start().starts_with('.')
}

impl Server {
    /// Runs a host command; the answer is an `evaluate` response body.
    pub(crate) fn console_command(&self, expression: &str) -> Result<Option<Value>> {
        let text = expression.trim().trim_start_matches('.');
        let (command, rest) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        let rest = rest.trim();
        let result = match command {
            "invoke" => {
                if rest.is_empty() {
                    bail!("usage: .invoke OP[=PAYLOAD]");
                }
                let invocation = Invocation::from_spec(rest)?;
                let operation = invocation.operation.clone();
                self.session()?.invoke(invocation)?;
                // The outcome arrives as a console line when the actor has answered.
                format!("invoking {operation}…")
            }
            "publish" => {
                let (subject, body) = rest.split_once('=').unwrap_or((rest, ""));
                if subject.trim().is_empty() {
                    bail!("usage: .publish SUBJECT[=BODY]");
                }
                self.session()?.publish(subject.trim(), body.as_bytes())?;
                format!("published on {}", subject.trim())
            }
            "log" => {
                let session = self.session()?;
                if !rest.is_empty() {
                    let level: LogLevel = rest.parse().context("cannot change the log level")?;
                    session.set_log_level(level);
                }
                format!("log level: {}", session.log_level())
            }
            "help" => HELP.to_string(),
            other => bail!("unknown command `.{other}`; `.help` lists the commands"),
        };
        Ok(Some(json!({ "result": result, "variablesReference": 0 })))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_start_with_a_dot() {
        assert!(is_console_command(".invoke Greet=x"));
        assert!(is_console_command("  .log debug"));
        assert!(!is_console_command("line.to.x"));
        assert!(!is_console_command("*boxed"));
    }
}
