//! The outline of a WIDL file: its namespace, interface and roles with their operations,
//! types with their fields, enums with their values, unions, aliases and directives.
//! Definitions that parsed only in part are outlined with what was read.

use super::ast::DefinitionKind;
use super::parser::parse;
use crate::symbol::{Symbol, SymbolKind};

pub(crate) fn symbols(text: &str) -> Vec<Symbol> {
    let parsed = parse(text);
    let symbol = |name: &str, kind, range: std::ops::Range<usize>, children| Symbol {
        name: name.to_string(),
        kind,
        range,
        children,
    };
    let functions = |operations: &[super::ast::Operation]| {
        operations
            .iter()
            .map(|op| symbol(&op.name.name, SymbolKind::Function, op.name.span.clone(), vec![]))
            .collect()
    };
    let mut out = Vec::new();
    for def in &parsed.doc.definitions {
        let item = match &def.kind {
            DefinitionKind::Namespace { name } => symbol(&name.name, SymbolKind::Namespace, name.span.clone(), vec![]),
            DefinitionKind::Import { .. } => continue,
            DefinitionKind::Interface { name, operations } => match name {
                Some(name) => symbol(
                    &name.name,
                    SymbolKind::Interface,
                    name.span.clone(),
                    functions(operations),
                ),
                None => symbol(
                    "interface",
                    SymbolKind::Interface,
                    def.keyword.clone(),
                    functions(operations),
                ),
            },
            DefinitionKind::Role { name, operations } => symbol(
                &name.name,
                SymbolKind::Interface,
                name.span.clone(),
                functions(operations),
            ),
            DefinitionKind::Type { name, fields, .. } => {
                let children = fields
                    .iter()
                    .map(|f| symbol(&f.name.name, SymbolKind::Field, f.name.span.clone(), vec![]))
                    .collect();
                symbol(&name.name, SymbolKind::Type, name.span.clone(), children)
            }
            DefinitionKind::Enum { name, values } => {
                let children = values
                    .iter()
                    .map(|v| symbol(&v.name.name, SymbolKind::EnumMember, v.name.span.clone(), vec![]))
                    .collect();
                symbol(&name.name, SymbolKind::Enum, name.span.clone(), children)
            }
            DefinitionKind::Union { name, .. } | DefinitionKind::Alias { name, .. } => {
                symbol(&name.name, SymbolKind::Type, name.span.clone(), vec![])
            }
            DefinitionKind::Directive { name, .. } => symbol(
                &format!("@{}", name.name),
                SymbolKind::Function,
                name.span.clone(),
                vec![],
            ),
        };
        out.push(item);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(name, kind, text at range, children)` of each symbol.
    fn outline(text: &str) -> Vec<(String, SymbolKind, String, Vec<String>)> {
        symbols(text)
            .into_iter()
            .map(|s| {
                let children = s
                    .children
                    .iter()
                    .map(|c| format!("{} {:?} {}", c.name, c.kind, &text[c.range.clone()]))
                    .collect();
                (s.name, s.kind, text[s.range].to_string(), children)
            })
            .collect()
    }

    #[test]
    fn outline_of_every_kind() {
        let text = "namespace \"kv\"\nimport * from \"x\"\ninterface { get(): T\n set() }\nrole Admin { purge() }\n\
                    type T { a: i32 }\nenum E { A = 0 }\nunion U = T | E\nalias K = string\ndirective @d on FIELD\n";
        assert_eq!(
            outline(text),
            vec![
                ("kv".into(), SymbolKind::Namespace, "\"kv\"".into(), vec![]),
                (
                    "interface".into(),
                    SymbolKind::Interface,
                    "interface".into(),
                    vec!["get Function get".into(), "set Function set".into()]
                ),
                (
                    "Admin".into(),
                    SymbolKind::Interface,
                    "Admin".into(),
                    vec!["purge Function purge".into()]
                ),
                ("T".into(), SymbolKind::Type, "T".into(), vec!["a Field a".into()]),
                ("E".into(), SymbolKind::Enum, "E".into(), vec!["A EnumMember A".into()]),
                ("U".into(), SymbolKind::Type, "U".into(), vec![]),
                ("K".into(), SymbolKind::Type, "K".into(), vec![]),
                ("@d".into(), SymbolKind::Function, "d".into(), vec![]),
            ]
        );
    }

    #[test]
    fn a_broken_file_is_outlined_with_what_parsed() {
        let text = "type T {\n  a: \n  b: string\n\nenum E { A = 0 }";
        let names: Vec<(String, Vec<String>)> = outline(text).into_iter().map(|(n, _, _, c)| (n, c)).collect();
        assert_eq!(
            names,
            vec![
                ("T".to_string(), vec!["a Field a".to_string(), "b Field b".to_string()]),
                ("E".to_string(), vec!["A EnumMember A".to_string()]),
            ]
        );
    }
}
