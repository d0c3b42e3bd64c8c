//! Completions and hovers read from a schema, the same for every manifest kind: the keys a
//! mapping allows (less those it has), a key's allowed values, and a key's description.

use std::ops::Range;

use serde_json::Value;

use super::schema::{Schema, description, keys, types, values};
use super::schema_errors::Dialect;
use super::tree::{Hit, Kind, Node, Segment};
use crate::answer::{Completion, CompletionKind};

/// Whether a schema marks what it describes as deprecated (still accepted, not suggested).
fn deprecated(schemas: &[&Value]) -> bool {
    schemas.iter().any(|s| s.get("deprecated") == Some(&Value::Bool(true)))
}

/// The keys the mapping at `path` of `doc` may still take, deprecated ones left out.
pub(crate) fn key_completions(
    schema: &Schema,
    doc: Option<&Node>,
    path: &[Segment],
    dialect: Dialect,
) -> Vec<Completion> {
    let present: Vec<&str> = doc
        .and_then(|d| d.locate(path))
        .map(|(node, _)| node.entries().iter().map(|e| e.key.as_str()).collect())
        .unwrap_or_default();
    let schemas = schema.at(doc, path);
    keys(&schemas)
        .into_iter()
        .filter(|(key, _)| !present.contains(key))
        .map(|(key, _)| (key, schema.property(&schemas, key, None)))
        .filter(|(_, sub)| !deprecated(sub))
        .map(|(key, sub)| {
            let kinds = types(&sub);
            Completion {
                label: key.to_string(),
                kind: CompletionKind::Property,
                detail: (!kinds.is_empty()).then(|| kinds.join(" | ")),
                documentation: description(&sub).map(str::to_string),
                insert_text: Some(match dialect {
                    Dialect::Yaml => format!("{key}: "),
                    Dialect::Toml => format!("{key} = "),
                }),
            }
        })
        .collect()
}

/// The values `key` of the mapping at `path` allows or suggests.
pub(crate) fn value_completions(
    schema: &Schema,
    doc: Option<&Node>,
    path: &[Segment],
    key: &str,
    dialect: Dialect,
) -> Vec<Completion> {
    let parent = schema.at(doc, path);
    let property = schema.property(&parent, key, None);
    value_items(&values(&property), dialect)
}

/// A new item of the list at `path`: the keys of its items when they are mappings, else
/// their allowed values.
pub(crate) fn item_completions(
    schema: &Schema,
    doc: Option<&Node>,
    path: &[Segment],
    index: usize,
    dialect: Dialect,
) -> Vec<Completion> {
    let mut item = path.to_vec();
    item.push(Segment::Index(index));
    let schemas = schema.at(doc, &item);
    if types(&schemas).iter().any(|t| t == "object") {
        key_completions(schema, None, &item, dialect)
    } else {
        value_items(&values(&schemas), dialect)
    }
}

fn value_items(values: &[Value], dialect: Dialect) -> Vec<Completion> {
    values
        .iter()
        .map(|value| {
            let (label, quoted) = match value {
                Value::String(s) => (s.clone(), true),
                other => (other.to_string(), false),
            };
            Completion {
                insert_text: (quoted && dialect == Dialect::Toml).then(|| format!("\"{label}\"")),
                label,
                kind: CompletionKind::Value,
                detail: None,
                documentation: None,
            }
        })
        .collect()
}

/// Markdown for the key at the end of `path` (a key of the mapping at `path[..len - 1]`).
pub(crate) fn describe_key(schema: &Schema, doc: &Node, path: &[Segment]) -> Option<String> {
    let (Segment::Key(key), parent) = path.split_last()? else {
        return None;
    };
    let schemas = schema.property(&schema.at(Some(doc), parent), key, doc.locate(path).map(|(n, _)| n));
    if schemas.is_empty() {
        return None;
    }
    let kinds = types(&schemas);
    let mut markdown = format!("`{key}`");
    if !kinds.is_empty() {
        markdown.push_str(&format!(": {}", kinds.join(" | ")));
    }
    if let Some(text) = description(&schemas) {
        markdown.push_str("\n\n");
        markdown.push_str(text.trim());
    }
    if deprecated(&schemas) {
        markdown.push_str("\n\nDeprecated.");
    }
    Some(markdown)
}

/// The hover for what `offset` falls on in `doc`: a key's description, on the key or on its
/// value (a list item's, on the list's key).
pub(crate) fn hover(schema: &Schema, doc: &Node, offset: usize) -> Option<(Range<usize>, String)> {
    let (mut path, hit) = doc.path_at(offset)?;
    let range = match hit {
        Hit::Key(entry) => entry.key_range.clone(),
        Hit::Value(node) if !matches!(node.kind, Kind::Map(_) | Kind::Seq(_)) => node.range.clone(),
        Hit::Value(_) => return None,
    };
    while matches!(path.last(), Some(Segment::Index(_))) {
        path.pop();
    }
    Some((range, describe_key(schema, doc, &path)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::yaml;
    use serde_json::json;

    fn schema() -> Schema {
        Schema::new(json!({
            "type": "object",
            "properties": {
                "name": { "type": "string", "description": "The name" },
                "mode": { "enum": ["fast", "slow"] },
                "tags": { "type": "array", "items": { "enum": ["a", "b"] } },
                "parts": { "type": "array", "items": { "type": "object", "properties": { "id": { "type": "integer" } } } },
            },
        }))
    }

    #[test]
    fn keys_values_items_and_hovers_from_the_schema() {
        let schema = schema();
        let text = "name: x\nmode: fast\ntags: [a]\n";
        let doc = yaml::parse(text).documents[0].root.clone();
        let labels = |c: Vec<Completion>| c.into_iter().map(|c| c.label).collect::<Vec<_>>();
        let keys = key_completions(&schema, Some(&doc), &[], Dialect::Yaml);
        assert_eq!(labels(keys.clone()), ["parts"]);
        assert_eq!(keys[0].insert_text.as_deref(), Some("parts: "));
        assert_eq!(keys[0].detail.as_deref(), Some("array"));
        assert_eq!(
            labels(value_completions(&schema, Some(&doc), &[], "mode", Dialect::Yaml)),
            ["fast", "slow"]
        );
        let toml = value_completions(&schema, None, &[], "mode", Dialect::Toml);
        assert_eq!(toml[0].insert_text.as_deref(), Some("\"fast\""));
        assert_eq!(
            labels(item_completions(
                &schema,
                Some(&doc),
                &[Segment::Key("tags".into())],
                1,
                Dialect::Yaml
            )),
            ["a", "b"]
        );
        assert_eq!(
            labels(item_completions(
                &schema,
                Some(&doc),
                &[Segment::Key("parts".into())],
                0,
                Dialect::Yaml
            )),
            ["id"]
        );
        assert_eq!(
            hover(&schema, &doc, 1),
            Some((0..4, "`name`: string\n\nThe name".to_string()))
        );
        assert_eq!(hover(&schema, &doc, 6).unwrap().0, 6..7);
        assert_eq!(hover(&schema, &doc, 26), Some((26..27, "`tags`: array".to_string())));
    }
}
