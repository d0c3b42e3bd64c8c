//! `attach` with `connect`: this adapter connects to a host started with
//! `wasmscope run --debug` and relays its client's session there, so that clients which can
//! only start a stdio adapter (Visual Studio, Neovim, Helix, Emacs) attach all the same.
//!
//! Requests are renumbered on their way to the host and responses matched back to the
//! client's numbers. The host is sent the client's own `initialize`, the `attach`, and the
//! configuration the client made before attaching (already answered here; the host's verdicts
//! on breakpoints reach the client as `breakpoint` events, with the same ids since the host
//! numbers them in the same order).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};
use tokio::io::{AsyncBufRead, BufReader};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::oneshot;

use crate::codec::{Incoming, MessageReader, write_message};
use crate::outgoing::Outgoing;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const ANSWER_TIMEOUT: Duration = Duration::from_secs(30);

/// Who waits for the response to a request sent to the host.
enum Pending {
    /// The client, under its own sequence number.
    Client(u64),
    /// The bridge itself (the replayed initialize, attach and configuration).
    Bridge(oneshot::Sender<Value>),
}

type PendingTable = Arc<Mutex<HashMap<u64, Pending>>>;

pub(crate) struct Bridge {
    to_host: OwnedWriteHalf,
    /// Whether the client should hear that the host went away (not after it attached, nor
    /// after it asked to disconnect: clients discard messages after that response).
    tell_client_when_closed: Arc<AtomicBool>,
    pending: PendingTable,
    next_seq: u64,
    host_closed: oneshot::Receiver<()>,
    out: Outgoing,
}

impl Bridge {
    /// Connects, attaches and replays the early configuration; fails with the host's own
    /// message when it refuses (wrong token, another client attached).
    pub(crate) async fn connect(
        address: &str,
        initialize: Value,
        attach: Value,
        early_configuration: Vec<(String, Value)>,
        out: Outgoing,
    ) -> Result<Bridge> {
        let stream = tokio::time::timeout(CONNECT_TIMEOUT, TcpStream::connect(address))
            .await
            .map_err(|_| anyhow!("timed out connecting to the wasmscope host at {address}"))?
            .with_context(|| {
                format!(
                    "cannot connect to a wasmscope host at {address} (is `wasmscope run --debug {address}` running?)"
                )
            })?;
        let _ = stream.set_nodelay(true);
        let (input, to_host) = stream.into_split();
        let pending = PendingTable::default();
        let tell_client_when_closed = Arc::new(AtomicBool::new(false));
        let (closed_tx, host_closed) = oneshot::channel();
        tokio::spawn(relay_from_host(
            input,
            pending.clone(),
            out.clone(),
            tell_client_when_closed.clone(),
            closed_tx,
        ));
        let mut bridge = Bridge {
            to_host,
            tell_client_when_closed,
            pending,
            next_seq: 0,
            host_closed,
            out,
        };
        bridge.ask("initialize", initialize).await?;
        bridge.ask("attach", attach).await?;
        bridge.tell_client_when_closed.store(true, Ordering::SeqCst);
        for (command, args) in early_configuration {
            let body = bridge.ask(&command, args).await?;
            if command == "setBreakpoints" {
                for breakpoint in body["breakpoints"].as_array().into_iter().flatten() {
                    bridge
                        .out
                        .event("breakpoint", json!({ "reason": "changed", "breakpoint": breakpoint }));
                }
            }
        }
        Ok(bridge)
    }

    /// Relays the client's requests until either side closes.
    pub(crate) async fn relay<R: AsyncBufRead + Unpin>(mut self, client: &mut MessageReader<R>) {
        loop {
            tokio::select! {
                _ = &mut self.host_closed => break,
                incoming = client.next() => match incoming {
                    Ok(Some(Incoming::Message(message))) => {
                        if self.forward(message).await.is_err() {
                            break;
                        }
                    }
                    Ok(Some(Incoming::Malformed(why))) => {
                        tracing::warn!("dropped a malformed message: {why}");
                        self.out.event(
                            "output",
                            json!({ "category": "console", "output": format!("wasmscope: dropped a malformed message: {why}\n") }),
                        );
                    }
                    // The client is gone: closing the connection detaches it from the host.
                    Ok(None) | Err(_) => break,
                },
            }
        }
    }

    async fn forward(&mut self, mut message: Value) -> Result<()> {
        let Some(client_seq) = message.get("seq").and_then(Value::as_u64) else {
            tracing::warn!("not relaying a message without `seq`: {message}");
            return Ok(());
        };
        if message["command"] == "disconnect" {
            self.tell_client_when_closed.store(false, Ordering::SeqCst);
        }
        let seq = self.expect(Pending::Client(client_seq));
        message["seq"] = json!(seq);
        self.send(&message).await
    }

    /// Sends a request of the bridge's own and returns the response's body, or the host's
    /// error message as the error.
    async fn ask(&mut self, command: &str, arguments: Value) -> Result<Value> {
        let (tx, rx) = oneshot::channel();
        let seq = self.expect(Pending::Bridge(tx));
        self.send(&json!({ "seq": seq, "type": "request", "command": command, "arguments": arguments }))
            .await?;
        let response = tokio::time::timeout(ANSWER_TIMEOUT, rx)
            .await
            .map_err(|_| anyhow!("the host did not answer `{command}` within {ANSWER_TIMEOUT:?}"))?
            .map_err(|_| anyhow!("the host closed the connection"))?;
        if response["success"] != true {
            bail!("{}", response["message"].as_str().unwrap_or("the host refused"));
        }
        Ok(response.get("body").cloned().unwrap_or(Value::Null))
    }

    fn expect(&mut self, waiting: Pending) -> u64 {
        self.next_seq += 1;
        self.pending
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(self.next_seq, waiting);
        self.next_seq
    }

    async fn send(&mut self, message: &Value) -> Result<()> {
        write_message(&mut self.to_host, &serde_json::to_vec(message)?)
            .await
            .context("the host closed the connection")
    }
}

/// The host's messages: responses back to whoever asked, events to the client (but the
/// host's `initialized`: the client had this adapter's). When the host goes away after the
/// attach, the client is told the session has ended.
async fn relay_from_host(
    input: OwnedReadHalf,
    pending: PendingTable,
    out: Outgoing,
    tell_client_when_closed: Arc<AtomicBool>,
    closed: oneshot::Sender<()>,
) {
    let mut reader = MessageReader::new(BufReader::new(input));
    let mut saw_terminated = false;
    while let Ok(Some(incoming)) = reader.next().await {
        let Incoming::Message(mut message) = incoming else {
            continue;
        };
        match message["type"].as_str() {
            Some("response") => {
                let seq = message["request_seq"].as_u64().unwrap_or(0);
                let waiting = pending.lock().unwrap_or_else(|e| e.into_inner()).remove(&seq);
                match waiting {
                    Some(Pending::Client(client_seq)) => {
                        message["request_seq"] = json!(client_seq);
                        out.send(message);
                    }
                    Some(Pending::Bridge(tx)) => {
                        let _ = tx.send(message);
                    }
                    None => tracing::warn!("the host answered a request nobody sent: {message}"),
                }
            }
            Some("event") if message["event"] == "initialized" => {}
            Some("event") => {
                saw_terminated |= message["event"] == "terminated";
                out.send(message);
            }
            _ => tracing::warn!("ignoring a message from the host: {message}"),
        }
    }
    if tell_client_when_closed.load(Ordering::SeqCst) && !saw_terminated {
        out.event(
            "output",
            json!({ "category": "console", "output": "wasmscope: the host closed the connection\n" }),
        );
        out.event("terminated", json!({}));
    }
    let _ = closed.send(());
}
