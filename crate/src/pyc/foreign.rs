//! Pycs written by Python implementations whose code objects are not CPython's.
//!
//! GraalPy 3.10–3.12 files are decoded (`crate::pyc::graal`); its 3.8 magics stay here.
//! GraalPy, RustPython and Jython each compile Python to bytecode of their own and marshal
//! it their own way; Dropbox shipped a modified 2.x that scrambles its pycs. Their files
//! still start with a magic number, and "unknown magic number" is the complaint people
//! have about every other tool. Naming the writer (and why its code objects cannot be
//! shown) is the useful answer. Magic numbers are from xdis's `magics.py` (6.3.0), the
//! widest catalogue of them; no file of these implementations is in the test corpus.

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
const RUSTPYTHON: &str = "RustPython marshals its own bytecode and code objects, not CPython's";
const JYTHON: &str = "Jython compiles modules to Java bytecode, not CPython code objects";
const PYSTON: &str = "Pyston 0.6 gave its cached bytecode a magic of its own; no sample of its format was \
                      available to verify a decoder against";
const DROPBOX: &str = "Dropbox's modified Python scrambles the marshalled code of its pycs";

/// (16-bit magic before `\r\n`, writer, why). None of these numbers is in a CPython range.
const MAGICS: &[(u16, &str, &str)] = &[
    (21150, "GraalPy (Python 3.8)", GRAALPY),
    (21260, "GraalPy (Python 3.8)", GRAALPY),
    (12641, "RustPython (Python 3.12)", RUSTPYTHON),
    (12897, "RustPython 0.4 (Python 3.12)", RUSTPYTHON),
    (13413, "RustPython (Python 3.13)", RUSTPYTHON),
    (24881, "RustPython 0.4 (Python 3.13)", RUSTPYTHON),
    (2997, "RustPython 0.4 (Python 3.13)", RUSTPYTHON),
    (1011, "Jython 2.7", JYTHON),
    (65226, "Jython 2.7.4", JYTHON),
    (22138, "Pyston 0.6 (Python 2.7)", PYSTON),
    (2657, "Pyston 0.6.1 (Python 2.7)", PYSTON),
    (62135, "Dropbox's Python 2.5", DROPBOX),
    (62215, "Dropbox's Python 2.7", DROPBOX),
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
        _ => return None,
    };
    // CPython 3.12 always flags its module code object (0xe3 at byte 16); RustPython, which
    // reuses the number, never does.
    if number == MAGIC_3_12 && data.get(16) == Some(&b'c') {
        return Some(Foreign { writer: "RustPython 0.4 (Python 3.13, with CPython 3.12's magic)", why: RUSTPYTHON });
    }
    MAGICS.iter().find(|(n, _, _)| *n == number).map(|&(_, writer, why)| Foreign { writer, why })
}

/// Every foreign writer pyclens names, once each, for `pyclens versions`.
pub fn writers() -> Vec<Foreign> {
    let mut out: Vec<Foreign> = Vec::new();
    for &(_, writer, why) in MAGICS {
        if !out.iter().any(|f| f.writer == writer) {
            out.push(Foreign { writer, why });
        }
    }
    out
}

impl Foreign {
    /// The error every decode path reports for such a file: the first byte it cannot read
    /// is the one after the magic.
    pub fn error(&self, data: &[u8]) -> DecodeError {
        let magic: String = data.iter().take(4).map(|b| format!("{b:02x}")).collect();
        DecodeError::new(
            ErrorKind::ForeignImplementation,
            4,
            format!("{} pyc (magic bytes {magic}): {}, so pyclens cannot show them", self.writer, self.why),
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
}
