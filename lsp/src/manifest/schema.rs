//! A JSON schema, compiled once with the `jsonschema` crate for validation, and read directly
//! for what editors ask at a position: which schemas apply at a path of a document (following
//! `$ref`, `allOf`, the `anyOf`/`oneOf` branches the document fits and `if`/`then`/`else`), the
//! keys they allow, their descriptions and their allowed values.

use jsonschema::{Draft, Validator};
use serde_json::Value;

use super::tree::{Kind, Node, Segment};

/// How deep `$ref` chains and combinators are followed.
const MAX_DEPTH: usize = 32;

pub(crate) struct Schema {
    root: Value,
    validator: Validator,
}

impl Schema {
    /// Compiles a schema shipped with the server (never user input: a broken one is a bug,
    /// which each kind's unit tests would show at once).
    pub(crate) fn new(root: Value) -> Schema {
        let validator = jsonschema::options()
            .with_draft(Draft::Draft7)
            .build(&root)
            .unwrap_or_else(|e| panic!("a bundled JSON schema does not compile: {e}"));
        Schema { root, validator }
    }

    pub(crate) fn validator(&self) -> &Validator {
        &self.validator
    }

    /// The schemas that apply to the node at `path` of `doc` (`doc` decides which branches
    /// of `anyOf`/`oneOf`/`if` apply; `None` or a missing node keeps them all).
    pub(crate) fn at(&self, doc: Option<&Node>, path: &[Segment]) -> Vec<&Value> {
        let mut schemas = self.expand(&self.root, doc);
        let mut node = doc;
        for segment in path {
            let child = node.and_then(|n| n.child(segment));
            let mut next: Vec<&Value> = Vec::new();
            for schema in &schemas {
                for sub in children(schema, segment) {
                    for expanded in self.expand(sub, child) {
                        if !next.iter().any(|s| std::ptr::eq(*s, expanded)) {
                            next.push(expanded);
                        }
                    }
                }
            }
            schemas = next;
            node = child;
        }
        schemas
    }

    /// The schemas of `key`'s value in a mapping described by `schemas`.
    pub(crate) fn property<'a>(&'a self, schemas: &[&'a Value], key: &str, value: Option<&Node>) -> Vec<&'a Value> {
        let segment = Segment::Key(key.to_string());
        let mut out: Vec<&'a Value> = Vec::new();
        for schema in schemas {
            for sub in children(schema, &segment) {
                for expanded in self.expand(sub, value) {
                    if !out.iter().any(|s| std::ptr::eq(*s, expanded)) {
                        out.push(expanded);
                    }
                }
            }
        }
        out
    }

    /// `schema` with what it refers to and combines, as far as `instance` decides.
    fn expand<'a>(&'a self, schema: &'a Value, instance: Option<&Node>) -> Vec<&'a Value> {
        let mut out = Vec::new();
        self.expand_into(schema, instance, &mut out, 0);
        out
    }

    fn expand_into<'a>(&'a self, schema: &'a Value, instance: Option<&Node>, out: &mut Vec<&'a Value>, depth: usize) {
        let Value::Object(object) = schema else { return };
        if depth > MAX_DEPTH || out.iter().any(|s| std::ptr::eq(*s, schema)) {
            return;
        }
        out.push(schema);
        if let Some(target) = object.get("$ref").and_then(Value::as_str).and_then(|r| self.resolve(r)) {
            self.expand_into(target, instance, out, depth + 1);
        }
        for sub in object.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.expand_into(sub, instance, out, depth + 1);
        }
        for combinator in ["anyOf", "oneOf"] {
            let Some(branches) = object.get(combinator).and_then(Value::as_array) else {
                continue;
            };
            let fitting: Vec<&Value> = branches
                .iter()
                .filter(|b| self.fits(b, instance, false, depth + 1))
                .collect();
            let chosen = if fitting.is_empty() {
                branches.iter().collect()
            } else {
                fitting
            };
            for branch in chosen {
                self.expand_into(branch, instance, out, depth + 1);
            }
        }
        if let (Some(condition), Some(node)) = (object.get("if"), instance) {
            let branch = if self.fits(condition, Some(node), true, depth + 1) {
                object.get("then")
            } else {
                object.get("else")
            };
            if let Some(branch) = branch {
                self.expand_into(branch, instance, out, depth + 1);
            }
        }
    }

    /// Whether `node` may be an instance of `schema`, judged by types, `enum`/`const` of its
    /// scalar properties and, when `strict` (an `if` condition), `required`.
    fn fits(&self, schema: &Value, node: Option<&Node>, strict: bool, depth: usize) -> bool {
        let Some(node) = node else { return true };
        if node.is_null() && !strict {
            return true;
        }
        let mut parts = Vec::new();
        self.plain(schema, &mut parts, depth);
        for part in parts {
            if let Some(types) = part.get("type")
                && !type_fits(types, node)
            {
                return false;
            }
            if !value_fits(part, node) {
                return false;
            }
            if strict {
                let required = part.get("required").and_then(Value::as_array).into_iter().flatten();
                if required.filter_map(Value::as_str).any(|k| node.get(k).is_none()) {
                    return false;
                }
            }
            let Some(properties) = part.get("properties").and_then(Value::as_object) else {
                continue;
            };
            for (key, sub) in properties {
                let Some(value) = node.get(key) else { continue };
                if matches!(value.kind, Kind::Seq(_) | Kind::Map(_)) {
                    continue;
                }
                let mut subparts = Vec::new();
                self.plain(sub, &mut subparts, depth + 1);
                if !subparts.iter().all(|s| value_fits(s, value)) {
                    return false;
                }
            }
        }
        true
    }

    /// `schema` with its `$ref`s and `allOf`s, without choosing branches.
    fn plain<'a>(&'a self, schema: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
        let Value::Object(object) = schema else { return };
        if depth > MAX_DEPTH || out.iter().any(|s| std::ptr::eq(*s, schema)) {
            return;
        }
        out.push(schema);
        if let Some(target) = object.get("$ref").and_then(Value::as_str).and_then(|r| self.resolve(r)) {
            self.plain(target, out, depth + 1);
        }
        for sub in object.get("allOf").and_then(Value::as_array).into_iter().flatten() {
            self.plain(sub, out, depth + 1);
        }
    }

    /// A local reference (`#/definitions/Name`).
    fn resolve(&self, reference: &str) -> Option<&Value> {
        self.root.pointer(reference.strip_prefix('#')?)
    }
}

/// The keys the mapping described by `schemas` allows, with their schemas, by name.
pub(crate) fn keys<'a>(schemas: &[&'a Value]) -> Vec<(&'a str, &'a Value)> {
    let mut out: Vec<(&str, &Value)> = Vec::new();
    for schema in schemas {
        for (key, sub) in schema
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            if !out.iter().any(|(k, _)| k == key) {
                out.push((key, sub));
            }
        }
    }
    out.sort_by_key(|(k, _)| *k);
    out
}

/// The first description among `schemas`.
pub(crate) fn description<'a>(schemas: &[&'a Value]) -> Option<&'a str> {
    schemas
        .iter()
        .find_map(|s| s.get("description").and_then(Value::as_str))
}

/// The JSON types `schemas` allow, as written (`string`, `array`…), `null` left out unless
/// it is all there is.
pub(crate) fn types(schemas: &[&Value]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for schema in schemas {
        let found: Vec<&str> = match schema.get("type") {
            Some(Value::String(t)) => vec![t],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => continue,
        };
        for t in found {
            if !out.iter().any(|o| o == t) {
                out.push(t.to_string());
            }
        }
        break;
    }
    if out.len() > 1 {
        out.retain(|t| t != "null");
    }
    out
}

/// The values `schemas` allow or suggest: `enum`, `const`, `examples`, and `true`/`false`
/// for booleans.
pub(crate) fn values(schemas: &[&Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    let mut add = |v: &Value| {
        if !v.is_null() && !out.contains(v) {
            out.push(v.clone());
        }
    };
    for schema in schemas {
        for v in schema.get("enum").and_then(Value::as_array).into_iter().flatten() {
            add(v);
        }
        if let Some(v) = schema.get("const") {
            add(v);
        }
        for v in schema.get("examples").and_then(Value::as_array).into_iter().flatten() {
            add(v);
        }
    }
    if out.is_empty() && types(schemas).iter().any(|t| t == "boolean") {
        out = vec![Value::Bool(true), Value::Bool(false)];
    }
    out
}

/// The subschemas one step down `segment`.
fn children<'a>(schema: &'a Value, segment: &Segment) -> Vec<&'a Value> {
    match segment {
        Segment::Key(key) => {
            if let Some(sub) = schema.get("properties").and_then(|p| p.get(key)) {
                vec![sub]
            } else if let Some(sub @ Value::Object(_)) = schema.get("additionalProperties") {
                vec![sub]
            } else {
                Vec::new()
            }
        }
        Segment::Index(index) => match schema.get("items") {
            Some(sub @ Value::Object(_)) => vec![sub],
            Some(Value::Array(items)) => items.get(*index).into_iter().collect(),
            _ => Vec::new(),
        },
    }
}

fn type_fits(types: &Value, node: &Node) -> bool {
    let one = |t: &str| {
        matches!(
            (&node.kind, t),
            (Kind::Null, "null")
                | (Kind::Bool(_), "boolean")
                | (Kind::Str(_), "string")
                | (Kind::Int(_), "integer" | "number")
                | (Kind::Float(_), "number")
                | (Kind::Seq(_), "array")
                | (Kind::Map(_), "object")
        )
    };
    match types {
        Value::String(t) => one(t),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(one),
        _ => true,
    }
}

fn value_fits(schema: &Value, node: &Node) -> bool {
    let value = node.to_json();
    if let Some(options) = schema.get("enum").and_then(Value::as_array)
        && !options.contains(&value)
    {
        return false;
    }
    match schema.get("const") {
        Some(expected) => *expected == value,
        None => true,
    }
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
                "items": { "type": "array", "items": { "$ref": "#/definitions/Item" } },
                "flag": { "description": "A flag", "type": "boolean" },
            },
            "definitions": {
                "Item": {
                    "description": "An item",
                    "oneOf": [
                        { "properties": { "type": { "enum": ["a"] }, "alpha": { "description": "Alpha" } } },
                        { "properties": { "type": { "enum": ["b"] }, "beta": { "description": "Beta" } } },
                    ],
                    "if": { "required": ["type"], "properties": { "type": { "const": "b" } } },
                    "then": { "properties": { "extra": { "description": "Only for b" } } },
                },
            },
        }))
    }

    fn key_names(schemas: &[&Value]) -> Vec<String> {
        keys(schemas).into_iter().map(|(k, _)| k.to_string()).collect()
    }

    #[test]
    fn branches_follow_the_document() {
        let schema = schema();
        let doc = yaml::parse("items:\n  - type: b\n  - type: a\n  - {}\n").documents[0]
            .root
            .clone();
        let at = |i| schema.at(Some(&doc), &[Segment::Key("items".into()), Segment::Index(i)]);
        assert_eq!(key_names(&at(0)), ["beta", "extra", "type"]);
        assert_eq!(key_names(&at(1)), ["alpha", "type"]);
        assert_eq!(key_names(&at(2)), ["alpha", "beta", "type"]);
        assert_eq!(description(&at(0)), Some("An item"));
        let beta = schema.property(&at(0), "beta", None);
        assert_eq!(description(&beta), Some("Beta"));
        let type_values = schema.property(&at(2), "type", None);
        assert_eq!(values(&type_values), [json!("a"), json!("b")]);
        let flag = schema.at(None, &[Segment::Key("flag".into())]);
        assert_eq!(types(&flag), ["boolean"]);
        assert_eq!(values(&flag), [json!(true), json!(false)]);
        assert!(schema.at(None, &[Segment::Key("nope".into())]).is_empty());
    }
}
