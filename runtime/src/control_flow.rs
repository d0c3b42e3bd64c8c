//! Where control can come from, instruction by instruction, in one function body: wasm's
//! structured control flow (blocks, loops, ifs, branches, returns) as a predecessor graph.
//!
//! Used to tell which runs of a source line's code can be *entered* from elsewhere, so that
//! a breakpoint stops once per pass through a line whose code the compiler split.

use anyhow::{Context, Result, bail};
use wasmparser::{Catch, FunctionBody, Operator, Parser, Payload};

/// The control-flow graph of one function body at instruction granularity.
pub struct FunctionFlow {
    /// Module offsets of the body's instructions, ascending.
    offsets: Vec<u32>,
    /// For each instruction, the instructions control can reach it from.
    predecessors: Vec<Vec<u32>>,
    /// For each instruction, where control can go next (within the function).
    successors: Vec<Vec<u32>>,
}

impl FunctionFlow {
    /// The flow of the function whose body contains `module_pc`, in the module `bytes`.
    pub fn of_function_at(bytes: &[u8], module_pc: u32) -> Result<Option<FunctionFlow>> {
        for payload in Parser::new(0).parse_all(bytes) {
            match payload.context("reading the module for its control flow")? {
                Payload::CodeSectionEntry(body) if body.range().contains(&(module_pc as usize)) => {
                    return Self::build(&body).map(Some);
                }
                // A component's nested modules have their own offsets; never look inside.
                Payload::ModuleSection { .. } | Payload::ComponentSection { .. } => {}
                _ => {}
            }
        }
        Ok(None)
    }

    pub fn build(body: &FunctionBody<'_>) -> Result<FunctionFlow> {
        let mut builder = Builder::default();
        let mut reader = body.get_operators_reader()?;
        while !reader.eof() {
            let (op, offset) = reader.read_with_offset()?;
            builder.visit(&op, offset as u32)?;
        }
        if !builder.frames.is_empty() {
            bail!("the function body ends inside a block");
        }
        let mut successors = vec![Vec::new(); builder.offsets.len()];
        for (to, froms) in builder.predecessors.iter().enumerate() {
            for &from in froms {
                successors[from as usize].push(to as u32);
            }
        }
        Ok(FunctionFlow {
            offsets: builder.offsets,
            predecessors: builder.predecessors,
            successors,
        })
    }

    pub fn len(&self) -> usize {
        self.offsets.len()
    }

    pub fn offset(&self, index: u32) -> u32 {
        self.offsets[index as usize]
    }

    /// Where control can come from into instruction `index`; none for the function's first
    /// instruction (entered by a call) and for unreachable code.
    pub fn predecessors(&self, index: u32) -> &[u32] {
        &self.predecessors[index as usize]
    }

    /// Where control can go from instruction `index`; none after a return, a trap or the
    /// function's last `end`.
    pub fn successors(&self, index: u32) -> &[u32] {
        &self.successors[index as usize]
    }
}

enum FrameKind {
    Block,
    Loop,
    If { has_else: bool },
}

struct Frame {
    kind: FrameKind,
    /// The instruction that opened the frame.
    start: u32,
    /// Instructions that leave the frame for what follows its `end`: branches out, the end
    /// of an if's first arm.
    past_end: Vec<u32>,
}

#[derive(Default)]
struct Builder {
    offsets: Vec<u32>,
    predecessors: Vec<Vec<u32>>,
    frames: Vec<Frame>,
    /// Whether the last instruction can fall through to the next one.
    falls_through: bool,
    /// Predecessors of the next instruction other than the last one (after an `end` or
    /// `else`).
    incoming: Vec<u32>,
}

/// wasmtime checks for a breakpoint *before* each reachable opcode in the code that runs up
/// to it, so the flow is modelled as that code runs: a `loop` opcode is passed only falling
/// into it (its back edges land on the instruction after it), and an `end` or `else` opcode
/// only falling out of its block's code (branches land on the instruction after the `end`,
/// an if's false edge on the one after the `else`).
impl Builder {
    fn visit(&mut self, op: &Operator<'_>, offset: u32) -> Result<()> {
        let index = self.offsets.len() as u32;
        self.offsets.push(offset);
        let mut predecessors = std::mem::take(&mut self.incoming);
        predecessors.extend(index.checked_sub(1).filter(|_| self.falls_through));
        self.predecessors.push(predecessors);
        if index == 0 {
            // The function's body is the outermost block: `br` to it returns.
            self.open(FrameKind::Block, 0);
        }
        self.falls_through = true;
        match op {
            Operator::Else | Operator::Catch { .. } | Operator::CatchAll => {
                let frame = self.frames.last_mut().context("`else` outside a block")?;
                // The first arm's end goes on past the block; the second arm starts where
                // the test sent control.
                frame.past_end.push(index);
                if let FrameKind::If { has_else } = &mut frame.kind {
                    *has_else = true;
                }
                self.incoming.push(frame.start);
                self.falls_through = false;
            }
            Operator::End | Operator::Delegate { .. } => {
                let frame = self.frames.pop().context("`end` outside a block")?;
                if self.frames.is_empty() {
                    // The function's end: branches to it return.
                    self.falls_through = false;
                } else {
                    self.incoming.extend(frame.past_end);
                    if let FrameKind::If { has_else: false } = frame.kind {
                        self.incoming.push(frame.start);
                    }
                }
            }
            Operator::Block { .. } | Operator::Try { .. } => self.open(FrameKind::Block, index),
            Operator::TryTable { try_table } => {
                // A throw anywhere inside may land at a catch's label: from the entry is
                // enough to keep the label's code reachable.
                for catch in &try_table.catches {
                    let (Catch::One { label, .. }
                    | Catch::OneRef { label, .. }
                    | Catch::All { label }
                    | Catch::AllRef { label }) = *catch;
                    self.branch(index, label);
                }
                self.open(FrameKind::Block, index);
            }
            Operator::Loop { .. } => self.open(FrameKind::Loop, index),
            Operator::If { .. } => self.open(FrameKind::If { has_else: false }, index),
            Operator::Br { relative_depth } => {
                self.branch(index, *relative_depth);
                self.falls_through = false;
            }
            Operator::BrIf { relative_depth }
            | Operator::BrOnNull { relative_depth }
            | Operator::BrOnNonNull { relative_depth }
            | Operator::BrOnCast { relative_depth, .. }
            | Operator::BrOnCastFail { relative_depth, .. } => self.branch(index, *relative_depth),
            Operator::BrTable { targets } => {
                for target in targets.targets() {
                    self.branch(index, target?);
                }
                self.branch(index, targets.default());
                self.falls_through = false;
            }
            Operator::Return
            | Operator::Unreachable
            | Operator::ReturnCall { .. }
            | Operator::ReturnCallIndirect { .. }
            | Operator::ReturnCallRef { .. }
            | Operator::Throw { .. }
            | Operator::ThrowRef
            | Operator::Rethrow { .. } => self.falls_through = false,
            _ => {}
        }
        Ok(())
    }

    fn open(&mut self, kind: FrameKind, start: u32) {
        self.frames.push(Frame {
            kind,
            start,
            past_end: Vec::new(),
        });
    }

    fn branch(&mut self, from: u32, relative_depth: u32) {
        let Some(target) = (self.frames.len() as u32)
            .checked_sub(1 + relative_depth)
            .map(|i| &mut self.frames[i as usize])
        else {
            return;
        };
        match target.kind {
            // The loop's body starts right after its opcode, which exists: the branch is in it.
            FrameKind::Loop => self.predecessors[target.start as usize + 1].push(from),
            _ => target.past_end.push(from),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The flow of the only function in `wat`, with each instruction named by its text.
    fn flow(wat: &str) -> (FunctionFlow, Vec<String>) {
        let bytes = wat::parse_str(wat).unwrap();
        let mut found = None;
        for payload in Parser::new(0).parse_all(&bytes) {
            if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                let names = {
                    let mut reader = body.get_operators_reader().unwrap();
                    let mut names = Vec::new();
                    while !reader.eof() {
                        let op = reader.read().unwrap();
                        names.push(format!("{op:?}").split([' ', '{']).next().unwrap().to_string());
                    }
                    names
                };
                found = Some((FunctionFlow::build(&body).unwrap(), names));
            }
        }
        found.unwrap()
    }

    fn preds(flow: &(FunctionFlow, Vec<String>), index: u32) -> Vec<u32> {
        let mut p = flow.0.predecessors(index).to_vec();
        p.sort_unstable();
        p
    }

    #[test]
    fn an_if_without_else_goes_on_past_its_end() {
        // 0 local.get  1 if  2 nop  3 end  4 end
        let f = flow("(module (func (param i32) local.get 0 if nop end))");
        assert_eq!(f.1, ["LocalGet", "If", "Nop", "End", "End"]);
        assert_eq!(preds(&f, 0), Vec::<u32>::new());
        assert_eq!(preds(&f, 2), [1]);
        assert_eq!(preds(&f, 3), [2]);
        assert_eq!(preds(&f, 4), [1, 3]);
    }

    #[test]
    fn the_else_arm_starts_from_the_test_and_the_first_arm_skips_it() {
        // 0 local.get  1 if  2 i32.const  3 else  4 i32.const  5 end  6 drop  7 end
        let f = flow("(module (func (param i32) local.get 0 if (result i32) i32.const 1 else i32.const 2 end drop))");
        assert_eq!(f.1[3], "Else");
        assert_eq!(preds(&f, 3), [2]);
        assert_eq!(f.0.successors(3), [6]);
        assert_eq!(preds(&f, 4), [1]);
        assert_eq!(preds(&f, 5), [4]);
        assert_eq!(preds(&f, 6), [3, 5]);
    }

    #[test]
    fn loops_take_back_edges_and_code_after_a_branch_is_unreachable() {
        // 0 loop  1 local.get  2 br_if 0  3 br 1  4 nop  5 end  6 end
        let f = flow("(module (func (param i32) loop local.get 0 br_if 0 br 1 nop end))");
        assert_eq!(f.1[0], "Loop");
        // The back edge lands after the `loop` opcode.
        assert_eq!(preds(&f, 0), Vec::<u32>::new());
        assert_eq!(preds(&f, 1), [0, 2]);
        assert_eq!(preds(&f, 3), [2]);
        assert_eq!(preds(&f, 4), Vec::<u32>::new());
        // `br 1` leaves the function: it goes nowhere in it.
        assert_eq!(f.0.successors(3), Vec::<u32>::new());
        assert_eq!(preds(&f, 6), [5]);
    }

    #[test]
    fn a_br_table_reaches_past_every_target() {
        // 0 block  1 block  2 local.get  3 br_table 0 1  4 end  5 nop  6 end  7 end
        let f = flow("(module (func (param i32) block block local.get 0 br_table 0 1 end nop end))");
        assert_eq!(preds(&f, 4), Vec::<u32>::new());
        assert_eq!(preds(&f, 5), [3, 4]);
        assert_eq!(preds(&f, 6), [5]);
        assert_eq!(preds(&f, 7), [3, 6]);
    }

    #[test]
    fn a_body_cut_short_is_an_error_not_a_panic() {
        let bytes = wat::parse_str("(module (func nop))").unwrap();
        // The body without its last byte, the function's `end`.
        for payload in Parser::new(0).parse_all(&bytes) {
            if let Payload::CodeSectionEntry(body) = payload.unwrap() {
                let range = body.range();
                let shortened = FunctionBody::new(wasmparser::BinaryReader::new(
                    &bytes[range.start..range.end - 1],
                    range.start,
                ));
                assert!(FunctionFlow::build(&shortened).is_err());
            }
        }
    }
}
