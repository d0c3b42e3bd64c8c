//! The session's handle on a debuggee: launches it on its own thread and sends it commands.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use tokio::sync::{mpsc, oneshot};

use super::breakpoints::{CodeLocation, ModuleDebugInfo, ModuleDwarf};
use super::command::Command;
use super::debuggee;
use super::model::{LaunchConfig, ModuleSummary, ScopeInfo, SessionEvent, StackFrameInfo, StepKind, VariableEntry};
use crate::actor::providers::{delivery, log_published, subject_matches};
use crate::actor::{Invocation, InvocationSender, LogLevel, LogSink};

/// Flags both sides read without a round trip.
#[derive(Default)]
pub(crate) struct Shared {
    /// The debuggee is paused in its handler and serves inspection commands.
    pub stopped: AtomicBool,
    /// A pause was asked for: stop at the next epoch check.
    pub pause: AtomicBool,
    /// The debuggee is being ended.
    pub terminate: AtomicBool,
    /// `_start` has returned (or trapped).
    pub finished: AtomicBool,
}

/// A running debuggee. Every method takes `&self`, so a host can share one session with the
/// client attached to it (`wasmscope run --debug`).
pub struct DebugSession {
    commands: mpsc::UnboundedSender<Command>,
    engine: wasmtime::Engine,
    shared: Arc<Shared>,
    /// The DWARF of each core module that has some.
    dwarf: Vec<ModuleDwarf>,
    modules: Vec<ModuleSummary>,
    log: LogSink,
    /// More invocations for a serving actor; dropped to let it end.
    invocations: Mutex<Option<InvocationSender>>,
    subscriptions: Vec<String>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl DebugSession {
    /// Loads and instantiates the program on a new thread; it starts running at [`start`].
    /// Fails, with a message for the user, when the program cannot be read or instantiated.
    ///
    /// [`start`]: DebugSession::start
    pub fn launch(config: LaunchConfig, events: mpsc::UnboundedSender<SessionEvent>) -> Result<DebugSession> {
        let (commands, command_rx) = mpsc::unbounded_channel();
        let (loaded_tx, loaded_rx) = std::sync::mpsc::channel();
        let shared = Arc::new(Shared::default());
        let thread_shared = shared.clone();
        let thread = std::thread::Builder::new()
            .name("wasmscope-debuggee".into())
            .spawn(move || debuggee::run(config, command_rx, events, thread_shared, loaded_tx))
            .context("cannot start the debuggee thread")?;
        let loaded = loaded_rx
            .recv()
            .map_err(|_| anyhow!("the debuggee thread ended before loading the program"))?;
        match loaded {
            Ok(loaded) => Ok(DebugSession {
                commands,
                engine: loaded.engine,
                shared,
                dwarf: loaded.dwarf,
                modules: loaded.modules,
                log: loaded.log,
                invocations: Mutex::new(loaded.invocations),
                subscriptions: loaded.subscriptions,
                thread: Mutex::new(Some(thread)),
            }),
            Err(e) => {
                let _ = thread.join();
                Err(e)
            }
        }
    }

    /// What breakpoints can be resolved against.
    pub fn module_debug_info(&self) -> ModuleDebugInfo<'_> {
        if self.dwarf.is_empty() {
            ModuleDebugInfo::NoDwarf
        } else {
            ModuleDebugInfo::Dwarf(&self.dwarf)
        }
    }

    /// The program's core modules, for a modules view.
    pub fn modules(&self) -> &[ModuleSummary] {
        &self.modules
    }

    /// Whether the program has ended (returned, exited or trapped for good).
    pub fn has_finished(&self) -> bool {
        self.shared.finished.load(Ordering::SeqCst)
    }

    /// Sends a command the debuggee must see even while running: the epoch bump makes it yield.
    fn send_interrupting(&self, command: Command) {
        let _ = self.commands.send(command);
        self.engine.increment_epoch();
    }

    /// Arms exactly these breakpoints (code location → breakpoint ids).
    pub fn arm_breakpoints(&self, armed: BTreeMap<CodeLocation, Vec<u32>>) {
        self.send_interrupting(Command::ArmBreakpoints(armed));
    }

    pub fn stop_on_trap(&self, enabled: bool) {
        self.send_interrupting(Command::StopOnTrap(enabled));
    }

    /// Configuration is done: run.
    pub fn start(&self) {
        let _ = self.commands.send(Command::Start);
    }

    pub fn resume(&self) -> Result<()> {
        self.resume_with(Command::Continue)
    }

    pub fn step(&self, kind: StepKind) -> Result<()> {
        self.resume_with(Command::Step(kind))
    }

    fn resume_with(&self, command: Command) -> Result<()> {
        if !self.shared.stopped.swap(false, Ordering::SeqCst) {
            bail!("the program is not stopped");
        }
        let _ = self.commands.send(command);
        Ok(())
    }

    /// Stops the program at its next epoch check (loop headers and function entries).
    pub fn pause(&self) {
        if self.is_stopped() || self.shared.finished.load(Ordering::SeqCst) {
            return;
        }
        self.shared.pause.store(true, Ordering::SeqCst);
        self.engine.increment_epoch();
    }

    pub fn is_stopped(&self) -> bool {
        self.shared.stopped.load(Ordering::SeqCst)
    }

    async fn query<T>(&self, make: impl FnOnce(oneshot::Sender<Result<T>>) -> Command) -> Result<T> {
        if !self.is_stopped() {
            bail!("the program is running: pause it first");
        }
        let (tx, rx) = oneshot::channel();
        self.commands
            .send(make(tx))
            .map_err(|_| anyhow!("the program has ended"))?;
        rx.await.map_err(|_| anyhow!("the program has ended"))?
    }

    pub async fn stack_trace(&self) -> Result<Vec<StackFrameInfo>> {
        self.query(Command::StackTrace).await
    }

    pub async fn scopes(&self, frame_id: u32) -> Result<Vec<ScopeInfo>> {
        self.query(|reply| Command::Scopes { frame_id, reply }).await
    }

    pub async fn variables(&self, reference: u64, start: u64, count: Option<u64>) -> Result<Vec<VariableEntry>> {
        self.query(|reply| Command::Variables {
            reference,
            start,
            count,
            reply,
        })
        .await
    }

    /// Evaluates a variable path (`line.to.x`, `v[2]`) in a frame (1 is the innermost).
    pub async fn evaluate(&self, frame_id: u32, expression: &str) -> Result<VariableEntry> {
        let expression = expression.to_string();
        self.query(|reply| Command::Evaluate {
            frame_id,
            expression,
            reply,
        })
        .await
    }

    pub async fn read_memory(&self, address: u64, count: usize) -> Result<Vec<u8>> {
        self.query(|reply| Command::ReadMemory { address, count, reply }).await
    }

    /// Queues an invocation of a serving actor (launched with `serve`).
    pub fn invoke(&self, invocation: Invocation) -> Result<()> {
        let sender = self.invocations.lock().unwrap_or_else(|e| e.into_inner());
        let Some(sender) = sender.as_ref() else {
            bail!("this program takes no invocations now: launch a waPC actor with `serve` to invoke it from here");
        };
        sender
            .send(invocation.into())
            .map_err(|_| anyhow!("the actor has ended"))?;
        // An actor waiting for work is not running wasm: nothing to interrupt.
        Ok(())
    }

    /// Publishes a message to a serving actor that subscribes to its subject: logged as the
    /// actor's own publishing is, then delivered to its `HandleMessage` (`handle-message`).
    pub fn publish(&self, subject: &str, body: &[u8]) -> Result<()> {
        let sender = self.invocations.lock().unwrap_or_else(|e| e.into_inner());
        let Some(sender) = sender.as_ref() else {
            bail!(
                "this program takes no messages now: launch an actor that subscribes with `serve` to publish to it \
                 from here"
            );
        };
        if !self.subscriptions.iter().any(|s| subject_matches(s, subject)) {
            bail!(
                "the actor does not subscribe to `{subject}` (it subscribes to {})",
                match self.subscriptions.as_slice() {
                    [] => "nothing".to_string(),
                    all => all.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "),
                }
            );
        }
        let invocation = delivery(subject, "", body).context("cannot encode the message")?;
        log_published(&self.log, subject, body);
        sender
            .send(invocation.into())
            .map_err(|_| anyhow!("the actor has ended"))
    }

    /// Changes which actor log lines are shown, from now on.
    pub fn set_log_level(&self, level: LogLevel) {
        self.log.set_verbosity(level);
    }

    pub fn log_level(&self) -> LogLevel {
        self.log.verbosity()
    }

    /// Ends the program (a trap at its next epoch check) and waits up to `timeout` for its
    /// thread; a program blocked in a host call may outlive the wait.
    pub fn terminate(&self, timeout: Duration) {
        // A serving actor waiting for work ends when its queue does.
        self.invocations.lock().unwrap_or_else(|e| e.into_inner()).take();
        self.shared.terminate.store(true, Ordering::SeqCst);
        self.shared.stopped.store(false, Ordering::SeqCst);
        self.send_interrupting(Command::Terminate);
        let deadline = Instant::now() + timeout;
        while Instant::now() < deadline {
            let mut thread = self.thread.lock().unwrap_or_else(|e| e.into_inner());
            if thread.as_ref().is_none_or(|t| t.is_finished()) {
                if let Some(t) = thread.take() {
                    let _ = t.join();
                }
                return;
            }
            drop(thread);
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for DebugSession {
    fn drop(&mut self) {
        self.shared.terminate.store(true, Ordering::SeqCst);
        let _ = self.commands.send(Command::Terminate);
        self.engine.increment_epoch();
    }
}
