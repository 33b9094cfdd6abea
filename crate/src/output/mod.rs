//! What the decoded file becomes: the JSON document (streamed) and the `dis` text.

pub mod dis_text;
pub mod document;
pub mod json;
pub mod rows;
#[cfg(not(target_arch = "wasm32"))]
pub mod tails;
