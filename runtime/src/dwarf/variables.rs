//! Variables and parameters in scope at a PC, and where they live.

use anyhow::{Result, anyhow};
use gimli::{AttributeValue, UnitOffset};

use super::expression::{self, EvalContext, Piece};
use super::functions::{FunctionFrame, die_contains, die_name};
use super::types::TypeRef;
use super::{DebugInfo, R};

/// A variable or parameter declared in a frame's scope.
#[derive(Debug, Clone)]
pub struct VariableInfo {
    pub name: String,
    pub ty: Option<TypeRef>,
    pub is_parameter: bool,
    pub(crate) unit: usize,
    pub(crate) die: UnitOffset,
}

/// Variables of `frame` whose lexical block contains `addr`, parameters first, in
/// declaration order; an inner block's variable shadows an outer one of the same name.
pub(crate) fn variables_in_scope(info: &DebugInfo, frame: &FunctionFrame, addr: u64) -> Vec<VariableInfo> {
    let unit = &info.units[frame.unit];
    let mut out: Vec<VariableInfo> = Vec::new();
    let Ok(mut entries) = unit.entries_at_offset(frame.scope) else {
        return out;
    };
    let mut base_depth = None;
    // Depth below which we skip a subtree (a block not containing `addr`, or an inlined call,
    // whose variables belong to another frame).
    let mut skip_below: Option<isize> = None;
    while let Ok(Some(entry)) = entries.next_dfs() {
        let depth = entry.depth();
        match base_depth {
            None => {
                base_depth = Some(depth);
                continue;
            }
            Some(base) if depth <= base => break,
            Some(_) => {}
        }
        if let Some(limit) = skip_below {
            if depth > limit {
                continue;
            }
            skip_below = None;
        }
        match entry.tag() {
            gimli::DW_TAG_lexical_block if !die_contains(info, frame.unit, entry, addr) => {
                skip_below = Some(depth);
            }
            gimli::DW_TAG_inlined_subroutine | gimli::DW_TAG_subprogram => skip_below = Some(depth),
            gimli::DW_TAG_variable | gimli::DW_TAG_formal_parameter => {
                let Some(name) = die_name(&info.dwarf, unit, entry).or_else(|| origin_name(info, frame.unit, entry))
                else {
                    continue;
                };
                let ty = match entry.attr_value(gimli::DW_AT_type) {
                    Some(AttributeValue::UnitRef(offset)) => Some(TypeRef {
                        unit: frame.unit,
                        offset,
                    }),
                    _ => origin_type(info, frame.unit, entry),
                };
                let var = VariableInfo {
                    name,
                    ty,
                    is_parameter: entry.tag() == gimli::DW_TAG_formal_parameter,
                    unit: frame.unit,
                    die: entry.offset(),
                };
                // Inner declarations come later in the walk: they replace outer namesakes.
                if let Some(existing) = out.iter_mut().find(|v| v.name == var.name) {
                    *existing = var;
                } else {
                    out.push(var);
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|v| !v.is_parameter);
    out
}

fn origin(
    info: &DebugInfo,
    unit: usize,
    entry: &gimli::DebuggingInformationEntry<R>,
) -> Option<gimli::DebuggingInformationEntry<R>> {
    match entry.attr_value(gimli::DW_AT_abstract_origin)? {
        AttributeValue::UnitRef(offset) => info.units[unit].entry(offset).ok(),
        _ => None,
    }
}

fn origin_name(info: &DebugInfo, unit: usize, entry: &gimli::DebuggingInformationEntry<R>) -> Option<String> {
    let origin = origin(info, unit, entry)?;
    die_name(&info.dwarf, &info.units[unit], &origin)
}

fn origin_type(info: &DebugInfo, unit: usize, entry: &gimli::DebuggingInformationEntry<R>) -> Option<TypeRef> {
    match origin(info, unit, entry)?.attr_value(gimli::DW_AT_type)? {
        AttributeValue::UnitRef(offset) => Some(TypeRef { unit, offset }),
        _ => None,
    }
}

/// The value of the subprogram's `DW_AT_frame_base` (on wasm: a local or global holding the
/// shadow-stack frame pointer).
pub(crate) fn frame_base(info: &DebugInfo, frame: &FunctionFrame, ctx: &dyn EvalContext) -> Option<u64> {
    let unit = &info.units[frame.unit];
    let entry = unit.entry(frame.subprogram).ok()?;
    let AttributeValue::Exprloc(expr) = entry.attr_value(gimli::DW_AT_frame_base)? else {
        return None;
    };
    let pieces = expression::evaluate(expr, unit.encoding(), None, ctx).ok()?;
    match pieces.first()?.location {
        expression::Location::Value(ref bytes) => {
            let mut buf = [0u8; 8];
            buf[..bytes.len().min(8)].copy_from_slice(&bytes[..bytes.len().min(8)]);
            Some(u64::from_le_bytes(buf) & 0xffff_ffff)
        }
        expression::Location::Memory(addr) => Some(addr),
        expression::Location::Unavailable => None,
    }
}

/// Where `var` lives at `addr`: a single expression, or the entry of its location list that
/// covers `addr` (none: optimized out here).
pub(crate) fn locate(
    info: &DebugInfo,
    var: &VariableInfo,
    addr: u64,
    frame_base: Option<u64>,
    ctx: &dyn EvalContext,
) -> Result<Vec<Piece>> {
    let unit = &info.units[var.unit];
    let entry = unit.entry(var.die)?;
    let unavailable = || {
        vec![Piece {
            location: expression::Location::Unavailable,
            size_bits: None,
        }]
    };
    let Some(value) = entry.attr_value(gimli::DW_AT_location) else {
        return Ok(unavailable());
    };
    if let AttributeValue::Exprloc(expr) = value {
        return expression::evaluate(expr, unit.encoding(), frame_base, ctx);
    }
    let mut list = info
        .dwarf
        .attr_locations(unit, value)?
        .ok_or_else(|| anyhow!("unsupported DW_AT_location form"))?;
    while let Some(entry) = list.next()? {
        if entry.range.begin <= addr && addr < entry.range.end {
            return expression::evaluate(entry.data, unit.encoding(), frame_base, ctx);
        }
    }
    Ok(unavailable())
}
