//! `wasmscope`: editor tooling for WebAssembly actors, as one binary.

mod claims_cli;
mod demo;
mod script;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};
use wasmscope_runtime::actor::manifest;
use wasmscope_runtime::host::EngineMode;

#[derive(Parser)]
#[command(
    name = "wasmscope",
    version,
    about = "See inside WebAssembly actors: debugger, runtime, language tooling"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the Debug Adapter Protocol on stdin/stdout (what editors start), or on TCP.
    Dap {
        /// Serve clients that connect to this address (`127.0.0.1:4711`; port 0 picks one)
        /// instead of stdin/stdout.
        #[arg(long, value_name = "ADDR")]
        listen: Option<std::net::SocketAddr>,
        /// With --listen: accept clients from other machines too.
        #[arg(long, requires = "listen")]
        allow_remote: bool,
    },
    /// Run a WASI program, invoke a waPC actor, or run a manifest's actors (no debugging):
    /// `wasmscope run program.wasm [args…]`, `wasmscope run actor.wasm --invoke Op=payload`,
    /// `wasmscope run app.yaml` (a wadm application or a 2020 host manifest).
    Run {
        /// Environment variables for the program, `NAME=VALUE`.
        #[arg(long = "env", value_name = "NAME=VALUE")]
        env: Vec<String>,
        /// Directory the program sees as `.` (default: the current directory).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Invoke an actor operation (repeatable, in order): `OP=TEXT`, or `OP@FORMAT=PAYLOAD`
        /// with FORMAT one of text, json, msgpack (JSON sent as msgpack), base64.
        #[arg(long = "invoke", value_name = "OP=PAYLOAD")]
        invoke: Vec<String>,
        /// With a manifest: the actor that --invoke goes to (needed when it runs several).
        #[arg(long, value_name = "NAME")]
        actor: Option<String>,
        /// The least severe actor log lines shown: error, warn, info, debug, trace.
        #[arg(long, default_value = "info")]
        log_level: wasmscope_runtime::actor::LogLevel,
        /// Keep the key-value provider's data in this JSON file between runs.
        #[arg(long, value_name = "FILE")]
        keyvalue_file: Option<PathBuf>,
        /// Run an actor whose signed claims do not verify (tampered, expired, not yet valid);
        /// for local development only.
        #[arg(long)]
        allow_invalid_claims: bool,
        /// Serve wasmcloud:httpserver on this loopback address (port 0 picks one): each request
        /// invokes the actor's HandleRequest. Runs until interrupted.
        #[arg(long, value_name = "ADDR")]
        http: Option<std::net::SocketAddr>,
        /// Let the actor's wasmcloud:httpclient reach this host (`api.example.com`,
        /// `127.0.0.1:8080`; `*` for any); repeatable. No host is allowed otherwise.
        #[arg(long = "allow-host", value_name = "HOST")]
        allow_host: Vec<String>,
        /// Deliver wasmcloud:messaging messages on this subject (NATS wildcards `*`, `>`) to
        /// the actor's HandleMessage (a component's handle-message); repeatable.
        #[arg(long = "subscribe", value_name = "SUBJECT")]
        subscribe: Vec<String>,
        /// Publish a wasmcloud:messaging message as the actor starts (before any --invoke):
        /// it reaches the actor when it subscribes to the subject; repeatable.
        #[arg(long = "publish", value_name = "SUBJECT=BODY")]
        publish: Vec<String>,
        /// Configuration a component reads through `wasi:config/store` (repeatable).
        #[arg(long = "config", value_name = "KEY=VALUE")]
        config: Vec<String>,
        /// Run on the debugger's instrumented engine (no session): measures its overhead.
        #[arg(long, hide = true)]
        instrumented: bool,
        /// Also accept a debugger on this address (`127.0.0.1:4712`; port 0 picks one): a DAP
        /// client attaches with an `attach` request (`"connect": "ADDR"` through `wasmscope
        /// dap`), one at a time, and may detach while the program goes on.
        #[arg(long, value_name = "ADDR", conflicts_with = "instrumented")]
        debug: Option<std::net::SocketAddr>,
        /// With --debug: accept debuggers from other machines too.
        #[arg(long, requires = "debug")]
        allow_remote: bool,
        /// With --debug: every attach must carry `"token": TOKEN` (default: the
        /// WASMSCOPE_DEBUG_TOKEN environment variable, when set).
        #[arg(long, value_name = "TOKEN", requires = "debug")]
        token: Option<String>,
        /// The `.wasm` program.
        program: PathBuf,
        /// Arguments passed to the program.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// Serve the Language Server Protocol on stdin/stdout (interface files and manifests).
    Lsp,
    /// Check files or directories as the language server would; prints
    /// `file:line:col: severity: message` and exits with 1 when there are errors.
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Build the bundled example and debug it through the DAP server, printing each stop.
    Demo,
    /// Run scripted debug sessions (YAML: launch, breakpoints, steps, expectations) through the
    /// DAP server, for CI: prints a transcript, exits with 1 when an expectation fails and 2
    /// when a script cannot be read. See docs/scripted-sessions.md.
    Debug {
        /// Debug scripts (`--script a.yaml b.yaml`, or repeated): each runs as its own session.
        #[arg(long = "script", value_name = "FILE", required = true, num_args = 1..)]
        scripts: Vec<PathBuf>,
        /// Also write a JUnit XML report here (one test suite per script, a case per step).
        #[arg(long, value_name = "PATH")]
        junit: Option<PathBuf>,
    },
    /// Inspect or sign an actor's embedded claims.
    #[command(subcommand)]
    Claims(claims_cli::ClaimsCommand),
    /// Make signing keys.
    #[command(subcommand)]
    Keys(claims_cli::KeysCommand),
}

fn main() -> ExitCode {
    init_logging();
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("wasmscope: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<ExitCode> {
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    match cli.command {
        Command::Dap {
            listen: Some(addr),
            allow_remote,
        } => {
            runtime.block_on(wasmscope_dap::listen(addr, allow_remote))?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Dap { listen: None, .. } => {
            runtime.block_on(wasmscope_dap::serve_stdio())?;
            // A debuggee stuck in a host call must not keep the adapter alive.
            std::process::exit(0);
        }
        Command::Run {
            env,
            dir,
            invoke,
            actor,
            log_level,
            keyvalue_file,
            allow_invalid_claims,
            http,
            allow_host,
            subscribe,
            publish,
            config,
            instrumented,
            debug,
            allow_remote,
            token,
            program,
            args,
        } => {
            let config = wasmscope_runtime::host::ProgramConfig {
                program,
                args,
                env: pairs("--env", "NAME=VALUE", &env)?,
                cwd: dir,
                preopens: Vec::new(),
                invocations: invoke
                    .iter()
                    .map(|spec| wasmscope_runtime::actor::Invocation::from_spec(spec))
                    .collect::<Result<_>>()?,
                messages: pairs("--publish", "SUBJECT=BODY", &publish)?
                    .into_iter()
                    .map(|(subject, body)| (subject, body.into_bytes()))
                    .collect(),
                log_level,
                keyvalue_file,
                keyvalue_store: None,
                message_bus: None,
                allow_invalid_claims,
                http,
                links: None,
                providers: wasmscope_runtime::actor::providers::ProviderSettings {
                    allowed_hosts: allow_host,
                    subscriptions: subscribe,
                },
                config: pairs("--config", "KEY=VALUE", &config)?,
            };
            if let Some(address) = debug {
                let options = wasmscope_dap::host::HostOptions {
                    address,
                    allow_remote,
                    token: token.or_else(|| std::env::var("WASMSCOPE_DEBUG_TOKEN").ok().filter(|t| !t.is_empty())),
                };
                let code = runtime.block_on(run_debug_host(config, actor.as_deref(), options))?;
                // Connections and a program stuck in a host call must not keep the host alive.
                std::process::exit(code);
            }
            let mode = if instrumented {
                EngineMode::Debug
            } else {
                EngineMode::Run
            };
            let code = if manifest::is_manifest(&config.program) {
                runtime.block_on(manifest::run_manifest(&config.program, &config, actor.as_deref(), mode))?
            } else {
                if actor.is_some() {
                    anyhow::bail!(
                        "--actor selects an actor of a manifest; `{}` is a module",
                        config.program.display()
                    );
                }
                runtime.block_on(wasmscope_runtime::run::run_program(&config, mode))?
            };
            Ok(ExitCode::from(code as u8))
        }
        Command::Lsp => {
            runtime.block_on(wasmscope_lsp::serve_stdio());
            // The blocking stdin reader would hold the runtime open after `exit`.
            std::process::exit(0);
        }
        Command::Check { paths } => {
            let errors = wasmscope_lsp::check::run(&paths, &mut std::io::stdout().lock())?;
            Ok(if errors > 0 {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            })
        }
        Command::Demo => demo::run(),
        Command::Debug { scripts, junit } => {
            let code = runtime.block_on(script::run(&scripts, junit.as_deref()))?;
            // A debuggee stuck in a host call must not keep the process alive.
            std::process::exit(code);
        }
        Command::Claims(command) => claims_cli::claims(command),
        Command::Keys(command) => claims_cli::keys(command),
    }
}

/// `wasmscope run --debug`: the program (or the manifest's actor) under a host debuggers
/// attach to.
async fn run_debug_host(
    mut config: wasmscope_runtime::host::ProgramConfig,
    actor: Option<&str>,
    options: wasmscope_dap::host::HostOptions,
) -> Result<i32> {
    if manifest::is_manifest(&config.program) {
        let plan = manifest::load(&config.program)?;
        for note in &plan.notes {
            eprintln!("wasmscope: {note}");
        }
        let chosen = plan.actor_to_debug(actor)?;
        config.program = chosen.program.clone();
        config.http = chosen.http.or(config.http);
        config.links = Some(chosen.links.clone());
        config.providers = config.providers.merged(&chosen.providers);
        config.config = chosen.config.iter().chain(&config.config).cloned().collect();
    } else if actor.is_some() {
        anyhow::bail!(
            "--actor selects an actor of a manifest; `{}` is a module",
            config.program.display()
        );
    }
    let launch = wasmscope_runtime::debug::LaunchConfig {
        program: config,
        stop_on_entry: false,
        serve: false,
    };
    wasmscope_dap::host::run(launch, options).await
}

/// Logs go to stderr (stdout carries the protocol); `WASMSCOPE_LOG=debug` shows more.
fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("WASMSCOPE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_target(false)
        .init();
}

/// `KEY=VALUE` arguments of `flag` as pairs (the value may hold `=` itself).
fn pairs(flag: &str, shape: &str, given: &[String]) -> Result<Vec<(String, String)>> {
    given
        .iter()
        .map(|pair| match pair.split_once('=') {
            Some((k, v)) => Ok((k.to_string(), v.to_string())),
            None => anyhow::bail!("{flag} takes {shape}, got `{pair}`"),
        })
        .collect()
}
