//! YAML to [`Node`] trees with the byte range of every node and key, from `saphyr-parser`'s
//! events (which carry spans): every document of a multi-document file, the first syntax
//! error at its position, and the documents read before it (the last one partly).

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

use super::tree::{Entry, Kind, Node};
use crate::finding::{Finding, Severity};

/// Deeper nesting than this is refused, so that nothing recursive runs out of stack.
const MAX_DEPTH: usize = 200;
/// How many nodes aliases may copy in all, against "billion laughs" documents.
const ALIAS_BUDGET: usize = 20_000;

/// One document of a YAML file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Document {
    pub root: Node,
    /// False for the document a syntax error cut short (its tree is what came before it).
    pub complete: bool,
}

/// A YAML file read: its documents and its problems (syntax, keys given twice).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Yaml {
    pub documents: Vec<Document>,
    pub findings: Vec<Finding>,
}

impl Yaml {
    /// The documents read to their end.
    pub(crate) fn complete_documents(&self) -> impl Iterator<Item = &Node> {
        self.documents.iter().filter(|d| d.complete).map(|d| &d.root)
    }

    /// The document that `offset` is in (the last one starting before it).
    pub(crate) fn document_at(&self, offset: usize) -> Option<&Node> {
        self.documents
            .iter()
            .rev()
            .find(|d| d.root.extent().start <= offset)
            .or_else(|| self.documents.first())
            .map(|d| &d.root)
    }
}

enum Frame {
    Seq {
        start: usize,
        flow: bool,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        start: usize,
        flow: bool,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<(String, Range<usize>)>,
    },
}

/// Character index (what saphyr counts) to byte offset.
struct Offsets<'a> {
    text: &'a str,
    starts: Option<Vec<usize>>,
}

impl<'a> Offsets<'a> {
    fn new(text: &'a str) -> Self {
        let starts = (!text.is_ascii()).then(|| text.char_indices().map(|(i, _)| i).collect());
        Offsets { text, starts }
    }

    fn byte(&self, char_index: usize) -> usize {
        match &self.starts {
            None => char_index.min(self.text.len()),
            Some(starts) => starts.get(char_index).copied().unwrap_or(self.text.len()),
        }
    }

    fn range(&self, span: &Span) -> Range<usize> {
        let start = self.byte(span.start.index());
        start..self.byte(span.end.index()).max(start)
    }
}

struct Builder<'a> {
    text: &'a str,
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    alias_budget: usize,
    findings: Vec<Finding>,
}

/// Parses every document of `text`.
pub(crate) fn parse(text: &str) -> Yaml {
    let offsets = Offsets::new(text);
    let mut builder = Builder {
        text,
        stack: Vec::new(),
        anchors: HashMap::new(),
        alias_budget: ALIAS_BUDGET,
        findings: Vec::new(),
    };
    let mut documents = Vec::new();
    let mut root: Option<Node> = None;
    let mut errored = false;
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = match next {
            Ok(event) => event,
            Err(error) => {
                let at = offsets.byte(error.marker().index());
                builder.error(at, format!("syntax error: {}", error.info()));
                errored = true;
                break;
            }
        };
        let range = offsets.range(&span);
        let done = match event {
            Event::DocumentStart(_) => {
                builder.anchors.clear();
                None
            }
            Event::DocumentEnd => {
                // An empty document (a trailing `---`) holds nothing to check.
                if let Some(node) = root.take().filter(|n| !(n.is_null() && n.range.is_empty())) {
                    documents.push(Document {
                        root: node,
                        complete: true,
                    });
                }
                None
            }
            Event::Scalar(value, style, anchor, tag) => {
                let range = builder.skip_properties(range);
                let is_str_tag = tag.as_ref().is_some_and(|t| t.suffix == "str");
                let kind = if style == ScalarStyle::Plain && !is_str_tag {
                    resolve_plain(&value)
                } else {
                    Kind::Str(value.into_owned())
                };
                let node = Node::new(range, kind);
                builder.remember(anchor, &node);
                Some(node)
            }
            Event::Alias(id) => Some(builder.alias(id, range)),
            Event::SequenceStart(..) | Event::MappingStart(..) if builder.stack.len() >= MAX_DEPTH => {
                builder.error(range.start, "syntax error: nesting is too deep".to_string());
                errored = true;
                break;
            }
            Event::SequenceStart(anchor, _) => {
                let range = builder.skip_properties(range);
                builder.stack.push(Frame::Seq {
                    start: range.start,
                    flow: text[range.start..].starts_with('['),
                    anchor,
                    items: Vec::new(),
                });
                None
            }
            Event::MappingStart(anchor, _) => {
                let range = builder.skip_properties(range);
                builder.stack.push(Frame::Map {
                    start: range.start,
                    flow: text[range.start..].starts_with('{'),
                    anchor,
                    entries: Vec::new(),
                    key: None,
                });
                None
            }
            Event::SequenceEnd | Event::MappingEnd => builder.close(range.end),
            Event::StreamStart | Event::StreamEnd | Event::Nothing => None,
        };
        if let Some(node) = done
            && let Some(node) = builder.add(node)
        {
            root = Some(node);
        }
    }
    // A syntax error leaves collections open: close them so the partial tree can be used.
    while !builder.stack.is_empty() {
        if let Some(node) = builder.close(text.len())
            && let Some(node) = builder.add(node)
        {
            root = Some(node);
        }
    }
    if let Some(node) = root {
        documents.push(Document {
            root: node,
            complete: !errored,
        });
    }
    Yaml {
        documents,
        findings: builder.findings,
    }
}

impl Builder<'_> {
    fn error(&mut self, at: usize, message: String) {
        let at = at.min(self.text.len());
        let end = self.text[at..]
            .chars()
            .next()
            .filter(|c| *c != '\n' && *c != '\r')
            .map(|c| at + c.len_utf8())
            .unwrap_or(at);
        self.findings.push(Finding {
            range: at..end,
            severity: Severity::Error,
            message,
        });
    }

    /// A scalar's span starts at its anchor (`&name`) or tag (`!!str`): skip them.
    fn skip_properties(&self, range: Range<usize>) -> Range<usize> {
        let mut start = range.start;
        for _ in 0..2 {
            let rest = &self.text[start.min(range.end)..range.end];
            if !(rest.starts_with('&') || rest.starts_with('!')) {
                break;
            }
            let Some(space) = rest.find(char::is_whitespace) else {
                break;
            };
            let after = &rest[space..];
            start += space + (after.len() - after.trim_start().len());
        }
        start.min(range.end)..range.end
    }

    fn remember(&mut self, anchor: usize, node: &Node) {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
    }

    fn alias(&mut self, id: usize, range: Range<usize>) -> Node {
        let Some(target) = self.anchors.get(&id) else {
            return Node::new(range, Kind::Null);
        };
        let size = count(target);
        if size > self.alias_budget {
            return Node::new(range, Kind::Null);
        }
        self.alias_budget -= size;
        let mut copy = target.clone();
        relocate(&mut copy, &range);
        copy
    }

    /// Adds a finished node to the collection being read; returns it when it is a root.
    fn add(&mut self, node: Node) -> Option<Node> {
        match self.stack.last_mut() {
            None => Some(node),
            Some(Frame::Seq { items, .. }) => {
                items.push(node);
                None
            }
            Some(Frame::Map { entries, key, .. }) => {
                match key.take() {
                    None => {
                        let text = match &node.kind {
                            Kind::Str(s) => s.clone(),
                            Kind::Null => String::new(),
                            Kind::Bool(_) | Kind::Int(_) | Kind::Float(_) | Kind::Seq(_) | Kind::Map(_) => {
                                self.text[node.range.clone()].to_string()
                            }
                        };
                        *key = Some((text, node.range));
                    }
                    Some((key, key_range)) => entries.push(Entry {
                        key,
                        key_range,
                        value: node,
                    }),
                }
                None
            }
        }
    }

    /// Ends the innermost collection; `end` is where its end event is.
    fn close(&mut self, end: usize) -> Option<Node> {
        let node = match self.stack.pop()? {
            Frame::Seq {
                start,
                flow,
                anchor,
                items,
            } => {
                let range = collection_range(start, flow, end, items.iter().map(Node::extent));
                let node = Node::new(range, Kind::Seq(items));
                self.remember(anchor, &node);
                node
            }
            Frame::Map {
                start,
                flow,
                anchor,
                mut entries,
                key,
            } => {
                // A key whose value never came (a syntax error cut it short) gets nothing.
                if let Some((key, key_range)) = key {
                    let at = key_range.end;
                    entries.push(Entry {
                        key,
                        key_range,
                        value: Node::new(at..at, Kind::Null),
                    });
                }
                for (i, entry) in entries.iter().enumerate() {
                    if entries[..i].iter().any(|e| e.key == entry.key) {
                        self.findings.push(Finding {
                            range: entry.key_range.clone(),
                            severity: Severity::Error,
                            message: format!("duplicate key `{}`", entry.key),
                        });
                    }
                }
                let children = entries.iter().flat_map(|e| [e.key_range.clone(), e.value.extent()]);
                let range = collection_range(start, flow, end, children);
                let node = Node::new(range, Kind::Map(entries));
                self.remember(anchor, &node);
                node
            }
        };
        Some(node)
    }
}

/// A flow collection spans its brackets; a block one, its first to its last child.
fn collection_range(
    start: usize,
    flow: bool,
    end: usize,
    children: impl Iterator<Item = Range<usize>>,
) -> Range<usize> {
    if flow {
        return start..end.max(start);
    }
    let mut range: Option<Range<usize>> = None;
    for child in children {
        range = Some(match range {
            None => child,
            Some(r) => r.start.min(child.start)..r.end.max(child.end),
        });
    }
    match range {
        Some(r) => r.start.min(start)..r.end,
        None => start..start,
    }
}

fn count(node: &Node) -> usize {
    1 + match &node.kind {
        Kind::Seq(items) => items.iter().map(count).sum(),
        Kind::Map(entries) => entries.iter().map(|e| 1 + count(&e.value)).sum(),
        _ => 0,
    }
}

/// An alias's copy is reported where the alias is.
fn relocate(node: &mut Node, range: &Range<usize>) {
    node.range = range.clone();
    match &mut node.kind {
        Kind::Seq(items) => items.iter_mut().for_each(|n| relocate(n, range)),
        Kind::Map(entries) => entries.iter_mut().for_each(|e| {
            e.key_range = range.clone();
            relocate(&mut e.value, range)
        }),
        _ => {}
    }
}

/// A plain scalar's value under YAML 1.2's core schema, as wadm (serde_yaml) reads it.
fn resolve_plain(value: &str) -> Kind {
    match value {
        "" | "~" | "null" | "Null" | "NULL" => return Kind::Null,
        "true" | "True" | "TRUE" => return Kind::Bool(true),
        "false" | "False" | "FALSE" => return Kind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Kind::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Kind::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Kind::Float(f64::NAN),
        _ => {}
    }
    let digits = value.strip_prefix(['-', '+']).unwrap_or(value);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Ok(i) = value.parse::<i64>() {
            return Kind::Int(i);
        }
        if let Ok(f) = value.parse::<f64>() {
            return Kind::Float(f);
        }
    }
    if let Some(hex) = value.strip_prefix("0x")
        && let Ok(i) = i64::from_str_radix(hex, 16)
    {
        return Kind::Int(i);
    }
    if let Some(octal) = value.strip_prefix("0o")
        && let Ok(i) = i64::from_str_radix(octal, 8)
    {
        return Kind::Int(i);
    }
    let looks_numeric = digits
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'-' | b'+'))
        && digits.bytes().any(|b| b.is_ascii_digit())
        && !digits.starts_with(['e', 'E']);
    if looks_numeric && let Ok(f) = value.parse::<f64>() {
        return Kind::Float(f);
    }
    Kind::Str(value.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(node: &Node) -> String {
        match &node.kind {
            Kind::Null => "~".into(),
            Kind::Bool(b) => b.to_string(),
            Kind::Int(i) => i.to_string(),
            Kind::Float(f) => format!("{f:?}"),
            Kind::Str(s) => format!("{s:?}"),
            Kind::Seq(items) => format!("[{}]", items.iter().map(kinds).collect::<Vec<_>>().join(", ")),
            Kind::Map(entries) => format!(
                "{{{}}}",
                entries
                    .iter()
                    .map(|e| format!("{}: {}", e.key, kinds(&e.value)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    #[test]
    fn every_node_and_key_has_its_exact_range() {
        let text = "a: 1\nb: \"q x\"\nc:\n  - x\n  - {k: v}\nd: |\n  lit\ne:\nf: &anc [1, 2.5]\ng: *anc\n\"é\": plain text  # c\n";
        let yaml = parse(text);
        assert_eq!(yaml.findings, vec![]);
        assert_eq!(yaml.documents.len(), 1);
        let root = &yaml.documents[0].root;
        assert_eq!(
            kinds(root),
            "{a: 1, b: \"q x\", c: [\"x\", {k: \"v\"}], d: \"lit\\n\", e: ~, f: [1, 2.5], g: [1, 2.5], é: \"plain text\"}"
        );
        let slice = |r: Range<usize>| &text[r];
        let entry = |k: &str| root.entry(k).unwrap();
        assert_eq!(slice(entry("a").key_range.clone()), "a");
        assert_eq!(slice(entry("a").value.range.clone()), "1");
        assert_eq!(slice(entry("b").value.range.clone()), "\"q x\"");
        let c = &entry("c").value;
        assert_eq!(slice(c.range.clone()), "- x\n  - {k: v}");
        assert_eq!(slice(c.items()[1].range.clone()), "{k: v}");
        assert_eq!(slice(c.items()[1].entries()[0].value.range.clone()), "v");
        assert_eq!(slice(entry("d").value.range.clone()), "lit\n");
        assert_eq!(entry("e").value.range, 46..46);
        assert_eq!(slice(entry("f").value.range.clone()), "[1, 2.5]");
        assert_eq!(slice(entry("g").value.range.clone()), "*anc");
        assert_eq!(slice(entry("é").key_range.clone()), "\"é\"");
        assert_eq!(slice(entry("é").value.range.clone()), "plain text");
        assert_eq!(slice(root.range.clone()), text.trim_end().trim_end_matches("  # c"));
    }

    #[test]
    fn scalars_resolve_like_yaml_1_2() {
        let yaml = parse("[~, null, true, False, 12, -3, 0x1f, 0o17, 1.5, 1e3, .inf, yes, '1', 1.2.3, !!str 7, e5]");
        assert_eq!(
            kinds(&yaml.documents[0].root),
            "[~, ~, true, false, 12, -3, 31, 15, 1.5, 1000.0, inf, \"yes\", \"1\", \"1.2.3\", \"7\", \"e5\"]"
        );
    }

    #[test]
    fn multiple_documents_are_read_one_by_one() {
        let text = "---\na: 1\n---\nb: 2\n...\n---\n";
        let yaml = parse(text);
        assert_eq!(yaml.documents.len(), 2);
        assert!(yaml.documents.iter().all(|d| d.complete));
        assert_eq!(kinds(&yaml.documents[1].root), "{b: 2}");
        assert_eq!(
            yaml.document_at(text.find("b:").unwrap()).unwrap(),
            &yaml.documents[1].root
        );
        assert_eq!(yaml.document_at(0).unwrap(), &yaml.documents[0].root);
    }

    #[test]
    fn a_syntax_error_is_reported_where_it_is_and_keeps_what_came_before() {
        let text = "a: 1\nb:\n  c: 2\n d: 3\n";
        let yaml = parse(text);
        assert_eq!(
            yaml.findings,
            vec![Finding {
                range: 16..17,
                severity: Severity::Error,
                message: "syntax error: while parsing a block mapping, did not find expected key".into(),
            }]
        );
        assert_eq!(yaml.documents.len(), 1);
        assert!(!yaml.documents[0].complete);
        assert_eq!(kinds(&yaml.documents[0].root), "{a: 1, b: {c: 2}}");

        let yaml = parse("a: \"open\n");
        assert_eq!(yaml.findings[0].range, 3..4);
        assert_eq!(
            yaml.findings[0].message,
            "syntax error: while scanning a quoted scalar, found unexpected end of stream"
        );
        assert_eq!(kinds(&yaml.documents[0].root), "{a: ~}");
    }

    #[test]
    fn keys_given_twice_are_errors_on_the_second() {
        let text = "a: 1\nb: 2\na: 3\n";
        let yaml = parse(text);
        assert_eq!(
            yaml.findings,
            vec![Finding {
                range: 10..11,
                severity: Severity::Error,
                message: "duplicate key `a`".into(),
            }]
        );
        assert_eq!(yaml.documents[0].root.to_json(), serde_json::json!({ "a": 1, "b": 2 }));
    }

    #[test]
    fn hostile_input_is_bounded() {
        let deep = "[".repeat(1000);
        let yaml = parse(&deep);
        assert!(yaml.findings[0].message.starts_with("syntax error: "));
        let mut laughs = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 0..12 {
            let prev = if i == 0 { "a".to_string() } else { format!("l{}", i - 1) };
            laughs.push_str(&format!("l{i}: &l{i} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let yaml = parse(&laughs);
        assert!(count(&yaml.documents[0].root) < 2 * ALIAS_BUDGET + 1000);
        for text in [
            "",
            "   ",
            "# c\n",
            ": x",
            "- a\nb: 1\n",
            "a: *nope\n",
            "\t- x",
            "é: [",
            "?",
            "&",
            "!",
        ] {
            let _ = parse(text);
        }
    }
}
