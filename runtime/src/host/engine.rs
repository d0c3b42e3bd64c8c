//! The wasmtime engine: one configuration for plain runs, one for debugging.

use anyhow::Result;
use wasmtime::{Config, Engine};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineMode {
    /// `wasmscope run`: no instrumentation.
    Run,
    /// Guest debugging: breakpoint patch points, frame tables, and epoch checks for pause.
    Debug,
}

pub fn new_engine(mode: EngineMode) -> Result<Engine> {
    let mut config = Config::new();
    if mode == EngineMode::Debug {
        config.guest_debug(true);
        // Epoch checks at loop headers and function entries let `pause` stop a busy loop;
        // they only fire when the session bumps the epoch, so they cost a load and compare.
        config.epoch_interruption(true);
    }
    Ok(Engine::new(&config)?)
}
