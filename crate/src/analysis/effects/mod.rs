//! Stack effects per version, measured from the real interpreters.
//!
//! How far an instruction moves the value stack changes with almost every release and, for
//! many opcodes, depends on the argument. `tools/gen_stack_effects.py` asks each
//! interpreter's `dis.stack_effect(op, arg, jump=...)` for every base opcode and a wide set
//! of arguments, finds the simplest [`Rule`] that reproduces every answer exactly, and
//! writes `vX_Y.rs`; each file's header names the interpreter. 2.5–2.7 and 3.0–3.3 have no
//! `dis.stack_effect` and no 2.5–2.6 or 3.0–3.5 interpreter runs here:
//! `tools/gen_stack_effects_27.py` writes `v2_5.rs` to `v2_7.rs` and `v3_0.rs` to `v3_5.rs`
//! from xdis's opcode modules and each version's compile.c rules, as their headers say.
//! PyPy 3.9 and 3.11 (`pypy3_9.rs`, `pypy3_11.rs`) come from the real PyPy interpreters'
//! `dis.stack_effect` by `tools/gen_stack_effects_pypy.py`, in PyPy's opcode numbers; both
//! directions are relative to the depth before the instruction (PyPy 3.9 answers a jump
//! relative to the depth after it: the generator adds the two, see its docstring).
//! PyPy 2.7, 3.2, 3.5–3.8 and 3.10 (`pypy2_7.rs`, `pypy3_2.rs`, …), whose `dis` has no
//! `stack_effect`, are not measured: `tools/gen_stack_effects_pypy_source.py` computes them from
//! PyPy's compiler source (pypy/interpreter/astcompiler/assemble.py's effect dict, `_compute_*`
//! functions and `_do_stack_depth_walk`, at the branch and commit each header names), both
//! directions relative to the depth before the instruction.
//! CPython 1.5–2.4 (`v1_5.rs` … `v2_4.rs`), whose compilers counted the stack while emitting
//! code (`com_push`/`com_pop` in Python/compile.c) and have no `dis.stack_effect`, come from
//! that compile.c and ceval.c by `tools/gen_stack_effects_old.py`, whose rules quote them.
//! So do 1.0–1.4 (`v1_0.rs` … `v1_4.rs`), from 1.5's rules and 1.1's ceval.c for the opcodes
//! 1.5 dropped: they record no `co_stacksize`, so the test checks instead that every statement
//! leaves the stack as it found it (tests/rust/stack.rs).
//! RustPython 3.13 (`rustpython.rs`, compiled with the `foreign` feature only) comes from its own
//! `Instruction::stack_effect(arg, jump)` (compiler/core/src/bytecode.rs at the commit whose
//! instruction set pyclens decodes) by `tools/gen_stack_effects_rustpython.py`, which evaluates
//! each arm of that `match` over the probed arguments; indexed by RustPython's opcode numbers,
//! both directions relative to the depth before the instruction ([`Term::NonZero`] is its
//! `bool` arguments).
//! GraalPy 3.10, 3.11 and 3.12 (`graal3_10.rs` …, in GraalPy's opcode numbers, quickened opcodes
//! included) come from the effects GraalPy's compiler declares in its `OpCodes` enum (consumed and
//! produced stack items, some depending on the operands or the direction) by
//! `tools/gen_stack_effects_graal.py`, at the releases the opcode tables come from. Their rules read
//! the operands as [`graal_operands`] packs them (the [`Term::Int32`] … [`Term::NextBits`] terms).

#[cfg(feature = "foreign")]
mod graal3_10;
#[cfg(feature = "foreign")]
mod graal3_11;
#[cfg(feature = "foreign")]
mod graal3_12;
mod pypy2_7;
mod pypy3_10;
mod pypy3_11;
mod pypy3_2;
mod pypy3_5;
mod pypy3_6;
mod pypy3_7;
mod pypy3_8;
mod pypy3_9;
#[cfg(feature = "foreign")]
mod rustpython;
mod v1_0;
mod v1_1;
mod v1_3;
mod v1_4;
mod v1_5;
mod v1_6;
mod v2_0;
mod v2_1;
mod v2_2;
mod v2_3;
mod v2_4;
mod v2_5;
mod v2_6;
mod v2_7;
mod v3_0;
mod v3_1;
mod v3_10;
mod v3_11;
mod v3_12;
mod v3_13;
mod v3_14;
mod v3_15;
mod v3_2;
mod v3_3;
mod v3_4;
mod v3_5;
mod v3_6;
mod v3_7;
mod v3_8;
mod v3_9;

use crate::pyc::version::{Implementation, PyVersion};

/// A function of the instruction's argument that a [`Rule`] may add up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Term {
    /// The argument.
    Arg,
    /// Its low byte.
    Low,
    /// The argument shifted right by 8.
    High,
    /// Its second byte.
    HighByte,
    /// Bit 0 (0 or 1).
    Bit0,
    /// Bit 1 (0 or 1).
    Bit1,
    /// Bit 2 (0 or 1).
    Bit2,
    /// Bit 3 (0 or 1).
    Bit3,
    /// 1 when the argument is 3 (BUILD_SLICE), else 0.
    Is3,
    /// The argument shifted right by 1.
    Half,
    /// How many of bits 0–3 are set (MAKE_FUNCTION's flags, one stack item each).
    Flags4,
    /// The argument shifted right by 16 (3.5 MAKE_FUNCTION's annotation count).
    Above16,
    /// 1 when the argument is not 0, else 0: RustPython's `bool` arguments (its
    /// `OpArgType for bool` decodes `x != 0`: CALL_FUNCTION_EX's `has_kwargs`, BUILD_SLICE's
    /// `step`).
    NonZero,
    /// GraalPy: the oparg, the low 32 bits as the Java `int` GraalPy keeps it in.
    Int32,
    /// GraalPy: the low 5 bits (`CollectionBits.elementCount`).
    Low5,
    /// GraalPy: 1 when the oparg is 3 or more (MAKE_TYPE_PARAM's kinds with a bound), else 0.
    Ge3,
    /// GraalPy: 1 when the oparg's collection kind (`oparg & ~0x1F`) is a dict (0x80), else 0.
    DictKind,
    /// GraalPy: `followingArgs[0]`, the first argument byte after the oparg (bits 32–39).
    Next,
    /// GraalPy: `Integer.bitCount` of that byte widened to a Java `int` (sign-extended), as
    /// MAKE_FUNCTION counts its flags.
    NextBits,
}

impl Term {
    fn of(self, arg: i64) -> i64 {
        match self {
            Term::Arg => arg,
            Term::Low => arg & 0xFF,
            Term::High => arg >> 8,
            Term::HighByte => (arg >> 8) & 0xFF,
            Term::Bit0 => arg & 1,
            Term::Bit1 => (arg >> 1) & 1,
            Term::Bit2 => (arg >> 2) & 1,
            Term::Bit3 => (arg >> 3) & 1,
            Term::Is3 => i64::from(arg == 3),
            Term::Half => arg >> 1,
            Term::Flags4 => i64::from((arg & 0xF).count_ones()),
            Term::Above16 => arg >> 16,
            Term::NonZero => i64::from(arg != 0),
            Term::Int32 => i64::from(arg as i32),
            Term::Low5 => arg & 0x1F,
            Term::Ge3 => i64::from(arg as i32 >= 3),
            Term::DictKind => i64::from((arg as i32) & !0x1F == 0x80),
            Term::Next => (arg >> 32) & 0xFF,
            Term::NextBits => i64::from(i32::from((arg >> 32) as u8 as i8).count_ones()),
        }
    }
}

/// One opcode's effect in one direction: `constant + Σ k · term(arg)`, verified by the
/// generator against every argument it probed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    /// The effect with an argument of 0 (or none).
    pub constant: i32,
    /// Argument-dependent terms with their factors.
    pub terms: &'static [(Term, i32)],
}

impl Rule {
    /// The effect of this rule for `arg` (0 for an instruction without an argument).
    /// Saturating, so a crafted argument cannot overflow.
    pub fn effect(&self, arg: i64) -> i64 {
        self.terms
            .iter()
            .fold(i64::from(self.constant), |acc, &(t, k)| acc.saturating_add(t.of(arg).saturating_mul(i64::from(k))))
    }
}

/// A version's rows: (opcode, name, fall-through rule, jump-taken rule), sorted by opcode.
pub type EffectTable = &'static [(u8, &'static str, Rule, Rule)];

/// The measured stack effects of a version, or `None` where no interpreter gave them.
pub fn table_for(version: PyVersion, implementation: Implementation) -> Option<EffectTable> {
    if implementation == Implementation::PyPy {
        return match (version.major, version.minor) {
            (2, 7) => Some(pypy2_7::EFFECTS),
            (3, 2) => Some(pypy3_2::EFFECTS),
            (3, 5) => Some(pypy3_5::EFFECTS),
            (3, 6) => Some(pypy3_6::EFFECTS),
            (3, 7) => Some(pypy3_7::EFFECTS),
            (3, 8) => Some(pypy3_8::EFFECTS),
            (3, 9) => Some(pypy3_9::EFFECTS),
            (3, 10) => Some(pypy3_10::EFFECTS),
            (3, 11) => Some(pypy3_11::EFFECTS),
            _ => None,
        };
    }
    // RustPython: the one commit pyclens decodes (its 3.13), behind the `foreign` feature
    // like the rest of RustPython's tables.
    #[cfg(feature = "foreign")]
    if implementation == Implementation::RustPython && version == PyVersion::new(3, 13) {
        return Some(rustpython::EFFECTS);
    }
    #[cfg(feature = "foreign")]
    if implementation == Implementation::GraalPy {
        return match (version.major, version.minor) {
            (3, 10) => Some(graal3_10::EFFECTS),
            (3, 11) => Some(graal3_11::EFFECTS),
            (3, 12) => Some(graal3_12::EFFECTS),
            _ => None,
        };
    }
    if implementation != Implementation::CPython {
        return None;
    }
    match (version.major, version.minor) {
        (1, 0) => return Some(v1_0::EFFECTS),
        (1, 1) => return Some(v1_1::EFFECTS),
        (1, 3) => return Some(v1_3::EFFECTS),
        (1, 4) => return Some(v1_4::EFFECTS),
        (1, 5) => return Some(v1_5::EFFECTS),
        (1, 6) => return Some(v1_6::EFFECTS),
        (2, 0) => return Some(v2_0::EFFECTS),
        (2, 1) => return Some(v2_1::EFFECTS),
        (2, 2) => return Some(v2_2::EFFECTS),
        (2, 3) => return Some(v2_3::EFFECTS),
        (2, 4) => return Some(v2_4::EFFECTS),
        (2, 5) => return Some(v2_5::EFFECTS),
        (2, 6) => return Some(v2_6::EFFECTS),
        (2, 7) => return Some(v2_7::EFFECTS),
        (3, _) => {}
        _ => return None,
    }
    Some(match version.minor {
        0 => v3_0::EFFECTS,
        1 => v3_1::EFFECTS,
        2 => v3_2::EFFECTS,
        3 => v3_3::EFFECTS,
        4 => v3_4::EFFECTS,
        5 => v3_5::EFFECTS,
        6 => v3_6::EFFECTS,
        7 => v3_7::EFFECTS,
        8 => v3_8::EFFECTS,
        9 => v3_9::EFFECTS,
        10 => v3_10::EFFECTS,
        11 => v3_11::EFFECTS,
        12 => v3_12::EFFECTS,
        13 => v3_13::EFFECTS,
        14 => v3_14::EFFECTS,
        15 => v3_15::EFFECTS,
        _ => return None,
    })
}

/// A GraalPy instruction's operands as its table's rules read them: the oparg (a Java `int`) in
/// bits 0–31 and `followingArgs[0]`, the argument byte after it (0 when it has none), in bits
/// 32–39 (tools/gen_stack_effects_graal.py). Two opcodes' effects read that byte: UNPACK_EX's
/// count after the star and MAKE_FUNCTION's flags.
pub fn graal_operands(oparg: i64, following: u8) -> i64 {
    (oparg & 0xFFFF_FFFF) | (i64::from(following) << 32)
}

/// An effect table with each opcode's row found once: the analysis looks one up for
/// every instruction, where a search of the table cost more than the effect.
pub struct Rows {
    table: EffectTable,
    /// Index of each opcode's row; `u16::MAX` for an opcode the table lacks.
    row: [u16; 256],
}

impl Rows {
    /// The rows of `table` (sorted by opcode, each opcode once).
    pub fn of(table: EffectTable) -> Rows {
        let mut row = [u16::MAX; 256];
        for (k, &(op, ..)) in table.iter().enumerate() {
            row[op as usize] = u16::try_from(k).unwrap_or(u16::MAX);
        }
        Rows { table, row }
    }

    /// The fall-through and jump effects of `op` with `arg`, or `None` for a number the
    /// version's `dis.stack_effect` rejects.
    pub fn effects(&self, op: u8, arg: i64) -> Option<(i64, i64)> {
        let (_, _, fall, jump) = self.table.get(usize::from(self.row[op as usize]))?;
        Some((fall.effect(arg), jump.effect(arg)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_find_what_the_search_finds() {
        for v in (0..=15).map(|minor| PyVersion::new(3, minor)).chain([PyVersion::new(2, 7)]) {
            let t = table_for(v, Implementation::CPython).unwrap();
            let rows = Rows::of(t);
            for op in 0..=255 {
                for arg in [0, 1, 7, 300] {
                    let scanned = t.iter().find(|r| r.0 == op).map(|(_, _, f, j)| (f.effect(arg), j.effect(arg)));
                    assert_eq!(rows.effects(op, arg), scanned, "{v} opcode {op}");
                }
            }
        }
    }

    #[test]
    fn tables_are_sorted_and_named_like_the_opcode_tables() {
        for v in (5..=6)
            .map(|minor| PyVersion::new(1, minor))
            .chain((0..=7).map(|minor| PyVersion::new(2, minor)))
            .chain((0..=15).map(|minor| PyVersion::new(3, minor)))
        {
            let effects = table_for(v, Implementation::CPython).unwrap();
            let ops = crate::bytecode::opcodes::table_for(v, Implementation::CPython).unwrap();
            assert!(effects.windows(2).all(|w| w[0].0 < w[1].0), "{v}");
            for &(op, name, _, _) in effects {
                if ops.is_base(op) {
                    assert_eq!(ops.name(op), Some(name), "{v} opcode {op}");
                }
            }
        }
        for v in [(2, 7), (3, 2), (3, 5), (3, 6), (3, 7), (3, 8), (3, 9), (3, 10), (3, 11)]
            .map(|(a, b)| PyVersion::new(a, b))
        {
            let effects = table_for(v, Implementation::PyPy).unwrap();
            let ops = crate::bytecode::opcodes::table_for(v, Implementation::PyPy).unwrap();
            assert!(effects.windows(2).all(|w| w[0].0 < w[1].0), "PyPy {v}");
            for &(op, name, _, _) in effects {
                // PyPy3 2.4's compiler (the 3.2 source) has YIELD_FROM at 72, which xdis's
                // opcode_32pypy, and so the opcode table, leaves out.
                if (v, op) != (PyVersion::new(3, 2), 72) {
                    assert_eq!(ops.name(op), Some(name), "PyPy {v} opcode {op}");
                }
            }
        }
    }

    /// RustPython's table has a row for every `Instruction` variant, named as the opcode
    /// table names it (both generated from the same enum of the same commit).
    #[cfg(feature = "foreign")]
    #[test]
    fn rustpython_table_covers_its_instruction_set() {
        let v = PyVersion::new(3, 13);
        let effects = table_for(v, Implementation::RustPython).unwrap();
        let ops = &crate::bytecode::opcodes::rustpython::TABLE;
        assert_eq!(effects.len(), usize::from(crate::bytecode::opcodes::rustpython::COUNT));
        for (k, &(op, name, _, _)) in effects.iter().enumerate() {
            assert_eq!(usize::from(op), k);
            assert_eq!(ops.name(op), Some(name), "RustPython opcode {op}");
        }
    }

    /// GraalPy: one row per opcode of the release's enum, quickened ones included, in its order.
    #[cfg(feature = "foreign")]
    #[test]
    fn graal_tables_cover_every_opcode() {
        for minor in 10..=12 {
            let v = PyVersion::new(3, minor);
            let effects = table_for(v, Implementation::GraalPy).unwrap();
            let ops = crate::bytecode::opcodes::table_for(v, Implementation::GraalPy).unwrap();
            for (k, &(op, name, _, _)) in effects.iter().enumerate() {
                assert_eq!(usize::from(op), k, "GraalPy {v}");
                assert_eq!(ops.name(op), Some(name), "GraalPy {v} opcode {op}");
            }
            assert_eq!(ops.name(effects.len() as u8), None, "GraalPy {v}: an opcode without a row");
        }
        // UNPACK_EX pops the sequence and pushes the names before the star, the starred list and
        // the names after it; MAKE_FUNCTION pops one item per flag bit.
        let t = table_for(PyVersion::new(3, 12), Implementation::GraalPy).unwrap();
        let op = |n: &str| t.iter().find(|r| r.1 == n).unwrap().0;
        let rows = Rows::of(t);
        assert_eq!(rows.effects(op("UNPACK_EX"), graal_operands(2, 3)), Some((5, 5)));
        assert_eq!(rows.effects(op("MAKE_FUNCTION"), graal_operands(7, 0b1001)), Some((-1, -1)));
        assert_eq!(rows.effects(op("FOR_ITER"), graal_operands(9, 0)), Some((1, -1)));
    }
}
