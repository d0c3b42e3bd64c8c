//! What every language's folding shares: line numbers of byte ranges, and runs of items on
//! consecutive lines (whole-line comments, import statements) joined into one fold.

use std::ops::Range;

use crate::answer::{Fold, FoldKind};
use crate::line_index::LineIndex;

/// The 0-based lines a range starts and ends on.
pub(crate) fn lines(index: &LineIndex<'_>, range: &Range<usize>) -> (u32, u32) {
    (index.utf16(range.start).0, index.utf16(range.end).0)
}

/// Whether only blanks come before `offset` on its line (a comment that is the whole line,
/// not one after code).
pub(crate) fn starts_line(text: &str, offset: usize) -> bool {
    let before = text.get(..offset).unwrap_or_default();
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    before[line_start..].trim().is_empty()
}

/// `items` (in text order) joined while each starts on the line after the previous one ends,
/// one fold of `kind` per run that spans several lines.
pub(crate) fn runs(index: &LineIndex<'_>, items: impl IntoIterator<Item = Range<usize>>, kind: FoldKind) -> Vec<Fold> {
    let mut out = Vec::new();
    let mut current: Option<(Range<usize>, u32, u32)> = None;
    for item in items {
        let (start, end) = lines(index, &item);
        current = match current {
            Some((run, first, last)) if start == last + 1 || start == last => Some((run.start..item.end, first, end)),
            previous => {
                if let Some(run) = previous {
                    out.extend(multi_line(run, kind));
                }
                Some((item, start, end))
            }
        };
    }
    out.extend(current.and_then(|run| multi_line(run, kind)));
    out
}

/// A brace, as the lexers see it: opening or closing, at a byte offset.
pub(crate) enum Brace {
    Open(usize),
    Close(usize),
}

/// One region fold per matched `{…}` pair, from the opening brace to the closing one;
/// unmatched braces (half-typed text) fold nothing.
pub(crate) fn blocks(braces: impl IntoIterator<Item = Brace>) -> Vec<Fold> {
    let mut out = Vec::new();
    let mut open = Vec::new();
    for brace in braces {
        match brace {
            Brace::Open(at) => open.push(at),
            Brace::Close(at) => {
                if let Some(start) = open.pop() {
                    out.push(Fold {
                        range: start..at,
                        kind: FoldKind::Region,
                    });
                }
            }
        }
    }
    out
}

/// Folds as (first line, last line, kind), multi-line ones only, in order: what tests compare.
#[cfg(test)]
pub(crate) fn fold_lines(text: &str, folds: &[Fold]) -> Vec<(u32, u32, FoldKind)> {
    let index = LineIndex::new(text);
    let mut out: Vec<_> = folds
        .iter()
        .map(|f| {
            let (start, end) = lines(&index, &f.range);
            (start, end, f.kind)
        })
        .filter(|(start, end, _)| start < end)
        .collect();
    out.sort_by_key(|&(start, end, _)| (start, end));
    out
}

/// The folds an editor can show: those spanning several lines, in text order, one per start
/// line (the longest; editors keep one fold per line anyway).
pub(crate) fn one_per_line(text: &str, folds: Vec<Fold>) -> Vec<Fold> {
    let index = LineIndex::new(text);
    let mut spans: Vec<((u32, u32), Fold)> = folds
        .into_iter()
        .filter(|f| f.range.start <= f.range.end && f.range.end <= text.len())
        .map(|f| (lines(&index, &f.range), f))
        .filter(|((start, end), _)| start < end)
        .collect();
    spans.sort_by_key(|((start, end), _)| (*start, std::cmp::Reverse(*end)));
    spans.dedup_by_key(|((start, _), _)| *start);
    spans.into_iter().map(|(_, fold)| fold).collect()
}

fn multi_line((range, first, last): (Range<usize>, u32, u32), kind: FoldKind) -> Option<Fold> {
    (first < last).then_some(Fold { range, kind })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn items_on_consecutive_lines_make_one_fold() {
        let text = "# a\n# b\n\n# c\n# d\n# e\nx\n# f\n";
        let index = LineIndex::new(text);
        let comments: Vec<Range<usize>> = text.match_indices('#').map(|(i, _)| i..i + 3).collect();
        let folds = runs(&index, comments, FoldKind::Comment);
        let pairs: Vec<(u32, u32)> = folds.iter().map(|f| lines(&index, &f.range)).collect();
        assert_eq!(pairs, [(0, 1), (3, 5)]);
        assert!(starts_line("  # x", 2));
        let region = |range| Fold {
            range,
            kind: FoldKind::Region,
        };
        let kept = one_per_line(
            text,
            vec![region(8..12), region(0..9), region(0..20), region(4..5), region(0..99)],
        );
        assert_eq!(kept, [region(0..20), region(8..12)]);
        assert!(!starts_line("a: 1 # x", 5));
    }
}
