//! The language server of wasmscope (`wasmscope lsp`) and its batch twin (`wasmscope check`).
//!
//! Layers: language analyses ([`wit`], one module per [`Language`]) produce [`Finding`]s and
//! [`Symbol`]s with byte ranges and know nothing about LSP; [`server`] converts them to
//! protocol types with [`line_index`]; [`check`] prints them for CI.

mod answer;
pub mod check;
mod finding;
mod folding;
mod language;
mod line_index;
mod manifest;
mod server;
mod symbol;
mod transport_guard;
mod widl;
mod wit;

use std::path::Path;

pub use answer::{Completion, CompletionKind, Edit, Fold, FoldKind, Link, Location, Token, TokenKind};
pub use finding::{Finding, Severity};
pub use language::Language;
pub use server::serve_stdio;
pub use symbol::{Symbol, SymbolKind};

/// Unsaved text of the files the editor has open, by path; other files are read from disk.
pub type OpenFiles<'a> = &'a dyn Fn(&Path) -> Option<String>;

/// The findings for one file's text, or `None` when the file is of no kind we analyse. Files
/// it depends on (a WIT file's package siblings) are read from disk, or from `open` when the
/// editor has them open with unsaved text.
pub fn analyze(path: &Path, text: &str, open: OpenFiles) -> Option<Vec<Finding>> {
    let name = path.to_string_lossy();
    match Language::of(path, text)? {
        Language::Wit => Some(wit::findings(&name, text, &package_texts(path, open), open)),
        Language::Widl => Some(widl::findings(path, text, open)),
        Language::WadmManifest => Some(manifest::wadm::analyze(path, text, open)),
        Language::HostManifest => Some(manifest::host::analyze(path, text, open)),
        Language::WasmcloudToml => Some(manifest::wasmcloud_toml::analyze(text)),
    }
}

/// The outline of a file, or `None` when it is of no kind we analyse or does not parse.
pub fn outline(path: &Path, text: &str, open: OpenFiles) -> Option<Vec<Symbol>> {
    let name = path.to_string_lossy();
    match Language::of(path, text)? {
        Language::Wit => wit::symbols(&name, text, &package_texts(path, open)),
        Language::Widl => Some(widl::symbols(text)),
        Language::WadmManifest => Some(manifest::wadm::outline(text)),
        Language::HostManifest => Some(manifest::host::outline(text)),
        Language::WasmcloudToml => Some(manifest::wasmcloud_toml::outline(text)),
    }
}

/// Markdown describing what is at byte `offset` of a file, with the range it is about.
pub fn hover(path: &Path, text: &str, offset: usize, open: OpenFiles) -> Option<(std::ops::Range<usize>, String)> {
    let name = path.to_string_lossy();
    match Language::of(path, text)? {
        Language::Wit => wit::hover(&name, text, &package_texts(path, open), offset),
        Language::Widl => widl::hover(path, text, offset, open),
        Language::WadmManifest => manifest::wadm::hover(path, text, offset),
        Language::HostManifest => manifest::host::hover(path, text, offset),
        Language::WasmcloudToml => manifest::wasmcloud_toml::hover(text, offset),
    }
}

/// Completions at byte `offset` of a file.
pub fn completion(path: &Path, text: &str, offset: usize, open: OpenFiles) -> Option<Vec<Completion>> {
    let _ = (offset, open);
    match Language::of(path, text)? {
        Language::Wit => wit::completion(&path.to_string_lossy(), text, &package_texts(path, open), offset),
        Language::Widl => Some(widl::completion(path, text, offset, open)),
        Language::WadmManifest => manifest::wadm::completion(path, text, offset),
        Language::HostManifest => manifest::host::completion(text, offset),
        Language::WasmcloudToml => manifest::wasmcloud_toml::completion(text, offset),
    }
}

/// Where the name at byte `offset` of a file is defined.
pub fn definition(path: &Path, text: &str, offset: usize, open: OpenFiles) -> Option<Location> {
    let _ = (offset, open);
    match Language::of(path, text)? {
        Language::Wit => wit::definition(&path.to_string_lossy(), text, &package_texts(path, open), offset)
            .or_else(|| wit::foreign_definition(path, text, offset, open)),
        Language::Widl => widl::definition(path, text, offset, open),
        Language::WadmManifest => manifest::wadm::definition(path, text, offset),
        Language::HostManifest => None,
        Language::WasmcloudToml => None,
    }
}

/// Every place the name at byte `offset` of a file is defined or used (the definition first).
pub fn references(path: &Path, text: &str, offset: usize, open: OpenFiles) -> Option<Vec<Location>> {
    let _ = (offset, open);
    match Language::of(path, text)? {
        Language::Wit => wit::references(&path.to_string_lossy(), text, &package_texts(path, open), offset),
        Language::Widl => Some(widl::references(path, text, offset, open)),
        Language::WadmManifest => manifest::wadm::references(path, text, offset),
        Language::HostManifest => None,
        Language::WasmcloudToml => None,
    }
}

/// The whole text of a file, formatted; `None` when it is of no kind we format or does not
/// parse (formatting never loses text).
pub fn format(path: &Path, text: &str) -> Option<String> {
    match Language::of(path, text)? {
        Language::Wit => wit::format(text),
        Language::Widl => widl::format(text),
        Language::WadmManifest | Language::HostManifest | Language::WasmcloudToml => None,
    }
}

/// The semantic highlighting of a file, tokens in text order.
pub fn semantic_tokens(path: &Path, text: &str) -> Option<Vec<Token>> {
    match Language::of(path, text)? {
        Language::Wit => Some(wit::semantic_tokens(
            &path.to_string_lossy(),
            text,
            &package_texts(path, &|_| None),
        )),
        Language::Widl => Some(widl::tokens(text)),
        Language::WadmManifest | Language::HostManifest | Language::WasmcloudToml => None,
    }
}

/// The regions of a file that fold (blocks, comment runs, import runs), in text order, each
/// over several lines and one per start line.
pub fn folding_ranges(path: &Path, text: &str) -> Option<Vec<Fold>> {
    let folds = match Language::of(path, text)? {
        Language::Wit => wit::folding_ranges(text),
        Language::Widl => widl::folding_ranges(text),
        Language::WadmManifest | Language::HostManifest => manifest::folding::yaml(text),
        Language::WasmcloudToml => manifest::folding::toml(text),
    };
    Some(folding::one_per_line(text, folds))
}

/// The values of a manifest naming a local file that exists (images, actors, project
/// folders), each linked to it; `None` for files of no kind we link from.
pub fn document_links(path: &Path, text: &str) -> Option<Vec<Link>> {
    match Language::of(path, text)? {
        Language::WadmManifest => Some(manifest::links::wadm(path, text)),
        Language::HostManifest => Some(manifest::links::host(path, text)),
        Language::WasmcloudToml => Some(manifest::links::wasmcloud_toml(path, text)),
        Language::Wit | Language::Widl => None,
    }
}

/// Path and text of each package sibling of `path`, the editor's unsaved text first.
fn package_texts(path: &Path, open: OpenFiles) -> Vec<(String, String)> {
    wit::package_siblings(path)
        .into_iter()
        .filter_map(|sibling| {
            let text = open(&sibling).or_else(|| std::fs::read_to_string(&sibling).ok())?;
            Some((sibling.to_string_lossy().into_owned(), text))
        })
        .collect()
}
