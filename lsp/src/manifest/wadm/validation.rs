//! The verdicts wadm gives beyond its schema, as `wadm-types`' `validation` module gives them
//! (wadm-types 0.8.3, `crates/wadm-types/src/validation.rs`): same checks, same messages,
//! same error or warning level, each put on the range it is about.
//!
//! `wadm-types` itself cannot be a dependency: it pins `regex` to `~1.10` while `jsonschema`
//! needs `regex` 1.11 or later (one crate graph holds one `regex` 1.x), and it brings tokio,
//! wRPC bindings, a second `wit-parser`, utoipa, schemars and the deprecated `serde_yaml`. Its
//! checks also run on a fully deserialised manifest, where an editor needs them on whatever
//! part of a half-written one is well formed, with positions.

use std::collections::HashSet;

use super::model::{App, Component, Link};
use crate::finding::{Finding, Severity};
use crate::manifest::tree::Node;

const LATEST_VERSION: &str = "latest";
const DEFAULT_LINK_NAME: &str = "default";
const SECRET_POLICY_TYPE: &str = "policy.secret.wasmcloud.dev/v1alpha1";
const MANIFEST_NAME_REGEX: &str = r"^[-\w]+$";

/// Interfaces a known namespace and package hold (wadm's hard-coded list); an interface of
/// an unknown namespace may be custom, one of a known namespace is probably a typo.
const KNOWN_INTERFACES: &[(&str, &str, &[&str])] = &[
    ("wrpc", "blobstore", &["blobstore"]),
    ("wrpc", "keyvalue", &["atomics", "store"]),
    ("wrpc", "http", &["incoming-handler", "outgoing-handler"]),
    ("wasi", "blobstore", &["blobstore"]),
    ("wasi", "config", &["runtime"]),
    ("wasi", "keyvalue", &["atomics", "store", "batch", "watch"]),
    ("wasi", "http", &["incoming-handler", "outgoing-handler"]),
    ("wasi", "logging", &["logging"]),
    ("wasmcloud", "messaging", &["consumer", "handler"]),
];

/// Every verdict of wadm's validation on one application.
pub(crate) fn findings(app: &App<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    manifest_name(app, &mut out);
    manifest_version(app, &mut out);
    core_validation(app, &mut out);
    misnamed_interfaces(app, &mut out);
    dangling_links(app, &mut out);
    policies(app, &mut out);
    component_properties(app, &mut out);
    duplicate_links(app, &mut out);
    link_configs(app, &mut out);
    deprecated_configs(app, &mut out);
    out
}

fn error(node_range: std::ops::Range<usize>, message: String) -> Finding {
    Finding {
        range: node_range,
        severity: Severity::Error,
        message,
    }
}

fn warning(node_range: std::ops::Range<usize>, message: String) -> Finding {
    Finding {
        range: node_range,
        severity: Severity::Warning,
        message,
    }
}

fn links<'a>(app: &'a App<'a>) -> impl Iterator<Item = (&'a Component<'a>, Link<'a>)> {
    app.components
        .iter()
        .flat_map(|c| c.links().map(move |(_, link)| (c, link)))
}

fn manifest_name(app: &App<'_>, out: &mut Vec<Finding>) {
    let Some(node) = app.name else { return };
    let name = node.as_str().unwrap_or_default();
    let word = |c: char| c == '-' || c == '_' || c.is_alphanumeric();
    if name.is_empty() || !name.chars().all(word) {
        out.push(error(
            node.range.clone(),
            format!("manifest name [{name}] is not allowed (should match regex [{MANIFEST_NAME_REGEX}])"),
        ));
    }
}

fn manifest_version(app: &App<'_>, out: &mut Vec<Finding>) {
    for (entry, value) in &app.annotations {
        if entry.key == "version" && *value == LATEST_VERSION {
            out.push(error(
                entry.value.range.clone(),
                format!("{LATEST_VERSION} is not allowed in wadm"),
            ));
        }
    }
}

fn core_validation(app: &App<'_>, out: &mut Vec<Finding>) {
    for (entry, value) in &app.labels {
        if !valid_oam_label(&entry.key) {
            out.push(error(
                entry.key_range.clone(),
                format!("Invalid OAM label: {:?}", (&entry.key, value)),
            ));
        }
    }
    for (entry, value) in &app.annotations {
        if !valid_oam_label(&entry.key) {
            out.push(error(
                entry.key_range.clone(),
                format!("Invalid OAM annotation: {:?}", (&entry.key, value)),
            ));
        }
    }
    let mut names = HashSet::new();
    let mut ids = HashSet::new();
    for component in &app.components {
        if let Some(name) = component.name
            && !names.insert(name.as_str().unwrap_or_default())
        {
            out.push(error(
                name.range.clone(),
                format!(
                    "Duplicate component name in manifest: {}",
                    name.as_str().unwrap_or_default()
                ),
            ));
        }
        if let Some(id) = component.property("id").filter(|id| id.as_str().is_some()) {
            let id_str = id.as_str().unwrap_or_default();
            if !ids.insert(id_str) {
                out.push(error(
                    id.range.clone(),
                    format!("Duplicate component identifier in manifest: {id_str}"),
                ));
            }
        }
    }
    // Every link target must be a component of the manifest; wadm lists the missing ones
    // in one error, here it is on each link that names one.
    for (_, link) in links(app) {
        let (Some(target), Some(name)) = (link.target, link.target_name()) else {
            continue;
        };
        if !names.contains(name) {
            out.push(error(
                target.range.clone(),
                format!(
                    "The following capability component(s) are missing from the manifest: {:?}",
                    [name]
                ),
            ));
        }
    }
}

fn misnamed_interfaces(app: &App<'_>, out: &mut Vec<Finding>) {
    for (_, link) in links(app) {
        let (Some(namespace), Some(package)) = (link.namespace, link.package) else {
            continue;
        };
        let (namespace_str, package_str) = (
            namespace.as_str().unwrap_or_default(),
            package.as_str().unwrap_or_default(),
        );
        if !KNOWN_INTERFACES.iter().any(|(n, _, _)| *n == namespace_str) {
            continue;
        }
        let known = KNOWN_INTERFACES
            .iter()
            .find(|(n, p, _)| *n == namespace_str && *p == package_str);
        for interface in &link.interfaces {
            let interface_str = interface.as_str().unwrap_or_default();
            let message = format!("unrecognized interface [{namespace_str}:{package_str}/{interface_str}]");
            match known {
                // An unknown package of a known namespace: the package is what is wrong.
                None => out.push(warning(package.range.clone(), message)),
                Some((_, _, interfaces)) if !interfaces.contains(&interface_str) => {
                    out.push(warning(interface.range.clone(), message))
                }
                Some(_) => {}
            }
        }
    }
}

fn dangling_links(app: &App<'_>, out: &mut Vec<Finding>) {
    for (_, link) in links(app) {
        let (Some(target), Some(name)) = (link.target, link.target_name()) else {
            continue;
        };
        if app.component(name).is_none() {
            let identifier = match link.name {
                Some(link_name) => format!("(name [{link_name}])"),
                None => format!("(target [{name}])"),
            };
            out.push(warning(
                target.range.clone(),
                format!("link {identifier} target [{name}] is not a listed component"),
            ));
        }
    }
}

fn policies(app: &App<'_>, out: &mut Vec<Finding>) {
    for component in &app.components {
        let mut secrets: Vec<&Node> = component.links().flat_map(|(_, link)| link.secrets).collect();
        secrets.extend(component.property("secrets").map(Node::items).unwrap_or_default());
        for secret in secrets {
            let name = secret.get("name").and_then(Node::as_str).unwrap_or_default();
            let Some(policy) = secret
                .get("properties")
                .and_then(|p| p.get("policy"))
                .filter(|p| p.as_str().is_some())
            else {
                continue;
            };
            let policy_name = policy.as_str().unwrap_or_default();
            let message = match app.policies.iter().find(|p| p.name == Some(policy_name)) {
                Some(found) if found.kind != Some(SECRET_POLICY_TYPE) => format!(
                    "secret '{name}' is mapped to policy '{policy_name}' which is not a secret policy. Expected type '{SECRET_POLICY_TYPE}'"
                ),
                Some(found) if found.properties.and_then(|p| p.get("backend")).is_none() => format!(
                    "secret '{name}' is mapped to policy '{policy_name}' which does not include a 'backend' property"
                ),
                Some(_) => continue,
                None => format!("secret '{name}' is mapped to unknown policy '{policy_name}'"),
            };
            out.push(error(policy.range.clone(), message));
        }
    }
}

fn component_properties(app: &App<'_>, out: &mut Vec<Finding>) {
    for component in &app.components {
        let Some(properties) = component.properties.filter(|p| p.is_map()) else {
            continue;
        };
        let present = |key: &str| properties.entry(key).filter(|e| !e.value.is_null());
        let non_empty = |key: &str| properties.entry(key).filter(|e| !e.value.items().is_empty());
        let shared_name = present("application")
            .and_then(|e| e.value.get("name"))
            .and_then(Node::as_str)
            .unwrap_or_default();
        let scaler = component.traits.iter().find(|t| t.is_scaler());
        match (present("image"), present("application")) {
            (Some(_), Some(application)) => out.push(error(
                application.key_range.clone(),
                "Component cannot have both 'image' and 'application' properties".into(),
            )),
            (None, None) => {
                let at = component
                    .node
                    .entry("properties")
                    .map(|e| e.key_range.clone())
                    .unwrap_or_else(|| properties.range.clone());
                out.push(error(
                    at,
                    "Component must have either 'image' or 'application' property".into(),
                ));
            }
            (None, Some(_)) => {
                if let Some(config) = non_empty("config") {
                    out.push(error(
                        config.key_range.clone(),
                        format!("Shared component '{shared_name}' cannot specify additional 'config'"),
                    ));
                } else if let Some(secrets) = non_empty("secrets") {
                    out.push(error(
                        secrets.key_range.clone(),
                        format!("Shared component '{shared_name}' cannot specify additional 'secrets'"),
                    ));
                } else if let Some(scaler) = scaler {
                    let at = scaler
                        .kind
                        .map(|k| k.range.clone())
                        .unwrap_or_else(|| scaler.node.range.clone());
                    out.push(error(
                        at,
                        format!("Shared component '{shared_name}' cannot include a scaler trait"),
                    ));
                }
            }
            (Some(_), None) => {}
        }
    }
}

fn duplicate_links(app: &App<'_>, out: &mut Vec<Finding>) {
    for component in &app.components {
        let mut seen = HashSet::new();
        for (_, link) in component.links() {
            let (Some(namespace), Some(package)) = (
                link.namespace.and_then(Node::as_str),
                link.package.and_then(Node::as_str),
            ) else {
                continue;
            };
            let name = link.name.unwrap_or(DEFAULT_LINK_NAME);
            for interface in &link.interfaces {
                let interface_str = interface.as_str().unwrap_or_default();
                if !seen.insert((name, namespace, package, interface_str)) {
                    out.push(error(
                        interface.range.clone(),
                        format!(
                            "Duplicate link found inside component '{}': {name} ({namespace}:{package}/{interface_str})",
                            component.name_str().unwrap_or_default()
                        ),
                    ));
                }
            }
        }
    }
}

fn link_configs(app: &App<'_>, out: &mut Vec<Finding>) {
    let mut names = HashSet::new();
    for (_, link) in links(app) {
        for config in link.target_configs.iter().chain(&link.source_configs) {
            // Only configurations with properties are created by wadm, so only they clash.
            if config.get("properties").is_none_or(Node::is_null) {
                continue;
            }
            let Some(name) = config.get("name").filter(|n| n.as_str().is_some()) else {
                continue;
            };
            let name_str = name.as_str().unwrap_or_default();
            if !names.insert(name_str) {
                out.push(error(
                    name.range.clone(),
                    format!("Duplicate link config name found: '{name_str}'"),
                ));
            }
        }
    }
}

/// wadm 0.13 replaced a link's `source_config`/`target_config` by `source`/`target` with
/// `config`; it warns about the old keys on any trait that is not declared another type.
fn deprecated_configs(app: &App<'_>, out: &mut Vec<Finding>) {
    for component in &app.components {
        for t in &component.traits {
            if t.kind.is_some() && !t.is_link() {
                continue;
            }
            let Some(properties) = t.properties else { continue };
            if let Some(entry) = properties.entry("source_config") {
                out.push(warning(
                    entry.key_range.clone(),
                    "one of the components' link trait contains a source_config key, please use source:config: rather"
                        .into(),
                ));
            }
            if let Some(entry) = properties.entry("target_config") {
                out.push(warning(
                    entry.key_range.clone(),
                    "one of the components' link trait contains a target_config key, please use target:config: rather"
                        .into(),
                ));
            }
        }
    }
}

/// An OAM label key: `name` or `dns.prefix/name`.
fn valid_oam_label(key: &str) -> bool {
    match key.split_once('/') {
        Some((prefix, name)) => is_valid_dns_subdomain(prefix) && is_valid_label_name(name),
        None => is_valid_label_name(key),
    }
}

fn is_valid_dns_subdomain(s: &str) -> bool {
    if s.is_empty() || s.len() > 253 {
        return false;
    }
    s.split('.').all(|part| {
        !part.is_empty()
            && part.len() <= 63
            && part.starts_with(|c: char| c.is_ascii_alphabetic())
            && part.ends_with(|c: char| c.is_ascii_alphanumeric())
            && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    })
}

fn is_valid_label_name(name: &str) -> bool {
    if name.is_empty() || name.len() > 63 {
        return false;
    }
    name.starts_with(|c: char| c.is_ascii_alphanumeric())
        && name.ends_with(|c: char| c.is_ascii_alphanumeric())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::yaml;

    /// (text at the range, severity, message) of each verdict on `text`.
    fn verdicts(text: &str) -> Vec<(String, Severity, String)> {
        let doc = yaml::parse(text).documents[0].root.clone();
        let mut found = findings(&App::read(&doc));
        found.sort_by_key(|f| f.range.start);
        found
            .into_iter()
            .map(|f| (text[f.range].to_string(), f.severity, f.message))
            .collect()
    }

    fn app(components: &str) -> String {
        format!(
            "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: demo\n  annotations:\n    version: v0.0.1\nspec:\n  components:\n{components}"
        )
    }

    const HTTP: &str = "    - name: http\n      type: capability\n      properties:\n        image: ghcr.io/wasmcloud/http-server:0.23.0\n";

    #[test]
    fn a_well_formed_application_has_no_verdicts() {
        let text = app(&format!(
            "    - name: hello\n      type: component\n      properties:\n        image: ghcr.io/wasmcloud/components/hello:0.1.0\n      traits:\n        - type: spreadscaler\n          properties:\n            instances: 1\n{HTTP}      traits:\n        - type: link\n          properties:\n            target: hello\n            namespace: wasi\n            package: http\n            interfaces: [incoming-handler]\n"
        ));
        assert_eq!(verdicts(&text), vec![]);
    }

    #[test]
    fn dangling_links_unknown_interfaces_and_duplicates_are_on_their_values() {
        let text = app(&format!(
            "{HTTP}      traits:\n        - type: link\n          properties:\n            target: helo\n            namespace: wasi\n            package: http\n            interfaces: [incoming-handler, incomng-handler]\n        - type: link\n          properties:\n            target: {{ name: http }}\n            namespace: wasi\n            package: htp\n            interfaces: [incoming-handler]\n        - type: link\n          properties:\n            target: http\n            namespace: wasi\n            package: http\n            interfaces: [incoming-handler]\n            target_config:\n              - name: port\n                properties: {{ port: \"80\" }}\n            source_config:\n              - name: port\n                properties: {{ port: \"81\" }}\n{HTTP}"
        ));
        use Severity::{Error, Warning};
        let expected = [
            ("http", Error, "Duplicate component name in manifest: http"),
            (
                "helo",
                Error,
                "The following capability component(s) are missing from the manifest: [\"helo\"]",
            ),
            (
                "helo",
                Warning,
                "link (target [helo]) target [helo] is not a listed component",
            ),
            (
                "incomng-handler",
                Warning,
                "unrecognized interface [wasi:http/incomng-handler]",
            ),
            ("htp", Warning, "unrecognized interface [wasi:htp/incoming-handler]"),
            (
                "incoming-handler",
                Error,
                "Duplicate link found inside component 'http': default (wasi:http/incoming-handler)",
            ),
            (
                "target_config",
                Warning,
                "one of the components' link trait contains a target_config key, please use target:config: rather",
            ),
            ("port", Error, "Duplicate link config name found: 'port'"),
            (
                "source_config",
                Warning,
                "one of the components' link trait contains a source_config key, please use source:config: rather",
            ),
        ];
        let mut found = verdicts(&text);
        found.sort_by_key(|(t, _, m)| (text.find(t.as_str()), m.clone()));
        let mut want: Vec<(String, Severity, String)> = expected
            .iter()
            .map(|(t, s, m)| (t.to_string(), *s, m.to_string()))
            .collect();
        want.sort_by_key(|(t, _, m)| (text.find(t.as_str()), m.clone()));
        assert_eq!(found, want);
    }

    #[test]
    fn names_versions_labels_policies_and_shared_components() {
        let text = "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: my.app\n  annotations:\n    version: latest\n    -bad: x\n  labels:\n    ok.example/tier: web\nspec:\n  policies:\n    - name: vault\n      type: policy.secret.wasmcloud.dev/v1alpha1\n      properties: {}\n  components:\n    - name: a\n      type: component\n      properties:\n        image: r/a:1\n        application: { name: shared, component: x }\n        secrets:\n          - name: s1\n            properties: { policy: vault, key: k }\n          - name: s2\n            properties: { policy: nope, key: k }\n    - name: b\n      type: component\n      properties:\n        application: { name: shared, component: y }\n      traits:\n        - type: daemonscaler\n          properties: { instances: 1 }\n    - name: c\n      type: component\n      properties:\n        id: same\n    - name: d\n      type: capability\n      properties:\n        image: r/d:1\n        id: same\n";
        use Severity::Error;
        let strings = |v: Vec<(&str, Severity, &str)>| -> Vec<(String, Severity, String)> {
            v.into_iter()
                .map(|(a, s, b)| (a.to_string(), s, b.to_string()))
                .collect()
        };
        assert_eq!(
            verdicts(text),
            strings(vec![
                (
                    "my.app",
                    Error,
                    "manifest name [my.app] is not allowed (should match regex [^[-\\w]+$])"
                ),
                ("latest", Error, "latest is not allowed in wadm"),
                ("-bad", Error, "Invalid OAM annotation: (\"-bad\", \"x\")"),
                (
                    "application",
                    Error,
                    "Component cannot have both 'image' and 'application' properties"
                ),
                (
                    "vault",
                    Error,
                    "secret 's1' is mapped to policy 'vault' which does not include a 'backend' property"
                ),
                ("nope", Error, "secret 's2' is mapped to unknown policy 'nope'"),
                (
                    "daemonscaler",
                    Error,
                    "Shared component 'shared' cannot include a scaler trait"
                ),
                (
                    "properties",
                    Error,
                    "Component must have either 'image' or 'application' property"
                ),
                ("same", Error, "Duplicate component identifier in manifest: same"),
            ])
        );
    }

    #[test]
    fn oam_labels_follow_the_oam_rules() {
        assert!(valid_oam_label("app.example.com/tier"));
        assert!(valid_oam_label("version"));
        assert!(!valid_oam_label("-x"));
        assert!(!valid_oam_label("1bad.com/x"));
        assert!(!valid_oam_label(&"x".repeat(64)));
    }
}
