//! wasmtime's debug handler: decides on each breakpoint, single-step, trap and epoch event
//! whether to stop, and while stopped serves the session's commands with the stack live.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex, MutexGuard};

use tokio::sync::mpsc;
use wasmtime::{AsContextMut, DebugEvent, DebugHandler, FrameHandle, ModulePC, StoreContextMut};

use crate::host::HostState;

use super::breakpoints::{CodeLocation, ModuleDwarf};
use super::command::Command;
use super::component::{CoreModule, index_of};
use super::inspect::Inspector;
use super::model::{ModuleSummary, SessionEvent, StepKind, StopReason};
use super::panic_message::find_panic_message;
use super::session::Shared;
use super::stepping::{Decision, Here, StepPlan};

/// The handler wasmtime clones for every event: one `Arc` of the controller.
#[derive(Clone)]
pub(crate) struct Handler(pub Arc<Controller>);

/// The debuggee-side state of a session.
pub(crate) struct Controller {
    commands: tokio::sync::Mutex<mpsc::UnboundedReceiver<Command>>,
    events: mpsc::UnboundedSender<SessionEvent>,
    shared: Arc<Shared>,
    /// The program's core modules: one for a core program, each of a component's.
    pub(crate) modules: Vec<CoreModule>,
    stderr_tail: Arc<Mutex<String>>,
    state: Mutex<ControlState>,
    /// Inside a component, wasmtime 48's `single_step(false)` re-patches every core module's
    /// breakpoint sites from one module's view of the shared code and drops the breakpoints
    /// of the others: they are put back after each single-step edit.
    repatch_after_single_step: bool,
}

struct ControlState {
    /// Armed breakpoint locations → breakpoint ids.
    armed: BTreeMap<CodeLocation, Vec<u32>>,
    /// The temporary breakpoint of `stopOnEntry`.
    entry_pc: Option<CodeLocation>,
    stop_on_trap: bool,
    step: Option<StepPlan>,
    /// Whether a source path exists here, asked once per path.
    source_exists: HashMap<String, bool>,
    /// Variable references keep growing across stops so stale ones never alias new ones.
    next_reference: u64,
}

/// What happened, without the borrow of wasmtime's event.
enum Event {
    Breakpoint,
    Trap(String),
    Epoch,
    Other,
}

impl DebugHandler for Handler {
    type Data = HostState;

    fn handle(&self, store: StoreContextMut<'_, HostState>, event: DebugEvent<'_>) -> impl Future<Output = ()> + Send {
        let controller = self.0.clone();
        let event = match event {
            DebugEvent::Breakpoint => Event::Breakpoint,
            DebugEvent::Trap(trap) => Event::Trap(trap.to_string()),
            DebugEvent::EpochYield => Event::Epoch,
            // Host-call errors include WASI's `proc_exit`: not a stop.
            _ => Event::Other,
        };
        async move { controller.on_event(store, event).await }
    }
}

impl Controller {
    pub(crate) fn new(
        commands: mpsc::UnboundedReceiver<Command>,
        events: mpsc::UnboundedSender<SessionEvent>,
        shared: Arc<Shared>,
        modules: Vec<CoreModule>,
        stderr_tail: Arc<Mutex<String>>,
    ) -> Self {
        Controller {
            commands: tokio::sync::Mutex::new(commands),
            events,
            shared,
            modules,
            stderr_tail,
            state: Mutex::new(ControlState {
                armed: BTreeMap::new(),
                entry_pc: None,
                stop_on_trap: true,
                step: None,
                source_exists: HashMap::new(),
                next_reference: 1,
            }),
            repatch_after_single_step: false,
        }
    }

    /// A controller for a component's core modules.
    pub(crate) fn in_component(mut self) -> Self {
        self.repatch_after_single_step = true;
        self
    }

    /// Which of the program's core modules `frame` runs (PCs and DWARF are per module).
    pub(crate) fn module_of(&self, frame: &FrameHandle, store: &mut StoreContextMut<'_, HostState>) -> Option<usize> {
        match frame.module(&mut *store) {
            Ok(Some(module)) => index_of(&self.modules, module),
            _ => None,
        }
    }

    /// The DWARF of each core module that has some.
    pub(crate) fn dwarf(&self) -> Vec<ModuleDwarf> {
        self.modules
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.info.clone().map(|info| (i, info)))
            .collect()
    }

    /// The core modules, for a modules view: a component's are named by their index in it.
    pub(crate) fn module_summaries(&self) -> Vec<ModuleSummary> {
        let several = self.modules.len() > 1;
        self.modules
            .iter()
            .enumerate()
            .map(|(index, m)| {
                let file = m
                    .image
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_else(|| m.image.path.display().to_string());
                ModuleSummary {
                    index,
                    name: if several {
                        format!("{file} (core module {index})")
                    } else {
                        file
                    },
                    path: m.image.path.display().to_string(),
                    has_dwarf: m.info.is_some(),
                    size: m.image.bytes.len(),
                }
            })
            .collect()
    }

    fn state(&self) -> MutexGuard<'_, ControlState> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    async fn on_event(&self, mut store: StoreContextMut<'_, HostState>, event: Event) {
        if self.shared.terminate.load(Ordering::SeqCst) {
            return;
        }
        match event {
            Event::Breakpoint => {
                if let Some(reason) = self.on_breakpoint(&mut store) {
                    self.stop(&mut store, reason).await;
                }
            }
            Event::Trap(text) => {
                if self.state().stop_on_trap {
                    let tail = self.stderr_tail.lock().unwrap_or_else(|e| e.into_inner()).clone();
                    let description = find_panic_message(&tail).unwrap_or_else(|| text.clone());
                    self.stop(&mut store, StopReason::Exception { text, description }).await;
                }
            }
            Event::Epoch => {
                tracing::debug!("epoch yield");
                self.drain_while_running(&mut store).await;
                if self.shared.pause.swap(false, Ordering::SeqCst) && !self.shared.terminate.load(Ordering::SeqCst) {
                    self.end_step(&mut store);
                    self.stop(&mut store, StopReason::Pause).await;
                }
            }
            Event::Other => {}
        }
    }

    /// A breakpoint or single-step event: is it a stop?
    fn on_breakpoint(&self, store: &mut StoreContextMut<'_, HostState>) -> Option<StopReason> {
        let top = store.debug_exit_frames().next()?;
        let module = self.module_of(&top, store)?;
        let (_, pc) = top.wasm_function_index_and_pc(&mut *store).ok()??;
        let pc = pc.raw();
        let here_at = CodeLocation { module, pc };
        let info = self.modules[module].info.clone();
        let state = self.state();
        tracing::trace!("breakpoint event at {here_at:x?}; armed: {:x?}", state.armed.keys());
        // A line's code can have several runs, each armed: while stepping over that very line,
        // reaching its next run is part of the step, not a new stop.
        let armed_here = state
            .armed
            .get(&here_at)
            .cloned()
            .filter(|_| match (&state.step, &info) {
                (Some(plan), Some(info)) => {
                    let here = info.line_at(pc);
                    let same_line =
                        matches!((&here, &plan.line), (Some(a), Some(b)) if a.path == b.path && a.line == b.line);
                    !(same_line && plan.kind != StepKind::Out && stack_depth(store) == plan.depth)
                }
                _ => true,
            });
        if let Some(ids) = armed_here {
            let entry = state.entry_pc;
            drop(state);
            self.end_step(store);
            if let Some(entry) = entry {
                self.state().entry_pc = None;
                self.edit(store, |edit, modules| remove(edit, modules, entry));
            }
            return Some(StopReason::Breakpoint { ids });
        }
        if state.entry_pc == Some(here_at) {
            drop(state);
            self.state().entry_pc = None;
            self.edit(store, |edit, modules| remove(edit, modules, here_at));
            return Some(StopReason::Entry);
        }
        let mut plan = state.step.clone()?;
        drop(state);
        if let Some((return_pc, return_depth)) = plan.return_to {
            // Running freely until the callee returns: only the return breakpoint matters, and
            // only in the activation the step is waiting for (not a deeper recursive one).
            tracing::trace!("waiting for return at {return_pc:x?} depth {return_depth}: event at {here_at:x?}");
            if here_at != return_pc || stack_depth(store) != return_depth {
                return None;
            }
            self.edit(store, |edit, modules| remove(edit, modules, return_pc));
            plan.return_to = None;
            if plan.kind == StepKind::Out {
                // Out of the frame: what is left is reaching the caller's next statement.
                plan = StepPlan {
                    kind: StepKind::Over,
                    depth: return_depth,
                    line: None,
                    return_to: None,
                };
            }
            self.state().step = Some(plan.clone());
            self.set_single_step(store, true);
            // The return address may itself start a statement: judge it like any other event.
        }
        let Some(info) = info else {
            // No line table: steps are single instructions.
            self.end_step(store);
            return Some(plan.stop_reason());
        };
        // Most single-step events are mid-statement: answer those before any stack walk.
        if !info.is_statement_start(pc) {
            return None;
        }
        let line = info.line_at(pc);
        let user_code = match &line {
            Some(l) => *self
                .state()
                .source_exists
                .entry(l.path.clone())
                .or_insert_with(|| std::path::Path::new(&l.path).exists()),
            None => false,
        };
        let depth = stack_depth(store);
        let here = Here {
            depth,
            statement_start: true,
            line: line.as_ref(),
            user_code,
        };
        let decision = plan.decide(&here);
        tracing::trace!(
            "step at {pc:#x}: depth {depth}, line {:?}: {decision:?}",
            line.as_ref().map(|l| l.line)
        );
        match decision {
            Decision::KeepStepping => {
                self.run_to_return(store, &plan, depth);
                None
            }
            Decision::Stop => {
                self.end_step(store);
                Some(plan.stop_reason())
            }
            Decision::RunFreely => {
                self.end_step(store);
                None
            }
        }
    }

    /// Inside a call the step does not look into (a callee during `next`, the current frame
    /// during `stepOut`), single-stepping every instruction would be slow: arm a breakpoint
    /// where control returns to the frame that matters and run freely until it is hit.
    fn run_to_return(&self, store: &mut StoreContextMut<'_, HostState>, plan: &StepPlan, depth: usize) {
        let target_depth = match plan.kind {
            StepKind::Over if depth > plan.depth => plan.depth,
            StepKind::Out if depth >= plan.depth && plan.depth > 1 => plan.depth - 1,
            _ => return,
        };
        // Frames innermost first; a caller frame's PC is its return address.
        let frames: Vec<_> = store.debug_exit_frames().collect();
        let mut handle = frames.into_iter().next();
        for _ in 0..depth - target_depth {
            handle = handle.and_then(|h| h.parent(&mut *store).ok().flatten());
        }
        let Some(handle) = handle else { return };
        let Some(module) = self.module_of(&handle, store) else {
            return;
        };
        let Some((_, return_address)) = handle.wasm_function_index_and_pc(&mut *store).ok().flatten() else {
            return;
        };
        let return_pc = CodeLocation {
            module,
            pc: self.modules[module].image.instruction_at_or_after(return_address.raw()),
        };
        tracing::debug!("step: depth {depth} → {target_depth}, return breakpoint at {return_pc:x?}");
        self.edit(store, |edit, modules| add(edit, modules, return_pc));
        if let Some(plan) = self.state().step.as_mut() {
            plan.return_to = Some((return_pc, target_depth));
        }
        self.set_single_step(store, false);
    }

    /// Ends a step in progress: no more single-stepping, no return breakpoint.
    fn end_step(&self, store: &mut StoreContextMut<'_, HostState>) {
        let Some(plan) = self.state().step.take() else { return };
        if let Some((return_pc, _)) = plan.return_to {
            self.edit(store, |edit, modules| remove(edit, modules, return_pc));
        }
        self.set_single_step(store, false);
    }

    /// Reports the stop and serves commands until one resumes execution.
    async fn stop(&self, store: &mut StoreContextMut<'_, HostState>, reason: StopReason) {
        let base = self.state().next_reference;
        let mut inspector = Inspector::capture(self, store, base);
        self.shared.stopped.store(true, Ordering::SeqCst);
        let _ = self.events.send(SessionEvent::Stopped { reason });
        loop {
            let command = self.commands.lock().await.recv().await;
            match command {
                None | Some(Command::Terminate) => {
                    self.shared.terminate.store(true, Ordering::SeqCst);
                    self.end_step(store);
                    store.engine().increment_epoch();
                    break;
                }
                Some(Command::StackTrace(reply)) => {
                    let _ = reply.send(Ok(inspector.stack_trace()));
                }
                Some(Command::Scopes { frame_id, reply }) => {
                    let _ = reply.send(inspector.scopes(store, frame_id));
                }
                Some(Command::Variables {
                    reference,
                    start,
                    count,
                    reply,
                }) => {
                    let _ = reply.send(inspector.variables(store, reference, start, count));
                }
                Some(Command::ReadMemory { address, count, reply }) => {
                    let _ = reply.send(inspector.read_memory(store, address, count));
                }
                Some(Command::Evaluate {
                    frame_id,
                    expression,
                    reply,
                }) => {
                    let _ = reply.send(inspector.evaluate(store, frame_id, &expression));
                }
                Some(Command::ArmBreakpoints(armed)) => self.arm(store.as_context_mut(), armed),
                Some(Command::StopOnTrap(enabled)) => self.state().stop_on_trap = enabled,
                Some(Command::Continue) => {
                    self.end_step(store);
                    break;
                }
                Some(Command::Step(kind)) => {
                    let plan = inspector.step_plan(kind);
                    self.start_step(store, plan);
                    break;
                }
                Some(Command::Start) => {}
            }
        }
        self.state().next_reference = inspector.next_reference();
        self.shared.stopped.store(false, Ordering::SeqCst);
    }

    fn start_step(&self, store: &mut StoreContextMut<'_, HostState>, plan: StepPlan) {
        self.state().step = Some(plan);
        self.set_single_step(store, true);
    }

    /// Commands that arrive while the program runs (seen at an epoch yield).
    async fn drain_while_running(&self, store: &mut StoreContextMut<'_, HostState>) {
        loop {
            let command = self.commands.lock().await.try_recv();
            let Ok(command) = command else { break };
            self.running_command(store.as_context_mut(), command);
        }
    }

    fn running_command(&self, store: StoreContextMut<'_, HostState>, command: Command) {
        tracing::debug!("command while running: {}", command.name());
        let Some(command) = command.refuse(|| anyhow::anyhow!("the program is running: pause it first")) else {
            return;
        };
        match command {
            Command::ArmBreakpoints(armed) => self.arm(store, armed),
            Command::StopOnTrap(enabled) => self.state().stop_on_trap = enabled,
            Command::Terminate => self.shared.terminate.store(true, Ordering::SeqCst),
            _ => {}
        }
    }

    /// Before `_start`: apply configuration until the session says start. `false` when the
    /// session ended first.
    pub(crate) async fn wait_for_start(&self, mut store: StoreContextMut<'_, HostState>) -> bool {
        loop {
            let command = self.commands.lock().await.recv().await;
            match command {
                Some(Command::Start) => return true,
                None | Some(Command::Terminate) => return false,
                Some(other) => self.running_command(store.as_context_mut(), other),
            }
        }
    }

    /// After `_start` returned: refuse queries until the session goes away.
    pub(crate) async fn serve_after_exit(&self) {
        loop {
            let command = self.commands.lock().await.recv().await;
            match command {
                None | Some(Command::Terminate) => return,
                Some(other) => {
                    other.refuse(|| anyhow::anyhow!("the program has ended"));
                }
            }
        }
    }

    /// Arms a temporary breakpoint at the first statement of `main` (or steps from the very
    /// first instruction when there is no such function).
    pub(crate) fn arm_entry(&self, mut store: StoreContextMut<'_, HostState>) {
        let entry = self.modules.iter().enumerate().find_map(|(module, m)| {
            let pc = m.info.as_ref()?.entry_function_pc()?;
            Some(CodeLocation {
                module,
                pc: m.image.instruction_at_or_after(pc),
            })
        });
        match entry {
            Some(at) => {
                self.state().entry_pc = Some(at);
                self.edit(&mut store, |edit, modules| add(edit, modules, at));
            }
            None => {
                self.state().step = Some(StepPlan::entry());
                self.set_single_step(&mut store, true);
            }
        }
    }

    /// Makes the armed set exactly `armed`.
    fn arm(&self, mut store: StoreContextMut<'_, HostState>, requested: BTreeMap<CodeLocation, Vec<u32>>) {
        let mut armed: BTreeMap<CodeLocation, Vec<u32>> = BTreeMap::new();
        for (at, ids) in requested {
            // A location from another program (a stale request) is not armed.
            let Some(module) = self.modules.get(at.module) else {
                continue;
            };
            let pc = module.image.instruction_at_or_after(at.pc);
            armed.entry(CodeLocation { pc, ..at }).or_default().extend(ids);
        }
        let old = std::mem::take(&mut self.state().armed);
        self.edit(&mut store, |edit, modules| {
            for at in old.keys().filter(|at| !armed.contains_key(at)) {
                remove(edit, modules, *at)?;
            }
            for at in armed.keys().filter(|at| !old.contains_key(at)) {
                add(edit, modules, *at)?;
            }
            Ok(())
        });
        tracing::debug!("armed breakpoints at {:x?}", armed.keys());
        self.state().armed = armed;
    }

    fn set_single_step(&self, store: &mut StoreContextMut<'_, HostState>, enabled: bool) {
        let repatch: Vec<CodeLocation> = if self.repatch_after_single_step && !enabled {
            let state = self.state();
            let mut pcs: Vec<CodeLocation> = state.armed.keys().copied().collect();
            pcs.extend(state.entry_pc);
            pcs.extend(state.step.as_ref().and_then(|plan| plan.return_to).map(|(pc, _)| pc));
            pcs
        } else {
            Vec::new()
        };
        self.edit(store, |edit, modules| {
            edit.single_step(enabled)?;
            // Every reference first goes (the last one unpatches), then comes back (the first
            // one patches again): a PC armed twice keeps its count.
            for at in &repatch {
                remove(edit, modules, *at)?;
            }
            for at in &repatch {
                add(edit, modules, *at)?;
            }
            Ok(())
        });
    }

    /// One breakpoint edit session; failures are reported as output, never panics.
    fn edit(
        &self,
        store: &mut StoreContextMut<'_, HostState>,
        f: impl FnOnce(&mut wasmtime::BreakpointEdit<'_>, &[CoreModule]) -> wasmtime::Result<()>,
    ) {
        let Some(mut edit) = store.as_context_mut().edit_breakpoints() else {
            return;
        };
        if let Err(e) = f(&mut edit, &self.modules) {
            let text = format!("wasmscope: cannot edit breakpoints: {e}\n");
            let _ = self.events.send(SessionEvent::Output {
                stream: crate::host::StdStream::Stderr,
                text,
            });
        }
    }
}

fn add(edit: &mut wasmtime::BreakpointEdit<'_>, modules: &[CoreModule], at: CodeLocation) -> wasmtime::Result<()> {
    edit.add_breakpoint(&modules[at.module].module, ModulePC::new(at.pc))
}

fn remove(edit: &mut wasmtime::BreakpointEdit<'_>, modules: &[CoreModule], at: CodeLocation) -> wasmtime::Result<()> {
    edit.remove_breakpoint(&modules[at.module].module, ModulePC::new(at.pc))
}

/// Number of wasm frames on the stack (all activations of this store).
pub(crate) fn stack_depth(store: &mut StoreContextMut<'_, HostState>) -> usize {
    let activations: Vec<_> = store.debug_exit_frames().collect();
    let mut depth = 0;
    for exit in activations {
        let mut frame = Some(exit);
        while let Some(f) = frame {
            depth += 1;
            frame = f.parent(&mut *store).ok().flatten();
        }
    }
    depth
}
