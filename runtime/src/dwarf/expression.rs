//! A DWARF expression evaluator for WebAssembly: gimli's own evaluator stops at
//! `DW_OP_WASM_location`, which is exactly what wasm frame bases and register-allocated
//! variables use, so the stack machine lives here.

use anyhow::{Result, anyhow, bail};
use gimli::{Operation, Reader};

use super::R;

/// Access to the paused wasm state an expression may read.
pub trait EvalContext {
    /// A wasm local of the frame, as raw bits (i32/i64/f32/f64 zero-extended to 64 bits).
    fn local(&self, index: u32) -> Option<u64>;
    fn global(&self, index: u32) -> Option<u64>;
    /// A value of the frame's operand stack, bottom first.
    fn operand(&self, index: u32) -> Option<u64>;
    /// Bytes of linear memory 0.
    fn read_memory(&self, addr: u64, len: usize) -> Option<Vec<u8>>;
}

/// Where (part of) a value lives.
#[derive(Debug, Clone, PartialEq)]
pub enum Location {
    /// At this address of linear memory.
    Memory(u64),
    /// Not in memory: these are its bytes (little-endian), e.g. a value held in a wasm local.
    Value(Vec<u8>),
    /// Optimized out at this PC.
    Unavailable,
}

/// One piece of a value; a value in a single place has one piece with no size.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    pub location: Location,
    pub size_bits: Option<u64>,
}

/// Evaluates a location expression.
pub(crate) fn evaluate(
    expr: gimli::Expression<R>,
    encoding: gimli::Encoding,
    frame_base: Option<u64>,
    ctx: &dyn EvalContext,
) -> Result<Vec<Piece>> {
    let mut stack: Vec<u64> = Vec::new();
    let mut pieces = Vec::new();
    // The value on top of the stack *is* the variable (not its address).
    let mut is_value = false;
    let mut bytes = expr.0.clone();
    let mut implicit: Option<Vec<u8>> = None;
    let pop = |stack: &mut Vec<u64>| stack.pop().ok_or_else(|| anyhow!("DWARF expression stack underflow"));
    while !bytes.is_empty() {
        let op = Operation::parse(&mut bytes, encoding)?;
        match op {
            // A wasm local, global or operand pushes its value, like `DW_OP_bregN 0`: alone it
            // is the *address* of the variable (LLVM describes an aggregate passed by
            // reference so); the variable is the value itself only with `DW_OP_stack_value`.
            Operation::WasmLocal { index } => {
                stack.push(
                    ctx.local(index)
                        .ok_or_else(|| anyhow!("no wasm local {index} in this frame"))?,
                );
            }
            Operation::WasmGlobal { index } => {
                stack.push(ctx.global(index).ok_or_else(|| anyhow!("no wasm global {index}"))?);
            }
            Operation::WasmStack { index } => {
                stack.push(
                    ctx.operand(index)
                        .ok_or_else(|| anyhow!("no operand stack slot {index}"))?,
                );
            }
            Operation::StackValue => is_value = true,
            Operation::FrameOffset { offset } => {
                let base = frame_base.ok_or_else(|| anyhow!("the frame base is unknown here"))?;
                stack.push(base.wrapping_add(offset as u64));
                is_value = false;
            }
            Operation::Address { address } => stack.push(address),
            Operation::UnsignedConstant { value } => stack.push(value),
            Operation::SignedConstant { value } => stack.push(value as u64),
            Operation::PlusConstant { value } => {
                let a = pop(&mut stack)?;
                stack.push(a.wrapping_add(value));
                is_value = false;
            }
            Operation::Deref { size, .. } => {
                let addr = pop(&mut stack)?;
                let data = ctx
                    .read_memory(addr, size as usize)
                    .ok_or_else(|| anyhow!("cannot read memory at {addr:#x}"))?;
                let mut buf = [0u8; 8];
                buf[..data.len().min(8)].copy_from_slice(&data[..data.len().min(8)]);
                stack.push(u64::from_le_bytes(buf));
                is_value = false;
            }
            Operation::Drop => {
                pop(&mut stack)?;
            }
            Operation::Pick { index } => {
                let len = stack.len();
                let v = *stack
                    .get(len.wrapping_sub(1 + index as usize))
                    .ok_or_else(|| anyhow!("bad DW_OP_pick"))?;
                stack.push(v);
            }
            Operation::Swap => {
                let a = pop(&mut stack)?;
                let b = pop(&mut stack)?;
                stack.push(a);
                stack.push(b);
            }
            Operation::Rot => {
                let a = pop(&mut stack)?;
                let b = pop(&mut stack)?;
                let c = pop(&mut stack)?;
                stack.extend([a, c, b]);
            }
            Operation::Neg => {
                let a = pop(&mut stack)?;
                stack.push((a as i64).wrapping_neg() as u64);
            }
            Operation::Not => {
                let a = pop(&mut stack)?;
                stack.push(!a);
            }
            Operation::Abs => {
                let a = pop(&mut stack)?;
                stack.push((a as i64).unsigned_abs());
            }
            Operation::Plus
            | Operation::Minus
            | Operation::Mul
            | Operation::Div
            | Operation::Mod
            | Operation::And
            | Operation::Or
            | Operation::Xor
            | Operation::Shl
            | Operation::Shr
            | Operation::Shra
            | Operation::Eq
            | Operation::Ne
            | Operation::Lt
            | Operation::Le
            | Operation::Gt
            | Operation::Ge => {
                let b = pop(&mut stack)?;
                let a = pop(&mut stack)?;
                stack.push(binary(&op, a, b)?);
            }
            Operation::Nop => {}
            Operation::ImplicitValue { data } => {
                implicit = Some(data.to_slice()?.to_vec());
            }
            Operation::Piece { size_in_bits, .. } => {
                let location = finish(&mut stack, is_value, implicit.take());
                pieces.push(Piece {
                    location,
                    size_bits: Some(size_in_bits),
                });
                stack.clear();
                is_value = false;
            }
            other => bail!("unsupported DWARF operation {other:?}"),
        }
    }
    if pieces.is_empty() {
        pieces.push(Piece {
            location: finish(&mut stack, is_value, implicit),
            size_bits: None,
        });
    }
    Ok(pieces)
}

fn finish(stack: &mut Vec<u64>, is_value: bool, implicit: Option<Vec<u8>>) -> Location {
    if let Some(bytes) = implicit {
        return Location::Value(bytes);
    }
    match stack.pop() {
        None => Location::Unavailable,
        Some(v) if is_value => Location::Value(v.to_le_bytes().to_vec()),
        Some(addr) => Location::Memory(addr),
    }
}

fn binary(op: &Operation<R>, a: u64, b: u64) -> Result<u64> {
    Ok(match op {
        Operation::Plus => a.wrapping_add(b),
        Operation::Minus => a.wrapping_sub(b),
        Operation::Mul => a.wrapping_mul(b),
        Operation::Div => {
            if b == 0 {
                bail!("division by zero in DWARF expression");
            }
            ((a as i64).wrapping_div(b as i64)) as u64
        }
        Operation::Mod => {
            if b == 0 {
                bail!("division by zero in DWARF expression");
            }
            a % b
        }
        Operation::And => a & b,
        Operation::Or => a | b,
        Operation::Xor => a ^ b,
        Operation::Shl => a.wrapping_shl(b as u32),
        Operation::Shr => a.wrapping_shr(b as u32),
        Operation::Shra => ((a as i64).wrapping_shr(b as u32)) as u64,
        Operation::Eq => (a == b) as u64,
        Operation::Ne => (a != b) as u64,
        Operation::Lt => ((a as i64) < (b as i64)) as u64,
        Operation::Le => ((a as i64) <= (b as i64)) as u64,
        Operation::Gt => ((a as i64) > (b as i64)) as u64,
        Operation::Ge => ((a as i64) >= (b as i64)) as u64,
        _ => unreachable!("binary() is only called with binary operators"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use gimli::{EndianArcSlice, LittleEndian};
    use std::sync::Arc;

    struct Ctx;
    impl EvalContext for Ctx {
        fn local(&self, index: u32) -> Option<u64> {
            (index == 2).then_some(0x1000)
        }
        fn global(&self, index: u32) -> Option<u64> {
            (index == 0).then_some(0x2000)
        }
        fn operand(&self, _: u32) -> Option<u64> {
            None
        }
        fn read_memory(&self, addr: u64, len: usize) -> Option<Vec<u8>> {
            (addr == 0x1010).then(|| vec![0x44, 0x33, 0x22, 0x11][..len].to_vec())
        }
    }

    fn eval(bytes: &[u8], frame_base: Option<u64>) -> Result<Vec<Piece>> {
        let encoding = gimli::Encoding {
            format: gimli::Format::Dwarf32,
            version: 4,
            address_size: 4,
        };
        let expr = gimli::Expression(EndianArcSlice::new(Arc::from(bytes), LittleEndian));
        evaluate(expr, encoding, frame_base, &Ctx)
    }

    #[test]
    fn a_wasm_local_alone_holds_the_address_and_with_stack_value_the_value() {
        // DW_OP_WASM_location 0x0 2
        let p = eval(&[0xed, 0x00, 0x02], None).unwrap();
        assert_eq!(p[0].location, Location::Memory(0x1000));
        // ... plus DW_OP_stack_value
        let p = eval(&[0xed, 0x00, 0x02, 0x9f], None).unwrap();
        assert_eq!(p[0].location, Location::Value(0x1000u64.to_le_bytes().to_vec()));
    }

    #[test]
    fn fbreg_is_memory() {
        // DW_OP_fbreg 12
        let p = eval(&[0x91, 0x0c], Some(0x1000)).unwrap();
        assert_eq!(
            p,
            vec![Piece {
                location: Location::Memory(0x100c),
                size_bits: None
            }]
        );
        assert!(eval(&[0x91, 0x0c], None).is_err());
    }

    #[test]
    fn local_plus_const_then_deref() {
        // DW_OP_WASM_location 0 2; DW_OP_plus_uconst 0x10; DW_OP_deref_size 4; DW_OP_stack_value
        let p = eval(&[0xed, 0x00, 0x02, 0x23, 0x10, 0x94, 0x04, 0x9f], None).unwrap();
        assert_eq!(p[0].location, Location::Value(0x11223344u64.to_le_bytes().to_vec()));
    }

    #[test]
    fn pieces() {
        // DW_OP_WASM_location 0 2; DW_OP_piece 4; DW_OP_addr 0x20; DW_OP_piece 4
        let p = eval(&[0xed, 0x00, 0x02, 0x93, 0x04, 0x03, 0x20, 0, 0, 0, 0x93, 0x04], None).unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].size_bits, Some(32));
        assert_eq!(p[1].location, Location::Memory(0x20));
    }
}
