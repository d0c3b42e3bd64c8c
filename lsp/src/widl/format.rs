//! The canonical layout of a WIDL file: one definition after another with a blank line
//! between them (consecutive imports stay together), bodies indented by two spaces with one
//! member per line, single spaces inside a line, descriptions on their own line above what
//! they describe. Comments (`#`) are kept: on their own line where they were, or after the
//! line they ended; a comment inside a member moves above it. Blank lines between members
//! are kept (one at most). Literals are kept as written. A file that does not parse is not
//! formatted.

use std::ops::Range;

use super::ast::{Definition, DefinitionKind, Field, Operation, StringLit};
use super::parser::parse;
use super::print;

pub(crate) fn format(text: &str) -> Option<String> {
    let parsed = parse(text);
    if !parsed.errors.is_empty() {
        return None;
    }
    let mut f = Formatter {
        text,
        comments: &parsed.comments,
        next: 0,
        out: String::new(),
        last_end: 0,
        force_blank: false,
        no_blank: false,
    };
    let definitions = &parsed.doc.definitions;
    let is_import = |d: &Definition| matches!(d.kind, DefinitionKind::Import { .. });
    for (i, def) in definitions.iter().enumerate() {
        f.force_blank = i > 0 && !(is_import(def) && is_import(&definitions[i - 1]));
        f.definition(def);
    }
    f.comments_before(text.len(), 0);
    Some(f.out)
}

struct Formatter<'a> {
    text: &'a str,
    comments: &'a [Range<usize>],
    /// The first comment not written yet.
    next: usize,
    out: String,
    /// The end of the source written last.
    last_end: usize,
    /// A blank line goes before the next line (a new definition starts).
    force_blank: bool,
    /// No blank line goes before the next line (it follows a `{` or a description).
    no_blank: bool,
}

impl Formatter<'_> {
    /// Starts a line for source starting at `start`: a blank line first when the source had
    /// one there (or a definition starts), then the indentation.
    fn start_line(&mut self, indent: usize, start: usize) {
        let blank_in_source = self
            .text
            .get(self.last_end.min(start)..start)
            .is_some_and(|between| between.matches('\n').count() >= 2);
        if !self.out.is_empty() && !self.no_blank && (self.force_blank || blank_in_source) {
            self.out.push('\n');
        }
        self.force_blank = false;
        self.no_blank = false;
        self.out.push_str(&" ".repeat(indent));
    }

    /// Ends a line for source ending at `end`, with the comment right after it on its line.
    fn end_line(&mut self, end: usize) {
        self.last_end = self.last_end.max(end);
        if let Some(comment) = self.comments.get(self.next)
            && comment.start >= end
            && self.text[end..comment.start]
                .chars()
                .all(|c| matches!(c, ' ' | '\t' | ','))
        {
            self.out.push(' ');
            self.out.push_str(self.text[comment.clone()].trim_end());
            self.last_end = comment.end;
            self.next += 1;
        }
        self.out.push('\n');
    }

    fn line(&mut self, indent: usize, content: &str, span: Range<usize>) {
        self.start_line(indent, span.start);
        self.out.push_str(content);
        self.end_line(span.end);
    }

    /// Writes, each on its own line, the comments that start before `pos`.
    fn comments_before(&mut self, pos: usize, indent: usize) {
        while let Some(comment) = self.comments.get(self.next).cloned()
            && comment.start < pos
        {
            self.next += 1;
            self.start_line(indent, comment.start);
            self.out.push_str(self.text[comment.clone()].trim_end());
            self.out.push('\n');
            self.last_end = comment.end;
        }
    }

    /// A description, as written, on its own line.
    fn description(&mut self, indent: usize, description: &Option<StringLit>) {
        if let Some(description) = description {
            let raw = &self.text[description.span.clone()];
            self.line(indent, raw, description.span.clone());
            self.no_blank = true;
        }
    }

    fn definition(&mut self, def: &Definition) {
        let text = self.text;
        self.comments_before(def.span.start, 0);
        self.description(0, &def.description);
        let body = match (&def.body, print::has_body(def)) {
            (Some(body), true) => body.clone(),
            _ => {
                self.comments_before(def.span.end, 0);
                if let DefinitionKind::Directive { name, params, .. } = &def.kind
                    && params.iter().any(|p| p.description.is_some())
                {
                    let open = format!("directive @{}(", name.name);
                    let close = format!("){}", print::directive_tail(def));
                    self.parameters(0, &open, params, &close, def.keyword.start..def.span.end);
                } else {
                    self.line(0, &print::head(text, def), def.keyword.start..def.span.end);
                }
                return;
            }
        };
        let head = print::head(text, def);
        let close = body.end.saturating_sub(1);
        let empty = match &def.kind {
            DefinitionKind::Interface { operations, .. } | DefinitionKind::Role { operations, .. } => {
                operations.is_empty()
            }
            DefinitionKind::Type { fields, .. } => fields.is_empty(),
            DefinitionKind::Enum { values, .. } => values.is_empty(),
            _ => true,
        };
        self.comments_before(body.start, 0);
        if empty && self.comments.get(self.next).is_none_or(|c| c.start > close) {
            self.line(0, &format!("{head} {{}}"), def.keyword.start..body.end);
            return;
        }
        self.start_line(0, def.keyword.start);
        self.out.push_str(&head);
        self.out.push_str(" {");
        self.end_line(body.start + 1);
        self.no_blank = true;
        match &def.kind {
            DefinitionKind::Interface { operations, .. } | DefinitionKind::Role { operations, .. } => {
                for op in operations {
                    self.operation(op);
                }
            }
            DefinitionKind::Type { fields, .. } => {
                for field in fields {
                    self.comments_before(field.span.end, 2);
                    self.description(2, &field.description);
                    self.line(2, &print::field(text, field), field.name.span.start..field.span.end);
                }
            }
            DefinitionKind::Enum { values, .. } => {
                for value in values {
                    self.comments_before(value.span.end, 2);
                    self.description(2, &value.description);
                    self.line(
                        2,
                        &print::enum_value(text, value),
                        value.name.span.start..value.span.end,
                    );
                }
            }
            _ => {}
        }
        self.comments_before(close, 2);
        self.no_blank = true;
        self.line(0, "}", close..body.end);
    }

    fn operation(&mut self, op: &Operation) {
        let text = self.text;
        self.comments_before(op.span.end, 2);
        self.description(2, &op.description);
        let span = op.name.span.start..op.span.end;
        if op.params.iter().any(|p| p.description.is_some()) {
            let (open, close) = if op.unary { ("{", "}") } else { ("(", ")") };
            let open = format!("{}{open}", op.name.name);
            let close = format!("{close}{}", print::operation_tail(text, op));
            self.parameters(2, &open, &op.params, &close, span);
        } else {
            self.line(2, &print::operation(text, op), span);
        }
    }

    /// `open`, then each parameter (with its description) on its own line, then `close`.
    fn parameters(&mut self, indent: usize, open: &str, params: &[Field], close: &str, span: Range<usize>) {
        self.start_line(indent, span.start);
        self.out.push_str(open);
        self.out.push('\n');
        for param in params {
            self.no_blank = true;
            self.description(indent + 2, &param.description);
            self.no_blank = true;
            self.start_line(indent + 2, param.span.start);
            self.out.push_str(&print::field(self.text, param));
            self.out.push('\n');
        }
        self.no_blank = true;
        self.start_line(indent, span.end);
        self.out.push_str(close);
        self.end_line(span.end);
    }
}

#[cfg(test)]
mod tests {
    use super::super::lexer;
    use super::*;

    #[test]
    fn canonical_layout() {
        let text = "# Head comment\nnamespace   \"kv\"   # trailing\nimport * from \"a.widl\"\n\n\n\
                    import {B,C as D} from \"b.widl\"\n\"Ops\"\ninterface@x{get{key:string}:T set(k: string,  v:i32=0):T\n\n\n\
                    # about del\n  del(k: string)}\ntype T { a: {string:[i32]}? @n(1)  b: bool=false }\n\
                    enum E{A=0 \"a\"  B=1}   union U=T|E\nalias Id=string\ntype Empty {   }\n# the end\n";
        let expected = "# Head comment\nnamespace \"kv\" # trailing\n\nimport * from \"a.widl\"\n\n\
                        import { B, C as D } from \"b.widl\"\n\n\"Ops\"\ninterface @x {\n  get{key: string}: T\n  \
                        set(k: string, v: i32 = 0): T\n\n  # about del\n  del(k: string)\n}\n\n\
                        type T {\n  a: {string: [i32]}? @n(1)\n  b: bool = false\n}\n\nenum E {\n  A = 0 \"a\"\n  B = 1\n}\n\n\
                        union U = T | E\n\nalias Id = string\n\ntype Empty {}\n# the end\n";
        assert_eq!(format(text).as_deref(), Some(expected));
        assert_eq!(format(expected).as_deref(), Some(expected));
    }

    #[test]
    fn descriptions_and_comments_stay() {
        let text = "namespace \"kv\"\n\"\"\"\n  A block\n\"\"\"\ntype T { # opens\n  \"field a\" a: i32 # after a\n  b: \
                    # inside b\n  string\n  # before the brace\n}\ninterface { get(\"the key\" key: string, \"the default\" \
                    d: i32 = 1): T }\ndirective @d(\"why\" reason: string) on FIELD\n";
        let expected = "namespace \"kv\"\n\n\"\"\"\n  A block\n\"\"\"\ntype T { # opens\n  \"field a\"\n  a: i32 # after a\n  \
                        # inside b\n  b: string\n  # before the brace\n}\n\ninterface {\n  get(\n    \"the key\"\n    \
                        key: string\n    \"the default\"\n    d: i32 = 1\n  ): T\n}\n\ndirective @d(\n  \"why\"\n  \
                        reason: string\n) on FIELD\n";
        assert_eq!(format(text).as_deref(), Some(expected));
        assert_eq!(format(expected).as_deref(), Some(expected));
    }

    #[test]
    fn broken_files_are_not_formatted() {
        assert_eq!(format("type T { a: }"), None);
        assert_eq!(format("type T { a: 'x' }"), None);
        assert_eq!(format("").as_deref(), Some(""));
        assert_eq!(
            format("# only\n\n# comments").as_deref(),
            Some("# only\n\n# comments\n")
        );
    }

    /// The text of every token and comment, in order: what formatting must keep.
    fn words(text: &str) -> (Vec<String>, Vec<String>) {
        let lexed = lexer::lex(text);
        let tokens = lexed.tokens.iter().map(|t| text[t.span.clone()].to_string()).collect();
        let comments = lexed
            .comments
            .iter()
            .map(|c| text[c.clone()].trim_end().to_string())
            .collect();
        (tokens, comments)
    }

    #[test]
    fn fixtures_keep_every_token_and_comment_and_format_is_stable() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/widl");
        for name in ["core.widl", "keyvalue.widl"] {
            let text = std::fs::read_to_string(dir.join(name)).unwrap();
            let formatted = format(&text).unwrap_or_else(|| panic!("{name} does not format"));
            assert_eq!(words(&formatted), words(&text), "{name}");
            assert_eq!(format(&formatted).as_deref(), Some(formatted.as_str()), "{name}");
            // The fixtures are written in the canonical layout.
            assert_eq!(formatted, text, "{name}");
        }
        let broken = std::fs::read_to_string(dir.join("broken.widl")).unwrap();
        assert_eq!(format(&broken), None);
    }
}
