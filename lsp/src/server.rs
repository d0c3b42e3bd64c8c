//! The LSP server: documents the editor has open, analysed on every change (full sync), with
//! findings published as diagnostics.

use std::collections::HashMap;
use std::path::PathBuf;

use tokio::sync::Mutex;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::{
    Diagnostic, DiagnosticSeverity, DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams,
    DocumentSymbol, DocumentSymbolParams, DocumentSymbolResponse, Hover, HoverContents, HoverParams,
    HoverProviderCapability, InitializeParams, InitializeResult, InitializedParams, MarkupContent, MarkupKind,
    MessageType, OneOf, Position, Range, ServerCapabilities, ServerInfo, SymbolKind, TextDocumentSyncCapability,
    TextDocumentSyncKind, Uri,
};
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

use crate::finding::{Finding, Severity};
use crate::line_index::LineIndex;
use crate::symbol::{Symbol, SymbolKind as OutlineKind};

struct Backend {
    client: Client,
    documents: Mutex<HashMap<Uri, String>>,
}

impl Backend {
    async fn publish(&self, uri: Uri, text: &str, version: Option<i32>) {
        let path = uri
            .to_file_path()
            .map(|p| p.into_owned())
            .unwrap_or_else(|| PathBuf::from(uri.as_str()));
        // Unsaved text of other open files wins over what is on disk.
        let open: HashMap<PathBuf, String> = self
            .documents
            .lock()
            .await
            .iter()
            .filter_map(|(uri, text)| Some((uri.to_file_path()?.into_owned(), text.clone())))
            .collect();
        let Some(findings) = crate::analyze(&path, text, &|p| open.get(p).cloned()) else {
            return;
        };
        let index = LineIndex::new(text);
        let diagnostics = findings.into_iter().map(|f| to_diagnostic(&index, f)).collect();
        self.client.publish_diagnostics(uri, diagnostics, version).await;
    }
}

impl Backend {
    /// Unsaved text of open files, by path: it wins over what is on disk.
    async fn open_files(&self) -> HashMap<PathBuf, String> {
        self.documents
            .lock()
            .await
            .iter()
            .filter_map(|(uri, text)| Some((uri.to_file_path()?.into_owned(), text.clone())))
            .collect()
    }
}

fn path_of(uri: &Uri) -> PathBuf {
    uri.to_file_path()
        .map(|p| p.into_owned())
        .unwrap_or_else(|| PathBuf::from(uri.as_str()))
}

fn lsp_range(index: &LineIndex<'_>, range: std::ops::Range<usize>) -> Range {
    let position = |offset| {
        let (line, character) = index.utf16(offset);
        Position { line, character }
    };
    Range {
        start: position(range.start),
        end: position(range.end),
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be spelt out.
fn to_document_symbol(index: &LineIndex<'_>, symbol: Symbol) -> DocumentSymbol {
    let range = lsp_range(index, symbol.range);
    DocumentSymbol {
        name: symbol.name,
        detail: None,
        kind: match symbol.kind {
            OutlineKind::Namespace => SymbolKind::NAMESPACE,
            OutlineKind::Interface => SymbolKind::INTERFACE,
            OutlineKind::World => SymbolKind::MODULE,
            OutlineKind::Type => SymbolKind::STRUCT,
            OutlineKind::Enum => SymbolKind::ENUM,
            OutlineKind::EnumMember => SymbolKind::ENUM_MEMBER,
            OutlineKind::Field => SymbolKind::FIELD,
            OutlineKind::Function => SymbolKind::FUNCTION,
            OutlineKind::Component => SymbolKind::OBJECT,
            OutlineKind::Property => SymbolKind::PROPERTY,
        },
        tags: None,
        deprecated: None,
        range,
        selection_range: range,
        children: Some(
            symbol
                .children
                .into_iter()
                .map(|c| to_document_symbol(index, c))
                .collect(),
        ),
    }
}

fn to_diagnostic(index: &LineIndex<'_>, finding: Finding) -> Diagnostic {
    Diagnostic {
        range: lsp_range(index, finding.range),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        source: Some("wasmscope".into()),
        message: finding.message,
        ..Diagnostic::default()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
        Ok(InitializeResult {
            capabilities: ServerCapabilities {
                text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
                document_symbol_provider: Some(OneOf::Left(true)),
                hover_provider: Some(HoverProviderCapability::Simple(true)),
                ..ServerCapabilities::default()
            },
            server_info: Some(ServerInfo {
                name: "wasmscope".into(),
                version: Some(env!("CARGO_PKG_VERSION").into()),
            }),
            ..InitializeResult::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        self.client
            .log_message(MessageType::INFO, "wasmscope language server ready")
            .await;
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, params: DidOpenTextDocumentParams) {
        let document = params.text_document;
        self.documents
            .lock()
            .await
            .insert(document.uri.clone(), document.text.clone());
        self.publish(document.uri, &document.text, Some(document.version)).await;
    }

    async fn did_change(&self, params: DidChangeTextDocumentParams) {
        // Full sync: the last change holds the whole text.
        let Some(change) = params.content_changes.into_iter().last() else {
            return;
        };
        let uri = params.text_document.uri;
        self.documents.lock().await.insert(uri.clone(), change.text.clone());
        self.publish(uri, &change.text, Some(params.text_document.version))
            .await;
    }

    async fn document_symbol(&self, params: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        let uri = params.text_document.uri;
        let Some(text) = self.documents.lock().await.get(&uri).cloned() else {
            return Ok(None);
        };
        let open = self.open_files().await;
        let Some(symbols) = crate::outline(&path_of(&uri), &text, &|p| open.get(p).cloned()) else {
            return Ok(None);
        };
        let index = LineIndex::new(&text);
        Ok(Some(DocumentSymbolResponse::Nested(
            symbols.into_iter().map(|s| to_document_symbol(&index, s)).collect(),
        )))
    }

    async fn hover(&self, params: HoverParams) -> Result<Option<Hover>> {
        let at = params.text_document_position_params;
        let Some(text) = self.documents.lock().await.get(&at.text_document.uri).cloned() else {
            return Ok(None);
        };
        let index = LineIndex::new(&text);
        let offset = index.offset(at.position.line, at.position.character);
        let open = self.open_files().await;
        let found = crate::hover(&path_of(&at.text_document.uri), &text, offset, &|p| {
            open.get(p).cloned()
        });
        Ok(found.map(|(range, markdown)| Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: markdown,
            }),
            range: Some(lsp_range(&index, range)),
        }))
    }

    async fn did_close(&self, params: DidCloseTextDocumentParams) {
        let uri = params.text_document.uri;
        self.documents.lock().await.remove(&uri);
        // A closed file's problems are no longer the editor's to show.
        self.client.publish_diagnostics(uri, Vec::new(), None).await;
    }
}

/// Serves LSP on stdin/stdout until the client says `exit` or closes stdin.
pub async fn serve_stdio() {
    crate::transport_guard::guard(tokio::io::stdin(), tokio::io::stdout(), |input, output| async move {
        let (service, socket) = LspService::new(|client| Backend {
            client,
            documents: Mutex::new(HashMap::new()),
        });
        Server::new(input, output, socket).serve(service).await;
    })
    .await;
}
