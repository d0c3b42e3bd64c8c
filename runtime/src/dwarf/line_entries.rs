//! Where a breakpoint on a line goes: the instructions where control *enters the line*.
//!
//! The compiler splits a line's code into several runs: an overflow check's panic path, the
//! error arm of `?`, a match arm's pattern test and its body, a loop's header and its latch.
//! A breakpoint at every run's start stops two or three times in one pass through the line,
//! and one at a `loop` opcode is passed only on the way into the loop. So the line's code is
//! read as its function sees it (an inlined callee's code counts as its call site's line),
//! over the function's control flow as wasmtime runs it:
//! - an *entry* is an instruction of the line that control reaches from other code;
//! - an entry from which every way on meets another chosen entry before it leaves the line
//!   (a `for` loop's set-up before its `next()` call) is left out.
//!
//! Each pass through the line then stops once, at the first place it can be seen.

use std::collections::VecDeque;

use gimli::UnitOffset;

use super::DebugInfo;
use crate::control_flow::FunctionFlow;

/// A bound on the instructions walked forward from one entry, for huge generated functions:
/// past it the entry is kept.
const MAX_WALK: usize = 20_000;

/// How the code of one instruction reads from the scope of a breakpoint's line.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// The breakpoint's line (or a call made from it, inlined).
    SameLine,
    /// Compiler-generated code with no line.
    NoLine,
    /// Another line, or code outside the scope.
    Elsewhere,
}

/// The DWARF addresses a breakpoint on the line of `runs` (the starts of its runs, from the
/// line table) needs, ascending; a function's first run stays at the function's start.
pub(super) fn breakpoint_runs(info: &DebugInfo, runs: &[u64]) -> Vec<u64> {
    // Each scope is a pass of its own: a function, or one inlined copy of a callee.
    let mut groups: Vec<(Option<LineInScope>, Vec<u64>)> = Vec::new();
    for &addr in runs {
        let scope = info
            .frames_at(info.to_module_pc(addr))
            .into_iter()
            .next()
            .and_then(|frame| {
                let at = frame.location?;
                Some(((frame.unit, frame.scope), at.path, at.line))
            });
        match groups.iter_mut().find(|(s, _)| s.is_some() && *s == scope) {
            Some((_, group)) => group.push(addr),
            None => groups.push((scope, vec![addr])),
        }
    }
    let mut chosen: Vec<u64> = groups
        .into_iter()
        .flat_map(|(scope, group)| {
            let Some((key, path, line)) = scope else {
                return group;
            };
            match info.scope_code(key, info.to_module_pc(group[0])) {
                Some(code) => {
                    let entries = Entries::new(info, &code, &path, line).choose();
                    if entries.is_empty() { group } else { entries }
                }
                // Without the code's flow, every run start is a guess that never misses.
                None => group,
            }
        })
        .collect();
    chosen.sort_unstable();
    chosen.dedup();
    chosen
}

/// A function or an inlined call (its unit and DIE).
pub(super) type ScopeKey = (usize, UnitOffset);

/// A line (path, number; any column) of a scope's own code.
type LineInScope = (ScopeKey, String, u32);

/// A scope's function: its control flow, and each instruction's line as the scope sees it
/// (its own line when it is the scope's code, its call site's when it is inlined into the
/// scope, `Outside` otherwise). Worked out once per scope: it costs a DWARF walk for every
/// instruction.
pub(super) struct ScopeCode {
    flow: FunctionFlow,
    files: Vec<String>,
    lines: Vec<InstructionLine>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum InstructionLine {
    Outside,
    NoLine,
    Line { file: u32, line: u32 },
}

impl ScopeCode {
    pub(super) fn build(info: &DebugInfo, scope: ScopeKey, module_pc: u32) -> Option<ScopeCode> {
        let flow = FunctionFlow::of_function_at(&info.bytes, module_pc).ok()??;
        let mut files: Vec<String> = Vec::new();
        let lines = (0..flow.len() as u32)
            .map(|index| {
                let frames = info.frames_at(flow.offset(index));
                let Some(frame) = frames.iter().find(|f| (f.unit, f.scope) == scope) else {
                    return InstructionLine::Outside;
                };
                match &frame.location {
                    Some(at) if at.line != 0 => {
                        let file = match files.iter().position(|f| *f == at.path) {
                            Some(file) => file,
                            None => {
                                files.push(at.path.clone());
                                files.len() - 1
                            }
                        };
                        InstructionLine::Line {
                            file: file as u32,
                            line: at.line,
                        }
                    }
                    _ => InstructionLine::NoLine,
                }
            })
            .collect();
        Some(ScopeCode { flow, files, lines })
    }
}

/// One scope's instructions as they read for one line.
struct Entries<'a> {
    info: &'a DebugInfo,
    flow: &'a FunctionFlow,
    seen: Vec<Seen>,
}

impl<'a> Entries<'a> {
    fn new(info: &'a DebugInfo, code: &'a ScopeCode, path: &str, line: u32) -> Self {
        let file = code.files.iter().position(|f| f == path).map(|f| f as u32);
        let seen = code
            .lines
            .iter()
            .map(|at| match *at {
                InstructionLine::Outside => Seen::Elsewhere,
                InstructionLine::NoLine => Seen::NoLine,
                InstructionLine::Line { file: f, line: l } if Some(f) == file && l == line => Seen::SameLine,
                InstructionLine::Line { .. } => Seen::Elsewhere,
            })
            .collect();
        Entries {
            info,
            flow: &code.flow,
            seen,
        }
    }

    /// The chosen entries' DWARF addresses.
    fn choose(&self) -> Vec<u64> {
        let mut chosen = self.entries();
        // In address order, so that of two entries that reach each other the later one stays.
        let mut i = 0;
        while i < chosen.len() {
            let index = chosen[i];
            let others: Vec<u32> = chosen.iter().copied().filter(|&c| c != index).collect();
            if index != 0 && !others.is_empty() && self.always_reaches(index, &others).unwrap_or(false) {
                chosen.remove(i);
            } else {
                i += 1;
            }
        }
        chosen
            .into_iter()
            .map(|index| match index {
                // The function's start, which the caller moves past the prologue.
                0 => self
                    .info
                    .functions
                    .innermost(self.dwarf_addr(0))
                    .map_or(self.dwarf_addr(0), |f| f.low),
                _ => self.dwarf_addr(index),
            })
            .collect()
    }

    fn dwarf_addr(&self, index: u32) -> u64 {
        self.info.to_dwarf(self.flow.offset(index))
    }

    /// The line's instructions that control reaches from other code, directly or through
    /// code of no line; the function's first instruction is reached by a call.
    fn entries(&self) -> Vec<u32> {
        // Code of no line that other code (or the call) runs into.
        let mut fed = vec![false; self.flow.len()];
        let mut queue: VecDeque<u32> = (0..self.flow.len() as u32)
            .filter(|&i| self.seen[i as usize] == Seen::Elsewhere)
            .collect();
        if self.seen.first() == Some(&Seen::NoLine) {
            fed[0] = true;
            queue.push_back(0);
        }
        while let Some(index) = queue.pop_front() {
            for &to in self.flow.successors(index) {
                if self.seen[to as usize] == Seen::NoLine && !std::mem::replace(&mut fed[to as usize], true) {
                    queue.push_back(to);
                }
            }
        }
        (0..self.flow.len() as u32)
            .filter(|&index| {
                self.seen[index as usize] == Seen::SameLine
                    && (index == 0
                        || self
                            .flow
                            .predecessors(index)
                            .iter()
                            .any(|&from| self.seen[from as usize] == Seen::Elsewhere || fed[from as usize]))
            })
            .collect()
    }

    /// Whether every way on from `start` meets one of `stops` before it leaves the line or
    /// ends (a return, a trap). `None` when the walk is too long.
    fn always_reaches(&self, start: u32, stops: &[u32]) -> Option<bool> {
        let mut visited = vec![false; self.flow.len()];
        visited[start as usize] = true;
        let mut queue = VecDeque::from([start]);
        let mut walked = 0;
        while let Some(index) = queue.pop_front() {
            let successors = self.flow.successors(index);
            if successors.is_empty() {
                return Some(false);
            }
            for &to in successors {
                if stops.contains(&to) || std::mem::replace(&mut visited[to as usize], true) {
                    continue;
                }
                walked += 1;
                if walked > MAX_WALK {
                    return None;
                }
                if self.seen[to as usize] == Seen::Elsewhere {
                    return Some(false);
                }
                queue.push_back(to);
            }
        }
        Some(true)
    }
}
