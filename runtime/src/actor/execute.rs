//! Running a loaded program to its end, whatever its kind: a command's `_start`, or a waPC
//! actor's initialisation followed by each invocation.

use anyhow::Result;
use tokio::sync::mpsc;
use wasmtime::{Instance, Store};

use super::invocation::{Invocation, Outcome};
use super::kind::ProgramKind;
use super::wapc;
use crate::host::{HostState, exit_code_of};

/// Where an actor's invocations come from: a fixed list, or a session that keeps sending them
/// (the debug console) until it drops its sender.
pub type InvocationQueue = mpsc::UnboundedReceiver<Invocation>;

/// A queue holding exactly `invocations`.
pub fn queue_of(invocations: &[Invocation]) -> InvocationQueue {
    let (tx, rx) = mpsc::unbounded_channel();
    for invocation in invocations {
        let _ = tx.send(invocation.clone());
    }
    rx
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
            while let Some(invocation) = invocations.recv().await {
                let outcome = wapc::invoke(store, instance, &invocation).await;
                failed |= matches!(outcome, Outcome::Error(_));
                if !report(&invocation, &outcome) {
                    break;
                }
            }
            Ok(i32::from(failed))
        }
    }
}
