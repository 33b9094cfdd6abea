//! GraalPy's bytecode: instructions of one code unit and the lines of its source map.
//!
//! GraalPy's instructions are one opcode byte and as many argument bytes as that opcode
//! declares (`OpCodes.argLength`, 0–3): the first is the argument, widened by `EXTENDED_ARG`
//! prefixes (`oparg <<= 8`), the others are extra operands (a conditional jump's branch
//! profile, MAKE_FUNCTION's flags, LOAD_CONST_COLLECTION's element type, UNPACK_EX's
//! count after the star). Jumps are relative to the jumping instruction, in bytes. What the
//! argument means is read from GraalPy's own disassembler (`CodeUnit.toString`) by
//! `tools/gen_opcodes_graal.py`, which writes each version's [`GraalOps`].
//!
//! Lines come from the code unit's source-offset table (`SourceMap.java`): for every
//! instruction, `EXTENDED_ARG` included, its start line and column then its end line and
//! column, each a delta from the previous start (a line step resets the column to 0).
//!
//! The bytes are untrusted: a truncated instruction reads missing bytes as 0, an index out
//! of range resolves to [`Arg::OutOfRange`], a truncated source table ends the positions.

use crate::bytecode::disasm::{after_prefixes, Arg, Disassembly, Instruction, NameForm};
use crate::bytecode::exceptions::ExceptionEntry;
use crate::bytecode::lines::{LineRange, Positions};
use crate::bytecode::opcodes::{graal_ops_for, OpcodeTable};
use crate::bytecode::tables::Tables;
use crate::error::TableError;
use crate::pyc::code::{Code, Field};
use crate::pyc::object::{ObjId, Objects, Value};
use crate::pyc::version::PyVersion;

/// What the first argument byte of a GraalPy opcode means (from `CodeUnit.toString`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraalArg {
    /// A count or flags, shown as the number.
    Plain,
    /// An index into the constants.
    Const,
    /// An index into `co_names`.
    Name,
    /// An index into `co_varnames`.
    Local,
    /// An index into the cell variables, then the free variables.
    Cell,
    /// A forward jump: the target is this instruction's offset plus the argument.
    Jump,
    /// A backward jump: this instruction's offset minus the argument.
    JumpBack,
    /// An index into the primitive constants, read as a 64-bit int.
    Primitive,
    /// An index into the primitive constants, read as a float's bits.
    Double,
    /// LOAD_COMPLEX: an index into the constants, a `double[]` of the real and imaginary part.
    Complex,
    /// An index into `UnaryOps`.
    Unary,
    /// An index into `BinaryOps`.
    Binary,
    /// A collection kind (top 3 bits) and element count (low 5 bits).
    Collection,
    /// FORMAT_VALUE's conversion (bits 0–1) and whether a spec follows (bit 2).
    Format,
    /// LOAD_BYTE's value: the low byte, signed.
    SignedByte,
    /// UNPACK_EX: names before the star (the second byte counts those after).
    UnpackEx,
}

/// One GraalPy release's opcodes, as its disassembler reads them.
#[derive(Debug)]
pub struct GraalOps {
    /// The names and flags the shared listings read.
    pub table: &'static OpcodeTable,
    /// Argument bytes after each opcode (`OpCodes.argLength`).
    pub arg_lengths: [u8; 256],
    /// What each opcode's first argument byte means.
    pub args: [GraalArg; 256],
    /// The `EXTENDED_ARG` opcode.
    pub extended_arg: u8,
    /// `BinaryOps` names by argument.
    pub binary_ops: &'static [&'static str],
    /// `UnaryOps` names by argument.
    pub unary_ops: &'static [&'static str],
}

/// Spreads generated `(opcode, argument length, kind)` rows into the length array.
pub const fn arg_lengths_of(rows: &[(u8, u8, GraalArg)]) -> [u8; 256] {
    let mut out = [0; 256];
    let mut i = 0;
    while i < rows.len() {
        out[rows[i].0 as usize] = rows[i].1;
        i += 1;
    }
    out
}

/// Spreads generated rows into the kind array.
pub const fn arg_kinds_of(rows: &[(u8, u8, GraalArg)]) -> [GraalArg; 256] {
    let mut out = [GraalArg::Plain; 256];
    let mut i = 0;
    while i < rows.len() {
        out[rows[i].0 as usize] = rows[i].2;
        i += 1;
    }
    out
}

/// `CollectionBits` kinds (the argument's top three bits) as GraalPy's disassembler names them.
const COLLECTION_KINDS: [&str; 8] = ["", "list", "tuple", "set", "dict", "PKeyword[]", "Object[]", ""];

/// FORMAT_VALUE's conversions as GraalPy's disassembler names them, without and with a spec.
const FORMATS: [&str; 8] = ["NONE", "STR", "REPR", "ASCII", "NONE + SPEC", "STR + SPEC", "REPR + SPEC", "ASCII + SPEC"];

/// The sequence object a code field holds (empty when absent or not a sequence).
fn seq<'o>(objects: &'o Objects, code: &Code, field: Field) -> &'o [ObjId] {
    code.object(field).and_then(|id| objects.seq(id)).unwrap_or(&[])
}

fn at(items: &[ObjId], i: i64) -> Option<ObjId> {
    usize::try_from(i).ok().and_then(|i| items.get(i).copied())
}

/// Decodes every instruction of a GraalPy code unit into `out`, with jump targets (its
/// `code_len` and `code_at` are the caller's to set); lines are placed by the caller.
pub fn decode(objects: &Objects, ops: &GraalOps, code: &Code, bytes: &[u8], out: &mut Disassembly) {
    let consts = seq(objects, code, Field::Consts);
    let names = seq(objects, code, Field::Names);
    let varnames = seq(objects, code, Field::Varnames);
    let cells = seq(objects, code, Field::Cellvars);
    let frees = seq(objects, code, Field::Freevars);
    let primitives = seq(objects, code, Field::GraalPrimitiveConstants);
    let n = bytes.len();
    let (mut i, mut ext) = (0usize, 0i64);
    let mut prefix_start: Option<u32> = None;
    while i < n {
        let op = bytes[i];
        let len = usize::from(ops.arg_lengths[op as usize]);
        let end = (i + 1 + len).min(n);
        let is_ext = op == ops.extended_arg;
        let arg = (len > 0).then(|| ext | i64::from(bytes.get(i + 1).copied().unwrap_or(0)));
        // GraalPy keeps the prefix in an int: shifting past 32 bits wraps as Java does.
        ext = if is_ext { arg.map_or(0, |a| i64::from((a as i32).wrapping_shl(8))) } else { 0 };
        let offset = i as i64;
        let mut jump_target = None;
        let resolved = match arg {
            None => Arg::None,
            Some(_) if is_ext => Arg::Int,
            Some(a) => {
                let name =
                    |items: &[ObjId], k: i64| at(items, k).map_or(Arg::OutOfRange, |id| Arg::Name(id, NameForm::Plain));
                match ops.args[op as usize] {
                    GraalArg::Plain | GraalArg::UnpackEx => Arg::Int,
                    GraalArg::Const => at(consts, a).map_or(Arg::OutOfRange, Arg::Const),
                    GraalArg::Name => name(names, a),
                    GraalArg::Local => name(varnames, a),
                    GraalArg::Cell => match usize::try_from(a) {
                        Ok(k) if k < cells.len() => Arg::Name(cells[k], NameForm::Plain),
                        Ok(k) => name(frees, (k - cells.len()) as i64),
                        Err(_) => Arg::OutOfRange,
                    },
                    GraalArg::Primitive => at(primitives, a).map_or(Arg::OutOfRange, Arg::Const),
                    GraalArg::Double => match at(primitives, a).map(|id| &objects.resolve(id).value) {
                        Some(Value::Int(bits)) => Arg::Double(*bits as u64),
                        _ => Arg::OutOfRange,
                    },
                    GraalArg::Complex => {
                        let parts = at(consts, a).and_then(|id| objects.seq(id)).unwrap_or(&[]);
                        let float = |id: &ObjId| match objects.resolve(*id).value {
                            Value::Float { value } => Some(value.to_bits()),
                            _ => None,
                        };
                        match parts {
                            [re, im] => match (float(re), float(im)) {
                                (Some(re), Some(im)) => Arg::Complex(re, im),
                                _ => Arg::OutOfRange,
                            },
                            _ => Arg::OutOfRange,
                        }
                    }
                    GraalArg::Unary => usize::try_from(a)
                        .ok()
                        .and_then(|k| ops.unary_ops.get(k))
                        .map_or(Arg::OutOfRange, |s| Arg::Text(s)),
                    GraalArg::Binary => usize::try_from(a)
                        .ok()
                        .and_then(|k| ops.binary_ops.get(k))
                        .map_or(Arg::OutOfRange, |s| Arg::Text(s)),
                    GraalArg::Collection => match COLLECTION_KINDS[((a >> 5) & 7) as usize] {
                        "" => Arg::OutOfRange,
                        kind => Arg::Text(kind),
                    },
                    GraalArg::Format => Arg::Text(FORMATS[(a & 7) as usize]),
                    GraalArg::SignedByte => Arg::Number(i64::from(a as u8 as i8)),
                    GraalArg::Jump | GraalArg::JumpBack => {
                        let back = ops.args[op as usize] == GraalArg::JumpBack;
                        let target = if back { offset - a } else { offset + a };
                        jump_target = Some(target);
                        Arg::Jump { target, from: false }
                    }
                }
            }
        };
        out.instructions.push(after_prefixes(
            &mut prefix_start,
            is_ext,
            Instruction {
                offset: i as u32,
                start_offset: i as u32,
                end: end as u32,
                opcode: op,
                caches: 0,
                arg,
                resolved,
                jump_target,
                label: 0,
                line: None,
                starts_line: false,
            },
        ));
        i = end;
    }
    out.targets.extend(out.instructions.iter().filter_map(|ins| ins.jump_target));
    out.targets.sort_unstable();
    out.targets.dedup();
}

/// The ops of GraalPy `version`, if pyclens has them.
pub fn ops_for(version: PyVersion) -> Option<&'static GraalOps> {
    graal_ops_for(version)
}

/// `SourceMap`'s markers: a number continues in the next byte; the next line; a line step.
const EXTENDED_NUM: i8 = -128;
const NEXT_LINE: i8 = -127;
const NEXT_LINES: i8 = -126;
/// What each `EXTENDED_NUM` adds to a positive and to a negative number.
const MULTIPLIER_POSITIVE: i64 = 127;
const MULTIPLIER_NEGATIVE: i64 = -124;

/// Reads `SourceMap.readNum` at `pos`: `EXTENDED_NUM` bytes, then a signed byte.
fn read_num(table: &[u8], pos: &mut usize) -> Option<i64> {
    let mut extensions = 0i64;
    loop {
        let v = *table.get(*pos)? as i8;
        *pos += 1;
        if v == EXTENDED_NUM {
            extensions += 1;
        } else if v < 0 {
            return Some(extensions * MULTIPLIER_NEGATIVE + i64::from(v));
        } else {
            return Some(extensions * MULTIPLIER_POSITIVE + i64::from(v));
        }
    }
}

/// Reads `SourceMap.readLineAndColumn`: an optional line step, then a column delta.
fn read_line_and_column(table: &[u8], pos: &mut usize, pair: &mut (i64, i64)) -> Option<()> {
    match *table.get(*pos)? as i8 {
        NEXT_LINE => {
            *pos += 1;
            pair.0 += 1;
            pair.1 = 0;
        }
        NEXT_LINES => {
            *pos += 1;
            pair.0 += read_num(table, pos)?;
            pair.1 = 0;
        }
        _ => {}
    }
    pair.1 += read_num(table, pos)?;
    Some(())
}

/// One instruction's place in the source: (offset, end offset, positions).
pub type Location = (u32, u32, Positions);

/// The source map of a code unit: the positions of each instruction, in code order. The
/// walk follows the opcodes' argument lengths as `SourceMap` does; a table that ends early
/// stops it (GraalPy's reader would read -1 there) and is reported, and so is one with
/// bytes left after the last instruction.
pub fn locations(
    ops: &GraalOps,
    bytecode: &[u8],
    table: &[u8],
    start: (i64, i64),
) -> (Vec<Location>, Option<TableError>) {
    let mut out = Vec::new();
    let (mut i, mut pos) = (0usize, 0usize);
    let mut pair = start;
    while i < bytecode.len() {
        let end = (i + 1 + usize::from(ops.arg_lengths[bytecode[i] as usize])).min(bytecode.len());
        let at = pos;
        let read = read_line_and_column(table, &mut pos, &mut pair).and_then(|()| {
            let mut end_pair = pair;
            read_line_and_column(table, &mut pos, &mut end_pair).map(|()| end_pair)
        });
        let Some(end_pair) = read else {
            let e = TableError::new(at, format!("source-offset table ends before the instruction at offset {i}"));
            return (out, Some(e));
        };
        let positions =
            Positions { line: Some(pair.0), end_line: Some(end_pair.0), col: Some(pair.1), end_col: Some(end_pair.1) };
        out.push((i as u32, end as u32, positions));
        i = end;
    }
    // GraalPy writes exactly one entry per instruction: bytes left over mean the
    // instructions were walked with other lengths than the writer's (GraalPy 23.1 and 24.0
    // share magic 21280 but not CALL_METHOD_VARARGS's argument).
    if pos < table.len() {
        let e = TableError::new(
            pos,
            format!(
                "{} bytes left after the last instruction's entry: the instructions' lengths are not those \
                 the writer used",
                table.len() - pos
            ),
        );
        return (out, Some(e));
    }
    (out, None)
}

/// `co_lines()`-style ranges from the locations: one per instruction, adjacent ranges on
/// the same line merged.
pub fn lines(locations: &[Location]) -> Vec<LineRange> {
    let mut out: Vec<LineRange> = Vec::new();
    for &(start, end, p) in locations {
        match out.last_mut() {
            Some(last) if last.line == p.line && last.end == start => last.end = end,
            _ => out.push(LineRange { start, end, line: p.line }),
        }
    }
    out
}

/// The derived tables of a GraalPy code unit: line starts, `lines`, per-byte position runs
/// (without `all`, only what a listing reads) and its exception-handler ranges as exception
/// table entries. GraalPy writes no `co_lnotab` of its own to rebuild.
pub fn tables(objects: &Objects, code: &Code, version: PyVersion, all: bool) -> Tables {
    let mut t = Tables::default();
    let bytes = |field| {
        let node = objects.resolve(code.object(field)?);
        match node.value {
            Value::Str { data, .. } => Some((data, node.span.end as usize - data.len())),
            _ => None,
        }
    };
    let (Some(ops), Some((bytecode, _)), Some((table, table_at))) =
        (ops_for(version), bytes(Field::Code), bytes(Field::GraalSrcOffsetTable))
    else {
        return t;
    };
    let start = (code.int(Field::GraalStartLine).unwrap_or(0), code.int(Field::GraalStartColumn).unwrap_or(0));
    let (locations, error) = locations(ops, bytecode, table, start);
    if let Some(e) = error {
        t.errors.push(e.in_file(table_at, "source-offset table"));
    }
    let ranges = lines(&locations);
    t.linestarts = crate::bytecode::lines::line_starts_from_lines(&ranges, version.minor);
    t.lines = Some(ranges);
    if all {
        let mut runs: Vec<(u32, Positions)> = Vec::new();
        for &(start, end, p) in &locations {
            match runs.last_mut() {
                Some(last) if last.1 == p => last.0 += end - start,
                _ => runs.push((end - start, p)),
            }
        }
        t.positions = Some(runs);
    }
    let ranges = seq(objects, code, Field::GraalExceptionHandlerRanges);
    let value = |id: ObjId| match objects.resolve(id).value {
        Value::Int(v) => u32::try_from(v).ok(),
        _ => None,
    };
    t.exception_table = Some(
        ranges
            .chunks_exact(4)
            .filter_map(|q| {
                Some(ExceptionEntry {
                    start: value(q[0])?,
                    end: value(q[1])?,
                    target: value(q[2])?,
                    depth: value(q[3])?,
                    lasti: false,
                })
            })
            .collect(),
    );
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_extend_by_their_sign() {
        // 127 + 5, -124 - 3, and a NEXT_LINES step of 2 then column 4.
        let table = [0x80, 5, 0x80, 0xfd];
        let mut pos = 0;
        assert_eq!(read_num(&table, &mut pos), Some(132));
        assert_eq!(read_num(&table, &mut pos), Some(-127));
        let mut pair = (10, 7);
        let mut pos = 0;
        assert_eq!(read_line_and_column(&[0x82, 2, 4], &mut pos, &mut pair), Some(()));
        assert_eq!(pair, (12, 4));
        assert_eq!(read_line_and_column(&[0x81], &mut 0, &mut pair), None);
    }
}
