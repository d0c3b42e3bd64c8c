//! WIDL's syntax tree, every node with the byte range it was read from. Nodes that did not
//! parse completely are still built with what was read (a missing type is
//! [`TypeRef::Missing`]), so that later stages see every name the file declares.

use std::ops::Range;

/// A name and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Ident {
    pub name: String,
    pub span: Range<usize>,
}

/// A string literal: its decoded value and the span of its source text (quotes included).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct StringLit {
    pub value: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TypeRef {
    Named(Ident),
    List {
        item: Box<TypeRef>,
        span: Range<usize>,
    },
    Map {
        key: Box<TypeRef>,
        value: Box<TypeRef>,
        span: Range<usize>,
    },
    Optional {
        inner: Box<TypeRef>,
        span: Range<usize>,
    },
    /// Where a type should have been: an empty range at the offending token.
    Missing(Range<usize>),
}

impl TypeRef {
    /// Every named type this type mentions, in text order.
    pub fn names(&self) -> Vec<&Ident> {
        match self {
            TypeRef::Named(ident) => vec![ident],
            TypeRef::List { item, .. } => item.names(),
            TypeRef::Map { key, value, .. } => {
                let mut names = key.names();
                names.extend(value.names());
                names
            }
            TypeRef::Optional { inner, .. } => inner.names(),
            TypeRef::Missing(_) => Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ValueKind {
    Int,
    Float,
    String,
    Bool,
    Null,
    /// A bare name: an enum value.
    Enum,
    List(Vec<Value>),
    Object(Vec<(Ident, Value)>),
}

/// A literal value (defaults, annotation arguments); scalars are kept as their source text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Value {
    pub kind: ValueKind,
    pub span: Range<usize>,
}

/// `name: value` in an annotation's arguments; a lone value has no name (it is `value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Argument {
    pub name: Option<Ident>,
    pub value: Value,
}

/// `@name` or `@name(arguments)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Annotation {
    pub name: Ident,
    /// `None` when written without parentheses.
    pub arguments: Option<Vec<Argument>>,
    /// From the `@` to the end of the arguments.
    pub span: Range<usize>,
}

/// A type's field or an operation's or directive's parameter: `name: Type = default @a`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Field {
    pub description: Option<StringLit>,
    pub name: Ident,
    pub ty: TypeRef,
    pub default: Option<Value>,
    pub annotations: Vec<Annotation>,
    pub span: Range<usize>,
}

/// `name(params): Type @a`, or unary `name{param}: Type`; no `: Type` means `void`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Operation {
    pub description: Option<StringLit>,
    pub name: Ident,
    pub unary: bool,
    pub params: Vec<Field>,
    pub returns: Option<TypeRef>,
    pub annotations: Vec<Annotation>,
    pub span: Range<usize>,
}

/// `Name = 0 "Display" @a`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnumValue {
    pub description: Option<StringLit>,
    pub name: Ident,
    /// The index's source text and span.
    pub index: Option<Ident>,
    pub display: Option<StringLit>,
    pub annotations: Vec<Annotation>,
    pub span: Range<usize>,
}

/// `Name` or `Name as Alias` in `import { … }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ImportName {
    pub name: Ident,
    pub alias: Option<Ident>,
}

/// `@name on LOCATION | …` after a directive's `require`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Require {
    pub name: Ident,
    pub locations: Vec<Ident>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum DefinitionKind {
    /// `namespace "name"`; the name keeps its quotes when it had them.
    Namespace {
        name: Ident,
    },
    /// `import * from "file"` (no names) or `import { A, B as C } from "file"`.
    Import {
        all: bool,
        names: Vec<ImportName>,
        from: Option<StringLit>,
    },
    /// `interface { operations }`; WIDL's interface has no name (Apex's may).
    Interface {
        name: Option<Ident>,
        operations: Vec<Operation>,
    },
    Role {
        name: Ident,
        operations: Vec<Operation>,
    },
    Type {
        name: Ident,
        implements: Vec<Ident>,
        fields: Vec<Field>,
    },
    Enum {
        name: Ident,
        values: Vec<EnumValue>,
    },
    Union {
        name: Ident,
        members: Vec<TypeRef>,
    },
    Alias {
        name: Ident,
        ty: TypeRef,
    },
    Directive {
        name: Ident,
        params: Vec<Field>,
        locations: Vec<Ident>,
        requires: Vec<Require>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Definition {
    pub description: Option<StringLit>,
    /// The definition keyword (`type`, `enum`, …).
    pub keyword: Range<usize>,
    pub annotations: Vec<Annotation>,
    pub kind: DefinitionKind,
    /// From the description (or keyword) to the last token read.
    pub span: Range<usize>,
    /// Whether the braces of its body were both there (for definitions with a body).
    pub closed: bool,
    /// Its body, from the `{` to the `}` (or to the last member read when unclosed).
    pub body: Option<Range<usize>>,
}

impl Definition {
    /// The name other definitions refer to it by: types, enums, unions, aliases and roles.
    pub fn type_name(&self) -> Option<&Ident> {
        match &self.kind {
            DefinitionKind::Type { name, .. }
            | DefinitionKind::Enum { name, .. }
            | DefinitionKind::Union { name, .. }
            | DefinitionKind::Alias { name, .. }
            | DefinitionKind::Role { name, .. } => Some(name),
            _ => None,
        }
    }

    /// The keyword this definition is written with.
    pub fn keyword_text(&self) -> &'static str {
        match self.kind {
            DefinitionKind::Namespace { .. } => "namespace",
            DefinitionKind::Import { .. } => "import",
            DefinitionKind::Interface { .. } => "interface",
            DefinitionKind::Role { .. } => "role",
            DefinitionKind::Type { .. } => "type",
            DefinitionKind::Enum { .. } => "enum",
            DefinitionKind::Union { .. } => "union",
            DefinitionKind::Alias { .. } => "alias",
            DefinitionKind::Directive { .. } => "directive",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Document {
    pub definitions: Vec<Definition>,
    /// Every keyword the parser read as one (definition keywords, `from`, `as`, `on`,
    /// `require`, `implements`), for highlighting.
    pub keywords: Vec<Range<usize>>,
}

/// The built-in types, with what they hold.
pub(crate) const BUILTIN_TYPES: &[(&str, &str)] = &[
    ("i8", "8-bit signed integer"),
    ("i16", "16-bit signed integer"),
    ("i32", "32-bit signed integer"),
    ("i64", "64-bit signed integer"),
    ("u8", "8-bit unsigned integer"),
    ("u16", "16-bit unsigned integer"),
    ("u32", "32-bit unsigned integer"),
    ("u64", "64-bit unsigned integer"),
    ("f32", "32-bit floating point number"),
    ("f64", "64-bit floating point number"),
    ("bool", "`true` or `false`"),
    ("string", "UTF-8 text"),
    ("datetime", "a point in time"),
    ("bytes", "a sequence of bytes"),
    ("raw", "a value passed through undecoded"),
    ("value", "any value"),
    ("any", "any value"),
];

pub(crate) fn builtin(name: &str) -> Option<&'static str> {
    BUILTIN_TYPES.iter().find(|(n, _)| *n == name).map(|(_, what)| *what)
}

/// The top-level keywords, with what each defines.
pub(crate) const DEFINITION_KEYWORDS: &[(&str, &str)] = &[
    ("namespace", "the namespace of this file's interface"),
    ("import", "definitions of another WIDL file"),
    ("interface", "the operations an actor or provider exposes"),
    ("role", "a named group of operations"),
    ("type", "a type with fields"),
    ("enum", "an enumeration"),
    ("union", "one of several types"),
    ("alias", "another name for a type"),
    ("directive", "an annotation and where it may be used"),
];

/// Where a directive's annotation may be used.
pub(crate) const DIRECTIVE_LOCATIONS: &[&str] = &[
    "NAMESPACE",
    "INTERFACE",
    "ROLE",
    "OPERATION",
    "PARAMETER",
    "TYPE",
    "FIELD",
    "ENUM",
    "ENUM_VALUE",
    "UNION",
    "ALIAS",
];

#[cfg(test)]
mod tests {
    use super::*;

    fn ident(name: &str, at: usize) -> Ident {
        Ident {
            name: name.into(),
            span: at..at + name.len(),
        }
    }

    #[test]
    fn type_names_in_text_order() {
        let ty = TypeRef::Optional {
            inner: Box::new(TypeRef::Map {
                key: Box::new(TypeRef::Named(ident("string", 1))),
                value: Box::new(TypeRef::List {
                    item: Box::new(TypeRef::Named(ident("Item", 10))),
                    span: 9..15,
                }),
                span: 0..16,
            }),
            span: 0..17,
        };
        let names: Vec<&str> = ty.names().iter().map(|i| i.name.as_str()).collect();
        assert_eq!(names, vec!["string", "Item"]);
        assert_eq!(builtin("datetime"), Some("a point in time"));
        assert_eq!(builtin("String"), None);
    }
}
