//! What 2.5–2.7 and 3.0–3.9 compilers counted at constants their peephole optimizer folded
//! afterwards.
//!
//! Before 3.10 the compiler computed `co_stacksize` over its own instructions and only then
//! let the peephole optimizer rewrite the bytecode (Python/compile.c `makecode`: `stackdepth(c)`
//! walks `c->u->u_blocks`, while `PyCode_Optimize` in Python/peephole.c rewrites the
//! assembled bytes; 3.6.15–3.9.18). `fold_tuple_on_constants` turns `LOAD_CONST c1 …
//! LOAD_CONST cn BUILD_TUPLE n` into one `LOAD_CONST (c1, …, cn)` (3.6 also turns a
//! constant `BUILD_LIST`/`BUILD_SET` before `in` or `for` into a tuple or frozenset), so the
//! file shows one push where the compiler counted `n`. Where the file itself says which
//! constant was built that way, the walk adds back the peak the compiler saw there:
//!
//! - 3.7–3.9: the AST optimizer already folds tuple displays, so the peephole optimizer only
//!   meets the tuples the compiler builds itself; the one whose elements are all constants
//!   in real code is a function's positional defaults (`compiler_default_arguments`: each
//!   default, then `BUILD_TUPLE`). A tuple constant that is MAKE_FUNCTION's defaults
//!   operand (flag 0x01) was pushed element by element: peak `n`.
//! - 2.5–2.7 and 3.0–3.6: there is no AST optimizer, so every tuple or frozenset constant came from
//!   a display or defaults the compiler built element by element, except the three tuples the
//!   compiler emits as constants itself (`from m import a, b`'s names before IMPORT_NAME, keyword
//!   names before CALL_FUNCTION_KW, constant keys before BUILD_CONST_KEY_MAP, each maybe behind
//!   EXTENDED_ARG; 3.0–3.5's annotation names before the closure or the code object). Element `i`
//!   was pushed on `i` others, a nested tuple element built the same way, and a complex with a real
//!   part was `a + bj` (two pushes).

use crate::bytecode::disasm::{Arg, Instruction};
use crate::pyc::object::{ObjId, Objects, Value};
use crate::pyc::version::PyVersion;

/// How far past a tuple constant the 3.7–3.9 rule looks for the MAKE_FUNCTION that takes
/// it: defaults are followed only by keyword defaults, annotations, the closure, the code
/// and its name, far fewer instructions than this in any real file.
const DEFAULTS_REACH: usize = 1024;

/// How deep the 3.6 rule follows nested tuples (a crafted file can nest without end).
const NESTING: u32 = 64;

/// Whether `version`'s peephole optimizer folded instructions after the compiler counted
/// the stack (2.4–3.9: 2.4's `optimize_code` in Python/compile.c is the first to fold, tuples of
/// constants only); [`peaks`] is all zeros elsewhere, so its callers skip it there.
pub fn folds(version: PyVersion) -> bool {
    (version.major == 2 && version.minor >= 4) || (version.major == 3 && version.minor <= 9)
}

/// For each instruction, how far above its depth-before the compiler's stack reached there
/// (0 where the file shows what the compiler walked). `fall` is each instruction's
/// fall-through effect. Only called where [`folds`] says so.
pub fn peaks(
    instructions: &[Instruction],
    names: &[&str],
    objects: &Objects,
    version: PyVersion,
    fall: &[Option<i64>],
) -> Vec<i64> {
    let mut out = vec![0; instructions.len()];
    if !folds(version) {
        return out;
    }
    let whole = version.major == 2 || (version.major == 3 && version.minor <= 6);
    for (i, ins) in instructions.iter().enumerate() {
        let Arg::Const(id) = ins.resolved else { continue };
        if names[i] != "LOAD_CONST" {
            continue;
        }
        out[i] = if whole {
            let k = (i + 1..names.len()).find(|&k| names[k] != "EXTENDED_ARG");
            let next = k.map_or("", |k| names[k]);
            if matches!(next, "IMPORT_NAME" | "CALL_FUNCTION_KW" | "BUILD_CONST_KEY_MAP") {
                continue;
            }
            if k.is_some_and(|k| annotation_names(instructions, names, objects, version, k)) {
                continue;
            }
            match &objects.resolve(id).value {
                Value::Tuple(_) | Value::FrozenSet(_) | Value::Complex { .. } => built_size(objects, id, NESTING),
                _ => continue,
            }
        } else {
            let Value::Tuple(items) = &objects.resolve(id).value else { continue };
            if !is_defaults(instructions, names, fall, i) {
                continue;
            }
            items.len() as i64
        };
    }
    out
}

/// The stack the 3.6 compiler needed to build constant `id` (see the module comment).
fn built_size(objects: &Objects, id: ObjId, budget: u32) -> i64 {
    match &objects.resolve(id).value {
        Value::Tuple(items) | Value::FrozenSet(items) if budget > 0 => {
            items.iter().enumerate().map(|(k, &e)| k as i64 + built_size(objects, e, budget - 1)).max().unwrap_or(0)
        }
        Value::Complex { re, im } if *re != 0.0 && *im != 0.0 => 2,
        _ => 1,
    }
}

/// Whether the tuple pushed by instruction `at` is the defaults operand of a MAKE_FUNCTION
/// with flag 0x01 (it lies below exactly the function's other operands when that runs).
fn is_defaults(instructions: &[Instruction], names: &[&str], fall: &[Option<i64>], at: usize) -> bool {
    let mut above = 1i64;
    for j in at + 1..instructions.len().min(at + 1 + DEFAULTS_REACH) {
        if instructions[j].label > 0 || instructions[j].jump_target.is_some() {
            return false;
        }
        if names[j] == "MAKE_FUNCTION" {
            let flags = instructions[j].arg.unwrap_or(0);
            let operands = 2 + i64::from((flags & 0xF).count_ones() as u8);
            if above == operands {
                return flags & 1 != 0;
            }
        }
        let Some(effect) = fall[j] else { return false };
        above += effect;
        if above < 1 {
            return false;
        }
    }
    false
}

/// 3.0–3.5: whether the tuple constant right before instruction `next` is the annotation
/// names the compiler pushes last before a function's closure or code object
/// (`compiler_visit_annotations`): `next` loads the closure or the code, and the
/// MAKE_FUNCTION / MAKE_CLOSURE that follows counts annotations (argument bits 16 and up).
fn annotation_names(
    instructions: &[Instruction],
    names: &[&str],
    objects: &Objects,
    version: PyVersion,
    next: usize,
) -> bool {
    if version.major != 3 || version.minor > 5 {
        return false;
    }
    let code = match instructions[next].resolved {
        Arg::Const(c) => matches!(objects.resolve(c).value, Value::Code(_)),
        _ => false,
    };
    if !code && names[next] != "LOAD_CLOSURE" {
        return false;
    }
    let end = names.len().min(next + DEFAULTS_REACH);
    (next..end)
        .find(|&j| matches!(names[j], "MAKE_FUNCTION" | "MAKE_CLOSURE"))
        .is_some_and(|j| instructions[j].arg.unwrap_or(0) >> 16 != 0)
}
