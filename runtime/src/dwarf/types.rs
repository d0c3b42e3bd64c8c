//! DWARF types, described on demand and cached: what a value reader needs to lay out a value
//! (sizes, fields, variant parts, element types) and the names a developer knows them by.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use anyhow::{Context, Result, bail};
use gimli::{AttributeValue, UnitOffset};

use super::functions::die_name;
use super::{DebugInfo, R};

/// A type DIE: unit index and offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TypeRef {
    pub(crate) unit: usize,
    pub(crate) offset: UnitOffset,
}

#[derive(Debug, Clone)]
pub struct TypeDesc {
    /// The name as a developer writes it (Rust paths qualified: `alloc::string::String`).
    pub name: String,
    pub size: u64,
    pub kind: TypeKind,
    /// Generic parameters (`T` of `Vec<T>`), from `DW_TAG_template_type_parameter`.
    pub template_params: Vec<(String, TypeRef)>,
    /// Declared in C or C++ (values are then written the way C debuggers write them).
    pub c_like: bool,
}

#[derive(Debug, Clone)]
pub enum TypeKind {
    /// A scalar: `DW_ATE_*` encoding.
    Base {
        encoding: gimli::DwAte,
    },
    /// Pointers and references; `None` target is `void *`.
    Pointer {
        target: Option<TypeRef>,
    },
    Struct {
        fields: Vec<Field>,
        variant_part: Option<VariantPart>,
    },
    Union {
        fields: Vec<Field>,
    },
    /// `count` is `None` for flexible arrays.
    Array {
        element: TypeRef,
        count: Option<u64>,
    },
    /// A C-like enum (Rust fieldless enums too).
    Enum {
        enumerators: Vec<(String, i64)>,
        signed: bool,
    },
    Function,
    /// `void`, `()`, or something we do not read.
    Unit,
}

#[derive(Debug, Clone)]
pub struct Field {
    pub name: String,
    pub offset: u64,
    pub ty: Option<TypeRef>,
}

/// A Rust enum's variants (`DW_TAG_variant_part`).
#[derive(Debug, Clone)]
pub struct VariantPart {
    pub discriminant: Option<Field>,
    pub variants: Vec<Variant>,
}

#[derive(Debug, Clone)]
pub struct Variant {
    /// `None` marks the default (dataful) variant of a niche-encoded enum.
    pub discr_value: Option<u64>,
    /// The member holding the variant's data; its name is the variant's name.
    pub field: Field,
}

#[derive(Default)]
pub(crate) struct TypeCache {
    cache: Mutex<HashMap<TypeRef, Arc<TypeDesc>>>,
    /// Qualified names of type DIEs, computed on first use.
    qualified: OnceLock<HashMap<(usize, UnitOffset), String>>,
}

impl TypeCache {
    pub(crate) fn get(&self, info: &DebugInfo, ty: TypeRef) -> Result<Arc<TypeDesc>> {
        if let Some(desc) = self.cache.lock().unwrap_or_else(|e| e.into_inner()).get(&ty) {
            return Ok(desc.clone());
        }
        let desc = Arc::new(self.describe(info, ty, 0)?);
        self.cache
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(ty, desc.clone());
        Ok(desc)
    }

    fn qualified_name(&self, info: &DebugInfo, ty: TypeRef) -> Option<String> {
        self.qualified
            .get_or_init(|| qualified_type_names(info))
            .get(&(ty.unit, ty.offset))
            .cloned()
    }

    fn describe(&self, info: &DebugInfo, ty: TypeRef, depth: u32) -> Result<TypeDesc> {
        if depth > 32 {
            bail!("type chain too deep");
        }
        let unit = &info.units[ty.unit];
        let entry = unit.entry(ty.offset).context("bad type reference")?;
        let name = || {
            self.qualified_name(info, ty)
                .or_else(|| die_name(&info.dwarf, unit, &entry))
                .map(|n| tidy_type_name(&n))
        };
        let size = udata(&entry, gimli::DW_AT_byte_size);
        let target = type_attr(&entry, ty.unit);
        let pointer_size = unit.encoding().address_size as u64;
        let c_like = is_c_family(unit);
        let mut template_params = Vec::new();
        let kind = match entry.tag() {
            gimli::DW_TAG_base_type => {
                let encoding = match entry.attr_value(gimli::DW_AT_encoding) {
                    Some(AttributeValue::Encoding(e)) => e,
                    _ => gimli::DW_ATE_unsigned,
                };
                TypeKind::Base { encoding }
            }
            gimli::DW_TAG_pointer_type | gimli::DW_TAG_reference_type | gimli::DW_TAG_rvalue_reference_type => {
                let name = name().unwrap_or_else(|| {
                    let target_name = target
                        .and_then(|t| self.get(info, t).ok())
                        .map(|d| d.name.clone())
                        .unwrap_or_else(|| "void".into());
                    format!("{target_name} *")
                });
                return Ok(TypeDesc {
                    name,
                    size: size.unwrap_or(pointer_size),
                    kind: TypeKind::Pointer { target },
                    template_params,
                    c_like,
                });
            }
            gimli::DW_TAG_typedef
            | gimli::DW_TAG_const_type
            | gimli::DW_TAG_volatile_type
            | gimli::DW_TAG_restrict_type
            | gimli::DW_TAG_atomic_type => {
                let Some(target) = target else {
                    return Ok(TypeDesc {
                        name: "void".into(),
                        size: 0,
                        kind: TypeKind::Unit,
                        template_params,
                        c_like,
                    });
                };
                let mut inner = (*self.get(info, target)?).clone();
                match entry.tag() {
                    gimli::DW_TAG_typedef => {
                        if let Some(n) = die_name(&info.dwarf, unit, &entry) {
                            inner.name = n;
                        }
                    }
                    gimli::DW_TAG_const_type => inner.name = format!("const {}", inner.name),
                    gimli::DW_TAG_volatile_type => inner.name = format!("volatile {}", inner.name),
                    _ => {}
                }
                return Ok(inner);
            }
            gimli::DW_TAG_structure_type | gimli::DW_TAG_class_type | gimli::DW_TAG_union_type => {
                let (fields, variant_part, params) = read_members(info, ty)?;
                template_params = params;
                if entry.tag() == gimli::DW_TAG_union_type {
                    TypeKind::Union { fields }
                } else {
                    TypeKind::Struct { fields, variant_part }
                }
            }
            gimli::DW_TAG_array_type => {
                let Some(element) = target else {
                    bail!("array without element type")
                };
                let count = array_count(unit, ty.offset)?;
                let elem_size = self.get(info, element)?.size;
                let size = size.unwrap_or(elem_size * count.unwrap_or(0));
                let element_name = self.get(info, element)?.name.clone();
                let count_text = count.map(|c| c.to_string()).unwrap_or_default();
                let name = if c_like {
                    format!("{element_name}[{count_text}]")
                } else {
                    format!("[{element_name}; {count_text}]")
                };
                return Ok(TypeDesc {
                    name,
                    size,
                    kind: TypeKind::Array { element, count },
                    template_params,
                    c_like,
                });
            }
            gimli::DW_TAG_enumeration_type => {
                let signed = target
                    .and_then(|t| self.get(info, t).ok())
                    .is_some_and(|d| matches!(d.kind, TypeKind::Base { encoding } if encoding == gimli::DW_ATE_signed));
                TypeKind::Enum {
                    enumerators: read_enumerators(info, ty)?,
                    signed,
                }
            }
            gimli::DW_TAG_subroutine_type => TypeKind::Function,
            _ => TypeKind::Unit,
        };
        let keyword = match entry.tag() {
            gimli::DW_TAG_structure_type => "struct ",
            gimli::DW_TAG_union_type => "union ",
            gimli::DW_TAG_enumeration_type => "enum ",
            _ => "",
        };
        let name = match name() {
            // C names a tagged type with its keyword: `struct point`.
            Some(n) if c_like => format!("{keyword}{n}"),
            Some(n) => n,
            None => "<anonymous>".into(),
        };
        Ok(TypeDesc {
            name,
            size: size.unwrap_or(0),
            kind,
            template_params,
            c_like,
        })
    }
}

/// Whether a unit's source language is C or C++ (from its root DIE's `DW_AT_language`).
fn is_c_family(unit: &gimli::Unit<R>) -> bool {
    let mut entries = unit.entries();
    let Ok(Some(root)) = entries.next_dfs() else {
        return false;
    };
    matches!(
        root.attr_value(gimli::DW_AT_language),
        Some(AttributeValue::Language(
            gimli::DW_LANG_C
                | gimli::DW_LANG_C89
                | gimli::DW_LANG_C99
                | gimli::DW_LANG_C11
                | gimli::DW_LANG_C17
                | gimli::DW_LANG_C_plus_plus
                | gimli::DW_LANG_C_plus_plus_11
                | gimli::DW_LANG_C_plus_plus_14
                | gimli::DW_LANG_C_plus_plus_17
                | gimli::DW_LANG_C_plus_plus_20
        ))
    )
}

/// Drops the default allocator parameter Rust's DWARF spells out: `Vec<i32>`, not
/// `Vec<i32, alloc::alloc::Global>`.
fn tidy_type_name(name: &str) -> String {
    name.replace(", alloc::alloc::Global", "")
}

fn udata(entry: &gimli::DebuggingInformationEntry<R>, at: gimli::DwAt) -> Option<u64> {
    entry.attr(at).and_then(|a| a.udata_value())
}

fn type_attr(entry: &gimli::DebuggingInformationEntry<R>, unit: usize) -> Option<TypeRef> {
    match entry.attr_value(gimli::DW_AT_type)? {
        AttributeValue::UnitRef(offset) => Some(TypeRef { unit, offset }),
        _ => None,
    }
}

fn member(info: &DebugInfo, unit_idx: usize, entry: &gimli::DebuggingInformationEntry<R>) -> Field {
    let unit = &info.units[unit_idx];
    Field {
        name: die_name(&info.dwarf, unit, entry).unwrap_or_default(),
        offset: udata(entry, gimli::DW_AT_data_member_location).unwrap_or(0),
        ty: type_attr(entry, unit_idx),
    }
}

type Members = (Vec<Field>, Option<VariantPart>, Vec<(String, TypeRef)>);

fn read_members(info: &DebugInfo, ty: TypeRef) -> Result<Members> {
    let unit = &info.units[ty.unit];
    let mut tree = unit.entries_tree(Some(ty.offset))?;
    let root = tree.root()?;
    let mut children = root.children();
    let mut fields = Vec::new();
    let mut params = Vec::new();
    let mut variant_part = None;
    while let Some(child) = children.next()? {
        let entry = child.entry();
        match entry.tag() {
            gimli::DW_TAG_member if !entry.has_attr(gimli::DW_AT_external) => {
                fields.push(member(info, ty.unit, entry));
            }
            gimli::DW_TAG_template_type_parameter => {
                if let Some(t) = type_attr(entry, ty.unit) {
                    params.push((die_name(&info.dwarf, unit, entry).unwrap_or_default(), t));
                }
            }
            gimli::DW_TAG_variant_part => {
                let discr_offset = match entry.attr_value(gimli::DW_AT_discr) {
                    Some(AttributeValue::UnitRef(o)) => Some(o),
                    _ => None,
                };
                let mut discriminant = None;
                let mut variants = Vec::new();
                let mut parts = child.children();
                while let Some(part) = parts.next()? {
                    let pe = part.entry();
                    match pe.tag() {
                        gimli::DW_TAG_member if Some(pe.offset()) == discr_offset => {
                            discriminant = Some(member(info, ty.unit, pe));
                        }
                        gimli::DW_TAG_variant => {
                            let discr_value = pe.attr(gimli::DW_AT_discr_value).and_then(|a| match a.value() {
                                AttributeValue::Sdata(v) => Some(v as u64),
                                other => other.udata_value(),
                            });
                            let mut inner = part.children();
                            while let Some(m) = inner.next()? {
                                if m.entry().tag() == gimli::DW_TAG_member {
                                    variants.push(Variant {
                                        discr_value,
                                        field: member(info, ty.unit, m.entry()),
                                    });
                                }
                            }
                        }
                        _ => {}
                    }
                }
                variant_part = Some(VariantPart { discriminant, variants });
            }
            _ => {}
        }
    }
    Ok((fields, variant_part, params))
}

fn read_enumerators(info: &DebugInfo, ty: TypeRef) -> Result<Vec<(String, i64)>> {
    let unit = &info.units[ty.unit];
    let mut tree = unit.entries_tree(Some(ty.offset))?;
    let root = tree.root()?;
    let mut children = root.children();
    let mut out = Vec::new();
    while let Some(child) = children.next()? {
        let entry = child.entry();
        if entry.tag() == gimli::DW_TAG_enumerator {
            let value = entry
                .attr(gimli::DW_AT_const_value)
                .and_then(|a| match a.value() {
                    AttributeValue::Sdata(v) => Some(v),
                    other => other.udata_value().map(|v| v as i64),
                })
                .unwrap_or(0);
            out.push((die_name(&info.dwarf, unit, entry).unwrap_or_default(), value));
        }
    }
    Ok(out)
}

fn array_count(unit: &gimli::Unit<R>, offset: UnitOffset) -> Result<Option<u64>> {
    let mut tree = unit.entries_tree(Some(offset))?;
    let root = tree.root()?;
    let mut children = root.children();
    // Multi-dimensional arrays: the product of all dimensions, read as one flat array.
    let mut total: Option<u64> = None;
    while let Some(child) = children.next()? {
        let entry = child.entry();
        if entry.tag() != gimli::DW_TAG_subrange_type {
            continue;
        }
        let count = udata(entry, gimli::DW_AT_count).or_else(|| {
            let upper = entry.attr(gimli::DW_AT_upper_bound).and_then(|a| match a.value() {
                AttributeValue::Sdata(v) if v >= 0 => Some(v as u64),
                AttributeValue::Sdata(_) => None,
                other => other.udata_value(),
            })?;
            let lower = udata(entry, gimli::DW_AT_lower_bound).unwrap_or(0);
            Some(upper + 1 - lower)
        });
        total = match (total, count) {
            (None, c) => c,
            (Some(t), Some(c)) => Some(t * c),
            (Some(_), None) => None,
        };
    }
    Ok(total)
}

/// Qualified names (`alloc::string::String`) of every named type DIE, from one walk.
fn qualified_type_names(info: &DebugInfo) -> HashMap<(usize, UnitOffset), String> {
    let mut names = HashMap::new();
    for (unit_idx, unit) in info.units.iter().enumerate() {
        let mut scopes: Vec<(isize, String)> = Vec::new();
        let mut entries = unit.entries();
        while let Ok(Some(entry)) = entries.next_dfs() {
            let depth = entry.depth();
            while scopes.last().is_some_and(|(d, _)| *d >= depth) {
                scopes.pop();
            }
            let tag = entry.tag();
            let is_scope = matches!(
                tag,
                gimli::DW_TAG_namespace
                    | gimli::DW_TAG_structure_type
                    | gimli::DW_TAG_enumeration_type
                    | gimli::DW_TAG_union_type
            );
            let is_type = matches!(
                tag,
                gimli::DW_TAG_structure_type
                    | gimli::DW_TAG_enumeration_type
                    | gimli::DW_TAG_union_type
                    | gimli::DW_TAG_class_type
                    | gimli::DW_TAG_typedef
                    | gimli::DW_TAG_pointer_type
                    | gimli::DW_TAG_base_type
            );
            if !is_scope && !is_type {
                continue;
            }
            let Some(own) = die_name(&info.dwarf, unit, entry) else {
                continue;
            };
            // Only Rust-style namespaces qualify a name; C types stay as written.
            let path: Vec<&str> = scopes.iter().map(|(_, n)| n.as_str()).collect();
            let qualified = if path.is_empty() || tag == gimli::DW_TAG_base_type {
                own.clone()
            } else {
                format!("{}::{own}", path.join("::"))
            };
            if is_type {
                names.insert((unit_idx, entry.offset()), qualified.clone());
            }
            if is_scope && entry.has_children() {
                scopes.push((depth, own));
            }
        }
    }
    names
}
