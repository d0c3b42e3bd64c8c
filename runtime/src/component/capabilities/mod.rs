//! The capabilities wasmCloud 1.x hosts give components beside WASI 0.2 and `wasi:http`:
//! `wasi:keyvalue` (the waPC key-value provider's store), `wasi:config/store` (the launch's
//! configuration), `wasi:logging` (the actor log) and `wasmcloud:messaging/consumer` (the
//! in-process messaging waPC actors use too), from the WIT vendored in `runtime/wit`.

mod config;
mod keyvalue;
mod logging;
mod messaging;

use anyhow::Result;
use wasmtime::component::{HasSelf, Linker};

use crate::host::HostState;

pub use keyvalue::Bucket;

pub(super) mod bindings {
    // The handler world includes every capability import; commands and HTTP handlers are
    // linked with its per-interface `add_to_linker`s alone.
    wasmtime::component::bindgen!({
        path: "wit",
        world: "wasmscope:host/message-handler",
        // Stores run async (epoch yields, the debugger): the handler is called with `.await`.
        exports: { default: async },
        with: {
            "wasi:keyvalue/store.bucket": crate::component::capabilities::Bucket,
        },
    });
}

/// Adds `wasi:keyvalue/{store,atomics,batch}`, `wasi:config/store` (answering from
/// `config_values`), `wasi:logging/logging` and `wasmcloud:messaging/consumer` to a component
/// linker. Both `wasmscope run` and the debugger link components through here.
pub fn add_to_linker(linker: &mut Linker<HostState>, config_values: &[(String, String)]) -> Result<()> {
    use bindings::wasi::{keyvalue, logging};
    use bindings::wasmcloud::messaging;
    messaging::types::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)?;
    messaging::consumer::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)?;
    keyvalue::store::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)?;
    keyvalue::atomics::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)?;
    keyvalue::batch::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)?;
    logging::logging::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)?;
    config::add_to_linker(linker, config_values)
}
