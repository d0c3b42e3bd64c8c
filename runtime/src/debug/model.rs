//! The controller's vocabulary, shared with whoever drives a session.

use crate::actor::{LogLevel, Outcome};
use crate::host::{ProgramConfig, StdStream};

/// How to start a debug session.
#[derive(Debug, Clone, Default)]
pub struct LaunchConfig {
    pub program: ProgramConfig,
    /// Stop at the first statement of the program's `main`.
    pub stop_on_entry: bool,
    /// Keep an actor loaded after its invocations, taking more from the session
    /// ([`DebugSession::invoke`](super::DebugSession::invoke)) until it ends.
    pub serve: bool,
}

/// What a session reports, in order.
#[derive(Debug, Clone)]
pub enum SessionEvent {
    Output {
        stream: StdStream,
        text: String,
    },
    /// An actor's log line that passed the verbosity filter.
    Log {
        level: LogLevel,
        target: String,
        text: String,
    },
    /// An actor operation finished.
    Invocation {
        operation: String,
        outcome: Outcome,
    },
    /// Something the host wants the user to know (a note, not program output).
    Notice {
        text: String,
    },
    Stopped {
        reason: StopReason,
    },
    /// A breakpoint's resolution changed after it was set.
    Breakpoint(BreakpointStatus),
    Exited {
        code: i32,
    },
    /// The debuggee is gone; no more events follow.
    Terminated,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StopReason {
    Entry,
    Breakpoint {
        ids: Vec<u32>,
    },
    Step,
    Pause,
    /// A trap: `text` is wasmtime's trap message, `description` the panic message when the
    /// trap came from a Rust panic (else the trap message again).
    Exception {
        text: String,
        description: String,
    },
}

/// A source breakpoint as resolved against the module.
#[derive(Debug, Clone, PartialEq)]
pub struct BreakpointStatus {
    pub id: u32,
    pub verified: bool,
    /// The line it really sits on (moved to the next line with code).
    pub line: Option<u32>,
    pub message: Option<String>,
    pub path: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepKind {
    Over,
    Into,
    Out,
}

/// One core module of the program (a core program has one; a component one per core module).
#[derive(Debug, Clone, PartialEq)]
pub struct ModuleSummary {
    /// Its index, as in [`CodeLocation::module`](super::CodeLocation).
    pub index: usize,
    pub name: String,
    pub path: String,
    pub has_dwarf: bool,
    pub size: usize,
}

/// One frame of the source-level call stack (an inlined call is a frame of its own).
#[derive(Debug, Clone, PartialEq)]
pub struct StackFrameInfo {
    pub id: u32,
    pub name: String,
    pub path: Option<String>,
    pub line: u32,
    pub column: u32,
    /// Whether `path` exists on this machine (std sources usually do not).
    pub source_exists: bool,
    pub module_pc: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ScopeInfo {
    pub name: String,
    pub reference: u64,
    pub named_variables: u64,
}

/// A variable or child value as shown in a variables view.
#[derive(Debug, Clone, PartialEq)]
pub struct VariableEntry {
    pub name: String,
    pub value: String,
    pub type_name: String,
    /// Non-zero when it has children.
    pub reference: u64,
    pub indexed: Option<u64>,
    pub named: Option<u64>,
    pub address: Option<u64>,
}
