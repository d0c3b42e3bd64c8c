//! `wasmcloud:logging`: `WriteLog(target, level, text)` to the host's log with its level.

use serde::Deserialize;

use super::msgpack::decode;
use crate::actor::log::{LogLevel, LogSink};

pub(super) const CONTRACT: &str = "wasmcloud:logging";

#[derive(Deserialize)]
struct WriteLogArgs {
    target: String,
    level: String,
    text: String,
}

pub(super) fn call(operation: &str, payload: &[u8], log: &LogSink) -> Result<Vec<u8>, String> {
    match operation {
        "WriteLog" => {
            let args: WriteLogArgs = decode(operation, payload)?;
            // The interface leaves validating the level to the provider; an unknown one is
            // still worth seeing.
            let level = args.level.parse().unwrap_or(LogLevel::Info);
            log.log(level, &args.target, &args.text);
            Ok(Vec::new())
        }
        other => Err(format!("`{CONTRACT}` has no operation `{other}`")),
    }
}
