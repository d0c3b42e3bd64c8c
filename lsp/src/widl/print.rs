//! WIDL syntax printed canonically, one piece at a time: types, values, annotations,
//! members and definition headers. Literals (numbers, strings, descriptions) are printed
//! as they were written. The formatter and hover both print with these.

use super::ast::{Annotation, Definition, DefinitionKind, EnumValue, Field, Operation, TypeRef, Value, ValueKind};

pub(crate) fn type_ref(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(ident) => ident.name.clone(),
        TypeRef::List { item, .. } => format!("[{}]", type_ref(item)),
        TypeRef::Map { key, value, .. } => format!("{{{}: {}}}", type_ref(key), type_ref(value)),
        TypeRef::Optional { inner, .. } => format!("{}?", type_ref(inner)),
        TypeRef::Missing(_) => String::new(),
    }
}

pub(crate) fn value(text: &str, value_ref: &Value) -> String {
    match &value_ref.kind {
        ValueKind::List(items) => {
            let items: Vec<String> = items.iter().map(|v| value(text, v)).collect();
            format!("[{}]", items.join(", "))
        }
        ValueKind::Object(fields) => {
            let fields: Vec<String> = fields
                .iter()
                .map(|(key, v)| format!("{}: {}", key.name, value(text, v)))
                .collect();
            format!("{{{}}}", fields.join(", "))
        }
        _ => text.get(value_ref.span.clone()).unwrap_or_default().to_string(),
    }
}

/// ` @a @b(x: 1)`: each annotation after a space.
pub(crate) fn annotations(text: &str, list: &[Annotation]) -> String {
    let mut out = String::new();
    for annotation in list {
        out.push_str(" @");
        out.push_str(&annotation.name.name);
        if let Some(arguments) = &annotation.arguments {
            let arguments: Vec<String> = arguments
                .iter()
                .map(|a| match &a.name {
                    Some(name) => format!("{}: {}", name.name, value(text, &a.value)),
                    None => value(text, &a.value),
                })
                .collect();
            out.push_str(&format!("({})", arguments.join(", ")));
        }
    }
    out
}

/// `name: Type = default @a`, without its description.
pub(crate) fn field(text: &str, field_ref: &Field) -> String {
    let mut out = format!("{}: {}", field_ref.name.name, type_ref(&field_ref.ty));
    if let Some(default) = &field_ref.default {
        out.push_str(" = ");
        out.push_str(&value(text, default));
    }
    out.push_str(&annotations(text, &field_ref.annotations));
    out
}

/// `(a: T, b: U)`, or `{a: T}` for a unary operation.
pub(crate) fn parameters(text: &str, params: &[Field], unary: bool) -> String {
    let params: Vec<String> = params.iter().map(|p| field(text, p)).collect();
    if unary {
        format!("{{{}}}", params.join(", "))
    } else {
        format!("({})", params.join(", "))
    }
}

/// What follows an operation's parameters: `: Type @a`.
pub(crate) fn operation_tail(text: &str, op: &Operation) -> String {
    let mut out = String::new();
    if let Some(returns) = &op.returns {
        out.push_str(": ");
        out.push_str(&type_ref(returns));
    }
    out.push_str(&annotations(text, &op.annotations));
    out
}

/// `name(a: T): R @a` on one line, without descriptions.
pub(crate) fn operation(text: &str, op: &Operation) -> String {
    format!(
        "{}{}{}",
        op.name.name,
        parameters(text, &op.params, op.unary),
        operation_tail(text, op)
    )
}

/// `Name = 0 "Display" @a`.
pub(crate) fn enum_value(text: &str, value_ref: &EnumValue) -> String {
    let mut out = value_ref.name.name.clone();
    if let Some(index) = &value_ref.index {
        out.push_str(" = ");
        out.push_str(&index.name);
    }
    if let Some(display) = &value_ref.display {
        out.push(' ');
        out.push_str(text.get(display.span.clone()).unwrap_or_default());
    }
    out.push_str(&annotations(text, &value_ref.annotations));
    out
}

/// A definition's first line without its description: all of it for one-line definitions,
/// up to (not including) the ` {` of its body for the others.
pub(crate) fn head(text: &str, def: &Definition) -> String {
    let annotations = annotations(text, &def.annotations);
    match &def.kind {
        DefinitionKind::Namespace { name } => {
            format!(
                "namespace {}{annotations}",
                text.get(name.span.clone()).unwrap_or_default()
            )
        }
        DefinitionKind::Import { all, names, from } => {
            let what = if *all {
                "*".to_string()
            } else {
                let names: Vec<String> = names
                    .iter()
                    .map(|n| match &n.alias {
                        Some(alias) => format!("{} as {}", n.name.name, alias.name),
                        None => n.name.name.clone(),
                    })
                    .collect();
                format!("{{ {} }}", names.join(", "))
            };
            let from = from
                .as_ref()
                .map_or("", |f| text.get(f.span.clone()).unwrap_or_default());
            format!("import {what} from {from}{annotations}")
        }
        DefinitionKind::Interface { name, .. } => match name {
            Some(name) => format!("interface {}{annotations}", name.name),
            None => format!("interface{annotations}"),
        },
        DefinitionKind::Role { name, .. } => format!("role {}{annotations}", name.name),
        DefinitionKind::Type { name, implements, .. } => {
            let mut out = format!("type {}", name.name);
            if !implements.is_empty() {
                let names: Vec<&str> = implements.iter().map(|i| i.name.as_str()).collect();
                out.push_str(&format!(" implements {}", names.join(" & ")));
            }
            out + &annotations
        }
        DefinitionKind::Enum { name, .. } => format!("enum {}{annotations}", name.name),
        DefinitionKind::Union { name, members } => {
            let members: Vec<String> = members.iter().map(type_ref).collect();
            format!("union {}{annotations} = {}", name.name, members.join(" | "))
        }
        DefinitionKind::Alias { name, ty } => format!("alias {} = {}{annotations}", name.name, type_ref(ty)),
        DefinitionKind::Directive { name, params, .. } => {
            let mut out = format!("directive @{}", name.name);
            if !params.is_empty() {
                out.push_str(&parameters(text, params, false));
            }
            out + &directive_tail(def)
        }
    }
}

/// What follows a directive's parameters: ` on A | B require @x on C`.
pub(crate) fn directive_tail(def: &Definition) -> String {
    let DefinitionKind::Directive {
        locations, requires, ..
    } = &def.kind
    else {
        return String::new();
    };
    let names = |list: &[super::ast::Ident]| list.iter().map(|l| l.name.as_str()).collect::<Vec<_>>().join(" | ");
    let mut out = format!(" on {}", names(locations));
    if !requires.is_empty() {
        out.push_str(" require");
        for require in requires {
            out.push_str(&format!(" @{} on {}", require.name.name, names(&require.locations)));
        }
    }
    out
}

/// Whether a definition is written with a `{ … }` body.
pub(crate) fn has_body(def: &Definition) -> bool {
    matches!(
        def.kind,
        DefinitionKind::Interface { .. }
            | DefinitionKind::Role { .. }
            | DefinitionKind::Type { .. }
            | DefinitionKind::Enum { .. }
    )
}

/// A definition without descriptions or comments, its members one per line: what hover
/// shows of it.
pub(crate) fn signature(text: &str, def: &Definition) -> String {
    let mut out = head(text, def);
    if !has_body(def) {
        return out;
    }
    let members: Vec<String> = match &def.kind {
        DefinitionKind::Interface { operations, .. } | DefinitionKind::Role { operations, .. } => {
            operations.iter().map(|o| operation(text, o)).collect()
        }
        DefinitionKind::Type { fields, .. } => fields.iter().map(|f| field(text, f)).collect(),
        DefinitionKind::Enum { values, .. } => values.iter().map(|v| enum_value(text, v)).collect(),
        _ => Vec::new(),
    };
    if members.is_empty() {
        out.push_str(" {}");
    } else {
        out.push_str(" {\n");
        for member in members {
            out.push_str("  ");
            out.push_str(&member);
            out.push('\n');
        }
        out.push('}');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::parser::parse;
    use super::*;

    #[test]
    fn canonical_pieces() {
        let text = "namespace   wasmcloud:kv @a\nimport {A,B as   C} from \"f.widl\"\n\
                    interface@x { get { key : string } : [ T ] ? @d( r : \"no\" , s:[1,2] , t:{a:true} )\n clear() }\n\
                    type T implements & A&B @n(1) { m: { string : [ i64 ] } = { } \n o: u8 = 3 @q }\n\
                    enum E{A=0 \"a\" @z B = 1}\nunion U = | A|B\nalias Id=string@format(\"uuid\")\n\
                    directive @d(r: string) on | FIELD|TYPE require @x on SELF @y on FIELD";
        let parsed = parse(text);
        assert_eq!(parsed.errors, vec![]);
        let heads: Vec<String> = parsed.doc.definitions.iter().map(|d| head(text, d)).collect();
        assert_eq!(
            heads,
            vec![
                "namespace wasmcloud:kv @a",
                "import { A, B as C } from \"f.widl\"",
                "interface @x",
                "type T implements A & B @n(1)",
                "enum E",
                "union U = A | B",
                "alias Id = string @format(\"uuid\")",
                "directive @d(r: string) on FIELD | TYPE require @x on SELF @y on FIELD",
            ]
        );
        assert_eq!(
            signature(text, &parsed.doc.definitions[2]),
            "interface @x {\n  get{key: string}: [T]? @d(r: \"no\", s: [1, 2], t: {a: true})\n  clear()\n}"
        );
        assert_eq!(
            signature(text, &parsed.doc.definitions[3]),
            "type T implements A & B @n(1) {\n  m: {string: [i64]} = {}\n  o: u8 = 3 @q\n}"
        );
        assert_eq!(
            signature(text, &parsed.doc.definitions[4]),
            "enum E {\n  A = 0 \"a\" @z\n  B = 1\n}"
        );
    }
}
