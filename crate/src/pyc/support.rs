//! What pyclens promises for each version it recognises, and on what evidence.
//!
//! A reader deciding whether to trust a listing of a 1.5 or a PyPy 3.6 file should know
//! whether it was checked against that interpreter itself, against xdis on files real
//! interpreters wrote (the uncompyle6 corpus), or only named from its magic number. The
//! test suite keeps these lists honest: tests/rust/corpus.rs fails when a version listed as
//! xdis-checked has no corpus file compared, or when a compared version is not listed.

use crate::bytecode::opcodes::table_for;
use crate::pyc::version::{
    is_verified_pypy, known_graalpy_versions, known_pypy_versions, known_versions, Implementation, PyVersion,
};

/// The evidence behind pyclens's reading of one version's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Checked {
    /// Pycs compiled by that real interpreter, every field and instruction compared with its
    /// own report (tests/fixtures).
    Interpreter,
    /// Pycs compiled by that real interpreter, every field compared with its own report, and
    /// instructions compared with xdis (PyPy 3.11, whose own `dis` cannot read its bytecode).
    InterpreterAndXdis,
    /// Pycs that real interpreters wrote (the uncompyle6 corpus), compared with xdis.
    Xdis,
    /// RustPython: its pycs' fields and constants compared with xdis, its instructions with
    /// the instruction set of the commit that wrote them (xdis misnumbers them).
    XdisAndSource,
    /// Decoded and disassembled (an opcode table exists) but no file of it was at hand.
    Unchecked,
    /// Named from its magic number; decoded where the format is shared, not disassembled.
    Recognised,
}

impl Checked {
    /// The name used at the wasm boundary and on the page.
    pub fn name(self) -> &'static str {
        match self {
            Checked::Interpreter => "interpreter",
            Checked::InterpreterAndXdis => "interpreter+xdis",
            Checked::Xdis => "xdis",
            Checked::XdisAndSource => "xdis+source",
            Checked::Unchecked => "unchecked",
            Checked::Recognised => "recognised",
        }
    }

    /// The sentence a reader sees: `pyclens versions` and the page's header card both show it.
    pub fn description(self) -> &'static str {
        match self {
            Checked::Interpreter => "decoded and disassembled; checked against that interpreter: its own pycs, every field and instruction",
            Checked::InterpreterAndXdis => "decoded and disassembled; fields checked against that interpreter, instructions against xdis (its own dis cannot read its bytecode)",
            Checked::Xdis => "decoded and disassembled; checked against xdis, on pycs real interpreters wrote (no interpreter of this version ran here)",
            Checked::XdisAndSource => "decoded and disassembled (commit 1aea1467, magic `1aea`); fields and constants checked against xdis, instructions against RustPython's own source of that commit",
            Checked::Unchecked => "decoded and disassembled; not checked: no file of this version was at hand",
            Checked::Recognised => "recognised by its magic number; no opcode table, so not disassembled",
        }
    }
}

/// CPython versions whose corpus files are compared with xdis (no interpreter ran here).
/// 1.1's magic is 1.2's too; 2.0 has no file in the corpus.
pub const CPYTHON_XDIS: &[(u8, u8)] = &[
    (1, 0),
    (1, 1),
    (1, 3),
    (1, 4),
    (1, 5),
    (1, 6),
    (2, 1),
    (2, 2),
    (2, 3),
    (2, 4),
    (2, 5),
    (2, 6),
    (3, 0),
    (3, 1),
    (3, 2),
    (3, 3),
    (3, 4),
    (3, 5),
];

/// PyPy versions compiled by a real PyPy whose instructions are compared with xdis.
pub const PYPY_INTERPRETER_AND_XDIS: &[(u8, u8)] = &[(3, 11)];

/// PyPy versions whose corpus files are compared with xdis.
pub const PYPY_XDIS: &[(u8, u8)] = &[(3, 2), (3, 5), (3, 6), (3, 8)];

/// GraalPy versions whose files (xdis's test pycs, written by GraalPy itself) are compared
/// with xdis (tests/rust/graal.rs).
pub const GRAALPY_XDIS: &[(u8, u8)] = &[(3, 10), (3, 11), (3, 12)];

/// The evidence for `implementation`'s `version`.
pub fn checked(implementation: Implementation, version: PyVersion) -> Checked {
    let pair = (version.major, version.minor);
    let (interpreter, xdis) = match implementation {
        Implementation::CPython => (version.is_verified(), CPYTHON_XDIS.contains(&pair)),
        Implementation::PyPy => (is_verified_pypy(version), PYPY_XDIS.contains(&pair)),
        // Its samples' fields and constants are compared with xdis, its instructions with
        // its own source (tests/rust/rustpython.rs).
        Implementation::RustPython => (false, table_for(version, implementation).is_some()),
        Implementation::GraalPy => (false, GRAALPY_XDIS.contains(&pair)),
    };
    if interpreter && implementation == Implementation::PyPy && PYPY_INTERPRETER_AND_XDIS.contains(&pair) {
        Checked::InterpreterAndXdis
    } else if interpreter {
        Checked::Interpreter
    } else if xdis && implementation == Implementation::RustPython {
        Checked::XdisAndSource
    } else if xdis {
        Checked::Xdis
    } else if table_for(version, implementation).is_some() {
        Checked::Unchecked
    } else {
        Checked::Recognised
    }
}

/// Every recognised (implementation, version) with its evidence, CPython, then PyPy, then
/// GraalPy, oldest first.
pub fn support() -> Vec<(Implementation, PyVersion, Checked)> {
    // Pushed one list after another, not chained: a chain of four iterators costs the page's
    // viewer module more code than it has room for.
    let mut rows = Vec::new();
    let mut add = |implementation, versions: Vec<PyVersion>| {
        for v in versions {
            rows.push((implementation, v, checked(implementation, v)));
        }
    };
    add(Implementation::CPython, known_versions());
    add(Implementation::PyPy, known_pypy_versions());
    add(Implementation::RustPython, vec![crate::bytecode::opcodes::rustpython::TABLE.version]);
    add(Implementation::GraalPy, known_graalpy_versions());
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_checked_version_can_be_disassembled() {
        for (implementation, version, checked) in support() {
            if checked != Checked::Unchecked && checked != Checked::Recognised {
                assert!(table_for(version, implementation).is_some(), "{implementation:?} {version}");
            }
        }
        assert_eq!(checked(Implementation::CPython, PyVersion::new(3, 12)), Checked::Interpreter);
        assert_eq!(checked(Implementation::CPython, PyVersion::new(2, 0)), Checked::Unchecked);
        assert_eq!(checked(Implementation::CPython, PyVersion::new(3, 16)), Checked::Recognised);
        assert_eq!(checked(Implementation::PyPy, PyVersion::new(3, 11)), Checked::InterpreterAndXdis);
    }
}
