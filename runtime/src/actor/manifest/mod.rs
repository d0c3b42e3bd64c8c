//! Running a manifest locally (`wasmscope run app.yaml`): a wadm application or a 2020 host
//! manifest becomes a [`Plan`] (its local actors, each with the contracts it is linked to and
//! the link configuration the built-in providers take, e.g. the HTTP address).

mod env;
mod host;
mod run;
mod wadm;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

pub use run::run_manifest;

use anyhow::{Context, Result, bail};

use super::providers::{CONTRACTS, ProviderSettings, http_server};

/// What a manifest asks to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub actors: Vec<ActorPlan>,
    /// Things worth telling the user (an address moved to loopback, a scaler ignored).
    pub notes: Vec<String>,
}

/// One local actor and its links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorPlan {
    /// The manifest's name for it (wadm component name, or the file name).
    pub name: String,
    pub program: PathBuf,
    /// Contracts it is linked to (it may call only these).
    pub links: Vec<String>,
    /// Where its `wasmcloud:httpserver` link serves.
    pub http: Option<SocketAddr>,
    /// Its `wasmcloud:httpclient` links' `allowed_hosts`, its `wasmcloud:messaging` links'
    /// `subscriptions`.
    pub providers: ProviderSettings,
    /// What a component reads through `wasi:config/store`: its wadm `config` properties.
    pub config: Vec<(String, String)>,
}

/// A comma-separated link value (`allowed_hosts: "a.com, b.com"`) as its entries.
fn list_value(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Takes what a provider's link configures: the HTTP client's allowed hosts, the messaging
/// subscriptions (the keys wasmCloud's providers read, in any case).
fn configure_provider(actor: &mut ActorPlan, contract: &str, value: impl Fn(&[&str]) -> Option<String>) {
    match contract {
        HTTP_CLIENT => {
            if let Some(hosts) = value(&["allowed_hosts", "ALLOWED_HOSTS"]) {
                actor.providers.allowed_hosts.extend(list_value(&hosts));
            }
        }
        MESSAGING => {
            if let Some(subjects) = value(&["subscriptions", "SUBSCRIPTION", "SUBSCRIPTIONS"]) {
                actor.providers.subscriptions.extend(list_value(&subjects));
            }
        }
        _ => {}
    }
}

const HTTP_CLIENT: &str = "wasmcloud:httpclient";
const MESSAGING: &str = "wasmcloud:messaging";

impl Plan {
    /// The one actor a debug session runs: the one named `name`, or the only one there is.
    pub fn actor_to_debug(&self, name: Option<&str>) -> Result<&ActorPlan> {
        match (name, self.actors.as_slice()) {
            (Some(name), actors) => actors
                .iter()
                .find(|a| a.name == name)
                .with_context(|| format!("the manifest has no local actor `{name}`")),
            (None, [only]) => Ok(only),
            (None, []) => bail!("the manifest has no local actor to debug"),
            (None, _) => bail!("the manifest runs several actors: say which one to debug (`actor`)"),
        }
    }
}

/// Whether a path names a manifest rather than a module.
pub fn is_manifest(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}

/// Reads a manifest (wadm application or 2020 host manifest).
pub fn load(path: &Path) -> Result<Plan> {
    let text = std::fs::read_to_string(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let text = env::expand(&text);
    let base = path.parent().unwrap_or(Path::new("."));
    let value: serde_json::Value =
        serde_saphyr::from_str(&text).map_err(|e| anyhow::anyhow!("`{}` is not valid YAML: {e}", path.display()))?;
    let plan = if value.get("apiVersion").is_some() || value.get("spec").is_some() {
        wadm::plan(&value, base)
    } else if value.get("actors").is_some() {
        host::plan(&value, base)
    } else {
        bail!(
            "`{}` is neither a wadm application (apiVersion, spec.components) nor a host manifest (actors, capabilities, links)",
            path.display()
        )
    }
    .with_context(|| format!("in `{}`", path.display()))?;
    if plan.actors.is_empty() {
        bail!(
            "`{}` has no local actor to run (file:// images or paths)",
            path.display()
        );
    }
    for actor in &plan.actors {
        if !actor.program.is_file() {
            bail!("actor `{}`: `{}` does not exist", actor.name, actor.program.display());
        }
    }
    Ok(plan)
}

/// The contract a built-in provider answers for a link's interface, or an error naming it.
fn contract_for(what: &str, contract: &str) -> Result<&'static str> {
    let builtin = CONTRACTS
        .iter()
        .chain(std::iter::once(&http_server::CONTRACT))
        .find(|c| **c == contract);
    match builtin {
        Some(contract) => Ok(contract),
        None => bail!(
            "{what} needs `{contract}`, which wasmscope has no built-in provider for (it provides {}, {})",
            CONTRACTS.join(", "),
            http_server::CONTRACT
        ),
    }
}

/// An HTTP address from link configuration: a port alone, `host:port`, or `0.0.0.0:port`
/// (served on loopback: wasmscope never listens beyond this machine).
fn http_address(value: &str, notes: &mut Vec<String>) -> Result<SocketAddr> {
    let value = value.trim();
    let addr: SocketAddr = match value.parse::<u16>() {
        Ok(port) => SocketAddr::from(([127, 0, 0, 1], port)),
        Err(_) => value
            .parse()
            .with_context(|| format!("`{value}` is not an HTTP address (host:port or a port)"))?,
    };
    if addr.ip().is_loopback() {
        return Ok(addr);
    }
    notes.push(format!("serving {value} on 127.0.0.1:{} (loopback only)", addr.port()));
    Ok(SocketAddr::from(([127, 0, 0, 1], addr.port())))
}

/// A local image: `file://path` or a plain relative/absolute path ending in `.wasm`;
/// `None` for registry references.
fn local_image(image: &str, base: &Path) -> Option<PathBuf> {
    let path = match image.strip_prefix("file://") {
        Some(path) => path,
        None if image.ends_with(".wasm") && !image.contains(".io/") && !image.contains(':') => image,
        None => return None,
    };
    let path = Path::new(path);
    Some(if path.is_absolute() {
        path.to_path_buf()
    } else {
        base.join(path)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_addresses_stay_on_loopback() {
        let mut notes = Vec::new();
        assert_eq!(
            http_address("8080", &mut notes).unwrap(),
            "127.0.0.1:8080".parse().unwrap()
        );
        assert_eq!(
            http_address("127.0.0.1:9", &mut notes).unwrap(),
            "127.0.0.1:9".parse().unwrap()
        );
        assert!(notes.is_empty());
        assert_eq!(
            http_address("0.0.0.0:8000", &mut notes).unwrap(),
            "127.0.0.1:8000".parse().unwrap()
        );
        assert_eq!(notes, ["serving 0.0.0.0:8000 on 127.0.0.1:8000 (loopback only)"]);
        assert!(http_address("everywhere", &mut notes).is_err());
    }

    #[test]
    fn local_images_and_registry_references() {
        let base = Path::new("/app");
        assert_eq!(
            local_image("file://./build/a.wasm", base),
            Some(PathBuf::from("/app/./build/a.wasm"))
        );
        assert_eq!(
            local_image("file:///abs/a.wasm", base),
            Some(PathBuf::from("/abs/a.wasm"))
        );
        assert_eq!(
            local_image("actor_s.wasm", base),
            Some(PathBuf::from("/app/actor_s.wasm"))
        );
        assert_eq!(local_image("ghcr.io/wasmcloud/http-server:0.23.0", base), None);
        assert_eq!(local_image("wasmcloud.azurecr.io/echo:0.2.0", base), None);
    }
}
