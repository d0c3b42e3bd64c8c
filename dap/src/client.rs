//! A DAP client over any byte stream: what `wasmscope demo` (and scripted sessions) use to
//! drive the adapter through the protocol, exactly as an editor does.

use std::collections::VecDeque;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite, BufReader};
use tokio::sync::mpsc;

use crate::codec::{Incoming, MessageReader, write_message};

/// How long a request or an awaited event may take.
const TIMEOUT: Duration = Duration::from_secs(60);

pub struct DapClient<W> {
    output: W,
    seq: u64,
    incoming: mpsc::UnboundedReceiver<Value>,
    /// Events that arrived while waiting for something else.
    events: VecDeque<Value>,
}

impl<W: AsyncWrite + Unpin> DapClient<W> {
    /// A client writing requests to `output` and reading the adapter's messages from `input`.
    pub fn new(input: impl AsyncRead + Unpin + Send + 'static, output: W) -> Self {
        let (tx, incoming) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            let mut reader = MessageReader::new(BufReader::new(input));
            while let Ok(Some(Incoming::Message(message))) = reader.next().await {
                if tx.send(message).is_err() {
                    break;
                }
            }
        });
        DapClient {
            output,
            seq: 0,
            incoming,
            events: VecDeque::new(),
        }
    }

    /// Sends a request and returns the response's body; a failed request is an error with the
    /// adapter's message.
    pub async fn request(&mut self, command: &str, arguments: Value) -> Result<Value> {
        self.seq += 1;
        let seq = self.seq;
        let message = json!({ "seq": seq, "type": "request", "command": command, "arguments": arguments });
        write_message(&mut self.output, &serde_json::to_vec(&message)?).await?;
        loop {
            let message = self
                .receive()
                .await
                .with_context(|| format!("waiting for the `{command}` response"))?;
            if message["type"] == "response" && message["request_seq"] == seq {
                if message["success"] != true {
                    bail!(
                        "{command} failed: {}",
                        message["message"].as_str().unwrap_or("(no message)")
                    );
                }
                return Ok(message.get("body").cloned().unwrap_or(Value::Null));
            }
            if message["type"] == "event" {
                self.events.push_back(message);
            }
        }
    }

    /// The next event (queued or new).
    pub async fn next_event(&mut self) -> Result<Value> {
        if let Some(event) = self.events.pop_front() {
            return Ok(event);
        }
        loop {
            let message = self.receive().await?;
            if message["type"] == "event" {
                return Ok(message);
            }
        }
    }

    /// The next event, or `None` when none arrives within `wait` (scripted sessions wait with
    /// their own timeout and report what they saw instead).
    pub async fn next_event_within(&mut self, wait: Duration) -> Result<Option<Value>> {
        if let Some(event) = self.events.pop_front() {
            return Ok(Some(event));
        }
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let message = match tokio::time::timeout_at(deadline, self.incoming.recv()).await {
                Err(_) => return Ok(None),
                Ok(None) => bail!("the adapter closed the connection"),
                Ok(Some(message)) => message,
            };
            if message["type"] == "event" {
                return Ok(Some(message));
            }
        }
    }

    /// An event that has already arrived, without waiting.
    pub fn try_next_event(&mut self) -> Option<Value> {
        if let Some(event) = self.events.pop_front() {
            return Some(event);
        }
        while let Ok(message) = self.incoming.try_recv() {
            if message["type"] == "event" {
                return Some(message);
            }
        }
        None
    }

    async fn receive(&mut self) -> Result<Value> {
        tokio::time::timeout(TIMEOUT, self.incoming.recv())
            .await
            .map_err(|_| anyhow!("the adapter did not answer within {TIMEOUT:?}"))?
            .ok_or_else(|| anyhow!("the adapter closed the connection"))
    }
}
