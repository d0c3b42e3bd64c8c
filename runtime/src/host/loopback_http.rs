//! The HTTP/1.1 listener both HTTP servers share (waPC's `wasmcloud:httpserver` and the one in
//! front of `wasi:http/incoming-handler` components): loopback addresses only, every
//! connection served by hyper, every request answered by the server's own function.

use std::convert::Infallible;
use std::future::Future;
use std::net::SocketAddr;

use anyhow::{Context, Result, bail};
use hyper::body::{Body, Incoming};
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

/// Listens on `addr` and answers each request with `answer`, from tasks of the current
/// runtime; returns the bound address (port 0 picks one).
pub(crate) async fn serve<F, Fut, B>(addr: SocketAddr, answer: F) -> Result<SocketAddr>
where
    F: Fn(hyper::Request<Incoming>) -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = hyper::Response<B>> + Send + 'static,
    B: Body + Send + 'static,
    B::Data: Send,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    if !addr.ip().is_loopback() {
        bail!("the HTTP server listens on loopback addresses only, not {}", addr.ip());
    }
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot listen on {addr}"))?;
    let bound = listener.local_addr()?;
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            // Responses go out in more than one write: without this, Nagle's algorithm holds
            // the last one until the client's delayed ACK (~40 ms a keep-alive request).
            let _ = stream.set_nodelay(true);
            let answer = answer.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| {
                    let response = answer(request);
                    async move { Ok::<_, Infallible>(response.await) }
                });
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(bound)
}
