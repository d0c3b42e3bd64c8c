//! Accepting debuggers: the first connection becomes the attached client's, a second one
//! gets an error response to its first request and is closed, leaving the first undisturbed.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::BufReader;
use tokio::net::{TcpListener, TcpStream};

use super::DebugHost;
use crate::codec::{Incoming, MessageReader, write_message};
use crate::server::{Role, serve_as};

/// How long a new client waits for the attached one's connection to end before it is refused.
const RECONNECT_GRACE: Duration = Duration::from_secs(1);

pub(super) async fn accept(listener: TcpListener, host: Arc<DebugHost>) {
    loop {
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(e) => {
                tracing::warn!("accepting a debugger failed: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let host = host.clone();
        tokio::spawn(async move {
            let guard = match host.slot.claim_within(peer, RECONNECT_GRACE).await {
                Ok(guard) => guard,
                Err(holder) => {
                    host.log(&format!(
                        "refused a debugger from {peer}: the one from {holder} is attached"
                    ));
                    refuse(stream, holder).await;
                    return;
                }
            };
            let (input, output) = stream.into_split();
            if let Err(e) = serve_as(input, output, Role::HostClient { host, peer }).await {
                tracing::warn!("the debugger connection from {peer} failed: {e:#}");
            }
            drop(guard);
        });
    }
}

/// Answers the first request of a second client with an error, then closes.
async fn refuse(stream: TcpStream, holder: SocketAddr) {
    let (input, mut output) = stream.into_split();
    let mut reader = MessageReader::new(BufReader::new(input));
    let message = "another debugger is attached to this host (from {holder}): only one client at a time; \
                   attach again once it has detached"
        .replace("{holder}", &holder.to_string());
    let first = tokio::time::timeout(Duration::from_secs(10), reader.next()).await;
    let response = match first {
        Ok(Ok(Some(Incoming::Message(request)))) => json!({
            "seq": 1, "type": "response",
            "request_seq": request.get("seq").cloned().unwrap_or(Value::Null),
            "command": request.get("command").cloned().unwrap_or(Value::Null),
            "success": false, "message": message,
            "body": { "error": { "id": 2, "format": message, "showUser": true } },
        }),
        _ => json!({ "seq": 1, "type": "event", "event": "output",
                     "body": { "category": "console", "output": format!("wasmscope: {message}\n") } }),
    };
    if let Ok(bytes) = serde_json::to_vec(&response) {
        let _ = write_message(&mut output, &bytes).await;
    }
}
