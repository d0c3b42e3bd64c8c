//! The DWARF of one wasm module, read with gimli and indexed once.
//!
//! Addresses: DWARF in wasm counts addresses from the start of the Code section's contents,
//! while wasmtime's `ModulePC` counts from the start of the module binary. Everything public
//! here takes and returns *module PCs*; the conversion lives in [`DebugInfo::to_dwarf`] and
//! [`DebugInfo::to_module_pc`] only.

mod expression;
mod functions;
mod line_entries;
mod line_table;
mod path_match;
mod types;
mod variables;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use gimli::{EndianArcSlice, LittleEndian};

use crate::ModuleImage;

pub use expression::{EvalContext, Location, Piece};
pub use functions::FunctionFrame;
pub use line_table::{LineRow, SourceLine};
pub use types::{Field, TypeDesc, TypeKind, TypeRef, Variant, VariantPart};
pub use variables::VariableInfo;

/// The reader type used across the crate: cheap to clone, `Send + Sync`.
pub(crate) type R = EndianArcSlice<LittleEndian>;

/// Indexed DWARF of one module.
pub struct DebugInfo {
    dwarf: gimli::Dwarf<R>,
    units: Vec<gimli::Unit<R>>,
    code_offset: u64,
    /// The module's binary, for the control flow of its functions.
    bytes: Arc<[u8]>,
    lines: line_table::LineTable,
    /// Per scope with a breakpoint, its function's flow and lines (see `line_entries`).
    scope_code: Mutex<HashMap<line_entries::ScopeKey, Option<Arc<line_entries::ScopeCode>>>>,
    functions: functions::FunctionIndex,
    types: types::TypeCache,
}

impl DebugInfo {
    /// Reads the DWARF sections of `image`. `Ok(None)` when the module has none.
    pub fn load(image: &ModuleImage) -> Result<Option<Arc<DebugInfo>>> {
        let Some(code_offset) = image.code_section_start else {
            return Ok(None);
        };
        if !image.has_dwarf() {
            return Ok(None);
        }
        let section = |id: gimli::SectionId| -> Result<R, gimli::Error> {
            let data = image.custom_section(id.name()).unwrap_or(&[]);
            Ok(EndianArcSlice::new(Arc::from(data), LittleEndian))
        };
        let dwarf = gimli::Dwarf::load(section).context("cannot read the module's DWARF")?;
        let mut units = Vec::new();
        let mut headers = dwarf.units();
        while let Some(header) = headers.next().context("corrupt .debug_info unit header")? {
            units.push(dwarf.unit(header).context("corrupt DWARF unit")?);
        }
        let lines = line_table::LineTable::build(&dwarf, &units)?;
        let functions = functions::FunctionIndex::build(&dwarf, &units)?;
        Ok(Some(Arc::new(DebugInfo {
            dwarf,
            units,
            code_offset,
            bytes: image.bytes.clone(),
            lines,
            scope_code: Mutex::default(),
            functions,
            types: types::TypeCache::default(),
        })))
    }

    fn to_dwarf(&self, module_pc: u32) -> u64 {
        (module_pc as u64).wrapping_sub(self.code_offset)
    }

    fn to_module_pc(&self, addr: u64) -> u32 {
        (addr + self.code_offset) as u32
    }

    /// The source line whose code contains `module_pc`.
    pub fn line_at(&self, module_pc: u32) -> Option<SourceLine> {
        self.lines.line_at(self.to_dwarf(module_pc))
    }

    /// Whether `module_pc` starts a statement (an `is_stmt` line-table row): where a step ends.
    pub fn is_statement_start(&self, module_pc: u32) -> bool {
        self.lines.is_statement_start(self.to_dwarf(module_pc))
    }

    /// Where a breakpoint requested at `path:line` goes: the first line at or after `line` that
    /// has code, and a module PC for each way control enters that line's code; one on a
    /// function's first line goes past the prologue, where the parameters are in place.
    pub fn breakpoint_locations(&self, path: &str, line: u32) -> Option<(u32, Vec<u32>)> {
        let (actual, runs) = self.lines.line_runs(path, line)?;
        let mut pcs: Vec<u32> = line_entries::breakpoint_runs(self, runs)
            .into_iter()
            .map(|addr| {
                let entry = self.functions.innermost(addr).is_some_and(|f| f.low == addr);
                let addr = if entry {
                    self.lines.after_prologue(addr, actual).unwrap_or(addr)
                } else {
                    addr
                };
                self.to_module_pc(addr)
            })
            .collect();
        pcs.sort_unstable();
        pcs.dedup();
        Some((actual, pcs))
    }

    fn scope_code(&self, scope: line_entries::ScopeKey, module_pc: u32) -> Option<Arc<line_entries::ScopeCode>> {
        let mut cache = self.scope_code.lock().unwrap_or_else(|e| e.into_inner());
        cache
            .entry(scope)
            .or_insert_with(|| line_entries::ScopeCode::build(self, scope, module_pc).map(Arc::new))
            .clone()
    }

    /// Whether any line-table file matches `path` (so an unmatched path is "not in this module").
    pub fn knows_file(&self, path: &str) -> bool {
        self.lines.file_id(path).is_some()
    }

    /// The function frames at `module_pc`, innermost first: an inlined call yields a frame of its
    /// own whose caller frame shows the call site.
    pub fn frames_at(&self, module_pc: u32) -> Vec<FunctionFrame> {
        let addr = self.to_dwarf(module_pc);
        functions::frames_at(self, addr)
    }

    /// The module PC of the first statement of the program's entry function: the Rust crate's
    /// `main` (inside a namespace) or else a C `main`.
    pub fn entry_function_pc(&self) -> Option<u32> {
        let func = self.functions.find_entry_main()?;
        let addr = self.lines.first_statement_in(func.low, func.high).unwrap_or(func.low);
        Some(self.to_module_pc(addr))
    }

    /// Variables and parameters visible in `frame` (from [`DebugInfo::frames_at`]).
    pub fn variables(&self, frame: &FunctionFrame, module_pc: u32) -> Vec<VariableInfo> {
        variables::variables_in_scope(self, frame, self.to_dwarf(module_pc))
    }

    /// The frame base of a frame's function, given a way to read wasm locals and globals.
    pub fn frame_base(&self, frame: &FunctionFrame, ctx: &dyn EvalContext) -> Option<u64> {
        variables::frame_base(self, frame, ctx)
    }

    /// Evaluates where a variable lives at `module_pc`.
    pub fn locate(
        &self,
        var: &VariableInfo,
        module_pc: u32,
        frame_base: Option<u64>,
        ctx: &dyn EvalContext,
    ) -> Result<Vec<Piece>> {
        variables::locate(self, var, self.to_dwarf(module_pc), frame_base, ctx)
    }

    /// The description of a type, cached.
    pub fn type_desc(&self, ty: TypeRef) -> Result<Arc<TypeDesc>> {
        self.types.get(self, ty)
    }
}
