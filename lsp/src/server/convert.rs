//! Between the analyses' answers (byte ranges, protocol-free types) and LSP's (UTF-16
//! positions, `ls_types`).

use std::ops::Range as Bytes;

use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, Diagnostic, DiagnosticSeverity, DocumentLink, DocumentSymbol, Documentation,
    FoldingRange, FoldingRangeKind, InsertTextFormat, MarkupContent, MarkupKind, Position, Range, SemanticToken,
    SymbolKind, TextEdit,
};

use super::capabilities::token_type;
use crate::answer::{Completion, CompletionKind, Edit, Fold, FoldKind, Link, Token};
use crate::finding::{Finding, Severity};
use crate::line_index::LineIndex;
use crate::symbol::{Symbol, SymbolKind as OutlineKind};

/// The byte offset of an LSP position: `None` past the last line; a column past the end of
/// its line is the line's end (as the protocol says).
pub(super) fn offset(text: &str, position: Position) -> Option<usize> {
    let mut start = 0;
    for _ in 0..position.line {
        start += text[start..].find('\n')? + 1;
    }
    let line_end = text[start..].find('\n').map(|i| start + i).unwrap_or(text.len());
    let content_end = if text[start..line_end].ends_with('\r') {
        line_end - 1
    } else {
        line_end
    };
    Some(
        LineIndex::new(text)
            .offset(position.line, position.character)
            .min(content_end),
    )
}

/// Like [`offset`], with positions past the last line at the end of the text.
pub(super) fn offset_clamped(text: &str, position: Position) -> usize {
    offset(text, position).unwrap_or(text.len())
}

pub(super) fn range(index: &LineIndex<'_>, range: Bytes<usize>) -> Range {
    let position = |offset| {
        let (line, character) = index.utf16(offset);
        Position { line, character }
    };
    Range {
        start: position(range.start),
        end: position(range.end),
    }
}

pub(super) fn diagnostic(index: &LineIndex<'_>, finding: Finding) -> Diagnostic {
    Diagnostic {
        range: range(index, finding.range),
        severity: Some(match finding.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        source: Some("wasmscope".into()),
        message: finding.message,
        ..Diagnostic::default()
    }
}

#[allow(deprecated)] // `DocumentSymbol::deprecated` must still be spelt out.
pub(super) fn document_symbol(index: &LineIndex<'_>, symbol: Symbol) -> DocumentSymbol {
    let symbol_range = range(index, symbol.range);
    DocumentSymbol {
        name: symbol.name,
        detail: None,
        kind: match symbol.kind {
            OutlineKind::Namespace => SymbolKind::NAMESPACE,
            OutlineKind::Interface => SymbolKind::INTERFACE,
            OutlineKind::World => SymbolKind::MODULE,
            OutlineKind::Type => SymbolKind::STRUCT,
            OutlineKind::Enum => SymbolKind::ENUM,
            OutlineKind::EnumMember => SymbolKind::ENUM_MEMBER,
            OutlineKind::Field => SymbolKind::FIELD,
            OutlineKind::Function => SymbolKind::FUNCTION,
            OutlineKind::Component => SymbolKind::OBJECT,
            OutlineKind::Property => SymbolKind::PROPERTY,
        },
        tags: None,
        deprecated: None,
        range: symbol_range,
        selection_range: symbol_range,
        children: Some(symbol.children.into_iter().map(|c| document_symbol(index, c)).collect()),
    }
}

pub(super) fn completion_item(completion: Completion) -> CompletionItem {
    // `$1`, `${1:name}`, `$0`: a snippet.
    let snippet = completion.insert_text.as_deref().is_some_and(|text| {
        text.as_bytes()
            .windows(2)
            .any(|w| w[0] == b'$' && (w[1].is_ascii_digit() || w[1] == b'{'))
    });
    CompletionItem {
        label: completion.label,
        kind: Some(match completion.kind {
            CompletionKind::Keyword => CompletionItemKind::KEYWORD,
            CompletionKind::Type => CompletionItemKind::STRUCT,
            CompletionKind::Field => CompletionItemKind::FIELD,
            CompletionKind::Function => CompletionItemKind::FUNCTION,
            CompletionKind::Module => CompletionItemKind::MODULE,
            CompletionKind::Property => CompletionItemKind::PROPERTY,
            CompletionKind::Value => CompletionItemKind::VALUE,
            CompletionKind::Snippet => CompletionItemKind::SNIPPET,
        }),
        detail: completion.detail,
        documentation: completion.documentation.map(|value| {
            Documentation::MarkupContent(MarkupContent {
                kind: MarkupKind::Markdown,
                value,
            })
        }),
        insert_text: completion.insert_text,
        insert_text_format: snippet.then_some(InsertTextFormat::SNIPPET),
        ..CompletionItem::default()
    }
}

pub(super) fn text_edit(index: &LineIndex<'_>, edit: Edit) -> TextEdit {
    TextEdit {
        range: range(index, edit.range),
        new_text: edit.new_text,
    }
}

/// Tokens in LSP's relative encoding: sorted, overlaps dropped, one per line (a token that
/// spans lines is split), lengths and columns in UTF-16.
/// A fold as whole lines (what every client can show), from its start's line to its end's.
pub(super) fn folding_range(index: &LineIndex<'_>, fold: Fold) -> FoldingRange {
    FoldingRange {
        start_line: index.utf16(fold.range.start).0,
        end_line: index.utf16(fold.range.end).0,
        kind: Some(match fold.kind {
            FoldKind::Region => FoldingRangeKind::Region,
            FoldKind::Comment => FoldingRangeKind::Comment,
            FoldKind::Imports => FoldingRangeKind::Imports,
        }),
        ..FoldingRange::default()
    }
}

/// A link to a file on disk; `None` when its path makes no `file:` URI.
pub(super) fn document_link(index: &LineIndex<'_>, link: Link) -> Option<DocumentLink> {
    Some(DocumentLink {
        range: range(index, link.range),
        target: Some(super::workspace::uri_of(&link.target)?),
        tooltip: None,
        data: None,
    })
}

pub(super) fn semantic_tokens(text: &str, mut tokens: Vec<Token>) -> Vec<SemanticToken> {
    let index = LineIndex::new(text);
    tokens.sort_by_key(|t| (t.range.start, t.range.end));
    let mut pieces: Vec<(u32, u32, u32, u32)> = Vec::new();
    let mut covered = 0;
    for token in tokens {
        let Bytes { start, end } = token.range;
        let valid = start < end && end <= text.len() && text.is_char_boundary(start) && text.is_char_boundary(end);
        if !valid || start < covered {
            continue;
        }
        covered = end;
        let mut piece_start = start;
        for line in text[start..end].split_inclusive('\n') {
            let content = line.trim_end_matches(['\n', '\r']);
            if !content.is_empty() {
                let (line_number, column) = index.utf16(piece_start);
                let length = content.encode_utf16().count() as u32;
                pieces.push((line_number, column, length, token_type(token.kind)));
            }
            piece_start += line.len();
        }
    }
    let (mut line, mut column) = (0, 0);
    pieces
        .into_iter()
        .map(|(l, c, length, token_type)| {
            let token = SemanticToken {
                delta_line: l - line,
                delta_start: if l == line { c - column } else { c },
                length,
                token_type,
                token_modifiers_bitset: 0,
            };
            (line, column) = (l, c);
            token
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::TokenKind;

    #[test]
    fn positions_to_offsets() {
        let text = "ab\r\n😀c\n";
        assert_eq!(offset(text, Position::new(0, 1)), Some(1));
        // Past the end of a line: its end, before `\r\n`.
        assert_eq!(offset(text, Position::new(0, 9)), Some(2));
        assert_eq!(offset(text, Position::new(1, 2)), Some(8));
        assert_eq!(offset(text, Position::new(1, 3)), Some(9));
        assert_eq!(offset(text, Position::new(2, 0)), Some(10));
        assert_eq!(offset(text, Position::new(3, 0)), None);
        assert_eq!(offset_clamped(text, Position::new(3, 0)), 10);
    }

    #[test]
    fn semantic_tokens_are_relative_utf16_and_one_line_each() {
        let text = "a 😀bc\n/* x\n y */ d";
        let token = |range: Bytes<usize>, kind| Token { range, kind };
        let tokens = vec![
            token(20..21, TokenKind::Type),
            token(0..1, TokenKind::Keyword),
            token(6..8, TokenKind::String),
            // Overlaps the one before: dropped.
            token(7..9, TokenKind::Number),
            token(9..19, TokenKind::Comment),
        ];
        let data: Vec<[u32; 5]> = semantic_tokens(text, tokens)
            .into_iter()
            .map(|t| {
                [
                    t.delta_line,
                    t.delta_start,
                    t.length,
                    t.token_type,
                    t.token_modifiers_bitset,
                ]
            })
            .collect();
        assert_eq!(
            data,
            [
                [0, 0, 1, 8, 0],
                [0, 4, 2, 9, 0],
                [1, 0, 4, 11, 0],
                [1, 0, 5, 11, 0],
                [0, 6, 1, 2, 0],
            ]
        );
    }

    #[test]
    fn completion_items_know_snippets() {
        let item = completion_item(Completion {
            label: "record".into(),
            kind: CompletionKind::Snippet,
            detail: None,
            documentation: Some("A record.".into()),
            insert_text: Some("record ${1:name} {\n  $0\n}".into()),
        });
        assert_eq!(item.insert_text_format, Some(InsertTextFormat::SNIPPET));
        assert_eq!(item.kind, Some(CompletionItemKind::SNIPPET));
        let plain = completion_item(Completion {
            label: "u8".into(),
            kind: CompletionKind::Type,
            detail: None,
            documentation: None,
            insert_text: Some("a$b".into()),
        });
        assert_eq!(plain.insert_text_format, None);
    }
}
