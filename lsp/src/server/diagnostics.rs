//! Publishing diagnostics, one job at a time in the order the events happened, on a task of
//! its own: edits, opens and closes of documents, the workspace scan, watched-file changes.
//! A WIT file's diagnostics depend on its package siblings and its `deps/`, and a manifest's
//! on the `.wasm` files and the `wit/` folder it points at, so a change to one republishes
//! the dependents the editor has open or the scan found.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{FileChangeType, Uri};

use super::convert;
use super::documents::{Documents, path_of};
use super::progress::ScanProgress;
use super::symbols::KnownFiles;
use super::workspace;
use crate::Language;
use crate::line_index::LineIndex;

pub(super) enum Job {
    /// A document was opened or edited: its diagnostics, and its siblings'.
    Edited(PathBuf),
    /// A document was closed: what is on disk counts again.
    Closed(Uri),
    /// The workspace folders, searched once at start, and where to say how far it got.
    Scan(Vec<PathBuf>, ScanProgress),
    /// Files changed on disk, as the client's watcher saw them.
    Watched(Vec<(Uri, FileChangeType)>),
}

/// Where jobs are queued; dropping it ends the task.
#[derive(Clone)]
pub(super) struct Queue(mpsc::UnboundedSender<Job>);

impl Queue {
    /// Queues a job; never waits, so callers keep the order events came in.
    pub fn push(&self, job: Job) {
        let _ = self.0.send(job);
    }
}

pub(super) struct Publisher {
    client: Client,
    documents: Arc<Documents>,
    jobs: mpsc::UnboundedReceiver<Job>,
    /// Files found by the scan or the watcher (not only the open ones).
    known: HashSet<PathBuf>,
    /// `known`, as requests (workspace symbols) see it.
    shared_known: KnownFiles,
    /// URIs whose last published diagnostics were not empty.
    shown: HashSet<Uri>,
}

impl Publisher {
    pub fn new(client: Client, documents: Arc<Documents>, shared_known: KnownFiles) -> (Queue, Publisher) {
        let (tx, jobs) = mpsc::unbounded_channel();
        let publisher = Publisher {
            client,
            documents,
            jobs,
            known: HashSet::new(),
            shared_known,
            shown: HashSet::new(),
        };
        (Queue(tx), publisher)
    }

    pub async fn run(mut self) {
        while let Some(job) = self.jobs.recv().await {
            match job {
                Job::Edited(path) => {
                    self.publish(&path, false).await;
                    self.publish_siblings(&path).await;
                }
                Job::Closed(uri) => {
                    let path = path_of(&uri);
                    if self.known.contains(&path) {
                        self.publish(&path, true).await;
                    } else {
                        // A closed file's problems are no longer the editor's to show.
                        self.send(uri, Vec::new(), None).await;
                    }
                    self.publish_siblings(&path).await;
                }
                Job::Scan(roots, progress) => {
                    let files = tokio::task::spawn_blocking(move || workspace::scan(&roots))
                        .await
                        .unwrap_or_default();
                    self.known.extend(files.iter().cloned());
                    self.shared_known.set(self.known.iter().cloned());
                    progress.found(files.len());
                    // Every file found gets a publish, empty or not: editors (and the
                    // bench) can tell the scan has reached it.
                    for (done, file) in files.into_iter().enumerate() {
                        if self.documents.by_path(&file).is_none() {
                            self.publish(&file, true).await;
                        }
                        progress.analysed(done + 1);
                    }
                }
                Job::Watched(changes) => self.watched(changes).await,
            }
        }
    }

    async fn watched(&mut self, changes: Vec<(Uri, FileChangeType)>) {
        let mut republish = BTreeSet::new();
        for (uri, change) in changes {
            let path = path_of(&uri);
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if name.ends_with(".wasm") {
                // Not a file of ours: only what points at it is republished.
                republish.extend(self.siblings(&path));
                continue;
            }
            if !Language::may_be(&name) || workspace::is_skipped(&path) {
                continue;
            }
            if change == FileChangeType::DELETED {
                self.known.remove(&path);
                if self.documents.by_path(&path).is_none() {
                    self.send(uri, Vec::new(), None).await;
                }
            } else {
                self.known.insert(path.clone());
                if self.documents.by_path(&path).is_none() {
                    republish.insert(path.clone());
                }
            }
            republish.extend(self.siblings(&path));
        }
        self.shared_known.set(self.known.iter().cloned());
        for path in republish {
            self.publish(&path, true).await;
        }
    }

    /// The open or known files whose diagnostics depend on `path`, other than `path`: for a
    /// `.wit` file, the other files of its package, the packages whose `deps/` it is in (and
    /// the other packages there) and the manifests next to the `wit/` folder; for a `.wasm`
    /// file, every manifest (and, in a `deps/` folder, the packages resolved against it).
    fn siblings(&self, path: &Path) -> BTreeSet<PathBuf> {
        let open = self.documents.texts();
        let candidates: BTreeSet<&PathBuf> = open.keys().chain(self.known.iter()).collect();
        let has = |p: &Path, extensions: &[&str]| p.extension().is_some_and(|e| extensions.iter().any(|x| e == *x));
        let manifests_in = |dir: &Path| -> Vec<PathBuf> {
            candidates
                .iter()
                .filter(|p| p.parent() == Some(dir) && has(p, &["yaml", "yml"]))
                .map(|p| p.to_path_buf())
                .collect()
        };
        let mut out = BTreeSet::new();
        if has(path, &["wasm"]) {
            out.extend(
                candidates
                    .iter()
                    .filter(|p| has(p, &["yaml", "yml"]))
                    .map(|p| p.to_path_buf()),
            );
        }
        if has(path, &["wit", "wasm"]) {
            let dir = path.parent();
            if has(path, &["wit"]) {
                out.extend(
                    crate::wit::package_siblings(path)
                        .into_iter()
                        .chain(open.keys().filter(|p| p.parent() == dir && has(p, &["wit"])).cloned()),
                );
            }
            let mut package_dir = dir;
            if let Some(deps) = path
                .ancestors()
                .skip(1)
                .find(|a| a.file_name().is_some_and(|n| n == "deps"))
            {
                package_dir = deps.parent();
                out.extend(
                    candidates
                        .iter()
                        .filter(|p| has(p, &["wit"]) && (p.parent() == package_dir || p.starts_with(deps)))
                        .map(|p| p.to_path_buf()),
                );
            }
            if let Some(wit) = package_dir.filter(|d| d.file_name().is_some_and(|n| n == "wit"))
                && let Some(up) = wit.parent()
            {
                out.extend(manifests_in(up));
            }
        }
        out.retain(|p| p != path && (open.contains_key(p) || self.known.contains(p)));
        out
    }

    async fn publish_siblings(&mut self, path: &Path) {
        for sibling in self.siblings(path) {
            self.publish(&sibling, true).await;
        }
    }

    /// Publishes the diagnostics of `path` (the editor's text when it is open, else the
    /// disk's). With `always`, empty diagnostics are sent even when none were shown.
    async fn publish(&mut self, path: &Path, always: bool) {
        let (uri, text, version) = match self.documents.by_path(path) {
            Some((uri, document)) => (uri, document.text, Some(document.version)),
            None => {
                let Some(uri) = workspace::uri_of(path) else { return };
                match std::fs::read_to_string(path) {
                    Ok(text) => (uri, text, None),
                    Err(_) => {
                        if self.shown.contains(&uri) {
                            self.send(uri, Vec::new(), None).await;
                        }
                        return;
                    }
                }
            }
        };
        let open = self.documents.texts();
        let Some(findings) = super::guarded(|| crate::analyze(path, &text, &|p| open.get(p).cloned())) else {
            // Nothing to analyse (a YAML file that is no manifest, or an analysis that failed):
            // an open document still hears that it has no problems, for its version.
            if self.shown.contains(&uri) || version.is_some() {
                self.send(uri, Vec::new(), version).await;
            }
            return;
        };
        let index = LineIndex::new(&text);
        let diagnostics: Vec<_> = findings.into_iter().map(|f| convert::diagnostic(&index, f)).collect();
        // A file nobody opened and that has no problems needs no message.
        if diagnostics.is_empty() && version.is_none() && !always && !self.shown.contains(&uri) {
            return;
        }
        self.send(uri, diagnostics, version).await;
    }

    async fn send(&mut self, uri: Uri, diagnostics: Vec<tower_lsp_server::ls_types::Diagnostic>, version: Option<i32>) {
        if diagnostics.is_empty() {
            self.shown.remove(&uri);
        } else {
            self.shown.insert(uri.clone());
        }
        self.client.publish_diagnostics(uri, diagnostics, version).await;
    }
}
