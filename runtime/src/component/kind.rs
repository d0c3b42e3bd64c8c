//! What a component is for, from its exports: a `wasi:cli/run` command, or a
//! `wasi:http/incoming-handler` that serves requests.

use anyhow::{Result, bail};
use wasmtime::Engine;
use wasmtime::component::Component;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ComponentKind {
    /// Exports `wasi:cli/run`: runs once.
    Command,
    /// Exports `wasi:http/incoming-handler`: each HTTP request is an invocation.
    HttpHandler,
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
        } else {
            bail!(
                "the component exports neither `wasi:cli/run` nor `wasi:http/incoming-handler` \
                 (it exports {}): there is nothing to run",
                if exports.is_empty() {
                    "nothing".to_string()
                } else {
                    exports.join(", ")
                }
            )
        }
    }
}
