//! attach: join a running host's session (`wasmscope run --debug`), or, with `connect`,
//! bridge this client to such a host over TCP.

use anyhow::{Result, bail};
use serde::Deserialize;
use serde_json::{Value, json};
use wasmscope_runtime::debug::SessionEvent;

use crate::bridge::Bridge;
use crate::server::{Role, Server, arguments};

/// `attach` arguments (`$`-prefixed and unknown properties from clients are ignored).
#[derive(Debug, Deserialize)]
struct AttachArguments {
    /// `HOST:PORT` of a host started with `wasmscope run --debug`: this adapter relays the
    /// session to it.
    connect: Option<String>,
    /// What the host's `--token` (or `WASMSCOPE_DEBUG_TOKEN`) is.
    token: Option<String>,
}

impl Server {
    pub(crate) async fn attach(&mut self, raw: Value) -> Result<Option<Value>> {
        let args: AttachArguments = arguments("attach", raw.clone())?;
        if self.session.is_some() {
            bail!("this session already debugs a program");
        }
        match (&self.role, args.connect) {
            (Role::Adapter, Some(address)) => {
                let mut forwarded = raw;
                if let Some(map) = forwarded.as_object_mut() {
                    map.remove("connect");
                }
                let bridge = Bridge::connect(
                    &address,
                    self.initialize_args.clone(),
                    forwarded,
                    std::mem::take(&mut self.early_configuration),
                    self.out.clone(),
                )
                .await?;
                self.bridge = Some(bridge);
                Ok(Some(Value::Null))
            }
            (Role::Adapter, None) => bail!(
                "nothing to attach to: give `connect: \"HOST:PORT\"` of a host started with `wasmscope run --debug HOST:PORT`"
            ),
            (Role::HostClient { .. }, Some(_)) => {
                bail!("`connect` is for an adapter; this is the host itself: attach without it")
            }
            (Role::HostClient { host, peer }, None) => {
                let (host, peer) = (host.clone(), *peer);
                if let Err(refusal) = host.check_token(args.token.as_deref()) {
                    host.log(&format!("refused an attach from {peer}: {refusal}"));
                    bail!("attach refused: {refusal}");
                }
                let session = host.attach(self.events_tx.clone())?;
                host.log(&format!("debugger attached from {peer}"));
                let _ = self.events_tx.send(SessionEvent::Notice {
                    text: format!("attached to `{}`", host.program().display()),
                });
                for status in self.breakpoints.resolve_all(session.module_debug_info()) {
                    let _ = self.events_tx.send(SessionEvent::Breakpoint(status));
                }
                session.arm_breakpoints(self.breakpoints.armed());
                session.stop_on_trap(self.stop_on_trap);
                self.session = Some(session);
                self.attached = true;
                Ok(Some(json!({})))
            }
        }
    }

    /// Leaves an attached host running as it was before: no breakpoints, no stop on traps,
    /// not stopped, and no longer sending this client its events.
    pub(crate) fn detach(&mut self) {
        let Some(session) = self.session.take() else {
            return;
        };
        self.attached = false;
        if let Role::HostClient { host, peer } = &self.role {
            host.detach();
            host.log(&format!("debugger from {peer} detached; the program goes on"));
        }
        session.arm_breakpoints(Default::default());
        session.stop_on_trap(false);
        if session.is_stopped() {
            let _ = session.resume();
        }
    }
}
