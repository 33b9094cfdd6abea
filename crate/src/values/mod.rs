//! Python's own rules for values: `repr()` of every constant as the writing interpreter prints it,
//! float digits, printable characters per Unicode version, container and flag names.

pub mod constants;
pub mod flags;
pub(crate) mod float_digits;
pub mod repr;
pub mod unicode_printable;
pub mod unicode_printable_pypy;
