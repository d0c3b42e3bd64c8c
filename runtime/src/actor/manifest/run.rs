//! `wasmscope run app.yaml`: every local actor of a manifest at once, each with its links.

use std::path::Path;

use anyhow::{Result, bail};
use tokio::task::JoinSet;

use super::load;
use crate::actor::providers::{MessageBus, SharedKeyValue};
use crate::host::{EngineMode, ProgramConfig};
use crate::run::run_program;

/// Runs the manifest's actors until all have ended (an actor serving HTTP runs until the process
/// is interrupted). `base` carries the command line's settings; its invocations go to the actor
/// named `target`, or to the only actor. Returns the worst exit code.
pub async fn run_manifest(path: &Path, base: &ProgramConfig, target: Option<&str>, mode: EngineMode) -> Result<i32> {
    let plan = load(path)?;
    for note in &plan.notes {
        eprintln!("wasmscope: {note}");
    }
    let target = match (target, plan.actors.as_slice()) {
        (Some(name), actors) => {
            if !actors.iter().any(|a| a.name == name) {
                let names: Vec<&str> = actors.iter().map(|a| a.name.as_str()).collect();
                bail!("the manifest has no local actor `{name}` (it has {})", names.join(", "));
            }
            Some(name.to_string())
        }
        (None, [only]) => Some(only.name.clone()),
        (None, _) if base.invocations.is_empty() => None,
        (None, _) => bail!("the manifest runs several actors: say which one to invoke with --actor NAME"),
    };
    // The actors share one key-value store, as they would share a lattice's provider.
    let store = SharedKeyValue::open(base.keyvalue_file.as_deref())?;
    // And one message bus: a message reaches every actor subscribed to its subject.
    let bus = MessageBus::new(plan.actors.len());
    let mut tasks = JoinSet::new();
    // Subscribers wait for messages while an actor that may publish still runs.
    let mut publishers = 0;
    for (index, actor) in plan.actors.into_iter().enumerate() {
        // `--invoke`s go to the actor they name; `--publish`es start from it too (or from the
        // first actor), and the bus takes them to every subscriber.
        let targeted = target.as_deref() == Some(actor.name.as_str());
        let subscribes = !actor.providers.subscriptions.is_empty() || !base.providers.subscriptions.is_empty();
        publishers += usize::from(!subscribes);
        let config = ProgramConfig {
            program: actor.program.clone(),
            http: actor.http,
            links: Some(actor.links.clone()),
            providers: base.providers.merged(&actor.providers),
            keyvalue_store: Some(store.clone()),
            message_bus: Some(bus.clone()),
            // The command line's pairs come last, so they win.
            config: actor.config.iter().chain(&base.config).cloned().collect(),
            invocations: if targeted { base.invocations.clone() } else { Vec::new() },
            messages: if targeted || (target.is_none() && index == 0) {
                base.messages.clone()
            } else {
                Vec::new()
            },
            ..base.clone()
        };
        let name = actor.name.clone();
        tasks.spawn(async move { (name, subscribes, run_program(&config, mode).await) });
    }
    if publishers == 0 {
        bus.close();
    }
    let mut worst = 0;
    while let Some(joined) = tasks.join_next().await {
        let (name, subscribed, result) = joined?;
        if !subscribed {
            publishers -= 1;
            if publishers == 0 {
                bus.close();
            }
        }
        match result {
            Ok(code) => worst = worst.max(code),
            Err(e) => {
                eprintln!("wasmscope: actor `{name}`: {e:#}");
                worst = worst.max(2);
            }
        }
    }
    Ok(worst)
}
