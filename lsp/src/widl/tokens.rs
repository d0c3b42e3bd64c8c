//! Semantic highlighting of a WIDL file: keywords, comments, strings (descriptions
//! included), numbers, and every name by what it names. Tokens are in text order, never
//! overlap and never span lines.

use std::ops::Range;

use super::ast::{DefinitionKind, ValueKind};
use super::cursor::{self, Item};
use super::lexer::Kind;
use super::parser::parse;
use crate::answer::{Token, TokenKind};

pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let parsed = parse(text);
    let mut found: Vec<(Range<usize>, TokenKind)> = Vec::new();
    found.extend(parsed.comments.iter().map(|c| (c.clone(), TokenKind::Comment)));
    for token in &parsed.tokens {
        match token.kind {
            Kind::String | Kind::BlockString => found.push((token.span.clone(), TokenKind::String)),
            Kind::Int | Kind::Float => found.push((token.span.clone(), TokenKind::Number)),
            _ => {}
        }
    }
    found.extend(parsed.doc.keywords.iter().map(|k| (k.clone(), TokenKind::Keyword)));
    // `@name`, the `@` included when it is right before the name.
    let decorated = |range: Range<usize>| {
        if text[..range.start].ends_with('@') {
            range.start - 1..range.end
        } else {
            range
        }
    };
    cursor::each(&parsed.doc, &mut |range, item| {
        let kind = match item {
            Item::Definition(def) => match def.kind {
                // A quoted namespace is a string.
                DefinitionKind::Namespace { .. } if text[range.clone()].starts_with('"') => return,
                DefinitionKind::Namespace { .. } => TokenKind::Namespace,
                DefinitionKind::Interface { name: None, .. } => return,
                DefinitionKind::Interface { .. } | DefinitionKind::Role { .. } => TokenKind::Interface,
                DefinitionKind::Enum { .. } => TokenKind::Enum,
                DefinitionKind::Directive { .. } => {
                    found.push((decorated(range), TokenKind::Decorator));
                    return;
                }
                _ => TokenKind::Type,
            },
            Item::TypeUse(_) | Item::ImportName(..) => TokenKind::Type,
            Item::Operation(_) => TokenKind::Function,
            Item::Field(_) | Item::ArgumentName => TokenKind::Property,
            Item::Parameter(_) => TokenKind::Parameter,
            Item::EnumValue(_) | Item::Location => TokenKind::EnumMember,
            Item::Annotation(_) | Item::DirectiveUse(_) => {
                found.push((decorated(range), TokenKind::Decorator));
                return;
            }
            Item::Value(value) => match value.kind {
                ValueKind::Bool | ValueKind::Null => TokenKind::Keyword,
                _ => TokenKind::EnumMember,
            },
            Item::ImportFrom(..) => return,
        };
        found.push((range, kind));
    });
    found.sort_by_key(|(range, _)| (range.start, range.end));
    let mut out: Vec<Token> = Vec::new();
    let mut end = 0;
    for (range, kind) in found {
        if range.start < end || range.is_empty() {
            continue;
        }
        end = range.end;
        // One token per line of a multi-line string or block string.
        let mut start = range.start;
        for line in text[range.clone()].split('\n') {
            let line_end = start + line.trim_end_matches('\r').len();
            if line_end > start {
                out.push(Token {
                    range: start..line_end,
                    kind,
                });
            }
            start += line.len() + 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_in_text_order() {
        let text = "# kv\nnamespace \"kv\"\n\"\"\"\nDocs\n\"\"\"\ntype T @n(1) {\n  a: [Other] = true\n}\n\
                    interface { get{k: E}: T }\nenum E { A = 0 }\ndirective @d(r: string) on FIELD\n";
        let shown: Vec<(&str, TokenKind)> = tokens(text).into_iter().map(|t| (&text[t.range], t.kind)).collect();
        use TokenKind::*;
        assert_eq!(
            shown,
            vec![
                ("# kv", Comment),
                ("namespace", Keyword),
                ("\"kv\"", String),
                ("\"\"\"", String),
                ("Docs", String),
                ("\"\"\"", String),
                ("type", Keyword),
                ("T", Type),
                ("@n", Decorator),
                ("1", Number),
                ("a", Property),
                ("Other", Type),
                ("true", Keyword),
                ("interface", Keyword),
                ("get", Function),
                ("k", Parameter),
                ("E", Type),
                ("T", Type),
                ("enum", Keyword),
                ("E", Enum),
                ("A", EnumMember),
                ("0", Number),
                ("directive", Keyword),
                ("@d", Decorator),
                ("r", Parameter),
                ("string", Type),
                ("on", Keyword),
                ("FIELD", EnumMember),
            ]
        );
    }

    #[test]
    fn broken_text_is_still_highlighted() {
        let text = "type T {\n  a: 'x\n}";
        let kinds: Vec<TokenKind> = tokens(text).into_iter().map(|t| t.kind).collect();
        assert_eq!(
            kinds,
            vec![
                TokenKind::Keyword,
                TokenKind::Type,
                TokenKind::Property,
                TokenKind::Type
            ]
        );
    }
}
