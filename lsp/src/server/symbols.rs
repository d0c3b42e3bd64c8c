//! Workspace symbols: the outline of every file the server knows (the documents the editor
//! has open, with their unsaved text, and the files the workspace scan and the watcher found),
//! flattened, each symbol with the name of the one it is in, and filtered by the editor's
//! query. Outlines are cached per file, keyed by what they were computed from, so a query
//! only parses what changed since the last one.

mod matcher;

use std::collections::hash_map::DefaultHasher;
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use tower_lsp_server::ls_types::{DocumentSymbol, Location, Range, SymbolInformation, SymbolKind, Uri};

use super::convert;
use super::workspace;
use crate::line_index::LineIndex;

/// At most this many symbols answer a query: a list nobody scrolls costs time to build and send.
pub(super) const LIMIT: usize = 500;

/// The workspace's files as the diagnostics publisher last saw them (scan and watcher),
/// shared with the requests that need them.
#[derive(Clone, Default)]
pub(super) struct KnownFiles(Arc<Mutex<Vec<PathBuf>>>);

impl KnownFiles {
    pub fn set(&self, files: impl IntoIterator<Item = PathBuf>) {
        *lock(&self.0) = files.into_iter().collect();
    }

    pub fn get(&self) -> Vec<PathBuf> {
        lock(&self.0).clone()
    }
}

/// A document the editor has open, as the index reads it.
pub(super) struct OpenFile {
    pub uri: Uri,
    pub text: String,
}

/// One symbol of a file, flattened out of its outline.
#[derive(Clone)]
struct Entry {
    name: String,
    kind: SymbolKind,
    range: Range,
    container: Option<String>,
}

/// A file's flattened outline and what it was computed from.
struct Cached {
    stamp: u64,
    entries: Arc<Vec<Entry>>,
}

#[derive(Default)]
pub(super) struct Index {
    pub known: KnownFiles,
    cache: Mutex<HashMap<PathBuf, Cached>>,
}

impl Index {
    /// The symbols of every known or open file whose name matches `query`, best first (in
    /// file order among equals), at most [`LIMIT`]. Blocking: it reads and parses files.
    pub fn query(&self, query: &str, open: &HashMap<PathBuf, OpenFile>) -> Vec<SymbolInformation> {
        let mut files: BTreeMap<PathBuf, Option<&Uri>> = self.known.get().into_iter().map(|p| (p, None)).collect();
        files.extend(open.iter().map(|(path, file)| (path.clone(), Some(&file.uri))));
        let texts: HashMap<PathBuf, String> = open.iter().map(|(p, f)| (p.clone(), f.text.clone())).collect();
        let mut stamps = Stamps::new(&texts);
        let mut found = Vec::new();
        for (path, uri) in files {
            let Some(uri) = uri.cloned().or_else(|| workspace::uri_of(&path)) else {
                continue;
            };
            for entry in self.entries(&path, &mut stamps).iter() {
                if let Some(rank) = matcher::rank(query, &entry.name) {
                    found.push((rank, uri.clone(), entry.clone()));
                }
            }
        }
        // Stable: equal ranks stay in path and file order.
        found.sort_by_key(|(rank, _, _)| *rank);
        found.truncate(LIMIT);
        found
            .into_iter()
            .map(|(_, uri, entry)| information(uri, entry))
            .collect()
    }

    /// The flattened outline of `path`, from the cache when nothing it depends on changed.
    fn entries(&self, path: &Path, stamps: &mut Stamps<'_>) -> Arc<Vec<Entry>> {
        let Some(stamp) = stamps.of(path) else {
            return Arc::default();
        };
        if let Some(cached) = lock(&self.cache).get(path).filter(|c| c.stamp == stamp) {
            return cached.entries.clone();
        }
        let entries = Arc::new(outline(path, stamps.open).unwrap_or_default());
        lock(&self.cache).insert(
            path.to_path_buf(),
            Cached {
                stamp,
                entries: entries.clone(),
            },
        );
        entries
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic elsewhere must not take the index with it.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Fingerprints of what outlines are computed from, for one query: a file's text (the
/// editor's, or the disk's size and modification time) and, for a WIT file, its directory's
/// `.wit` files' (the package is parsed whole), each directory listed once per query.
struct Stamps<'a> {
    open: &'a HashMap<PathBuf, String>,
    packages: HashMap<PathBuf, u64>,
}

impl<'a> Stamps<'a> {
    fn new(open: &'a HashMap<PathBuf, String>) -> Self {
        Stamps {
            open,
            packages: HashMap::new(),
        }
    }

    /// The fingerprint for the outline of `path`; `None` when the file cannot be read.
    fn of(&mut self, path: &Path) -> Option<u64> {
        let own = file_stamp(path, self.open)?;
        let Some(dir) = path.parent().filter(|_| path.extension().is_some_and(|e| e == "wit")) else {
            return Some(own);
        };
        let open = self.open;
        let package = *self
            .packages
            .entry(dir.to_path_buf())
            .or_insert_with(|| package_stamp(dir, open));
        let mut hasher = DefaultHasher::new();
        (own, package).hash(&mut hasher);
        Some(hasher.finish())
    }
}

/// The fingerprint of every `.wit` file of `dir`.
fn package_stamp(dir: &Path, open: &HashMap<PathBuf, String>) -> u64 {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|p| p.extension().is_some_and(|e| e == "wit"))
        .collect();
    files.sort();
    let mut hasher = DefaultHasher::new();
    for file in files {
        (file_stamp(&file, open), &file).hash(&mut hasher);
    }
    hasher.finish()
}

fn file_stamp(path: &Path, open: &HashMap<PathBuf, String>) -> Option<u64> {
    let mut hasher = DefaultHasher::new();
    match open.get(path) {
        Some(text) => (0u8, text).hash(&mut hasher),
        None => {
            let metadata = std::fs::metadata(path).ok()?;
            (1u8, metadata.len(), metadata.modified().ok()).hash(&mut hasher);
        }
    }
    Some(hasher.finish())
}

/// The flattened outline of `path`; `None` when it cannot be read, is of no kind we read or
/// does not parse.
fn outline(path: &Path, open: &HashMap<PathBuf, String>) -> Option<Vec<Entry>> {
    let text = match open.get(path) {
        Some(text) => text.clone(),
        None => std::fs::read_to_string(path).ok()?,
    };
    let symbols = super::guarded(|| crate::outline(path, &text, &|p| open.get(p).cloned()))?;
    let index = LineIndex::new(&text);
    let mut entries = Vec::new();
    for symbol in symbols {
        flatten(convert::document_symbol(&index, symbol), None, &mut entries);
    }
    Some(entries)
}

/// `symbol` and its descendants, each with the name of its parent, in outline order.
fn flatten(symbol: DocumentSymbol, container: Option<&str>, out: &mut Vec<Entry>) {
    out.push(Entry {
        name: symbol.name.clone(),
        kind: symbol.kind,
        range: symbol.selection_range,
        container: container.map(str::to_string),
    });
    for child in symbol.children.into_iter().flatten() {
        flatten(child, Some(&symbol.name), out);
    }
}

#[allow(deprecated)] // `SymbolInformation::deprecated` must still be spelt out.
fn information(uri: Uri, entry: Entry) -> SymbolInformation {
    SymbolInformation {
        name: entry.name,
        kind: entry.kind,
        tags: None,
        deprecated: None,
        location: Location {
            uri,
            range: entry.range,
        },
        container_name: entry.container,
    }
}

#[cfg(test)]
mod tests {
    use tower_lsp_server::ls_types::Position;

    use super::*;

    struct TempDir(PathBuf);

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn names(found: &[SymbolInformation]) -> Vec<(String, Option<String>)> {
        found
            .iter()
            .map(|s| (s.name.clone(), s.container_name.clone()))
            .collect()
    }

    #[test]
    fn a_wit_file_is_reread_when_its_package_changes() {
        let dir = TempDir(std::env::temp_dir().join(format!("wasmscope-symbols-wit-{}", std::process::id())));
        let _ = std::fs::remove_dir_all(&dir.0);
        std::fs::create_dir_all(&dir.0).unwrap();
        let (a, b) = (dir.0.join("a.wit"), dir.0.join("b.wit"));
        std::fs::write(&a, "package demo:p;\ninterface a {}\n").unwrap();
        std::fs::write(&b, "package demo:p;\ninterface b {}\n").unwrap();
        let index = Index::default();
        index.known.set([a.clone(), b.clone()]);
        let none = HashMap::new();
        assert_eq!(
            names(&index.query("", &none)),
            [("a".to_string(), None), ("b".to_string(), None)]
        );
        // `a.wit` did not change, but its package no longer parses.
        std::fs::write(&b, "package demo:p;\ninterface {\n").unwrap();
        assert_eq!(names(&index.query("", &none)), []);
    }

    #[test]
    fn outlines_are_reread_only_when_their_files_change() {
        let dir = TempDir(std::env::temp_dir().join(format!("wasmscope-symbols-{}", std::process::id())));
        let _ = std::fs::remove_dir_all(&dir.0);
        std::fs::create_dir_all(&dir.0).unwrap();
        let widl = dir.0.join("a.widl");
        std::fs::write(&widl, "namespace \"a\"\ntype Order {\n  id: u64\n}\n").unwrap();
        let index = Index::default();
        index.known.set([widl.clone(), dir.0.join("gone.widl")]);
        let none = HashMap::new();
        let found = index.query("", &none);
        let order = [
            ("a".to_string(), None),
            ("Order".to_string(), None),
            ("id".to_string(), Some("Order".to_string())),
        ];
        assert_eq!(names(&found), order);
        assert_eq!(
            found[1].location.range,
            Range::new(Position::new(1, 5), Position::new(1, 10))
        );
        let first = index.entries(&widl, &mut Stamps::new(&HashMap::new()));
        assert!(Arc::ptr_eq(
            &first,
            &index.entries(&widl, &mut Stamps::new(&HashMap::new()))
        ));

        // The editor's text wins over the disk's, and is a new key.
        let uri = workspace::uri_of(&widl).unwrap();
        let open = HashMap::from([(
            widl.clone(),
            OpenFile {
                uri,
                text: "type Invoice {\n  total: u64\n}\n".into(),
            },
        )]);
        assert_eq!(names(&index.query("in", &open)), [("Invoice".to_string(), None)]);
        // Back to the disk's text: the first outline is recomputed (not served stale).
        std::fs::write(&widl, "type Order {\n  id: u64\n  total: u64\n}\n").unwrap();
        assert_eq!(
            names(&index.query("t", &none)),
            [("total".to_string(), Some("Order".to_string()))]
        );
    }
}
