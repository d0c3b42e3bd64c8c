//! Go to definition and find references of WIDL names: types, enums, unions, aliases, roles
//! and directives, across the file and the files it imports (transitively). A member
//! (operation, field, parameter, enum value) is its own definition and only reference; an
//! import's file name leads to that file.

use std::ops::Range;

use super::cursor::{self, Item};
use super::scope::{Binding, Workspace};
use crate::answer::Location;

enum Target {
    Definition(Binding),
    /// A name nothing else refers to, in the first file.
    Itself(Range<usize>),
    /// The file an import reads.
    File(usize),
}

fn target(ws: &Workspace, offset: usize) -> Option<Target> {
    let unit = &ws.units[0];
    let (range, item) = cursor::at(&unit.parsed.doc, offset)?;
    let scope = ws.scope(0);
    let target = match item {
        Item::Definition(def) => match ws.binding_of(def) {
            Some(binding) if def.type_name().is_some() || ws.is_directive(binding) => Target::Definition(binding),
            _ => Target::Itself(range),
        },
        Item::TypeUse(ident) => Target::Definition(*scope.types.get(&ident.name)?),
        Item::ImportName(name, ..) => {
            let local = &name.alias.as_ref().unwrap_or(&name.name).name;
            Target::Definition(*scope.types.get(local).or_else(|| scope.directives.get(local))?)
        }
        Item::Annotation(annotation) => Target::Definition(*scope.directives.get(&annotation.name.name)?),
        Item::DirectiveUse(ident) => Target::Definition(*scope.directives.get(&ident.name)?),
        Item::Operation(_) | Item::Field(_) | Item::Parameter(_) | Item::EnumValue(_) => Target::Itself(range),
        Item::ImportFrom(_, def) => {
            let index = unit.definitions().iter().position(|d| std::ptr::eq(d, def))?;
            let (_, resolved) = unit.imports.iter().find(|(i, _)| *i == index)?;
            Target::File(*resolved.as_ref().ok()?)
        }
        Item::ArgumentName | Item::Value(_) | Item::Location => return None,
    };
    Some(target)
}

/// Where the name at `offset` of the workspace's first file is defined.
pub(crate) fn definition(ws: &Workspace, offset: usize) -> Option<Location> {
    Some(match target(ws, offset)? {
        Target::Definition(binding) => location(ws, binding.unit, ws.name_span(binding)),
        Target::Itself(range) => location(ws, 0, range),
        Target::File(unit) => location(ws, unit, 0..0),
    })
}

/// Every place the name at `offset` is defined or used, the definition first, then by file
/// (this one first) and position.
pub(crate) fn references(ws: &Workspace, offset: usize) -> Vec<Location> {
    let binding = match target(ws, offset) {
        Some(Target::Definition(binding)) => binding,
        Some(Target::Itself(range)) => return vec![location(ws, 0, range)],
        Some(Target::File(_)) | None => return Vec::new(),
    };
    let mut uses: Vec<(usize, Range<usize>)> = Vec::new();
    for (index, unit) in ws.units.iter().enumerate() {
        let scope = ws.scope(index);
        cursor::each(&unit.parsed.doc, &mut |range, item| {
            let refers = match item {
                Item::TypeUse(ident) => scope.types.get(&ident.name) == Some(&binding),
                Item::ImportName(name, false) => {
                    let local = &name.alias.as_ref().unwrap_or(&name.name).name;
                    scope.types.get(local).or_else(|| scope.directives.get(local)) == Some(&binding)
                }
                Item::Annotation(annotation) => scope.directives.get(&annotation.name.name) == Some(&binding),
                Item::DirectiveUse(ident) => scope.directives.get(&ident.name) == Some(&binding),
                _ => false,
            };
            if refers {
                uses.push((index, range));
            }
        });
    }
    uses.sort_by_key(|(unit, range)| (*unit, range.start));
    uses.dedup();
    std::iter::once(location(ws, binding.unit, ws.name_span(binding)))
        .chain(uses.into_iter().map(|(unit, range)| location(ws, unit, range)))
        .collect()
}

fn location(ws: &Workspace, unit: usize, range: Range<usize>) -> Location {
    Location {
        path: ws.units[unit].path.clone(),
        range,
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::scope::tests::workspace;
    use super::*;

    const MAIN: &str = "namespace \"kv\"\nimport * from \"./core.widl\"\nimport { Shared as S } from \"./core.widl\"\n\
                        interface {\n  get{key: string}: Shared @old\n  put(v: S): Local\n}\ntype Local { s: [Shared] }\n";
    const CORE: &str = "namespace \"core\"\ntype Shared { next: Shared? }\ndirective @old on OPERATION\n";

    /// Locations as `(file name, text at range)`.
    fn shown(ws: &Workspace, locations: Vec<Location>) -> Vec<(String, String)> {
        locations
            .into_iter()
            .map(|l| {
                let unit = ws.units.iter().find(|u| u.path == l.path).unwrap();
                let name = l.path.file_name().unwrap().to_string_lossy().into_owned();
                (name, unit.text[l.range].to_string())
            })
            .collect()
    }

    fn at(needle: &str, nth: usize) -> usize {
        MAIN.match_indices(needle).nth(nth).unwrap().0 + 1
    }

    #[test]
    fn definitions_here_and_in_imports() {
        let ws = workspace(&[("/w/main.widl", MAIN), ("/w/core.widl", CORE)]);
        let shared = definition(&ws, at("Shared @old", 0)).unwrap();
        assert_eq!(shared.path, PathBuf::from("/w/core.widl"));
        assert_eq!(shared.range, 22..28);
        assert_eq!(definition(&ws, at("S)", 0)).unwrap().range, 22..28);
        assert_eq!(definition(&ws, at("Shared as", 0)).unwrap().range, 22..28);
        let local = definition(&ws, at("Local", 0)).unwrap();
        assert_eq!(
            (local.path.clone(), &MAIN[local.range]),
            (PathBuf::from("/w/main.widl"), "Local")
        );
        let old = definition(&ws, at("old", 0)).unwrap();
        assert_eq!(&CORE[old.range], "old");
        assert_eq!(
            definition(&ws, at("./core", 0)).unwrap(),
            Location {
                path: PathBuf::from("/w/core.widl"),
                range: 0..0
            }
        );
        assert_eq!(&MAIN[definition(&ws, at("key", 0)).unwrap().range], "key");
        assert_eq!(definition(&ws, at("string", 0)), None);
    }

    #[test]
    fn references_across_files() {
        let ws = workspace(&[("/w/main.widl", MAIN), ("/w/core.widl", CORE)]);
        let expected = vec![
            ("core.widl".to_string(), "Shared".to_string()),
            ("main.widl".to_string(), "Shared".to_string()),
            ("main.widl".to_string(), "Shared".to_string()),
            ("main.widl".to_string(), "S".to_string()),
            ("main.widl".to_string(), "Shared".to_string()),
            ("core.widl".to_string(), "Shared".to_string()),
        ];
        let found = references(&ws, at("Shared @old", 0));
        assert_eq!(shown(&ws, found.clone()), expected);
        assert_eq!(found[1].range, 52..58);
        assert_eq!(references(&ws, at("S)", 0)), found);
        assert_eq!(
            shown(&ws, references(&ws, at("old", 0))),
            vec![
                ("core.widl".to_string(), "old".to_string()),
                ("main.widl".to_string(), "old".to_string())
            ]
        );
        assert_eq!(
            shown(&ws, references(&ws, at("Local", 1))),
            vec![
                ("main.widl".to_string(), "Local".to_string()),
                ("main.widl".to_string(), "Local".to_string())
            ]
        );
        assert_eq!(
            shown(&ws, references(&ws, at("put", 0))),
            vec![("main.widl".to_string(), "put".to_string())]
        );
        assert_eq!(references(&ws, at("./core", 0)), vec![]);
    }
}
