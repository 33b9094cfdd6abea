//! `pyclens dis`: the text `dis.dis(module_code)` prints, for the version that wrote the file.
//!
//! People compare what they see with what CPython shows them, so the listing matches each
//! version's `dis` to the character: 2.7's `print`-statement layout (also used for 1.0–2.6
//! and 3.0–3.3, whose `dis` printed the same fields), the 3.4–3.12 columns
//! (with widths that grow for long files from 3.7 on), 3.13+'s labels, the
//! `ExceptionTable:` block (3.11+) and the recursion into nested code objects (3.7+; 2.7 and
//! 3.6 print the module only). Code objects show their file offset where CPython shows a
//! memory address. The version differences are collected in [`Style`], one value per
//! version, the way `dis.py` itself is parametrised; the instructions come from
//! [`crate::bytecode::disasm`].

use crate::bytecode::disasm::{Arg, Disassembler, Disassembly, Instruction};
use crate::bytecode::exceptions::ExceptionEntry;
use crate::bytecode::opcodes::OpcodeTable;
use crate::bytecode::tables::{self, Tables};
#[cfg(not(target_arch = "wasm32"))]
use crate::output::tails::{self, Rendered, Tails};
use crate::pyc::code::{Code, Field};
use crate::pyc::object::{ObjId, Value};
use crate::pyc::version::PyVersion;
use crate::values::constants::Reprs;
use crate::Pyc;
#[cfg(not(target_arch = "wasm32"))]
use std::cell::RefCell;
use std::fmt::Write as _;
use std::io::{self, Write};

/// The options of `python -m dis` that pyclens mirrors.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DisOptions {
    /// `--show-caches` (3.11+): a `CACHE` line for every inline cache unit.
    pub show_caches: bool,
    /// `--show-offsets` (3.13+): an offset column (3.13+ hide offsets by default).
    pub show_offsets: bool,
}

/// How one version lays out its listing (the knobs `dis.py` turned between releases).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Layout {
    /// 2.7: `print` statements with trailing spaces, `L` suffixes after EXTENDED_ARG (2.x
    /// only). Also for 1.0–2.6 and 3.0–3.3, laid out as 2.7 does.
    Py27,
    /// 3.4–3.12: `Instruction._disassemble` columns, offsets, `>>` on jump targets.
    Columns,
    /// 3.13+: `Formatter`: labels instead of `>>`, offsets only on request.
    Labels,
}

/// The per-version parameters of the listing.
#[derive(Debug, Clone, Copy)]
struct Style {
    layout: Layout,
    /// 3.7+: nested code objects follow, each under "Disassembly of <code object …>:".
    recursive: bool,
    /// 3.7+: the line and offset columns widen for lines ≥ 1000 and offsets ≥ 10000.
    growing_columns: bool,
    /// 3.10+: no line column at all when the code has no line starts.
    line_column_optional: bool,
    /// 3.11+: exception handlers are jump targets and the table is printed.
    exception_table: bool,
    /// 3.12+: the first CACHE unit of each cache field shows `name: value` (3.11 only
    /// for specialised instructions, which a `.pyc` never holds).
    named_caches: bool,
    /// 3.14+: each cache field's value is read from its own units (3.13 reads every field
    /// from the first cache unit).
    cache_fields_advance: bool,
}

fn style(v: PyVersion) -> Style {
    let at = |minor| v.at_least(3, minor);
    Style {
        layout: if !v.at_least(3, 4) {
            Layout::Py27
        } else if at(13) {
            Layout::Labels
        } else {
            Layout::Columns
        },
        recursive: at(7),
        growing_columns: at(7),
        line_column_optional: at(10),
        exception_table: at(11),
        named_caches: at(12),
        cache_fields_advance: at(14),
    }
}

/// Why no listing can be produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DisError(pub String);

impl std::fmt::Display for DisError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Checks that the file's version has an opcode table and the options requested.
pub fn check(pyc: &Pyc, opts: DisOptions) -> Result<(), DisError> {
    let v = pyc.version();
    if Disassembler::new(&pyc.objects, v, pyc.header.magic.implementation).is_none() {
        let which = pyc.header.magic.implementation.name();
        return Err(DisError(format!("no opcode table for {which} {v} (`pyclens versions` lists those it has)")));
    }
    // Options follow the bytecode, not the language: PyPy 3.11's is 3.10-style, no caches.
    let b = pyc.header.magic.bytecode_version();
    let this = if b == v { v.to_string() } else { format!("{v} with {b}-style bytecode") };
    if opts.show_caches && !b.at_least(3, 11) {
        return Err(DisError(format!("--show-caches needs a 3.11+ file; this one is {this}")));
    }
    if opts.show_offsets && !b.at_least(3, 13) {
        return Err(DisError(format!(
            "--show-offsets needs a 3.13+ file; this one is {this} (offsets are always shown)"
        )));
    }
    if !matches!(pyc.objects.get(pyc.root).value, Value::Code(_)) {
        return Err(DisError("the object after the header is not a code object".into()));
    }
    Ok(())
}

/// The whole listing as a string (tests, the web page, and the CLI's many files, which are
/// already shared out one file per core), written by this thread alone.
pub fn dis_text(pyc: &Pyc, opts: DisOptions) -> Result<String, DisError> {
    let mut out = Vec::new();
    write_listing(pyc, &mut out, opts, 0).map_err(|e| DisError(e.to_string()))?;
    Ok(String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Code objects listed per distinct code object, beyond which repeats (a crafted file can
/// reference one code object from many constants) are cut with a note.
const REPEATS_PER_CODE: usize = 4;
const REPEATS_MIN: usize = 1000;

/// Writes the listing of `pyc` to `out`, as `dis.dis(module_code)` prints it: natively, with
/// the code objects after the first listed on the other cores too (see
/// [`crate::output::tails`]; the listing is the same).
pub fn write_dis<W: Write>(pyc: &Pyc, out: W, opts: DisOptions) -> io::Result<()> {
    #[cfg(not(target_arch = "wasm32"))]
    let workers = tails::workers();
    #[cfg(target_arch = "wasm32")]
    let workers = 0;
    write_listing(pyc, out, opts, workers)
}

/// [`write_dis`] with `workers` threads listing ahead of this one (none in the browser).
#[cfg_attr(target_arch = "wasm32", allow(unused_variables))]
fn write_listing<W: Write>(pyc: &Pyc, mut out: W, opts: DisOptions, workers: usize) -> io::Result<()> {
    check(pyc, opts).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e.0))?;
    let Some(lister) = Lister::new(pyc, opts) else { return Ok(()) };
    let (order, cut) = listing_order(pyc, lister.style.recursive);
    let mut text = Text { buf: String::with_capacity(2 * FLUSH_AT), flush_at: FLUSH_AT, sink: &mut out, error: None };
    let mut scratch = Disassembly::default();
    // Each code object's lines, by this thread (`None`) or as another thread rendered them.
    let mut list = |k: usize, rendered: Option<String>, text: &mut Text| {
        let (id, nested) = order[k];
        let Value::Code(code) = &pyc.objects.resolve(id).value else { return };
        if nested {
            text.push_str("\nDisassembly of ");
            lister.reprs.push_repr(id, text);
            text.push_str(":\n");
        }
        match rendered {
            Some(lines) => {
                text.push_str(&lines);
                text.flush_if_full();
            }
            None => lister.code(code, &mut scratch, text),
        }
    };
    #[cfg(not(target_arch = "wasm32"))]
    if workers > 0 && order.len() > 1 {
        let tails = Tails::new(pyc, order.iter().map(|&(id, _)| id).collect());
        let render = |l: &(Lister, RefCell<Disassembly>), id| l.0.render(id, &mut l.1.borrow_mut(), &tails);
        let make = || Lister::new(pyc, opts).map(|l| (l, RefCell::new(Disassembly::default())));
        tails.share(
            workers,
            make,
            |l, id| l.as_ref().and_then(|l| render(l, id)),
            || {
                let helper = make();
                for k in 0..order.len() {
                    let rendered = tails.take_at(k, |id| helper.as_ref().and_then(|l| render(l, id)));
                    list(k, rendered.map(|r| r.out), &mut text);
                    if text.error.is_some() {
                        return;
                    }
                }
            },
        );
        return finish(text, cut);
    }
    for k in 0..order.len() {
        list(k, None, &mut text);
        if text.error.is_some() {
            break;
        }
    }
    finish(text, cut)
}

fn finish(mut text: Text, cut: bool) -> io::Result<()> {
    if cut && text.error.is_none() {
        text.push_str(
            "\n(pyclens: listing cut: the file's constants repeat code objects far more often than real files do)\n",
        );
    }
    text.finish()
}

/// The code objects `dis.dis(module_code)` lists, in its order (each constant that is a
/// code object after its parent, recursively, when the version's dis recurses), and whether
/// the list was cut: a crafted file can name one code object from many constants.
fn listing_order(pyc: &Pyc, recursive: bool) -> (Vec<(ObjId, bool)>, bool) {
    let mut order = Vec::new();
    // Pre-order walk with an explicit stack (nesting depth is the file's to choose).
    let mut stack = vec![(pyc.root, false)];
    // Counting the code objects walks the whole tree: only done once the listing is long.
    let mut budget = REPEATS_MIN;
    while let Some((id, nested)) = stack.pop() {
        let Value::Code(code) = &pyc.objects.resolve(id).value else { continue };
        if order.len() == REPEATS_MIN {
            budget += REPEATS_PER_CODE * pyc.code_objects().len();
        }
        if order.len() == budget {
            return (order, true);
        }
        order.push((id, nested));
        if recursive {
            let consts = code.object(Field::Consts).and_then(|c| pyc.objects.seq(c)).unwrap_or(&[]);
            for &c in consts.iter().rev() {
                if matches!(pyc.objects.resolve(c).value, Value::Code(_)) {
                    stack.push((c, true));
                }
            }
        }
    }
    (order, false)
}

/// How much text gathers before it is written.
const FLUSH_AT: usize = 1 << 16;

/// The listing on its way out: lines gather in `buf`, which goes to `sink` whenever it passes
/// [`FLUSH_AT`] bytes, so even a module of a million instructions never sits whole in memory.
/// It reads as the `String` it gathers in.
struct Text<'w> {
    buf: String,
    /// `buf` goes to `sink` once it passes this size.
    flush_at: usize,
    sink: &'w mut dyn Write,
    /// The first write error (a reader that went away); nothing is written after it.
    error: Option<io::Error>,
}

impl Text<'_> {
    /// Writes the gathered text once there is enough of it; called after each line.
    fn flush_if_full(&mut self) {
        if self.buf.len() >= self.flush_at {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if self.error.is_none() {
            self.error = self.sink.write_all(self.buf.as_bytes()).err();
        }
        self.buf.clear();
    }

    /// Writes what is left and reports the first error.
    fn finish(mut self) -> io::Result<()> {
        self.flush();
        self.error.map_or(Ok(()), Err)
    }
}

impl std::ops::Deref for Text<'_> {
    type Target = String;
    fn deref(&self) -> &String {
        &self.buf
    }
}

impl std::ops::DerefMut for Text<'_> {
    fn deref_mut(&mut self) -> &mut String {
        &mut self.buf
    }
}

struct Lister<'p, 'a> {
    pyc: &'p Pyc<'a>,
    dis: Disassembler<'p, 'a>,
    reprs: Reprs<'p, 'a>,
    style: Style,
    opts: DisOptions,
    /// Each opcode's name padded to `OPNAME_WIDTH`, as every instruction line prints it,
    /// and the length of the name alone (what a line without an argument ends with).
    opnames: Vec<(String, usize)>,
}

fn padded_opname(dis: &Disassembler, op: u8) -> (String, usize) {
    let mut name = String::new();
    dis.opname_into(op, &mut name);
    let len = name.len();
    spaces(&mut name, OPNAME_WIDTH.saturating_sub(len));
    (name, len)
}

/// Column widths of one code object's listing.
struct Widths {
    lineno: usize,
    offset: usize,
    label: usize,
}

fn digits(v: i64) -> usize {
    itoa::Buffer::new().format(v).len()
}

fn pad_left(out: &mut String, text: &str, width: usize) {
    spaces(out, width.saturating_sub(text.len()));
    out.push_str(text);
}

fn pad_right(out: &mut String, text: &str, width: usize) {
    out.push_str(text);
    spaces(out, width.saturating_sub(text.len()));
}

/// Runs of spaces are copied from here, a slice at a time.
const SPACES: &str = "                                                                ";

fn spaces(out: &mut String, mut n: usize) {
    while n > 0 {
        let run = n.min(SPACES.len());
        out.push_str(&SPACES[..run]);
        n -= run;
    }
}

/// Ends the line that began at `start` of `out` as `print(line.rstrip())` would: without
/// its trailing whitespace, with a newline.
#[inline]
fn end_line(out: &mut String, start: usize) {
    // Most lines end in a printable ASCII character: nothing to strip.
    if !out.as_bytes().last().is_some_and(u8::is_ascii_graphic) {
        strip_end(out, start);
    }
    out.push('\n');
}

#[inline(never)]
fn strip_end(out: &mut String, start: usize) {
    let kept = out.get(start..).map_or(0, |line| line.trim_end().len());
    out.truncate(start + kept);
}

/// `v` right-aligned in `width` columns.
#[inline]
fn pad_int(out: &mut String, v: i64, width: usize) {
    match small_padded(v, width) {
        Some(text) => out.push_str(text),
        None => pad_formatted(out, v, width),
    }
}

#[inline(never)]
fn pad_formatted(out: &mut String, v: i64, width: usize) {
    pad_left(out, itoa::Buffer::new().format(v), width);
}

/// How many small numbers [`numbers`] holds, and the columns each takes there.
const NUMBERS: usize = 10_000;
const NUMBER_WIDTH: usize = 20;

/// 0 to 9,999, each right-aligned in 20 columns, one after another. The line numbers,
/// offsets and arguments of nearly every line are copied from here (an entry's tail is its
/// number right-aligned in any width from its digits to 20) rather than formatted and padded
/// one by one, which was a tenth of a listing's instructions. Built at the first listing.
fn numbers() -> &'static str {
    static TABLE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut table = String::with_capacity(NUMBERS * NUMBER_WIDTH);
        for n in 0..NUMBERS {
            pad_left(&mut table, itoa::Buffer::new().format(n), NUMBER_WIDTH);
        }
        table
    })
}

/// `v` right-aligned in `width` columns, from [`numbers`], when it is there.
fn small_padded(v: i64, width: usize) -> Option<&'static str> {
    let n = usize::try_from(v).ok().filter(|&n| n < NUMBERS)?;
    let digits = 1 + usize::from(n >= 10) + usize::from(n >= 100) + usize::from(n >= 1000);
    let shown = width.max(digits);
    let end = (n + 1) * NUMBER_WIDTH;
    (shown <= NUMBER_WIDTH).then(|| numbers().get(end - shown..end)).flatten()
}

/// What dis prints for a line start without a line number (3.13+).
const NO_LINENO: &str = "  --";
/// `_OPNAME_WIDTH` and `_OPARG_WIDTH` of dis.py (3.7+; the same literals in 2.7 and 3.6).
const OPNAME_WIDTH: usize = 20;
const OPARG_WIDTH: usize = 5;

impl<'p, 'a> Lister<'p, 'a> {
    /// The lister of `pyc` (`None` without an opcode table for its version).
    fn new(pyc: &'p Pyc<'a>, opts: DisOptions) -> Option<Self> {
        let version = pyc.version();
        let implementation = pyc.header.magic.implementation;
        let dis = Disassembler::new(&pyc.objects, version, implementation)?;
        let reprs = Reprs::new(&pyc.objects, version, implementation, pyc.data.len());
        let opnames = (0..=u8::MAX).map(|op| padded_opname(&dis, op)).collect();
        Some(Lister { pyc, style: style(dis.version()), dis, reprs, opts, opnames })
    }

    /// Another thread's listing of code object `id` (see [`crate::output::tails`]), within
    /// its share of the repr budget; `None` leaves it to the writer (a large code object,
    /// or one whose reprs ran out of budget).
    #[cfg(not(target_arch = "wasm32"))]
    fn render(&self, id: ObjId, d: &mut Disassembly, tails: &Tails<String>) -> Option<Rendered<String>> {
        let node = self.pyc.objects.resolve(id);
        let Value::Code(code) = &node.value else { return None };
        if self.code_bytes(code).len() > tails::LARGE_CODE {
            return None;
        }
        // Reprs memoised by earlier listings stay: they are whole (a cut one is forgotten).
        tails.within_budget(&self.reprs, node.span, false, || {
            let mut sink = io::sink();
            // Kept whole: a code object under LARGE_CODE lists in well under a megabyte.
            let mut text = Text { buf: String::new(), flush_at: usize::MAX, sink: &mut sink, error: None };
            self.code(code, d, &mut text);
            Some(Rendered { size: text.buf.len(), out: std::mem::take(&mut text.buf), diagnostics: Vec::new() })
        })
    }

    /// Lists one code object; `d` is a buffer reused from one code object to the next.
    fn code(&self, code: &Code, d: &mut Disassembly, out: &mut Text) {
        let pyc = self.pyc;
        let t = tables::derive_for_listing(&pyc.objects, code, &pyc.header.magic);
        self.dis.listing_into(code, &t, d);
        match self.style.layout {
            Layout::Py27 => self.py27(d, &t, out),
            Layout::Columns => self.columns(code, d, &t, out),
            Layout::Labels => self.labels(code, d, &t, out),
        }
    }

    fn code_bytes(&self, code: &Code) -> &[u8] {
        code.object(Field::Code).and_then(|id| self.pyc.objects.str_bytes(id)).unwrap_or(&[])
    }

    /// The opname padded to `OPNAME_WIDTH`; returns how far a longer name runs past it.
    fn opname(&self, op: u8, out: &mut String) -> usize {
        let (name, _) = &self.opnames[op as usize];
        out.push_str(name);
        name.len().saturating_sub(OPNAME_WIDTH)
    }

    /// The opname and argument columns of a line that strips its trailing spaces: an
    /// instruction without an argument shows its opname without the padding, which the
    /// line would only strip again. With `labels` (3.13+), a long opname overflows into the
    /// argument column.
    fn opname_and_argument(&self, ins: &Instruction, labels: Option<&[i64]>, out: &mut String) {
        if ins.arg.is_none() {
            let (name, len) = &self.opnames[ins.opcode as usize];
            out.push_str(name.get(..*len).unwrap_or(name));
            return;
        }
        let excess = self.opname(ins.opcode, out);
        self.argument(ins, if labels.is_some() { excess } else { 0 }, labels, out);
    }

    /// 2.7's `disassemble`: each field is a `print x,` item (so separated by one space and
    /// never stripped); a line start prints its line number after a blank line. 3.0–3.3
    /// print the same fields with `print(x, end=' ')`. 1.0–2.2
    /// line starts are their SET_LINENO instructions ([`crate::bytecode::tables`]).
    fn py27(&self, d: &Disassembly, t: &Tables, out: &mut Text) {
        let mut arg_text = String::new();
        let mut starts = t.linestarts.iter().peekable();
        let mut after_prefix = false;
        for ins in &d.instructions {
            while starts.next_if(|s| s.0 < ins.offset).is_some() {}
            match starts.peek() {
                Some(&&(offset, Some(line))) if offset == ins.offset => {
                    if ins.offset > 0 {
                        out.push('\n');
                    }
                    pad_int(out, line, 3);
                }
                _ => out.push_str("   "),
            }
            out.push_str("     ");
            out.push_str(if d.targets.binary_search(&i64::from(ins.offset)).is_ok() { ">>" } else { "  " });
            out.push(' ');
            pad_int(out, i64::from(ins.offset), 4);
            out.push(' ');
            self.opname(ins.opcode, out);
            if let Some(arg) = ins.arg {
                // After EXTENDED_ARG a 2.x argument is a Python long: repr adds "L".
                let long = if after_prefix && self.pyc.version().major == 2 { "L" } else { "" };
                out.push(' ');
                arg_text.clear();
                arg_text.push_str(itoa::Buffer::new().format(arg));
                arg_text.push_str(long);
                pad_left(out, &arg_text, OPARG_WIDTH);
                let shown = match ins.resolved {
                    Arg::Jump { target, .. } => {
                        arg_text.clear();
                        arg_text.push_str("to ");
                        arg_text.push_str(itoa::Buffer::new().format(target));
                        arg_text.push_str(long);
                        true
                    }
                    Arg::Const(_) | Arg::Name(..) | Arg::Compare { .. } | Arg::OutOfRange | Arg::CallCounts => {
                        arg_text.clear();
                        self.dis.argrepr_into(&self.reprs, ins, None, &mut arg_text);
                        true
                    }
                    _ => false,
                };
                if shown {
                    out.push_str(" (");
                    out.push_str(&arg_text);
                    out.push(')');
                }
                after_prefix = Some(ins.opcode) == self.dis.table().extended_arg_op();
            }
            // 3.0–3.3 print each field with `end=' '`, so their lines end in a space (2.x's
            // `print x,` only puts spaces between fields).
            out.push_str(if self.pyc.version().major == 3 { " \n" } else { "\n" });
            out.flush_if_full();
        }
    }

    /// 3.6–3.12: `_disassemble_bytes` with `Instruction._disassemble` lines.
    fn columns(&self, code: &Code, d: &Disassembly, t: &Tables, out: &mut Text) {
        let s = self.style;
        let show_lineno = !(s.line_column_optional && t.linestarts.is_empty());
        let max_line = t.linestarts.iter().filter_map(|&(_, l)| l).max().unwrap_or(0);
        let lineno = match (show_lineno, s.growing_columns) {
            (false, _) => 0,
            (true, true) if max_line >= 1000 => digits(max_line),
            (true, _) => 3,
        };
        let max_offset = d.code_len as i64 - 2;
        let offset = if s.growing_columns && max_offset >= 10000 { digits(max_offset) } else { 4 };
        let w = Widths { lineno, offset, label: 0 };
        let entries = self.exception_entries(t);
        // 3.11+ dis (not get_instructions) also marks exception handlers with ">>".
        let mut targets = d.targets.clone();
        if s.exception_table {
            targets.extend(entries.iter().filter(|e| e.start < e.end).map(|e| i64::from(e.target)));
            targets.sort_unstable();
            targets.dedup();
        }
        let bytes = self.code_bytes(code);
        // The offsets that fit their column (all but in crafted code).
        let offset_limit = 10i64.checked_pow(w.offset as u32).unwrap_or(i64::MAX);
        let mut starts = t.linestarts.iter().peekable();
        // Both are sorted, as the instructions are: each is walked once.
        let mut targets = targets.iter().peekable();
        for ins in &d.instructions {
            let offset = i64::from(ins.offset);
            while starts.next_if(|s| s.0 < ins.offset).is_some() {}
            let start = starts.peek().filter(|s| s.0 == ins.offset).and_then(|s| s.1);
            if show_lineno && start.is_some() && ins.offset > 0 {
                out.push('\n');
            }
            let line_at = out.len();
            while targets.next_if(|&&t| t < offset).is_some() {}
            let target = targets.peek() == Some(&&offset);
            // Most lines start no line and are no jump target: the offset, padded with
            // the blank columns before it, is one copy.
            let blank = if w.lineno == 0 { 4 } else { w.lineno + 5 };
            match (start, target) {
                (None, false) if offset < offset_limit && blank + 3 + w.offset <= NUMBER_WIDTH => {
                    pad_int(out, offset, blank + 3 + w.offset)
                }
                (None, _) => {
                    spaces(out, blank);
                    out.push_str(if target { ">> " } else { "   " });
                    pad_int(out, offset, w.offset);
                }
                (Some(l), _) => {
                    match w.lineno {
                        0 => out.push_str("    "),
                        width => {
                            pad_int(out, l, width);
                            out.push_str("     ");
                        }
                    }
                    out.push_str(if target { ">> " } else { "   " });
                    pad_int(out, offset, w.offset);
                }
            }
            out.push(' ');
            self.opname_and_argument(ins, None, out);
            end_line(out, line_at);
            if self.opts.show_caches {
                self.cache_lines(ins, bytes, &w, out);
            }
            out.flush_if_full();
        }
        if s.exception_table && !entries.is_empty() {
            out.push_str("ExceptionTable:\n");
            let graal = self.pyc.header.magic.implementation == crate::pyc::version::Implementation::GraalPy;
            for e in &entries {
                // dis prints the last code unit of the range; GraalPy's instructions vary in
                // length, so its range ends at the last instruction that starts inside it.
                let last = match graal {
                    true => d.instructions.iter().take_while(|i| i.offset < e.end).last().map(|i| i64::from(i.offset)),
                    false => None,
                };
                let last = last.unwrap_or(i64::from(e.end) - 2);
                let _ = write!(out, "  {} to {} -> {} [{}]", e.start, last, e.target, e.depth);
                out.push_str(if e.lasti { " lasti\n" } else { "\n" });
            }
        }
    }

    /// 3.13+: `Formatter.print_instruction` lines with labels.
    fn labels(&self, code: &Code, d: &Disassembly, t: &Tables, out: &mut Text) {
        let entries = self.exception_entries(t);
        let mut labels = d.targets.clone();
        for e in &entries {
            labels.extend([i64::from(e.start), i64::from(e.end), i64::from(e.target)]);
        }
        labels.sort_unstable();
        labels.dedup();
        let w = Widths {
            lineno: lineno_width_313(&t.linestarts),
            offset: if self.opts.show_offsets { digits((d.code_len as i64 - 2).max(9999)) } else { 0 },
            label: 4 + digits(labels.len() as i64),
        };
        let bytes = self.code_bytes(code);
        let mut scratch = String::new();
        for ins in &d.instructions {
            if w.lineno > 0 && ins.starts_line && ins.offset > 0 {
                out.push('\n');
            }
            let line_at = out.len();
            if w.lineno > 0 {
                match (ins.starts_line, ins.line) {
                    (true, Some(l)) => pad_int(out, l, w.lineno),
                    (true, None) => pad_left(out, NO_LINENO, w.lineno),
                    (false, _) => spaces(out, w.lineno),
                }
                out.push(' ');
            }
            match labels.binary_search(&i64::from(ins.offset)) {
                Ok(k) => {
                    scratch.clear();
                    let _ = write!(scratch, "L{}:", k + 1);
                    pad_left(out, &scratch, w.label);
                }
                Err(_) => spaces(out, w.label),
            }
            out.push(' ');
            if w.offset > 0 {
                pad_int(out, i64::from(ins.offset), w.offset);
                out.push_str("   ");
            }
            out.push_str("    ");
            self.opname_and_argument(ins, Some(&labels), out);
            end_line(out, line_at);
            if self.opts.show_caches {
                self.cache_lines(ins, bytes, &w, out);
            }
            out.flush_if_full();
        }
        if !entries.is_empty() {
            out.push_str("ExceptionTable:\n");
            for e in &entries {
                let label = |offset: u32| labels.binary_search(&i64::from(offset)).map_or(0, |k| k + 1);
                let _ = write!(out, "  L{} to L{} -> L{} [{}]", label(e.start), label(e.end), label(e.target), e.depth);
                out.push_str(if e.lasti { " lasti\n" } else { "\n" });
            }
        }
    }

    /// The argument column and `(argrepr)` of one line, when the instruction has an
    /// argument; `excess` is how far a long opname already ran into the column.
    fn argument(&self, ins: &Instruction, excess: usize, labels: Option<&[i64]>, line: &mut String) {
        let Some(arg) = ins.arg else { return };
        // A space, then the argument padded: one copy from the table when it fits there.
        let width = OPARG_WIDTH.saturating_sub(excess);
        match small_padded(arg, width + 1).filter(|text| text.starts_with(' ')) {
            Some(text) => line.push_str(text),
            None => {
                line.push(' ');
                pad_int(line, arg, width);
            }
        }
        line.push_str(" (");
        let start = line.len();
        self.dis.argrepr_into(&self.reprs, ins, labels, line);
        if line.len() == start {
            line.truncate(start - 2);
        } else {
            line.push(')');
        }
    }

    fn exception_entries(&self, t: &Tables) -> Vec<ExceptionEntry> {
        if self.style.exception_table {
            t.exception_table.clone().unwrap_or_default()
        } else {
            Vec::new()
        }
    }

    /// `--show-caches`: one `CACHE` line per inline cache unit; the first unit of each
    /// cache field shows the field's name and value.
    fn cache_lines(&self, ins: &Instruction, code: &[u8], w: &Widths, out: &mut Text) {
        let table: &OpcodeTable = self.dis.table();
        let s = self.style;
        let specialised = !table.is_base(ins.opcode);
        let mut offset = ins.offset as usize;
        let mut field_at = ins.offset as usize;
        let mut line = String::new();
        for &(name, size) in table.cache_fields(ins.opcode) {
            for i in 0..size as usize {
                offset += 2;
                line.clear();
                if s.layout == Layout::Labels {
                    if w.lineno > 0 {
                        spaces(&mut line, w.lineno + 1);
                    }
                    spaces(&mut line, w.label + 1);
                    if w.offset > 0 {
                        pad_int(&mut line, offset as i64, w.offset);
                        line.push_str("   ");
                    }
                    line.push_str("    ");
                } else {
                    if w.lineno > 0 {
                        spaces(&mut line, w.lineno + 1);
                    }
                    line.push_str("       ");
                    pad_int(&mut line, offset as i64, w.offset);
                    line.push(' ');
                }
                pad_right(&mut line, "CACHE", OPNAME_WIDTH);
                line.push(' ');
                pad_left(&mut line, "0", OPARG_WIDTH);
                if i == 0 && (s.named_caches || specialised) {
                    // 3.11/3.12 read the field from the unit just reached, 3.13 from the
                    // first cache unit, 3.14+ from the field's own units.
                    let at = match s.layout {
                        Layout::Labels if s.cache_fields_advance => field_at + 2,
                        Layout::Labels => ins.offset as usize + 2,
                        _ => offset,
                    };
                    let data = code.get(at.min(code.len())..(at + 2 * size as usize).min(code.len())).unwrap_or(&[]);
                    let _ = write!(line, " ({}: {})", name, little_endian(data));
                }
                out.push_str(line.trim_end());
                out.push('\n');
            }
            field_at += 2 * size as usize;
        }
    }
}

/// `int.from_bytes(data, "little")`, exactly (fields are at most 4 units, 8 bytes).
fn little_endian(data: &[u8]) -> u128 {
    data.iter().rev().fold(0u128, |acc, &b| (acc << 8) | u128::from(b))
}

/// 3.13+'s `_get_lineno_width`: at least 3 digits, 4 when a line start has no line; no
/// column when no line start has a nonzero line (`filter(None, ...)` also drops 0) or the
/// largest is -1.
fn lineno_width_313(starts: &[(u32, Option<i64>)]) -> usize {
    let max = starts.iter().filter_map(|&(_, l)| l).filter(|&l| l != 0).max().unwrap_or(-1);
    if max == -1 {
        return 0;
    }
    let width = digits(max).max(3);
    if width < NO_LINENO.len() && starts.iter().any(|s| s.1.is_none()) {
        NO_LINENO.len()
    } else {
        width
    }
}

#[cfg(test)]
mod tests {
    //! Hand-made files of versions without fixtures (1.0–2.6, 3.0–3.5): the 1-or-3-byte
    //! walk, jumps, EXTENDED_ARG, SET_LINENO lines and the 3.0–3.5 argument counts.
    use super::*;

    fn marshal_str(out: &mut Vec<u8>, tag: u8, s: &[u8]) {
        out.push(tag);
        out.extend((s.len() as u32).to_le_bytes());
        out.extend(s);
    }

    fn tuple(out: &mut Vec<u8>, items: &[&[u8]], tag: u8) {
        out.push(b'(');
        out.extend((items.len() as u32).to_le_bytes());
        for item in items {
            marshal_str(out, tag, item);
        }
    }

    /// A file of one code object with string constants: 1.5–2.2 (16-bit counts; cell and
    /// free variables from 2.1), 2.3–2.7, or 3.x (`py3`: a kwonly count, unicode names).
    fn pyc(magic: u16, code: &[u8], consts: &[&[u8]], names: &[&[u8]], py3: bool) -> Vec<u8> {
        let mut out = magic.to_le_bytes().to_vec();
        out.extend([0x0d, 0x0a, 0, 0, 0, 0]);
        if py3 && magic >= 3200 {
            out.extend([0; 4]); // 3.3+: source size
        }
        out.push(b'c');
        let short = !py3 && magic < 62011;
        let ints: &[u32] = if py3 { &[0, 0, 0, 2, 64] } else { &[0, 0, 2, 64] };
        for &i in ints {
            match short {
                true => out.extend((i as u16).to_le_bytes()),
                false => out.extend(i.to_le_bytes()),
            }
        }
        let text = if py3 { b'u' } else { b's' };
        marshal_str(&mut out, b's', code);
        tuple(&mut out, consts, text);
        tuple(&mut out, names, text);
        let seqs = if !py3 && magic == 20121 { 1 } else { 3 }; // 1.5: varnames only
        for _ in 0..seqs {
            tuple(&mut out, &[], text);
        }
        marshal_str(&mut out, text, b"f.py");
        marshal_str(&mut out, text, b"<module>");
        match short {
            true => out.extend(1u16.to_le_bytes()),
            false => out.extend(1u32.to_le_bytes()),
        }
        marshal_str(&mut out, b's', b"");
        out
    }

    #[cfg(not(target_arch = "wasm32"))]
    #[test]
    fn listings_shared_with_other_threads_change_no_byte() {
        let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let mut listed = 0;
        for version in std::fs::read_dir(&fixtures).unwrap().flatten() {
            for entry in std::fs::read_dir(version.path().join("stdlib")).into_iter().flatten().flatten() {
                let data = std::fs::read(entry.path()).unwrap();
                let Ok(pyc) = crate::decode(&data) else { continue };
                let with = |workers: usize| {
                    let mut out = Vec::new();
                    write_listing(&pyc, &mut out, DisOptions::default(), workers).map(|()| out).ok()
                };
                let Some(alone) = with(0) else { continue };
                for workers in [1, 3] {
                    assert!(
                        with(workers).as_ref() == Some(&alone),
                        "{} with {workers} workers",
                        entry.path().display()
                    );
                }
                listed += 1;
            }
        }
        assert!(listed > 500, "{listed} listings");
    }

    fn listing(data: &[u8]) -> String {
        let pyc = crate::decode(data).expect("decodes");
        dis_text(&pyc, DisOptions::default()).expect("listing")
    }

    #[test]
    fn python_2_5_jumps_and_extended_arg() {
        let code = [
            100, 0, 0, // LOAD_CONST 0
            110, 3, 0, // JUMP_FORWARD to 9 (from the next instruction)
            101, 0, 0, // LOAD_NAME 0
            143, 1, 0, // EXTENDED_ARG 1
            100, 2, 0, // LOAD_CONST 65538 (out of range)
            106, 2, 0,  // COMPARE_OP ==
            83, // RETURN_VALUE
        ];
        let text = listing(&pyc(62131, &code, &[b"a"], &[b"x"], false));
        let want = "  1           0 LOAD_CONST               0 ('a')
              3 JUMP_FORWARD             3 (to 9)
              6 LOAD_NAME                0 (x)
        >>    9 EXTENDED_ARG             1
             12 LOAD_CONST           65538L (<index out of range>)
             15 COMPARE_OP               2 (==)
             18 RETURN_VALUE        
";
        assert_eq!(text, want);
    }

    #[test]
    fn python_2_2_lines_come_from_set_lineno() {
        let code = [
            127, 1, 0, // SET_LINENO 1
            100, 0, 0, // LOAD_CONST 0
            127, 3, 0,  // SET_LINENO 3
            83, // RETURN_VALUE
        ];
        let data = pyc(60717, &code, &[b"a"], &[], false);
        let want = "  1           0 SET_LINENO               1
              3 LOAD_CONST               0 ('a')

  3           6 SET_LINENO               3
              9 RETURN_VALUE        
";
        assert_eq!(listing(&data), want);
        let pyc = crate::decode(&data).expect("decodes");
        let json = pyc.to_json();
        assert!(json.contains("\"linestarts\":[[0,1],[6,3]]"), "{json}");
    }

    #[test]
    fn python_3_x_call_counts_and_layouts() {
        let code = [
            101, 0, 0, // LOAD_NAME 0
            131, 1, 2,  // CALL_FUNCTION 1 positional, 2 keyword pairs
            83, // RETURN_VALUE
        ];
        // 3.2: 2.7's fields, each printed with end=' '.
        let want32 = "  1           0 LOAD_NAME                0 (x) 
              3 CALL_FUNCTION          513 (1 positional, 2 keyword pair) 
              6 RETURN_VALUE         
";
        assert_eq!(listing(&pyc(3180, &code, &[], &[b"x"], true)), want32);
        // 3.4: the columns of Instruction._disassemble.
        let want34 = "  1           0 LOAD_NAME                0 (x)
              3 CALL_FUNCTION          513 (1 positional, 2 keyword pair)
              6 RETURN_VALUE
";
        assert_eq!(listing(&pyc(3310, &code, &[], &[b"x"], true)), want34);
    }

    #[test]
    fn python_1_x_has_no_extended_arg() {
        // 1.5: 143 is no opcode, so it takes an argument like any number >= 90 but widens
        // nothing.
        let code = [143, 1, 0, 100, 0, 0, 83];
        let text = listing(&pyc(20121, &code, &[b"a"], &[], false));
        assert!(text.contains("0 <143>                    1\n"), "{text}");
        assert!(text.contains("3 LOAD_CONST               0 ('a')\n"), "{text}");
    }
}
