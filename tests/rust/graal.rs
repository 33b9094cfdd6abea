//! Every GraalPy pyc of xdis 6.3.0's test folder (bytecode_graal310, 311 and 312, written by
//! GraalPy 24.0, 24.2 and 25.0) against xdis's reading of the same file
//! (tests/fixtures/corpus/graal.json.gz, made by tests/fixtures/generate/graal_truth.py).
//!
//! No GraalPy runs here, so xdis is the second opinion: for every code object (in
//! pre-order) its names, counts, flags, bytecode, constants and GraalPy tables, and its
//! instructions as (offset, opname, arg). Where xdis is wrong the test says so
//! ([`xdis_zeroes_the_argument`], [`XdisTable`], [`XDIS_REFS`]) and still compares the
//! rest. Line numbers and columns are checked against the samples' own sources
//! ([`check_positions`]). The instructions' lengths are checked beyond where xdis's
//! reading stops: GraalPy's source-offset table has exactly one entry per instruction, and
//! a walk with any other lengths would leave bytes over or run out (a diagnostic, which no
//! sample may have).
//! Every sample must decode and its document must validate (tests/rust/schema.rs covers the
//! schema; here the document must at least parse).
//!
//! The samples are GPL and not committed: `node scripts/fetch-corpus.mjs` puts them in
//! target/corpus/.

mod common;

use common::read_gz_json;
use pyclens::pyc::support::{self, Checked};
use pyclens::pyc::version::Implementation;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/corpus/xdis-6.3.0/test")
}

/// Per version: what was compared.
#[derive(Default)]
struct Counts {
    files: usize,
    codes: usize,
    fields: usize,
    instructions: usize,
    /// Arguments xdis reports as 0 (see [`xdis_zeroes_the_argument`]), compared no further.
    xdis_zeroed: usize,
    /// Code objects whose instruction comparison stopped where xdis's table lost its place
    /// (see [`XdisTable`]).
    xdis_cut: usize,
    /// Name operands whose source position was checked against the sample's source.
    positions: usize,
}

/// The code fields compared as they are, by (pyclens key, xdis key).
const FIELDS: &[(&str, &str)] = &[
    ("co_name", "co_name"),
    ("co_argcount", "co_argcount"),
    ("co_posonlyargcount", "co_posonlyargcount"),
    ("co_kwonlyargcount", "co_kwonlyargcount"),
    ("co_stacksize", "co_stacksize"),
    ("co_flags", "co_flags"),
    ("co_names", "co_names"),
    ("co_varnames", "co_varnames"),
    ("co_cellvars", "co_cellvars"),
    ("co_freevars", "co_freevars"),
    ("co_code", "co_code"),
    ("src_offset_table", "srcOffsetTable"),
    ("condition_profile_count", "condition_profileCount"),
    ("start_line", "startLine"),
    ("start_column", "startColumn"),
    ("end_line", "endLine"),
    ("end_column", "endColumn"),
];

/// Array fields, compared element by element as ints.
const ARRAYS: &[(&str, &str)] = &[
    ("cell2arg", "cell2arg"),
    ("exception_handler_ranges", "exception_handler_ranges"),
    ("primitive_constants", "primitiveConstants"),
];

/// xdis 6.3.0's `get_instructions_bytes_graal` resets the argument to 0 at the end of its
/// `while True` for every opcode whose branch does not `break` out of it first (constants,
/// UNPACK_SEQUENCE, CALL_FUNCTION, RAISE_VARARGS, ...): an argument GraalPy's own
/// `CodeUnit.toString` prints as read (`oparg |= bytecode[bci + 1]`). Where xdis says 0,
/// pyclens's argument is not compared; every other one is.
fn xdis_zeroes_the_argument(want: &Value, got: &Value) -> bool {
    want == &Value::from(0) && got.as_i64().is_some_and(|g| g != 0)
}

/// The code nodes of a document in pre-order: the module, then each code constant, depth
/// first (as xdis's list and `Pyc::code_tree`).
fn pre_order<'v>(code: &'v Value, out: &mut Vec<&'v Value>) {
    out.push(code);
    for c in code["co_consts"].as_array().into_iter().flatten() {
        if c["type"] == "code" && c.get("ref").is_none() {
            pre_order(c, out);
        }
    }
}

fn ints(node: &Value) -> Vec<i64> {
    node["items"].as_array().map_or(Vec::new(), |items| {
        items.iter().filter_map(|i| i["repr"].as_str().and_then(|r| r.parse().ok())).collect()
    })
}

/// xdis 6.3.0's GraalPy opcode tables (`opcode_310graal` …) are typed by hand and disagree
/// with the `OpCodes` enum of the GraalPy release that wrote each sample (the writer's own
/// source, from which pyclens's tables are generated: tools/gen_opcodes_graal.py): dozens
/// of opcodes get the wrong argument length (CALL_FUNCTION_KW and CALL_COMPREHENSION take
/// none, CLOSURE_FROM_STACK and STORE_GLOBAL take one, MATCH_EXC_OR_JUMP three, ...) and
/// some numbers the wrong name (STORE_DEREF and DELETE_DEREF swapped in 3.10, quickened
/// opcodes unnamed). After an opcode whose length xdis has wrong, xdis reads the following
/// bytes as other instructions; the comparison of that code object stops there (counted in
/// "xdis cut"). Where only the name differs, offset and argument are still compared.
struct XdisTable {
    /// xdis's argument length differs from GraalPy's.
    wrong_length: [bool; 256],
    /// xdis's name differs from GraalPy's.
    wrong_name: [bool; 256],
}

impl XdisTable {
    fn new(truth: &Value, version: pyclens::PyVersion) -> XdisTable {
        let ops = pyclens::bytecode::opcodes::graal_ops_for(version).expect("a GraalPy table");
        let xdis = &truth["tables"][version.to_string()];
        let mut wrong_length = [false; 256];
        let mut wrong_name = [false; 256];
        for op in 0..256usize {
            let Some(name) = ops.table.name(op as u8) else { continue };
            let length = match &xdis["arg_counts"][op] {
                Value::Bool(b) => Some(i64::from(*b)),
                v => v.as_i64(),
            };
            wrong_length[op] = length != Some(i64::from(ops.arg_lengths[op]));
            wrong_name[op] = xdis["opname"][op] != name;
        }
        XdisTable { wrong_length, wrong_name }
    }
}

/// Compares one decoded file with xdis's row, appending every difference to `out`.
fn compare(pyc: &pyclens::Pyc, truth: &Value, xdis: &XdisTable, counts: &mut Counts, out: &mut Vec<String>) {
    let path = truth["path"].as_str().unwrap_or("");
    let doc = common::document(pyc);
    let mut tree = Vec::new();
    pre_order(&doc["code"], &mut tree);
    let codes = truth["code"].as_array().unwrap();
    if tree.len() != codes.len() {
        out.push(format!("{} code objects vs xdis {}", tree.len(), codes.len()));
        return;
    }
    for key in ["co_filename", "co_firstlineno"] {
        counts.fields += 1;
        if doc["code"][key] != truth[key] {
            out.push(format!("{key} {} vs xdis {}", doc["code"][key], truth[key]));
        }
    }
    for (index, theirs) in codes.iter().enumerate() {
        let ours = tree[index];
        let name = &theirs["co_name"];
        counts.codes += 1;
        for &(key, xdis_key) in FIELDS {
            counts.fields += 1;
            if ours[key] != theirs[xdis_key] {
                out.push(format!("code {index} {name}: {key} {} vs xdis {}", ours[key], theirs[xdis_key]));
            }
        }
        // xdis has no qualname for GraalPy 3.10 code.
        if !theirs["co_qualname"].is_null() {
            counts.fields += 1;
            if ours["co_qualname"] != theirs["co_qualname"] {
                out.push(format!(
                    "code {index} {name}: co_qualname {} vs xdis {}",
                    ours["co_qualname"], theirs["co_qualname"]
                ));
            }
        }
        for &(key, xdis_key) in ARRAYS {
            counts.fields += 1;
            let want: Vec<i64> = theirs[xdis_key].as_array().unwrap().iter().filter_map(Value::as_i64).collect();
            if ints(&ours[key]) != want {
                out.push(format!("code {index} {name}: {key} {:?} vs xdis {want:?}", ints(&ours[key])));
            }
        }
        let consts: Vec<String> = ours["co_consts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| match c["type"].as_str() {
                Some("code") => format!("<code {}>", c["co_name"].as_str().unwrap_or("")),
                _ => c["repr"].as_str().unwrap_or("").to_string(),
            })
            .collect();
        let want: Vec<&str> = theirs["co_consts"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
        counts.fields += 1;
        if consts != want && !XDIS_REFS.contains(&(path, index)) {
            out.push(format!("code {index} {name}: co_consts {consts:?} vs xdis {want:?}"));
        }
        compare_instructions(index, name, ours, theirs, xdis, counts, out);
    }
}

fn compare_instructions(
    index: usize,
    name: &Value,
    ours: &Value,
    theirs: &Value,
    xdis: &XdisTable,
    counts: &mut Counts,
    out: &mut Vec<String>,
) {
    let Some(instructions) = ours["instructions"].as_array() else {
        out.push(format!("code {index} {name}: no instructions"));
        return;
    };
    let expected = theirs["instructions"].as_array().unwrap();
    let mut after_extended = false;
    let mut compared = 0;
    for (i, (got, want)) in instructions.iter().zip(expected).enumerate() {
        let op = got["opcode"].as_u64().unwrap() as usize;
        if xdis.wrong_length[op] {
            counts.xdis_cut += 1;
            break;
        }
        compared += 1;
        let mut opname = got["opname"].clone();
        if xdis.wrong_name[op] {
            opname = want[1].clone();
        }
        let mut arg = got["arg"].clone();
        // xdis keeps each EXTENDED_ARG's byte apart; pyclens, like GraalPy, widens the
        // argument of the instruction that follows: compare that instruction's own byte.
        if after_extended {
            arg = arg.as_i64().map_or(Value::Null, |a| Value::from(a & 0xff));
        }
        after_extended = got["opname"] == "EXTENDED_ARG";
        if xdis_zeroes_the_argument(&want[2], &arg) {
            counts.xdis_zeroed += 1;
            arg = want[2].clone();
        }
        let got = Value::from(vec![got["offset"].clone(), opname, arg]);
        if &got != want {
            out.push(format!("code {index} {name}: instruction {i} {got} vs xdis {want}"));
            break;
        }
    }
    counts.instructions += compared;
    if compared == expected.len() && instructions.len() != expected.len() {
        out.push(format!("code {index} {name}: {} instructions vs xdis {}", instructions.len(), expected.len()));
    }
}

/// Instructions whose argument names a variable or attribute that appears in the source
/// at the instruction's own position.
const NAMED: &[&str] = &[
    "LOAD_NAME",
    "STORE_NAME",
    "DELETE_NAME",
    "LOAD_GLOBAL",
    "STORE_GLOBAL",
    "DELETE_GLOBAL",
    "LOAD_FAST",
    "STORE_FAST",
    "DELETE_FAST",
    "LOAD_DEREF",
    "STORE_DEREF",
    "LOAD_ATTR",
    "LOAD_METHOD",
    "STORE_ATTR",
];

/// Code objects whose constants xdis reads with back-references one or more slots off:
/// (sample, code index). GraalPy's marshal gives a typed array (`]`, e.g. the string array
/// of an import's names or a constant tuple's int array) one reference slot, as
/// `readObject` does for every flagged object; xdis's `t_graal_readArray` adds each of its
/// elements as a slot of its own, so every later `r` names an object too early ('args'
/// where the class body's first constant is its qualified name 'cmp_to_key.<locals>.K',
/// as the 3.11 sample of the same source also shows in xdis's own reading).
const XDIS_REFS: &[(&str, usize)] = &[
    ("bytecode_graal310/01_call_function.graalpy310.pyc", 2),
    ("bytecode_graal310/01_call_function.graalpy310.pyc", 5),
    ("bytecode_graal312/10_long_pop_jump.graalpy312.pyc", 1),
];

/// The line numbers and columns: xdis's are not a reference (see graal_truth.py), the
/// sample's own source is. Every instruction that names a variable or attribute must have
/// a position (from the source-offset table) whose text, on one line, holds that name; a
/// dunder name the compiler made up for a class body (`__module__`, `__qualname__`) and a
/// position spanning lines are skipped.
fn check_positions(doc: &Value, root: &Path, counts: &mut Counts, out: &mut Vec<String>) {
    let filename = doc["code"]["co_filename"].as_str().unwrap_or("");
    let Some((_, rel)) = filename.split_once("/test/") else { return };
    let Ok(source) = std::fs::read_to_string(root.join(rel)) else { return };
    let lines: Vec<Vec<char>> = source.split('\n').map(|l| l.chars().collect()).collect();
    let mut tree = Vec::new();
    pre_order(&doc["code"], &mut tree);
    for code in tree {
        for ins in code["instructions"].as_array().into_iter().flatten() {
            let argrepr = ins["argrepr"].as_str().unwrap_or("");
            // `.0` is the iterator a comprehension's code receives: no source text names it.
            let made_up = argrepr.starts_with("__") || argrepr.starts_with('.');
            if !NAMED.contains(&ins["opname"].as_str().unwrap_or("")) || made_up {
                continue;
            }
            // The instruction's own `positions` (docs/document.md: per byte for GraalPy).
            let p = &ins["positions"];
            if p[0].is_null() {
                out.push(format!("{}: no position at {}", code["co_name"], ins["offset"]));
                continue;
            }
            let (line, end_line) = (p[0].as_i64().unwrap_or(0), p[1].as_i64().unwrap_or(0));
            if line != end_line {
                continue;
            }
            let (col, end_col) = (p[2].as_i64().unwrap_or(0) as usize, p[3].as_i64().unwrap_or(0) as usize);
            let text: String = lines
                .get((line - 1).max(0) as usize)
                .and_then(|l| l.get(col..end_col.min(l.len())))
                .map(|c| c.iter().collect())
                .unwrap_or_default();
            counts.positions += 1;
            if !text.contains(argrepr) {
                out.push(format!(
                    "{} offset {} {} {argrepr}: line {line} columns {col}-{end_col} hold {text:?}",
                    code["co_name"], ins["offset"], ins["opname"]
                ));
            }
        }
    }
}

#[test]
fn graalpy_samples_match_xdis() {
    let root = corpus_dir();
    assert!(root.is_dir(), "{} is missing: run `node scripts/fetch-corpus.mjs`", root.display());
    let truth = read_gz_json(&common::fixtures_dir().join("corpus/graal.json.gz"));
    let mut counts: BTreeMap<String, Counts> = BTreeMap::new();
    let mut failures = Vec::new();
    for row in truth["files"].as_array().unwrap() {
        let path = row["path"].as_str().unwrap();
        let data = std::fs::read(root.join(path)).unwrap_or_else(|e| panic!("{path}: {e}"));
        let pyc = match pyclens::decode(&data) {
            Ok(pyc) => pyc,
            Err(e) => {
                failures.push(format!("{path}: {e}"));
                continue;
            }
        };
        assert_eq!(pyc.header.magic.implementation, Implementation::GraalPy, "{path}");
        let version = pyc.version().to_string();
        if version != row["version"] {
            failures.push(format!("{path}: python {version} vs xdis {}", row["version"]));
        }
        // The whole document is written and parses.
        let doc: Value = serde_json::from_str(&pyc.to_json()).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(doc["header"]["implementation"], "GraalPy", "{path}");
        // Among them: every source-offset table read to its end by the instructions' walk.
        if doc["diagnostics"] != Value::Array(Vec::new()) {
            failures.push(format!("{path}: diagnostics {}", doc["diagnostics"]));
        }
        // The viewer's small documents: the summary, each code object's, a byte's owner.
        let summary: Value = serde_json::from_str(&pyc.summary_json()).unwrap();
        assert_eq!(summary["header"]["implementation"], "GraalPy", "{path}");
        for index in 0..pyc.code_tree().len() {
            let code: Value = serde_json::from_str(&pyc.code_json(index).unwrap()).unwrap();
            assert_eq!(code["code"]["type"], "code", "{path} code {index}");
        }
        for offset in (0..data.len()).step_by(13) {
            let _: Value = serde_json::from_str(&pyc.owner_json(offset as u32)).unwrap();
        }
        let c = counts.entry(format!("GraalPy {version}")).or_default();
        c.files += 1;
        let mut diffs = Vec::new();
        let xdis = XdisTable::new(&truth, pyc.version());
        compare(&pyc, row, &xdis, c, &mut diffs);
        check_positions(&common::document(&pyc), &root, c, &mut diffs);
        if !diffs.is_empty() {
            failures.push(format!("{path}: {}", diffs.join("; ")));
        }
    }
    println!(
        "{:<14} {:>6} {:>6} {:>7} {:>13} {:>12} {:>9} {:>10}",
        "version", "files", "codes", "fields", "instructions", "xdis zeroed", "xdis cut", "positions"
    );
    for (label, c) in &counts {
        println!(
            "{label:<14} {:>6} {:>6} {:>7} {:>13} {:>12} {:>9} {:>10}",
            c.files, c.codes, c.fields, c.instructions, c.xdis_zeroed, c.xdis_cut, c.positions
        );
    }
    for f in &failures {
        println!("MISMATCH {f}");
    }
    assert!(failures.is_empty(), "{} files differ from xdis", failures.len());
    // What `pyclens versions` and the page promise for GraalPy is what was compared here.
    for version in pyclens::pyc::version::known_graalpy_versions() {
        assert!(counts.contains_key(&format!("GraalPy {version}")), "no GraalPy {version} sample compared");
        assert_eq!(support::checked(Implementation::GraalPy, version), Checked::Xdis, "GraalPy {version}");
    }
    assert_eq!(counts.values().map(|c| c.files).sum::<usize>(), 150);
}

/// Untrusted input: every prefix of a few samples, and each with bytes overwritten along
/// its length, decodes to a document and a listing or to an error with an offset inside
/// the file, never a panic (bounded counts, indexes out of range, a source-offset table
/// cut short, jump targets outside the code).
#[test]
fn damaged_graalpy_files_never_panic() {
    let root = corpus_dir();
    assert!(root.is_dir(), "{} is missing: run `node scripts/fetch-corpus.mjs`", root.display());
    let samples = [
        "bytecode_graal310/01_call_function.graalpy310.pyc",
        "bytecode_graal311/01_if_try_except.graalpy311.pyc",
        "bytecode_graal312/10_complex.graalpy312.pyc",
        "bytecode_graal312/09_ext_arg_jump.graalpy312.pyc",
    ];
    let (mut decoded, mut refused) = (0, 0);
    for sample in samples {
        let data = std::fs::read(root.join(sample)).unwrap();
        let mut variants: Vec<Vec<u8>> = (0..data.len()).step_by(7).map(|n| data[..n].to_vec()).collect();
        for at in (16..data.len()).step_by(5) {
            for byte in [0x00, 0x7f, 0x80, 0xff] {
                let mut v = data.clone();
                v[at] = byte;
                variants.push(v);
            }
        }
        for v in &variants {
            match pyclens::decode(v) {
                Ok(pyc) => {
                    decoded += 1;
                    let doc: Value = serde_json::from_str(&pyc.to_json()).expect("a document");
                    assert!(doc["code"].is_object());
                    let _ = pyclens::output::dis_text::dis_text(&pyc, Default::default());
                }
                Err(e) => {
                    refused += 1;
                    assert!(e.offset <= v.len(), "{sample}: {e}");
                }
            }
        }
    }
    println!("{decoded} damaged files decoded, {refused} refused, none panicked");
    assert!(decoded > 0 && refused > 0);
}
