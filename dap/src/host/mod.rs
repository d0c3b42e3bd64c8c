//! `wasmscope run --debug ADDR`: a host that runs a program exactly as `wasmscope run` does,
//! on the debugger's engine, and lets one DAP client at a time attach to it over TCP.
//!
//! The host owns the debug session; an attached client borrows it (its breakpoints, its stop
//! on traps) until it detaches. Session events are shown on the host's own stdout/stderr and,
//! while a client is attached, sent to it too.

mod console;
mod listener;
mod slot;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use wasmscope_runtime::debug::{DebugSession, LaunchConfig, SessionEvent};

use crate::listen::check_address;
pub(crate) use slot::ClientSlot;

/// How the host accepts debuggers.
#[derive(Debug, Clone)]
pub struct HostOptions {
    pub address: SocketAddr,
    /// Accept clients on a non-loopback address.
    pub allow_remote: bool,
    /// Every attach must carry this as its `token`.
    pub token: Option<String>,
}

/// The running program and who is attached to it.
pub(crate) struct DebugHost {
    session: Arc<DebugSession>,
    program: PathBuf,
    token: Option<String>,
    /// Where the attached client's session events go.
    client_events: Mutex<Option<mpsc::UnboundedSender<SessionEvent>>>,
    pub(crate) slot: ClientSlot,
}

/// Runs the program until it ends (or an attached client ends it); returns its exit code.
pub async fn run(config: LaunchConfig, options: HostOptions) -> Result<i32> {
    check_address(options.address, options.allow_remote)?;
    let listener = TcpListener::bind(options.address)
        .await
        .with_context(|| format!("cannot listen for debuggers on {}", options.address))?;
    let address = listener.local_addr()?;
    let program = config.program.program.clone();
    let (events_tx, events_rx) = mpsc::unbounded_channel();
    let session = tokio::task::spawn_blocking(move || DebugSession::launch(config, events_tx))
        .await
        .context("the launch task failed")??;
    // Until a client says otherwise, a trap ends an invocation as it does without --debug.
    session.stop_on_trap(false);
    session.start();
    let host = Arc::new(DebugHost {
        session: Arc::new(session),
        program,
        token: options.token,
        client_events: Mutex::new(None),
        slot: ClientSlot::default(),
    });
    // For people and scripts alike: with port 0 this is where the port is told.
    host.log(&format!(
        "debugger listening on {address} (DAP `attach` with \"connect\": \"{address}\"{})",
        if host.token.is_some() { " and the token" } else { "" }
    ));
    let accepting = tokio::spawn(listener::accept(listener, host.clone()));
    let code = host.route_events(events_rx).await;
    // An attached client gets a moment to read the last events and disconnect.
    host.slot.wait_until_free(Duration::from_secs(1)).await;
    accepting.abort();
    Ok(code)
}

impl DebugHost {
    pub(crate) fn program(&self) -> &Path {
        &self.program
    }

    /// A line on the host's stderr (its user sees who attached and what was refused).
    pub(crate) fn log(&self, text: &str) {
        console::notice(text);
    }

    /// Whether `given` is the token this host wants; the refusal says why, for the client.
    pub(crate) fn check_token(&self, given: Option<&str>) -> Result<(), String> {
        match (&self.token, given) {
            (None, _) => Ok(()),
            (Some(_), None) => Err("this host requires a token: add `\"token\"` to the attach configuration".into()),
            (Some(wanted), Some(given)) if same_secret(wanted, given) => Ok(()),
            (Some(_), Some(_)) => Err("wrong token".into()),
        }
    }

    /// Sends the session's events to a newly attached client as well.
    pub(crate) fn attach(&self, events: mpsc::UnboundedSender<SessionEvent>) -> Result<Arc<DebugSession>> {
        if self.session.has_finished() {
            bail!("the program has ended");
        }
        *self.client_events.lock().unwrap_or_else(|e| e.into_inner()) = Some(events);
        Ok(self.session.clone())
    }

    pub(crate) fn detach(&self) {
        self.client_events.lock().unwrap_or_else(|e| e.into_inner()).take();
    }

    /// Shows every event here and forwards it to the attached client; a stop nobody is
    /// attached to see (a client left mid-step or mid-pause) resumes at once.
    async fn route_events(&self, mut events: mpsc::UnboundedReceiver<SessionEvent>) -> i32 {
        let mut exit_code = None;
        while let Some(event) = events.recv().await {
            console::show(&event);
            let stopped = matches!(event, SessionEvent::Stopped { .. });
            let terminated = matches!(event, SessionEvent::Terminated);
            if let SessionEvent::Exited { code } = event {
                exit_code = Some(code);
            }
            let delivered = {
                let client = self.client_events.lock().unwrap_or_else(|e| e.into_inner());
                client.as_ref().is_some_and(|tx| tx.send(event).is_ok())
            };
            if stopped && !delivered {
                let _ = self.session.resume();
            }
            if terminated {
                break;
            }
        }
        exit_code.unwrap_or_else(|| {
            console::notice("the program was ended by the debugger");
            0
        })
    }
}

/// Compares without an early exit, so timing does not tell how much of a guess was right.
fn same_secret(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret("s3cret", "s3cret"));
        assert!(!same_secret("s3cret", "s3cres"));
        assert!(!same_secret("s3cret", "s3cre"));
        assert!(!same_secret("", "x"));
    }
}
