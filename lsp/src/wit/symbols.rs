//! The outline of a WIT file: its interfaces (with their types, fields and functions) and
//! worlds, each at the span wit-parser recorded for its name.

use std::ops::Range;

use wit_parser::{Span, TypeDefKind};

use super::package::parse;
use crate::symbol::{Symbol, SymbolKind};

/// The outline of `path`, or `None` while the package does not parse.
pub(crate) fn symbols(path: &str, text: &str, package: &[(String, String)]) -> Option<Vec<Symbol>> {
    let group = parse(path, text, package).ok()?;
    let here = |span: Span| -> Option<Range<usize>> {
        let at = group.source_map.resolve_span(span)?;
        (at.path == path).then_some(at.range)
    };
    let pkg = &group.main;
    let mut out = Vec::new();
    for (_, interface) in pkg.interfaces.iter() {
        let (Some(name), Some(range)) = (&interface.name, here(interface.span)) else {
            continue;
        };
        let mut children = Vec::new();
        for (type_name, id) in &interface.types {
            let ty = &pkg.types[*id];
            let Some(type_range) = here(ty.span) else { continue };
            let fields = match &ty.kind {
                TypeDefKind::Record(record) => record
                    .fields
                    .iter()
                    .filter_map(|f| {
                        Some(Symbol {
                            name: f.name.clone(),
                            kind: SymbolKind::Field,
                            range: here(f.span)?,
                            children: vec![],
                        })
                    })
                    .collect(),
                _ => Vec::new(),
            };
            children.push(Symbol {
                name: type_name.clone(),
                kind: SymbolKind::Type,
                range: type_range,
                children: fields,
            });
        }
        for (function_name, function) in &interface.functions {
            let Some(function_range) = here(function.span) else {
                continue;
            };
            children.push(Symbol {
                name: function_name.clone(),
                kind: SymbolKind::Function,
                range: function_range,
                children: vec![],
            });
        }
        children.sort_by_key(|s| s.range.start);
        out.push(Symbol {
            name: name.clone(),
            kind: SymbolKind::Interface,
            range,
            children,
        });
    }
    for (_, world) in pkg.worlds.iter() {
        if let Some(range) = here(world.span) {
            out.push(Symbol {
                name: world.name.clone(),
                kind: SymbolKind::World,
                range,
                children: vec![],
            });
        }
    }
    out.sort_by_key(|s| s.range.start);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_of_interfaces_types_fields_functions_and_worlds() {
        let text = "package demo:app;\ninterface api {\n  record person {\n    name: string,\n  }\n  greet: func(p: person);\n}\nworld app {\n  export api;\n}\n";
        let outline = symbols("a.wit", text, &[]).unwrap();
        let names = |s: &[Symbol]| {
            s.iter()
                .map(|s| (s.name.clone(), &text[s.range.clone()], s.kind))
                .collect::<Vec<_>>()
        };
        assert_eq!(
            names(&outline),
            [
                ("api".into(), "api", SymbolKind::Interface),
                ("app".into(), "app", SymbolKind::World)
            ]
        );
        assert_eq!(
            names(&outline[0].children),
            [
                ("person".into(), "person", SymbolKind::Type),
                ("greet".into(), "greet", SymbolKind::Function)
            ]
        );
        assert_eq!(
            names(&outline[0].children[0].children),
            [("name".into(), "name", SymbolKind::Field)]
        );
        assert_eq!(symbols("a.wit", "package demo:app;\ninterface {", &[]), None);
    }
}
