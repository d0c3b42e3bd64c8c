//! A program's configuration and instantiation: WASI preview 1 and the waPC host protocol,
//! so one linker serves commands (`_start`) and waPC actors alike.

use std::path::PathBuf;

use anyhow::{Context, Result};
use wasmtime::{Engine, Instance, Linker, Module, Store};
use wasmtime_wasi::p1::WasiP1Ctx;
use wasmtime_wasi::{FsPerms, I32Exit, WasiCtxBuilder, WasiCtxView, WasiView};
use wasmtime_wasi_http::{WasiHttpCtx, WasiHttpCtxView, WasiHttpHooks, WasiHttpView};

use super::stdio::OutputSink;
use crate::actor::{ActorState, Invocation, LogLevel};

/// What a program runs with: the launch request's or the command line's settings.
#[derive(Debug, Clone, Default)]
pub struct ProgramConfig {
    pub program: PathBuf,
    pub args: Vec<String>,
    pub env: Vec<(String, String)>,
    /// Host directory the guest sees as `.`; defaults to the current directory.
    pub cwd: Option<PathBuf>,
    /// Extra directories: (host path, guest path).
    pub preopens: Vec<(PathBuf, String)>,
    /// Operations to invoke, in order, when the program is an actor.
    pub invocations: Vec<Invocation>,
    /// Messages (subject, body) published as the actor starts (`--publish`, a launch's
    /// `publish`): delivered before its invocations when it subscribes to them.
    pub messages: Vec<(String, Vec<u8>)>,
    /// The least severe actor log lines shown.
    pub log_level: LogLevel,
    /// Where the key-value provider keeps its data between runs; in memory when unset.
    pub keyvalue_file: Option<PathBuf>,
    /// A key-value store shared with the run's other actors (a manifest's); when unset the
    /// actor gets its own, from `keyvalue_file`.
    pub keyvalue_store: Option<crate::actor::providers::SharedKeyValue>,
    /// The run's other actors' subscriptions (a manifest's), for `wasmcloud:messaging`.
    pub message_bus: Option<crate::actor::providers::MessageBus>,
    /// Run an actor whose signed claims fail verification (tampered, expired), for local
    /// development; its capability claims are still enforced.
    pub allow_invalid_claims: bool,
    /// Serve `wasmcloud:httpserver` on this loopback address: each request invokes the actor's
    /// `HandleRequest`.
    pub http: Option<std::net::SocketAddr>,
    /// Contracts a manifest links the actor to; `None` (no manifest) allows every contract.
    pub links: Option<Vec<String>>,
    /// HTTP client hosts and messaging subscriptions (command line, launch, or links).
    pub providers: crate::actor::providers::ProviderSettings,
    /// Configuration a component reads through `wasi:config/store` (`--config KEY=VALUE`, a
    /// launch's `config`); a later pair wins.
    pub config: Vec<(String, String)>,
}

impl ProgramConfig {
    /// `argv[0]` is the program's file name, as a shell would pass it.
    fn argv(&self) -> Vec<String> {
        let name = self
            .program
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "program.wasm".into());
        std::iter::once(name).chain(self.args.iter().cloned()).collect()
    }
}

/// The store's data.
pub struct HostState {
    pub wasi: WasiP1Ctx,
    /// `wasi:http` for components serving `wasi:http/incoming-handler`.
    pub http: WasiHttpCtx,
    http_hooks: HttpHooks,
    pub actor: ActorState,
}

/// wasi:http's embedder hooks: outgoing requests (`wasi:http/outgoing-handler`) only to the
/// hosts the configuration allows, as for waPC's `wasmcloud:httpclient`.
struct HttpHooks {
    allowed_hosts: Vec<String>,
}

type OutgoingResponse = Box<
    dyn Future<
            Output = Result<
                (
                    hyper::Response<wasmtime_wasi_http::WasiBody>,
                    Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>,
                ),
                wasmtime_wasi_http::Error,
            >,
        > + Send,
>;

impl WasiHttpHooks for HttpHooks {
    fn send_request(
        &mut self,
        request: hyper::Request<wasmtime_wasi_http::WasiBody>,
        options: Option<wasmtime_wasi_http::RequestOptions>,
        _io: Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>,
    ) -> OutgoingResponse {
        let uri = request.uri();
        let allowed = uri
            .host()
            .is_some_and(|host| crate::actor::providers::host_allowed(&self.allowed_hosts, host, uri.port_u16()));
        if !allowed {
            return Box::new(async { Err(wasmtime_wasi_http::Error::HttpRequestDenied) });
        }
        Box::new(async move {
            use http_body_util::BodyExt;
            let (response, io) = wasmtime_wasi_http::default_send_request(request, options).await?;
            Ok((
                response.map(BodyExt::boxed_unsync),
                Box::new(io) as Box<dyn Future<Output = Result<(), wasmtime_wasi_http::Error>> + Send>,
            ))
        })
    }
}

/// Where a program's stdout and stderr go.
pub enum Stdio {
    Inherit,
    Capture(OutputSink, OutputSink),
}

/// Builds the WASI context, links it and the waPC host functions, and instantiates `module`
/// in a new store.
pub async fn instantiate_program(
    engine: &Engine,
    module: &Module,
    config: &ProgramConfig,
    stdio: Stdio,
    actor: ActorState,
    prepare: impl FnOnce(&mut Store<HostState>) -> Result<()>,
) -> Result<(Store<HostState>, Instance)> {
    let mut linker: Linker<HostState> = Linker::new(engine);
    wasmtime_wasi::p1::add_to_linker_async(&mut linker, |s: &mut HostState| &mut s.wasi)?;
    crate::actor::add_to_linker(&mut linker)?;
    let mut store = new_store(engine, config, stdio, actor)?;
    prepare(&mut store)?;
    let instance = linker
        .instantiate_async(&mut store, module)
        .await
        .map_err(anyhow::Error::from)
        .context("cannot instantiate the module (does it import something other than WASI preview 1 and waPC?)")?;
    Ok((store, instance))
}

/// A store whose WASI context has the program's args, environment, working directory,
/// preopens and stdio. The same context serves preview 1 (core modules) and preview 2
/// (components, through [`WasiView`]).
pub fn new_store(engine: &Engine, config: &ProgramConfig, stdio: Stdio, actor: ActorState) -> Result<Store<HostState>> {
    let mut builder = WasiCtxBuilder::new();
    builder.args(&config.argv()).envs(&config.env).inherit_stdin();
    match stdio {
        Stdio::Inherit => {
            builder.inherit_stdout().inherit_stderr();
        }
        Stdio::Capture(out, err) => {
            builder.stdout(out).stderr(err);
        }
    }
    let cwd = match &config.cwd {
        Some(dir) => dir.clone(),
        None => std::env::current_dir().context("cannot read the current directory")?,
    };
    builder
        .preopened_dir(&cwd, ".", FsPerms::ReadWrite)
        .map_err(anyhow::Error::from)
        .with_context(|| format!("cannot open the working directory `{}`", cwd.display()))?;
    for (host, guest) in &config.preopens {
        builder
            .preopened_dir(host, guest, FsPerms::ReadWrite)
            .map_err(anyhow::Error::from)
            .with_context(|| format!("cannot open directory `{}`", host.display()))?;
    }
    Ok(Store::new(
        engine,
        HostState {
            wasi: builder.build_p1(),
            http: WasiHttpCtx::new(),
            http_hooks: HttpHooks {
                allowed_hosts: config.providers.allowed_hosts.clone(),
            },
            actor,
        },
    ))
}

impl WasiView for HostState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        self.wasi.ctx()
    }
}

impl WasiHttpView for HostState {
    fn http(&mut self) -> WasiHttpCtxView<'_> {
        WasiHttpCtxView {
            ctx: &mut self.http,
            table: self.wasi.ctx().table,
            hooks: &mut self.http_hooks,
        }
    }
}

/// How a finished `_start` call maps to an exit code: `proc_exit(n)` is `n`, a return is 0,
/// a trap is an error.
pub fn exit_code_of(result: wasmtime::Result<()>) -> Result<i32> {
    match result {
        Ok(()) => Ok(0),
        Err(e) => match e.downcast_ref::<I32Exit>() {
            Some(exit) => Ok(exit.0),
            None => Err(e.into()),
        },
    }
}
