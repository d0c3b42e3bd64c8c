//! What the server tells the client it can do, and the semantic token legend.

use tower_lsp_server::ls_types::{
    CompletionOptions, HoverProviderCapability, OneOf, RenameOptions, SemanticTokenType, SemanticTokensFullOptions,
    SemanticTokensLegend, SemanticTokensOptions, SemanticTokensServerCapabilities, ServerCapabilities,
    TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions, WorkDoneProgressOptions,
};

use crate::answer::TokenKind;

/// Every token kind, in the legend's order (each one's index is its `as u32`).
const TOKEN_KINDS: [TokenKind; 13] = [
    TokenKind::Namespace,
    TokenKind::Interface,
    TokenKind::Type,
    TokenKind::Enum,
    TokenKind::EnumMember,
    TokenKind::Property,
    TokenKind::Function,
    TokenKind::Parameter,
    TokenKind::Keyword,
    TokenKind::String,
    TokenKind::Number,
    TokenKind::Comment,
    TokenKind::Decorator,
];

fn token_type_name(kind: TokenKind) -> SemanticTokenType {
    match kind {
        TokenKind::Namespace => SemanticTokenType::NAMESPACE,
        TokenKind::Interface => SemanticTokenType::INTERFACE,
        TokenKind::Type => SemanticTokenType::TYPE,
        TokenKind::Enum => SemanticTokenType::ENUM,
        TokenKind::EnumMember => SemanticTokenType::ENUM_MEMBER,
        TokenKind::Property => SemanticTokenType::PROPERTY,
        TokenKind::Function => SemanticTokenType::FUNCTION,
        TokenKind::Parameter => SemanticTokenType::PARAMETER,
        TokenKind::Keyword => SemanticTokenType::KEYWORD,
        TokenKind::String => SemanticTokenType::STRING,
        TokenKind::Number => SemanticTokenType::NUMBER,
        TokenKind::Comment => SemanticTokenType::COMMENT,
        TokenKind::Decorator => SemanticTokenType::DECORATOR,
    }
}

/// A token kind's index in the legend.
pub(super) fn token_type(kind: TokenKind) -> u32 {
    kind as u32
}

pub(super) fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend {
        token_types: TOKEN_KINDS.into_iter().map(token_type_name).collect(),
        token_modifiers: Vec::new(),
    }
}

pub(super) fn server_capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::INCREMENTAL),
            ..TextDocumentSyncOptions::default()
        })),
        document_symbol_provider: Some(OneOf::Left(true)),
        workspace_symbol_provider: Some(OneOf::Left(true)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([".", ":", "<", "{"].map(String::from).to_vec()),
            ..CompletionOptions::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        })),
        document_formatting_provider: Some(OneOf::Left(true)),
        folding_range_provider: Some(tower_lsp_server::ls_types::FoldingRangeProviderCapability::Simple(true)),
        document_link_provider: Some(tower_lsp_server::ls_types::DocumentLinkOptions {
            resolve_provider: Some(false),
            work_done_progress_options: WorkDoneProgressOptions::default(),
        }),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                ..SemanticTokensOptions::default()
            },
        )),
        ..ServerCapabilities::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_legend_lists_every_kind_at_its_index() {
        for (i, kind) in TOKEN_KINDS.into_iter().enumerate() {
            assert_eq!(token_type(kind) as usize, i, "{kind:?}");
        }
        let names: Vec<String> = legend().token_types.iter().map(|t| t.as_str().to_string()).collect();
        assert_eq!(
            names,
            [
                "namespace",
                "interface",
                "type",
                "enum",
                "enumMember",
                "property",
                "function",
                "parameter",
                "keyword",
                "string",
                "number",
                "comment",
                "decorator"
            ]
        );
    }
}
