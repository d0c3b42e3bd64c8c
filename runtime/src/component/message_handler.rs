//! A `wasmcloud:messaging/handler` component: instantiated once, then `handle-message` called
//! for each message on a subject it subscribes to, in the same store (so the debugger's
//! handler and breakpoints apply to every message). Messages come from `--publish`, from its
//! own publishing, and in a manifest run from the other actors.

use anyhow::{Context, Result};
use wasmtime::Store;
use wasmtime::component::{Component, Linker};

use super::capabilities::bindings::MessageHandler;
use super::capabilities::bindings::wasmcloud::messaging::types::BrokerMessage;
use crate::actor::providers::DeliveredMessage;
use crate::actor::{InvocationQueue, InvocationReport, Outcome, Request, next_request, settle};
use crate::host::{HostState, ProgramConfig};

/// Links WASI 0.2 and the host's capabilities and instantiates the component's handler.
pub async fn instantiate_message_handler(
    store: &mut Store<HostState>,
    component: &Component,
    config: &ProgramConfig,
) -> Result<MessageHandler> {
    let mut linker: Linker<HostState> = Linker::new(store.engine());
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    super::capabilities::add_to_linker(&mut linker, &config.config)?;
    MessageHandler::instantiate_async(&mut *store, component, &linker)
        .await
        .map_err(anyhow::Error::from)
        .context(
            "cannot instantiate the component as a `wasmcloud:messaging/handler` (does it import only \
             WASI 0.2, wasi:keyvalue, wasi:config, wasi:logging and wasmcloud:messaging interfaces?)",
        )
}

/// Hands each message to `handle-message` until the queue ends; each outcome goes to
/// `report`. Returns 0 when every message was handled and 1 otherwise; an error is a trap,
/// after which wasmtime does not enter the instance again.
pub async fn handle_messages(
    store: &mut Store<HostState>,
    handler: &MessageHandler,
    mut queue: InvocationQueue,
    report: InvocationReport<'_>,
) -> Result<i32> {
    let mut failed = false;
    while let Some(Request { invocation, reply, .. }) = next_request(store, &mut queue).await {
        let outcome = match DeliveredMessage::of(&invocation) {
            Some(message) => {
                let message = BrokerMessage {
                    subject: message.subject,
                    body: message.body,
                    reply_to: Some(message.reply_to).filter(|r| !r.is_empty()),
                };
                let handled = handler
                    .wasmcloud_messaging_handler()
                    .call_handle_message(&mut *store, &message)
                    .await
                    .map_err(anyhow::Error::from)
                    .with_context(|| format!("handling the message on `{}` trapped", message.subject))?;
                match handled {
                    Ok(()) => Outcome::Response(Vec::new()),
                    Err(error) => Outcome::Error(error),
                }
            }
            None => Outcome::Error(format!(
                "a component takes messages, not operations: `{}` was not run",
                invocation.operation
            )),
        };
        failed |= matches!(outcome, Outcome::Error(_));
        if !settle(&mut *report, &invocation, reply, outcome) {
            break;
        }
    }
    Ok(i32::from(failed))
}
