//! The Debug Adapter Protocol server of wasmscope (`wasmscope dap`).
//!
//! Layers: [`codec`] frames messages (`Content-Length` + JSON), [`outgoing`] numbers and
//! writes responses and events, [`server`] dispatches requests to one module per concern under
//! [`requests`], and [`events`] turns the debug session's events into DAP events. All engine
//! work goes through `wasmscope_runtime::debug::DebugSession`; no wasmtime type is seen here.
//! [`host`] serves clients attaching to a running program (`wasmscope run --debug`), and
//! [`bridge`] relays an `attach` with `connect` from a stdio client to such a host.

mod bridge;
pub mod client;
mod codec;
mod events;
pub mod host;
mod listen;
mod outgoing;
mod requests;
mod server;

pub use listen::listen;
pub use server::serve;

/// Serves one debug session over this process's stdin and stdout.
pub async fn serve_stdio() -> anyhow::Result<()> {
    serve(tokio::io::stdin(), tokio::io::stdout()).await
}
