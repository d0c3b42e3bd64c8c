//! Semantic highlighting of a WIT file: keywords, built-in and declared types, interfaces,
//! worlds and package names, functions, fields, parameters and cases, gates, comments,
//! strings and versions; one token per line at most.

use super::index::{Index, Role, TypeKind};
use super::lexer::Kind;
use super::navigation::files;
use crate::answer::{Token, TokenKind};

pub(crate) fn semantic_tokens(path: &str, text: &str, package: &[(String, String)]) -> Vec<Token> {
    let index = Index::new(&files(path, text, package));
    let file = &index.files[0];
    let text = file.text;
    let mut out: Vec<Token> = Vec::new();
    for (i, token) in file.tokens.iter().enumerate() {
        let kind = match file.roles[i] {
            Role::Plain => continue,
            Role::Comment => TokenKind::Comment,
            Role::Keyword => TokenKind::Keyword,
            Role::BuiltinType => TokenKind::Type,
            Role::String => TokenKind::String,
            Role::Number | Role::Version => TokenKind::Number,
            Role::Package | Role::World => TokenKind::Namespace,
            Role::Decorator => TokenKind::Decorator,
            Role::GateKey | Role::Field => TokenKind::Property,
            Role::Case => TokenKind::EnumMember,
            Role::Param => TokenKind::Parameter,
            Role::Function => TokenKind::Function,
            Role::Interface => TokenKind::Interface,
            Role::Type => match index.occurrences.get(&(0, i)).and_then(|sym| index.kind_of(sym)) {
                Some(TypeKind::Enum | TypeKind::Flags) => TokenKind::Enum,
                _ => TokenKind::Type,
            },
        };
        // A version's tokens (`1`, `.`, `0`…) make one token; so do `@` and a gate's name.
        if let Some(last) = out.last_mut()
            && last.kind == kind
            && last.range.end == token.range.start
            && matches!(kind, TokenKind::Number | TokenKind::Decorator)
            && token.kind != Kind::BlockComment
        {
            last.range.end = token.range.end;
            continue;
        }
        // Block comments may span lines: one token per line.
        let mut start = token.range.start;
        for line in text[token.range.clone()].split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            if !content.is_empty() {
                out.push(Token {
                    range: start..start + content.len(),
                    kind,
                });
            }
            start += line.len();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_in_order_with_kinds() {
        let text = "package a:b@0.1.0;\n/* two\n lines */\ninterface i {\n  use t.{e};\n  @since(version = 0.1.0)\n  f: func(x: e, y: list<r>) -> string;\n  record r { n: u8 }\n}\n";
        let types = ("t.wit".to_string(), "interface t { enum e { a } }".to_string());
        let tokens = semantic_tokens("a.wit", text, &[types]);
        let shown: Vec<(&str, TokenKind)> = tokens.iter().map(|t| (&text[t.range.clone()], t.kind)).collect();
        use TokenKind::*;
        assert_eq!(
            shown,
            [
                ("package", Keyword),
                ("a", Namespace),
                ("b", Namespace),
                ("0.1.0", Number),
                ("/* two", Comment),
                (" lines */", Comment),
                ("interface", Keyword),
                ("i", Interface),
                ("use", Keyword),
                ("t", Interface),
                ("e", Enum),
                ("@since", Decorator),
                ("version", Property),
                ("0.1.0", Number),
                ("f", Function),
                ("func", Keyword),
                ("x", Parameter),
                ("e", Enum),
                ("y", Parameter),
                ("list", Type),
                ("r", Type),
                ("string", Type),
                ("record", Keyword),
                ("r", Type),
                ("n", Property),
                ("u8", Type),
            ]
        );
    }
}
