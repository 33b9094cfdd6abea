//! RustPython's pycs: its magic and its own marshal format, read into the same arena of
//! objects as CPython's.
//!
//! RustPython writes the 16-byte PEP 552 header, but its magic is the first four hex digits
//! of the git commit it was built from (`vm/src/import.rs`), and its marshal format
//! (`compiler/core/src/marshal.rs`) is its own: CPython's type codes for the constants it
//! keeps, with `i` a sign-and-magnitude big integer of any length, every length an unsigned
//! 32-bit count, no reference flags, and a code object that is a record of its own, not a
//! sequence of marshalled fields. The instruction set changes from commit to commit, so
//! only the commit whose enum `tools/gen_opcodes_rustpython.py` read is decoded; the format
//! below is that commit's (1aea1467, 2025-09-21).
//!
//! The record's parts that are not marshal objects (the instruction array, the location
//! table, names, counts) become nodes of the arena too, so that every output can treat them
//! as CPython's: a length-prefixed byte or text payload is a string node whose span starts
//! at its length, a list of names or constants is a tuple node whose span starts at its
//! count, and the integer fields are [`FieldValue::Int`]s with their bytes.

use crate::bytecode::opcodes::rustpython;
use crate::error::{DecodeError, ErrorKind, Result};
use crate::pyc::code::{Code, Field, FieldValue};
use crate::pyc::marshal::Marshalled;
use crate::pyc::object::{ObjId, Object, Objects, Span, StrCode, Value};
use crate::pyc::version::{Implementation, Magic, PyVersion};

/// The Python version RustPython implemented at the pinned commit (`vm/src/version.rs`).
const VERSION: PyVersion = PyVersion::new(3, 13);

/// How deep values may nest. The reader recurses (RustPython's own reader does, without a
/// bound); real modules nest a few levels (tuples of constants, functions in functions), and
/// this bound keeps the recursion well inside the page's small WebAssembly stack.
const MAX_DEPTH: u32 = 500;

/// The magic of a RustPython pyc pyclens decodes: the pinned commit's first hex digits.
pub fn magic(data: &[u8]) -> Option<Magic> {
    let bytes: [u8; 4] = data.get(..4)?.try_into().ok()?;
    (bytes == rustpython::MAGIC).then(|| Magic {
        bytes,
        // What xdis and foreign-magic lists call it: the first two bytes, little-endian.
        number: Some(u16::from_le_bytes([bytes[0], bytes[1]])),
        version: VERSION,
        unicode_literals: false,
        implementation: Implementation::RustPython,
    })
}

/// Reads the module that starts at `start` (just after the header).
pub fn read(data: &[u8], start: usize) -> Result<Marshalled<'_>> {
    if u32::try_from(data.len()).is_err() {
        return Err(DecodeError::new(ErrorKind::BadLength, 0, "file is larger than 4 GiB"));
    }
    let mut r = Reader { data, pos: start, objects: Objects::default() };
    let root = r.value(0)?;
    Ok(Marshalled { objects: r.objects, root, end: r.pos })
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    objects: Objects<'a>,
}

fn span(start: usize, end: usize) -> Span {
    Span { start: start as u32, end: end as u32 }
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str, start: usize) -> Result<&'a [u8]> {
        let Some(end) = self.pos.checked_add(n).filter(|&e| e <= self.data.len()) else {
            return Err(DecodeError::new(
                ErrorKind::Truncated,
                self.data.len(),
                format!("file ends inside {what} begun at byte {start}"),
            ));
        };
        let bytes = &self.data[self.pos..end];
        self.pos = end;
        Ok(bytes)
    }

    fn u32(&mut self, what: &str, start: usize) -> Result<u32> {
        let b = self.take(4, what, start)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn f64(&mut self, what: &str, start: usize) -> Result<f64> {
        let b = self.take(8, what, start)?;
        Ok(f64::from_le_bytes(b.try_into().expect("8 bytes")))
    }

    /// A count of `unit`-byte items (or bytes), refused when the rest of the file cannot
    /// hold it, so a forged count never drives an allocation.
    fn count(&mut self, unit: usize, what: &str, start: usize) -> Result<usize> {
        let n = self.u32(what, start)? as usize;
        let left = self.data.len() - self.pos;
        if n.saturating_mul(unit) > left {
            return Err(DecodeError::new(
                ErrorKind::Truncated,
                self.data.len(),
                format!("{what} begun at byte {start} declares {n} items or bytes, but only {left} bytes remain"),
            ));
        }
        Ok(n)
    }

    fn push(&mut self, start: usize, value: Value<'a>) -> ObjId {
        let id = self.objects.nodes.len() as ObjId;
        self.objects.nodes.push(Object { span: span(start, self.pos), ref_slot: None, value });
        id
    }

    /// A length-prefixed payload as a string node: its span starts at the length.
    fn payload(&mut self, code: StrCode, what: &str) -> Result<ObjId> {
        let start = self.pos;
        let n = self.count(1, what, start)?;
        let data = self.take(n, what, start)?;
        Ok(self.push(start, Value::Str { code, data }))
    }

    /// A count, then that many length-prefixed names, as a tuple of string nodes.
    fn names(&mut self, what: &str) -> Result<ObjId> {
        let start = self.pos;
        let n = self.count(4, what, start)?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(self.payload(StrCode::Unicode, what)?);
        }
        Ok(self.push(start, Value::Tuple(items.into_boxed_slice())))
    }

    /// A marshalled value (`deserialize_value`); `depth` bounds the nesting.
    fn value(&mut self, depth: u32) -> Result<ObjId> {
        let start = self.pos;
        if depth >= MAX_DEPTH {
            return Err(DecodeError::new(
                ErrorKind::TooDeep,
                start,
                format!("objects nested more than {MAX_DEPTH} deep"),
            ));
        }
        let code = self.take(1, "an object", start)?[0];
        let value = match code {
            b'N' => Value::None,
            b'F' => Value::False,
            b'T' => Value::True,
            b'S' => Value::StopIteration,
            b'.' => Value::Ellipsis,
            b'i' => self.int(start)?,
            b'g' => Value::Float { value: self.f64("a float", start)? },
            b'y' => {
                let re = self.f64("a complex", start)?;
                Value::Complex { re, im: self.f64("a complex", start)? }
            }
            b'a' | b'u' | b's' => {
                let n = self.count(1, "a string", start)?;
                let code = if code == b's' { StrCode::Bytes } else { StrCode::Unicode };
                Value::Str { code, data: self.take(n, "a string", start)? }
            }
            b'(' | b'[' | b'<' | b'>' => {
                let n = self.count(1, "a sequence", start)?;
                let mut items = Vec::with_capacity(n);
                for _ in 0..n {
                    items.push(self.value(depth + 1)?);
                }
                let items = items.into_boxed_slice();
                match code {
                    b'(' => Value::Tuple(items),
                    b'[' => Value::List(items),
                    b'<' => Value::Set(items),
                    _ => Value::FrozenSet(items),
                }
            }
            b'{' => {
                // A count of pairs, not CPython's terminator.
                let n = self.count(2, "a dict", start)?;
                let mut pairs = Vec::with_capacity(n);
                for _ in 0..n {
                    let k = self.value(depth + 1)?;
                    pairs.push((k, self.value(depth + 1)?));
                }
                Value::Dict(pairs.into_boxed_slice())
            }
            b'c' => Value::Code(Box::new(self.code(start, depth)?)),
            other => {
                let shown = if other.is_ascii_graphic() { format!(" ('{}')", other as char) } else { String::new() };
                return Err(DecodeError::new(
                    ErrorKind::UnknownType,
                    start,
                    format!("unknown RustPython marshal type code {other:#04x}{shown}"),
                ));
            }
        };
        Ok(self.push(start, value))
    }

    /// `i`: a signed 32-bit byte count (negative for a negative number), then the magnitude
    /// in little-endian bytes. Up to 8 bytes that fit an `i64` read as a small int.
    fn int(&mut self, start: usize) -> Result<Value<'a>> {
        let n = self.u32("an int", start)? as i32;
        let len = self.count_of(n.unsigned_abs() as usize, "an int", start)?;
        let bytes = self.take(len, "an int", start)?;
        let top = bytes.iter().rposition(|&b| b != 0).map_or(0, |i| i + 1);
        if top <= 8 {
            let mut a = [0u8; 8];
            a[..top].copy_from_slice(&bytes[..top]);
            let magnitude = u64::from_le_bytes(a);
            let value = if n < 0 { 0i64.checked_sub_unsigned(magnitude) } else { i64::try_from(magnitude).ok() };
            if let Some(v) = value {
                return Ok(Value::Int(v));
            }
        }
        Ok(Value::LongBytes { negative: n < 0, bytes })
    }

    fn count_of(&self, n: usize, what: &str, start: usize) -> Result<usize> {
        let left = self.data.len() - self.pos;
        if n > left {
            return Err(DecodeError::new(
                ErrorKind::Truncated,
                self.data.len(),
                format!("{what} begun at byte {start} declares {n} bytes, but only {left} bytes remain"),
            ));
        }
        Ok(n)
    }

    /// An integer field of `width` bytes (2 or 4), unsigned on disk.
    fn int_field(&mut self, width: usize, start: usize) -> Result<FieldValue> {
        let at = self.pos;
        let b = self.take(width, "a code object", start)?;
        let value = if width == 2 {
            u32::from(u16::from_le_bytes([b[0], b[1]]))
        } else {
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        };
        // Kept as stored: a count over i32::MAX (never written) shows wrapped.
        Ok(FieldValue::Int { value: value as i32, span: span(at, self.pos) })
    }

    /// The code-object record of `deserialize_code`, in file order.
    fn code(&mut self, start: usize, depth: u32) -> Result<Code> {
        let mut fields = Vec::with_capacity(19);
        // Instructions: a count of 2-byte code units.
        let at = self.pos;
        let units = self.count(2, "the instructions of a code object", start)?;
        let bytes = self.take(units * 2, "the instructions of a code object", start)?;
        fields.push((Field::Code, FieldValue::Object(self.push(at, Value::Str { code: StrCode::Bytes, data: bytes }))));
        // Locations: a count of (line, zero-based column) u32 pairs, one per instruction.
        let at = self.pos;
        let n = self.count(8, "the locations of a code object", start)?;
        let table = self.take(n * 8, "the locations of a code object", start)?;
        if let Some(i) = table.chunks_exact(8).position(|p| p[..4] == [0; 4]) {
            // RustPython's reader refuses line 0 (`OneIndexed::new`), as InvalidLocation.
            return Err(DecodeError::new(ErrorKind::BadValue, at + 4 + 8 * i, "source location with line 0"));
        }
        fields.push((
            Field::Locations,
            FieldValue::Object(self.push(at, Value::Str { code: StrCode::Bytes, data: table })),
        ));
        fields.push((Field::Flags, self.int_field(2, start)?));
        fields.push((Field::Posonlyargcount, self.int_field(4, start)?));
        fields.push((Field::Argcount, self.int_field(4, start)?));
        fields.push((Field::Kwonlyargcount, self.int_field(4, start)?));
        fields.push((
            Field::Filename,
            FieldValue::Object(self.payload(StrCode::Unicode, "a code object's source path")?),
        ));
        fields.push((Field::Firstlineno, self.int_field(4, start)?));
        fields.push((Field::Stacksize, self.int_field(4, start)?));
        fields.push((Field::Name, FieldValue::Object(self.payload(StrCode::Unicode, "a code object's name")?)));
        fields.push((Field::Qualname, FieldValue::Object(self.payload(StrCode::Unicode, "a code object's qualname")?)));
        // cell2arg: a count of i32s (0: none).
        let at = self.pos;
        let n = self.count(4, "a code object's cell2arg", start)?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            let item_at = self.pos;
            let v = self.u32("a code object's cell2arg", start)? as i32;
            items.push(self.push(item_at, Value::Int(i64::from(v))));
        }
        fields.push((Field::Cell2arg, FieldValue::Object(self.push(at, Value::Tuple(items.into_boxed_slice())))));
        // Constants: a count of marshalled values.
        let at = self.pos;
        let n = self.count(1, "a code object's constants", start)?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(self.value(depth + 1)?);
        }
        fields.push((Field::Consts, FieldValue::Object(self.push(at, Value::Tuple(items.into_boxed_slice())))));
        fields.push((Field::Names, FieldValue::Object(self.names("a code object's names")?)));
        fields.push((Field::Varnames, FieldValue::Object(self.names("a code object's varnames")?)));
        fields.push((Field::Cellvars, FieldValue::Object(self.names("a code object's cellvars")?)));
        fields.push((Field::Freevars, FieldValue::Object(self.names("a code object's freevars")?)));
        fields
            .push((Field::Linetable, FieldValue::Object(self.payload(StrCode::Bytes, "a code object's line table")?)));
        fields.push((
            Field::Exceptiontable,
            FieldValue::Object(self.payload(StrCode::Bytes, "a code object's exception table")?),
        ));
        Ok(Code { fields })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ints_of_any_length_and_sign() {
        let m = read(&[b'i', 0xfe, 0xff, 0xff, 0xff, 0x34, 0x12], 0).unwrap();
        assert!(matches!(m.objects.get(m.root).value, Value::Int(-0x1234)));
        let mut big = vec![b'i', 9, 0, 0, 0];
        big.extend([0, 0, 0, 0, 0, 0, 0, 0, 1]);
        let m = read(&big, 0).unwrap();
        assert!(matches!(m.objects.get(m.root).value, Value::LongBytes { negative: false, bytes } if bytes.len() == 9));
    }

    #[test]
    fn forged_counts_and_nesting_fail_cleanly() {
        let e = read(&[b'(', 0xff, 0xff, 0xff, 0x7f, b'N'], 0).err().unwrap();
        assert_eq!(e.kind, ErrorKind::Truncated);
        let mut deep = [b'(', 1, 0, 0, 0].repeat(600);
        deep.push(b'N');
        assert_eq!(read(&deep, 0).err().unwrap().kind, ErrorKind::TooDeep);
        assert_eq!(read(b"r\0\0\0\0", 0).err().unwrap().kind, ErrorKind::UnknownType);
        assert_eq!(read(b"c", 0).err().unwrap().kind, ErrorKind::Truncated);
    }
}
