//! A wadm application: `spec.components` of type `component`/`actor` (local `file://` images run
//! here) and `capability` (served by the built-in providers), joined by `link` traits
//! (`namespace`, `package`, `interfaces`, config with the HTTP `address`) or, in 0.x-era
//! manifests, `linkdef` traits to a capability with a `contract`.

use std::path::Path;

use anyhow::{Result, bail};
use serde_json::Value;

use super::{ActorPlan, Plan, configure_provider, contract_for, http_address, local_image};
use crate::actor::providers::http_server;

pub(super) fn plan(manifest: &Value, base: &Path) -> Result<Plan> {
    let components = manifest["spec"]["components"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    let mut notes = Vec::new();
    let name_of = |c: &Value| c["name"].as_str().unwrap_or("").to_string();
    let mut actors: Vec<ActorPlan> = Vec::new();
    for component in components {
        let kind = component["type"].as_str().unwrap_or("");
        if !matches!(kind, "component" | "actor") {
            continue;
        }
        let image = component["properties"]["image"].as_str().unwrap_or("");
        let name = name_of(component);
        match local_image(image, base) {
            Some(program) => actors.push(ActorPlan {
                name,
                program,
                links: Vec::new(),
                providers: Default::default(),
                http: None,
                config: component_config(component),
            }),
            None => notes.push(format!("skipping `{name}` ({image}): only local images run here")),
        }
    }
    for source in components {
        for t in source["traits"].as_array().map(Vec::as_slice).unwrap_or_default() {
            let kind = t["type"].as_str().unwrap_or("");
            if !matches!(kind, "link" | "linkdef") {
                continue;
            }
            let properties = &t["properties"];
            let target = match &properties["target"] {
                Value::String(name) => name.clone(),
                other => other["name"].as_str().unwrap_or("").to_string(),
            };
            let Some(target_component) = components.iter().find(|c| name_of(c) == target) else {
                bail!(
                    "a link of `{}` targets `{target}`, which is not a component of the manifest",
                    name_of(source)
                );
            };
            let contract = link_contract(properties, source, target_component)?;
            let contract = contract_for(&format!("the link from `{}` to `{target}`", name_of(source)), &contract)?;
            // A provider's link to a component is how it calls the component (the HTTP server's
            // `incoming-handler`, messaging's `handler` with the subscriptions): the actor is the
            // link's target then, and its source otherwise.
            let actor_name = if contract == http_server::CONTRACT || source["type"] == "capability" {
                target.clone()
            } else {
                name_of(source)
            };
            let Some(actor) = actors.iter_mut().find(|a| a.name == actor_name) else {
                continue;
            };
            if contract == http_server::CONTRACT {
                let address = config_value(properties, "address")
                    .or_else(|| config_value(properties, "port"))
                    .unwrap_or_else(|| "127.0.0.1:8000".to_string());
                actor.http = Some(http_address(&address, &mut notes)?);
            }
            configure_provider(actor, contract, |keys| {
                keys.iter().find_map(|k| config_value(properties, k))
            });
            actor.links.push(contract.to_string());
        }
    }
    Ok(Plan { actors, notes })
}

/// A component's `config` blocks (`properties.config[*].properties`), in order.
fn component_config(component: &Value) -> Vec<(String, String)> {
    let blocks = component["properties"]["config"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default();
    blocks
        .iter()
        .filter_map(|block| block["properties"].as_object())
        .flatten()
        .map(|(key, value)| {
            let value = value.as_str().map(str::to_string).unwrap_or_else(|| value.to_string());
            (key.clone(), value)
        })
        .collect()
}

/// The 0.x contract a link is about: from `namespace`/`package`/`interfaces`, or from the
/// capability's `contract` property (`linkdef` era).
fn link_contract(link: &Value, source: &Value, target: &Value) -> Result<String> {
    let declared = target["properties"]["contract"]
        .as_str()
        .or_else(|| source["properties"]["contract"].as_str());
    if let Some(contract) = declared {
        return Ok(contract.to_string());
    }
    let namespace = link["namespace"].as_str().unwrap_or("");
    let package = link["package"].as_str().unwrap_or("");
    let interfaces: Vec<&str> = link["interfaces"]
        .as_array()
        .map(|i| i.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    Ok(match (namespace, package) {
        ("wasi", "http") if interfaces.contains(&"incoming-handler") => http_server::CONTRACT.to_string(),
        ("wasi", "http") if interfaces.contains(&"outgoing-handler") => "wasmcloud:httpclient".to_string(),
        ("wasmcloud", "httpserver") => http_server::CONTRACT.to_string(),
        ("wasi" | "wasmcloud", "keyvalue") => "wasmcloud:keyvalue".to_string(),
        ("wasi" | "wasmcloud", "logging") => "wasmcloud:logging".to_string(),
        _ if namespace.is_empty() => bail!("a link needs `namespace` and `package` (or a capability `contract`)"),
        _ => format!("{namespace}:{package}"),
    })
}

/// A link configuration property, from wadm 1.x `source`/`target` config blocks, the
/// deprecated `source_config`/`target_config`, or 0.x `values`.
fn config_value(link: &Value, key: &str) -> Option<String> {
    let blocks = [
        &link["source"]["config"],
        &link["target"]["config"],
        &link["source_config"],
        &link["target_config"],
    ];
    let from_blocks = blocks
        .iter()
        .filter_map(|b| b.as_array())
        .flatten()
        .find_map(|config| config["properties"][key].as_str().map(str::to_string));
    from_blocks.or_else(|| {
        let values = link["values"].as_object()?;
        values
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str().map(str::to_string).unwrap_or_else(|| v.to_string()))
    })
}
