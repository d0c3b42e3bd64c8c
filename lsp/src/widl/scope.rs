//! Which definitions each file can name: its own, and those its imports bring in. A file and
//! everything it imports (transitively, relative to the importing file) form a [`Workspace`];
//! editor text of open files wins over what is on disk.
//!
//! As in waPC's parser, `import * from "f"` brings every type, enum, union, alias, role and
//! directive `f` can name (its imports' included); `import { A, B as C } from "f"` brings `A`
//! and `B`, the latter called `C`.

use std::collections::HashMap;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};

use super::ast::{Definition, DefinitionKind};
use super::parser::{Parsed, parse};
use crate::OpenFiles;

/// More imported files than this are not read (a guard against generated import chains).
const MAX_UNITS: usize = 64;

/// One file: its path, text and parse.
pub(crate) struct Unit {
    pub path: PathBuf,
    pub text: String,
    pub parsed: Parsed,
    /// For each `import` definition (by index): the unit it reads, or why it cannot be read.
    pub imports: Vec<(usize, Result<usize, String>)>,
}

impl Unit {
    pub fn definitions(&self) -> &[Definition] {
        &self.parsed.doc.definitions
    }
}

/// A definition a name refers to: the unit it is in and its index there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) struct Binding {
    pub unit: usize,
    pub def: usize,
}

/// What one file can name.
#[derive(Debug, Default)]
pub(crate) struct Scope {
    /// Types, enums, unions, aliases and roles, by the name the file uses; its own first.
    pub types: HashMap<String, Binding>,
    /// Directives, by name (without the `@`).
    pub directives: HashMap<String, Binding>,
    /// What each import brings: (import definition's index, name, binding).
    pub imported: Vec<(usize, String, Binding)>,
    /// Names imported by `import { … }` from files that cannot be read.
    pub unresolved: Vec<String>,
    /// Whether an `import *` could not be read, so that any name may be defined.
    pub incomplete: bool,
    /// Imports that fail: unreadable files, names a file does not define.
    pub problems: Vec<(Range<usize>, String)>,
}

/// The file asked about (unit 0) and every file it imports.
pub(crate) struct Workspace {
    pub units: Vec<Unit>,
}

impl Workspace {
    /// Parses `text` (the file at `path`) and, transitively, the files it imports.
    pub fn load(path: &Path, text: &str, open: OpenFiles) -> Workspace {
        let mut units = vec![Unit {
            path: normalize(path),
            text: text.to_string(),
            parsed: parse(text),
            imports: Vec::new(),
        }];
        let mut next = 0;
        while next < units.len() {
            let mut imports = Vec::new();
            let base = units[next].path.parent().map(Path::to_path_buf).unwrap_or_default();
            let requests: Vec<(usize, String)> = units[next]
                .definitions()
                .iter()
                .enumerate()
                .filter_map(|(i, def)| match &def.kind {
                    DefinitionKind::Import { from: Some(from), .. } => Some((i, from.value.clone())),
                    _ => None,
                })
                .collect();
            for (def, from) in requests {
                let target = normalize(&base.join(&from));
                let resolved = match units.iter().position(|u| u.path == target) {
                    Some(existing) => Ok(existing),
                    None if units.len() >= MAX_UNITS => Err("too many imported files".to_string()),
                    None => read(&target, open).map(|text| {
                        units.push(Unit {
                            path: target,
                            parsed: parse(&text),
                            text,
                            imports: Vec::new(),
                        });
                        units.len() - 1
                    }),
                };
                imports.push((def, resolved.map_err(|why| format!("cannot read `{from}`: {why}"))));
            }
            units[next].imports = imports;
            next += 1;
        }
        Workspace { units }
    }

    /// What unit `unit` can name.
    pub fn scope(&self, unit: usize) -> Scope {
        let mut scope = Scope::default();
        for (_, binding) in self.own(unit) {
            let name = self.name_of(binding).to_string();
            let map = if self.is_directive(binding) {
                &mut scope.directives
            } else {
                &mut scope.types
            };
            map.entry(name).or_insert(binding);
        }
        let unit_ref = &self.units[unit];
        for (def, resolved) in &unit_ref.imports {
            let DefinitionKind::Import { all, names, from } = &unit_ref.definitions()[*def].kind else {
                continue;
            };
            let target = match resolved {
                Ok(target) => *target,
                Err(why) => {
                    if let Some(from) = from {
                        scope.problems.push((from.span.clone(), why.clone()));
                    }
                    if *all {
                        scope.incomplete = true;
                    }
                    scope
                        .unresolved
                        .extend(names.iter().map(|n| n.alias.as_ref().unwrap_or(&n.name).name.clone()));
                    continue;
                }
            };
            let exports = self.exports(target, &mut vec![unit]);
            let bring = |scope: &mut Scope, name: &str, binding: Binding| {
                let map = if self.is_directive(binding) {
                    &mut scope.directives
                } else {
                    &mut scope.types
                };
                map.entry(name.to_string()).or_insert(binding);
                scope.imported.push((*def, name.to_string(), binding));
            };
            if *all {
                for (name, binding) in &exports {
                    bring(&mut scope, name, *binding);
                }
            }
            for import in names {
                match exports.iter().find(|(name, _)| *name == import.name.name) {
                    Some((_, binding)) => {
                        let name = &import.alias.as_ref().unwrap_or(&import.name).name;
                        bring(&mut scope, name, *binding);
                    }
                    None => {
                        let from = from.as_ref().map_or("", |f| f.value.as_str());
                        scope.problems.push((
                            import.name.span.clone(),
                            format!("`{}` is not defined in `{from}`", import.name.name),
                        ));
                    }
                }
            }
        }
        scope
    }

    /// The definitions of `unit` other files can import: (index, binding).
    fn own(&self, unit: usize) -> Vec<(usize, Binding)> {
        self.units[unit]
            .definitions()
            .iter()
            .enumerate()
            .filter(|(_, def)| def.type_name().is_some() || matches!(def.kind, DefinitionKind::Directive { .. }))
            .map(|(def, _)| (def, Binding { unit, def }))
            .collect()
    }

    /// Everything `unit` can name (its own definitions, then its imports'), by the names it
    /// uses; `visiting` breaks import cycles.
    fn exports(&self, unit: usize, visiting: &mut Vec<usize>) -> Vec<(String, Binding)> {
        if visiting.contains(&unit) {
            return Vec::new();
        }
        visiting.push(unit);
        let mut exports: Vec<(String, Binding)> = self
            .own(unit)
            .into_iter()
            .map(|(_, binding)| (self.name_of(binding).to_string(), binding))
            .collect();
        let unit_ref = &self.units[unit];
        for (def, resolved) in &unit_ref.imports {
            let (Ok(target), DefinitionKind::Import { all, names, .. }) =
                (resolved, &unit_ref.definitions()[*def].kind)
            else {
                continue;
            };
            let theirs = self.exports(*target, visiting);
            if *all {
                exports.extend(theirs.iter().cloned());
            }
            for import in names {
                if let Some((_, binding)) = theirs.iter().find(|(name, _)| *name == import.name.name) {
                    let name = &import.alias.as_ref().unwrap_or(&import.name).name;
                    exports.push((name.clone(), *binding));
                }
            }
        }
        visiting.pop();
        exports
    }

    /// The binding of one of the first file's definitions.
    pub fn binding_of(&self, def: &Definition) -> Option<Binding> {
        let index = self.units[0].definitions().iter().position(|d| std::ptr::eq(d, def))?;
        Some(Binding { unit: 0, def: index })
    }

    pub fn definition(&self, binding: Binding) -> &Definition {
        &self.units[binding.unit].definitions()[binding.def]
    }

    /// The name a definition is declared with.
    pub fn name_of(&self, binding: Binding) -> &str {
        let def = self.definition(binding);
        match &def.kind {
            DefinitionKind::Directive { name, .. } => &name.name,
            _ => def.type_name().map_or("", |n| n.name.as_str()),
        }
    }

    /// The span of a definition's name in its file.
    pub fn name_span(&self, binding: Binding) -> Range<usize> {
        let def = self.definition(binding);
        match &def.kind {
            DefinitionKind::Directive { name, .. } => name.span.clone(),
            _ => def.type_name().map_or(def.keyword.clone(), |n| n.span.clone()),
        }
    }

    pub fn is_directive(&self, binding: Binding) -> bool {
        matches!(self.definition(binding).kind, DefinitionKind::Directive { .. })
    }

    /// The file name of a unit, for messages.
    pub fn file_name(&self, unit: usize) -> String {
        let path = &self.units[unit].path;
        path.file_name()
            .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned())
    }
}

fn read(path: &Path, open: OpenFiles) -> Result<String, String> {
    if let Some(text) = open(path) {
        return Ok(text);
    }
    std::fs::read_to_string(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        _ => e.to_string(),
    })
}

/// `path` with `.` and `..` resolved lexically (an unsaved file may not exist on disk).
pub(crate) fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The 1-based line of byte `offset` of `text`.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|b| **b == b'\n')
        .count()
        + 1
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A workspace of in-memory files: the first is the one asked about.
    pub(crate) fn workspace(files: &[(&str, &str)]) -> Workspace {
        let map: HashMap<PathBuf, String> = files
            .iter()
            .map(|(path, text)| (PathBuf::from(path), text.to_string()))
            .collect();
        Workspace::load(Path::new(files[0].0), files[0].1, &|p| map.get(p).cloned())
    }

    #[test]
    fn imports_all_named_aliased_and_transitive() {
        let ws = workspace(&[
            (
                "/w/api/main.widl",
                "namespace \"m\"\nimport * from \"../core.widl\"\nimport { Deep as D, Nope } from \"./deep.widl\"\ntype Mine { a: i32 }",
            ),
            (
                "/w/core.widl",
                "namespace \"c\"\nimport * from \"./api/deep.widl\"\ntype Shared {}\ndirective @x on FIELD\n",
            ),
            (
                "/w/api/deep.widl",
                "namespace \"d\"\nimport * from \"../core.widl\"\nenum Deep { A = 0 }\n",
            ),
        ]);
        let paths: Vec<&Path> = ws.units.iter().map(|u| u.path.as_path()).collect();
        assert_eq!(
            paths,
            vec![
                Path::new("/w/api/main.widl"),
                Path::new("/w/core.widl"),
                Path::new("/w/api/deep.widl")
            ]
        );
        let scope = ws.scope(0);
        let mut types: Vec<(&str, usize)> = scope.types.iter().map(|(n, b)| (n.as_str(), b.unit)).collect();
        types.sort();
        assert_eq!(types, vec![("D", 2), ("Deep", 2), ("Mine", 0), ("Shared", 1)]);
        assert_eq!(scope.directives.keys().collect::<Vec<_>>(), vec!["x"]);
        let text = &ws.units[0].text;
        let problems: Vec<(&str, &str)> = scope
            .problems
            .iter()
            .map(|(r, m)| (&text[r.clone()], m.as_str()))
            .collect();
        assert_eq!(problems, vec![("Nope", "`Nope` is not defined in `./deep.widl`")]);
        assert!(!scope.incomplete);
        // The cycle core → deep → core ends.
        let scope = ws.scope(1);
        assert!(scope.types.contains_key("Deep"));
    }

    #[test]
    fn unreadable_imports() {
        let ws = workspace(&[(
            "/w/a.widl",
            "import * from \"gone.widl\"\nimport { T as U } from \"/elsewhere/x.widl\"\n",
        )]);
        let scope = ws.scope(0);
        let messages: Vec<&str> = scope.problems.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(
            messages,
            vec![
                "cannot read `gone.widl`: no such file",
                "cannot read `/elsewhere/x.widl`: no such file"
            ]
        );
        assert_eq!(scope.problems[0].0, 14..25);
        assert!(scope.incomplete);
        assert_eq!(scope.unresolved, vec!["U".to_string()]);
    }

    #[test]
    fn paths_and_lines() {
        assert_eq!(normalize(Path::new("/a/b/../c/./d.widl")), PathBuf::from("/a/c/d.widl"));
        assert_eq!(normalize(Path::new("../x")), PathBuf::from("../x"));
        assert_eq!(line_of("a\nb\nc", 4), 3);
        assert_eq!(line_of("a\nb", 0), 1);
    }
}
