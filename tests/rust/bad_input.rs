//! Untrusted input: every malformed file gets an error with the right kind and byte offset,
//! quickly, without a panic.

mod common;

use pyclens::{decode, ErrorKind};
use std::time::Instant;

const HEADER_312: [u8; 16] = [0xcb, 0x0d, 0x0d, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

fn error(data: &[u8]) -> (ErrorKind, usize) {
    match decode(data) {
        Ok(_) => panic!("decoded {} bytes that should fail", data.len()),
        Err(e) => (e.kind, e.offset),
    }
}

fn pyc_312(body: &[u8]) -> Vec<u8> {
    let mut v = HEADER_312.to_vec();
    v.extend_from_slice(body);
    v
}

#[test]
fn empty_and_tiny_files() {
    assert_eq!(error(b""), (ErrorKind::Truncated, 0));
    assert_eq!(error(&HEADER_312[..5]), (ErrorKind::Truncated, 5));
    assert_eq!(error(&HEADER_312), (ErrorKind::Truncated, 16));
}

#[test]
fn foreign_files() {
    assert_eq!(error(b"print('hello')\n").0, ErrorKind::UnknownMagic);
    assert_eq!(error(b"PK\x03\x04\x14\x00\x00\x00\x08\x00rest of a zip archive").0, ErrorKind::UnknownMagic);
    let e = decode(&[0x39, 0x05, 0x0d, 0x0a, 0, 0, 0, 0]).err().unwrap();
    assert_eq!((e.kind, e.offset), (ErrorKind::UnknownMagic, 0));
    assert!(e.message.contains("1337"), "{}", e.message);
}

#[test]
fn every_truncation_point_of_a_dozen_fixtures() {
    // The two smallest snippet pycs of each version: small enough to cut at every byte.
    let mut checked = 0;
    for dir in common::version_dirs() {
        let mut pycs: Vec<_> =
            std::fs::read_dir(dir.path.join("snippets")).unwrap().filter_map(|e| e.ok()).map(|e| e.path()).collect();
        pycs.sort_by_key(|p| (std::fs::metadata(p).map(|m| m.len()).unwrap_or(0), p.clone()));
        for path in pycs.iter().filter(|p| std::fs::metadata(p).map(|m| m.len() > 200).unwrap_or(false)).take(2) {
            let data = std::fs::read(path).unwrap();
            decode(&data).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            for cut in 0..data.len() {
                let (kind, offset) = error(&data[..cut]);
                assert_eq!((kind, offset), (ErrorKind::Truncated, cut), "{} cut at {cut}", path.display());
            }
            checked += 1;
        }
    }
    assert!(checked >= 12, "only {checked} fixtures were cut");
}

#[test]
fn deep_nesting_is_refused() {
    let mut body = [b')', 1].repeat(100_000);
    body.push(b'N');
    let (kind, offset) = error(&pyc_312(&body));
    assert_eq!(kind, ErrorKind::TooDeep);
    assert_eq!(offset, 16 + 2 * pyclens::pyc::marshal::MAX_DEPTH as usize);
}

#[test]
fn huge_declared_tuple_fails_fast() {
    let mut data = pyc_312(&[b'(', 0xff, 0xff, 0xff, 0x7f]);
    data.resize(100, b'N');
    let started = Instant::now();
    assert_eq!(error(&data), (ErrorKind::Truncated, 100));
    // Not a timing assertion on speed, only a guard against allocating 2^31 slots.
    assert!(started.elapsed().as_secs() < 5);
}

#[test]
fn reference_to_unfilled_slot() {
    // A flagged tuple whose only item refers back to the tuple itself.
    assert_eq!(error(&pyc_312(&[0xa9, 1, b'r', 0, 0, 0, 0])), (ErrorKind::BadReference, 18));
    assert_eq!(error(&pyc_312(&[b'r', 5, 0, 0, 0])), (ErrorKind::BadReference, 16));
}

#[test]
fn invalid_utf8_is_kept_and_reported() {
    let data = pyc_312(&[b'u', 3, 0, 0, 0, b'a', 0xff, b'b']);
    let doc = common::document(&pyclens::decode(&data).unwrap());
    assert_eq!(doc["code"]["invalid_utf8_at"], 22);
    let diags = doc["diagnostics"].as_array().unwrap();
    assert!(diags.iter().any(|d| d["kind"] == "invalid_text" && d["offset"] == 22), "{diags:?}");
}

#[test]
fn bytes_after_the_code_object_are_reported_not_dropped() {
    let path = &common::all_pycs()[0];
    let mut data = std::fs::read(path).unwrap();
    let len = data.len();
    data.extend_from_slice(b"junk");
    let doc = common::document(&pyclens::decode(&data).unwrap());
    assert_eq!(doc["trailing"]["span"], serde_json::json!([len, len + 4]));
    let diags = doc["diagnostics"].as_array().unwrap();
    assert!(diags.iter().any(|d| d["kind"] == "trailing_bytes" && d["offset"] == len), "{diags:?}");
}

/// The reading path (headerless data tried as every version, a header checked against the
/// code) on damaged real files: headerless fixtures cut short and with bytes flipped, and
/// whole pycs with a byte flipped, always answer (Ok or Err), never panic, and quickly.
#[test]
fn damaged_headerless_and_checked_files_always_answer() {
    let started = Instant::now();
    let mut answered = 0;
    for path in common::all_pycs().into_iter().filter(|p| p.to_string_lossy().contains("snippets")).step_by(7) {
        let data = std::fs::read(&path).unwrap();
        let Ok(pyc) = pyclens::open(&data, "", None) else { continue };
        let body = data[pyc.header.size..].to_vec();
        for cut in [1, body.len() / 3, body.len() / 2, body.len().saturating_sub(1)] {
            let _ = pyclens::open(&body[..cut], "", None);
            answered += 1;
        }
        for at in (0..body.len()).step_by((body.len() / 8).max(1)) {
            let mut flipped = body.clone();
            flipped[at] ^= 0x5a;
            let _ = pyclens::open(&flipped, "", None);
            let mut whole = data.clone();
            whole[pyc.header.size + at] ^= 0x5a;
            let _ = pyclens::open(&whole, "", None);
            answered += 2;
        }
    }
    assert!(answered > 500, "{answered} damaged files tried");
    println!("{answered} damaged files answered in {:?}", started.elapsed());
}
