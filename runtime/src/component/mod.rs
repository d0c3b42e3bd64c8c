//! WebAssembly components (wasmCloud 1.x actors): recognising one and what it exports, and
//! running it with WASI preview 2 under `wasmscope run` and the debugger alike: a
//! `wasi:cli/run` command once, a `wasi:http/incoming-handler` once per HTTP request, a
//! `wasmcloud:messaging/handler` once per message.

mod capabilities;
mod command;
mod detect;
pub mod http;
mod kind;
mod message_handler;
mod prepare;
mod proxy;

pub use capabilities::bindings::MessageHandler;
pub use command::{compile, exit_code_of_run, instantiate_command, run_command};
pub use detect::is_component;
pub use kind::ComponentKind;
pub use message_handler::{handle_messages, instantiate_message_handler};
pub use prepare::prepare_component;
pub use proxy::{handle_request, instantiate_proxy};
