//! A `wasi:cli/run` component: compiled, linked with WASI preview 2 (wasmtime-wasi's `p2`),
//! instantiated in a store whose WASI context carries the program's args, environment,
//! directories and stdio (`host::new_store`), then run; `wasi:cli/exit` becomes the exit code.

use anyhow::{Context, Result};
use wasmtime::component::{Component, Linker};
use wasmtime::{Engine, Store};
use wasmtime_wasi::I32Exit;
use wasmtime_wasi::p2::bindings::Command;

use crate::host::{HostState, ProgramConfig};

/// Compiles `bytes` as a component.
pub fn compile(engine: &Engine, bytes: &[u8], config: &ProgramConfig) -> Result<Component> {
    Component::new(engine, bytes)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot compile the component `{}`", config.program.display()))
}

/// Instantiates the component as a `wasi:cli/command` (linked with WASI preview 2 and the
/// host's capabilities, `config`'s values for `wasi:config`). An error means it cannot run
/// here at all.
pub async fn instantiate_command(
    store: &mut Store<HostState>,
    component: &Component,
    config: &ProgramConfig,
) -> Result<Command> {
    let mut linker: Linker<HostState> = Linker::new(store.engine());
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    super::capabilities::add_to_linker(&mut linker, &config.config)?;
    Command::instantiate_async(&mut *store, component, &linker)
        .await
        .map_err(anyhow::Error::from)
        .context(
            "cannot instantiate the component as a `wasi:cli/command` (does it export `wasi:cli/run` \
             and import only WASI 0.2, wasi:keyvalue, wasi:config and wasi:logging interfaces?)",
        )
}

/// Calls the command's `wasi:cli/run.run`; returns the exit code. A trap is an error.
pub async fn run_command(store: &mut Store<HostState>, command: &Command) -> Result<i32> {
    exit_code_of_run(command.wasi_cli_run().call_run(&mut *store).await)
}

/// `run` returning `ok` is 0 and `err` is 1 (what `wasi:cli/exit.exit(err)` means too); an
/// explicit `exit-with-code` (or `std::process::exit(n)`) is `n`; a trap is an error.
pub fn exit_code_of_run(result: wasmtime::Result<Result<(), ()>>) -> Result<i32> {
    match result {
        Ok(Ok(())) => Ok(0),
        Ok(Err(())) => Ok(1),
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(exit) => Ok(exit.0),
            None => Err(e.into()),
        },
    }
}
