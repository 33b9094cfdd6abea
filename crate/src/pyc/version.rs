//! Which Python wrote a file, told from its magic number.
//!
//! Every change to the bytecode or the marshal format bumped the magic, so alpha and beta
//! builds carry values between two releases. Mapping by range (pyc-format.md §2.3) is what
//! lets pyclens name the minor version of a pre-release file instead of refusing it.

use std::fmt;

/// A Python language version (`major.minor`), the unit in which formats change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PyVersion {
    /// 1, 2 or 3.
    pub major: u8,
    /// The minor number within `major`.
    pub minor: u8,
}

impl PyVersion {
    /// Builds a version; a `const fn` so tables of versions can be constants.
    pub const fn new(major: u8, minor: u8) -> Self {
        PyVersion { major, minor }
    }

    /// True when this version is `major.minor` or newer; reads better than tuple compares
    /// at the many places where a format feature starts at some release.
    pub fn at_least(self, major: u8, minor: u8) -> bool {
        self >= PyVersion::new(major, minor)
    }

    /// True for the versions whose files are decoded and checked field by field against
    /// the real interpreter's own report in the test suite (tests/fixtures): 2.7, 3.6–3.15.
    pub fn is_verified(self) -> bool {
        self == PyVersion::new(2, 7) || (self.major == 3 && (6..=15).contains(&self.minor))
    }
}

impl fmt::Display for PyVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

/// How the 4 magic bytes map to a version: one row per minor version.
struct MagicRange {
    version: PyVersion,
    /// Inclusive range of 16-bit magic numbers this minor used during its development.
    first: u16,
    last: u16,
}

const fn range(major: u8, minor: u8, first: u16, last: u16) -> MagicRange {
    MagicRange { version: PyVersion::new(major, minor), first, last }
}

/// Ranges from pyc-format.md §2.2–2.3. 1.3–2.2 each had one magic; the `-U` variants
/// (magic + 1) are handled separately. From 3.11 on the rule `2900 + 50 * minor` holds, and
/// 3.16 is announced to start at 3700.
const RANGES: &[MagicRange] = &[
    range(1, 3, 11913, 11913),
    range(1, 4, 5892, 5892),
    range(1, 5, 20121, 20121),
    range(1, 6, 50428, 50428),
    range(2, 0, 50823, 50823),
    range(2, 1, 60202, 60202),
    range(2, 2, 60717, 60717),
    range(2, 3, 62011, 62021),
    range(2, 4, 62041, 62061),
    range(2, 5, 62071, 62131),
    range(2, 6, 62151, 62161),
    range(2, 7, 62171, 62211),
    range(3, 0, 3000, 3131),
    range(3, 1, 3141, 3151),
    range(3, 2, 3160, 3180),
    range(3, 3, 3190, 3230),
    range(3, 4, 3250, 3310),
    range(3, 5, 3320, 3351),
    range(3, 6, 3360, 3379),
    range(3, 7, 3390, 3394),
    range(3, 8, 3400, 3413),
    range(3, 9, 3420, 3425),
    range(3, 10, 3430, 3439),
    range(3, 11, 3450, 3499),
    range(3, 12, 3500, 3549),
    range(3, 13, 3550, 3599),
    range(3, 14, 3600, 3649),
    range(3, 15, 3650, 3699),
    range(3, 16, 3700, 3749),
];

/// PyPy's own magic numbers and the CPython version each implements (facts from xdis's
/// magics.py). PyPy 2.7 and PyPy3 3.2 (PyPy 2.x releases) added 7 to CPython's final magic;
/// later PyPy3 releases count up from 48 in steps of 16 (with stragglers), far below any
/// CPython 3 magic. Confirmed with the real interpreters' own `MAGIC_NUMBER` /
/// `imp.get_magic()`: 62218 (Debian bullseye pypy 7.3.3, PyPy 2.7), 240 (bullseye pypy3
/// 7.3.5, PyPy 3.7), 336 (bookworm pypy3 7.3.11, PyPy 3.9) and 416 (trixie pypy3 7.3.19,
/// PyPy 3.11). PyPy 3.8 is not here: it writes CPython 3.8's own 3413 (see
/// [`Magic::as_pypy`]).
const PYPY_MAGICS: &[(u16, PyVersion)] = &[
    (62218, PyVersion::new(2, 7)),
    (3187, PyVersion::new(3, 2)),
    (48, PyVersion::new(3, 2)),
    (64, PyVersion::new(3, 3)),
    (112, PyVersion::new(3, 5)),
    (160, PyVersion::new(3, 6)),
    (192, PyVersion::new(3, 6)),
    (224, PyVersion::new(3, 7)),
    (240, PyVersion::new(3, 7)),
    (244, PyVersion::new(3, 7)),
    (256, PyVersion::new(3, 8)),
    (320, PyVersion::new(3, 9)),
    (336, PyVersion::new(3, 9)),
    (384, PyVersion::new(3, 10)),
    (416, PyVersion::new(3, 11)),
];

/// GraalPy's magics that pyclens decodes: 21000 + 10 × `Compiler.BYTECODE_VERSION` (its
/// `PythonLanguage.MAGIC_NUMBER`). Bytecode version 28 was GraalPy 23.1–24.0 (Python 3.10);
/// 29 was GraalPy 24.1–25.0, which implemented 3.11 (24.1, 24.2) and then 3.12 (25.0) without
/// a new number: the magic says 3.11 and the reader tells 3.12 from its code unit
/// ([`crate::pyc::graal`]). The 3.8 magics (21150, 21260) stay only named
/// ([`crate::pyc::foreign`]): no sample of them was at hand.
const GRAALPY_MAGICS: &[(u16, PyVersion)] = &[(21280, PyVersion::new(3, 10)), (21290, PyVersion::new(3, 11))];

/// How a file's code objects are stored, where that is not simply CPython's format of the
/// version the magic names (see [`PYPY_FORMATS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CodeFormat {
    /// CPython's code-object layout and line table of the version (chosen by version and
    /// magic in `code::layout` and `tables::derive`).
    CPython,
    /// PyPy 3.11: CPython 3.10's layout with `co_qualname` stored after `co_name` (no
    /// localsplus, no exception table), and `co_linetable` in PyPy's own position format:
    /// one entry per 2-byte instruction (`lines::locations_pypy`).
    PyPyPositions,
    /// RustPython: its own marshal format and code-object record (`pyc::rustpython`), a
    /// (line, column) per instruction, and its own instruction set.
    RustPython,
}

/// PyPy releases whose files do not follow the CPython version they implement: (PyPy's
/// version, the CPython version whose *bytecode* rules apply, the code format). Measured on
/// trixie's PyPy 3.11 (7.3.19): it implements 3.11's language but compiles to CPython
/// 3.10-style bytecode (SETUP_EXCEPT/SETUP_FINALLY blocks, CALL_METHOD, no BINARY_OP, no
/// inline caches, jump arguments in instructions, cell indexes into cellvars + freevars).
/// PyPy 3.10 (magic 384) is 3.10 in both respects and needs no row; no PyPy 3.10 ran here,
/// so its code layout is CPython 3.10's as xdis reads it.
const PYPY_FORMATS: &[(PyVersion, PyVersion, CodeFormat)] =
    &[(PyVersion::new(3, 11), PyVersion::new(3, 10), CodeFormat::PyPyPositions)];

/// The CPython version whose bytecode rules (argument meanings, jump units, inline caches,
/// exception tables, the `dis` listing layout) apply to code that `implementation`'s
/// `version` wrote: the version itself except for the rows of [`PYPY_FORMATS`].
pub fn bytecode_version(version: PyVersion, implementation: Implementation) -> PyVersion {
    if implementation == Implementation::RustPython {
        return RUSTPYTHON_BYTECODE;
    }
    pypy_format(version, implementation).map_or(version, |(_, bytecode, _)| bytecode)
}

fn pypy_format(version: PyVersion, implementation: Implementation) -> Option<(PyVersion, PyVersion, CodeFormat)> {
    if implementation != Implementation::PyPy {
        return None;
    }
    PYPY_FORMATS.iter().find(|(v, _, _)| *v == version).copied()
}

/// The CPython version whose `dis` rules fit RustPython's instructions: 2-byte code units
/// with no inline caches, `EXTENDED_ARG` shifting 8 bits into the next argument and reset by
/// any other opcode, and jump arguments that are absolute instruction indexes (a `Label` in
/// RustPython's `bytecode.rs`), which is how 3.10 counts its absolute jumps.
const RUSTPYTHON_BYTECODE: PyVersion = PyVersion::new(3, 10);

/// The PyPy versions whose files are checked field by field and instruction by instruction
/// against that PyPy's own report (tests/fixtures/pypyX.Y, Debian's PyPy packages); for
/// PyPy 3.11, whose own `dis` cannot read its bytecode, instructions are checked against xdis.
const PYPY_VERIFIED: &[PyVersion] =
    &[PyVersion::new(2, 7), PyVersion::new(3, 7), PyVersion::new(3, 9), PyVersion::new(3, 11)];

/// 3.x magics restarted at 3000 and stay below this; 1.3–2.7 used 5892..62212.
const PY3_MAGIC_CEILING: u16 = 5000;

/// The 32-bit magics of 1.0–1.2, which predate the `\r\n` convention.
const MAGIC_1_0: [u8; 4] = [0x02, 0x99, 0x99, 0x00];
const MAGIC_1_1: [u8; 4] = [0x03, 0x99, 0x99, 0x00];

/// Which family of interpreters wrote the file. PyPy keeps CPython's marshal format but
/// numbers its magics on its own and adds opcodes, so the version alone does not say how to
/// read the bytecode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Implementation {
    /// The reference interpreter.
    CPython,
    /// PyPy: CPython's marshal and code objects, its own magics and extra opcodes.
    PyPy,
    /// RustPython: its own marshal format, code objects and instruction set, and a magic
    /// made of its git commit's first hex digits (`pyc::rustpython`).
    RustPython,
    /// GraalPy: its own magics (21000 + 10 × its bytecode version), marshal format, code
    /// units and opcode set (`crate::pyc::graal`, `crate::bytecode::graal`).
    GraalPy,
}

impl Implementation {
    /// The name the JSON document and the page show.
    pub fn name(self) -> &'static str {
        match self {
            Implementation::CPython => "CPython",
            Implementation::PyPy => "PyPy",
            Implementation::RustPython => "RustPython",
            Implementation::GraalPy => "GraalPy",
        }
    }
}

/// What the magic bytes say about the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Magic {
    /// The four bytes as found.
    pub bytes: [u8; 4],
    /// The 16-bit number before `\r\n`; `None` for 1.0–1.2, which used a 32-bit constant.
    pub number: Option<u16>,
    /// The minor version whose range holds the number.
    pub version: PyVersion,
    /// 1.x/2.x `python -U` wrote magic + 1: every string literal is unicode.
    pub unicode_literals: bool,
    /// The interpreter family whose magic this is.
    pub implementation: Implementation,
}

impl Magic {
    /// Identifies the 4 leading bytes of a pyc, or explains why they are not a magic we know.
    pub fn identify(bytes: [u8; 4]) -> Result<Magic, UnknownMagic> {
        let found = |number, version, unicode_literals, implementation| {
            Ok(Magic { bytes, number, version, unicode_literals, implementation })
        };
        if bytes == MAGIC_1_0 || bytes == MAGIC_1_1 {
            let minor = if bytes == MAGIC_1_0 { 0 } else { 1 };
            return found(None, PyVersion::new(1, minor), false, Implementation::CPython);
        }
        let number = u16::from_le_bytes([bytes[0], bytes[1]]);
        if bytes[2..4] != [0x0D, 0x0A] {
            return Err(UnknownMagic { bytes, number: None });
        }
        if let Some(r) = RANGES.iter().find(|r| (r.first..=r.last).contains(&number)) {
            return found(Some(number), r.version, false, Implementation::CPython);
        }
        if let Some(&(_, version)) = PYPY_MAGICS.iter().find(|(n, _)| *n == number) {
            return found(Some(number), version, false, Implementation::PyPy);
        }
        if let Some(&(_, version)) = GRAALPY_MAGICS.iter().find(|(n, _)| *n == number) {
            return found(Some(number), version, false, Implementation::GraalPy);
        }
        // `-U` files of the single-magic releases (1.3–2.2) and of each 2.x final magic.
        let minus_one = number.wrapping_sub(1);
        if let Some(r) = RANGES.iter().find(|r| r.version.major < 3 && r.last == minus_one) {
            return found(Some(number), r.version, true, Implementation::CPython);
        }
        Err(UnknownMagic { bytes, number: Some(number) })
    }

    /// The 16-bit number, or 0 for the 1.0–1.2 constants (which sort below every other magic,
    /// so comparisons like `magic >= 3392` stay meaningful within a major version). For a
    /// PyPy magic it is the final magic of the CPython version PyPy implements, because the
    /// header, code object and line table formats follow that version and every such
    /// comparison is about those formats.
    pub fn number_or_zero(&self) -> u16 {
        match self.implementation {
            Implementation::CPython => self.number.unwrap_or(0),
            // RustPython's and GraalPy's headers are CPython's 16-byte PEP 552 one; nothing
            // else compares.
            Implementation::PyPy | Implementation::RustPython | Implementation::GraalPy => {
                RANGES.iter().find(|r| r.version == self.version).map_or(0, |r| r.last)
            }
        }
    }

    /// The CPython version whose bytecode rules apply to this file ([`bytecode_version`]).
    pub fn bytecode_version(&self) -> PyVersion {
        bytecode_version(self.version, self.implementation)
    }

    /// How this file's code objects are stored ([`CodeFormat`]).
    pub fn code_format(&self) -> CodeFormat {
        if self.implementation == Implementation::RustPython {
            return CodeFormat::RustPython;
        }
        pypy_format(self.version, self.implementation).map_or(CodeFormat::CPython, |(_, _, format)| format)
    }

    /// The magic `implementation`'s `version` writes (for CPython its final one): what a file
    /// read as that version is taken to carry when it has no header or a wrong one. `None`
    /// for a version pyclens does not know.
    pub fn of(version: PyVersion, implementation: Implementation) -> Option<Magic> {
        let number = match implementation {
            Implementation::CPython if version == PyVersion::new(1, 0) => return Magic::identify(MAGIC_1_0).ok(),
            Implementation::CPython if version == PyVersion::new(1, 1) => return Magic::identify(MAGIC_1_1).ok(),
            Implementation::CPython => RANGES.iter().find(|r| r.version == version)?.last,
            Implementation::PyPy => PYPY_MAGICS.iter().find(|(_, v)| *v == version)?.0,
            // A RustPython file is read only as what its own magic names.
            Implementation::RustPython => return None,
            // GraalPy files are only read as what their magic and code unit say.
            Implementation::GraalPy => return None,
        };
        let [lo, hi] = number.to_le_bytes();
        let magic = Magic::identify([lo, hi, 0x0D, 0x0A]).ok()?;
        // PyPy 3.8 writes CPython 3.8's magic.
        Some(Magic { implementation, ..magic })
    }

    /// The same magic taken as PyPy's. PyPy 3.8 writes CPython 3.8's own magic 3413, so the
    /// four bytes cannot tell; the caller knows from elsewhere (the PEP 3147 cache tag
    /// `pypy38` in the file name, or PyPy-only opcodes in the bytecode).
    pub fn as_pypy(self) -> Magic {
        Magic { implementation: Implementation::PyPy, ..self }
    }
}

/// A magic that no known Python wrote; carries what is needed to say so usefully.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMagic {
    /// The four bytes as found.
    pub bytes: [u8; 4],
    /// The 16-bit number when the bytes end in `\r\n`.
    pub number: Option<u16>,
}

impl fmt::Display for UnknownMagic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hex: String = self.bytes.iter().map(|b| format!("{b:02x}")).collect();
        let Some(n) = self.number else {
            return write!(f, "not a .pyc file: magic bytes {hex} do not end in 0d 0a");
        };
        write!(f, "unknown magic number {n} (bytes {hex})")?;
        if n < 3000 {
            return write_pypy_neighbours(f, n);
        }
        // Name the versions whose ranges lie on either side: same major era only, since
        // 2.x numbers (5892..62211) and 3.x numbers (3000..) interleave.
        let same_era = |r: &&MagicRange| (r.version.major >= 3) == (n < PY3_MAGIC_CEILING);
        let below = RANGES.iter().filter(same_era).filter(|r| r.last < n).max_by_key(|r| r.last);
        let above = RANGES.iter().filter(same_era).filter(|r| r.first > n).min_by_key(|r| r.first);
        match (below, above) {
            (Some(b), Some(a)) => write!(
                f,
                "; nearest known: Python {} ({}-{}) and Python {} ({}-{})",
                b.version, b.first, b.last, a.version, a.first, a.last
            ),
            (Some(b), None) => write!(f, "; newer than Python {} ({}-{})", b.version, b.first, b.last),
            (None, Some(a)) => write!(f, "; older than Python {} ({}-{})", a.version, a.first, a.last),
            (None, None) => Ok(()),
        }
    }
}

/// Below 3000 only PyPy3's small magics live: name the nearest of those.
fn write_pypy_neighbours(f: &mut fmt::Formatter<'_>, n: u16) -> fmt::Result {
    let small = || PYPY_MAGICS.iter().filter(|(m, _)| *m < 3000);
    let below = small().filter(|(m, _)| *m < n).max_by_key(|(m, _)| *m);
    let above = small().filter(|(m, _)| *m > n).min_by_key(|(m, _)| *m);
    match (below, above) {
        (Some((b, bv)), Some((a, av))) => write!(f, "; nearest known: PyPy {bv} ({b}) and PyPy {av} ({a})"),
        (Some((b, bv)), None) => write!(f, "; newer than PyPy {bv} ({b})"),
        (None, Some((a, av))) => write!(f, "; older than PyPy {av} ({a})"),
        (None, None) => Ok(()),
    }
}

/// Every PyPy version whose magic pyclens recognises (3.8 through its CPython magic and a
/// hint), oldest first: what the page lists next to [`known_versions`].
pub fn known_pypy_versions() -> Vec<PyVersion> {
    // Kept in order as it is built: a sort of PyVersions would be one more instantiation of
    // the standard sort in the page's WebAssembly module (2.7 KB for a list of five).
    let mut v: Vec<PyVersion> = Vec::new();
    for &(_, version) in PYPY_MAGICS {
        if let Err(at) = v.binary_search(&version) {
            v.insert(at, version);
        }
    }
    v
}

/// Every GraalPy version whose files pyclens decodes, oldest first (3.12 shares 3.11's
/// magic).
pub fn known_graalpy_versions() -> Vec<PyVersion> {
    vec![PyVersion::new(3, 10), PyVersion::new(3, 11), PyVersion::new(3, 12)]
}

/// True for the PyPy versions checked against a real PyPy in the test suite.
pub fn is_verified_pypy(version: PyVersion) -> bool {
    PYPY_VERIFIED.contains(&version)
}

/// Every minor version whose files pyclens recognises, oldest first; the page and CLI list it.
pub fn known_versions() -> Vec<PyVersion> {
    let mut v = vec![PyVersion::new(1, 0), PyVersion::new(1, 1)];
    v.extend(RANGES.iter().map(|r| r.version));
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn magic(n: u16) -> [u8; 4] {
        let [a, b] = n.to_le_bytes();
        [a, b, 0x0D, 0x0A]
    }

    #[test]
    fn release_magics_map_to_their_minor() {
        for (n, v) in [
            (62211, (2, 7)),
            (3379, (3, 6)),
            (3394, (3, 7)),
            (3413, (3, 8)),
            (3425, (3, 9)),
            (3439, (3, 10)),
            (3495, (3, 11)),
            (3531, (3, 12)),
            (3571, (3, 13)),
            (3627, (3, 14)),
            (3666, (3, 15)),
            (3700, (3, 16)),
            (3350, (3, 5)),
            (3351, (3, 5)),
        ] {
            let m = Magic::identify(magic(n)).unwrap();
            assert_eq!(m.version, PyVersion::new(v.0, v.1), "magic {n}");
            assert!(!m.unicode_literals);
        }
    }

    #[test]
    fn unicode_literal_variants_are_magic_plus_one() {
        let m = Magic::identify(magic(62212)).unwrap();
        assert_eq!((m.version, m.unicode_literals), (PyVersion::new(2, 7), true));
        let m = Magic::identify(magic(5893)).unwrap();
        assert_eq!((m.version, m.unicode_literals), (PyVersion::new(1, 4), true));
    }

    #[test]
    fn pypy_magics_name_pypy_and_its_version() {
        for (n, v) in [(62218, (2, 7)), (3187, (3, 2)), (48, (3, 2)), (240, (3, 7)), (336, (3, 9)), (416, (3, 11))] {
            let m = Magic::identify(magic(n)).unwrap();
            assert_eq!((m.version, m.implementation), (PyVersion::new(v.0, v.1), Implementation::PyPy), "magic {n}");
        }
        // Formats follow the implemented CPython version.
        assert_eq!(Magic::identify(magic(336)).unwrap().number_or_zero(), 3425);
        assert_eq!(Magic::identify(magic(3413)).unwrap().implementation, Implementation::CPython);
        assert!(known_pypy_versions().contains(&PyVersion::new(3, 8)));
        // PyPy 3.11 writes 3.10-style bytecode in its own code format; CPython 3.11 does not.
        let pypy311 = Magic::identify(magic(416)).unwrap();
        assert_eq!(
            (pypy311.bytecode_version(), pypy311.code_format()),
            (PyVersion::new(3, 10), CodeFormat::PyPyPositions)
        );
        let cpython311 = Magic::identify(magic(3495)).unwrap();
        assert_eq!(
            (cpython311.bytecode_version(), cpython311.code_format()),
            (PyVersion::new(3, 11), CodeFormat::CPython)
        );
        let pypy310 = Magic::identify(magic(384)).unwrap();
        assert_eq!((pypy310.bytecode_version(), pypy310.code_format()), (PyVersion::new(3, 10), CodeFormat::CPython));
    }

    #[test]
    fn old_constants_without_crlf() {
        assert_eq!(Magic::identify(MAGIC_1_0).unwrap().version, PyVersion::new(1, 0));
        assert_eq!(Magic::identify(MAGIC_1_1).unwrap().version, PyVersion::new(1, 1));
    }

    #[test]
    fn unknown_magic_names_its_neighbours() {
        let e = Magic::identify(magic(3135)).unwrap_err();
        let text = e.to_string();
        assert!(text.contains("3135") && text.contains("3.0") && text.contains("3.1"), "{text}");
        let e = Magic::identify(magic(3800)).unwrap_err();
        assert!(e.to_string().contains("newer than Python 3.16"), "{e}");
        let e = Magic::identify(magic(300)).unwrap_err();
        assert!(e.to_string().contains("PyPy 3.8 (256) and PyPy 3.9 (320)"), "{e}");
        let e = Magic::identify(*b"PK\x03\x04").unwrap_err();
        assert!(e.to_string().contains("do not end in 0d 0a"), "{e}");
    }
}
