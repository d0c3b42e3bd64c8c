//! Folding in a WIT file, from its tokens alone so that half-typed text folds too: every
//! `{…}` body (interfaces, worlds, types, resources, inline interfaces), runs of whole-line
//! comments, and runs of `use`/`import` statements.

use crate::answer::{Fold, FoldKind};
use crate::folding::{Brace, blocks, runs, starts_line};
use crate::line_index::LineIndex;

use super::lexer::{Kind, Token, lex};

pub(crate) fn folding_ranges(text: &str) -> Vec<Fold> {
    let index = LineIndex::new(text);
    let tokens = lex(text);
    let (comments, code): (Vec<&Token>, Vec<&Token>) = tokens.iter().partition(|t| t.is_comment());
    let punct = |token: &Token, p: &str| token.kind == Kind::Punct && &text[token.range.clone()] == p;

    let mut out = blocks(code.iter().filter_map(|token| {
        if punct(token, "{") {
            Some(Brace::Open(token.range.start))
        } else if punct(token, "}") {
            Some(Brace::Close(token.range.start))
        } else {
            None
        }
    }));

    let whole_line = comments
        .iter()
        .filter(|c| starts_line(text, c.range.start))
        .map(|c| c.range.clone());
    out.extend(runs(&index, whole_line, FoldKind::Comment));

    // A `use`/`import` statement that starts its line and ends at `;` (not an inline
    // interface, which folds as a block).
    let statements = code.iter().enumerate().filter_map(|(i, token)| {
        let word = &text[token.range.clone()];
        if token.kind != Kind::Word || !matches!(word, "use" | "import") || !starts_line(text, token.range.start) {
            return None;
        }
        let rest = &code[i + 1..];
        let end = rest.iter().position(|t| punct(t, ";"))?;
        let inline = rest[..end]
            .windows(2)
            .any(|w| &text[w[0].range.clone()] == "interface" && punct(w[1], "{"));
        let end = (!inline).then_some(&rest[end])?;
        Some(token.range.start..end.range.end)
    });
    out.extend(runs(&index, statements, FoldKind::Imports));
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
        let text = "// one\n// two\npackage a:b;\n\ninterface i {\n  use x.{a};\n  use y.{b};\n  record r {\n    f: u8,\n  }\n  g: func();\n}\nworld w {\n  import i;\n  import j: interface {\n    h: func();\n  }\n}\n";
        assert_eq!(
            folds(text),
            [
                (0, 1, FoldKind::Comment),
                (4, 11, FoldKind::Region),
                (5, 6, FoldKind::Imports),
                (7, 9, FoldKind::Region),
                (12, 17, FoldKind::Region),
                (14, 16, FoldKind::Region),
            ]
        );
    }

    #[test]
    fn block_comments_fold_and_trailing_comments_do_not_join() {
        let text = "interface i {\n  a: func(); // x\n  // y\n  /* z\n  */\n}\n";
        assert_eq!(folds(text), [(0, 5, FoldKind::Region), (2, 4, FoldKind::Comment)]);
    }

    /// Every prefix of the module's sample, as typed: no panic, folds inside the text.
    #[test]
    fn every_prefix_folds_without_panic() {
        let sample = super::super::tests::SAMPLE;
        for end in (0..=sample.len()).filter(|&i| sample.is_char_boundary(i)) {
            let text = &sample[..end];
            for fold in folding_ranges(text) {
                assert!(fold.range.start <= fold.range.end && fold.range.end <= text.len());
            }
        }
        assert_eq!(folds("interface {\n}\n}\n{\n"), [(0, 1, FoldKind::Region)]);
    }
}
