//! `wasmscope dap --listen ADDR`: the adapter as a TCP server, for clients that connect to a
//! running adapter instead of starting one. Each connection is a session of its own.

use std::net::SocketAddr;

use anyhow::{Context, Result, bail};
use tokio::net::TcpListener;

use crate::serve;

/// Accepts clients on `addr` forever. Only loopback addresses, unless `allow_remote`: a debug
/// adapter runs whatever program a client names.
pub async fn listen(addr: SocketAddr, allow_remote: bool) -> Result<()> {
    check_address(addr, allow_remote)?;
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    // Printed for people and scripts alike: with port 0 this is where the port is told.
    eprintln!("wasmscope dap: listening on {}", listener.local_addr()?);
    loop {
        let (stream, peer) = listener.accept().await.context("accepting a client failed")?;
        tracing::info!("client {peer} connected");
        tokio::spawn(async move {
            let (input, output) = stream.into_split();
            if let Err(e) = serve(input, output).await {
                tracing::warn!("session with {peer} failed: {e:#}");
            }
            tracing::info!("client {peer} disconnected");
        });
    }
}

/// Refuses a non-loopback address unless `allow_remote`: whoever connects can run code here
/// (the adapter) or read and change a running program (an attached host).
pub(crate) fn check_address(addr: SocketAddr, allow_remote: bool) -> Result<()> {
    if !addr.ip().is_loopback() && !allow_remote {
        bail!("refusing to listen on {addr}: not a loopback address (pass --allow-remote to accept other machines)");
    }
    Ok(())
}
