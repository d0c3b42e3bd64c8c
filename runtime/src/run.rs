//! Running a program without debugging (`wasmscope run`): the same loading and WASI host as
//! the debugger, on an engine without guest-debug instrumentation.

use anyhow::{Context, Result};
use wasmtime::Module;

use crate::ModuleImage;
use crate::host::{EngineMode, ProgramConfig, Stdio, exit_code_of, instantiate_program, new_engine};

/// Exit code of a program that ends in a trap, as a POSIX shell reports `abort()`.
pub const TRAP_EXIT_CODE: i32 = 134;

/// Runs `config.program` to completion with inherited stdio; returns its exit code. A trap
/// is reported on stderr and exits with [`TRAP_EXIT_CODE`]; an error means the program could
/// not be loaded at all.
///
/// `mode` is [`EngineMode::Run`] normally; [`EngineMode::Debug`] runs on the debugger's
/// instrumented engine without a debug session, to measure what the instrumentation costs.
pub async fn run_program(config: &ProgramConfig, mode: EngineMode) -> Result<i32> {
    let image = ModuleImage::read(&config.program)?;
    let engine = new_engine(mode)?;
    let module = Module::new(&engine, &image.bytes)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot compile `{}`", config.program.display()))?;
    let (mut store, instance) = instantiate_program(&engine, &module, config, Stdio::Inherit, |store| {
        // The debug engine checks epochs; nothing interrupts a run without a session.
        store.set_epoch_deadline(u64::MAX / 2);
        Ok(())
    })
    .await?;
    let start = instance.get_typed_func::<(), ()>(&mut store, "_start")?;
    match exit_code_of(start.call_async(&mut store, ()).await) {
        Ok(code) => Ok(code),
        Err(trap) => {
            eprintln!("Error: {trap:#}");
            Ok(TRAP_EXIT_CODE)
        }
    }
}
