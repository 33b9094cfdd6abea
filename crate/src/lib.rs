//! pyclens: decode a CPython `.pyc` into one JSON document describing every byte of it.
//!
//! [`decode`] turns bytes into a [`Pyc`] (the header plus an arena of marshalled objects
//! with their byte spans); [`Pyc::to_json`] renders the document that the CLI prints, the
//! web page shows and the tests compare with what real interpreters report.

// The data flow, one folder per stage: the file format (`pyc`) is read into objects, whose
// values print by Python's own rules (`values`); code objects' bytecode and side tables are
// decoded by version (`bytecode`), optionally analysed (`analysis`), and written out as the
// JSON document or dis text (`output`). `answer` checks lesson answers against those outputs.

/// Left out of the page's viewer module, which must stay under 300 KB (docs/document.md).
#[cfg(feature = "analysis")]
pub mod analysis;
pub mod answer;
pub mod bytecode;
/// Zips and PyInstaller executables; left out of the page's viewer module with the zip
/// reader and zlib it needs.
#[cfg(feature = "containers")]
pub mod container;
pub mod error;
pub mod output;
pub mod pyc;
pub mod values;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{DecodeError, ErrorKind};
pub use pyc::header::{Header, PycKind};
pub use pyc::version::PyVersion;

use output::document;
pub use pyc::dropbox::open_with;
use pyc::object::{ObjId, Objects, Value};
use pyc::reading::Reading;
pub use pyc::reading::{open, Python};
use pyc::{code, header, marshal, pypy38};

/// A decoded file: the model every output (JSON, summaries, views) is derived from.
pub struct Pyc<'a> {
    /// The whole file.
    pub data: &'a [u8],
    /// The header fields.
    pub header: Header,
    /// Every marshalled object, children before parents.
    pub objects: Objects<'a>,
    /// The module code object (or whatever single object follows the header).
    pub root: ObjId,
    /// Offset just past the root object; bytes after it are reported, not dropped.
    pub end: usize,
    /// How the version was settled: from the magic, given by the reader, or inferred.
    pub reading: Reading,
}

/// One code object's place in the file's tree of code objects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodeEntry {
    /// The code object.
    pub id: ObjId,
    /// Index (in [`Pyc::code_tree`]) of the code object whose constants hold it.
    pub parent: Option<usize>,
    /// Nesting depth: 0 for the module.
    pub depth: usize,
}

/// Decodes a `.pyc` file. Fails with the byte offset of the first problem; never panics.
pub fn decode(data: &[u8]) -> Result<Pyc<'_>, DecodeError> {
    let header = header::parse(data)?;
    if header.magic.implementation == pyc::version::Implementation::GraalPy {
        #[cfg(feature = "foreign")]
        return decode_graalpy(data, header);
        #[cfg(not(feature = "foreign"))]
        return Err(pyc::foreign::left_out(data, "GraalPy"));
    }
    let version = header.version();
    let m = match header.magic.code_format() {
        #[cfg(feature = "foreign")]
        pyc::version::CodeFormat::RustPython => pyc::rustpython::read(data, header.size)?,
        _ => marshal::read(data, header.size, code::layout_for(&header.magic), version.major >= 3)?,
    };
    let mut pyc = Pyc { data, header, objects: m.objects, root: m.root, end: m.end, reading: Reading::Magic };
    if pypy38::has_pypy_opcodes(&pyc) {
        pyc.header.magic = pyc.header.magic.as_pypy();
    }
    Ok(pyc)
}

/// GraalPy's own marshal format ([`pyc::graal`]). Its 3.12 (GraalPy 25.0) kept 3.11's magic
/// and is told apart by the type byte that starts its module's code unit.
#[cfg(feature = "foreign")]
fn decode_graalpy(data: &[u8], mut header: Header) -> Result<Pyc<'_>, DecodeError> {
    let number = header.magic.number.unwrap_or(0);
    let g = pyc::graal::read(data, header.size, pyc::graal::bytecode_version(number))?;
    if g.unit_typed && header.magic.version == PyVersion::new(3, 11) {
        header.magic.version = PyVersion::new(3, 12);
    }
    let m = g.marshalled;
    Ok(Pyc { data, header, objects: m.objects, root: m.root, end: m.end, reading: Reading::Magic })
}

/// Decodes like [`decode`], with the file's name as a second hint for the one case the magic
/// cannot tell: PyPy 3.8 writes CPython 3.8's magic 3413, and its importer names the file
/// with the PEP 3147 cache tag (`mod.pypy38.pyc`), so that name marks it as PyPy's even when
/// its bytecode happens to use no PyPy-only opcode.
pub fn decode_named<'a>(data: &'a [u8], name: &str) -> Result<Pyc<'a>, DecodeError> {
    let mut pyc = decode(data)?;
    if pypy38::is_named_pypy38(&pyc, name) {
        pyc.header.magic = pyc.header.magic.as_pypy();
    }
    Ok(pyc)
}

impl<'a> Pyc<'a> {
    /// The Python version that wrote the file.
    pub fn version(&self) -> PyVersion {
        self.header.version()
    }

    /// Every code object in pre-order (the module first, then each constant in order).
    pub fn code_objects(&self) -> Vec<ObjId> {
        self.code_tree().into_iter().map(|c| c.id).collect()
    }

    /// Every code object in pre-order with its place in the tree: what the page's tree
    /// shows, and the index by which it asks for one code object's document.
    pub fn code_tree(&self) -> Vec<CodeEntry> {
        let mut out = Vec::new();
        let mut stack = vec![(self.root, None, 0)];
        // Back-references make the objects a DAG: visit each node once.
        let mut seen = vec![false; self.objects.nodes.len()];
        while let Some((id, parent, depth)) = stack.pop() {
            let id = self.objects.resolve_id(id);
            if std::mem::replace(&mut seen[id as usize], true) {
                continue;
            }
            match &self.objects.get(id).value {
                Value::Code(code) => {
                    let index = out.len();
                    out.push(CodeEntry { id, parent, depth });
                    if let Some(consts) = code.object(code::Field::Consts).and_then(|c| self.objects.seq(c)) {
                        stack.extend(consts.iter().rev().map(|&c| (c, Some(index), depth + 1)));
                    }
                }
                // Code objects only sit directly in co_consts, but a crafted file may nest
                // them in tuples; they are still code objects of the file.
                Value::Tuple(items) => stack.extend(items.iter().rev().map(|&c| (c, parent, depth))),
                _ => {}
            }
        }
        out
    }

    /// The compact JSON document (the contract in docs/document.md).
    pub fn to_json(&self) -> String {
        document::to_json(self, false)
    }

    /// The same document indented, for people (downloads, `--pretty`).
    pub fn to_pretty_json(&self) -> String {
        document::to_json(self, true)
    }

    /// A small document for a tree view: header, decode-level diagnostics and every code
    /// object's name, kind flags, line, span and place in the tree (docs/document.md).
    pub fn summary_json(&self) -> String {
        document::summary_json(self)
    }

    /// The document of one code object (by [`Pyc::code_tree`] index), with nested code
    /// objects as stubs naming their index: what a viewer needs when one is selected,
    /// without writing the whole file's document.
    pub fn code_json(&self, index: usize) -> Option<String> {
        document::code_json(self, index)
    }

    /// Which node owns the byte at `offset` (a hex view's click), as a small JSON object.
    pub fn owner_json(&self, offset: u32) -> String {
        document::owner_json(self, offset)
    }

    /// The JSON document, streamed to `out` (the CLI's path for large files).
    pub fn write_json<W: std::io::Write>(&self, out: W, pretty: bool) -> std::io::Result<()> {
        document::write_json(self, out, pretty)
    }
}
