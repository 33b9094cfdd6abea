//! 3.1–3.3: the conditional jumps that were `JUMP_IF_*_OR_POP` when the compiler counted
//! the stack.
//!
//! CPython 3.1 to 3.3 compute `co_stacksize` (Python/compile.c `stackdepth_walk`) before
//! the peephole optimizer runs, and their walk gives `JUMP_IF_TRUE_OR_POP` /
//! `JUMP_IF_FALSE_OR_POP` one effect, 0, on both paths: the value they pop when they fall
//! through stays counted (3.4's walk takes it off; 2.7's already did). The peephole
//! optimizer (Python/peephole.c, `case JUMP_IF_FALSE_OR_POP`) then rewrites such a jump
//! whose target is another conditional jump: into a jump straight to that jump's target
//! when both jump on the same truth, else into `POP_JUMP_IF_*` to just past it. So an
//! `and`/`or` in an `if`, `while` or `assert` test shows as `POP_JUMP_IF_*` in the file,
//! where the compiler walked a jump that kept its operand on the fall-through.
//!
//! The file keeps no mark of the rewrite, but its shape is fixed: `compiler_boolop` jumps from
//! every operand but the last to the end of the expression, where the test's own jump sits, on the
//! same source line. A `POP_JUMP_IF_*` is taken for a rewritten one when a later conditional jump
//! on the same line (no line starts in between) is the one it was aimed at: the same truth and
//! target, or the opposite truth with the target just past it (or where an unconditional jump just
//! past it leads: the optimizer goes over the rewritten jump again). Nested `if` statements compile
//! to the same jumps but always start a new line, so they are never taken for one; an `and`/`or`
//! split over several lines is (a line starts at its next operand), and is then counted as the file
//! shows it.

use crate::bytecode::disasm::Instruction;

/// Whether a conditional jump jumps when its operand is true.
fn on_true(name: &str) -> Option<bool> {
    match name {
        "POP_JUMP_IF_TRUE" | "JUMP_IF_TRUE_OR_POP" => Some(true),
        "POP_JUMP_IF_FALSE" | "JUMP_IF_FALSE_OR_POP" => Some(false),
        _ => None,
    }
}

/// For each instruction, whether it is a `POP_JUMP_IF_*` rewritten from a
/// `JUMP_IF_*_OR_POP` (see the module's documentation). Linear in the number of
/// instructions: each looks ahead only to the next line start.
pub fn from_or_pop(instructions: &[Instruction], names: &[&str]) -> Vec<bool> {
    let mut out = vec![false; instructions.len()];
    // The index of the next instruction (after i) that starts a line, scanning backwards.
    let mut next_line = instructions.len();
    let mut starts_after = vec![instructions.len(); instructions.len()];
    for i in (0..instructions.len()).rev() {
        starts_after[i] = next_line;
        if instructions[i].starts_line {
            next_line = i;
        }
    }
    for (i, x) in instructions.iter().enumerate() {
        let (Some(kind), Some(target)) = (on_true(names[i]), x.jump_target) else { continue };
        if !names[i].starts_with("POP_JUMP_IF_") {
            continue;
        }
        out[i] = (i + 1..starts_after[i]).any(|y| {
            let Some(y_kind) = on_true(names[y]) else { return false };
            if y_kind == kind {
                instructions[y].jump_target == Some(target)
            } else {
                // Just past it, or where the unconditional jump there leads: the optimizer
                // goes over the rewritten jump again (`reoptimize_current`).
                instructions.get(y + 1).is_some_and(|next| {
                    i64::from(next.offset) == target
                        || (matches!(names[y + 1], "JUMP_ABSOLUTE" | "JUMP_FORWARD")
                            && next.jump_target == Some(target))
                })
            }
        });
    }
    out
}
