//! WIDL's tokens, with byte spans. As in waPC's own lexer (`@wapc/widl`), commas are
//! whitespace, `#` starts a comment that runs to the end of the line, strings are JSON-like
//! (`"…"` with backslash escapes) and block strings are `"""…"""`. Lexing never fails: a
//! problem becomes an error beside the tokens, and lexing goes on after it.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Name,
    Int,
    Float,
    String,
    BlockString,
    LBrace,
    RBrace,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Colon,
    Equals,
    Question,
    At,
    Pipe,
    Amp,
    Star,
    Eof,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub span: Range<usize>,
    /// Whether a line break separates this token from the previous one (or it is the first).
    pub line_start: bool,
}

/// A file's tokens (the last one is [`Kind::Eof`]), its comments and what could not be lexed.
#[derive(Debug, Default)]
pub(crate) struct Lexed {
    pub tokens: Vec<Token>,
    /// Each `#` comment, from the `#` to the end of its line.
    pub comments: Vec<Range<usize>>,
    pub errors: Vec<(Range<usize>, String)>,
}

pub(crate) fn lex(text: &str) -> Lexed {
    let bytes = text.as_bytes();
    let mut out = Lexed::default();
    let mut i = 0;
    let mut line_start = true;
    while i < bytes.len() {
        let b = bytes[i];
        let start = i;
        let single = |kind| Some((kind, start + 1));
        let token = match b {
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b',' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = line_end(text, i);
                out.comments.push(start..i);
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                i = line_end(text, i);
                out.errors
                    .push((start..start + 2, "WIDL comments start with `#`, not `//`".into()));
                continue;
            }
            b'{' => single(Kind::LBrace),
            b'}' => single(Kind::RBrace),
            b'(' => single(Kind::LParen),
            b')' => single(Kind::RParen),
            b'[' => single(Kind::LBracket),
            b']' => single(Kind::RBracket),
            b':' => single(Kind::Colon),
            b'=' => single(Kind::Equals),
            b'?' => single(Kind::Question),
            b'@' => single(Kind::At),
            b'|' => single(Kind::Pipe),
            b'&' => single(Kind::Amp),
            b'*' => single(Kind::Star),
            b'"' if text[i..].starts_with("\"\"\"") => {
                Some((Kind::BlockString, block_string(text, i, &mut out.errors)))
            }
            b'"' => Some((Kind::String, string(text, i, &mut out.errors))),
            b'-' | b'0'..=b'9' => number(bytes, i),
            b'_' | b'a'..=b'z' | b'A'..=b'Z' => {
                let end = bytes[i..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .map_or(bytes.len(), |n| i + n);
                Some((Kind::Name, end))
            }
            _ => None,
        };
        match token {
            Some((kind, end)) => {
                out.tokens.push(Token {
                    kind,
                    span: start..end,
                    line_start,
                });
                line_start = false;
                i = end;
            }
            None => {
                let c = text[i..].chars().next().unwrap_or('\u{fffd}');
                let end = i + c.len_utf8();
                let message = if c == '\'' {
                    "unexpected `'`: WIDL strings use double quotes".to_string()
                } else {
                    format!("unexpected character `{}`", c.escape_debug())
                };
                out.errors.push((i..end, message));
                i = end;
            }
        }
    }
    out.tokens.push(Token {
        kind: Kind::Eof,
        span: text.len()..text.len(),
        line_start,
    });
    out
}

/// The end of the line `i` is on (the offset of its `\n`, or of the end of the text).
fn line_end(text: &str, i: usize) -> usize {
    text[i..].find('\n').map_or(text.len(), |n| i + n)
}

/// A number: `-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?`. A `-` not followed by a digit is no token.
fn number(bytes: &[u8], start: usize) -> Option<(Kind, usize)> {
    let digits = |mut i: usize| {
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
        i
    };
    let mut i = start;
    if bytes[i] == b'-' {
        i += 1;
    }
    let after_int = digits(i);
    if after_int == i {
        return None;
    }
    i = after_int;
    let mut kind = Kind::Int;
    if bytes.get(i) == Some(&b'.') && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
        kind = Kind::Float;
        i = digits(i + 1);
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(bytes.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let end = digits(j);
        if end > j {
            kind = Kind::Float;
            i = end;
        }
    }
    Some((kind, i))
}

/// A `"…"` string starting at `start`; returns its end. An unterminated string ends at the end
/// of its line (strings do not span lines).
fn string(text: &str, start: usize, errors: &mut Vec<(Range<usize>, String)>) -> usize {
    let bytes = text.as_bytes();
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => return i + 1,
            b'\n' => break,
            b'\\' => {
                let escape_end = match bytes.get(i + 1) {
                    Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i + 2,
                    Some(b'u')
                        if text
                            .get(i + 2..i + 6)
                            .is_some_and(|h| h.chars().all(|c| c.is_ascii_hexdigit())) =>
                    {
                        i + 6
                    }
                    _ => {
                        let end = text[i + 1..]
                            .chars()
                            .next()
                            .filter(|c| *c != '\n')
                            .map_or(i + 1, |c| i + 1 + c.len_utf8());
                        errors.push((i..end, format!("invalid escape `{}` in a string", &text[i..end])));
                        end
                    }
                };
                i = escape_end;
            }
            _ => i += 1,
        }
    }
    let end = i.min(bytes.len());
    errors.push((start..end, "unterminated string".into()));
    end
}

/// A `"""…"""` block string starting at `start` (`\"""` escapes its delimiter); returns its end.
fn block_string(text: &str, start: usize, errors: &mut Vec<(Range<usize>, String)>) -> usize {
    let bytes = text.as_bytes();
    let mut i = start + 3;
    while i < bytes.len() {
        if bytes[i..].starts_with(b"\\\"\"\"") {
            i += 4;
        } else if bytes[i..].starts_with(b"\"\"\"") {
            return i + 3;
        } else {
            i += 1;
        }
    }
    errors.push((
        start..start + 3,
        "unterminated block string: `\"\"\"` opened here is never closed".into(),
    ));
    text.len()
}

/// The value of a string or block string token's text (quotes removed, escapes decoded, a
/// block string's common indentation and blank first and last lines removed).
pub(crate) fn string_value(raw: &str) -> String {
    if let Some(body) = raw.strip_prefix("\"\"\"") {
        let body = body
            .strip_suffix("\"\"\"")
            .unwrap_or(body)
            .replace("\\\"\"\"", "\"\"\"");
        return dedent_block(&body);
    }
    let body = raw.strip_prefix('"').unwrap_or(raw);
    let body = body.strip_suffix('"').unwrap_or(body);
    let mut value = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            value.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => value.push('\n'),
            Some('t') => value.push('\t'),
            Some('r') => value.push('\r'),
            Some('b') => value.push('\u{8}'),
            Some('f') => value.push('\u{c}'),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(c) => value.push(c),
                    None => value.push('\u{fffd}'),
                }
            }
            Some(other) => value.push(other),
            None => {}
        }
    }
    value
}

/// GraphQL's block string dedent: the common indentation of all lines but the first goes,
/// and so do leading and trailing blank lines.
fn dedent_block(body: &str) -> String {
    let lines: Vec<&str> = body.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let indent = lines
        .iter()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches([' ', '\t']).len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = lines
        .iter()
        .enumerate()
        .map(|(n, l)| if n == 0 { l } else { l.get(indent..).unwrap_or("") })
        .collect();
    while out.first().is_some_and(|l| l.trim().is_empty()) {
        out.remove(0);
    }
    while out.last().is_some_and(|l| l.trim().is_empty()) {
        out.pop();
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(Kind, &str)> {
        lex(text)
            .tokens
            .iter()
            .map(|t| (t.kind, &text[t.span.clone()]))
            .collect()
    }

    #[test]
    fn tokens_with_exact_spans() {
        let text = "type T {\n  a: [i32]?, b: {string: f64} = -1.5e3 @n(1)\n}";
        let lexed = lex(text);
        assert!(lexed.errors.is_empty(), "{:?}", lexed.errors);
        assert_eq!(
            kinds(text),
            vec![
                (Kind::Name, "type"),
                (Kind::Name, "T"),
                (Kind::LBrace, "{"),
                (Kind::Name, "a"),
                (Kind::Colon, ":"),
                (Kind::LBracket, "["),
                (Kind::Name, "i32"),
                (Kind::RBracket, "]"),
                (Kind::Question, "?"),
                (Kind::Name, "b"),
                (Kind::Colon, ":"),
                (Kind::LBrace, "{"),
                (Kind::Name, "string"),
                (Kind::Colon, ":"),
                (Kind::Name, "f64"),
                (Kind::RBrace, "}"),
                (Kind::Equals, "="),
                (Kind::Float, "-1.5e3"),
                (Kind::At, "@"),
                (Kind::Name, "n"),
                (Kind::LParen, "("),
                (Kind::Int, "1"),
                (Kind::RParen, ")"),
                (Kind::RBrace, "}"),
                (Kind::Eof, ""),
            ]
        );
        let starts: Vec<bool> = lexed.tokens.iter().map(|t| t.line_start).collect();
        assert!(starts[0] && starts[3] && starts[23]);
        assert!(!starts[1] && !starts[9]);
        assert_eq!(lexed.tokens[24].span, text.len()..text.len());
    }

    #[test]
    fn comments_strings_and_block_strings() {
        let text = "# head\n\"a \\\"q\\\" \\u00e9\" \"\"\"\n  x\n    y\n  \"\"\" z # tail";
        let lexed = lex(text);
        assert!(lexed.errors.is_empty(), "{:?}", lexed.errors);
        assert_eq!(lexed.comments, vec![0..6, text.len() - 6..text.len()]);
        let strings: Vec<&str> = lexed.tokens[..2].iter().map(|t| &text[t.span.clone()]).collect();
        assert_eq!(strings, vec!["\"a \\\"q\\\" \\u00e9\"", "\"\"\"\n  x\n    y\n  \"\"\""]);
        assert_eq!(lexed.tokens[1].kind, Kind::BlockString);
        assert_eq!(string_value(strings[0]), "a \"q\" é");
        assert_eq!(string_value(strings[1]), "x\n  y");
        assert_eq!(kinds(text)[2], (Kind::Name, "z"));
    }

    #[test]
    fn errors_do_not_stop_lexing() {
        let text = "type T { a: 'x' }\n\"open\nb // no\n\"bad \\q\" ~";
        let lexed = lex(text);
        assert_eq!(
            lexed.errors,
            vec![
                (12..13, "unexpected `'`: WIDL strings use double quotes".to_string()),
                (14..15, "unexpected `'`: WIDL strings use double quotes".to_string()),
                (18..23, "unterminated string".to_string()),
                (26..28, "WIDL comments start with `#`, not `//`".to_string()),
                (37..39, "invalid escape `\\q` in a string".to_string()),
                (41..42, "unexpected character `~`".to_string()),
            ]
        );
        let names: Vec<&str> = kinds(text)
            .iter()
            .filter(|(k, _)| *k == Kind::Name)
            .map(|(_, s)| *s)
            .collect();
        assert_eq!(names, vec!["type", "T", "a", "x", "b"]);
    }

    #[test]
    fn unterminated_block_string_and_unicode() {
        let text = "é \"\"\" nevér";
        let lexed = lex(text);
        assert_eq!(lexed.errors[0], (0..2, "unexpected character `é`".to_string()));
        assert_eq!(
            lexed.errors[1],
            (
                3..6,
                "unterminated block string: `\"\"\"` opened here is never closed".to_string()
            )
        );
        assert_eq!(lexed.tokens[0].span, 3..text.len());
    }
}
