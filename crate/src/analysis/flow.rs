//! Basic blocks and the edges between them, from the decoded instructions.
//!
//! A reader who wants to see where control goes needs the code cut where it can change
//! direction: a block starts at the first instruction, at every jump target and exception
//! handler, and after every instruction that jumps, branches, sets up a handler or leaves
//! the frame. Edges say how control passes from one block to another; they are read off
//! each block's last instruction (and, in 3.11+, the exception table).

use crate::bytecode::disasm::Instruction;

/// How an instruction passes control on, by the role its opcode plays in the compiler
/// (CPython's `IS_UNCONDITIONAL_JUMP_OPCODE` / `IS_SCOPE_EXIT_OPCODE` and the jump lists).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transfer {
    /// To the next instruction only.
    Next,
    /// Nowhere in this frame: return, raise, re-raise.
    Exit,
    /// Always to its jump target.
    Jump,
    /// To its jump target or to the next instruction (conditional jumps, FOR_ITER, SEND).
    Branch,
    /// To the next instruction, registering its target as a handler (`SETUP_*` before
    /// 3.11, 3.8's CALL_FINALLY): the compiler walks both.
    Setup,
}

/// The transfer of an instruction named `name`, which has a jump target or not.
pub fn transfer(name: &str, has_target: bool) -> Transfer {
    match name {
        // GraalPy's END_EXC_HANDLER re-raises (its `getNextBci` is -1); RustPython's RAISE
        // (every kind) is one of its `unconditional_branch` instructions; 1.0–1.4's
        // RAISE_EXCEPTION always raises ("why = WHY_EXCEPTION").
        "RETURN_VALUE" | "RETURN_CONST" | "RAISE_VARARGS" | "RERAISE" | "END_EXC_HANDLER" | "RAISE"
        | "RAISE_EXCEPTION" => Transfer::Exit,
        // 3.14's END_ASYNC_FOR names its SEND for monitoring; it does not jump there.
        "END_ASYNC_FOR" => Transfer::Next,
        _ if !has_target => Transfer::Next,
        "JUMP_FORWARD"
        | "JUMP_ABSOLUTE"
        | "JUMP_BACKWARD"
        | "JUMP_BACKWARD_NO_INTERRUPT"
        | "JUMP"
        | "JUMP_NO_INTERRUPT"
        | "CONTINUE_LOOP"
        // RustPython's loop exits, which unwind its block stack to their target.
        | "BREAK"
        | "CONTINUE" => Transfer::Jump,
        "CALL_FINALLY" => Transfer::Setup,
        _ if name.starts_with("SETUP_") => Transfer::Setup,
        _ => Transfer::Branch,
    }
}

/// A run of instructions entered only at its first and left only after its last.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Index of its first instruction.
    pub first: usize,
    /// Index just past its last instruction.
    pub end: usize,
}

/// How control passes along an edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    /// Into the next block, which starts because something else jumps there.
    Fall,
    /// An unconditional jump.
    Jump,
    /// A conditional jump taken.
    Taken,
    /// A conditional jump not taken (the next block).
    NotTaken,
    /// A `SETUP_*` instruction's target (before 3.11): its handler, or a loop's exit.
    Setup,
    /// 3.11+: the exception table sends an exception raised in the block to a handler
    /// with the stack cut to `depth` (plus the raising offset if `lasti`).
    Exception {
        /// Stack depth kept under the pushed values.
        depth: u32,
        /// Whether the raising instruction's offset is pushed too.
        lasti: bool,
    },
}

impl EdgeKind {
    /// The name the JSON document and the CLI use.
    pub fn name(self) -> &'static str {
        match self {
            EdgeKind::Fall => "fall",
            EdgeKind::Jump => "jump",
            EdgeKind::Taken => "taken",
            EdgeKind::NotTaken => "not_taken",
            EdgeKind::Setup => "setup",
            EdgeKind::Exception { .. } => "exception",
        }
    }
}

/// One edge between blocks (indexes into the block list).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edge {
    /// The block control leaves.
    pub from: usize,
    /// The block it enters.
    pub to: usize,
    /// How.
    pub kind: EdgeKind,
}

/// Where each instruction sends control: its transfer and its target as an instruction
/// index (`None` when it has none, or a crafted target is not an instruction's offset).
/// 12 bytes: one per instruction of the largest code objects, alive through the analysis.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    /// How control leaves it.
    pub transfer: Transfer,
    /// Index of the jump target (instructions are counted in `u32`, as their offsets are).
    target: Option<u32>,
}

impl Step {
    /// The step of an instruction that leaves by `transfer`, to the instruction at index
    /// `target`.
    pub fn new(transfer: Transfer, target: Option<usize>) -> Step {
        Step { transfer, target: target.and_then(|t| u32::try_from(t).ok()) }
    }

    /// Index of the jump target.
    pub fn target(self) -> Option<usize> {
        self.target.map(|t| t as usize)
    }
}

/// The index of the instruction at byte `offset`, if one starts there.
pub fn index_of(instructions: &[Instruction], offset: i64) -> Option<usize> {
    let offset = u32::try_from(offset).ok()?;
    instructions.binary_search_by_key(&offset, |i| i.offset).ok()
}

/// The blocks (in code order, covering every instruction once) and their edges.
/// `handlers[i]` is the 3.11+ exception handler of instruction `i`: (handler index, depth,
/// lasti).
pub fn blocks_and_edges(steps: &[Step], handlers: &[Option<(u32, u32, bool)>]) -> (Vec<Block>, Vec<Edge>) {
    let n = steps.len();
    let mut leader = vec![false; n];
    if n > 0 {
        leader[0] = true;
    }
    for (i, s) in steps.iter().enumerate() {
        if let Some(t) = s.target().filter(|_| s.transfer != Transfer::Next) {
            leader[t] = true;
        }
        if s.transfer != Transfer::Next && i + 1 < n {
            leader[i + 1] = true;
        }
    }
    for &(h, _, _) in handlers.iter().flatten() {
        leader[h as usize] = true;
    }
    let mut blocks = Vec::new();
    let mut block_of = vec![0usize; n];
    for i in 0..n {
        if leader[i] {
            blocks.push(Block { first: i, end: i + 1 });
        } else if let Some(b) = blocks.last_mut() {
            b.end = i + 1;
        }
        block_of[i] = blocks.len() - 1;
    }
    let mut edges = Vec::new();
    for (b, block) in blocks.iter().enumerate() {
        let last = &steps[block.end - 1];
        let next = (block.end < n).then(|| block_of[block.end]);
        let target = last.target().map(|t| block_of[t]);
        let mut add = |to: Option<usize>, kind| {
            if let Some(to) = to {
                edges.push(Edge { from: b, to, kind });
            }
        };
        match last.transfer {
            Transfer::Next => add(next, EdgeKind::Fall),
            Transfer::Exit => {}
            Transfer::Jump => add(target, EdgeKind::Jump),
            Transfer::Branch => {
                add(target, EdgeKind::Taken);
                add(next, EdgeKind::NotTaken);
            }
            Transfer::Setup => {
                add(target, EdgeKind::Setup);
                add(next, EdgeKind::Fall);
            }
        }
        // Each distinct handler once, in handler order (sorting keeps crafted tables linear).
        let mut seen: Vec<(u32, u32, bool)> = handlers[block.first..block.end].iter().flatten().copied().collect();
        seen.sort_unstable();
        seen.dedup();
        for (h, depth, lasti) in seen {
            add(Some(block_of[h as usize]), EdgeKind::Exception { depth, lasti });
        }
    }
    (blocks, edges)
}
