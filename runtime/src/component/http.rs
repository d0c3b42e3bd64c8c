//! The HTTP/1.1 server in front of a `wasi:http/incoming-handler` component: a loopback
//! listener whose every request waits in a queue for the component's store, so a breakpoint in
//! the handler stops while the client waits.

use std::convert::Infallible;
use std::net::SocketAddr;

use anyhow::Result;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use tokio::sync::{mpsc, oneshot};
use wasmtime_wasi_http::p2::body::HyperOutgoingBody;

use crate::host::loopback_http;

pub type HttpResponse = hyper::Response<HyperOutgoingBody>;

/// A request waiting for the component, and where its client awaits the response.
pub struct HttpRequest {
    pub request: hyper::Request<Incoming>,
    pub reply: oneshot::Sender<HttpResponse>,
}

pub type HttpQueue = mpsc::UnboundedReceiver<HttpRequest>;

/// Listens on `addr` (loopback only); returns the bound address and the queue of requests.
/// The queue ends when the server's runtime does (the server's tasks hold its sender).
pub async fn serve(addr: SocketAddr) -> Result<(SocketAddr, HttpQueue)> {
    let (queue_tx, queue) = mpsc::unbounded_channel();
    let bound = loopback_http::serve(addr, move |request| forward(request, queue_tx.clone())).await?;
    Ok((bound, queue))
}

async fn forward(request: hyper::Request<Incoming>, queue: mpsc::UnboundedSender<HttpRequest>) -> HttpResponse {
    let (reply, response) = oneshot::channel();
    if queue.send(HttpRequest { request, reply }).is_err() {
        return plain(503, "the component has ended\n".into());
    }
    response
        .await
        .unwrap_or_else(|_| plain(503, "the component has ended\n".into()))
}

/// A text response made by the host (an error the component could not answer itself).
pub fn plain(status: u16, text: String) -> HttpResponse {
    let body =
        Full::new(Bytes::from(text)).map_err(|never: Infallible| -> wasmtime_wasi_http::Error { match never {} });
    let mut response = hyper::Response::new(BodyExt::boxed_unsync(body));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response
}
