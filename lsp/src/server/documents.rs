//! The documents the editor has open: their text, kept up to date by full or incremental
//! changes, and their version. A plain mutex, never held across an `await`, so that changes
//! are applied in the order the notifications arrived.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tower_lsp_server::ls_types::{TextDocumentContentChangeEvent, Uri};

use super::convert;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Document {
    pub text: String,
    pub version: i32,
}

#[derive(Default)]
pub(super) struct Documents {
    open: Mutex<HashMap<Uri, Document>>,
}

/// The path a URI names (for `file:` URIs; others keep their text as a relative path).
pub(super) fn path_of(uri: &Uri) -> PathBuf {
    uri.to_file_path()
        .map(|p| p.into_owned())
        .unwrap_or_else(|| PathBuf::from(uri.as_str()))
}

impl Documents {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<Uri, Document>> {
        // A panic elsewhere must not take the documents with it.
        self.open.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn open(&self, uri: Uri, text: String, version: i32) {
        self.lock().insert(uri, Document { text, version });
    }

    /// Applies `changes` in order; `false` when the document is not open.
    pub fn change(&self, uri: &Uri, version: i32, changes: Vec<TextDocumentContentChangeEvent>) -> bool {
        let mut open = self.lock();
        let Some(document) = open.get_mut(uri) else {
            return false;
        };
        for change in changes {
            apply(&mut document.text, &change);
        }
        document.version = version;
        true
    }

    pub fn close(&self, uri: &Uri) -> bool {
        self.lock().remove(uri).is_some()
    }

    pub fn get(&self, uri: &Uri) -> Option<Document> {
        self.lock().get(uri).cloned()
    }

    /// The open document at `path`, with the URI the editor named it by.
    pub fn by_path(&self, path: &Path) -> Option<(Uri, Document)> {
        self.lock()
            .iter()
            .find(|(uri, _)| path_of(uri) == path)
            .map(|(uri, document)| (uri.clone(), document.clone()))
    }

    /// Unsaved text of every open file, by path: it wins over what is on disk.
    pub fn texts(&self) -> HashMap<PathBuf, String> {
        self.lock()
            .iter()
            .map(|(uri, document)| (path_of(uri), document.text.clone()))
            .collect()
    }
}

/// One change: a range replaced (positions in UTF-16, clamped to the text), or the whole text.
fn apply(text: &mut String, change: &TextDocumentContentChangeEvent) {
    match change.range {
        None => text.clone_from(&change.text),
        Some(range) => {
            let start = convert::offset_clamped(text, range.start);
            let end = convert::offset_clamped(text, range.end).max(start);
            text.replace_range(start..end, &change.text);
        }
    }
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::ls_types::{Position, Range};

    use super::*;

    fn edit(range: Option<((u32, u32), (u32, u32))>, text: &str) -> TextDocumentContentChangeEvent {
        TextDocumentContentChangeEvent {
            range: range.map(|((l1, c1), (l2, c2))| Range::new(Position::new(l1, c1), Position::new(l2, c2))),
            range_length: None,
            text: text.into(),
        }
    }

    #[test]
    fn incremental_and_full_changes_apply_in_order() {
        let documents = Documents::default();
        let uri: Uri = "file:///w/a.wit".parse().unwrap();
        documents.open(uri.clone(), "ab\n😀cd\nef".into(), 1);
        let changes = vec![
            // After the emoji (2 UTF-16 units): `c` → `X`.
            edit(Some(((1, 2), (1, 3))), "X"),
            // Positions count in the text as changed so far: insert a line at the start.
            edit(Some(((0, 0), (0, 0))), "new\n"),
            // Across a line break, and a column past the end of its line (clamped).
            edit(Some(((1, 1), (2, 99))), "-"),
            // Past the last line: at the end.
            edit(Some(((9, 0), (9, 0))), "!"),
        ];
        assert!(documents.change(&uri, 2, changes));
        assert_eq!(
            documents.get(&uri),
            Some(Document {
                text: "new\na-\nef!".into(),
                version: 2
            })
        );
        assert!(documents.change(&uri, 3, vec![edit(None, "whole")]));
        assert_eq!(documents.get(&uri).unwrap().text, "whole");
        assert_eq!(documents.by_path(Path::new("/w/a.wit")).unwrap().0, uri);
        let unknown: Uri = "file:///w/b.wit".parse().unwrap();
        assert!(!documents.change(&unknown, 1, vec![edit(None, "x")]));
        assert!(documents.close(&uri));
        assert_eq!(documents.get(&uri), None);
    }
}
