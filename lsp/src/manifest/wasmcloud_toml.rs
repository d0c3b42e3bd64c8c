//! wash's project configuration, `wasmcloud.toml`: checked against
//! `lsp/schemas/wasmcloud-toml.schema.json` (the keys of wash-lib's `parser` module, every
//! version), with an outline of tables and keys, hover and completion.

use std::ops::Range;
use std::sync::OnceLock;

use super::assist;
use super::schema::{Schema, description, keys, types};
use super::schema_errors::{self, Dialect};
use super::toml_cursor::{self, Want};
use super::toml_tree;
use super::tree::{Entry, Kind, Node};
use crate::answer::{Completion, CompletionKind};
use crate::finding::Finding;
use crate::symbol::{Symbol, SymbolKind};

const SCHEMA: &str = include_str!("../../schemas/wasmcloud-toml.schema.json");

fn schema() -> &'static Schema {
    static COMPILED: OnceLock<Schema> = OnceLock::new();
    COMPILED.get_or_init(|| Schema::new(serde_json::from_str(SCHEMA).expect("the wasmcloud.toml schema is JSON")))
}

/// Syntax errors; once there are none, the schema's errors.
pub(crate) fn analyze(text: &str) -> Vec<Finding> {
    let parsed = toml_tree::parse(text);
    if !parsed.findings.is_empty() {
        return parsed.findings;
    }
    schema_errors::findings(schema(), text, &parsed.root, Dialect::Toml)
}

/// Tables (namespaces) with their keys, top-level keys.
pub(crate) fn outline(text: &str) -> Vec<Symbol> {
    toml_tree::parse(text).root.entries().iter().map(symbol).collect()
}

fn symbol(entry: &Entry) -> Symbol {
    let children = match &entry.value.kind {
        Kind::Map(entries) => entries.iter().map(symbol).collect(),
        Kind::Seq(items) => items
            .iter()
            .enumerate()
            .filter(|(_, item)| item.is_map())
            .map(|(index, item)| Symbol {
                name: format!("[{index}]"),
                kind: SymbolKind::Namespace,
                range: item.range.clone(),
                children: item.entries().iter().map(symbol).collect(),
            })
            .collect(),
        _ => Vec::new(),
    };
    Symbol {
        name: entry.key.clone(),
        kind: if entry.value.is_map() {
            SymbolKind::Namespace
        } else {
            SymbolKind::Property
        },
        range: entry.key_range.clone(),
        children,
    }
}

pub(crate) fn hover(text: &str, offset: usize) -> Option<(Range<usize>, String)> {
    assist::hover(schema(), &toml_tree::parse(text).root, offset)
}

pub(crate) fn completion(text: &str, offset: usize) -> Option<Vec<Completion>> {
    let cursor = toml_cursor::at(text, offset)?;
    let parsed = toml_tree::parse(text);
    let doc: Option<&Node> = Some(&parsed.root);
    let schema = schema();
    Some(match &cursor.want {
        Want::Key => assist::key_completions(schema, doc, &cursor.path, Dialect::Toml),
        Want::Value { key } => assist::value_completions(schema, doc, &cursor.path, key, Dialect::Toml),
        Want::Table { array } => {
            let wanted = if *array { "array" } else { "object" };
            let schemas = schema.at(doc, &cursor.path);
            keys(&schemas)
                .into_iter()
                .filter(|(key, _)| types(&schema.property(&schemas, key, None)).iter().any(|t| t == wanted))
                .map(|(key, _)| Completion {
                    label: key.to_string(),
                    kind: CompletionKind::Module,
                    detail: None,
                    documentation: description(&schema.property(&schemas, key, None)).map(str::to_string),
                    insert_text: None,
                })
                .collect()
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    fn check(text: &str) -> Vec<(String, String)> {
        analyze(text)
            .into_iter()
            .map(|f| {
                assert_eq!(f.severity, Severity::Error);
                (text[f.range].to_string(), f.message)
            })
            .collect()
    }

    const VALID: &str = "name = \"hello\"\nlanguage = \"rust\"\ntype = \"component\"\nversion = \"0.1.0\"\n\n[component]\nwasm_target = \"wasm32-wasip2\"\nwit_world = \"hello\"\nclaims = [\"wasmcloud:httpserver\"]\n\n[rust]\ndebug = true\n\n[registry]\nurl = \"localhost:5000\"\n";

    #[test]
    fn a_valid_project_has_no_findings() {
        assert_eq!(check(VALID), vec![]);
    }

    #[test]
    fn schema_errors_on_keys_and_values() {
        let text = "name = \"hello\"\nlanguage = \"tinygo\"\ntype = \"compnent\"\nversion = \"0.1\"\n\n[component]\nwasm_target = \"wasm64\"\ntags = \"x\"\ncall_alias = \"a\"\n\n[tinygo]\nscheduler = \"threads\"\ngc = \"leaking\"\n\n[tls]\nca = []\n";
        let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
            v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
        };
        assert_eq!(
            check(text),
            pairs(&[
                (
                    "\"compnent\"",
                    "unknown value `compnent`, expected one of `component`, `provider`, `actor`, `interface`"
                ),
                ("\"0.1\"", "`0.1` is not a semantic version (like `0.1.0`)"),
                (
                    "\"wasm64\"",
                    "unknown value `wasm64`, expected one of `wasm32-unknown-unknown`, `wasm32-wasi`, `wasm32-wasip1`, `wasm32-wasi-preview1`, `wasm32-wasip2`, `wasm32-wasi-preview2`, `wasm32-preview2`"
                ),
                ("\"x\"", "expected an array, found a string"),
                (
                    "\"threads\"",
                    "unknown value `threads`, expected one of `none`, `tasks`, `asyncify`"
                ),
                ("gc", "unknown key `gc`"),
                ("tls", "unknown key `tls`"),
            ])
        );
        assert_eq!(
            check("language = \"go\"\ntype = \"provider\"\n"),
            pairs(&[
                ("language = \"go\"", "missing required key `name`"),
                ("language = \"go\"", "missing required key `version`"),
            ])
        );
        assert_eq!(
            check("language = \"rust\"\n"),
            pairs(&[("language = \"rust\"", "missing required key `type`")])
        );
        // While the file does not parse, only where it does not is reported.
        let broken = "name = \"x\nlanguage = \"rust\"\n";
        assert_eq!(
            analyze(broken),
            vec![Finding {
                range: 9..9,
                severity: Severity::Error,
                message: "syntax error: invalid basic string, expected `\"`".into(),
            }]
        );
    }

    #[test]
    fn outline_hover_and_completion() {
        let outline: Vec<String> = outline(VALID)
            .iter()
            .map(|s| format!("{} {:?} {}", s.name, s.kind, s.children.len()))
            .collect();
        assert_eq!(
            outline,
            [
                "name Property 0",
                "language Property 0",
                "type Property 0",
                "version Property 0",
                "component Namespace 3",
                "rust Namespace 1",
                "registry Namespace 1"
            ]
        );
        let (range, markdown) = hover(VALID, VALID.find("wit_world").unwrap()).unwrap();
        assert_eq!(&VALID[range], "wit_world");
        assert_eq!(
            markdown,
            "`wit_world`: string\n\nThe WIT world that is implemented by the component"
        );
        let (_, markdown) = hover(VALID, VALID.find("[component]").unwrap() + 2).unwrap();
        assert_eq!(markdown, "`component`: object\n\nConfiguration relevant to components");
        let labels = |marked: &str| -> Vec<String> {
            let offset = marked.find('|').unwrap();
            completion(&marked.replacen('|', "", 1), offset)
                .unwrap_or_default()
                .into_iter()
                .map(|c| c.label)
                .collect()
        };
        assert_eq!(labels("language = |"), ["rust", "tinygo", "go"]);
        assert_eq!(labels("type = \"|"), ["component", "provider", "actor", "interface"]);
        assert_eq!(labels("[tinygo]\nscheduler = |"), ["none", "tasks", "asyncify"]);
        assert_eq!(labels("[rust]\ncargo_path = \"c\"\n|"), ["debug", "target_path"]);
        assert_eq!(
            labels("[|"),
            [
                "actor",
                "component",
                "dev",
                "go",
                "interface",
                "metadata",
                "overrides",
                "provider",
                "registry",
                "rust",
                "tinygo"
            ]
        );
        assert_eq!(labels("[[dev.|"), ["config", "configs", "manifests", "secrets"]);
        let values = completion("[rust]\ndebug = ", 15).unwrap();
        assert_eq!(
            values.iter().map(|c| c.label.as_str()).collect::<Vec<_>>(),
            ["true", "false"]
        );
        assert_eq!(values[0].insert_text, None);
    }
}
