//! Byte offsets ↔ (line, column) positions. LSP counts columns in UTF-16 code units by
//! default; people (and `wasmscope check`) count characters.

pub(crate) struct LineIndex<'a> {
    text: &'a str,
    /// Byte offset of the start of every line.
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        LineIndex { text, starts }
    }

    /// 0-based line and the line's text before `offset`.
    fn split(&self, offset: usize) -> (usize, &'a str) {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[line];
        let mut end = offset;
        while !self.text.is_char_boundary(end) {
            end -= 1;
        }
        (line, &self.text[start..end])
    }

    /// 0-based line and UTF-16 column, as LSP positions count.
    pub(crate) fn utf16(&self, offset: usize) -> (u32, u32) {
        let (line, before) = self.split(offset);
        (line as u32, before.encode_utf16().count() as u32)
    }

    /// The byte offset of a 0-based line and UTF-16 column (clamped to the text).
    pub(crate) fn offset(&self, line: u32, utf16_column: u32) -> usize {
        let Some(&start) = self.starts.get(line as usize) else {
            return self.text.len();
        };
        let end = self.starts.get(line as usize + 1).copied().unwrap_or(self.text.len());
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= utf16_column {
                return start + i;
            }
            units += c.len_utf16() as u32;
        }
        end
    }

    /// 1-based line and character column, as compilers print them.
    pub(crate) fn human(&self, offset: usize) -> (usize, usize) {
        let (line, before) = self.split(offset);
        (line + 1, before.chars().count() + 1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let index = LineIndex::new("ab\nλx y\n");
        assert_eq!(index.utf16(0), (0, 0));
        assert_eq!(index.utf16(3), (1, 0));
        // `λ` is 2 bytes, 1 UTF-16 unit.
        assert_eq!(index.utf16(5), (1, 1));
        assert_eq!(index.human(5), (2, 2));
        assert_eq!(index.utf16(100), (2, 0));
        assert_eq!(index.offset(1, 1), 5);
        assert_eq!(index.offset(1, 0), 3);
        assert_eq!(index.offset(9, 0), 9);
    }
}
