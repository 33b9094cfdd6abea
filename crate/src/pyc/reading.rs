//! Which version a file is read as, when the header cannot be taken at its word: there is
//! none (marshal data as PyInstaller archives and `marshal.dumps` leave it), it names a
//! version the code objects cannot be (a header an extractor rewrote), or the reader chose
//! one (`--python`, the page's version picker).
//!
//! Without a header every version pyclens has an opcode table for is tried: its era's
//! code-object layout must read the whole object tree, and its bytecode rules must accept
//! every code object ([`crate::bytecode::fit`]). The reading is the newest version that
//! fits; the others that fit are named beside it, and the ones that do not, with why.

use crate::bytecode::fit::{self, Misfit};
use crate::error::{DecodeError, ErrorKind, Result};
use crate::pyc::code;
use crate::pyc::header::{Header, PycKind};
use crate::pyc::marshal;
use crate::pyc::version::{known_versions, Implementation, Magic, PyVersion};
use crate::Pyc;

/// How the version a file is read as was settled.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Reading {
    /// From the magic number: every ordinary pyc.
    #[default]
    Magic,
    /// Chosen by the reader; `found` is the magic the header carried, if it had one.
    Given {
        /// The header's own magic.
        found: Option<Magic>,
    },
    /// No header: the version was inferred from the code objects.
    Inferred {
        /// Every version tried, newest first, with why it does not fit (`None`: it fits).
        tried: Vec<(PyVersion, Option<Misfit>)>,
    },
}

impl Reading {
    /// The name used in the JSON document's header (`reading.from`).
    pub fn name(&self) -> &'static str {
        match self {
            Reading::Magic => "magic",
            Reading::Given { .. } => "given",
            Reading::Inferred { .. } => "inferred",
        }
    }
}

/// A version a reader can ask for: `3.12`, or `pypy3.9` for PyPy's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Python {
    /// CPython or PyPy.
    pub implementation: Implementation,
    /// `major.minor`.
    pub version: PyVersion,
}

impl std::fmt::Display for Python {
    /// `3.12` or `pypy3.9`: what [`FromStr`](std::str::FromStr) reads back, for listings and the
    /// page, which pass a version on as text.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let prefix = if self.implementation == Implementation::PyPy { "pypy" } else { "" };
        write!(f, "{prefix}{}", self.version)
    }
}

impl std::str::FromStr for Python {
    type Err = String;

    /// Parses `X.Y` or `pypyX.Y`, accepting only versions pyclens knows.
    fn from_str(text: &str) -> std::result::Result<Self, String> {
        let (implementation, rest) = match text.strip_prefix("pypy") {
            Some(rest) => (Implementation::PyPy, rest),
            None => (Implementation::CPython, text),
        };
        let version = rest
            .split_once('.')
            .and_then(|(a, b)| Some(PyVersion::new(a.parse().ok()?, b.parse().ok()?)))
            .ok_or_else(|| format!("'{text}' is not a version like 3.12 or pypy3.9"))?;
        Magic::of(version, implementation).ok_or_else(|| format!("pyclens does not know {text}"))?;
        Ok(Python { implementation, version })
    }
}

/// The marshal type byte of a code object, with and without 3.4+'s reference flag: what
/// headerless marshal data of a module starts with.
fn starts_like_code(data: &[u8]) -> bool {
    data.first().is_some_and(|&b| b & 0x7f == b'c')
}

/// Decodes `data`, reading it as `python` when given, inferring the version when there is
/// no header, and refusing a header whose version the code objects cannot be when another
/// version fits them (the error names it).
pub fn open<'a>(data: &'a [u8], name: &str, python: Option<Python>) -> Result<Pyc<'a>> {
    let header = match crate::pyc::header::parse(data) {
        Ok(header) => header,
        Err(e) if e.kind == ErrorKind::UnknownMagic && starts_like_code(data) => {
            return match python {
                Some(p) => read_as(data, headerless(p), Reading::Given { found: None }),
                None => infer(data),
            };
        }
        // Flags no PEP 552 header has: perhaps the header of another version, with a wrong magic.
        Err(e) if e.kind == ErrorKind::BadHeader && python.is_none() => {
            let magic = data.get(..4).and_then(|b| Magic::identify(b.try_into().ok()?).ok());
            return Err(magic.and_then(|m| other_reading(data, &m, 0, &e)).unwrap_or(e));
        }
        Err(e) => return Err(e),
    };
    if let Some(p) = python {
        let found = header.magic;
        let magic = Magic::of(p.version, p.implementation).expect("Python values are known versions");
        let header = crate::pyc::header::parse_as(data, magic)?;
        return read_as(data, header, Reading::Given { found: Some(found) });
    }
    // When nothing else fits, the file is what its header says, damaged: its own reading
    // (or its own error) stands.
    let pyc = match crate::decode_named(data, name) {
        Ok(pyc) => pyc,
        Err(e) => return Err(other_reading(data, &header.magic, header.size, &e).unwrap_or(e)),
    };
    let Some(m) = fit::misfit(&pyc) else { return Ok(pyc) };
    let problem = DecodeError::new(ErrorKind::BadValue, m.offset, m.reason);
    match other_reading(data, &header.magic, header.size, &problem) {
        Some(e) => Err(e),
        None => Ok(pyc),
    }
}

/// The error for a file whose header's version (`magic`) its contents cannot be, when another
/// version's fit them. The header's length follows its magic, so a wrong magic may also mean
/// a wrong length: the contents are tried after each length a header can have, the stated
/// one (`size`) first.
fn other_reading(data: &[u8], magic: &Magic, size: usize, problem: &DecodeError) -> Option<DecodeError> {
    for size in [size, 16, 12, 8].into_iter().filter(|&s| s > 0) {
        // Only versions whose own header has this length: the rest of the header is theirs.
        let fits: Vec<PyVersion> = fitting(data, size).into_iter().filter(|&v| header_size(v) == Some(size)).collect();
        if !fits.is_empty() && !fits.contains(&magic.version) {
            return Some(wrong_version(magic, size, &fits, problem));
        }
    }
    None
}

/// The length of the header CPython `version` writes.
fn header_size(version: PyVersion) -> Option<usize> {
    let magic = Magic::of(version, Implementation::CPython)?;
    crate::pyc::header::parse_as(&[0; 16], magic).ok().map(|h| h.size)
}

/// The header a headerless file is taken to have when read as `p`.
fn headerless(p: Python) -> Header {
    let magic = Magic::of(p.version, p.implementation).expect("Python values are known versions");
    Header {
        magic,
        size: 0,
        flags: None,
        kind: PycKind::Headerless,
        mtime: None,
        source_size: None,
        source_hash: None,
        decrypted: None,
    }
}

/// Reads the marshal data after `header` with the layout of the header's version.
pub(crate) fn read_as<'a>(data: &'a [u8], header: Header, reading: Reading) -> Result<Pyc<'a>> {
    let layout = code::layout_for(&header.magic);
    let m = marshal::read(data, header.size, layout, header.version().major >= 3)?;
    Ok(Pyc { data, header, objects: m.objects, root: m.root, end: m.end, reading })
}

/// Whether the marshal data from `start` reads as `version`'s and its code fits it.
fn try_version(data: &[u8], start: usize, version: PyVersion) -> Option<Misfit> {
    let p = Python { implementation: Implementation::CPython, version };
    let header = Header { size: start, ..headerless(p) };
    let pyc = match read_as(data, header, Reading::Magic) {
        Ok(pyc) => pyc,
        Err(e) => return Some(Misfit { offset: e.offset, reason: e.message }),
    };
    if !matches!(pyc.objects.get(pyc.root).value, crate::pyc::object::Value::Code(_)) {
        return Some(Misfit { offset: start, reason: "the data is not a code object".into() });
    }
    if pyc.end < data.len() {
        let reason = format!("{} bytes are left after the code object", data.len() - pyc.end);
        return Some(Misfit { offset: pyc.end, reason });
    }
    fit::misfit(&pyc)
}

/// Every CPython version with an opcode table, newest first, with why each does not fit.
fn tried(data: &[u8], start: usize) -> Vec<(PyVersion, Option<Misfit>)> {
    let mut versions = known_versions();
    versions.reverse();
    versions
        .into_iter()
        .filter(|&v| crate::bytecode::opcodes::table_for(v, Implementation::CPython).is_some())
        .map(|v| (v, try_version(data, start, v)))
        .collect()
}

/// The versions whose reading of the data from `start` fits, newest first.
fn fitting(data: &[u8], start: usize) -> Vec<PyVersion> {
    tried(data, start).into_iter().filter(|(_, m)| m.is_none()).map(|(v, _)| v).collect()
}

/// Reads headerless marshal data as the newest version that fits it.
fn infer(data: &[u8]) -> Result<Pyc<'_>> {
    let tried = tried(data, 0);
    let Some(&(version, _)) = tried.iter().find(|(_, m)| m.is_none()) else {
        // The version that read furthest is the likeliest: name its problem.
        let (v, m) = tried
            .iter()
            .filter_map(|(v, m)| Some((v, m.as_ref()?)))
            .max_by_key(|(_, m)| m.offset)
            .expect("every version that does not fit has a misfit");
        return Err(DecodeError::new(
            ErrorKind::NoVersionFits,
            m.offset,
            format!(
                "no header, and the code fits no Python version pyclens knows (read furthest as {v}: {}); \
                 --python X.Y reads it as one",
                m.reason
            ),
        ));
    };
    let p = Python { implementation: Implementation::CPython, version };
    read_as(data, headerless(p), Reading::Inferred { tried })
}

/// The error for a header whose version the contents cannot be, naming the ones they fit
/// and the header length that reads them when it is not the one the magic implies.
fn wrong_version(magic: &Magic, size: usize, fits: &[PyVersion], problem: &DecodeError) -> DecodeError {
    let number = magic.number.map_or(String::new(), |n| format!(" (magic {n})"));
    let names: Vec<String> = fits.iter().map(|v| v.to_string()).collect();
    let length =
        if Some(size) == header_size(magic.version) { String::new() } else { format!(" after a {size}-byte header") };
    DecodeError::new(
        ErrorKind::WrongVersion,
        problem.offset,
        format!(
            "the header says Python {}{number}, but the code objects cannot be its bytecode ({}); \
             they read as Python {}{length}: --python {} reads the file as that version",
            magic.version,
            problem.message,
            names.join(" or "),
            fits[0]
        ),
    )
}
