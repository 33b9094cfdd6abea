//! Type names and `repr()` of marshalled values as the writing Python shows them.
//!
//! Scalars are rendered by [`crate::values::repr`]; this module composes containers and picks the
//! type name by version (`str` is 2.x `unicode`'s 3.x name, `s` is 2.x `str` but 3.x
//! `bytes`). Reprs are memoised so a shared object is rendered once, and the total
//! rendered text is bounded by a budget proportional to the file size: marshal
//! back-references can describe a value whose repr is exponentially larger than the file.

use crate::pyc::object::{IdMap, ObjId, Objects, Value};
use crate::pyc::version::{Implementation, PyVersion};
use crate::values::repr;
use std::cell::{Cell, RefCell};
use std::fmt::Write as _;
use std::rc::Rc;

/// Entries whose room the memo keeps when it forgets (a few kilobytes): every code object
/// would otherwise grow its table again from nothing.
const MEMO_KEPT: usize = 1024;

/// Rendered reprs for one file, computed on demand.
pub struct Reprs<'o, 'a> {
    objects: &'o Objects<'a>,
    version: PyVersion,
    /// PyPy 2.7 spells code objects differently and PyPy3 escapes by its own tables.
    implementation: Implementation,
    /// Reprs already rendered, except of small ints and singletons (written faster than
    /// looked up): a container shared through back-references is rendered once, and a
    /// constant a listing names a thousand times is escaped once. A map rather than a slot
    /// per node, which cost more memory than the file.
    memo: RefCell<IdMap<Rc<str>>>,
    /// The text of each string a listing printed as a name ([`Reprs::push_text`]), checked
    /// as UTF-8 once rather than at every instruction that names it.
    texts: RefCell<IdMap<&'a str>>,
    /// Characters that may still be rendered before reprs are cut short.
    budget: Cell<usize>,
    /// Set once any repr was cut short.
    exhausted: Cell<bool>,
}

/// Marker appended to a repr cut short by the budget.
pub const TRUNCATED: &str = "…";

/// Every real file stays far below this many repr characters per input byte; only crafted
/// chains of back-references get near it.
pub const BUDGET_PER_BYTE: usize = 64;
const BUDGET_MIN: usize = 1 << 20;

impl<'o, 'a> Reprs<'o, 'a> {
    /// Prepares rendering for the objects of one file of `file_len` bytes, written by
    /// `implementation`'s `version` (reprs follow that interpreter).
    pub fn new(objects: &'o Objects<'a>, version: PyVersion, implementation: Implementation, file_len: usize) -> Self {
        Reprs {
            objects,
            version,
            implementation,
            memo: RefCell::default(),
            texts: RefCell::default(),
            budget: Cell::new(Self::budget_for(file_len)),
            exhausted: Cell::new(false),
        }
    }

    /// The characters of repr text a file of `file_len` bytes may render.
    pub fn budget_for(file_len: usize) -> usize {
        BUDGET_MIN.saturating_add(file_len.saturating_mul(BUDGET_PER_BYTE))
    }

    /// Starts over with `budget` characters: what renders one part of a document apart
    /// from the rest (a code object's instructions on another thread). Memoised reprs are
    /// kept unless `forget` or unless one may have been cut short.
    pub fn renew(&self, budget: usize, forget: bool) {
        if forget || self.exhausted.get() {
            self.forget();
        }
        self.budget.set(budget);
        self.exhausted.set(false);
    }

    /// Characters that may still be rendered.
    pub fn left(&self) -> usize {
        self.budget.get()
    }

    /// Lets go of every memoised repr. A document is written one code object at a time and
    /// rarely names one object's constants from another, while keeping every repr of a
    /// large file until its last instruction costs as much memory as its instructions.
    pub fn forget(&self) {
        let mut memo = self.memo.borrow_mut();
        if memo.capacity() > MEMO_KEPT {
            *memo = IdMap::default();
        } else {
            memo.clear();
        }
        *self.texts.borrow_mut() = IdMap::default();
    }

    /// True when some repr was cut short because the budget ran out.
    pub fn exhausted(&self) -> bool {
        self.exhausted.get()
    }

    /// The Python type name of an object, as `type(x).__name__` prints it.
    pub fn type_name(&self, id: ObjId) -> &'static str {
        let py2 = self.version.major < 3;
        match &self.objects.resolve(id).value {
            Value::Null => "NULL",
            Value::None => "NoneType",
            Value::False | Value::True => "bool",
            Value::StopIteration => "type",
            Value::Ellipsis => "ellipsis",
            Value::Int(_) => "int",
            Value::LongBytes { .. } => "int",
            Value::Long { .. } => {
                if py2 {
                    "long"
                } else {
                    "int"
                }
            }
            Value::Float { .. } => "float",
            Value::Complex { .. } => "complex",
            Value::Str { code, .. } => match (code.is_text(self.version.major), py2) {
                (true, true) => "unicode",
                (true, false) => "str",
                (false, true) => "str",
                (false, false) => "bytes",
            },
            Value::Tuple(_) => "tuple",
            Value::List(_) => "list",
            Value::Set(_) => "set",
            Value::FrozenSet(_) => "frozenset",
            Value::Dict(_) => "dict",
            Value::FrozenDict(_) => "frozendict",
            Value::Slice(_) => "slice",
            Value::Code(_) => "code",
            Value::Ref { .. } | Value::StringRef { .. } => "NULL",
        }
    }

    /// `repr()` of an object (references render as their target).
    pub fn repr(&self, id: ObjId) -> Rc<str> {
        let id = self.objects.resolve_id(id);
        if let Some(done) = self.memo.borrow().get(&id) {
            return done.clone();
        }
        self.render_once(id)
    }

    /// Renders the resolved object `id`, not yet memoised, and memoises it.
    fn render_once(&self, id: ObjId) -> Rc<str> {
        let text = self.render(id);
        let text = self.charge(text);
        let rc: Rc<str> = Rc::from(text);
        if !self.objects.get(id).value.is_trivial() {
            self.memo.borrow_mut().insert(id, rc.clone());
        }
        rc
    }

    /// Appends `repr()` of an object to `out`: [`Reprs::repr`] without handing out a shared
    /// copy, for listings that print the same constants hundreds of thousands of times.
    pub fn push_repr(&self, id: ObjId, out: &mut String) {
        let resolved = self.objects.resolve_id(id);
        if let Some(done) = self.memo.borrow().get(&resolved) {
            out.push_str(done);
            return;
        }
        match self.objects.get(resolved).value {
            Value::Int(v) => repr::int_small_into(v, false, out),
            _ => out.push_str(&self.render_once(resolved)),
        }
    }

    /// Appends the text of a string object as it is (invalid UTF-8 replaced), for names
    /// printed as themselves; `false`, with nothing appended, when `id` is not a string.
    pub fn push_text(&self, id: ObjId, out: &mut String) -> bool {
        let id = self.objects.resolve_id(id);
        // Natively only: the browser's module stays small.
        let memo = cfg!(not(target_arch = "wasm32"));
        if let Some(&text) = self.texts.borrow().get(&id).filter(|_| memo) {
            out.push_str(text);
            return true;
        }
        let Some(bytes) = self.objects.str_bytes(id) else { return false };
        match std::str::from_utf8(bytes) {
            Ok(text) => {
                out.push_str(text);
                if memo {
                    self.texts.borrow_mut().insert(id, text);
                }
            }
            Err(_) => out.push_str(&String::from_utf8_lossy(bytes)),
        }
        true
    }

    /// Takes `text.len()` from the budget, cutting the text when the budget is short.
    fn charge(&self, mut text: String) -> String {
        let left = self.budget.get();
        if text.len() <= left {
            self.budget.set(left - text.len());
            return text;
        }
        let mut cut = left;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        text.truncate(cut);
        text.push_str(TRUNCATED);
        self.budget.set(0);
        self.exhausted.set(true);
        text
    }

    /// Floats print with the writing version's repr: 17 digits before 2.7 and in 3.0.
    fn float_style(&self) -> repr::FloatStyle {
        repr::FloatStyle::of(self.version, self.implementation)
    }

    fn render(&self, id: ObjId) -> String {
        let py2 = self.version.major < 3;
        match &self.objects.get(id).value {
            Value::Null => "<NULL>".to_string(),
            Value::None => "None".to_string(),
            Value::False => "False".to_string(),
            Value::True => "True".to_string(),
            Value::StopIteration if py2 => "<type 'exceptions.StopIteration'>".to_string(),
            Value::StopIteration => "<class 'StopIteration'>".to_string(),
            Value::Ellipsis => "Ellipsis".to_string(),
            Value::Int(v) => repr::int_small(*v, false),
            Value::Long { negative, digits } => {
                let digits: Vec<u16> = digits.chunks_exact(2).map(|d| u16::from_le_bytes([d[0], d[1]])).collect();
                repr::int_digits(*negative, &digits, py2)
            }
            Value::LongBytes { negative, bytes } => repr::int_digits(*negative, &digits_15(bytes), false),
            Value::Float { value } => repr::float_styled(*value, self.float_style()),
            Value::Complex { re, im } => repr::complex_styled(*re, *im, self.float_style()),
            Value::Str { code, data } => {
                if code.is_text(self.version.major) {
                    repr::text_of(data, self.version, self.implementation)
                } else {
                    repr::bytes(data, !py2)
                }
            }
            Value::Tuple(items) => {
                let mut s = self.joined("(", items, ")");
                if items.len() == 1 {
                    s.insert(s.len() - 1, ',');
                }
                s
            }
            Value::List(items) => self.joined("[", items, "]"),
            Value::Set(items) | Value::FrozenSet(items) => {
                let name = if matches!(self.objects.get(id).value, Value::Set(_)) { "set" } else { "frozenset" };
                match (items.is_empty(), py2, name) {
                    (true, _, _) => format!("{name}()"),
                    (false, true, _) => self.joined(&format!("{name}(["), items, "])"),
                    (false, false, "set") => self.joined("{", items, "}"),
                    (false, false, _) => self.joined("frozenset({", items, "})"),
                }
            }
            Value::Dict(pairs) => self.mapping("{", pairs, "}"),
            Value::FrozenDict(pairs) if pairs.is_empty() => "frozendict()".to_string(),
            Value::FrozenDict(pairs) => self.mapping("frozendict({", pairs, "})"),
            Value::Slice(parts) => self.joined("slice(", parts, ")"),
            Value::Code(code) => {
                use crate::pyc::code::Field;
                let text = |f| code.object(f).and_then(|o| self.objects.str_bytes(o)).unwrap_or_default();
                if py2 && self.implementation == Implementation::PyPy {
                    // PyPy 2.7's code repr has no address and quotes the file name with '.
                    return format!(
                        "<code object {}, file '{}', line {}>",
                        String::from_utf8_lossy(text(Field::Name)),
                        String::from_utf8_lossy(text(Field::Filename)),
                        code.int(Field::Firstlineno).unwrap_or(0)
                    );
                }
                let (file, line) = if cfg!(feature = "foreign") && self.implementation == Implementation::GraalPy {
                    let (file, line) = crate::pyc::graal::file_and_line(self.objects, code);
                    (file.and_then(|f| self.objects.str_bytes(f)).unwrap_or_default(), line)
                } else {
                    (text(Field::Filename), code.int(Field::Firstlineno))
                };
                // Written piece by piece: a listing names every code object twice.
                let (name, file) = (String::from_utf8_lossy(text(Field::Name)), String::from_utf8_lossy(file));
                let mut s = String::with_capacity(name.len() + file.len() + 48);
                s.push_str("<code object ");
                s.push_str(&name);
                let _ = write!(s, " at {:#x}, file \"", self.objects.get(id).span.start);
                s.push_str(&file);
                s.push_str("\", line ");
                s.push_str(itoa::Buffer::new().format(line.unwrap_or(0)));
                s.push('>');
                s
            }
            Value::Ref { .. } | Value::StringRef { .. } => "<NULL>".to_string(),
        }
    }

    fn joined(&self, open: &str, items: &[ObjId], close: &str) -> String {
        let mut s = String::from(open);
        for (i, &item) in items.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(&self.repr(item));
        }
        s.push_str(close);
        s
    }

    fn mapping(&self, open: &str, pairs: &[(ObjId, ObjId)], close: &str) -> String {
        let mut s = String::from(open);
        for (i, &(k, v)) in pairs.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            s.push_str(&self.repr(k));
            s.push_str(": ");
            s.push_str(&self.repr(v));
        }
        s.push_str(close);
        s
    }
}

/// A little-endian magnitude (RustPython's `i`) as the 15-bit digits CPython's marshal
/// writes, which [`repr::int_digits`] prints.
fn digits_15(bytes: &[u8]) -> Vec<u16> {
    let mut out = Vec::with_capacity(bytes.len() * 8 / 15 + 1);
    let (mut acc, mut bits) = (0u32, 0u32);
    for &b in bytes {
        acc |= u32::from(b) << bits;
        bits += 8;
        while bits >= 15 {
            out.push((acc & 0x7fff) as u16);
            acc >>= 15;
            bits -= 15;
        }
    }
    if bits > 0 {
        out.push(acc as u16);
    }
    out
}
