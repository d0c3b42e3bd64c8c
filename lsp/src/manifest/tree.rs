//! A parsed manifest document with the byte range of every node and every mapping key, the
//! same for YAML and TOML, so that schema errors, hovers and completions are found by path.

use std::ops::Range;

use serde_json::Value;

/// A value with where it is in the text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    pub range: Range<usize>,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Kind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A mapping entry: its key (as text) and where the key is, and its value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub key: String,
    pub key_range: Range<usize>,
    pub value: Node,
}

/// One step of a path into a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
}

/// What a byte offset falls on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Hit<'a> {
    /// A mapping key (the entry it starts).
    Key(&'a Entry),
    /// A value (a scalar, or a collection between its items).
    Value(&'a Node),
}

impl Node {
    pub(crate) fn new(range: Range<usize>, kind: Kind) -> Node {
        Node { range, kind }
    }

    /// The entries of a mapping (none for any other value).
    pub(crate) fn entries(&self) -> &[Entry] {
        match &self.kind {
            Kind::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The items of a sequence (none for any other value).
    pub(crate) fn items(&self) -> &[Node] {
        match &self.kind {
            Kind::Seq(items) => items,
            _ => &[],
        }
    }

    /// The first entry of a mapping with this key.
    pub(crate) fn entry(&self, key: &str) -> Option<&Entry> {
        self.entries().iter().find(|e| e.key == key)
    }

    pub(crate) fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    pub(crate) fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Str(s) => Some(s),
            _ => None,
        }
    }

    pub(crate) fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    pub(crate) fn is_map(&self) -> bool {
        matches!(self.kind, Kind::Map(_))
    }

    /// The child one step down `segment`.
    pub(crate) fn child(&self, segment: &Segment) -> Option<&Node> {
        match segment {
            Segment::Key(key) => self.get(key),
            Segment::Index(index) => self.items().get(*index),
        }
    }

    /// The node at `path`, with the range of the key it is the value of (when it is one).
    pub(crate) fn locate(&self, path: &[Segment]) -> Option<(&Node, Option<Range<usize>>)> {
        let mut node = self;
        let mut key_range = None;
        for segment in path {
            match segment {
                Segment::Key(key) => {
                    let entry = node.entry(key)?;
                    key_range = Some(entry.key_range.clone());
                    node = &entry.value;
                }
                Segment::Index(index) => {
                    node = node.items().get(*index)?;
                    key_range = None;
                }
            }
        }
        Some((node, key_range))
    }

    /// The path to what `offset` falls on and what that is; `None` when it is outside the
    /// document. Ends count as inside, so a cursor just after a word is on it.
    pub(crate) fn path_at(&self, offset: usize) -> Option<(Vec<Segment>, Hit<'_>)> {
        let inside = |range: &Range<usize>| range.start <= offset && offset <= range.end;
        if !inside(&self.extent()) {
            return None;
        }
        let mut path = Vec::new();
        let mut node = self;
        'descend: loop {
            match &node.kind {
                Kind::Map(entries) => {
                    for entry in entries {
                        if inside(&entry.key_range) {
                            path.push(Segment::Key(entry.key.clone()));
                            return Some((path, Hit::Key(entry)));
                        }
                        if inside(&entry.value.extent()) && !entry.value.range.is_empty() {
                            path.push(Segment::Key(entry.key.clone()));
                            node = &entry.value;
                            continue 'descend;
                        }
                    }
                    return Some((path, Hit::Value(node)));
                }
                Kind::Seq(items) => {
                    for (index, item) in items.iter().enumerate() {
                        if inside(&item.extent()) {
                            path.push(Segment::Index(index));
                            node = item;
                            continue 'descend;
                        }
                    }
                    return Some((path, Hit::Value(node)));
                }
                _ => return Some((path, Hit::Value(node))),
            }
        }
    }

    /// The bytes a node spans with everything in it (a block collection's own range may
    /// start at its first key and end at its last value).
    pub(crate) fn extent(&self) -> Range<usize> {
        let mut range = self.range.clone();
        let children: Box<dyn Iterator<Item = Range<usize>>> = match &self.kind {
            Kind::Map(entries) => Box::new(entries.iter().flat_map(|e| [e.key_range.clone(), e.value.extent()])),
            Kind::Seq(items) => Box::new(items.iter().map(Node::extent)),
            _ => Box::new(std::iter::empty()),
        };
        for child in children {
            range.start = range.start.min(child.start);
            range.end = range.end.max(child.end);
        }
        range
    }

    /// The value as JSON, for schema validation. A key given twice keeps its first value.
    pub(crate) fn to_json(&self) -> Value {
        match &self.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Int(i) => Value::from(*i),
            Kind::Float(f) => serde_json::Number::from_f64(*f)
                .map(Value::Number)
                .unwrap_or(Value::Null),
            Kind::Str(s) => Value::String(s.clone()),
            Kind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Kind::Map(entries) => {
                let mut map = serde_json::Map::new();
                for entry in entries {
                    if !map.contains_key(&entry.key) {
                        map.insert(entry.key.clone(), entry.value.to_json());
                    }
                }
                Value::Object(map)
            }
        }
    }

    /// What kind of value this is, as a person would say it.
    pub(crate) fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Null => "nothing",
            Kind::Bool(_) => "a boolean",
            Kind::Int(_) => "an integer",
            Kind::Float(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Seq(_) => "a list",
            Kind::Map(_) => "a mapping",
        }
    }
}

/// The range to report something about the node at `path` on: its key when it is a mapping's
/// value; otherwise its first line (a list item, or the whole document).
pub(crate) fn anchor(text: &str, root: &Node, path: &[Segment]) -> Range<usize> {
    match root.locate(path) {
        Some((_, Some(key_range))) => key_range,
        Some((node, None)) => {
            let extent = node.extent();
            first_line(text, extent)
        }
        None => first_line(text, root.extent()),
    }
}

/// The value's own range, or its key's when the value is empty (`key:` with nothing after).
pub(crate) fn value_range(node: &Node, key_range: Option<Range<usize>>) -> Range<usize> {
    match key_range {
        Some(key) if node.range.is_empty() => key,
        _ => node.range.clone(),
    }
}

/// `range` cut at the end of its first line, trailing blanks left out.
pub(crate) fn first_line(text: &str, range: Range<usize>) -> Range<usize> {
    let start = range.start.min(text.len());
    let end = range.end.min(text.len()).max(start);
    let line_end = text[start..end].find('\n').map(|i| start + i).unwrap_or(end);
    let trimmed = text[start..line_end].trim_end().len();
    start..start + trimmed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(range: Range<usize>, text: &str) -> Node {
        Node::new(range, Kind::Str(text.into()))
    }

    /// `a: x\nb:\n  - y\n`
    fn sample() -> Node {
        Node::new(
            0..13,
            Kind::Map(vec![
                Entry {
                    key: "a".into(),
                    key_range: 0..1,
                    value: s(3..4, "x"),
                },
                Entry {
                    key: "b".into(),
                    key_range: 5..6,
                    value: Node::new(10..11, Kind::Seq(vec![s(12..13, "y")])),
                },
            ]),
        )
    }

    #[test]
    fn locate_and_path_at() {
        let root = sample();
        let (node, key) = root.locate(&[Segment::Key("b".into()), Segment::Index(0)]).unwrap();
        assert_eq!((node.range.clone(), key), (12..13, None));
        assert_eq!(root.locate(&[Segment::Key("a".into())]).unwrap().1, Some(0..1));
        assert_eq!(root.locate(&[Segment::Key("c".into())]), None);
        let (path, hit) = root.path_at(12).unwrap();
        assert_eq!(path, [Segment::Key("b".into()), Segment::Index(0)]);
        assert!(matches!(hit, Hit::Value(n) if n.as_str() == Some("y")));
        let (path, hit) = root.path_at(1).unwrap();
        assert_eq!(path, [Segment::Key("a".into())]);
        assert!(matches!(hit, Hit::Key(e) if e.key == "a"));
        assert_eq!(root.to_json(), serde_json::json!({ "a": "x", "b": ["y"] }));
    }

    #[test]
    fn anchors_are_keys_or_first_lines() {
        let text = "a: x\nb:\n  - y\n";
        let root = sample();
        assert_eq!(anchor(text, &root, &[Segment::Key("a".into())]), 0..1);
        assert_eq!(anchor(text, &root, &[]), 0..4);
        assert_eq!(first_line("ab  \ncd", 0..7), 0..2);
        assert_eq!(value_range(&Node::new(3..3, Kind::Null), Some(0..1)), 0..1);
    }
}
