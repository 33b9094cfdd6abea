//! Python's own `repr()` of the scalar constants a `.pyc` can hold.
//!
//! Every constant in pyclens' JSON carries `repr`, and it must be byte-for-byte what the
//! interpreter that wrote the file would print: readers compare it with what they see in
//! Python, and tools diff it across versions. The rules differ by version only for text
//! (2.x `u'...'` escapes all non-ASCII; 3.x escapes what its Unicode database calls
//! non-printable, see [`crate::values::unicode_printable`]), for the `L` of 2.x longs, and for floats
//! and complex numbers before 2.7 and in 3.0 (17 digits, [`FloatStyle`]); from 2.7 on floats,
//! complex numbers and byte strings print the same.
//!
//! Everything here takes decoded marshal payloads (raw bit patterns, 15-bit digits, raw
//! UTF-8 bytes) so the marshal reader never has to build intermediate Rust values, and
//! every function accepts any input without panicking: malformed payloads print something
//! documented instead of failing.
//!
//! The expected values in the tests come from real interpreters (2.7, 3.6 - 3.15) via
//! `tools/gen_repr_cases.py`.

use crate::pyc::version::{Implementation, PyVersion};
use crate::values::float_digits;
use crate::values::unicode_printable;
use crate::values::unicode_printable_pypy;
use std::fmt::Write as _;

const HEX: &[u8; 16] = b"0123456789abcdef";

// ---------------------------------------------------------------------------------------
// float and complex
// ---------------------------------------------------------------------------------------

/// How an interpreter prints a float: the layout and digits of `repr()` changed once, so a
/// constant must print the way the version that wrote the pyc printed it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatStyle {
    /// Shortest round-trip digits, ties to even (`float_repr_style == 'short'`): CPython 2.7
    /// and 3.1+, every PyPy.
    Short,
    /// `%.17g` plus `.0` when that printed only digits: CPython 2.0 - 2.6, and 3.0
    /// (`0.10000000000000001`, `10000000000000000.0`, `1e+17`).
    Significant17,
    /// `%.12g` plus `.0` when that printed only digits: CPython 1.x (`3.14159`). Its marshal
    /// wrote floats as that same text: the 1.0 - 1.6 pycs of the uncompyle6 corpus hold
    /// `3.14159`, its 2.2 pycs `1.0000000000000001e+300`.
    Significant12,
}

impl FloatStyle {
    /// The style of `implementation`'s `version`. PyPy exists only as 2.7 and 3.x (3.2+), all
    /// with the short repr.
    pub fn of(version: PyVersion, implementation: Implementation) -> Self {
        let legacy = (version.major == 2 && version.minor < 7) || (version.major == 3 && version.minor == 0);
        match implementation {
            Implementation::PyPy | Implementation::RustPython | Implementation::GraalPy => FloatStyle::Short,
            Implementation::CPython if version.major < 2 => FloatStyle::Significant12,
            Implementation::CPython if legacy => FloatStyle::Significant17,
            Implementation::CPython => FloatStyle::Short,
        }
    }
}

/// `repr(float)`: a float constant's `repr` must round-trip and look exactly like Python's
/// (shortest digits, `1e+16`, `1e-05`, `100.0`, `-0.0`, `inf`, `nan`). This is 2.7's and
/// 3.1+'s; [`float_styled`] also prints the 17-digit repr of older versions.
pub fn float(x: f64) -> String {
    float_styled(x, FloatStyle::Short)
}

/// [`float`] appending to `out`, so a serializer can reuse one buffer for many constants.
pub fn float_into(x: f64, out: &mut String) {
    write_float(x, true, false, FloatStyle::Short, out);
}

/// `repr(float)` as printed by interpreters of `style` (see [`FloatStyle::of`]).
pub fn float_styled(x: f64, style: FloatStyle) -> String {
    let mut out = String::with_capacity(24);
    write_float(x, true, false, style, &mut out);
    out
}

/// `repr(complex)`: complex constants are printed the way Python does, which differs from
/// two float reprs (no `.0`, parentheses unless the real part is +0.0, explicit sign on the
/// imaginary part): `1j`, `(-0-1j)`, `(nan+nanj)`, `(1e+16+1j)`. Same in 2.7 and 3.1+.
pub fn complex(re: f64, im: f64) -> String {
    complex_styled(re, im, FloatStyle::Short)
}

/// [`complex`] appending to `out`, for buffer reuse.
pub fn complex_into(re: f64, im: f64, out: &mut String) {
    complex_styled_into(re, im, FloatStyle::Short, out);
}

/// `repr(complex)` as printed by interpreters of `style`. Before 2.7 (and in 3.0) the parts
/// were `%.17g` and `%+.17g` (`%.12g` in 1.x), the parentheses were left out whenever the
/// real part compared equal to 0 (so also for -0.0), and a non-finite imaginary part printed
/// as `inf*j`, `(1-inf*j)`, `nan*j` (2.6's test_complex; 2.0 - 2.5 and 3.0 are assumed to
/// match, none runs here; 1.x is given a plain `j`).
pub fn complex_styled(re: f64, im: f64, style: FloatStyle) -> String {
    let mut out = String::with_capacity(48);
    complex_styled_into(re, im, style, &mut out);
    out
}

fn complex_styled_into(re: f64, im: f64, style: FloatStyle, out: &mut String) {
    let (bare, j) = match style {
        FloatStyle::Short => (re == 0.0 && re.is_sign_positive(), "j"),
        FloatStyle::Significant17 => (re == 0.0, if im.is_finite() { "j" } else { "*j" }),
        FloatStyle::Significant12 => (re == 0.0, "j"),
    };
    if bare {
        write_float(im, false, false, style, out);
        out.push_str(j);
    } else {
        out.push('(');
        write_float(re, false, false, style, out);
        write_float(im, false, true, style, out);
        out.push_str(j);
        out.push(')');
    }
}

/// Python's `float_repr_style == 'short'` layout (`PyOS_double_to_string(x, 'r', 0, ..)`):
/// shortest round-trip digits, fixed notation for decimal exponents -4..=15, else
/// `d.ddde+XX`; or `%.17g`'s / `%.12g`'s (fixed for exponents -4 up to the precision - 1). `dot_zero` adds `.0`
/// to integral fixed output (float repr, not complex parts); `sign` forces `+` on
/// non-negative values and NaN (imaginary part of complex).
fn write_float(x: f64, dot_zero: bool, sign: bool, style: FloatStyle, out: &mut String) {
    if x.is_nan() {
        // Python never prints a sign for NaN except the forced one.
        out.push_str(if sign { "+nan" } else { "nan" });
        return;
    }
    if x.is_sign_negative() {
        out.push('-');
    } else if sign {
        out.push('+');
    }
    if x.is_infinite() {
        out.push_str("inf");
        return;
    }
    let (d, fixed_below) = match style {
        FloatStyle::Short => (float_digits::shortest(x.abs()), 16),
        FloatStyle::Significant17 => (float_digits::significant(x.abs(), 17), 17),
        FloatStyle::Significant12 => (float_digits::significant(x.abs(), 12), 12),
    };
    let (digits, exp) = (d.digits(), d.exp);
    if (-4..fixed_below).contains(&exp) {
        if exp >= 0 {
            let int_len = exp as usize + 1;
            for i in 0..int_len {
                out.push(char::from(*digits.get(i).unwrap_or(&b'0')));
            }
            let frac = digits.get(int_len..).unwrap_or(&[]);
            if !frac.is_empty() {
                out.push('.');
                push_ascii(out, frac);
            } else if dot_zero {
                out.push_str(".0");
            }
        } else {
            out.push_str("0.");
            for _ in 0..(-exp - 1) {
                out.push('0');
            }
            push_ascii(out, digits);
        }
    } else {
        let (first, rest) = digits.split_at(1);
        push_ascii(out, first);
        if !rest.is_empty() {
            out.push('.');
            push_ascii(out, rest);
        }
        out.push('e');
        out.push(if exp < 0 { '-' } else { '+' });
        let e = exp.unsigned_abs();
        if e < 10 {
            out.push('0');
        }
        let _ = write!(out, "{e}");
    }
}

/// Appends bytes known to be ASCII (digits here) without a UTF-8 validation failure path
/// that could panic.
fn push_ascii(out: &mut String, bytes: &[u8]) {
    for &b in bytes {
        out.push(char::from(b));
    }
}

// ---------------------------------------------------------------------------------------
// integers
// ---------------------------------------------------------------------------------------

/// `repr(int)` of a value marshal stored in 32 or 64 bits (`TYPE_INT`, `TYPE_INT64`, or a
/// long that fits), so the common case skips digit conversion. `py2_long` adds the `L` that
/// Python 2 printed for `long` objects (`10L`).
pub fn int_small(v: i64, py2_long: bool) -> String {
    let mut out = String::with_capacity(21);
    int_small_into(v, py2_long, &mut out);
    out
}

/// [`int_small`] appending to `out`, for buffer reuse.
pub fn int_small_into(v: i64, py2_long: bool, out: &mut String) {
    let _ = write!(out, "{v}");
    if py2_long {
        out.push('L');
    }
}

/// `repr(int)` of a `TYPE_LONG` payload: marshal stores magnitudes as little-endian base-2^15
/// digits, and pyclens has no bigint type, so this converts them straight to decimal.
/// Quadratic (like CPython before 3.12) but in 30-bit steps over base-10^9 limbs: a
/// 10,000-digit number costs about 600k limb multiply-adds. Digits above
/// 0x7FFF (which CPython refuses to load) are taken at face value, and high zero digits are
/// ignored; a negative zero prints `0`. Python 3.11+ would refuse `repr()` beyond 4300
/// digits (`sys.set_int_max_str_digits`); pyclens prints them all.
pub fn int_digits(negative: bool, digits: &[u16], py2_long: bool) -> String {
    let mut out = String::new();
    int_digits_into(negative, digits, py2_long, &mut out);
    out
}

/// [`int_digits`] appending to `out`, for buffer reuse.
pub fn int_digits_into(negative: bool, digits: &[u16], py2_long: bool, out: &mut String) {
    const BASE: u64 = 1_000_000_000;
    let used = digits.iter().rposition(|&d| d != 0).map_or(0, |p| p + 1);
    let digits = digits.get(..used).unwrap_or(&[]);
    // limbs: base 10^9, least significant first. log10(2^15) / 9 ≈ 0.5 limbs per digit.
    let mut limbs: Vec<u32> = Vec::with_capacity(digits.len() / 2 + 2);
    let feed = |chunk: u64, shift: u32, limbs: &mut Vec<u32>| {
        let mut carry = chunk;
        for limb in limbs.iter_mut() {
            let t = (u64::from(*limb) << shift) + carry;
            *limb = (t % BASE) as u32;
            carry = t / BASE;
        }
        while carry > 0 {
            limbs.push((carry % BASE) as u32);
            carry /= BASE;
        }
    };
    // Horner from the most significant end, two 15-bit digits (30 bits) per pass.
    let mut rest = digits;
    if rest.len() % 2 == 1 {
        if let Some((&top, lower)) = rest.split_last() {
            feed(u64::from(top), 15, &mut limbs);
            rest = lower;
        }
    }
    for pair in rest.rchunks_exact(2) {
        if let [lo, hi] = pair {
            feed((u64::from(*hi) << 15) + u64::from(*lo), 30, &mut limbs);
        }
    }
    out.reserve(limbs.len() * 9 + 2);
    match limbs.split_last() {
        None => out.push('0'),
        Some((top, lower)) => {
            if negative {
                out.push('-');
            }
            let _ = write!(out, "{top}");
            for &limb in lower.iter().rev() {
                let mut buf = [b'0'; 9];
                let mut v = limb;
                for slot in buf.iter_mut().rev() {
                    *slot = b'0' + (v % 10) as u8;
                    v /= 10;
                }
                push_ascii(out, &buf);
            }
        }
    }
    if py2_long {
        out.push('L');
    }
}

// ---------------------------------------------------------------------------------------
// byte strings
// ---------------------------------------------------------------------------------------

/// `repr(bytes)` (3.x, `prefix = true`) and `repr(str)` (2.x, `prefix = false`): byte-string
/// constants print identically in both lines apart from the `b`, so one function serves
/// both. Quotes: `'` unless the data has `'` and no `"`.
pub fn bytes(b: &[u8], prefix: bool) -> String {
    let mut out = String::with_capacity(b.len() + 3);
    bytes_into(b, prefix, &mut out);
    out
}

/// [`bytes`] appending to `out`, for buffer reuse.
pub fn bytes_into(b: &[u8], prefix: bool, out: &mut String) {
    let scan = scan_ascii(b);
    let quote = scan.quote();
    if prefix {
        out.push('b');
    }
    out.push(char::from(quote));
    if scan.all_plain(quote) {
        push_plain_run(out, b);
    } else {
        out.reserve(b.len() + 2);
        let mut run_start = 0;
        for (i, &c) in b.iter().enumerate() {
            if is_plain_ascii(c, quote) {
                continue;
            }
            push_plain_run(out, b.get(run_start..i).unwrap_or(&[]));
            run_start = i + 1;
            push_ascii_escape(out, c);
        }
        push_plain_run(out, b.get(run_start..).unwrap_or(&[]));
    }
    out.push(char::from(quote));
}

/// What one pass over the data says about quoting; shared by bytes and text, whose quote
/// rule is the same in every version.
struct AsciiScan {
    single: bool,
    double: bool,
    /// No byte needs an escape apart from (maybe) the quote.
    plain: bool,
}

impl AsciiScan {
    fn quote(&self) -> u8 {
        if self.single && !self.double {
            b'"'
        } else {
            b'\''
        }
    }

    fn all_plain(&self, quote: u8) -> bool {
        self.plain && !(quote == b'\'' && self.single)
    }
}

fn scan_ascii(b: &[u8]) -> AsciiScan {
    let mut s = AsciiScan { single: false, double: false, plain: true };
    for &c in b {
        match c {
            b'\'' => s.single = true,
            b'"' => s.double = true,
            b'\\' => s.plain = false,
            0x20..=0x7e => {}
            _ => s.plain = false,
        }
    }
    s
}

/// Printable ASCII other than backslash and the active quote: copied as is.
fn is_plain_ascii(c: u8, quote: u8) -> bool {
    (0x20..=0x7e).contains(&c) && c != b'\\' && c != quote
}

/// Copies a run of bytes already checked to be plain ASCII.
fn push_plain_run(out: &mut String, run: &[u8]) {
    match std::str::from_utf8(run) {
        Ok(s) => out.push_str(s),
        Err(_) => out.push_str(&String::from_utf8_lossy(run)),
    }
}

/// The escape of one ASCII or Latin-1 unit that is not plain: the same table for bytes,
/// 2.x unicode and 3.x str below 0x80.
fn push_ascii_escape(out: &mut String, c: u8) {
    match c {
        b'\t' => out.push_str("\\t"),
        b'\n' => out.push_str("\\n"),
        b'\r' => out.push_str("\\r"),
        b'\\' | b'\'' | b'"' => {
            out.push('\\');
            out.push(char::from(c));
        }
        0x20..=0x7e => out.push(char::from(c)),
        _ => push_hex_escape(out, u32::from(c)),
    }
}

/// `\xhh`, `\uhhhh` or `\Uhhhhhhhh` (lowercase), chosen by magnitude as CPython does.
fn push_hex_escape(out: &mut String, c: u32) {
    let (tag, width) = if c < 0x100 {
        ('x', 2)
    } else if c < 0x10000 {
        ('u', 4)
    } else {
        ('U', 8)
    };
    out.push('\\');
    out.push(tag);
    for k in (0..width).rev() {
        out.push(char::from(HEX[((c >> (4 * k)) & 0xf) as usize]));
    }
}

// ---------------------------------------------------------------------------------------
// text
// ---------------------------------------------------------------------------------------

/// `repr(str)` (3.x) or `repr(unicode)` (1.6 - 2.7, `u'...'`) of a text constant, from the
/// marshal payload: UTF-8 in which encoded surrogates (`ED A0..BF xx`) stand for lone
/// surrogate code points, as CPython writes them (`surrogatepass`). 3.x escapes exactly the
/// characters that are non-printable in the writing version's Unicode database
/// ([`crate::values::unicode_printable::table_for`]); 2.x (a UCS-4 build, like the 2.7 the tests
/// come from) escapes every non-ASCII character. A surrogate pair encoded as two 3-byte
/// sequences stays two surrogates, as CPython's decoder leaves it (`'\ud83d\ude00'`).
///
/// Bytes that begin no valid sequence (overlong forms, stray continuation bytes, truncated
/// sequences, values above U+10FFFF) make CPython refuse the whole constant; here each such
/// byte is printed as `\xhh` of the byte itself and decoding resumes at the next byte, so
/// the output stays readable. Such output can look like an escaped U+0080..U+00FF; use
/// [`decode_wtf8`] to detect and locate the error.
pub fn text(s: &[u8], version: PyVersion) -> String {
    let mut out = String::with_capacity(s.len() + 3);
    text_into(s, version, &mut out);
    out
}

/// [`text`] as `implementation` writes it: PyPy3's repr escapes by its own measured tables
/// ([`crate::values::unicode_printable_pypy`]) where pyclens has one.
pub fn text_of(s: &[u8], version: PyVersion, implementation: Implementation) -> String {
    let pypy = (implementation == Implementation::PyPy).then(|| unicode_printable_pypy::table_for(version)).flatten();
    let mut out = String::with_capacity(s.len() + 3);
    text_with_table(s, version, pypy.unwrap_or_else(|| unicode_printable::table_for(version)), &mut out);
    out
}

/// [`text`] appending to `out`, for buffer reuse.
pub fn text_into(s: &[u8], version: PyVersion, out: &mut String) {
    text_with_table(s, version, unicode_printable::table_for(version), out)
}

/// [`text_into`] with the printable ranges given.
fn text_with_table(s: &[u8], version: PyVersion, table: &'static [(u32, u32)], out: &mut String) {
    let py2 = version.major < 3;
    let scan = scan_ascii(s);
    let quote = scan.quote();
    if py2 {
        out.push('u');
    }
    out.push(char::from(quote));
    if scan.all_plain(quote) {
        // Pure printable ASCII: the common case for identifiers and docstrings.
        push_plain_run(out, s);
        out.push(char::from(quote));
        return;
    }
    out.reserve(s.len() + 2);
    let mut printable = Printable::new(table);
    let mut run_start = 0;
    let mut i = 0;
    while i < s.len() {
        match decode_at(s, i) {
            Some((c, len)) => {
                let keep = if c < 0x80 { is_plain_ascii(c as u8, quote) } else { !py2 && printable.contains(c) };
                if !keep {
                    push_text_run(out, s.get(run_start..i).unwrap_or(&[]));
                    if c < 0x80 {
                        push_ascii_escape(out, c as u8);
                    } else {
                        push_hex_escape(out, c);
                    }
                    run_start = i + len;
                }
                i += len;
            }
            None => {
                push_text_run(out, s.get(run_start..i).unwrap_or(&[]));
                push_hex_escape(out, u32::from(s.get(i).copied().unwrap_or(0)));
                i += 1;
                run_start = i;
            }
        }
    }
    push_text_run(out, s.get(run_start..).unwrap_or(&[]));
    out.push(char::from(quote));
}

/// Copies a run of source bytes that decoded to printable characters. Runs never hold
/// surrogates (they are non-printable in every table), so the UTF-8 check always passes;
/// the fallback only keeps the function panic-free.
fn push_text_run(out: &mut String, run: &[u8]) {
    if !run.is_empty() {
        push_plain_run(out, run);
    }
}

/// True when `repr()` in `version` prints `c` as itself rather than escaping it (for ASCII
/// this is the printable range 0x20..=0x7E; in 2.x nothing beyond ASCII). Exposed for callers that render single
/// characters, e.g. in error messages, the way Python would.
pub fn is_printable(c: u32, version: PyVersion) -> bool {
    if c < 0x80 {
        return (0x20..=0x7e).contains(&c);
    }
    if version.major < 3 {
        return false;
    }
    Printable::new(unicode_printable::table_for(version)).contains(c)
}

/// Binary search over a printable table, remembering the last range hit: text tends to stay
/// within one script, so most lookups end at the first comparison.
struct Printable {
    table: &'static [(u32, u32)],
    last: (u32, u32),
}

impl Printable {
    fn new(table: &'static [(u32, u32)]) -> Self {
        Printable { table, last: (1, 0) }
    }

    fn contains(&mut self, c: u32) -> bool {
        if self.last.0 <= c && c <= self.last.1 {
            return true;
        }
        let idx = self.table.partition_point(|&(lo, _)| lo <= c);
        match idx.checked_sub(1).and_then(|k| self.table.get(k)) {
            Some(&(lo, hi)) if c <= hi => {
                self.last = (lo, hi);
                true
            }
            _ => false,
        }
    }
}

/// Decodes one code point at `i`: UTF-8 that also admits encoded surrogates (WTF-8 /
/// CPython's `surrogatepass`). `None` when the byte at `i` begins no valid sequence.
fn decode_at(s: &[u8], i: usize) -> Option<(u32, usize)> {
    let b0 = *s.get(i)?;
    if b0 < 0x80 {
        return Some((u32::from(b0), 1));
    }
    let cont = |k: usize| -> Option<u32> {
        let b = *s.get(i + k)?;
        if b & 0xC0 == 0x80 {
            Some(u32::from(b & 0x3F))
        } else {
            None
        }
    };
    match b0 {
        0xC2..=0xDF => Some(((u32::from(b0 & 0x1F) << 6) | cont(1)?, 2)),
        0xE0..=0xEF => {
            let c1 = cont(1)?;
            if b0 == 0xE0 && c1 < 0x20 {
                return None; // overlong
            }
            let c2 = cont(2)?;
            Some(((u32::from(b0 & 0x0F) << 12) | (c1 << 6) | c2, 3))
        }
        0xF0..=0xF4 => {
            let c1 = cont(1)?;
            if (b0 == 0xF0 && c1 < 0x10) || (b0 == 0xF4 && c1 >= 0x10) {
                return None; // overlong, or above U+10FFFF
            }
            let c2 = cont(2)?;
            let c3 = cont(3)?;
            Some(((u32::from(b0 & 0x07) << 18) | (c1 << 12) | (c2 << 6) | c3, 4))
        }
        _ => None,
    }
}

/// Decodes a text payload to code points the way CPython's marshal does (UTF-8 with
/// `surrogatepass`; 2.x's decoder accepts the same set), so the marshal reader can reject
/// exactly the constants CPython would reject. `Err` carries the offset of the first byte
/// that begins no valid sequence, which matches the `start` of CPython's
/// `UnicodeDecodeError` (checked against 2.7 and 3.6 - 3.15).
pub fn decode_wtf8(s: &[u8]) -> Result<Vec<u32>, usize> {
    let mut v = Vec::with_capacity(s.len());
    for item in Wtf8Chars::new(s) {
        match item {
            Ok(c) => v.push(c),
            Err(offset) => return Err(offset),
        }
    }
    Ok(v)
}

/// Validity check of [`decode_wtf8`] without building the code points: the document writer
/// only needs to know whether (and where) CPython would reject a text constant, and this
/// costs one ASCII scan for the usual all-ASCII payload and no allocation ever.
pub fn validate_wtf8(s: &[u8]) -> Result<(), usize> {
    if s.is_ascii() {
        return Ok(());
    }
    let mut i = 0;
    while i < s.len() {
        match decode_at(s, i) {
            Some((_, len)) => i += len,
            None => return Err(i),
        }
    }
    Ok(())
}

/// Iterator form of [`decode_wtf8`], for callers that want code points without a `Vec`:
/// yields `Ok(code point)`, or `Err(offset)` once per byte that begins no valid sequence
/// (then continues with the next byte).
pub struct Wtf8Chars<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Wtf8Chars<'a> {
    /// Starts decoding at the first byte of `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        Wtf8Chars { bytes, pos: 0 }
    }
}

impl Iterator for Wtf8Chars<'_> {
    type Item = Result<u32, usize>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.bytes.len() {
            return None;
        }
        match decode_at(self.bytes, self.pos) {
            Some((c, len)) => {
                self.pos += len;
                Some(Ok(c))
            }
            None => {
                let at = self.pos;
                self.pos += 1;
                Some(Err(at))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const V27: PyVersion = PyVersion::new(2, 7);
    const V312: PyVersion = PyVersion::new(3, 12);

    /// Cases printed by real interpreters; see tools/gen_repr_cases.py for the format.
    const CASES: &str = include_str!("../../tests/data/repr_cases.tsv");

    fn unhex(h: &str) -> Option<Vec<u8>> {
        if h.len() % 2 != 0 {
            return None;
        }
        (0..h.len()).step_by(2).map(|i| u8::from_str_radix(h.get(i..i + 2)?, 16).ok()).collect()
    }

    fn float_bits(h: &str) -> f64 {
        f64::from_bits(u64::from_str_radix(h, 16).expect("float bits"))
    }

    fn parse_version(v: &str) -> PyVersion {
        let (a, b) = v.split_once('.').expect("version");
        PyVersion::new(a.parse().expect("major"), b.parse().expect("minor"))
    }

    fn encode_wtf8(c: u32, buf: &mut Vec<u8>) {
        buf.clear();
        match c {
            0..=0x7F => buf.push(c as u8),
            0x80..=0x7FF => buf.extend([0xC0 | (c >> 6) as u8, 0x80 | (c & 0x3F) as u8]),
            0x800..=0xFFFF => {
                buf.extend([0xE0 | (c >> 12) as u8, 0x80 | ((c >> 6) & 0x3F) as u8, 0x80 | (c & 0x3F) as u8])
            }
            _ => buf.extend([
                0xF0 | (c >> 18) as u8,
                0x80 | ((c >> 12) & 0x3F) as u8,
                0x80 | ((c >> 6) & 0x3F) as u8,
                0x80 | (c & 0x3F) as u8,
            ]),
        }
    }

    fn crc32_table() -> [u32; 256] {
        let mut t = [0u32; 256];
        for (i, slot) in t.iter_mut().enumerate() {
            let mut c = i as u32;
            for _ in 0..8 {
                c = if c & 1 != 0 { 0xEDB8_8320 ^ (c >> 1) } else { c >> 1 };
            }
            *slot = c;
        }
        t
    }

    fn crc32_update(table: &[u32; 256], crc: u32, data: &[u8]) -> u32 {
        data.iter().fold(crc, |c, &b| table[((c ^ u32::from(b)) & 0xFF) as usize] ^ (c >> 8))
    }

    /// The sweep line: every code point through `text`, joined by newlines, CRC-32'd.
    fn sweep(version: PyVersion) -> String {
        let table = crc32_table();
        let mut crc = !0u32;
        let mut buf = Vec::with_capacity(4);
        let mut out = String::with_capacity(16);
        for c in 0..=0x10FFFFu32 {
            if c > 0 {
                crc = crc32_update(&table, crc, b"\n");
            }
            encode_wtf8(c, &mut buf);
            out.clear();
            text_into(&buf, version, &mut out);
            crc = crc32_update(&table, crc, out.as_bytes());
        }
        format!("crc32:{:08x} count:{}", !crc, 0x110000)
    }

    /// Checks one case for one version; returns what we printed when it differs.
    fn check(version: PyVersion, kind: &str, input: &str, expected: &str) -> Result<(), String> {
        let py2 = version.major < 3;
        let got = match kind {
            "float" => float(float_bits(input)),
            "complex" => {
                let (a, b) = input.split_once(',').ok_or("complex input")?;
                complex(float_bits(a), float_bits(b))
            }
            "int" | "long" => {
                let (sign, list) = input.split_once(':').ok_or("int input")?;
                let digits: Vec<u16> = if list.is_empty() {
                    Vec::new()
                } else {
                    list.split(',').map(|d| d.parse().expect("digit")).collect()
                };
                let negative = sign == "-";
                let long = kind == "long";
                let big = int_digits(negative, &digits, long);
                // Values that fit in i64 must print the same through int_small.
                let mut acc: Option<i128> = Some(0);
                for &d in digits.iter().rev() {
                    acc = acc.and_then(|a| a.checked_mul(1 << 15)).and_then(|a| a.checked_add(i128::from(d)));
                }
                let small = acc
                    .map(|a| if negative { -a } else { a })
                    .and_then(|a| i64::try_from(a).ok())
                    .map(|v| int_small(v, long));
                match small {
                    Some(s) if s != big => format!("int_small {s} vs int_digits {big}"),
                    _ => big,
                }
            }
            "bytes" => bytes(&unhex(input).ok_or("hex")?, !py2),
            "str" => {
                let payload = unhex(input).ok_or("hex")?;
                if let Some(at) = expected.strip_prefix("!invalid@") {
                    let want: usize = at.parse().map_err(|_| "offset")?;
                    let first_err = Wtf8Chars::new(&payload).find_map(Result::err);
                    let checked = validate_wtf8(&payload);
                    return match (decode_wtf8(&payload), first_err, checked) {
                        (Err(o), Some(o2), Err(o3)) if o == want && o2 == want && o3 == want => {
                            let _ = text(&payload, version); // renders without panicking
                            Ok(())
                        }
                        other => Err(format!("decode_wtf8 gave {other:?}")),
                    };
                }
                if let Err(o) = decode_wtf8(&payload) {
                    return Err(format!("decode_wtf8 rejected valid payload at {o}"));
                }
                if let Err(o) = validate_wtf8(&payload) {
                    return Err(format!("validate_wtf8 rejected valid payload at {o}"));
                }
                text(&payload, version)
            }
            "sweep" => sweep(version),
            _ => return Err(format!("unknown kind {kind}")),
        };
        if got == expected {
            Ok(())
        } else {
            Err(got)
        }
    }

    #[test]
    fn matches_real_interpreters() {
        let mut failures = Vec::new();
        let mut checked = 0;
        let mut kinds = std::collections::BTreeMap::new();
        for (lineno, line) in CASES.lines().enumerate() {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.splitn(4, '\t').collect();
            let [versions, kind, input, expected] = fields[..] else {
                panic!("line {}: expected 4 fields", lineno + 1);
            };
            for v in versions.split(',') {
                let version = parse_version(v);
                checked += 1;
                *kinds.entry(kind).or_insert(0) += 1;
                if let Err(got) = check(version, kind, input, expected) {
                    failures.push(format!(
                        "line {} ({v} {kind} {input:.60}): expected {expected:.200}, got {got:.200}",
                        lineno + 1
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{} of {checked} failed:\n{}", failures.len(), failures.join("\n"));
        for kind in ["float", "complex", "int", "long", "bytes", "str", "sweep"] {
            assert!(kinds.get(kind).copied().unwrap_or(0) > 0, "no {kind} cases in the data file");
        }
        assert!(checked > 3000, "only {checked} checks ran");
    }

    #[test]
    fn float_layout() {
        assert_eq!(float(1e16), "1e+16");
        assert_eq!(float(1e15), "1000000000000000.0");
        assert_eq!(float(1e-5), "1e-05");
        assert_eq!(float(0.0001), "0.0001");
        assert_eq!(float(-0.0), "-0.0");
        assert_eq!(float(f64::NEG_INFINITY), "-inf");
        assert_eq!(float(-f64::NAN), "nan");
        assert_eq!(float(1.5e300), "1.5e+300");
    }

    #[test]
    fn float_style_by_version() {
        use FloatStyle::{Short, Significant12, Significant17};
        let of = |major, minor| FloatStyle::of(PyVersion::new(major, minor), Implementation::CPython);
        assert_eq!(
            [of(1, 5), of(2, 6), of(2, 7), of(3, 0), of(3, 1), of(3, 15)],
            [Significant12, Significant17, Short, Significant17, Short, Short]
        );
        assert_eq!(FloatStyle::of(PyVersion::new(3, 0), Implementation::PyPy), Short);
    }

    #[test]
    fn complex_layout() {
        assert_eq!(complex(0.0, 1.0), "1j");
        assert_eq!(complex(-0.0, -1.0), "(-0-1j)");
        assert_eq!(complex(f64::NAN, -f64::NAN), "(nan+nanj)");
        assert_eq!(complex(0.0, f64::INFINITY), "infj");
    }

    #[test]
    fn ints() {
        assert_eq!(int_small(-5, true), "-5L");
        assert_eq!(int_small(i64::MIN, false), "-9223372036854775808");
        assert_eq!(int_digits(true, &[], false), "0");
        assert_eq!(int_digits(false, &[0, 1, 0, 0], true), "32768L");
        // Out-of-range digits count at face value rather than panicking.
        assert_eq!(int_digits(false, &[0xFFFF, 0xFFFF], false), (0xFFFFu64 * 32768 + 0xFFFF).to_string());
    }

    #[test]
    fn ten_thousand_digit_int() {
        // 10^10000 - 1 in base 2^15 via schoolbook multiplication by 10.
        let mut digits: Vec<u16> = vec![1];
        for _ in 0..10000 {
            let mut carry = 0u32;
            for d in digits.iter_mut() {
                let t = u32::from(*d) * 10 + carry;
                *d = (t & 0x7FFF) as u16;
                carry = t >> 15;
            }
            while carry > 0 {
                digits.push((carry & 0x7FFF) as u16);
                carry >>= 15;
            }
        }
        // subtract 1
        for d in digits.iter_mut() {
            if *d == 0 {
                *d = 0x7FFF;
            } else {
                *d -= 1;
                break;
            }
        }
        let s = int_digits(false, &digits, false);
        assert_eq!(s.len(), 10000);
        assert!(s.bytes().all(|b| b == b'9'));
    }

    #[test]
    fn invalid_utf8_is_rendered_bytewise() {
        assert_eq!(text(b"a\xc0\x80b", V312), "'a\\xc0\\x80b'");
        assert_eq!(text(b"\xe2\x82", V312), "'\\xe2\\x82'");
        assert_eq!(text(b"\xff'", V27), "u\"\\xff'\"");
        assert_eq!(decode_wtf8(b"ab\xed\xa0"), Err(2));
        assert_eq!(decode_wtf8(b"\xed\xa0\x80"), Ok(vec![0xD800]));
        let items: Vec<_> = Wtf8Chars::new(b"\xe2\x82A").collect();
        assert_eq!(items, vec![Err(0), Err(1), Ok(0x41)]);
    }

    #[test]
    fn tables_cover_every_minor() {
        // Unmeasured versions borrow a neighbour; all must resolve to a non-empty table.
        for minor in 0..=20 {
            assert!(!unicode_printable::table_for(PyVersion::new(3, minor)).is_empty());
        }
        let u17 = 0x20C1; // SAUDI RIYAL SIGN, new in Unicode 17 (Python 3.15)
        assert!(!is_printable(u17, PyVersion::new(3, 14)));
        assert!(is_printable(u17, PyVersion::new(3, 15)));
        assert!(is_printable(u17, PyVersion::new(3, 16)));
        assert!(is_printable(0xE9, V312) && !is_printable(0xE9, V27) && !is_printable(0xAD, V312));
        for table in [unicode_printable::table_for(V312), unicode_printable::table_for(PyVersion::new(3, 15))] {
            assert!(table.windows(2).all(|w| w[0].1 < w[1].0) && table.iter().all(|r| r.0 <= r.1));
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let mut state = 0x1234_5678_9abc_def0u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut out = String::new();
        for _ in 0..20_000 {
            let len = (next() % 12) as usize;
            let data: Vec<u8> = (0..len).map(|_| (next() >> 24) as u8).collect();
            let digits: Vec<u16> = data.iter().map(|&b| u16::from(b) * 257).collect();
            out.clear();
            text_into(&data, V312, &mut out);
            text_into(&data, V27, &mut out);
            bytes_into(&data, true, &mut out);
            int_digits_into(len % 2 == 0, &digits, false, &mut out);
            float_into(f64::from_bits(next()), &mut out);
            complex_into(f64::from_bits(next()), f64::from_bits(next()), &mut out);
            assert_eq!(decode_wtf8(&data).map(|_| ()), validate_wtf8(&data));
        }
    }
}
