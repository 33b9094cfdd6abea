//! pyclens: decode a CPython `.pyc` into one JSON document describing every byte of it.
//!
//! [`decode`] turns bytes into a [`Pyc`] (the header plus an arena of marshalled objects
//! with their byte spans); [`Pyc::to_json`] renders the document that the CLI prints, the
//! web page shows and the tests compare with what real interpreters report.

pub mod answer;
pub mod code;
pub mod constants;
pub mod dis_text;
pub mod disasm;
pub mod document;
pub mod error;
pub mod exceptions;
pub mod flags;
pub mod foreign;
pub mod header;
pub mod json;
pub mod lines;
pub mod marshal;
pub mod object;
pub mod opcodes;
pub mod repr;
pub mod tables;
pub mod unicode_printable;
pub mod unicode_printable_pypy;
pub mod version;
#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{DecodeError, ErrorKind};
pub use header::{Header, PycKind};
pub use version::PyVersion;

use object::{ObjId, Objects, Value};

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
    let version = header.version();
    let layout = code::layout_for(&header.magic);
    let m = marshal::read(data, header.size, layout, version.major >= 3)?;
    let mut pyc = Pyc { data, header, objects: m.objects, root: m.root, end: m.end };
    if pyc.header.magic.number == Some(PYPY38_MAGIC) && pyc.has_pypy38_opcodes() {
        pyc.header.magic = pyc.header.magic.as_pypy();
    }
    Ok(pyc)
}

/// Decodes like [`decode`], with the file's name as a second hint for the one case the magic
/// cannot tell: PyPy 3.8 writes CPython 3.8's magic 3413, and its importer names the file
/// with the PEP 3147 cache tag (`mod.pypy38.pyc`), so that name marks it as PyPy's even when
/// its bytecode happens to use no PyPy-only opcode.
pub fn decode_named<'a>(data: &'a [u8], name: &str) -> Result<Pyc<'a>, DecodeError> {
    let mut pyc = decode(data)?;
    if pyc.header.magic.number == Some(PYPY38_MAGIC) && has_cache_tag(name, "pypy38") {
        pyc.header.magic = pyc.header.magic.as_pypy();
    }
    Ok(pyc)
}

/// CPython 3.8's final magic, which PyPy 3.8 writes as well.
const PYPY38_MAGIC: u16 = 3413;

/// PyPy's own opcode numbers (LOOKUP_METHOD 201 … LOAD_REVDB_VAR 205 in PyPy 2.7–3.9's
/// tables), none of which CPython 3.8 assigns: one at an instruction start marks PyPy 3.8.
const PYPY_ONLY_OPCODES: std::ops::RangeInclusive<u8> = 201..=205;

/// True when the file name's last component is `<module>.<tag>.<extension>`.
fn has_cache_tag(name: &str, tag: &str) -> bool {
    let base = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut parts = base.rsplit('.');
    parts.next().is_some() && parts.next() == Some(tag) && parts.next().is_some_and(|m| !m.is_empty())
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

    /// True when some code object's bytecode has a PyPy-only opcode at an instruction start
    /// (2-byte units from 3.6 on) and every other opcode is one CPython 3.8 has: how a PyPy
    /// 3.8 file is told from CPython 3.8's. Damaged bytecode (opcodes neither has) stays
    /// CPython's, so it is still listed with CPython 3.8's table.
    fn has_pypy38_opcodes(&self) -> bool {
        let Some(cpython) = opcodes::table_for(PyVersion::new(3, 8), version::Implementation::CPython) else {
            return false;
        };
        let (mut pypy_only, mut foreign) = (false, false);
        for id in self.code_objects() {
            let Value::Code(code) = &self.objects.get(id).value else { continue };
            let bytes = code.object(code::Field::Code).and_then(|c| self.objects.str_bytes(c)).unwrap_or(&[]);
            for &op in bytes.iter().step_by(2) {
                pypy_only |= PYPY_ONLY_OPCODES.contains(&op);
                foreign |= !PYPY_ONLY_OPCODES.contains(&op) && !cpython.is_base(op);
            }
        }
        pypy_only && !foreign
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_tag_is_the_dotted_part_before_the_extension() {
        assert!(has_cache_tag("__pycache__/01_callback.pypy38.pyc", "pypy38"));
        assert!(has_cache_tag("C:\\x\\m.pypy38.pyc", "pypy38"));
        assert!(!has_cache_tag("pypy38.pyc", "pypy38"));
        assert!(!has_cache_tag("m.cpython-38.pyc", "pypy38"));
        assert!(!has_cache_tag("pypy38.d/m.pyc", "pypy38"));
    }
}
