//! Before a component is instantiated: refuse what does not fit its kind (waPC invocations,
//! an HTTP address for a command, none for an HTTP handler, messages for what takes none, a
//! message handler subscribed to nothing), and make the store's actor state.

use anyhow::{Result, bail};

use super::kind::ComponentKind;
use crate::actor::{ActorState, LogSink, providers::Providers};
use crate::host::ProgramConfig;

pub fn prepare_component(config: &ProgramConfig, kind: ComponentKind, log: LogSink) -> Result<ActorState> {
    let program = config.program.display();
    if !config.invocations.is_empty() {
        bail!("`{program}` is a component: it has no waPC operations to invoke");
    }
    match kind {
        ComponentKind::Command if config.http.is_some() => bail!(
            "`{program}` is a `wasi:cli/run` component: it does not export `wasi:http/incoming-handler` \
             to serve HTTP with"
        ),
        ComponentKind::HttpHandler if config.http.is_none() => bail!(
            "`{program}` exports `wasi:http/incoming-handler`: give an address to serve it on \
             (`--http 127.0.0.1:8080`, or `\"http\"` in a launch)"
        ),
        ComponentKind::MessageHandler if config.http.is_some() => bail!(
            "`{program}` is a `wasmcloud:messaging/handler` component: it does not export \
             `wasi:http/incoming-handler` to serve HTTP with"
        ),
        ComponentKind::MessageHandler if config.providers.subscriptions.is_empty() && config.message_bus.is_none() => {
            bail!(
                "`{program}` takes `wasmcloud:messaging` messages: subscribe it to subjects \
                 (`--subscribe 'orders.>'`, `\"subscriptions\"` in a launch, or a link's `subscriptions`)"
            )
        }
        ComponentKind::Command | ComponentKind::HttpHandler if !config.messages.is_empty() => {
            bail!("`{program}` takes no messages: it does not export `wasmcloud:messaging/handler`")
        }
        _ => {}
    }
    Ok(ActorState::new(Providers::new(config)?, log))
}
