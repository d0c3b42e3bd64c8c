//! Source-level stepping on top of wasmtime's instruction single-step: each single-step event
//! is judged against the plan made when the step began.

use crate::dwarf::SourceLine;

use super::breakpoints::CodeLocation;
use super::model::{StepKind, StopReason};

/// What the step started from.
#[derive(Debug, Clone)]
pub(crate) struct StepPlan {
    pub kind: StepKind,
    /// Number of wasm frames when the step began.
    pub depth: usize,
    pub line: Option<SourceLine>,
    /// While a call runs freely: the return breakpoint's PC and the depth it must be hit at.
    pub return_to: Option<(CodeLocation, usize)>,
}

/// Where a single-step event happened.
pub(crate) struct Here<'a> {
    pub depth: usize,
    pub statement_start: bool,
    pub line: Option<&'a SourceLine>,
    /// The line's file exists on this machine (user code rather than std's sources).
    pub user_code: bool,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Decision {
    Stop,
    KeepStepping,
    /// Returned into code without source: stop stepping and run freely.
    RunFreely,
}

impl StepPlan {
    /// `stopOnEntry` without a `main` to break on: step from the first instruction.
    pub(crate) fn entry() -> Self {
        StepPlan {
            kind: StepKind::Into,
            depth: usize::MAX,
            line: None,
            return_to: None,
        }
    }

    /// What a stop that ends this plan is called.
    pub(crate) fn stop_reason(&self) -> StopReason {
        if self.depth == usize::MAX {
            StopReason::Entry
        } else {
            StopReason::Step
        }
    }

    pub(crate) fn decide(&self, here: &Here<'_>) -> Decision {
        if !here.statement_start {
            return Decision::KeepStepping;
        }
        let same_line = match (here.line, &self.line) {
            (Some(a), Some(b)) => a.path == b.path && a.line == b.line,
            _ => false,
        };
        if here.depth < self.depth {
            // Returned from the frame the step began in.
            return if here.user_code {
                Decision::Stop
            } else {
                Decision::RunFreely
            };
        }
        match self.kind {
            StepKind::Out => Decision::KeepStepping,
            StepKind::Over if here.depth > self.depth => Decision::KeepStepping,
            StepKind::Over | StepKind::Into if here.depth == self.depth && same_line => Decision::KeepStepping,
            StepKind::Into if !here.user_code => Decision::KeepStepping,
            StepKind::Over | StepKind::Into => {
                if here.line.is_some() {
                    Decision::Stop
                } else {
                    Decision::KeepStepping
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(n: u32) -> SourceLine {
        SourceLine {
            path: "/src/main.rs".into(),
            line: n,
            column: 1,
        }
    }

    fn here(depth: usize, l: &SourceLine, user_code: bool) -> Here<'_> {
        Here {
            depth,
            statement_start: true,
            line: Some(l),
            user_code,
        }
    }

    #[test]
    fn over_skips_callees_and_same_line() {
        let plan = StepPlan {
            kind: StepKind::Over,
            depth: 3,
            line: Some(line(10)),
            return_to: None,
        };
        assert_eq!(plan.decide(&here(4, &line(20), true)), Decision::KeepStepping);
        assert_eq!(plan.decide(&here(3, &line(10), true)), Decision::KeepStepping);
        assert_eq!(plan.decide(&here(3, &line(11), true)), Decision::Stop);
        let mid = Here {
            depth: 3,
            statement_start: false,
            line: Some(&line(11)),
            user_code: true,
        };
        assert_eq!(plan.decide(&mid), Decision::KeepStepping);
    }

    #[test]
    fn into_stops_in_user_callee_only() {
        let plan = StepPlan {
            kind: StepKind::Into,
            depth: 3,
            line: Some(line(10)),
            return_to: None,
        };
        assert_eq!(plan.decide(&here(4, &line(20), true)), Decision::Stop);
        assert_eq!(plan.decide(&here(4, &line(20), false)), Decision::KeepStepping);
    }

    #[test]
    fn out_stops_after_return_or_runs_freely() {
        let plan = StepPlan {
            kind: StepKind::Out,
            depth: 3,
            line: Some(line(10)),
            return_to: None,
        };
        assert_eq!(plan.decide(&here(3, &line(11), true)), Decision::KeepStepping);
        assert_eq!(plan.decide(&here(2, &line(5), true)), Decision::Stop);
        assert_eq!(plan.decide(&here(2, &line(5), false)), Decision::RunFreely);
    }
}
