//! Access to the committed fixtures: pycs made by real interpreters and the truth each
//! interpreter reported about them (tests/fixtures/README.md).

#![allow(dead_code)]

mod rows;
#[allow(unused_imports)] // each test binary uses some of them
pub use rows::{code_document, document, expand_document};

use serde_json::Value;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The folder holding one subfolder per Python version.
pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures")
}

/// One version's folder: its name ("3.12") and path.
pub struct VersionDir {
    /// Folder name, the `major.minor` version.
    pub name: String,
    /// Where it is.
    pub path: PathBuf,
}

/// Every version folder that has a truth file, sorted by version.
pub fn version_dirs() -> Vec<VersionDir> {
    let mut dirs: Vec<VersionDir> = std::fs::read_dir(fixtures_dir())
        .expect("tests/fixtures exists")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.join("truth.json.gz").exists())
        .map(|path| VersionDir { name: path.file_name().unwrap().to_string_lossy().into_owned(), path })
        .collect();
    dirs.sort_by_key(|d| version_key(&d.name));
    dirs
}

fn version_key(name: &str) -> (u32, u32) {
    let mut parts = name.split('.').map(|p| p.parse().unwrap_or(0));
    (parts.next().unwrap_or(0), parts.next().unwrap_or(0))
}

/// Reads and parses a gzipped JSON file.
pub fn read_gz_json(path: &Path) -> Value {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = String::new();
    flate2::read::GzDecoder::new(file).read_to_string(&mut text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every pyc of every version folder (for tests that only need bytes).
pub fn all_pycs() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in version_dirs() {
        for sub in ["snippets", "stdlib"] {
            if let Ok(entries) = std::fs::read_dir(dir.path.join(sub)) {
                out.extend(
                    entries
                        .filter_map(|e| e.ok())
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "pyc")),
                );
            }
        }
    }
    out.sort();
    out
}

/// The code-object fields xdis's truth files record (tests/fixtures/generate/corpus_truth.py),
/// compared by tests/rust/corpus.rs and by the PyPy 3.11 test in tests/rust/dis.rs.
pub const XDIS_FIELDS: [&str; 10] = [
    "co_name",
    "co_firstlineno",
    "co_argcount",
    "co_nlocals",
    "co_stacksize",
    "co_flags",
    "co_names",
    "co_varnames",
    "co_freevars",
    "co_cellvars",
];

/// The key under which xdis 6.3.0 records `field` of a code object whose bytecode is
/// CPython `bytecode`'s. Before 3.11 xdis keeps a code object's cell variables in
/// `co_freevars` and its free variables in `co_cellvars`: e.g. in the corpus's
/// bytecode_2.3/02_closure.pyc it gives the outer `bug` the free variable `convert` that its
/// nested `convert` closes over. The real 2.7, 3.6–3.9 and PyPy 3.11 interpreters
/// (tests/fixtures, compared field by field) agree with pyclens, so the two are swapped back.
pub fn xdis_field(field: &str, bytecode: pyclens::PyVersion) -> &str {
    match field {
        "co_freevars" if !bytecode.at_least(3, 11) => "co_cellvars",
        "co_cellvars" if !bytecode.at_least(3, 11) => "co_freevars",
        _ => field,
    }
}

/// An instruction of the document as xdis's truth records one: `[offset, opname, arg]`.
pub fn xdis_instruction(ins: &Value) -> Value {
    Value::from(vec![ins["offset"].clone(), ins["opname"].clone(), ins["arg"].clone()])
}
