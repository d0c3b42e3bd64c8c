//! The request loop: reads client messages, dispatches each request to its handler, and
//! answers every request (with an error response when it cannot be served).

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;
use wasmscope_runtime::debug::{BreakpointTable, DebugSession, SessionEvent};

use crate::bridge::Bridge;
use crate::codec::{Incoming, MessageReader, frame};
use crate::events::{self, EventFlush, LastException};
use crate::host::DebugHost;
use crate::outgoing::Outgoing;

/// How many bytes of queued messages one write may carry.
const MAX_BATCH: usize = 1 << 20;

/// Whether the loop goes on after a request.
#[derive(PartialEq, Eq)]
pub(crate) enum Flow {
    Continue,
    Exit,
}

/// What a connection serves.
#[derive(Clone)]
pub(crate) enum Role {
    /// A debug adapter: `launch` runs a program, `attach` with `connect` bridges to a host.
    Adapter,
    /// A client of a running host (`wasmscope run --debug`): `attach` joins its session.
    HostClient { host: Arc<DebugHost>, peer: SocketAddr },
}

/// The adapter's state for one client.
pub(crate) struct Server {
    pub(crate) out: Outgoing,
    pub(crate) role: Role,
    /// The program being debugged: launched by this client, or the host's it attached to.
    pub(crate) session: Option<Arc<DebugSession>>,
    /// Whether `session` belongs to a host this client attached to (detaching leaves it running).
    pub(crate) attached: bool,
    /// The client's `initialize` arguments and the configuration requests it made before a
    /// session existed: a bridge replays them to the host it connects to.
    pub(crate) initialize_args: Value,
    pub(crate) early_configuration: Vec<(String, Value)>,
    /// Set by an `attach` with `connect`: from then on messages go through it.
    pub(crate) bridge: Option<Bridge>,
    pub(crate) breakpoints: BreakpointTable,
    pub(crate) stop_on_trap: bool,
    pub(crate) configuration_done: bool,
    pub(crate) events_tx: mpsc::UnboundedSender<SessionEvent>,
    pub(crate) events_flush: EventFlush,
    pub(crate) last_exception: LastException,
}

/// Serves DAP on `input`/`output` until the client disconnects or closes the input.
pub async fn serve(
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin + Send + 'static,
) -> Result<()> {
    serve_as(input, output, Role::Adapter).await
}

pub(crate) async fn serve_as(
    input: impl AsyncRead + Unpin + Send + 'static,
    output: impl AsyncWrite + Unpin + Send + 'static,
    role: Role,
) -> Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Vec<u8>>();
    let writer = tokio::spawn(async move {
        let mut output = output;
        // Every message already queued goes out in one write: tokio's stdout hands each write
        // to a blocking thread, which made a burst of events (an actor's invocations) costly.
        let mut buffer = Vec::new();
        while let Some(bytes) = rx.recv().await {
            buffer.clear();
            frame(&mut buffer, &bytes);
            while buffer.len() < MAX_BATCH {
                match rx.try_recv() {
                    Ok(bytes) => frame(&mut buffer, &bytes),
                    Err(_) => break,
                }
            }
            if output.write_all(&buffer).await.is_err() || output.flush().await.is_err() {
                break;
            }
        }
    });
    let out = Outgoing::new(tx);
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let last_exception: LastException = Arc::new(Mutex::new(None));
    let events_flush = events::spawn_pump(events_rx, out.clone(), last_exception.clone());
    let mut server = Server {
        out,
        role,
        session: None,
        attached: false,
        initialize_args: Value::Null,
        early_configuration: Vec::new(),
        bridge: None,
        breakpoints: BreakpointTable::default(),
        stop_on_trap: true,
        configuration_done: false,
        events_tx,
        events_flush,
        last_exception,
    };
    let mut reader = MessageReader::new(BufReader::new(input));
    loop {
        let incoming = match reader.next().await {
            Ok(Some(incoming)) => incoming,
            Ok(None) => break,
            Err(e) => {
                tracing::warn!("reading the client's messages failed: {e}");
                break;
            }
        };
        match incoming {
            Incoming::Malformed(why) => {
                tracing::warn!("dropped a malformed message: {why}");
                server.out.event(
                    "output",
                    json!({ "category": "console", "output": format!("wasmscope: dropped a malformed message: {why}\n") }),
                );
            }
            Incoming::Message(message) => {
                if server.dispatch(message).await == Flow::Exit {
                    break;
                }
                if let Some(bridge) = server.bridge.take() {
                    bridge.relay(&mut reader).await;
                    break;
                }
            }
        }
    }
    if server.attached {
        // A client that went away without `disconnect` detaches: the host goes on.
        server.detach();
    } else if let Some(session) = server.session.take() {
        session.terminate(Duration::from_secs(1));
    }
    drop(server);
    // The event pump may hold the writer open while a stuck debuggee thread lives on: give the
    // queued messages a moment to go out, then return regardless.
    let _ = tokio::time::timeout(Duration::from_secs(2), writer).await;
    Ok(())
}

impl Server {
    async fn dispatch(&mut self, message: Value) -> Flow {
        let seq = message.get("seq").and_then(Value::as_u64);
        let kind = message.get("type").and_then(Value::as_str);
        let command = message.get("command").and_then(Value::as_str).map(str::to_owned);
        let (Some(seq), Some("request"), Some(command)) = (seq, kind, command) else {
            let why = "expected a request with `seq`, `type: \"request\"` and `command`";
            tracing::warn!("{why}: {message}");
            match seq {
                Some(seq) => self
                    .out
                    .error(seq, message.get("command").and_then(Value::as_str).unwrap_or(""), why),
                None => self.out.event(
                    "output",
                    json!({ "category": "console", "output": format!("wasmscope: ignored a message: {why}\n") }),
                ),
            }
            return Flow::Continue;
        };
        let args = message.get("arguments").cloned().unwrap_or(Value::Null);
        tracing::debug!("request {seq} {command}");
        self.remember_configuration(&command, &args);
        let result = match command.as_str() {
            "initialize" => self.initialize(args),
            "launch" => self.launch(args).await,
            "attach" => self.attach(args).await,
            "modules" => self.modules(args),
            "setBreakpoints" => self.set_breakpoints(args),
            "setExceptionBreakpoints" => self.set_exception_breakpoints(args),
            "configurationDone" => self.configuration_done(),
            "threads" => self.threads(),
            "stackTrace" => self.stack_trace(args).await,
            "scopes" => self.scopes(args).await,
            "variables" => self.variables(args).await,
            "evaluate" => self.evaluate(args).await,
            "source" => self.source(args),
            "readMemory" => self.read_memory(args).await,
            "exceptionInfo" => self.exception_info(),
            "continue" => self.resume(seq, &command, None),
            "next" => self.resume(seq, &command, Some(wasmscope_runtime::debug::StepKind::Over)),
            "stepIn" => self.resume(seq, &command, Some(wasmscope_runtime::debug::StepKind::Into)),
            "stepOut" => self.resume(seq, &command, Some(wasmscope_runtime::debug::StepKind::Out)),
            "pause" => self.pause(),
            "terminate" => self.terminate(),
            "disconnect" => {
                self.disconnect(args);
                // Clients read nothing after this response: the program's last events first.
                self.events_flush.flush().await;
                self.out.response(seq, &command, Value::Null);
                return Flow::Exit;
            }
            other => Err(anyhow::anyhow!("unsupported request `{other}`")),
        };
        match result {
            Ok(Some(body)) => {
                self.out.response(seq, &command, body);
                if command == "initialize" {
                    // Configuration requests may come from here on.
                    self.out.event("initialized", Value::Null);
                }
            }
            Ok(None) => {}
            Err(e) => self.out.error(seq, &command, &format!("{e:#}")),
        }
        Flow::Continue
    }

    /// Keeps what a bridge must replay to a host: the client's `initialize`, and configuration
    /// it sent before any session existed (answered here, then applied there).
    fn remember_configuration(&mut self, command: &str, args: &Value) {
        match command {
            "initialize" => self.initialize_args = args.clone(),
            "setBreakpoints" | "setExceptionBreakpoints" | "configurationDone" if self.session.is_none() => {
                self.early_configuration.push((command.to_string(), args.clone()))
            }
            _ => {}
        }
    }

    pub(crate) fn session(&self) -> Result<&DebugSession> {
        self.session
            .as_deref()
            .context("no program is running: send `launch` (or `attach`) first")
    }
}

/// Parses a request's arguments, naming the request in the error.
pub(crate) fn arguments<T: DeserializeOwned>(command: &str, args: Value) -> Result<T> {
    serde_json::from_value(args).with_context(|| format!("invalid arguments for `{command}`"))
}
