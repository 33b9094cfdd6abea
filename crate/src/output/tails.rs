//! The instructions of code objects rendered on other cores while a document or a listing
//! is written.
//!
//! Three quarters of writing a document is the part of each code object that follows its
//! marshalled fields: line tables, the disassembly, the stack analysis and the instruction
//! rows (its "tail"). A tail depends on its own code object only, so worker threads render
//! tails ahead into byte buffers while the writing thread walks the tree and splices each
//! buffer in where its code object's fields end. The output is the sequential writer's,
//! byte for byte, for every file whose reprs stay within their budget (every real file).
//!
//! The writer reaches tails in the arena's order — children before parents, constants in
//! order — because both follow the marshal stream. Workers render in that order, at most
//! `AHEAD_BYTES` ahead of the writer, and leave to the writer what would make a buffer
//! large (a code object with more than [`LARGE_CODE`] bytes of bytecode: the writer streams
//! it as before) or what a crafted file could make unbounded (a tail that ran out of its
//! repr budget or expanded a back-reference: the writer renders it again under the
//! document's own budgets). So the memory a document needs stays what it was, plus at most
//! `AHEAD_BYTES` and one small tail per worker.
//!
//! A `dis` listing is shared out the same way, in its own order (each code object after the
//! one whose constant it is): the writer lists the module and whatever no worker has taken.

use crate::pyc::object::{ObjId, Span, Value};
use crate::values::constants::{Reprs, BUDGET_PER_BYTE};
use crate::DecodeError;
use crate::Pyc;
use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

/// Bytecode size above which the writer renders a tail itself, streaming it.
pub const LARGE_CODE: usize = 16 * 1024;

/// Rendered bytes the workers may hold that the writer has not reached yet.
const AHEAD_BYTES: usize = 1 << 20;

/// The most worker threads worth starting besides the writer.
const MAX_WORKERS: usize = 3;

/// The worker threads worth starting beside the writer on this machine: the writer renders
/// tails too, so it counts as one of the cores.
pub fn workers() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    (cores - 1).min(MAX_WORKERS)
}

/// A tail rendered by a worker: its JSON (to follow the code object's last field), the
/// problems it noted, in order.
pub struct Rendered<T> {
    /// The output: for a document, keys and values, each after a comma, for
    /// [`crate::output::json::JsonWriter::splice`]; for a listing, its lines.
    pub out: T,
    /// Bytes in `out`, for the bound on what workers hold.
    pub size: usize,
    /// Added to the document's diagnostics where the tail is spliced in, as the writer
    /// would have added them.
    pub diagnostics: Vec<DecodeError>,
}

/// The schedule shared by the writer and the workers.
pub struct Tails<T> {
    /// Code objects in the order the writer reaches their tails.
    order: Vec<ObjId>,
    /// Where each code object is in `order`.
    position: HashMap<ObjId, usize>,
    state: Mutex<State<T>>,
    /// Signalled whenever a tail is done or the writer moves on.
    changed: Condvar,
    /// Repr characters the workers may still render, all tails together: the document's
    /// own budget, so that what workers render stays bounded as the writer's does.
    budget: AtomicUsize,
}

struct State<T> {
    /// The next tail a worker takes.
    next: usize,
    /// The tail the writer needs next; everything before it is consumed or abandoned.
    wanted: usize,
    /// Finished tails by position; `None` is the writer's to render.
    done: BTreeMap<usize, Option<Rendered<T>>>,
    /// Bytes in `done`.
    held: usize,
    /// The document is written: workers stop.
    closed: bool,
}

impl<T> Tails<T> {
    /// The schedule for the tails of `pyc`'s document, or `None` when there are too few
    /// code objects to share.
    pub fn plan(pyc: &Pyc) -> Option<Tails<T>> {
        let order: Vec<ObjId> = (0..pyc.objects.nodes.len() as ObjId)
            .filter(|&id| matches!(pyc.objects.get(id).value, Value::Code(_)))
            .collect();
        (order.len() >= 2).then(|| Tails::new(pyc, order))
    }

    /// A schedule for code objects that are written in `order` (a listing's: each one as
    /// often as it is listed, found by its place with [`Tails::take_at`]).
    pub fn new(pyc: &Pyc, order: Vec<ObjId>) -> Tails<T> {
        let position = order.iter().enumerate().map(|(i, &id)| (id, i)).collect();
        Tails {
            order,
            position,
            state: Mutex::new(State { next: 0, wanted: 0, done: BTreeMap::new(), held: 0, closed: false }),
            changed: Condvar::new(),
            budget: AtomicUsize::new(Reprs::budget_for(pyc.data.len())),
        }
    }

    /// Takes up to `share` characters of the workers' repr budget.
    pub fn allowance(&self, share: usize) -> usize {
        let mut taken = 0;
        let _ = self.budget.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |left| {
            taken = left.min(share);
            Some(left - taken)
        });
        taken
    }

    /// Runs a worker's `render` of the code object at `span` with `reprs` renewed to its
    /// share of the workers' repr budget (as much per byte of the code object as the whole
    /// document allows per byte; `forget` as in [`Reprs::renew`]), gives back what it left,
    /// and returns what it made unless the reprs ran out: the writer then renders it.
    pub fn within_budget<R>(
        &self,
        reprs: &Reprs,
        span: Span,
        forget: bool,
        render: impl FnOnce() -> Option<R>,
    ) -> Option<R> {
        let share = (span.end - span.start) as usize * BUDGET_PER_BYTE + 4096;
        reprs.renew(self.allowance(share), forget);
        let made = render();
        self.give_back(reprs.left());
        made.filter(|_| !reprs.exhausted())
    }

    /// Returns repr characters taken with [`Tails::allowance`] and not rendered.
    pub fn give_back(&self, left: usize) {
        self.budget.fetch_add(left, Ordering::Relaxed);
    }

    fn lock(&self) -> MutexGuard<'_, State<T>> {
        // A worker that panicked leaves the state consistent: every update is one step.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// A worker's loop: renders tails in order with `render` (`None`: the writer's to do)
    /// while the writer is close enough behind, until every tail is taken.
    fn work(&self, render: impl Fn(ObjId) -> Option<Rendered<T>>) {
        let mut st = self.lock();
        loop {
            if st.closed || st.next >= self.order.len() {
                return;
            }
            // The tail the writer waits for is always taken, so it never waits on a worker
            // that waits on it.
            if st.next == st.wanted || st.held < AHEAD_BYTES {
                st = self.render_next(st, &render);
            } else {
                st = self.changed.wait(st).unwrap_or_else(|e| e.into_inner());
            }
        }
    }

    /// Takes the next tail, renders it without the lock and files it.
    fn render_next<'s>(
        &'s self,
        mut st: MutexGuard<'s, State<T>>,
        render: &impl Fn(ObjId) -> Option<Rendered<T>>,
    ) -> MutexGuard<'s, State<T>> {
        let at = st.next;
        st.next += 1;
        drop(st);
        // A panic is a bug, but one that must not leave the writer waiting: the writer
        // renders the tail itself and meets it there.
        let id = self.order[at];
        let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render(id))).ok().flatten();
        let mut st = self.lock();
        if at >= st.wanted {
            st.held += rendered.as_ref().map_or(0, |r| r.size);
            st.done.insert(at, rendered);
        }
        self.changed.notify_all();
        st
    }

    /// Runs `write` on this thread while `workers` threads render tails, each with the
    /// context `make` gives it (made on that thread) and `render`; the workers stop when
    /// `write` returns, or panics.
    pub fn share<C>(
        &self,
        workers: usize,
        make: impl Fn() -> C + Sync,
        render: impl Fn(&C, ObjId) -> Option<Rendered<T>> + Sync,
        write: impl FnOnce(),
    ) where
        T: Send,
    {
        struct Close<'t, T>(&'t Tails<T>);
        impl<T> Drop for Close<'_, T> {
            fn drop(&mut self) {
                self.0.lock().closed = true;
                self.0.changed.notify_all();
            }
        }
        std::thread::scope(|scope| {
            for _ in 0..workers {
                scope.spawn(|| {
                    let context = make();
                    self.work(|id| render(&context, id));
                });
            }
            let _close = Close(self);
            write();
        });
    }

    /// The writer's side: the rendered tail of code object `id`; `None` when the writer is
    /// to render it (not started yet, large or unusual, or reached a second time through a
    /// back-reference). While a worker has it in hand, the writer renders later tails with
    /// `help` rather than wait.
    pub fn take(&self, id: ObjId, help: impl Fn(ObjId) -> Option<Rendered<T>>) -> Option<Rendered<T>> {
        self.take_at(*self.position.get(&id)?, help)
    }

    /// [`Tails::take`] of the tail at place `at` of the order.
    pub fn take_at(&self, at: usize, help: impl Fn(ObjId) -> Option<Rendered<T>>) -> Option<Rendered<T>> {
        let mut st = self.lock();
        if at < st.wanted {
            return None;
        }
        if at > st.wanted {
            // Tails the writer passed by (never reached) are dropped, and not started.
            st.wanted = at;
            st.next = st.next.max(at);
            let kept = st.done.split_off(&at);
            st.held -= st.done.values().flatten().map(|r| r.size).sum::<usize>();
            st.done = kept;
            self.changed.notify_all();
        }
        // Not started by any worker: the writer renders it, rather than wait.
        if st.next == at {
            st.next += 1;
            st.wanted = at + 1;
            self.changed.notify_all();
            return None;
        }
        loop {
            if let Some(rendered) = st.done.remove(&at) {
                st.held -= rendered.as_ref().map_or(0, |r| r.size);
                st.wanted = at + 1;
                self.changed.notify_all();
                return rendered;
            }
            st = if st.next < self.order.len() && st.held < AHEAD_BYTES {
                self.render_next(st, &help)
            } else {
                self.changed.wait(st).unwrap_or_else(|e| e.into_inner())
            };
        }
    }
}
