//! The actor host: what a module is (a WASI command or a waPC actor), the waPC host protocol,
//! invocations and their payloads, and the built-in capability providers actors call.
//!
//! Both `wasmscope run` and the debugger execute programs through [`execute`], so a developer
//! debugs the actor they deploy, unchanged.

pub mod claims;
pub(crate) mod execute;
pub(crate) mod invocation;
mod kind;
mod log;
pub mod manifest;
mod prepare;
pub mod providers;
mod state;
mod wapc;

pub use execute::{
    InvocationQueue, InvocationReport, InvocationSender, Request, execute, next_request, queue_with, settle,
};
pub use invocation::{Invocation, Outcome, PayloadFormat, describe_response};
pub use kind::ProgramKind;
pub use log::{LogCallback, LogLevel, LogSink};
pub use prepare::{Prepared, prepare};
pub use state::ActorState;
pub use wapc::{WapcState, add_to_linker};
