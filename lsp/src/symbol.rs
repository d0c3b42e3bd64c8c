//! An item of a file's outline, the same for every language the server reads.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SymbolKind {
    /// A WIDL namespace, a wadm application.
    Namespace,
    Interface,
    World,
    Type,
    Enum,
    EnumMember,
    Field,
    Function,
    /// A manifest's component, actor or capability provider.
    Component,
    /// A manifest key that is neither of the above (a trait, a link, a setting).
    Property,
}

/// An item of a file's outline; `range` is its name's bytes in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Symbol {
    pub name: String,
    pub kind: SymbolKind,
    pub range: Range<usize>,
    pub children: Vec<Symbol>,
}
