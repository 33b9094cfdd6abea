//! Names for the bits of `co_flags`, chosen by version.
//!
//! The same bit means different things in different releases: the `__future__` bits moved
//! up by four places in 3.8, `CO_NOFREE` disappeared in 3.11 and 3.14 reused high bits.
//! One table with a version range per row keeps that history in one place.

use crate::pyc::version::PyVersion;

/// One flag bit and the releases in which it carries this name.
struct FlagName {
    bit: u32,
    name: &'static str,
    first: PyVersion,
    last: PyVersion,
}

const fn flag(bit: u32, name: &'static str, first: (u8, u8), last: (u8, u8)) -> FlagName {
    FlagName { bit, name, first: PyVersion::new(first.0, first.1), last: PyVersion::new(last.0, last.1) }
}

const ALWAYS: (u8, u8) = (99, 99);

/// pyc-format.md §5, names as CPython's `Include/code.h` spells them without `CO_`.
const FLAGS: &[FlagName] = &[
    flag(0x0001, "OPTIMIZED", (1, 3), ALWAYS),
    flag(0x0002, "NEWLOCALS", (1, 3), ALWAYS),
    flag(0x0004, "VARARGS", (1, 3), ALWAYS),
    flag(0x0008, "VARKEYWORDS", (1, 3), ALWAYS),
    flag(0x0010, "NESTED", (2, 1), ALWAYS),
    flag(0x0020, "GENERATOR", (2, 2), ALWAYS),
    flag(0x0040, "NOFREE", (2, 3), (3, 10)),
    flag(0x0080, "COROUTINE", (3, 5), ALWAYS),
    flag(0x0100, "ITERABLE_COROUTINE", (3, 5), ALWAYS),
    flag(0x0200, "ASYNC_GENERATOR", (3, 6), ALWAYS),
    flag(0x1000, "GENERATOR_ALLOWED", (2, 2), (3, 7)),
    // `from __future__ import ...` bits, 2.x-3.7 positions.
    flag(0x2000, "FUTURE_DIVISION", (2, 2), (3, 7)),
    flag(0x4000, "FUTURE_ABSOLUTE_IMPORT", (2, 5), (3, 7)),
    flag(0x8000, "FUTURE_WITH_STATEMENT", (2, 5), (3, 7)),
    flag(0x10000, "FUTURE_PRINT_FUNCTION", (2, 6), (3, 7)),
    flag(0x20000, "FUTURE_UNICODE_LITERALS", (2, 6), (3, 7)),
    flag(0x40000, "FUTURE_BARRY_AS_BDFL", (3, 1), (3, 7)),
    flag(0x80000, "FUTURE_GENERATOR_STOP", (3, 5), (3, 7)),
    flag(0x100000, "FUTURE_ANNOTATIONS", (3, 7), (3, 7)),
    // The same features from 3.8 on, four bits higher.
    flag(0x20000, "FUTURE_DIVISION", (3, 8), ALWAYS),
    flag(0x40000, "FUTURE_ABSOLUTE_IMPORT", (3, 8), ALWAYS),
    flag(0x80000, "FUTURE_WITH_STATEMENT", (3, 8), ALWAYS),
    flag(0x100000, "FUTURE_PRINT_FUNCTION", (3, 8), ALWAYS),
    flag(0x200000, "FUTURE_UNICODE_LITERALS", (3, 8), ALWAYS),
    flag(0x400000, "FUTURE_BARRY_AS_BDFL", (3, 8), ALWAYS),
    flag(0x800000, "FUTURE_GENERATOR_STOP", (3, 8), ALWAYS),
    flag(0x1000000, "FUTURE_ANNOTATIONS", (3, 8), ALWAYS),
    flag(0x2000000, "NO_MONITORING_EVENTS", (3, 13), ALWAYS),
    flag(0x4000000, "HAS_DOCSTRING", (3, 14), ALWAYS),
    flag(0x8000000, "METHOD", (3, 14), ALWAYS),
];

/// The names of the bits set in `flags` for a file of `version`, lowest bit first; bits
/// that version does not define appear as hex so that nothing is silently dropped.
pub fn names(flags: u32, version: PyVersion) -> Vec<String> {
    (0..32)
        .map(|i| 1u32 << i)
        .filter(|bit| flags & bit != 0)
        .map(|bit| {
            FLAGS
                .iter()
                .find(|f| f.bit == bit && f.first <= version && version <= f.last)
                .map_or_else(|| format!("{bit:#x}"), |f| f.name.to_string())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn future_bits_moved_in_3_8() {
        assert_eq!(names(0x100000, PyVersion::new(3, 7)), ["FUTURE_ANNOTATIONS"]);
        assert_eq!(names(0x100000, PyVersion::new(3, 8)), ["FUTURE_PRINT_FUNCTION"]);
    }

    #[test]
    fn nofree_ends_at_3_10_and_unknown_bits_stay_visible() {
        assert_eq!(names(0x43, PyVersion::new(3, 10)), ["OPTIMIZED", "NEWLOCALS", "NOFREE"]);
        assert_eq!(names(0x43, PyVersion::new(3, 11)), ["OPTIMIZED", "NEWLOCALS", "0x40"]);
    }
}
