//! The 2020 host manifest: `actors` (paths or registry references), `capabilities`
//! (`image_ref`, `link_name`) and `links` (`actor` key, `contract_id`, `values`).

use std::path::Path;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::{ActorPlan, Plan, configure_provider, contract_for, http_address, local_image};
use crate::actor::claims;
use crate::actor::providers::http_server;

#[derive(Deserialize)]
struct HostManifest {
    #[serde(default)]
    actors: Vec<String>,
    #[serde(default)]
    links: Vec<Link>,
}

#[derive(Deserialize)]
struct Link {
    actor: String,
    contract_id: String,
    #[serde(default)]
    values: serde_json::Map<String, serde_json::Value>,
}

pub(super) fn plan(value: &serde_json::Value, base: &Path) -> Result<Plan> {
    let manifest: HostManifest =
        serde_json::from_value(value.clone()).context("not a host manifest (actors, capabilities, links)")?;
    let mut notes = Vec::new();
    let mut actors = Vec::new();
    // Links name actors by their module key: read each local actor's claims to match them.
    let mut keys = Vec::new();
    for reference in &manifest.actors {
        let Some(program) = local_image(reference, base) else {
            notes.push(format!("skipping `{reference}`: only local actors run here"));
            continue;
        };
        let bytes = std::fs::read(&program).with_context(|| format!("cannot read actor `{}`", program.display()))?;
        let key = claims::read(&bytes).ok().flatten().map(|c| c.subject);
        let name = program
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| reference.clone());
        keys.push((key, reference.clone()));
        actors.push(ActorPlan {
            name,
            program,
            links: Vec::new(),
            http: None,
            providers: Default::default(),
            config: Vec::new(),
        });
    }
    for link in &manifest.links {
        let Some(index) = keys
            .iter()
            .position(|(key, reference)| key.as_deref() == Some(link.actor.as_str()) || *reference == link.actor)
        else {
            bail!(
                "a link names actor `{}`, which is not one of the manifest's local actors (links name actors by their module key)",
                link.actor
            );
        };
        let actor = &mut actors[index];
        let contract = contract_for(&format!("the link of `{}`", actor.name), &link.contract_id)?;
        if contract == http_server::CONTRACT {
            let port = link
                .values
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("PORT") || k.eq_ignore_ascii_case("ADDRESS"))
                .map(|(_, v)| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
                .context("a wasmcloud:httpserver link needs a PORT or ADDRESS value")?;
            actor.http = Some(http_address(&port, &mut notes)?);
        }
        configure_provider(actor, contract, |keys| {
            link.values
                .iter()
                .find(|(k, _)| keys.iter().any(|key| k.eq_ignore_ascii_case(key)))
                .map(|(_, v)| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
        });
        actor.links.push(contract.to_string());
    }
    Ok(Plan { actors, notes })
}
