//! A streaming JSON writer for the document.
//!
//! The document is several times larger than the file it describes, and producing it is
//! most of what pyclens does per file. Writing it directly — keys as pre-validated static
//! strings, hex and integers without any escaping pass, string runs copied in bulk — is
//! several times faster than going through a generic serializer, and the output is flushed
//! to the sink in chunks so a large document never has to sit in memory whole.

use std::io::{self, Write};

/// Buffered bytes are handed to the sink once they pass this size.
const FLUSH_AT: usize = 1 << 16;

/// Bytes that JSON strings must escape: `"`, `\` and control characters.
static NEEDS_ESCAPE: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

/// Each byte's two hex digits: code and line tables are written one store per byte.
static HEX_PAIRS: [[u8; 2]; 256] = {
    let mut t = [[0u8; 2]; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = [HEX_DIGITS[i >> 4], HEX_DIGITS[i & 15]];
        i += 1;
    }
    t
};

/// 0–99 as two digit values in a little-endian `u16`: tens in the low byte, the first
/// written. A number's digit pairs, most significant in the lowest bytes of a word, are
/// its digits in writing order with its leading zeros as zero bytes at the low end: they
/// are counted by the word's trailing zeros and shifted out, and adding `0x30` to each
/// byte (digits are at most 9: no carries) makes them ASCII.
static DIGIT_PAIRS: [u16; 100] = {
    let mut t = [0u16; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = (i / 10) as u16 | ((i % 10) as u16) << 8;
        i += 1;
    }
    t
};

/// How many leading bytes of `bytes`, in whole eight-byte words, need no escape: a word
/// is tested at once for a byte below 0x20, a `"` or a `\` (the classic has-zero-byte
/// test, exact for whether any byte matches). Most strings of a document (names, reprs,
/// instruction arguments) have nothing to escape.
fn plain_words(bytes: &[u8]) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let below = |word: u64, n: u8| word.wrapping_sub(ONES * u64::from(n)) & !word & HIGHS;
    let mut plain = 0;
    for chunk in bytes.chunks_exact(8) {
        let Ok(word) = <[u8; 8]>::try_from(chunk).map(u64::from_le_bytes) else { break };
        if below(word, 0x20) | below(word ^ (ONES * u64::from(b'"')), 1) | below(word ^ (ONES * u64::from(b'\\')), 1)
            != 0
        {
            break;
        }
        plain += 8;
    }
    plain
}

/// Writes one JSON value (usually an object) to `W`, compact or indented.
///
/// Three words of state replace a stack of open containers: whether the next item needs a
/// comma (not the value after a key), whether a key was just written (indented output
/// only: its value needs no line break), and the depth (for indentation only).
pub struct JsonWriter<W: Write> {
    buf: Vec<u8>,
    /// `buf` is handed to `sink` once it passes this size (never, when writing to memory).
    flush_at: usize,
    sink: W,
    /// The first write error; later writes are skipped and `finish` returns it.
    error: Option<io::Error>,
    pretty: bool,
    comma: bool,
    after_key: bool,
    depth: usize,
    /// Open rows: arrays written on one line even when pretty (table rows, spans).
    inline: usize,
}

impl JsonWriter<io::Sink> {
    /// A writer that keeps the whole document in memory, with room for `capacity` bytes:
    /// the wasm boundary needs the document as one string, and copying it out of a
    /// chunked buffer would be wasted work.
    pub fn in_memory(capacity: usize, pretty: bool) -> JsonWriter<io::Sink> {
        let mut j = JsonWriter::new(io::sink(), pretty);
        j.buf = Vec::with_capacity(capacity);
        j.flush_at = usize::MAX;
        j
    }

    /// The document written so far (all of it, for an in-memory writer).
    pub fn into_bytes(self) -> Vec<u8> {
        self.buf
    }

    /// A compact in-memory writer for a run of keys or items that another writer will
    /// [`JsonWriter::splice`] in after a sibling: it starts with the comma that follows one.
    pub fn fragment() -> JsonWriter<io::Sink> {
        let mut j = JsonWriter::in_memory(4096, false);
        j.comma = true;
        j
    }
}

impl<W: Write> JsonWriter<W> {
    /// A writer into `sink`; `pretty` indents by two spaces per level.
    pub fn new(sink: W, pretty: bool) -> Self {
        JsonWriter {
            buf: Vec::with_capacity(FLUSH_AT + 4096),
            flush_at: FLUSH_AT,
            sink,
            error: None,
            pretty,
            comma: false,
            after_key: false,
            depth: 0,
            inline: 0,
        }
    }

    /// Flushes what is buffered and returns the sink, or the first write error.
    pub fn finish(mut self) -> io::Result<W> {
        self.flush();
        match self.error {
            Some(e) => Err(e),
            None => Ok(self.sink),
        }
    }

    // Once per 64 KiB: kept out of the per-value path.
    #[cold]
    #[inline(never)]
    fn flush(&mut self) {
        if self.error.is_none() {
            if let Err(e) = self.sink.write_all(&self.buf) {
                self.error = Some(e);
            }
        }
        self.buf.clear();
    }

    fn newline(&mut self) {
        self.buf.push(b'\n');
        self.buf.resize(self.buf.len() + 2 * self.depth, b' ');
    }

    /// The separator before a key or an array item: a comma after a previous sibling and,
    /// when pretty, a line break. Compact output, what machines read, tests one flag.
    #[inline]
    fn separate(&mut self) {
        if self.pretty {
            self.separate_pretty();
        } else if self.comma {
            self.buf.push(b',');
        }
    }

    /// [`JsonWriter::separate`] of indented output.
    #[inline(never)]
    fn separate_pretty(&mut self) {
        if self.comma {
            self.buf.push(b',');
            if self.inline > 0 {
                self.buf.push(b' ');
            }
        }
        if self.depth > 0 && self.inline == 0 {
            self.newline();
        }
    }

    /// Called before every value: a value right after its key needs no separator (compact
    /// output: the key left no comma to write).
    #[inline]
    fn before_value(&mut self) {
        if self.pretty {
            self.before_value_pretty();
        } else if self.comma {
            self.buf.push(b',');
        }
        self.comma = true;
        if self.buf.len() >= self.flush_at {
            self.flush();
        }
    }

    /// [`JsonWriter::before_value`] of indented output.
    #[inline(never)]
    fn before_value_pretty(&mut self) {
        if self.after_key {
            self.after_key = false;
        } else {
            self.separate_pretty();
        }
    }

    fn open(&mut self, byte: u8) {
        self.before_value();
        self.buf.push(byte);
        self.comma = false;
        self.depth += 1;
    }

    fn close(&mut self, byte: u8) {
        let empty = !self.comma;
        self.depth = self.depth.saturating_sub(1);
        if self.pretty && !empty && self.inline == 0 {
            self.newline();
        }
        self.buf.push(byte);
        self.comma = true;
    }

    /// `{`.
    pub fn begin_object(&mut self) {
        self.open(b'{');
    }

    /// `}`.
    pub fn end_object(&mut self) {
        self.close(b'}');
    }

    /// `[`.
    pub fn begin_array(&mut self) {
        self.open(b'[');
    }

    /// `]`.
    pub fn end_array(&mut self) {
        self.close(b']');
    }

    /// An object key. Keys are the document's own names: plain ASCII, never escaped.
    #[inline]
    pub fn key(&mut self, key: &'static str) {
        debug_assert!(!key.bytes().any(|b| NEEDS_ESCAPE[b as usize]));
        self.separate();
        self.comma = false;
        self.after_key = self.pretty;
        self.buf.push(b'"');
        self.buf.extend_from_slice(key.as_bytes());
        self.buf.extend_from_slice(if self.pretty { b"\": " } else { b"\":" });
    }

    /// A string, escaped as JSON requires; runs that need no escape are copied at once.
    pub fn string(&mut self, s: &str) {
        self.before_value();
        self.buf.push(b'"');
        let bytes = s.as_bytes();
        let plain = plain_words(bytes);
        let mut run = 0;
        for (i, &b) in bytes.iter().enumerate().skip(plain) {
            if !NEEDS_ESCAPE[b as usize] {
                continue;
            }
            self.buf.extend_from_slice(&bytes[run..i]);
            run = i + 1;
            match b {
                b'"' => self.buf.extend_from_slice(b"\\\""),
                b'\\' => self.buf.extend_from_slice(b"\\\\"),
                b'\n' => self.buf.extend_from_slice(b"\\n"),
                b'\r' => self.buf.extend_from_slice(b"\\r"),
                b'\t' => self.buf.extend_from_slice(b"\\t"),
                _ => self.buf.extend_from_slice(&[
                    b'\\',
                    b'u',
                    b'0',
                    b'0',
                    HEX_DIGITS[(b >> 4) as usize],
                    HEX_DIGITS[(b & 15) as usize],
                ]),
            }
        }
        self.buf.extend_from_slice(&bytes[run..]);
        self.buf.push(b'"');
    }

    /// Bytes as a lowercase hex string (no escaping needed).
    pub fn hex(&mut self, bytes: &[u8]) {
        self.before_value();
        let start = self.buf.len() + 1;
        self.buf.resize(start + 2 * bytes.len() + 1, b'"');
        self.buf[start - 1] = b'"';
        for (pair, &b) in self.buf[start..].chunks_exact_mut(2).zip(bytes) {
            // The viewer's WebAssembly keeps the smaller table.
            if cfg!(target_arch = "wasm32") {
                pair[0] = HEX_DIGITS[(b >> 4) as usize];
                pair[1] = HEX_DIGITS[(b & 15) as usize];
            } else {
                pair.copy_from_slice(&HEX_PAIRS[b as usize]);
            }
        }
    }

    /// An integer. A large document holds millions (offsets, opcodes, arguments, line
    /// numbers, stack effects), most of them below 10,000: those take a path short enough
    /// to inline, without a formatting loop or a copy of varying length (a single digit,
    /// two in five, as one byte). Natively it is inlined where it is called: as a call, its
    /// entry and exit cost a fifth of writing the integer.
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn int(&mut self, v: i64) {
        self.before_value();
        // The viewer's WebAssembly module is held to a size: `itoa` alone there.
        if cfg!(target_arch = "wasm32") {
            return self.formatted_int(v);
        }
        match u16::try_from(v) {
            Ok(digit) if digit < 10 => self.buf.push(b'0' + digit as u8),
            Ok(small) if small < 10_000 => self.four_digits(u32::from(small)),
            // File offsets: two of every node's span.
            _ => match u32::try_from(v) {
                Ok(large) if large < 100_000_000 => self.eight_digits(large),
                _ => self.other_int(v),
            },
        }
    }

    /// `v` below 10^4: its four digits as the bytes of one word.
    #[inline]
    fn four_digits(&mut self, v: u32) {
        let pair = |p: u32| u64::from(DIGIT_PAIRS[p as usize]);
        self.digit_word(pair(v % 100) << 16 | pair(v / 100), 4);
    }

    /// `v` below 10^8: its eight digits as one word, like [`JsonWriter::four_digits`].
    #[inline]
    fn eight_digits(&mut self, v: u32) {
        let (high, low) = (v / 10_000, v % 10_000);
        let values = [low % 100, low / 100, high % 100, high / 100]
            .iter()
            .fold(0u64, |word, &pair| word << 16 | u64::from(DIGIT_PAIRS[pair as usize]));
        self.digit_word(values, 8);
    }

    /// Negative integers (a `-` and the digits of the magnitude) and those from 10^8
    /// (by `itoa`).
    #[inline(never)]
    fn other_int(&mut self, v: i64) {
        match u32::try_from(v.unsigned_abs()) {
            // Stack effects: -1 is the commonest negative number of a document.
            Ok(magnitude) if v < 0 && magnitude < 10_000 => {
                self.buf.push(b'-');
                self.four_digits(magnitude);
            }
            Ok(magnitude) if v < 0 && magnitude < 100_000_000 => {
                self.buf.push(b'-');
                self.eight_digits(magnitude);
            }
            _ => self.formatted_int(v),
        }
    }

    /// Appends the `width` digit values of `values` (see [`DIGIT_PAIRS`]) without their
    /// leading zeros (a single 0 stays): one eight-byte store, then the buffer is cut
    /// back to the digits written.
    #[inline]
    fn digit_word(&mut self, values: u64, width: u32) {
        let zeros = (values.trailing_zeros() / 8).min(width - 1);
        let at = self.buf.len();
        self.buf.extend_from_slice(&((values + 0x3030_3030_3030_3030) >> (8 * zeros)).to_le_bytes());
        self.buf.truncate(at + (width - zeros) as usize);
    }

    /// Any integer, formatted by `itoa`.
    fn formatted_int(&mut self, v: i64) {
        self.buf.extend_from_slice(itoa::Buffer::new().format(v).as_bytes());
    }

    /// An integer or `null` (inlined as [`JsonWriter::int`] is).
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn opt_int(&mut self, v: Option<i64>) {
        match v {
            Some(v) => self.int(v),
            None => self.null(),
        }
    }

    /// Appends what a [`JsonWriter::fragment`] wrote, as if written here after a sibling
    /// (compact output only: a fragment knows no indentation).
    pub fn splice(&mut self, fragment: &[u8]) {
        debug_assert!(!self.pretty && self.comma && !self.after_key);
        self.buf.extend_from_slice(fragment);
        if self.buf.len() >= self.flush_at {
            self.flush();
        }
    }

    /// `true` or `false`.
    pub fn bool(&mut self, v: bool) {
        self.before_value();
        self.buf.extend_from_slice(if v { b"true" } else { b"false" });
    }

    /// `null`.
    pub fn null(&mut self) {
        self.before_value();
        self.buf.extend_from_slice(b"null");
    }

    /// Whether the output is indented for reading (the document then adds what helps a
    /// reader, such as each instruction's opname).
    pub fn is_pretty(&self) -> bool {
        self.pretty
    }

    /// `[` of a row: an array kept on one line even when pretty, so a table of rows reads
    /// as a table (instructions, blocks, spans).
    pub fn begin_row(&mut self) {
        self.open(b'[');
        self.inline += 1;
    }

    /// `]` of a row.
    pub fn end_row(&mut self) {
        self.inline = self.inline.saturating_sub(1);
        self.depth = self.depth.saturating_sub(1);
        self.buf.push(b']');
        self.comma = true;
    }

    /// `[a, b]`, the form of spans.
    pub fn pair(&mut self, a: i64, b: i64) {
        self.begin_row();
        self.int(a);
        self.int(b);
        self.end_row();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(pretty: bool, f: impl FnOnce(&mut JsonWriter<Vec<u8>>)) -> String {
        let mut j = JsonWriter::new(Vec::new(), pretty);
        f(&mut j);
        String::from_utf8(j.finish().unwrap()).unwrap()
    }

    fn sample(j: &mut JsonWriter<Vec<u8>>) {
        j.begin_object();
        j.key("s");
        j.string("a\"b\\c\n\u{1}é😀");
        j.key("h");
        j.hex(&[0, 0xab, 0xff]);
        j.key("n");
        j.begin_array();
        j.int(-5);
        j.opt_int(None);
        j.bool(true);
        j.pair(1, 2);
        j.begin_object();
        j.end_object();
        j.end_array();
        j.end_object();
    }

    #[test]
    fn compact_output_is_what_serde_json_parses() {
        let text = write(false, sample);
        assert_eq!(text, r#"{"s":"a\"b\\c\n\u0001é😀","h":"00abff","n":[-5,null,true,[1,2],{}]}"#);
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["s"], "a\"b\\c\n\u{1}é😀");
    }

    #[test]
    fn integers_at_every_width_and_sign() {
        let magnitudes = [0, 7, 9, 10, 99, 100, 999, 1000, 9999, 65_536, 1_234_567, 10_203_040, 99_999_999];
        let values: Vec<i64> =
            magnitudes.iter().flat_map(|&m| [m, -m, m + 1, -m - 1]).chain([i64::MIN, i64::MAX]).collect();
        let text = write(false, |j| {
            j.begin_array();
            values.iter().for_each(|&v| j.int(v));
            j.end_array();
        });
        let expected: Vec<String> = values.iter().map(i64::to_string).collect();
        assert_eq!(text, format!("[{}]", expected.join(",")));
    }

    #[test]
    fn strings_escaped_at_every_place_in_a_word() {
        for at in 0..20 {
            for c in ['"', '\\', '\n', '\u{1}', '\u{1f}', ' ', '\u{7f}', 'é'] {
                let mut s: String = "abcdefghijklmnopqrs".into();
                s.insert(at, c);
                let text = write(false, |j| j.string(&s));
                assert_eq!(text, serde_json::to_string(&s).unwrap(), "{s:?}");
            }
        }
    }

    #[test]
    fn pretty_output_parses_to_the_same_value() {
        let compact: serde_json::Value = serde_json::from_str(&write(false, sample)).unwrap();
        let pretty_text = write(true, sample);
        assert!(pretty_text.contains("\n  \"h\": \"00abff\""), "{pretty_text}");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&pretty_text).unwrap(), compact);
    }
}
