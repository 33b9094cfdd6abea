//! The value-stack depth before every instruction, and the code object's maximum.
//!
//! The compiler records in `co_stacksize` the deepest stack any path through the code can
//! reach; pyclens recomputes it by walking the control flow the way that version's
//! compiler does (`stackdepth()` in Python/compile.c, Python/flowgraph.c from 3.12), with
//! the stack effects measured from the interpreter ([`super::effects`]):
//!
//! - 3.7+: a worklist over instructions. Each is visited once, at the first depth that reaches it
//!   (a later, different depth is a crafted file's inconsistency: reported, the first depth kept;
//!   before 3.10 not reported, see [`worklist`]); the fall-through gets
//!   `depth + effect(jump=False)`, a jump target `depth + effect(jump=True)` (for `SETUP_*` that
//!   is the handler's depth); nothing follows an unconditional jump, a return or a raise. In 3.11+
//!   an instruction covered by the exception table also reaches its handler at the recorded
//!   depth + 1 (+1 with lasti).
//! - 2.5–2.7 and 3.0–3.6: `stackdepth_walk`, a depth-first walk over blocks that re-walks a
//!   block reached deeper than before and skips blocks on the current path; each
//!   instruction moves the stack by its one effect, FOR_ITER's target gets 2 less,
//!   SETUP_EXCEPT/SETUP_FINALLY's 3 more, JUMP_IF_TRUE_OR_POP/JUMP_IF_FALSE_OR_POP's
//!   fall-through 1 less (not in 3.1–3.3, see [`super::rewritten`]), and only
//!   JUMP_ABSOLUTE/JUMP_FORWARD end a path (2.5–2.6's and 3.0–3.1's walk, the same without
//!   any of these adjustments). A depth shown is the deepest that walk reached there.
//!   1.5–2.4, whose compilers counted while emitting code in code order (past a return or a
//!   raise too), walk the same way with the adjustments, FOR_LOOP's target 3 less; so do
//!   1.0–1.4, which record no `co_stacksize`, from depth 1 where a function's argument tuple
//!   waits on its stack.
//! - GraalPy 3.10–3.12: the same [`worklist`], as compiler/CompilationUnit.java
//!   `computeStackLevels()` walks its blocks: from depth 0, a block kept at the first level that
//!   reaches it, a handler range's handler at the range's recorded level + 1.
//! - PyPy (every release pyclens reads: 2.7, 3.2, 3.5–3.11): [`linear`], PyPy's one pass over its blocks in code order, each
//!   starting at the deepest depth an earlier block handed it (back edges ignored).
//! - RustPython 3.13: its code generator's block worklist, in [`super::rustpython`].
//!
//! The maximum counts every depth the compiler counts: the depth after each instruction's
//! fall-through effect and every jump target's depth. Work is bounded by the number of
//! instructions (3.6's and RustPython's walks by a budget, reported when spent).

use super::flow::{Block, Step, Transfer};

/// Depths of one code object.
#[derive(Debug, Default)]
pub struct Depths {
    /// Depth before each instruction; `None` where no path reaches it.
    pub before: Vec<Option<i64>>,
    /// The deepest stack a path reaches (what `co_stacksize` records).
    pub max: i64,
    /// Problems of a crafted file: (instruction index, message).
    pub problems: Vec<(usize, String)>,
}

/// What the walk needs about one instruction besides its [`Step`]. 48 bytes (one per
/// instruction of the largest code objects, alive through the analysis): the two effects
/// are kept apart from the flag that says they are known ([`Effect::effects`]), which an
/// `Option` of the pair would pad to a word of its own.
#[derive(Debug, Clone, Copy)]
pub struct Effect {
    fall: i64,
    jump: i64,
    known: bool,
    /// 3.11+: the exception handler (instruction index) and the depth it starts at.
    pub handler: Option<Handler>,
    /// 3.6 only: how `stackdepth_walk` treats this instruction's jump.
    pub walk36: Walk36,
    /// 3.11+: for a `PUSH_EXC_INFO` (the first instruction of every handler the compiler
    /// emits), the depth of the exception-table entry that covers it. That entry is the
    /// handler's own `SETUP_CLEANUP`, registered just before `PUSH_EXC_INFO` at the depth the
    /// handler starts at; the walk starts an otherwise unreached handler there (see
    /// [`worklist`]). GraalPy: the depth of the range covering the instruction after its
    /// `PUSH_EXC_INFO`, the handler body's cleanup range (recorded one below the body, at the
    /// depth `PUSH_EXC_INFO` starts at).
    pub handler_start: Option<u32>,
    /// 3.6–3.9: how far above the depth before this instruction the compiler's stack
    /// reached here, in instructions the peephole optimizer folded afterwards
    /// ([`super::folded`]); 0 elsewhere.
    pub peak: i64,
}

impl Effect {
    /// The walk's view of an instruction with stack `effects` (see [`Effect::effects`]), no
    /// handler, no 3.6 adjustment, no handler start and no folded peak.
    pub fn new(effects: Option<(i64, i64)>) -> Effect {
        let (fall, jump) = effects.unwrap_or((0, 0));
        Effect {
            fall,
            jump,
            known: effects.is_some(),
            handler: None,
            walk36: Walk36::default(),
            handler_start: None,
            peak: 0,
        }
    }

    /// Stack effect of the fall-through and of the jump; `None` for an opcode the
    /// version's `dis.stack_effect` does not know.
    pub fn effects(&self) -> Option<(i64, i64)> {
        self.known.then_some((self.fall, self.jump))
    }
}

/// The 3.11+ exception handler of one instruction, as the exception table records it;
/// kept in 12 bytes (one per instruction of the largest code objects), the depth it starts
/// at computed when walked.
#[derive(Debug, Clone, Copy)]
pub struct Handler {
    /// The handler's instruction index (an index into the instructions, so it fits).
    pub at: u32,
    /// The table entry's depth.
    pub depth: u32,
    /// The table entry's lasti flag: the handler also gets the offset pushed.
    pub lasti: bool,
}

impl Handler {
    /// The depth the handler starts at: the entry's depth, the exception and, with lasti,
    /// the offset.
    pub fn depth(self) -> i64 {
        i64::from(self.depth) + 1 + i64::from(self.lasti)
    }
}

/// 3.6's `stackdepth_walk` (Python/compile.c, v3.6.15) on a jump: the target gets the depth
/// after the instruction's one effect plus `target` (FOR_ITER -2, SETUP_EXCEPT/SETUP_FINALLY
/// +3), the fall-through the depth plus `fall` (JUMP_IF_TRUE_OR_POP/JUMP_IF_FALSE_OR_POP -1:
/// their one effect, 0, is the jump's), and `stop` ends the path (JUMP_ABSOLUTE,
/// JUMP_FORWARD: "remaining code is dead").
///
/// `fall` is also +1 for a RETURN_VALUE right before a `finally` or `with` cleanup block:
/// the compiler always ends such a body with `POP_BLOCK; LOAD_CONST None`
/// (`compiler_try_finally`, `compiler_with`), which the peephole optimizer drops as
/// unreachable after a return (Python/peephole.c, `case RETURN_VALUE`) once the depth is
/// computed; the walk, which does not stop at a return, pushed that None.
#[derive(Debug, Clone, Copy, Default)]
pub struct Walk36 {
    /// Added to the target's depth (one of -2, 0, 3: a byte keeps [`Effect`] small).
    pub target: i8,
    /// Added to the fall-through's depth (one of -1, 0, 1).
    pub fall: i8,
    /// Nothing follows this jump.
    pub stop: bool,
}

/// The worklist walk of 3.7+ compilers, entering the code at depth `entry`. The first
/// depth that reaches an instruction is kept; a different later one is reported when
/// `report_inconsistent` (3.10+: before 3.10 the peephole optimizer rewrites jumps after the
/// compiler computed depths, so real 3.7–3.9 files reach some finally blocks at two depths).
///
/// 3.11+: the compiler walks its CFG while the `SETUP_*` pseudo-instructions still lead to
/// every handler, and only then turns them into the exception table. A `try` whose body
/// compiles to nothing (`try: pass`) leaves a handler that no table entry leads to, yet the
/// compiler counted it (flowgraph.c / compile.c `stackdepth()`: `is_block_push` targets are
/// pushed at `target_depth`). So once nothing else is left, an unreached instruction with
/// [`Effect::handler_start`] is walked from that depth, in code order. GraalPy's
/// `computeStackLevels()` (compiler/CompilationUnit.java) does the same: it walks a block's
/// handler from the block, and an empty `try` body block emits no range
/// (`addExceptionRange`: "Don't emit empty ranges").
pub fn worklist(steps: &[Step], effects: &[Effect], entry: i64, report_inconsistent: bool) -> Depths {
    let n = steps.len();
    let mut d = Depths { before: vec![None; n], ..Depths::default() };
    let mut work: Vec<usize> = Vec::new();
    let push = |d: &mut Depths, work: &mut Vec<usize>, from: usize, to: Option<usize>, depth: i64| {
        let Some(to) = to else {
            d.problems.push((from, "jumps to an offset where no instruction starts".into()));
            return;
        };
        d.max = d.max.max(depth);
        match d.before[to] {
            None => {
                d.before[to] = Some(depth);
                work.push(to);
            }
            Some(first) if first != depth && report_inconsistent => d
                .problems
                .push((to, format!("reached with stack depth {depth} and {first}; the first depth found is kept"))),
            Some(_) => {}
        }
    };
    if n > 0 {
        push(&mut d, &mut work, 0, Some(0), entry);
    }
    let mut dead_handlers = (0..n).filter(|&i| effects[i].handler_start.is_some());
    loop {
        let Some(i) = work.pop() else {
            // Bounded: each handler start is tried once.
            let Some(h) = dead_handlers.by_ref().find(|&h| d.before[h].is_none()) else { break };
            push(&mut d, &mut work, h, Some(h), effects[h].handler_start.map_or(0, i64::from));
            continue;
        };
        let depth = d.before[i].unwrap_or(0);
        let e = effects[i];
        d.max = d.max.max(depth.saturating_add(e.peak));
        if let Some(h) = e.handler {
            push(&mut d, &mut work, i, Some(h.at as usize), h.depth());
        }
        let Some((fall, jump)) = e.effects() else {
            d.problems.push((i, "opcode has no stack effect in this version".into()));
            continue;
        };
        let after = depth.saturating_add(fall);
        d.max = d.max.max(after);
        if after < 0 {
            d.problems.push((i, format!("pops below the bottom of the stack (depth {after})")));
            continue;
        }
        let s = steps[i];
        let next = (i + 1 < n).then_some(i + 1);
        match s.transfer {
            Transfer::Exit => {}
            Transfer::Next => {
                if next.is_some() {
                    push(&mut d, &mut work, i, next, after);
                }
            }
            Transfer::Jump => push(&mut d, &mut work, i, s.target(), depth.saturating_add(jump)),
            Transfer::Branch | Transfer::Setup => {
                push(&mut d, &mut work, i, s.target(), depth.saturating_add(jump));
                if next.is_some() {
                    push(&mut d, &mut work, i, next, after);
                }
            }
        }
    }
    d
}

/// One pending step of 3.6's recursive walk, made explicit.
enum Frame {
    Enter { block: usize, depth: i64 },
    Resume { block: usize, at: usize, depth: i64 },
    Leave { block: usize },
}

/// 3.6's `stackdepth_walk`, over `blocks` (`block_of[i]`: the block of instruction `i`),
/// entering the code at depth `entry`.
pub fn walk36(steps: &[Step], effects: &[Effect], blocks: &[Block], block_of: &[usize], entry: i64) -> Depths {
    let n = steps.len();
    let mut d = Depths { before: vec![None; n], ..Depths::default() };
    let mut seen = vec![false; blocks.len()];
    let mut start: Vec<Option<i64>> = vec![None; blocks.len()];
    let mut budget = n.saturating_mul(64).saturating_add(10_000);
    let mut frames = vec![Frame::Enter { block: 0, depth: entry }];
    if blocks.is_empty() {
        return d;
    }
    'frames: while let Some(frame) = frames.pop() {
        match frame {
            Frame::Leave { block } => seen[block] = false,
            Frame::Enter { block, depth } => {
                if seen[block] || start[block].is_some_and(|s| s >= depth) {
                    continue;
                }
                seen[block] = true;
                start[block] = Some(depth);
                frames.push(Frame::Resume { block, at: blocks[block].first, depth });
            }
            Frame::Resume { block, at, mut depth } => {
                for i in at..blocks[block].end {
                    if budget == 0 {
                        d.problems.push((i, "the stack depth walk gave up: too many paths".into()));
                        break 'frames;
                    }
                    budget -= 1;
                    d.before[i] = Some(d.before[i].map_or(depth, |b| b.max(depth)));
                    d.max = d.max.max(depth.saturating_add(effects[i].peak));
                    let Some((effect, _)) = effects[i].effects() else {
                        d.problems.push((i, "opcode has no stack effect in this version".into()));
                        frames.push(Frame::Leave { block });
                        continue 'frames;
                    };
                    depth = depth.saturating_add(effect);
                    d.max = d.max.max(depth);
                    let s = steps[i];
                    if s.transfer == Transfer::Next || s.transfer == Transfer::Exit {
                        depth = depth.saturating_add(i64::from(effects[i].walk36.fall));
                        d.max = d.max.max(depth);
                        continue;
                    }
                    let Some(t) = s.target() else {
                        d.problems.push((i, "jumps to an offset where no instruction starts".into()));
                        continue;
                    };
                    let w = effects[i].walk36;
                    let target_depth = depth.saturating_add(i64::from(w.target));
                    if w.target > 0 {
                        d.max = d.max.max(target_depth);
                    }
                    if w.stop {
                        frames.push(Frame::Leave { block });
                    } else {
                        frames.push(Frame::Resume { block, at: i + 1, depth: depth.saturating_add(i64::from(w.fall)) });
                    }
                    frames.push(Frame::Enter { block: block_of[t], depth: target_depth });
                    continue 'frames;
                }
                frames.push(Frame::Leave { block });
                if block + 1 < blocks.len() {
                    frames.push(Frame::Enter { block: block + 1, depth });
                }
            }
        }
    }
    d
}

/// PyPy's walk: `_stacksize` / `_do_stack_depth_walk` in pypy/interpreter/astcompiler/assemble.py
/// (main = 2.7, py3.7, py3.8, py3.9 and py3.11 branches). PyPy lays its blocks out in reverse
/// post-order and walks them once in that order, which is the code's order: each block starts at
/// the deepest depth an earlier block handed it (a jump back to an earlier block is ignored) and is
/// skipped when none did. Within a block every instruction moves the depth by its fall-through
/// effect; a jump hands its target `depth + jump effect`; nothing follows an unconditional jump, a
/// return or a raise. The maximum counts the depth after each instruction and every jump target's.
/// The effect tables express 3.9's after-relative jumps as before-relative ones
/// (tools/gen_stack_effects_pypy.py), as 2.7's, 3.7's and 3.8's
/// (tools/gen_stack_effects_pypy_source.py), so one walk serves all. One pass over the
/// instructions: no crafted file makes it loop.
pub fn linear(steps: &[Step], effects: &[Effect], blocks: &[Block]) -> Depths {
    let n = steps.len();
    let mut d = Depths { before: vec![None; n], ..Depths::default() };
    let mut start: Vec<Option<i64>> = vec![None; n];
    if n > 0 {
        start[0] = Some(0);
    }
    for block in blocks {
        let Some(mut depth) = start.get(block.first).copied().flatten() else { continue };
        if let Some(next) = linear_block(steps, effects, block, &mut depth, &mut start, &mut d) {
            hand(&mut start, next, depth);
        }
    }
    d
}

/// Walks one block of [`linear`] from `depth`; returns the next instruction when the block
/// falls through to it (`depth` is then the depth it hands on).
fn linear_block(
    steps: &[Step],
    effects: &[Effect],
    block: &Block,
    depth: &mut i64,
    start: &mut [Option<i64>],
    d: &mut Depths,
) -> Option<usize> {
    for i in block.first..block.end {
        d.before[i] = Some(*depth);
        let Some((fall, jump)) = effects[i].effects() else {
            d.problems.push((i, "opcode has no stack effect in this version".into()));
            return None;
        };
        let after = depth.saturating_add(fall);
        d.max = d.max.max(after);
        if after < 0 {
            d.problems.push((i, format!("pops below the bottom of the stack (depth {after})")));
            return None;
        }
        let s = steps[i];
        if matches!(s.transfer, Transfer::Jump | Transfer::Branch | Transfer::Setup) {
            let Some(t) = s.target() else {
                d.problems.push((i, "jumps to an offset where no instruction starts".into()));
                return None;
            };
            let target_depth = depth.saturating_add(jump);
            d.max = d.max.max(target_depth);
            // A jump back (to an instruction already walked) changes nothing.
            if t > i {
                hand(start, t, target_depth);
            }
        }
        if matches!(s.transfer, Transfer::Jump | Transfer::Exit) {
            return None;
        }
        *depth = after;
    }
    (block.end < steps.len()).then_some(block.end)
}

/// `_next_stack_depth_walk`: a block starts at the deepest depth handed to it.
fn hand(start: &mut [Option<i64>], at: usize, depth: i64) {
    if let Some(s) = start.get_mut(at) {
        *s = Some(s.map_or(depth, |old| old.max(depth)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn effect(fall: i64, jump: i64) -> Effect {
        Effect::new(Some((fall, jump)))
    }

    fn step(transfer: Transfer, target: Option<usize>) -> Step {
        Step::new(transfer, target)
    }

    /// A forward branch hands its target the deeper of two depths; a jump back changes
    /// nothing; a block only a jump back reaches stays unwalked; crafted shapes (a pop below
    /// zero, a jump to no instruction) are reported, not followed.
    #[test]
    fn linear_walks_once_in_code_order() {
        // 0 LOAD (+1); 1 POP_JUMP_IF_FALSE -> 3 (-1); 2 LOAD (+1); 3 LOAD (+1); 4 JUMP -> 0;
        // 5 LOAD (+1, only a later jump back reaches it); 6 RETURN (-1); 7 JUMP -> 5.
        let steps = [
            step(Transfer::Next, None),
            step(Transfer::Branch, Some(3)),
            step(Transfer::Next, None),
            step(Transfer::Next, None),
            step(Transfer::Jump, Some(0)),
            step(Transfer::Next, None),
            step(Transfer::Exit, None),
            step(Transfer::Jump, Some(5)),
        ];
        let effects = [
            effect(1, 1),
            effect(-1, -1),
            effect(1, 1),
            effect(1, 1),
            effect(0, 0),
            effect(1, 1),
            effect(-1, -1),
            effect(0, 0),
        ];
        let blocks = [
            Block { first: 0, end: 2 },
            Block { first: 2, end: 3 },
            Block { first: 3, end: 5 },
            Block { first: 5, end: 7 },
            Block { first: 7, end: 8 },
        ];
        let d = linear(&steps, &effects, &blocks);
        assert_eq!(d.before, [Some(0), Some(1), Some(0), Some(1), Some(2), None, None, None]);
        assert_eq!(d.max, 2);
        assert!(d.problems.is_empty());

        let steps = [step(Transfer::Branch, None), step(Transfer::Next, None)];
        let d =
            linear(&steps, &[effect(-1, 0), effect(0, 0)], &[Block { first: 0, end: 1 }, Block { first: 1, end: 2 }]);
        assert_eq!(d.problems.len(), 1);
        let d = linear(&steps[1..], &[effect(0, 0)], &[]);
        assert_eq!((d.before, d.max), (vec![None], 0));
    }
}
