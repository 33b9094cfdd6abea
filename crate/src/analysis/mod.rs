//! What the bytecode does, beyond what each instruction says: the value-stack depth before
//! every instruction, the basic blocks and edges of the control flow, and 3.14+'s branches.
//!
//! The pipeline's last step before the document: it reads the instructions
//! ([`crate::bytecode::disasm`]) and the exception table, and the stack effects measured from each
//! interpreter ([`effects`]). Everything here is bounded by the number of instructions, so
//! a crafted file gets an answer (with problems listed), never a hang.

pub mod branches;
pub mod effects;
pub mod flow;
pub mod folded;
pub mod render;
pub mod rewritten;
pub mod rustpython;
pub mod stack;

use crate::bytecode::disasm::Arg;
use crate::bytecode::disasm::Instruction;
use crate::bytecode::exceptions::ExceptionEntry;
use crate::bytecode::opcodes::OpcodeTable;
use crate::pyc::code::{Code, Field};
use crate::pyc::object::{Objects, Value};
use crate::pyc::version::{Implementation, Magic, PyVersion};
use flow::{Block, Edge, Step, Transfer};

/// `co_flags` bits of code that starts suspended (a generator, coroutine or async generator).
const CO_GENERATOR: i64 = 0x20;
const CO_COROUTINE: i64 = 0x80;
const CO_ASYNC_GENERATOR: i64 = 0x200;

/// The analysis of one code object.
#[derive(Debug, Default)]
pub struct Analysis {
    /// Stack depth before each instruction; all `None` where the version has no measured
    /// stack effects ([`Analysis::max_depth`] is then `None` too).
    pub depths: Vec<Option<i64>>,
    /// Each instruction's stack effect as the version's `dis.stack_effect` gives it: the
    /// fall-through (`jump=False`) and, for an instruction that jumps, the jump's
    /// (`jump=True`) where it differs; all `None` where the version has no measured effects.
    /// The page explains each instruction with it.
    pub effects: Vec<Option<(i64, Option<i64>)>>,
    /// The deepest stack: what the compiler records as `co_stacksize`.
    pub max_depth: Option<i64>,
    /// Basic blocks in code order; together they hold every instruction once.
    pub blocks: Vec<Block>,
    /// Edges between blocks.
    pub edges: Vec<Edge>,
    /// 3.14+: `co_branches()` as (source, not taken, taken) byte offsets.
    pub branches: Option<Vec<(u32, u32, u32)>>,
    /// Problems found (a crafted file): (instruction index, message).
    pub problems: Vec<(usize, String)>,
}

/// Analyses the instructions of one code object (`code`: its flags and, for GraalPy, the
/// argument bytes after each oparg) of a file of `magic`, whose bytecode follows `version`'s
/// rules (the version itself, except PyPy 3.11's 3.10-style bytecode:
/// [`crate::pyc::version::bytecode_version`]; for GraalPy the Python version its release
/// implements).
pub fn analyse(
    instructions: &[Instruction],
    objects: &Objects,
    table: &OpcodeTable,
    version: PyVersion,
    magic: &Magic,
    exception_table: Option<&[ExceptionEntry]>,
    code: &Code,
) -> Analysis {
    let co_flags = code.int(Field::Flags).unwrap_or(0);
    let names: Vec<&str> = instructions.iter().map(|i| table.name(table.deopt(i.opcode)).unwrap_or("")).collect();
    let mut steps: Vec<Step> = instructions
        .iter()
        .zip(&names)
        .map(|(ins, name)| {
            let target = ins.jump_target.and_then(|t| flow::index_of(instructions, t));
            Step::new(flow::transfer(name, ins.jump_target.is_some()), target)
        })
        .collect();
    let handlers = handlers(instructions, exception_table.unwrap_or(&[]));
    let (blocks, edges) = flow::blocks_and_edges(&steps, &handlers);
    let mut a = Analysis { blocks, edges, ..Analysis::default() };
    let implementation = magic.implementation;
    let graal = implementation == Implementation::GraalPy;
    // GraalPy's effects read `followingArgs[0]`, the byte after the oparg, too.
    let bytecode = if graal { code.object(Field::Code).and_then(|c| objects.str_bytes(c)) } else { None };
    let operands = |ins: &Instruction| match bytecode {
        Some(b) => {
            let next = if ins.end > ins.offset.saturating_add(2) { b.get(ins.offset as usize + 2) } else { None };
            effects::graal_operands(ins.arg.unwrap_or(0), next.copied().unwrap_or(0))
        }
        None => ins.arg.unwrap_or(0),
    };
    // PyPy's effects are its compiler's, per PyPy release (PyPy 3.11 writes 3.10's bytecode
    // with 3.11's compiler): chosen by the release the magic names. RustPython's `version`
    // is the CPython whose dis rules its instructions follow (3.10); its table is its 3.13's.
    let effects_version = if matches!(implementation, Implementation::PyPy | Implementation::RustPython) {
        magic.version
    } else {
        version
    };
    if version.at_least(3, 14) && implementation == Implementation::CPython {
        a.branches = Some(branches::branches(instructions, &steps, &names));
    }
    if let Some(t) = effects::table_for(effects_version, implementation).map(effects::Rows::of) {
        // 2.5–2.7 and 3.0–3.6 share `stackdepth_walk` (Python/compile.c), the only walk that reads
        // [`stack::Effect::walk36`]: the rest leave it at its default.
        let walks36 = !graal
            && !matches!(implementation, Implementation::PyPy | Implementation::RustPython)
            && (version.major <= 2 || (version.major == 3 && version.minor <= 6));
        // 3.6: instructions a SETUP_FINALLY / SETUP_WITH / SETUP_ASYNC_WITH leads to.
        let mut cleanup = vec![false; if walks36 { instructions.len() } else { 0 }];
        for (s, name) in steps.iter().zip(&names).filter(|_| walks36) {
            if let (Some(t), "SETUP_FINALLY" | "SETUP_WITH" | "SETUP_ASYNC_WITH") = (s.target(), *name) {
                cleanup[t] = true;
            }
        }
        let old_walk =
            (version.major == 3 && version.minor <= 1) || (version.major == 2 && (5..=6).contains(&version.minor));
        // 3.1–3.3's walk keeps a JUMP_IF_*_OR_POP's operand counted on the fall-through.
        let no_pop_adjust = version.major == 3 && (1..=3).contains(&version.minor);
        let from_or_pop = if no_pop_adjust { rewritten::from_or_pop(instructions, &names) } else { Vec::new() };
        let mut effects: Vec<stack::Effect> = instructions
            .iter()
            .zip(&names)
            .zip(&handlers)
            .enumerate()
            .map(|(i, ((ins, name), h))| {
                let arg = operands(ins);
                let mut effect = stack::Effect::new(
                    t.effects(ins.opcode, arg)
                        .or_else(|| t.effects(table.deopt(ins.opcode), arg))
                        // 3.6's stack_effect rejects EXTENDED_ARG and NOP: its compiler adds the
                        // prefixes while assembling and its peephole optimizer the NOPs, both
                        // after the depth is computed; neither moves the stack. (The tables of
                        // older versions say 0 for them.)
                        .or_else(|| matches!(*name, "EXTENDED_ARG" | "NOP").then_some((0, 0)))
                        .map(|(fall, jump)| {
                            let cells = closure_cells(instructions, objects, version, i, name);
                            (fall - cells, jump - cells)
                        }),
                );
                effect.handler = h.map(|(at, depth, lasti)| stack::Handler { at, depth, lasti });
                effect.walk36 = match *name {
                    _ if !walks36 => stack::Walk36::default(),
                    "JUMP_ABSOLUTE" | "JUMP_FORWARD" => stack::Walk36 { stop: true, ..Default::default() },
                    // Its one effect (-1) on the target; 0 on the fall-through, as the
                    // JUMP_IF_*_OR_POP the compiler walked.
                    _ if from_or_pop.get(i) == Some(&true) => stack::Walk36 { fall: 1, ..Default::default() },
                    // 2.5–2.6's and 3.0–3.1's stackdepth_walk gives a jump target the depth
                    // after the instruction's one effect, unadjusted (their
                    // SETUP_EXCEPT/SETUP_FINALLY push the exception on both paths instead).
                    _ if old_walk => stack::Walk36::default(),
                    "FOR_ITER" => stack::Walk36 { target: -2, ..Default::default() },
                    // 1.5–2.2: the exit pops the sequence and the index it pushed again.
                    "FOR_LOOP" => stack::Walk36 { target: -3, ..Default::default() },
                    "SETUP_EXCEPT" | "SETUP_FINALLY" => stack::Walk36 { target: 3, ..Default::default() },
                    "JUMP_IF_TRUE_OR_POP" | "JUMP_IF_FALSE_OR_POP" if !no_pop_adjust => {
                        stack::Walk36 { fall: -1, ..Default::default() }
                    }
                    "RETURN_VALUE" if cleanup.get(i + 1) == Some(&true) && version == PyVersion::new(3, 6) => {
                        stack::Walk36 { fall: 1, ..Default::default() }
                    }
                    _ => stack::Walk36::default(),
                };
                // GraalPy: a PUSH_EXC_INFO is followed by its handler's body, which the compiler
                // covers with a cleanup range of `unwindOffset = -1` (Compiler.java
                // `visit(StmtTy.Try)`: `commonCleanupHandler` / `cleanupHandler`), recorded at
                // the body's level - 1: the level PUSH_EXC_INFO starts at.
                effect.handler_start = match (*name, graal) {
                    ("PUSH_EXC_INFO", false) => h.map(|(_, depth, _)| depth),
                    ("PUSH_EXC_INFO", true) => handlers.get(i + 1).copied().flatten().map(|(_, depth, _)| depth),
                    _ => None,
                };
                effect
            })
            .collect();
        // The largest code objects hold tens of thousands of instructions: each
        // per-instruction vector goes as soon as nothing reads it.
        drop(handlers);
        drop(cleanup);
        drop(from_or_pop);
        // The two per-instruction vectors are built only where the peephole optimizer folded.
        if folded::folds(version) {
            let fall: Vec<Option<i64>> = effects.iter().map(|e| e.effects().map(|(f, _)| f)).collect();
            for (e, peak) in effects.iter_mut().zip(folded::peaks(instructions, &names, objects, version, &fall)) {
                e.peak = peak;
            }
        }
        if implementation == Implementation::RustPython {
            rustpython_unwinds(&mut steps, &names);
        }
        drop(names);
        // 2.5–2.7 and 3.0–3.6 share `stackdepth_walk` (Python/compile.c); 2.5–2.6's and
        // 3.0–3.1's adjusts no jump target (`old_walk` above), 3.2–3.3's no JUMP_IF_*_OR_POP
        // fall-through. 1.5–2.4's compilers counted while emitting, in code order, code after a
        // return or a raise included: the same walk, which goes on past them, with the handler
        // and loop-exit adjustments, gives what they counted.
        let d = if graal {
            // GraalPy's compiler/CompilationUnit.java `computeStackLevels()`: a worklist over its
            // blocks from level 0, each kept at the first level that reaches it (it asserts any
            // other is equal), the handler of a block's exception range at the range's recorded
            // level + 1; what [`stack::worklist`] does for 3.11+ with `lasti` never set.
            stack::worklist(&steps, &effects, 0, true)
        } else if implementation == Implementation::PyPy {
            stack::linear(&steps, &effects, &a.blocks)
        } else if implementation == Implementation::RustPython {
            rustpython::walk(&steps, &effects, &a.blocks)
        } else if walks36 {
            let mut block_of = vec![0; instructions.len()];
            for (b, block) in a.blocks.iter().enumerate() {
                block_of[block.first..block.end].iter_mut().for_each(|x| *x = b);
            }
            stack::walk36(&steps, &effects, &a.blocks, &block_of, argument_tuple(instructions, table, version))
        } else {
            // 3.10–3.12 compilers start generators and coroutines with the sent value on
            // the stack (popped by 3.10's GEN_START, by the POP_TOP after 3.11–3.12's
            // RETURN_GENERATOR, whose effect is 0 there); 3.13 counts it as
            // RETURN_GENERATOR's push (+1) instead.
            let generator = co_flags & (CO_GENERATOR | CO_COROUTINE | CO_ASYNC_GENERATOR) != 0;
            let entry = i64::from(generator && (10..=12).contains(&version.minor) && version.major == 3);
            stack::worklist(&steps, &effects, entry, version.at_least(3, 10))
        };
        a.depths = d.before;
        // Built with the steps gone: the peak of a large code object.
        let jumps: Vec<bool> = steps
            .iter()
            .map(|s| s.target().is_some() && !matches!(s.transfer, Transfer::Next | Transfer::Exit))
            .collect();
        drop(steps);
        // Collected into the effects' own block (the standard library reuses it), then cut to
        // its length: a second block beside it would be the peak of a large code object.
        a.effects = effects
            .into_iter()
            .zip(jumps)
            .map(|(e, jumps)| e.effects().map(|(fall, jump)| (fall, (jumps && jump != fall).then_some(jump))))
            .collect();
        a.effects.shrink_to_fit();
        // 3.13's compiler never records a stack smaller than 1: every 3.13 code object
        // whose walk peaks at 0 (`def f(): pass`, `raise` alone, `while True: pass`,
        // an empty module) has co_stacksize 1 in the real 3.13.0 and in the fixtures; 3.12
        // records 0 for each, and 3.14 pushes the returned None again (LOAD_CONST +
        // RETURN_VALUE), so its walk reaches 1 by itself.
        let floor = i64::from(version.major == 3 && version.minor == 13 && implementation == Implementation::CPython);
        a.max_depth = Some(d.max.max(floor));
        a.problems = d.problems;
    } else {
        a.depths = vec![None; instructions.len()];
        a.effects = vec![None; instructions.len()];
    }
    a
}

/// RustPython's BREAK and CONTINUE, once the blocks and edges are cut (their edges go to
/// their targets), become exits for the depth walk: the path ends without reaching the target.
/// compiler/codegen/src/ir.rs `max_stackdepth` skips their targets ("they use unwinding to
/// jump to their targets and as such the stack size is taken care of in frame.rs by setting
/// it back to the level it was at when SetupLoop was run") and stops there, as after any
/// `unconditional_branch`. Their effects are 0 both ways, so the `stack_effect_jump` column,
/// read from the steps afterwards, is the same either way.
fn rustpython_unwinds(steps: &mut [Step], names: &[&str]) {
    for (s, name) in steps.iter_mut().zip(names) {
        if matches!(*name, "BREAK" | "CONTINUE") {
            *s = Step::new(Transfer::Exit, None);
        }
    }
}

/// 1.0–1.4: 1 when the code starts (after its line number and fast-locals setup) by
/// unpacking its argument tuple, which the caller pushed on the new frame's stack (ceval.c
/// `eval_code`: "if (arg != NULL) { INCREF(arg); PUSH(arg); }"); 1.0–1.2's compilers start
/// every function with UNPACK_ARG or UNPACK_VARARG, and both fail on an empty stack ("no
/// argument list"). 0 for everything else.
fn argument_tuple(instructions: &[Instruction], table: &OpcodeTable, version: PyVersion) -> i64 {
    if version.major != 1 || version.minor > 4 {
        return 0;
    }
    let first = instructions
        .iter()
        .map(|i| table.name(i.opcode).unwrap_or(""))
        .find(|name| !matches!(*name, "SET_LINENO" | "RESERVE_FAST"));
    i64::from(matches!(first, Some("UNPACK_ARG" | "UNPACK_VARARG")))
}

/// The cells 2.1–2.4's MAKE_CLOSURE pops besides its defaults: one per free variable of the
/// code object the instruction before it loads (ceval.c: `nfree = PyCode_GetNumFree(v); ...
/// while (--nfree >= 0) { w = POP(); ...`); 2.5 made them one tuple, counted by the table.
fn closure_cells(instructions: &[Instruction], objects: &Objects, version: PyVersion, at: usize, name: &str) -> i64 {
    if version.at_least(2, 5) || name != "MAKE_CLOSURE" || at == 0 {
        return 0;
    }
    let Arg::Const(code) = instructions[at - 1].resolved else { return 0 };
    let Value::Code(code) = &objects.resolve(code).value else { return 0 };
    match code.object(Field::Freevars).map(|f| &objects.resolve(f).value) {
        Some(Value::Tuple(cells)) => cells.len() as i64,
        _ => 0,
    }
}

/// For each instruction, the 3.11+ exception handler that covers it: (handler index,
/// depth, lasti); `None` outside every range or where the handler is no instruction.
fn handlers(instructions: &[Instruction], table: &[ExceptionEntry]) -> Vec<Option<(u32, u32, bool)>> {
    let mut sorted: Vec<&ExceptionEntry> = table.iter().collect();
    sorted.sort_by_key(|e| e.start);
    // Each entry's handler found once, not once per instruction it covers.
    let at: Vec<Option<u32>> = sorted
        .iter()
        .map(|e| flow::index_of(instructions, i64::from(e.target)).and_then(|i| u32::try_from(i).ok()))
        .collect();
    // The entries starting at or before an instruction: its offset only grows.
    let mut k = 0;
    instructions
        .iter()
        .map(|ins| {
            while sorted.get(k).is_some_and(|e| e.start <= ins.offset) {
                k += 1;
            }
            let e = sorted[..k].last().filter(|e| ins.offset < e.end)?;
            Some((at[k - 1]?, e.depth, e.lasti))
        })
        .collect()
}
