//! The marshal reader: bytes to [`Objects`], every object with its span.
//!
//! It accepts every type code of every marshal version (pyc-format.md §3) because the
//! version only limits what a writer emits. Input is untrusted: counts are checked against
//! the bytes that remain before anything is allocated, references must point at finished
//! objects, and nesting is bounded like CPython's own reader.

use crate::error::{DecodeError, ErrorKind, Result};
use crate::pyc::code::{Code, Field, FieldValue, Width};
use crate::pyc::object::{ObjId, Object, Objects, Span, StrCode, Value};

/// CPython's `MAX_MARSHAL_STACK_DEPTH`: deeper data is refused by the real reader too.
pub const MAX_DEPTH: u32 = 2000;

/// Real pycs hold about one object per 25 bytes (measured on a 4.6 MB 3.12 pyc); reserving
/// for that avoids most regrowth without reserving memory the file cannot fill.
const NODE_BYTES_ESTIMATE: usize = 24;

/// Bit 7 of a type byte (3.4+): store the object in the next ref-table slot.
const FLAG_REF: u8 = 0x80;

/// Where a reader stands and what it has built so far.
pub struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    objects: Objects<'a>,
    /// 3.4+ ref table: `None` while the flagged object is still being read.
    refs: Vec<Option<ObjId>>,
    /// 2.x interned-string list (`t` appends, `R` refers).
    interned: Vec<ObjId>,
    layout: &'static [(Field, Width)],
    /// 3.x files may set FLAG_REF; in 2.x a high bit is simply an unknown type.
    flag_refs: bool,
}

/// A container whose children are still being read.
struct Frame {
    start: usize,
    slot: Option<u32>,
    pending: Pending,
}

/// What a container has collected so far.
enum Pending {
    /// Tuple, list, set, frozenset or slice (`code` tells which): `want` children.
    Seq { code: u8, items: Vec<ObjId>, want: usize },
    /// Dict or frozendict: pairs until the `0` terminator; `key` waits for its value.
    Pairs { code: u8, pairs: Vec<(ObjId, ObjId)>, key: Option<ObjId> },
    /// A code object: one entry per layout row read so far.
    Code { fields: Vec<(Field, FieldValue)> },
}

/// What [`read`] returns: the arena, the root object and where the root ended.
pub struct Marshalled<'a> {
    /// All objects read.
    pub objects: Objects<'a>,
    /// The top-level object (the module code object in a pyc).
    pub root: ObjId,
    /// Offset just past the root object.
    pub end: usize,
}

/// Reads one object starting at `start` in `data` with the given code layout.
/// `flag_refs` is true for 3.x files, where bit 7 of a type byte is FLAG_REF.
pub fn read<'a>(
    data: &'a [u8],
    start: usize,
    layout: &'static [(Field, Width)],
    flag_refs: bool,
) -> Result<Marshalled<'a>> {
    // Spans are u32; a pyc over 4 GiB is not something CPython writes either.
    if u32::try_from(data.len()).is_err() {
        return Err(DecodeError::new(ErrorKind::BadLength, 0, "file is larger than 4 GiB"));
    }
    let mut reader = Reader {
        data,
        pos: start,
        objects: Objects { nodes: Vec::with_capacity(data.len() / NODE_BYTES_ESTIMATE) },
        refs: Vec::new(),
        interned: Vec::new(),
        layout,
        flag_refs,
    };
    let root = reader.object()?;
    Ok(Marshalled { objects: reader.objects, root, end: reader.pos })
}

impl<'a> Reader<'a> {
    fn truncated(&self, what: &str, start: usize) -> DecodeError {
        DecodeError::new(
            ErrorKind::Truncated,
            self.data.len(),
            format!("file ends inside {what} begun at byte {start}"),
        )
    }

    fn take(&mut self, n: usize, what: &str, start: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.data.len());
        let Some(end) = end else { return Err(self.truncated(what, start)) };
        let bytes = &self.data[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    fn u8(&mut self, what: &str, start: usize) -> Result<u8> {
        Ok(self.take(1, what, start)?[0])
    }

    fn i32(&mut self, what: &str, start: usize) -> Result<i32> {
        let b = self.take(4, what, start)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f64(&mut self, what: &str, start: usize) -> Result<f64> {
        let b = self.take(8, what, start)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(f64::from_le_bytes(a))
    }

    /// A 32-bit count of items or bytes, refused when negative and reported as truncation
    /// when the rest of the file cannot hold it (each item needs at least one byte), so a
    /// forged count never drives an allocation.
    fn count(&mut self, what: &str, start: usize) -> Result<usize> {
        let at = self.pos;
        let n = self.i32(what, start)?;
        let n = usize::try_from(n).map_err(|_| {
            DecodeError::new(ErrorKind::BadLength, at, format!("{what} begun at byte {start} has negative size {n}"))
        })?;
        self.fits(n, what, start)
    }

    fn fits(&self, n: usize, what: &str, start: usize) -> Result<usize> {
        let left = self.data.len() - self.pos;
        if n > left {
            return Err(DecodeError::new(
                ErrorKind::Truncated,
                self.data.len(),
                format!("{what} begun at byte {start} declares {n} items or bytes, but only {left} bytes remain"),
            ));
        }
        Ok(n)
    }

    fn push(&mut self, object: Object<'a>) -> ObjId {
        // The arena cannot outgrow the input: each object consumes at least one byte and
        // the input is under 4 GiB, so the id fits in u32.
        let id = self.objects.nodes.len() as ObjId;
        self.objects.nodes.push(object);
        id
    }

    /// Reads one object and everything inside it.
    ///
    /// Containers are read with an explicit stack of unfinished frames instead of
    /// recursion, so the depth CPython allows (2000) costs heap, not call stack: the same
    /// code runs on a small WebAssembly stack and in debug builds.
    fn object(&mut self) -> Result<ObjId> {
        let mut stack: Vec<Frame> = Vec::new();
        loop {
            let complete = match stack.last_mut() {
                Some(frame) => self.step(frame)?,
                None => false,
            };
            let complete = if complete { stack.pop() } else { None };
            let id = match complete {
                Some(frame) => self.finish(frame),
                None => {
                    let start = self.pos;
                    let byte = self.u8("an object", start)?;
                    let (code, flagged) =
                        if self.flag_refs { (byte & !FLAG_REF, byte & FLAG_REF != 0) } else { (byte, false) };
                    // The slot is taken before any child is read: children of a flagged
                    // container get later slots (pyc-format.md §3.3).
                    let slot = flagged.then(|| {
                        self.refs.push(None);
                        (self.refs.len() - 1) as u32
                    });
                    if stack.len() >= MAX_DEPTH as usize {
                        return Err(DecodeError::new(
                            ErrorKind::TooDeep,
                            start,
                            format!("objects nested more than {MAX_DEPTH} deep (CPython's marshal limit)"),
                        ));
                    }
                    match self.open(code, start)? {
                        Some(pending) => {
                            stack.push(Frame { start, slot, pending });
                            continue;
                        }
                        None => {
                            let value = self.scalar(code, start)?;
                            self.store(start, slot, value)
                        }
                    }
                }
            };
            match stack.last_mut() {
                None => return Ok(id),
                Some(frame) => self.accept(frame, id),
            }
        }
    }

    /// Starts a container: reads its count and returns the frame that collects its
    /// children, or `None` when `code` is not a container.
    fn open(&mut self, code: u8, start: usize) -> Result<Option<Pending>> {
        let seq = |reader: &mut Self, what, short: bool| -> Result<Option<Pending>> {
            let want = if short { reader.u8(what, start)? as usize } else { reader.count(what, start)? };
            Ok(Some(Pending::Seq { code, items: Vec::with_capacity(want), want }))
        };
        match code {
            b'(' => seq(self, "a tuple", false),
            b')' => seq(self, "a tuple", true),
            b'[' => seq(self, "a list", false),
            b'<' => seq(self, "a set", false),
            b'>' => seq(self, "a frozenset", false),
            b':' => Ok(Some(Pending::Seq { code, items: Vec::with_capacity(3), want: 3 })),
            b'{' | b'}' => Ok(Some(Pending::Pairs { code, pairs: Vec::new(), key: None })),
            b'c' | b'C' => Ok(Some(Pending::Code { fields: Vec::with_capacity(self.layout.len()) })),
            _ => Ok(None),
        }
    }

    /// Reads whatever a frame holds inline before its next child (code-object integers, a
    /// dict's terminator) and tells whether the frame is complete.
    fn step(&mut self, frame: &mut Frame) -> Result<bool> {
        match &mut frame.pending {
            Pending::Seq { items, want, .. } => Ok(items.len() == *want),
            Pending::Pairs { key: Some(_), .. } => Ok(false),
            Pending::Pairs { key: None, .. } => match self.data.get(self.pos) {
                Some(&b) if b & !FLAG_REF == b'0' => {
                    self.pos += 1;
                    Ok(true)
                }
                _ => Ok(false),
            },
            Pending::Code { fields } => {
                while let Some(&(field, width)) = self.layout.get(fields.len()) {
                    let at = self.pos;
                    let value = match width {
                        Width::Object => return Ok(false),
                        Width::I16 => {
                            let b = self.take(2, "a code object", frame.start)?;
                            i32::from(i16::from_le_bytes([b[0], b[1]]))
                        }
                        Width::I32 => self.i32("a code object", frame.start)?,
                        Width::U8 => i32::from(self.u8("a code object", frame.start)?),
                    };
                    fields.push((field, FieldValue::Int { value, span: span(at, self.pos) }));
                }
                Ok(true)
            }
        }
    }

    /// Hands a finished child to its parent frame.
    fn accept(&self, frame: &mut Frame, id: ObjId) {
        match &mut frame.pending {
            Pending::Seq { items, .. } => items.push(id),
            Pending::Pairs { pairs, key, .. } => match key.take() {
                Some(k) => pairs.push((k, id)),
                None => *key = Some(id),
            },
            Pending::Code { fields } => {
                if let Some(&(field, _)) = self.layout.get(fields.len()) {
                    fields.push((field, FieldValue::Object(id)));
                }
            }
        }
    }

    /// Turns a complete frame into its node.
    fn finish(&mut self, frame: Frame) -> ObjId {
        let value = match frame.pending {
            Pending::Seq { code: b'(' | b')', items, .. } => Value::Tuple(items.into_boxed_slice()),
            Pending::Seq { code: b'[', items, .. } => Value::List(items.into_boxed_slice()),
            Pending::Seq { code: b'<', items, .. } => Value::Set(items.into_boxed_slice()),
            Pending::Seq { code: b':', items, .. } => Value::Slice([items[0], items[1], items[2]]),
            Pending::Seq { items, .. } => Value::FrozenSet(items.into_boxed_slice()),
            Pending::Pairs { code: b'{', pairs, .. } => Value::Dict(pairs.into_boxed_slice()),
            Pending::Pairs { pairs, .. } => Value::FrozenDict(pairs.into_boxed_slice()),
            Pending::Code { fields } => Value::Code(Box::new(Code { fields })),
        };
        self.store(frame.start, frame.slot, value)
    }

    /// Adds a finished object to the arena, its ref slot and (2.x `t`) the interned list.
    fn store(&mut self, start: usize, slot: Option<u32>, value: Value<'a>) -> ObjId {
        let interned = !self.flag_refs && matches!(value, Value::Str { code: StrCode::Interned, .. });
        let id = self.push(Object { span: span(start, self.pos), ref_slot: slot, value });
        if let Some(slot) = slot {
            self.refs[slot as usize] = Some(id);
        }
        if interned {
            self.interned.push(id);
        }
        id
    }

    /// The payload of an object without children.
    fn scalar(&mut self, code: u8, start: usize) -> Result<Value<'a>> {
        Ok(match code {
            b'N' => Value::None,
            b'F' => Value::False,
            b'T' => Value::True,
            b'S' => Value::StopIteration,
            b'.' => Value::Ellipsis,
            b'i' => Value::Int(self.i32("an int", start)? as i64),
            b'I' => {
                let b = self.take(8, "a 64-bit int", start)?;
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                Value::Int(i64::from_le_bytes(a))
            }
            b'l' => self.long(start)?,
            b'g' => Value::Float { value: self.f64("a float", start)? },
            b'y' => {
                let re = self.f64("a complex", start)?;
                Value::Complex { re, im: self.f64("a complex", start)? }
            }
            b'f' => Value::Float { value: self.text_float(start)? },
            b'x' => {
                let re = self.text_float(start)?;
                Value::Complex { re, im: self.text_float(start)? }
            }
            b's' => self.string(StrCode::Bytes, start)?,
            b't' => self.string(StrCode::Interned, start)?,
            b'u' => self.string(StrCode::Unicode, start)?,
            b'a' => self.string(StrCode::Ascii, start)?,
            b'A' => self.string(StrCode::AsciiInterned, start)?,
            b'z' => self.short_string(StrCode::ShortAscii, start)?,
            b'Z' => self.short_string(StrCode::ShortAsciiInterned, start)?,
            b'r' => self.back_reference(start)?,
            b'R' => self.string_reference(start)?,
            b'0' => {
                return Err(DecodeError::new(
                    ErrorKind::BadValue,
                    start,
                    "NULL object (type code '0') where a value is required",
                ))
            }
            other => {
                let shown = if other.is_ascii_graphic() { format!(" ('{}')", other as char) } else { String::new() };
                return Err(DecodeError::new(
                    ErrorKind::UnknownType,
                    start,
                    format!("unknown marshal type code {:#04x}{shown}", self.data[start]),
                ));
            }
        })
    }

    fn long(&mut self, start: usize) -> Result<Value<'a>> {
        let at = self.pos;
        let n = self.i32("a long", start)? as i64;
        let ndigits = self.fits(n.unsigned_abs() as usize, "a long", start)?;
        let digits = self.take(ndigits * 2, "a long", start)?;
        for (i, d) in digits.chunks_exact(2).enumerate() {
            let digit = u16::from_le_bytes([d[0], d[1]]);
            if digit > 0x7fff {
                return Err(DecodeError::new(
                    ErrorKind::BadValue,
                    at + 4 + 2 * i,
                    format!("long digit {digit:#x} is out of range (digits are 15-bit)"),
                ));
            }
            if i + 1 == ndigits && digit == 0 {
                return Err(DecodeError::new(
                    ErrorKind::BadValue,
                    at + 4 + 2 * i,
                    "long has a zero top digit (unnormalised data, which CPython refuses)",
                ));
            }
        }
        Ok(Value::Long { negative: n < 0, digits })
    }

    /// A float written as text (`f`, and each half of `x`): one length byte, ASCII digits.
    fn text_float(&mut self, start: usize) -> Result<f64> {
        let n = self.u8("a text float", start)? as usize;
        let at = self.pos;
        let text = self.take(n, "a text float", start)?;
        std::str::from_utf8(text).ok().and_then(|t| t.trim().parse::<f64>().ok()).ok_or_else(|| {
            DecodeError::new(
                ErrorKind::BadValue,
                at,
                format!("text float {:?} is not a number", String::from_utf8_lossy(text)),
            )
        })
    }

    fn string(&mut self, code: StrCode, start: usize) -> Result<Value<'a>> {
        let n = self.count("a string", start)?;
        Ok(Value::Str { code, data: self.take(n, "a string", start)? })
    }

    fn short_string(&mut self, code: StrCode, start: usize) -> Result<Value<'a>> {
        let n = self.u8("a string", start)? as usize;
        Ok(Value::Str { code, data: self.take(n, "a string", start)? })
    }

    fn back_reference(&mut self, start: usize) -> Result<Value<'a>> {
        let slot = self.i32("a reference", start)?;
        let filled = usize::try_from(slot).ok().and_then(|s| self.refs.get(s).copied());
        match filled {
            Some(Some(target)) => Ok(Value::Ref { slot: slot as u32, target }),
            Some(None) => Err(DecodeError::new(
                ErrorKind::BadReference,
                start,
                format!("reference to slot {slot}, whose object is still being read"),
            )),
            None => Err(DecodeError::new(
                ErrorKind::BadReference,
                start,
                format!("reference to slot {slot}, but only {} slots exist", self.refs.len()),
            )),
        }
    }

    fn string_reference(&mut self, start: usize) -> Result<Value<'a>> {
        let index = self.i32("a string reference", start)?;
        match usize::try_from(index).ok().and_then(|i| self.interned.get(i).copied()) {
            Some(target) => Ok(Value::StringRef { index: index as u32, target }),
            None => Err(DecodeError::new(
                ErrorKind::BadReference,
                start,
                format!("reference to interned string {index}, but only {} exist", self.interned.len()),
            )),
        }
    }
}

fn span(start: usize, end: usize) -> Span {
    Span { start: start as u32, end: end as u32 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pyc::code::layout;
    use crate::pyc::version::PyVersion;

    fn read3(data: &[u8]) -> Result<Marshalled<'_>> {
        read(data, 0, layout(PyVersion::new(3, 12), 3531), true)
    }

    #[test]
    fn sheet_example_refs_and_long() {
        // pyc-format.md §3.3: marshal.dumps((s, s, 2**40, 1.5)) in 3.12.
        let data = [
            0x29, 0x04, 0xDA, 0x02, 0x61, 0x62, 0x72, 0, 0, 0, 0, 0xEC, 3, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0xE7, 0, 0, 0, 0,
            0, 0, 0xF8, 0x3F,
        ];
        let m = read3(&data).unwrap();
        let items = m.objects.seq(m.root).unwrap().to_vec();
        assert_eq!(items.len(), 4);
        assert_eq!(m.objects.str_bytes(items[1]), Some(&b"ab"[..]));
        assert_eq!(m.objects.get(items[0]).ref_slot, Some(0));
        assert_eq!(m.objects.get(items[2]).ref_slot, Some(1));
        assert!(matches!(m.objects.get(items[3]).value, Value::Float { value } if value == 1.5));
        assert_eq!(m.end, data.len());
    }

    #[test]
    fn slots_are_reserved_before_children() {
        // A flagged tuple holding a flagged string, then a ref to slot 1 (the string).
        let data = [0xA9, 2, 0xDA, 1, b'x', b'r', 1, 0, 0, 0];
        let m = read3(&data).unwrap();
        let items = m.objects.seq(m.root).unwrap();
        assert!(matches!(m.objects.get(items[1]).value, Value::Ref { slot: 1, .. }));
        assert_eq!(m.objects.str_bytes(items[1]), Some(&b"x"[..]));
    }

    #[test]
    fn reference_to_unfinished_slot_is_refused() {
        let data = [0xA9, 1, b'r', 0, 0, 0, 0];
        let e = read3(&data).err().unwrap();
        assert_eq!((e.kind, e.offset), (ErrorKind::BadReference, 2));
    }

    #[test]
    fn huge_counts_fail_fast() {
        let mut data = vec![b'(', 0xff, 0xff, 0xff, 0x7f];
        data.resize(100, b'N');
        let e = read3(&data).err().unwrap();
        assert_eq!((e.kind, e.offset), (ErrorKind::Truncated, 100));
        let e = read3(&[b'(', 0, 0, 0, 0x80]).err().unwrap();
        assert_eq!((e.kind, e.offset), (ErrorKind::BadLength, 1));
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut data = [b')', 1].repeat(100_000);
        data.push(b'N');
        let e = read3(&data).err().unwrap();
        assert_eq!((e.kind, e.offset), (ErrorKind::TooDeep, 2 * MAX_DEPTH as usize));
    }

    #[test]
    fn long_digits_are_validated() {
        let e = read3(&[b'l', 1, 0, 0, 0, 0, 0x80]).err().unwrap();
        assert_eq!((e.kind, e.offset), (ErrorKind::BadValue, 5));
        let e = read3(&[b'l', 2, 0, 0, 0, 1, 0, 0, 0]).err().unwrap();
        assert_eq!((e.kind, e.offset), (ErrorKind::BadValue, 7));
    }

    #[test]
    fn unknown_type_and_null_are_refused() {
        let e = read3(b"?").err().unwrap();
        assert_eq!(e.kind, ErrorKind::UnknownType);
        let e = read3(&[b'(', 1, 0, 0, 0, b'0']).err().unwrap();
        assert_eq!((e.kind, e.offset), (ErrorKind::BadValue, 5));
    }

    #[test]
    fn python2_interned_strings_and_refs() {
        let data = [b'(', 2, 0, 0, 0, b't', 1, 0, 0, 0, b'a', b'R', 0, 0, 0, 0];
        let m = read(&data, 0, layout(PyVersion::new(2, 7), 62211), false).unwrap();
        let items = m.objects.seq(m.root).unwrap();
        assert_eq!(m.objects.str_bytes(items[1]), Some(&b"a"[..]));
        let e = read(&[b'R', 1, 0, 0, 0], 0, layout(PyVersion::new(2, 7), 62211), false).err().unwrap();
        assert_eq!(e.kind, ErrorKind::BadReference);
    }

    #[test]
    fn text_floats_and_dicts() {
        let data = [b'{', b'f', 3, b'1', b'.', b'5', b'x', 1, b'1', 2, b'-', b'2', b'0'];
        let m = read(&data, 0, layout(PyVersion::new(2, 3), 62011), false).unwrap();
        match &m.objects.get(m.root).value {
            Value::Dict(pairs) => {
                assert!(matches!(m.objects.get(pairs[0].0).value, Value::Float { value } if value == 1.5));
                assert!(
                    matches!(m.objects.get(pairs[0].1).value, Value::Complex { re, im } if re == 1.0 && im == -2.0)
                );
            }
            other => panic!("{other:?}"),
        }
    }
}
