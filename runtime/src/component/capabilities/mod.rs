//! The capabilities wasmCloud 1.x hosts give components beside WASI 0.2 and `wasi:http`:
//! `wasi:keyvalue` (the waPC key-value provider's store), `wasi:config/store` (the launch's
//! configuration) and `wasi:logging` (the actor log), from the WIT vendored in `runtime/wit`.

mod config;
mod keyvalue;
mod logging;

use anyhow::Result;
use wasmtime::component::{HasSelf, Linker};

use crate::host::HostState;

pub use keyvalue::Bucket;

mod bindings {
    wasmtime::component::bindgen!({
        path: "wit",
        world: "wasmscope:host/capabilities",
        with: {
            "wasi:keyvalue/store.bucket": crate::component::capabilities::Bucket,
        },
    });
}

/// Adds `wasi:keyvalue/{store,atomics,batch}`, `wasi:config/store` (answering from
/// `config_values`) and `wasi:logging/logging` to a component linker. Both `wasmscope run` and
/// the debugger link components through here.
pub fn add_to_linker(linker: &mut Linker<HostState>, config_values: &[(String, String)]) -> Result<()> {
    use bindings::wasi::{keyvalue, logging};
    keyvalue::store::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)?;
    keyvalue::atomics::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)?;
    keyvalue::batch::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)?;
    logging::logging::add_to_linker::<HostState, HasSelf<HostState>>(linker, |state| state)?;
    config::add_to_linker(linker, config_values)
}
