//! PYZ archives that PyInstaller 3.x–5.x encrypted (`--key`, the spec's `cipher=`): each
//! entry is zlib data encrypted with AES-128, the key stored in the same executable.
//!
//! The facts, from PyInstaller's own source (sdists from PyPI):
//! - the build writes the key, as the spec gave it, to a module `pyimod00_crypto_key`
//!   (`key = '…'`, building/build_main.py) and bundles it in the CArchive beside the other
//!   bootstrap modules, before the PYZ (building/api.py; 3.6 and 5.13 alike);
//! - the loader takes the key's first 16 characters, or pads it on the left with `0`s to 16
//!   (`str.zfill`), and encodes it as UTF-8 (loader/pyimod01_archive.py in 5.13,
//!   pyimod02_archive.py in 3.6);
//! - an entry is a random 16-byte IV, then the zlib data encrypted: in AES-CTR (tinyaes's
//!   `CTR_xcrypt_buffer`, the IV the initial 128-bit big-endian counter) from PyInstaller 4.0,
//!   in AES-CFB with 8-bit segments (PyCrypto's `MODE_CFB` default) in 3.x. The archive does
//!   not say which PyInstaller wrote it, so both are tried and the one whose output is valid
//!   zlib data is kept (its header check and Adler-32 reject the other);
//! - 6.0 removed the feature: a PYZ without the key module is never encrypted by PyInstaller.

use super::Member;
use crate::error::{DecodeError, ErrorKind, Result};
use crate::pyc::code::Field;
use crate::pyc::object::Value;
use aes::cipher::{AsyncStreamCipher, KeyIvInit, StreamCipher};

/// The module the key is bundled as.
pub const KEY_MODULE: &str = "pyimod00_crypto_key";

/// AES's block and key size, and the IV before each entry.
const BLOCK: usize = 16;

/// The 16-byte AES key the loader derives from the bundled one.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Key(pub [u8; BLOCK]);

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Key({:?})", String::from_utf8_lossy(&self.0))
    }
}

/// The key as the loader derives it from the key module's text: the first 16 characters, or
/// the text padded to 16 by `str.zfill` (zeros on the left, after a leading sign), as UTF-8.
/// `None` when that is not 16 bytes (a non-ASCII key: PyInstaller's AES would refuse it too).
pub fn derive(text: &str) -> Option<Key> {
    let chars: Vec<char> = text.chars().collect();
    let fitted: String = if chars.len() > BLOCK {
        chars[..BLOCK].iter().collect()
    } else {
        let zeros = "0".repeat(BLOCK - chars.len());
        match chars.first() {
            Some(&sign @ ('+' | '-')) => format!("{sign}{zeros}{}", chars[1..].iter().collect::<String>()),
            _ => format!("{zeros}{text}"),
        }
    };
    fitted.as_bytes().try_into().ok().map(Key)
}

/// The key bundled in the CArchive member `member` (the module `key = '…'` compiles to):
/// `Ok(None)` when the member is not the key module, an error when it is but holds no usable
/// key.
pub fn key_of(member: &Member) -> Result<Option<Key>> {
    if member.name != KEY_MODULE {
        return Ok(None);
    }
    let bad = |why: &str| DecodeError::new(ErrorKind::BadValue, member.offset, format!("{KEY_MODULE}: {why}"));
    let pyc = member.decode(None)?;
    let Value::Code(code) = &pyc.objects.resolve(pyc.root).value else {
        return Err(bad("not a code object"));
    };
    let names = code.object(Field::Names).and_then(|n| pyc.objects.seq(n)).unwrap_or(&[]);
    if !names.iter().any(|&n| pyc.objects.str_bytes(n) == Some(b"key")) {
        return Err(bad("the module does not assign `key`"));
    }
    // `key = '…'` is the module's only statement: its first constant is the key.
    let consts = code.object(Field::Consts).and_then(|c| pyc.objects.seq(c)).unwrap_or(&[]);
    let text = consts.first().and_then(|&c| pyc.objects.str_bytes(c)).ok_or_else(|| bad("no key string"))?;
    let text = std::str::from_utf8(text).map_err(|_| bad("the key is not UTF-8 text"))?;
    derive(text).map(Some).ok_or_else(|| bad(&format!("the key {text:?} is not 16 bytes once fitted and encoded")))
}

/// The two ways an entry may have been encrypted, newest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// PyInstaller 4.0–5.x (tinyaes).
    Ctr,
    /// PyInstaller 3.x (PyCrypto).
    Cfb8,
}

/// Decrypts an entry (IV, then ciphertext) as `mode` would have encrypted it; `None` when it
/// is shorter than its IV.
pub fn decrypt(entry: &[u8], key: &Key, mode: Mode) -> Option<Vec<u8>> {
    let (iv, body) = (entry.get(..BLOCK)?, &entry[BLOCK..]);
    let mut out = body.to_vec();
    match mode {
        Mode::Ctr => ctr::Ctr128BE::<aes::Aes128>::new(&key.0.into(), iv.into()).apply_keystream(&mut out),
        Mode::Cfb8 => cfb8::Decryptor::<aes::Aes128>::new(&key.0.into(), iv.into()).decrypt(&mut out),
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_fitted_as_str_zfill_and_slicing_do() {
        assert_eq!(derive("pyclens-test-key"), Some(Key(*b"pyclens-test-key")));
        assert_eq!(derive("abc"), Some(Key(*b"0000000000000abc")));
        assert_eq!(derive("-abc"), Some(Key(*b"-000000000000abc")));
        assert_eq!(derive("0123456789abcdefXYZ"), Some(Key(*b"0123456789abcdef")));
        assert_eq!(derive(""), Some(Key(*b"0000000000000000")));
        assert_eq!(derive("ключ"), None);
    }

    #[test]
    fn short_entries_are_refused_and_modes_differ() {
        let key = Key(*b"0123456789abcdef");
        assert_eq!(decrypt(&[0; 15], &key, Mode::Ctr), None);
        let entry: Vec<u8> = (0..64).collect();
        let (ctr, cfb) = (decrypt(&entry, &key, Mode::Ctr).unwrap(), decrypt(&entry, &key, Mode::Cfb8).unwrap());
        assert_eq!((ctr.len(), cfb.len()), (48, 48));
        assert_ne!(ctr, cfb);
        // CTR and CFB-8 agree on the first byte: both XOR it with the first byte of E(IV).
        assert_eq!(ctr[0], cfb[0]);
    }
}
