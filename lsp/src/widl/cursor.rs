//! Every name a WIDL file mentions, with what it is, in text order; and the one at an
//! offset. Hover, navigation and highlighting start here.

use std::ops::Range;

use super::ast::{
    Annotation, Definition, DefinitionKind, Document, EnumValue, Field, Ident, ImportName, Operation, StringLit,
    TypeRef, Value, ValueKind,
};

#[derive(Debug, Clone, Copy)]
pub(crate) enum Item<'a> {
    /// A definition's name (an unnamed interface's keyword).
    Definition(&'a Definition),
    /// A named type where a type is expected.
    TypeUse(&'a Ident),
    Operation(&'a Operation),
    Field(&'a Field),
    Parameter(&'a Field),
    EnumValue(&'a EnumValue),
    /// The name of an annotation (after its `@`).
    Annotation(&'a Annotation),
    /// A directive named after a directive's `require @`.
    DirectiveUse(&'a Ident),
    /// An annotation argument's name, or a key of an object value.
    ArgumentName,
    /// A `true`, `false`, `null` or enum value in a default or an annotation.
    Value(&'a Value),
    /// `name` or `alias` of `import { name as alias }`.
    ImportName(&'a ImportName, bool),
    /// The file of an `import`.
    ImportFrom(&'a StringLit, &'a Definition),
    /// Where a directive may be used (`FIELD`, …).
    Location,
}

/// Calls `f` with every name of `doc` and its range, in text order within each definition.
pub(crate) fn each<'a>(doc: &'a Document, f: &mut impl FnMut(Range<usize>, Item<'a>)) {
    for def in &doc.definitions {
        definition(def, f);
    }
}

/// The name at `offset` (a cursor right after a name is on it).
pub(crate) fn at(doc: &Document, offset: usize) -> Option<(Range<usize>, Item<'_>)> {
    let mut inside = None;
    let mut touching = None;
    each(doc, &mut |range, item| {
        if range.start <= offset && offset < range.end && inside.is_none() {
            inside = Some((range, item));
        } else if range.end == offset && range.start < offset && touching.is_none() {
            touching = Some((range, item));
        }
    });
    inside.or(touching)
}

fn definition<'a>(def: &'a Definition, f: &mut impl FnMut(Range<usize>, Item<'a>)) {
    match &def.kind {
        DefinitionKind::Namespace { name } => {
            f(name.span.clone(), Item::Definition(def));
            annotations_of(&def.annotations, f);
        }
        DefinitionKind::Import { names, from, .. } => {
            for name in names {
                f(name.name.span.clone(), Item::ImportName(name, false));
                if let Some(alias) = &name.alias {
                    f(alias.span.clone(), Item::ImportName(name, true));
                }
            }
            if let Some(from) = from {
                f(from.span.clone(), Item::ImportFrom(from, def));
            }
            annotations_of(&def.annotations, f);
        }
        DefinitionKind::Interface { name, operations } => {
            let range = name.as_ref().map_or(def.keyword.clone(), |n| n.span.clone());
            f(range, Item::Definition(def));
            annotations_of(&def.annotations, f);
            for op in operations {
                operation(op, f);
            }
        }
        DefinitionKind::Role { name, operations } => {
            f(name.span.clone(), Item::Definition(def));
            annotations_of(&def.annotations, f);
            for op in operations {
                operation(op, f);
            }
        }
        DefinitionKind::Type {
            name,
            implements,
            fields,
        } => {
            f(name.span.clone(), Item::Definition(def));
            for ident in implements {
                f(ident.span.clone(), Item::TypeUse(ident));
            }
            annotations_of(&def.annotations, f);
            for field in fields {
                f(field.name.span.clone(), Item::Field(field));
                field_rest(field, f);
            }
        }
        DefinitionKind::Enum { name, values } => {
            f(name.span.clone(), Item::Definition(def));
            annotations_of(&def.annotations, f);
            for value in values {
                f(value.name.span.clone(), Item::EnumValue(value));
                annotations_of(&value.annotations, f);
            }
        }
        DefinitionKind::Union { name, members } => {
            f(name.span.clone(), Item::Definition(def));
            annotations_of(&def.annotations, f);
            for member in members {
                type_ref(member, f);
            }
        }
        DefinitionKind::Alias { name, ty } => {
            f(name.span.clone(), Item::Definition(def));
            type_ref(ty, f);
            annotations_of(&def.annotations, f);
        }
        DefinitionKind::Directive {
            name,
            params,
            locations,
            requires,
        } => {
            f(name.span.clone(), Item::Definition(def));
            for param in params {
                f(param.name.span.clone(), Item::Parameter(param));
                field_rest(param, f);
            }
            for location in locations {
                f(location.span.clone(), Item::Location);
            }
            for require in requires {
                f(require.name.span.clone(), Item::DirectiveUse(&require.name));
                for location in &require.locations {
                    f(location.span.clone(), Item::Location);
                }
            }
        }
    }
}

fn operation<'a>(op: &'a Operation, f: &mut impl FnMut(Range<usize>, Item<'a>)) {
    f(op.name.span.clone(), Item::Operation(op));
    for param in &op.params {
        f(param.name.span.clone(), Item::Parameter(param));
        field_rest(param, f);
    }
    if let Some(returns) = &op.returns {
        type_ref(returns, f);
    }
    annotations_of(&op.annotations, f);
}

/// A field's or parameter's type, default and annotations.
fn field_rest<'a>(field: &'a Field, f: &mut impl FnMut(Range<usize>, Item<'a>)) {
    type_ref(&field.ty, f);
    if let Some(default) = &field.default {
        value(default, f);
    }
    annotations_of(&field.annotations, f);
}

fn type_ref<'a>(ty: &'a TypeRef, f: &mut impl FnMut(Range<usize>, Item<'a>)) {
    for ident in ty.names() {
        f(ident.span.clone(), Item::TypeUse(ident));
    }
}

fn annotations<'a>(list: &'a [Annotation], f: &mut dyn FnMut(Range<usize>, Item<'a>)) {
    for annotation in list {
        f(annotation.name.span.clone(), Item::Annotation(annotation));
        for argument in annotation.arguments.iter().flatten() {
            if let Some(name) = &argument.name {
                f(name.span.clone(), Item::ArgumentName);
            }
            value(&argument.value, &mut |r, i| f(r, i));
        }
    }
}

fn annotations_of<'a>(list: &'a [Annotation], f: &mut impl FnMut(Range<usize>, Item<'a>)) {
    annotations(list, &mut |r, i| f(r, i));
}

fn value<'a>(value_ref: &'a Value, f: &mut impl FnMut(Range<usize>, Item<'a>)) {
    match &value_ref.kind {
        ValueKind::Bool | ValueKind::Null | ValueKind::Enum => f(value_ref.span.clone(), Item::Value(value_ref)),
        ValueKind::List(items) => {
            for item in items {
                value(item, f);
            }
        }
        ValueKind::Object(fields) => {
            for (key, item) in fields {
                f(key.span.clone(), Item::ArgumentName);
                value(item, f);
            }
        }
        ValueKind::Int | ValueKind::Float | ValueKind::String => {}
    }
}

#[cfg(test)]
mod tests {
    use super::super::parser::parse;
    use super::*;

    fn label(item: &Item) -> &'static str {
        match item {
            Item::Definition(_) => "definition",
            Item::TypeUse(_) => "type use",
            Item::Operation(_) => "operation",
            Item::Field(_) => "field",
            Item::Parameter(_) => "parameter",
            Item::EnumValue(_) => "enum value",
            Item::Annotation(_) => "annotation",
            Item::DirectiveUse(_) => "directive use",
            Item::ArgumentName => "argument",
            Item::Value(_) => "value",
            Item::ImportName(..) => "import name",
            Item::ImportFrom(..) => "import from",
            Item::Location => "location",
        }
    }

    #[test]
    fn every_name_in_order() {
        let text = "import { A as B } from \"f\"\ninterface { get{k: [B]}: C @x(y: E, z: {q: true}) }\n\
                    enum Color { Red = 0 }\ndirective @d(r: string = none) on FIELD require @x on SELF";
        let parsed = parse(text);
        assert_eq!(parsed.errors, vec![]);
        let mut seen = Vec::new();
        each(&parsed.doc, &mut |range, item| seen.push((&text[range], label(&item))));
        assert_eq!(
            seen,
            vec![
                ("A", "import name"),
                ("B", "import name"),
                ("\"f\"", "import from"),
                ("interface", "definition"),
                ("get", "operation"),
                ("k", "parameter"),
                ("B", "type use"),
                ("C", "type use"),
                ("x", "annotation"),
                ("y", "argument"),
                ("E", "value"),
                ("z", "argument"),
                ("q", "argument"),
                ("true", "value"),
                ("Color", "definition"),
                ("Red", "enum value"),
                ("d", "definition"),
                ("r", "parameter"),
                ("string", "type use"),
                ("none", "value"),
                ("FIELD", "location"),
                ("x", "directive use"),
                ("SELF", "location"),
            ]
        );
        let offset = text.find("C @").unwrap();
        let (range, item) = at(&parsed.doc, offset + 1).unwrap();
        assert_eq!((&text[range], label(&item)), ("C", "type use"));
        let (range, _) = at(&parsed.doc, offset).unwrap();
        assert_eq!(&text[range], "C");
        assert!(at(&parsed.doc, text.find("{ get").unwrap()).is_none());
    }
}
