//! Messages from a session to its debuggee thread.

use std::collections::BTreeMap;

use super::breakpoints::CodeLocation;

use anyhow::Result;
use tokio::sync::oneshot;

use super::model::{ScopeInfo, StackFrameInfo, StepKind, VariableEntry};

pub(crate) type Reply<T> = oneshot::Sender<Result<T>>;

pub(crate) enum Command {
    /// Begin running (configuration is done).
    Start,
    /// The complete set of armed breakpoint PCs, each with the ids of the breakpoints there.
    ArmBreakpoints(BTreeMap<CodeLocation, Vec<u32>>),
    StopOnTrap(bool),
    Continue,
    Step(StepKind),
    StackTrace(Reply<Vec<StackFrameInfo>>),
    Scopes {
        frame_id: u32,
        reply: Reply<Vec<ScopeInfo>>,
    },
    Variables {
        reference: u64,
        start: u64,
        count: Option<u64>,
        reply: Reply<Vec<VariableEntry>>,
    },
    ReadMemory {
        address: u64,
        count: usize,
        reply: Reply<Vec<u8>>,
    },
    Evaluate {
        frame_id: u32,
        expression: String,
        reply: Reply<VariableEntry>,
    },
    Terminate,
}

impl Command {
    /// Answers a query (a command with a reply) with `error`; gives any other command back.
    pub(crate) fn refuse(self, error: impl Fn() -> anyhow::Error) -> Option<Command> {
        match self {
            Command::StackTrace(reply) => drop(reply.send(Err(error()))),
            Command::Scopes { reply, .. } => drop(reply.send(Err(error()))),
            Command::Variables { reply, .. } => drop(reply.send(Err(error()))),
            Command::ReadMemory { reply, .. } => drop(reply.send(Err(error()))),
            Command::Evaluate { reply, .. } => drop(reply.send(Err(error()))),
            other => return Some(other),
        }
        None
    }

    /// For logs.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Command::Start => "start",
            Command::ArmBreakpoints(_) => "arm breakpoints",
            Command::StopOnTrap(_) => "stop on trap",
            Command::Continue => "continue",
            Command::Step(_) => "step",
            Command::StackTrace(_) => "stack trace",
            Command::Scopes { .. } => "scopes",
            Command::Variables { .. } => "variables",
            Command::ReadMemory { .. } => "read memory",
            Command::Evaluate { .. } => "evaluate",
            Command::Terminate => "terminate",
        }
    }
}
