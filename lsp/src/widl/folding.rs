//! Folding in a WIDL file, from its tokens alone so that half-typed text folds too: every
//! `{…}` body (namespaces' interfaces, types, enums), runs of whole-line `#` comments, and
//! runs of `import` lines.

use crate::answer::{Fold, FoldKind};
use crate::folding::{Brace, blocks, runs, starts_line};
use crate::line_index::LineIndex;

use super::lexer::{Kind, lex};

pub(crate) fn folding_ranges(text: &str) -> Vec<Fold> {
    let index = LineIndex::new(text);
    let lexed = lex(text);

    let mut out = blocks(lexed.tokens.iter().filter_map(|token| match token.kind {
        Kind::LBrace => Some(Brace::Open(token.span.start)),
        Kind::RBrace => Some(Brace::Close(token.span.start)),
        _ => None,
    }));

    let whole_line = lexed.comments.iter().filter(|c| starts_line(text, c.start)).cloned();
    out.extend(runs(&index, whole_line, FoldKind::Comment));

    // An `import` statement runs from its keyword to the last token before the next line
    // that starts with a token.
    let tokens = &lexed.tokens;
    let imports = tokens.iter().enumerate().filter_map(|(i, token)| {
        let is_import = token.kind == Kind::Name && token.line_start && &text[token.span.clone()] == "import";
        if !is_import {
            return None;
        }
        let last = tokens[i + 1..]
            .iter()
            .take_while(|t| !t.line_start && t.kind != Kind::Eof)
            .last()
            .unwrap_or(token);
        Some(token.span.start..last.span.end)
    });
    out.extend(runs(&index, imports, FoldKind::Imports));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::folding::fold_lines;

    fn folds(text: &str) -> Vec<(u32, u32, FoldKind)> {
        fold_lines(text, &folding_ranges(text))
    }

    #[test]
    fn blocks_comments_and_imports_fold() {
        let text = "# Greeting.\n# Second line.\nnamespace \"greeting\"\n\nimport * from \"a.widl\"\nimport { B } from \"b.widl\"\n\ninterface {\n  hello(who: Person): string\n}\n\ntype Person {\n  name: string # why\n  age: u8\n}\n\nenum Mood {\n  happy = 0\n  sad = 1\n}\n\nunion Thing = Person | Mood\n";
        assert_eq!(
            folds(text),
            [
                (0, 1, FoldKind::Comment),
                (4, 5, FoldKind::Imports),
                (7, 9, FoldKind::Region),
                (11, 14, FoldKind::Region),
                (16, 19, FoldKind::Region),
            ]
        );
    }

    #[test]
    fn broken_text_folds_what_closes_and_never_panics() {
        let text = "type A {\n  x: {\n}\n\"unterminated\n# é\n";
        for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
            let _ = folding_ranges(&text[..end]);
        }
        assert_eq!(folds(text), [(1, 2, FoldKind::Region)]);
    }
}
