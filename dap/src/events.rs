//! Session events → DAP events, forwarded by one task in the order they happen.

use std::sync::{Arc, Mutex};

use dap_types::{ExitedEvent, OutputEvent, OutputEventCategory, StoppedEvent, StoppedEventReason};
use serde_json::Value;
use tokio::sync::{mpsc, oneshot};
use wasmscope_runtime::debug::{SessionEvent, StopReason};
use wasmscope_runtime::host::StdStream;

use crate::outgoing::Outgoing;
use crate::requests::breakpoints::to_dap_breakpoint;

/// The last trap stop, for `exceptionInfo`: (trap text, description).
pub(crate) type LastException = Arc<Mutex<Option<(String, String)>>>;

/// Asks the pump to deliver every event already queued, and waits until it has.
#[derive(Clone)]
pub(crate) struct EventFlush(mpsc::UnboundedSender<oneshot::Sender<()>>);

impl EventFlush {
    /// Returns once the events sent before this call are on their way to the client (e.g.
    /// `terminated` before the `disconnect` response, after which clients read nothing).
    pub(crate) async fn flush(&self) {
        let (tx, rx) = oneshot::channel();
        if self.0.send(tx).is_ok() {
            let _ = rx.await;
        }
    }
}

pub(crate) fn spawn_pump(
    mut rx: mpsc::UnboundedReceiver<SessionEvent>,
    out: Outgoing,
    last_exception: LastException,
) -> EventFlush {
    let (flush_tx, mut flush_rx) = mpsc::unbounded_channel::<oneshot::Sender<()>>();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                biased;
                event = rx.recv() => match event {
                    Some(event) => forward(event, &out, &last_exception),
                    None => break,
                },
                Some(reply) = flush_rx.recv() => {
                    while let Ok(event) = rx.try_recv() {
                        forward(event, &out, &last_exception);
                    }
                    let _ = reply.send(());
                }
            }
        }
    });
    EventFlush(flush_tx)
}

fn forward(event: SessionEvent, out: &Outgoing, last_exception: &LastException) {
    match event {
        SessionEvent::Output { stream, text } => out.event(
            "output",
            OutputEvent {
                category: Some(match stream {
                    StdStream::Stdout => OutputEventCategory::Stdout,
                    StdStream::Stderr => OutputEventCategory::Stderr,
                }),
                output: text,
                group: None,
                variables_reference: None,
                source: None,
                line: None,
                column: None,
                data: None,
            },
        ),
        SessionEvent::Log { level, target, text } => {
            let line = if target.is_empty() {
                format!("[{level}] {text}\n")
            } else {
                format!("[{level} {target}] {text}\n")
            };
            out.event(
                "output",
                console(line, Some(serde_json::json!({ "level": level.to_string() }))),
            )
        }
        SessionEvent::Invocation { operation, outcome } => {
            out.event("output", console(format!("{operation}: {outcome}\n"), None))
        }
        SessionEvent::Notice { text } => out.event("output", console(format!("wasmscope: {text}\n"), None)),
        SessionEvent::Stopped { reason } => out.event("stopped", stopped_event(reason, last_exception)),
        SessionEvent::Breakpoint(status) => out.event(
            "breakpoint",
            serde_json::json!({ "reason": "changed", "breakpoint": to_dap_breakpoint(&status) }),
        ),
        SessionEvent::Exited { code } => {
            out.event(
                "exited",
                ExitedEvent {
                    exit_code: code as u32 as u64,
                },
            );
        }
        SessionEvent::Terminated => out.event("terminated", serde_json::json!({})),
    }
}

/// A line for the debug console (not the program's own output).
fn console(output: String, data: Option<Value>) -> OutputEvent {
    OutputEvent {
        category: Some(OutputEventCategory::Console),
        output,
        group: None,
        variables_reference: None,
        source: None,
        line: None,
        column: None,
        data,
    }
}

fn stopped_event(reason: StopReason, last_exception: &LastException) -> StoppedEvent {
    let (reason, description, text, hit) = match reason {
        StopReason::Entry => (StoppedEventReason::Entry, None, None, None),
        StopReason::Breakpoint { ids } => (
            StoppedEventReason::Breakpoint,
            None,
            None,
            Some(ids.into_iter().map(u64::from).collect()),
        ),
        StopReason::Step => (StoppedEventReason::Step, None, None, None),
        StopReason::Pause => (StoppedEventReason::Pause, None, None, None),
        StopReason::Exception { text, description } => {
            *last_exception.lock().unwrap_or_else(|e| e.into_inner()) = Some((text.clone(), description.clone()));
            (StoppedEventReason::Exception, Some(description), Some(text), None)
        }
    };
    StoppedEvent {
        reason,
        description,
        thread_id: Some(1),
        preserve_focus_hint: None,
        text,
        all_threads_stopped: Some(true),
        hit_breakpoint_ids: hit,
    }
}
