//! Pycs written by Python implementations whose code objects are not CPython's.
//!
//! GraalPy 3.10–3.12 files are decoded (`crate::pyc::graal`); its 3.8 magics stay here.
//! GraalPy, RustPython and Jython each compile Python to bytecode of their own and marshal
//! it their own way; Dropbox shipped modified 2.x builds that encrypt their pycs (its 2.5
//! files are decrypted and decoded: `dropbox.rs`; they are named here only for the readers
//! that do not decrypt, such as [`crate::decode`]). Their files
//! still start with a magic number, and "unknown magic number" is the complaint people
//! have about every other tool. Naming the writer (and why its code objects cannot be
//! shown) is the useful answer. Magic numbers are from xdis's `magics.py` (6.3.0), the
//! widest catalogue of them.
//!
//! RustPython's files of the commit whose instruction set pyclens has read are decoded
//! (`pyc::rustpython`); the ones named here are its others. Its importer makes the magic the
//! first four hex digits of the git commit it was built from (`vm/src/import.rs`), which
//! xdis lists by their first two bytes (12641 "a1", 12897 "a2", 13413 "e4", 24881 "1a"); from
//! 2026 it writes CPython-style magics (2997, and 3.12's 3531 with an unflagged module).

use crate::error::{DecodeError, ErrorKind};

/// A file recognised as another implementation's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Foreign {
    /// The implementation and the Python version it implements, as people name them.
    pub writer: &'static str,
    /// Why pyclens shows its magic but not its contents.
    pub why: &'static str,
}

const GRAALPY: &str = "GraalPy's 3.8 releases wrote an older form of its own code units and bytecode; \
                       pyclens decodes GraalPy 3.10-3.12 (magics 21280 and 21290), and no 3.8 sample was \
                       available to verify a decoder against";
const RUSTPYTHON: &str = "RustPython marshals its own bytecode and code objects, and its instruction set changes \
                          from commit to commit: pyclens decodes only the files of commit 1aea1467 (magic `1aea`), \
                          the one whose `Instruction` enum it has read, and no sample pins this one's";
const RUSTPYTHON_HASH: &str =
    "RustPython built from another git commit (its magic is the commit's first four hex digits)";
const JYTHON: &str = "Jython compiles modules to Java bytecode, not CPython code objects";
const PYSTON: &str = "Pyston 0.6 gave its cached bytecode a magic of its own; no sample of its format was \
                      available to verify a decoder against";
const DROPBOX_25: &str = "its code objects are encrypted, and this reader does not decrypt them \
                          (`pyclens::open_with` does, and so do the command line and the page)";
const DROPBOX_27: &str = "Dropbox's Python 2.7 encrypts its code objects with a later scheme (keys from a Mersenne \
                          Twister) and renumbers its opcodes again; the published tools (kholia/dedrop) recover \
                          them by running Dropbox's own interpreter, and no sample file is public to check a \
                          decoder against";

/// (16-bit magic before `\r\n`, writer, why). None of these numbers is in a CPython range.
const MAGICS: &[(u16, &str, &str)] = &[
    (21150, "GraalPy (Python 3.8)", GRAALPY),
    (21260, "GraalPy (Python 3.8)", GRAALPY),
    (2997, "RustPython (Python 3.13, 2026 builds)", RUSTPYTHON),
    (1011, "Jython 2.7", JYTHON),
    (65226, "Jython 2.7.4", JYTHON),
    (22138, "Pyston 0.6 (Python 2.7)", PYSTON),
    (2657, "Pyston 0.6.1 (Python 2.7)", PYSTON),
    (crate::pyc::dropbox::MAGIC, crate::pyc::dropbox::WRITER, DROPBOX_25),
    (62215, "Dropbox's Python 2.7", DROPBOX_27),
];

/// CPython 3.12's magic, which later RustPython 0.4 builds write too.
const MAGIC_3_12: u16 = 3531;

/// Recognises a foreign pyc from its first bytes.
pub fn identify(data: &[u8]) -> Option<Foreign> {
    if data.starts_with(&[0xCA, 0xFE, 0xBA, 0xBE]) {
        return Some(Foreign { writer: "a Java class file (Jython's `$py.class`)", why: JYTHON });
    }
    let number = match data.get(..4)? {
        [a, b, 0x0D, 0x0A] => u16::from_le_bytes([*a, *b]),
        _ => return rustpython_hash(data),
    };
    // CPython 3.12 always flags its module code object (0xe3 at byte 16); RustPython, which
    // reuses the number, never does.
    if number == MAGIC_3_12 && data.get(16) == Some(&b'c') {
        return Some(Foreign {
            writer: "RustPython (Python 3.13, 2025-12 builds, with CPython 3.12's magic)",
            why: RUSTPYTHON,
        });
    }
    MAGICS.iter().find(|(n, _, _)| *n == number).map(|&(_, writer, why)| Foreign { writer, why })
}

/// RustPython's commit-hash magics: four lowercase hex digits, never `\r\n`-terminated.
fn rustpython_hash(data: &[u8]) -> Option<Foreign> {
    let magic = data.get(..4)?;
    magic
        .iter()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(b))
        .then_some(Foreign { writer: RUSTPYTHON_HASH, why: RUSTPYTHON })
}

/// Every foreign writer pyclens names but does not decode, once each, for `pyclens versions`
/// (Dropbox's 2.5 files, decrypted and decoded, are listed with the versions).
pub fn writers() -> Vec<Foreign> {
    let mut out: Vec<Foreign> = Vec::new();
    let rustpython = [
        (0, RUSTPYTHON_HASH, RUSTPYTHON),
        (MAGIC_3_12, "RustPython (Python 3.13, 2025-12 builds, with CPython 3.12's magic)", RUSTPYTHON),
    ];
    for &(_, writer, why) in MAGICS.iter().filter(|(n, _, _)| *n != crate::pyc::dropbox::MAGIC).chain(&rustpython) {
        if !out.iter().any(|f| f.writer == writer) {
            out.push(Foreign { writer, why });
        }
    }
    out
}

/// The error of a build without the `foreign` feature (the page's viewer module, kept small)
/// for a file whose reader it leaves out: the page then asks its analysis module, which has it.
#[cfg(not(feature = "foreign"))]
pub fn left_out(data: &[u8], writer: &'static str) -> DecodeError {
    Foreign { writer, why: "this build of pyclens (the page's viewer module) leaves its reader out; the command line and the page's analysis module read it" }.error(data)
}

impl Foreign {
    /// The error every decode path reports for such a file: the first byte it cannot read
    /// is the one after the magic.
    pub fn error(&self, data: &[u8]) -> DecodeError {
        let magic: String = data.iter().take(4).map(|b| format!("{b:02x}")).collect();
        // Dropbox's 2.5 files can be shown, only not by a reader that does not decrypt.
        let tail = if self.why == DROPBOX_25 { "" } else { ", so pyclens cannot show them" };
        DecodeError::new(
            ErrorKind::ForeignImplementation,
            4,
            format!("{} pyc (magic bytes {magic}): {}{}", self.writer, self.why, tail),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn foreign_magics_are_named() {
        let e = identify(&[0x0c, 0x53, 0x0d, 0x0a, 0, 0]).unwrap().error(&[0x0c, 0x53, 0x0d, 0x0a]);
        assert_eq!((e.kind, e.offset), (ErrorKind::ForeignImplementation, 4));
        assert!(e.message.starts_with("GraalPy (Python 3.8) pyc (magic bytes 0c530d0a)"), "{}", e.message);
        // GraalPy 3.10-3.12 are decoded, not refused.
        assert_eq!(identify(&[0x20, 0x53, 0x0d, 0x0a, 0, 0]), None);
        assert!(identify(b"\xca\xfe\xba\xbe\0\0\0\x34").unwrap().writer.contains("Java"));
    }

    #[test]
    fn cpython_files_are_not_foreign() {
        let mut v = vec![0xcb, 0x0d, 0x0d, 0x0a];
        v.extend([0; 12]);
        v.push(0xe3);
        assert_eq!(identify(&v), None);
        v[16] = b'c';
        assert!(identify(&v).unwrap().writer.starts_with("RustPython"));
        assert_eq!(identify(&[0x03, 0xf3, 0x0d, 0x0a]), None);
    }

    #[test]
    fn rustpython_commit_magics_are_named() {
        assert_eq!(identify(b"a1b2\0\0\0\0").unwrap().writer, RUSTPYTHON_HASH);
        assert_eq!(identify(b"A1B2\0\0\0\0"), None);
        assert!(writers().iter().any(|f| f.writer == RUSTPYTHON_HASH));
    }
}
