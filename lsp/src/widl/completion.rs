//! Completion in a WIDL file, from the tokens before the cursor (so half-typed text works):
//! definition keywords where a definition may start, built-in and declared types (this
//! file's and imported ones) where a type is expected, directives after `@`, and directive
//! locations after a directive's `on` or `|`. Nothing inside comments and strings.

use super::ast::{self, DefinitionKind};
use super::lexer::{Kind, Token};
use super::print;
use super::scope::Workspace;
use crate::answer::{Completion, CompletionKind};

/// What encloses a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Open {
    /// A definition's `{ … }`.
    Body,
    /// An operation's or directive's parameters.
    Params,
    /// An annotation's arguments.
    Arguments,
    MapType,
    ListType,
    /// A list or object value.
    Value,
}

pub(crate) fn completion(ws: &Workspace, offset: usize) -> Vec<Completion> {
    let unit = &ws.units[0];
    let text = unit.text.as_str();
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    if unit.parsed.comments.iter().any(|c| c.start < offset && offset <= c.end) {
        return Vec::new();
    }
    if unit.parsed.tokens.iter().any(|t| inside_string(text, t, offset)) {
        return Vec::new();
    }
    let word_start = text[..offset]
        .char_indices()
        .rev()
        .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
        .map_or(0, |(i, c)| i + c.len_utf8());
    let before: Vec<&Token> = unit
        .parsed
        .tokens
        .iter()
        .take_while(|t| t.span.end <= word_start && t.kind != Kind::Eof)
        .collect();
    let walk = Walk::over(text, &before);
    let back = |n: usize| before.len().checked_sub(n).map(|i| before[i]);
    let (last, second) = (back(1), back(2));
    let is = |token: Option<&Token>, name: &str| {
        token.is_some_and(|t| t.kind == Kind::Name && &text[t.span.clone()] == name)
    };

    if last.is_some_and(|t| t.kind == Kind::At) {
        return if is(second, "directive") {
            Vec::new()
        } else {
            directives(ws)
        };
    }
    if walk.stack.is_empty()
        && walk.definition == Some("directive")
        && (is(last, "on") || last.is_some_and(|t| t.kind == Kind::Pipe))
    {
        return ast::DIRECTIVE_LOCATIONS
            .iter()
            .map(|l| item(l, CompletionKind::Value, None, None))
            .collect();
    }
    if walk.type_expected(text, &before) {
        return types(ws);
    }
    let starts_definition = match last {
        None => true,
        Some(last) => {
            matches!(last.kind, Kind::RBrace | Kind::String | Kind::BlockString)
                || text[last.span.end..word_start].contains('\n')
        }
    };
    if walk.stack.is_empty() && starts_definition {
        return ast::DEFINITION_KEYWORDS
            .iter()
            .map(|(keyword, what)| item(keyword, CompletionKind::Keyword, Some(what.to_string()), None))
            .collect();
    }
    Vec::new()
}

/// Whether `offset` is inside a string token (an unterminated one runs to its end).
fn inside_string(text: &str, token: &Token, offset: usize) -> bool {
    let raw = &text[token.span.clone()];
    let closed = match token.kind {
        Kind::String => raw.len() >= 2 && raw.ends_with('"'),
        Kind::BlockString => raw.len() >= 6 && raw.ends_with("\"\"\""),
        _ => return false,
    };
    token.span.start < offset && (offset < token.span.end || (offset == token.span.end && !closed))
}

/// The brackets open before the cursor and the definition it is in.
struct Walk<'t> {
    stack: Vec<Open>,
    /// The keyword of the last definition started at the top level.
    definition: Option<&'t str>,
}

impl<'t> Walk<'t> {
    fn over(text: &'t str, tokens: &[&Token]) -> Walk<'t> {
        let mut walk = Walk {
            stack: Vec::new(),
            definition: None,
        };
        for (i, token) in tokens.iter().enumerate() {
            let before = &tokens[..i];
            let prev = |n: usize| i.checked_sub(n).map(|j| tokens[j]);
            let open = match token.kind {
                Kind::LBrace if walk.stack.is_empty() => Some(Open::Body),
                Kind::LBrace if walk.type_expected(text, before) => Some(Open::MapType),
                Kind::LBrace if matches!(walk.stack.last(), Some(Open::Arguments | Open::Value)) => Some(Open::Value),
                // `name{` in a body: a unary operation's parameter; `= {` is a value.
                Kind::LBrace if prev(1).is_some_and(|t| t.kind == Kind::Name) => Some(Open::Params),
                Kind::LBrace => Some(Open::Value),
                Kind::LParen if prev(2).is_some_and(|t| t.kind == Kind::At) => Some(Open::Arguments),
                Kind::LParen => Some(Open::Params),
                Kind::LBracket if walk.type_expected(text, before) => Some(Open::ListType),
                Kind::LBracket => Some(Open::Value),
                Kind::RBrace | Kind::RParen | Kind::RBracket => {
                    walk.stack.pop();
                    None
                }
                Kind::Name if walk.stack.is_empty() => {
                    let word = &text[token.span.clone()];
                    let starts = token.line_start
                        || prev(1).is_none_or(|t| matches!(t.kind, Kind::String | Kind::BlockString | Kind::RBrace));
                    if starts && let Some((keyword, _)) = ast::DEFINITION_KEYWORDS.iter().find(|(k, _)| *k == word) {
                        walk.definition = Some(keyword);
                    }
                    None
                }
                _ => None,
            };
            walk.stack.extend(open);
        }
        walk
    }

    /// Whether a type is expected after `tokens` (given the brackets open after them).
    fn type_expected(&self, text: &str, tokens: &[&Token]) -> bool {
        let Some(last) = tokens.last() else {
            return false;
        };
        let top = self.stack.last().copied();
        let top_level = self.stack.is_empty();
        let in_definition = |keywords: &[&str]| top_level && self.definition.is_some_and(|d| keywords.contains(&d));
        match last.kind {
            Kind::Colon => matches!(top, Some(Open::Body | Open::Params | Open::MapType)),
            Kind::LBracket => top == Some(Open::ListType),
            Kind::LBrace => top == Some(Open::MapType),
            Kind::Pipe => in_definition(&["union"]),
            Kind::Equals => in_definition(&["union", "alias"]),
            Kind::Amp => in_definition(&["type"]),
            Kind::Name => text[last.span.clone()] == *"implements" && in_definition(&["type"]),
            _ => false,
        }
    }
}

fn item(label: &str, kind: CompletionKind, detail: Option<String>, documentation: Option<String>) -> Completion {
    Completion {
        label: label.to_string(),
        kind,
        detail,
        documentation,
        insert_text: None,
    }
}

/// Built-in types, then the file's and imported types by name (roles are no types).
fn types(ws: &Workspace) -> Vec<Completion> {
    let mut out: Vec<Completion> = ast::BUILTIN_TYPES
        .iter()
        .map(|(name, what)| item(name, CompletionKind::Type, Some(format!("built-in: {what}")), None))
        .collect();
    let scope = ws.scope(0);
    let mut declared: Vec<(&String, super::scope::Binding)> = scope
        .types
        .iter()
        .filter(|(_, b)| !matches!(ws.definition(**b).kind, DefinitionKind::Role { .. }))
        .map(|(n, b)| (n, *b))
        .collect();
    declared.sort();
    for (name, binding) in declared {
        let def = ws.definition(binding);
        let mut detail = def.keyword_text().to_string();
        if binding.unit != 0 {
            detail.push_str(&format!(" from {}", ws.file_name(binding.unit)));
        }
        let documentation = def.description.as_ref().map(|d| d.value.clone());
        out.push(item(name, CompletionKind::Type, Some(detail), documentation));
    }
    out
}

/// The directives the file can use, by name.
fn directives(ws: &Workspace) -> Vec<Completion> {
    let scope = ws.scope(0);
    let mut names: Vec<(&String, super::scope::Binding)> = scope.directives.iter().map(|(n, b)| (n, *b)).collect();
    names.sort();
    names
        .into_iter()
        .map(|(name, binding)| {
            let def = ws.definition(binding);
            let signature = print::head(&ws.units[binding.unit].text, def);
            let documentation = def.description.as_ref().map(|d| d.value.clone());
            item(name, CompletionKind::Function, Some(signature), documentation)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::super::scope::tests::workspace;
    use super::*;

    const CORE: &str = "namespace \"core\"\n\"Nothing\"\ntype Empty {}\nrole Admin {}\n\
                        \"Old\"\ndirective @deprecated(reason: string) on FIELD\n";

    /// Labels offered where `$` is in `marked` (which is the text with `$` removed).
    fn labels(marked: &str) -> Vec<String> {
        let offset = marked.find('$').unwrap();
        let text = marked.replacen('$', "", 1);
        let ws = workspace(&[("/w/main.widl", &text), ("/w/core.widl", CORE)]);
        completion(&ws, offset).into_iter().map(|c| c.label).collect()
    }

    fn types_with(declared: &[&str]) -> Vec<String> {
        let mut names: Vec<String> = ast::BUILTIN_TYPES.iter().map(|(n, _)| n.to_string()).collect();
        names.extend(declared.iter().map(|n| n.to_string()));
        names
    }

    const HEAD: &str = "namespace \"m\"\nimport * from \"./core.widl\"\n";

    #[test]
    fn types_where_types_go() {
        let tail = "\ntype Local { x: i32 }\nunion Other = Local | Empty\n";
        for (marked, own) in [
            ("type T {\n  a: $\n}", "T"),
            ("type T {\n  a: [$\n}", "T"),
            ("type T {\n  a: {string: $}\n}", "T"),
            ("type T {\n  a: {$\n}", "T"),
            ("type T {\n  a: [{string: [St$\n}", "T"),
            ("type T implements $", "T"),
            ("interface {\n  get(k: $): x\n}", ""),
            ("interface {\n  get{k: $}\n}", ""),
            ("interface {\n  get(): $\n}", ""),
            ("alias A = $", "A"),
            ("union U = Local | $", "U"),
        ] {
            let mut declared = vec!["Empty", "Local", "Other", own];
            declared.retain(|n| !n.is_empty());
            declared.sort();
            assert_eq!(
                labels(&format!("{HEAD}{marked}{tail}")),
                types_with(&declared),
                "in {marked:?}"
            );
        }
    }

    #[test]
    fn keywords_directives_and_locations() {
        let keywords: Vec<String> = ast::DEFINITION_KEYWORDS.iter().map(|(k, _)| k.to_string()).collect();
        assert_eq!(labels("$"), keywords);
        assert_eq!(labels(&format!("{HEAD}$")), keywords);
        assert_eq!(labels(&format!("{HEAD}ty$")), keywords);
        assert_eq!(labels(&format!("{HEAD}é$")), keywords);
        assert_eq!(
            labels(&format!("{HEAD}type T {{ a: é$ }}")),
            types_with(&["Empty", "T"])
        );
        assert_eq!(labels(&format!("{HEAD}type T {{}}\n\"Docs\"\n$")), keywords);
        assert_eq!(labels(&format!("{HEAD}alias A = string\n$")), keywords);
        assert_eq!(
            labels(&format!("{HEAD}type T {{\n  a: string @$\n}}")),
            vec!["deprecated"]
        );
        assert_eq!(
            labels(&format!("{HEAD}type T {{\n  a: string @dep$\n}}")),
            vec!["deprecated"]
        );
        let locations: Vec<String> = ast::DIRECTIVE_LOCATIONS.iter().map(|l| l.to_string()).collect();
        assert_eq!(labels(&format!("{HEAD}directive @d on $")), locations);
        assert_eq!(labels(&format!("{HEAD}directive @d on FIELD | T$")), locations);
    }

    #[test]
    fn nothing_elsewhere() {
        for marked in [
            "type T {\n  $\n}",
            "type T {\n  a: string = $\n}",
            "type T {\n  a: string @deprecated(reason: $)\n}",
            "type T {\n  a: string @x(o: {k: $})\n}",
            "# a comment $",
            "\"a description $\"",
            "\"unterminated $",
            "directive @$",
            "namespace wasmcloud:$",
            "enum E { A = $",
        ] {
            assert_eq!(
                labels(&format!("{HEAD}{marked}")),
                Vec::<String>::new(),
                "in {marked:?}"
            );
        }
    }

    #[test]
    fn details_and_documentation() {
        let text = format!("{HEAD}\"Mine\"\ntype Local {{ a:  }}\n");
        let offset = text.find("a: ").unwrap() + 3;
        let ws = workspace(&[("/w/main.widl", &text), ("/w/core.widl", CORE)]);
        let items = completion(&ws, offset);
        let string = items.iter().find(|c| c.label == "string").unwrap();
        assert_eq!(string.detail.as_deref(), Some("built-in: UTF-8 text"));
        assert_eq!(string.kind, CompletionKind::Type);
        let empty = items.iter().find(|c| c.label == "Empty").unwrap();
        assert_eq!(empty.detail.as_deref(), Some("type from core.widl"));
        assert_eq!(empty.documentation.as_deref(), Some("Nothing"));
        let local = items.iter().find(|c| c.label == "Local").unwrap();
        assert_eq!(local.detail.as_deref(), Some("type"));
        let ws = workspace(&[("/w/main.widl", "type T { a: i8 @ }"), ("/w/core.widl", CORE)]);
        assert_eq!(completion(&ws, 17), vec![]);
        let text = format!("{HEAD}type T {{ a: i8 @ }}");
        let ws = workspace(&[("/w/main.widl", &text), ("/w/core.widl", CORE)]);
        let directive = completion(&ws, text.len() - 2).pop().unwrap();
        assert_eq!(
            directive,
            Completion {
                label: "deprecated".into(),
                kind: CompletionKind::Function,
                detail: Some("directive @deprecated(reason: string) on FIELD".into()),
                documentation: Some("Old".into()),
                insert_text: None,
            }
        );
    }
}
