//! The decimal digits of a double as CPython's `repr()` chooses them (David Gay's `dtoa`
//! mode 0, used by `float_repr_style == 'short'` builds from 2.7 and 3.1 on, and by PyPy):
//! the shortest digit string that reads back as the same double; among those of that length,
//! the one closest to the exact value; and when two are exactly equally close, the one whose
//! last digit is even.
//!
//! Why not just Rust's `{:e}`: it gives the same shortest, closest digits, but breaks exact
//! ties upwards. `2**-25` is exactly 2.98023223876953125e-08; `…312` and `…313` are equally
//! close and both read back, and CPython prints `2.9802322387695312e-08`. So the digits come
//! from `{:e}`, and [`shortest`] then checks, with integer arithmetic only, whether the value
//! lies exactly halfway between them and the neighbouring string one unit away in the last
//! digit, and takes that neighbour when it is the even one and reads back as the same double
//! (at a power of two the interval below is half as wide, so it may not: `2**-24` prints
//! `5.960464477539063e-08` in CPython too). tests/rust/float_repr.rs checks the result against
//! 21 interpreters on 157,273 doubles. [`significant`] gives the 17- and 12-digit forms of
//! the versions before shortest repr.

use std::fmt::Write as _;

/// Up to 17 significant digits (ASCII) and the decimal exponent of the first one: the value
/// is `0.d1d2d3… × 10^(exp + 1)`, i.e. `d1.d2d3… × 10^exp`.
pub(crate) struct Digits {
    buf: [u8; 40],
    len: usize,
    /// The power of ten of the first digit.
    pub(crate) exp: i32,
}

impl Digits {
    /// The digits, most significant first, at least one.
    pub(crate) fn digits(&self) -> &[u8] {
        self.buf.get(..self.len.max(1)).unwrap_or(b"0")
    }

    fn set(&mut self, text: &[u8]) {
        self.len = 0;
        for &b in text.iter().filter(|b| b.is_ascii_digit()) {
            if let Some(slot) = self.buf.get_mut(self.len) {
                *slot = b;
                self.len += 1;
            }
        }
        if self.len == 0 {
            self.buf[0] = b'0';
            self.len = 1;
        }
    }

    /// The digits as an integer, when they fit in a u64 (always for the shortest form).
    fn integer(&self) -> Option<u64> {
        if self.len > 19 {
            return None;
        }
        self.digits().iter().try_fold(0u64, |acc, &d| acc.checked_mul(10)?.checked_add(u64::from(d - b'0')))
    }

    /// Replaces the digits with those of `value × 10^k`, trailing zeros dropped.
    fn set_integer(&mut self, value: u64, k: i32) {
        let mut text = StackBuf::new();
        let _ = write!(text, "{value}");
        let all = text.bytes();
        let kept = all.iter().rposition(|&b| b != b'0').map_or(1, |p| p + 1);
        self.exp = k.saturating_add(all.len() as i32 - 1);
        self.set(all.get(..kept).unwrap_or(b"0"));
    }
}

/// A fixed buffer that `write!` formats into, so digit generation allocates nothing.
struct StackBuf {
    buf: [u8; 64],
    len: usize,
}

impl StackBuf {
    fn new() -> Self {
        StackBuf { buf: [0; 64], len: 0 }
    }

    fn bytes(&self) -> &[u8] {
        self.buf.get(..self.len).unwrap_or(&[])
    }
}

impl std::fmt::Write for StackBuf {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        match self.buf.get_mut(self.len..end) {
            Some(dst) => {
                dst.copy_from_slice(s.as_bytes());
                self.len = end;
                Ok(())
            }
            None => Err(std::fmt::Error),
        }
    }
}

/// Digits of `{:e}`-style text (`D[.DDD]e[-]X`) for `x`, formatted with `precision`
/// significant digits after the first, or the shortest round-trip ones when `None`.
fn formatted(x: f64, precision: Option<usize>) -> Digits {
    let mut sb = StackBuf::new();
    let ok = match precision {
        Some(p) => write!(sb, "{:.*e}", p, x),
        None => write!(sb, "{:e}", x),
    };
    let mut d = Digits { buf: [0; 40], len: 0, exp: 0 };
    if ok.is_err() {
        d.set(b"0");
        return d;
    }
    let text = sb.bytes();
    let (mantissa, exp_text) = match text.iter().position(|&b| b == b'e') {
        Some(p) => (text.get(..p).unwrap_or(&[]), text.get(p + 1..).unwrap_or(&[])),
        None => (text, &b"0"[..]),
    };
    d.set(mantissa);
    let mut exp: i32 = 0;
    for &b in exp_text.iter().filter(|b| b.is_ascii_digit()) {
        exp = exp.saturating_mul(10).saturating_add(i32::from(b - b'0'));
    }
    d.exp = if exp_text.first() == Some(&b'-') { -exp } else { exp };
    d
}

/// The `repr()` digits of a finite, non-negative `x` (see the module doc). Zero gives `0`.
pub(crate) fn shortest(x: f64) -> Digits {
    let mut d = formatted(x, None);
    let Some(value) = d.integer() else { return d };
    if value % 2 == 0 {
        return d;
    }
    // The digits say value × 10^k; look for x exactly halfway to value ∓ 1.
    let k = d.exp.saturating_sub(d.len as i32 - 1);
    for (twice, neighbour) in [(2 * u128::from(value) - 1, value - 1), (2 * u128::from(value) + 1, value + 1)] {
        if is_exactly(x, twice, k) && reads_back(neighbour, k, x) {
            d.set_integer(neighbour, k);
            break;
        }
    }
    d
}

/// `%.<n>g`'s digits of a finite, non-negative `x`: the first `n` (1..=17) significant
/// digits, correctly rounded with exact ties to even (Rust's exact formatting, like glibc's
/// `printf`), trailing zeros dropped. CPython's `repr()` was `%.17g` from 2.0 to 2.6 and in
/// 3.0, and `%.12g` in 1.x.
pub(crate) fn significant(x: f64, n: usize) -> Digits {
    let mut d = formatted(x, Some(n.clamp(1, 17) - 1));
    let kept = d.digits().iter().rposition(|&b| b != b'0').map_or(1, |p| p + 1);
    d.len = kept.min(d.len).max(1);
    d
}

/// Whether `2x == odd × 10^k` exactly, for an odd `odd` (integer arithmetic only).
///
/// With `x = m × 2^q` (m the 53-bit significand, or the raw fraction of a subnormal) and `m`'s
/// odd part `o` with `2x = o × 2^p`, the other side is `odd × 5^k × 2^k`, whose odd part is
/// `odd × 5^k`; for negative `k`, multiply both sides by `10^-k`. Either way the powers of two
/// must agree (`p == k`) and then the odd parts: `o == odd × 5^k` (k ≥ 0) or
/// `o × 5^-k == odd` (k < 0). `o < 2^53` and `odd < 2^65`, so any product past `u128`
/// cannot be equal.
fn is_exactly(x: f64, odd: u128, k: i32) -> bool {
    let bits = x.to_bits();
    let field = ((bits >> 52) & 0x7FF) as i32;
    let fraction = bits & ((1u64 << 52) - 1);
    let (m, q) = if field == 0 { (fraction, -1074) } else { (fraction | (1u64 << 52), field - 1075) };
    if m == 0 || !x.is_finite() {
        return false;
    }
    let t = m.trailing_zeros();
    let o = u128::from(m >> t);
    let p = q + 1 + t as i32;
    if p != k {
        return false;
    }
    let five_pow = |e: u32| 5u128.checked_pow(e);
    if k >= 0 {
        five_pow(k.unsigned_abs()).and_then(|f| odd.checked_mul(f)) == Some(o)
    } else {
        five_pow(k.unsigned_abs()).and_then(|f| o.checked_mul(f)) == Some(odd)
    }
}

/// Whether the decimal `value × 10^k` reads back as `x` (Rust's parser rounds correctly, to
/// nearest with ties to even, as CPython's `strtod` does).
fn reads_back(value: u64, k: i32, x: f64) -> bool {
    let mut text = StackBuf::new();
    if write!(text, "{value}e{k}").is_err() {
        return false;
    }
    std::str::from_utf8(text.bytes())
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .is_some_and(|y| y.to_bits() == x.to_bits())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exactness_check() {
        // 2x = 5 × 10^-1 for x = 0.25.
        assert!(is_exactly(0.25, 5, -1));
        assert!(!is_exactly(0.25, 3, -1));
        assert!(!is_exactly(0.1, 1, -1));
        assert!(is_exactly(2f64.powi(-25), 2 * 29802322387695312 + 1, -24));
    }
}
