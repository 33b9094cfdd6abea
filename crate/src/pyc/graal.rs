//! GraalPy's marshal format: the same type bytes as CPython for plain values, its own code
//! records, typed Java arrays and big integers.
//!
//! GraalPy (`MarshalModuleBuiltins.java`, GraalPy 24.0 for bytecode version 28, 24.2 and
//! 25.0 for 29) writes a module as an outer code record (`C`: file name, flags, the code
//! unit serialized as a byte string, first line, line table) whose code unit carries
//! what CPython keeps in a code object (name, counts, bytecode, names, constants, ...)
//! plus GraalPy's own tables (source offsets, primitive constants, exception-handler
//! ranges, quickening data). Nested functions are code units (`U`) in the constants. The
//! reader flattens each record into one [`Code`] with [`Field`]s in file order, so every
//! output reads GraalPy code objects like any other; typed arrays become tuples of nodes,
//! each element keeping its bytes.
//!
//! The input is untrusted: every count is checked against the bytes left before anything
//! is allocated, and nesting stops at GraalPy's own `MAX_MARSHAL_STACK_DEPTH`.

use crate::error::{DecodeError, ErrorKind, Result};
use crate::pyc::code::{Code, Field, FieldValue};
use crate::pyc::marshal::Marshalled;
use crate::pyc::object::{ObjId, Object, Objects, Span, StrCode, Value};

/// GraalPy's `MAX_MARSHAL_STACK_DEPTH`: its reader refuses deeper data.
const MAX_DEPTH: u32 = 201;

/// Bit 7 of a type byte: store the object in the next reference slot (as in CPython 3.4+).
const FLAG_REF: u8 = 0x80;

/// The type byte of a code unit (`TYPE_GRAALPYTHON_CODE_UNIT`); GraalPy 25.0 (3.12) also
/// writes it at the start of the outer record's serialized unit.
const UNIT_TYPE: u8 = b'U';

/// What [`read`] found besides the objects.
pub struct GraalMarshalled<'a> {
    /// The objects, the root and where it ended.
    pub marshalled: Marshalled<'a>,
    /// True when the outer record's unit starts with its type byte: GraalPy 25.0, which
    /// implements Python 3.12 under 3.11's magic.
    pub unit_typed: bool,
}

/// Reads the GraalPy object at `start` in `data`. `bytecode_version` is the version byte
/// every code unit must carry (GraalPy refuses others: `BYTECODE_VERSION_MISMATCH`).
pub fn read(data: &[u8], start: usize, bytecode_version: u8) -> Result<GraalMarshalled<'_>> {
    if u32::try_from(data.len()).is_err() {
        return Err(DecodeError::new(ErrorKind::BadLength, 0, "file is larger than 4 GiB"));
    }
    let mut r = Reader {
        data,
        pos: start,
        objects: Objects { nodes: Vec::new() },
        refs: Vec::new(),
        depth: 0,
        bytecode_version,
        unit_typed: None,
    };
    let root = r.object()?;
    Ok(GraalMarshalled {
        marshalled: Marshalled { objects: r.objects, root, end: r.pos },
        unit_typed: r.unit_typed.unwrap_or(false),
    })
}

/// The file name and first line GraalPy gives a code object: a nested code unit stores
/// neither, and its `PCode` takes the module's file name and the unit's start line
/// (`PCode.extractFirstLineno`; the module record's own first line is its stored one).
pub fn file_and_line(objects: &Objects, code: &Code) -> (Option<ObjId>, Option<i64>) {
    let file = code.object(Field::Filename).or_else(|| {
        // Children come before parents: the last node is the module record.
        match &objects.nodes.last()?.value {
            Value::Code(module) => module.object(Field::Filename),
            _ => None,
        }
    });
    (file, code.int(Field::Firstlineno).or_else(|| code.int(Field::GraalStartLine)))
}

/// The bytecode version (`Compiler.BYTECODE_VERSION`) behind a GraalPy magic number.
pub fn bytecode_version(magic: u16) -> u8 {
    (magic.saturating_sub(21000) / 10) as u8
}

struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    objects: Objects<'a>,
    refs: Vec<Option<ObjId>>,
    depth: u32,
    bytecode_version: u8,
    /// Whether the first outer record's unit began with its type byte.
    unit_typed: Option<bool>,
}

fn span(start: usize, end: usize) -> Span {
    Span { start: start as u32, end: end as u32 }
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str, start: usize) -> Result<&'a [u8]> {
        match self.pos.checked_add(n).filter(|&e| e <= self.data.len()) {
            Some(end) => {
                let bytes = &self.data[self.pos..end];
                self.pos = end;
                Ok(bytes)
            }
            None => Err(DecodeError::new(
                ErrorKind::Truncated,
                self.data.len(),
                format!("file ends inside {what} begun at byte {start}"),
            )),
        }
    }

    fn u8(&mut self, what: &str, start: usize) -> Result<u8> {
        Ok(self.take(1, what, start)?[0])
    }

    fn i32(&mut self, what: &str, start: usize) -> Result<i32> {
        let b = self.take(4, what, start)?;
        Ok(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn i64(&mut self, what: &str, start: usize) -> Result<i64> {
        let b = self.take(8, what, start)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(i64::from_le_bytes(a))
    }

    /// A count of `unit`-byte items: refused when negative, reported as truncation when the
    /// rest of the file cannot hold it, so a forged count never drives an allocation.
    fn count(&mut self, unit: usize, what: &str, start: usize) -> Result<usize> {
        let at = self.pos;
        let n = self.i32(what, start)?;
        let n = usize::try_from(n).map_err(|_| {
            DecodeError::new(ErrorKind::BadLength, at, format!("{what} begun at byte {start} has negative size {n}"))
        })?;
        let left = self.data.len() - self.pos;
        if n.saturating_mul(unit.max(1)) > left {
            return Err(DecodeError::new(
                ErrorKind::Truncated,
                self.data.len(),
                format!("{what} begun at byte {start} declares {n} items, but only {left} bytes remain"),
            ));
        }
        Ok(n)
    }

    fn push(&mut self, start: usize, value: Value<'a>) -> ObjId {
        let id = self.objects.nodes.len() as ObjId;
        self.objects.nodes.push(Object { span: span(start, self.pos), ref_slot: None, value });
        id
    }

    /// One marshalled object with its type byte (`readObject`).
    fn object(&mut self) -> Result<ObjId> {
        let start = self.pos;
        let byte = self.u8("an object", start)?;
        let (code, flagged) = (byte & !FLAG_REF, byte & FLAG_REF != 0);
        if code == b'r' {
            return self.back_reference(start);
        }
        if self.depth >= MAX_DEPTH {
            return Err(DecodeError::new(
                ErrorKind::TooDeep,
                start,
                format!("objects nested more than {MAX_DEPTH} deep (GraalPy's marshal limit)"),
            ));
        }
        let slot = flagged.then(|| {
            self.refs.push(None);
            (self.refs.len() - 1) as u32
        });
        self.depth += 1;
        let value = self.value(code, start);
        self.depth -= 1;
        let value = value?;
        let id = self.push(start, value);
        self.objects.nodes[id as usize].ref_slot = slot;
        if let Some(slot) = slot {
            self.refs[slot as usize] = Some(id);
        }
        Ok(id)
    }

    fn back_reference(&mut self, start: usize) -> Result<ObjId> {
        let slot = self.i32("a reference", start)?;
        let value = match usize::try_from(slot).ok().and_then(|s| self.refs.get(s).copied()) {
            Some(Some(target)) => Value::Ref { slot: slot as u32, target },
            Some(None) => {
                return Err(DecodeError::new(
                    ErrorKind::BadReference,
                    start,
                    format!("reference to slot {slot}, whose object is still being read"),
                ))
            }
            None => {
                return Err(DecodeError::new(
                    ErrorKind::BadReference,
                    start,
                    format!("reference to slot {slot}, but only {} slots exist", self.refs.len()),
                ))
            }
        };
        Ok(self.push(start, value))
    }

    /// The payload after a type byte.
    fn value(&mut self, code: u8, start: usize) -> Result<Value<'a>> {
        Ok(match code {
            b'N' => Value::None,
            // PNone.NO_VALUE: GraalPy's "no value" marker, never a constant of compiled code.
            b'n' => Value::Null,
            b'F' => Value::False,
            b'T' => Value::True,
            b'S' => Value::StopIteration,
            b'.' => Value::Ellipsis,
            b'i' => Value::Int(i64::from(self.i32("an int", start)?)),
            b'I' => Value::Int(self.i64("a 64-bit int", start)?),
            b'l' | b'B' => self.big_integer(start)?,
            b'g' => Value::Float { value: f64::from_bits(self.i64("a float", start)? as u64) },
            b'y' => {
                let re = f64::from_bits(self.i64("a complex", start)? as u64);
                Value::Complex { re, im: f64::from_bits(self.i64("a complex", start)? as u64) }
            }
            b'f' => Value::Float { value: self.text_float(start)? },
            b'x' => {
                let re = self.text_float(start)?;
                Value::Complex { re, im: self.text_float(start)? }
            }
            b's' => {
                let n = self.count(1, "a bytes object", start)?;
                Value::Str { code: StrCode::Bytes, data: self.take(n, "a bytes object", start)? }
            }
            b'a' | b'A' => {
                let n = self.count(1, "a string", start)?;
                let code = if code == b'a' { StrCode::Ascii } else { StrCode::AsciiInterned };
                Value::Str { code, data: self.take(n, "a string", start)? }
            }
            b'z' | b'Z' => {
                let n = self.u8("a string", start)? as usize;
                let code = if code == b'z' { StrCode::ShortAscii } else { StrCode::ShortAsciiInterned };
                Value::Str { code, data: self.take(n, "a string", start)? }
            }
            b't' | b'u' => {
                let code = if code == b't' { StrCode::Interned } else { StrCode::Unicode };
                Value::Str { code, data: self.string_payload(start)? }
            }
            b'(' | b'[' | b'<' | b'>' => {
                let n = self.count(1, "a collection", start)?;
                let items = self.objects_n(n)?;
                match code {
                    b'(' => Value::Tuple(items),
                    b'[' => Value::List(items),
                    b'<' => Value::Set(items),
                    _ => Value::FrozenSet(items),
                }
            }
            b')' => {
                let n = self.u8("a tuple", start)? as usize;
                Value::Tuple(self.objects_n(n)?)
            }
            b'{' => self.dict(start)?,
            b'C' => self.outer_code(start)?,
            UNIT_TYPE => {
                let mut fields = Vec::new();
                self.unit(start, &mut fields)?;
                Value::Code(Box::new(Code { fields }))
            }
            b']' => self.array(start)?,
            b'D' | b'$' | b'k' => {
                return Err(DecodeError::new(
                    ErrorKind::UnknownType,
                    start,
                    format!(
                        "GraalPy Bytecode DSL data (type code '{}'): pyclens decodes the code units of GraalPy's \
                         manual bytecode interpreter, the default of the releases that wrote magics 21280 and 21290",
                        code as char
                    ),
                ))
            }
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
                    format!("unknown GraalPy marshal type code {:#04x}{shown}", self.data[start]),
                ));
            }
        })
    }

    fn objects_n(&mut self, n: usize) -> Result<Box<[ObjId]>> {
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(self.object()?);
        }
        Ok(items.into_boxed_slice())
    }

    /// `{`: key/value pairs until a NULL key; a NULL value drops its key, as GraalPy does.
    fn dict(&mut self, start: usize) -> Result<Value<'a>> {
        let mut pairs = Vec::new();
        loop {
            match self.data.get(self.pos) {
                Some(&b) if b & !FLAG_REF == b'0' => {
                    self.pos += 1;
                    return Ok(Value::Dict(pairs.into_boxed_slice()));
                }
                Some(_) => {}
                None => return Err(self.eof("a dict", start)),
            }
            let key = self.object()?;
            if self.data.get(self.pos).is_some_and(|&b| b & !FLAG_REF == b'0') {
                self.pos += 1;
                continue;
            }
            pairs.push((key, self.object()?));
        }
    }

    fn eof(&self, what: &str, start: usize) -> DecodeError {
        DecodeError::new(
            ErrorKind::Truncated,
            self.data.len(),
            format!("file ends inside {what} begun at byte {start}"),
        )
    }

    /// `readBigInteger` (`l` and `B`): a signed count of 16-bit little-endian digits in base
    /// 2^15. GraalPy writes each digit below 2^15, as CPython does.
    fn big_integer(&mut self, start: usize) -> Result<Value<'a>> {
        let n = self.i32("an int", start)?;
        let ndigits = n.unsigned_abs() as usize;
        let left = self.data.len() - self.pos;
        if ndigits.saturating_mul(2) > left {
            return Err(DecodeError::new(
                ErrorKind::Truncated,
                self.data.len(),
                format!("an int begun at byte {start} declares {ndigits} digits, but only {left} bytes remain"),
            ));
        }
        let at = self.pos;
        let digits = self.take(ndigits * 2, "an int", start)?;
        for (i, d) in digits.chunks_exact(2).enumerate() {
            let digit = u16::from_le_bytes([d[0], d[1]]);
            if digit > 0x7fff {
                return Err(DecodeError::new(
                    ErrorKind::BadValue,
                    at + 2 * i,
                    format!("int digit {digit:#x} is out of range (digits are 15-bit)"),
                ));
            }
        }
        Ok(Value::Long { negative: n < 0, digits })
    }

    /// `readDoubleString`: one length byte and the digits.
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

    /// `readString`: a byte count and UTF-8. A count of -1 announces UTF-32, which GraalPy
    /// writes for strings with lone surrogates; pyclens keeps text as UTF-8 slices of the
    /// file, so it refuses those rather than show them wrongly.
    fn string_payload(&mut self, start: usize) -> Result<&'a [u8]> {
        let at = self.pos;
        if self.data.get(at..at + 4) == Some(&[0xff; 4][..]) {
            return Err(DecodeError::new(
                ErrorKind::BadValue,
                at,
                "a GraalPy string in UTF-32 (its form for text with lone surrogates), which pyclens does not decode",
            ));
        }
        let n = self.count(1, "a string", start)?;
        self.take(n, "a string", start)
    }

    /// A string without a type byte (names, file names), as its own node.
    fn string_node(&mut self) -> Result<ObjId> {
        let start = self.pos;
        let data = self.string_payload(start)?;
        Ok(self.push(start, Value::Str { code: StrCode::Unicode, data }))
    }

    /// A byte array without a type byte (`readBytes`), as a `bytes` node.
    fn bytes_node(&mut self, what: &str) -> Result<ObjId> {
        let start = self.pos;
        let n = self.count(1, what, start)?;
        let data = self.take(n, what, start)?;
        Ok(self.push(start, Value::Str { code: StrCode::Bytes, data }))
    }

    /// A typed array without a type byte, as a tuple node of its elements.
    fn typed_array(&mut self, kind: u8, start: usize) -> Result<ObjId> {
        let value = self.array_of(kind, start)?;
        Ok(self.push(start, value))
    }

    /// `]` then the element type: GraalPy's Java arrays (`readJavaArray`).
    fn array(&mut self, start: usize) -> Result<Value<'a>> {
        let kind = self.u8("an array", start)?;
        self.array_of(kind, start)
    }

    fn array_of(&mut self, kind: u8, start: usize) -> Result<Value<'a>> {
        if kind == b'b' {
            let n = self.count(1, "a byte array", start)?;
            return Ok(Value::Str { code: StrCode::Bytes, data: self.take(n, "a byte array", start)? });
        }
        let width = match kind {
            b'i' => 4,
            b'l' | b'd' => 8,
            b's' => 2,
            b'B' | b'S' | b'o' => 1,
            other => {
                return Err(DecodeError::new(
                    ErrorKind::UnknownType,
                    self.pos - 1,
                    format!("unknown GraalPy array type {other:#04x}"),
                ))
            }
        };
        let n = self.count(width, "an array", start)?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            let at = self.pos;
            let id = match kind {
                b'i' => {
                    let v = self.i32("an int array", start)?;
                    self.push(at, Value::Int(i64::from(v)))
                }
                b'l' => {
                    let v = self.i64("a long array", start)?;
                    self.push(at, Value::Int(v))
                }
                b'd' => {
                    let v = self.i64("a double array", start)?;
                    self.push(at, Value::Float { value: f64::from_bits(v as u64) })
                }
                b's' => {
                    let b = self.take(2, "a short array", start)?;
                    self.push(at, Value::Int(i64::from(i16::from_le_bytes([b[0], b[1]]))))
                }
                b'B' => {
                    let v = self.u8("a boolean array", start)?;
                    self.push(at, if v != 0 { Value::True } else { Value::False })
                }
                b'S' => self.string_node()?,
                _ => self.object()?,
            };
            items.push(id);
        }
        Ok(Value::Tuple(items.into_boxed_slice()))
    }

    /// `readSparseTable`: a declared length, then (index, int array) pairs until -1, as a
    /// dict from index to tuple.
    fn sparse_table(&mut self) -> Result<ObjId> {
        let start = self.pos;
        let length = self.i32("a sparse table", start)?;
        let mut pairs = Vec::new();
        loop {
            let at = self.pos;
            let index = self.i32("a sparse table", start)?;
            if index == -1 {
                break;
            }
            if index < 0 || index >= length {
                return Err(DecodeError::new(
                    ErrorKind::BadValue,
                    at,
                    format!("sparse table index {index} outside its length {length}"),
                ));
            }
            let key = self.push(at, Value::Int(i64::from(index)));
            let array_at = self.pos;
            let value = self.typed_array(b'i', array_at)?;
            pairs.push((key, value));
        }
        Ok(self.push(start, Value::Dict(pairs.into_boxed_slice())))
    }

    fn int_field(&mut self, fields: &mut Vec<(Field, FieldValue)>, field: Field, start: usize) -> Result<i32> {
        let at = self.pos;
        let value = self.i32("a code unit", start)?;
        fields.push((field, FieldValue::Int { value, span: span(at, self.pos) }));
        Ok(value)
    }

    fn byte_field(&mut self, fields: &mut Vec<(Field, FieldValue)>, field: Field, start: usize) -> Result<u8> {
        let at = self.pos;
        let value = self.u8("a code unit", start)?;
        fields.push((field, FieldValue::Int { value: i32::from(value), span: span(at, self.pos) }));
        Ok(value)
    }

    /// The outer code record (`readCode`): file name, flags, the serialized code unit,
    /// first line and line table.
    fn outer_code(&mut self, start: usize) -> Result<Value<'a>> {
        let mut fields = Vec::new();
        let id = self.string_node()?;
        fields.push((Field::Filename, FieldValue::Object(id)));
        self.int_field(&mut fields, Field::GraalOuterFlags, start)?;
        let size_at = self.pos;
        let size = self.int_field(&mut fields, Field::GraalUnitSize, start)?;
        let size = usize::try_from(size).ok().filter(|&n| n <= self.data.len() - self.pos).ok_or_else(|| {
            DecodeError::new(
                ErrorKind::BadLength,
                size_at,
                format!("code unit of {size} bytes in the code record begun at byte {start}, past the file's end"),
            )
        })?;
        let unit_end = self.pos + size;
        let typed = self.data.get(self.pos) == Some(&UNIT_TYPE);
        self.unit_typed.get_or_insert(typed);
        if typed {
            self.byte_field(&mut fields, Field::GraalUnitType, start)?;
        }
        // GraalPy serializes the unit with a marshaller of its own (`serializeCodeUnit`), so
        // references inside it count slots from 0 again.
        let outer_refs = std::mem::take(&mut self.refs);
        let unit = self.unit(start, &mut fields);
        self.refs = outer_refs;
        unit?;
        if self.pos != unit_end {
            return Err(DecodeError::new(
                ErrorKind::BadLength,
                size_at,
                format!("the code unit is declared {size} bytes long, but its fields end at byte {}", self.pos),
            ));
        }
        self.int_field(&mut fields, Field::Firstlineno, start)?;
        let id = self.bytes_node("a line table")?;
        fields.push((Field::Lnotab, FieldValue::Object(id)));
        Ok(Value::Code(Box::new(Code { fields })))
    }

    /// A code unit's fields (`readBytecodeCodeUnit`), after its type byte.
    fn unit(&mut self, start: usize, fields: &mut Vec<(Field, FieldValue)>) -> Result<()> {
        let at = self.pos;
        let version = self.byte_field(fields, Field::GraalBytecodeVersion, start)?;
        if version != self.bytecode_version {
            return Err(DecodeError::new(
                ErrorKind::BadValue,
                at,
                format!(
                    "code unit of bytecode version {version} in a file whose magic says version {}",
                    self.bytecode_version
                ),
            ));
        }
        for field in [Field::Name, Field::Qualname] {
            let id = self.string_node()?;
            fields.push((field, FieldValue::Object(id)));
        }
        for field in [Field::Argcount, Field::Kwonlyargcount, Field::Posonlyargcount, Field::Stacksize] {
            self.int_field(fields, field, start)?;
        }
        let id = self.bytes_node("bytecode")?;
        fields.push((Field::Code, FieldValue::Object(id)));
        let id = self.bytes_node("a source-offset table")?;
        fields.push((Field::GraalSrcOffsetTable, FieldValue::Object(id)));
        self.int_field(fields, Field::Flags, start)?;
        for field in [Field::Names, Field::Varnames, Field::Cellvars, Field::Freevars] {
            let at = self.pos;
            let id = self.typed_array(b'S', at)?;
            fields.push((field, FieldValue::Object(id)));
        }
        for (field, kind) in [(Field::Cell2arg, b'i'), (Field::Consts, b'o'), (Field::GraalPrimitiveConstants, b'l')] {
            let at = self.pos;
            let id = self.typed_array(kind, at)?;
            fields.push((field, FieldValue::Object(id)));
        }
        let at = self.pos;
        let id = self.typed_array(b'i', at)?;
        fields.push((Field::GraalExceptionHandlerRanges, FieldValue::Object(id)));
        for field in [
            Field::GraalConditionProfileCount,
            Field::GraalStartLine,
            Field::GraalStartColumn,
            Field::GraalEndLine,
            Field::GraalEndColumn,
        ] {
            self.int_field(fields, field, start)?;
        }
        for field in [Field::GraalOutputCanQuicken, Field::GraalVariableShouldUnbox] {
            let id = self.bytes_node("quickening data")?;
            fields.push((field, FieldValue::Object(id)));
        }
        for field in [Field::GraalGeneralizeInputsMap, Field::GraalGeneralizeVarsMap] {
            let id = self.sparse_table()?;
            fields.push((field, FieldValue::Object(id)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn big_integers_and_arrays() {
        // ']' 'i' [1, -2], then 'B' -(1 + 2 * 2^15).
        let data = [b']', b'i', 2, 0, 0, 0, 1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff];
        let m = read(&data, 0, 29).unwrap().marshalled;
        let items = m.objects.seq(m.root).unwrap();
        assert!(matches!(m.objects.get(items[1]).value, Value::Int(-2)));
        assert_eq!(m.objects.get(items[1]).span, span(10, 14));
        let data = [b'B', 0xfe, 0xff, 0xff, 0xff, 1, 0, 2, 0];
        let m = read(&data, 0, 29).unwrap().marshalled;
        assert!(matches!(m.objects.get(m.root).value, Value::Long { negative: true, digits } if digits.len() == 4));
    }

    #[test]
    fn forged_counts_and_depth_are_refused() {
        let e = read(&[b']', b'l', 0xff, 0xff, 0xff, 0x7f], 0, 29).err().unwrap();
        assert_eq!(e.kind, ErrorKind::Truncated);
        let e = read(&[b'u', 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0], 0, 29).err().unwrap();
        assert_eq!((e.kind, e.offset), (ErrorKind::BadValue, 1));
        let mut deep = [b')', 1].repeat(1000);
        deep.push(b'N');
        let e = read(&deep, 0, 29).err().unwrap();
        assert_eq!((e.kind, e.offset), (ErrorKind::TooDeep, 2 * MAX_DEPTH as usize));
        let e = read(&[b'U', 28], 0, 29).err().unwrap();
        assert_eq!((e.kind, e.offset), (ErrorKind::BadValue, 1));
    }
}
