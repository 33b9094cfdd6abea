//! The JSON document: the one contract between the crate and the CLI, the page and the tests.
//!
//! It is streamed straight from the object arena with serde, without building a second tree:
//! the document of a large module is several times the size of the file, and an
//! intermediate copy would double the work. docs/document.md describes every field.

use crate::code::{kinds, Code, Field, FieldValue};
use crate::constants::Reprs;
use crate::error::{DecodeError, ErrorKind};
use crate::object::{ObjId, Span, Value};
use crate::exceptions::ExceptionEntry;
use crate::lines::{LineRange, Positions};
use crate::{flags, tables, Pyc};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use std::cell::{Cell, RefCell};
use std::fmt;

/// Version of the document layout; bumped whenever a field changes meaning or disappears.
pub const SCHEMA_VERSION: u32 = 1;

/// Writes the document of a decoded file to `out` as it is produced, so a large document
/// never has to exist in memory as a whole. Fails only when `out` does.
pub fn write_json<W: std::io::Write>(pyc: &Pyc, out: W, pretty: bool) -> std::io::Result<()> {
    let ctx = Ctx {
        pyc,
        reprs: Reprs::new(&pyc.objects, pyc.version(), pyc.data.len()),
        diagnostics: RefCell::new(Vec::new()),
        expansion_budget: Cell::new(EXPANSION_PER_NODE * pyc.objects.nodes.len() + EXPANSION_MIN),
    };
    let doc = Doc(&ctx);
    let written = if pretty { serde_json::to_writer_pretty(out, &doc) } else { serde_json::to_writer(out, &doc) };
    // Our Serialize impls never fail and all map keys are strings: only I/O errors remain.
    written.map_err(std::io::Error::from)
}

/// The document as a string (the wasm boundary hands it to JavaScript's `JSON.parse`).
pub fn to_json(pyc: &Pyc, pretty: bool) -> String {
    // Documents run about six times the size of their file.
    let mut out = Vec::with_capacity(pyc.data.len().saturating_mul(7));
    // Writing to a Vec cannot fail, and serde_json writes only valid UTF-8.
    let _ = write_json(pyc, &mut out, pretty);
    String::from_utf8(out).unwrap_or_default()
}

/// Repeated nodes allowed per node of the file, and at least (see `Ctx::may_expand`).
const EXPANSION_PER_NODE: usize = 16;
const EXPANSION_MIN: usize = 10_000;

/// State shared by every node while one document is written.
struct Ctx<'p, 'a> {
    pyc: &'p Pyc<'a>,
    reprs: Reprs<'p, 'a>,
    /// Problems that do not stop decoding (invalid UTF-8, odd field types, trailing bytes).
    diagnostics: RefCell<Vec<DecodeError>>,
    /// Nodes that back-references may still repeat (see `may_expand`).
    expansion_budget: Cell<usize>,
}

impl Ctx<'_, '_> {
    /// Whether a back-reference may repeat its target's contents: yes while the total of
    /// repeated nodes stays within a multiple of the nodes in the file. Real files share
    /// small tuples (a constant-folded tuple nested 50 deep costs about 1,300 repeats);
    /// crafted chains of references would otherwise grow the document exponentially. Once
    /// the budget is spent, references only link to their target.
    fn may_expand(&self, target: ObjId) -> bool {
        let left = self.expansion_budget.get();
        if left == 0 {
            return false;
        }
        let size = self.pyc.objects.subtree_size(target, left);
        if size > left {
            self.expansion_budget.set(0);
            self.note(
                ErrorKind::BadLength,
                self.pyc.objects.get(target).span.start,
                "back-references repeat more objects than the file holds; later references only link to their target".into(),
            );
            return false;
        }
        self.expansion_budget.set(left - size);
        true
    }

    fn note(&self, kind: ErrorKind, offset: u32, message: String) {
        self.diagnostics.borrow_mut().push(DecodeError::new(kind, offset as usize, message));
    }
}

struct Doc<'c, 'p, 'a>(&'c Ctx<'p, 'a>);

impl Serialize for Doc<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ctx = self.0;
        let pyc = ctx.pyc;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("schema", &SCHEMA_VERSION)?;
        m.serialize_entry("pyclens", env!("CARGO_PKG_VERSION"))?;
        m.serialize_entry("header", &HeaderSer(pyc))?;
        m.serialize_entry("code", &Node { ctx, id: pyc.root })?;
        if !matches!(pyc.objects.get(pyc.root).value, Value::Code(_)) {
            ctx.note(
                ErrorKind::BadCodeField,
                pyc.objects.get(pyc.root).span.start,
                format!("the object after the header is a {}, not a code object", ctx.reprs.type_name(pyc.root)),
            );
        }
        let trailing = (pyc.end < pyc.data.len()).then_some(Trailing { span: [pyc.end as u32, pyc.data.len() as u32] });
        if trailing.is_some() {
            ctx.note(
                ErrorKind::TrailingBytes,
                pyc.end as u32,
                format!("{} bytes follow the module's code object; CPython's loader ignores them", pyc.data.len() - pyc.end),
            );
        }
        m.serialize_entry("trailing", &trailing)?;
        if ctx.reprs.exhausted() {
            ctx.note(ErrorKind::BadLength, 0, "some reprs were cut short: the file's objects render to far more text than real files do".into());
        }
        m.serialize_entry("diagnostics", &*ctx.diagnostics.borrow())?;
        m.end()
    }
}

/// Bytes after the root object.
#[derive(Serialize)]
struct Trailing {
    span: [u32; 2],
}

struct HeaderSer<'p, 'a>(&'p Pyc<'a>);

impl Serialize for HeaderSer<'_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let h = &self.0.header;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("magic", &Hex(&h.magic.bytes))?;
        m.serialize_entry("magic_number", &h.magic.number)?;
        m.serialize_entry("python", &h.version().to_string())?;
        m.serialize_entry("implementation", "CPython")?;
        m.serialize_entry("unicode_literals", &h.magic.unicode_literals)?;
        m.serialize_entry("size", &h.size)?;
        m.serialize_entry("flags", &h.flags)?;
        m.serialize_entry("kind", &h.kind)?;
        m.serialize_entry("mtime", &h.mtime)?;
        m.serialize_entry("source_size", &h.source_size)?;
        m.serialize_entry("source_hash", &h.source_hash.as_ref().map(|b| Hex(b)))?;
        m.serialize_entry("span", &SpanSer(Span { start: 0, end: h.size as u32 }))?;
        m.end()
    }
}

/// Any marshalled object in value position: a constant, or the root.
struct Node<'c, 'p, 'a> {
    ctx: &'c Ctx<'p, 'a>,
    id: ObjId,
}

impl Serialize for Node<'_, '_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let ctx = self.ctx;
        let objects = &ctx.pyc.objects;
        let node = objects.get(self.id);
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("type", ctx.reprs.type_name(self.id))?;
        m.serialize_entry("repr", &*ctx.reprs.repr(self.id))?;
        m.serialize_entry("span", &SpanSer(node.span))?;
        if let Some(slot) = node.ref_slot {
            m.serialize_entry("ref_slot", &slot)?;
        }
        // A reference repeats its target's contents when the expansion budget allows;
        // either way it names the slot and the target's span.
        let body = match &node.value {
            Value::Ref { slot, target } => {
                m.serialize_entry("ref", slot)?;
                m.serialize_entry("target", &SpanSer(objects.get(*target).span))?;
                ctx.may_expand(*target).then(|| objects.get(*target))
            }
            Value::StringRef { index, target } => {
                m.serialize_entry("interned_ref", index)?;
                m.serialize_entry("target", &SpanSer(objects.get(*target).span))?;
                None
            }
            _ => Some(node),
        };
        let Some(body) = body else { return m.end() };
        match &body.value {
            Value::Tuple(items) | Value::List(items) | Value::Set(items) | Value::FrozenSet(items) => {
                m.serialize_entry("items", &Items { ctx, ids: items })?;
            }
            Value::Slice(parts) => m.serialize_entry("items", &Items { ctx, ids: parts })?,
            Value::Dict(pairs) | Value::FrozenDict(pairs) => {
                m.serialize_entry("items", &Pairs { ctx, pairs })?;
            }
            Value::Str { code, data } if code.is_text(ctx.pyc.version().major) => {
                if let Err(at) = crate::repr::validate_wtf8(data) {
                    let offset = body.span.end - data.len() as u32 + at as u32;
                    m.serialize_entry("invalid_utf8_at", &offset)?;
                    // Reported once, where the string itself is, not at each reference.
                    if std::ptr::eq(body, node) {
                        ctx.note(ErrorKind::InvalidText, offset, "string is not valid UTF-8; its bytes are kept and shown escaped".into());
                    }
                }
            }
            Value::Code(code) => CodeFields { ctx, code }.write(&mut m)?,
            _ => {}
        }
        m.end()
    }
}

struct Items<'c, 'p, 'a, 'i> {
    ctx: &'c Ctx<'p, 'a>,
    ids: &'i [ObjId],
}

impl Serialize for Items<'_, '_, '_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.ids.len()))?;
        for &id in self.ids {
            seq.serialize_element(&Node { ctx: self.ctx, id })?;
        }
        seq.end()
    }
}

struct Pairs<'c, 'p, 'a, 'i> {
    ctx: &'c Ctx<'p, 'a>,
    pairs: &'i [(ObjId, ObjId)],
}

impl Serialize for Pairs<'_, '_, '_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.pairs.len()))?;
        for &(k, v) in self.pairs {
            seq.serialize_element(&[Node { ctx: self.ctx, id: k }, Node { ctx: self.ctx, id: v }])?;
        }
        seq.end()
    }
}

/// The `co_*` fields of one code object, on-disk ones in file order, then derived ones.
struct CodeFields<'c, 'p, 'a, 'k> {
    ctx: &'c Ctx<'p, 'a>,
    code: &'k Code,
}

impl CodeFields<'_, '_, '_, '_> {
    fn write<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let ctx = self.ctx;
        let objects = &ctx.pyc.objects;
        let version = ctx.pyc.version();
        for &(field, value) in &self.code.fields {
            let key = field.key();
            let id = match value {
                FieldValue::Int { value, .. } => {
                    m.serialize_entry(key, &value)?;
                    continue;
                }
                FieldValue::Object(id) => id,
            };
            match field {
                Field::Code | Field::Lnotab | Field::Linetable | Field::Exceptiontable | Field::Localspluskinds => {
                    match self.bytes(id) {
                        Some(b) => m.serialize_entry(key, &Hex(b))?,
                        None => self.unexpected(m, key, id, "bytes")?,
                    }
                }
                Field::Consts => match objects.seq(id) {
                    Some(items) => m.serialize_entry(key, &Items { ctx, ids: items })?,
                    None => self.unexpected(m, key, id, "a tuple")?,
                },
                Field::Names | Field::Varnames | Field::Freevars | Field::Cellvars | Field::Localsplusnames => {
                    match objects.seq(id) {
                        Some(items) => m.serialize_entry(key, &Names { ctx, ids: items })?,
                        None => self.unexpected(m, key, id, "a tuple of names")?,
                    }
                }
                Field::Filename | Field::Name | Field::Qualname => match objects.str_bytes(id) {
                    Some(text) => m.serialize_entry(key, &Text { ctx, bytes: text, at: objects.resolve(id).span })?,
                    None => self.unexpected(m, key, id, "a string")?,
                },
                Field::Argcount
                | Field::Posonlyargcount
                | Field::Kwonlyargcount
                | Field::Nlocals
                | Field::Stacksize
                | Field::Flags
                | Field::Firstlineno => m.serialize_entry(key, &Node { ctx, id })?,
            }
        }
        self.write_localsplus(m)?;
        let tables = tables::derive(objects, self.code, version, ctx.pyc.header.magic.number_or_zero());
        ctx.diagnostics.borrow_mut().extend(tables.errors.iter().cloned());
        if let Some(lnotab) = &tables.synthesized_lnotab {
            m.serialize_entry("co_lnotab", &Hex(lnotab))?;
        }
        m.serialize_entry("linestarts", &tables.linestarts)?;
        if let Some(lines) = &tables.lines {
            m.serialize_entry("lines", &LinesSer(lines))?;
        }
        if let Some(runs) = &tables.positions {
            m.serialize_entry("positions", &PositionsSer(runs))?;
        }
        if let Some(entries) = &tables.exception_table {
            m.serialize_entry("exception_table", &entries.iter().map(ExceptionSer).collect::<Vec<_>>())?;
        }
        if let Some(bits) = self.code.int(Field::Flags) {
            m.serialize_entry("flags", &flags::names(bits as u32, version))?;
        }
        m.serialize_entry("spans", &FieldSpans { ctx, code: self.code })
    }

    /// 3.11+ stores locals, cells and free variables in one table; CPython derives the
    /// classic attributes from the kind bits (pyc-format.md §4.8).
    fn write_localsplus<M: SerializeMap>(&self, m: &mut M) -> Result<(), M::Error> {
        let objects = &self.ctx.pyc.objects;
        let names = self.code.object(Field::Localsplusnames).and_then(|id| objects.seq(id));
        let kinds = self.code.object(Field::Localspluskinds).and_then(|id| self.bytes(id));
        let (Some(names), Some(kinds)) = (names, kinds) else { return Ok(()) };
        let pick = |bit: u8| -> Vec<ObjId> {
            names.iter().zip(kinds).filter(|(_, k)| *k & bit != 0).map(|(id, _)| *id).collect()
        };
        let varnames = pick(kinds::LOCAL);
        m.serialize_entry("co_varnames", &Names { ctx: self.ctx, ids: &varnames })?;
        m.serialize_entry("co_cellvars", &Names { ctx: self.ctx, ids: &pick(kinds::CELL) })?;
        m.serialize_entry("co_freevars", &Names { ctx: self.ctx, ids: &pick(kinds::FREE) })?;
        m.serialize_entry("co_nlocals", &varnames.len())
    }

    fn bytes(&self, id: ObjId) -> Option<&[u8]> {
        match self.ctx.pyc.objects.resolve(id).value {
            Value::Str { data, .. } => Some(data),
            _ => None,
        }
    }

    /// A field of the wrong marshal type: shown as a plain value and reported.
    fn unexpected<M: SerializeMap>(&self, m: &mut M, key: &str, id: ObjId, wanted: &str) -> Result<(), M::Error> {
        let ctx = self.ctx;
        let span = ctx.pyc.objects.get(id).span;
        ctx.note(
            ErrorKind::BadCodeField,
            span.start,
            format!("{key} should be {wanted} but is a {}", ctx.reprs.type_name(id)),
        );
        m.serialize_entry(key, &Node { ctx, id })
    }
}

/// A tuple of names as an array of strings.
struct Names<'c, 'p, 'a, 'i> {
    ctx: &'c Ctx<'p, 'a>,
    ids: &'i [ObjId],
}

impl Serialize for Names<'_, '_, '_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let objects = &self.ctx.pyc.objects;
        let mut seq = s.serialize_seq(Some(self.ids.len()))?;
        for &id in self.ids {
            let node = objects.resolve(id);
            match node.value {
                Value::Str { data, .. } => seq.serialize_element(&Text { ctx: self.ctx, bytes: data, at: node.span })?,
                _ => {
                    self.ctx.note(
                        ErrorKind::BadCodeField,
                        node.span.start,
                        format!("a name should be a string but is a {}", self.ctx.reprs.type_name(id)),
                    );
                    seq.serialize_element(&Node { ctx: self.ctx, id })?
                }
            }
        }
        seq.end()
    }
}

/// A name or file name: UTF-8 passes through; anything else is shown with replacement
/// characters and reported, since JSON strings cannot carry arbitrary bytes.
struct Text<'c, 'p, 'a, 'b> {
    ctx: &'c Ctx<'p, 'a>,
    bytes: &'b [u8],
    at: Span,
}

impl Serialize for Text<'_, '_, '_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match std::str::from_utf8(self.bytes) {
            Ok(text) => s.serialize_str(text),
            Err(e) => {
                let offset = self.at.end - self.bytes.len() as u32 + e.valid_up_to() as u32;
                self.ctx.note(ErrorKind::InvalidText, offset, "name is not valid UTF-8; shown with U+FFFD".into());
                s.serialize_str(&String::from_utf8_lossy(self.bytes))
            }
        }
    }
}

/// Byte ranges of each field, so a viewer can map a field to its bytes and back.
struct FieldSpans<'c, 'p, 'a, 'k> {
    ctx: &'c Ctx<'p, 'a>,
    code: &'k Code,
}

impl Serialize for FieldSpans<'_, '_, '_, '_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.code.fields.len()))?;
        for &(field, value) in &self.code.fields {
            let span = match value {
                FieldValue::Int { span, .. } => span,
                FieldValue::Object(id) => self.ctx.pyc.objects.get(id).span,
            };
            m.serialize_entry(field.key(), &SpanSer(span))?;
        }
        m.end()
    }
}

/// `co_lines()` rows: `[start, end, line]`.
struct LinesSer<'t>(&'t [LineRange]);

impl Serialize for LinesSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|r| (r.start, r.end, r.line)))
    }
}

/// `co_positions()` runs: `[units, line, end_line, col, end_col]`.
struct PositionsSer<'t>(&'t [(u32, Positions)]);

impl Serialize for PositionsSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|(n, p)| (n, p.line, p.end_line, p.col, p.end_col)))
    }
}

/// One exception-table entry, in byte offsets.
struct ExceptionSer<'e>(&'e ExceptionEntry);

impl Serialize for ExceptionSer<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let e = self.0;
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("start", &e.start)?;
        m.serialize_entry("end", &e.end)?;
        m.serialize_entry("target", &e.target)?;
        m.serialize_entry("depth", &e.depth)?;
        m.serialize_entry("lasti", &e.lasti)?;
        m.end()
    }
}

/// `[start, end]`.
struct SpanSer(Span);

impl Serialize for SpanSer {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.0.start, self.0.end].serialize(s)
    }
}

/// Bytes as a lowercase hex string, written without an intermediate allocation.
struct Hex<'b>(&'b [u8]);

impl fmt::Display for Hex<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const DIGITS: &[u8; 16] = b"0123456789abcdef";
        let mut buf = [0u8; 128];
        for chunk in self.0.chunks(64) {
            for (i, b) in chunk.iter().enumerate() {
                buf[2 * i] = DIGITS[(b >> 4) as usize];
                buf[2 * i + 1] = DIGITS[(b & 15) as usize];
            }
            // Only ASCII hex digits were written.
            f.write_str(std::str::from_utf8(&buf[..2 * chunk.len()]).map_err(|_| fmt::Error)?)?;
        }
        Ok(())
    }
}

impl Serialize for Hex<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
