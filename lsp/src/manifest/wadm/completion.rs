//! Completion in a wadm manifest: keys and values from the schema (trait types, component
//! types…), and for a link's target the names of the application's components.

use super::model::App;
use super::schema::schema;
use crate::answer::{Completion, CompletionKind};
use crate::manifest::assist;
use crate::manifest::cursor::{self, Want};
use crate::manifest::schema_errors::Dialect;
use crate::manifest::tree::{Node, Segment};
use crate::manifest::yaml;

pub(crate) fn completion(text: &str, offset: usize) -> Option<Vec<Completion>> {
    let cursor = cursor::at(text, offset)?;
    // The line being typed seldom parses: read the file without it.
    let rest = format!("{}{}", &text[..cursor.line.start], &text[cursor.line.end..]);
    let parsed = yaml::parse(&rest);
    let doc = parsed.document_at(cursor.line.start);
    let schema = schema();
    let items = match &cursor.want {
        Want::Key => assist::key_completions(schema, doc, &cursor.path, Dialect::Yaml),
        Want::Value { key } if is_link_target(&cursor.path, key) => component_names(doc),
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

/// `spec.components[i].traits[j].properties.target` or `….target.name`.
fn is_link_target(path: &[Segment], key: &str) -> bool {
    let named = |k: &str| Segment::Key(k.to_string());
    let trait_properties = |p: &[Segment]| {
        matches!(p, [a, b, Segment::Index(_), c, Segment::Index(_), d]
            if *a == named("spec") && *b == named("components") && *c == named("traits") && *d == named("properties"))
    };
    match (path.split_last(), key) {
        (Some((last, parent)), "name") => *last == Segment::Key("target".into()) && trait_properties(parent),
        (_, "target") => trait_properties(path),
        _ => false,
    }
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
        completion(&text, offset)
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
}
