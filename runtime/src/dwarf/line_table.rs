//! The line tables of all units, merged: address ↔ file:line, statement starts, and where a
//! source breakpoint lands.

use std::collections::{BTreeMap, HashMap};

use anyhow::Result;
use gimli::Reader;

use super::R;
use super::path_match;

/// One row of a line table (addresses are DWARF addresses).
#[derive(Debug, Clone, Copy)]
pub struct LineRow {
    pub addr: u64,
    pub file: u32,
    pub line: u32,
    pub column: u32,
    pub is_stmt: bool,
    pub prologue_end: bool,
}

/// A position in a source file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceLine {
    pub path: String,
    pub line: u32,
    pub column: u32,
}

/// A run of rows with increasing addresses, ended by an end-of-sequence row at `end`.
struct Sequence {
    start: u64,
    end: u64,
    rows: Vec<LineRow>,
}

pub(crate) struct LineTable {
    files: Vec<String>,
    sequences: Vec<Sequence>,
    /// Per file: line → the addresses where a run of that line's rows starts (ascending).
    by_file: HashMap<u32, BTreeMap<u32, Vec<u64>>>,
}

impl LineTable {
    pub(crate) fn build(dwarf: &gimli::Dwarf<R>, units: &[gimli::Unit<R>]) -> Result<Self> {
        let mut table = LineTable {
            files: Vec::new(),
            sequences: Vec::new(),
            by_file: HashMap::new(),
        };
        let mut file_ids: HashMap<String, u32> = HashMap::new();
        for unit in units {
            let Some(program) = unit.line_program.clone() else {
                continue;
            };
            let comp_dir = unit
                .comp_dir
                .as_ref()
                .and_then(|d| d.to_string_lossy().ok().map(|s| s.into_owned()))
                .unwrap_or_default();
            // File index in this unit → global id, resolved lazily.
            let mut unit_files: HashMap<u64, u32> = HashMap::new();
            let mut rows = program.rows();
            let mut current: Vec<LineRow> = Vec::new();
            while let Some((header, row)) = rows.next_row()? {
                if row.end_sequence() {
                    if let Some(first) = current.first() {
                        table.sequences.push(Sequence {
                            start: first.addr,
                            end: row.address(),
                            rows: std::mem::take(&mut current),
                        });
                    }
                    continue;
                }
                let file_index = row.file_index();
                let file = match unit_files.get(&file_index) {
                    Some(id) => *id,
                    None => {
                        let path = file_path(dwarf, unit, header, file_index, &comp_dir);
                        let next = file_ids.len() as u32;
                        let id = *file_ids.entry(path.clone()).or_insert_with(|| {
                            table.files.push(path);
                            next
                        });
                        unit_files.insert(file_index, id);
                        id
                    }
                };
                current.push(LineRow {
                    addr: row.address(),
                    file,
                    line: row.line().map(|l| l.get() as u32).unwrap_or(0),
                    column: match row.column() {
                        gimli::ColumnType::LeftEdge => 0,
                        gimli::ColumnType::Column(c) => c.get() as u32,
                    },
                    is_stmt: row.is_stmt(),
                    prologue_end: row.prologue_end(),
                });
            }
        }
        // Dead code keeps its rows at address 0 (tombstones); drop sequences that overlap an
        // earlier live one so lookups stay unambiguous.
        table.sequences.sort_by_key(|s| (s.start, std::cmp::Reverse(s.end)));
        let mut kept: Vec<Sequence> = Vec::with_capacity(table.sequences.len());
        for seq in table.sequences.drain(..) {
            if kept.last().is_some_and(|last| seq.start < last.end) {
                continue;
            }
            kept.push(seq);
        }
        table.sequences = kept;
        // A line's code can come in several runs (a loop's header and latch, an overflow
        // check's panic path); `line_entries` picks those a breakpoint needs.
        for seq in &table.sequences {
            let mut previous: Option<&LineRow> = None;
            for row in &seq.rows {
                let starts_run = previous.is_none_or(|p| p.line != row.line || p.file != row.file);
                if starts_run && row.is_stmt && row.line != 0 {
                    table
                        .by_file
                        .entry(row.file)
                        .or_default()
                        .entry(row.line)
                        .or_default()
                        .push(row.addr);
                }
                previous = Some(row);
            }
        }
        for lines in table.by_file.values_mut() {
            for addrs in lines.values_mut() {
                addrs.sort_unstable();
                addrs.dedup();
            }
        }
        Ok(table)
    }

    fn sequence_at(&self, addr: u64) -> Option<&Sequence> {
        let idx = self.sequences.partition_point(|s| s.start <= addr);
        let seq = self.sequences.get(idx.checked_sub(1)?)?;
        (addr < seq.end).then_some(seq)
    }

    /// The row in effect at `addr`.
    pub(crate) fn row_at(&self, addr: u64) -> Option<&LineRow> {
        let seq = self.sequence_at(addr)?;
        let idx = seq.rows.partition_point(|r| r.addr <= addr);
        seq.rows.get(idx.checked_sub(1)?)
    }

    pub(crate) fn line_at(&self, addr: u64) -> Option<SourceLine> {
        let row = self.row_at(addr)?;
        (row.line != 0).then(|| self.source_line(row))
    }

    pub(crate) fn source_line(&self, row: &LineRow) -> SourceLine {
        SourceLine {
            path: self.files[row.file as usize].clone(),
            line: row.line,
            column: row.column,
        }
    }

    pub(crate) fn is_statement_start(&self, addr: u64) -> bool {
        let Some(seq) = self.sequence_at(addr) else {
            return false;
        };
        let from = seq.rows.partition_point(|r| r.addr < addr);
        seq.rows[from..]
            .iter()
            .take_while(|r| r.addr == addr)
            .any(|r| r.is_stmt && r.line != 0)
    }

    pub(crate) fn file_id(&self, path: &str) -> Option<u32> {
        path_match::best_match(self.files.iter().map(String::as_str), path).map(|i| i as u32)
    }

    /// The line at or after `line` that has statements in `path`, with the start of every run
    /// of that line's code (ascending).
    pub(crate) fn line_runs(&self, path: &str, line: u32) -> Option<(u32, &[u64])> {
        let file = self.file_id(path)?;
        let (&actual, addrs) = self.by_file.get(&file)?.range(line..).next()?;
        Some((actual, addrs))
    }

    /// For a breakpoint on a function's first line: the `prologue_end` row of the same line, so
    /// that parameters are already in place when it stops.
    pub(crate) fn after_prologue(&self, entry: u64, line: u32) -> Option<u64> {
        let seq = self.sequence_at(entry)?;
        let from = seq.rows.partition_point(|r| r.addr < entry);
        seq.rows[from..]
            .iter()
            .take_while(|r| r.line == line || r.line == 0)
            .find(|r| r.prologue_end)
            .map(|r| r.addr)
    }

    /// The first statement after the prologue of the function spanning `low..high`.
    pub(crate) fn first_statement_in(&self, low: u64, high: u64) -> Option<u64> {
        let seq = self.sequence_at(low)?;
        let from = seq.rows.partition_point(|r| r.addr < low);
        let rows = seq.rows[from..].iter().take_while(|r| r.addr < high);
        let mut first_stmt_after_entry = None;
        for row in rows {
            if row.prologue_end {
                return Some(row.addr);
            }
            if first_stmt_after_entry.is_none() && row.is_stmt && row.addr > low && row.line != 0 {
                first_stmt_after_entry = Some(row.addr);
            }
        }
        first_stmt_after_entry
    }
}

pub(crate) fn file_path(
    dwarf: &gimli::Dwarf<R>,
    unit: &gimli::Unit<R>,
    header: &gimli::LineProgramHeader<R>,
    index: u64,
    comp_dir: &str,
) -> String {
    let Some(entry) = header.file(index) else {
        return String::from("<unknown>");
    };
    let text = |value: gimli::AttributeValue<R>| -> String {
        dwarf
            .attr_string(unit, value)
            .ok()
            .and_then(|s| s.to_string_lossy().ok().map(|c| c.into_owned()))
            .unwrap_or_default()
    };
    let name = text(entry.path_name());
    let dir = entry.directory(header).map(text).unwrap_or_default();
    let mut path = std::path::PathBuf::from(comp_dir);
    path.push(dir);
    path.push(name);
    path_match::normalize(&path.to_string_lossy())
}
