//! The 2020 wasmCloud host manifest (`actors:`, `capabilities:`, `links:`): its structure
//! against `lsp/schemas/host-manifest.schema.json`, local actors and provider archives that
//! are not on disk, and entries given twice; outline, hover and completion.
//!
//! The host itself (wasmcloud-host 0.x) ignored unknown keys and started what was listed
//! twice twice; both are reported here, unknown keys as errors, repeats as warnings.

use std::collections::HashSet;
use std::ops::Range;
use std::path::Path;
use std::sync::OnceLock;

use super::cursor::{self, Want};
use super::local_file;
use super::schema::Schema;
use super::schema_errors::{self, Dialect};
use super::tree::{Node, first_line};
use super::{assist, yaml};
use crate::OpenFiles;
use crate::answer::Completion;
use crate::finding::{Finding, Severity};
use crate::symbol::{Symbol, SymbolKind};

const SCHEMA: &str = include_str!("../../schemas/host-manifest.schema.json");

fn schema() -> &'static Schema {
    static COMPILED: OnceLock<Schema> = OnceLock::new();
    COMPILED.get_or_init(|| Schema::new(serde_json::from_str(SCHEMA).expect("the host manifest schema is JSON")))
}

/// Syntax and schema errors, missing local files and repeated entries, in text order.
pub(crate) fn analyze(path: &Path, text: &str, open: OpenFiles) -> Vec<Finding> {
    let parsed = yaml::parse(text);
    let mut out = parsed.findings.clone();
    for doc in parsed.complete_documents() {
        out.extend(schema_errors::findings(schema(), text, doc, Dialect::Yaml));
        missing_files(path, doc, open, &mut out);
        repeats(doc, &mut out);
    }
    out.sort_by_key(|f| (f.range.start, f.range.end));
    out
}

fn strings<'a>(doc: &'a Node, key: &str) -> impl Iterator<Item = &'a Node> {
    doc.get(key)
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter(|n| n.as_str().is_some())
}

fn items<'a>(doc: &'a Node, key: &str) -> impl Iterator<Item = &'a Node> {
    doc.get(key)
        .map(Node::items)
        .unwrap_or_default()
        .iter()
        .filter(|n| n.is_map())
}

/// A path to a local file, as written, unless it is a registry reference or substituted
/// from the environment (`${VAR}`).
fn local(reference: &str, extensions: &[&str]) -> Option<String> {
    if reference.contains("${") {
        return None;
    }
    match local_file::local_path(reference) {
        Some(path) => Some(path.to_string()),
        None => extensions
            .iter()
            .any(|e| reference.ends_with(e))
            .then(|| reference.to_string()),
    }
}

fn missing_files(path: &Path, doc: &Node, open: OpenFiles, out: &mut Vec<Finding>) {
    let mut check = |node: &Node, extensions: &[&str], what: &str| {
        let Some(file) = node.as_str().and_then(|r| local(r, extensions)) else {
            return;
        };
        if !local_file::exists(&local_file::resolve(path, &file), open) {
            out.push(Finding {
                range: node.range.clone(),
                severity: Severity::Error,
                message: format!("{what} `{file}` does not exist"),
            });
        }
    };
    for actor in strings(doc, "actors") {
        check(actor, &[".wasm"], "actor file");
    }
    for capability in items(doc, "capabilities") {
        if let Some(image) = capability.get("image_ref") {
            check(image, &[".par", ".par.gz"], "provider archive");
        }
    }
}

fn repeats(doc: &Node, out: &mut Vec<Finding>) {
    let mut warn = |range: Range<usize>, message: String| {
        out.push(Finding {
            range,
            severity: Severity::Warning,
            message,
        })
    };
    let mut actors = HashSet::new();
    for actor in strings(doc, "actors") {
        let name = actor.as_str().unwrap_or_default();
        if !actors.insert(name) {
            warn(actor.range.clone(), format!("actor `{name}` is listed twice"));
        }
    }
    let mut capabilities = HashSet::new();
    for capability in items(doc, "capabilities") {
        let (Some(image), Some(image_node)) = (text_of(capability, "image_ref"), capability.get("image_ref")) else {
            continue;
        };
        let link_name = text_of(capability, "link_name").unwrap_or("default");
        if !capabilities.insert((image, link_name)) {
            warn(
                image_node.range.clone(),
                format!("capability provider `{image}` is listed twice with link name `{link_name}`"),
            );
        }
    }
    let mut links = HashSet::new();
    for link in items(doc, "links") {
        let (Some(actor), Some(contract), Some(contract_node)) = (
            text_of(link, "actor"),
            text_of(link, "contract_id"),
            link.get("contract_id"),
        ) else {
            continue;
        };
        let link_name = text_of(link, "link_name").unwrap_or("default");
        if !links.insert((actor, contract, link_name)) {
            warn(
                contract_node.range.clone(),
                format!("the link of actor `{actor}` to `{contract}` with link name `{link_name}` is defined twice"),
            );
        }
    }
}

/// Labels, actors, capability providers and links, each under its key.
pub(crate) fn outline(text: &str) -> Vec<Symbol> {
    let parsed = yaml::parse(text);
    let mut out = Vec::new();
    for doc in parsed.documents.iter().map(|d| &d.root) {
        for entry in doc.entries() {
            let children = match entry.key.as_str() {
                "labels" => entry
                    .value
                    .entries()
                    .iter()
                    .map(|e| leaf(&e.key, SymbolKind::Property, e.key_range.clone()))
                    .collect(),
                "actors" => strings(doc, "actors")
                    .map(|a| leaf(a.as_str().unwrap_or_default(), SymbolKind::Component, a.range.clone()))
                    .collect(),
                "capabilities" => items(doc, "capabilities")
                    .filter_map(|c| {
                        let image = c.get("image_ref")?;
                        let mut name = image.as_str()?.to_string();
                        if let Some(link_name) = c.get("link_name").and_then(Node::as_str) {
                            name.push_str(&format!(" ({link_name})"));
                        }
                        Some(leaf(&name, SymbolKind::Component, image.range.clone()))
                    })
                    .collect(),
                "links" => items(doc, "links")
                    .map(|l| {
                        let contract = l.get("contract_id").and_then(Node::as_str).unwrap_or("link");
                        let link_name = l.get("link_name").and_then(Node::as_str).unwrap_or("default");
                        let range = match l.get("contract_id") {
                            Some(c) => c.range.clone(),
                            None => first_line(text, l.extent()),
                        };
                        leaf(&format!("{contract} ({link_name})"), SymbolKind::Property, range)
                    })
                    .collect(),
                _ => Vec::new(),
            };
            out.push(Symbol {
                name: entry.key.clone(),
                kind: SymbolKind::Property,
                range: entry.key_range.clone(),
                children,
            });
        }
    }
    out
}

fn text_of<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get(key).and_then(Node::as_str)
}

fn leaf(name: &str, kind: SymbolKind, range: Range<usize>) -> Symbol {
    Symbol {
        name: name.to_string(),
        kind,
        range,
        children: Vec::new(),
    }
}

pub(crate) fn hover(text: &str, offset: usize) -> Option<(Range<usize>, String)> {
    let parsed = yaml::parse(text);
    assist::hover(schema(), parsed.document_at(offset)?, offset)
}

pub(crate) fn completion(text: &str, offset: usize) -> Option<Vec<Completion>> {
    let cursor = cursor::at(text, offset)?;
    let rest = format!("{}{}", &text[..cursor.line.start], &text[cursor.line.end..]);
    let parsed = yaml::parse(&rest);
    let doc = parsed.document_at(cursor.line.start);
    Some(match &cursor.want {
        Want::Key => assist::key_completions(schema(), doc, &cursor.path, Dialect::Yaml),
        Want::Value { key } => assist::value_completions(schema(), doc, &cursor.path, key, Dialect::Yaml),
        Want::Item { index } => assist::item_completions(schema(), doc, &cursor.path, *index, Dialect::Yaml),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTOR: &str = "MBCFOPM6JW2APJLXJD3Z5O4CN7CPYJ2B4FTKLJUR5YR5MITIU7HD3WD5";
    const PROVIDER: &str = "VAG3QITQQ2ODAOWB5TTQSDJ53XK3SHBEIFNK4AYJ5RKAX2UNSCAPHA5M";

    fn check(text: &str) -> Vec<(String, Severity, String)> {
        analyze(Path::new("/no/such/dir/host.yaml"), text, &|_| None)
            .into_iter()
            .map(|f| (text[f.range].to_string(), f.severity, f.message))
            .collect()
    }

    #[test]
    fn a_valid_manifest_has_no_findings() {
        let text = format!(
            "labels:\n  sample: echo\nactors:\n  - wasmcloud.azurecr.io/echo:0.2.0\ncapabilities:\n  - image_ref: wasmcloud.azurecr.io/httpserver:0.11.1\n    link_name: default\nlinks:\n  - actor: {ACTOR}\n    provider_id: \"{PROVIDER}\"\n    contract_id: \"wasmcloud:httpserver\"\n    values:\n      PORT: 8080\n  - actor: ${{ECHO_ACTOR:{ACTOR}}}\n    provider_id: {PROVIDER}\n    contract_id: wasmcloud:keyvalue\n"
        );
        assert_eq!(check(&text), vec![]);
    }

    #[test]
    fn structure_files_and_repeats_on_exact_ranges() {
        let text = format!(
            "actors:\n  - ./echo.wasm\n  - ./echo.wasm\n  - 7\ncapabilities:\n  - image_ref: ./httpserver.par.gz\n    link: default\n  - link_name: x\nlinks:\n  - actor: echo\n    provider_id: {PROVIDER}\n    contract_id: wasmcloud:httpserver\n  - actor: echo\n    provider_id: {PROVIDER}\n    contract_id: wasmcloud:httpserver\n    values: [1]\nextra: true\n"
        );
        use Severity::{Error, Warning};
        let expected: Vec<(String, Severity, String)> = [
            ("./echo.wasm", Error, "actor file `./echo.wasm` does not exist"),
            ("./echo.wasm", Error, "actor file `./echo.wasm` does not exist"),
            ("./echo.wasm", Warning, "actor `./echo.wasm` is listed twice"),
            ("7", Error, "expected a string, found an integer"),
            (
                "./httpserver.par.gz",
                Error,
                "provider archive `./httpserver.par.gz` does not exist",
            ),
            ("link", Error, "unknown key `link`"),
            ("link_name: x", Error, "missing required key `image_ref`"),
            (
                "echo",
                Error,
                "`echo` is not an actor's public key (56 characters starting with `M`)",
            ),
            (
                "echo",
                Error,
                "`echo` is not an actor's public key (56 characters starting with `M`)",
            ),
            (
                "wasmcloud:httpserver",
                Warning,
                "the link of actor `echo` to `wasmcloud:httpserver` with link name `default` is defined twice",
            ),
            ("[1]", Error, "expected a mapping, found a list"),
            ("extra", Error, "unknown key `extra`"),
        ]
        .into_iter()
        .map(|(a, s, m)| (a.to_string(), s, m.to_string()))
        .collect();
        assert_eq!(check(&text), expected);
    }

    #[test]
    fn outline_hover_and_completion() {
        let text = format!(
            "labels:\n  sample: echo\nactors:\n  - ./echo.wasm\ncapabilities:\n  - image_ref: r/http:1\n    link_name: web\nlinks:\n  - actor: {ACTOR}\n    contract_id: wasmcloud:httpserver\n"
        );
        let names: Vec<String> = outline(&text)
            .iter()
            .map(|s| {
                let children: Vec<&str> = s.children.iter().map(|c| c.name.as_str()).collect();
                format!("{}: {}", s.name, children.join(", "))
            })
            .collect();
        assert_eq!(
            names,
            [
                "labels: sample",
                "actors: ./echo.wasm",
                "capabilities: r/http:1 (web)",
                "links: wasmcloud:httpserver (default)"
            ]
        );
        let (range, markdown) = hover(&text, text.find("image_ref").unwrap()).unwrap();
        assert_eq!(&text[range], "image_ref");
        assert_eq!(
            markdown,
            "`image_ref`: string\n\nThe provider archive (`.par.gz`): a path on disk, otherwise an OCI image reference"
        );
        let labels = |text: &str| -> Vec<String> {
            let offset = text.len();
            completion(text, offset).unwrap().into_iter().map(|c| c.label).collect()
        };
        assert_eq!(labels(""), ["actors", "capabilities", "labels", "links"]);
        assert_eq!(
            labels(&format!("{text}  - ")),
            ["actor", "contract_id", "link_name", "provider_id", "values"]
        );
        assert_eq!(labels(&format!("{text}    ")), ["link_name", "provider_id", "values"]);
        assert_eq!(
            labels(&format!("{text}    link_name: web\n    contract_id: wasmcloud:k")).len(),
            10
        );
    }
}
