//! WIT, the component model's interface language.

mod diagnostics;
mod package;
mod symbols;

pub(crate) use diagnostics::findings;
pub(crate) use package::package_siblings;
pub(crate) use symbols::symbols;
pub use symbols::{Symbol, SymbolKind};
