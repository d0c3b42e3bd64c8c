//! The LSP server: documents the editor has open (incremental sync), analysed on every
//! change with findings published as diagnostics, the workspace's other files scanned and
//! watched, and the analyses' answers to completion, navigation, rename, formatting and
//! highlighting requests.
//!
//! Handlers never fail on what a client sends: an unknown document or a position past its
//! end gets an empty answer.

mod capabilities;
mod convert;
mod diagnostics;
mod documents;
mod progress;
mod symbols;
mod workspace;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use tower_lsp_server::jsonrpc::{Error, ErrorCode, Result};
use tower_lsp_server::ls_types::{
    CompletionParams, CompletionResponse, DidChangeTextDocumentParams, DidChangeWatchedFilesParams,
    DidCloseTextDocumentParams, DidOpenTextDocumentParams, DocumentFormattingParams, DocumentSymbolParams,
    DocumentSymbolResponse, GotoDefinitionParams, GotoDefinitionResponse, Hover, HoverContents, HoverParams,
    InitializeParams, InitializeResult, InitializedParams, Location, MarkupContent, MarkupKind, MessageType,
    PrepareRenameResponse, ReferenceParams, RenameParams, SemanticTokens, SemanticTokensParams, SemanticTokensResult,
    ServerInfo, TextDocumentPositionParams, TextEdit, Uri, WorkspaceEdit, WorkspaceSymbolParams,
    WorkspaceSymbolResponse,
};
use tower_lsp_server::ls_types::{DocumentLink, DocumentLinkParams, FoldingRange, FoldingRangeParams};
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::Language;
use crate::line_index::LineIndex;
use diagnostics::{Job, Publisher, Queue};
use documents::{Documents, path_of};

/// What `initialize` said that `initialized` acts on.
#[derive(Default)]
struct Setup {
    roots: Vec<PathBuf>,
    watch: bool,
    /// The client shows progress the server starts (`window.workDoneProgress`).
    progress: bool,
}

struct Backend {
    client: Client,
    documents: Arc<Documents>,
    jobs: Queue,
    setup: Mutex<Setup>,
    symbols: Arc<symbols::Index>,
}

/// A request's document, resolved: its path, text and the byte offset of the position.
struct At {
    path: PathBuf,
    text: String,
    offset: usize,
}

impl Backend {
    fn at(&self, at: &TextDocumentPositionParams) -> Option<At> {
        let uri = at.text_document.uri.clone();
        let text = self.documents.get(&uri)?.text;
        let offset = convert::offset(&text, at.position)?;
        Some(At {
            path: path_of(&uri),
            text,
            offset,
        })
    }

    fn open_files(&self) -> HashMap<PathBuf, String> {
        self.documents.texts()
    }

    /// The URI and text of a file an answer points into: the open document, or the disk.
    fn file(&self, path: &Path, open: &HashMap<PathBuf, String>) -> Option<(Uri, String)> {
        if let Some((uri, document)) = self.documents.by_path(path) {
            return Some((uri, document.text));
        }
        let text = open.get(path).cloned().or_else(|| std::fs::read_to_string(path).ok())?;
        Some((workspace::uri_of(path)?, text))
    }

    fn locations(&self, found: Vec<crate::Location>, open: &HashMap<PathBuf, String>) -> Vec<Location> {
        let mut files: HashMap<PathBuf, Option<(Uri, String)>> = HashMap::new();
        found
            .into_iter()
            .filter_map(|location| {
                let (uri, text) = files
                    .entry(location.path.clone())
                    .or_insert_with(|| self.file(&location.path, open))
                    .as_ref()?;
                let valid = location.range.end <= text.len() && location.range.start <= location.range.end;
                valid.then(|| Location {
                    uri: uri.clone(),
                    range: convert::range(&LineIndex::new(text), location.range),
                })
            })
            .collect()
    }

    /// The range of the renameable name at the cursor (among its references), or why not.
    fn renameable(
        &self,
        at: &At,
        open: &HashMap<PathBuf, String>,
    ) -> std::result::Result<std::ops::Range<usize>, Error> {
        let references =
            guarded(|| crate::references(&at.path, &at.text, at.offset, &|p| open.get(p).cloned())).unwrap_or_default();
        references
            .into_iter()
            .find(|l| l.path == at.path && l.range.start <= at.offset && at.offset <= l.range.end)
            .map(|l| l.range)
            .ok_or_else(|| {
                let message = match word_at(&at.text, at.offset) {
                    Some(word) => format!("`{word}` cannot be renamed: it is not a name defined in this workspace"),
                    None => "there is no name to rename here".to_string(),
                };
                Error {
                    code: ErrorCode::ServerError(REQUEST_FAILED),
                    message: message.into(),
                    data: None,
                }
            })
    }
}

/// Runs an analysis; one that panics answers nothing rather than ending the session.
fn guarded<T>(analysis: impl FnOnce() -> Option<T>) -> Option<T> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(analysis)).unwrap_or_else(|_| {
        tracing::error!("an analysis panicked; answering nothing");
        None
    })
}

/// LSP's `RequestFailed`: the request was valid, but the server cannot do it.
const REQUEST_FAILED: i64 = -32803;

/// The word around `offset`, for messages.
fn word_at(text: &str, offset: usize) -> Option<&str> {
    let is_part = |c: char| c.is_alphanumeric() || matches!(c, '-' | '_' | '%' | '.');
    let start = text[..offset]
        .char_indices()
        .rev()
        .find(|&(_, c)| !is_part(c))
        .map(|(i, c)| i + c.len_utf8())
        .unwrap_or(0);
    let end = text[offset..]
        .find(|c| !is_part(c))
        .map(|i| offset + i)
        .unwrap_or(text.len());
    (start < end).then(|| &text[start..end])
}

/// Why `name` cannot be a new name in a file of `language`, if it cannot.
fn name_problem(language: Language, name: &str) -> Option<String> {
    match language {
        Language::Wit => crate::wit::identifier_problem(name),
        Language::Widl => {
            let mut chars = name.chars();
            let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && chars.all(|c| c.is_ascii_alphanumeric() || c == '_');
            (!valid).then(|| {
                format!("`{name}` is not a WIDL identifier: letters, digits and `_`, not starting with a digit")
            })
        }
        Language::WadmManifest | Language::HostManifest | Language::WasmcloudToml => {
            let valid = !name.is_empty()
                && !name
                    .chars()
                    .any(|c| c.is_whitespace() || c.is_control() || "\"'#:{}[],&*!|>%@`".contains(c));
            (!valid).then(|| format!("`{name}` is not a valid name here: no spaces, quotes or YAML punctuation"))
        }
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, params: InitializeParams) -> Result<InitializeResult> {
        *self.setup.lock().unwrap_or_else(|p| p.into_inner()) = Setup {
            roots: workspace::roots(&params),
            watch: workspace::can_watch(&params),
            progress: progress::supported(&params),
        };
        Ok(InitializeResult {
            capabilities: capabilities::server_capabilities(),
            server_info: Some(ServerInfo {
                name: "wasmscope".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        let (roots, watch, show_progress) = {
            let setup = self.setup.lock().unwrap_or_else(|p| p.into_inner());
            (setup.roots.clone(), setup.watch, setup.progress)
        };
        if !roots.is_empty() {
            let progress = if show_progress {
                progress::ScanProgress::start(self.client.clone())
            } else {
                progress::ScanProgress::none()
            };
            self.jobs.push(Job::Scan(roots, progress));
        }
        if watch {
            // The client answers later; nothing else waits for it.
            let client = self.client.clone();
            tokio::spawn(async move {
                if let Err(error) = client
                    .register_capability(vec![workspace::watcher_registration()])
                    .await
                {
                    client
                        .log_message(MessageType::WARNING, format!("cannot watch workspace files: {error}"))
                        .await;
                }
            });
        }
        self.client
            .log_message(MessageType::INFO, "wasmscope language server ready")
            .await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        let path = path_of(&document.uri);
        self.documents.open(document.uri, document.text, document.version);
        self.jobs.push(Job::Edited(path));
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        let document = params.text_document;
        if self
            .documents
            .change(&document.uri, document.version, params.content_changes)
        {
            self.jobs.push(Job::Edited(path_of(&document.uri)));
        }
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        if self.documents.close(&uri) {
            self.jobs.push(Job::Closed(uri));
        }
    }

    async fn did_change_watched_files(&self, params: DidChangeWatchedFilesParams) {
        let changes = params.changes.into_iter().map(|c| (c.uri, c.typ)).collect();
        self.jobs.push(Job::Watched(changes));
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let Some(document) = self.documents.get(&uri) else {
            return Ok(None);
        };
        let open = self.open_files();
        let Some(symbols) = guarded(|| crate::outline(&path_of(&uri), &document.text, &|p| open.get(p).cloned()))
        else {
            return Ok(None);
        };
        let index = LineIndex::new(&document.text);
        Ok(Some(DocumentSymbolResponse::Nested(
            symbols
                .into_iter()
                .map(|s| convert::document_symbol(&index, s))
                .collect(),
        )))
    }

    async fn symbol(&self, params: WorkspaceSymbolParams) -> Result<Option<WorkspaceSymbolResponse>> {
        let open = self
            .open_files()
            .into_iter()
            .filter_map(|(path, text)| {
                let (uri, _) = self.documents.by_path(&path)?;
                Some((path, symbols::OpenFile { uri, text }))
            })
            .collect();
        // Reading and parsing the files that changed since the last query is blocking work.
        let index = self.symbols.clone();
        let found = tokio::task::spawn_blocking(move || index.query(&params.query, &open))
            .await
            .unwrap_or_default();
        Ok(Some(WorkspaceSymbolResponse::Flat(found)))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let Some(at) = self.at(&params.text_document_position_params) else {
            return Ok(None);
        };
        let open = self.open_files();
        let found = guarded(|| crate::hover(&at.path, &at.text, at.offset, &|p| open.get(p).cloned()));
        let index = LineIndex::new(&at.text);
        Ok(found.map(|(range, markdown)| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: Some(convert::range(&index, range)),
        }))
    }

    async fn completion(&self, params: CompletionParams) -> Result<Option<CompletionResponse>> {
        let Some(at) = self.at(&params.text_document_position) else {
            return Ok(None);
        };
        let open = self.open_files();
        let items = guarded(|| crate::completion(&at.path, &at.text, at.offset, &|p| open.get(p).cloned()));
        Ok(items.map(|items| CompletionResponse::Array(items.into_iter().map(convert::completion_item).collect())))
    }

    async fn goto_definition(&self, params: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let Some(at) = self.at(&params.text_document_position_params) else {
            return Ok(None);
        };
        let open = self.open_files();
        let Some(found) = guarded(|| crate::definition(&at.path, &at.text, at.offset, &|p| open.get(p).cloned()))
        else {
            return Ok(None);
        };
        Ok(self
            .locations(vec![found], &open)
            .pop()
            .map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, params: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let Some(at) = self.at(&params.text_document_position) else {
            return Ok(None);
        };
        let open = self.open_files();
        let Some(mut found) = guarded(|| crate::references(&at.path, &at.text, at.offset, &|p| open.get(p).cloned()))
        else {
            return Ok(None);
        };
        // The definition comes first.
        if !params.context.include_declaration && !found.is_empty() {
            found.remove(0);
        }
        Ok(Some(self.locations(found, &open)))
    }

    async fn prepare_rename(&self, params: TextDocumentPositionParams) -> Result<Option<PrepareRenameResponse>> {
        let Some(at) = self.at(&params) else {
            return Ok(None);
        };
        let open = self.open_files();
        let range = self.renameable(&at, &open)?;
        Ok(Some(PrepareRenameResponse::Range(convert::range(
            &LineIndex::new(&at.text),
            range,
        ))))
    }

    async fn rename(&self, params: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let Some(at) = self.at(&params.text_document_position) else {
            return Ok(None);
        };
        let Some(language) = Language::of(&at.path, &at.text) else {
            return Ok(None);
        };
        if let Some(problem) = name_problem(language, &params.new_name) {
            return Err(Error::invalid_params(problem));
        }
        let open = self.open_files();
        self.renameable(&at, &open)?;
        let found =
            guarded(|| crate::references(&at.path, &at.text, at.offset, &|p| open.get(p).cloned())).unwrap_or_default();
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        for location in self.locations(found, &open) {
            let edits = changes.entry(location.uri).or_default();
            if !edits.iter().any(|e| e.range == location.range) {
                edits.push(TextEdit {
                    range: location.range,
                    new_text: params.new_name.clone(),
                });
            }
        }
        for edits in changes.values_mut() {
            edits.sort_by_key(|e| (e.range.start.line, e.range.start.character));
        }
        Ok(Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }))
    }

    async fn formatting(&self, params: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let uri = params.text_document.uri;
        let Some(document) = self.documents.get(&uri) else {
            return Ok(None);
        };
        let Some(formatted) = guarded(|| crate::format(&path_of(&uri), &document.text)) else {
            return Ok(None);
        };
        if formatted == document.text {
            return Ok(Some(Vec::new()));
        }
        let index = LineIndex::new(&document.text);
        let whole = crate::Edit {
            range: 0..document.text.len(),
            new_text: formatted,
        };
        Ok(Some(vec![convert::text_edit(&index, whole)]))
    }

    async fn semantic_tokens_full(&self, params: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        let uri = params.text_document.uri;
        let Some(document) = self.documents.get(&uri) else {
            return Ok(None);
        };
        let Some(tokens) = guarded(|| crate::semantic_tokens(&path_of(&uri), &document.text)) else {
            return Ok(None);
        };
        Ok(Some(SemanticTokensResult::Tokens(SemanticTokens {
            result_id: None,
            data: convert::semantic_tokens(&document.text, tokens),
        })))
    }

    async fn folding_range(&self, params: FoldingRangeParams) -> Result<Option<Vec<FoldingRange>>> {
        let uri = params.text_document.uri;
        let Some(document) = self.documents.get(&uri) else {
            return Ok(None);
        };
        let Some(folds) = guarded(|| crate::folding_ranges(&path_of(&uri), &document.text)) else {
            return Ok(None);
        };
        let index = LineIndex::new(&document.text);
        Ok(Some(
            folds.into_iter().map(|f| convert::folding_range(&index, f)).collect(),
        ))
    }

    async fn document_link(&self, params: DocumentLinkParams) -> Result<Option<Vec<DocumentLink>>> {
        let uri = params.text_document.uri;
        let Some(document) = self.documents.get(&uri) else {
            return Ok(None);
        };
        let Some(links) = guarded(|| crate::document_links(&path_of(&uri), &document.text)) else {
            return Ok(None);
        };
        let index = LineIndex::new(&document.text);
        Ok(Some(
            links
                .into_iter()
                .filter_map(|l| convert::document_link(&index, l))
                .collect(),
        ))
    }
}

/// Serves LSP on stdin/stdout until the client says `exit` or closes stdin.
pub async fn serve_stdio() {
    crate::transport_guard::guard(tokio::io::stdin(), tokio::io::stdout(), |input, output| async move {
        let (service, socket) = LspService::new(|client| {
            let documents = Arc::new(Documents::default());
            let symbols = Arc::new(symbols::Index::default());
            let (jobs, publisher) = Publisher::new(client.clone(), documents.clone(), symbols.known.clone());
            tokio::spawn(publisher.run());
            Backend {
                client,
                documents,
                jobs,
                setup: Mutex::new(Setup::default()),
                symbols,
            }
        });
        Server::new(input, output, socket).serve(service).await;
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_names_are_checked_per_language() {
        assert_eq!(name_problem(Language::Wit, "new-name"), None);
        assert!(
            name_problem(Language::Wit, "New_name")
                .unwrap()
                .contains("not a valid WIT identifier")
        );
        assert!(name_problem(Language::Wit, "record").unwrap().contains("`%record`"));
        assert_eq!(name_problem(Language::Widl, "Point_2"), None);
        assert!(name_problem(Language::Widl, "2d").is_some());
        assert_eq!(name_problem(Language::WadmManifest, "echo-http"), None);
        assert!(name_problem(Language::WadmManifest, "a b").is_some());
    }

    #[test]
    fn a_panicking_analysis_answers_nothing() {
        assert_eq!(guarded(|| Some(1)), Some(1));
        assert_eq!(guarded::<u8>(|| panic!("deliberately")), None);
    }

    #[test]
    fn words_for_messages() {
        assert_eq!(word_at("f: func(a: string);", 13), Some("string"));
        assert_eq!(word_at("a ; b", 2), None);
        assert_eq!(word_at("(😀abc", 6), Some("abc"));
    }
}
