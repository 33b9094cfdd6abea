//! The cipher of Dropbox's Python 2.5: XXTEA ("corrected block TEA", Wheeler and Needham,
//! 1998) over each code object's marshalled body, keyed from two integers stored in clear
//! before it.
//!
//! Kholia and Węgrzyn ("Looking inside the (Drop)box", USENIX WOOT 2013) describe the scheme
//! and Hagen Fritsch's 2012 decryptor (shipped by xdis as `xdis/dropbox/decrypt25.py`)
//! implements it: after a code object's type byte come a 32-bit seed and the body's length;
//! four 32-bit key words are successive outputs of a small generator (a multiply by 69069
//! plus an xorshift of the previous values) started from those two; the body, padded with
//! zeros to a multiple of 16 bytes, is one XXTEA block of little-endian 32-bit words. All
//! arithmetic is modulo 2^32, which Rust's wrapping operations give exactly.

/// XXTEA's round constant (2^32 / the golden ratio).
const DELTA: u32 = 0x9E37_79B9;

/// One step of the key generator: the next 32-bit value from the two before it.
fn next(a: u32, b: u32) -> u32 {
    let b = (b << 13) ^ b;
    let c = b ^ (b >> 17);
    let c = c ^ (c << 5);
    a.wrapping_mul(69069).wrapping_add(c).wrapping_add(0x6611_CB3B)
}

/// The 128-bit key of a code object from the seed and length stored before its body: the
/// second to fifth values of the generator.
pub fn key(seed: u32, length: u32) -> [u32; 4] {
    let k0 = next(seed, length);
    let k1 = next(k0, seed);
    let k2 = next(k1, k0);
    let k3 = next(k2, k1);
    let k4 = next(k3, k2);
    [k1, k2, k3, k4]
}

/// XXTEA's mixing function.
fn mx(z: u32, y: u32, sum: u32, key: &[u32; 4], p: usize, e: u32) -> u32 {
    let a = (z >> 5 ^ y << 2).wrapping_add(y >> 3 ^ z << 4);
    let b = (sum ^ y).wrapping_add(key[(p & 3) ^ e as usize] ^ z);
    a ^ b
}

/// Decrypts `words` in place. A block of fewer than two words is left as it is: XXTEA is not
/// defined on it (Dropbox's bodies are padded to 16 bytes, so never hold one).
pub fn decrypt(words: &mut [u32], key: &[u32; 4]) {
    let n = words.len();
    if n < 2 {
        return;
    }
    let rounds = 6 + 52 / n as u32;
    let mut sum = rounds.wrapping_mul(DELTA);
    let mut y = words[0];
    for _ in 0..rounds {
        let e = (sum >> 2) & 3;
        for p in (0..n).rev() {
            let z = words[(p + n - 1) % n];
            words[p] = words[p].wrapping_sub(mx(z, y, sum, key, p, e));
            y = words[p];
        }
        sum = sum.wrapping_sub(DELTA);
    }
}

/// Decrypts `bytes` (a multiple of 4 long) in place as little-endian 32-bit words.
pub fn decrypt_bytes(bytes: &mut [u8], key: &[u32; 4]) {
    let mut words: Vec<u32> = bytes.chunks_exact(4).map(|w| u32::from_le_bytes([w[0], w[1], w[2], w[3]])).collect();
    decrypt(&mut words, key);
    for (chunk, word) in bytes.chunks_exact_mut(4).zip(words) {
        chunk.copy_from_slice(&word.to_le_bytes());
    }
}

/// XXTEA's encryption, the inverse of [`decrypt`]: how the tests build encrypted files.
#[cfg(test)]
pub fn encrypt(words: &mut [u32], key: &[u32; 4]) {
    let n = words.len();
    let rounds = 6 + 52 / n as u32;
    let mut sum = 0u32;
    let mut z = words[n - 1];
    for _ in 0..rounds {
        sum = sum.wrapping_add(DELTA);
        let e = (sum >> 2) & 3;
        for p in 0..n {
            let y = words[(p + 1) % n];
            words[p] = words[p].wrapping_add(mx(z, y, sum, key, p, e));
            z = words[p];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decrypting_undoes_xxtea() {
        let key = key(0x02fa_2290, 6918);
        for n in [2, 4, 5, 16, 100] {
            let plain: Vec<u32> = (0..n).map(|i| (i as u32).wrapping_mul(0x0101_0101)).collect();
            let mut words = plain.clone();
            encrypt(&mut words, &key);
            assert_ne!(words, plain);
            decrypt(&mut words, &key);
            assert_eq!(words, plain, "{n} words");
        }
    }

    #[test]
    fn short_blocks_are_left_alone() {
        let mut one = [7u32];
        decrypt(&mut one, &[1, 2, 3, 4]);
        assert_eq!(one, [7]);
        decrypt(&mut [], &[1, 2, 3, 4]);
    }
}
