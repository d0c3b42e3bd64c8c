//! Completion in WIT: keywords that may start an item where one starts, built-in types and
//! the package's type names where a type goes, interface names after `use`, `import` and
//! `export`, world names after `include`, and an interface's types inside `use i.{…}`.

use super::index::{Index, Scope, TypeKind};
use super::lexer::{BUILTIN_TYPES, Kind, lex};
use super::navigation::files;
use crate::answer::{Completion, CompletionKind};

/// What the cursor is in, innermost last.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Frame {
    Package,
    Interface(Scope),
    World(String),
    Resource,
    /// A record's fields.
    Record,
    /// A variant's, enum's or flags' cases.
    Cases,
    /// `use i.{…}`: `Some(i)` for an interface of this package.
    UseList(Option<String>),
    /// `include w with {…}`, or a brace we cannot place.
    Other,
    Paren {
        /// A variant case's payload, `case(…)`.
        payload: bool,
    },
    Angle,
}

/// What may be typed at the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Context {
    Keywords(&'static [&'static str]),
    Type(Option<Scope>),
    Interfaces,
    /// After `label:` in a world: a function, an inline interface, or an interface's name.
    Extern,
    Worlds,
    UseList(String),
}

const TOP_LEVEL: &[&str] = &["package", "interface", "world", "use"];
const INTERFACE_ITEMS: &[&str] = &["use", "type", "record", "variant", "enum", "flags", "resource"];
const WORLD_ITEMS: &[&str] = &[
    "import", "export", "use", "include", "type", "record", "variant", "enum", "flags", "resource",
];
const RESOURCE_ITEMS: &[&str] = &["constructor"];
const FUNCTION: &[&str] = &["func", "async"];
const METHOD: &[&str] = &["func", "static", "async"];

/// Completions at byte `offset` of `text`; `None` inside comments, strings, and where
/// nothing can be offered.
pub(crate) fn completion(
    path: &str,
    text: &str,
    package: &[(String, String)],
    offset: usize,
) -> Option<Vec<Completion>> {
    let offset = offset.min(text.len());
    let tokens = lex(text);
    // The name being typed is replaced; what comes before it decides.
    let mut start = offset;
    for token in &tokens {
        if token.range.start < offset && offset <= token.range.end {
            match token.kind {
                Kind::Word | Kind::ExplicitId | Kind::Integer => start = token.range.start,
                // The end of a line comment (or of an unclosed block comment or string) is
                // still inside it; a closed one is left when the cursor is past its end.
                Kind::LineComment => return None,
                Kind::BlockComment | Kind::String if offset < token.range.end => return None,
                Kind::Error if text[token.range.clone()].starts_with(['/', '"']) => return None,
                _ => {}
            }
        }
    }
    let before: Vec<(&str, Kind)> = tokens
        .iter()
        .filter(|t| t.range.end <= start && !t.is_comment())
        .map(|t| (&text[t.range.clone()], t.kind))
        .collect();
    let context = context(&before)?;
    let index = Index::new(&files(path, text, package));
    let keyword = |word: &&str| Completion {
        label: word.to_string(),
        kind: CompletionKind::Keyword,
        detail: None,
        documentation: None,
        insert_text: None,
    };
    let module = |name: String, detail: &str| Completion {
        label: name,
        kind: CompletionKind::Module,
        detail: Some(detail.to_string()),
        documentation: None,
        insert_text: None,
    };
    let types = |scope: &Scope| {
        index.visible_types(scope).into_iter().map(|(name, kind)| Completion {
            label: name,
            kind: CompletionKind::Type,
            detail: Some(kind.unwrap_or(TypeKind::Alias).keyword().to_string()),
            documentation: None,
            insert_text: None,
        })
    };
    let items: Vec<Completion> = match context {
        Context::Keywords(words) => words.iter().map(keyword).collect(),
        Context::Type(scope) => {
            let mut items: Vec<Completion> = scope.iter().flat_map(types).collect();
            items.extend(BUILTIN_TYPES.iter().map(|name| Completion {
                label: name.to_string(),
                kind: CompletionKind::Type,
                detail: Some("built-in type".into()),
                documentation: None,
                insert_text: None,
            }));
            items
        }
        Context::Interfaces => index.names(false).into_iter().map(|n| module(n, "interface")).collect(),
        Context::Extern => {
            let mut items: Vec<Completion> = ["func", "async", "interface"].iter().map(keyword).collect();
            items.extend(index.names(false).into_iter().map(|n| module(n, "interface")));
            items
        }
        Context::Worlds => index.names(true).into_iter().map(|n| module(n, "world")).collect(),
        Context::UseList(interface) => types(&Scope::Interface(interface)).collect(),
    };
    Some(items)
}

/// The frames open after `before` (the significant tokens before the cursor), and the
/// tokens of the statement the cursor is in.
fn frames<'t>(before: &[(&'t str, Kind)]) -> (Vec<Frame>, Vec<&'t str>) {
    let mut frames: Vec<Frame> = Vec::new();
    // Tokens since the current statement began, per open frame (plus the top level).
    let mut statements: Vec<Vec<&str>> = vec![Vec::new()];
    for (i, &(token, _)) in before.iter().enumerate() {
        let statement = statements.last_mut().expect("the top level is never popped");
        match token {
            "{" => {
                let previous = i.checked_sub(1).map(|p| before[p].0).unwrap_or("");
                let frame = if previous == "." {
                    let from = statement.iter().rev().nth(1).copied();
                    let local = statement.len() == 3 && statement[0] == "use";
                    Frame::UseList(from.filter(|_| local).map(|f| f.trim_start_matches('%').to_string()))
                } else if previous == "with" {
                    Frame::Other
                } else {
                    let name = || previous.trim_start_matches('%').to_string();
                    match statement.iter().copied().find(|t| !t.starts_with('@')).unwrap_or("") {
                        "package" => Frame::Package,
                        "interface" => Frame::Interface(Scope::Interface(name())),
                        "world" => Frame::World(name()),
                        "record" => Frame::Record,
                        "variant" | "enum" | "flags" => Frame::Cases,
                        "resource" => Frame::Resource,
                        "import" | "export" if previous == "interface" => {
                            let world = frames.iter().rev().find_map(|f| match f {
                                Frame::World(w) => Some(w.clone()),
                                _ => None,
                            });
                            let label = statement.get(1).map(|l| l.trim_start_matches('%').to_string());
                            match (world, label) {
                                (Some(world), Some(name)) => Frame::Interface(Scope::Inline { world, name }),
                                _ => Frame::Other,
                            }
                        }
                        _ => Frame::Other,
                    }
                };
                frames.push(frame);
                statements.push(Vec::new());
            }
            "(" | "<" => {
                let previous = i.checked_sub(1).map(|p| before[p].0).unwrap_or("");
                let frame = if token == "<" {
                    Frame::Angle
                } else {
                    Frame::Paren {
                        payload: frames.last() == Some(&Frame::Cases) && previous != "@",
                    }
                };
                statement.push(token);
                frames.push(frame);
                statements.push(Vec::new());
            }
            "}" | ")" | ">" => {
                // Close up to the matching frame (brackets left open inside are dropped).
                let matches = |f: &Frame| match token {
                    "}" => !matches!(f, Frame::Paren { .. } | Frame::Angle),
                    ")" => matches!(f, Frame::Paren { .. }),
                    _ => matches!(f, Frame::Angle),
                };
                if let Some(at) = frames.iter().rposition(matches) {
                    let closed_block = token == "}" && !matches!(frames[at], Frame::UseList(_) | Frame::Other);
                    frames.truncate(at);
                    statements.truncate(at + 1);
                    let statement = statements.last_mut().expect("the top level is never popped");
                    if closed_block {
                        statement.clear();
                    } else {
                        statement.push(token);
                    }
                }
            }
            ";" => statement.clear(),
            "," if matches!(frames.last(), Some(Frame::Record | Frame::Cases)) => statement.clear(),
            _ => statement.push(token),
        }
        // A gate (`@since(…)`) is not part of the item it precedes.
        let statement = statements.last_mut().expect("the top level is never popped");
        if statement.first() == Some(&"@") && statement.len() >= 3 && statement.last() == Some(&")") {
            statement.clear();
        }
    }
    let statement = statements.pop().unwrap_or_default();
    (frames, statement)
}

fn context(before: &[(&str, Kind)]) -> Option<Context> {
    let (frames, statement) = frames(before);
    let scope = frames.iter().rev().find_map(|f| match f {
        Frame::Interface(scope) => Some(scope.clone()),
        Frame::World(world) => Some(Scope::World(world.clone())),
        _ => None,
    });
    let last = statement.last().copied();
    let type_position = || Some(Context::Type(scope.clone()));
    match frames.last() {
        Some(Frame::Angle) => match last {
            None | Some(",") => type_position(),
            _ => None,
        },
        Some(Frame::Paren { payload: true }) => match last {
            None => type_position(),
            _ => None,
        },
        Some(Frame::Paren { payload: false }) => match last {
            Some(":") => type_position(),
            _ => None,
        },
        Some(Frame::Record) => match last {
            Some(":") => type_position(),
            _ => None,
        },
        Some(Frame::UseList(Some(interface))) => match last {
            None | Some(",") => Some(Context::UseList(interface.clone())),
            _ => None,
        },
        Some(Frame::Cases | Frame::UseList(None) | Frame::Other) => None,
        frame => item_context(frame, &statement, type_position),
    }
}

/// The context in a block whose items end with `;` (or the top level).
fn item_context(
    frame: Option<&Frame>,
    statement: &[&str],
    type_position: impl Fn() -> Option<Context>,
) -> Option<Context> {
    let in_world = matches!(frame, Some(Frame::World(_)));
    match statement {
        [] => Some(Context::Keywords(match frame {
            None | Some(Frame::Package) => TOP_LEVEL,
            Some(Frame::World(_)) => WORLD_ITEMS,
            Some(Frame::Resource) => RESOURCE_ITEMS,
            _ => INTERFACE_ITEMS,
        })),
        ["use"] => Some(Context::Interfaces),
        ["import" | "export"] if in_world => Some(Context::Interfaces),
        ["import" | "export", _, ":"] if in_world => Some(Context::Extern),
        ["include"] if in_world => Some(Context::Worlds),
        [_, ":"] if matches!(frame, Some(Frame::Interface(_))) => Some(Context::Keywords(FUNCTION)),
        [_, ":"] if matches!(frame, Some(Frame::Resource)) => Some(Context::Keywords(METHOD)),
        [_, ":", "static"] => Some(Context::Keywords(FUNCTION)),
        ["type", _, "="] => type_position(),
        [.., "->"] => type_position(),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TYPES: &str = "package demo:multi;\ninterface types {\n  record order { id: u64 }\n  enum color { red }\n}\n";

    /// Labels offered where `|` is in `text` (one `|`), with `types.wit` as a sibling.
    fn labels(text: &str) -> Option<Vec<String>> {
        let offset = text.find('|').unwrap();
        let text = text.replacen('|', "", 1);
        let package = [("types.wit".to_string(), TYPES.to_string())];
        completion("api.wit", &text, &package, offset).map(|items| items.into_iter().map(|c| c.label).collect())
    }

    fn builtins() -> Vec<String> {
        BUILTIN_TYPES.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn keywords_by_where_an_item_starts() {
        assert_eq!(labels("|").unwrap(), TOP_LEVEL);
        assert_eq!(labels("package a:b;\nint|").unwrap(), TOP_LEVEL);
        assert_eq!(labels("interface i {\n  |\n}").unwrap(), INTERFACE_ITEMS);
        assert_eq!(
            labels("interface i {\n  record r { a: u8 }\n  re|\n}").unwrap(),
            INTERFACE_ITEMS
        );
        assert_eq!(labels("world w {\n  import x;\n  |").unwrap(), WORLD_ITEMS);
        assert_eq!(
            labels("interface i {\n  resource r {\n    |\n  }\n}").unwrap(),
            RESOURCE_ITEMS
        );
        assert_eq!(labels("interface i {\n  f: |").unwrap(), FUNCTION);
        assert_eq!(labels("interface i {\n  resource r {\n    m: |").unwrap(), METHOD);
        assert_eq!(
            labels("interface i {\n  @since(version = 1.0.0)\n  |").unwrap(),
            INTERFACE_ITEMS
        );
    }

    #[test]
    fn types_where_a_type_goes() {
        let local = "interface api {\n  use types.{order, color};\n";
        for (place, defined) in [
            ("  f: func(a: |", None),
            ("  f: func(a: u8, b: ord|", None),
            ("  f: func() -> |", None),
            ("  f: func() -> result<|", None),
            ("  f: func() -> result<u8, |", None),
            ("  type t = |", Some("t")),
            ("  record r {\n    a: |", Some("r")),
            ("  record r {\n    a: u8,\n    b: |", Some("r")),
            ("  variant v {\n    a(|", Some("v")),
        ] {
            // The package's types (sorted, the item being written included), then built-ins.
            let mut expected: Vec<String> = ["color", "order"]
                .into_iter()
                .chain(defined)
                .map(String::from)
                .collect();
            expected.extend(builtins());
            assert_eq!(labels(&format!("{local}{place}")).unwrap(), expected, "{place}");
        }
        // Other interfaces' types are not in scope without `use`.
        assert_eq!(labels("interface other {\n  f: func(a: |").unwrap(), builtins());
        // Names, not types, before the colon; cases are names too.
        for place in [
            "  f: func(|",
            "  f: func(a: u8, |",
            "  record r {\n    |",
            "  enum e {\n    |",
        ] {
            assert_eq!(labels(&format!("{local}{place}")), None, "{place}");
        }
    }

    #[test]
    fn interfaces_worlds_and_use_lists() {
        assert_eq!(labels("interface api {\n  use |").unwrap(), ["api", "types"]);
        assert_eq!(labels("world w {\n  export t|").unwrap(), ["types"]);
        assert_eq!(
            labels("world w {\n  import x: |").unwrap(),
            ["func", "async", "interface", "types"]
        );
        assert_eq!(labels("world w {}\nworld v {\n  include |").unwrap(), ["v", "w"]);
        assert_eq!(labels("interface api {\n  use types.{|").unwrap(), ["color", "order"]);
        assert_eq!(
            labels("interface api {\n  use types.{order, c|}").unwrap(),
            ["color", "order"]
        );
        assert_eq!(labels("interface api {\n  use wasi:io/streams.{|"), None);
        let item = &completion("api.wit", "use ", &[("types.wit".into(), TYPES.into())], 4).unwrap()[0];
        assert_eq!(
            item,
            &Completion {
                label: "types".into(),
                kind: CompletionKind::Module,
                detail: Some("interface".into()),
                documentation: None,
                insert_text: None,
            }
        );
    }

    #[test]
    fn nothing_in_comments_and_strings() {
        assert_eq!(labels("interface i {\n  // f: func(a: |\n"), None);
        assert_eq!(labels("interface i {\n  /* | */\n"), None);
        assert_eq!(
            labels("interface i {\n  /* x */|"),
            Some(INTERFACE_ITEMS.iter().map(|s| s.to_string()).collect())
        );
    }

    #[test]
    fn an_inline_interface_sees_its_own_types() {
        let text = "world w {\n  import x: interface {\n    record r { a: u8 }\n    f: func(a: |";
        let mut expected = vec!["r".to_string()];
        expected.extend(builtins());
        assert_eq!(labels(text).unwrap(), expected);
    }
}
