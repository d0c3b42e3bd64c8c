//! An error-tolerant recursive-descent parser for WIDL, following waPC's grammar
//! (`@wapc/widl`, `widl-go`): descriptions are string literals before what they describe,
//! annotations follow the keyword or name they annotate, commas are optional.
//!
//! Recovery: a member (field, operation, enum value) that does not parse is skipped to the
//! next line at its nesting level or to the body's `}`; a definition whose header does not
//! parse is skipped to the next line starting a definition; a body whose `}` is missing ends
//! where the next definition starts. So one mistake is reported once and hides nothing else.

use std::ops::Range;

use super::ast::{
    Annotation, Argument, Definition, DefinitionKind, Document, EnumValue, Field, Ident, ImportName, Operation,
    Require, StringLit, TypeRef, Value, ValueKind,
};
use super::lexer::{self, Kind, Token};

/// A parsed file: its tree, its problems (lexing and parsing, in text order) and comments.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub doc: Document,
    pub errors: Vec<(Range<usize>, String)>,
    pub comments: Vec<Range<usize>>,
    pub tokens: Vec<Token>,
}

pub(crate) fn parse(text: &str) -> Parsed {
    let lexed = lexer::lex(text);
    let mut parser = Parser {
        text,
        tokens: &lexed.tokens,
        pos: 0,
        errors: Vec::new(),
        keywords: Vec::new(),
        depth: 0,
    };
    let definitions = parser.document();
    let mut errors = lexed.errors;
    errors.extend(parser.errors);
    errors.sort_by_key(|(range, _)| (range.start, range.end));
    let mut keywords = parser.keywords;
    keywords.sort_by_key(|r| r.start);
    Parsed {
        doc: Document { definitions, keywords },
        errors,
        comments: lexed.comments,
        tokens: lexed.tokens,
    }
}

const DEFINITION_WORDS: &[&str] = &[
    "namespace",
    "import",
    "interface",
    "role",
    "type",
    "enum",
    "union",
    "alias",
    "directive",
];

/// How deeply types and values may nest before the parser gives up on them (no stack
/// overflow on hostile input).
const MAX_DEPTH: usize = 64;

struct Parser<'a> {
    text: &'a str,
    tokens: &'a [Token],
    pos: usize,
    errors: Vec<(Range<usize>, String)>,
    keywords: Vec<Range<usize>>,
    depth: usize,
}

impl Parser<'_> {
    // ------------------------------------------------------------------ tokens

    fn nth(&self, n: usize) -> &Token {
        &self.tokens[(self.pos + n).min(self.tokens.len() - 1)]
    }

    fn peek(&self) -> &Token {
        self.nth(0)
    }

    fn kind(&self) -> Kind {
        self.peek().kind
    }

    fn text_of(&self, token: &Token) -> &str {
        &self.text[token.span.clone()]
    }

    fn at_word(&self, word: &str) -> bool {
        self.kind() == Kind::Name && self.text_of(self.peek()) == word
    }

    fn bump(&mut self) -> Token {
        let token = self.peek().clone();
        if token.kind != Kind::Eof {
            self.pos += 1;
        }
        token
    }

    fn eat(&mut self, kind: Kind) -> Option<Token> {
        (self.kind() == kind).then(|| self.bump())
    }

    /// The end of the last token read.
    fn prev_end(&self) -> usize {
        self.pos.checked_sub(1).map_or(0, |p| self.tokens[p].span.end)
    }

    fn start(&self) -> usize {
        self.peek().span.start
    }

    fn describe(&self, token: &Token) -> String {
        match token.kind {
            Kind::Eof => "the end of the file".into(),
            Kind::String => "a string".into(),
            Kind::BlockString => "a block string".into(),
            _ => format!("`{}`", self.text_of(token)),
        }
    }

    fn error_expected(&mut self, what: &str) {
        let token = self.peek().clone();
        let message = format!("expected {what}, found {}", self.describe(&token));
        self.errors.push((token.span, message));
    }

    fn expect(&mut self, kind: Kind, what: &str) -> Option<Token> {
        let token = self.eat(kind);
        if token.is_none() {
            self.error_expected(what);
        }
        token
    }

    /// Reads `word` as a keyword.
    fn keyword(&mut self, word: &str) -> bool {
        if self.at_word(word) {
            let token = self.bump();
            self.keywords.push(token.span);
            true
        } else {
            false
        }
    }

    /// A name; one that starts a line and a definition is left for the definition.
    fn ident(&mut self, what: &str) -> Option<Ident> {
        if self.kind() == Kind::Name && !(self.peek().line_start && self.at_definition_start()) {
            let token = self.bump();
            Some(Ident {
                name: self.text_of(&token).to_string(),
                span: token.span,
            })
        } else {
            self.error_expected(what);
            None
        }
    }

    /// Whether the next tokens (after a description) look like the start of a definition,
    /// not like a member that happens to be called `type` or `enum`.
    fn at_definition_start(&self) -> bool {
        let skip = usize::from(matches!(self.kind(), Kind::String | Kind::BlockString));
        let (keyword, next) = (self.nth(skip), self.nth(skip + 1));
        if keyword.kind != Kind::Name {
            return false;
        }
        match self.text_of(keyword) {
            "namespace" => matches!(next.kind, Kind::String | Kind::Name),
            "import" => matches!(next.kind, Kind::Star | Kind::LBrace),
            "interface" => matches!(next.kind, Kind::LBrace | Kind::At | Kind::Name),
            "role" | "type" | "enum" | "union" | "alias" => next.kind == Kind::Name,
            "directive" => next.kind == Kind::At,
            _ => false,
        }
    }

    fn at_line_definition(&self) -> bool {
        self.peek().line_start && self.at_definition_start()
    }

    /// Whether the next tokens start a line and look like the start of a member, after an
    /// optional description: an operation (`name(`, `name{`) or, with `fields`, a field or
    /// parameter (`name:`).
    fn at_line_member(&self, fields: bool) -> bool {
        if !self.peek().line_start {
            return false;
        }
        let skip = usize::from(matches!(self.kind(), Kind::String | Kind::BlockString));
        self.nth(skip).kind == Kind::Name
            && match self.nth(skip + 1).kind {
                Kind::LParen | Kind::LBrace => true,
                Kind::Colon => fields,
                _ => false,
            }
    }

    // ---------------------------------------------------------------- recovery

    /// Skips the rest of a member that failed to parse: to the next line at the member's
    /// nesting level, to the `}` closing its body, or to a line starting a definition.
    fn recover_member(&mut self, start: usize) {
        let mut open: Vec<Kind> = Vec::new();
        let track = |open: &mut Vec<Kind>, kind: Kind| match kind {
            Kind::LBrace | Kind::LParen | Kind::LBracket => open.push(kind),
            Kind::RBrace | Kind::RParen | Kind::RBracket => {
                let opener = match kind {
                    Kind::RBrace => Kind::LBrace,
                    Kind::RParen => Kind::LParen,
                    _ => Kind::LBracket,
                };
                if open.last() == Some(&opener) {
                    open.pop();
                }
            }
            _ => {}
        };
        for token in &self.tokens[start..self.pos] {
            track(&mut open, token.kind);
        }
        if self.pos == start && !matches!(self.kind(), Kind::RBrace | Kind::Eof) {
            track(&mut open, self.kind());
            self.bump();
        }
        loop {
            let token = self.peek();
            let stop = match token.kind {
                Kind::Eof => true,
                _ if self.at_line_definition() => true,
                Kind::RBrace if open.last() != Some(&Kind::LBrace) => true,
                // A bracket left open: the next line that looks like a member ends it.
                _ => token.line_start && (open.is_empty() || self.at_line_member(true)),
            };
            if stop {
                return;
            }
            track(&mut open, token.kind);
            self.bump();
        }
    }

    /// Skips what follows a definition that failed to parse, to the next line that starts a
    /// definition.
    fn recover_definition(&mut self, start: usize) {
        if self.pos == start {
            self.bump();
        }
        while self.kind() != Kind::Eof
            && !self.at_line_definition()
            && !(self.peek().line_start && self.kind() == Kind::At)
        {
            self.bump();
        }
    }

    // ---------------------------------------------------------------- document

    fn document(&mut self) -> Vec<Definition> {
        let mut definitions = Vec::new();
        while self.kind() != Kind::Eof {
            let start = self.pos;
            let errors = self.errors.len();
            if let Some(definition) = self.definition() {
                definitions.push(definition);
            }
            if self.errors.len() > errors && self.kind() != Kind::Eof && !self.at_definition_start() {
                self.recover_definition(start);
            } else if self.pos == start {
                self.bump();
            }
        }
        definitions
    }

    fn description(&mut self) -> Option<StringLit> {
        if !matches!(self.kind(), Kind::String | Kind::BlockString) {
            return None;
        }
        let token = self.bump();
        Some(StringLit {
            value: lexer::string_value(self.text_of(&token)),
            span: token.span,
        })
    }

    fn definition(&mut self) -> Option<Definition> {
        let start = self.start();
        let description = self.description();
        let token = self.peek().clone();
        let word = if token.kind == Kind::Name {
            self.text_of(&token)
        } else {
            ""
        };
        let Some(word) = DEFINITION_WORDS.iter().copied().find(|w| *w == word) else {
            if token.kind == Kind::At {
                let message = "an annotation follows what it annotates, as in `type Name @annotation {`, \
                               and cannot start a definition";
                self.errors.push((token.span, message.into()));
            } else {
                self.error_expected(
                    "a definition (`namespace`, `import`, `interface`, `role`, `type`, `enum`, `union`, \
                     `alias` or `directive`)",
                );
            }
            return None;
        };
        self.keyword(word);
        let mut head = Head {
            annotations: Vec::new(),
            closed: true,
            body: None,
        };
        let kind = match word {
            "namespace" => self.namespace(&mut head),
            "import" => self.import(&mut head),
            "interface" => self.interface(&mut head),
            "role" => self.role(&mut head),
            "type" => self.type_definition(&mut head),
            "enum" => self.enum_definition(&mut head),
            "union" => self.union(&mut head),
            "alias" => self.alias(&mut head),
            _ => self.directive(&mut head),
        }?;
        Some(Definition {
            description,
            keyword: token.span,
            annotations: head.annotations,
            kind,
            span: start..self.prev_end(),
            closed: head.closed,
            body: head.body,
        })
    }

    // ------------------------------------------------------------- definitions

    fn namespace(&mut self, head: &mut Head) -> Option<DefinitionKind> {
        let token = self.peek().clone();
        let name = match token.kind {
            Kind::String | Kind::BlockString => {
                self.bump();
                Ident {
                    name: lexer::string_value(self.text_of(&token)),
                    span: token.span,
                }
            }
            // An unquoted name such as `wasmcloud:keyvalue`.
            Kind::Name if !self.at_line_definition() => {
                self.bump();
                let mut span = token.span;
                while self.kind() == Kind::Colon
                    && self.peek().span.start == span.end
                    && self.nth(1).kind == Kind::Name
                    && self.nth(1).span.start == span.end + 1
                {
                    self.bump();
                    span.end = self.bump().span.end;
                }
                Ident {
                    name: self.text[span.clone()].to_string(),
                    span,
                }
            }
            _ => {
                self.error_expected("the namespace's name (a string such as `\"wasmcloud:keyvalue\"`)");
                return None;
            }
        };
        head.annotations = self.annotations();
        Some(DefinitionKind::Namespace { name })
    }

    fn import(&mut self, head: &mut Head) -> Option<DefinitionKind> {
        let mut all = false;
        let mut names = Vec::new();
        if self.eat(Kind::Star).is_some() {
            all = true;
        } else if self.eat(Kind::LBrace).is_some() {
            loop {
                if self.eat(Kind::RBrace).is_some() {
                    break;
                }
                if matches!(self.kind(), Kind::Eof) || self.at_line_definition() {
                    self.error_expected("`}` after the imported names");
                    return Some(DefinitionKind::Import { all, names, from: None });
                }
                let name = self.ident("a name to import")?;
                let alias = if self.keyword("as") {
                    Some(self.ident("the name to import it as")?)
                } else {
                    None
                };
                names.push(ImportName { name, alias });
            }
        } else {
            self.error_expected("`*` or `{` after `import`");
            return None;
        }
        if !self.keyword("from") {
            self.error_expected("`from`");
            return Some(DefinitionKind::Import { all, names, from: None });
        }
        let token = self.peek().clone();
        let from = match token.kind {
            Kind::String => {
                self.bump();
                Some(StringLit {
                    value: lexer::string_value(self.text_of(&token)),
                    span: token.span,
                })
            }
            _ => {
                self.error_expected("the file to import from (a string)");
                None
            }
        };
        if from.is_some() {
            head.annotations = self.annotations();
        }
        Some(DefinitionKind::Import { all, names, from })
    }

    fn interface(&mut self, head: &mut Head) -> Option<DefinitionKind> {
        let name = if self.kind() == Kind::Name && !self.at_line_definition() {
            self.ident("a name")
        } else {
            None
        };
        let errors = self.errors.len();
        head.annotations = self.annotations();
        if self.errors.len() > errors {
            head.closed = false;
            return Some(DefinitionKind::Interface {
                name,
                operations: Vec::new(),
            });
        }
        let operations = self.body(head, "the interface", Self::operation);
        Some(DefinitionKind::Interface { name, operations })
    }

    fn role(&mut self, head: &mut Head) -> Option<DefinitionKind> {
        let name = self.ident("the role's name")?;
        let errors = self.errors.len();
        head.annotations = self.annotations();
        if self.errors.len() > errors {
            head.closed = false;
            return Some(DefinitionKind::Role {
                name,
                operations: Vec::new(),
            });
        }
        let operations = self.body(head, &format!("role `{}`", name.name), Self::operation);
        Some(DefinitionKind::Role { name, operations })
    }

    fn type_definition(&mut self, head: &mut Head) -> Option<DefinitionKind> {
        let name = self.ident("the type's name")?;
        let errors = self.errors.len();
        let mut implements = Vec::new();
        if self.keyword("implements") {
            self.eat(Kind::Amp);
            while let Some(ident) = self.ident("the name of what the type implements") {
                implements.push(ident);
                if self.eat(Kind::Amp).is_none() {
                    break;
                }
            }
        }
        if self.errors.len() == errors {
            head.annotations = self.annotations();
        }
        if self.errors.len() > errors {
            head.closed = false;
            return Some(DefinitionKind::Type {
                name,
                implements,
                fields: Vec::new(),
            });
        }
        let fields = self.body(head, &format!("type `{}`", name.name), |p| p.field("a field name"));
        Some(DefinitionKind::Type {
            name,
            implements,
            fields,
        })
    }

    fn enum_definition(&mut self, head: &mut Head) -> Option<DefinitionKind> {
        let name = self.ident("the enum's name")?;
        let errors = self.errors.len();
        head.annotations = self.annotations();
        if self.errors.len() > errors {
            head.closed = false;
            return Some(DefinitionKind::Enum {
                name,
                values: Vec::new(),
            });
        }
        let values = self.body(head, &format!("enum `{}`", name.name), Self::enum_value);
        Some(DefinitionKind::Enum { name, values })
    }

    fn union(&mut self, head: &mut Head) -> Option<DefinitionKind> {
        let name = self.ident("the union's name")?;
        let errors = self.errors.len();
        head.annotations = self.annotations();
        let mut members = Vec::new();
        if self.errors.len() == errors
            && self
                .expect(
                    Kind::Equals,
                    "`=` and the union's types, as in `union Shape = Circle | Square`",
                )
                .is_some()
        {
            self.eat(Kind::Pipe);
            loop {
                let member = self.type_ref();
                let failed = matches!(member, TypeRef::Missing(_));
                members.push(member);
                if failed || self.eat(Kind::Pipe).is_none() {
                    break;
                }
            }
        }
        Some(DefinitionKind::Union { name, members })
    }

    fn alias(&mut self, head: &mut Head) -> Option<DefinitionKind> {
        let name = self.ident("the alias's name")?;
        let mut ty = TypeRef::Missing(self.start()..self.start());
        if self.expect(Kind::Equals, "`=` and the aliased type").is_some() {
            ty = self.type_ref();
            if !matches!(ty, TypeRef::Missing(_)) {
                head.annotations = self.annotations();
            }
        }
        Some(DefinitionKind::Alias { name, ty })
    }

    fn directive(&mut self, _head: &mut Head) -> Option<DefinitionKind> {
        self.expect(Kind::At, "`@` and the directive's name")?;
        let name = self.ident("the directive's name")?;
        let errors = self.errors.len();
        let mut params = Vec::new();
        let mut locations = Vec::new();
        let mut requires = Vec::new();
        if self.eat(Kind::LParen).is_some() {
            params = self.parameters(Kind::RParen);
        }
        if self.errors.len() == errors {
            if self.keyword("on") {
                locations = self.locations();
                if self.errors.len() == errors && self.keyword("require") {
                    loop {
                        if self.expect(Kind::At, "`@` and a required directive's name").is_none() {
                            break;
                        }
                        let Some(name) = self.ident("a required directive's name") else {
                            break;
                        };
                        if !self.keyword("on") {
                            self.error_expected("`on`");
                            break;
                        }
                        let locations = self.locations();
                        requires.push(Require { name, locations });
                        if self.kind() != Kind::At {
                            break;
                        }
                    }
                }
            } else {
                self.error_expected("`on` and where the directive may be used");
            }
        }
        Some(DefinitionKind::Directive {
            name,
            params,
            locations,
            requires,
        })
    }

    /// `LOCATION | LOCATION …`, with an optional leading `|`.
    fn locations(&mut self) -> Vec<Ident> {
        let mut locations = Vec::new();
        self.eat(Kind::Pipe);
        while let Some(location) = self.ident("a location such as `FIELD` or `OPERATION`") {
            locations.push(location);
            if self.eat(Kind::Pipe).is_none() {
                break;
            }
        }
        locations
    }

    // ------------------------------------------------------------------ bodies

    /// `{ member* }`: the members, and in `head` whether the closing `}` was there and the
    /// body's span.
    fn body<T>(&mut self, head: &mut Head, owner: &str, mut member: impl FnMut(&mut Self) -> Option<T>) -> Vec<T> {
        let mut members = Vec::new();
        let Some(open) = self.expect(Kind::LBrace, "`{`") else {
            head.closed = false;
            return members;
        };
        loop {
            match self.kind() {
                Kind::RBrace => {
                    self.bump();
                    head.body = Some(open.span.start..self.prev_end());
                    return members;
                }
                Kind::Eof => self.error_expected(&format!("`}}` to close {owner}")),
                _ if self.at_line_definition() => self.error_expected(&format!("`}}` to close {owner}")),
                _ => {
                    let start = self.pos;
                    let errors = self.errors.len();
                    if let Some(item) = member(self) {
                        members.push(item);
                    }
                    if self.errors.len() > errors || self.pos == start {
                        self.recover_member(start);
                    }
                    continue;
                }
            }
            head.closed = false;
            head.body = Some(open.span.start..self.prev_end());
            return members;
        }
    }

    fn operation(&mut self) -> Option<Operation> {
        let start = self.start();
        let errors = self.errors.len();
        let description = self.description();
        let name = self.ident("an operation name")?;
        let mut operation = Operation {
            description,
            name,
            unary: false,
            params: Vec::new(),
            returns: None,
            annotations: Vec::new(),
            span: start..start,
        };
        if self.eat(Kind::LParen).is_some() {
            operation.params = self.parameters(Kind::RParen);
        } else if self.eat(Kind::LBrace).is_some() {
            operation.unary = true;
            if let Some(param) = self.field("the parameter of a unary operation") {
                operation.params.push(param);
                if self.errors.len() == errors {
                    self.expect(Kind::RBrace, "`}`: a unary operation has one parameter");
                }
            }
        } else {
            self.error_expected("`(` and the parameters, or `{` and the one parameter of a unary operation");
        }
        if self.errors.len() == errors && self.eat(Kind::Colon).is_some() {
            let returns = self.type_ref();
            operation.returns = Some(returns);
        }
        if self.errors.len() == errors {
            operation.annotations = self.annotations();
        }
        operation.span = start..self.prev_end();
        Some(operation)
    }

    /// Parameters up to and including `close`. After one that fails, the rest of its line is
    /// skipped and the others are still read.
    fn parameters(&mut self, close: Kind) -> Vec<Field> {
        let mut params = Vec::new();
        let mut failed = false;
        loop {
            if self.eat(close).is_some() {
                break;
            }
            if matches!(self.kind(), Kind::Eof | Kind::RBrace)
                || self.at_line_definition()
                || self.at_line_member(false)
            {
                if !failed {
                    self.error_expected("`)`");
                }
                break;
            }
            let errors = self.errors.len();
            if let Some(param) = self.field("a parameter name") {
                params.push(param);
            }
            if self.errors.len() > errors {
                failed = true;
                while !matches!(self.kind(), Kind::Eof | Kind::RBrace)
                    && self.kind() != close
                    && !self.at_line_member(true)
                    && !self.at_line_definition()
                {
                    self.bump();
                }
            }
        }
        params
    }

    /// A field or parameter: `"description"? name: Type (= default)? @annotation*`.
    fn field(&mut self, what: &str) -> Option<Field> {
        let start = self.start();
        let errors = self.errors.len();
        let description = self.description();
        let name = self.ident(what)?;
        let mut field = Field {
            description,
            ty: TypeRef::Missing(self.start()..self.start()),
            name,
            default: None,
            annotations: Vec::new(),
            span: start..start,
        };
        if self
            .expect(Kind::Colon, &format!("`:` and the type of `{}`", field.name.name))
            .is_some()
        {
            field.ty = self.type_ref();
            if self.errors.len() == errors && self.eat(Kind::Equals).is_some() {
                field.default = self.value();
            }
            if self.errors.len() == errors {
                field.annotations = self.annotations();
            }
        }
        field.span = start..self.prev_end();
        Some(field)
    }

    fn enum_value(&mut self) -> Option<EnumValue> {
        let start = self.start();
        let errors = self.errors.len();
        let description = self.description();
        let name = self.ident("an enum value")?;
        let mut value = EnumValue {
            description,
            name,
            index: None,
            display: None,
            annotations: Vec::new(),
            span: start..start,
        };
        if self.eat(Kind::Equals).is_some() {
            if self.kind() == Kind::Int {
                let token = self.bump();
                value.index = Some(Ident {
                    name: self.text_of(&token).to_string(),
                    span: token.span,
                });
            } else {
                self.error_expected("the value's index (an integer)");
            }
        }
        // A string on the same line is the display name; one on the next line describes
        // the next value.
        if self.errors.len() == errors && self.kind() == Kind::String && !self.peek().line_start {
            value.display = self.description();
        }
        if self.errors.len() == errors {
            value.annotations = self.annotations();
        }
        value.span = start..self.prev_end();
        Some(value)
    }

    // ------------------------------------------------------------------- types

    /// A type; on failure an error is recorded and [`TypeRef::Missing`] returned.
    fn type_ref(&mut self) -> TypeRef {
        let token = self.peek().clone();
        let missing = TypeRef::Missing(token.span.start..token.span.start);
        if self.depth >= MAX_DEPTH {
            self.errors.push((token.span, "types nest too deeply".into()));
            return missing;
        }
        let errors = self.errors.len();
        self.depth += 1;
        let ty = match token.kind {
            // A name starting a line and followed by `:` is the next field, not a type.
            Kind::Name if !(self.at_line_definition() || (token.line_start && self.nth(1).kind == Kind::Colon)) => {
                self.bump();
                TypeRef::Named(Ident {
                    name: self.text_of(&token).to_string(),
                    span: token.span.clone(),
                })
            }
            Kind::LBracket => {
                self.bump();
                let item = self.type_ref();
                if self.errors.len() == errors {
                    self.expect(Kind::RBracket, "`]`");
                }
                TypeRef::List {
                    item: Box::new(item),
                    span: token.span.start..self.prev_end(),
                }
            }
            Kind::LBrace => {
                self.bump();
                let key = self.type_ref();
                let mut value = TypeRef::Missing(self.start()..self.start());
                if self.errors.len() == errors
                    && self
                        .expect(Kind::Colon, "`:` between a map's key and value types")
                        .is_some()
                {
                    value = self.type_ref();
                    if self.errors.len() == errors {
                        self.expect(Kind::RBrace, "`}`");
                    }
                }
                TypeRef::Map {
                    key: Box::new(key),
                    value: Box::new(value),
                    span: token.span.start..self.prev_end(),
                }
            }
            _ => {
                self.error_expected("a type");
                self.depth -= 1;
                return missing;
            }
        };
        self.depth -= 1;
        if self.errors.len() == errors
            && let Some(question) = self.eat(Kind::Question)
        {
            return TypeRef::Optional {
                inner: Box::new(ty),
                span: token.span.start..question.span.end,
            };
        }
        ty
    }

    // ------------------------------------------------------------------ values

    fn value(&mut self) -> Option<Value> {
        let token = self.peek().clone();
        if self.depth >= MAX_DEPTH {
            self.errors.push((token.span, "values nest too deeply".into()));
            return None;
        }
        let scalar = |kind| Value {
            kind,
            span: token.span.clone(),
        };
        let value = match token.kind {
            Kind::Int => scalar(ValueKind::Int),
            Kind::Float => scalar(ValueKind::Float),
            Kind::String | Kind::BlockString => scalar(ValueKind::String),
            Kind::Name if !self.at_line_definition() => match self.text_of(&token) {
                "true" | "false" => scalar(ValueKind::Bool),
                "null" => scalar(ValueKind::Null),
                _ => scalar(ValueKind::Enum),
            },
            Kind::LBracket => {
                self.bump();
                self.depth += 1;
                let items = self.list_items();
                self.depth -= 1;
                return Some(Value {
                    kind: ValueKind::List(items?),
                    span: token.span.start..self.prev_end(),
                });
            }
            Kind::LBrace => {
                self.bump();
                self.depth += 1;
                let fields = self.object_fields();
                self.depth -= 1;
                return Some(Value {
                    kind: ValueKind::Object(fields?),
                    span: token.span.start..self.prev_end(),
                });
            }
            _ => {
                self.error_expected("a value");
                return None;
            }
        };
        self.bump();
        Some(value)
    }

    fn list_items(&mut self) -> Option<Vec<Value>> {
        let mut items = Vec::new();
        loop {
            if self.eat(Kind::RBracket).is_some() {
                return Some(items);
            }
            if matches!(self.kind(), Kind::Eof | Kind::RBrace | Kind::RParen) {
                self.error_expected("`]`");
                return None;
            }
            items.push(self.value()?);
        }
    }

    fn object_fields(&mut self) -> Option<Vec<(Ident, Value)>> {
        let mut fields = Vec::new();
        loop {
            if self.eat(Kind::RBrace).is_some() {
                return Some(fields);
            }
            let token = self.peek().clone();
            let key = match token.kind {
                Kind::Name | Kind::String => {
                    self.bump();
                    Ident {
                        name: self.text_of(&token).to_string(),
                        span: token.span,
                    }
                }
                _ => {
                    self.error_expected("a key or `}`");
                    return None;
                }
            };
            self.expect(Kind::Colon, "`:` after the key")?;
            let value = self.value()?;
            fields.push((key, value));
        }
    }

    // ------------------------------------------------------------- annotations

    fn annotations(&mut self) -> Vec<Annotation> {
        let mut annotations = Vec::new();
        while self.kind() == Kind::At {
            let errors = self.errors.len();
            if let Some(annotation) = self.annotation() {
                annotations.push(annotation);
            }
            if self.errors.len() > errors {
                break;
            }
        }
        annotations
    }

    fn annotation(&mut self) -> Option<Annotation> {
        let at = self.bump();
        let name = self.ident("an annotation name after `@`")?;
        let mut annotation = Annotation {
            name,
            arguments: None,
            span: at.span.start..self.prev_end(),
        };
        if self.eat(Kind::LParen).is_none() {
            return Some(annotation);
        }
        let mut arguments = Vec::new();
        loop {
            if self.eat(Kind::RParen).is_some() {
                break;
            }
            if matches!(self.kind(), Kind::Eof | Kind::RBrace) || self.at_line_definition() {
                self.error_expected("`)`");
                break;
            }
            let name = if self.kind() == Kind::Name && self.nth(1).kind == Kind::Colon {
                let name = self.ident("an argument name");
                self.bump();
                name
            } else {
                None
            };
            let Some(value) = self.value() else {
                break;
            };
            arguments.push(Argument { name, value });
        }
        annotation.arguments = Some(arguments);
        annotation.span = at.span.start..self.prev_end();
        Some(annotation)
    }
}

/// What a definition's parser fills in besides its kind.
struct Head {
    annotations: Vec<Annotation>,
    closed: bool,
    body: Option<Range<usize>>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Errors as `(text at range, message)`.
    fn errors(text: &str) -> Vec<(String, String)> {
        parse(text)
            .errors
            .into_iter()
            .map(|(range, message)| (text[range].to_string(), message))
            .collect()
    }

    fn member_names(definition: &Definition) -> Vec<String> {
        match &definition.kind {
            DefinitionKind::Type { fields, .. } => fields.iter().map(|f| f.name.name.clone()).collect(),
            DefinitionKind::Interface { operations, .. } | DefinitionKind::Role { operations, .. } => {
                operations.iter().map(|o| o.name.name.clone()).collect()
            }
            DefinitionKind::Enum { values, .. } => values.iter().map(|v| v.name.name.clone()).collect(),
            _ => Vec::new(),
        }
    }

    const FULL: &str = r#"namespace "wasmcloud:keyvalue"

import * from "../core.widl"
import { Empty, Item as Entry } from "./other.widl"

"Key-value operations"
interface @service {
  "Gets a value"
  get{key: string}: GetResponse
  set(key: string, value: string, expires: i32 = 0): SetResponse @deprecated(reason: "use put")
  list(): [string]
  clear()
}

role Admin { purge(): void }

"""
A value
"""
type GetResponse implements Base & Other @n(1) {
  value: string
  exists: bool @default(false)
  tags: {string: string}?
  when: datetime?
}

enum Color { Red = 0 "Red!"  Green = 1 }
union Shape = Circle | Square
alias Id = string @format("uuid")
directive @deprecated(reason: string) on OPERATION | FIELD require @service on INTERFACE
"#;

    #[test]
    fn a_whole_file() {
        let parsed = parse(FULL);
        assert_eq!(parsed.errors, vec![]);
        let defs = &parsed.doc.definitions;
        let kinds: Vec<&str> = defs.iter().map(Definition::keyword_text).collect();
        assert_eq!(
            kinds,
            vec![
                "namespace",
                "import",
                "import",
                "interface",
                "role",
                "type",
                "enum",
                "union",
                "alias",
                "directive"
            ]
        );
        let DefinitionKind::Namespace { name } = &defs[0].kind else {
            panic!()
        };
        assert_eq!(name.name, "wasmcloud:keyvalue");
        assert_eq!(&FULL[name.span.clone()], "\"wasmcloud:keyvalue\"");
        let DefinitionKind::Import { all, names, from } = &defs[2].kind else {
            panic!()
        };
        assert!(!all);
        assert_eq!(names[1].alias.as_ref().unwrap().name, "Entry");
        assert_eq!(from.as_ref().unwrap().value, "./other.widl");

        let interface = &defs[3];
        assert_eq!(interface.description.as_ref().unwrap().value, "Key-value operations");
        assert_eq!(interface.annotations[0].name.name, "service");
        assert_eq!(member_names(interface), vec!["get", "set", "list", "clear"]);
        let DefinitionKind::Interface { operations, .. } = &interface.kind else {
            panic!()
        };
        assert!(operations[0].unary);
        assert_eq!(operations[0].description.as_ref().unwrap().value, "Gets a value");
        assert_eq!(
            &FULL[operations[0].span.clone()],
            "\"Gets a value\"\n  get{key: string}: GetResponse"
        );
        assert_eq!(operations[1].params.len(), 3);
        assert_eq!(
            &FULL[operations[1].params[2].default.as_ref().unwrap().span.clone()],
            "0"
        );
        assert_eq!(operations[1].annotations[0].arguments.as_ref().unwrap().len(), 1);
        assert!(matches!(operations[2].returns, Some(TypeRef::List { .. })));
        assert_eq!(operations[3].returns, None);

        let ty = &defs[5];
        assert_eq!(ty.description.as_ref().unwrap().value, "A value");
        assert_eq!(member_names(ty), vec!["value", "exists", "tags", "when"]);
        let DefinitionKind::Type { implements, fields, .. } = &ty.kind else {
            panic!()
        };
        assert_eq!(implements.len(), 2);
        assert!(matches!(fields[2].ty, TypeRef::Optional { .. }));
        let TypeRef::Optional { span, .. } = &fields[2].ty else {
            panic!()
        };
        assert_eq!(&FULL[span.clone()], "{string: string}?");
        assert_eq!(member_names(&defs[6]), vec!["Red", "Green"]);
        assert_eq!(&FULL[defs[6].body.clone().unwrap()], "{ Red = 0 \"Red!\"  Green = 1 }");
        assert_eq!(defs[7].body, None);
        let DefinitionKind::Enum { values, .. } = &defs[6].kind else {
            panic!()
        };
        assert_eq!(values[0].display.as_ref().unwrap().value, "Red!");
        assert_eq!(values[1].index.as_ref().unwrap().name, "1");
        let DefinitionKind::Union { members, .. } = &defs[7].kind else {
            panic!()
        };
        assert_eq!(members.len(), 2);
        assert_eq!(defs[8].annotations[0].name.name, "format");
        let DefinitionKind::Directive {
            name,
            params,
            locations,
            requires,
        } = &defs[9].kind
        else {
            panic!()
        };
        assert_eq!(name.name, "deprecated");
        assert_eq!(params[0].name.name, "reason");
        assert_eq!(locations.len(), 2);
        assert_eq!(requires[0].locations[0].name, "INTERFACE");
        let keywords: Vec<&str> = parsed.doc.keywords.iter().map(|r| &FULL[r.clone()]).collect();
        assert_eq!(
            keywords,
            vec![
                "namespace",
                "import",
                "from",
                "import",
                "as",
                "from",
                "interface",
                "role",
                "type",
                "implements",
                "enum",
                "union",
                "alias",
                "directive",
                "on",
                "require",
                "on"
            ]
        );
    }

    #[test]
    fn a_bad_member_is_reported_once_and_the_rest_is_read() {
        let text = "type A {\n  a: \n  b: string\n  c string\n  d: [i32\n  e: bool\n}\ntype B { x: i8 }\n";
        assert_eq!(
            errors(text),
            vec![
                ("b".to_string(), "expected a type, found `b`".to_string()),
                (
                    "string".to_string(),
                    "expected `:` and the type of `c`, found `string`".to_string()
                ),
                ("e".to_string(), "expected `]`, found `e`".to_string()),
            ]
        );
        let parsed = parse(text);
        assert_eq!(member_names(&parsed.doc.definitions[0]), vec!["a", "b", "c", "d", "e"]);
        assert_eq!(member_names(&parsed.doc.definitions[1]), vec!["x"]);
    }

    #[test]
    fn a_missing_brace_ends_at_the_next_definition() {
        let text = "interface {\n  get(key: string): string\n\ntype T {\n  a: i32\n}\n";
        assert_eq!(
            errors(text),
            vec![(
                "type".to_string(),
                "expected `}` to close the interface, found `type`".to_string()
            )]
        );
        let parsed = parse(text);
        assert!(!parsed.doc.definitions[0].closed);
        let body = parsed.doc.definitions[0].body.clone().unwrap();
        assert_eq!(&text[body], "{\n  get(key: string): string");
        assert_eq!(member_names(&parsed.doc.definitions[1]), vec!["a"]);
        // A field called `type` is a field, not a definition.
        assert_eq!(errors("type T {\n  type: string\n  enum: i32\n}"), vec![]);
    }

    #[test]
    fn a_bad_header_skips_to_the_next_definition() {
        let text = "union Shape { Circle | Square }\n@description(\"x\")\ninterface {\n  a(): i32\n}\ntype 1 {}\nenum E { A = x }\n";
        assert_eq!(
            errors(text),
            vec![
                (
                    "{".to_string(),
                    "expected `=` and the union's types, as in `union Shape = Circle | Square`, found `{`".to_string()
                ),
                (
                    "@".to_string(),
                    "an annotation follows what it annotates, as in `type Name @annotation {`, and cannot start a \
                     definition"
                        .to_string()
                ),
                ("1".to_string(), "expected the type's name, found `1`".to_string()),
                (
                    "x".to_string(),
                    "expected the value's index (an integer), found `x`".to_string()
                ),
            ]
        );
        let parsed = parse(text);
        let kinds: Vec<&str> = parsed.doc.definitions.iter().map(Definition::keyword_text).collect();
        assert_eq!(kinds, vec!["union", "interface", "enum"]);
        assert_eq!(member_names(&parsed.doc.definitions[1]), vec!["a"]);
    }

    #[test]
    fn unclosed_parameters_and_values() {
        let text = "interface {\n  a(x: i32\n  b(): i32 @x([1, 2)\n  c(): i32\n}";
        assert_eq!(
            errors(text),
            vec![
                ("b".to_string(), "expected `)`, found `b`".to_string()),
                (")".to_string(), "expected `]`, found `)`".to_string()),
            ]
        );
        assert_eq!(member_names(&parse(text).doc.definitions[0]), vec!["a", "b", "c"]);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let text = format!("alias A = {}i32{}", "[".repeat(10_000), "]".repeat(10_000));
        let parsed = parse(&text);
        assert_eq!(parsed.errors[0].1, "types nest too deeply");
        let text = format!("type T {{ a: i32 = {}", "[".repeat(10_000));
        assert_eq!(parse(&text).errors[0].1, "values nest too deeply");
    }

    #[test]
    fn truncated_fixtures_never_panic() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/widl");
        let mut seen = 0;
        for entry in std::fs::read_dir(&dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            seen += 1;
            for end in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                let parsed = parse(&text[..end]);
                for (range, _) in &parsed.errors {
                    assert!(
                        range.start <= range.end && range.end <= end,
                        "{range:?} in a prefix of {end}"
                    );
                }
            }
        }
        assert!(seen >= 3, "fixtures missing in {}", dir.display());
    }
}
