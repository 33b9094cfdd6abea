//! The instructions of one code object, decoded as each CPython version's `dis` decodes them.
//!
//! A person reading a `.pyc` wants to see what `dis.get_instructions` would say about it:
//! the opcode, its argument after `EXTENDED_ARG` prefixes, what the argument means (a
//! constant, a name, a jump target, a comparison, ...) spelled the way that version's `dis`
//! spells it, the line it belongs to and where control can jump. Every version moved
//! something (pyc-format.md §6): the instruction width (2.7's 1- or 3-byte instructions,
//! 3.6's wordcode), jump units (bytes, then code units in 3.10, cache-relative in 3.12),
//! inline caches (3.11+), packed arguments (LOAD_GLOBAL, LOAD_ATTR, COMPARE_OP, ...), and
//! labels instead of offsets (3.13+). The per-version facts that are data (opcode numbers,
//! flags, cache sizes, operator tables) come from [`crate::bytecode::opcodes`], generated from the real
//! interpreters; the rules that `dis.py` writes as code are below, each tagged with the
//! versions it applies to.
//!
//! [`Disassembler::disassemble`] walks the bytecode once and resolves each argument into an
//! [`Arg`], a small value that refers to the file's objects by id; the text of `argval` and
//! `argrepr` is only rendered when it is written ([`Disassembler::argval_into`],
//! [`Disassembler::argrepr_into`]), so the document writer allocates nothing per instruction.
//!
//! The bytecode comes from an untrusted file: every loop is bounded by the code length, an
//! index that `dis` would fail on (a constant, name or table entry out of range) resolves to
//! [`Arg::OutOfRange`], and arguments are 64-bit (Python's are unbounded: only more than
//! seven chained `EXTENDED_ARG` prefixes, which no compiler writes, would differ).

use crate::bytecode::graal::{self, GraalOps};
use crate::bytecode::lines;
use crate::bytecode::opcodes::{flags, rustpython, table_for, OpcodeTable};
use crate::bytecode::tables::Tables;
use crate::pyc::code::{Code, Field};
use crate::pyc::object::{ObjId, Objects, Value};
use crate::pyc::version::{bytecode_version, Implementation, PyVersion};
use crate::values::constants::Reprs;
use std::fmt::Write as _;

/// What `dis` shows for an index it cannot resolve (where `dis` itself raises IndexError).
pub const OUT_OF_RANGE: &str = "<index out of range>";

/// Opcodes that a version's `dis.py` treats by name rather than by opcode list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Special {
    Plain,
    /// 3.11: only LOAD_CONST dereferences its constant; other `hasconst` ops show `<unknown>`.
    LoadConst,
    /// 3.11+: `names[arg >> 1]`, bit 0 pushes NULL.
    LoadGlobal,
    /// 3.12+: `names[arg >> 1]`, bit 0 is the method form.
    LoadAttr,
    /// 3.12+: `names[arg >> 2]`, bit 0 is the method form.
    LoadSuperAttr,
    /// 3.15+: `names[arg >> 2]`, bit 0 lazy, bit 1 eager.
    ImportName,
    /// 3.6–3.12: conversion in bits 0–1, format spec in bit 2.
    FormatValue,
    /// 3.13+: the conversion itself.
    ConvertValue,
    /// MAKE_FUNCTION (3.6–3.12) and SET_FUNCTION_ATTRIBUTE (3.13+): flag names.
    FunctionFlags,
    /// 3.11+: `_nb_ops[arg]`.
    BinaryOp,
    /// 3.12+.
    Intrinsic1,
    /// 3.12+.
    Intrinsic2,
    /// 3.13+: two locals packed as `arg >> 4`, `arg & 15`.
    PairedLocals,
    /// 3.14+: `_common_constants[arg]`.
    LoadCommonConstant,
    /// 3.14+: `_special_method_names[arg]`.
    DunderMethod,
    /// 3.14+: "is" / "is not".
    IsOp,
    /// 3.14+: "in" / "not in".
    ContainsOp,
    /// 3.14+: a backward "jump" that dis spells "from L…".
    EndAsyncFor,
    /// 3.0–3.5 `hasnargs` (CALL_FUNCTION and its _VAR/_KW forms): argument counts.
    CallCounts,
    /// RustPython: an enumerated argument, shown as the variant RustPython's `fmt_dis`
    /// prints (`rustpython::ARG_NAMES`).
    RustPythonEnum,
}

/// Names `dis.py` special-cases, with the first and last minor version (of 3.x) that does.
const SPECIALS: &[(&str, Special, u8, u8)] = &[
    ("LOAD_CONST", Special::LoadConst, 11, 11),
    ("LOAD_GLOBAL", Special::LoadGlobal, 11, 255),
    ("LOAD_ATTR", Special::LoadAttr, 12, 255),
    ("LOAD_SUPER_ATTR", Special::LoadSuperAttr, 12, 255),
    ("IMPORT_NAME", Special::ImportName, 15, 255),
    ("FORMAT_VALUE", Special::FormatValue, 6, 12),
    ("CONVERT_VALUE", Special::ConvertValue, 13, 255),
    ("MAKE_FUNCTION", Special::FunctionFlags, 6, 12),
    ("SET_FUNCTION_ATTRIBUTE", Special::FunctionFlags, 13, 255),
    ("BINARY_OP", Special::BinaryOp, 11, 255),
    ("CALL_INTRINSIC_1", Special::Intrinsic1, 12, 255),
    ("CALL_INTRINSIC_2", Special::Intrinsic2, 12, 255),
    ("LOAD_FAST_LOAD_FAST", Special::PairedLocals, 13, 255),
    ("STORE_FAST_LOAD_FAST", Special::PairedLocals, 13, 255),
    ("STORE_FAST_STORE_FAST", Special::PairedLocals, 13, 255),
    ("LOAD_FAST_BORROW_LOAD_FAST_BORROW", Special::PairedLocals, 14, 255),
    ("LOAD_COMMON_CONSTANT", Special::LoadCommonConstant, 14, 255),
    ("LOAD_SPECIAL", Special::DunderMethod, 14, 255),
    ("IS_OP", Special::IsOp, 14, 255),
    ("CONTAINS_OP", Special::ContainsOp, 14, 255),
    ("END_ASYNC_FOR", Special::EndAsyncFor, 14, 255),
    // 3.x's opcode.hasnargs, which dis.py tests after hasfree until 3.5 (3.6's wordcode
    // changed the argument and dropped the list). xdis lists the same four ops.
    ("CALL_FUNCTION", Special::CallCounts, 0, 5),
    ("CALL_FUNCTION_VAR", Special::CallCounts, 0, 5),
    ("CALL_FUNCTION_KW", Special::CallCounts, 0, 5),
    ("CALL_FUNCTION_VAR_KW", Special::CallCounts, 0, 5),
];

/// How a name argument is decorated in `argrepr` (the low bits of packed name arguments).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameForm {
    /// Just the name.
    Plain,
    /// 3.11–3.12 LOAD_GLOBAL with bit 0: `NULL + name`.
    NullPrefix,
    /// 3.12 LOAD_ATTR / LOAD_SUPER_ATTR with bit 0: `NULL|self + name`.
    NullSelfPrefix,
    /// 3.13+ LOAD_GLOBAL with bit 0: `name + NULL`.
    NullSuffix,
    /// 3.13+ LOAD_ATTR / LOAD_SUPER_ATTR with bit 0: `name + NULL|self`.
    NullSelfSuffix,
    /// 3.15 IMPORT_NAME with bit 0: `name + lazy`.
    Lazy,
    /// 3.15 IMPORT_NAME with bit 1: `name + eager`.
    Eager,
}

/// A resolved argument: what `dis` computes as `argval` and `argrepr`, kept as references
/// into the file's objects until it is rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arg {
    /// No argument: argval `None`, argrepr empty.
    None,
    /// argval is the argument itself; argrepr empty.
    Int,
    /// argval is the argument itself; argrepr a fixed text (operators, intrinsics, ...).
    Text(&'static str),
    /// A constant: argval is it, argrepr its `repr()`.
    Const(ObjId),
    /// 3.11's `dis.UNKNOWN` for `hasconst` ops other than LOAD_CONST.
    Unknown,
    /// A name (global, attribute, local, cell): argval is the string, argrepr the name,
    /// decorated by the packed low bits.
    Name(ObjId, NameForm),
    /// 3.13+ paired locals: argval is the tuple of both names, argrepr "a, b".
    Pair(ObjId, ObjId),
    /// A jump: argval is the target offset; argrepr "to N" (≤3.12) or "to L<label>" (3.13+;
    /// "from L<label>" for END_ASYNC_FOR).
    Jump {
        /// Target byte offset.
        target: i64,
        /// END_ASYNC_FOR (3.14+) reads "from".
        from: bool,
    },
    /// COMPARE_OP: argval the operator; argrepr the operator, or `bool(op)` when 3.13+'s
    /// bit 0x10 asks for a coerced result.
    Compare {
        /// `cmp_op[...]`.
        op: &'static str,
        /// 3.13+ bit 0x10.
        coerced: bool,
    },
    /// MAKE_FUNCTION / SET_FUNCTION_ATTRIBUTE: argrepr names the flag bits.
    FunctionFlags,
    /// 3.6–3.12 FORMAT_VALUE: argval `(converter, has_spec)`.
    FormatValue,
    /// 3.13+ CONVERT_VALUE: argval the converter, argrepr its name.
    ConvertValue(&'static str),
    /// 3.14+ LOAD_COMMON_CONSTANT: index into the common-constant tables.
    CommonConstant(usize),
    /// 3.0–3.5 CALL_FUNCTION family: argval the argument, argrepr "N positional, M keyword
    /// pair" from its two bytes.
    CallCounts,
    /// An index `dis` cannot resolve; argval is the argument, argrepr [`OUT_OF_RANGE`].
    OutOfRange,
    /// GraalPy's LOAD_DOUBLE: a float given by its bits (a primitive constant).
    Double(u64),
    /// A value computed from the argument (GraalPy's LOAD_BYTE pushes it as a signed byte).
    Number(i64),
    /// GraalPy's LOAD_COMPLEX: the complex number whose parts (as bits) a constant holds.
    Complex(u64, u64),
}

/// One instruction, with every field of that version's `dis.Instruction` (and 3.4-style
/// fields for 2.7, which has none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Instruction {
    /// Byte offset of the opcode in `co_code`.
    pub offset: u32,
    /// Offset of the first `EXTENDED_ARG` prefix of this instruction, else `offset`.
    pub start_offset: u32,
    /// Offset just past the instruction and its inline caches, clipped to the code length.
    pub end: u32,
    /// The opcode byte.
    pub opcode: u8,
    /// Inline cache code units after the instruction (3.11+).
    pub caches: u8,
    /// The argument after `EXTENDED_ARG` prefixes; `None` for opcodes without one.
    pub arg: Option<i64>,
    /// What the argument means.
    pub resolved: Arg,
    /// Where a jump goes (byte offset), as 3.13+'s `Instruction.jump_target` computes it.
    pub jump_target: Option<i64>,
    /// 0, or for a jump target (an offset `findlabels` holds; exception handlers are not
    /// included, as in `get_instructions`) its number among the code's jump targets from 1:
    /// `is_jump_target` is `label > 0`, and in 3.13+ this is `get_instructions`'s label.
    pub label: u32,
    /// The source line: 3.13+'s `line_number`; earlier versions, the same rule (the line
    /// of the last line start at or before it).
    pub line: Option<i64>,
    /// Whether a source line starts here (the version's `dis.findlinestarts`).
    pub starts_line: bool,
}

/// `ins` (its `start_offset` still its own offset) as `dis` counts instructions: one that
/// follows `EXTENDED_ARG` prefixes starts at the first of them, which `prefix_start` tracks
/// across calls. Both decoders (CPython's and GraalPy's) use it.
#[inline]
pub(crate) fn after_prefixes(prefix_start: &mut Option<u32>, is_ext: bool, mut ins: Instruction) -> Instruction {
    if is_ext {
        *prefix_start = prefix_start.or(Some(ins.offset));
    } else {
        ins.start_offset = prefix_start.take().unwrap_or(ins.offset);
    }
    ins
}

/// The instructions of one code object, and what the text view needs besides them.
#[derive(Debug, Default)]
pub struct Disassembly {
    /// In code order, `EXTENDED_ARG` prefixes included.
    pub instructions: Vec<Instruction>,
    /// `dis.findlabels`: jump targets, sorted, unique.
    pub targets: Vec<i64>,
    /// Length of `co_code` in bytes.
    pub code_len: usize,
    /// File offset of the first byte of `co_code`.
    pub code_at: u32,
}

impl Disassembly {
    /// The file byte range of an instruction and its caches.
    pub fn span(&self, ins: &Instruction) -> (u32, u32) {
        (self.code_at + ins.offset, self.code_at + ins.end)
    }
}

/// Decodes the instructions of the code objects of one file.
pub struct Disassembler<'o, 'a> {
    objects: &'o Objects<'a>,
    table: &'static OpcodeTable,
    /// GraalPy's variable-length instructions and argument meanings, for its files.
    graal: Option<&'static GraalOps>,
    version: PyVersion,
    specials: [Special; 256],
    /// `table.deopt` and `table.cache_entries` of every number, looked up once per file.
    deopt: [u8; 256],
    caches: [u8; 256],
    /// `table.dis_name` of every number, for listings that print one per instruction.
    names: [Option<&'static str>; 256],
}

/// Python's `seq[i]`: negative indexes count from the end.
fn py_index(len: usize, i: i64) -> Option<usize> {
    let i = if i < 0 { i.checked_add(len as i64)? } else { i };
    usize::try_from(i).ok().filter(|&i| i < len)
}

impl<'o, 'a> Disassembler<'o, 'a> {
    /// A disassembler for files of `version`; `None` when pyclens has no opcode table for
    /// it (CPython 1.0–3.15 and some PyPy versions have one). The opcode table is that of
    /// `implementation`'s `version`; the rules are those of its bytecode version
    /// ([`bytecode_version`]: CPython 3.10's for PyPy 3.11).
    pub fn new(objects: &'o Objects<'a>, version: PyVersion, implementation: Implementation) -> Option<Self> {
        let table = table_for(version, implementation)?;
        let graal = if implementation == Implementation::GraalPy { graal::ops_for(version) } else { None };
        let version = bytecode_version(version, implementation);
        let mut specials = [Special::Plain; 256];
        if cfg!(feature = "foreign") && implementation == Implementation::RustPython {
            for &(op, _) in rustpython::ARG_NAMES {
                specials[op as usize] = Special::RustPythonEnum;
            }
            for &op in rustpython::FUNCTION_FLAG_OPS {
                specials[op as usize] = Special::FunctionFlags;
            }
        } else if version.major == 3 && graal.is_none() {
            for &(name, special, first, last) in SPECIALS {
                if (first..=last).contains(&version.minor) {
                    if let Some(op) = table.opcode(name) {
                        specials[op as usize] = special;
                    }
                }
            }
        }
        let deopt = std::array::from_fn(|op| table.deopt(op as u8));
        let caches = std::array::from_fn(|op| table.cache_entries(op as u8));
        let names = std::array::from_fn(|op| table.dis_name(op as u8));
        Some(Disassembler { objects, table, graal, version, specials, deopt, caches, names })
    }

    /// The opcode table in use.
    pub fn table(&self) -> &'static OpcodeTable {
        self.table
    }

    /// The CPython version whose bytecode rules are applied.
    pub fn version(&self) -> PyVersion {
        self.version
    }

    fn minor_at_least(&self, minor: u8) -> bool {
        self.version.at_least(3, minor)
    }

    /// The bytes of a string-typed code field and their file offset.
    fn field_bytes(&self, code: &Code, field: Field) -> Option<(&'a [u8], u32)> {
        let node = self.objects.resolve(code.object(field)?);
        match node.value {
            Value::Str { data, .. } => Some((data, node.span.end - data.len() as u32)),
            _ => None,
        }
    }

    fn field_seq(&self, code: &Code, field: Field) -> &'o [ObjId] {
        code.object(field).and_then(|id| self.objects.seq(id)).unwrap_or(&[])
    }

    /// Decodes every instruction of `code`, using its derived `tables` for lines, positions
    /// and nothing else.
    pub fn disassemble(&self, code: &Code, tables: &Tables) -> Disassembly {
        // The two steps below, written out: the viewer's wasm is 45 bytes smaller.
        let mut out = Disassembly::default();
        self.decode_into(code, &mut out);
        self.mark_targets(&mut out);
        self.place_lines(tables, &mut out.instructions);
        out
    }

    /// [`Disassembler::disassemble`] without lines: what needs no derived tables, so that
    /// a caller can decode while another thread derives them, then [`Disassembler::place`].
    pub fn decode_unplaced(&self, code: &Code) -> Disassembly {
        let mut out = Disassembly::default();
        self.decode_into(code, &mut out);
        self.mark_targets(&mut out);
        out
    }

    /// The lines of [`Disassembler::decode_unplaced`]'s instructions, from `tables`.
    pub fn place(&self, tables: &Tables, d: &mut Disassembly) {
        self.place_lines(tables, &mut d.instructions);
    }

    /// What a dis listing reads of [`Disassembler::disassemble`], into `out`, whose buffers
    /// are reused (a listing of thousands of code objects allocates, and the system zeroes,
    /// its largest one once): the instructions and `targets`, without `is_jump_target` and
    /// `label` (a listing marks targets from `targets`) and, before 3.13 (whose listings
    /// take lines from `tables.linestarts`), without `line`, `starts_line` and `positions`.
    pub fn listing_into(&self, code: &Code, tables: &Tables, out: &mut Disassembly) {
        self.decode_into(code, out);
        if self.uses_labels() {
            self.place_lines(tables, &mut out.instructions);
        }
    }

    /// The instructions of `code` and its jump targets, into `out`'s reused buffers.
    fn decode_into(&self, code: &Code, out: &mut Disassembly) {
        out.instructions.clear();
        out.targets.clear();
        let Disassembly { instructions, targets, code_len, code_at } = out;
        let bytes = self.field_bytes(code, Field::Code).map_or(&[][..], |(b, _)| b);
        // One instruction per code unit before 3.11 (wordcode) or at most every byte and a
        // half before 3.6; 3.11+ inline caches make the count far smaller, and the module
        // code object of a large file holds tens of thousands, so it is counted first.
        if self.graal.is_none() {
            instructions.reserve(if self.minor_at_least(11) { self.count_311(bytes) } else { bytes.len() / 2 });
        }
        (*code_len, *code_at) = self.decode_each(code, targets, &mut |ins| instructions.push(ins));
    }

    /// Decodes `code` one instruction at a time into `visit` (in code order), holding none
    /// of them, and its jump targets into `targets`; returns the length of `co_code` and
    /// its file offset. What checks a whole code object instruction by instruction (the fit
    /// check on opening a file) needs no vector of the module's tens of thousands.
    pub fn decode_each(&self, code: &Code, targets: &mut Vec<i64>, visit: &mut dyn FnMut(Instruction)) -> (usize, u32) {
        let (bytes, code_at) = self.field_bytes(code, Field::Code).unwrap_or((&[], 0));
        if let Some(ops) = self.graal.filter(|_| cfg!(feature = "foreign")) {
            let mut out = Disassembly::default();
            graal::decode(self.objects, ops, code, bytes, &mut out);
            out.instructions.into_iter().for_each(visit);
            targets.append(&mut out.targets);
        } else {
            let ctx = ArgContext {
                consts: self.field_seq(code, Field::Consts),
                names: self.field_seq(code, Field::Names),
                varnames: self.field_seq(code, Field::Varnames),
                cells: self.field_seq(code, Field::Cellvars),
                frees: self.field_seq(code, Field::Freevars),
                localsplus: self.field_seq(code, Field::Localsplusnames),
            };
            self.decode(bytes, &ctx, targets, visit);
        }
        (bytes.len(), code_at)
    }

    /// The raw walk: opcodes, arguments, caches, resolved arguments and jump targets.
    // One copy of the walk for both callers (the viewer's WebAssembly is held to a size).
    fn decode(&self, code: &[u8], ctx: &ArgContext, targets: &mut Vec<i64>, visit: &mut dyn FnMut(Instruction)) {
        let t = self.table;
        // Before 3.6 (wordcode) an instruction is 1 byte, or 3 from HAVE_ARGUMENT on.
        let variable = !self.version.at_least(3, 6);
        let v311 = self.minor_at_least(11);
        // None in 1.x, which had no prefix opcode.
        let ext_op = t.extended_arg_op();
        // ≤3.5 findlabels ignore EXTENDED_ARG; their labels are collected apart.
        let mut old_labels = Vec::new();
        let mut ext: i64 = 0;
        // Offset of the first EXTENDED_ARG prefix before the current instruction.
        let mut prefix_start: Option<u32> = None;
        let mut i = 0usize;
        let n = code.len();
        while i < n {
            let op = code[i];
            let deop = self.deopt[op as usize];
            let has_arg = t.has(deop, flags::HAS_ARG);
            let byte = |k: usize| i64::from(code.get(i + k).copied().unwrap_or(0));
            let (arg, size) = if variable {
                let (arg, size) = t.variable_arg(code, i, &mut ext);
                if let Some(l) = arg.and_then(|(raw, _)| self.target_of(op, raw, i as i64, 0)) {
                    old_labels.push(l);
                }
                (arg.map(|(_, arg)| arg), size)
            } else if has_arg {
                let arg = byte(1) | ext;
                ext = if Some(deop) == ext_op { arg.wrapping_shl(8) } else { 0 };
                if v311 && ext >= 1 << 31 {
                    // 3.11+ keep the prefix value as a C int, wrapping to negative.
                    ext -= 1 << 32;
                }
                (Some(arg), 2)
            } else {
                if self.minor_at_least(10) {
                    ext = 0;
                }
                (None, 2)
            };
            let caches = if v311 { self.caches[op as usize] } else { 0 };
            let end = (i + size + 2 * caches as usize).min(n);
            let is_ext = Some(deop) == ext_op;
            let jump_target = arg.and_then(|a| self.target_of(deop, a, i as i64, caches));
            let resolved = match arg {
                Some(a) => self.resolve(deop, a, jump_target, ctx),
                None => Arg::None,
            };
            if !variable {
                targets.extend(jump_target);
            }
            visit(after_prefixes(
                &mut prefix_start,
                is_ext,
                Instruction {
                    offset: i as u32,
                    start_offset: i as u32,
                    end: end as u32,
                    opcode: op,
                    caches,
                    arg,
                    resolved,
                    jump_target,
                    label: 0,
                    line: None,
                    starts_line: false,
                },
            ));
            i = end.max(i + 1);
        }
        targets.extend(old_labels.into_iter().filter(|&l| l >= 0));
        targets.sort_unstable();
        targets.dedup();
    }

    /// How many instructions `decode` finds in 3.11+ `code`: each is one code unit and
    /// its inline caches.
    fn count_311(&self, code: &[u8]) -> usize {
        let (mut i, mut count) = (0, 0);
        while let Some(&op) = code.get(i) {
            i += 2 + 2 * usize::from(self.caches[op as usize]);
            count += 1;
        }
        count
    }

    /// The jump target of `op arg` at `offset` by this version's rule (pyc-format.md §6.3).
    fn target_of(&self, op: u8, arg: i64, offset: i64, caches: u8) -> Option<i64> {
        let t = self.table;
        let v = self.version;
        if t.has(op, flags::JREL) {
            let (next, unit) = match (v.major, v.minor) {
                // 1- or 3-byte instructions: relative to the next one, in bytes.
                (..=2, _) | (3, 0..=5) => (offset + 3, 1),
                (3, 6..=9) => (offset + 2, 1),
                _ => (offset + 2, 2),
            };
            let signed = if t.has(op, flags::BACKWARD) { arg.wrapping_neg() } else { arg };
            let caches = if v.at_least(3, 12) { 2 * i64::from(caches) } else { 0 };
            Some(next.wrapping_add(signed.wrapping_mul(unit)).wrapping_add(caches))
        } else if t.has(op, flags::JABS) {
            Some(if v.at_least(3, 10) { arg.wrapping_mul(2) } else { arg })
        } else {
            None
        }
    }

    /// `argval`/`argrepr` resolution, in the order of that version's `dis.py`.
    /// `target` is the instruction's jump target ([`Disassembler::target_of`]), already known.
    fn resolve(&self, op: u8, arg: i64, target: Option<i64>, ctx: &ArgContext) -> Arg {
        let t = self.table;
        let v = self.version;
        let special = self.specials[op as usize];
        let name_at = |seq: &[ObjId], i: i64, form: NameForm| match py_index(seq.len(), i) {
            Some(k) => Arg::Name(seq[k], form),
            None => Arg::OutOfRange,
        };
        // 3.11+ resolves locals and cells through `_varname_from_oparg` (localsplusnames);
        // ≤3.10 through co_varnames and co_cellvars + co_freevars.
        let local = |i: i64| {
            if v.at_least(3, 11) {
                match usize::try_from(i).ok().filter(|&k| k < ctx.localsplus.len()) {
                    Some(k) => Arg::Name(ctx.localsplus[k], NameForm::Plain),
                    None => Arg::OutOfRange,
                }
            } else {
                name_at(ctx.varnames, i, NameForm::Plain)
            }
        };
        let pick = |list: &'static [&'static str], i: i64| match py_index(list.len(), i) {
            Some(k) => Arg::Text(list[k]),
            None => Arg::OutOfRange,
        };
        if t.has(op, flags::CONST) {
            if v.major == 3 && v.minor == 11 && special != Special::LoadConst {
                return Arg::Unknown;
            }
            return match py_index(ctx.consts.len(), arg) {
                Some(k) => Arg::Const(ctx.consts[k]),
                None => Arg::OutOfRange,
            };
        }
        if t.has(op, flags::NAME) {
            let bit0 = arg & 1 != 0;
            let modern = v.at_least(3, 13);
            return match special {
                Special::LoadGlobal => {
                    let form = match (bit0, modern) {
                        (false, _) => NameForm::Plain,
                        (true, false) => NameForm::NullPrefix,
                        (true, true) => NameForm::NullSuffix,
                    };
                    name_at(ctx.names, arg >> 1, form)
                }
                Special::LoadAttr | Special::LoadSuperAttr => {
                    let form = match (bit0, modern) {
                        (false, _) => NameForm::Plain,
                        (true, false) => NameForm::NullSelfPrefix,
                        (true, true) => NameForm::NullSelfSuffix,
                    };
                    let shift = if special == Special::LoadAttr { 1 } else { 2 };
                    name_at(ctx.names, arg >> shift, form)
                }
                Special::ImportName => {
                    let form = if bit0 {
                        NameForm::Lazy
                    } else if arg & 2 != 0 {
                        NameForm::Eager
                    } else {
                        NameForm::Plain
                    };
                    name_at(ctx.names, arg >> 2, form)
                }
                _ => name_at(ctx.names, arg, NameForm::Plain),
            };
        }
        let jump_flags = if v.at_least(3, 13) {
            flags::JUMP
        } else if v.at_least(3, 10) {
            flags::JREL | flags::JABS
        } else {
            flags::JREL
        };
        if t.flags[op as usize] & jump_flags != 0 || (v.at_least(3, 13) && t.has(op, flags::EXC)) {
            return match target {
                Some(target) => Arg::Jump { target, from: special == Special::EndAsyncFor },
                None => Arg::Int,
            };
        }
        if special == Special::PairedLocals {
            return match (local(arg >> 4), local(arg & 15)) {
                (Arg::Name(a, _), Arg::Name(b, _)) => Arg::Pair(a, b),
                _ => Arg::OutOfRange,
            };
        }
        if v.at_least(3, 11) && (t.has(op, flags::LOCAL) || t.has(op, flags::FREE)) {
            return local(arg);
        }
        if t.has(op, flags::LOCAL) {
            return local(arg);
        }
        if t.has(op, flags::COMPARE) {
            let (index, coerced) = match (v.major, v.minor) {
                (3, 12) => (arg >> 4, false),
                (3, 13..) => (arg >> 5, arg & 16 != 0),
                _ => (arg, false),
            };
            return match py_index(t.cmp_op.len(), index) {
                Some(k) => Arg::Compare { op: t.cmp_op[k], coerced },
                None => Arg::OutOfRange,
            };
        }
        if t.has(op, flags::FREE) {
            // ≤3.10: co_cellvars + co_freevars.
            let k = py_index(ctx.cells.len() + ctx.frees.len(), arg);
            return match k {
                Some(k) if k < ctx.cells.len() => Arg::Name(ctx.cells[k], NameForm::Plain),
                Some(k) => Arg::Name(ctx.frees[k - ctx.cells.len()], NameForm::Plain),
                None => Arg::OutOfRange,
            };
        }
        match special {
            Special::FormatValue => Arg::FormatValue,
            Special::ConvertValue => match py_index(t.format_converters.len(), arg) {
                Some(k) => Arg::ConvertValue(t.format_converters[k]),
                None => Arg::OutOfRange,
            },
            Special::FunctionFlags => Arg::FunctionFlags,
            Special::BinaryOp => match py_index(t.nb_ops.len(), arg) {
                Some(k) => Arg::Text(t.nb_ops[k].1),
                None => Arg::OutOfRange,
            },
            Special::Intrinsic1 => pick(t.intrinsic1, arg),
            Special::Intrinsic2 => pick(t.intrinsic2, arg),
            Special::LoadCommonConstant => match py_index(t.common_constants.len(), arg) {
                Some(k) => Arg::CommonConstant(k),
                None => Arg::OutOfRange,
            },
            Special::DunderMethod => pick(t.special_methods, arg),
            Special::IsOp => Arg::Text(if arg != 0 { "is not" } else { "is" }),
            Special::ContainsOp => Arg::Text(if arg != 0 { "not in" } else { "in" }),
            Special::CallCounts => Arg::CallCounts,
            Special::RustPythonEnum if cfg!(feature = "foreign") => {
                match crate::bytecode::opcodes::rustpython_arg_name(op, arg) {
                    Some(name) => Arg::Text(name),
                    None => Arg::OutOfRange,
                }
            }
            _ => Arg::Int,
        }
    }

    /// Each jump target's `label` (its rank among `targets`, from 1).
    fn mark_targets(&self, out: &mut Disassembly) {
        for ins in &mut out.instructions {
            if let Ok(k) = out.targets.binary_search(&i64::from(ins.offset)) {
                ins.label = k as u32 + 1;
            }
        }
    }

    /// Line starts and line numbers of each instruction (its positions are in the code-level runs).
    fn place_lines(&self, tables: &Tables, instructions: &mut [Instruction]) {
        // 3.10–3.12 `findlinestarts` skip ranges without a line; the `line` field follows
        // every change of line, as 3.13+'s `line_number` does.
        let all_changes;
        let changes: &[(u32, Option<i64>)] = match (&tables.lines, self.minor_at_least(13)) {
            (Some(lines), false) => {
                all_changes = lines::line_starts_from_lines(lines, 13);
                &all_changes
            }
            _ => &tables.linestarts,
        };
        let starts = &tables.linestarts;
        let (mut s, mut c) = (0, 0);
        let mut line = None;
        for ins in instructions {
            let offset = ins.offset;
            while s < starts.len() && starts[s].0 < offset {
                s += 1;
            }
            ins.starts_line = starts.get(s).is_some_and(|st| st.0 == offset);
            while c < changes.len() && changes[c].0 < offset {
                c += 1;
            }
            if changes.get(c).is_some_and(|ch| ch.0 == offset) {
                line = changes[c].1;
            }
            ins.line = line;
        }
    }

    /// The name `dis` prints for an opcode number (`<N>` for unassigned numbers).
    pub fn opname_into(&self, op: u8, out: &mut String) {
        match self.names[op as usize] {
            Some(name) => out.push_str(name),
            None => {
                let _ = write!(out, "<{op}>");
            }
        }
    }

    /// `repr(argval)` of an instruction, as that version's `dis` computes argval.
    pub fn argval_into(&self, reprs: &Reprs, ins: &Instruction, out: &mut String) {
        let arg = ins.arg.unwrap_or(0);
        match ins.resolved {
            Arg::None => out.push_str("None"),
            Arg::Int | Arg::Text(_) | Arg::FunctionFlags | Arg::OutOfRange | Arg::CallCounts => push_int(out, arg),
            Arg::Double(bits) => out.push_str(&crate::values::repr::float(f64::from_bits(bits))),
            Arg::Number(v) => push_int(out, v),
            Arg::Complex(re, im) => crate::values::repr::complex_into(f64::from_bits(re), f64::from_bits(im), out),
            Arg::Const(id) | Arg::Name(id, _) => out.push_str(&reprs.repr(id)),
            Arg::Unknown => out.push_str("<unknown>"),
            Arg::Pair(a, b) => {
                out.push('(');
                out.push_str(&reprs.repr(a));
                out.push_str(", ");
                out.push_str(&reprs.repr(b));
                out.push(')');
            }
            Arg::Jump { target, .. } => push_int(out, target),
            Arg::Compare { op, .. } => {
                out.push('\'');
                out.push_str(op);
                out.push('\'');
            }
            Arg::FormatValue => {
                let names = self.table.format_converters;
                out.push('(');
                push_converter(out, names.get((arg & 3) as usize).copied().unwrap_or(""));
                out.push_str(if arg & 4 != 0 { ", True)" } else { ", False)" });
            }
            Arg::ConvertValue(name) => push_converter(out, name),
            Arg::CommonConstant(k) => {
                // 3.15 shows the object itself; 3.14 the index.
                match self.table.common_constant_reprs.get(k) {
                    Some(r) if self.minor_at_least(15) => out.push_str(r),
                    _ => push_int(out, arg),
                }
            }
        }
    }

    /// `argrepr` of an instruction. `labels` are the sorted offsets that carry labels in
    /// this listing (3.13+: `get_instructions` labels jump targets only, the dis text also
    /// exception-table boundaries); `None` spells jumps as offsets.
    pub fn argrepr_into(&self, reprs: &Reprs, ins: &Instruction, labels: Option<&[i64]>, out: &mut String) {
        let arg = ins.arg.unwrap_or(0);
        match ins.resolved {
            Arg::None | Arg::Int | Arg::Unknown => {}
            Arg::Text(text) => out.push_str(text),
            Arg::Const(id) => reprs.push_repr(id, out),
            Arg::Name(id, form) => {
                let start = out.len();
                self.name_into(reprs, id, out);
                if out.len() > start {
                    let (before, after) = match form {
                        NameForm::Plain => ("", ""),
                        NameForm::NullPrefix => ("NULL + ", ""),
                        NameForm::NullSelfPrefix => ("NULL|self + ", ""),
                        NameForm::NullSuffix => ("", " + NULL"),
                        NameForm::NullSelfSuffix => ("", " + NULL|self"),
                        NameForm::Lazy => ("", " + lazy"),
                        NameForm::Eager => ("", " + eager"),
                    };
                    out.insert_str(start, before);
                    out.push_str(after);
                }
            }
            Arg::Pair(a, b) => {
                self.name_into(reprs, a, out);
                out.push_str(", ");
                self.name_into(reprs, b, out);
            }
            Arg::Jump { target, from } => match labels {
                Some(labels) => {
                    out.push_str(if from { "from L" } else { "to L" });
                    match labels.binary_search(&target) {
                        Ok(k) => push_int(out, k as i64 + 1),
                        Err(_) => out.push('?'),
                    }
                }
                None => {
                    out.push_str("to ");
                    push_int(out, target);
                }
            },
            Arg::Compare { op, coerced } => {
                if coerced {
                    out.push_str("bool(");
                    out.push_str(op);
                    out.push(')');
                } else {
                    out.push_str(op);
                }
            }
            Arg::FunctionFlags => {
                let mut first = true;
                for (i, flag) in self.table.function_flags.iter().enumerate() {
                    if arg >> i & 1 != 0 {
                        if !first {
                            out.push_str(", ");
                        }
                        out.push_str(flag);
                        first = false;
                    }
                }
            }
            Arg::FormatValue => {
                let name = self.table.format_converters.get((arg & 3) as usize).copied().unwrap_or("");
                out.push_str(name);
                if arg & 4 != 0 {
                    if !name.is_empty() {
                        out.push_str(", ");
                    }
                    out.push_str("with format");
                }
            }
            Arg::ConvertValue(name) => out.push_str(name),
            Arg::CommonConstant(k) => out.push_str(self.table.common_constants.get(k).copied().unwrap_or("")),
            Arg::OutOfRange => out.push_str(OUT_OF_RANGE),
            Arg::Double(bits) => out.push_str(&crate::values::repr::float(f64::from_bits(bits))),
            Arg::Number(v) => push_int(out, v),
            Arg::Complex(re, im) => crate::values::repr::complex_into(f64::from_bits(re), f64::from_bits(im), out),
            Arg::CallCounts => {
                // dis.py prints the two argument bytes (code[i-2], code[i-1]).
                push_int(out, arg & 0xff);
                out.push_str(" positional, ");
                push_int(out, (arg >> 8) & 0xff);
                out.push_str(" keyword pair");
            }
        }
    }

    /// A name as `dis` prints it: the string itself (a non-string shows as its repr).
    fn name_into(&self, reprs: &Reprs, id: ObjId, out: &mut String) {
        if !reprs.push_text(id, out) {
            reprs.push_repr(id, out);
        }
    }

    /// True when the jumps of this version are spelled with labels (3.13+).
    pub fn uses_labels(&self) -> bool {
        self.minor_at_least(13)
    }
}

/// The sequences an argument can index into.
struct ArgContext<'o> {
    consts: &'o [ObjId],
    names: &'o [ObjId],
    varnames: &'o [ObjId],
    cells: &'o [ObjId],
    frees: &'o [ObjId],
    localsplus: &'o [ObjId],
}

fn push_int(out: &mut String, v: i64) {
    let mut buf = itoa::Buffer::new();
    out.push_str(buf.format(v));
}

/// `repr()` of FORMAT_VALUE's and CONVERT_VALUE's converter: `None`, the `str` type or the
/// `repr`/`ascii` builtins.
fn push_converter(out: &mut String, name: &str) {
    match name {
        "" => out.push_str("None"),
        "str" => out.push_str("<class 'str'>"),
        other => {
            out.push_str("<built-in function ");
            out.push_str(other);
            out.push('>');
        }
    }
}
