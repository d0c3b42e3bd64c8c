//! Where a completion is asked for in a TOML file: the table the cursor is in (from the
//! nearest `[header]` above), and whether a key, a key's value or a table name is typed.

use super::tree::Segment;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Want {
    /// A key of the table at the path.
    Key,
    /// The value of `key` in the table at the path.
    Value { key: String },
    /// A table name in a `[header]` (`array`: a `[[header]]`), under the path.
    Table { array: bool },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cursor {
    pub path: Vec<Segment>,
    pub want: Want,
    pub prefix: String,
}

pub(crate) fn at(text: &str, offset: usize) -> Option<Cursor> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let line_start = text[..offset].rfind('\n').map(|i| i + 1).unwrap_or(0);
    let before = text[line_start..offset].trim_start();
    if let Some(header) = before.strip_prefix('[') {
        let (array, header) = match header.strip_prefix('[') {
            Some(rest) => (true, rest),
            None => (false, header),
        };
        let mut parts = dotted(header)?;
        let prefix = parts.pop().unwrap_or_default();
        return Some(Cursor {
            path: parts.into_iter().map(Segment::Key).collect(),
            want: Want::Table { array },
            prefix,
        });
    }
    let mut path = table_path(&text[..line_start]);
    if let Some((key, value)) = before.split_once('=') {
        let mut keys = dotted(key.trim_end())?;
        let key = keys.pop()?;
        path.extend(keys.into_iter().map(Segment::Key));
        let prefix = value.trim_start().trim_start_matches(['"', '\'']).to_string();
        if !prefix
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '/' | ':'))
        {
            return None;
        }
        return Some(Cursor {
            path,
            want: Want::Value { key },
            prefix,
        });
    }
    let mut keys = dotted(before)?;
    let prefix = keys.pop().unwrap_or_default();
    path.extend(keys.into_iter().map(Segment::Key));
    Some(Cursor {
        path,
        want: Want::Key,
        prefix,
    })
}

/// `a.b."c d"` as keys; `None` when it holds anything else.
fn dotted(text: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    for part in text.split('.') {
        let part = part.trim();
        let unquoted = part.trim_matches('"');
        if !unquoted
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | ' '))
        {
            return None;
        }
        out.push(unquoted.to_string());
    }
    Some(out)
}

/// The table the last `[header]` of `text` opens (an array of tables' last item for
/// `[[header]]`).
fn table_path(text: &str) -> Vec<Segment> {
    let headers: Vec<(bool, Vec<String>)> = text
        .lines()
        .filter_map(|line| {
            let line = line.trim();
            let line = line.split(" #").next().unwrap_or(line).trim_end();
            let (array, inner) = if let Some(inner) = line.strip_prefix("[[").and_then(|l| l.strip_suffix("]]")) {
                (true, inner)
            } else {
                (false, line.strip_prefix('[')?.strip_suffix(']')?)
            };
            Some((array, dotted(inner)?))
        })
        .collect();
    let Some((array, keys)) = headers.last() else {
        return Vec::new();
    };
    let mut path: Vec<Segment> = keys.iter().cloned().map(Segment::Key).collect();
    if *array {
        let count = headers.iter().filter(|(a, k)| *a && k == keys).count();
        path.push(Segment::Index(count - 1));
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cursor(marked: &str) -> Option<Cursor> {
        let offset = marked.find('|').unwrap();
        at(&marked.replacen('|', "", 1), offset)
    }

    fn key(k: &str) -> Segment {
        Segment::Key(k.into())
    }

    #[test]
    fn tables_keys_and_values() {
        assert_eq!(
            cursor("lang|"),
            Some(Cursor {
                path: vec![],
                want: Want::Key,
                prefix: "lang".into()
            })
        );
        assert_eq!(
            cursor("name = \"x\"\nlanguage = \"ru|"),
            Some(Cursor {
                path: vec![],
                want: Want::Value { key: "language".into() },
                prefix: "ru".into()
            })
        );
        assert_eq!(
            cursor("[component]\nclaims = []\nwasm_target = |"),
            Some(Cursor {
                path: vec![key("component")],
                want: Want::Value {
                    key: "wasm_target".into()
                },
                prefix: String::new()
            })
        );
        assert_eq!(
            cursor("[[dev.manifests]]\npath = \"a\"\n[[dev.manifests]]\n|"),
            Some(Cursor {
                path: vec![key("dev"), key("manifests"), Segment::Index(1)],
                want: Want::Key,
                prefix: String::new()
            })
        );
        assert_eq!(
            cursor("[ti|"),
            Some(Cursor {
                path: vec![],
                want: Want::Table { array: false },
                prefix: "ti".into()
            })
        );
        assert_eq!(
            cursor("tinygo.sch|"),
            Some(Cursor {
                path: vec![key("tinygo")],
                want: Want::Key,
                prefix: "sch".into()
            })
        );
        assert_eq!(cursor("a = [1, |"), None);
    }
}
