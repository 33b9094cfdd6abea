//! Zip archives: `.zip`, `.whl`, `.egg`, `.pyz` (a zipapp, perhaps after a `#!` line) and the
//! embeddable distribution's `pythonXY.zip` that `zipfile.PyZipFile` writes. The `zip` crate
//! reads the central directory; every entry's sizes are checked against [`Limits`] before it
//! is inflated, and inflating stops at the allowance whatever the entry claims.

use super::{Budget, Container, Format, Limits, Member, MemberKind, Role};
use crate::error::{DecodeError, ErrorKind, Result};
use std::io::{Cursor, Read};

/// The end-of-central-directory record's signature, which a reader finds from the end.
const END_RECORD: &[u8] = b"PK\x05\x06";

/// The end record is 22 bytes plus a comment of at most 65,535.
const END_SEARCH: usize = 22 + 65_535;

/// Whether an end-of-central-directory record sits where one must, near the end.
pub fn has_end_record(data: &[u8]) -> bool {
    let tail = &data[data.len().saturating_sub(END_SEARCH)..];
    tail.windows(END_RECORD.len()).any(|w| w == END_RECORD)
}

/// Whether an entry name is a compiled module (`.pyc`; `.pyo` from 2.x and 3.0–3.4 `-O`).
fn is_pyc(name: &str) -> bool {
    name.ends_with(".pyc") || name.ends_with(".pyo")
}

/// Reads every entry; pycs are inflated, other entries listed with their stated size.
pub fn read(data: &[u8], limits: Limits) -> Result<Container> {
    let mut budget = Budget::new(limits);
    Ok(Container { format: Format::Zip, members: members(data, &mut budget)? })
}

/// The members of the zip `data`, within `budget` (shared with the container a zip sits in:
/// a PyInstaller executable's `Z` entries).
pub(crate) fn members(data: &[u8], budget: &mut Budget) -> Result<Vec<Member>> {
    let mut archive = zip::ZipArchive::new(Cursor::new(data)).map_err(|e| {
        DecodeError::new(
            ErrorKind::Truncated,
            data.len(),
            format!("not a readable zip (truncated or damaged: {e}); its central directory could not be read"),
        )
    })?;
    let mut members = Vec::new();
    for index in 0..archive.len() {
        // The metadata without opening the entry: an encrypted or oddly compressed data file
        // is listed, not refused.
        let raw = archive
            .by_index_raw(index)
            .map_err(|e| DecodeError::new(ErrorKind::BadValue, 0, format!("zip entry {index} cannot be read: {e}")))?;
        let name = raw.name().to_string();
        let offset = usize::try_from(raw.header_start()).unwrap_or(usize::MAX);
        let (size, is_dir) = (raw.size(), raw.is_dir());
        drop(raw);
        budget.entry(offset)?;
        if is_dir {
            continue;
        }
        if !is_pyc(&name) {
            let (kind, role) = (MemberKind::Other, Role::ZipEntry);
            members.push(Member { name, kind, role, data: Vec::new(), size, offset });
            continue;
        }
        let mut entry = archive
            .by_index(index)
            .map_err(|e| DecodeError::new(ErrorKind::BadValue, offset, format!("{name} cannot be read: {e}")))?;
        let compressed = entry.compressed_size();
        let allowance = budget.allowance(&name, offset, compressed, Some(size))?;
        let mut out = Vec::new();
        entry.by_ref().take(allowance.saturating_add(1)).read_to_end(&mut out).map_err(|e| {
            DecodeError::new(ErrorKind::BadValue, offset, format!("{name}: the zip entry cannot be inflated: {e}"))
        })?;
        let got = out.len() as u64;
        if got > allowance {
            return Err(budget.exceeded(&name, offset, compressed));
        }
        if got != size {
            return Err(DecodeError::new(
                ErrorKind::BadLength,
                offset,
                format!("{name} inflates to {got} bytes, but the zip says {size}: a lying size"),
            ));
        }
        budget.spend(got);
        members.push(Member { name, kind: MemberKind::Pyc, role: Role::ZipEntry, data: out, size, offset });
    }
    Ok(members)
}
