//! Line and column tables of code objects, decoded the way each CPython version reads them.
//!
//! Three on-disk formats exist (pyc-format.md §7):
//!
//! * `co_lnotab` (1.5–3.9): `(address delta, line delta)` byte pairs; the line delta applies
//!   to the *next* range and is signed from 3.6 on. [`lnotab_line_starts`] gives what
//!   `dis.findlinestarts` yields.
//! * the 3.10 `co_linetable` (PEP 626): `(range length, line delta)` pairs; the line delta
//!   applies to the range itself. [`lines_310`] gives what `co_lines()` yields.
//! * the 3.11+ location table (PEP 657): variable-length entries with columns.
//!   [`locations_311`] decodes the entries, [`position_runs`] and [`lines_from_locations`] turn
//!   them into what `co_positions()` and `co_lines()` yield; [`line_starts_311`] goes
//!   straight to `dis.findlinestarts`.
//!
//! * PyPy 3.11's position table (not a CPython format): one entry per 2-byte instruction.
//!   [`locations_pypy`] decodes it into the same [`Location`]s, [`lines_pypy`] gives its
//!   `co_lines()`.
//!
//! [`line_starts_from_lines`] gives `dis.findlinestarts` for 3.10+. The behaviours of the
//! different versions were checked against the real interpreters by
//! `tools/gen_line_table_cases.py`; the tests below replay what those interpreters reported.
//!
//! The tables come from untrusted files: nothing here panics, every loop is bounded by the
//! table length, and the output never holds more than eight items per input byte.

use crate::error::TableError;

/// One tuple of `co_lines()` (3.10+): bytes `start..end` of `co_code` belong to `line`.
///
/// This is the line view that tracebacks and `dis` use; `line` is `None` for instructions
/// the compiler gave no line (artificial cleanup code).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineRange {
    /// First byte offset of the range.
    pub start: u32,
    /// Byte offset just past the range.
    pub end: u32,
    /// The source line, or `None`.
    pub line: Option<i64>,
}

/// One entry of a 3.11+ location table, decoded: a run of code units sharing one location.
///
/// Kept per entry (not per unit) so a viewer can show each entry beside its bytes; the
/// per-unit and per-line views are derived from it. The four location fields are what
/// `co_positions()` reports: `None` where the entry has no such information, and also where
/// the value is -1, because CPython uses -1 internally for "none" and cannot tell them apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// Index of the first code unit (2-byte word) of `co_code` the entry covers.
    pub start_unit: u32,
    /// Number of code units covered, 1–8 (inline cache units included).
    pub length_units: u32,
    /// Start line.
    pub line: Option<i64>,
    /// End line.
    pub end_line: Option<i64>,
    /// Start column (0-based, in UTF-8 bytes).
    pub col: Option<i64>,
    /// End column (exclusive, in UTF-8 bytes).
    pub end_col: Option<i64>,
}

/// One tuple of `co_positions()` (3.11+): the location of one code unit.
///
/// CPython yields one per code unit, cache units included, so instructions are matched to
/// their positions by unit index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Positions {
    /// Start line.
    pub line: Option<i64>,
    /// End line.
    pub end_line: Option<i64>,
    /// Start column.
    pub col: Option<i64>,
    /// End column.
    pub end_col: Option<i64>,
}

// ---------------------------------------------------------------------------------------
// co_lnotab (1.5 – 3.9)

/// The `(byte offset, line)` pairs that `dis.findlinestarts` yields for a `co_lnotab`.
///
/// Needed because ≤3.9 have no `co_lines()`: this list is the only line view `dis` gives.
/// * `signed_deltas`: line deltas are signed bytes from 3.6 (magic 3361) on, unsigned before.
/// * `code_len`: `Some(len(co_code))` for 3.8 and 3.9, whose `findlinestarts` stops as soon
///   as the address reaches the end of the code (the rest was optimised away); `None` for
///   ≤3.7, which read the whole table.
///
/// As in every version's `dis.py`, a pair with address delta 0 only moves the line, a
/// trailing odd byte is ignored (Python's `zip`), and a line is emitted only when it
/// differs from the last one emitted (2.7 and 3.0–3.9 share this rule).
pub fn lnotab_line_starts(
    lnotab: &[u8],
    firstlineno: i64,
    signed_deltas: bool,
    code_len: Option<usize>,
) -> Vec<(u32, i64)> {
    let mut starts = Vec::new();
    let mut last_line = None;
    let mut line = firstlineno;
    let mut addr: u32 = 0;
    for pair in lnotab.chunks_exact(2) {
        let (addr_delta, line_delta) = (pair[0], pair[1]);
        if addr_delta != 0 {
            if last_line != Some(line) {
                starts.push((addr, line));
                last_line = Some(line);
            }
            addr = addr.saturating_add(u32::from(addr_delta));
            if code_len.is_some_and(|len| addr as usize >= len) {
                return starts;
            }
        }
        let delta = if signed_deltas { i64::from(line_delta as i8) } else { i64::from(line_delta) };
        line = line.saturating_add(delta);
    }
    if last_line != Some(line) {
        starts.push((addr, line));
    }
    starts
}

// ---------------------------------------------------------------------------------------
// 3.10 co_linetable

/// The 3.10 line delta that means "this range has no line".
const NO_LINE_310: i8 = -128;

/// What 3.10's `co_lines()` yields for a `co_linetable`: byte ranges with their line.
///
/// 3.10 stores `(range length, line delta)` pairs whose delta applies to the range itself.
/// Facts checked against 3.10.13:
/// * zero-length pairs yield nothing but their line delta still counts;
/// * a delta of -128 means "no line" and leaves the running line alone;
/// * a line below 0 is reported as `None` (CPython's `ar_line < 0` test), 0 stays 0;
/// * ranges are not clipped to the code length;
/// * an odd final byte is a range with line delta 0 (CPython reads the bytes object's NUL
///   terminator as the missing delta).
///
/// One departure: CPython reads past the end of the table when the table ends with
/// zero-length pairs (the result depends on whatever memory follows); those are dropped.
pub fn lines_310(linetable: &[u8], firstlineno: i64) -> Vec<LineRange> {
    let mut ranges = Vec::new();
    let mut line = firstlineno;
    let mut end: u32 = 0;
    for pair in linetable.chunks(2) {
        let length = pair[0];
        let delta = pair.get(1).map_or(0, |&b| b as i8);
        let start = end;
        end = end.saturating_add(u32::from(length));
        let this_line = if delta == NO_LINE_310 {
            None
        } else {
            line = line.saturating_add(i64::from(delta));
            Some(line).filter(|&l| l >= 0)
        };
        if length != 0 {
            ranges.push(LineRange { start, end, line: this_line });
        }
    }
    ranges
}

// ---------------------------------------------------------------------------------------
// 3.11+ location table

/// The entry kinds of the 3.11+ location table, by the 4-bit code in the entry's first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    /// Codes 0–9: same line, one byte of columns.
    Short(u8),
    /// Codes 10–12: line += code − 10, two bytes of columns.
    OneLine(u8),
    /// Code 13: svarint line delta, no columns.
    NoColumns,
    /// Code 14: svarint line delta, varint end-line delta, varint columns stored plus one.
    Long,
    /// Code 15: no location at all.
    None,
}

impl Form {
    fn from_code(code: u8) -> Form {
        match code {
            0..=9 => Form::Short(code),
            10..=12 => Form::OneLine(code),
            13 => Form::NoColumns,
            14 => Form::Long,
            _ => Form::None,
        }
    }
}

/// Reads the bytes after an entry's first byte. Every such byte must exist and have bit 7
/// clear: a set bit 7 marks the start of the next entry, and CPython's line view
/// (`co_lines`) and column view (`co_positions`) would disagree about such a table.
struct EntryReader<'a> {
    table: &'a [u8],
    pos: usize,
    entry_start: usize,
}

impl EntryReader<'_> {
    fn byte(&mut self, what: &str) -> Result<u8, TableError> {
        let Some(&b) = self.table.get(self.pos) else {
            return Err(TableError::new(
                self.entry_start,
                format!("location entry truncated: the table ends before its {what}"),
            ));
        };
        if b & 0x80 != 0 {
            return Err(TableError::new(
                self.pos,
                format!("expected the {what} of a location entry, found 0x{b:02x} (bit 7 set)"),
            ));
        }
        self.pos += 1;
        Ok(b)
    }

    /// Unsigned varint: 6-bit groups, least significant first; 0x40 = more groups follow.
    /// CPython keeps these in a C `unsigned int`, so values past 32 bits are rejected.
    fn varint(&mut self, what: &str) -> Result<u32, TableError> {
        // Most are one byte: neither bit 7 (an error) nor 0x40 (more groups) set.
        if let Some(&b) = self.table.get(self.pos).filter(|&&b| b & 0xc0 == 0) {
            self.pos += 1;
            return Ok(u32::from(b));
        }
        let start = self.pos;
        let mut value: u64 = 0;
        for shift in (0..=30).step_by(6) {
            let b = self.byte(what)?;
            value |= u64::from(b & 63) << shift;
            if b & 0x40 == 0 {
                return u32::try_from(value)
                    .map_err(|_| TableError::new(start, format!("{what} does not fit in 32 bits")));
            }
        }
        Err(TableError::new(start, format!("{what} is longer than 6 bytes")))
    }

    /// Signed varint: the low bit of the unsigned value is the sign.
    fn svarint(&mut self, what: &str) -> Result<i64, TableError> {
        let raw = self.varint(what)?;
        let magnitude = i64::from(raw >> 1);
        Ok(if raw & 1 != 0 { -magnitude } else { magnitude })
    }
}

/// CPython reports its internal "none" value -1 as `None` in `co_positions()` (and in
/// `co_lines()` from 3.12 on), whatever produced it.
fn reported(value: i64) -> Option<i64> {
    (value != -1).then_some(value)
}

fn add_line(line: i64, delta: i64, offset: usize) -> Result<i64, TableError> {
    line.checked_add(delta).ok_or_else(|| TableError::new(offset, "line number overflows 64 bits"))
}

/// Decodes a 3.11+ location table (`co_linetable`) into one [`Location`] per entry.
///
/// This is the single parser of the format; [`position_runs`] and [`lines_from_locations`]
/// derive CPython's two views from its output. The running line starts at `firstlineno`;
/// long-form columns are stored plus one (0 = `None`).
///
/// Malformed input is an error carrying the byte offset in the table: a first byte without
/// bit 7, a later byte with bit 7 set, a varint past 32 bits, or an entry cut off by the end
/// of the table. (CPython itself reads past the end of a truncated table, so there is no
/// behaviour to mirror.) An empty table gives no entries.
pub fn locations_311(table: &[u8], firstlineno: i64) -> Result<Vec<Location>, TableError> {
    // Entries are 1–2 bytes in most tables, so this is rarely outgrown and never far off.
    let mut locations = Vec::with_capacity(table.len() / 2);
    each_location_311(table, firstlineno, |loc| locations.push(loc))?;
    Ok(locations)
}

/// What `dis.findlinestarts` yields in 3.`minor` (11 or later) for a 3.11+ location table:
/// [`line_starts_from_lines`] of [`lines_from_locations`] of [`locations_311`], computed as
/// the entries are read, for listings that need nothing else of the table. (Merging equal
/// lines into one range changes no line start: a start is only yielded where the line
/// differs from the last one yielded.)
pub fn line_starts_311(table: &[u8], firstlineno: i64, minor: u8) -> Result<Vec<(u32, Option<i64>)>, TableError> {
    // Natively only: the browser's module stays small.
    #[cfg(not(target_arch = "wasm32"))]
    {
        let mut starts = LineStarts { starts: Vec::new(), last: None, minor };
        if each_line_311(table, firstlineno, |unit, line| starts.add(unit, line)).is_some() {
            return Ok(starts.starts);
        }
    }
    // Natively only a malformed table gets here: read again to say what is wrong with it.
    let mut starts = LineStarts { starts: Vec::new(), last: None, minor };
    each_location_311(table, firstlineno, |loc| starts.add(loc.start_unit, loc.line))?;
    Ok(starts.starts)
}

/// [`line_starts_311`] as the entries come.
struct LineStarts {
    starts: Vec<(u32, Option<i64>)>,
    /// The line of the last start.
    last: Option<Option<i64>>,
    minor: u8,
}

impl LineStarts {
    fn add(&mut self, unit: u32, line: Option<i64>) {
        let line = if self.minor <= 11 { line.filter(|&l| l >= 0) } else { line };
        if (self.minor > 12 || line.is_some()) && self.last != Some(line) {
            self.starts.push((unit.saturating_mul(2), line));
            self.last = Some(line);
        }
    }
}

/// The lines of [`each_location_311`] alone: each entry's first code unit and line, in
/// table order, by a walk that skips the columns rather than decoding them (the line
/// starts of a listing are a tenth of its work otherwise). `None` for any table that
/// [`each_location_311`] rejects, and possibly for some it accepts, which the caller then
/// reads with it.
#[cfg(not(target_arch = "wasm32"))]
fn each_line_311(table: &[u8], firstlineno: i64, mut each: impl FnMut(u32, Option<i64>)) -> Option<()> {
    /// A byte after the first of an entry: present, bit 7 clear.
    fn byte(table: &[u8], pos: &mut usize) -> Option<u8> {
        let b = *table.get(*pos).filter(|&&b| b & 0x80 == 0)?;
        *pos += 1;
        Some(b)
    }
    /// [`EntryReader::varint`].
    fn varint(table: &[u8], pos: &mut usize) -> Option<u32> {
        let mut value = 0u64;
        for shift in (0..=30).step_by(6) {
            let b = byte(table, pos)?;
            value |= u64::from(b & 63) << shift;
            if b & 0x40 == 0 {
                return u32::try_from(value).ok();
            }
        }
        None
    }
    fn svarint(table: &[u8], pos: &mut usize) -> Option<i64> {
        let raw = varint(table, pos)?;
        let magnitude = i64::from(raw >> 1);
        Some(if raw & 1 != 0 { -magnitude } else { magnitude })
    }
    let mut line = firstlineno;
    let mut unit: u32 = 0;
    let mut pos = 0;
    while let Some(&first) = table.get(pos) {
        if first & 0x80 == 0 {
            return None;
        }
        pos += 1;
        let reported = match (first >> 3) & 15 {
            0..=9 => {
                byte(table, &mut pos)?;
                reported(line)
            }
            code @ 10..=12 => {
                line = line.checked_add(i64::from(code - 10))?;
                byte(table, &mut pos)?;
                byte(table, &mut pos)?;
                reported(line)
            }
            13 => {
                line = line.checked_add(svarint(table, &mut pos)?)?;
                reported(line)
            }
            14 => {
                line = line.checked_add(svarint(table, &mut pos)?)?;
                line.checked_add(i64::from(varint(table, &mut pos)?))?;
                varint(table, &mut pos)?;
                varint(table, &mut pos)?;
                reported(line)
            }
            _ => None,
        };
        each(unit, reported);
        unit = unit.checked_add(u32::from(first & 7) + 1).filter(|&end| end <= u32::MAX / 2)?;
    }
    Some(())
}

/// The parser of [`locations_311`]: hands each entry to `each`, in table order.
fn each_location_311(table: &[u8], firstlineno: i64, mut each: impl FnMut(Location)) -> Result<(), TableError> {
    let mut line = firstlineno;
    let mut unit: u32 = 0;
    let mut pos = 0;
    while pos < table.len() {
        let first = table[pos];
        if first & 0x80 == 0 {
            return Err(TableError::new(
                pos,
                format!("expected the first byte of a location entry (bit 7 set), found 0x{first:02x}"),
            ));
        }
        let length_units = u32::from(first & 7) + 1;
        let mut r = EntryReader { table, pos: pos + 1, entry_start: pos };
        let (loc_line, end_line, col, end_col) = match Form::from_code((first >> 3) & 15) {
            Form::Short(code) => {
                let b = r.byte("column byte")?;
                let col = i64::from(code) * 8 + i64::from((b >> 4) & 7);
                (reported(line), reported(line), Some(col), Some(col + i64::from(b & 15)))
            }
            Form::OneLine(code) => {
                line = add_line(line, i64::from(code - 10), pos)?;
                let col = r.byte("start column")?;
                let end_col = r.byte("end column")?;
                (reported(line), reported(line), Some(i64::from(col)), Some(i64::from(end_col)))
            }
            Form::NoColumns => {
                line = add_line(line, r.svarint("line delta")?, pos)?;
                (reported(line), reported(line), None, None)
            }
            Form::Long => {
                line = add_line(line, r.svarint("line delta")?, pos)?;
                let end_line = add_line(line, i64::from(r.varint("end line delta")?), pos)?;
                let col = i64::from(r.varint("start column")?) - 1;
                let end_col = i64::from(r.varint("end column")?) - 1;
                (reported(line), reported(end_line), reported(col), reported(end_col))
            }
            Form::None => (None, None, None, None),
        };
        // Byte offsets (units * 2) must fit in a u32 for the co_lines() view.
        let end_unit = unit
            .checked_add(length_units)
            .filter(|&end| end <= u32::MAX / 2)
            .ok_or_else(|| TableError::new(pos, "location table covers more than 2^31 code units"))?;
        each(Location { start_unit: unit, length_units, line: loc_line, end_line, col, end_col });
        unit = end_unit;
        pos = r.pos;
    }
    Ok(())
}

/// Decodes PyPy 3.11's `co_linetable` into one [`Location`] per entry, one entry per 2-byte
/// instruction (PyPy 3.11 has no inline caches).
///
/// Each entry is an unsigned LEB128 varint `line - co_firstlineno + 1`, where 0 means no
/// position at all (a 1-byte entry); otherwise a byte `col + 1`, and unless that byte is 0
/// (line only, no columns) a byte `end_col + 1` and a byte `end_line - line`. Measured on
/// every code object of PyPy 3.11.11's fixtures (its `co_positions()`, `co_lines()` and
/// `co_lnotab` agree with this reading).
///
/// Malformed input is an error with the offset in the table: an entry cut off by the end of
/// the table, or a varint past 32 bits.
pub fn locations_pypy(table: &[u8], firstlineno: i64) -> Result<Vec<Location>, TableError> {
    let mut locations = Vec::new();
    let mut pos = 0;
    while pos < table.len() {
        let start = pos;
        let truncated = || TableError::new(start, "position entry truncated by the end of the table");
        let mut delta: u64 = 0;
        let mut shift = 0;
        loop {
            let &b = table.get(pos).ok_or_else(truncated)?;
            pos += 1;
            delta |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 28 {
                return Err(TableError::new(start, "line delta is longer than 5 bytes"));
            }
        }
        let delta = u32::try_from(delta).map_err(|_| TableError::new(start, "line delta does not fit in 32 bits"))?;
        let unit = u32::try_from(locations.len())
            .ok()
            .filter(|&u| u < u32::MAX / 2)
            .ok_or_else(|| TableError::new(start, "position table covers more than 2^31 instructions"))?;
        let mut loc =
            Location { start_unit: unit, length_units: 1, line: None, end_line: None, col: None, end_col: None };
        if delta != 0 {
            let line = add_line(firstlineno, i64::from(delta) - 1, start)?;
            loc.line = Some(line);
            let &col = table.get(pos).ok_or_else(truncated)?;
            pos += 1;
            if col != 0 {
                let (Some(&end_col), Some(&end_delta)) = (table.get(pos), table.get(pos + 1)) else {
                    return Err(truncated());
                };
                pos += 2;
                loc.end_line = Some(add_line(line, i64::from(end_delta), start)?);
                loc.col = Some(i64::from(col) - 1);
                loc.end_col = Some(i64::from(end_col) - 1);
            }
        }
        locations.push(loc);
    }
    Ok(locations)
}

/// What PyPy 3.11's `co_lines()` yields for [`locations_pypy`]'s entries: consecutive
/// instructions with the same line (no line included) merged into one range.
pub fn lines_pypy(locations: &[Location]) -> Vec<LineRange> {
    let mut ranges: Vec<LineRange> = Vec::new();
    for loc in locations {
        let start = loc.start_unit.saturating_mul(2);
        let end = start.saturating_add(2);
        match ranges.last_mut() {
            Some(last) if last.line == loc.line => last.end = end,
            _ => ranges.push(LineRange { start, end, line: loc.line }),
        }
    }
    ranges
}

/// What `co_positions()` yields: each entry's location repeated once per code unit.
///
/// Like CPython, this follows the table, not `co_code`: if the table covers fewer or more
/// units than the code has, so does the result (checked on 3.11–3.13). The output has at
/// most 8 items per entry.
#[cfg(test)]
fn positions(locations: &[Location]) -> Vec<Positions> {
    let mut out = Vec::new();
    for loc in locations {
        let p = Positions { line: loc.line, end_line: loc.end_line, col: loc.col, end_col: loc.end_col };
        out.resize(out.len() + loc.length_units as usize, p);
    }
    out
}

/// `co_positions()` as runs of equal positions: `(code units, position)`, adjacent equal
/// runs merged. The document uses this form because the expanded list repeats each entry
/// once per code unit and would dominate the output.
pub fn position_runs(locations: &[Location]) -> Vec<(u32, Positions)> {
    let mut runs: Vec<(u32, Positions)> = Vec::with_capacity(locations.len());
    for loc in locations {
        let p = Positions { line: loc.line, end_line: loc.end_line, col: loc.col, end_col: loc.end_col };
        match runs.last_mut() {
            Some((n, last)) if *last == p => *n += loc.length_units,
            _ => runs.push((loc.length_units, p)),
        }
    }
    runs
}

/// What `co_lines()` yields in 3.`minor` (11 or later), in byte offsets.
///
/// Checked against 3.11.7, 3.12.1 and 3.13.0:
/// * 3.11 yields one range per table entry, never merged, and reports every line below 0
///   as `None`;
/// * 3.12 and later merge consecutive entries whose line is equal, `None` included, and
///   report only -1 as `None` (so a real line -1 merges with "no line" entries).
pub fn lines_from_locations(locations: &[Location], minor: u8) -> Vec<LineRange> {
    let mut ranges: Vec<LineRange> = Vec::with_capacity(if minor <= 11 { locations.len() } else { 0 });
    for loc in locations {
        // Cannot saturate for locations from locations_311(), which keeps units below 2^31.
        let start = loc.start_unit.saturating_mul(2);
        let end = loc.start_unit.saturating_add(loc.length_units).saturating_mul(2);
        if minor <= 11 {
            ranges.push(LineRange { start, end, line: loc.line.filter(|&l| l >= 0) });
            continue;
        }
        match ranges.last_mut() {
            Some(last) if last.line == loc.line => last.end = end,
            _ => ranges.push(LineRange { start, end, line: loc.line }),
        }
    }
    ranges
}

/// What `dis.findlinestarts` yields in 3.`minor` (10 or later), from `co_lines()` ranges.
///
/// `dis` marks these offsets as line starts in its listing. Checked against each version's
/// `Lib/dis.py` and interpreter:
/// * 3.10–3.12 skip ranges without a line and yield a range when its line differs from the
///   last line *yielded* (a `None` range in between does not reset it);
/// * 3.13 also yields `None` lines: it yields every range whose line differs from the
///   previous range's. (It compares with `is not`; on `co_lines()` output, whose
///   consecutive ranges always differ, that is the same as `!=`.)
pub fn line_starts_from_lines(lines: &[LineRange], minor: u8) -> Vec<(u32, Option<i64>)> {
    let mut starts = Vec::new();
    let mut last: Option<Option<i64>> = None;
    for range in lines {
        if minor <= 12 && range.line.is_none() {
            continue;
        }
        if last != Some(range.line) {
            starts.push((range.start, range.line));
            last = Some(range.line);
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pypy_position_table_entries_and_errors() {
        // No position; line only; full; a 2-byte varint line delta (line 1 + 200 - 1).
        let table = [0, 2, 0, 3, 5, 9, 1, 0xc8, 0x01, 1, 2, 0];
        let locs = locations_pypy(&table, 1).unwrap();
        let got: Vec<_> = locs.iter().map(|l| (l.start_unit, l.line, l.end_line, l.col, l.end_col)).collect();
        assert_eq!(
            got,
            [
                (0, None, None, None, None),
                (1, Some(2), None, None, None),
                (2, Some(3), Some(4), Some(4), Some(8)),
                (3, Some(200), Some(200), Some(0), Some(1)),
            ]
        );
        let lines = lines_pypy(&locs);
        assert_eq!(lines.first(), Some(&LineRange { start: 0, end: 2, line: None }));
        for bad in [&[2][..], &[2, 5, 9], &[0x80], &[0xff, 0xff, 0xff, 0xff, 0xff, 0x01]] {
            assert!(locations_pypy(bad, 1).is_err(), "{bad:?}");
        }
    }
    use serde_json::Value;

    const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/line_table_cases.json");

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    fn opt(v: &Value) -> Option<i64> {
        v.as_i64()
    }

    /// (version string, (major, minor), cases) for every interpreter in the data file.
    fn interpreters() -> Vec<(String, (u8, u8), Vec<Value>)> {
        let text = std::fs::read_to_string(CASES).expect("tests/data/line_table_cases.json");
        let doc: Value = serde_json::from_str(&text).unwrap();
        let mut out = Vec::new();
        for it in doc["interpreters"].as_array().unwrap() {
            let version = it["version"].as_str().unwrap().to_string();
            let mut parts = version.split('.').map(|p| p.parse::<u8>().unwrap());
            let key = (parts.next().unwrap(), parts.next().unwrap());
            out.push((version, key, it["cases"].as_array().unwrap().clone()));
        }
        out
    }

    fn expected_starts(case: &Value) -> Vec<(u32, Option<i64>)> {
        case["starts"].as_array().unwrap().iter().map(|p| (p[0].as_u64().unwrap() as u32, opt(&p[1]))).collect()
    }

    fn expected_lines(case: &Value) -> Vec<LineRange> {
        case["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| LineRange {
                start: t[0].as_u64().unwrap() as u32,
                end: t[1].as_u64().unwrap() as u32,
                line: opt(&t[2]),
            })
            .collect()
    }

    fn expected_positions(case: &Value) -> Vec<Positions> {
        let mut out = Vec::new();
        for run in case["positions"].as_array().unwrap() {
            let p = Positions { line: opt(&run[1]), end_line: opt(&run[2]), col: opt(&run[3]), end_col: opt(&run[4]) };
            out.resize(out.len() + run[0].as_u64().unwrap() as usize, p);
        }
        out
    }

    /// Replays every case the real interpreters reported (tools/gen_line_table_cases.py).
    #[test]
    fn matches_real_interpreters() {
        let mut total = 0;
        for (version, (major, minor), cases) in interpreters() {
            for case in &cases {
                let id = case["id"].as_str().unwrap();
                let first = case["first"].as_i64().unwrap();
                let code_len = case["code_len"].as_u64().unwrap() as usize;
                let want_starts = expected_starts(case);
                if (major, minor) <= (3, 9) {
                    let lnotab = unhex(case["lnotab"].as_str().unwrap());
                    let signed = (major, minor) >= (3, 6);
                    let stop = ((major, minor) >= (3, 8)).then_some(code_len);
                    let got: Vec<(u32, Option<i64>)> = lnotab_line_starts(&lnotab, first, signed, stop)
                        .into_iter()
                        .map(|(a, l)| (a, Some(l)))
                        .collect();
                    assert_eq!(got, want_starts, "{version} {id}: findlinestarts");
                    continue;
                }
                let table = unhex(case["linetable"].as_str().unwrap());
                let lines = if minor == 10 {
                    lines_310(&table, first)
                } else {
                    let locs = locations_311(&table, first).unwrap_or_else(|e| panic!("{version} {id}: {e}"));
                    assert_eq!(positions(&locs), expected_positions(case), "{version} {id}: co_positions");
                    lines_from_locations(&locs, minor)
                };
                assert_eq!(lines, expected_lines(case), "{version} {id}: co_lines");
                if minor >= 11 {
                    let got = line_starts_311(&table, first, minor).unwrap_or_else(|e| panic!("{version} {id}: {e}"));
                    assert_eq!(got, want_starts, "{version} {id}: line_starts_311");
                }
                assert_eq!(line_starts_from_lines(&lines, minor), want_starts, "{version} {id}: findlinestarts");
            }
            println!("lines: {version}: {} code objects compared", cases.len());
            total += cases.len();
        }
        assert!(total > 0);
    }

    #[test]
    fn lnotab_worked_examples() {
        // pyc-format.md §7.1 (3.8 and 2.7 versions of one function, firstlineno 2).
        let got = lnotab_line_starts(&unhex("0001040 10c010a01".replace(' ', "").as_str()), 2, true, None);
        assert_eq!(got, vec![(0, 3), (4, 4), (16, 5), (26, 6)]);
        let got = lnotab_line_starts(&unhex("0001060113010e01"), 2, false, None);
        assert_eq!(got, vec![(0, 3), (6, 4), (25, 5), (39, 6)]);
        assert_eq!(lnotab_line_starts(&[], 7, true, Some(0)), vec![(0, 7)]);
    }

    #[test]
    fn linetable_310_edges() {
        assert_eq!(lines_310(&[], 1), vec![]);
        // Trailing zero-length pairs (where CPython reads past the table) are dropped.
        assert_eq!(lines_310(&[4, 1, 0, 1], 1), vec![LineRange { start: 0, end: 4, line: Some(2) }]);
        let many = vec![0xff; 10_000];
        assert_eq!(lines_310(&many, 0).len(), 5_000);
    }

    #[test]
    fn location_table_errors() {
        let cases: &[(&[u8], usize, &str)] = &[
            (&[0x00], 0, "first byte"),                  // no start bit
            (&[0x80], 0, "truncated"),                   // short form without its column byte
            (&[0x80, 0x81], 1, "bit 7"),                 // column byte looks like an entry start
            (&[0xd0, 0x01], 0, "truncated"),             // one-line form missing the end column
            (&[0xe8], 0, "truncated"),                   // no-columns form without its delta
            (&[0xe8, 0x40], 0, "truncated"),             // varint continues past the end
            (&[0xf0, 0x02, 0x00, 0x01], 0, "truncated"), // long form missing the end column
            (&[0xe8, 0x40, 0x40, 0x40, 0x40, 0x40, 0x40, 0x01], 1, "longer than 6 bytes"),
            (&[0xe8, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x3f], 1, "32 bits"),
            (&[0xf8, 0x00], 1, "first byte"), // extra byte after a code-15 entry
            (&[0x80, 0x00, 0xe8, 0x00, 0x05], 4, "first byte"), // extra byte after an entry
        ];
        for &(table, offset, needle) in cases {
            let err = locations_311(table, 1).expect_err(&format!("{table:02x?} should fail"));
            assert_eq!(err.offset, offset, "{table:02x?}: {err}");
            assert!(err.message.contains(needle), "{table:02x?}: {err}");
        }
        assert_eq!(locations_311(&[], 1), Ok(vec![]));
    }

    #[test]
    fn location_table_bounds() {
        // Every byte a code-15 entry of 8 units: the largest output per input byte.
        let table = vec![0xff; 4096];
        let locs = locations_311(&table, 1).unwrap();
        assert_eq!(positions(&locs).len(), 8 * 4096);
        assert_eq!(lines_from_locations(&locs, 12), vec![LineRange { start: 0, end: 65536, line: None }]);
        assert_eq!(line_starts_from_lines(&lines_from_locations(&locs, 13), 13), vec![(0, None)]);
        assert_eq!(line_starts_from_lines(&lines_from_locations(&locs, 12), 12), vec![]);
        // Largest line delta and the most negative one stay exact in i64.
        let up = locations_311(&[0xe8, 0x7e, 0x7f, 0x7f, 0x7f, 0x7f, 0x03], 0).unwrap();
        assert_eq!(up[0].line, Some(i64::from(u32::MAX >> 1)));
        let down = locations_311(&[0xe8, 0x7f, 0x7f, 0x7f, 0x7f, 0x7f, 0x03], 0).unwrap();
        assert_eq!(down[0].line, Some(-i64::from(u32::MAX >> 1)));
    }

    /// Arbitrary bytes through every decoder: errors are fine, panics (overflow included,
    /// since tests run with debug assertions) are not.
    #[test]
    fn random_tables_never_panic() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..20_000 {
            let len = (next() % 48) as usize;
            let mut table: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            if round % 2 == 1 {
                // Bit 7 mostly clear, as in a well-formed 3.11+ location table, whose
                // line starts take the fast walk.
                for b in &mut table {
                    *b = if next() % 3 == 0 { *b | 0x80 } else { *b & 0x7f };
                }
            }
            let first = [0, 1, -1, i64::from(i32::MAX), i64::from(i32::MIN)][round % 5];
            lnotab_line_starts(&table, first, round % 2 == 0, Some(len));
            let lines = lines_310(&table, first);
            line_starts_from_lines(&lines, 10);
            let locs = locations_311(&table, first);
            if let Ok(locs) = &locs {
                assert!(positions(locs).len() <= 8 * len);
            }
            for minor in [11, 12, 13] {
                // The streamed line starts are the composed views', errors included.
                let composed =
                    locs.clone().map(|locs| line_starts_from_lines(&lines_from_locations(&locs, minor), minor));
                assert_eq!(line_starts_311(&table, first, minor), composed, "{table:02x?} as 3.{minor}");
            }
        }
    }
}
