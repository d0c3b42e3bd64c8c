//! Schema errors as findings on the exact range they are about: an unknown key on the key, a
//! wrong value on the value, a missing key on the key of the mapping that lacks it. `oneOf`
//! and `anyOf` failures are explained by the branch the document was meant to match.

use std::ops::Range;

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use serde_json::Value;

use super::schema::{Schema, keys};
use super::tree::{Kind, Node, Segment, anchor, value_range};
use crate::finding::{Finding, Severity};

/// How a document's text calls things: YAML has mappings and lists, TOML tables and arrays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    Yaml,
    Toml,
}

/// Every schema error of `doc` (a document of `text`), in text order.
pub(crate) fn findings(schema: &Schema, text: &str, doc: &Node, dialect: Dialect) -> Vec<Finding> {
    let instance = doc.to_json();
    let context = Context {
        schema,
        text,
        doc,
        dialect,
    };
    let mut out = Vec::new();
    for error in schema.validator().iter_errors(&instance) {
        context.describe(&error, &mut out);
    }
    let mut unique: Vec<Finding> = Vec::new();
    for finding in out {
        if !unique.contains(&finding) {
            unique.push(finding);
        }
    }
    unique.sort_by_key(|f| (f.range.start, f.range.end));
    unique
}

struct Context<'a> {
    schema: &'a Schema,
    text: &'a str,
    doc: &'a Node,
    dialect: Dialect,
}

fn path_of(error: &ValidationError<'_>) -> Vec<Segment> {
    error
        .instance_path()
        .iter()
        .map(|segment| match segment {
            LocationSegment::Property(key) => Segment::Key(key.into_owned()),
            LocationSegment::Index(index) => Segment::Index(index),
        })
        .collect()
}

impl Context<'_> {
    fn describe(&self, error: &ValidationError<'_>, out: &mut Vec<Finding>) {
        let path = path_of(error);
        let Some((node, key_range)) = self.doc.locate(&path) else {
            out.push(self.error(anchor(self.text, self.doc, &[]), error.to_string()));
            return;
        };
        let at_value = value_range(node, key_range);
        match error.kind() {
            ValidationErrorKind::AdditionalProperties { unexpected } => {
                let allowed: Vec<String> = keys(&self.schema.at(Some(self.doc), &path))
                    .into_iter()
                    .map(|(k, _)| k.to_string())
                    .collect();
                for key in unexpected {
                    let range = node
                        .entry(key)
                        .map(|e| e.key_range.clone())
                        .unwrap_or_else(|| at_value.clone());
                    let message = match closest(key, &allowed) {
                        Some(near) => format!("unknown key `{key}`; did you mean `{near}`?"),
                        None => format!("unknown key `{key}`"),
                    };
                    out.push(self.error(range, message));
                }
            }
            ValidationErrorKind::Required { property } => {
                let name = property
                    .as_str()
                    .map(str::to_string)
                    .unwrap_or_else(|| property.to_string());
                out.push(self.error(
                    anchor(self.text, self.doc, &path),
                    format!("missing required key `{name}`"),
                ));
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => vec![t.as_str().to_string()],
                    TypeKind::Multiple(set) => set.iter().map(|t| t.as_str().to_string()).collect(),
                };
                out.push(self.error(at_value, self.type_message(&expected, node)));
            }
            ValidationErrorKind::Enum { options } => {
                out.push(self.error(at_value, enum_message(node, options.as_array().map(Vec::as_slice))));
            }
            ValidationErrorKind::Constant { expected_value } => {
                out.push(self.error(
                    at_value,
                    enum_message(node, Some(std::slice::from_ref(expected_value.as_ref()))),
                ));
            }
            ValidationErrorKind::Minimum { limit } => {
                out.push(self.error(
                    at_value,
                    format!("{} is less than the minimum of {}", shown(node), number(limit)),
                ));
            }
            ValidationErrorKind::Maximum { limit } => {
                out.push(self.error(
                    at_value,
                    format!("{} is more than the maximum of {}", shown(node), number(limit)),
                ));
            }
            ValidationErrorKind::Pattern { pattern } => {
                let hint = self
                    .schema
                    .at(Some(self.doc), &path)
                    .into_iter()
                    .filter(|s| s.get("pattern").and_then(Value::as_str) == Some(pattern))
                    .find_map(|s| s.get("x-pattern-message").and_then(Value::as_str));
                let message = match hint {
                    Some(hint) => format!("{} {hint}", shown(node)),
                    None => format!("{} does not match the pattern `{pattern}`", shown(node)),
                };
                out.push(self.error(at_value, message));
            }
            ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
                self.explain_branches(&path, node, at_value, context, out);
            }
            _ => out.push(self.error(at_value, error.to_string())),
        }
    }

    /// No branch of a `oneOf`/`anyOf` matched: when every branch wants another type, or
    /// another value for the same key (a discriminator such as `type`), say so once;
    /// otherwise explain the branch the document came closest to.
    fn explain_branches<'b>(
        &self,
        path: &[Segment],
        node: &Node,
        at_value: Range<usize>,
        branches: &'b [Vec<ValidationError<'static>>],
        out: &mut Vec<Finding>,
    ) {
        let depth = path.len();
        let type_mismatch = |errors: &'b [ValidationError<'static>]| type_mismatch(errors, depth);
        let value_mismatch = |errors: &'b [ValidationError<'static>]| value_mismatch(errors, depth);
        if branches.is_empty() {
            out.push(self.error(at_value, "no allowed form matches this value".to_string()));
            return;
        }
        if branches.iter().all(|b| type_mismatch(b).is_some()) {
            let mut expected = Vec::new();
            for branch in branches {
                if let Some(ValidationErrorKind::Type { kind }) = type_mismatch(branch).map(|e| e.kind()) {
                    match kind {
                        TypeKind::Single(t) => expected.push(t.as_str().to_string()),
                        TypeKind::Multiple(set) => expected.extend(set.iter().map(|t| t.as_str().to_string())),
                    }
                }
            }
            out.push(self.error(at_value, self.type_message(&expected, node)));
            return;
        }
        let mismatches: Vec<&ValidationError<'static>> = branches.iter().filter_map(|b| value_mismatch(b)).collect();
        if mismatches.len() == branches.len() && mismatches.iter().all(|e| path_of(e) == path_of(mismatches[0])) {
            let mut options: Vec<Value> = Vec::new();
            for mismatch in &mismatches {
                let allowed: Vec<Value> = match mismatch.kind() {
                    ValidationErrorKind::Enum { options } => options.as_array().cloned().unwrap_or_default(),
                    ValidationErrorKind::Constant { expected_value } => vec![expected_value.as_ref().clone()],
                    _ => Vec::new(),
                };
                for value in allowed {
                    if !options.contains(&value) {
                        options.push(value);
                    }
                }
            }
            let discriminator = path_of(mismatches[0]);
            if let Some((value, key_range)) = self.doc.locate(&discriminator) {
                out.push(self.error(value_range(value, key_range), enum_message(value, Some(&options))));
                return;
            }
        }
        // The closest branch: right type, right discriminator, fewest errors.
        let best = branches
            .iter()
            .min_by_key(|b| (type_mismatch(b).is_some(), value_mismatch(b).is_some(), b.len()))
            .expect("branches is not empty");
        for error in best {
            self.describe(error, out);
        }
    }

    fn error(&self, range: Range<usize>, message: String) -> Finding {
        Finding {
            range,
            severity: Severity::Error,
            message,
        }
    }

    fn type_message(&self, expected: &[String], node: &Node) -> String {
        let mut names: Vec<&str> = Vec::new();
        for t in expected {
            if t == "null" && expected.len() > 1 {
                continue;
            }
            let name = self.noun(t);
            if !names.contains(&name) {
                names.push(name);
            }
        }
        let found = match (&node.kind, self.dialect) {
            (Kind::Seq(_), Dialect::Toml) => "an array",
            (Kind::Map(_), Dialect::Toml) => "a table",
            _ => node.type_name(),
        };
        let expected = match names.split_last() {
            Some((last, [])) => last.to_string(),
            Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
            None => "another type".to_string(),
        };
        format!("expected {expected}, found {found}")
    }

    fn noun(&self, json_type: &str) -> &'static str {
        match (json_type, self.dialect) {
            ("string", _) => "a string",
            ("integer", _) => "an integer",
            ("number", _) => "a number",
            ("boolean", _) => "a boolean",
            ("null", _) => "nothing",
            ("array", Dialect::Yaml) => "a list",
            ("array", Dialect::Toml) => "an array",
            ("object", Dialect::Yaml) => "a mapping",
            ("object", Dialect::Toml) => "a table",
            _ => "another type",
        }
    }
}

/// A branch's error saying the value itself has another type.
fn type_mismatch<'a>(errors: &'a [ValidationError<'static>], depth: usize) -> Option<&'a ValidationError<'static>> {
    errors
        .iter()
        .find(|e| path_of(e).len() == depth && matches!(e.kind(), ValidationErrorKind::Type { .. }))
}

/// A branch's error saying one of the value's keys has another value (a discriminator).
fn value_mismatch<'a>(errors: &'a [ValidationError<'static>], depth: usize) -> Option<&'a ValidationError<'static>> {
    errors.iter().find(|e| {
        path_of(e).len() == depth + 1
            && matches!(
                e.kind(),
                ValidationErrorKind::Enum { .. } | ValidationErrorKind::Constant { .. }
            )
    })
}

/// A schema's number limit as people write it (`0`, not `0.0`).
fn number(limit: &Value) -> String {
    match limit.as_f64() {
        Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        _ => limit.to_string(),
    }
}

/// A scalar as it is written in messages.
fn shown(node: &Node) -> String {
    match &node.kind {
        Kind::Str(s) => format!("`{s}`"),
        Kind::Int(i) => format!("`{i}`"),
        Kind::Float(f) => format!("`{f}`"),
        Kind::Bool(b) => format!("`{b}`"),
        Kind::Null => "nothing".to_string(),
        Kind::Seq(_) | Kind::Map(_) => node.type_name().to_string(),
    }
}

fn enum_message(node: &Node, options: Option<&[Value]>) -> String {
    let listed: Vec<String> = options
        .unwrap_or_default()
        .iter()
        .map(|v| match v {
            Value::String(s) => format!("`{s}`"),
            other => format!("`{other}`"),
        })
        .collect();
    match listed.as_slice() {
        [one] => format!("unknown value {}, expected {one}", shown(node)),
        _ => format!("unknown value {}, expected one of {}", shown(node), listed.join(", ")),
    }
}

/// The allowed key nearest to a mistyped one, if it is near enough to be a typo.
fn closest<'a>(key: &str, allowed: &'a [String]) -> Option<&'a str> {
    let limit = if key.chars().count() <= 3 { 1 } else { 2 };
    allowed
        .iter()
        .map(|a| (edit_distance(key, a), a))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, a)| a.as_str())
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let current = row[j + 1];
            row[j + 1] = if ca == *cb {
                previous
            } else {
                1 + previous.min(row[j]).min(current)
            };
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::manifest::yaml;
    use serde_json::json;

    fn check(schema: &Value, text: &str) -> Vec<(String, String)> {
        let schema = Schema::new(schema.clone());
        let doc = yaml::parse(text).documents[0].root.clone();
        findings(&schema, text, &doc, Dialect::Yaml)
            .into_iter()
            .map(|f| (text[f.range].to_string(), f.message))
            .collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    #[test]
    fn unknown_missing_and_wrong_values_are_on_their_keys_and_values() {
        let schema = json!({
            "type": "object",
            "required": ["name", "spec"],
            "additionalProperties": false,
            "properties": {
                "name": { "type": "string" },
                "count": { "type": "integer", "minimum": 1 },
                "mode": { "enum": ["fast", "slow"] },
                "version": { "type": "string", "pattern": "^[0-9]+$", "x-pattern-message": "is not a number" },
                "spec": {
                    "type": "object",
                    "required": ["image"],
                    "properties": { "image": { "type": ["string", "null"] } },
                    "additionalProperties": false,
                },
                "list": { "type": "array", "items": { "type": "object", "required": ["id"] } },
            },
        });
        let text = "name: [x]\ncount: 0\nmode: medium\nversion: v1\nspec:\n  imag: x\nlist:\n  - other: 1\nextra: 2\n";
        assert_eq!(
            check(&schema, text),
            pairs(&[
                ("[x]", "expected a string, found a list"),
                ("0", "`0` is less than the minimum of 1"),
                ("medium", "unknown value `medium`, expected one of `fast`, `slow`"),
                ("v1", "`v1` is not a number"),
                ("spec", "missing required key `image`"),
                ("imag", "unknown key `imag`; did you mean `image`?"),
                ("other: 1", "missing required key `id`"),
                ("extra", "unknown key `extra`"),
            ])
        );
        assert_eq!(
            check(&schema, "count: 2\n"),
            pairs(&[
                ("count: 2", "missing required key `name`"),
                ("count: 2", "missing required key `spec`"),
            ])
        );
        // An empty value is reported on its key.
        assert_eq!(
            check(&schema, "name:\nspec: {}\n"),
            pairs(&[
                ("name", "expected a string, found nothing"),
                ("spec", "missing required key `image`"),
            ])
        );
    }

    #[test]
    fn one_of_failures_are_explained_by_the_closest_branch() {
        let schema = json!({
            "type": "array",
            "items": {
                "oneOf": [
                    { "type": "object", "required": ["type"], "properties": { "type": { "enum": ["a"] }, "x": { "type": "string" } } },
                    { "type": "object", "required": ["type"], "properties": { "type": { "enum": ["b"] }, "y": { "type": "integer" } } },
                ],
            },
        });
        assert_eq!(
            check(&schema, "- type: a\n  x: 1\n- type: c\n- type: b\n  y: no\n- 7\n"),
            pairs(&[
                ("1", "expected a string, found an integer"),
                ("c", "unknown value `c`, expected one of `a`, `b`"),
                ("no", "expected an integer, found a string"),
                ("7", "expected a mapping, found an integer"),
            ])
        );
        let any = json!({ "properties": { "app": { "anyOf": [{ "type": "object", "required": ["name"] }, { "type": "null" }] } } });
        assert_eq!(
            check(&any, "app:\n  other: 1\n"),
            pairs(&[("app", "missing required key `name`")])
        );
        assert_eq!(
            check(&any, "app: 3\n"),
            pairs(&[("3", "expected a mapping, found an integer")])
        );
    }

    #[test]
    fn typos_are_matched_to_near_keys() {
        let allowed = ["image".to_string(), "id".to_string(), "config".to_string()];
        assert_eq!(closest("imag", &allowed), Some("image"));
        assert_eq!(closest("ix", &allowed), Some("id"));
        assert_eq!(closest("conf", &allowed), Some("config"));
        assert_eq!(closest("zzzz", &allowed), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
