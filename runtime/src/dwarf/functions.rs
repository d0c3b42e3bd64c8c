//! Functions: subprogram address ranges indexed once, names as a Rust developer reads them
//! (demangled, without the hash), and the chain of inlined calls at an address.

use std::collections::HashMap;

use anyhow::Result;
use gimli::{AttributeValue, Reader, UnitOffset};

use super::line_table::{SourceLine, file_path};
use super::{DebugInfo, R};

/// A subprogram's address range (DWARF addresses).
#[derive(Debug, Clone)]
pub(crate) struct Function {
    pub low: u64,
    pub high: u64,
    pub unit: usize,
    pub offset: UnitOffset,
    pub name: String,
    /// Nested inside a namespace (a Rust path) rather than at the top level (C).
    pub namespaced: bool,
}

pub(crate) struct FunctionIndex {
    /// Sorted by `low`.
    ranges: Vec<Function>,
    /// Qualified name of every subprogram DIE, for inlined calls' abstract origins.
    names: HashMap<(usize, UnitOffset), String>,
}

/// One frame of source-level call stack at an address: a function, or an inlined call in it.
#[derive(Debug, Clone)]
pub struct FunctionFrame {
    pub name: String,
    /// Where this frame is: the line at the PC for the innermost frame; for a frame that
    /// contains an inlined call, the call site.
    pub location: Option<SourceLine>,
    pub(crate) unit: usize,
    /// The DIE whose children are this frame's variables (subprogram or inlined subroutine).
    pub(crate) scope: UnitOffset,
    /// The subprogram DIE (holds the frame base).
    pub(crate) subprogram: UnitOffset,
}

impl FunctionIndex {
    pub(crate) fn build(dwarf: &gimli::Dwarf<R>, units: &[gimli::Unit<R>]) -> Result<Self> {
        let mut index = FunctionIndex {
            ranges: Vec::new(),
            names: HashMap::new(),
        };
        for (unit_idx, unit) in units.iter().enumerate() {
            // Namespace path of the DIE being visited, by depth.
            let mut scopes: Vec<(isize, String)> = Vec::new();
            let mut entries = unit.entries();
            while let Some(entry) = entries.next_dfs()? {
                let depth = entry.depth();
                while scopes.last().is_some_and(|(d, _)| *d >= depth) {
                    scopes.pop();
                }
                match entry.tag() {
                    gimli::DW_TAG_namespace
                    | gimli::DW_TAG_structure_type
                    | gimli::DW_TAG_enumeration_type
                    | gimli::DW_TAG_union_type => {
                        let name = die_name(dwarf, unit, entry).unwrap_or_else(|| "{anon}".into());
                        scopes.push((depth, name));
                    }
                    gimli::DW_TAG_subprogram => {
                        let path: Vec<&str> = scopes.iter().map(|(_, n)| n.as_str()).collect();
                        let name = linkage_name(dwarf, unit, entry).or_else(|| {
                            let own = die_name(dwarf, unit, entry)?;
                            Some(if path.is_empty() {
                                own
                            } else {
                                format!("{}::{own}", path.join("::"))
                            })
                        });
                        let Some(name) = name else { continue };
                        index.names.insert((unit_idx, entry.offset()), name.clone());
                        let mut ranges = dwarf.die_ranges(unit, entry)?;
                        while let Some(range) = ranges.next()? {
                            // Dead functions keep their DIEs at address 0 or -1.
                            if range.begin == 0 || range.begin >= range.end {
                                continue;
                            }
                            index.ranges.push(Function {
                                low: range.begin,
                                high: range.end,
                                unit: unit_idx,
                                offset: entry.offset(),
                                name: name.clone(),
                                namespaced: !path.is_empty(),
                            });
                        }
                    }
                    _ => {}
                }
            }
            // Subprograms that only point elsewhere (DW_AT_specification) get their name there.
            let mut entries = unit.entries();
            while let Some(entry) = entries.next_dfs()? {
                if entry.tag() != gimli::DW_TAG_subprogram || index.names.contains_key(&(unit_idx, entry.offset())) {
                    continue;
                }
                if let Some(AttributeValue::UnitRef(target)) = entry.attr_value(gimli::DW_AT_specification)
                    && let Some(name) = index.names.get(&(unit_idx, target)).cloned()
                {
                    index.names.insert((unit_idx, entry.offset()), name);
                }
            }
        }
        for f in &mut index.ranges {
            if let Some(name) = index.names.get(&(f.unit, f.offset)) {
                f.name.clone_from(name);
            }
        }
        index.ranges.sort_by_key(|f| (f.low, std::cmp::Reverse(f.high)));
        Ok(index)
    }

    /// The function whose range contains `addr`.
    pub(crate) fn innermost(&self, addr: u64) -> Option<&Function> {
        let idx = self.ranges.partition_point(|f| f.low <= addr);
        self.ranges[..idx].iter().rev().take(8).find(|f| addr < f.high)
    }

    /// The Rust crate's `main` (`crate::main`), else a top-level C `main`.
    pub(crate) fn find_entry_main(&self) -> Option<&Function> {
        let rust_main = self
            .ranges
            .iter()
            .find(|f| f.namespaced && f.name.ends_with("::main") && f.name.matches("::").count() == 1);
        rust_main.or_else(|| self.ranges.iter().find(|f| !f.namespaced && f.name == "main"))
    }

    fn name_of(&self, unit: usize, offset: UnitOffset) -> Option<&str> {
        self.names.get(&(unit, offset)).map(String::as_str)
    }
}

/// Frames at `addr`: the chain of inlined subroutines inside the function, innermost first.
pub(crate) fn frames_at(info: &DebugInfo, addr: u64) -> Vec<FunctionFrame> {
    let Some(func) = info.functions.innermost(addr) else {
        return Vec::new();
    };
    let unit = &info.units[func.unit];
    // Inlined calls containing `addr` nest, so a depth-first walk meets them outermost first.
    let mut chain: Vec<(UnitOffset, String)> = vec![(func.offset, func.name.clone())];
    let mut call_sites: Vec<Option<SourceLine>> = Vec::new();
    if let Ok(mut entries) = unit.entries_at_offset(func.offset) {
        let mut base_depth = None;
        while let Ok(Some(entry)) = entries.next_dfs() {
            let depth = entry.depth();
            match base_depth {
                None => base_depth = Some(depth),
                Some(base) if depth <= base => break,
                Some(_) => {}
            }
            if entry.tag() == gimli::DW_TAG_inlined_subroutine
                && let Some((offset, name, site)) = inlined_containing(info, func.unit, entry.offset(), addr)
            {
                chain.push((offset, name));
                call_sites.push(site);
            }
        }
    }
    // chain is outermost → innermost; frame i's location is the call site recorded when
    // descending into frame i+1, and the innermost frame's is the line at `addr`.
    let mut frames = Vec::with_capacity(chain.len());
    let mut location = info.lines.line_at(addr);
    for (i, (scope, name)) in chain.into_iter().enumerate().rev() {
        frames.push(FunctionFrame {
            name,
            location: location.clone(),
            unit: func.unit,
            scope,
            subprogram: func.offset,
        });
        if i > 0 {
            location = call_sites[i - 1].clone();
        }
    }
    frames
}

/// If the DIE at `offset` is an inlined call whose ranges contain `addr`: its offset, the
/// inlined function's name and the call site.
fn inlined_containing(
    info: &DebugInfo,
    unit_idx: usize,
    offset: UnitOffset,
    addr: u64,
) -> Option<(UnitOffset, String, Option<SourceLine>)> {
    let unit = &info.units[unit_idx];
    let entry = unit.entry(offset).ok()?;
    if entry.tag() != gimli::DW_TAG_inlined_subroutine || !die_contains(info, unit_idx, &entry, addr) {
        return None;
    }
    let name = match entry.attr_value(gimli::DW_AT_abstract_origin) {
        Some(AttributeValue::UnitRef(origin)) => info.functions.name_of(unit_idx, origin).map(str::to_owned),
        _ => None,
    }
    .unwrap_or_else(|| "<inlined>".to_string());
    let line = match entry.attr_value(gimli::DW_AT_call_line) {
        Some(AttributeValue::Udata(l)) => l as u32,
        Some(AttributeValue::Data1(l)) => l as u32,
        Some(AttributeValue::Data2(l)) => l as u32,
        Some(AttributeValue::Data4(l)) => l,
        _ => 0,
    };
    let column = match entry.attr_value(gimli::DW_AT_call_column) {
        Some(AttributeValue::Udata(c)) => c as u32,
        Some(AttributeValue::Data1(c)) => c as u32,
        Some(AttributeValue::Data2(c)) => c as u32,
        _ => 0,
    };
    let site = match (entry.attr_value(gimli::DW_AT_call_file), unit.line_program.as_ref()) {
        (Some(AttributeValue::FileIndex(file)), Some(program)) => {
            let comp_dir = unit
                .comp_dir
                .as_ref()
                .and_then(|d| d.to_string_lossy().ok().map(|s| s.into_owned()))
                .unwrap_or_default();
            let path = file_path(&info.dwarf, unit, program.header(), file, &comp_dir);
            Some(SourceLine { path, line, column })
        }
        _ => None,
    };
    Some((offset, name, site))
}

pub(crate) fn die_contains(
    info: &DebugInfo,
    unit_idx: usize,
    entry: &gimli::DebuggingInformationEntry<R>,
    addr: u64,
) -> bool {
    let Ok(mut ranges) = info.dwarf.die_ranges(&info.units[unit_idx], entry) else {
        return false;
    };
    while let Ok(Some(range)) = ranges.next() {
        if range.begin <= addr && addr < range.end {
            return true;
        }
    }
    false
}

pub(crate) fn die_name(
    dwarf: &gimli::Dwarf<R>,
    unit: &gimli::Unit<R>,
    entry: &gimli::DebuggingInformationEntry<R>,
) -> Option<String> {
    let value = entry.attr_value(gimli::DW_AT_name)?;
    let name = dwarf.attr_string(unit, value).ok()?;
    Some(name.to_string_lossy().ok()?.into_owned())
}

fn linkage_name(
    dwarf: &gimli::Dwarf<R>,
    unit: &gimli::Unit<R>,
    entry: &gimli::DebuggingInformationEntry<R>,
) -> Option<String> {
    let value = entry
        .attr_value(gimli::DW_AT_linkage_name)
        .or_else(|| entry.attr_value(gimli::DW_AT_MIPS_linkage_name))?;
    let raw = dwarf.attr_string(unit, value).ok()?;
    let raw = raw.to_string_lossy().ok()?;
    Some(format!("{:#}", rustc_demangle::demangle(&raw)))
}
