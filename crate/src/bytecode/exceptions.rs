//! The 3.11+ exception table (`co_exceptiontable`), decoded into handler ranges.
//!
//! From 3.11 on, `try` blocks leave no instructions behind: a side table says, for each
//! range of instructions, where to jump when an exception is raised there, how deep to cut
//! the value stack and whether to push the raising offset (pyc-format.md §8). pyclens shows
//! these entries beside the disassembly exactly as `dis` lists them.
//!
//! Each entry is four varints: `start`, `size`, `target` (all in code units) and
//! `(depth << 1) | lasti`. This varint is big-endian: 6-bit groups, most significant first,
//! 0x40 = more groups follow, and 0x80 set on the first byte of an entry only (the marker
//! that lets the interpreter binary-search the table). It is not the location table's
//! varint, which is little-endian.
//!
//! The table comes from an untrusted file: nothing here panics, the loop is bounded by the
//! table length and the output has at most one entry per four input bytes.

use crate::error::TableError;

/// One exception-table entry, in byte offsets, as `dis._parse_exception_table` returns it.
///
/// An exception raised by an instruction in `start..end` pops the value stack to `depth`
/// items, pushes the offset of the raising instruction if `lasti`, pushes the exception and
/// jumps to `target`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExceptionEntry {
    /// First byte offset covered.
    pub start: u32,
    /// Byte offset just past the range (`dis` prints the last covered instruction instead).
    pub end: u32,
    /// Byte offset of the handler.
    pub target: u32,
    /// Stack depth to unwind to.
    pub depth: u32,
    /// Whether the raising instruction's offset is pushed before the exception.
    pub lasti: bool,
}

/// The four varints of an entry, in order, named for error messages.
const FIELDS: [&str; 4] = ["start", "size", "target", "depth/lasti"];

/// Reads one big-endian varint at `*pos`. `first_of_entry` says whether its first byte is
/// the entry's first byte, the only one that must (and may) carry the 0x80 marker.
fn read_varint(
    table: &[u8],
    pos: &mut usize,
    entry_start: usize,
    field: &str,
    first_of_entry: bool,
) -> Result<u32, TableError> {
    let start = *pos;
    let mut value: u32 = 0;
    loop {
        let Some(&b) = table.get(*pos) else {
            return Err(TableError::new(
                entry_start,
                format!("exception table entry truncated: the table ends inside its {field}"),
            ));
        };
        let marked = b & 0x80 != 0;
        if *pos == entry_start && !marked {
            return Err(TableError::new(
                *pos,
                format!("expected the start of an exception table entry (bit 7 set), found 0x{b:02x}"),
            ));
        }
        if marked && !(first_of_entry && *pos == start) {
            return Err(TableError::new(
                *pos,
                format!("byte 0x{b:02x} in the {field} has bit 7 set, which marks an entry start"),
            ));
        }
        if value > u32::MAX >> 6 {
            return Err(TableError::new(start, format!("{field} does not fit in 32 bits")));
        }
        value = (value << 6) | u32::from(b & 63);
        *pos += 1;
        if b & 0x40 == 0 {
            return Ok(value);
        }
    }
}

fn to_bytes(units: u64, what: &str, entry_start: usize) -> Result<u32, TableError> {
    u32::try_from(units * 2).map_err(|_| TableError::new(entry_start, format!("{what} offset does not fit in 32 bits")))
}

/// Decodes `co_exceptiontable` into the entries `dis._parse_exception_table` returns.
///
/// On every table a 3.11–3.13 compiler writes, the result equals `dis`'s (checked against
/// 3.11.7, 3.12.1 and 3.13.0). `dis` is lax where this is strict, so a malformed table is
/// an error with the byte offset in the table rather than a silent guess:
/// * `dis` ignores the 0x80 marker; here it must be set on each entry's first byte and on
///   no other byte (the interpreter's binary search relies on it);
/// * `dis` silently drops a truncated final entry; here it is an error at the entry's start;
/// * values (and byte offsets, i.e. units × 2) must fit in 32 bits, as in the interpreter.
///
/// An empty table has no entries.
pub fn parse_exception_table(table: &[u8]) -> Result<Vec<ExceptionEntry>, TableError> {
    let mut entries = Vec::new();
    let mut pos = 0;
    while pos < table.len() {
        let entry_start = pos;
        let mut fields = [0u32; 4];
        for (i, (value, name)) in fields.iter_mut().zip(FIELDS).enumerate() {
            *value = read_varint(table, &mut pos, entry_start, name, i == 0)?;
        }
        let [start, size, target, depth_lasti] = fields.map(u64::from);
        entries.push(ExceptionEntry {
            start: to_bytes(start, "start", entry_start)?,
            end: to_bytes(start + size, "end", entry_start)?,
            target: to_bytes(target, "target", entry_start)?,
            depth: (depth_lasti >> 1) as u32,
            lasti: depth_lasti & 1 == 1,
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/line_table_cases.json");

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    /// Replays every exception table the real 3.11+ interpreters parsed with `dis`.
    #[test]
    fn matches_real_interpreters() {
        let text = std::fs::read_to_string(CASES).expect("tests/data/line_table_cases.json");
        let doc: Value = serde_json::from_str(&text).unwrap();
        let mut total = 0;
        for it in doc["interpreters"].as_array().unwrap() {
            let version = it["version"].as_str().unwrap();
            let mut compared = 0;
            let mut entries = 0;
            for case in it["cases"].as_array().unwrap() {
                let Some(hex) = case["exctable"].as_str() else { continue };
                let id = case["id"].as_str().unwrap();
                let want: Vec<ExceptionEntry> = case["exc"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|e| ExceptionEntry {
                        start: e[0].as_u64().unwrap() as u32,
                        end: e[1].as_u64().unwrap() as u32,
                        target: e[2].as_u64().unwrap() as u32,
                        depth: e[3].as_u64().unwrap() as u32,
                        lasti: e[4].as_u64().unwrap() == 1,
                    })
                    .collect();
                let got = parse_exception_table(&unhex(hex)).unwrap_or_else(|e| panic!("{version} {id}: {e}"));
                assert_eq!(got, want, "{version} {id}");
                compared += 1;
                entries += want.len();
            }
            if compared > 0 {
                println!("exceptions: {version}: {compared} tables ({entries} entries) compared");
            }
            total += compared;
        }
        assert!(total > 0);
    }

    #[test]
    fn worked_examples() {
        // InternalDocs/exception_handling.md: start 20, size 8, target 100, depth 3.
        assert_eq!(
            parse_exception_table(&unhex("9408412406")).unwrap(),
            vec![ExceptionEntry { start: 40, end: 56, target: 200, depth: 3, lasti: false }]
        );
        assert_eq!(parse_exception_table(&[]), Ok(vec![]));
    }

    #[test]
    fn malformed_tables() {
        let cases: &[(&str, usize, &str)] = &[
            ("14082406", 0, "start of an exception table entry"), // no marker
            ("94", 0, "truncated"),                               // ends after start
            ("940841", 0, "truncated"),                           // ends after target
            ("94084124", 0, "truncated"),                         // depth missing
            ("9408412446", 0, "truncated"),                       // depth continues
            ("9408c12406", 2, "bit 7"),                           // marker inside an entry
            ("94084124068801", 5, "truncated"),                   // second entry cut short
            ("94084124060801", 5, "start of an exception table entry"),
            ("ff7f7f7f7f7f000000", 0, "32 bits"),       // start past 32 bits
            ("c24040404000000000", 0, "start offset"),  // start = 2^31 units
            ("800042404040400000", 0, "target offset"), // target = 2^31 units
        ];
        for &(hex, offset, needle) in cases {
            let err = parse_exception_table(&unhex(hex)).expect_err(hex);
            assert_eq!(err.offset, offset, "{hex}: {err}");
            assert!(err.message.contains(needle), "{hex}: {err}");
        }
    }

    #[test]
    fn bounded_output() {
        // The smallest entry is four bytes.
        let table = [0x80, 0, 0, 0].repeat(1000);
        assert_eq!(parse_exception_table(&table).unwrap().len(), 1000);
    }

    /// Arbitrary bytes: errors are fine, panics (overflow included) are not.
    #[test]
    fn random_tables_never_panic() {
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for _ in 0..20_000 {
            let len = (seed % 40) as usize;
            let table: Vec<u8> = (0..len)
                .map(|_| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    seed as u8
                })
                .collect();
            if let Ok(entries) = parse_exception_table(&table) {
                assert!(entries.len() * 4 <= table.len());
            }
            seed = seed.wrapping_add(1);
        }
    }
}
