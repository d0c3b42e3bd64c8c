//! Where a completion is asked for in a YAML file, told from indentation alone (the text
//! being typed seldom parses): the path of the mapping or list the cursor is in, and whether
//! a key, a key's value or a list item is being typed.

use super::tree::Segment;

/// What is being typed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Want {
    /// A key of the mapping at the path.
    Key,
    /// The value of `key` in the mapping at the path.
    Value { key: String },
    /// A new item (number `index`) of the list at the path.
    Item { index: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub path: Vec<Segment>,
    pub want: Want,
    /// What is typed of the word so far (an opening quote left out).
    pub prefix: String,
    /// The current line's bytes, for re-reading the file without it.
    pub line: std::ops::Range<usize>,
}

/// A non-blank line before the cursor, as far as indentation goes.
#[derive(Debug)]
struct Line {
    indent: usize,
    /// Columns of the `- ` list markers the line starts with.
    dashes: Vec<usize>,
    /// The key the line starts (after its markers) and its column.
    key: Option<(String, usize)>,
    /// Whether a value follows the key on the same line.
    has_value: bool,
}

/// The completion context at `offset` of `text`.
pub(crate) fn at(text: &str, offset: usize) -> Option<Cursor> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let line_end = text[offset..].find('\n').map(|i| offset + i).unwrap_or(text.len());
    let before = &text[line_start..offset];
    // The document the cursor is in starts after the last `---` above it.
    let mut lines: Vec<Line> = Vec::new();
    for raw in text[..line_start].split('\n') {
        if raw.starts_with("---") || raw.starts_with("...") {
            lines.clear();
            continue;
        }
        if let Some(line) = read_line(raw) {
            lines.push(line);
        }
    }
    let current = read_line(before).unwrap_or(Line {
        indent: before.chars().count(),
        dashes: Vec::new(),
        key: None,
        has_value: false,
    });
    let content_col = current.dashes.last().map(|d| d + 2).unwrap_or(current.indent);
    let content: String = before.chars().skip(content_col).collect();
    let line = line_start..line_end;
    if let Some(colon) = key_colon(&content) {
        // `key: val|`: the value of `key`.
        let key = unquote(content[..colon].trim_end());
        let prefix = content[colon + 1..]
            .trim_start()
            .trim_start_matches(['"', '\''])
            .to_string();
        if !prefix.chars().all(is_word_char) {
            return None;
        }
        let path = match current.dashes.last() {
            Some(&dash) if dash + 2 == content_col => {
                let (list, index) = list_path(&lines, lines.len(), dash, true)?;
                with(list, Segment::Index(index))
            }
            _ => mapping_path(&lines, lines.len(), content_col)?,
        };
        return Some(Cursor {
            path,
            want: Want::Value { key },
            prefix,
            line,
        });
    }
    let word = content.trim_start_matches(['"', '\'']);
    if !word.chars().all(is_word_char) {
        return None;
    }
    let prefix = word.to_string();
    if let Some(&dash) = current.dashes.last() {
        let (path, index) = list_path(&lines, lines.len(), dash, true)?;
        return Some(Cursor {
            path,
            want: Want::Item { index },
            prefix,
            line,
        });
    }
    Some(Cursor {
        path: mapping_path(&lines, lines.len(), content_col)?,
        want: Want::Key,
        prefix,
        line,
    })
}

/// What a key or a plain value being typed may hold.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':' | '@' | '~')
}

fn with(mut path: Vec<Segment>, segment: Segment) -> Vec<Segment> {
    path.push(segment);
    path
}

/// A line's indentation, list markers and key; `None` for blank and comment lines.
fn read_line(raw: &str) -> Option<Line> {
    let raw = raw.trim_end_matches('\r');
    let chars: Vec<char> = raw.chars().collect();
    let indent = chars.iter().take_while(|c| **c == ' ').count();
    let mut col = indent;
    let mut dashes = Vec::new();
    while chars.get(col) == Some(&'-') && matches!(chars.get(col + 1), None | Some(' ')) {
        dashes.push(col);
        col += 1;
        while chars.get(col) == Some(&' ') {
            col += 1;
        }
    }
    let content: String = chars[col.min(chars.len())..].iter().collect();
    if dashes.is_empty() && (content.is_empty() || content.starts_with('#')) {
        return None;
    }
    let (key, has_value) = match key_colon(&content) {
        Some(colon) => {
            let rest = content[colon + 1..].trim_start();
            (
                Some((unquote(content[..colon].trim_end()), col)),
                !rest.is_empty() && !rest.starts_with('#'),
            )
        }
        None => (None, !content.is_empty() && !content.starts_with('#')),
    };
    Some(Line {
        indent,
        dashes,
        key,
        has_value,
    })
}

/// The byte index of the `:` ending a key at the start of `content`.
fn key_colon(content: &str) -> Option<usize> {
    let quoted = content.starts_with(['"', '\'']);
    if quoted {
        let quote = content.chars().next()?;
        let close = content[1..].find(quote)? + 1;
        let rest = &content[close + 1..];
        let spaces = rest.len() - rest.trim_start().len();
        return rest.trim_start().starts_with(':').then_some(close + 1 + spaces);
    }
    if content.starts_with(['{', '[', '#', '|', '>', '&', '*', '!']) {
        return None;
    }
    content
        .char_indices()
        .find(|&(i, c)| c == ':' && content[i + 1..].chars().next().is_none_or(char::is_whitespace))
        .map(|(i, _)| i)
        .filter(|&i| !content[..i].contains(" #"))
}

fn unquote(key: &str) -> String {
    key.trim_matches(['"', '\'']).to_string()
}

/// The path of the mapping whose keys are at column `col`, for a position after
/// `lines[..end]`.
fn mapping_path(lines: &[Line], end: usize, col: usize) -> Option<Vec<Segment>> {
    for j in (0..end).rev() {
        let line = &lines[j];
        match &line.key {
            Some((_, key_col)) if *key_col == col => {
                if let Some(&dash) = line.dashes.last() {
                    // The first key of a list item: the mapping is that item.
                    let (list, index) = list_path(lines, j + 1, dash, false)?;
                    return Some(with(list, Segment::Index(index)));
                }
            }
            Some((key, key_col)) if *key_col < col => {
                if line.has_value {
                    return None;
                }
                let parent = match line.dashes.last() {
                    Some(&dash) => {
                        let (list, index) = list_path(lines, j + 1, dash, false)?;
                        with(list, Segment::Index(index))
                    }
                    None => mapping_path(lines, j, *key_col)?,
                };
                return Some(with(parent, Segment::Key(key.clone())));
            }
            Some(_) => {}
            None => {
                if let Some(&dash) = line.dashes.last()
                    && dash < col
                {
                    if line.has_value {
                        return None;
                    }
                    // A bare `-`: the mapping is that item.
                    let (list, index) = list_path(lines, j + 1, dash, false)?;
                    return Some(with(list, Segment::Index(index)));
                }
            }
        }
    }
    Some(Vec::new())
}

/// The path of the list whose markers are at column `dash`, and the index of its last item
/// in `lines[..end]` (plus one when `new_item`: the current line starts another).
fn list_path(lines: &[Line], end: usize, dash: usize, new_item: bool) -> Option<(Vec<Segment>, usize)> {
    let mut count = usize::from(new_item);
    for j in (0..end).rev() {
        let line = &lines[j];
        if line.dashes.contains(&dash) {
            count += 1;
            continue;
        }
        if line.indent > dash {
            continue;
        }
        let index = count.checked_sub(1)?;
        return match &line.key {
            Some((key, key_col)) if *key_col <= dash && !line.has_value => {
                let parent = match line.dashes.last() {
                    Some(&outer) => {
                        let (list, outer_index) = list_path(lines, j + 1, outer, false)?;
                        with(list, Segment::Index(outer_index))
                    }
                    None => mapping_path(lines, j, *key_col)?,
                };
                Some((with(parent, Segment::Key(key.clone())), index))
            }
            _ => None,
        };
    }
    Some((Vec::new(), count.checked_sub(1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(k: &str) -> Segment {
        Segment::Key(k.into())
    }

    /// The cursor at `|` in `marked`.
    fn cursor(marked: &str) -> Option<(Vec<Segment>, Want, String)> {
        let offset = marked.find('|').unwrap();
        let text = marked.replacen('|', "", 1);
        at(&text, offset).map(|c| (c.path, c.want, c.prefix))
    }

    const APP: &str = "apiVersion: core.oam.dev/v1beta1\nmetadata:\n  name: x\nspec:\n  components:\n    - name: a\n      type: component\n      properties:\n        image: r/a:1\n";

    #[test]
    fn keys_values_and_items_by_indentation() {
        let components = vec![key("spec"), key("components")];
        let first = vec![key("spec"), key("components"), Segment::Index(0)];
        assert_eq!(cursor("|"), Some((vec![], Want::Key, String::new())));
        assert_eq!(cursor("ap|"), Some((vec![], Want::Key, "ap".into())));
        assert_eq!(
            cursor(&format!("{APP}        i|")),
            Some((with(first.clone(), key("properties")), Want::Key, "i".into()))
        );
        assert_eq!(
            cursor(&format!("{APP}      tr|")),
            Some((first.clone(), Want::Key, "tr".into()))
        );
        assert_eq!(
            cursor(&format!("{APP}    - name: b\n      type: cap|")),
            Some((
                with(components.clone(), Segment::Index(1)),
                Want::Value { key: "type".into() },
                "cap".into()
            ))
        );
        assert_eq!(
            cursor(&format!("{APP}    - |")),
            Some((components.clone(), Want::Item { index: 1 }, String::new()))
        );
        assert_eq!(
            cursor(&format!("{APP}    - type: |")),
            Some((
                with(components.clone(), Segment::Index(1)),
                Want::Value { key: "type".into() },
                String::new()
            ))
        );
        let traits =
            format!("{APP}      traits:\n        - type: link\n          properties:\n            target: \"h|");
        assert_eq!(
            cursor(&traits),
            Some((
                vec![
                    key("spec"),
                    key("components"),
                    Segment::Index(0),
                    key("traits"),
                    Segment::Index(0),
                    key("properties")
                ],
                Want::Value { key: "target".into() },
                "h".into()
            ))
        );
        assert_eq!(
            cursor(&format!("{APP}      traits:\n        - type: link\n          |")),
            Some((
                vec![
                    key("spec"),
                    key("components"),
                    Segment::Index(0),
                    key("traits"),
                    Segment::Index(0)
                ],
                Want::Key,
                String::new()
            ))
        );
    }

    #[test]
    fn compact_lists_documents_and_comments() {
        assert_eq!(
            cursor("actors:\n- ./a.wasm\n- |"),
            Some((vec![key("actors")], Want::Item { index: 1 }, String::new()))
        );
        assert_eq!(
            cursor("links:\n- actor: x\n  # note\n\n  contract_id: |"),
            Some((
                vec![key("links"), Segment::Index(0)],
                Want::Value {
                    key: "contract_id".into()
                },
                String::new()
            ))
        );
        assert_eq!(
            cursor("a:\n  b: 1\n---\nkind: x\nsp|"),
            Some((vec![], Want::Key, "sp".into()))
        );
        // Under a key that already has a value there is nothing to complete.
        assert_eq!(cursor("a: 1\n  b|"), None);
        assert_eq!(cursor("a: [x, |"), None);
        assert_eq!(
            cursor("\"quoted key\": |"),
            Some((
                vec![],
                Want::Value {
                    key: "quoted key".into()
                },
                String::new()
            ))
        );
    }
}
