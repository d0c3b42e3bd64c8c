//! A WIDL file's findings: what does not lex or parse, imports that fail, a missing or
//! repeated namespace, unknown type names, names defined twice (types, operations,
//! parameters, fields, enum values and indexes, directives) and unknown directive locations.

use std::collections::HashMap;
use std::ops::Range;

use super::ast::{self, Definition, DefinitionKind, Field, Ident, Operation, TypeRef};
use super::scope::{Scope, Workspace, line_of};
use crate::finding::{Finding, Severity};

/// The findings for the workspace's first file, in text order.
pub(crate) fn findings(ws: &Workspace) -> Vec<Finding> {
    let unit = &ws.units[0];
    let text = unit.text.as_str();
    let definitions = unit.definitions();
    let scope = ws.scope(0);
    let mut out = Findings { text, list: Vec::new() };
    for (range, message) in &unit.parsed.errors {
        out.error(range.clone(), message.clone());
    }
    for (range, message) in &scope.problems {
        out.error(range.clone(), message.clone());
    }
    namespaces(&mut out, definitions);
    definitions_defined_twice(&mut out, ws, &scope, definitions);
    for def in definitions {
        members_defined_twice(&mut out, def);
        type_uses(&mut out, ws, &scope, def);
        if let DefinitionKind::Directive {
            locations, requires, ..
        } = &def.kind
        {
            let required = requires.iter().flat_map(|r| r.locations.iter());
            for location in locations.iter().chain(required) {
                if location.name != "SELF" && !ast::DIRECTIVE_LOCATIONS.contains(&location.name.as_str()) {
                    out.push(
                        location.span.clone(),
                        Severity::Warning,
                        format!(
                            "unknown directive location `{}` (expected one of {})",
                            location.name,
                            ast::DIRECTIVE_LOCATIONS.join(", ")
                        ),
                    );
                }
            }
        }
    }
    let mut list = out.list;
    list.sort_by_key(|f| (f.range.start, f.range.end));
    list
}

struct Findings<'a> {
    text: &'a str,
    list: Vec<Finding>,
}

impl Findings<'_> {
    fn push(&mut self, range: Range<usize>, severity: Severity, message: String) {
        self.list.push(Finding {
            range,
            severity,
            message,
        });
    }

    fn error(&mut self, range: Range<usize>, message: String) {
        self.push(range, Severity::Error, message);
    }

    /// Reports every name of `names` (with what it is) seen before, by line of the first.
    fn duplicates<'n>(&mut self, what: &str, names: impl IntoIterator<Item = &'n Ident>) {
        let mut first: HashMap<&str, usize> = HashMap::new();
        for ident in names {
            match first.get(ident.name.as_str()) {
                Some(&at) => {
                    let line = line_of(self.text, at);
                    self.error(
                        ident.span.clone(),
                        format!("duplicate {what} `{}`, first defined on line {line}", ident.name),
                    );
                }
                None => {
                    first.insert(&ident.name, ident.span.start);
                }
            }
        }
    }
}

fn namespaces(out: &mut Findings, definitions: &[Definition]) {
    let mut namespaces = definitions.iter().filter_map(|d| match &d.kind {
        DefinitionKind::Namespace { name } => Some((d, name)),
        _ => None,
    });
    match namespaces.next() {
        None => out.error(
            0..0,
            "missing `namespace`: a WIDL file declares its namespace, as in `namespace \"wasmcloud:keyvalue\"`".into(),
        ),
        Some((first, _)) => {
            let line = line_of(out.text, first.keyword.start);
            for (def, _) in namespaces {
                out.error(
                    def.keyword.clone(),
                    format!("duplicate `namespace`, first declared on line {line}"),
                );
            }
        }
    }
}

fn definitions_defined_twice(out: &mut Findings, ws: &Workspace, scope: &Scope, definitions: &[Definition]) {
    out.duplicates("definition of", definitions.iter().filter_map(Definition::type_name));
    let directives = definitions.iter().filter_map(|d| match &d.kind {
        DefinitionKind::Directive { name, .. } => Some(name),
        _ => None,
    });
    out.duplicates("directive", directives);
    // A definition of this file with the name of an imported one.
    for def in definitions {
        let name = match &def.kind {
            DefinitionKind::Directive { name, .. } => name,
            _ => match def.type_name() {
                Some(name) => name,
                None => continue,
            },
        };
        let is_directive = matches!(def.kind, DefinitionKind::Directive { .. });
        let clash = scope.imported.iter().find(|(_, imported, binding)| {
            *imported == name.name && binding.unit != 0 && ws.is_directive(*binding) == is_directive
        });
        if let Some((import, _, _)) = clash
            && let DefinitionKind::Import { from: Some(from), .. } = &definitions[*import].kind
        {
            out.error(
                name.span.clone(),
                format!("`{}` is already imported from `{}`", name.name, from.value),
            );
        }
    }
}

fn members_defined_twice(out: &mut Findings, def: &Definition) {
    match &def.kind {
        DefinitionKind::Interface { operations, .. } | DefinitionKind::Role { operations, .. } => {
            out.duplicates("operation", operations.iter().map(|o| &o.name));
            for op in operations {
                out.duplicates("parameter", op.params.iter().map(|p| &p.name));
            }
        }
        DefinitionKind::Type { fields, .. } => out.duplicates("field", fields.iter().map(|f| &f.name)),
        DefinitionKind::Directive { params, .. } => out.duplicates("parameter", params.iter().map(|p| &p.name)),
        DefinitionKind::Enum { values, .. } => {
            out.duplicates("enum value", values.iter().map(|v| &v.name));
            let mut first: HashMap<&str, &Ident> = HashMap::new();
            for value in values {
                let Some(index) = &value.index else { continue };
                let canonical = index.name.trim_start_matches('0');
                match first.get(canonical) {
                    Some(owner) => {
                        let line = line_of(out.text, owner.span.start);
                        out.error(
                            index.span.clone(),
                            format!(
                                "duplicate enum index `{}`, first used by `{}` on line {line}",
                                index.name, owner.name
                            ),
                        );
                    }
                    None => {
                        first.insert(canonical, &value.name);
                    }
                }
            }
        }
        _ => {}
    }
}

/// Every named type a definition uses must be built in, defined or imported.
fn type_uses(out: &mut Findings, ws: &Workspace, scope: &Scope, def: &Definition) {
    let mut check = |ty: &TypeRef, returned: bool| {
        for ident in ty.names() {
            check_name(out, ws, scope, ident, returned && matches!(ty, TypeRef::Named(_)));
        }
    };
    let fields = |list: &[Field], check: &mut dyn FnMut(&TypeRef, bool)| {
        for field in list {
            check(&field.ty, false);
        }
    };
    let operations = |ops: &[Operation], check: &mut dyn FnMut(&TypeRef, bool)| {
        for op in ops {
            fields(&op.params, check);
            if let Some(returns) = &op.returns {
                check(returns, true);
            }
        }
    };
    match &def.kind {
        DefinitionKind::Interface { operations: ops, .. } | DefinitionKind::Role { operations: ops, .. } => {
            operations(ops, &mut check)
        }
        DefinitionKind::Type { fields: list, .. } | DefinitionKind::Directive { params: list, .. } => {
            fields(list, &mut check)
        }
        DefinitionKind::Union { members, .. } => {
            for member in members {
                check(member, false);
            }
        }
        DefinitionKind::Alias { ty, .. } => check(ty, false),
        _ => {}
    }
}

fn check_name(out: &mut Findings, ws: &Workspace, scope: &Scope, ident: &Ident, may_be_void: bool) {
    let name = ident.name.as_str();
    if ast::builtin(name).is_some() || scope.types.contains_key(name) || (may_be_void && name == "void") {
        return;
    }
    if name == "void" {
        out.error(
            ident.span.clone(),
            "`void` is only an operation's return type (leave out `: void` to return nothing)".into(),
        );
        return;
    }
    if scope.incomplete || scope.unresolved.iter().any(|u| u == name) {
        return;
    }
    let candidates = ast::BUILTIN_TYPES.iter().map(|(n, _)| *n).chain(
        scope
            .types
            .iter()
            .filter(|(_, b)| !is_role(ws, **b))
            .map(|(n, _)| n.as_str()),
    );
    let message = match closest(name, candidates) {
        Some(near) => format!("unknown type `{name}`; did you mean `{near}`?"),
        None => format!("unknown type `{name}`"),
    };
    out.error(ident.span.clone(), message);
}

fn is_role(ws: &Workspace, binding: super::scope::Binding) -> bool {
    matches!(ws.definition(binding).kind, DefinitionKind::Role { .. })
}

/// The candidate nearest to `name` by edit distance (case-insensitive), if near enough to
/// be a typo.
fn closest<'c>(name: &str, candidates: impl Iterator<Item = &'c str>) -> Option<&'c str> {
    let lower = name.to_lowercase();
    candidates
        .map(|c| (distance(&lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= (name.chars().count() / 3).clamp(1, 3) && *d < name.chars().count())
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// Edit distance where swapping two neighbours is one edit (optimal string alignment).
fn distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1).min(d[i][j - 1] + 1).min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::super::scope::tests::workspace;
    use super::*;

    /// Findings as `(text at range, severity, message)`.
    fn check(files: &[(&str, &str)]) -> Vec<(String, Severity, String)> {
        let ws = workspace(files);
        let text = files[0].1;
        findings(&ws)
            .into_iter()
            .map(|f| (text[f.range].to_string(), f.severity, f.message))
            .collect()
    }

    fn error(at: &str, message: &str) -> (String, Severity, String) {
        (at.to_string(), Severity::Error, message.to_string())
    }

    #[test]
    fn a_valid_file_with_imports_has_no_findings() {
        let found = check(&[
            (
                "/w/a.widl",
                "namespace \"a\"\nimport * from \"./b.widl\"\ninterface {\n  get(k: Key): Item\n  ping()\n  stop(): void\n}\n\
                 type Item { v: {string: [Shared?]} @deprecated }\nalias Key = string\nunion U = Item | Shared\n",
            ),
            (
                "/w/b.widl",
                "namespace \"b\"\ntype Shared {}\ndirective @deprecated on FIELD\n",
            ),
        ]);
        assert_eq!(found, vec![]);
    }

    #[test]
    fn unknown_types_with_suggestions() {
        let found = check(&[(
            "/w/a.widl",
            "namespace \"a\"\ntype Item { a: strng, b: [Itme], c: Wholly, d: void }\nrole R { x(): R }\n",
        )]);
        assert_eq!(
            found,
            vec![
                error("strng", "unknown type `strng`; did you mean `string`?"),
                error("Itme", "unknown type `Itme`; did you mean `Item`?"),
                error("Wholly", "unknown type `Wholly`"),
                error(
                    "void",
                    "`void` is only an operation's return type (leave out `: void` to return nothing)"
                ),
            ]
        );
    }

    #[test]
    fn names_defined_twice() {
        let text = "namespace \"a\"\nnamespace \"b\"\ntype T { a: i32\n a: i64 }\nenum T { X = 1, Y = 01, X = 2 }\n\
                    interface { f(a: i32, a: i32) f() }\ndirective @d on FIELD\ndirective @d on FIELD | BOGUS\n";
        let found = check(&[("/w/a.widl", text)]);
        assert_eq!(
            found,
            vec![
                error("namespace", "duplicate `namespace`, first declared on line 1"),
                error("a", "duplicate field `a`, first defined on line 3"),
                error("T", "duplicate definition of `T`, first defined on line 3"),
                error("01", "duplicate enum index `01`, first used by `X` on line 5"),
                error("X", "duplicate enum value `X`, first defined on line 5"),
                error("a", "duplicate parameter `a`, first defined on line 6"),
                error("f", "duplicate operation `f`, first defined on line 6"),
                error("d", "duplicate directive `d`, first defined on line 7"),
                (
                    "BOGUS".to_string(),
                    Severity::Warning,
                    "unknown directive location `BOGUS` (expected one of NAMESPACE, INTERFACE, ROLE, OPERATION, \
                     PARAMETER, TYPE, FIELD, ENUM, ENUM_VALUE, UNION, ALIAS)"
                        .to_string()
                ),
            ]
        );
    }

    #[test]
    fn missing_namespace_imports_and_clashes() {
        let found = check(&[
            (
                "/w/a.widl",
                "import * from \"b.widl\"\nimport { Gone } from \"c.widl\"\nimport { Nope } from \"b.widl\"\n\
                 type Shared { x: Gone }\n",
            ),
            ("/w/b.widl", "namespace \"b\"\ntype Shared {}\n"),
        ]);
        assert_eq!(
            found,
            vec![
                error(
                    "",
                    "missing `namespace`: a WIDL file declares its namespace, as in `namespace \"wasmcloud:keyvalue\"`"
                ),
                error("\"c.widl\"", "cannot read `c.widl`: no such file"),
                error("Nope", "`Nope` is not defined in `b.widl`"),
                error("Shared", "`Shared` is already imported from `b.widl`"),
            ]
        );
        // An `import *` that cannot be read may define any name: no unknown types then.
        let found = check(&[(
            "/w/a.widl",
            "namespace \"a\"\nimport * from \"gone.widl\"\ntype T { x: Y }\n",
        )]);
        assert_eq!(
            found,
            vec![error("\"gone.widl\"", "cannot read `gone.widl`: no such file")]
        );
    }

    #[test]
    fn syntax_errors_come_with_the_rest() {
        let found = check(&[("/w/a.widl", "namespace \"a\"\ntype T {\n  a: Nope\n  b string\n}\n")]);
        assert_eq!(
            found,
            vec![
                error("Nope", "unknown type `Nope`"),
                error("string", "expected `:` and the type of `b`, found `string`"),
            ]
        );
    }

    #[test]
    fn edit_distance() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("itme", "item"), 1);
        assert_eq!(
            closest("GetRespons", ["GetResponse", "Empty"].into_iter()),
            Some("GetResponse")
        );
        assert_eq!(closest("X", ["Y", "Z"].into_iter()), None);
        assert_eq!(closest("i23", ["i32", "u32"].into_iter()), Some("i32"));
        assert_eq!(closest("Totally", ["Empty"].into_iter()), None);
    }
}
