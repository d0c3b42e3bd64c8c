//! What kind of program a module is, from its exports.

use anyhow::{Result, bail};
use wasmtime::Module;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgramKind {
    /// A WASI preview 1 command: runs `_start` once.
    Command,
    /// A waPC actor (`__guest_call`): initialised once, then invoked operation by operation.
    Wapc,
}

impl ProgramKind {
    pub fn of(module: &Module) -> Result<ProgramKind> {
        let exports = |name: &str| module.exports().any(|e| e.name() == name);
        if exports("__guest_call") {
            Ok(ProgramKind::Wapc)
        } else if exports("_start") {
            Ok(ProgramKind::Command)
        } else {
            bail!(
                "the module exports neither `_start` (a WASI command program) nor `__guest_call` \
                 (a waPC actor): there is nothing to run"
            )
        }
    }
}
