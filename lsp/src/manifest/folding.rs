//! Folding in manifests: in YAML (wadm and host manifests) every mapping value and list item
//! spanning several lines (a component, a trait, `spec:`), from the tree with positions; in
//! `wasmcloud.toml` every table (`[component]` to its last setting) and multi-line array; in
//! both, runs of whole-line `#` comments.

use std::ops::Range;

use super::tree::{Kind, Node};
use super::{toml_tree, yaml};
use crate::answer::{Fold, FoldKind};
use crate::folding::{lines, runs};
use crate::line_index::LineIndex;

pub(crate) fn yaml(text: &str) -> Vec<Fold> {
    let mut out = Vec::new();
    for document in yaml::parse(text).documents {
        yaml_node(text, &document.root, &mut out);
    }
    out.extend(comments(text));
    out
}

fn yaml_node(text: &str, node: &Node, out: &mut Vec<Fold>) {
    match &node.kind {
        Kind::Map(entries) => {
            for entry in entries {
                out.push(region(text, entry.key_range.start..entry.value.extent().end));
                yaml_node(text, &entry.value, out);
            }
        }
        Kind::Seq(items) => {
            for item in items {
                out.push(region(text, item.extent()));
                yaml_node(text, item, out);
            }
        }
        _ => {}
    }
}

pub(crate) fn toml(text: &str) -> Vec<Fold> {
    let index = LineIndex::new(text);
    let mut arrays = Vec::new();
    toml_arrays(text, &toml_tree::parse(text).root, &mut arrays);
    let in_array = |offset: usize| {
        arrays
            .iter()
            .any(|a: &Fold| a.range.start < offset && offset <= a.range.end)
    };

    // A table runs from its `[header]` to its last setting before the next header.
    let mut headers = Vec::new();
    let mut last_setting = None;
    let mut tables = Vec::new();
    for (range, content) in text_lines(text) {
        if content.is_empty() || content.starts_with('#') || in_array(range.start) {
            if !content.is_empty() && !content.starts_with('#') {
                last_setting = Some(range.end);
            }
            continue;
        }
        if content.starts_with('[') {
            if let (Some(start), Some(end)) = (headers.last().copied(), last_setting) {
                tables.push(region(text, start..end));
            }
            headers.push(range.start);
            last_setting = None;
        } else {
            last_setting = Some(range.end);
        }
    }
    if let (Some(start), Some(end)) = (headers.last().copied(), last_setting) {
        tables.push(region(text, start..end));
    }

    let mut out = arrays;
    out.extend(tables.into_iter().filter(|t| {
        let (start, end) = lines(&index, &t.range);
        start < end
    }));
    out.extend(comments(text));
    out
}

/// Arrays written over several lines (`key = [` … `]`), not arrays of tables.
fn toml_arrays(text: &str, node: &Node, out: &mut Vec<Fold>) {
    match &node.kind {
        Kind::Map(entries) => {
            for entry in entries {
                let assigned = text
                    .get(entry.key_range.end..entry.value.range.start)
                    .is_some_and(|between| between.trim() == "=");
                if assigned && matches!(entry.value.kind, Kind::Seq(_)) {
                    out.push(region(text, entry.key_range.start..entry.value.range.end));
                }
                toml_arrays(text, &entry.value, out);
            }
        }
        Kind::Seq(items) => items.iter().for_each(|item| toml_arrays(text, item, out)),
        _ => {}
    }
}

/// Runs of lines that hold only a `#` comment.
fn comments(text: &str) -> Vec<Fold> {
    let index = LineIndex::new(text);
    let whole_line = text_lines(text)
        .filter(|(_, content)| content.starts_with('#'))
        .map(|(range, _)| range);
    runs(&index, whole_line, FoldKind::Comment)
}

/// Each line's byte range (without its line break) and its text trimmed of blanks.
fn text_lines(text: &str) -> impl Iterator<Item = (Range<usize>, &str)> {
    let mut start = 0;
    text.split_inclusive('\n').map(move |line| {
        let range = start..start + line.trim_end().len();
        start += line.len();
        (range.clone(), line.trim())
    })
}

/// A block fold over `range`, its end pulled back over trailing blanks (a block value's
/// extent can reach into the next line).
fn region(text: &str, range: Range<usize>) -> Fold {
    let end = text
        .get(..range.end.min(text.len()))
        .map_or(range.start, |before| before.trim_end().len());
    Fold {
        range: range.start..end.max(range.start),
        kind: FoldKind::Region,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str, folds: Vec<Fold>) -> Vec<(u32, u32, FoldKind)> {
        let mut out = crate::folding::fold_lines(text, &folds);
        out.dedup();
        out
    }

    #[test]
    fn yaml_mappings_and_list_items_fold() {
        let text = "# An app.\n# Two lines.\napiVersion: core.oam.dev/v1beta1\nmetadata:\n  name: hello\nspec:\n  components:\n    - name: http\n      type: component\n      properties:\n        image: file://./a.wasm\n    - name: one\n      type: capability\n";
        assert_eq!(
            pairs(text, yaml(text)),
            [
                (0, 1, FoldKind::Comment),
                (3, 4, FoldKind::Region),
                (5, 12, FoldKind::Region),
                (6, 12, FoldKind::Region),
                (7, 10, FoldKind::Region),
                (9, 10, FoldKind::Region),
                (11, 12, FoldKind::Region),
            ]
        );
    }

    #[test]
    fn toml_tables_and_arrays_fold() {
        let text = "# Project.\n# Settings.\nname = \"x\"\nlanguage = \"rust\"\n\n[component]\nclaims = [\n  \"a\",\n  [\"b\"],\n]\nwasm_target = \"wasm32-wasip2\"\n\n# trailing\n[rust]\ndebug = true\n[tinygo]\n";
        assert_eq!(
            pairs(text, toml(text)),
            [
                (0, 1, FoldKind::Comment),
                (5, 10, FoldKind::Region),
                (6, 9, FoldKind::Region),
                (13, 14, FoldKind::Region),
            ]
        );
    }

    /// Every prefix of every manifest fixture, as typed: folds and links never panic, folds
    /// span several lines inside the text and links name existing files.
    #[test]
    fn every_prefix_of_the_fixtures_folds_and_links() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/manifests");
        for name in [
            "hello.wadm.yaml",
            "apps.wadm.yaml",
            "host.yaml",
            "project/wasmcloud.toml",
        ] {
            let path = fixtures.join(name);
            let text = std::fs::read_to_string(&path).unwrap();
            let index = LineIndex::new(&text);
            let whole = crate::folding_ranges(&path, &text).unwrap();
            assert!(whole.iter().any(|f| f.kind == FoldKind::Region), "{name}");
            for fold in &whole {
                let (start, end) = lines(&index, &fold.range);
                assert!(start < end, "{name}");
            }
            for link in crate::document_links(&path, &text).unwrap_or_default() {
                assert!(link.target.exists(), "{name}: {}", link.target.display());
            }
            for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let _ = crate::folding_ranges(&path, &text[..end]);
                let _ = crate::document_links(&path, &text[..end]);
            }
        }
    }

    #[test]
    fn broken_text_never_panics() {
        let texts = [
            "spec:\n  components:\n    - name: é\n      properties: {\n",
            "a: [\n  b\nc: d\n- x\n",
            "[component\nclaims = [\n\"a\",\n[rust]\n",
        ];
        for text in texts {
            for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let _ = yaml(&text[..end]);
                let _ = toml(&text[..end]);
            }
        }
    }
}
