//! What the language analyses answer to editor requests beyond findings and outlines, in
//! byte ranges and with no protocol types, so that `server` alone speaks LSP.

use std::ops::Range;
use std::path::PathBuf;

/// What a completion item is, for the editor's icon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompletionKind {
    Keyword,
    Type,
    Field,
    Function,
    Module,
    Property,
    Value,
    Snippet,
}

/// One completion proposal at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub label: String,
    pub kind: CompletionKind,
    /// A short line shown beside the label (a type, a contract).
    pub detail: Option<String>,
    /// Markdown shown when the item is selected.
    pub documentation: Option<String>,
    /// Text inserted instead of the label; `$1`-style placeholders make it a snippet.
    pub insert_text: Option<String>,
}

/// A byte range in a file, which may not be the file asked about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    pub path: PathBuf,
    pub range: Range<usize>,
}

/// Replace `range` of a file's text by `new_text`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub range: Range<usize>,
    pub new_text: String,
}

/// The token types a file is highlighted with, in the order the server's legend lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    Namespace,
    Interface,
    Type,
    Enum,
    EnumMember,
    Property,
    Function,
    Parameter,
    Keyword,
    String,
    Number,
    Comment,
    Decorator,
}

/// A highlighted range of a file (one line at most).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub range: Range<usize>,
    pub kind: TokenKind,
}
