//! Source breakpoints: what the user asked for (file, line), where each one landed in the
//! module, and the set of PCs to arm. Requests made before the module is loaded stay pending
//! and are resolved when it is.

use std::collections::BTreeMap;

use crate::dwarf::DebugInfo;

use super::model::BreakpointStatus;

/// What is known about the loaded module when resolving.
#[derive(Clone, Copy)]
pub enum ModuleDebugInfo<'a> {
    NotLoaded,
    NoDwarf,
    Dwarf(&'a DebugInfo),
}

struct SourceBreakpoint {
    requested_line: u32,
    status: BreakpointStatus,
    pcs: Vec<u32>,
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

    /// Module PC → ids of the breakpoints there.
    pub fn armed(&self) -> BTreeMap<u32, Vec<u32>> {
        let mut armed: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
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
    let info = match module {
        ModuleDebugInfo::NotLoaded => {
            return unverified("pending: resolved when the program is loaded".into());
        }
        ModuleDebugInfo::NoDwarf => {
            return unverified(
                "the module has no DWARF debug info: build it with debug info (e.g. a cargo debug build, or `-g`)"
                    .into(),
            );
        }
        ModuleDebugInfo::Dwarf(info) => info,
    };
    if !info.knows_file(path) {
        return unverified(format!("no code in this module comes from `{path}`"));
    }
    match info.breakpoint_locations(path, line) {
        Some((actual, pcs)) if !pcs.is_empty() => SourceBreakpoint {
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
