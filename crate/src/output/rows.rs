//! The `instructions` table of one code object, rendered in ranges of rows.
//!
//! A row depends on its own instruction, the stack columns and the constants' reprs only,
//! so a range of rows can be rendered anywhere and spliced in. The writer of a document
//! shares the rows of a large code object with a second thread, range by range: such a code
//! object (a module of tens of thousands of instructions) is the one part of a document
//! that no worker renders ahead (see [`crate::output::tails`]), and it is often the last
//! thing written, when the workers have nothing left to do.

use crate::bytecode::disasm::{Disassembler, Disassembly};
use crate::output::json::JsonWriter;
use crate::values::constants::Reprs;
use std::io::Write;
use std::ops::Range;

/// Per instruction, the analysis's stack depth before it and its stack effect (fall-through,
/// and the jump's where it differs): the columns `instructions` carries outside the page.
pub type StackColumns<'a> = (&'a [Option<i64>], &'a [Option<(i64, Option<i64>)>]);

/// What the rows of one code object are rendered from.
pub struct Rows<'r, 'o, 'a> {
    /// The file's disassembler: opnames and the rendering of arguments.
    pub dis: &'r Disassembler<'o, 'a>,
    /// The code object's instructions and jump targets.
    pub d: &'r Disassembly,
    /// The analysis's columns, where the build has the analysis.
    pub stack: Option<StackColumns<'r>>,
}

impl Rows<'_, '_, '_> {
    /// The rows of the instructions in `range`, in the order of
    /// [`crate::output::document`]'s `INSTRUCTION_FIELDS` (docs/document.md). What a row
    /// leaves out follows from its neighbours and the code object: the opname from
    /// `opnames`, the span and the cache count from the next row's offset, the positions
    /// from the code's `positions`.
    pub fn write<W: Write>(&self, j: &mut JsonWriter<W>, reprs: &Reprs, range: Range<usize>) {
        let (dis, d) = (self.dis, self.d);
        let mut argval = String::new();
        let mut text = String::new();
        let labels = dis.uses_labels().then_some(d.targets.as_slice());
        let Some(part) = d.instructions.get(range.clone()) else { return };
        for (k, ins) in part.iter().enumerate() {
            let i = range.start + k;
            j.begin_row();
            j.int(i64::from(ins.offset));
            j.int(i64::from(ins.opcode));
            if j.is_pretty() {
                text.clear();
                dis.opname_into(ins.opcode, &mut text);
                j.string(&text);
            }
            j.opt_int(ins.arg);
            argval.clear();
            dis.argval_into(reprs, ins, &mut argval);
            text.clear();
            dis.argrepr_into(reprs, ins, labels, &mut text);
            if argval == text {
                j.null();
            } else {
                j.string(&argval);
            }
            j.string(&text);
            j.opt_int(ins.line);
            j.int(i64::from(ins.starts_line));
            j.int(i64::from(ins.label));
            let mut jump_effect = None;
            if let Some((depths, effects)) = self.stack {
                j.opt_int(depths.get(i).copied().flatten());
                let effect = effects.get(i).copied().flatten();
                j.opt_int(effect.map(|e| e.0));
                jump_effect = effect.and_then(|e| e.1);
            }
            if ins.jump_target.is_some() || jump_effect.is_some() {
                j.opt_int(ins.jump_target);
            }
            if jump_effect.is_some() {
                j.opt_int(jump_effect);
            }
            j.end_row();
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use shared::{write_shared, CHUNK_ROWS};

#[cfg(not(target_arch = "wasm32"))]
mod shared {
    use super::Rows;
    use crate::output::json::JsonWriter;
    use crate::values::constants::Reprs;
    use std::io::Write;
    use std::sync::mpsc::sync_channel;

    /// Rows per range a thread renders at a time: large enough that handing a range over
    /// costs nothing beside rendering it, small enough that the ranges in flight (at most
    /// three) stay a fraction of a megabyte. Smaller under test, so that the fixtures' code
    /// objects are shared out too.
    pub const CHUNK_ROWS: usize = if cfg!(test) { 64 } else { 2048 };

    /// Writes the rows of `rows` with a second thread rendering every other range of
    /// [`CHUNK_ROWS`] into a buffer the writer splices in, in order. The second thread's
    /// reprs come from `second_reprs` (made on that thread) and are charged to the budget
    /// `take_budget` hands out; `give_back` is told what it left. Should they run out, the
    /// writer renders that range and all later ones with `reprs`, under the document's own
    /// budget, so the rows are what the writer alone would write whenever the budgets hold.
    ///
    /// Returns the number of rows written: none when there are too few to share.
    pub fn write_shared<'o, 'a, W: Write>(
        rows: &Rows<'_, 'o, 'a>,
        j: &mut JsonWriter<W>,
        reprs: &Reprs,
        second_reprs: impl Fn() -> Reprs<'o, 'a> + Sync,
        take_budget: impl Fn() -> usize + Sync,
        give_back: impl Fn(usize) + Sync,
    ) -> usize {
        let n = rows.d.instructions.len();
        if j.is_pretty() || n < 2 * CHUNK_ROWS {
            return 0;
        }
        let range = |c: usize| c * CHUNK_ROWS..n.min((c + 1) * CHUNK_ROWS);
        let chunks = n.div_ceil(CHUNK_ROWS);
        let (second_reprs, take_budget, give_back) = (&second_reprs, &take_budget, &give_back);
        std::thread::scope(|scope| {
            // One range in the channel while the next is rendered: the second thread stays
            // at most two ranges ahead of the writer.
            let (send, received) = sync_channel::<Vec<u8>>(1);
            // The sender moves to the second thread, so the writer sees the channel close
            // when that thread stops early.
            scope.spawn(move || {
                // A panic is a bug, but it must not take the document with it: the writer
                // finds the channel closed and renders the rest itself.
                let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let mine = second_reprs();
                    mine.renew(take_budget(), true);
                    for c in (1..chunks).step_by(2) {
                        let mut out = JsonWriter::fragment();
                        rows.write(&mut out, &mine, range(c));
                        if mine.exhausted() || send.send(out.into_bytes()).is_err() {
                            break;
                        }
                    }
                    give_back(mine.left());
                }));
            });
            for c in 0..chunks {
                if c % 2 == 0 {
                    rows.write(j, reprs, range(c));
                    continue;
                }
                match received.recv() {
                    Ok(fragment) => j.splice(&fragment),
                    Err(_) => {
                        rows.write(j, reprs, range(c).start..n);
                        break;
                    }
                }
            }
            n
        })
    }
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::bytecode::tables;
    use crate::pyc::object::Value;
    use std::cell::Cell;

    #[test]
    fn rows_shared_with_a_second_thread_are_the_rows_written_alone() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/bench/3.12/_pydecimal.pyc");
        let data = std::fs::read(path).unwrap();
        let pyc = crate::decode(&data).unwrap();
        let Value::Code(code) = &pyc.objects.get(pyc.root).value else { panic!("no module code object") };
        let implementation = pyc.header.magic.implementation;
        let dis = Disassembler::new(&pyc.objects, pyc.version(), implementation).unwrap();
        let d = dis.disassemble(code, &tables::derive(&pyc.objects, code, &pyc.header.magic));
        let n = d.instructions.len();
        assert!(n > 4 * CHUNK_ROWS, "{n} instructions");
        let rows = Rows { dis: &dis, d: &d, stack: None };
        let reprs = || Reprs::new(&pyc.objects, pyc.version(), implementation, data.len());
        let table = |write: &dyn Fn(&mut JsonWriter<std::io::Sink>)| {
            let mut j = JsonWriter::in_memory(0, false);
            j.begin_array();
            write(&mut j);
            j.end_array();
            String::from_utf8(j.into_bytes()).unwrap()
        };
        let alone = table(&|j| rows.write(j, &reprs(), 0..n));
        // Budgets for the second thread: ample; none (its first constant runs out); enough
        // for some ranges only. The writer renders what the second thread could not.
        for budget in [usize::MAX / 2, 0, 2_000] {
            let given_back = std::sync::Mutex::new(None);
            let written = Cell::new(0);
            let shared = table(&|j| {
                let writer = reprs();
                written.set(write_shared(
                    &rows,
                    j,
                    &writer,
                    reprs,
                    || budget,
                    |left| {
                        *given_back.lock().unwrap() = Some(left);
                    },
                ));
            });
            assert_eq!(written.get(), n, "budget {budget}");
            assert_eq!(shared, alone, "budget {budget}");
            let left = given_back.lock().unwrap().expect("the second thread gave its budget back");
            assert!(left <= budget, "budget {budget}, {left} given back");
            assert_eq!(left < budget, budget > 0, "budget {budget}, {left} given back");
        }
    }
}
