//! The instrumented wasmtime host of wasmscope.
//!
//! Layers, bottom-up:
//! - [`module_image`]: a `.wasm` file read and indexed (sections, names) without executing it.
//! - [`dwarf`]: the DWARF in a module, indexed once (lines, functions, variables, types).
//! - [`value`]: guest memory + DWARF types → values as a Rust (or C) developer reads them.
//! - [`host`]: the wasmtime engine, WASI preview 1 and captured stdio; [`run`] executes a
//!   program without debugging.
//! - [`component`]: WebAssembly components (`wasi:cli/run`) with WASI preview 2.
//! - [`actor`]: what a program is (command or waPC actor), the waPC host protocol, invocations
//!   and the built-in capability providers.
//! - [`debug`]: the debug controller: a debuggee on its own thread, driven over channels by a
//!   session (the DAP server, or a script). It knows nothing about any debug protocol.

pub mod actor;
pub mod component;
mod control_flow;
pub mod debug;
pub mod dwarf;
pub mod host;
pub mod module_image;
pub mod run;
pub mod value;

pub use module_image::ModuleImage;
