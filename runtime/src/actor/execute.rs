//! Running a loaded program to its end, whatever its kind: a command's `_start`, or a waPC
//! actor's initialisation followed by each invocation.

use anyhow::Result;
use tokio::sync::{mpsc, oneshot};
use wasmtime::{Instance, Store};

use super::invocation::{Invocation, Outcome};
use super::kind::ProgramKind;
use super::wapc;
use crate::host::{HostState, exit_code_of};

/// An invocation waiting its turn, with where its caller (an HTTP request) awaits the outcome.
#[derive(Debug)]
pub struct Request {
    pub invocation: Invocation,
    pub reply: Option<oneshot::Sender<Outcome>>,
    /// For a message another actor published: how many deliveries deep it is (0 otherwise).
    pub hops: u32,
}

impl From<Invocation> for Request {
    fn from(invocation: Invocation) -> Self {
        Request {
            invocation,
            reply: None,
            hops: 0,
        }
    }
}

/// Where an actor's invocations come from: a fixed list, or callers that keep sending them
/// (the debug console, an HTTP server) until the last strong sender is dropped.
pub type InvocationQueue = mpsc::UnboundedReceiver<Request>;
pub type InvocationSender = mpsc::UnboundedSender<Request>;

/// A queue that holds `invocations` and stays open while the returned sender lives.
pub fn queue_with(invocations: &[Invocation]) -> (InvocationSender, InvocationQueue) {
    let (tx, rx) = mpsc::unbounded_channel();
    for invocation in invocations {
        let _ = tx.send(invocation.clone().into());
    }
    (tx, rx)
}

/// The next request for an actor: the messages given when the run starts (published once,
/// first), then what the last invocation published to the actor's own subscriptions, then
/// the next request from outside; `None` once the queue has ended.
pub async fn next_request(store: &mut Store<HostState>, queue: &mut InvocationQueue) -> Option<Request> {
    let actor = &mut store.data_mut().actor;
    actor.providers.messaging.publish_initial(&actor.log);
    if let Some(invocation) = actor.providers.messaging.next_delivery() {
        return Some(invocation.into());
    }
    let request = queue.recv().await?;
    store.data_mut().actor.providers.messaging.start_chain(request.hops);
    Some(request)
}

/// Tells `report` and the caller waiting for it (if any) how an invocation went; answers
/// whether to go on with the next.
pub fn settle(
    report: InvocationReport<'_>,
    invocation: &Invocation,
    reply: Option<oneshot::Sender<Outcome>>,
    outcome: Outcome,
) -> bool {
    let go_on = report(invocation, &outcome);
    if let Some(reply) = reply {
        let _ = reply.send(outcome);
    }
    go_on
}

/// Told about each finished invocation, in order; answers whether to go on with the next.
pub type InvocationReport<'a> = &'a mut (dyn FnMut(&Invocation, &Outcome) -> bool + Send);

/// Runs the program; returns its exit code. For an actor that is 0 when every invocation
/// succeeded and 1 otherwise (each failure is reported, and later invocations still run).
/// An error is a trap outside any invocation (in `_start` or the actor's initialisation).
pub async fn execute(
    store: &mut Store<HostState>,
    instance: &Instance,
    kind: ProgramKind,
    mut invocations: InvocationQueue,
    report: InvocationReport<'_>,
) -> Result<i32> {
    match kind {
        ProgramKind::Command => {
            let start = instance.get_typed_func::<(), ()>(&mut *store, "_start")?;
            exit_code_of(start.call_async(&mut *store, ()).await)
        }
        ProgramKind::Wapc => {
            wapc::initialize(store, instance).await?;
            let mut failed = false;
            loop {
                let Some(Request { invocation, reply, .. }) = next_request(store, &mut invocations).await else {
                    break;
                };
                let outcome = wapc::invoke(store, instance, &invocation).await;
                failed |= matches!(outcome, Outcome::Error(_));
                if !settle(report, &invocation, reply, outcome) {
                    break;
                }
            }
            Ok(i32::from(failed))
        }
    }
}
