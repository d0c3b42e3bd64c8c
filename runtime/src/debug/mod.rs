//! The debug controller: a debuggee running on its own thread under wasmtime's guest-debug
//! API, and a [`DebugSession`] handle that drives it over channels.
//!
//! The handler that wasmtime calls on breakpoints, traps and epoch yields runs with the wasm
//! stack live; when it decides to stop, it reports [`SessionEvent::Stopped`] and serves
//! inspection commands until told to resume. Nothing here knows about any debug protocol.

pub mod breakpoints;
mod command;
mod component;
mod debuggee;
mod evaluate;
mod handler;
mod inspect;
mod model;
mod panic_message;
mod session;
mod stepping;

pub use breakpoints::{BreakpointTable, CodeLocation, ModuleDebugInfo, ModuleDwarf};
pub use model::{
    BreakpointStatus, LaunchConfig, ModuleSummary, ScopeInfo, SessionEvent, StackFrameInfo, StepKind, StopReason,
    VariableEntry,
};
pub use session::DebugSession;
