//! Hover: the WIT item named under the cursor, where it is defined or where it is used,
//! followed through `use i.{x as y}` renamings to the item itself: its header as written in
//! the source and its doc comment. Built on the forgiving index rather than wit-parser, so it
//! keeps answering while the package has errors, and it tells same-named types of different
//! interfaces apart by scope.

use std::ops::Range;

use super::index::{File, Index, TypeKind};
use super::lexer::Kind;
use super::navigation::files;

/// Markdown for the item named at `offset`, and the range of the name it describes.
pub(crate) fn hover(
    path: &str,
    text: &str,
    package: &[(String, String)],
    offset: usize,
) -> Option<(Range<usize>, String)> {
    let index = Index::new(&files(path, text, package));
    let here = index.files.first()?;
    if let Some((token, sym)) = index.symbol_at(0, offset) {
        let original = index.original(&sym);
        let definition = index
            .definitions
            .get(&original)
            .or_else(|| index.definitions.get(&sym))?;
        let file = &index.files[definition.site.file];
        let name = definition.site.token;
        let header = match definition.kind {
            Some(TypeKind::Alias) => type_alias(file, name),
            Some(TypeKind::Renamed) => use_statement(file, name),
            _ => join(file, introduction(file, name), name),
        };
        let docs = doc_comment(file, item_start(file, name));
        return Some((here.tokens[token].range.clone(), render(&header, &docs)));
    }
    let name = function_at(&index, offset)?;
    let signature = join(here, name, statement_end(here, name, true));
    let docs = doc_comment(here, item_start(here, name));
    Some((here.tokens[name].range.clone(), render(&signature, &docs)))
}

fn render(header: &str, docs: &str) -> String {
    let mut markdown = format!("```wit\n{header}\n```");
    if !docs.is_empty() {
        markdown.push_str("\n\n");
        markdown.push_str(docs);
    }
    markdown
}

/// The token of the file asked about where a function is defined, if `offset` touches one.
fn function_at(index: &Index, offset: usize) -> Option<usize> {
    let tokens = &index.files.first()?.tokens;
    (0..tokens.len()).find(|&i| {
        index.functions.contains(&(0, i)) && tokens[i].range.start <= offset && offset <= tokens[i].range.end
    })
}

fn slice<'t>(file: &File<'t>, token: usize) -> &'t str {
    &file.text[file.tokens[token].range.clone()]
}

/// The significant (non-comment) token before `token`.
fn previous(file: &File, token: usize) -> Option<usize> {
    (0..token).rev().find(|&i| !file.tokens[i].is_comment())
}

/// The significant token after `token`.
fn next(file: &File, token: usize) -> Option<usize> {
    (token + 1..file.tokens.len()).find(|&i| !file.tokens[i].is_comment())
}

/// Tokens `from..=to` as written, comments left out and any whitespace between two tokens
/// collapsed to one space.
fn join(file: &File, from: usize, to: usize) -> String {
    let mut out = String::new();
    let mut end_of_last: Option<usize> = None;
    for token in (from..=to).filter(|&i| !file.tokens[i].is_comment()) {
        let range = &file.tokens[token].range;
        if end_of_last.is_some_and(|end| end < range.start) {
            out.push(' ');
        }
        out.push_str(&file.text[range.clone()]);
        end_of_last = Some(range.end);
    }
    out
}

/// Keywords that start an item (or a world's `import`/`export`), so a half-typed statement
/// ends before them.
fn starts_item(word: &str) -> bool {
    matches!(
        word,
        "use"
            | "type"
            | "record"
            | "variant"
            | "enum"
            | "flags"
            | "resource"
            | "interface"
            | "world"
            | "package"
            | "import"
            | "export"
            | "include"
            | "constructor"
    )
}

/// The last token of the statement starting at `from`: its `;` (when `semicolon`) or what
/// precedes it. Where the `;` is missing, the statement ends before the next item: a brace,
/// a gate, an item keyword or a `name:` outside parentheses.
fn statement_end(file: &File, from: usize, semicolon: bool) -> usize {
    let mut last = from;
    let mut parens = 0usize;
    let mut current = next(file, from);
    while let Some(token) = current {
        let word = slice(file, token);
        let named = matches!(file.tokens[token].kind, Kind::Word | Kind::ExplicitId);
        let label = named && parens == 0 && next(file, token).is_some_and(|n| slice(file, n) == ":");
        match word {
            ";" => return if semicolon { token } else { last },
            "{" | "}" | "@" => return last,
            "(" => parens += 1,
            ")" => parens = parens.saturating_sub(1),
            _ if named && (starts_item(word) || label) => return last,
            _ => {}
        }
        last = token;
        current = next(file, token);
    }
    last
}

/// `type name = …` whole, without its `;`.
fn type_alias(file: &File, name: usize) -> String {
    let start = introduction(file, name);
    join(file, start, statement_end(file, start, false))
}

/// The `use i.{…}` statement a renaming is in, through its `}`.
fn use_statement(file: &File, alias: usize) -> String {
    let Some(start) = enclosing_use(file, alias) else {
        return slice(file, alias).to_string();
    };
    let mut end = start;
    let mut current = next(file, start);
    while let Some(token) = current {
        let word = slice(file, token);
        if word == ";" || (starts_item(word) && file.tokens[token].kind == Kind::Word) {
            break;
        }
        end = token;
        if word == "}" {
            break;
        }
        current = next(file, token);
    }
    join(file, start, end)
}

/// The `use` keyword of the statement `token` is in, if it is in one.
fn enclosing_use(file: &File, token: usize) -> Option<usize> {
    let mut current = previous(file, token);
    while let Some(at) = current {
        match slice(file, at) {
            "use" => return Some(at),
            ";" => return None,
            _ => current = previous(file, at),
        }
    }
    None
}

/// The keyword before a definition's name (`record`, `interface`, a world's `import`…), or
/// the `use` of `use path as name`; the name itself when nothing introduces it.
fn introduction(file: &File, name: usize) -> usize {
    match previous(file, name) {
        Some(before) if slice(file, before) == "as" => enclosing_use(file, name).unwrap_or(name),
        Some(before)
            if file.tokens[before].kind == Kind::Word
                && (starts_item(slice(file, before)) && slice(file, before) != "constructor") =>
        {
            before
        }
        _ => name,
    }
}

/// The first token of the item whose name is `name`: its keyword, and any `@since(…)`-style
/// gates before it. Doc comments are right above that.
fn item_start(file: &File, name: usize) -> usize {
    let mut start = introduction(file, name);
    loop {
        let Some(before) = previous(file, start) else {
            return start;
        };
        let word_before_gate = match slice(file, before) {
            ")" => matching_open(file, before).and_then(|open| previous(file, open)),
            _ if file.tokens[before].kind == Kind::Word => Some(before),
            _ => None,
        };
        let at = word_before_gate
            .filter(|&word| file.tokens[word].kind == Kind::Word)
            .and_then(|word| previous(file, word))
            .filter(|&at| slice(file, at) == "@");
        match at {
            Some(at) => start = at,
            None => return start,
        }
    }
}

/// The `(` that the `)` at `close` closes.
fn matching_open(file: &File, close: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut current = Some(close);
    while let Some(at) = current {
        match slice(file, at) {
            ")" => depth += 1,
            "(" => {
                depth -= 1;
                if depth == 0 {
                    return Some(at);
                }
            }
            ";" | "{" | "}" => return None,
            _ => {}
        }
        current = previous(file, at);
    }
    None
}

/// The doc comments (`///` lines, `/** */` blocks) between the previous significant token and
/// `start`, markers stripped, as markdown.
fn doc_comment(file: &File, start: usize) -> String {
    let first = (0..start)
        .rev()
        .take_while(|&i| file.tokens[i].is_comment())
        .last()
        .unwrap_or(start);
    let mut lines: Vec<&str> = Vec::new();
    for token in first..start {
        let comment = slice(file, token);
        if let Some(line) = comment.strip_prefix("///") {
            lines.push(strip_one_space(line).trim_end());
        } else if let Some(block) = comment.strip_prefix("/**").and_then(|c| c.strip_suffix("*/")) {
            for line in block.lines() {
                let line = line.trim_start();
                let line = match line.strip_prefix('*') {
                    Some(rest) if rest.is_empty() || rest.starts_with(' ') => rest,
                    _ => line,
                };
                lines.push(strip_one_space(line).trim_end());
            }
        }
    }
    let first_text = lines.iter().position(|l| !l.is_empty()).unwrap_or(lines.len());
    let last_text = lines.iter().rposition(|l| !l.is_empty()).map_or(0, |i| i + 1);
    lines.get(first_text..last_text).unwrap_or_default().join("\n")
}

fn strip_one_space(line: &str) -> &str {
    line.strip_prefix(' ').unwrap_or(line)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "package demo:app;\n/// The API.\ninterface api {\n  /// Someone.\n  record person-info {\n    name: string,\n  }\n  /// Says hello.\n  greet: func(p: person-info);\n}\n";

    fn at(text: &str, needle: &str, nth: usize) -> usize {
        text.match_indices(needle).nth(nth).unwrap().0
    }

    fn shown(text: &str, offset: usize) -> Option<String> {
        hover("a.wit", text, &[], offset).map(|(_, markdown)| markdown)
    }

    #[test]
    fn hover_at_a_definition_and_at_a_use() {
        let at_definition = TEXT.find("person-info {").unwrap() + 3;
        let (range, markdown) = hover("a.wit", TEXT, &[], at_definition).unwrap();
        assert_eq!(&TEXT[range], "person-info");
        assert_eq!(markdown, "```wit\nrecord person-info\n```\n\nSomeone.");
        let at_use = TEXT.rfind("person-info").unwrap();
        let (range, at_use_markdown) = hover("a.wit", TEXT, &[], at_use).unwrap();
        assert_eq!(range, at_use..at_use + "person-info".len());
        assert_eq!(at_use_markdown, markdown);
        let (range, markdown) = hover("a.wit", TEXT, &[], at(TEXT, "greet", 0) + 2).unwrap();
        assert_eq!(&TEXT[range], "greet");
        assert_eq!(markdown, "```wit\ngreet: func(p: person-info);\n```\n\nSays hello.");
        assert_eq!(
            shown(TEXT, at(TEXT, "api", 0)).unwrap(),
            "```wit\ninterface api\n```\n\nThe API."
        );
        assert_eq!(shown(TEXT, at(TEXT, "string", 0)), None);
    }

    #[test]
    fn works_with_a_syntax_error_elsewhere_in_the_file() {
        let text = "package demo:app;\ninterface api {\n  /// A colour.\n  enum color { red, green }\n  broken: func(x: ) -> \n  paint: func(c: color) -> colr;\n  record half {\n}\n";
        let expected = "```wit\nenum color\n```\n\nA colour.";
        assert_eq!(shown(text, at(text, "color", 1) + 1).unwrap(), expected);
        assert_eq!(shown(text, at(text, "color", 0)).unwrap(), expected);
        // The function before the error still shows what it has written so far.
        assert_eq!(
            shown(text, at(text, "broken", 0)).unwrap(),
            "```wit\nbroken: func(x: ) ->\n```"
        );
        // An error in another file of the package does not matter either.
        let other = vec![("b.wit".to_string(), "interface other { record {".to_string())];
        let (_, markdown) = hover("a.wit", text, &other, at(text, "color", 1)).unwrap();
        assert_eq!(markdown, expected);
        // The misspelt name resolves to nothing.
        assert_eq!(shown(text, at(text, "colr", 0)), None);
    }

    #[test]
    fn same_named_types_in_two_interfaces_each_show_their_own() {
        let text = "package demo:app;\ninterface a {\n  /// A's id.\n  type id = u64;\n  get: func() -> id;\n}\ninterface b {\n  /** B's id,\n   * a string. */\n  type id = string;\n  get: func() -> id;\n}\n";
        assert_eq!(
            shown(text, at(text, "-> id", 0) + 3).unwrap(),
            "```wit\ntype id = u64\n```\n\nA's id."
        );
        assert_eq!(
            shown(text, at(text, "-> id", 1) + 3).unwrap(),
            "```wit\ntype id = string\n```\n\nB's id,\na string."
        );
    }

    #[test]
    fn a_renamed_use_shows_the_original() {
        let types = "package demo:app;\ninterface types {\n  /// What is bought.\n  @since(version = 1.0.0)\n  record order { id: u64 }\n}\n";
        let api =
            "package demo:app;\ninterface api {\n  use types.{order as purchase};\n  buy: func(p: purchase);\n}\n";
        let package = vec![("types.wit".to_string(), types.to_string())];
        let expected = "```wit\nrecord order\n```\n\nWhat is bought.";
        for offset in [at(api, "purchase", 0), at(api, "purchase", 1) + 4, at(api, "order", 0)] {
            let (range, markdown) = hover("api.wit", api, &package, offset).unwrap();
            assert_eq!(markdown, expected, "at {offset}");
            assert!(range.start <= offset && offset <= range.end);
        }
        // A renaming of a foreign type shows the `use` itself.
        let foreign = "interface api {\n  use wasi:io/streams.{input-stream as in};\n  f: func(i: in);\n}\n";
        assert_eq!(
            shown(foreign, at(foreign, "in)", 0)).unwrap(),
            "```wit\nuse wasi:io/streams.{input-stream as in}\n```"
        );
        // So does a file-level `use … as` naming a foreign interface.
        let aliased = "/// Streams.\nuse wasi:io/streams@0.2.0 as io;\ninterface api {\n  use io.{input-stream};\n}\n";
        assert_eq!(
            shown(aliased, at(aliased, "io.", 0)).unwrap(),
            "```wit\nuse wasi:io/streams@0.2.0 as io\n```\n\nStreams."
        );
    }

    #[test]
    fn multi_line_and_resource_functions() {
        let text = "interface i {\n  /// Adds.\n  /// Twice.\n  add: async func(\n    a: u32,\n    b: u32,\n  ) -> u32;\n  resource blob {\n    /// Makes one.\n    constructor(init: list<u8>);\n    /// Reads.\n    read: func(n: u32) -> list<u8>;\n    merge: static func(a: blob, b: blob) -> blob;\n  }\n}\nworld w {\n  /// Logs.\n  import log: func(msg: string);\n}\n";
        assert_eq!(
            shown(text, at(text, "add", 0)).unwrap(),
            "```wit\nadd: async func( a: u32, b: u32, ) -> u32;\n```\n\nAdds.\nTwice."
        );
        assert_eq!(
            shown(text, at(text, "constructor", 0) + 4).unwrap(),
            "```wit\nconstructor(init: list<u8>);\n```\n\nMakes one."
        );
        assert_eq!(
            shown(text, at(text, "read", 0)).unwrap(),
            "```wit\nread: func(n: u32) -> list<u8>;\n```\n\nReads."
        );
        assert_eq!(
            shown(text, at(text, "merge", 0)).unwrap(),
            "```wit\nmerge: static func(a: blob, b: blob) -> blob;\n```"
        );
        assert_eq!(shown(text, at(text, "blob", 1)).unwrap(), "```wit\nresource blob\n```");
        assert_eq!(
            shown(text, at(text, "log", 0)).unwrap(),
            "```wit\nlog: func(msg: string);\n```\n\nLogs."
        );
        assert_eq!(shown(text, at(text, "w {", 0)).unwrap(), "```wit\nworld w\n```");
        // Parameters are not items.
        assert_eq!(shown(text, at(text, "msg", 0)), None);
    }

    #[test]
    fn whitespace_keywords_and_builtins_show_nothing() {
        for needle in [
            "  add",
            "interface",
            "func",
            "resource",
            "u32",
            "list",
            "static",
            "->",
            "//",
        ] {
            assert_eq!(
                shown(TEXT_WITH_FUNCTIONS, at(TEXT_WITH_FUNCTIONS, needle, 0) + 1),
                None,
                "{needle:?}"
            );
        }
        assert_eq!(shown(TEXT, at(TEXT, "\n  record", 0) + 2), None);
        assert_eq!(shown(TEXT, TEXT.len() + 10), None);
        assert_eq!(shown("", 0), None);
    }

    const TEXT_WITH_FUNCTIONS: &str =
        "// Plain comment.\ninterface i {\n  add: func(a: u32) -> list<u32>;\n  resource r { f: static func(); }\n}\n";

    #[test]
    fn no_offset_of_broken_text_panics() {
        let texts = [
            "",
            "interface",
            "package a:b;\ninterface é {\n  /// ✓ doc\n  record r😀 { a: r\n  g: func(x: ) -> \n}\nworld w { include ",
            "/** unterminated\ninterface i { type t = ",
            "interface i { use %type.{a as b, c as }; f: func(a: b, c: c",
            "world w { import x: func(); export y: interface { r: func() -> \"s; } }",
            "interface i { resource r { constructor( ; @since(version = 1.0.0 record ) } } @",
            ")))((( ; use as as as ; type = = ; %",
        ];
        for text in texts {
            for offset in 0..=text.len() + 2 {
                let _ = hover("a.wit", text, &[("b.wit".into(), text.into())], offset);
            }
        }
    }
}
