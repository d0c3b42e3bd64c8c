//! What a component is for, from its exports: a `wasi:cli/run` command, a
//! `wasi:http/incoming-handler` that serves requests, or a `wasmcloud:messaging/handler` that
//! takes messages.

use anyhow::{Result, bail};
use wasmtime::Engine;
use wasmtime::component::Component;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComponentKind {
    /// Exports `wasi:cli/run`: runs once.
    Command,
    /// Exports `wasi:http/incoming-handler`: each HTTP request is an invocation.
    HttpHandler,
    /// Exports `wasmcloud:messaging/handler`: each message on a subscribed subject is one.
    MessageHandler,
}

impl ComponentKind {
    pub fn of(engine: &Engine, component: &Component) -> Result<ComponentKind> {
        let exports: Vec<String> = component
            .component_type()
            .exports(engine)
            .map(|(name, _)| name.to_string())
            .collect();
        let exports_interface = |prefix: &str| exports.iter().any(|name| name.starts_with(prefix));
        if exports_interface("wasi:http/incoming-handler@") {
            Ok(ComponentKind::HttpHandler)
        } else if exports_interface("wasi:cli/run@") {
            Ok(ComponentKind::Command)
        } else if exports_interface("wasmcloud:messaging/handler@") {
            Ok(ComponentKind::MessageHandler)
        } else {
            bail!(
                "the component exports none of `wasi:cli/run`, `wasi:http/incoming-handler` and \
                 `wasmcloud:messaging/handler` (it exports {}): there is nothing to run",
                if exports.is_empty() {
                    "nothing".to_string()
                } else {
                    exports.join(", ")
                }
            )
        }
    }
}
