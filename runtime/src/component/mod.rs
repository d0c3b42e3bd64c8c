//! WebAssembly components (wasmCloud 1.x actors): recognising one and what it exports, and
//! running it with WASI preview 2 under `wasmscope run` and the debugger alike: a
//! `wasi:cli/run` command once, a `wasi:http/incoming-handler` once per HTTP request.

mod capabilities;
mod command;
mod detect;
pub mod http;
mod kind;
mod prepare;
mod proxy;

pub use command::{compile, exit_code_of_run, instantiate_command, run_command};
pub use detect::is_component;
pub use kind::ComponentKind;
pub use prepare::prepare_component;
pub use proxy::{handle_request, instantiate_proxy};
