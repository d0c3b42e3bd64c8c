//! Source breakpoints: what the user asked for (file, line), where each one landed in the
//! program's core modules, and the set of PCs to arm. Requests made before the program is
//! loaded stay pending and are resolved when it is.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::dwarf::DebugInfo;

use super::model::BreakpointStatus;

/// A place to arm: a PC in one of the program's core modules (a core program has one, module
/// 0; a component has one per core module, each with PCs of its own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CodeLocation {
    pub module: usize,
    pub pc: u32,
}

/// The DWARF of one core module, by its index among the program's core modules.
pub type ModuleDwarf = (usize, Arc<DebugInfo>);

/// What is known about the loaded program when resolving.
#[derive(Clone, Copy)]
pub enum ModuleDebugInfo<'a> {
    NotLoaded,
    NoDwarf,
    /// Every core module that has DWARF.
    Dwarf(&'a [ModuleDwarf]),
}

struct SourceBreakpoint {
    requested_line: u32,
    status: BreakpointStatus,
    pcs: Vec<CodeLocation>,
}

#[derive(Default)]
pub struct BreakpointTable {
    next_id: u32,
    by_file: BTreeMap<String, Vec<SourceBreakpoint>>,
}

impl BreakpointTable {
    /// Replaces the breakpoints of `path` with ones at `lines`; returns their statuses in order.
    pub fn set(&mut self, module: ModuleDebugInfo<'_>, path: &str, lines: &[u32]) -> Vec<BreakpointStatus> {
        let old = self.by_file.remove(path).unwrap_or_default();
        let mut new = Vec::with_capacity(lines.len());
        for &line in lines {
            // Keep a breakpoint's id when the same line is set again (editors resend the file).
            let id = old
                .iter()
                .find(|b| b.requested_line == line)
                .map(|b| b.status.id)
                .unwrap_or_else(|| {
                    self.next_id += 1;
                    self.next_id
                });
            new.push(resolve(module, path, line, id));
        }
        let statuses = new.iter().map(|b| b.status.clone()).collect();
        if !new.is_empty() {
            self.by_file.insert(path.to_string(), new);
        }
        statuses
    }

    /// Resolves every breakpoint again (after the module loaded); returns those that changed.
    pub fn resolve_all(&mut self, module: ModuleDebugInfo<'_>) -> Vec<BreakpointStatus> {
        let mut changed = Vec::new();
        for (path, breakpoints) in &mut self.by_file {
            for bp in breakpoints.iter_mut() {
                let again = resolve(module, path, bp.requested_line, bp.status.id);
                if again.status != bp.status {
                    changed.push(again.status.clone());
                }
                *bp = again;
            }
        }
        changed
    }

    /// Code location → ids of the breakpoints there.
    pub fn armed(&self) -> BTreeMap<CodeLocation, Vec<u32>> {
        let mut armed: BTreeMap<CodeLocation, Vec<u32>> = BTreeMap::new();
        for bp in self.by_file.values().flatten() {
            for &pc in &bp.pcs {
                armed.entry(pc).or_default().push(bp.status.id);
            }
        }
        armed
    }
}

fn resolve(module: ModuleDebugInfo<'_>, path: &str, line: u32, id: u32) -> SourceBreakpoint {
    let unverified = |message: String| SourceBreakpoint {
        requested_line: line,
        status: BreakpointStatus {
            id,
            verified: false,
            line: Some(line),
            message: Some(message),
            path: path.to_string(),
        },
        pcs: Vec::new(),
    };
    let modules = match module {
        ModuleDebugInfo::NotLoaded => {
            return unverified("pending: resolved when the program is loaded".into());
        }
        ModuleDebugInfo::NoDwarf => {
            return unverified(
                "the module has no DWARF debug info: build it with debug info (e.g. a cargo debug build, or `-g`)"
                    .into(),
            );
        }
        ModuleDebugInfo::Dwarf(modules) => modules,
    };
    let knowing: Vec<&ModuleDwarf> = modules.iter().filter(|(_, info)| info.knows_file(path)).collect();
    if knowing.is_empty() {
        return unverified(format!("no code in this module comes from `{path}`"));
    }
    // The line lands where the first module that has code at or after it says; every module
    // with code on that very line (the same source compiled into several) is armed too.
    let mut landed: Option<u32> = None;
    let mut pcs = Vec::new();
    for (index, info) in knowing {
        let Some((actual, found)) = info.breakpoint_locations(path, line) else {
            continue;
        };
        if found.is_empty() || landed.is_some_and(|l| l != actual) {
            continue;
        }
        landed = Some(actual);
        pcs.extend(found.into_iter().map(|pc| CodeLocation { module: *index, pc }));
    }
    match landed {
        Some(actual) if !pcs.is_empty() => SourceBreakpoint {
            requested_line: line,
            status: BreakpointStatus {
                id,
                verified: true,
                line: Some(actual),
                message: (actual != line).then(|| format!("line {line} has no code: moved to line {actual}")),
                path: path.to_string(),
            },
            pcs,
        },
        _ => unverified(format!("no code at or after line {line}")),
    }
}
