//! Many files at once: paths and directories expanded into files (recursively, sorted,
//! `__pycache__` included), archives into their members (`ARCHIVE::member`), each file
//! handled on a fixed pool of threads and its output printed in input order.

use pyclens::container::{self, Limits, Member, MemberKind};
use pyclens::{Pyc, Python};
use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

/// The names a directory walk picks up: compiled modules and the archives that hold them.
const EXTENSIONS: [&str; 6] = ["pyc", "pyo", "zip", "whl", "egg", "pyz"];

/// What one file (or archive) gave: text for stdout and for stderr, and whether it failed.
#[derive(Default)]
pub struct Outcome {
    /// Printed to stdout, in input order.
    pub out: String,
    /// Printed to stderr, in input order.
    pub err: String,
    /// Whether anything in it failed (the exit status).
    pub failed: bool,
}

/// The files named by `paths`: files as given, directories walked. A path that is neither
/// is kept, so that reading it reports the error in its place.
pub fn expand(paths: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    for path in paths {
        if Path::new(path).is_dir() {
            walk(Path::new(path), &mut out);
        } else {
            out.push(path.clone());
        }
    }
    out
}

/// Every file under `dir` with one of [`EXTENSIONS`], depth first, names sorted.
fn walk(dir: &Path, out: &mut Vec<String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        out.push(dir.to_string_lossy().into_owned());
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| Some(e.ok()?.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            walk(&path, out);
        } else if path.extension().and_then(|e| e.to_str()).is_some_and(|e| EXTENSIONS.contains(&e)) {
            out.push(path.to_string_lossy().into_owned());
        }
    }
}

/// Runs `work` on every file on `available_parallelism()` threads and prints each outcome
/// in input order as soon as those before it are printed. Returns whether any failed.
pub fn run(files: &[String], work: impl Fn(&str) -> Outcome + Sync) -> bool {
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get()).min(files.len()).max(1);
    let next = AtomicUsize::new(0);
    let (send, receive) = mpsc::channel::<(usize, Outcome)>();
    let mut failed = false;
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let send = send.clone();
            let (next, work) = (&next, &work);
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = files.get(i) else { break };
                if send.send((i, work(file))).is_err() {
                    break;
                }
            });
        }
        drop(send);
        let mut stdout = std::io::BufWriter::new(std::io::stdout().lock());
        let mut waiting = std::collections::BTreeMap::new();
        let mut printed = 0;
        let mut closed = false;
        for (i, outcome) in receive {
            waiting.insert(i, outcome);
            while let Some(outcome) = waiting.remove(&printed) {
                printed += 1;
                failed |= outcome.failed;
                // A reader that went away (`| head`) ends the output, not the status.
                if !closed && stdout.write_all(outcome.out.as_bytes()).is_err() {
                    closed = true;
                }
                if !outcome.err.is_empty() {
                    let _ = stdout.flush();
                    eprint!("{}", outcome.err);
                }
            }
        }
        let _ = stdout.flush();
    });
    failed
}

/// What a command does with each decoded file or member (labelled), collecting its output;
/// the `&str` is [`given_by`]'s.
pub type Each<'r> = &'r (dyn Fn(&str, Result<&Pyc, String>, &str, &mut Outcome) + Sync);

/// What a command does with each member that is not bytecode.
pub type Other<'r> = &'r (dyn Fn(&str, &Member, &mut Outcome) + Sync);

/// One file's contents: a pyc or marshal data, or an archive's members.
pub enum Contents {
    /// Not an archive: the bytes to decode.
    File(Vec<u8>),
    /// An archive's members.
    Archive(Vec<Member>),
}

/// Reads `path` and, when it is an archive, its members. A pyc is never taken for an
/// archive ([`container::open`] leaves it alone).
pub fn read(path: &str) -> Result<Contents, String> {
    let data = std::fs::read(path).map_err(|e| e.to_string())?;
    match container::open(&data, Limits::default()) {
        Ok(Some(c)) => Ok(Contents::Archive(c.members)),
        Ok(None) => Ok(Contents::File(data)),
        Err(e) => Err(e.to_string()),
    }
}

/// Runs `each` on the file's pyc, or on every member of an archive that holds bytecode
/// (named `path::member`); `other` gets the members that do not. Errors, labelled, go to
/// the outcome's stderr unless `each` handles them (then it returns the text itself).
pub fn each_pyc(path: &str, python: Option<Python>, each: Each, other: Other) -> Outcome {
    let mut outcome = Outcome::default();
    match read(path) {
        Err(e) => each(path, Err(e), "--python", &mut outcome),
        Ok(Contents::File(data)) => pyclens::open_with(&data, path, python, |pyc| match pyc {
            Ok(pyc) => each(path, Ok(&pyc), "--python", &mut outcome),
            Err(e) => each(path, Err(e.to_string()), "--python", &mut outcome),
        }),
        Ok(Contents::Archive(members)) => {
            // An archive's members are decoded in parallel too: one PyInstaller executable
            // holds hundreds of modules.
            let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
            let chunk = members.len().div_ceil(workers).max(16);
            let parts: Vec<Outcome> = std::thread::scope(|scope| {
                let handles: Vec<_> = members
                    .chunks(chunk)
                    .map(|part| scope.spawn(move || members_outcome(path, part, python, each, other)))
                    .collect();
                let lost = || Outcome {
                    err: format!("pyclens: {path}: a worker stopped\n"),
                    failed: true,
                    ..Outcome::default()
                };
                handles.into_iter().map(|h| h.join().unwrap_or_else(|_| lost())).collect()
            });
            for part in parts {
                outcome.out += &part.out;
                outcome.err += &part.err;
                outcome.failed |= part.failed;
            }
        }
    }
    outcome
}

/// The outcome of some members of the archive at `path`, in their order.
fn members_outcome(path: &str, members: &[Member], python: Option<Python>, each: Each, other: Other) -> Outcome {
    let mut outcome = Outcome::default();
    for member in members {
        let label = format!("{path}::{}", member.name);
        if member.kind == MemberKind::Other {
            other(&label, member, &mut outcome);
            continue;
        }
        let by = given_by(member, python);
        match member.decode(python) {
            Ok(pyc) => each(&label, Ok(&pyc), by, &mut outcome),
            Err(e) => each(&label, Err(e.to_string()), by, &mut outcome),
        }
    }
    outcome
}

/// Who chose the version a member is read as when its data has no header: the archive
/// (PyInstaller records it) unless the reader gave `--python`.
pub fn given_by(member: &Member, python: Option<Python>) -> &'static str {
    match member.kind {
        MemberKind::Code { python: Some(_) } if python.is_none() => "the archive",
        _ => "--python",
    }
}
