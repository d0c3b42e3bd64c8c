//! TOML to a [`Node`] tree with the byte range of every key and value, from the `toml`
//! crate's spanned document (`toml::de::DeTable`); syntax errors at their position, and the
//! tree it recovered around them.

use std::ops::Range;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::tree::{Entry, Kind, Node};
use crate::finding::{Finding, Severity};

/// Deeper nesting than this is cut off, so that nothing recursive runs out of stack.
const MAX_DEPTH: usize = 100;

/// A TOML file read: its tree (recovered around syntax errors) and those errors.
pub(crate) struct Toml {
    pub root: Node,
    pub findings: Vec<Finding>,
}

pub(crate) fn parse(text: &str) -> Toml {
    let (table, errors) = DeTable::parse_recoverable(text);
    let mut findings: Vec<Finding> = errors
        .iter()
        .map(|error| {
            let at = error.span().unwrap_or(0..0);
            let boundary = |mut i: usize| {
                i = i.min(text.len());
                while !text.is_char_boundary(i) {
                    i -= 1;
                }
                i
            };
            let start = boundary(at.start);
            let mut end = boundary(at.end.max(start));
            if end == start {
                end = text[start..]
                    .chars()
                    .next()
                    .filter(|c| *c != '\n' && *c != '\r')
                    .map(|c| start + c.len_utf8())
                    .unwrap_or(start);
            }
            Finding {
                range: start..end,
                severity: Severity::Error,
                message: format!("syntax error: {}", error.message().trim_end()),
            }
        })
        .collect();
    findings.sort_by_key(|f| (f.range.start, f.range.end));
    let span = table.span();
    Toml {
        root: Node::new(span.start..span.start, Kind::Map(entries(table.get_ref(), 0))),
        findings,
    }
}

fn entries(table: &DeTable<'_>, depth: usize) -> Vec<Entry> {
    table
        .iter()
        .map(|(key, value)| Entry {
            key: key.get_ref().to_string(),
            key_range: key.span(),
            value: node(value, depth + 1),
        })
        .collect()
}

fn node(value: &Spanned<DeValue<'_>>, depth: usize) -> Node {
    let range: Range<usize> = value.span();
    let kind = match value.get_ref() {
        _ if depth > MAX_DEPTH => Kind::Null,
        DeValue::String(s) => Kind::Str(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            i64::from_str_radix(&digits, i.radix())
                .map(Kind::Int)
                .unwrap_or_else(|_| Kind::Float(digits.parse().unwrap_or(f64::NAN)))
        }
        DeValue::Float(f) => Kind::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Kind::Bool(*b),
        DeValue::Datetime(d) => Kind::Str(d.to_string()),
        DeValue::Array(items) => Kind::Seq(items.iter().map(|v| node(v, depth + 1)).collect()),
        DeValue::Table(table) => Kind::Map(entries(table, depth)),
    };
    Node::new(range, kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_values_tables_and_arrays_of_tables_keep_their_ranges() {
        let text = "name = \"x\"\nrevision = 1_0\nratio = 0.5\na.b = true\n\n[component]\nclaims = [\"a\", \"b\"]\n\n[[dev.manifests]]\npath = \"p\"\n[[dev.manifests]]\npath = \"q\"\n";
        let toml = parse(text);
        assert_eq!(toml.findings, vec![]);
        let root = &toml.root;
        assert_eq!(
            root.to_json(),
            serde_json::json!({
                "name": "x", "revision": 10, "ratio": 0.5, "a": { "b": true },
                "component": { "claims": ["a", "b"] },
                "dev": { "manifests": [{ "path": "p" }, { "path": "q" }] },
            })
        );
        let slice = |r: Range<usize>| &text[r];
        assert_eq!(slice(root.entry("name").unwrap().key_range.clone()), "name");
        assert_eq!(slice(root.get("name").unwrap().range.clone()), "\"x\"");
        let component = root.entry("component").unwrap();
        assert_eq!(slice(component.key_range.clone()), "component");
        assert_eq!(slice(component.value.range.clone()), "[component]");
        assert_eq!(
            slice(component.value.get("claims").unwrap().range.clone()),
            "[\"a\", \"b\"]"
        );
        let manifests = root.get("dev").unwrap().get("manifests").unwrap();
        assert_eq!(slice(manifests.items()[1].get("path").unwrap().range.clone()), "\"q\"");
    }

    #[test]
    fn syntax_errors_are_on_their_position_and_the_rest_is_kept() {
        let text = "name = \"x\nversion = \n[rust\ndebug = tru\n";
        let toml = parse(text);
        let shown: Vec<(Range<usize>, &str)> = toml
            .findings
            .iter()
            .map(|f| (f.range.clone(), f.message.as_str()))
            .collect();
        assert_eq!(
            shown,
            [
                (9..9, "syntax error: invalid basic string, expected `\"`"),
                (
                    20..20,
                    "syntax error: string values must be quoted, expected literal string"
                ),
                (26..26, "syntax error: unclosed table, expected `]`"),
            ]
        );
        assert!(toml.root.get("name").is_some());
        for prefix in ["", "[", "[[", "a =", "a = [", "a = {", "\"", "a.b.c", "=", "[a]\n[a]\n"] {
            let _ = parse(prefix);
        }
    }
}
