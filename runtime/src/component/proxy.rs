//! A `wasi:http/incoming-handler` component (`wasi:http/proxy`): instantiated once, then
//! `handle` called for each request in turn, in the same store (so the debugger's handler and
//! breakpoints apply to every request).

use anyhow::{Context, Result};
use tokio::sync::oneshot;
use wasmtime::Store;
use wasmtime::component::{Component, Linker};
use wasmtime_wasi_http::WasiHttpView;
use wasmtime_wasi_http::p2::bindings::http::types::Scheme;
use wasmtime_wasi_http::p2::bindings::{Proxy, ProxyPre};

use super::http::{HttpRequest, plain};
use crate::host::{HostState, ProgramConfig};

/// Links WASI 0.2, `wasi:http` and the host's capabilities (`config`'s values for
/// `wasi:config`) and instantiates the component as a `wasi:http/proxy`.
pub async fn instantiate_proxy(
    store: &mut Store<HostState>,
    component: &Component,
    config: &ProgramConfig,
) -> Result<Proxy> {
    let mut linker: Linker<HostState> = Linker::new(store.engine());
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)?;
    wasmtime_wasi_http::p2::add_only_http_to_linker_async(&mut linker)?;
    super::capabilities::add_to_linker(&mut linker, &config.config)?;
    let pre = linker
        .instantiate_pre(component)
        .map_err(anyhow::Error::from)
        .and_then(|pre| ProxyPre::new(pre).map_err(anyhow::Error::from))
        .context("cannot link the component as a `wasi:http/proxy` (does it import only WASI 0.2, wasi:http, wasi:keyvalue, wasi:config and wasi:logging?)")?;
    Ok(pre.instantiate_async(&mut *store).await?)
}

/// One request: the component's `handle`, then its response (or a 500 that says why there is
/// none) to the client. An error is a trap in the handler; the client got a 500 with it.
pub async fn handle_request(store: &mut Store<HostState>, proxy: &Proxy, request: HttpRequest) -> Result<u16> {
    let HttpRequest { request, reply } = request;
    let (set_tx, mut set_rx) = oneshot::channel();
    let result = async {
        let incoming = store.data_mut().http().new_incoming_request(Scheme::Http, request)?;
        let out = store.data_mut().http().new_response_outparam(set_tx)?;
        proxy
            .wasi_http_incoming_handler()
            .call_handle(&mut *store, incoming, out)
            .await
    }
    .await;
    let (response, outcome) = match (result, set_rx.try_recv()) {
        (Ok(()), Ok(Ok(response))) => {
            let status = response.status().as_u16();
            (response, Ok(status))
        }
        (Ok(()), Ok(Err(code))) => (
            plain(500, format!("the component answered with an error: {code:?}\n")),
            Ok(500),
        ),
        (Ok(()), Err(_)) => (plain(500, "the component set no response\n".into()), Ok(500)),
        (Err(e), _) => {
            let text = format!("{e:#}");
            (plain(500, format!("{text}\n")), Err(anyhow::Error::from(e)))
        }
    };
    let _ = reply.send(response);
    outcome
}
