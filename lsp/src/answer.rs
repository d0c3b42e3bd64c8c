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

/// What a folded region holds, for editors that treat kinds apart (fold all comments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FoldKind {
    /// A block: braces, a manifest's mapping or list, a TOML table.
    Region,
    Comment,
    Imports,
}

/// A region of a file that can be folded: from the line `range` starts on to the line it
/// ends on (always a later line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fold {
    pub range: Range<usize>,
    pub kind: FoldKind,
}

/// A span of a file naming another file (or folder) on disk, which the editor opens on click.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub range: Range<usize>,
    pub target: PathBuf,
}
