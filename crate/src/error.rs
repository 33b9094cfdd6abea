//! The one error type of every decode path.
//!
//! A `.pyc` is untrusted input, so nothing in the decoder panics: each failure becomes a
//! `DecodeError` that says what was expected, at which byte, and why. The CLI prints it as
//! one line, the page highlights `offset` in the hex view.

use serde::Serialize;
use std::fmt;

/// What kind of problem stopped the decoder; stable names for tests and for the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The file ended where more bytes were required.
    Truncated,
    /// The first four bytes are no magic number any known Python wrote.
    UnknownMagic,
    /// The magic belongs to another Python implementation whose code objects are not
    /// CPython's (GraalPy, RustPython, Jython, ...): recognised and named, not decoded.
    ForeignImplementation,
    /// The header is well formed in size but holds values the importer rejects.
    BadHeader,
    /// A marshal type byte that no version defines.
    UnknownType,
    /// A length or count that is negative or larger than the bytes that remain.
    BadLength,
    /// A back-reference to a slot that does not exist or is not filled yet.
    BadReference,
    /// Objects nested deeper than the decoder's bound (CPython's own marshal limit).
    TooDeep,
    /// A value of the wrong marshal type where a code-object field needs a specific one.
    BadCodeField,
    /// A number that CPython's reader rejects (e.g. an unnormalised long digit).
    BadValue,
    /// A string payload that is not valid UTF-8 (kept as bytes; only reported).
    InvalidText,
    /// Bytes after the module's code object; CPython's loader ignores them (only reported).
    TrailingBytes,
    /// Instructions whose stack depths do not add up (a crafted file): reached at two
    /// depths, popping below the bottom, an opcode without a stack effect (only reported).
    StackDepth,
    /// The header names one version, but the code objects cannot be its bytecode and fit
    /// another's (the message names it; `--python` reads the file as a chosen version).
    WrongVersion,
    /// No header, and the code objects fit no version pyclens knows.
    NoVersionFits,
}

impl ErrorKind {
    /// The stable snake_case name used in the JSON document and at the wasm boundary.
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::Truncated => "truncated",
            ErrorKind::UnknownMagic => "unknown_magic",
            ErrorKind::ForeignImplementation => "foreign_implementation",
            ErrorKind::BadHeader => "bad_header",
            ErrorKind::UnknownType => "unknown_type",
            ErrorKind::BadLength => "bad_length",
            ErrorKind::BadReference => "bad_reference",
            ErrorKind::TooDeep => "too_deep",
            ErrorKind::BadCodeField => "bad_code_field",
            ErrorKind::BadValue => "bad_value",
            ErrorKind::InvalidText => "invalid_text",
            ErrorKind::TrailingBytes => "trailing_bytes",
            ErrorKind::StackDepth => "stack_depth",
            ErrorKind::WrongVersion => "wrong_version",
            ErrorKind::NoVersionFits => "no_version_fits",
        }
    }
}

impl Serialize for ErrorKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A decode failure with its byte offset in the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DecodeError {
    /// Category of the failure.
    pub kind: ErrorKind,
    /// Byte offset in the whole file where the problem was found.
    pub offset: usize,
    /// A sentence for a person: what was expected and what was found.
    pub message: String,
}

impl DecodeError {
    /// Builds an error; the single constructor keeps every call site to one line.
    pub fn new(kind: ErrorKind, offset: usize, message: impl Into<String>) -> Self {
        DecodeError { kind, offset, message: message.into() }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for DecodeError {}

/// A malformed line, location or exception table. The table decoders know only the table's
/// bytes, so `offset` is inside the table; [`TableError::in_file`] places it in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableError {
    /// Byte offset inside the table where the problem was found.
    pub offset: usize,
    /// What was expected there and what was found.
    pub message: String,
}

impl TableError {
    /// Builds a table error.
    pub fn new(offset: usize, message: impl Into<String>) -> Self {
        TableError { offset, message: message.into() }
    }

    /// The same problem as a diagnostic of the file, for a table that starts at
    /// `table_start`; `table` names it ("location table").
    pub fn in_file(&self, table_start: usize, table: &str) -> DecodeError {
        DecodeError::new(ErrorKind::BadValue, table_start + self.offset, format!("{table}: {}", self.message))
    }
}

impl fmt::Display for TableError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {} of the table", self.message, self.offset)
    }
}

impl std::error::Error for TableError {}

/// Shorthand used throughout the decoder.
pub type Result<T> = std::result::Result<T, DecodeError>;
