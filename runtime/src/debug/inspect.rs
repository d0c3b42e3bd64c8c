//! What a stopped debuggee shows: its call stack (source frames, inlined calls included),
//! scopes, variables rendered as values, and memory. Built from wasmtime frame handles,
//! which stay valid only until execution resumes.

use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use wasmtime::{AsContextMut, FrameHandle, Instance, StoreContextMut, Val};

use crate::dwarf::{DebugInfo, EvalContext, FunctionFrame};
use crate::host::HostState;
use crate::value::{Expand, LinearMemory, MemoryAccess, Renderer, ValueLoc, ValueView};

use super::evaluate::{Segment, parse_path};
use super::handler::Controller;
use super::model::{ScopeInfo, StackFrameInfo, StepKind, VariableEntry};
use super::stepping::StepPlan;

/// A physical wasm frame.
struct WasmFrame {
    handle: FrameHandle,
    /// Index among the module's defined functions.
    function: Option<u32>,
    pc: Option<u32>,
    /// The PC to ask DWARF about: a caller's PC is its return address, which can already
    /// belong to the next line or lie past a block's end, so callers use the call instead.
    source_pc: Option<u32>,
    /// Which of the program's core modules the frame runs (each has its own PCs, names and
    /// DWARF); `None` for a module the debugger does not know.
    module: Option<usize>,
    /// The instance it runs in: its memory and globals are the ones its DWARF means.
    instance: Option<Instance>,
}

/// A source-level frame: a wasm frame, or one inlined call inside it.
struct SourceFrame {
    wasm: usize,
    dwarf: Option<FunctionFrame>,
    info: StackFrameInfo,
}

/// What a variables reference points at.
enum Target {
    Locals(usize),
    WasmLocals(usize),
    /// A value's children, read in the memory of the wasm frame it came from.
    Value(usize, Expand),
}

pub(crate) struct Inspector {
    /// The DWARF of each of the program's core modules.
    infos: Vec<Option<Arc<DebugInfo>>>,
    wasm_frames: Vec<WasmFrame>,
    frames: Vec<SourceFrame>,
    /// Where `readMemory` reads: the innermost frame with source, else the innermost.
    instance: Option<Instance>,
    targets: Vec<Target>,
    base: u64,
}

impl Inspector {
    pub(crate) fn capture(controller: &Controller, store: &mut StoreContextMut<'_, HostState>, base: u64) -> Self {
        let mut wasm_frames = Vec::new();
        let exits: Vec<FrameHandle> = store.debug_exit_frames().collect();
        for exit in exits {
            let mut frame = Some(exit);
            while let Some(handle) = frame {
                let location = handle.wasm_function_index_and_pc(&mut *store).ok().flatten();
                frame = handle.parent(&mut *store).ok().flatten();
                let pc = location.map(|(_, pc)| pc.raw());
                let is_caller = !wasm_frames.is_empty();
                let module = controller.module_of(&handle, store);
                let instance = handle.instance(&mut *store).ok();
                wasm_frames.push(WasmFrame {
                    module,
                    instance,
                    function: location.map(|(f, _)| f.as_u32()),
                    pc,
                    source_pc: pc.map(|pc| if is_caller { pc.saturating_sub(1) } else { pc }),
                    handle,
                });
            }
        }
        let infos: Vec<Option<Arc<DebugInfo>>> = controller.modules.iter().map(|m| m.info.clone()).collect();
        let with_source = |f: &&WasmFrame| f.module.is_some_and(|m| infos[m].is_some());
        let instance = wasm_frames
            .iter()
            .find(with_source)
            .or(wasm_frames.first())
            .and_then(|f| f.instance);
        let mut frames = Vec::new();
        for (index, wasm) in wasm_frames.iter().enumerate() {
            let info = wasm.module.and_then(|m| infos[m].as_ref());
            let dwarf_frames = match (info, wasm.source_pc) {
                (Some(info), Some(pc)) => info.frames_at(pc),
                _ => Vec::new(),
            };
            if dwarf_frames.is_empty() {
                let image = wasm.module.map(|m| &controller.modules[m].image);
                let name = wasm
                    .function
                    .zip(image)
                    .and_then(|(f, image)| image.defined_function_name(f))
                    .map(|n| format!("{:#}", rustc_demangle::demangle(n)))
                    .unwrap_or_else(|| match (wasm.function, image) {
                        (Some(f), Some(image)) => format!("<wasm function {}>", f + image.imported_functions),
                        (Some(f), None) => format!("<wasm function {f} of an unknown module>"),
                        (None, _) => "<host>".into(),
                    });
                frames.push(SourceFrame {
                    wasm: index,
                    dwarf: None,
                    info: StackFrameInfo {
                        id: 0,
                        name,
                        path: None,
                        line: 0,
                        column: 0,
                        source_exists: false,
                        module_pc: wasm.pc.unwrap_or(0),
                    },
                });
                continue;
            }
            for dwarf in dwarf_frames {
                let (path, line, column) = match &dwarf.location {
                    Some(l) => (Some(l.path.clone()), l.line, l.column),
                    None => (None, 0, 0),
                };
                let source_exists = path.as_deref().is_some_and(|p| std::path::Path::new(p).exists());
                frames.push(SourceFrame {
                    wasm: index,
                    info: StackFrameInfo {
                        id: 0,
                        name: dwarf.name.clone(),
                        path,
                        line,
                        column,
                        source_exists,
                        module_pc: wasm.pc.unwrap_or(0),
                    },
                    dwarf: Some(dwarf),
                });
            }
        }
        for (i, frame) in frames.iter_mut().enumerate() {
            frame.info.id = i as u32 + 1;
        }
        Inspector {
            infos,
            wasm_frames,
            frames,
            instance,
            targets: Vec::new(),
            base,
        }
    }

    pub(crate) fn stack_trace(&self) -> Vec<StackFrameInfo> {
        self.frames.iter().map(|f| f.info.clone()).collect()
    }

    /// The first reference number the next stop may use.
    pub(crate) fn next_reference(&self) -> u64 {
        self.base + self.targets.len() as u64
    }

    fn register(&mut self, target: Target) -> u64 {
        self.targets.push(target);
        self.base + self.targets.len() as u64 - 1
    }

    fn frame(&self, frame_id: u32) -> Result<&SourceFrame> {
        self.frames
            .get((frame_id as usize).wrapping_sub(1))
            .ok_or_else(|| anyhow!("no frame with id {frame_id} at this stop"))
    }

    pub(crate) fn step_plan(&self, kind: StepKind) -> StepPlan {
        let top = self.wasm_frames.first();
        let line = match (top.and_then(|f| self.info_of(f)), top.and_then(|f| f.pc)) {
            (Some(info), Some(pc)) => info.line_at(pc),
            _ => None,
        };
        StepPlan {
            kind,
            depth: self.wasm_frames.len(),
            line,
            return_to: None,
        }
    }

    /// The DWARF of the module a wasm frame runs.
    fn info_of(&self, wasm: &WasmFrame) -> Option<Arc<DebugInfo>> {
        wasm.module.and_then(|m| self.infos[m].clone())
    }

    pub(crate) fn scopes(
        &mut self,
        store: &mut StoreContextMut<'_, HostState>,
        frame_id: u32,
    ) -> Result<Vec<ScopeInfo>> {
        let index = frame_id as usize - 1;
        let frame = self.frame(frame_id)?;
        let wasm = frame.wasm;
        let mut scopes = Vec::new();
        let info = self.info_of(&self.wasm_frames[wasm]);
        if let (Some(info), Some(dwarf), Some(pc)) = (info, &frame.dwarf, self.wasm_frames[wasm].source_pc) {
            let named = info.variables(dwarf, pc).len() as u64;
            let reference = self.register(Target::Locals(index));
            scopes.push(ScopeInfo {
                name: "Locals".into(),
                reference,
                named_variables: named,
            });
        }
        let named = self.wasm_frames[wasm].handle.num_locals(&mut *store).unwrap_or(0) as u64;
        let reference = self.register(Target::WasmLocals(wasm));
        scopes.push(ScopeInfo {
            name: "Wasm Locals".into(),
            reference,
            named_variables: named,
        });
        Ok(scopes)
    }

    pub(crate) fn variables(
        &mut self,
        store: &mut StoreContextMut<'_, HostState>,
        reference: u64,
        start: u64,
        count: Option<u64>,
    ) -> Result<Vec<VariableEntry>> {
        let index = reference
            .checked_sub(self.base)
            .map(|i| i as usize)
            .filter(|i| *i < self.targets.len())
            .ok_or_else(|| anyhow!("variables reference {reference} is not valid at this stop"))?;
        match &self.targets[index] {
            Target::Locals(frame) => self.locals(store, *frame),
            Target::WasmLocals(wasm) => self.wasm_locals(store, *wasm),
            Target::Value(wasm, expand) => {
                let (wasm, expand) = (*wasm, expand.clone());
                let info = self.info_of(&self.wasm_frames[wasm]).context("no debug info")?;
                let mem = linear_memory(store, self.wasm_frames[wasm].instance);
                let children = Renderer { info: &info, mem: &mem }.children(&expand, start, count);
                Ok(children.into_iter().map(|c| self.entry(wasm, c.name, c.view)).collect())
            }
        }
    }

    fn entry(&mut self, wasm: usize, name: String, view: ValueView) -> VariableEntry {
        let indexed = view.indexed_children();
        let named = view.named_children();
        let reference = match view.expand {
            Some(expand) => self.register(Target::Value(wasm, expand)),
            None => 0,
        };
        VariableEntry {
            name,
            value: view.value,
            type_name: view.type_name,
            reference,
            indexed,
            named,
            address: view.address,
        }
    }

    fn locals(&mut self, store: &mut StoreContextMut<'_, HostState>, frame: usize) -> Result<Vec<VariableEntry>> {
        let views = self.local_views(store, frame, None)?;
        let wasm = self.frames[frame].wasm;
        Ok(views
            .into_iter()
            .map(|(name, view)| self.entry(wasm, name, view))
            .collect())
    }

    /// The frame's variables as views (only the one named `only`, when given).
    fn local_views(
        &self,
        store: &mut StoreContextMut<'_, HostState>,
        frame: usize,
        only: Option<&str>,
    ) -> Result<Vec<(String, ValueView)>> {
        let source = &self.frames[frame];
        let wasm = &self.wasm_frames[source.wasm];
        let info = self.info_of(wasm).context("no debug info")?;
        let dwarf = source.dwarf.clone().context("no debug info for this frame")?;
        let pc = wasm.source_pc.context("not a wasm frame")?;
        let values = FrameValues::read(store, &wasm.handle, wasm.instance)?;
        let mem = linear_memory(store, wasm.instance);
        let ctx = EvalCtx { values: &values, mem };
        let frame_base = info.frame_base(&dwarf, &ctx);
        let renderer = Renderer { info: &info, mem: &mem };
        let mut views = Vec::new();
        for var in info.variables(&dwarf, pc) {
            if only.is_some_and(|name| name != var.name) {
                continue;
            }
            let view = match info.locate(&var, pc, frame_base, &ctx) {
                Ok(pieces) => renderer.view(var.ty, &ValueLoc::from_pieces(&pieces, &mem)),
                Err(e) => ValueView {
                    value: format!("<{e}>"),
                    type_name: String::new(),
                    expand: None,
                    address: None,
                },
            };
            views.push((var.name, view));
        }
        Ok(views)
    }

    pub(crate) fn evaluate(
        &mut self,
        store: &mut StoreContextMut<'_, HostState>,
        frame_id: u32,
        expression: &str,
    ) -> Result<VariableEntry> {
        let (root, path) = parse_path(expression)?;
        self.frame(frame_id)?;
        let frame = frame_id as usize - 1;
        let Some((_, mut view)) = self.local_views(store, frame, Some(&root))?.pop() else {
            bail!("no variable `{root}` in this frame");
        };
        let wasm = self.frames[frame].wasm;
        let info = self.info_of(&self.wasm_frames[wasm]).context("no debug info")?;
        let mem = linear_memory(store, self.wasm_frames[wasm].instance);
        let renderer = Renderer { info: &info, mem: &mem };
        let mut walked = root;
        for segment in path {
            let expand = view
                .expand
                .clone()
                .with_context(|| format!("`{walked}` has no fields or elements"))?;
            let child = match (&segment, &expand) {
                (Segment::Index(i), Expand::Elements { count, .. }) if i >= count => {
                    bail!("index {i} is out of range: `{walked}` has {count} elements")
                }
                (Segment::Index(i), Expand::Elements { .. }) => renderer.children(&expand, *i, Some(1)).pop(),
                (Segment::Field(name), _) => renderer
                    .children(&expand, 0, None)
                    .into_iter()
                    .find(|c| &c.name == name),
                (Segment::Index(i), Expand::Fields { .. }) => renderer
                    .children(&expand, 0, None)
                    .into_iter()
                    .find(|c| c.name == i.to_string()),
            };
            walked = match &segment {
                Segment::Field(name) => format!("{walked}.{name}"),
                Segment::Index(i) => format!("{walked}[{i}]"),
            };
            view = child.with_context(|| format!("no `{walked}`"))?.view;
        }
        Ok(self.entry(wasm, expression.trim().to_string(), view))
    }

    fn wasm_locals(&mut self, store: &mut StoreContextMut<'_, HostState>, wasm: usize) -> Result<Vec<VariableEntry>> {
        let handle = &self.wasm_frames[wasm].handle;
        let count = handle.num_locals(&mut *store)?;
        let mut entries = Vec::new();
        for i in 0..count {
            let (value, type_name) = match handle.local(&mut *store, i)? {
                Val::I32(v) => (v.to_string(), "i32"),
                Val::I64(v) => (v.to_string(), "i64"),
                Val::F32(bits) => (format!("{:?}", f32::from_bits(bits)), "f32"),
                Val::F64(bits) => (format!("{:?}", f64::from_bits(bits)), "f64"),
                Val::V128(v) => (format!("{:#034x}", v.as_u128()), "v128"),
                _ => ("<reference>".to_string(), "ref"),
            };
            entries.push(VariableEntry {
                name: format!("local{i}"),
                value,
                type_name: type_name.into(),
                reference: 0,
                indexed: None,
                named: None,
                address: None,
            });
        }
        Ok(entries)
    }

    pub(crate) fn read_memory(
        &self,
        store: &mut StoreContextMut<'_, HostState>,
        address: u64,
        count: usize,
    ) -> Result<Vec<u8>> {
        let Some(memory) = memory(store, self.instance) else {
            bail!("the module has no memory")
        };
        let data = memory.data(&*store);
        let start = usize::try_from(address).unwrap_or(usize::MAX).min(data.len());
        let end = start.saturating_add(count).min(data.len());
        Ok(data[start..end].to_vec())
    }
}

fn memory(store: &mut StoreContextMut<'_, HostState>, instance: Option<Instance>) -> Option<wasmtime::Memory> {
    instance?.debug_memory(store.as_context_mut(), 0)
}

/// Memory 0's bytes (none when the module has no memory), borrowed from the paused store.
fn linear_memory<'s>(store: &'s mut StoreContextMut<'_, HostState>, instance: Option<Instance>) -> LinearMemory<'s> {
    match memory(store, instance) {
        Some(memory) => LinearMemory(memory.data(&*store)),
        None => LinearMemory(&[]),
    }
}

/// A frame's wasm locals and operand stack, and the instance's globals, read once.
struct FrameValues {
    locals: Vec<u64>,
    operands: Vec<u64>,
    globals: Vec<u64>,
}

impl FrameValues {
    fn read(
        store: &mut StoreContextMut<'_, HostState>,
        frame: &FrameHandle,
        instance: Option<Instance>,
    ) -> Result<Self> {
        let mut locals = Vec::new();
        for i in 0..frame.num_locals(&mut *store)? {
            locals.push(raw_bits(&frame.local(&mut *store, i)?));
        }
        let mut operands = Vec::new();
        for i in 0..frame.num_stacks(&mut *store)? {
            operands.push(raw_bits(&frame.stack(&mut *store, i)?));
        }
        let mut globals = Vec::new();
        if let Some(instance) = instance {
            // Globals are few (the shadow stack pointer first): read until the index runs out.
            for i in 0..4096 {
                let Some(global) = instance.debug_global(store.as_context_mut(), i) else {
                    break;
                };
                globals.push(raw_bits(&global.get(store.as_context_mut())));
            }
        }
        Ok(FrameValues {
            locals,
            operands,
            globals,
        })
    }
}

fn raw_bits(val: &Val) -> u64 {
    match val {
        Val::I32(v) => *v as u32 as u64,
        Val::I64(v) => *v as u64,
        Val::F32(bits) => *bits as u64,
        Val::F64(bits) => *bits,
        Val::V128(v) => v.as_u128() as u64,
        _ => 0,
    }
}

struct EvalCtx<'a> {
    values: &'a FrameValues,
    mem: LinearMemory<'a>,
}

impl EvalContext for EvalCtx<'_> {
    fn local(&self, index: u32) -> Option<u64> {
        self.values.locals.get(index as usize).copied()
    }

    fn global(&self, index: u32) -> Option<u64> {
        self.values.globals.get(index as usize).copied()
    }

    fn operand(&self, index: u32) -> Option<u64> {
        self.values.operands.get(index as usize).copied()
    }

    fn read_memory(&self, addr: u64, len: usize) -> Option<Vec<u8>> {
        self.mem.read(addr, len)
    }
}
