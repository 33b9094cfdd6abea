//! The pieces of the `pyclens` command: its arguments, the one-file texts, and many files.

pub mod args;
pub mod lines;
pub mod many;
pub mod summary;
