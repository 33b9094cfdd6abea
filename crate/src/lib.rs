//! pyclens: decode a CPython `.pyc` into one JSON document describing every byte of it.
//!
//! [`decode`] turns bytes into a [`Pyc`] (the header plus an arena of marshalled objects
//! with their byte spans); [`Pyc::to_json`] renders the document that the CLI prints, the
//! web page shows and the tests compare with what real interpreters report.

pub mod code;
pub mod constants;
pub mod dis_text;
pub mod disasm;
pub mod document;
pub mod error;
pub mod exceptions;
pub mod flags;
pub mod header;
pub mod json;
pub mod lines;
pub mod marshal;
pub mod object;
pub mod opcodes;
pub mod repr;
pub mod tables;
pub mod unicode_printable;
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

/// Decodes a `.pyc` file. Fails with the byte offset of the first problem; never panics.
pub fn decode(data: &[u8]) -> Result<Pyc<'_>, DecodeError> {
    let header = header::parse(data)?;
    let version = header.version();
    let layout = code::layout(version, header.magic.number_or_zero());
    let m = marshal::read(data, header.size, layout, version.major >= 3)?;
    Ok(Pyc { data, header, objects: m.objects, root: m.root, end: m.end })
}

impl<'a> Pyc<'a> {
    /// The Python version that wrote the file.
    pub fn version(&self) -> PyVersion {
        self.header.version()
    }

    /// Every code object in pre-order (the module first, then each constant in order).
    pub fn code_objects(&self) -> Vec<ObjId> {
        let mut out = Vec::new();
        let mut stack = vec![self.root];
        // Back-references make the objects a DAG: visit each node once.
        let mut seen = vec![false; self.objects.nodes.len()];
        while let Some(id) = stack.pop() {
            let id = self.objects.resolve_id(id);
            if std::mem::replace(&mut seen[id as usize], true) {
                continue;
            }
            let node = self.objects.get(id);
            if let Value::Code(code) = &node.value {
                out.push(id);
                if let Some(consts) = code.object(code::Field::Consts).and_then(|c| self.objects.seq(c)) {
                    stack.extend(consts.iter().rev());
                }
            } else if let Value::Tuple(items) = &node.value {
                // Code objects only sit directly in co_consts, but a crafted file may nest
                // them in tuples; they are still code objects of the file.
                stack.extend(items.iter().rev());
            }
        }
        out
    }

    /// The compact JSON document (the contract in docs/document.md).
    pub fn to_json(&self) -> String {
        document::to_json(self)
    }

    /// The JSON document, streamed to `out` (the CLI's path for large files).
    pub fn write_json<W: std::io::Write>(&self, out: W, pretty: bool) -> std::io::Result<()> {
        document::write_json(self, out, pretty)
    }
}
