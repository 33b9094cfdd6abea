//! The file format: the header, the marshal stream and its objects, code-object layouts by era,
//! and which implementation and version wrote a file.

pub mod code;
pub mod dropbox;
pub mod foreign;
pub mod graal;
pub mod header;
pub mod marshal;
pub mod object;
pub(crate) mod pypy38;
pub mod reading;
pub mod rustpython;
pub mod support;
pub mod version;
