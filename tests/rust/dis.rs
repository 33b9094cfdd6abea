//! `pyclens dis` and the document's `instructions` against what each real interpreter's
//! `dis` reported (tests/fixtures/<ver>/dis.json.gz): the `dis.dis(module)` text, every
//! field of every `dis.Instruction` (2.7: the fields of a port of its own disassembly loop)
//! and the exception table, for every fixture of 2.7 and 3.6–3.15; for every snippet also
//! the `show_caches=True` text (3.11+) and the `show_offsets=True` text (3.13+).
//!
//! Two differences are permitted, both masked before comparing: code-object reprs show the
//! file offset where CPython shows a memory address (`at 0x…`), and a frozenset constant is
//! printed in marshal order where the interpreter iterates the set it rebuilt while loading
//! (that order follows the loading process's hashes, randomised for `str`): the frozenset
//! reprs the interpreter reported in truth.json.gz are put in place of pyclens's, after
//! checking both hold the same items.

mod common;

use common::{read_gz_json, version_dirs, xdis_field, xdis_instruction, XDIS_FIELDS};
use pyclens::bytecode::opcodes::table_for;
use pyclens::output::dis_text::{dis_text, DisOptions};
use pyclens::pyc::version::Implementation;
use pyclens::PyVersion;
use serde_json::Value;
use std::collections::BTreeMap;

/// `at 0x…` inside code-object reprs, as the fixture generator normalised them.
fn mask(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find("<code object ") {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        match (tail.find(" at 0x"), tail.find(", file ")) {
            (Some(a), Some(b)) if a < b => {
                out.push_str(&tail[..a]);
                out.push_str(" at 0xADDR");
                rest = &tail[b..];
            }
            _ => {
                out.push_str("<code object ");
                rest = &tail["<code object ".len()..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// (pyclens repr, interpreter repr) of every frozenset constant whose order differs.
fn frozenset_swaps(truth: &Value, doc: &Value, out: &mut Vec<(String, String)>) {
    let items = |v: &Value| -> Vec<String> {
        let mut r: Vec<String> =
            v["items"].as_array().map(|a| a.iter().map(|x| x["repr"].to_string()).collect()).unwrap_or_default();
        r.sort();
        r
    };
    // A code object: truth.json's CODE (no "type") or a code constant ({"type": "code", "code": CODE}).
    let code = if truth["type"] == "code" { Some(&truth["code"]) } else { truth.get("co_consts").map(|_| truth) };
    if let Some(t) = code {
        for (tc, dc) in
            t["co_consts"].as_array().into_iter().flatten().zip(doc["co_consts"].as_array().into_iter().flatten())
        {
            frozenset_swaps(tc, dc, out);
        }
        return;
    }
    if truth["type"] == "frozenset" && truth["repr"] != doc["repr"] {
        assert_eq!(items(truth), items(doc), "frozenset items differ: {} vs {}", truth["repr"], doc["repr"]);
        out.push((doc["repr"].as_str().unwrap().to_string(), truth["repr"].as_str().unwrap().to_string()));
    }
    for (t, d) in truth["items"].as_array().into_iter().flatten().zip(doc["items"].as_array().into_iter().flatten()) {
        if t.is_object() && d.is_object() {
            frozenset_swaps(t, d, out);
        }
    }
}

fn unmask_sets(s: &str, swaps: &[(String, String)]) -> String {
    let mut s = mask(s);
    for (ours, theirs) in swaps {
        s = s.replace(ours, theirs);
    }
    s
}

/// The document's code nodes in `dis`'s order: pre-order through code constants.
fn doc_codes<'v>(code: &'v Value, out: &mut Vec<&'v Value>) {
    out.push(code);
    for c in code["co_consts"].as_array().into_iter().flatten() {
        if c["type"] == "code" && c.get("co_code").is_some() {
            doc_codes(c, out);
        }
    }
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

/// `Instruction.cache_info` (3.13+) rebuilt from the opcode table and the code bytes, as
/// repr() prints the list of (name, size, data).
fn cache_info(version: PyVersion, op: u8, offset: usize, code: &[u8]) -> Value {
    let table = table_for(version, Implementation::CPython).unwrap();
    let fields = table.cache_fields(op);
    if table.cache_entries(op) == 0 {
        return Value::Null;
    }
    let mut parts = Vec::new();
    let mut at = offset + 2;
    for &(name, size) in fields {
        let size = size as usize;
        let data = &code[at.min(code.len())..(at + 2 * size).min(code.len())];
        parts.push(format!("('{name}', {size}, {})", pyclens::values::repr::bytes(data, true)));
        // 3.13 reads every field from the first cache unit; 3.14 advances.
        if version.at_least(3, 14) {
            at += 2 * size;
        }
    }
    Value::String(format!("[{}]", parts.join(", ")))
}

/// What pyclens says for one field of the interpreter's instruction.
fn ours(key: &str, got: &Value, version: PyVersion, code: &[u8], swaps: &[(String, String)]) -> Value {
    let text = |k: &str| Value::String(unmask_sets(got[k].as_str().unwrap_or(""), swaps));
    let offset = got["offset"].as_i64().unwrap();
    match key {
        "argval" | "argrepr" => text(key),
        "oparg" => got["arg"].clone(),
        "baseopcode" => got["opcode"].clone(),
        "baseopname" => got["opname"].clone(),
        "line_number" => got["line"].clone(),
        "starts_line" if !version.at_least(3, 13) => {
            if got["starts_line"] == true {
                got["line"].clone()
            } else {
                Value::Null
            }
        }
        "cache_offset" => Value::from(offset + 2),
        "end_offset" => Value::from(offset + 2 + 2 * got["caches"].as_i64().unwrap()),
        "cache_info" => cache_info(version, got["opcode"].as_u64().unwrap() as u8, offset as usize, code),
        "positions" | "offset" | "opcode" | "opname" | "arg" | "is_jump_target" | "jump_target" | "label"
        | "start_offset" | "starts_line" => got[key].clone(),
        other => panic!("the fixture has an instruction field {other} that this test does not know"),
    }
}

#[derive(Default)]
struct Counts {
    files: usize,
    texts: usize,
    snippets: usize,
    caches_texts: usize,
    offsets_texts: usize,
    codes: usize,
    instructions: usize,
    exception_entries: usize,
}

/// `dis.dis(code, show_caches=True)` (3.11+) and `dis.dis(code, show_offsets=True)` (3.13+).
const SHOW_CACHES: DisOptions = DisOptions { show_caches: true, show_offsets: false };
const SHOW_OFFSETS: DisOptions = DisOptions { show_caches: false, show_offsets: true };

/// pyclens's listing with `opts`, masked as the interpreter's `want` was, against it; a
/// difference goes into `bad` with the first line that differs.
fn same_text(
    label: &str,
    key: &str,
    pyc: &pyclens::Pyc,
    opts: DisOptions,
    want: &Value,
    swaps: &[(String, String)],
    bad: &mut Vec<String>,
) -> bool {
    let text = unmask_sets(&dis_text(pyc, opts).unwrap(), swaps);
    let w = want.as_str().unwrap();
    if text == w {
        return true;
    }
    // The first line that differs, or where the shorter text ends.
    let line =
        text.lines().zip(w.lines()).position(|(a, b)| a != b).unwrap_or(text.lines().count().min(w.lines().count()));
    bad.push(format!(
        "{label}: {key} text differs at line {line}: pyclens {:?} / interpreter {:?}",
        text.lines().nth(line),
        w.lines().nth(line)
    ));
    false
}

/// Everything one version's fixtures say, compared; returns the counts and mismatches.
fn compare_version(name: &str, path: &std::path::Path) -> (Counts, Vec<String>) {
    let dis = read_gz_json(&path.join("dis.json.gz"));
    let truth = read_gz_json(&path.join("truth.json.gz"));
    let mut counts = Counts::default();
    let mut bad = Vec::new();
    for (file, want) in dis["files"].as_object().unwrap() {
        counts.files += 1;
        counts.snippets += usize::from(file.starts_with("snippets/"));
        let data = std::fs::read(path.join(file)).unwrap();
        let pyc = pyclens::decode(&data).unwrap_or_else(|e| panic!("{name}/{file}: {e}"));
        let version = pyc.version();
        let doc = common::document(&pyc);
        let mut swaps = Vec::new();
        frozenset_swaps(&truth["files"][file]["code"], &doc["code"], &mut swaps);
        // Longest first, so a tuple holding a frozenset is not half-replaced.
        swaps.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));

        let label = format!("{name}/{file}");
        if same_text(&label, "dis", &pyc, DisOptions::default(), &want["dis"], &swaps, &mut bad) {
            counts.texts += 1;
        }
        // The listings with options, recorded for the snippets only.
        if file.starts_with("snippets/") {
            for (key, opts, from, n) in [
                ("dis_show_caches", SHOW_CACHES, 11, &mut counts.caches_texts),
                ("dis_show_offsets", SHOW_OFFSETS, 13, &mut counts.offsets_texts),
            ] {
                match want.get(key) {
                    Some(w) if version.at_least(3, from) => {
                        if same_text(&label, key, &pyc, opts, w, &swaps, &mut bad) {
                            *n += 1;
                        }
                    }
                    None if !version.at_least(3, from) => {}
                    Some(_) => bad.push(format!("{label}: {key} recorded although it needs 3.{from}+")),
                    None => bad.push(format!("{label}: {key} missing from the fixture")),
                }
            }
        }

        let mut codes = Vec::new();
        doc_codes(&doc["code"], &mut codes);
        let want_codes = want["codes"].as_array().unwrap();
        if codes.len() != want_codes.len() {
            bad.push(format!("{name}/{file}: {} code objects, interpreter {}", codes.len(), want_codes.len()));
            continue;
        }
        for (code, wc) in codes.iter().zip(want_codes) {
            counts.codes += 1;
            let qual = code.get("co_qualname").unwrap_or(&code["co_name"]);
            if *qual != wc["qualname_or_name"] {
                bad.push(format!("{name}/{file}: code {qual} vs {}", wc["qualname_or_name"]));
            }
            let co_code = unhex(code["co_code"].as_str().unwrap());
            let got = code["instructions"].as_array().unwrap();
            let wi = wc["instructions"].as_array().unwrap();
            if got.len() != wi.len() {
                bad.push(format!("{name}/{file} {qual}: {} instructions, interpreter {}", got.len(), wi.len()));
                continue;
            }
            for (g, w) in got.iter().zip(wi) {
                counts.instructions += 1;
                for (key, want_value) in w.as_object().unwrap() {
                    let mine = ours(key, g, version, &co_code, &swaps);
                    let want_value = match want_value {
                        Value::String(s) => Value::String(mask(s)),
                        other => other.clone(),
                    };
                    if mine != want_value {
                        bad.push(format!(
                            "{name}/{file} {qual} @{}: {key}: pyclens {mine} interpreter {want_value}",
                            g["offset"]
                        ));
                    }
                }
            }
            if let Some(table) = wc.get("exception_table") {
                let mine: Vec<Value> = code["exception_table"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|e| Value::Array(["start", "end", "target", "depth", "lasti"].map(|k| e[k].clone()).to_vec()))
                    .collect();
                counts.exception_entries += mine.len();
                if Value::from(mine.clone()) != *table {
                    bad.push(format!("{name}/{file} {qual}: exception table {mine:?} vs {table}"));
                }
            }
        }
    }
    (counts, bad)
}

/// One version folder: text, instructions and exception tables all equal; prints the counts.
fn check_version(name: &str) {
    let path = common::fixtures_dir().join(name);
    let (c, bad) = compare_version(name, &path);
    println!(
        "dis {name:>7} vs real {}: {} files ({} dis texts identical), {} code objects, {} instructions, {} exception entries; \
         of {} snippets, {} --show-caches and {} --show-offsets texts identical",
        if name.starts_with("pypy") { "PyPy" } else { "CPython" },
        c.files, c.texts, c.codes, c.instructions, c.exception_entries, c.snippets, c.caches_texts, c.offsets_texts
    );
    assert!(c.instructions > 0 && c.texts == c.files, "{name}: nothing compared");
    let at_least = |minor: u32| name.starts_with("3.") && name[2..].parse::<u32>().unwrap() >= minor;
    assert!(c.snippets > 0, "{name}: no snippets");
    assert_eq!(c.caches_texts, if at_least(11) { c.snippets } else { 0 }, "{name}: --show-caches texts");
    assert_eq!(c.offsets_texts, if at_least(13) { c.snippets } else { 0 }, "{name}: --show-offsets texts");
    assert!(
        bad.is_empty(),
        "{name}: {} mismatches:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

/// The versions covered below are exactly the fixture folders: a new folder fails here
/// until it gets its own test.
#[test]
fn every_fixture_version_is_covered() {
    let names: Vec<String> = version_dirs().into_iter().map(|d| d.name).collect();
    assert_eq!(
        names,
        [
            "pypy2.7", "pypy3.7", "pypy3.9", "pypy3.11", "2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12",
            "3.13", "3.14", "3.15"
        ]
    );
}

// One test per version, so the comparisons run in parallel.
macro_rules! versions {
    ($($test:ident => $name:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                check_version($name);
            }
        )*
    };
}

versions! {
    dis_2_7 => "2.7", dis_3_6 => "3.6", dis_3_7 => "3.7", dis_3_8 => "3.8", dis_3_9 => "3.9",
    dis_3_10 => "3.10", dis_3_11 => "3.11", dis_3_12 => "3.12", dis_3_13 => "3.13",
    dis_3_14 => "3.14", dis_3_15 => "3.15",
    dis_pypy2_7 => "pypy2.7", dis_pypy3_7 => "pypy3.7", dis_pypy3_9 => "pypy3.9",
}

// ---------------------------------------------------------------------------------------
// PyPy 3.11: instructions against xdis.
//
// PyPy 3.11's own `dis` is CPython 3.11's dis.py run on PyPy's CPython-3.10-style bytecode
// (it raises on code with cells and spells the rest by 3.11 rules), so its output is not
// recorded. Its code-object fields are checked against the interpreter in fixtures.rs; the
// instruction stream is checked here against xdis 6.3.0 (tests/fixtures/pypy3.11/
// xdis.json.gz, made by tests/fixtures/generate/xdis_truth.py).

/// The files xdis 6.3.0 cannot load, and why xdis is wrong there (each reason is checked on
/// the interpreter's own constants below). pyclens decodes them, fixtures.rs matches every
/// field with PyPy's, and their listings are produced here.
const XDIS_REFUSES: &[(&str, XdisBug)] = &[
    ("snippets/frozensets.pyc", XdisBug::NegativeLong),
    ("snippets/ints.pyc", XdisBug::NegativeLong),
    ("snippets/strings.pyc", XdisBug::LoneSurrogate),
];

#[derive(Clone, Copy, Debug)]
enum XdisBug {
    /// A TYPE_LONG whose digit count is negative (a negative int beyond 32 bits, such as
    /// -2147483649): xdis reads the count as unsigned and runs off the end of the file.
    NegativeLong,
    /// A str constant holding a lone surrogate, which marshal writes with `surrogatepass`:
    /// xdis decodes it as strict UTF-8 and fails.
    LoneSurrogate,
}

impl XdisBug {
    /// True when the interpreter's constants (truth.json.gz) hold what triggers the bug.
    fn present_in(self, code: &Value) -> bool {
        let mut stack = vec![code];
        while let Some(c) = stack.pop() {
            for k in c["co_consts"].as_array().into_iter().flatten().chain(c["items"].as_array().into_iter().flatten())
            {
                let repr = k["repr"].as_str().unwrap_or("");
                let hit = match self {
                    XdisBug::NegativeLong => {
                        k["type"] == "int"
                            && repr.starts_with('-')
                            && repr.parse::<i64>().map_or(true, |v| v < -(1 << 31))
                    }
                    XdisBug::LoneSurrogate => k["type"] == "str" && repr.contains("\\ud"),
                };
                if hit {
                    return true;
                }
                if k["type"] == "code" {
                    stack.push(&k["code"]);
                } else if k.get("items").is_some() {
                    stack.push(k);
                }
            }
        }
        false
    }
}

/// truth.json.gz's code objects in pre-order (the order of xdis.json.gz and `doc_codes`).
fn truth_codes<'v>(code: &'v Value, out: &mut Vec<&'v Value>) {
    out.push(code);
    for c in code["co_consts"].as_array().into_iter().flatten() {
        if c["type"] == "code" {
            truth_codes(&c["code"], out);
        }
    }
}

/// Instructions must equal xdis's. The fields xdis also reads must equal xdis's unless PyPy
/// itself (truth.json.gz) gives pyclens's value: xdis 6.3.0 resolves some marshal
/// back-references of PyPy files one slot early (the same bug tests/rust/corpus.rs lists as
/// `PYPY_REFS`: e.g. it names `FFIError` in cffi/error.pyc after the file name and repeats
/// "cffi" in `co_names` where PyPy reads "FFI"); those are counted as xdis's errors.
#[test]
fn dis_pypy3_11_vs_xdis() {
    let path = common::fixtures_dir().join("pypy3.11");
    let xdis = read_gz_json(&path.join("xdis.json.gz"));
    let truth = read_gz_json(&path.join("truth.json.gz"));
    assert_eq!(xdis["xdis"], "6.3.0");
    let (mut files, mut codes, mut fields, mut instructions, mut refused, mut xdis_wrong) = (0, 0, 0, 0, 0, 0);
    let mut bad = Vec::new();
    for (file, want) in xdis["files"].as_object().unwrap() {
        let data = std::fs::read(path.join(file)).unwrap();
        let pyc = pyclens::decode(&data).unwrap_or_else(|e| panic!("pypy3.11/{file}: {e}"));
        let bytecode = pyc.header.magic.bytecode_version();
        assert_eq!(bytecode, PyVersion::new(3, 10), "{file}");
        let text = dis_text(&pyc, DisOptions::default()).unwrap_or_else(|e| panic!("pypy3.11/{file}: {e}"));
        assert!(text.contains("RETURN_VALUE"), "{file}: {text}");
        files += 1;
        if !want["error"].is_null() {
            let Some((_, bug)) = XDIS_REFUSES.iter().find(|(f, _)| f == file) else {
                bad.push(format!("{file}: xdis refuses it ({}) and no reason is listed", want["error"]));
                continue;
            };
            assert!(bug.present_in(&truth["files"][file]["code"]), "{file}: {bug:?} not found in its constants");
            refused += 1;
            continue;
        }
        if XDIS_REFUSES.iter().any(|(f, _)| f == file) {
            bad.push(format!("{file}: listed in XDIS_REFUSES but xdis loads it"));
        }
        assert_eq!((&want["version"], &want["implementation"]), (&Value::from("3.11"), &Value::from("PyPy")));
        let doc = common::document(&pyc);
        let mut ours = Vec::new();
        doc_codes(&doc["code"], &mut ours);
        let theirs = want["code"].as_array().unwrap();
        let mut pypy = Vec::new();
        truth_codes(&truth["files"][file]["code"], &mut pypy);
        assert_eq!(pypy.len(), ours.len(), "{file}: code objects vs PyPy's");
        if ours.len() != theirs.len() {
            bad.push(format!("{file}: {} code objects, xdis {}", ours.len(), theirs.len()));
            continue;
        }
        for ((code, wc), real) in ours.iter().zip(theirs).zip(&pypy) {
            codes += 1;
            let name = &code["co_qualname"];
            for field in XDIS_FIELDS {
                fields += 1;
                let theirs = &wc[xdis_field(field, bytecode)];
                if &code[field] != theirs && code[field] == real[field] {
                    xdis_wrong += 1;
                } else if &code[field] != theirs {
                    bad.push(format!("{file} {name}: {field} {} vs xdis {theirs}", code[field]));
                }
            }
            let got: Vec<Value> = code["instructions"].as_array().unwrap().iter().map(xdis_instruction).collect();
            let wi = wc["instructions"].as_array().unwrap();
            instructions += wi.len();
            if got.len() != wi.len() {
                bad.push(format!("{file} {name}: {} instructions, xdis {}", got.len(), wi.len()));
            }
            if let Some((g, w)) = got.iter().zip(wi).find(|(g, w)| g != w) {
                bad.push(format!("{file} {name}: {g} vs xdis {w}"));
            }
        }
    }
    println!(
        "dis pypy3.11 vs xdis 6.3.0: {files} files ({refused} refused by xdis, all listed), {codes} code objects, \
         {fields} fields ({xdis_wrong} where xdis is wrong and PyPy agrees with pyclens), {instructions} instructions"
    );
    assert!(instructions > 0 && refused == XDIS_REFUSES.len());
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

// ---------------------------------------------------------------------------------------
// Edge cases, each on fixtures known to hold it; every instruction used is also compared
// field by field with the interpreter's above, here they are checked to exist (and spot
// checked) so that a fixture change cannot silently drop them.

/// The document's instructions of every code object of one fixture, with the
/// interpreter's, paired.
fn pairs(version: &str, file: &str) -> Vec<(Value, Value)> {
    let dir = common::fixtures_dir().join(version);
    let dis = read_gz_json(&dir.join("dis.json.gz"));
    let want = &dis["files"][file]["codes"];
    let data = std::fs::read(dir.join(file)).unwrap();
    let doc = common::document(&pyclens::decode(&data).unwrap());
    let mut codes = Vec::new();
    doc_codes(&doc["code"], &mut codes);
    let mut out = Vec::new();
    for (c, w) in codes.iter().zip(want.as_array().unwrap()) {
        for (g, wi) in c["instructions"].as_array().unwrap().iter().zip(w["instructions"].as_array().unwrap()) {
            out.push((g.clone(), wi.clone()));
        }
    }
    out
}

const MODERN: [&str; 10] = ["3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.15"];

fn big_function(version: &str) -> &'static str {
    if version == "2.7" {
        "snippets/big_function27.pyc"
    } else {
        "snippets/big_function.pyc"
    }
}

#[test]
fn extended_arg_on_jumps_and_constants() {
    for version in std::iter::once("2.7").chain(MODERN) {
        let p = pairs(version, big_function(version));
        let mut jumps = 0;
        let mut consts = 0;
        for w in p.windows(2) {
            let (prev, (g, want)) = (&w[0].0, &w[1]);
            if prev["opname"] != "EXTENDED_ARG" || g["opname"] == "EXTENDED_ARG" {
                continue;
            }
            assert!(g["arg"].as_i64().unwrap() > 255, "{version}: {g}");
            assert_eq!(g["arg"], want["arg"], "{version}");
            assert_eq!(mask(g["argval"].as_str().unwrap()), want["argval"], "{version}");
            assert_eq!(g["start_offset"], prev["offset"], "{version}: start_offset covers the prefix");
            if !g["jump_target"].is_null() {
                jumps += 1;
            }
            if g["opname"] == "LOAD_CONST" {
                consts += 1;
                assert_eq!(g["argrepr"], want["argrepr"], "{version}");
            }
        }
        // 2.7's 16-bit arguments index 300 constants without a prefix.
        let want_consts = version != "2.7";
        assert!(
            jumps > 0 && (consts > 0) == want_consts,
            "{version}: {jumps} extended jumps, {consts} extended constants"
        );
    }
}

#[test]
fn backward_jumps() {
    for version in std::iter::once("2.7").chain(MODERN) {
        let file = if version == "2.7" { "snippets/big_function27.pyc" } else { "snippets/generators.pyc" };
        let back: Vec<_> = pairs(version, file)
            .into_iter()
            .filter(|(g, _)| g["jump_target"].as_i64().is_some_and(|t| t < g["offset"].as_i64().unwrap()))
            .collect();
        assert!(!back.is_empty(), "{version}: no backward jump in {file}");
        for (g, w) in back {
            assert_eq!(mask(g["argval"].as_str().unwrap()), w["argval"], "{version}");
            if let Some(t) = w.get("jump_target") {
                assert_eq!(&g["jump_target"], t, "{version}");
            }
        }
    }
}

#[test]
fn generators_and_coroutines() {
    for version in ["3.11", "3.12", "3.13", "3.14", "3.15"] {
        let p = pairs(version, "snippets/async_code.pyc");
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for (g, w) in &p {
            let name = g["opname"].as_str().unwrap();
            let key = match name {
                "RESUME" if g["arg"].as_i64().unwrap() & 3 != 0 => "RESUME after yield/await",
                "SEND" | "END_ASYNC_FOR" => name,
                _ => continue,
            };
            *seen.entry(key.to_string()).or_default() += 1;
            assert_eq!(g["arg"], w["arg"], "{version} {name}");
            assert_eq!(g["argrepr"], w["argrepr"], "{version} {name}");
            assert_eq!(g["argval"], w["argval"], "{version} {name}");
        }
        for key in ["RESUME after yield/await", "SEND", "END_ASYNC_FOR"] {
            assert!(seen.get(key).is_some_and(|&n| n > 0), "{version}: no {key} in async_code: {seen:?}");
        }
        if version >= "3.14" {
            let e = p.iter().find(|(g, _)| g["opname"] == "END_ASYNC_FOR").unwrap();
            assert!(e.0["argrepr"].as_str().unwrap().starts_with("from L"), "{version}");
        }
    }
}

#[test]
fn lines_going_backwards() {
    for version in MODERN {
        let p = pairs(version, "snippets/line_tables.pyc");
        let mut last = None;
        let mut backwards = 0;
        for (g, w) in &p {
            if g["starts_line"] == true {
                let line = g["line"].as_i64();
                if last.is_some_and(|l| line.is_some_and(|x| x < l)) {
                    backwards += 1;
                    let want = w.get("line_number").unwrap_or(&w["starts_line"]);
                    assert_eq!(&g["line"], want, "{version}");
                }
                last = line.or(last);
            }
        }
        assert!(backwards > 0, "{version}: no line start goes backwards in line_tables");
    }
}

#[test]
fn code_without_locations() {
    // 3.11+: instructions whose co_positions() entry is all None (location code 15).
    for version in ["3.11", "3.12", "3.13", "3.14", "3.15"] {
        let none = pairs(version, "snippets/generators.pyc")
            .into_iter()
            .filter(|(g, _)| g["positions"].as_array().is_some_and(|p| p.iter().all(Value::is_null)))
            .inspect(|(g, w)| assert_eq!(g["positions"], w["positions"], "{version}"))
            .count()
            + pairs(version, "snippets/async_code.pyc")
                .into_iter()
                .filter(|(g, _)| g["positions"].as_array().is_some_and(|p| p.iter().all(Value::is_null)))
                .count();
        assert!(none > 0, "{version}: no instruction without a location");
    }
    // 3.13+ print "--" for a line start without a line.
    for version in ["3.13", "3.14", "3.15"] {
        let data = std::fs::read(common::fixtures_dir().join(version).join("snippets/async_code.pyc")).unwrap();
        let text = dis_text(&pyclens::decode(&data).unwrap(), DisOptions::default()).unwrap();
        assert!(text.lines().any(|l| l.starts_with("  --")), "{version}");
    }
}

#[test]
fn columns_past_127() {
    for version in ["3.11", "3.12", "3.13", "3.14", "3.15"] {
        let wide: Vec<_> = pairs(version, "snippets/line_tables.pyc")
            .into_iter()
            .filter(|(g, _)| g["positions"][3].as_i64().is_some_and(|c| c > 127))
            .collect();
        assert!(!wide.is_empty(), "{version}: no column past 127 in line_tables");
        for (g, w) in wide {
            assert_eq!(g["positions"], w["positions"], "{version}");
        }
    }
}

#[test]
fn options_are_refused_where_the_version_lacks_them() {
    let load = |v: &str| std::fs::read(common::fixtures_dir().join(v).join("snippets/empty.pyc")).unwrap();
    let old = load("3.10");
    let pyc = pyclens::decode(&old).unwrap();
    assert!(dis_text(&pyc, DisOptions { show_caches: true, show_offsets: false }).is_err());
    let mid = load("3.12");
    let pyc = pyclens::decode(&mid).unwrap();
    assert!(dis_text(&pyc, DisOptions { show_caches: true, show_offsets: false }).is_ok());
    assert!(dis_text(&pyc, DisOptions { show_caches: false, show_offsets: true }).is_err());
    let new = load("3.13");
    let pyc = pyclens::decode(&new).unwrap();
    assert!(dis_text(&pyc, DisOptions { show_caches: true, show_offsets: true }).is_ok());
}

/// Random opcodes and arguments in real code objects: every version decodes them, writes
/// the document and prints the listing without panicking (unknown opcodes, indexes out of
/// range, jumps anywhere, EXTENDED_ARG chains, caches running past the end).
#[test]
fn scrambled_bytecode_never_panics() {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for dir in version_dirs() {
        let data = std::fs::read(dir.path.join("snippets/params27.pyc"))
            .or_else(|_| std::fs::read(dir.path.join("snippets/generators.pyc")))
            .unwrap();
        let doc = common::document(&pyclens::decode(&data).unwrap());
        let mut codes = Vec::new();
        doc_codes(&doc["code"], &mut codes);
        // The payload of each co_code: the end of its span, its length in hex / 2.
        // (A co_code that is a back-reference to an equal one elsewhere is skipped.)
        let spans: Vec<(usize, usize)> = codes
            .iter()
            .filter_map(|c| {
                let span = &c["spans"]["co_code"];
                let (start, end) = (span[0].as_u64().unwrap() as usize, span[1].as_u64().unwrap() as usize);
                let len = c["co_code"].as_str().unwrap().len() / 2;
                (end - start == len + 5).then_some((end - len, end))
            })
            .collect();
        assert!(!spans.is_empty());
        // The options follow the bytecode (PyPy 3.11's is 3.10-style: no caches).
        let version = pyclens::decode(&data).unwrap().header.magic.bytecode_version();
        let caches = version.at_least(3, 11);
        let offsets = version.at_least(3, 13);
        for round in 0..40 {
            let mut bytes = data.clone();
            for &(start, end) in &spans {
                for b in &mut bytes[start..end] {
                    let r = next();
                    // Keep some real opcodes, favour EXTENDED_ARG-heavy and high bytes.
                    if r % 3 != 0 {
                        *b = (r >> 8) as u8;
                    }
                }
            }
            let pyc = pyclens::decode(&bytes).unwrap();
            let doc = common::document(&pyc);
            assert!(doc["code"]["instructions"].is_array(), "{} round {round}", dir.name);
            let opts = DisOptions { show_caches: caches, show_offsets: offsets };
            dis_text(&pyc, opts).unwrap_or_else(|e| panic!("{} round {round}: {e}", dir.name));
        }
    }
}

/// The command prints the listing the library renders, and refuses options the file's
/// version lacks with a message and exit status 1.
#[test]
fn the_dis_command() {
    let exe = env!("CARGO_BIN_EXE_pyclens");
    let file = common::fixtures_dir().join("3.13/snippets/generators.pyc");
    let run = |args: &[&str]| std::process::Command::new(exe).args(args).output().unwrap();
    let out = run(&["dis", file.to_str().unwrap(), "--show-caches", "--show-offsets"]);
    assert!(out.status.success());
    let pyc_data = std::fs::read(&file).unwrap();
    let pyc = pyclens::decode(&pyc_data).unwrap();
    let want = dis_text(&pyc, DisOptions { show_caches: true, show_offsets: true }).unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), want);
    assert!(want.contains("CACHE") && want.contains("Disassembly of <code object"));

    let old = common::fixtures_dir().join("3.12/snippets/generators.pyc");
    let out = run(&["dis", old.to_str().unwrap(), "--show-offsets"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--show-offsets needs a 3.13+ file"));
    assert!(out.stdout.is_empty());
    let out = run(&["dis", old.to_str().unwrap(), "--bogus"]);
    assert_eq!(out.status.code(), Some(2));
}
