//! Publishing diagnostics, one job at a time in the order the events happened, on a task of
//! its own: edits, opens and closes of documents, the workspace scan, watched-file changes.
//! A WIT file's diagnostics depend on its package siblings, so a change to one republishes
//! the siblings the editor has open or the scan found.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::mpsc;
use tower_lsp_server::Client;
use tower_lsp_server::ls_types::{FileChangeType, Uri};

use super::convert;
use super::documents::{Documents, path_of};
use super::workspace;
use crate::Language;
use crate::line_index::LineIndex;

pub(super) enum Job {
    /// A document was opened or edited: its diagnostics, and its siblings'.
    Edited(PathBuf),
    /// A document was closed: what is on disk counts again.
    Closed(Uri),
    /// The workspace folders, searched once at start.
    Scan(Vec<PathBuf>),
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
    /// URIs whose last published diagnostics were not empty.
    shown: HashSet<Uri>,
}

impl Publisher {
    pub fn new(client: Client, documents: Arc<Documents>) -> (Queue, Publisher) {
        let (tx, jobs) = mpsc::unbounded_channel();
        let publisher = Publisher {
            client,
            documents,
            jobs,
            known: HashSet::new(),
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
                Job::Scan(roots) => {
                    let files = tokio::task::spawn_blocking(move || workspace::scan(&roots))
                        .await
                        .unwrap_or_default();
                    for file in files {
                        self.known.insert(file.clone());
                        if self.documents.by_path(&file).is_none() {
                            self.publish(&file, false).await;
                        }
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
        for path in republish {
            self.publish(&path, true).await;
        }
    }

    /// The open or known `.wit` files of `path`'s package, other than `path`.
    fn siblings(&self, path: &Path) -> BTreeSet<PathBuf> {
        if path.extension().is_none_or(|e| e != "wit") {
            return BTreeSet::new();
        }
        let open = self.documents.texts();
        let dir = path.parent();
        crate::wit::package_siblings(path)
            .into_iter()
            .chain(
                open.keys()
                    .filter(|p| p.parent() == dir && p.extension().is_some_and(|e| e == "wit"))
                    .cloned(),
            )
            .filter(|p| p != path && (open.contains_key(p) || self.known.contains(p)))
            .collect()
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
            if self.shown.contains(&uri) {
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
