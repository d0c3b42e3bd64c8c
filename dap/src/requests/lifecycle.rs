//! initialize, launch, configurationDone, terminate, disconnect.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, bail};
use dap_types::{Capabilities, ExceptionBreakpointsFilter};
use serde::Deserialize;
use serde_json::Value;
use wasmscope_runtime::actor::providers::ProviderSettings;
use wasmscope_runtime::actor::{Invocation, PayloadFormat, manifest};
use wasmscope_runtime::debug::{DebugSession, LaunchConfig};
use wasmscope_runtime::host::ProgramConfig;

use crate::server::{Role, Server, arguments};

/// The filter id of "stop when the program traps".
pub(crate) const TRAP_FILTER: &str = "trap";

/// `launch` arguments (`$`-prefixed and unknown properties from clients are ignored).
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct LaunchArguments {
    /// The `.wasm` to run; or give `manifest`.
    program: Option<PathBuf>,
    /// A wadm application or 2020 host manifest: its local actor (the one named `actor` when it
    /// has several) runs with the manifest's links (HTTP address, linked contracts).
    manifest: Option<PathBuf>,
    actor: Option<String>,
    #[serde(default)]
    args: Vec<String>,
    #[serde(default)]
    env: BTreeMap<String, String>,
    cwd: Option<PathBuf>,
    #[serde(default)]
    stop_on_entry: bool,
    /// Extra directories for the guest: `{ "/guest/path": "/host/path" }`.
    #[serde(default)]
    preopens: BTreeMap<String, PathBuf>,
    /// Operations to invoke on a waPC actor, in order.
    #[serde(default)]
    invoke: Vec<InvokeArgument>,
    /// The least severe actor log lines shown: error, warn, info (default), debug, trace.
    log_level: Option<String>,
    /// A JSON file the key-value provider keeps its data in between sessions.
    keyvalue_file: Option<PathBuf>,
    /// Run an actor whose signed claims do not verify (local development only).
    #[serde(default)]
    allow_invalid_claims: bool,
    /// Serve `wasmcloud:httpserver` on this loopback address (`127.0.0.1:8080`; port 0 picks
    /// one): each request invokes the actor's `HandleRequest`.
    http: Option<std::net::SocketAddr>,
    /// Hosts the actor's `wasmcloud:httpclient` may reach (`host` or `host:port`, `*` for any).
    #[serde(default)]
    allowed_hosts: Vec<String>,
    /// Subjects whose `wasmcloud:messaging` messages go to the actor's `HandleMessage` (a
    /// component's `handle-message`).
    #[serde(default)]
    subscriptions: Vec<String>,
    /// Messages published as the actor starts: `[{ "subject": "orders.new", "body": "…" }]`.
    #[serde(default)]
    publish: Vec<PublishArgument>,
    /// What a component reads through `wasi:config/store`: `{ "key": "value" }`.
    #[serde(default)]
    config: BTreeMap<String, String>,
    /// Keep a waPC actor loaded after `invoke`, taking more invocations from the debug console
    /// (`.invoke OP=PAYLOAD`) until the session ends.
    #[serde(default)]
    serve: bool,
}

/// One invocation: `payload` is text unless `format` says `json`, `msgpack` (JSON encoded as
/// msgpack) or `base64`; a payload that is not a string (an object, a number) is JSON.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InvokeArgument {
    operation: String,
    #[serde(default)]
    payload: Value,
    format: Option<String>,
}

/// One message to publish; the body is text.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PublishArgument {
    subject: String,
    #[serde(default)]
    body: String,
}

impl InvokeArgument {
    fn to_invocation(&self) -> Result<Invocation> {
        let format = match (&self.format, &self.payload) {
            (Some(format), _) => format.parse()?,
            (None, Value::String(_) | Value::Null) => PayloadFormat::Text,
            (None, _) => PayloadFormat::Json,
        };
        let text = match (&self.payload, format) {
            (Value::Null, _) => String::new(),
            (Value::String(text), PayloadFormat::Text | PayloadFormat::Base64) => text.clone(),
            (Value::String(text), _) if serde_json::from_str::<Value>(text).is_ok() => text.clone(),
            (value, _) => value.to_string(),
        };
        Invocation::new(&self.operation, format, &text)
    }
}

impl Server {
    pub(crate) fn initialize(&mut self, _args: Value) -> Result<Option<Value>> {
        let caps = Capabilities {
            supports_configuration_done_request: Some(true),
            supports_terminate_request: Some(true),
            support_terminate_debuggee: Some(true),
            supports_read_memory_request: Some(true),
            supports_exception_info_request: Some(true),
            supports_delayed_stack_trace_loading: Some(true),
            supports_evaluate_for_hovers: Some(true),
            supports_modules_request: Some(true),
            exception_breakpoint_filters: Some(vec![ExceptionBreakpointsFilter {
                filter: TRAP_FILTER.into(),
                label: "Traps".into(),
                description: Some(
                    "Stop when the program traps: a Rust panic, `unreachable`, an out-of-bounds access…".into(),
                ),
                default: Some(true),
                supports_condition: None,
                condition_description: None,
            }]),
            ..Capabilities::default()
        };
        Ok(Some(serde_json::to_value(caps)?))
    }

    pub(crate) async fn launch(&mut self, args: Value) -> Result<Option<Value>> {
        if let Role::HostClient { host, .. } = &self.role {
            bail!(
                "this is a running host (`{}`): use an `attach` request",
                host.program().display()
            );
        }
        if self.session.is_some() {
            bail!("a program is already running in this session");
        }
        let args: LaunchArguments = arguments("launch", args)?;
        let mut manifest_config = Vec::new();
        let mut providers = ProviderSettings {
            allowed_hosts: args.allowed_hosts.clone(),
            subscriptions: args.subscriptions.clone(),
        };
        let (program, http, links) = match (&args.program, &args.manifest) {
            (Some(program), None) => (program.clone(), args.http, None),
            (None, Some(manifest)) => {
                let plan = manifest::load(manifest)?;
                let actor = plan.actor_to_debug(args.actor.as_deref())?;
                providers = providers.merged(&actor.providers);
                manifest_config = actor.config.clone();
                for note in &plan.notes {
                    let _ = self
                        .events_tx
                        .send(wasmscope_runtime::debug::SessionEvent::Notice { text: note.clone() });
                }
                (
                    actor.program.clone(),
                    actor.http.or(args.http),
                    Some(actor.links.clone()),
                )
            }
            (Some(_), Some(_)) => bail!("give either `program` or `manifest`, not both"),
            (None, None) => bail!("missing `program` (the .wasm to run) or `manifest`"),
        };
        if !program.exists() {
            bail!("program `{}` does not exist", program.display());
        }
        let invocations = args
            .invoke
            .iter()
            .map(InvokeArgument::to_invocation)
            .collect::<Result<Vec<_>>>()
            .context("bad `invoke` entry")?;
        let program = ProgramConfig {
            program,
            args: args.args,
            env: args.env.into_iter().collect(),
            cwd: args.cwd,
            preopens: args.preopens.into_iter().map(|(guest, host)| (host, guest)).collect(),
            invocations,
            messages: args
                .publish
                .into_iter()
                .map(|m| (m.subject, m.body.into_bytes()))
                .collect(),
            log_level: match &args.log_level {
                Some(level) => level.parse()?,
                None => Default::default(),
            },
            keyvalue_file: args.keyvalue_file,
            keyvalue_store: None,
            message_bus: None,
            allow_invalid_claims: args.allow_invalid_claims,
            http,
            links,
            providers,
            // The launch's own pairs come last, so they win.
            config: manifest_config.into_iter().chain(args.config).collect(),
        };
        let config = LaunchConfig {
            program,
            stop_on_entry: args.stop_on_entry,
            serve: args.serve,
        };
        let events = self.events_tx.clone();
        let session = tokio::task::spawn_blocking(move || DebugSession::launch(config, events))
            .await
            .context("the launch task failed")??;
        for status in self.breakpoints.resolve_all(session.module_debug_info()) {
            let _ = self
                .events_tx
                .send(wasmscope_runtime::debug::SessionEvent::Breakpoint(status));
        }
        session.arm_breakpoints(self.breakpoints.armed());
        session.stop_on_trap(self.stop_on_trap);
        if self.configuration_done {
            session.start();
        }
        self.session = Some(Arc::new(session));
        Ok(Some(Value::Null))
    }

    pub(crate) fn configuration_done(&mut self) -> Result<Option<Value>> {
        self.configuration_done = true;
        // An attached host's program is already running.
        if let Some(session) = self.session.as_ref().filter(|_| !self.attached) {
            session.start();
        }
        Ok(Some(Value::Null))
    }

    pub(crate) fn terminate(&mut self) -> Result<Option<Value>> {
        self.end_program();
        Ok(Some(Value::Null))
    }

    /// Ends the program, or, for a client attached to a host, only detaches unless
    /// `terminateDebuggee` says otherwise (DAP's default for attach). The connection closes
    /// after the response.
    pub(crate) fn disconnect(&mut self, args: Value) {
        let terminate_debuggee = args.get("terminateDebuggee").and_then(Value::as_bool);
        if self.attached && terminate_debuggee != Some(true) {
            self.detach();
        } else {
            self.end_program();
        }
    }

    /// Ends the program (a host's too, when attached to one).
    fn end_program(&mut self) {
        if let Some(session) = &self.session {
            session.terminate(Duration::from_secs(1));
        }
    }
}
