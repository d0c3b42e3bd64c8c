//! WIDL, waPC's interface definition language (`*.widl`) of wasmCloud 0.x, read with our own
//! error-tolerant parser (no Rust crate parses it): findings, outline, hover, completion,
//! definition and references (across imports), formatting and semantic tokens.
//!
//! Layers: [`lexer`] → [`parser`] ([`ast`]) → [`scope`] (a file and its imports) → one module
//! per editor feature. [`cursor`] lists the names a file mentions; [`print`] prints syntax
//! canonically for [`format`] and [`hover`].

mod ast;
mod completion;
mod cursor;
mod diagnostics;
mod folding;
mod format;
mod hover;
mod lexer;
mod navigation;
mod parser;
mod print;
mod scope;
mod symbols;
mod tokens;

use std::ops::Range;
use std::path::Path;

use scope::Workspace;

use crate::OpenFiles;
use crate::answer::{Completion, Location};
use crate::finding::Finding;

pub(crate) use folding::folding_ranges;
pub(crate) use format::format;
pub(crate) use symbols::symbols;
pub(crate) use tokens::tokens;

/// The findings of the file at `path`, whose imports are read from `open` or from disk.
pub(crate) fn findings(path: &Path, text: &str, open: OpenFiles) -> Vec<Finding> {
    diagnostics::findings(&Workspace::load(path, text, open))
}

pub(crate) fn hover(path: &Path, text: &str, offset: usize, open: OpenFiles) -> Option<(Range<usize>, String)> {
    hover::hover(&Workspace::load(path, text, open), offset)
}

pub(crate) fn completion(path: &Path, text: &str, offset: usize, open: OpenFiles) -> Vec<Completion> {
    completion::completion(&Workspace::load(path, text, open), offset)
}

pub(crate) fn definition(path: &Path, text: &str, offset: usize, open: OpenFiles) -> Option<Location> {
    navigation::definition(&Workspace::load(path, text, open), offset)
}

pub(crate) fn references(path: &Path, text: &str, offset: usize, open: OpenFiles) -> Vec<Location> {
    navigation::references(&Workspace::load(path, text, open), offset)
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn fixtures() -> Vec<(PathBuf, String)> {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/widl");
        let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|entry| {
                let path = entry.unwrap().path();
                let text = std::fs::read_to_string(&path).unwrap();
                (path, text)
            })
            .collect();
        files.sort();
        assert_eq!(files.len(), 3, "fixtures in {}", dir.display());
        files
    }

    /// Every entry point, on every prefix of every fixture (what an editor sends while the
    /// file is typed), at the end and in the middle: no panic, ranges inside the text.
    #[test]
    fn every_entry_point_survives_every_prefix() {
        let none = |_: &Path| None;
        for (path, text) in fixtures() {
            for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let prefix = &text[..end];
                for finding in findings(&path, prefix, &none) {
                    assert!(finding.range.end <= end, "{finding:?} past {end} in {}", path.display());
                }
                for symbol in symbols(prefix) {
                    assert!(symbol.range.end <= end);
                }
                let mut last = 0;
                for token in tokens(prefix) {
                    assert!(last <= token.range.start && token.range.start < token.range.end && token.range.end <= end);
                    assert!(!prefix[token.range.clone()].contains('\n'));
                    last = token.range.end;
                }
                if let Some(formatted) = format(prefix) {
                    assert_eq!(format(&formatted).as_deref(), Some(formatted.as_str()), "{prefix:?}");
                }
                for offset in [0, end / 2, end] {
                    let _ = hover(&path, prefix, offset, &none);
                    let _ = completion(&path, prefix, offset, &none);
                    let _ = definition(&path, prefix, offset, &none);
                    let _ = references(&path, prefix, offset, &none);
                }
            }
        }
    }

    /// Random soups of WIDL fragments (a fixed seed, so failures reproduce): no panic, no hang.
    #[test]
    fn random_token_soup_never_panics() {
        const PIECES: &[&str] = &[
            "namespace",
            "import",
            "interface",
            "role",
            "type",
            "enum",
            "union",
            "alias",
            "directive",
            "from",
            "as",
            "on",
            "require",
            "implements",
            "*",
            "{",
            "}",
            "(",
            ")",
            "[",
            "]",
            ":",
            "=",
            "?",
            "@",
            "|",
            "&",
            ",",
            "\n",
            " ",
            "\"s\"",
            "\"\"\"",
            "\"",
            "#c\n",
            "//",
            "0",
            "-1.5e3",
            "-",
            "Name",
            "i32",
            "void",
            "é",
            "😀",
            "\r\n",
            "\t",
            "'",
            "\\q",
            "true",
            "./core.widl",
        ];
        let none = |_: &Path| None;
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/widl/soup.widl");
        let mut seed: u64 = 0x5eed;
        let mut next = |n: usize| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for _ in 0..1500 {
            let len = next(120);
            let text: String = (0..len).map(|_| PIECES[next(PIECES.len())]).collect();
            let _ = findings(&path, &text, &none);
            let _ = symbols(&text);
            let _ = tokens(&text);
            if let Some(formatted) = format(&text) {
                assert_eq!(format(&formatted).as_deref(), Some(formatted.as_str()), "{text:?}");
            }
            for offset in [0, next(text.len() + 1), text.len()] {
                let _ = hover(&path, &text, offset, &none);
                let _ = completion(&path, &text, offset, &none);
                let _ = definition(&path, &text, offset, &none);
                let _ = references(&path, &text, offset, &none);
            }
        }
    }

    #[test]
    fn the_fixtures_findings() {
        let none = |_: &Path| None;
        for (path, text) in fixtures() {
            let found: Vec<(usize, String)> = findings(&path, &text, &none)
                .into_iter()
                .map(|f| (scope::line_of(&text, f.range.start), f.message))
                .collect();
            let expected: Vec<(usize, &str)> = match path.file_name().unwrap().to_str().unwrap() {
                "broken.widl" => vec![
                    (4, "cannot read `./nowhere.widl`: no such file"),
                    (7, "unknown type `GetRespons`; did you mean `GetResponse`?"),
                    (9, "duplicate operation `get`, first defined on line 7"),
                    (10, "expected a parameter name, found `:`"),
                    (16, "duplicate field `value`, first defined on line 15"),
                    (17, "WIDL comments start with `#`, not `//`"),
                    (22, "duplicate enum index `0`, first used by `Red` on line 21"),
                    (25, "`Empty` is already imported from `./core.widl`"),
                ],
                _ => vec![],
            };
            let expected: Vec<(usize, String)> = expected.into_iter().map(|(l, m)| (l, m.to_string())).collect();
            assert_eq!(found, expected, "{}", path.display());
        }
    }
}
