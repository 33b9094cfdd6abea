//! Every pyc of the uncompyle6 3.9.3 test corpus (CPython 1.0 … 3.12 and PyPy 2.7 … 3.8,
//! collected from real interpreters by that project) against xdis's reading of the same
//! file (tests/fixtures/corpus/xdis.json.gz, made by tests/fixtures/generate/corpus_truth.py).
//!
//! No interpreter of most of these versions runs here, so xdis is the second opinion: for
//! every code object (in pre-order) its name, first line, argument/local/stack counts,
//! flags and name tuples, and its instruction stream as (offset, opname, arg). Where the
//! two disagree and the format shows xdis is wrong, the file is listed in
//! [`XDIS_IS_WRONG`] with the reason. Files xdis refuses must still decode here.
//!
//! The corpus is GPL and not committed: `node scripts/fetch-corpus.mjs` (run by
//! `npm test`) puts it in target/corpus/.

mod common;

use common::{read_gz_json, xdis_field, xdis_instruction, XDIS_FIELDS};
use pyclens::pyc::support::{self, Checked};
use pyclens::pyc::version::Implementation;
use pyclens::{ErrorKind, PyVersion};
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Files on which xdis's reading of some fields is wrong: (path, those fields, why). The
/// other fields and every instruction are still compared.
const XDIS_IS_WRONG: &[(&str, &[&str], &str)] = &[
    ("bytecode_pypy3.5/00_import.pyc", &["co_name", "co_names"], PYPY_REFS),
    ("bytecode_pypy3.5/11_classbug.pyc", &["co_name", "co_names"], PYPY_REFS),
    ("bytecode_pypy3.6/00_import.pyc", &["co_name", "co_names"], PYPY_REFS),
    ("bytecode_pypy3.6/04_class_kwargs.pyc", &["co_name", "co_names"], PYPY_REFS),
    ("bytecode_pypy3.6/11_classbug.pyc", &["co_name", "co_names"], PYPY_REFS),
    ("bytecode_pypy3.6_run/01_fstring.pyc", &["co_name", "co_names"], PYPY_REFS),
    ("bytecode_pypy37_run/01_callback.pypy37.pyc", &["co_name", "co_names"], PYPY_REFS),
    ("bytecode_pypy38_run/01_callback.pypy38.pyc", &["co_name", "co_names"], PYPY_REFS),
    ("decompyle/__pycache__/test_empty.pypy38-pytest-6.2.5.pyc", &["implementation", "opname"], PYTEST_PYPY38),
    ("decompyle/__pycache__/test_exceptions.pypy38-pytest-6.2.5.pyc", &["implementation", "opname"], PYTEST_PYPY38),
    ("decompyle/__pycache__/test_expressions.pypy38-pytest-6.2.5.pyc", &["implementation", "opname"], PYTEST_PYPY38),
    ("decompyle/__pycache__/test_extendedPrint.pypy38-pytest-6.2.5.pyc", &["implementation", "opname"], PYTEST_PYPY38),
];

/// pytest's caches of PyPy 3.8 (`*.pypy38-pytest-*.pyc`) carry CPython 3.8's magic; xdis
/// takes them for CPython 3.8 and so cannot name PyPy's opcodes (it prints `<201>` for
/// LOOKUP_METHOD and `<121>` for SETUP_EXCEPT, neither of which CPython 3.8 has). pyclens
/// reads the cache tag; offsets and arguments are still compared.
const PYTEST_PYPY38: &str = "xdis reads pytest's PyPy 3.8 caches as CPython 3.8";

/// xdis resolves some back-references (`r`) of PyPy 3.5+ files to the object flagged just
/// before the right one: it names the body of `class _TemplateMetaclass(type)` "__locals__"
/// (a string that follows in the file) and lists co_names ("type", "type") where the module
/// stores the class under its name ("type", "_TemplateMetaclass"); in 01_fstring.pyc it
/// repeats "k" where the next name is "x". pyclens numbers reference slots as marshal does,
/// and its PyPy 3.7 and 3.9 fixtures, read back by those real PyPys, agree field by field.
const PYPY_REFS: &str = "xdis resolves PyPy 3.5+ back-references one slot early";

/// xdis lists 3.11+ inline cache units as `CACHE` instructions; `dis` shows them only with
/// `show_caches`, and pyclens counts them on the instruction they follow (as its 3.11+
/// fixtures from the real interpreters check), so they are left out of xdis's stream.
fn is_cache(instruction: &Value, bytecode: PyVersion) -> bool {
    bytecode.at_least(3, 11) && instruction[1] == "CACHE"
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/corpus/uncompyle6-3.9.3/test")
}

/// Per version: what was compared.
#[derive(Default)]
struct Counts {
    files: usize,
    codes: usize,
    fields: usize,
    instructions: usize,
    /// Files xdis refused to load that pyclens decoded.
    xdis_refused: usize,
    /// Files recognised as another implementation's and explained rather than decoded.
    foreign: usize,
}

/// Compares one decoded file with xdis's row, appending every difference to `out`.
fn compare(pyc: &pyclens::Pyc, truth: &Value, skip: &[&str], counts: &mut Counts, out: &mut Vec<String>) {
    let doc: Value = serde_json::from_str(&pyc.summary_json()).unwrap();
    let header = &doc["header"];
    for (ours, theirs) in [("python", "version"), ("implementation", "implementation")] {
        if header[ours] != truth[theirs] && !skip.contains(&ours) {
            out.push(format!("{ours} {} vs xdis {}", header[ours], truth[theirs]));
        }
    }
    let bytecode = pyc.header.magic.bytecode_version();
    let tree = pyc.code_tree();
    let codes = truth["code"].as_array().unwrap();
    if tree.len() != codes.len() {
        out.push(format!("{} code objects vs xdis {}", tree.len(), codes.len()));
        return;
    }
    for (index, theirs) in codes.iter().enumerate() {
        let ours = common::code_document(pyc, index).unwrap();
        let ours = &ours["code"];
        let name = &theirs["co_name"];
        counts.codes += 1;
        for field in &XDIS_FIELDS {
            let want = &theirs[xdis_field(field, bytecode)];
            if want.is_null() || ours.get(*field).is_none() || skip.contains(field) {
                continue;
            }
            counts.fields += 1;
            if &ours[field] != want {
                out.push(format!("code {index} {name}: {field} {} vs xdis {want}", ours[field]));
            }
        }
        let Some(instructions) = ours["instructions"].as_array() else {
            out.push(format!("code {index} {name}: no instructions"));
            continue;
        };
        let expected: Vec<&Value> =
            theirs["instructions"].as_array().unwrap().iter().filter(|i| !is_cache(i, bytecode)).collect();
        counts.instructions += expected.len();
        for (i, want) in expected.iter().enumerate() {
            // An excused opname is taken from xdis: offset and argument are still compared.
            let got = instructions.get(i).map(|g| {
                let mut got = xdis_instruction(g);
                if skip.contains(&"opname") {
                    got[1] = want[1].clone();
                }
                got
            });
            if got.as_ref() != Some(*want) {
                out.push(format!("code {index} {name}: instruction {i} {} vs xdis {want}", got.unwrap_or(Value::Null)));
                break;
            }
        }
        if instructions.len() > expected.len() {
            out.push(format!("code {index} {name}: {} instructions vs xdis {}", instructions.len(), expected.len()));
        }
    }
}

#[test]
fn corpus_matches_xdis() {
    let root = corpus_dir();
    assert!(root.is_dir(), "{} is missing: run `node scripts/fetch-corpus.mjs`", root.display());
    let truth = read_gz_json(&common::fixtures_dir().join("corpus/xdis.json.gz"));
    // By (implementation, version); foreign files under ("foreign", 0.0).
    let mut counts: BTreeMap<(&str, PyVersion), Counts> = BTreeMap::new();
    let mut failures = Vec::new();
    for row in truth["files"].as_array().unwrap() {
        let path = row["path"].as_str().unwrap();
        let data = std::fs::read(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(data.len() as u64, row["size"].as_u64().unwrap(), "{path}: not the corpus file the truth describes");
        let pyc = match pyclens::decode_named(&data, path) {
            Ok(pyc) => pyc,
            Err(e) if e.kind == ErrorKind::ForeignImplementation => {
                counts.entry(("foreign", PyVersion::new(0, 0))).or_default().foreign += 1;
                continue;
            }
            Err(e) => {
                failures.push(format!("{path}: {e}"));
                continue;
            }
        };
        let c = counts.entry((pyc.header.magic.implementation.name(), pyc.version())).or_default();
        c.files += 1;
        if !row["error"].is_null() {
            c.xdis_refused += 1;
            continue;
        }
        let mut diffs = Vec::new();
        let skip = XDIS_IS_WRONG.iter().find(|(p, _, _)| *p == path).map_or(&[][..], |(_, fields, _)| *fields);
        compare(&pyc, row, skip, c, &mut diffs);
        if !diffs.is_empty() {
            failures.push(format!("{path}: {}", diffs.join("; ")));
        }
    }
    println!(
        "{:<14} {:>6} {:>7} {:>8} {:>13} {:>13}",
        "version", "files", "codes", "fields", "instructions", "xdis refused"
    );
    for ((implementation, version), c) in &counts {
        let label = format!("{implementation} {version}");
        println!(
            "{label:<14} {:>6} {:>7} {:>8} {:>13} {:>13}{}",
            c.files,
            c.codes,
            c.fields,
            c.instructions,
            c.xdis_refused,
            if c.foreign > 0 { format!("  ({} recognised, not decoded)", c.foreign) } else { String::new() }
        );
    }
    for f in &failures {
        println!("MISMATCH {f}");
    }
    // What the page and README promise per version (pyclens::pyc::support) must match what was
    // compared here.
    for ((implementation, version), c) in &counts {
        let Some(implementation) =
            [Implementation::CPython, Implementation::PyPy].into_iter().find(|i| i.name() == *implementation)
        else {
            continue;
        };
        let evidence = support::checked(implementation, *version);
        if c.codes > 0 {
            assert!(
                matches!(evidence, Checked::Interpreter | Checked::InterpreterAndXdis | Checked::Xdis),
                "{implementation:?} {version} compared but listed as {evidence:?}"
            );
        }
    }
    for (implementation, listed) in [("CPython", support::CPYTHON_XDIS), ("PyPy", support::PYPY_XDIS)] {
        for &(major, minor) in listed {
            let compared = counts.get(&(implementation, PyVersion::new(major, minor))).map_or(0, |c| c.codes);
            assert!(compared > 0, "{implementation} {major}.{minor} is listed as checked against xdis but no corpus file of it was compared");
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} corpus files differ from xdis",
        failures.len(),
        truth["files"].as_array().unwrap().len()
    );
}

/// Before 2.5 marshal wrote a float as the text its interpreter's `repr()` printed (`f`, a
/// length byte, the text): 1.x's `%.12g` (`3.14159`), 2.x's `%.17g`
/// (`1.0000000000000001e+300`). So these files carry their writer's repr of every float
/// constant, and pyclens's repr (from the decoded value, in that version's style) must give
/// back exactly that text.
#[test]
fn text_floats_print_as_their_writer_wrote_them() {
    fn walk<'v>(v: &'v Value, out: &mut Vec<&'v Value>) {
        match v {
            Value::Object(map) => {
                if map.get("type").and_then(Value::as_str) == Some("float") {
                    out.push(v);
                }
                map.values().for_each(|x| walk(x, out));
            }
            Value::Array(items) => items.iter().for_each(|x| walk(x, out)),
            _ => {}
        }
    }
    let root = corpus_dir();
    assert!(root.is_dir(), "{} is missing: run `node scripts/fetch-corpus.mjs`", root.display());
    let truth = read_gz_json(&common::fixtures_dir().join("corpus/xdis.json.gz"));
    let (mut compared, mut bad) = (BTreeMap::<String, usize>::new(), Vec::new());
    for row in truth["files"].as_array().unwrap() {
        let path = row["path"].as_str().unwrap();
        let data = std::fs::read(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let Ok(pyc) = pyclens::decode_named(&data, path) else { continue };
        let doc = common::document(&pyc);
        let mut floats = Vec::new();
        walk(&doc["code"], &mut floats);
        for f in floats {
            let Some(start) = f["span"][0].as_u64().map(|s| s as usize) else { continue };
            if data.get(start).map(|b| b & 0x7f) != Some(b'f') {
                continue; // a binary float (2.5+)
            }
            let len = usize::from(data[start + 1]);
            let text = String::from_utf8_lossy(&data[start + 2..start + 2 + len]);
            *compared.entry(format!("{}", pyc.version())).or_default() += 1;
            if f["repr"] != *text {
                bad.push(format!("{path}: file has {text}, pyclens prints {}", f["repr"]));
            }
        }
    }
    println!("text floats compared per version: {compared:?}");
    assert!(compared.values().sum::<usize>() >= 5 && compared.contains_key("2.2"), "too few text floats found");
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
