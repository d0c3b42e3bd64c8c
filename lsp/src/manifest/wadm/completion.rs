//! Completion in a wadm manifest: keys and values from the schema (trait types, component
//! types…), for a link's target the names of the application's components, and for a
//! link's `interfaces` those the target's WIT world exports.

use std::path::Path;

use super::interfaces;
use super::model::App;
use super::schema::schema;
use crate::answer::{Completion, CompletionKind};
use crate::manifest::assist;
use crate::manifest::cursor::{self, Want};
use crate::manifest::schema_errors::Dialect;
use crate::manifest::tree::{Node, Segment};
use crate::manifest::yaml;

pub(crate) fn completion(path: &Path, text: &str, offset: usize) -> Option<Vec<Completion>> {
    if let Some(items) = flow_interfaces(path, text, offset) {
        return Some(items);
    }
    let cursor = cursor::at(text, offset)?;
    // The line being typed seldom parses: read the file without it.
    let rest = format!("{}{}", &text[..cursor.line.start], &text[cursor.line.end..]);
    let parsed = yaml::parse(&rest);
    let doc = parsed.document_at(cursor.line.start);
    let schema = schema();
    let items = match &cursor.want {
        Want::Key => assist::key_completions(schema, doc, &cursor.path, Dialect::Yaml),
        Want::Value { key } if is_link_target(&cursor.path, key) => component_names(doc),
        Want::Value { key } if key == "interfaces" && is_trait_properties(&cursor.path) => {
            link_interfaces(path, doc, &cursor.path, true)
        }
        Want::Item { .. }
            if cursor.path.split_last().is_some_and(|(last, parent)| {
                *last == Segment::Key("interfaces".into()) && is_trait_properties(parent)
            }) =>
        {
            link_interfaces(path, doc, &cursor.path[..cursor.path.len() - 1], false)
        }
        Want::Value { key } => {
            let mut values = assist::value_completions(schema, doc, &cursor.path, key, Dialect::Yaml);
            // `actor` is the old name of `component`, accepted but not to be suggested.
            values.retain(|c| c.label != "actor");
            values
        }
        Want::Item { index } => assist::item_completions(schema, doc, &cursor.path, *index, Dialect::Yaml),
    };
    Some(items)
}

/// Inside a flow list of a link's interfaces (`interfaces: [store, h|`): the target's
/// exports not listed yet.
fn flow_interfaces(path: &Path, text: &str, offset: usize) -> Option<Vec<Completion>> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let before = &text[line_start..offset];
    let (key, list) = before.split_once('[')?;
    if key.trim_start().trim_end() != "interfaces:" || list.contains(']') {
        return None;
    }
    let listed: Vec<&str> = list.split(',').map(|i| i.trim().trim_matches(['"', '\''])).collect();
    // Read as `interfaces: ` with nothing after, the cursor is on that key's value.
    let key_end = line_start + key.len();
    let line_end = text[offset..].find('\n').map(|i| offset + i).unwrap_or(text.len());
    let blank = format!("{}{}", &text[..key_end], &text[line_end..]);
    let cursor = cursor::at(&blank, key_end)?;
    if cursor.want
        != (Want::Value {
            key: "interfaces".into(),
        })
        || !is_trait_properties(&cursor.path)
    {
        return None;
    }
    let rest = format!("{}{}", &blank[..cursor.line.start], &blank[cursor.line.end..]);
    let parsed = yaml::parse(&rest);
    let mut items = link_interfaces(path, parsed.document_at(cursor.line.start), &cursor.path, false);
    let typing = listed.last().copied().unwrap_or_default();
    items.retain(|c| c.label.starts_with(typing) && !listed[..listed.len() - 1].contains(&c.label.as_str()));
    Some(items)
}

/// `spec.components[i].traits[j].properties`.
fn is_trait_properties(path: &[Segment]) -> bool {
    let named = |k: &str| Segment::Key(k.to_string());
    matches!(path, [a, b, Segment::Index(_), c, Segment::Index(_), d]
        if *a == named("spec") && *b == named("components") && *c == named("traits") && *d == named("properties"))
}

/// `spec.components[i].traits[j].properties.target` or `….target.name`.
fn is_link_target(path: &[Segment], key: &str) -> bool {
    match (path.split_last(), key) {
        (Some((last, parent)), "name") => *last == Segment::Key("target".into()) && is_trait_properties(parent),
        (_, "target") => is_trait_properties(path),
        _ => false,
    }
}

/// The interfaces the link's target exports, for the link whose properties are at `path`.
fn link_interfaces(manifest: &Path, doc: Option<&Node>, path: &[Segment], bracketed: bool) -> Vec<Completion> {
    let Some(doc) = doc else { return Vec::new() };
    let Some((properties, _)) = doc.locate(path) else {
        return Vec::new();
    };
    let target = properties
        .get("target")
        .and_then(|t| t.as_str().or_else(|| t.get("name").and_then(Node::as_str)));
    let Some(target) = target else { return Vec::new() };
    let text_of = |key: &str| properties.get(key).and_then(Node::as_str);
    let app = App::read(doc);
    interfaces::completions(
        manifest,
        &app,
        target,
        text_of("namespace"),
        text_of("package"),
        bracketed,
    )
}

fn component_names(doc: Option<&Node>) -> Vec<Completion> {
    let Some(doc) = doc else { return Vec::new() };
    App::read(doc)
        .components
        .iter()
        .filter_map(|c| {
            Some(Completion {
                label: c.name_str()?.to_string(),
                kind: CompletionKind::Value,
                detail: c.kind.map(str::to_string),
                documentation: c.property("image").and_then(Node::as_str).map(|i| format!("`{i}`")),
                insert_text: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const APP: &str = "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: demo\n  annotations:\n    version: v0.1.0\nspec:\n  components:\n    - name: hello\n      type: component\n      properties:\n        image: r/hello:1\n    - name: http\n      type: capability\n      properties:\n        image: r/http:1\n";

    fn labels(marked: &str) -> Vec<String> {
        let offset = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        completion(Path::new("/no/such/dir/wadm.yaml"), &text, offset)
            .unwrap_or_default()
            .into_iter()
            .map(|c| c.label)
            .collect()
    }

    #[test]
    fn keys_values_and_link_targets() {
        assert_eq!(labels("|"), ["apiVersion", "kind", "metadata", "spec"]);
        assert_eq!(labels("apiVersion: |"), ["core.oam.dev/v1beta1"]);
        assert_eq!(
            labels(&format!("{APP}      traits:\n        - type: |")),
            ["spreadscaler", "daemonscaler", "link"]
        );
        assert_eq!(
            labels(&format!("{APP}    - name: x\n      type: |")),
            ["component", "capability"]
        );
        assert_eq!(
            labels(&format!("{APP}        i|")),
            ["application", "config", "id", "secrets"]
        );
        let link = format!("{APP}      traits:\n        - type: link\n          properties:\n");
        assert_eq!(labels(&format!("{link}            target: |")), ["hello", "http"]);
        assert_eq!(
            labels(&format!("{link}            target:\n              name: h|")),
            ["hello", "http"]
        );
        assert_eq!(
            labels(&format!("{link}            |")),
            ["interfaces", "name", "namespace", "package", "source", "target"]
        );
        let scaler = format!("{APP}      traits:\n        - type: spreadscaler\n          properties:\n            |");
        assert_eq!(labels(&scaler), ["instances", "replicas", "spread"]);
        assert_eq!(
            labels(&format!("{APP}    - |")),
            ["name", "properties", "traits", "type"]
        );
    }

    #[test]
    fn a_links_interfaces_are_the_targets_exports() {
        let dir = std::env::temp_dir().join(format!("wasmscope-complete-interfaces-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let wit = "package demo:app@0.1.0;\ninterface store { get: func(); }\ninterface handler { handle: func(); }\nworld callee { export store; export handler; }\n";
        std::fs::write(
            dir.join("callee.wasm"),
            crate::manifest::wasm_file::fixtures::component(wit, "callee"),
        )
        .unwrap();
        let manifest = dir.join("wadm.yaml");
        let app = "apiVersion: core.oam.dev/v1beta1\nkind: Application\nmetadata:\n  name: demo\nspec:\n  components:\n    - name: callee\n      type: component\n      properties:\n        image: file://callee.wasm\n    - name: caller\n      type: component\n      properties:\n        image: r/caller:1\n      traits:\n        - type: link\n          properties:\n            target: callee\n            namespace: demo\n            package: app\n";
        let labels = |marked: &str| -> Vec<(String, Option<String>)> {
            let offset = marked.find('|').unwrap();
            let text = marked.replacen('|', "", 1);
            completion(&manifest, &text, offset)
                .unwrap_or_default()
                .into_iter()
                .map(|c| (c.label, c.insert_text))
                .collect()
        };
        let owned = |v: &[(&str, Option<&str>)]| -> Vec<(String, Option<String>)> {
            v.iter().map(|(l, i)| (l.to_string(), i.map(str::to_string))).collect()
        };
        assert_eq!(
            labels(&format!("{app}            interfaces: |")),
            owned(&[("store", Some("[store]")), ("handler", Some("[handler]"))])
        );
        assert_eq!(
            labels(&format!("{app}            interfaces:\n              - |")),
            owned(&[("store", None), ("handler", None)])
        );
        assert_eq!(
            labels(&format!("{app}            interfaces: [store, |]")),
            owned(&[("handler", None)])
        );
        assert_eq!(
            labels(&format!("{app}            interfaces: [h|")),
            owned(&[("handler", None)])
        );
        // Another namespace: nothing the target exports.
        let wasi = app.replace("namespace: demo", "namespace: wasi");
        assert_eq!(labels(&format!("{wasi}            interfaces: [|")), vec![]);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
