//! 3.14+'s `code.co_branches()`: every branch as (source, not-taken, taken) offsets.
//!
//! From 3.14 on, `sys.monitoring` reports BRANCH_LEFT / BRANCH_RIGHT events, and a code
//! object lists its branches with `co_branches()`: for each conditional jump (and
//! FOR_ITER), its offset, where execution continues when the branch is not taken (past a
//! following NOT_TAKEN, which exists only to carry that event) and where it goes when it
//! is taken (for FOR_ITER, past the END_FOR and POP_ITER it targets; for `async for`, the
//! END_SEND that END_ASYNC_FOR names, taken to past END_ASYNC_FOR).

use super::flow::{Step, Transfer};
use crate::bytecode::disasm::Instruction;

/// `co_branches()` of a 3.14+ code object, from its instructions and their steps.
pub fn branches(instructions: &[Instruction], steps: &[Step], names: &[&str]) -> Vec<(u32, u32, u32)> {
    let mut out = Vec::new();
    let past_not_taken = |at: usize| match (instructions.get(at + 1), names.get(at + 1).copied()) {
        (Some(next), Some("NOT_TAKEN")) => next.end,
        _ => instructions[at].end,
    };
    for (i, (ins, s)) in instructions.iter().zip(steps).enumerate() {
        // `async for`: END_ASYNC_FOR names the END_SEND where the loop's branch is; taken
        // means the iterator is exhausted and execution continues past END_ASYNC_FOR.
        if names[i] == "END_ASYNC_FOR" {
            if let Some(t) = ins.jump_target.and_then(|t| super::flow::index_of(instructions, t)) {
                // CPython counts END_SEND plus one NOT_TAKEN code unit, present or not.
                let end_send = instructions[t].offset;
                out.push((end_send, end_send.saturating_add(4), ins.end));
            }
            continue;
        }
        if s.transfer != Transfer::Branch || names[i] == "SEND" {
            continue;
        }
        let Some(t) = s.target() else { continue };
        let not_taken = past_not_taken(i);
        // An exhausted FOR_ITER continues past the END_FOR (and 3.14's POP_ITER) it
        // targets: that is where its BRANCH_RIGHT event says it went.
        let mut taken = t;
        for skip in ["END_FOR", "POP_ITER"] {
            if names[i] == "FOR_ITER" && names.get(taken) == Some(&skip) && taken + 1 < instructions.len() {
                taken += 1;
            }
        }
        out.push((ins.offset, not_taken, instructions[taken].offset));
    }
    out
}
