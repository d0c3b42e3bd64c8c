//! `wasmcloud:httpserver`: an HTTP/1.1 server on a loopback address whose every request is an
//! invocation of the actor's `HandleRequest` (msgpack `Request` in, `Response` out), so a
//! breakpoint in the handler stops while the client waits.

use std::collections::HashMap;
use std::net::SocketAddr;

use anyhow::{Result, bail};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use serde::{Deserialize, Serialize};
use serde_bytes::ByteBuf;
use tokio::sync::{mpsc, oneshot};

use crate::actor::execute::Request;
use crate::actor::invocation::{Invocation, Outcome};
use crate::actor::kind::ProgramKind;
use crate::host::ProgramConfig;
use crate::host::loopback_http;

pub const CONTRACT: &str = "wasmcloud:httpserver";
/// The actor operation each request invokes.
pub const OPERATION: &str = "HandleRequest";

#[derive(Serialize)]
struct HttpRequest {
    method: String,
    path: String,
    #[serde(rename = "queryString")]
    query_string: String,
    header: HashMap<String, String>,
    body: ByteBuf,
}

#[derive(Deserialize)]
struct HttpResponse {
    #[serde(rename = "statusCode")]
    status_code: u32,
    #[serde(default)]
    header: HashMap<String, String>,
    #[serde(default)]
    body: ByteBuf,
}

/// Starts the server a program's configuration asks for; `Ok(None)` when it asks for none.
pub async fn start_for(
    kind: ProgramKind,
    config: &ProgramConfig,
    queue: &mpsc::UnboundedSender<Request>,
) -> Result<Option<SocketAddr>> {
    let Some(addr) = config.http else { return Ok(None) };
    if kind != ProgramKind::Wapc {
        bail!("only a waPC actor can serve `{CONTRACT}` (it is invoked with `{OPERATION}`)");
    }
    serve(addr, queue.downgrade()).await.map(Some)
}

/// Listens on `addr` (loopback only) and turns requests into invocations sent to `queue`;
/// returns the bound address. The server holds the queue weakly: once the program's owner
/// drops its sender, requests get 503 and the actor can end.
pub async fn serve(addr: SocketAddr, queue: mpsc::WeakUnboundedSender<Request>) -> Result<SocketAddr> {
    loopback_http::serve(addr, move |request| handle(request, queue.clone())).await
}

async fn handle(
    request: hyper::Request<Incoming>,
    queue: mpsc::WeakUnboundedSender<Request>,
) -> hyper::Response<Full<Bytes>> {
    match invoke(request, queue).await {
        Ok(response) => response,
        Err((status, message)) => plain(status, format!("{message}\n")),
    }
}

async fn invoke(
    request: hyper::Request<Incoming>,
    queue: mpsc::WeakUnboundedSender<Request>,
) -> Result<hyper::Response<Full<Bytes>>, (u16, String)> {
    let (parts, body) = request.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|e| (400, format!("cannot read the request body: {e}")))?
        .to_bytes();
    let header = parts
        .headers
        .iter()
        .filter_map(|(name, value)| Some((name.as_str().to_string(), value.to_str().ok()?.to_string())))
        .collect();
    let payload = rmp_serde::to_vec_named(&HttpRequest {
        method: parts.method.as_str().to_string(),
        path: parts.uri.path().to_string(),
        query_string: parts.uri.query().unwrap_or("").to_string(),
        header,
        body: ByteBuf::from(body.to_vec()),
    })
    .map_err(|e| (500, format!("cannot encode the request: {e}")))?;
    let (reply, outcome) = oneshot::channel();
    let sent = queue.upgrade().map(|queue| {
        queue.send(Request {
            invocation: Invocation {
                operation: OPERATION.to_string(),
                payload,
            },
            reply: Some(reply),
            hops: 0,
        })
    });
    if !matches!(sent, Some(Ok(()))) {
        return Err((503, "the actor is not running".into()));
    }
    let bytes = match outcome.await {
        Ok(Outcome::Response(bytes)) => bytes,
        Ok(Outcome::Error(message)) => return Err((500, format!("{OPERATION} failed: {message}"))),
        Err(_) => return Err((503, "the actor ended before answering".into())),
    };
    let response: HttpResponse = rmp_serde::from_slice(&bytes).map_err(|e| {
        (
            500,
            format!("the actor's {OPERATION} answer is not a wasmcloud:httpserver Response: {e}"),
        )
    })?;
    let status = u16::try_from(response.status_code).unwrap_or(500);
    let mut builder = hyper::Response::builder().status(status);
    for (name, value) in &response.header {
        builder = builder.header(name, value);
    }
    builder
        .body(Full::new(Bytes::from(response.body.into_vec())))
        .map_err(|e| (500, format!("the actor's response is not valid HTTP: {e}")))
}

fn plain(status: u16, text: String) -> hyper::Response<Full<Bytes>> {
    let mut response = hyper::Response::new(Full::new(Bytes::from(text)));
    *response.status_mut() = hyper::StatusCode::from_u16(status).unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    response
}
