//! The language server of wasmscope (`wasmscope lsp`) and its batch twin (`wasmscope check`).
//!
//! Layers: language analyses ([`wit`]) produce [`Finding`]s with byte ranges and know nothing
//! about LSP; [`server`] converts them to protocol types with [`line_index`]; [`check`]
//! prints them for CI.

pub mod check;
mod finding;
mod line_index;
mod server;
mod transport_guard;
mod wit;

pub use finding::{Finding, Severity};
pub use server::serve_stdio;

/// Whether a file name is of a kind the server analyses.
pub fn is_supported(name: &str) -> bool {
    name.ends_with(".wit")
}

/// The findings for one file's text, or `None` when the file is of no kind we analyse.
pub fn analyze(path: &str, text: &str) -> Option<Vec<Finding>> {
    is_supported(path).then(|| wit::findings(path, text))
}
