//! Values as developers read them: guest memory (or bytes held in wasm locals) laid out by
//! DWARF types, with a one-line summary and children produced on demand.
//!
//! Rust's standard types get their own shapes in [`rust`]; everything else (C structs,
//! arrays, pointers) follows the DWARF layout in [`layout`].

mod layout;
mod rust;
mod scalar;

use std::sync::Arc;

use crate::dwarf::{DebugInfo, Field, Location, Piece, TypeRef};

/// Reads guest linear memory.
pub trait MemoryAccess {
    fn read(&self, addr: u64, len: usize) -> Option<Vec<u8>>;
}

/// A linear memory's bytes, borrowed from the store while it is paused.
#[derive(Clone, Copy)]
pub struct LinearMemory<'a>(pub &'a [u8]);

impl MemoryAccess for LinearMemory<'_> {
    fn read(&self, addr: u64, len: usize) -> Option<Vec<u8>> {
        let start = usize::try_from(addr).ok()?;
        self.0.get(start..start.checked_add(len)?).map(<[u8]>::to_vec)
    }
}

/// Where a value's bytes are.
#[derive(Debug, Clone)]
pub enum ValueLoc {
    Memory(u64),
    /// Held outside memory (a wasm local, an implicit value, assembled pieces).
    Bytes(Arc<[u8]>),
    Unavailable,
}

impl ValueLoc {
    /// Combines the pieces of a DWARF location into one place.
    pub fn from_pieces(pieces: &[Piece], mem: &dyn MemoryAccess) -> ValueLoc {
        match pieces {
            [] => ValueLoc::Unavailable,
            [single] if single.size_bits.is_none() => match &single.location {
                Location::Memory(addr) => ValueLoc::Memory(*addr),
                Location::Value(bytes) => ValueLoc::Bytes(bytes.clone().into()),
                Location::Unavailable => ValueLoc::Unavailable,
            },
            pieces => {
                let mut bytes = Vec::new();
                for piece in pieces {
                    let len = piece.size_bits.unwrap_or(32).div_ceil(8) as usize;
                    let part = match &piece.location {
                        Location::Memory(addr) => mem.read(*addr, len),
                        Location::Value(v) => Some(v.iter().copied().chain(std::iter::repeat(0)).take(len).collect()),
                        Location::Unavailable => None,
                    };
                    match part {
                        Some(p) => bytes.extend(p),
                        None => return ValueLoc::Unavailable,
                    }
                }
                ValueLoc::Bytes(bytes.into())
            }
        }
    }

    pub(crate) fn offset(&self, by: u64) -> ValueLoc {
        match self {
            ValueLoc::Memory(addr) => ValueLoc::Memory(addr.wrapping_add(by)),
            ValueLoc::Bytes(bytes) => match bytes.get(by as usize..) {
                Some(rest) => ValueLoc::Bytes(rest.into()),
                None => ValueLoc::Unavailable,
            },
            ValueLoc::Unavailable => ValueLoc::Unavailable,
        }
    }

    pub(crate) fn read(&self, mem: &dyn MemoryAccess, len: usize) -> Option<Vec<u8>> {
        match self {
            ValueLoc::Memory(addr) => mem.read(*addr, len),
            ValueLoc::Bytes(bytes) => {
                // A value in a wasm local is zero-extended to the type's size.
                Some(bytes.iter().copied().chain(std::iter::repeat(0)).take(len).collect())
            }
            ValueLoc::Unavailable => None,
        }
    }

    /// The memory address, when the value is in memory.
    pub fn address(&self) -> Option<u64> {
        match self {
            ValueLoc::Memory(addr) => Some(*addr),
            _ => None,
        }
    }
}

/// A value ready to show: summary, type and how to get its children.
#[derive(Debug, Clone)]
pub struct ValueView {
    pub value: String,
    pub type_name: String,
    pub expand: Option<Expand>,
    /// Where the value is in linear memory, for memory views.
    pub address: Option<u64>,
}

impl ValueView {
    pub(crate) fn leaf(value: impl Into<String>, type_name: impl Into<String>) -> Self {
        ValueView {
            value: value.into(),
            type_name: type_name.into(),
            expand: None,
            address: None,
        }
    }

    /// How many indexed children (elements) it has, for paging.
    pub fn indexed_children(&self) -> Option<u64> {
        match &self.expand {
            Some(Expand::Elements { count, .. }) => Some(*count),
            _ => None,
        }
    }

    /// How many named children (fields) it has.
    pub fn named_children(&self) -> Option<u64> {
        match &self.expand {
            Some(Expand::Fields { fields, .. }) => Some(fields.len() as u64),
            _ => None,
        }
    }
}

/// Children of a value, produced when asked for.
#[derive(Debug, Clone)]
pub enum Expand {
    /// Named fields at `loc` (offsets relative to it); `display` names them for the user.
    Fields {
        fields: Vec<(String, Field)>,
        loc: ValueLoc,
    },
    /// `count` elements of type `element` from address `base`, named `[i]`.
    Elements { element: TypeRef, base: u64, count: u64 },
}

/// A named child value.
#[derive(Debug, Clone)]
pub struct Child {
    pub name: String,
    pub view: ValueView,
}

/// How deep one-line summaries look into nested values.
const SUMMARY_DEPTH: u32 = 2;
/// How many elements a collection's summary shows.
const SUMMARY_ELEMENTS: u64 = 10;
/// The longest summary, in characters.
const SUMMARY_CHARS: usize = 160;
/// The most bytes read for one string.
pub(crate) const MAX_STRING_BYTES: u64 = 64 * 1024;

/// Renders values of one module against one memory.
pub struct Renderer<'a> {
    pub info: &'a DebugInfo,
    pub mem: &'a dyn MemoryAccess,
}

impl Renderer<'_> {
    /// The view of a value of type `ty` at `loc`.
    pub fn view(&self, ty: Option<TypeRef>, loc: &ValueLoc) -> ValueView {
        let mut view = self.view_at_depth(ty, loc, 0);
        if view.value.chars().count() > SUMMARY_CHARS {
            view.value = view.value.chars().take(SUMMARY_CHARS).collect::<String>() + "…";
        }
        view
    }

    pub(crate) fn view_at_depth(&self, ty: Option<TypeRef>, loc: &ValueLoc, depth: u32) -> ValueView {
        let Some(ty) = ty else {
            return ValueView::leaf("<no type>", "?");
        };
        let desc = match self.info.type_desc(ty) {
            Ok(desc) => desc,
            Err(e) => return ValueView::leaf(format!("<{e}>"), "?"),
        };
        if matches!(loc, ValueLoc::Unavailable) {
            return ValueView::leaf("<optimized out>", desc.name.clone());
        }
        let mut view = rust::view(self, &desc, loc, depth).unwrap_or_else(|| layout::view(self, &desc, loc, depth));
        if view.address.is_none() {
            view.address = loc.address();
        }
        view
    }

    /// Children of an expandable value; `start`/`count` page through elements.
    pub fn children(&self, expand: &Expand, start: u64, count: Option<u64>) -> Vec<Child> {
        match expand {
            Expand::Fields { fields, loc } => fields
                .iter()
                .map(|(name, field)| Child {
                    name: name.clone(),
                    view: self.view(field.ty, &loc.offset(field.offset)),
                })
                .collect(),
            Expand::Elements {
                element,
                base,
                count: total,
            } => {
                let size = self.info.type_desc(*element).map(|d| d.size).unwrap_or(0);
                let end = count.map(|c| start.saturating_add(c)).unwrap_or(*total).min(*total);
                (start..end)
                    .map(|i| Child {
                        name: format!("[{i}]"),
                        view: self.view(Some(*element), &ValueLoc::Memory(base + i * size)),
                    })
                    .collect()
            }
        }
    }

    /// A summary for a collection: `[a, b, c]`, or the first elements and `…`.
    pub(crate) fn elements_summary(&self, element: TypeRef, base: u64, count: u64, depth: u32) -> String {
        if depth >= SUMMARY_DEPTH {
            return format!("[…; {count}]");
        }
        let size = self.info.type_desc(element).map(|d| d.size).unwrap_or(0);
        let shown = count.min(SUMMARY_ELEMENTS);
        let mut parts: Vec<String> = (0..shown)
            .map(|i| {
                self.view_at_depth(Some(element), &ValueLoc::Memory(base + i * size), depth + 1)
                    .value
            })
            .collect();
        if count > shown {
            parts.push("…".into());
        }
        format!("[{}]", parts.join(", "))
    }
}

/// The name a Rust developer writes for a type: the last path segment, generics kept.
pub(crate) fn short_type_name(name: &str) -> &str {
    let generic_start = name.find('<').unwrap_or(name.len());
    let head = &name[..generic_start];
    let last = head.rfind("::").map(|i| i + 2).unwrap_or(0);
    &name[last..generic_start]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_names() {
        assert_eq!(short_type_name("debuggee::Point"), "Point");
        assert_eq!(short_type_name("alloc::vec::Vec<i32, alloc::alloc::Global>"), "Vec");
        assert_eq!(short_type_name("point"), "point");
    }

    #[test]
    fn slices_read_as_memory() {
        let mem = LinearMemory(&[1, 2, 3, 4]);
        assert_eq!(mem.read(1, 2), Some(vec![2, 3]));
        assert_eq!(mem.read(3, 2), None);
        assert_eq!(mem.read(u64::MAX, 2), None);
    }
}
