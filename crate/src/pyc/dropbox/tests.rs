//! Crafted Dropbox 2.5 files: built here by encrypting CPython 2.5 code objects the way the
//! scheme stores them, then read back, cut short, given wrong lengths and flipped bytes. The
//! one public real file is compared with xdis in tests/rust/dropbox.rs.

use super::*;
use crate::pyc::code::Field;
use crate::pyc::object::Value;

/// A Dropbox opcode number for CPython 2.5's `cpython`, from the generated table.
fn dropbox_op(cpython: u8) -> u8 {
    opcodes::TO_CPYTHON.iter().find(|(_, c)| *c == cpython).expect("in the table").0
}

const LOAD_CONST: u8 = 100;
const RETURN_VALUE: u8 = 83;

fn string(code: u8, bytes: &[u8]) -> Vec<u8> {
    let mut v = vec![code];
    v.extend((bytes.len() as u32).to_le_bytes());
    v.extend(bytes);
    v
}

fn tuple(items: &[Vec<u8>]) -> Vec<u8> {
    let mut v = vec![b'('];
    v.extend((items.len() as u32).to_le_bytes());
    items.iter().for_each(|i| v.extend(i));
    v
}

/// A CPython 2.5 code object's marshalled fields (no type byte) returning `consts[0]`, its
/// co_code in Dropbox's numbering.
fn body(name: &str, consts: Vec<Vec<u8>>) -> Vec<u8> {
    let mut v = Vec::new();
    for int in [0u32, 0, 1, 0x40] {
        v.extend(int.to_le_bytes());
    }
    v.extend(string(b's', &[dropbox_op(LOAD_CONST), 0, 0, dropbox_op(RETURN_VALUE)]));
    v.extend(tuple(&consts));
    v.extend(tuple(&[string(b't', b"x")]));
    v.extend(tuple(&[]));
    v.extend(tuple(&[]));
    v.extend(tuple(&[]));
    v.extend(string(b's', b"m.py"));
    v.extend(string(b't', name.as_bytes()));
    v.extend(1u32.to_le_bytes());
    v.extend(string(b's', b""));
    v
}

/// `body` encrypted as Dropbox stores a code object: `c`, seed, length, padded ciphertext.
fn encrypted(seed: u32, body: &[u8]) -> Vec<u8> {
    let mut padded = body.to_vec();
    padded.resize(body.len().div_ceil(16) * 16, 0);
    let mut words: Vec<u32> = padded.chunks_exact(4).map(|w| u32::from_le_bytes(w.try_into().unwrap())).collect();
    cipher::encrypt(&mut words, &cipher::key(seed, body.len() as u32));
    let mut v = vec![b'c'];
    v.extend(seed.to_le_bytes());
    v.extend((body.len() as u32).to_le_bytes());
    words.iter().for_each(|w| v.extend(w.to_le_bytes()));
    v
}

fn file(object: &[u8]) -> Vec<u8> {
    let mut v = vec![0xb7, 0xf2, 0x0d, 0x0a, 1, 2, 3, 4];
    v.extend(object);
    v
}

/// A module whose constants hold a function: two code objects, each with its own key.
fn module() -> Vec<u8> {
    let inner = encrypted(7, &body("f", vec![vec![b'N']]));
    file(&encrypted(0x02fa_2290, &body("<module>", vec![inner, vec![b'i', 5, 0, 0, 0]])))
}

#[test]
fn crafted_files_decrypt_to_cpython_25() {
    let data = module();
    let plain = decrypt(&data).unwrap();
    assert_eq!(plain.decrypted, Decrypted { writer: WRITER, encrypted_size: data.len(), code_objects: 2 });
    assert_eq!(&plain.bytes[..8], &data[..8]);
    let pyc = decode(&plain.bytes, plain.decrypted, None).unwrap();
    assert_eq!(
        (pyc.version(), pyc.header.magic.number, pyc.header.decrypted),
        (PyVersion::new(2, 5), Some(MAGIC), Some(plain.decrypted))
    );
    let codes = pyc.code_objects();
    assert_eq!(codes.len(), 2);
    for id in codes {
        let Value::Code(code) = &pyc.objects.get(id).value else { panic!("not code") };
        let co_code = code.object(Field::Code).map(|c| &pyc.objects.get(c).value);
        assert!(matches!(co_code, Some(Value::Str { data: [LOAD_CONST, 0, 0, RETURN_VALUE], .. })), "{co_code:?}");
    }
    assert!(pyc.to_json().contains("\"decrypted\":{\"writer\":\"Dropbox's Python 2.5\""));
    // Read as another version on request, the header still says where the bytes came from.
    let p = "2.4".parse().unwrap();
    let pyc = decode(&plain.bytes, plain.decrypted, Some(p)).unwrap();
    assert!(matches!(pyc.reading, Reading::Given { found: Some(m) } if m.number == Some(MAGIC)));
    // Through the one entry point the command line uses.
    assert_eq!(open_with(&data, "m.pyc", None, |r| r.map(|p| p.code_objects().len())), Ok(2));
    let e = crate::decode(&data).err().unwrap();
    assert_eq!(e.kind, ErrorKind::ForeignImplementation);
    assert!(e.message.contains("pyclens::open_with"), "{}", e.message);
}

#[test]
fn every_truncation_is_an_error_within_the_file() {
    let data = module();
    for n in 0..data.len() {
        let e = decrypt(&data[..n]).err().unwrap_or_else(|| panic!("{n} bytes decrypted"));
        assert!(e.offset <= n, "{n}: {e}");
        assert!(matches!(e.kind, ErrorKind::Truncated | ErrorKind::BadLength | ErrorKind::UnknownMagic), "{n}: {e}");
    }
}

#[test]
fn wrong_lengths_are_refused_where_they_are_stored() {
    let good = module();
    let with_length = |length: i32| {
        let mut v = good.clone();
        v[13..17].copy_from_slice(&length.to_le_bytes());
        v
    };
    for (length, kind) in [(0, ErrorKind::BadLength), (-1, ErrorKind::BadLength), (1 << 30, ErrorKind::Truncated)] {
        let e = decrypt(&with_length(length)).err().unwrap();
        assert_eq!(e.kind, kind, "{length}: {e}");
        if kind == ErrorKind::BadLength {
            assert_eq!(e.offset, 13, "{e}");
        }
    }
    // A body declared shorter or longer than its fields: its key changes too, so it
    // decrypts to noise; either way the error stays inside the file.
    for length in [17, 40, 100] {
        let e = decrypt(&with_length(length)).err().unwrap();
        assert!(e.offset <= good.len(), "{length}: {e}");
    }
    // Encrypted consistently but with fields that stop short of the declared length.
    let mut long = body("<module>", vec![vec![b'N']]);
    long.push(b'N');
    let e = decrypt(&file(&encrypted(3, &long))).err().unwrap();
    assert_eq!((e.kind, e.offset), (ErrorKind::BadLength, 17 + long.len() - 1), "{e}");
}

#[test]
fn opcodes_outside_the_published_table_are_refused_at_their_byte() {
    let unknown = (0..=255u8).find(|op| !opcodes::TO_CPYTHON.iter().any(|(d, _)| d == op)).unwrap();
    let mut b = body("<module>", vec![vec![b'N']]);
    b[16 + 5 + 3] = unknown; // co_code's fourth byte: the second instruction
    let e = decrypt(&file(&encrypted(3, &b))).err().unwrap();
    assert_eq!((e.kind, e.offset), (ErrorKind::BadCodeField, 17 + 16 + 5 + 3), "{e}");
    assert!(e.message.contains(&format!("opcode {unknown} at offset 3")), "{e}");
}

#[test]
fn flipped_bytes_never_panic() {
    let data = module();
    for at in 0..data.len() {
        for bit in [0x01, 0x80, 0xff] {
            let mut v = data.clone();
            v[at] ^= bit;
            if let Ok(plain) = decrypt(&v) {
                let _ = decode(&plain.bytes, plain.decrypted, None);
            }
        }
    }
}

#[test]
fn deep_nesting_is_bounded() {
    let nested = |depth: usize| {
        let mut object = vec![b'N'];
        for level in 0..depth {
            object = encrypted(level as u32, &body("f", vec![object]));
        }
        file(&object)
    };
    assert_eq!(decrypt(&nested(20)).unwrap().decrypted.code_objects, 20);
    let e = decrypt(&nested(400)).err().unwrap();
    assert_eq!(e.kind, ErrorKind::TooDeep, "{e}");
}
