//! The wasmtime side shared by running and debugging: engine configuration, the program's
//! WASI preview 1 context, and captured standard output and error.

mod engine;
pub(crate) mod loopback_http;
mod program;
mod stdio;

pub use engine::{EngineMode, new_engine};
pub use program::{HostState, ProgramConfig, Stdio, exit_code_of, instantiate_program, new_store};
pub use stdio::{OutputCallback, OutputSink, StdStream};
