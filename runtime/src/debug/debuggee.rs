//! The debuggee thread: loads the program with guest debugging on, waits for the session's
//! configuration, runs `_start`, and reports how it ended.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use tokio::sync::mpsc;
use wasmtime::{AsContextMut, Engine, Module, Store, UpdateDeadline};

use crate::ModuleImage;
use crate::actor::{
    ActorState, Invocation, InvocationSender, LogSink, Outcome, ProgramKind, execute, prepare, providers::http_server,
    queue_with,
};
use crate::dwarf::DebugInfo;
use crate::host::{
    EngineMode, HostState, OutputCallback, OutputSink, StdStream, Stdio, instantiate_program, new_engine,
};
use crate::run::TRAP_EXIT_CODE;

use super::command::Command;
use super::handler::{Controller, Handler};
use super::model::{LaunchConfig, SessionEvent};
use super::panic_message::STDERR_TAIL;
use super::session::Shared;

/// What the session keeps of a loaded program: its engine (to bump epochs), its DWARF, the
/// actor's log sink (to change verbosity) and, when serving, where to send more invocations.
pub(crate) struct LoadedProgram {
    pub engine: Engine,
    pub info: Option<Arc<DebugInfo>>,
    pub log: LogSink,
    pub invocations: Option<InvocationSender>,
}

pub(crate) type Loaded = Result<LoadedProgram>;

pub(crate) fn run(
    config: LaunchConfig,
    commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::UnboundedSender<SessionEvent>,
    shared: Arc<Shared>,
    loaded: std::sync::mpsc::Sender<Loaded>,
) {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            let _ = loaded.send(Err(e.into()));
            return;
        }
    };
    runtime.block_on(async move {
        let (mut store, instance, kind, controller) =
            match load(&config, commands, events.clone(), shared.clone()).await {
                Ok(parts) => parts,
                Err(e) => {
                    let _ = loaded.send(Err(e));
                    return;
                }
            };
        let (queue_tx, queue) = queue_with(&config.program.invocations);
        let serving_http = match http_server::start_for(kind, &config.program, &queue_tx).await {
            Ok(Some(addr)) => {
                let text = format!("serving {} on http://{addr}", http_server::CONTRACT);
                let _ = events.send(SessionEvent::Notice { text });
                true
            }
            Ok(None) => false,
            Err(e) => {
                let _ = loaded.send(Err(e));
                return;
            }
        };
        let _ = loaded.send(Ok(LoadedProgram {
            engine: store.engine().clone(),
            info: controller.info.clone(),
            log: store.data().actor.log.clone(),
            // Without `serve` the queue ends after the launch's invocations.
            invocations: ((config.serve || serving_http) && kind == ProgramKind::Wapc).then_some(queue_tx),
        }));
        if !controller.wait_for_start(store.as_context_mut()).await {
            let _ = events.send(SessionEvent::Terminated);
            return;
        }
        if config.stop_on_entry {
            controller.arm_entry(store.as_context_mut());
        }
        let mut report = {
            let events = events.clone();
            let shared = shared.clone();
            move |invocation: &Invocation, outcome: &Outcome| {
                let _ = events.send(SessionEvent::Invocation {
                    operation: invocation.operation.clone(),
                    outcome: outcome.clone(),
                });
                !shared.terminate.load(Ordering::SeqCst)
            }
        };
        let result = execute(&mut store, &instance, kind, queue, &mut report).await;
        shared.finished.store(true, Ordering::SeqCst);
        shared.stopped.store(false, Ordering::SeqCst);
        match result {
            Ok(code) => {
                let _ = events.send(SessionEvent::Exited { code });
            }
            Err(_) if shared.terminate.load(Ordering::SeqCst) => {}
            Err(e) => {
                let text = format!("Error: {e:#}\n");
                let _ = events.send(SessionEvent::Output {
                    stream: StdStream::Stderr,
                    text,
                });
                let _ = events.send(SessionEvent::Exited { code: TRAP_EXIT_CODE });
            }
        }
        let _ = events.send(SessionEvent::Terminated);
        controller.serve_after_exit().await;
    });
}

async fn load(
    config: &LaunchConfig,
    commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::UnboundedSender<SessionEvent>,
    shared: Arc<Shared>,
) -> Result<(Store<HostState>, wasmtime::Instance, ProgramKind, Arc<Controller>)> {
    let path = &config.program.program;
    let image = Arc::new(ModuleImage::read(path)?);
    // Broken DWARF must not stop a program from running: it runs without source mapping.
    let info = match DebugInfo::load(&image) {
        Ok(info) => info,
        Err(e) => {
            let text = format!("wasmscope: ignoring the debug info of `{}`: {e:#}\n", path.display());
            let _ = events.send(SessionEvent::Output {
                stream: StdStream::Stderr,
                text,
            });
            None
        }
    };
    let engine = new_engine(EngineMode::Debug)?;
    let module = Module::new(&engine, &image.bytes)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot compile `{}`", path.display()))?;
    let kind = ProgramKind::of(&module)?;
    let prepared = prepare(kind, &config.program, &image.bytes)?;
    for text in prepared.notes {
        let _ = events.send(SessionEvent::Notice { text });
    }
    let log = {
        let events = events.clone();
        LogSink::new(
            config.program.log_level,
            Arc::new(move |level, target: &str, text: &str| {
                let _ = events.send(SessionEvent::Log {
                    level,
                    target: target.to_string(),
                    text: text.to_string(),
                });
            }),
        )
    };
    let actor = ActorState::new(prepared.providers, log);

    let stderr_tail = Arc::new(Mutex::new(String::new()));
    let output = {
        let events = events.clone();
        let tail = stderr_tail.clone();
        move |stream: StdStream, bytes: &[u8]| {
            let text = String::from_utf8_lossy(bytes).into_owned();
            if stream == StdStream::Stderr {
                let mut tail = tail.lock().unwrap_or_else(|e| e.into_inner());
                tail.push_str(&text);
                if tail.len() > STDERR_TAIL {
                    let mut cut = tail.len() - STDERR_TAIL;
                    while !tail.is_char_boundary(cut) {
                        cut += 1;
                    }
                    tail.drain(..cut);
                }
            }
            let _ = events.send(SessionEvent::Output { stream, text });
        }
    };
    let output: OutputCallback = Arc::new(output);
    let out = OutputSink::new(StdStream::Stdout, output.clone());
    let err = OutputSink::new(StdStream::Stderr, output);

    let controller = Arc::new(Controller::new(
        commands,
        events,
        shared.clone(),
        module.clone(),
        image,
        info,
        stderr_tail,
    ));
    let handler = Handler(controller.clone());
    let terminate_flag = shared;
    let stdio = Stdio::Capture(out, err);
    let (store, instance) = instantiate_program(&engine, &module, &config.program, stdio, actor, |store| {
        store.debug_register_module(&module)?;
        store.set_debug_handler(handler);
        // Epoch checks only fire when the session bumps the epoch (pause, breakpoint edits,
        // terminate); the deadline is always one tick ahead.
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(move |_| {
            if terminate_flag.terminate.load(Ordering::SeqCst) {
                Err(wasmtime::format_err!("terminated by the debugger"))
            } else {
                Ok(UpdateDeadline::Continue(1))
            }
        });
        Ok(())
    })
    .await?;
    Ok((store, instance, kind, controller))
}
