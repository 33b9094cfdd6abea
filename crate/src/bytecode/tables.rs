//! The line, position and exception views of one code object, by version.
//!
//! `lines` and `exceptions` decode each on-disk format; this module picks the format a file
//! uses and produces exactly what that version's `dis.findlinestarts`, `co_lines()`,
//! `co_positions()` and `dis._parse_exception_table` return, plus the `co_lnotab` that
//! 3.10+ synthesise from the newer tables.

use crate::bytecode::exceptions::{parse_exception_table, ExceptionEntry};
use crate::bytecode::lines::{self, LineRange, Positions};
use crate::bytecode::opcodes::{table_for, OpcodeTable};
use crate::error::DecodeError;
use crate::pyc::code::{Code, Field};
use crate::pyc::object::{Objects, Value};
use crate::pyc::version::{CodeFormat, Implementation, Magic};

/// lnotab line deltas became signed at magic 3361 (3.6a0).
const SIGNED_LNOTAB_MAGIC: u16 = 3361;

/// Derived tables of one code object; `None` where the version has no such view.
#[derive(Debug, Default)]
pub struct Tables {
    /// `dis.findlinestarts`: (offset, line) where a new line starts.
    pub linestarts: Vec<(u32, Option<i64>)>,
    /// `co_lines()` (3.10+).
    pub lines: Option<Vec<LineRange>>,
    /// `co_positions()` (3.11+) run-length encoded: `(code units, positions)`, adjacent
    /// equal runs merged. Expanded, it is one entry per code unit, as CPython yields it.
    pub positions: Option<Vec<(u32, Positions)>>,
    /// Exception table entries (3.11+).
    pub exception_table: Option<Vec<ExceptionEntry>>,
    /// `co_lnotab` as 3.10–3.14 compute it from the new tables (3.15 dropped the attribute).
    pub synthesized_lnotab: Option<Vec<u8>>,
    /// Malformed tables, with their offsets in the file.
    pub errors: Vec<DecodeError>,
}

/// Computes the derived tables of `code`, a code object of a file with this `magic`.
pub fn derive(objects: &Objects, code: &Code, magic: &Magic) -> Tables {
    derive_with(objects, code, magic, true)
}

/// The tables a listing reads (line starts, the exception table and any errors), without
/// `co_positions()` and the synthesized `co_lnotab`, and for 3.11+ without `co_lines()`:
/// `pyclens dis` and the fit check never show those, and on 3.10+ computing them is a good
/// part of the work. The line starts and errors are [`derive`]'s.
pub fn derive_for_listing(objects: &Objects, code: &Code, magic: &Magic) -> Tables {
    derive_with(objects, code, magic, false)
}

/// [`derive`], or [`derive_for_listing`] when `all` is false.
fn derive_with(objects: &Objects, code: &Code, magic: &Magic, all: bool) -> Tables {
    if cfg!(feature = "foreign") && magic.implementation == Implementation::GraalPy {
        return crate::bytecode::graal::tables(objects, code, magic.version, all);
    }
    let version = magic.version;
    let mut t = Tables::default();
    let bytes = |field| {
        let id = code.object(field)?;
        let node = objects.resolve(id);
        match node.value {
            // The payload is the tail of the object's span.
            Value::Str { data, .. } => Some((data, node.span.end as usize - data.len())),
            _ => None,
        }
    };
    if cfg!(feature = "foreign") && magic.code_format() == CodeFormat::RustPython {
        if let Some((locations, _)) = bytes(Field::Locations) {
            t.linestarts = rustpython_line_starts(locations);
        }
        return t;
    }
    let firstlineno = code.int(Field::Firstlineno).unwrap_or(0);
    let code_len = bytes(Field::Code).map_or(0, |(b, _)| b.len());
    // 1.0–2.2 compilers emit SET_LINENO (unless -O); their dis shows those, so they decide
    // the line starts even where 1.5–2.2 also write a co_lnotab.
    if !version.at_least(2, 3) {
        let table = table_for(version, Implementation::CPython);
        let code_bytes = bytes(Field::Code).map_or(&[][..], |(b, _)| b);
        t.linestarts = table.map(|table| set_lineno_starts(code_bytes, table)).unwrap_or_default();
        if !t.linestarts.is_empty() {
            return t;
        }
    }
    if let Some((lnotab, _)) = bytes(Field::Lnotab) {
        let signed = version.major >= 3 && magic.number_or_zero() >= SIGNED_LNOTAB_MAGIC;
        let stop_at_end = version.at_least(3, 8).then_some(code_len);
        t.linestarts = lines::lnotab_line_starts(lnotab, firstlineno, signed, stop_at_end)
            .into_iter()
            .map(|(offset, line)| (offset, Some(line)))
            .collect();
        return t;
    }
    let Some((table, table_at)) = bytes(Field::Linetable) else { return t };
    let minor = version.minor;
    if magic.code_format() == CodeFormat::PyPyPositions {
        pypy_positions(&mut t, table, table_at, firstlineno, minor, all);
        return t;
    }
    if !all && version.at_least(3, 11) {
        match lines::line_starts_311(table, firstlineno, minor) {
            Ok(starts) => t.linestarts = starts,
            Err(e) => t.errors.push(e.in_file(table_at, "location table")),
        }
        exception_table(&mut t, bytes(Field::Exceptiontable));
        return t;
    }
    let (ranges, computed) = if version.at_least(3, 11) {
        match lines::locations_311(table, firstlineno) {
            Ok(locations) => {
                let mut computed = Vec::new();
                if all {
                    t.positions = Some(lines::position_runs(&locations));
                    computed = computed_lines(locations.iter().map(|l| (l.start_unit * 2, l.line)), firstlineno);
                }
                (lines::lines_from_locations(&locations, minor), computed)
            }
            Err(e) => {
                t.errors.push(e.in_file(table_at, "location table"));
                (Vec::new(), Vec::new())
            }
        }
    } else {
        let ranges = lines::lines_310(table, firstlineno);
        let computed =
            if all { computed_lines(ranges.iter().map(|r| (r.start, r.line)), firstlineno) } else { Vec::new() };
        (ranges, computed)
    };
    if all && !version.at_least(3, 15) {
        t.synthesized_lnotab = Some(lnotab_from_ranges(&computed, firstlineno));
    }
    t.linestarts = lines::line_starts_from_lines(&ranges, minor);
    t.lines = Some(ranges);
    exception_table(&mut t, bytes(Field::Exceptiontable));
    t
}

/// Parses the exception table (3.11+), when the code object has one, into `t`.
fn exception_table(t: &mut Tables, table: Option<(&[u8], usize)>) {
    if let Some((table, table_at)) = table {
        match parse_exception_table(table) {
            Ok(entries) => t.exception_table = Some(entries),
            Err(e) => t.errors.push(e.in_file(table_at, "exception table")),
        }
    }
}

/// The views of PyPy 3.11's position table: `co_positions()` (one per instruction),
/// `co_lines()`, `dis.findlinestarts` (its `dis` module is CPython 3.`minor`'s) and the
/// `co_lnotab` PyPy rebuilds from each instruction's line, where an instruction without a
/// line counts as line -1 (not CPython's running line). No exception table exists. Without
/// `all`, the positions and the lnotab are left out (see [`derive_for_listing`]).
fn pypy_positions(t: &mut Tables, table: &[u8], table_at: usize, firstlineno: i64, minor: u8, all: bool) {
    match lines::locations_pypy(table, firstlineno) {
        Ok(locations) => {
            let ranges = lines::lines_pypy(&locations);
            if all {
                t.positions = Some(lines::position_runs(&locations));
                let per_line: Vec<(u32, i64)> = ranges.iter().map(|r| (r.start, r.line.unwrap_or(-1))).collect();
                t.synthesized_lnotab = Some(lnotab_from_ranges(&per_line, firstlineno));
            }
            t.linestarts = lines::line_starts_from_lines(&ranges, minor);
            t.lines = Some(ranges);
        }
        Err(e) => t.errors.push(e.in_file(table_at, "position table")),
    }
}

/// RustPython's line starts: its location table holds a (line, column) pair of `u32`s per
/// instruction, and a line starts at each instruction whose line differs from the one
/// before (what RustPython's own listing, `CodeObject::display_inner`, marks with the line
/// number). Its `co_linetable` is left alone: the VM takes lines from the locations.
fn rustpython_line_starts(locations: &[u8]) -> Vec<(u32, Option<i64>)> {
    let mut out = Vec::new();
    let mut last = None;
    for (i, pair) in locations.chunks_exact(8).enumerate() {
        let line = i64::from(u32::from_le_bytes([pair[0], pair[1], pair[2], pair[3]]));
        if last != Some(line) {
            out.push((2 * i as u32, Some(line)));
            last = Some(line);
        }
    }
    out
}

/// The line starts of 1.0–2.2 bytecode: each SET_LINENO instruction starts the line in its
/// argument, at its own offset. That is where old `dis` printed its blank line, and where
/// 1.5–2.2 compilers put the co_lnotab entry of the same line (xdis 6.3.0 instead starts
/// 1.0–1.4 lines at the instruction after SET_LINENO).
fn set_lineno_starts(code: &[u8], table: &OpcodeTable) -> Vec<(u32, Option<i64>)> {
    let Some(set_lineno) = table.opcode("SET_LINENO") else { return Vec::new() };
    let mut out = Vec::new();
    let (mut i, mut ext) = (0usize, 0i64);
    while i < code.len() {
        let (arg, size) = table.variable_arg(code, i, &mut ext);
        if let (true, Some((_, arg))) = (code[i] == set_lineno, arg) {
            out.push((i as u32, Some(arg)));
        }
        i += size;
    }
    out
}

/// CPython's "computed line" of each address range: the running line, which ranges without
/// a line leave unchanged.
fn computed_lines(ranges: impl Iterator<Item = (u32, Option<i64>)>, firstlineno: i64) -> Vec<(u32, i64)> {
    let mut line = firstlineno;
    ranges
        .map(|(start, l)| {
            if let Some(l) = l {
                line = l;
            }
            (start, line)
        })
        .collect()
}

/// The old `co_lnotab` format rebuilt from address ranges, as 3.10+ do for the deprecated
/// attribute: a pair wherever the computed line changes, large steps split into several
/// pairs (address steps of at most 255, line steps within -128..=127).
fn lnotab_from_ranges(ranges: &[(u32, i64)], firstlineno: i64) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut addr, mut line) = (0u32, firstlineno);
    for &(start, computed) in ranges {
        if computed == line {
            continue;
        }
        let mut bdelta = i64::from(start) - i64::from(addr);
        let mut ldelta = computed - line;
        while bdelta > 255 {
            out.extend([255, 0]);
            bdelta -= 255;
        }
        while ldelta > 127 {
            out.extend([bdelta as u8, 127]);
            bdelta = 0;
            ldelta -= 127;
        }
        while ldelta < -128 {
            out.extend([bdelta as u8, (-128i8) as u8]);
            bdelta = 0;
            ldelta += 128;
        }
        out.extend([bdelta as u8, ldelta as i8 as u8]);
        addr = start;
        line = computed;
    }
    out
}
