//! Responses and events on their way to the client: numbered, stripped of `null` fields
//! (clients differ in how they read them), and written in order by one task.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::Serialize;
use serde_json::{Value, json};
use tokio::sync::mpsc;

#[derive(Clone)]
pub(crate) struct Outgoing {
    seq: Arc<AtomicU64>,
    tx: mpsc::UnboundedSender<Vec<u8>>,
}

impl Outgoing {
    pub(crate) fn new(tx: mpsc::UnboundedSender<Vec<u8>>) -> Self {
        Outgoing {
            seq: Arc::new(AtomicU64::new(1)),
            tx,
        }
    }

    /// Sends a message as it is but for its `seq` (a bridged adapter's messages, renumbered
    /// into this connection's sequence).
    pub(crate) fn send(&self, mut message: Value) {
        message["seq"] = json!(self.seq.fetch_add(1, Ordering::SeqCst));
        strip_nulls(&mut message);
        if let Ok(bytes) = serde_json::to_vec(&message) {
            let _ = self.tx.send(bytes);
        }
    }

    pub(crate) fn response(&self, request_seq: u64, command: &str, body: impl Serialize) {
        let body = serde_json::to_value(body).unwrap_or(Value::Null);
        self.send(json!({
            "type": "response", "request_seq": request_seq, "success": true, "command": command, "body": body,
        }));
    }

    pub(crate) fn error(&self, request_seq: u64, command: &str, message: &str) {
        self.send(json!({
            "type": "response", "request_seq": request_seq, "success": false, "command": command,
            "message": message,
            "body": { "error": { "id": 1, "format": message, "showUser": true } },
        }));
    }

    pub(crate) fn event(&self, event: &str, body: impl Serialize) {
        let body = serde_json::to_value(body).unwrap_or(Value::Null);
        self.send(json!({ "type": "event", "event": event, "body": body }));
    }
}

fn strip_nulls(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|_, v| !v.is_null());
            map.values_mut().for_each(strip_nulls);
        }
        Value::Array(items) => items.iter_mut().for_each(strip_nulls),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nulls_are_removed_recursively() {
        let mut v = json!({"a": null, "b": {"c": null, "d": 1}, "e": [{"f": null}]});
        strip_nulls(&mut v);
        assert_eq!(v, json!({"b": {"d": 1}, "e": [{}]}));
    }
}
