//! Values laid out by DWARF alone: scalars, pointers, structs, unions, arrays, C enums.

use crate::dwarf::{TypeDesc, TypeKind};

use super::scalar::{format_base, le_u64};
use super::{Expand, Renderer, SUMMARY_DEPTH, ValueLoc, ValueView, rust, short_type_name};

pub(crate) fn view(r: &Renderer<'_>, desc: &TypeDesc, loc: &ValueLoc, depth: u32) -> ValueView {
    let name = desc.name.clone();
    match &desc.kind {
        TypeKind::Base { encoding } => match loc.read(r.mem, desc.size as usize) {
            Some(bytes) => ValueView::leaf(format_base(*encoding, &bytes), name),
            None => ValueView::leaf("<unreadable>", name),
        },
        TypeKind::Enum { enumerators, signed } => match loc.read(r.mem, desc.size as usize) {
            Some(bytes) => {
                let raw = le_u64(&bytes);
                let value = if *signed {
                    format_base(gimli::DW_ATE_signed, &bytes)
                        .parse::<i64>()
                        .unwrap_or(raw as i64)
                } else {
                    raw as i64
                };
                let text = enumerators
                    .iter()
                    .find(|(_, v)| *v == value)
                    .map(|(n, _)| n.clone())
                    .unwrap_or_else(|| format!("{value}"));
                ValueView::leaf(text, name)
            }
            None => ValueView::leaf("<unreadable>", name),
        },
        TypeKind::Pointer { target } => pointer(r, desc, *target, loc, depth),
        TypeKind::Struct {
            fields,
            variant_part: Some(part),
        } => rust::enum_view(r, desc, fields, part, loc, depth),
        TypeKind::Struct {
            fields,
            variant_part: None,
        }
        | TypeKind::Union { fields } => {
            let tuple_like = !fields.is_empty() && fields.iter().all(|f| is_positional(&f.name));
            let named: Vec<_> = fields
                .iter()
                .map(|f| (display_field_name(&f.name), f.clone()))
                .collect();
            let value = if depth >= SUMMARY_DEPTH {
                if tuple_like {
                    "(…)".to_string()
                } else {
                    format!("{} {{ … }}", short_type_name(&name))
                }
            } else {
                let parts: Vec<String> = named
                    .iter()
                    .map(|(n, f)| {
                        let v = r.view_at_depth(f.ty, &loc.offset(f.offset), depth + 1).value;
                        if tuple_like { v } else { format!("{n}: {v}") }
                    })
                    .collect();
                let short = short_type_name(&name);
                if desc.c_like {
                    // As C debuggers print aggregates: `{x = 3, y = -4}`.
                    let parts: Vec<String> = parts.iter().map(|p| p.replacen(": ", " = ", 1)).collect();
                    return ValueView {
                        value: format!("{{{}}}", parts.join(", ")),
                        type_name: name,
                        expand: (!named.is_empty()).then(|| Expand::Fields {
                            fields: named,
                            loc: loc.clone(),
                        }),
                        address: None,
                    };
                }
                match (tuple_like, name.starts_with('(')) {
                    (true, true) => format!("({})", parts.join(", ")),
                    (true, false) => format!("{short}({})", parts.join(", ")),
                    (false, _) if parts.is_empty() => short.to_string(),
                    (false, _) => format!("{short} {{ {} }}", parts.join(", ")),
                }
            };
            let expand = (!named.is_empty()).then(|| Expand::Fields {
                fields: named,
                loc: loc.clone(),
            });
            ValueView {
                value,
                type_name: name,
                expand,
                address: None,
            }
        }
        TypeKind::Array { element, count } => {
            let count = count.unwrap_or(0);
            match loc {
                ValueLoc::Memory(base) => ValueView {
                    value: r.elements_summary(*element, *base, count, depth),
                    type_name: name,
                    expand: (count > 0).then_some(Expand::Elements {
                        element: *element,
                        base: *base,
                        count,
                    }),
                    address: None,
                },
                _ => ValueView::leaf(format!("[…; {count}]"), name),
            }
        }
        TypeKind::Function => ValueView::leaf("<function>", name),
        TypeKind::Unit => ValueView::leaf(if name == "()" { "()" } else { "" }, name),
    }
}

/// Rust tuple fields are `__0`, `__1`…: shown as `0`, `1`.
fn is_positional(name: &str) -> bool {
    name.strip_prefix("__")
        .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
}

pub(crate) fn display_field_name(name: &str) -> String {
    if is_positional(name) {
        name[2..].to_string()
    } else {
        name.to_string()
    }
}

/// References and `Box` show their target; raw pointers show the address; C strings both.
fn pointer(
    r: &Renderer<'_>,
    desc: &TypeDesc,
    target: Option<crate::dwarf::TypeRef>,
    loc: &ValueLoc,
    depth: u32,
) -> ValueView {
    let name = desc.name.clone();
    let Some(bytes) = loc.read(r.mem, desc.size as usize) else {
        return ValueView::leaf("<unreadable>", name);
    };
    let addr = le_u64(&bytes);
    if addr == 0 {
        return ValueView::leaf("null", name);
    }
    let Some(target) = target else {
        return ValueView::leaf(format!("{addr:#010x}"), name);
    };
    let Ok(target_desc) = r.info.type_desc(target) else {
        return ValueView::leaf(format!("{addr:#010x}"), name);
    };
    // C strings: `char *` shows the address and the text.
    if let TypeKind::Base { encoding } = target_desc.kind
        && target_desc.size == 1
        && (encoding == gimli::DW_ATE_signed_char || encoding == gimli::DW_ATE_unsigned_char)
    {
        let text = c_string(r, addr);
        return ValueView {
            value: format!("{addr:#010x} {text:?}"),
            type_name: name,
            expand: None,
            address: Some(addr),
        };
    }
    let target_view = r.view_at_depth(Some(target), &ValueLoc::Memory(addr), depth);
    let raw = name.starts_with('*') || !name.starts_with('&') && !name.contains("Box<") && name.ends_with('*');
    if raw {
        // A raw pointer: the address, with the target one level down.
        let expand = Some(Expand::Fields {
            fields: vec![(
                "*".into(),
                crate::dwarf::Field {
                    name: "*".into(),
                    offset: 0,
                    ty: Some(target),
                },
            )],
            loc: ValueLoc::Memory(addr),
        });
        return ValueView {
            value: format!("{addr:#010x}"),
            type_name: name,
            expand,
            address: Some(addr),
        };
    }
    ValueView {
        value: target_view.value,
        type_name: name,
        expand: target_view.expand,
        address: Some(addr),
    }
}

fn c_string(r: &Renderer<'_>, addr: u64) -> String {
    let mut out = Vec::new();
    let mut at = addr;
    while out.len() < 4096 {
        let Some(chunk) = r.mem.read(at, 64).or_else(|| r.mem.read(at, 1)) else {
            break;
        };
        if let Some(end) = chunk.iter().position(|b| *b == 0) {
            out.extend_from_slice(&chunk[..end]);
            break;
        }
        at += chunk.len() as u64;
        out.extend(chunk);
    }
    String::from_utf8_lossy(&out).into_owned()
}
