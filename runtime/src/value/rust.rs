//! Rust's standard types shown as Rust developers read them: `String` and `&str` as text,
//! `Vec`/slices as element lists, `Rc`/`Arc` through to their value, enums as `Some(7)`.

use crate::dwarf::{Field, TypeDesc, TypeKind, TypeRef, VariantPart};

use super::layout::display_field_name;
use super::scalar::le_u64;
use super::{Expand, MAX_STRING_BYTES, Renderer, SUMMARY_DEPTH, ValueLoc, ValueView};

/// The view of a recognised standard type, or `None` to fall back to the plain layout.
pub(crate) fn view(r: &Renderer<'_>, desc: &TypeDesc, loc: &ValueLoc, depth: u32) -> Option<ValueView> {
    let name = desc.name.as_str();
    let TypeKind::Struct { fields, .. } = &desc.kind else {
        return None;
    };
    if name == "alloc::string::String" {
        let vec_field = field(fields, "vec")?;
        let vec_desc = r.info.type_desc(vec_field.ty?).ok()?;
        let (ptr, len, _) = vec_parts(r, &vec_desc, &loc.offset(vec_field.offset))?;
        return Some(text(r, ptr, len, name));
    }
    if name == "&str" || name == "&mut str" {
        let (ptr, len) = slice_parts(r, fields, loc)?;
        return Some(text(r, ptr, len, name));
    }
    if name.starts_with("alloc::vec::Vec<") {
        let (ptr, len, element) = vec_parts(r, desc, loc)?;
        return Some(elements(r, element?, ptr, len, name, depth));
    }
    if name.starts_with("&[") || name.starts_with("&mut [") {
        let (ptr, len) = slice_parts(r, fields, loc)?;
        let data_ptr = field(fields, "data_ptr")?;
        let element = pointee(r, data_ptr.ty?)?;
        return Some(elements(r, element, ptr, len, name, depth));
    }
    for (prefix, inner) in [("alloc::rc::Rc<", "value"), ("alloc::sync::Arc<", "data")] {
        if name.starts_with(prefix) {
            let (addr, target) = first_pointer(r, fields, loc, 0)?;
            let target_desc = r.info.type_desc(target?).ok()?;
            let TypeKind::Struct {
                fields: inner_fields, ..
            } = &target_desc.kind
            else {
                return None;
            };
            let value_field = field(inner_fields, inner)?;
            let mut view = r.view_at_depth(value_field.ty, &ValueLoc::Memory(addr + value_field.offset), depth);
            view.type_name = name.to_string();
            return Some(view);
        }
    }
    None
}

/// A Rust enum (a struct with a variant part): the active variant, `Some(7)` style.
pub(crate) fn enum_view(
    r: &Renderer<'_>,
    desc: &TypeDesc,
    _fields: &[Field],
    part: &VariantPart,
    loc: &ValueLoc,
    depth: u32,
) -> ValueView {
    let name = desc.name.clone();
    let Some(variant) = active_variant(r, part, loc) else {
        return ValueView::leaf("<unknown variant>", name);
    };
    let variant_name = variant.name.clone();
    let variant_loc = loc.offset(variant.offset);
    let variant_fields = variant
        .ty
        .and_then(|t| r.info.type_desc(t).ok())
        .and_then(|d| match &d.kind {
            TypeKind::Struct { fields, .. } => Some(fields.clone()),
            _ => None,
        })
        .unwrap_or_default();
    if variant_fields.is_empty() {
        return ValueView::leaf(variant_name, name);
    }
    let positional = variant_fields.iter().all(|f| f.name.starts_with("__"));
    let value = if depth >= SUMMARY_DEPTH {
        if positional {
            format!("{variant_name}(…)")
        } else {
            format!("{variant_name} {{ … }}")
        }
    } else {
        let parts: Vec<String> = variant_fields
            .iter()
            .map(|f| {
                let v = r.view_at_depth(f.ty, &variant_loc.offset(f.offset), depth + 1).value;
                if positional { v } else { format!("{}: {v}", f.name) }
            })
            .collect();
        if positional {
            format!("{variant_name}({})", parts.join(", "))
        } else {
            format!("{variant_name} {{ {} }}", parts.join(", "))
        }
    };
    let named = variant_fields
        .into_iter()
        .map(|f| (display_field_name(&f.name), f))
        .collect();
    ValueView {
        value,
        type_name: name,
        expand: Some(Expand::Fields {
            fields: named,
            loc: variant_loc,
        }),
        address: None,
    }
}

/// The variant whose discriminant matches, else the default (niche-holding) variant.
fn active_variant<'p>(r: &Renderer<'_>, part: &'p VariantPart, loc: &ValueLoc) -> Option<&'p Field> {
    let Some(discr) = &part.discriminant else {
        return part.variants.first().map(|v| &v.field);
    };
    let size = discr
        .ty
        .and_then(|t| r.info.type_desc(t).ok())
        .map(|d| d.size)
        .unwrap_or(4)
        .min(8);
    let raw = le_u64(&loc.offset(discr.offset).read(r.mem, size as usize)?);
    let mask = if size >= 8 { u64::MAX } else { (1u64 << (size * 8)) - 1 };
    part.variants
        .iter()
        .find(|v| v.discr_value.is_some_and(|d| d & mask == raw))
        .or_else(|| part.variants.iter().find(|v| v.discr_value.is_none()))
        .map(|v| &v.field)
}

fn field<'f>(fields: &'f [Field], name: &str) -> Option<&'f Field> {
    fields.iter().find(|f| f.name == name)
}

fn pointee(r: &Renderer<'_>, ptr_ty: TypeRef) -> Option<TypeRef> {
    match r.info.type_desc(ptr_ty).ok()?.kind {
        TypeKind::Pointer { target } => target,
        _ => None,
    }
}

/// `(data_ptr, length)` of a fat pointer (`&str`, `&[T]`).
fn slice_parts(r: &Renderer<'_>, fields: &[Field], loc: &ValueLoc) -> Option<(u64, u64)> {
    let ptr = field(fields, "data_ptr")?;
    let len = field(fields, "length")?;
    Some((read_usize(r, ptr, loc)?, read_usize(r, len, loc)?))
}

/// `(pointer, len, element type)` of a `Vec<T>`: the pointer sits somewhere inside `buf`
/// (RawVec → RawVecInner → Unique → NonNull), typed or not depending on the std version, so
/// the element type comes from the `T` parameter.
fn vec_parts(r: &Renderer<'_>, desc: &TypeDesc, loc: &ValueLoc) -> Option<(u64, u64, Option<TypeRef>)> {
    let TypeKind::Struct { fields, .. } = &desc.kind else {
        return None;
    };
    let len = read_usize(r, field(fields, "len")?, loc)?;
    let buf = field(fields, "buf")?;
    let buf_desc = r.info.type_desc(buf.ty?).ok()?;
    let TypeKind::Struct { fields: buf_fields, .. } = &buf_desc.kind else {
        return None;
    };
    let (ptr, _) = first_pointer(r, buf_fields, &loc.offset(buf.offset), 0)?;
    let element = desc
        .template_params
        .iter()
        .find(|(n, _)| n == "T")
        .or(desc.template_params.first())
        .map(|(_, t)| *t);
    Some((ptr, len, element))
}

/// The first pointer met walking into nested single-purpose structs, with its target type.
fn first_pointer(r: &Renderer<'_>, fields: &[Field], loc: &ValueLoc, depth: u32) -> Option<(u64, Option<TypeRef>)> {
    if depth > 8 {
        return None;
    }
    for f in fields {
        let Some(ty) = f.ty else { continue };
        let Ok(desc) = r.info.type_desc(ty) else {
            continue;
        };
        let at = loc.offset(f.offset);
        match &desc.kind {
            TypeKind::Pointer { target } => {
                let addr = le_u64(&at.read(r.mem, desc.size as usize)?);
                return Some((addr, *target));
            }
            TypeKind::Struct {
                fields: inner,
                variant_part: None,
            } => {
                if let Some(found) = first_pointer(r, inner, &at, depth + 1) {
                    return Some(found);
                }
            }
            _ => {}
        }
    }
    None
}

fn read_usize(r: &Renderer<'_>, f: &Field, loc: &ValueLoc) -> Option<u64> {
    let size = f.ty.and_then(|t| r.info.type_desc(t).ok()).map(|d| d.size).unwrap_or(4);
    Some(le_u64(&loc.offset(f.offset).read(r.mem, size as usize)?))
}

fn text(r: &Renderer<'_>, ptr: u64, len: u64, type_name: &str) -> ValueView {
    let shown = len.min(MAX_STRING_BYTES);
    let value = match r.mem.read(ptr, shown as usize) {
        Some(bytes) => {
            let mut s = format!("{:?}", String::from_utf8_lossy(&bytes));
            if shown < len {
                s.push('…');
            }
            s
        }
        None if len == 0 => "\"\"".into(),
        None => "<unreadable>".into(),
    };
    ValueView {
        value,
        type_name: type_name.to_string(),
        expand: None,
        address: Some(ptr),
    }
}

fn elements(r: &Renderer<'_>, element: TypeRef, ptr: u64, len: u64, type_name: &str, depth: u32) -> ValueView {
    ValueView {
        value: r.elements_summary(element, ptr, len, depth),
        type_name: type_name.to_string(),
        expand: (len > 0).then_some(Expand::Elements {
            element,
            base: ptr,
            count: len,
        }),
        address: Some(ptr),
    }
}
