//! The plaintext of an encrypted Dropbox 2.5 pyc: its marshal stream with every code object
//! decrypted and renumbered, so that it is CPython 2.5's.
//!
//! In the file a code object is its type byte `c`, a 32-bit seed, the 32-bit length of its
//! body, and the body encrypted ([`super::cipher`]) and padded to a multiple of 16 bytes. The
//! body, once decrypted, is CPython 2.5's marshalled code object without its type byte: four
//! 32-bit integers (argcount, nlocals, stacksize, flags), co_code, seven objects (consts,
//! names, varnames, freevars, cellvars, filename, name), firstlineno and co_lnotab. The code
//! objects in its co_consts are encrypted again, each with its own key, inside it.
//!
//! The walk decrypts each body in place in a copy of the file, so an error's offset is the
//! file's byte where the problem lies, and writes the plaintext stream: every object as
//! found, every code object as `c` and its decrypted fields (seed, length and padding left
//! out), its co_code renumbered from Dropbox's opcodes to CPython 2.5's. It needs no stack
//! of its own for nesting (a vector of frames, as the marshal reader) and decrypts at most
//! [`WORK_FACTOR`] times the file's size, however deeply a crafted file nests its bodies.

use super::cipher;
use super::opcodes::{HAVE_ARGUMENT, TO_CPYTHON};
use crate::error::{DecodeError, ErrorKind, Result};
use crate::pyc::marshal::MAX_DEPTH;

/// Each byte is decrypted once per code object that encloses it; real modules nest a few
/// deep. A file whose bodies would decrypt more than this many times its size is refused
/// rather than spending quadratic time on it.
pub const WORK_FACTOR: usize = 64;

/// The plaintext stream and how many code objects were decrypted to make it.
pub struct Walked {
    /// The marshal stream of CPython 2.5, from the first object on.
    pub stream: Vec<u8>,
    /// Code objects decrypted.
    pub code_objects: usize,
}

/// A container whose children are still to be copied.
#[derive(Clone, Copy)]
enum Frame {
    /// A tuple, list, set or frozenset: children left.
    Items(usize),
    /// A dict: pairs until the `0` terminator; `value_next` after a key.
    Dict { value_next: bool },
    /// A code object's body: objects read after co_code (7 before firstlineno, then lnotab).
    Code { read: u8 },
}

/// The body of a code object being read: where its decrypted fields end, and its padding.
struct Body {
    start: usize,
    end: usize,
    padded_end: usize,
}

struct Walker {
    /// The file, each body decrypted in place once reached.
    work: Vec<u8>,
    pos: usize,
    out: Vec<u8>,
    frames: Vec<Frame>,
    bodies: Vec<Body>,
    /// Bytes decrypted so far, against the budget.
    decrypted: usize,
    budget: usize,
    code_objects: usize,
}

/// Walks the marshal stream of `data` (a whole Dropbox pyc) from `start`: the plaintext
/// stream of its first object, then whatever bytes follow it, as found.
pub fn walk(data: &[u8], start: usize) -> Result<Walked> {
    let budget = data.len().saturating_mul(WORK_FACTOR);
    let mut w = Walker {
        work: data.to_vec(),
        pos: start,
        out: Vec::with_capacity(data.len()),
        frames: vec![Frame::Items(1)],
        bodies: Vec::new(),
        decrypted: 0,
        budget,
        code_objects: 0,
    };
    w.run()?;
    let rest = w.work.get(w.pos..).unwrap_or(&[]);
    w.out.extend_from_slice(rest);
    Ok(Walked { stream: w.out, code_objects: w.code_objects })
}

impl Walker {
    /// Where the bytes that can be read now end: the current body's fields, or the file.
    fn limit(&self) -> usize {
        self.bodies.last().map_or(self.work.len(), |b| b.end)
    }

    /// The error for reading `n` bytes at the current position past [`Walker::limit`].
    fn short(&self, n: usize, what: &str, start: usize) -> DecodeError {
        match self.bodies.last() {
            Some(body) => DecodeError::new(
                ErrorKind::BadLength,
                body.end,
                format!(
                    "{what} begun at byte {start} needs {n} bytes, past the end of the code object body begun \
                     at byte {} (it declares {} bytes)",
                    body.start,
                    body.end - body.start
                ),
            ),
            None => DecodeError::new(
                ErrorKind::Truncated,
                self.work.len(),
                format!("file ends inside {what} begun at byte {start} ({n} bytes needed)"),
            ),
        }
    }

    /// Advances over `n` bytes and returns where they start.
    fn take(&mut self, n: usize, what: &str, start: usize) -> Result<usize> {
        let at = self.pos;
        match at.checked_add(n) {
            Some(end) if end <= self.limit() => {
                self.pos = end;
                Ok(at)
            }
            _ => Err(self.short(n, what, start)),
        }
    }

    fn u32(&mut self, what: &str, start: usize) -> Result<u32> {
        let at = self.take(4, what, start)?;
        let w = &self.work[at..at + 4];
        Ok(u32::from_le_bytes([w[0], w[1], w[2], w[3]]))
    }

    /// A 32-bit size, refused when negative; `unit` bytes per item must fit before the limit.
    fn size(&mut self, unit: usize, what: &str, start: usize) -> Result<usize> {
        let at = self.pos;
        let n = self.u32(what, start)? as i32;
        let n = usize::try_from(n).map_err(|_| {
            DecodeError::new(ErrorKind::BadLength, at, format!("{what} begun at byte {start} has negative size {n}"))
        })?;
        if n.saturating_mul(unit) > self.limit() - self.pos {
            return Err(self.short(n.saturating_mul(unit), what, start));
        }
        Ok(n)
    }

    /// Copies the bytes from `start` to the current position to the plaintext.
    fn copy_from(&mut self, start: usize) {
        self.out.extend_from_slice(&self.work[start..self.pos]);
    }

    /// Replaces the innermost frame (its state advanced).
    fn set_top(&mut self, frame: Frame) {
        if let Some(top) = self.frames.last_mut() {
            *top = frame;
        }
    }

    fn run(&mut self) -> Result<()> {
        while let Some(&top) = self.frames.last() {
            let want = match top {
                Frame::Items(0) => false,
                Frame::Items(left) => {
                    self.set_top(Frame::Items(left - 1));
                    true
                }
                Frame::Dict { value_next: true } => {
                    self.set_top(Frame::Dict { value_next: false });
                    true
                }
                Frame::Dict { value_next: false } => {
                    let start = self.take(1, "a dict", self.pos)?;
                    if self.work[start] == b'0' {
                        self.copy_from(start);
                        false
                    } else {
                        self.pos = start;
                        self.set_top(Frame::Dict { value_next: true });
                        true
                    }
                }
                Frame::Code { read } if read < 7 => {
                    self.set_top(Frame::Code { read: read + 1 });
                    true
                }
                Frame::Code { read: 7 } => {
                    self.set_top(Frame::Code { read: 8 });
                    let start = self.take(4, "a code object's firstlineno", self.pos)?;
                    self.copy_from(start);
                    true
                }
                Frame::Code { .. } => {
                    self.end_body()?;
                    false
                }
            };
            if want {
                self.object()?;
            } else {
                self.frames.pop();
            }
        }
        Ok(())
    }

    /// Reads one object at the current position: copied when a scalar, its frame pushed
    /// when a container, decrypted when a code object.
    fn object(&mut self) -> Result<()> {
        let start = self.pos;
        self.take(1, "an object", start)?;
        let code = self.work[start];
        if self.frames.len() >= MAX_DEPTH as usize && matches!(code, b'(' | b'[' | b'<' | b'>' | b'{' | b'c') {
            return Err(DecodeError::new(
                ErrorKind::TooDeep,
                start,
                format!("objects nested more than {MAX_DEPTH} deep (CPython's marshal limit)"),
            ));
        }
        match code {
            b'N' | b'F' | b'T' | b'S' | b'.' => {}
            b'i' | b'R' => {
                self.take(4, "an int", start)?;
            }
            b'I' | b'g' => {
                self.take(8, "a 64-bit number", start)?;
            }
            b'y' => {
                self.take(16, "a complex", start)?;
            }
            b'f' => self.text_float(start)?,
            b'x' => {
                self.text_float(start)?;
                self.text_float(start)?;
            }
            b'l' => {
                let digits = (self.u32("a long", start)? as i32).unsigned_abs() as usize;
                self.take(digits.saturating_mul(2), "a long", start)?;
            }
            b's' | b't' | b'u' => {
                let n = self.size(1, "a string", start)?;
                self.take(n, "a string", start)?;
            }
            b'(' | b'[' | b'<' | b'>' => {
                let n = self.size(1, "a container", start)?;
                self.copy_from(start);
                self.frames.push(Frame::Items(n));
                return Ok(());
            }
            b'{' => {
                self.copy_from(start);
                self.frames.push(Frame::Dict { value_next: false });
                return Ok(());
            }
            b'c' => return self.code(start),
            other => {
                let shown = if other.is_ascii_graphic() { format!(" ('{}')", other as char) } else { String::new() };
                return Err(DecodeError::new(
                    ErrorKind::UnknownType,
                    start,
                    format!("unknown marshal type code {other:#04x}{shown} in a Dropbox 2.5 pyc"),
                ));
            }
        }
        self.copy_from(start);
        Ok(())
    }

    fn text_float(&mut self, start: usize) -> Result<()> {
        let at = self.take(1, "a text float", start)?;
        let n = usize::from(self.work[at]);
        self.take(n, "a text float", start)?;
        Ok(())
    }

    /// A code object: seed and length, the body decrypted in place, its four integers and
    /// renumbered co_code written out, and a frame for the objects that follow.
    fn code(&mut self, start: usize) -> Result<()> {
        let seed = self.u32("a code object's seed", start)?;
        let length_at = self.pos;
        let length = self.u32("a code object's length", start)? as i32;
        let Some(length) = usize::try_from(length).ok().filter(|&n| n > 0) else {
            return Err(DecodeError::new(
                ErrorKind::BadLength,
                length_at,
                format!("the code object begun at byte {start} declares a body of {length} bytes"),
            ));
        };
        // Padded to whole 16-byte blocks; `length` is below 2^31, so this cannot overflow.
        let padded = (length + 15) & !15;
        let body = self.pos;
        if padded > self.limit() - body {
            return Err(self.short(padded, "the encrypted body of a code object", start));
        }
        self.decrypted += padded;
        if self.decrypted > self.budget {
            return Err(DecodeError::new(
                ErrorKind::TooDeep,
                start,
                format!(
                    "code objects nest so deep that decrypting them would read the file more than {WORK_FACTOR} times"
                ),
            ));
        }
        cipher::decrypt_bytes(&mut self.work[body..body + padded], &cipher::key(seed, length as u32));
        self.bodies.push(Body { start: body, end: body + length, padded_end: body + padded });
        self.code_objects += 1;
        self.out.push(b'c');
        let ints = self.take(16, "a code object's integers", start)?;
        self.out.extend_from_slice(&self.work[ints..ints + 16]);
        self.co_code(start)?;
        self.frames.push(Frame::Code { read: 0 });
        Ok(())
    }

    /// co_code, a string, written with each opcode renumbered to CPython 2.5's.
    fn co_code(&mut self, code_start: usize) -> Result<()> {
        let start = self.pos;
        self.take(1, "co_code", code_start)?;
        if !matches!(self.work[start], b's' | b't') {
            return Err(DecodeError::new(
                ErrorKind::BadCodeField,
                start,
                format!("co_code of the code object begun at byte {code_start} is not a string"),
            ));
        }
        let n = self.size(1, "co_code", code_start)?;
        let at = self.take(n, "co_code", code_start)?;
        self.out.extend_from_slice(&self.work[start..at]);
        let mut i = 0;
        while i < n {
            let op = self.work[at + i];
            let Some(&(_, cpython)) = TO_CPYTHON.iter().find(|(dropbox, _)| *dropbox == op) else {
                return Err(DecodeError::new(
                    ErrorKind::BadCodeField,
                    at + i,
                    format!(
                        "opcode {op} at offset {i} of co_code (code object begun at byte {code_start}) is not in \
                         the published table of Dropbox's opcodes, so its CPython 2.5 equivalent is unknown"
                    ),
                ));
            };
            let width = if cpython >= HAVE_ARGUMENT { 3 } else { 1 };
            self.out.push(cpython);
            let argument = &self.work[(at + i + 1).min(at + n)..(at + i + width).min(at + n)];
            self.out.extend_from_slice(argument);
            i += width;
        }
        Ok(())
    }

    /// The end of a code object's fields: they must fill the declared length exactly; the
    /// padding after them is skipped.
    fn end_body(&mut self) -> Result<()> {
        let Some(body) = self.bodies.pop() else { return Ok(()) };
        if self.pos != body.end {
            return Err(DecodeError::new(
                ErrorKind::BadLength,
                self.pos,
                format!(
                    "the code object body begun at byte {} declares {} bytes, but its fields end after {}",
                    body.start,
                    body.end - body.start,
                    self.pos - body.start
                ),
            ));
        }
        self.pos = body.padded_end;
        Ok(())
    }
}
