//! RustPython's stack-depth walk: what its code generator computes for `max_stackdepth`
//! (the `co_stacksize` of its pycs), so the analysis gives its files the depths its compiler
//! counted.
//!
//! compiler/codegen/src/ir.rs `CodeInfo::max_stackdepth` (RustPython commit 1aea1467, the one
//! pyclens decodes) runs over the final blocks, after `dce` and before labels are resolved and
//! `ExtendedArg`s added (neither moves the stack), so the file holds what it walked. It is a
//! worklist of blocks: a block is (re)walked whenever a depth greater than the one it was last
//! walked at reaches it (`stackdepth_push`); each instruction moves the depth by
//! `stack_effect(arg, false)` and hands its jump target `depth + stack_effect(arg, true)`,
//! except BREAK and CONTINUE, whose targets it skips (they unwind to the loop's depth; the
//! caller turns them into exits, [`super::analyse`]); an `unconditional_branch` (JUMP, BREAK,
//! CONTINUE, RETURN_VALUE, RETURN_CONST, RAISE) ends the block's walk, and a block that runs
//! to its end hands its depth to the next block in layout order. The maximum is the largest
//! depth after an instruction or at a jump target. pyclens's blocks are finer than the
//! compiler's (cut after every conditional jump too) but start at every jump target, so the
//! same walk over them reaches the same depths.

use super::flow::{Block, Step, Transfer};
use super::stack::{Depths, Effect};

/// The walk of `max_stackdepth` over `blocks`. A depth shown is the deepest the block was
/// reached at (the last walk of it). Bounded: a crafted loop that deepens the stack on every
/// round would be walked forever, so the work stops (reported) after a budget of instruction
/// visits no real file comes near.
pub fn walk(steps: &[Step], effects: &[Effect], blocks: &[Block]) -> Depths {
    let n = steps.len();
    let mut d = Depths { before: vec![None; n], ..Depths::default() };
    if blocks.is_empty() {
        return d;
    }
    let mut block_of = vec![0; n];
    for (b, block) in blocks.iter().enumerate() {
        block_of[block.first..block.end].iter_mut().for_each(|x| *x = b);
    }
    let mut start: Vec<Option<i64>> = vec![None; blocks.len()];
    start[0] = Some(0);
    let mut work = vec![0];
    let mut budget = n.saturating_mul(64).saturating_add(10_000);
    'blocks: while let Some(b) = work.pop() {
        let Some(mut depth) = start[b] else { continue };
        for i in blocks[b].first..blocks[b].end {
            if budget == 0 {
                d.problems.push((i, "the stack depth walk gave up: too many paths".into()));
                break 'blocks;
            }
            budget -= 1;
            d.before[i] = Some(depth);
            let Some((fall, jump)) = effects[i].effects() else {
                d.problems.push((i, "opcode has no stack effect in this version".into()));
                continue 'blocks;
            };
            let after = depth.saturating_add(fall);
            if after < 0 {
                d.problems.push((i, format!("pops below the bottom of the stack (depth {after})")));
                continue 'blocks;
            }
            d.max = d.max.max(after);
            let s = steps[i];
            if matches!(s.transfer, Transfer::Jump | Transfer::Branch | Transfer::Setup) {
                let Some(t) = s.target() else {
                    d.problems.push((i, "jumps to an offset where no instruction starts".into()));
                    continue 'blocks;
                };
                let target_depth = depth.saturating_add(jump);
                if target_depth < 0 {
                    d.problems.push((i, format!("pops below the bottom of the stack (depth {target_depth})")));
                    continue 'blocks;
                }
                d.max = d.max.max(target_depth);
                push(&mut start, &mut work, block_of[t], target_depth);
            }
            if matches!(s.transfer, Transfer::Jump | Transfer::Exit) {
                continue 'blocks;
            }
            depth = after;
        }
        if b + 1 < blocks.len() {
            push(&mut start, &mut work, b + 1, depth);
        }
    }
    d
}

/// `stackdepth_push`: a block is walked again only when reached deeper than before.
fn push(start: &mut [Option<i64>], work: &mut Vec<usize>, block: usize, depth: i64) {
    if start[block].is_none_or(|s| depth > s) {
        start[block] = Some(depth);
        work.push(block);
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

    /// A block reached deeper is walked again at the deeper depth; a jump ends its path; a
    /// block only an exit precedes stays unwalked; a loop that deepens every round stops at
    /// the budget, reported.
    #[test]
    fn rewalks_deeper_blocks_and_stays_bounded() {
        // 0 SETUP_EXCEPT -> 3 (0 / +1); 1 LOAD (+1); 2 JUMP -> 3; 3 POP (-1); 4 RETURN_CONST (0);
        // 5 LOAD (+1, unreached).
        let steps = [
            step(Transfer::Setup, Some(3)),
            step(Transfer::Next, None),
            step(Transfer::Jump, Some(3)),
            step(Transfer::Next, None),
            step(Transfer::Exit, None),
            step(Transfer::Next, None),
        ];
        let effects = [effect(0, 1), effect(1, 1), effect(0, 0), effect(-1, -1), effect(0, 0), effect(1, 1)];
        let blocks = [
            Block { first: 0, end: 1 },
            Block { first: 1, end: 3 },
            Block { first: 3, end: 5 },
            Block { first: 5, end: 6 },
        ];
        let d = walk(&steps, &effects, &blocks);
        assert_eq!(d.before, [Some(0), Some(0), Some(1), Some(1), Some(0), None]);
        assert_eq!(d.max, 1);
        assert!(d.problems.is_empty());

        // 0 LOAD (+1); 1 JUMP -> 0: every round one deeper.
        let steps = [step(Transfer::Next, None), step(Transfer::Jump, Some(0))];
        let blocks = [Block { first: 0, end: 2 }];
        let d = walk(&steps, &[effect(1, 1), effect(0, 0)], &blocks);
        assert_eq!(d.problems.len(), 1);
    }
}
