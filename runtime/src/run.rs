//! Running a program without debugging (`wasmscope run`): the same loading and WASI host as
//! the debugger, on an engine without guest-debug instrumentation.

use std::io::Write as _;

use anyhow::{Context, Result};
use wasmtime::{Module, Store};

use crate::ModuleImage;
use crate::actor::{
    ActorState, Invocation, InvocationQueue, InvocationSender, LogSink, Outcome, Prepared, ProgramKind, execute,
    prepare, providers::http_server, queue_with,
};
use crate::component;
use crate::host::{EngineMode, HostState, ProgramConfig, Stdio, instantiate_program, new_engine, new_store};

/// Exit code of a program that ends in a trap, as a POSIX shell reports `abort()`.
pub const TRAP_EXIT_CODE: i32 = 134;

/// Runs `config.program` to completion with inherited stdio; returns its exit code. A trap
/// is reported on stderr and exits with [`TRAP_EXIT_CODE`]; an error means the program could
/// not be loaded at all. An actor's responses go to stdout as `Operation: response`, its
/// failures and log lines to stderr.
///
/// `mode` is [`EngineMode::Run`] normally; [`EngineMode::Debug`] runs on the debugger's
/// instrumented engine without a debug session, to measure what the instrumentation costs.
pub async fn run_program(config: &ProgramConfig, mode: EngineMode) -> Result<i32> {
    let image = ModuleImage::read(&config.program)?;
    let engine = new_engine(mode)?;
    if component::is_component(&image.bytes) {
        return run_component(config, &engine, &image).await;
    }
    let module = Module::new(&engine, &image.bytes)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot compile `{}`", config.program.display()))?;
    let kind = ProgramKind::of(&module)?;
    let prepared = prepare(kind, config, &image.bytes)?;
    if prepared.idle {
        eprintln!("wasmscope: {}", Prepared::idle_note(config));
    }
    for note in &prepared.notes {
        eprintln!("wasmscope: {note}");
    }
    let actor = ActorState::new(prepared.providers, LogSink::stderr(config.log_level));
    let (mut store, instance) = instantiate_program(&engine, &module, config, Stdio::Inherit, actor, |store| {
        // The debug engine checks epochs; nothing interrupts a run without a session.
        store.set_epoch_deadline(u64::MAX / 2);
        Ok(())
    })
    .await?;
    let mut report = report_outcome;
    let (sender, queue) = actor_queue(&mut store, config);
    // While serving HTTP the queue stays open: the program runs until it is killed. Otherwise
    // the sender goes now, so the queue ends after the given invocations.
    let _serving = match http_server::start_for(kind, config, &sender).await? {
        Some(addr) => {
            store.data_mut().actor.providers.http_client.serving_at(addr);
            eprintln!("wasmscope: serving {} on http://{addr}", http_server::CONTRACT);
            Some(sender)
        }
        None => {
            drop(sender);
            None
        }
    };
    match execute(&mut store, &instance, kind, queue, &mut report).await {
        Ok(code) => Ok(code),
        Err(trap) => {
            eprintln!("Error: {trap:#}");
            Ok(TRAP_EXIT_CODE)
        }
    }
}

/// An actor's queue: the invocations given, and in a manifest run the messages the run's bus
/// brings it (it joins the bus with the queue's sender).
fn actor_queue(store: &mut Store<HostState>, config: &ProgramConfig) -> (InvocationSender, InvocationQueue) {
    let (sender, queue) = queue_with(&config.invocations);
    if let Some(bus) = &config.message_bus {
        store.data_mut().actor.providers.messaging.join(bus, &sender);
    }
    (sender, queue)
}

/// An invocation's outcome: a response on stdout as `Operation: response`, a failure on
/// stderr; the run goes on either way.
fn report_outcome(invocation: &Invocation, outcome: &Outcome) -> bool {
    match outcome {
        // A closed stdout or stderr must not take the actor down (`println!` would panic).
        Outcome::Response(_) => {
            let _ = writeln!(std::io::stdout(), "{}: {outcome}", invocation.operation);
        }
        Outcome::Error(message) => {
            let _ = writeln!(std::io::stderr(), "{} failed: {message}", invocation.operation);
        }
    }
    true
}

/// A component with inherited stdio: its `wasi:cli/run`, a `wasi:http/incoming-handler`
/// served until interrupted, or a `wasmcloud:messaging/handler` given messages until none
/// can come any more.
async fn run_component(config: &ProgramConfig, engine: &wasmtime::Engine, image: &ModuleImage) -> Result<i32> {
    let compiled = component::compile(engine, &image.bytes, config)?;
    let kind = component::ComponentKind::of(engine, &compiled)?;
    let actor = component::prepare_component(config, kind, LogSink::stderr(config.log_level))?;
    let mut store = new_store(engine, config, Stdio::Inherit, actor)?;
    store.set_epoch_deadline(u64::MAX / 2);
    match kind {
        component::ComponentKind::Command => {
            let command = component::instantiate_command(&mut store, &compiled, config).await?;
            match component::run_command(&mut store, &command).await {
                Ok(code) => Ok(code),
                Err(trap) => {
                    eprintln!("Error: {trap:#}");
                    Ok(TRAP_EXIT_CODE)
                }
            }
        }
        component::ComponentKind::HttpHandler => {
            let proxy = component::instantiate_proxy(&mut store, &compiled, config).await?;
            let addr = config.http.context("no HTTP address")?;
            let (bound, mut queue) = component::http::serve(addr).await?;
            eprintln!("wasmscope: serving wasi:http/incoming-handler on http://{bound}");
            while let Some(request) = queue.recv().await {
                if let Err(trap) = component::handle_request(&mut store, &proxy, request).await {
                    eprintln!("request failed: {trap:#}");
                }
            }
            Ok(0)
        }
        component::ComponentKind::MessageHandler => {
            let handler = component::instantiate_message_handler(&mut store, &compiled, config).await?;
            // In a manifest the bus holds the queue open while other actors may publish;
            // alone, the messages given with `--publish` (and what they cause) are all.
            let (sender, queue) = actor_queue(&mut store, config);
            drop(sender);
            let mut report = report_outcome;
            match component::handle_messages(&mut store, &handler, queue, &mut report).await {
                Ok(code) => Ok(code),
                Err(trap) => {
                    eprintln!("Error: {trap:#}");
                    Ok(TRAP_EXIT_CODE)
                }
            }
        }
    }
}
