//! The debuggee thread: loads the program (a core module, or a component's core modules) with
//! guest debugging on, waits for the session's configuration, runs it, and reports how it ended.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

use anyhow::{Context, Result};
use tokio::sync::mpsc;
use wasmtime::{AsContextMut, Engine, Module, Store, UpdateDeadline};

use crate::ModuleImage;
use crate::actor::{
    ActorState, Invocation, InvocationSender, LogSink, Outcome, Prepared, ProgramKind, execute, prepare,
    providers::http_server, queue_with,
};
use crate::component;
use crate::dwarf::DebugInfo;
use crate::host::{
    EngineMode, HostState, OutputCallback, OutputSink, StdStream, Stdio, instantiate_program, new_engine, new_store,
};
use crate::run::TRAP_EXIT_CODE;

use super::breakpoints::ModuleDwarf;
use super::command::Command;
use super::component::{CoreModule, index_modules};
use super::handler::{Controller, Handler};
use super::model::{LaunchConfig, ModuleSummary, SessionEvent};
use super::panic_message::STDERR_TAIL;
use super::session::Shared;

/// What the session keeps of a loaded program: its engine (to bump epochs), its DWARF, the
/// actor's log sink (to change verbosity) and, when serving, where to send more invocations.
pub(crate) struct LoadedProgram {
    pub engine: Engine,
    /// The DWARF of each core module that has some.
    pub dwarf: Vec<ModuleDwarf>,
    pub modules: Vec<ModuleSummary>,
    pub log: LogSink,
    pub invocations: Option<InvocationSender>,
    /// The actor's subscriptions, which messages published from the console must match.
    pub subscriptions: Vec<String>,
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
        let (mut store, mut entry, controller) = match load(&config, commands, events.clone(), shared.clone()).await {
            Ok(parts) => parts,
            Err(e) => {
                let _ = loaded.send(Err(e));
                return;
            }
        };
        let (queue_tx, queue) = queue_with(&config.program.invocations);
        let kind = match &entry {
            Entry::Core { kind, .. } => Some(*kind),
            Entry::Component(_) | Entry::Http { .. } | Entry::Messages(_) => None,
        };
        // A waPC actor takes invocations and messages, a handler component messages.
        let takes_requests = kind == Some(ProgramKind::Wapc) || matches!(entry, Entry::Messages(_));
        let http = match kind {
            Some(kind) => http_server::start_for(kind, &config.program, &queue_tx).await,
            None => Ok(None),
        };
        let serving_http = match http {
            Ok(Some(addr)) => {
                store.data_mut().actor.providers.http_client.serving_at(addr);
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
            dwarf: controller.dwarf(),
            modules: controller.module_summaries(),
            log: store.data().actor.log.clone(),
            // Without `serve` the queue ends after the launch's invocations and messages.
            invocations: ((config.serve || serving_http) && takes_requests).then_some(queue_tx),
            subscriptions: config.program.providers.subscriptions.clone(),
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
        let result = match &mut entry {
            Entry::Core { instance, kind } => execute(&mut store, instance, *kind, queue, &mut report).await,
            Entry::Component(command) => component::run_command(&mut store, command).await,
            Entry::Http { proxy, queue } => {
                serve_http(&mut store, proxy, queue, &shared, &events).await;
                Ok(0)
            }
            Entry::Messages(handler) => component::handle_messages(&mut store, handler, queue, &mut report).await,
        };
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

/// What runs once configuration is done.
enum Entry {
    /// A core module: a command's `_start`, or a waPC actor's invocations.
    Core {
        instance: wasmtime::Instance,
        kind: ProgramKind,
    },
    /// A component's `wasi:cli/run`.
    Component(wasmtime_wasi::p2::bindings::Command),
    /// A `wasi:http/incoming-handler` component and the requests its server queues.
    Http {
        proxy: wasmtime_wasi_http::p2::bindings::Proxy,
        queue: component::http::HttpQueue,
    },
    /// A `wasmcloud:messaging/handler` component, given the launch's `publish` messages.
    Messages(component::MessageHandler),
}

async fn load(
    config: &LaunchConfig,
    commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::UnboundedSender<SessionEvent>,
    shared: Arc<Shared>,
) -> Result<(Store<HostState>, Entry, Arc<Controller>)> {
    let path = &config.program.program;
    let image = Arc::new(ModuleImage::read(path)?);
    let engine = new_engine(EngineMode::Debug)?;
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
    let stderr_tail = Arc::new(Mutex::new(String::new()));
    let stdio = captured_stdio(&events, &stderr_tail);
    if component::is_component(&image.bytes) {
        return load_component(
            config,
            &engine,
            &image,
            log,
            stdio,
            stderr_tail,
            commands,
            events,
            shared,
        )
        .await;
    }
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
    let module = Module::new(&engine, &image.bytes)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot compile `{}`", path.display()))?;
    let kind = ProgramKind::of(&module)?;
    let prepared = prepare(kind, &config.program, &image.bytes)?;
    // With `serve` the debug console gives the work.
    if prepared.idle && !config.serve {
        let text = format!(
            "{}: add `invoke` to the launch, or `\"serve\": true` to invoke it from the debug console",
            Prepared::idle_note(&config.program)
        );
        let _ = events.send(SessionEvent::Notice { text });
    }
    for text in prepared.notes {
        let _ = events.send(SessionEvent::Notice { text });
    }
    let actor = ActorState::new(prepared.providers, log);

    let controller = Arc::new(Controller::new(
        commands,
        events,
        shared.clone(),
        vec![CoreModule {
            module: module.clone(),
            image,
            info,
        }],
        stderr_tail,
    ));
    let handler = Handler(controller.clone());
    let (store, instance) = instantiate_program(&engine, &module, &config.program, stdio, actor, |store| {
        store.debug_register_module(&module)?;
        install_handler(store, handler, shared);
        Ok(())
    })
    .await?;
    Ok((store, Entry::Core { instance, kind }, controller))
}

/// A component: its core modules registered before instantiation (so breakpoints can be armed
/// before it runs) and indexed, each with its own DWARF.
#[allow(clippy::too_many_arguments)]
async fn load_component(
    config: &LaunchConfig,
    engine: &Engine,
    image: &ModuleImage,
    log: LogSink,
    stdio: Stdio,
    stderr_tail: Arc<Mutex<String>>,
    commands: mpsc::UnboundedReceiver<Command>,
    events: mpsc::UnboundedSender<SessionEvent>,
    shared: Arc<Shared>,
) -> Result<(Store<HostState>, Entry, Arc<Controller>)> {
    let compiled = component::compile(engine, &image.bytes, &config.program)?;
    let kind = component::ComponentKind::of(engine, &compiled)?;
    let actor = component::prepare_component(&config.program, kind, log)?;
    let mut store = new_store(engine, &config.program, stdio, actor)?;
    store.debug_register_component(&compiled)?;
    let modules = index_modules(store.debug_all_modules(), &config.program.program, |text| {
        let _ = events.send(SessionEvent::Output {
            stream: StdStream::Stderr,
            text,
        });
    })?;

    let controller =
        Arc::new(Controller::new(commands, events.clone(), shared.clone(), modules, stderr_tail).in_component());
    install_handler(&mut store, Handler(controller.clone()), shared);
    let entry = match kind {
        component::ComponentKind::Command => {
            Entry::Component(component::instantiate_command(&mut store, &compiled, &config.program).await?)
        }
        component::ComponentKind::HttpHandler => {
            let proxy = component::instantiate_proxy(&mut store, &compiled, &config.program).await?;
            let addr = config.program.http.context("no HTTP address")?;
            let (bound, queue) = component::http::serve(addr).await?;
            let text = format!("serving wasi:http/incoming-handler on http://{bound}");
            let _ = events.send(SessionEvent::Notice { text });
            Entry::Http { proxy, queue }
        }
        component::ComponentKind::MessageHandler => {
            Entry::Messages(component::instantiate_message_handler(&mut store, &compiled, &config.program).await?)
        }
    };
    Ok((store, entry, controller))
}

/// Each queued request in turn, until the session ends. A request whose handler traps gets a
/// 500 with the trap; the trap is reported on stderr.
async fn serve_http(
    store: &mut Store<HostState>,
    proxy: &wasmtime_wasi_http::p2::bindings::Proxy,
    queue: &mut component::http::HttpQueue,
    shared: &Shared,
    events: &mpsc::UnboundedSender<SessionEvent>,
) {
    // The server holds the queue's sender until the thread's runtime ends: look at the
    // session's terminate flag between requests.
    while !shared.terminate.load(Ordering::SeqCst) {
        let request = match tokio::time::timeout(std::time::Duration::from_millis(50), queue.recv()).await {
            Ok(Some(request)) => request,
            Ok(None) => break,
            Err(_) => continue,
        };
        if let Err(e) = component::handle_request(store, proxy, request).await
            && !shared.terminate.load(Ordering::SeqCst)
        {
            let _ = events.send(SessionEvent::Output {
                stream: StdStream::Stderr,
                text: format!("request failed: {e:#}\n"),
            });
        }
    }
}

/// Stdout and stderr delivered to the session as output events; stderr's tail is kept to find
/// a panic message when a trap follows.
fn captured_stdio(events: &mpsc::UnboundedSender<SessionEvent>, stderr_tail: &Arc<Mutex<String>>) -> Stdio {
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
    Stdio::Capture(
        OutputSink::new(StdStream::Stdout, output.clone()),
        OutputSink::new(StdStream::Stderr, output),
    )
}

/// The debug handler, and epoch checks that only fire when the session bumps the epoch
/// (pause, breakpoint edits, terminate): the deadline is always one tick ahead.
fn install_handler(store: &mut Store<HostState>, handler: Handler, shared: Arc<Shared>) {
    store.set_debug_handler(handler);
    store.set_epoch_deadline(1);
    store.epoch_deadline_callback(move |_| {
        if shared.terminate.load(Ordering::SeqCst) {
            Err(wasmtime::format_err!("terminated by the debugger"))
        } else {
            Ok(UpdateDeadline::Continue(1))
        }
    });
}
