//! Whether a file's code objects can be the bytecode of a given Python version.
//!
//! The magic number is the only thing that names a version, and it can be missing (marshal
//! data cut out of a PyInstaller archive) or wrong (a header an extractor rewrote). The
//! code objects themselves are strong evidence: every version numbers its opcodes its own
//! way, writes its line table in its own format, counts jumps in its own units and, from
//! 3.11, leaves zeroed cache entries after the instructions that have them. Code that a
//! version's compiler wrote passes every check below for that version; code written by
//! another version almost never does (the first failing check is the reason given).

use crate::bytecode::disasm::{Arg, Disassembler};
use crate::bytecode::tables;
use crate::pyc::code::{Code, Field};
use crate::pyc::object::Value;
use crate::Pyc;

/// Why the code objects cannot be the bytecode of the version tried: at which file byte,
/// and what was found there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misfit {
    /// File offset of the first byte that does not fit.
    pub offset: usize,
    /// What did not fit, in words.
    pub reason: String,
}

/// How much bytecode [`misfit`] reads before it is satisfied. Code of the wrong version
/// shows it in its first few instructions, and every file is checked when opened: a budget
/// keeps the check to a few milliseconds on a multi-megabyte file (the whole tree would
/// cost more than decoding it).
const CHECKED_CODE_BYTES: usize = 16 * 1024;

/// Checks the code objects of `pyc` (in tree order, up to [`CHECKED_CODE_BYTES`] of
/// bytecode) against the rules of the version its header names. `None` when they fit, or
/// when pyclens has no opcode table for that version (nothing to check against).
pub fn misfit(pyc: &Pyc) -> Option<Misfit> {
    let magic = &pyc.header.magic;
    let dis = Disassembler::new(&pyc.objects, magic.version, magic.implementation)?;
    let v311 = dis.version().at_least(3, 11);
    let wordcode = dis.version().at_least(3, 6);
    let mut checked = 0;
    let mut targets = Vec::new();
    for entry in pyc.code_tree() {
        if checked >= CHECKED_CODE_BYTES {
            break;
        }
        let Value::Code(code) = &pyc.objects.get(entry.id).value else { continue };
        if let Some(m) = misshapen(pyc, code) {
            return Some(m);
        }
        let t = tables::derive_for_listing(&pyc.objects, code, magic);
        if let Some(e) = t.errors.first() {
            return Some(Misfit { offset: e.offset, reason: e.message.clone() });
        }
        let bytes = code_bytes(pyc, code);
        // The instructions are checked as they are decoded, none of them kept (the module
        // code object of a large file holds tens of thousands, and a freed block of that
        // size keeps glibc from returning later ones): each one's start goes into a
        // bitset, and the jumps wait for it, up to the first instruction that fails its
        // other checks (the cache check comes after that instruction's jump check).
        let mut starts = vec![0u64; bytes.len().div_ceil(64)];
        let mut jumps: Vec<(u32, i64)> = Vec::new();
        let mut first: Option<(u32, String)> = None;
        let (code_len, code_at) = dis.decode_each(code, &mut targets, &mut |ins| {
            if let Some(word) = starts.get_mut(ins.offset as usize / 64) {
                *word |= 1 << (ins.offset % 64);
            }
            if first.is_some() {
                return;
            }
            if dis.table().name(ins.opcode).is_none() {
                let reason = format!("opcode {} is not an instruction of Python {}", ins.opcode, magic.version);
                first = Some((ins.offset, reason));
                return;
            }
            if matches!(ins.resolved, Arg::OutOfRange) {
                let reason = format!("the argument {} of opcode {} is out of range", ins.arg.unwrap_or(0), ins.opcode);
                first = Some((ins.offset, reason));
                return;
            }
            if let Some(target) = ins.jump_target {
                jumps.push((ins.offset, target));
            }
            // 3.11+ writes each instruction's inline caches as zeros.
            if v311 && ins.caches > 0 {
                let caches = bytes.get(ins.offset as usize + 2..ins.end as usize).unwrap_or(&[]);
                if let Some(i) = caches.iter().position(|&b| b != 0) {
                    let reason = format!("opcode {} is followed by non-zero cache bytes", ins.opcode);
                    first = Some((ins.offset + 2 + i as u32, reason));
                }
            }
        });
        targets.clear();
        let at = |offset: u32| code_at as usize + offset as usize;
        if wordcode && code_len % 2 == 1 {
            return Some(Misfit { offset: at(0), reason: format!("co_code has an odd length ({code_len})") });
        }
        checked += bytes.len();
        let starts_at = |t: usize| starts.get(t / 64).is_some_and(|word| word >> (t % 64) & 1 == 1);
        for (offset, target) in jumps {
            let lands = usize::try_from(target).ok().filter(|&t| t < code_len);
            if !lands.is_some_and(starts_at) {
                let reason = format!("a jump to {target}, which is not the start of an instruction");
                return Some(Misfit { offset: at(offset), reason });
            }
        }
        if let Some((offset, reason)) = first {
            return Some(Misfit { offset: at(offset), reason });
        }
        if let Some(e) = t.exception_table.iter().flatten().find(|e| e.target as usize >= code_len.max(1)) {
            let reason = format!("an exception handler at {}, past the end of the code", e.target);
            return Some(Misfit { offset: at(0), reason });
        }
    }
    None
}

/// A code object whose fields are not even the right kinds of object: `co_code` must be a
/// non-empty byte string (every compiler ends code with a return), the constants and names
/// sequences. The layout of another era reads fields from the wrong places, which this
/// usually shows at once.
fn misshapen(pyc: &Pyc, code: &Code) -> Option<Misfit> {
    let at = |id| pyc.objects.resolve(id).span.start as usize;
    if let Some(id) = code.object(Field::Code) {
        if !matches!(&pyc.objects.resolve(id).value, Value::Str { data, .. } if !data.is_empty()) {
            return Some(Misfit { offset: at(id), reason: "co_code is not a non-empty byte string".into() });
        }
    }
    for field in [Field::Consts, Field::Names] {
        if let Some(id) = code.object(field).filter(|&id| pyc.objects.seq(id).is_none()) {
            return Some(Misfit { offset: at(id), reason: format!("{} is not a tuple", field.key()) });
        }
    }
    None
}

/// The raw `co_code` bytes.
fn code_bytes<'a>(pyc: &Pyc<'a>, code: &Code) -> &'a [u8] {
    match code.object(Field::Code).map(|id| &pyc.objects.resolve(id).value) {
        Some(Value::Str { data, .. }) => data,
        _ => &[],
    }
}
