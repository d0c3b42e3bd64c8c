//! The 2020 wasmCloud host manifest (`actors:`, `capabilities:`, `links:`): its structure
//! against `lsp/schemas/host-manifest.schema.json`, local actors and provider archives that
//! are not on disk, actor files that are not valid WebAssembly, not signed, or whose signed
//! claims do not verify, links to contracts their actor is not signed for, and entries given twice;
//! outline, hover (an actor file's claims) and completion.
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
use super::wadm::images;
use super::wasm_file::{self, SignedClaims, Wasm};
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
        signed_actors(path, doc, &mut out);
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

fn missing_files(path: &Path, doc: &Node, open: OpenFiles, out: &mut Vec<Finding>) {
    let mut check = |node: &Node, extensions: &[&str], what: &str| {
        let Some(file) = node.as_str().and_then(|r| local_file::local_reference(r, extensions)) else {
            return;
        };
        if !local_file::exists(&local_file::resolve(path, file), open) {
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

/// Each local actor file on disk, read: its value, path as written and what it holds.
fn local_actors<'a>(path: &Path, doc: &'a Node) -> Vec<(&'a Node, String, wasm_file::Read)> {
    strings(doc, "actors")
        .filter_map(|actor| {
            let file = local_file::local_reference(actor.as_str()?, &[".wasm"])?;
            let on_disk = local_file::resolve(path, file);
            on_disk
                .is_file()
                .then(|| (actor, file.to_string(), wasm_file::read(&on_disk)))
        })
        .collect()
}

/// Actor files that are not valid WebAssembly (errors), not signed or whose claims do not
/// verify (warnings); links whose `contract_id` is not among the capabilities their actor is signed
/// for, or whose `actor` is no listed actor's subject when every actor is a signed local file.
fn signed_actors(path: &Path, doc: &Node, out: &mut Vec<Finding>) {
    let actors = local_actors(path, doc);
    for (node, file, read) in &actors {
        out.extend(images::wasm_findings(node.range.clone(), "actor file", file, read));
        if let Ok(Wasm { claims: None, .. }) = &**read {
            out.push(Finding {
                range: node.range.clone(),
                severity: Severity::Warning,
                message: format!("actor file `{file}` is not signed: the host refuses actors without embedded claims"),
            });
        }
    }
    let signed: Vec<(&String, &SignedClaims)> = actors
        .iter()
        .filter_map(|(_, file, read)| match &**read {
            Ok(Wasm {
                claims: Some(Ok(claims)),
                ..
            }) => Some((file, claims)),
            _ => None,
        })
        .collect();
    let all_known = !signed.is_empty() && signed.len() == strings(doc, "actors").count();
    for link in items(doc, "links") {
        let Some(actor_node) = link.get("actor") else { continue };
        let Some(actor) = actor_node.as_str().map(substituted_default) else {
            continue;
        };
        match signed.iter().find(|(_, claims)| claims.subject == actor) {
            Some((file, claims)) => {
                let Some(contract_node) = link.get("contract_id") else {
                    continue;
                };
                let Some(contract) = contract_node.as_str() else {
                    continue;
                };
                if !claims.capabilities.iter().any(|c| c == contract) {
                    let caps = if claims.capabilities.is_empty() {
                        "none".to_string()
                    } else {
                        claims
                            .capabilities
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    };
                    out.push(Finding {
                        range: contract_node.range.clone(),
                        severity: Severity::Warning,
                        message: format!(
                            "actor `{file}` is not signed for `{contract}`: its claims' capabilities are {caps}"
                        ),
                    });
                }
            }
            None if all_known && !actor.contains("${") => out.push(Finding {
                range: actor_node.range.clone(),
                severity: Severity::Warning,
                message: format!("no listed actor is signed with the subject `{actor}`"),
            }),
            None => {}
        }
    }
}

/// `${VAR:default}` → `default`; anything else as it is.
fn substituted_default(value: &str) -> &str {
    value
        .strip_prefix("${")
        .and_then(|v| v.strip_suffix('}'))
        .and_then(|v| v.split_once(':'))
        .map(|(_, default)| default)
        .unwrap_or(value)
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

/// On a local actor file, its summary (claims, imports, exports); elsewhere the schema's
/// description of the key.
pub(crate) fn hover(path: &Path, text: &str, offset: usize) -> Option<(Range<usize>, String)> {
    let parsed = yaml::parse(text);
    let doc = parsed.document_at(offset)?;
    let actor = strings(doc, "actors").find(|a| a.range.start <= offset && offset <= a.range.end);
    if let Some(actor) = actor
        && let Some(file) = actor.as_str().and_then(|r| local_file::local_reference(r, &[".wasm"]))
    {
        return Some((
            actor.range.clone(),
            images::summary(&local_file::resolve(path, file), file),
        ));
    }
    assist::hover(schema(), doc, offset)
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
        let (range, markdown) = hover(
            Path::new("/no/such/dir/host.yaml"),
            &text,
            text.find("image_ref").unwrap(),
        )
        .unwrap();
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

    /// `tests/fixtures/manifests/build/hello_s.wasm` is an empty module signed (never
    /// expiring) for `wasmcloud:httpserver`, and `host.yaml` links its subject.
    /// `WASMSCOPE_BLESS=1` signs it anew (new keys) and rewrites the subject in `host.yaml`.
    #[test]
    fn the_signed_actor_fixture_matches_the_host_manifest() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/manifests");
        let (actor, manifest) = (dir.join("build/hello_s.wasm"), dir.join("host.yaml"));
        if std::env::var_os("WASMSCOPE_BLESS").is_some() {
            let old = wasm_file::parse(&std::fs::read(&actor).unwrap())
                .ok()
                .and_then(|w| w.claims?.ok())
                .map(|c| c.subject)
                .unwrap_or_else(|| ACTOR.to_string());
            let (signed, subject) = wasm_file::fixtures::sign(b"\0asm\x01\0\0\0", &["wasmcloud:httpserver"], None);
            std::fs::write(&actor, signed).unwrap();
            let text = std::fs::read_to_string(&manifest).unwrap();
            std::fs::write(&manifest, text.replace(&old, &subject)).unwrap();
        }
        let wasm = wasm_file::parse(&std::fs::read(&actor).unwrap()).unwrap();
        let claims = wasm.claims.unwrap().unwrap();
        assert_eq!(claims.problems, Vec::<String>::new());
        assert_eq!(
            (claims.capabilities, claims.expires),
            (vec!["wasmcloud:httpserver".to_string()], None)
        );
        let text = std::fs::read_to_string(&manifest).unwrap();
        assert!(text.contains(&format!("${{ECHO_ACTOR:{}}}", claims.subject)));
    }

    #[test]
    fn unsigned_actors_unknown_subjects_and_unsigned_contracts_are_warned() {
        let dir = std::env::temp_dir().join(format!("wasmscope-host-claims-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("plain.wasm"), b"\0asm\x01\0\0\0").unwrap();
        let (signed, subject) = wasm_file::fixtures::sign(b"\0asm\x01\0\0\0", &["wasmcloud:keyvalue"], None);
        std::fs::write(dir.join("signed.wasm"), signed).unwrap();
        let check = |text: &str| -> Vec<(String, Severity, String)> {
            analyze(&dir.join("host.yaml"), text, &|_| None)
                .into_iter()
                .map(|f| (text[f.range].to_string(), f.severity, f.message))
                .collect()
        };
        let text = format!(
            "actors:\n  - ./plain.wasm\n  - ./signed.wasm\nlinks:\n  - actor: {subject}\n    provider_id: {PROVIDER}\n    contract_id: wasmcloud:keyvalue\n"
        );
        assert_eq!(
            check(&text),
            [(
                "./plain.wasm".to_string(),
                Severity::Warning,
                "actor file `./plain.wasm` is not signed: the host refuses actors without embedded claims".to_string()
            )]
        );
        // Every actor signed and local: a link's actor must be one of them.
        let text = format!(
            "actors:\n  - ./signed.wasm\nlinks:\n  - actor: {ACTOR}\n    provider_id: {PROVIDER}\n    contract_id: wasmcloud:keyvalue\n  - actor: ${{A:{subject}}}\n    provider_id: {PROVIDER}\n    contract_id: wasmcloud:blobstore\n"
        );
        assert_eq!(
            check(&text),
            [
                (
                    ACTOR.to_string(),
                    Severity::Warning,
                    format!("no listed actor is signed with the subject `{ACTOR}`")
                ),
                (
                    "wasmcloud:blobstore".to_string(),
                    Severity::Warning,
                    "actor `./signed.wasm` is not signed for `wasmcloud:blobstore`: its claims' capabilities are `wasmcloud:keyvalue`".to_string()
                ),
            ]
        );
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
