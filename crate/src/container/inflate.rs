//! Bounded zlib inflation: never more than an allowance, whatever the stream says.

use crate::error::{DecodeError, ErrorKind, Result};
use std::io::Read;

/// Inflates the zlib stream `data` into at most `allowance` bytes; `Ok(None)` when the
/// stream would give more (the caller names the limit), an error when it is not zlib data.
/// The output grows as it is written, never sized from a stated length.
pub(crate) fn zlib(data: &[u8], allowance: u64, name: &str, offset: usize) -> Result<Option<Vec<u8>>> {
    let mut out = Vec::new();
    let decoder = flate2::read::ZlibDecoder::new(data);
    match decoder.take(allowance.saturating_add(1)).read_to_end(&mut out) {
        Ok(_) if out.len() as u64 > allowance => Ok(None),
        Ok(_) => Ok(Some(out)),
        Err(e) => Err(DecodeError::new(ErrorKind::BadValue, offset, format!("{name}: the zlib data is damaged: {e}"))),
    }
}
