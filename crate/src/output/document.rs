//! The JSON document: the one contract between the crate and the CLI, the page and the tests.
//!
//! It is streamed straight from the object arena through [`JsonWriter`], without building a
//! second tree: the document of a large module is several times the size of the file, and
//! an intermediate copy would double the work. docs/document.md describes every field.

#[cfg(feature = "analysis")]
use crate::analysis::{self, Analysis};
use crate::bytecode::disasm::{Disassembler, Disassembly};
#[cfg(feature = "analysis")]
use crate::bytecode::exceptions::ExceptionEntry;
use crate::bytecode::tables::{self, Tables};
use crate::error::{DecodeError, ErrorKind};
use crate::output::json::JsonWriter;
use crate::output::rows::{Rows, StackColumns};
#[cfg(not(target_arch = "wasm32"))]
use crate::output::tails::{self, Rendered, Tails};
use crate::pyc::code::{self, kinds, Code, Field, FieldValue};
use crate::pyc::header::PycKind;
use crate::pyc::object::{ObjId, Object, Span, Value};
use crate::pyc::reading::Reading;
use crate::pyc::version::Implementation;
use crate::values::constants::Reprs;
#[cfg(not(target_arch = "wasm32"))]
use crate::values::constants::BUDGET_PER_BYTE;
use crate::values::flags;
use crate::Pyc;
use std::cell::{Cell, RefCell};
use std::io::Write;

/// Version of the document layout; bumped whenever a field changes meaning or disappears.
pub const SCHEMA_VERSION: i64 = 2;

/// The columns of an `instructions` row, in order: what `dis.get_instructions` reports that
/// cannot be worked out from the neighbouring rows, then (with the analysis) the stack.
/// The columns that are usually `null` come last, and a row stops at its last non-null value.
#[cfg(feature = "analysis")]
const INSTRUCTION_FIELDS: &[&str] = &[
    "offset",
    "opcode",
    "arg",
    "argval",
    "argrepr",
    "line",
    "starts_line",
    "label",
    "stack_depth",
    "stack_effect",
    "jump_target",
    "stack_effect_jump",
];
#[cfg(not(feature = "analysis"))]
const INSTRUCTION_FIELDS: &[&str] =
    &["offset", "opcode", "arg", "argval", "argrepr", "line", "starts_line", "label", "jump_target"];

/// Writes the document of a decoded file to `out` as it is produced, so a large document
/// never has to exist in memory as a whole. Fails only when `out` does.
pub fn write_json<W: Write>(pyc: &Pyc, out: W, pretty: bool) -> std::io::Result<()> {
    let mut j = JsonWriter::new(out, pretty);
    // Compact documents (the default, and what machines read) render instructions on the
    // other cores too; a fragment cannot know the indentation of a pretty one.
    #[cfg(not(target_arch = "wasm32"))]
    if !pretty {
        write_with_workers(pyc, &mut j, tails::workers());
        return j.finish().map(drop);
    }
    Ctx::new(pyc).document(&mut j);
    j.finish().map(drop)
}

/// The document written by this thread with `workers` threads rendering tails ahead of it
/// (see [`crate::output::tails`]); by this thread alone when there are none.
#[cfg(not(target_arch = "wasm32"))]
fn write_with_workers<W: Write>(pyc: &Pyc, j: &mut JsonWriter<W>, workers: usize) {
    match Tails::plan(pyc).filter(|_| workers > 0) {
        Some(tails) => write_sharing(pyc, j, workers, &tails),
        None => Ctx::new(pyc).document(j),
    }
}

/// The document written by this thread while `workers` threads render `tails`.
#[cfg(not(target_arch = "wasm32"))]
fn write_sharing<W: Write>(pyc: &Pyc, j: &mut JsonWriter<W>, workers: usize, tails: &Tails<Vec<u8>>) {
    tails.share(
        workers,
        || Ctx::new(pyc),
        |ctx, id| ctx.render_tail(id, tails),
        || {
            let helper = Ctx::new(pyc);
            let mut ctx = Ctx::new(pyc);
            ctx.tails = Some((tails, &helper));
            ctx.document(j);
        },
    );
}

/// The document as a string (the wasm boundary hands it to `JSON.parse`). Written through
/// the in-memory writer in both styles, so the wasm build carries one copy of the writer.
pub fn to_json(pyc: &Pyc, pretty: bool) -> String {
    // Documents run about six times the size of their file.
    let mut j = JsonWriter::in_memory(pyc.data.len().saturating_mul(7), pretty);
    Ctx::new(pyc).document(&mut j);
    // The writer emits only valid UTF-8.
    String::from_utf8(j.into_bytes()).unwrap_or_default()
}

/// The summary document (see [`crate::Pyc::summary_json`]).
pub fn summary_json(pyc: &Pyc) -> String {
    let ctx = Ctx::new(pyc);
    let mut j = JsonWriter::in_memory(4096, false);
    j.begin_object();
    ctx.preamble(&mut j);
    j.key("codes");
    j.begin_array();
    for (index, entry) in pyc.code_tree().iter().enumerate() {
        let Value::Code(code) = &pyc.objects.get(entry.id).value else { continue };
        j.begin_object();
        j.key("index");
        j.int(index as i64);
        j.key("parent");
        j.opt_int(entry.parent.map(|p| p as i64));
        j.key("depth");
        j.int(entry.depth as i64);
        for field in [Field::Name, Field::Qualname] {
            if let Some(text) = code.object(field).and_then(|id| pyc.objects.str_bytes(id)) {
                j.key(field.key());
                ctx.text(&mut j, text, pyc.objects.get(entry.id).span);
            }
        }
        if let Some(line) = code.int(Field::Firstlineno) {
            j.key("co_firstlineno");
            j.int(line);
        }
        if let Some(consts) = code.object(Field::Consts).and_then(|c| pyc.objects.seq(c)) {
            j.key("consts");
            j.int(consts.len() as i64);
        }
        ctx.flag_names(&mut j, code);
        j.key("span");
        ctx.span(&mut j, pyc.objects.get(entry.id).span);
        j.end_object();
    }
    j.end_array();
    ctx.epilogue(&mut j);
    j.end_object();
    String::from_utf8(j.into_bytes()).unwrap_or_default()
}

/// One code object's document (see [`crate::Pyc::code_json`]).
pub fn code_json(pyc: &Pyc, index: usize) -> Option<String> {
    let tree = pyc.code_tree();
    let root = tree.get(index)?.id;
    let mut ctx = Ctx::new(pyc);
    ctx.shallow = Some((root, tree.iter().enumerate().map(|(i, e)| (e.id, i)).collect()));
    let mut j = JsonWriter::in_memory(4096, false);
    j.begin_object();
    ctx.table_keys(&mut j);
    j.key("code");
    ctx.node(&mut j, root);
    j.key("diagnostics");
    ctx.diagnostics_array(&mut j);
    j.end_object();
    Some(String::from_utf8(j.into_bytes()).unwrap_or_default())
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
    /// Instruction decoder of the file's version (`None`: no opcode table for it).
    disassembler: Option<Disassembler<'p, 'a>>,
    /// For a one-code-object document: that object, and the tree index of every code
    /// object, so the others are written as stubs that name their index.
    shallow: Option<(ObjId, std::collections::HashMap<ObjId, usize>)>,
    /// Tails rendered on other threads, for the writer of a whole compact document, with
    /// the context the writer renders later tails in while a worker has the one it needs
    /// (see [`Tails::take`]).
    #[cfg(not(target_arch = "wasm32"))]
    tails: Option<(&'p Tails<Vec<u8>>, &'p Ctx<'p, 'a>)>,
}

impl<'p, 'a> Ctx<'p, 'a> {
    fn new(pyc: &'p Pyc<'a>) -> Self {
        Ctx {
            pyc,
            reprs: Reprs::new(&pyc.objects, pyc.version(), pyc.header.magic.implementation, pyc.data.len()),
            diagnostics: RefCell::new(Vec::new()),
            expansion_budget: Cell::new(EXPANSION_PER_NODE * pyc.objects.nodes.len() + EXPANSION_MIN),
            disassembler: Disassembler::new(&pyc.objects, pyc.version(), pyc.header.magic.implementation),
            shallow: None,
            #[cfg(not(target_arch = "wasm32"))]
            tails: None,
        }
    }

    fn note(&self, kind: ErrorKind, offset: u32, message: String) {
        self.diagnostics.borrow_mut().push(DecodeError::new(kind, offset as usize, message));
    }

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
                "back-references repeat more objects than the file holds; later references only link to their target"
                    .into(),
            );
            return false;
        }
        self.expansion_budget.set(left - size);
        true
    }

    fn document<W: Write>(&self, j: &mut JsonWriter<W>) {
        j.begin_object();
        self.preamble(j);
        self.table_keys(j);
        j.key("code");
        self.node(j, self.pyc.root);
        self.epilogue(j);
        j.end_object();
    }

    /// `schema`, `pyclens` and `header`: the first keys of the document and the summary.
    fn preamble<W: Write>(&self, j: &mut JsonWriter<W>) {
        j.key("schema");
        j.int(SCHEMA_VERSION);
        j.key("pyclens");
        j.string(env!("CARGO_PKG_VERSION"));
        j.key("header");
        self.header(j);
    }

    /// `code_fields`, `instruction_fields` and `opnames`: the keys that every code node's
    /// `field_offsets` and `instructions` rows leave out, once per document (the last two
    /// `null` when pyclens has no opcode table for the version).
    fn table_keys<W: Write>(&self, j: &mut JsonWriter<W>) {
        j.key("code_fields");
        j.begin_row();
        for &(field, _) in code::layout_for(&self.pyc.header.magic) {
            j.string(field.key());
        }
        j.end_row();
        if self.pyc.header.magic.implementation == Implementation::GraalPy {
            // GraalPy's nested code units store only these (docs/document.md, GraalPy).
            j.key("code_unit_fields");
            j.begin_row();
            for &(field, _) in code::LAYOUT_GRAALPY_UNIT {
                j.string(field.key());
            }
            j.end_row();
        }
        j.key("instruction_fields");
        let Some(dis) = &self.disassembler else {
            j.null();
            j.key("opnames");
            j.null();
            return;
        };
        j.begin_row();
        for field in INSTRUCTION_FIELDS {
            j.string(field);
            // Read by a person, a row names its opcode.
            if *field == "opcode" && j.is_pretty() {
                j.string("opname");
            }
        }
        j.end_row();
        j.key("opnames");
        j.begin_row();
        let mut name = String::new();
        for op in 0..=255u8 {
            name.clear();
            dis.opname_into(op, &mut name);
            j.string(&name);
        }
        j.end_row();
    }

    /// `trailing` and `diagnostics`: the last keys of the document and the summary.
    fn epilogue<W: Write>(&self, j: &mut JsonWriter<W>) {
        let pyc = self.pyc;
        let root = pyc.objects.get(pyc.root);
        if !matches!(root.value, Value::Code(_)) {
            self.note(
                ErrorKind::BadCodeField,
                root.span.start,
                format!("the object after the header is a {}, not a code object", self.reprs.type_name(pyc.root)),
            );
        }
        j.key("trailing");
        if pyc.end < pyc.data.len() {
            j.begin_object();
            j.key("span");
            j.pair(pyc.end as i64, pyc.data.len() as i64);
            j.end_object();
            self.note(
                ErrorKind::TrailingBytes,
                pyc.end as u32,
                format!(
                    "{} bytes follow the module's code object; CPython's loader ignores them",
                    pyc.data.len() - pyc.end
                ),
            );
        } else {
            j.null();
        }
        if self.reprs.exhausted() {
            self.note(
                ErrorKind::BadLength,
                0,
                "some reprs were cut short: the file's objects render to far more text than real files do".into(),
            );
        }
        j.key("diagnostics");
        self.diagnostics_array(j);
    }

    fn diagnostics_array<W: Write>(&self, j: &mut JsonWriter<W>) {
        j.begin_array();
        for d in self.diagnostics.borrow().iter() {
            j.begin_object();
            j.key("kind");
            j.string(d.kind.name());
            j.key("offset");
            j.int(d.offset as i64);
            j.key("message");
            j.string(&d.message);
            j.end_object();
        }
        j.end_array();
    }

    fn header<W: Write>(&self, j: &mut JsonWriter<W>) {
        let h = &self.pyc.header;
        // The magic as found: none without a header, the file's own when read as another version.
        let found = match &self.pyc.reading {
            Reading::Given { found } => *found,
            _ if h.kind == PycKind::Headerless => None,
            _ => Some(h.magic),
        };
        j.begin_object();
        j.key("magic");
        match &found {
            Some(m) => j.hex(&m.bytes),
            None => j.null(),
        }
        j.key("magic_number");
        j.opt_int(found.and_then(|m| m.number).map(i64::from));
        j.key("python");
        j.string(&h.version().to_string());
        j.key("implementation");
        j.string(h.magic.implementation.name());
        j.key("unicode_literals");
        j.bool(h.magic.unicode_literals);
        j.key("size");
        j.int(h.size as i64);
        j.key("flags");
        j.opt_int(h.flags.map(i64::from));
        j.key("kind");
        j.string(h.kind.name());
        j.key("mtime");
        j.opt_int(h.mtime.map(i64::from));
        j.key("source_size");
        j.opt_int(h.source_size.map(i64::from));
        j.key("source_hash");
        match &h.source_hash {
            Some(hash) => j.hex(hash),
            None => j.null(),
        }
        j.key("span");
        j.pair(0, h.size as i64);
        self.reading(j);
        if cfg!(feature = "foreign") {
            decrypted(h, j);
        }
        j.end_object();
    }

    /// `"reading"`, when the version was not taken from the magic: chosen by the reader, or
    /// inferred for headerless data with the versions that fit and why the others do not.
    fn reading<W: Write>(&self, j: &mut JsonWriter<W>) {
        let reading = &self.pyc.reading;
        if *reading == Reading::Magic {
            return;
        }
        j.key("reading");
        j.begin_object();
        j.key("from");
        j.string(reading.name());
        if let Reading::Inferred { tried } = reading {
            j.key("fits");
            j.begin_array();
            for (v, _) in tried.iter().filter(|(_, m)| m.is_none()) {
                j.string(&v.to_string());
            }
            j.end_array();
            j.key("rejected");
            j.begin_array();
            for (v, m) in tried.iter().filter_map(|(v, m)| Some((v, m.as_ref()?))) {
                j.begin_object();
                j.key("python");
                j.string(&v.to_string());
                j.key("offset");
                j.int(m.offset as i64);
                j.key("reason");
                j.string(&m.reason);
                j.end_object();
            }
            j.end_array();
        }
        j.end_object();
    }

    /// `"flags": [...]`, the names of the set `co_flags` bits for the file's version.
    fn flag_names<W: Write>(&self, j: &mut JsonWriter<W>, code: &Code) {
        if let Some(bits) = code.int(Field::Flags) {
            j.key("flags");
            j.begin_array();
            if self.pyc.header.magic.implementation == Implementation::RustPython {
                // RustPython's own `CodeFlags` bits, not CPython's `CO_*`.
                for &(bit, name) in crate::bytecode::opcodes::rustpython::CODE_FLAGS {
                    if bits & i64::from(bit) != 0 {
                        j.string(name);
                    }
                }
            } else {
                for name in flags::names(bits as u32, self.pyc.version()) {
                    j.string(&name);
                }
            }
            j.end_array();
        }
    }

    fn span<W: Write>(&self, j: &mut JsonWriter<W>, span: Span) {
        j.pair(i64::from(span.start), i64::from(span.end));
    }

    /// Any marshalled object in value position: a constant, an item, or the root.
    fn node<W: Write>(&self, j: &mut JsonWriter<W>, id: ObjId) {
        let objects = &self.pyc.objects;
        let node = objects.get(id);
        j.begin_object();
        j.key("type");
        j.string(self.reprs.type_name(id));
        j.key("repr");
        j.string(&self.reprs.repr(id));
        j.key("span");
        self.span(j, node.span);
        if let Some((root, indexes)) = &self.shallow {
            if let (Some(&index), true) = (indexes.get(&id), id != *root) {
                j.key("code_index");
                j.int(index as i64);
                j.end_object();
                return;
            }
        }
        if let Some(slot) = node.ref_slot {
            j.key("ref_slot");
            j.int(i64::from(slot));
        }
        // A reference repeats its target's contents when the expansion budget allows;
        // either way it names the slot and the target's span.
        let body = match &node.value {
            Value::Ref { slot, target } => {
                j.key("ref");
                j.int(i64::from(*slot));
                j.key("target");
                self.span(j, objects.get(*target).span);
                self.may_expand(*target).then(|| (*target, objects.get(*target)))
            }
            Value::StringRef { index, target } => {
                j.key("interned_ref");
                j.int(i64::from(*index));
                j.key("target");
                self.span(j, objects.get(*target).span);
                None
            }
            _ => Some((id, node)),
        };
        if let Some((body_id, body)) = body {
            self.body(j, node, body_id, body);
        }
        j.end_object();
    }

    /// The contents of `body` (the node itself, or the target of a reference), `body_id`.
    fn body<W: Write>(&self, j: &mut JsonWriter<W>, node: &Object, body_id: ObjId, body: &Object) {
        match &body.value {
            Value::Tuple(items) | Value::List(items) | Value::Set(items) | Value::FrozenSet(items) => {
                j.key("items");
                self.items(j, items);
            }
            Value::Slice(parts) => {
                j.key("items");
                self.items(j, parts);
            }
            Value::Dict(pairs) | Value::FrozenDict(pairs) => {
                j.key("items");
                j.begin_array();
                for &(k, v) in pairs {
                    j.begin_array();
                    self.node(j, k);
                    self.node(j, v);
                    j.end_array();
                }
                j.end_array();
            }
            Value::Str { code, data } if code.is_text(self.pyc.version().major) => {
                if let Err(at) = crate::values::repr::validate_wtf8(data) {
                    let offset = body.span.end - data.len() as u32 + at as u32;
                    j.key("invalid_utf8_at");
                    j.int(i64::from(offset));
                    // Reported once, where the string itself is, not at each reference.
                    if std::ptr::eq(body, node) {
                        self.note(
                            ErrorKind::InvalidText,
                            offset,
                            "string is not valid UTF-8; its bytes are kept and shown escaped".into(),
                        );
                    }
                }
            }
            Value::Code(code) => self.code_fields(j, body_id, code),
            _ => {}
        }
    }

    fn items<W: Write>(&self, j: &mut JsonWriter<W>, ids: &[ObjId]) {
        j.begin_array();
        for &id in ids {
            self.node(j, id);
        }
        j.end_array();
    }

    /// The `co_*` fields of code object `id`: on-disk ones in file order, then its tail.
    // `id` finds the tail workers rendered; the browser's module has no workers.
    #[cfg_attr(target_arch = "wasm32", allow(unused_variables))]
    fn code_fields<W: Write>(&self, j: &mut JsonWriter<W>, id: ObjId, code: &Code) {
        let objects = &self.pyc.objects;
        for &(field, value) in &code.fields {
            let key = field.key();
            let id = match value {
                FieldValue::Int { value, .. } => {
                    j.key(key);
                    j.int(i64::from(value));
                    continue;
                }
                FieldValue::Object(id) => id,
            };
            match field {
                Field::Code
                | Field::Lnotab
                | Field::Linetable
                | Field::Exceptiontable
                | Field::Localspluskinds
                | Field::Locations
                | Field::GraalSrcOffsetTable
                | Field::GraalOutputCanQuicken
                | Field::GraalVariableShouldUnbox => match self.bytes(id) {
                    Some(b) => {
                        j.key(key);
                        j.hex(b);
                    }
                    None => self.unexpected(j, key, id, "bytes"),
                },
                Field::Consts => match objects.seq(id) {
                    Some(items) => {
                        j.key(key);
                        self.items(j, items);
                    }
                    None => self.unexpected(j, key, id, "a tuple"),
                },
                Field::Names | Field::Varnames | Field::Freevars | Field::Cellvars | Field::Localsplusnames => {
                    match objects.seq(id) {
                        Some(items) => {
                            j.key(key);
                            self.names(j, items);
                        }
                        None => self.unexpected(j, key, id, "a tuple of names"),
                    }
                }
                Field::Filename | Field::Name | Field::Qualname => match objects.str_bytes(id) {
                    Some(text) => {
                        j.key(key);
                        self.text(j, text, objects.resolve(id).span);
                    }
                    None => self.unexpected(j, key, id, "a string"),
                },
                // Integer fields are never marshal objects in any layout; shown as found.
                _ => {
                    j.key(key);
                    self.node(j, id);
                }
            }
        }
        #[cfg(not(target_arch = "wasm32"))]
        if let Some(rendered) =
            self.tails.and_then(|(tails, helper)| tails.take(id, |later| helper.render_tail(later, tails)))
        {
            j.splice(&rendered.out);
            self.diagnostics.borrow_mut().extend(rendered.diagnostics);
            self.reprs.forget();
            return;
        }
        self.tail(j, code);
    }

    /// A worker's rendering of the tail of code object `id` (see [`crate::output::tails`]),
    /// within its share of the document's repr `budget`; `None` leaves it to the writer:
    /// a large code object, or one whose tail met a limit the writer must apply in order.
    #[cfg(not(target_arch = "wasm32"))]
    fn render_tail(&self, id: ObjId, tails: &Tails<Vec<u8>>) -> Option<Rendered<Vec<u8>>> {
        let node = self.pyc.objects.get(id);
        let Value::Code(code) = &node.value else { return None };
        let bytecode = code.object(Field::Code).and_then(|c| self.bytes(c)).map_or(0, <[u8]>::len);
        if bytecode > tails::LARGE_CODE {
            return None;
        }
        tails.within_budget(&self.reprs, node.span, true, || {
            let expansions = self.expansion_budget.get();
            self.diagnostics.borrow_mut().clear();
            let mut j = JsonWriter::fragment();
            self.tail(&mut j, code);
            // An expanded back-reference is charged to the document's own budget.
            (self.expansion_budget.get() == expansions).then(|| {
                let out = j.into_bytes();
                Rendered { size: out.len(), out, diagnostics: self.diagnostics.take() }
            })
        })
    }

    /// What follows a code object's marshalled fields: the fields derived from them (line
    /// tables, classic names of 3.11+ locals), the instructions and their analysis.
    fn tail<W: Write>(&self, j: &mut JsonWriter<W>, code: &Code) {
        self.localsplus(j, code);
        self.graal_unit(j, code);
        #[cfg(all(feature = "analysis", not(target_arch = "wasm32")))]
        if let Some(dis) = self.disassembler.as_ref().filter(|_| self.tails.is_some()) {
            if code.object(Field::Code).and_then(|c| self.bytes(c)).map_or(0, <[u8]>::len) > tails::LARGE_CODE {
                let (d, a) = self.analysed_beside_tables(j, dis, code);
                self.bytecode_at(j, &d);
                self.instructions(j, dis, &d, Some((&a.depths, &a.effects)));
                self.analysis(j, &d, &a);
                self.end_tail(j, code);
                return;
            }
        }
        let mut tables = self.derived(code);
        self.line_tables(j, &mut tables);
        match &self.disassembler {
            Some(dis) => {
                let d = dis.disassemble(code, &tables);
                // Only the exception table is read after the instructions are placed.
                #[cfg(feature = "analysis")]
                let exceptions = tables.exception_table.take();
                drop(tables);
                self.bytecode_at(j, &d);
                // Without the analysis (the page's viewer module, for its size budget)
                // instructions carry no `stack_depth` and codes no blocks or edges.
                #[cfg(feature = "analysis")]
                {
                    let a = Self::analyse(self.pyc, dis, &d, exceptions.as_deref(), code);
                    self.instructions(j, dis, &d, Some((&a.depths, &a.effects)));
                    self.analysis(j, &d, &a);
                }
                #[cfg(not(feature = "analysis"))]
                self.instructions(j, dis, &d, None);
            }
            None => {
                j.key("instructions");
                j.null();
            }
        }
        self.end_tail(j, code);
    }

    /// A code object's derived tables, their problems noted. (Inlined: the viewer's wasm,
    /// held under 300 KB, is 30 bytes smaller.)
    #[inline(always)]
    fn derived(&self, code: &Code) -> Tables {
        let tables = tables::derive(&self.pyc.objects, code, &self.pyc.header.magic);
        self.diagnostics.borrow_mut().extend(tables.errors.iter().cloned());
        tables
    }

    /// `co_lnotab` (where synthesized), `linestarts`, `lines`, `positions` (taken out of the
    /// tables: written and dropped, nothing after reads them, and in the module code object
    /// of a large file they are megabytes) and `exception_table`.
    fn line_tables<W: Write>(&self, j: &mut JsonWriter<W>, tables: &mut Tables) {
        if let Some(lnotab) = &tables.synthesized_lnotab {
            j.key("co_lnotab");
            j.hex(lnotab);
        }
        j.key("linestarts");
        j.begin_array();
        for &(offset, line) in &tables.linestarts {
            j.begin_row();
            j.int(i64::from(offset));
            j.opt_int(line);
            j.end_row();
        }
        j.end_array();
        if let Some(lines) = &tables.lines {
            j.key("lines");
            j.begin_array();
            // Each range starts where the previous one ends (every `lines_*` builder walks
            // its table entry by entry from offset 0), so a row says only where it ends.
            for r in lines {
                j.begin_row();
                j.int(i64::from(r.end));
                j.opt_int(r.line);
                j.end_row();
            }
            j.end_array();
        }
        if let Some(runs) = tables.positions.take() {
            j.key("positions");
            j.begin_array();
            for (units, p) in &runs {
                j.begin_row();
                j.int(i64::from(*units));
                for v in [p.line, p.end_line, p.col, p.end_col] {
                    j.opt_int(v);
                }
                j.end_row();
            }
            j.end_array();
        }
        if let Some(entries) = &tables.exception_table {
            j.key("exception_table");
            j.begin_array();
            for e in entries {
                j.begin_row();
                for v in [e.start, e.end, e.target, e.depth] {
                    j.int(i64::from(v));
                }
                j.int(i64::from(e.lasti));
                j.end_row();
            }
            j.end_array();
        }
    }

    /// `bytecode_at` and the key of the `instructions` that follow it.
    fn bytecode_at<W: Write>(&self, j: &mut JsonWriter<W>, d: &Disassembly) {
        j.key("bytecode_at");
        j.int(i64::from(d.code_at));
        j.key("instructions");
    }

    /// The stack analysis of a code object's instructions (of `pyc`: callable on any thread).
    #[cfg(feature = "analysis")]
    fn analyse(
        pyc: &Pyc,
        dis: &Disassembler,
        d: &Disassembly,
        exceptions: Option<&[ExceptionEntry]>,
        code: &Code,
    ) -> Analysis {
        analysis::analyse(
            &d.instructions,
            &pyc.objects,
            dis.table(),
            dis.version(),
            &pyc.header.magic,
            exceptions,
            code,
        )
    }

    /// The derived tables written while a second thread decodes the instructions, which it
    /// then places on lines and analyses with the tables lent to it: for the large code
    /// objects of a document shared out, which no worker renders ahead (see
    /// [`crate::output::tails`]). Should it fail, this thread does its work.
    #[cfg(all(feature = "analysis", not(target_arch = "wasm32")))]
    fn analysed_beside_tables<W: Write>(
        &self,
        j: &mut JsonWriter<W>,
        dis: &Disassembler,
        code: &Code,
    ) -> (Disassembly, Analysis) {
        let pyc = self.pyc;
        let derived = std::sync::OnceLock::<Tables>::new();
        let done = std::thread::scope(|scope| {
            let (ready, wait) = std::sync::mpsc::sync_channel::<()>(1);
            let derived = &derived;
            let second = scope.spawn(move || {
                let mut d = dis.decode_unplaced(code);
                wait.recv().ok()?;
                let tables = derived.get()?;
                dis.place(tables, &mut d);
                let a = Self::analyse(pyc, dis, &d, tables.exception_table.as_deref(), code);
                Some((d, a))
            });
            let mut tables = self.derived(code);
            self.line_tables(j, &mut tables);
            derived.get_or_init(|| tables);
            let _ = ready.send(());
            second.join().ok().flatten()
        });
        done.unwrap_or_else(|| {
            let tables = derived.get();
            let d = tables.map(|t| dis.disassemble(code, t)).unwrap_or_default();
            let a = Self::analyse(pyc, dis, &d, tables.and_then(|t| t.exception_table.as_deref()), code);
            (d, a)
        })
    }

    /// What ends every tail: the flags' names and where each field ends.
    fn end_tail<W: Write>(&self, j: &mut JsonWriter<W>, code: &Code) {
        let objects = &self.pyc.objects;
        self.reprs.forget();
        self.flag_names(j, code);
        j.key("field_offsets");
        j.begin_row();
        for (i, &(_, value)) in code.fields.iter().enumerate() {
            let span = match value {
                FieldValue::Int { span, .. } => span,
                FieldValue::Object(id) => objects.get(id).span,
            };
            if i == 0 {
                j.int(i64::from(span.start));
            }
            j.int(i64::from(span.end));
        }
        j.end_row();
    }

    /// The `instructions` table ([`Rows`]); the writer of a whole compact document shares
    /// the rows of a large code object with a second thread.
    fn instructions<W: Write>(
        &self,
        j: &mut JsonWriter<W>,
        dis: &Disassembler,
        d: &Disassembly,
        stack: Option<StackColumns<'_>>,
    ) {
        let rows = Rows { dis, d, stack };
        j.begin_array();
        #[cfg(not(target_arch = "wasm32"))]
        let written = self.tails.map_or(0, |(tails, _)| {
            let pyc = self.pyc;
            let share = d.code_len * BUDGET_PER_BYTE + 4096;
            crate::output::rows::write_shared(
                &rows,
                j,
                &self.reprs,
                || Reprs::new(&pyc.objects, pyc.version(), pyc.header.magic.implementation, pyc.data.len()),
                || tails.allowance(share),
                |left| tails.give_back(left),
            )
        });
        #[cfg(target_arch = "wasm32")]
        let written = 0;
        rows.write(j, &self.reprs, written..d.instructions.len());
        j.end_array();
    }

    /// `max_stack_depth`, `blocks`, `edges` and (3.14+) `branches` of one code object, and
    /// its analysis problems as diagnostics (docs/document.md, Control flow).
    #[cfg(feature = "analysis")]
    fn analysis<W: Write>(&self, j: &mut JsonWriter<W>, d: &Disassembly, a: &Analysis) {
        analysis::render::write_flow(j, d, a);
        if let Some(branches) = &a.branches {
            j.key("branches");
            j.begin_array();
            for &(from, not_taken, taken) in branches {
                j.begin_row();
                for v in [from, not_taken, taken] {
                    j.int(i64::from(v));
                }
                j.end_row();
            }
            j.end_array();
        }
        for (i, message) in &a.problems {
            let at = d.instructions.get(*i).map_or(d.code_at, |ins| d.span(ins).0);
            self.note(ErrorKind::StackDepth, at, message.clone());
        }
    }

    /// A GraalPy code unit nested in another stores no file name or first line; its code
    /// object has the module's file name and the unit's start line (docs/document.md).
    fn graal_unit<W: Write>(&self, j: &mut JsonWriter<W>, code: &Code) {
        if !cfg!(feature = "foreign")
            || self.pyc.header.magic.implementation != Implementation::GraalPy
            || code.get(Field::Filename).is_some()
        {
            return;
        }
        let (file, line) = crate::pyc::graal::file_and_line(&self.pyc.objects, code);
        if let Some(text) = file.and_then(|f| self.pyc.objects.str_bytes(f)) {
            j.key("co_filename");
            j.string(&String::from_utf8_lossy(text));
        }
        if let Some(line) = line {
            j.key("co_firstlineno");
            j.int(line);
        }
    }

    /// 3.11+ stores locals, cells and free variables in one table; CPython derives the
    /// classic attributes from the kind bits (pyc-format.md §4.8).
    fn localsplus<W: Write>(&self, j: &mut JsonWriter<W>, code: &Code) {
        let objects = &self.pyc.objects;
        let names = code.object(Field::Localsplusnames).and_then(|id| objects.seq(id));
        let kinds = code.object(Field::Localspluskinds).and_then(|id| self.bytes(id));
        let (Some(names), Some(kinds)) = (names, kinds) else { return };
        let pick = |bit: u8| -> Vec<ObjId> {
            names.iter().zip(kinds).filter(|(_, k)| *k & bit != 0).map(|(id, _)| *id).collect()
        };
        let varnames = pick(kinds::LOCAL);
        j.key("co_varnames");
        self.names(j, &varnames);
        j.key("co_cellvars");
        self.names(j, &pick(kinds::CELL));
        j.key("co_freevars");
        self.names(j, &pick(kinds::FREE));
        j.key("co_nlocals");
        j.int(varnames.len() as i64);
    }

    fn bytes(&self, id: ObjId) -> Option<&[u8]> {
        match self.pyc.objects.resolve(id).value {
            Value::Str { data, .. } => Some(data),
            _ => None,
        }
    }

    /// A field of the wrong marshal type: shown as a plain value and reported.
    fn unexpected<W: Write>(&self, j: &mut JsonWriter<W>, key: &'static str, id: ObjId, wanted: &str) {
        let span = self.pyc.objects.get(id).span;
        self.note(
            ErrorKind::BadCodeField,
            span.start,
            format!("{key} should be {wanted} but is a {}", self.reprs.type_name(id)),
        );
        j.key(key);
        self.node(j, id);
    }

    /// A tuple of names as an array of strings.
    fn names<W: Write>(&self, j: &mut JsonWriter<W>, ids: &[ObjId]) {
        j.begin_array();
        for &id in ids {
            let node = self.pyc.objects.resolve(id);
            match node.value {
                Value::Str { data, .. } => self.text(j, data, node.span),
                _ => {
                    self.note(
                        ErrorKind::BadCodeField,
                        node.span.start,
                        format!("a name should be a string but is a {}", self.reprs.type_name(id)),
                    );
                    self.node(j, id);
                }
            }
        }
        j.end_array();
    }

    /// A name or file name: UTF-8 passes through; anything else is shown with replacement
    /// characters and reported, since JSON strings cannot carry arbitrary bytes.
    fn text<W: Write>(&self, j: &mut JsonWriter<W>, bytes: &[u8], at: Span) {
        match std::str::from_utf8(bytes) {
            Ok(text) => j.string(text),
            Err(e) => {
                let offset = at.end - bytes.len() as u32 + e.valid_up_to() as u32;
                self.note(ErrorKind::InvalidText, offset, "name is not valid UTF-8; shown with U+FFFD".into());
                j.string(&String::from_utf8_lossy(bytes));
            }
        }
    }
}

/// What owns the byte at `offset`, for a hex view's click: the innermost code object, the
/// field of it and the constant (down to container items) whose bytes hold the offset, as
/// `{"code_index", "label", "span"}`; `null` outside every node.
pub fn owner_json(pyc: &Pyc, offset: u32) -> String {
    let inside = |span: Span| span.start <= offset && offset < span.end;
    let objects = &pyc.objects;
    let mut found: Option<(Option<usize>, String, Span)> = None;
    let header = Span { start: 0, end: pyc.header.size as u32 };
    if inside(header) {
        found = Some((None, "header".into(), header));
    } else if offset as usize >= pyc.end && offset < pyc.data.len() as u32 {
        found = Some((None, "trailing bytes".into(), Span { start: pyc.end as u32, end: pyc.data.len() as u32 }));
    }
    let tree = pyc.code_tree();
    // The innermost code object is the last one in pre-order whose span holds the byte.
    if let Some((index, entry)) = tree.iter().enumerate().rev().find(|(_, e)| inside(objects.get(e.id).span)) {
        let node = objects.get(entry.id);
        let mut label = String::from("code object");
        let mut span = node.span;
        if let Value::Code(code) = &node.value {
            if let Some(name) =
                [Field::Qualname, Field::Name].iter().find_map(|&f| code.object(f).and_then(|o| objects.str_bytes(o)))
            {
                label = String::from_utf8_lossy(name).into_owned();
            }
            for &(field, value) in &code.fields {
                let field_span = match value {
                    FieldValue::Int { span, .. } => span,
                    FieldValue::Object(id) => objects.get(id).span,
                };
                if !inside(field_span) {
                    continue;
                }
                label = format!("{label}.{}", field.key());
                span = field_span;
                // Down through containers to the innermost item.
                let mut current = match value {
                    FieldValue::Object(id) => Some(id),
                    FieldValue::Int { .. } => None,
                };
                while let Some(id) = current.take() {
                    let items: &[ObjId] = match &objects.get(id).value {
                        Value::Tuple(items) | Value::List(items) | Value::Set(items) | Value::FrozenSet(items) => items,
                        Value::Slice(parts) => parts,
                        _ => &[],
                    };
                    if let Some((i, &item)) = items.iter().enumerate().find(|(_, &i)| inside(objects.get(i).span)) {
                        label = format!("{label}[{i}]");
                        span = objects.get(item).span;
                        current = Some(item);
                    }
                }
            }
        }
        found = Some((Some(index), label, span));
    }
    let mut j = JsonWriter::in_memory(256, false);
    match found {
        None => j.null(),
        Some((index, label, span)) => {
            j.begin_object();
            j.key("code_index");
            j.opt_int(index.map(|i| i as i64));
            j.key("label");
            j.string(&label);
            j.key("span");
            j.pair(i64::from(span.start), i64::from(span.end));
            j.end_object();
        }
    }
    String::from_utf8(j.into_bytes()).unwrap_or_default()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use std::io::Read;
    use std::path::{Path, PathBuf};

    fn pycs(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                pycs(&path, out);
            } else if path.extension().is_some_and(|x| x == "pyc") {
                out.push(path);
            }
        }
    }

    /// The document written with tails rendered on other threads.
    fn with_workers(pyc: &Pyc, workers: usize) -> String {
        let mut j = JsonWriter::new(Vec::new(), false);
        write_with_workers(pyc, &mut j, workers);
        String::from_utf8(j.finish().unwrap()).unwrap()
    }

    #[test]
    fn tails_rendered_on_other_threads_change_no_byte() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures");
        let mut files = Vec::new();
        pycs(&fixtures, &mut files);
        assert!(files.len() > 1000, "{} pycs under {}", files.len(), fixtures.display());
        let mut bench = Vec::new();
        let gz = std::fs::File::open(fixtures.join("bench/3.12/stdlib_concat.pyc.gz")).unwrap();
        flate2::read::GzDecoder::new(gz).read_to_end(&mut bench).unwrap();
        let mut shared = 0;
        for data in files.iter().map(|p| std::fs::read(p).unwrap()).chain([bench]) {
            let Ok(pyc) = crate::decode(&data) else { continue };
            let alone = to_json(&pyc, false);
            // One worker and three: the writer then both waits for tails and renders them.
            for workers in [1, 3] {
                assert_eq!(with_workers(&pyc, workers), alone, "{workers} workers");
            }
            shared += usize::from(Tails::<Vec<u8>>::plan(&pyc).is_some());
        }
        assert!(shared > 1000, "{shared} documents shared out");
    }

    #[test]
    fn tails_out_of_repr_budget_are_left_to_the_writer() {
        // With no budget left for the workers, every tail naming a constant comes back to
        // the writer, which renders it under the document's own budget.
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/bench/3.12/_pydecimal.pyc");
        let data = std::fs::read(path).unwrap();
        let pyc = crate::decode(&data).unwrap();
        let tails = Tails::<Vec<u8>>::plan(&pyc).unwrap();
        assert_eq!(tails.allowance(usize::MAX), Reprs::budget_for(data.len()));
        let mut j = JsonWriter::new(Vec::new(), false);
        write_sharing(&pyc, &mut j, 2, &tails);
        assert_eq!(String::from_utf8(j.finish().unwrap()).unwrap(), to_json(&pyc, false));
    }
}

/// `"decrypted"`, for an encrypted file pyclens decrypted (Dropbox's 2.5 pycs): who wrote it,
/// the encrypted file's size (spans point into the plaintext) and the code objects decrypted.
fn decrypted<W: Write>(h: &crate::Header, j: &mut JsonWriter<W>) {
    let Some(d) = &h.decrypted else { return };
    j.key("decrypted");
    j.begin_object();
    j.key("writer");
    j.string(d.writer);
    j.key("encrypted_size");
    j.int(d.encrypted_size as i64);
    j.key("code_objects");
    j.int(d.code_objects as i64);
    j.end_object();
}
