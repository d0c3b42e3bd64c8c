//! The canonical layout of a WIT file: one item per line, a record's fields and a variant's,
//! enum's or flags' cases one per line, two spaces per level, single spaces between words,
//! none inside paths, versions and brackets, at most one blank line kept between items, and
//! every comment kept where it was (on its own line, or trailing its line). Only whitespace
//! changes: the token sequence, comments included, is the input's.

use wit_parser::SourceMap;

use super::lexer::{Kind, Token, lex};

/// `text` laid out canonically, or `None` when it does not parse (formatting a file with a
/// syntax error could move text the author did not mean as it reads).
pub(crate) fn format(text: &str) -> Option<String> {
    if !parses(text) {
        return None;
    }
    let tokens = lex(text);
    if tokens.iter().any(|t| t.kind == Kind::Error) {
        return None;
    }
    Some(Formatter::new(text, &tokens).run())
}

/// Whether `text` is syntactically valid WIT, whatever the names it uses: wit-parser parses
/// every file of a source map before resolving names, in path order, so a file after ours
/// that cannot parse is reached (and reported) only once ours has parsed.
pub(crate) fn parses(text: &str) -> bool {
    let mut map = SourceMap::new();
    map.push_str("a.wit", text);
    map.push_str("b.wit", "}");
    match map.parse() {
        Ok(_) => true,
        Err((map, error)) => map
            .resolve_span(error.kind().span())
            .is_some_and(|at| at.path == "b.wit"),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Frame {
    /// `{ … }` of items ending with `;` (interfaces, worlds, resources, packages).
    Items,
    /// `{ … }` of comma-separated members (records, variants, enums, flags).
    Members,
    /// `use i.{a, b}`, or `include w with {a as b}` (`with` is true).
    Inline {
        with: bool,
    },
    Paren {
        gate: bool,
    },
    Angle,
}

impl Frame {
    fn is_block(self) -> bool {
        matches!(self, Frame::Items | Frame::Members)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sep {
    None,
    Space,
    Newline,
}

struct Formatter<'a> {
    text: &'a str,
    tokens: &'a [Token],
    /// Indices of the significant (non-comment) tokens.
    sig: Vec<usize>,
    /// Which significant tokens are part of a version (`@1.2.3-rc.1`).
    version: Vec<bool>,
    frames: Vec<Frame>,
    out: String,
    /// Source offset of the end of the last token or comment written.
    written_to: usize,
    /// The last thing written opened a block: no blank line may follow.
    after_open: bool,
    /// A comment was written that the next token may not share a line with.
    break_pending: bool,
}

impl<'a> Formatter<'a> {
    fn new(text: &'a str, tokens: &'a [Token]) -> Self {
        let sig: Vec<usize> = (0..tokens.len()).filter(|&i| !tokens[i].is_comment()).collect();
        let mut formatter = Formatter {
            text,
            tokens,
            version: vec![false; sig.len()],
            sig,
            frames: Vec::new(),
            out: String::new(),
            written_to: 0,
            after_open: false,
            break_pending: false,
        };
        formatter.mark_versions();
        formatter
    }

    fn s(&self, k: usize) -> &'a str {
        self.sig
            .get(k)
            .map(|&i| &self.text[self.tokens[i].range.clone()])
            .unwrap_or("")
    }

    fn kind(&self, k: usize) -> Option<Kind> {
        self.sig.get(k).map(|&i| self.tokens[i].kind)
    }

    fn is_word(&self, k: usize) -> bool {
        matches!(self.kind(k), Some(Kind::Word | Kind::ExplicitId))
    }

    /// Versions follow `@` (after a package name) or `=` (in a gate): `1.2.3`, then
    /// pre-release and build parts.
    fn mark_versions(&mut self) {
        for k in 1..self.sig.len() {
            if self.kind(k) != Some(Kind::Integer) || !matches!(self.s(k - 1), "@" | "=") || self.version[k] {
                continue;
            }
            if self.s(k - 1) == "@" {
                self.version[k - 1] = true;
            }
            self.version[k] = true;
            let mut m = k + 1;
            while m < self.sig.len() {
                let take = match self.kind(m) {
                    Some(Kind::Integer) => true,
                    Some(Kind::Word) => matches!(self.s(m - 1), "-" | "+" | "."),
                    Some(Kind::Punct) => match self.s(m) {
                        "-" | "+" => true,
                        "." => matches!(self.kind(m + 1), Some(Kind::Integer | Kind::Word)) || self.s(m + 1) == "-",
                        _ => false,
                    },
                    _ => false,
                };
                if !take {
                    break;
                }
                self.version[m] = true;
                m += 1;
            }
        }
    }

    /// Levels of indentation inside the open frames: blocks indent, and a line broken inside
    /// brackets (by a comment) is indented one more.
    fn level(&self) -> usize {
        let blocks = self.frames.iter().filter(|f| f.is_block()).count();
        match self.frames.last() {
            Some(f) if !f.is_block() => blocks + 1,
            _ => blocks,
        }
    }

    fn newline(&mut self, blank: bool) {
        if self.out.is_empty() {
            return;
        }
        let trimmed = self.out.trim_end_matches([' ', '\t']).len();
        self.out.truncate(trimmed);
        if !self.out.ends_with('\n') {
            self.out.push('\n');
        }
        if blank && !self.out.ends_with("\n\n") {
            self.out.push('\n');
        }
        for _ in 0..self.level() {
            self.out.push_str("  ");
        }
    }

    fn blank_before(&self, start: usize) -> bool {
        !self.after_open && self.text[self.written_to..start].matches('\n').count() >= 2
    }

    /// Writes the comment `token`, on its own line if it was on one.
    fn comment(&mut self, token: &Token, next_start: usize) {
        let own_line = self.text[self.written_to..token.range.start].contains('\n');
        if own_line {
            let blank = self.blank_before(token.range.start);
            self.newline(blank);
        } else if !self.out.is_empty() {
            self.out.push(' ');
        }
        self.out.push_str(self.text[token.range.clone()].trim_end());
        self.written_to = token.range.end;
        self.after_open = false;
        self.break_pending = token.kind == Kind::LineComment || self.text[token.range.end..next_start].contains('\n');
    }

    /// Whether the `:` at `k` is inside a package path (`wasi:http`), not before a type.
    fn path_colon(&self, k: usize) -> bool {
        (k >= 2 && self.s(k - 2) == "package") || self.s(k + 2) == "/"
    }

    /// The separator the grammar wants between significant tokens `p` and `k`.
    fn separator(&self, p: usize, k: usize, after: Option<Sep>) -> Sep {
        if let Some(sep) = after {
            return sep;
        }
        let (a, b) = (self.s(p), self.s(k));
        if self.version[p] && self.version[k] {
            return Sep::None;
        }
        match b {
            "," | ";" | ")" | ">" | "." | ":" | "<" | "/" => return Sep::None,
            "@" if self.version[k] => return Sep::None,
            "(" if self.is_word(p) => return Sep::None,
            _ => {}
        }
        match a {
            "(" | "<" | "." | "/" | "@" => Sep::None,
            ":" if self.path_colon(p) => Sep::None,
            _ => Sep::Space,
        }
    }

    fn run(mut self) -> String {
        // What the previous token asks of the next one: a line break, or no space.
        let mut after: Option<Sep> = None;
        let tokens = self.tokens;
        for k in 0..self.sig.len() {
            let index = self.sig[k];
            let token = &tokens[index];
            let previous_index = if k == 0 { 0 } else { self.sig[k - 1] + 1 };
            let comments = previous_index..index;
            let has_comments = !comments.is_empty();
            for c in comments {
                self.comment(&tokens[c], tokens[c + 1].range.start);
            }
            let text = self.s(k);
            // A closing brace closes its frame before it is placed.
            let mut closed = None;
            if matches!(text, "}" | ")" | ">") {
                let wanted = |f: &Frame| match text {
                    "}" => matches!(f, Frame::Items | Frame::Members | Frame::Inline { .. }),
                    ")" => matches!(f, Frame::Paren { .. }),
                    _ => matches!(f, Frame::Angle),
                };
                if let Some(at) = self.frames.iter().rposition(wanted) {
                    closed = Some(self.frames[at]);
                    self.frames.truncate(at);
                }
            }
            let empty_block = text == "}" && k > 0 && self.s(k - 1) == "{" && !has_comments;
            let mut sep = if k == 0 || empty_block {
                Sep::None
            } else if closed.is_some_and(Frame::is_block) {
                Sep::Newline
            } else if matches!(closed, Some(Frame::Inline { .. })) {
                Sep::None
            } else {
                self.separator(k - 1, k, after)
            };
            if self.break_pending {
                sep = Sep::Newline;
            }
            match sep {
                _ if self.out.is_empty() => {}
                Sep::Newline => {
                    let blank = self.blank_before(token.range.start) && !closed.is_some_and(Frame::is_block);
                    self.newline(blank);
                }
                Sep::Space => self.out.push(' '),
                Sep::None => {}
            }
            self.out.push_str(text);
            self.written_to = token.range.end;
            self.break_pending = false;
            self.after_open = false;
            after = None;
            match text {
                "{" => {
                    let frame = if k > 0 && matches!(self.s(k - 1), "." | "with") {
                        Frame::Inline {
                            with: self.s(k - 1) == "with",
                        }
                    } else if k >= 2 && matches!(self.s(k - 2), "record" | "variant" | "enum" | "flags") {
                        Frame::Members
                    } else {
                        Frame::Items
                    };
                    if frame.is_block() {
                        after = Some(Sep::Newline);
                        self.after_open = true;
                    } else {
                        after = Some(Sep::None);
                    }
                    self.frames.push(frame);
                }
                "(" => {
                    let gate = k >= 2 && self.s(k - 2) == "@" && self.is_word(k - 1);
                    self.frames.push(Frame::Paren { gate });
                }
                "<" => self.frames.push(Frame::Angle),
                "}" => {
                    after = match closed {
                        Some(Frame::Inline { with: false }) => None,
                        _ => Some(Sep::Newline),
                    };
                }
                ")" if closed == Some(Frame::Paren { gate: true }) => after = Some(Sep::Newline),
                ";" if !matches!(self.frames.last(), Some(f) if !f.is_block()) => after = Some(Sep::Newline),
                "," if self.frames.last() == Some(&Frame::Members) => after = Some(Sep::Newline),
                _ => {}
            }
        }
        let last = self.sig.last().map(|&i| i + 1).unwrap_or(0);
        for c in last..tokens.len() {
            let next_start = tokens.get(c + 1).map(|t| t.range.start).unwrap_or(self.text.len());
            self.comment(&tokens[c], next_start);
        }
        let trimmed = self.out.trim_end().len();
        self.out.truncate(trimmed);
        if !self.out.is_empty() {
            self.out.push('\n');
        }
        self.out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Kinds and texts of the tokens, comments' trailing blanks aside.
    fn token_texts(text: &str) -> Vec<(Kind, String)> {
        lex(text)
            .into_iter()
            .map(|t| (t.kind, text[t.range].trim_end().to_string()))
            .collect()
    }

    fn assert_canonical(input: &str, expected: &str) {
        let formatted = format(input).unwrap();
        assert_eq!(formatted, expected, "formatted:\n{formatted}");
        assert_eq!(format(&formatted).unwrap(), formatted, "formatting is not stable");
        assert_eq!(token_texts(&formatted), token_texts(input), "tokens changed");
    }

    #[test]
    fn lays_out_items_members_and_comments() {
        let input = "package demo:app@0.1.0 ;\n\n\n\n/// Greets.\ninterface greet{use types . {order,color as colour};\n\n\n  // A person.\n    record person{name:string,age:u8,// years\n}\nenum color{red,green}\n  hello:func(who:person,n:list<option<u8>>)->result<_,string>;   \n  resource r { constructor(x: u32); get: static func() -> r; }\n  type t = tuple<u8,u8>; /* trailing */\n}\nworld w{@since(version=0.1.0)\nimport wasi:io/streams@0.2.0-rc.1;export greet;import x:interface{f:func();}\ninclude other with {a as b}}";
        let expected = "package demo:app@0.1.0;

/// Greets.
interface greet {
  use types.{order, color as colour};

  // A person.
  record person {
    name: string,
    age: u8, // years
  }
  enum color {
    red,
    green
  }
  hello: func(who: person, n: list<option<u8>>) -> result<_, string>;
  resource r {
    constructor(x: u32);
    get: static func() -> r;
  }
  type t = tuple<u8, u8>; /* trailing */
}
world w {
  @since(version = 0.1.0)
  import wasi:io/streams@0.2.0-rc.1;
  export greet;
  import x: interface {
    f: func();
  }
  include other with {a as b}
}
";
        assert_canonical(input, expected);
    }

    #[test]
    fn comments_inside_brackets_and_blocks_keep_their_lines() {
        let input = "interface i {\n  f: func(\n    // the name\n    name: string, /* c */ n: u8);\n  record r {} // empty\n  /* a\n     block */\n  g: func();\n\n  // last\n}\n// end\n";
        let expected = "interface i {\n  f: func(\n    // the name\n    name: string, /* c */ n: u8);\n  record r {} // empty\n  /* a\n     block */\n  g: func();\n\n  // last\n}\n// end\n";
        assert_canonical(input, expected);
    }

    #[test]
    fn canonical_files_are_left_alone() {
        for path in ["greeter/greeter.wit", "multi/api.wit", "multi/types.wit"] {
            let file = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../tests/fixtures/wit")
                .join(path);
            let text = std::fs::read_to_string(&file).unwrap();
            assert_eq!(format(&text).unwrap(), text, "{path}");
        }
    }

    #[test]
    fn nested_packages_and_gates() {
        let input = "package a:b;\npackage c:d@1.0.0 { interface x { @unstable(feature = f) @deprecated(version = 1.0.0) y: func(); } }\n";
        let expected = "package a:b;\npackage c:d@1.0.0 {\n  interface x {\n    @unstable(feature = f)\n    @deprecated(version = 1.0.0)\n    y: func();\n  }\n}\n";
        assert_canonical(input, expected);
    }

    #[test]
    fn what_does_not_parse_is_not_formatted() {
        assert_eq!(format("interface i {"), None);
        assert_eq!(format("interface i { f: func(; }"), None);
        assert_eq!(format("interface i { record r { a: u8 } } /* open"), None);
        // Names that resolve nowhere are not syntax errors.
        assert_eq!(
            format("interface i { f: func(a: nope); }").unwrap(),
            "interface i {\n  f: func(a: nope);\n}\n"
        );
        assert_eq!(format("").unwrap(), "");
        assert!(parses("package a:b;"));
        assert!(!parses("package a:b"));
    }
}
