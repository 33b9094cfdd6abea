//! Dropbox's Python 2.5 pycs: decrypted, renumbered, then read as CPython 2.5's.
//!
//! The Dropbox client (1.1x and before) ran a modified CPython 2.5 whose pycs carry magic
//! 62135 and encrypt every marshalled code object ([`cipher`], [`plain`]), and whose opcodes
//! are numbered differently ([`opcodes`], generated from the published table). With both
//! undone the code objects are CPython 2.5's, so the file is decoded into the ordinary
//! [`Pyc`] model and every output works on it; the header records that it was decrypted
//! ([`Decrypted`]).
//!
//! The model's bytes are then the plaintext ([`decrypt`]): the file's 8-byte header as
//! found, then the marshal stream with each code object's seed, length and padding left out
//! and its body decrypted. Spans point into that plaintext, which is what the page's byte
//! view shows for such a file. Dropbox's later 2.7 build (magic 62215) changed the scheme
//! and the opcode numbering again; with no public sample to check a decoder against, it
//! stays named, not decoded (`foreign.rs`).

pub mod cipher;
pub mod opcodes;
pub mod plain;

use crate::error::{DecodeError, ErrorKind, Result};
use crate::pyc::header;
use crate::pyc::reading::{self, Python, Reading};
use crate::pyc::version::{Implementation, Magic, PyVersion};
use crate::Pyc;

/// The 16-bit magic of Dropbox's Python 2.5 (xdis's magics.py: "Dropbox-modified Python 2.5
/// used in versions 1.1x and before of Dropbox"); bytes `b7 f2 0d 0a`.
pub const MAGIC: u16 = 62135;

/// Who wrote such a file, as the header and `pyclens versions` name it.
pub const WRITER: &str = "Dropbox's Python 2.5";

/// What pyclens does with these files and on what evidence, for `pyclens versions`.
pub const EVIDENCE: &str = "decrypted (magic 62135), opcodes renumbered, then decoded and disassembled as CPython \
                            2.5; checked against xdis on the one public sample (xdis's test/bytecode_2.5dropbox)";

/// How the file was made readable, recorded in its header (the JSON document's
/// `header.decrypted`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decrypted {
    /// Who encrypted it ([`WRITER`]).
    pub writer: &'static str,
    /// The encrypted file's size: the model's bytes are the shorter plaintext.
    pub encrypted_size: usize,
    /// How many code objects were decrypted and renumbered.
    pub code_objects: usize,
}

/// The plaintext of a Dropbox pyc and what making it took.
pub struct Plaintext {
    /// The header as found, then CPython 2.5's marshal stream.
    pub bytes: Vec<u8>,
    /// What the decoded header records.
    pub decrypted: Decrypted,
}

/// True when `data` starts with Dropbox's Python 2.5 magic.
pub fn is_encrypted(data: &[u8]) -> bool {
    let [lo, hi] = MAGIC.to_le_bytes();
    data.starts_with(&[lo, hi, 0x0D, 0x0A])
}

/// Decrypts a Dropbox 2.5 pyc into its plaintext (module docs). Fails with the file's byte
/// offset of the first problem: a truncated or inconsistent body, an unknown marshal type,
/// an opcode the published table does not name.
pub fn decrypt(data: &[u8]) -> Result<Plaintext> {
    if !is_encrypted(data) {
        return Err(DecodeError::new(ErrorKind::UnknownMagic, 0, format!("not a {WRITER} pyc (magic {MAGIC})")));
    }
    if data.len() < HEADER_SIZE {
        return Err(DecodeError::new(
            ErrorKind::Truncated,
            data.len(),
            format!("file ends after {} bytes, inside the 8-byte header of a {WRITER} pyc", data.len()),
        ));
    }
    let walked = plain::walk(data, HEADER_SIZE)?;
    let mut bytes = Vec::with_capacity(HEADER_SIZE + walked.stream.len());
    bytes.extend_from_slice(&data[..HEADER_SIZE]);
    bytes.extend_from_slice(&walked.stream);
    let decrypted = Decrypted { writer: WRITER, encrypted_size: data.len(), code_objects: walked.code_objects };
    Ok(Plaintext { bytes, decrypted })
}

/// Magic, then the source's mtime: 2.5's header.
const HEADER_SIZE: usize = 8;

/// The magic a plaintext is read with: CPython 2.5's formats, the file's own number and bytes.
fn magic(bytes: &[u8]) -> Magic {
    let cpython = Magic::of(PyVersion::new(2, 5), Implementation::CPython).expect("pyclens knows 2.5");
    let mut found = cpython.bytes;
    if let Some(b) = bytes.get(..4) {
        found.copy_from_slice(b);
    }
    Magic { bytes: found, number: Some(MAGIC), ..cpython }
}

/// Decodes a [`Plaintext`]'s bytes as CPython 2.5 (or as `python`, when the reader chose
/// another version), its header recording `decrypted`.
pub fn decode<'a>(plain: &'a [u8], decrypted: Decrypted, python: Option<Python>) -> Result<Pyc<'a>> {
    let own = magic(plain);
    let mut pyc = match python {
        None => reading::read_as(plain, header::parse_as(plain, own)?, Reading::Magic)?,
        Some(p) => {
            let asked = Magic::of(p.version, p.implementation).expect("Python values are known versions");
            reading::read_as(plain, header::parse_as(plain, asked)?, Reading::Given { found: Some(own) })?
        }
    };
    pyc.header.decrypted = Some(decrypted);
    Ok(pyc)
}

/// Opens any file as [`crate::open`] does, a Dropbox 2.5 pyc decrypted first. The plaintext
/// lives only during the call, so the result is handed to `then` rather than returned.
pub fn open_with<R>(data: &[u8], name: &str, python: Option<Python>, then: impl FnOnce(Result<Pyc<'_>>) -> R) -> R {
    if !is_encrypted(data) {
        return then(crate::open(data, name, python));
    }
    match decrypt(data) {
        Ok(plain) => then(decode(&plain.bytes, plain.decrypted, python)),
        Err(e) => then(Err(e)),
    }
}

#[cfg(test)]
mod tests;
