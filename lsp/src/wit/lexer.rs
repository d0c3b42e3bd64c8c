//! A forgiving WIT lexer: the tokens wit-parser's lexer produces (same keywords, `%`-escaped
//! names, nested block comments, `->`), plus comments, with byte ranges. It never fails:
//! what wit-parser would reject comes out as [`Kind::Error`] tokens, so that half-typed text
//! can still be highlighted and completed.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A name or a keyword (see [`is_keyword`]).
    Word,
    /// `%name`: a name spelt like a keyword.
    ExplicitId,
    Integer,
    String,
    LineComment,
    BlockComment,
    /// `=` `,` `:` `.` `;` `(` `)` `{` `}` `<` `>` `*` `@` `/` `+` `-`, or `->`.
    Punct,
    /// A character WIT has no use for, an unterminated string or block comment.
    Error,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub range: Range<usize>,
}

impl Token {
    pub fn is_comment(&self) -> bool {
        matches!(self.kind, Kind::LineComment | Kind::BlockComment)
    }
}

/// Keywords that name built-in types (or type constructors).
pub(crate) const BUILTIN_TYPES: &[&str] = &[
    "bool",
    "s8",
    "s16",
    "s32",
    "s64",
    "u8",
    "u16",
    "u32",
    "u64",
    "f32",
    "f64",
    "char",
    "string",
    "list",
    "map",
    "option",
    "result",
    "tuple",
    "own",
    "borrow",
    "future",
    "stream",
    "error-context",
];

/// Every other keyword of wit-parser's lexer.
pub(crate) const KEYWORDS: &[&str] = &[
    "use",
    "type",
    "func",
    "record",
    "resource",
    "flags",
    "variant",
    "enum",
    "as",
    "from",
    "static",
    "interface",
    "import",
    "export",
    "world",
    "package",
    "constructor",
    "include",
    "with",
    "async",
    "_",
];

pub(crate) fn is_builtin_type(word: &str) -> bool {
    BUILTIN_TYPES.contains(&word)
}

/// Whether `word` is reserved: it names something only when written `%word`.
pub(crate) fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word) || is_builtin_type(word)
}

fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_'
}

fn is_word_continue(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '-'
}

/// The tokens of `text`, comments included, whitespace left out.
pub(crate) fn lex(text: &str) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let end_after = |chars: &mut std::iter::Peekable<std::str::CharIndices>, keep: fn(char) -> bool| {
            while chars.next_if(|&(_, c)| keep(c)).is_some() {}
            chars.peek().map(|&(i, _)| i).unwrap_or(text.len())
        };
        let (kind, end) = match c {
            ' ' | '\t' | '\n' | '\r' | '\u{feff}' => continue,
            '/' if bytes.get(start + 1) == Some(&b'/') => {
                let end = text[start..].find('\n').map(|i| start + i).unwrap_or(text.len());
                // A `\r` before the newline is line-ending, not comment.
                let end = if text[..end].ends_with('\r') { end - 1 } else { end };
                while chars.peek().is_some_and(|&(i, _)| i < end) {
                    chars.next();
                }
                (Kind::LineComment, end)
            }
            '/' if bytes.get(start + 1) == Some(&b'*') => {
                chars.next();
                let mut depth = 1;
                let mut end = text.len();
                while let Some((i, c)) = chars.next() {
                    if c == '/' && chars.peek().is_some_and(|&(_, c)| c == '*') {
                        chars.next();
                        depth += 1;
                    } else if c == '*' && chars.peek().is_some_and(|&(_, c)| c == '/') {
                        chars.next();
                        depth -= 1;
                        if depth == 0 {
                            end = i + 2;
                            break;
                        }
                    }
                }
                (if depth == 0 { Kind::BlockComment } else { Kind::Error }, end)
            }
            '-' if bytes.get(start + 1) == Some(&b'>') => {
                chars.next();
                (Kind::Punct, start + 2)
            }
            '=' | ',' | ':' | '.' | ';' | '(' | ')' | '{' | '}' | '<' | '>' | '*' | '@' | '/' | '+' | '-' => {
                (Kind::Punct, start + 1)
            }
            '%' => {
                if chars.peek().is_some_and(|&(_, c)| is_word_start(c)) {
                    (Kind::ExplicitId, end_after(&mut chars, is_word_continue))
                } else {
                    (Kind::Error, start + 1)
                }
            }
            '"' => {
                // An unterminated string ends at the end of its line.
                let mut token = (Kind::Error, text.len());
                while let Some(&(i, c)) = chars.peek() {
                    if c == '\n' {
                        token.1 = i;
                        break;
                    }
                    chars.next();
                    if c == '\\' {
                        chars.next_if(|&(_, c)| c != '\n');
                    } else if c == '"' {
                        token = (Kind::String, i + 1);
                        break;
                    }
                }
                token
            }
            c if c.is_ascii_digit() => (Kind::Integer, end_after(&mut chars, |c| c.is_ascii_digit())),
            c if is_word_start(c) => (Kind::Word, end_after(&mut chars, is_word_continue)),
            c => (Kind::Error, start + c.len_utf8()),
        };
        tokens.push(Token {
            kind,
            range: start..end,
        });
    }
    tokens
}

/// Whether `name` is a valid WIT identifier as written in source: kebab-case words (each all
/// lowercase or all uppercase, the first starting with a letter), `%`-prefixed when it is a
/// keyword.
pub(crate) fn is_identifier(name: &str) -> bool {
    let (escaped, id) = match name.strip_prefix('%') {
        Some(id) => (true, id),
        None => (false, name),
    };
    if id.is_empty() || (!escaped && is_keyword(id)) {
        return false;
    }
    id.split('-').enumerate().all(|(i, part)| {
        let Some(first) = part.chars().next() else {
            return false;
        };
        let lower = part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let upper = part.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        (i > 0 || first.is_ascii_alphabetic()) && (lower || upper)
    })
}

/// Why `name` cannot be written as a WIT name, if it cannot.
pub(crate) fn identifier_problem(name: &str) -> Option<String> {
    if is_identifier(name) {
        None
    } else if is_keyword(name) {
        Some(format!(
            "`{name}` is a WIT keyword: write `%{name}` to use it as a name"
        ))
    } else {
        Some(format!(
            "`{name}` is not a valid WIT identifier: kebab-case words of ASCII letters and digits, each all \
             lowercase or all uppercase, the first starting with a letter"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        lex(text).into_iter().map(|t| (t.kind, &text[t.range])).collect()
    }

    #[test]
    fn tokens_comments_and_escapes() {
        let text = "package a:b@1.0.0-rc.1;\n/// doc\r\ninterface %type { f: func(x: list<u8>) -> string; } /* a /* nested */ c */\"s\\\"t\"";
        assert_eq!(
            kinds(text),
            [
                (Kind::Word, "package"),
                (Kind::Word, "a"),
                (Kind::Punct, ":"),
                (Kind::Word, "b"),
                (Kind::Punct, "@"),
                (Kind::Integer, "1"),
                (Kind::Punct, "."),
                (Kind::Integer, "0"),
                (Kind::Punct, "."),
                (Kind::Integer, "0"),
                (Kind::Punct, "-"),
                (Kind::Word, "rc"),
                (Kind::Punct, "."),
                (Kind::Integer, "1"),
                (Kind::Punct, ";"),
                (Kind::LineComment, "/// doc"),
                (Kind::Word, "interface"),
                (Kind::ExplicitId, "%type"),
                (Kind::Punct, "{"),
                (Kind::Word, "f"),
                (Kind::Punct, ":"),
                (Kind::Word, "func"),
                (Kind::Punct, "("),
                (Kind::Word, "x"),
                (Kind::Punct, ":"),
                (Kind::Word, "list"),
                (Kind::Punct, "<"),
                (Kind::Word, "u8"),
                (Kind::Punct, ">"),
                (Kind::Punct, ")"),
                (Kind::Punct, "->"),
                (Kind::Word, "string"),
                (Kind::Punct, ";"),
                (Kind::Punct, "}"),
                (Kind::BlockComment, "/* a /* nested */ c */"),
                (Kind::String, "\"s\\\"t\""),
            ]
        );
    }

    #[test]
    fn what_wit_rejects_is_an_error_token_not_a_failure() {
        assert_eq!(
            kinds("a $ /* open"),
            [(Kind::Word, "a"), (Kind::Error, "$"), (Kind::Error, "/* open")]
        );
        assert_eq!(kinds("\"open\nb"), [(Kind::Error, "\"open"), (Kind::Word, "b")]);
        assert_eq!(kinds("%"), [(Kind::Error, "%")]);
    }

    #[test]
    fn identifiers() {
        for good in ["a", "person-info", "HTTP-request", "a1-2b", "%type", "%a"] {
            assert!(is_identifier(good), "{good}");
        }
        for bad in ["", "type", "1a", "a--b", "a-", "-a", "Ab", "a_b", "a b", "%", "ä"] {
            assert!(!is_identifier(bad), "{bad}");
        }
    }
}
