//! The marshalled objects of one file, kept in an arena in the order they were read.
//!
//! Marshal data is a tree with back-references (`r` in 3.4+, `R` in 2.x), so a node can be
//! reached twice. An arena of nodes addressed by [`ObjId`] lets a reference point at its
//! target without copying it, keeps every object's byte span, and borrows string and bytes
//! payloads straight from the input instead of allocating them.

use crate::pyc::code::Code;

/// Index of an object in [`Objects`]; children always have smaller ids than their parent.
pub type ObjId = u32;

/// A map keyed by object ids. Ids are small integers the reader hands out in order, so a
/// multiply and a rotation spread them well enough; SipHash's defence against chosen keys
/// cost a fifth of a listing's repr lookups.
pub type IdMap<V> = std::collections::HashMap<ObjId, V, std::hash::BuildHasherDefault<IdHasher>>;

/// The hasher of [`IdMap`] (Fx's multiply, with its high bits rotated down to where the
/// table picks its bucket).
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0xf135_7aea_2e62_a9c5);
    }

    fn finish(&self) -> u64 {
        self.0.rotate_left(26)
    }
}

/// A half-open byte range `[start, end)` in the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

/// Which string type code carried a string: it decides the Python type (2.x `str` versus
/// `unicode`, 3.x `bytes` versus `str`) and whether the writer interned it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrCode {
    /// `s`: 2.x `str`, 3.x `bytes`.
    Bytes,
    /// `t`: 2.x interned `str` (added to the interned list); 3.4+ interned non-ASCII `str`.
    Interned,
    /// `u`: 2.x `unicode`, 3.x `str`, UTF-8 (3.x with surrogates passed through).
    Unicode,
    /// `a`: ASCII `str`.
    Ascii,
    /// `A`: interned ASCII `str`.
    AsciiInterned,
    /// `z`: ASCII `str` with a one-byte length.
    ShortAscii,
    /// `Z`: interned ASCII `str` with a one-byte length.
    ShortAsciiInterned,
}

impl StrCode {
    /// True when the payload is text (`str`/`unicode`) in the given major version: in 2.x
    /// only `u` is unicode, in 3.x everything but `s` is `str`.
    pub fn is_text(self, major: u8) -> bool {
        match self {
            StrCode::Bytes => false,
            StrCode::Interned => major >= 3,
            _ => true,
        }
    }
}

/// One decoded marshal value. Payloads borrow from the input (`'a`).
#[derive(Debug, Clone)]
pub enum Value<'a> {
    /// `0`: the dict terminator; never a value in a valid pyc.
    Null,
    /// `N`.
    None,
    /// `F`.
    False,
    /// `T`.
    True,
    /// `S`: the `StopIteration` class.
    StopIteration,
    /// `.`.
    Ellipsis,
    /// `i` (32-bit) or `I` (64-bit) int.
    Int(i64),
    /// `l`: sign and raw little-endian base-2^15 digits (2 bytes each), validated.
    Long {
        /// Sign of the number (the count was negative).
        negative: bool,
        /// `2 * ndigits` bytes, least significant digit first.
        digits: &'a [u8],
    },
    /// RustPython's `i` beyond 64 bits: sign and the magnitude's little-endian bytes.
    LongBytes {
        /// Sign of the number (the byte count was negative).
        negative: bool,
        /// The magnitude, least significant byte first.
        bytes: &'a [u8],
    },
    /// `g` (binary) or `f` (text) float.
    Float {
        /// The value.
        value: f64,
    },
    /// `y` (binary) or `x` (text) complex.
    Complex {
        /// Real part.
        re: f64,
        /// Imaginary part.
        im: f64,
    },
    /// Any of the string codes; `data` is the raw payload.
    Str {
        /// Which code carried it.
        code: StrCode,
        /// Payload bytes (UTF-8 for text in 3.x, possibly with encoded surrogates).
        data: &'a [u8],
    },
    /// `(` or `)`.
    Tuple(Box<[ObjId]>),
    /// `[`.
    List(Box<[ObjId]>),
    /// `<`.
    Set(Box<[ObjId]>),
    /// `>`.
    FrozenSet(Box<[ObjId]>),
    /// `{`: key/value pairs in file order.
    Dict(Box<[(ObjId, ObjId)]>),
    /// `}` (3.15): key/value pairs in file order.
    FrozenDict(Box<[(ObjId, ObjId)]>),
    /// `:` (3.14): start, stop, step.
    Slice([ObjId; 3]),
    /// `c` or `C`.
    Code(Box<Code>),
    /// `r`: 3.4+ back-reference to ref-table `slot`, which holds `target`.
    Ref {
        /// The slot number read from the file.
        slot: u32,
        /// The object stored in that slot.
        target: ObjId,
    },
    /// `R`: 2.x reference to entry `index` of the interned-string list.
    StringRef {
        /// The index read from the file.
        index: u32,
        /// The interned string it names.
        target: ObjId,
    },
}

impl Value<'_> {
    /// Whether the repr is written faster than it is looked up: small ints and singletons.
    pub fn is_trivial(&self) -> bool {
        matches!(
            self,
            Value::Null
                | Value::None
                | Value::False
                | Value::True
                | Value::StopIteration
                | Value::Ellipsis
                | Value::Int(_)
        )
    }
}

/// One node of the arena.
#[derive(Debug, Clone)]
pub struct Object<'a> {
    /// The bytes that encode this object, type byte included.
    pub span: Span,
    /// The ref-table slot this object filled, when its type byte had FLAG_REF (3.4+).
    pub ref_slot: Option<u32>,
    /// The value.
    pub value: Value<'a>,
}

/// The arena: every object of the file, children before parents.
#[derive(Debug, Default)]
pub struct Objects<'a> {
    /// Nodes by id.
    pub nodes: Vec<Object<'a>>,
}

impl<'a> Objects<'a> {
    /// The node with this id. Ids come only from the reader, so they are always in range.
    pub fn get(&self, id: ObjId) -> &Object<'a> {
        &self.nodes[id as usize]
    }

    /// The node a reference stands for (the node itself when it is not a reference).
    /// References never point at other references, so one step is enough.
    pub fn resolve(&self, id: ObjId) -> &Object<'a> {
        let node = self.get(id);
        match node.value {
            Value::Ref { target, .. } | Value::StringRef { target, .. } => self.get(target),
            _ => node,
        }
    }

    /// The id behind a reference, for callers that need to identify the shared object.
    pub fn resolve_id(&self, id: ObjId) -> ObjId {
        match self.get(id).value {
            Value::Ref { target, .. } | Value::StringRef { target, .. } => target,
            _ => id,
        }
    }

    /// The payload of a string object (after following references), or `None`.
    pub fn str_bytes(&self, id: ObjId) -> Option<&'a [u8]> {
        match self.resolve(id).value {
            Value::Str { data, .. } => Some(data),
            _ => None,
        }
    }

    /// The items of a tuple or list (after following references), or `None`.
    pub fn seq(&self, id: ObjId) -> Option<&[ObjId]> {
        match &self.resolve(id).value {
            Value::Tuple(items) | Value::List(items) => Some(items),
            _ => None,
        }
    }

    /// How many nodes `id` and everything inside it comprise, not following references,
    /// counting at most `limit + 1` (callers only need to know whether it fits a budget).
    pub fn subtree_size(&self, id: ObjId, limit: usize) -> usize {
        let mut count = 0;
        let mut stack = vec![id];
        while let Some(id) = stack.pop() {
            count += 1;
            if count > limit {
                break;
            }
            match &self.get(id).value {
                Value::Tuple(items) | Value::List(items) | Value::Set(items) | Value::FrozenSet(items) => {
                    stack.extend_from_slice(items)
                }
                Value::Slice(parts) => stack.extend_from_slice(parts),
                Value::Dict(pairs) | Value::FrozenDict(pairs) => stack.extend(pairs.iter().flat_map(|&(k, v)| [k, v])),
                Value::Code(code) => stack.extend(code.fields.iter().filter_map(|&(_, v)| match v {
                    crate::pyc::code::FieldValue::Object(id) => Some(id),
                    crate::pyc::code::FieldValue::Int { .. } => None,
                })),
                _ => {}
            }
        }
        count
    }
}
