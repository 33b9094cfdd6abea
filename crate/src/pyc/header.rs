//! The bytes before the marshalled module: magic, and by era a timestamp, a source size,
//! PEP 552 flags or a source hash.

use crate::error::{DecodeError, ErrorKind, Result};
use crate::pyc::foreign;
use crate::pyc::version::{Magic, PyVersion};

/// How the importer decides whether the pyc is stale (PEP 552), or `Legacy` before 3.7.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PycKind {
    /// 3.7+ flags 0: mtime and source size are compared with the `.py`.
    Timestamp,
    /// 3.7+ flags 3: the source hash is recomputed and compared.
    HashChecked,
    /// 3.7+ flags 1: the hash is stored but never checked.
    HashUnchecked,
    /// Before PEP 552: an 8- or 12-byte header with mtime (and source size from 3.3).
    Legacy,
    /// No header at all: bare marshal data, read as an inferred or chosen version.
    Headerless,
}

impl PycKind {
    /// The name used in the JSON document.
    pub fn name(self) -> &'static str {
        match self {
            PycKind::Timestamp => "timestamp",
            PycKind::HashChecked => "hash-checked",
            PycKind::HashUnchecked => "hash-unchecked",
            PycKind::Legacy => "legacy",
            PycKind::Headerless => "none",
        }
    }
}

/// The decoded header, with every field named as the JSON contract names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// What the magic says: version, number, `-U` variant.
    pub magic: Magic,
    /// Header length in bytes: 8, 12 or 16 (0 for headerless data).
    pub size: usize,
    /// The PEP 552 flags word (3.7+).
    pub flags: Option<u32>,
    /// Staleness check the importer applies.
    pub kind: PycKind,
    /// Source modification time, seconds since the epoch mod 2^32.
    pub mtime: Option<u32>,
    /// Source size in bytes mod 2^32 (3.3+ timestamp pycs).
    pub source_size: Option<u32>,
    /// SipHash of the source (hash-based pycs), as stored: 8 bytes.
    pub source_hash: Option<[u8; 8]>,
    /// Set when the file was encrypted and pyclens decrypted it (Dropbox's 2.5 pycs): the
    /// decoded bytes are then the plaintext, not the file.
    pub decrypted: Option<crate::pyc::dropbox::Decrypted>,
}

impl Header {
    /// The Python minor version that wrote the file.
    pub fn version(&self) -> PyVersion {
        self.magic.version
    }
}

/// The 12-byte header begins at 3.3a1's magic 3210; PEP 552's 16 bytes at 3.7a4's 3392.
const SOURCE_SIZE_MAGIC: u16 = 3210;
const PEP552_MAGIC: u16 = 3392;

/// The marshal type byte of a code object, unflagged (the module of every 2.x–3.3 file).
const CODE_TYPE: u8 = b'c';

/// PEP 552 flag bits; the importer rejects any other bit.
const FLAG_HASH_BASED: u32 = 1;
const FLAG_CHECK_SOURCE: u32 = 2;

/// Reads and validates the header at the start of `data`.
pub fn parse(data: &[u8]) -> Result<Header> {
    let magic_bytes: [u8; 4] = data
        .get(..4)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| truncated(data.len(), 4, "the 4-byte magic number"))?;
    // The viewer module (no `foreign` feature) names such a file instead (foreign.rs).
    #[cfg(feature = "foreign")]
    if let Some(magic) = crate::pyc::rustpython::magic(data) {
        return parse_as(data, magic);
    }
    if let Some(foreign) = foreign::identify(data) {
        return Err(foreign.error(data));
    }
    let magic =
        Magic::identify(magic_bytes).map_err(|e| DecodeError::new(ErrorKind::UnknownMagic, 0, e.to_string()))?;
    parse_as(data, magic)
}

/// Reads the header at the start of `data` as the header `magic`'s version writes, whatever
/// its first four bytes say (they are kept as found): how a file is read as a version its
/// reader chose.
pub fn parse_as(data: &[u8], magic: Magic) -> Result<Header> {
    let magic = Magic { bytes: data.get(..4).and_then(|b| b.try_into().ok()).unwrap_or(magic.bytes), ..magic };
    let version = magic.version;
    let number = magic.number_or_zero();
    let py3 = version.major >= 3;
    let size = if py3 && number >= PEP552_MAGIC {
        16
    } else if py3 && number >= SOURCE_SIZE_MAGIC {
        12
    } else if version.major >= 2 && data.get(8) != Some(&CODE_TYPE) && data.get(12) == Some(&CODE_TYPE) {
        // pytest's assertion rewriter caches its rewritten modules (`*-PYTEST.pyc`) with the
        // source size after the mtime on every version, so these 8-byte-era files carry 12
        // bytes. The module itself always starts with the code type byte, which is never
        // flagged before 3.4: where it is tells the two layouts apart.
        12
    } else {
        8
    };
    if data.len() < size {
        return Err(truncated(data.len(), size, &format!("the {size}-byte header of a Python {version} pyc")));
    }
    let word = |at: usize| u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]);
    let mut header = Header {
        magic,
        size,
        flags: None,
        kind: PycKind::Legacy,
        mtime: None,
        source_size: None,
        source_hash: None,
        decrypted: None,
    };
    if size < 16 {
        header.mtime = Some(word(4));
        if size == 12 {
            header.source_size = Some(word(8));
        }
        return Ok(header);
    }
    let flags = word(4);
    header.flags = Some(flags);
    if flags & !(FLAG_HASH_BASED | FLAG_CHECK_SOURCE) != 0 {
        return Err(DecodeError::new(
            ErrorKind::BadHeader,
            4,
            format!("PEP 552 flags {flags:#x} have bits other than 1 (hash-based) and 2 (check source)"),
        ));
    }
    if flags & FLAG_HASH_BASED != 0 {
        header.kind = if flags & FLAG_CHECK_SOURCE != 0 { PycKind::HashChecked } else { PycKind::HashUnchecked };
        let mut hash = [0u8; 8];
        hash.copy_from_slice(&data[8..16]);
        header.source_hash = Some(hash);
    } else {
        header.kind = PycKind::Timestamp;
        header.mtime = Some(word(8));
        header.source_size = Some(word(12));
    }
    Ok(header)
}

fn truncated(len: usize, need: usize, what: &str) -> DecodeError {
    DecodeError::new(
        ErrorKind::Truncated,
        len,
        format!("file ends after {len} bytes, inside {what} ({need} bytes needed)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_and_short_files_are_truncated() {
        let e = parse(b"").unwrap_err();
        assert_eq!((e.kind, e.offset), (ErrorKind::Truncated, 0));
        let e = parse(&[0xcb, 0x0d, 0x0d, 0x0a, 0]).unwrap_err();
        assert_eq!((e.kind, e.offset), (ErrorKind::Truncated, 5));
    }

    #[test]
    fn reserved_flag_bits_are_rejected() {
        let mut h = vec![0xcb, 0x0d, 0x0d, 0x0a, 4, 0, 0, 0];
        h.extend([0; 8]);
        let e = parse(&h).unwrap_err();
        assert_eq!((e.kind, e.offset), (ErrorKind::BadHeader, 4));
    }

    #[test]
    fn header_size_follows_the_magic() {
        let with = |n: u16| {
            let [a, b] = n.to_le_bytes();
            let mut v = vec![a, b, 0x0d, 0x0a];
            v.extend([0; 12]);
            parse(&v).unwrap().size
        };
        assert_eq!(with(62211), 8);
        assert_eq!(with(3180), 8);
        assert_eq!(with(3230), 12);
        assert_eq!(with(3379), 12);
        assert_eq!(with(3394), 16);
    }

    #[test]
    fn pytest_rewrite_caches_of_2x_carry_a_source_size() {
        let mut v = vec![0x03, 0xf3, 0x0d, 0x0a, 1, 0, 0, 0, 0xad, 2, 0, 0, b'c'];
        let h = parse(&v).unwrap();
        assert_eq!((h.size, h.mtime, h.source_size), (12, Some(1), Some(0x2ad)));
        v.drain(8..12);
        let h = parse(&v).unwrap();
        assert_eq!((h.size, h.source_size), (8, None));
    }
}
