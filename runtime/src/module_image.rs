//! A WebAssembly binary read from disk and indexed without running it: which sections it has,
//! where its Code section starts (DWARF addresses are relative to it), its function names.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use anyhow::{Context, Result, bail};
use wasmparser::{Encoding, KnownCustom, Name, Parser, Payload};

const WASM_MAGIC: &[u8; 4] = b"\0asm";

/// Whether a binary is a core module or a component.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Module,
    Component,
}

/// A `.wasm` file's bytes and what we learnt from one pass over them.
#[derive(Clone)]
pub struct ModuleImage {
    pub path: PathBuf,
    pub bytes: Arc<[u8]>,
    pub kind: ImageKind,
    /// Offset of the Code section's contents in the binary; DWARF addresses count from here.
    pub code_section_start: Option<u64>,
    /// Number of imported functions: wasmtime reports *defined* function indices.
    pub imported_functions: u32,
    custom_sections: HashMap<String, Range<usize>>,
    function_names: HashMap<u32, String>,
    /// Offsets of every instruction in the Code section, read on first use.
    instruction_offsets: OnceLock<Vec<u32>>,
}

impl ModuleImage {
    /// Reads and indexes a file, with errors that say what is wrong with it.
    pub fn read(path: &Path) -> Result<Self> {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        Self::parse(path, bytes.into())
    }

    /// Indexes bytes already in memory; `path` is only used in messages.
    pub fn parse(path: &Path, bytes: Arc<[u8]>) -> Result<Self> {
        if bytes.len() < 8 || &bytes[..4] != WASM_MAGIC {
            bail!(
                "`{}` is not a WebAssembly binary (it does not start with the `\\0asm` magic)",
                path.display()
            );
        }
        let mut image = ModuleImage {
            path: path.to_path_buf(),
            bytes: bytes.clone(),
            kind: ImageKind::Module,
            code_section_start: None,
            imported_functions: 0,
            custom_sections: HashMap::new(),
            function_names: HashMap::new(),
            instruction_offsets: OnceLock::new(),
        };
        for payload in Parser::new(0).parse_all(&bytes) {
            let payload = payload.with_context(|| format!("`{}` is not a valid WebAssembly binary", path.display()))?;
            match payload {
                Payload::Version {
                    encoding: Encoding::Component,
                    ..
                } => {
                    image.kind = ImageKind::Component;
                }
                // Only the outer module's sections matter here; nested modules of a component
                // are indexed when they are instantiated.
                Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => {}
                Payload::ImportSection(reader) => {
                    for import in reader.into_imports() {
                        let import = import?;
                        if matches!(
                            import.ty,
                            wasmparser::TypeRef::Func(_) | wasmparser::TypeRef::FuncExact(_)
                        ) {
                            image.imported_functions += 1;
                        }
                    }
                }
                Payload::CodeSectionStart { range, .. } => {
                    image.code_section_start = Some(range.start as u64);
                }
                Payload::CustomSection(reader) => {
                    let start = reader.data_offset();
                    let range = start..start + reader.data().len();
                    if let KnownCustom::Name(names) = reader.as_known() {
                        // A broken name section only costs us names, never the load.
                        for name in names.into_iter().flatten() {
                            if let Name::Function(map) = name {
                                for naming in map.into_iter().flatten() {
                                    image.function_names.insert(naming.index, naming.name.to_string());
                                }
                            }
                        }
                    }
                    image.custom_sections.insert(reader.name().to_string(), range);
                }
                _ => {}
            }
        }
        Ok(image)
    }

    /// The contents of a custom section, e.g. `.debug_info`.
    pub fn custom_section(&self, name: &str) -> Option<&[u8]> {
        self.custom_sections.get(name).map(|r| &self.bytes[r.clone()])
    }

    /// Whether the binary carries DWARF line or info sections.
    pub fn has_dwarf(&self) -> bool {
        self.custom_sections.contains_key(".debug_info") || self.custom_sections.contains_key(".debug_line")
    }

    /// The first instruction boundary at or after `pc`. wasmtime slips a breakpoint that is
    /// not on an instruction (a function's DWARF `low_pc` points at its locals) to the next
    /// one and reports hits there, so breakpoints are keyed by the slipped PC.
    pub fn instruction_at_or_after(&self, pc: u32) -> u32 {
        let offsets = self.instruction_offsets.get_or_init(|| self.scan_instructions());
        match offsets.binary_search(&pc) {
            Ok(_) => pc,
            Err(i) => offsets.get(i).copied().unwrap_or(pc),
        }
    }

    fn scan_instructions(&self) -> Vec<u32> {
        let mut offsets = Vec::new();
        for payload in Parser::new(0).parse_all(&self.bytes) {
            let Ok(Payload::CodeSectionEntry(body)) = payload else {
                continue;
            };
            let Ok(mut reader) = body.get_operators_reader() else {
                continue;
            };
            while !reader.eof() {
                match reader.read_with_offset() {
                    Ok((_, offset)) => offsets.push(offset as u32),
                    Err(_) => break,
                }
            }
        }
        offsets
    }

    /// The name-section name of a function given its index among *defined* functions.
    pub fn defined_function_name(&self, defined_index: u32) -> Option<&str> {
        self.function_names
            .get(&(defined_index + self.imported_functions))
            .map(String::as_str)
    }
}
