//! WIT, the component model's interface language.

mod diagnostics;
mod hover;
mod package;
mod symbols;

pub(crate) use diagnostics::findings;
pub(crate) use hover::hover;
pub(crate) use package::package_siblings;
pub(crate) use symbols::symbols;
