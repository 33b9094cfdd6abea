//! pyclens's `repr()` of floats and complex numbers against what real interpreters printed
//! for the same doubles (tests/fixtures/float/, made by `generate.mjs --floats`; see
//! tests/fixtures/README.md, "Float and complex repr").
//!
//! Why a test of its own: a shortest-repr formatter is right on almost every double and wrong
//! on a few (exact decimal ties, lopsided intervals at powers of two, subnormals), so only a
//! large sample checked against the interpreters shows it is right. Every interpreter is
//! checked (CPython 2.7 and 3.6+, natively and as pyodide, and PyPy): each has its own
//! answers file, or shares one that was byte-identical when generated.
//!
//! Two paths are compared: `repr::float` / `repr::complex` on every input double and pair,
//! and the constants of a module each interpreter compiled itself (floats in tuples, complex
//! sums, frozensets), decoded by pyclens from that interpreter's pyc. A third check covers
//! the 17- and 12-digit reprs of CPython before 2.7 and 3.0 (`FloatStyle::Significant17`,
//! `Significant12`) against emulations built on each interpreter's own `%.17g` / `%.12g`.

mod common;

use pyclens::values::repr::{self, FloatStyle};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

fn float_dir() -> PathBuf {
    common::fixtures_dir().join("float")
}

fn read_gz_text(path: &Path) -> String {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut text = String::new();
    flate2::read::GzDecoder::new(file).read_to_string(&mut text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    text
}

/// The inputs of tests/fixtures/generate/float_inputs.py: float bit patterns and complex
/// pairs (indices into the floats).
struct Inputs {
    floats: Vec<u64>,
    pairs: Vec<(usize, usize)>,
}

fn read_inputs() -> Inputs {
    let text = read_gz_text(&float_dir().join("inputs.txt.gz"));
    let mut inputs = Inputs { floats: Vec::new(), pairs: Vec::new() };
    for line in text.lines().filter(|l| !l.is_empty() && !l.starts_with('#')) {
        let mut parts = line.split(' ');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("f"), Some(hex), None) => {
                inputs.floats.push(u64::from_str_radix(hex, 16).unwrap_or_else(|_| panic!("bad line {line}")))
            }
            (Some("c"), Some(a), Some(b)) => {
                inputs.pairs.push((a.parse().expect("complex index"), b.parse().expect("complex index")))
            }
            (Some("k"), Some(_), None) => {}
            _ => panic!("bad line {line}"),
        }
    }
    inputs
}

/// What comparing one answers file found.
#[derive(Default)]
struct Outcome {
    floats: usize,
    complex: usize,
    differences: Vec<String>,
}

fn compare_reprs(inputs: &Inputs, file: &str) -> Outcome {
    let text = read_gz_text(&float_dir().join(file));
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines.len(),
        inputs.floats.len() + inputs.pairs.len(),
        "{file}: one line per float and per complex pair expected"
    );
    let mut out = Outcome::default();
    let (float_lines, complex_lines) = lines.split_at(inputs.floats.len());
    for (&bits, &want) in inputs.floats.iter().zip(float_lines) {
        out.floats += 1;
        let got = repr::float(f64::from_bits(bits));
        if got != want {
            out.differences.push(format!("float {bits:016x}: interpreter {want} pyclens {got}"));
        }
    }
    for (&(a, b), &want) in inputs.pairs.iter().zip(complex_lines) {
        out.complex += 1;
        let (re, im) = (inputs.floats[a], inputs.floats[b]);
        let got = repr::complex(f64::from_bits(re), f64::from_bits(im));
        if got != want {
            out.differences.push(format!("complex {re:016x} {im:016x}: interpreter {want} pyclens {got}"));
        }
    }
    out
}

/// One emulation of the repr before shortest repr (float_repr.py `LEGACY`): its key in
/// interpreters.json, the style pyclens prints it with, every how many floats it covers, and
/// how many complex pairs (from the first).
struct Legacy {
    key: &'static str,
    style: FloatStyle,
    step: usize,
    pairs: usize,
}

const LEGACY: [Legacy; 2] = [
    Legacy { key: "legacy17", style: FloatStyle::Significant17, step: 4, pairs: 2000 },
    Legacy { key: "legacy12", style: FloatStyle::Significant12, step: 16, pairs: 500 },
];

/// The 17- and 12-digit reprs of CPython before 2.7 and 3.0, as float_repr.py emulates them
/// with the interpreter's own `%.17g` / `%.12g` (no such interpreter runs here).
fn compare_legacy(inputs: &Inputs, file: &str, legacy: &Legacy) -> Outcome {
    let text = read_gz_text(&float_dir().join(file));
    let lines: Vec<&str> = text.lines().collect();
    let floats: Vec<u64> = inputs.floats.iter().copied().step_by(legacy.step).collect();
    let pairs = inputs.pairs.get(..legacy.pairs).expect("enough complex pairs");
    assert_eq!(lines.len(), floats.len() + pairs.len(), "{file}: one line per covered float and pair expected");
    let mut out = Outcome::default();
    let (float_lines, complex_lines) = lines.split_at(floats.len());
    for (&bits, &want) in floats.iter().zip(float_lines) {
        out.floats += 1;
        let got = repr::float_styled(f64::from_bits(bits), legacy.style);
        if got != want {
            out.differences.push(format!("{:?} float {bits:016x}: emulation {want} pyclens {got}", legacy.style));
        }
    }
    for (&(a, b), &want) in pairs.iter().zip(complex_lines) {
        out.complex += 1;
        let (re, im) = (inputs.floats[a], inputs.floats[b]);
        let got = repr::complex_styled(f64::from_bits(re), f64::from_bits(im), legacy.style);
        if got != want {
            out.differences
                .push(format!("{:?} complex {re:016x} {im:016x}: emulation {want} pyclens {got}", legacy.style));
        }
    }
    out
}

/// pyclens's constants of a decoded pyc in the walk order of float_repr.py: code objects
/// in pre-order, each constant with its path of indices.
fn walk_consts(code: &Value, prefix: &str, out: &mut Vec<(String, Value)>) {
    for (i, c) in code["co_consts"].as_array().into_iter().flatten().enumerate() {
        let path = if prefix.is_empty() { i.to_string() } else { format!("{prefix}.{i}") };
        if c["type"] == "code" {
            walk_consts(c, &path, out);
        } else {
            out.push((path, c.clone()));
        }
    }
}

fn sorted_reprs(items: &Value, key: &str) -> Vec<String> {
    let mut v: Vec<String> = items
        .as_array()
        .into_iter()
        .flatten()
        .map(|x| if key.is_empty() { x.as_str().unwrap_or("?").to_string() } else { x[key].to_string() })
        .map(|s| s.trim_matches('"').to_string())
        .collect();
    v.sort();
    v
}

/// Compares the constants pyclens decodes from one interpreter's pyc with what that
/// interpreter loaded; returns how many were compared.
fn compare_consts(name: &str, bad: &mut Vec<String>) -> usize {
    let dir = float_dir();
    let data = std::fs::read(dir.join(format!("{name}.pyc"))).unwrap_or_else(|e| panic!("{name}.pyc: {e}"));
    let want: Value = serde_json::from_str(&read_gz_text(&dir.join(format!("{name}.json.gz")))).expect("consts JSON");
    let want = want.as_array().expect("consts list");
    let pyc = match pyclens::decode(&data) {
        Ok(p) => p,
        Err(e) => {
            bad.push(format!("{name}.pyc: decode failed: {e}"));
            return 0;
        }
    };
    let doc = common::document(&pyc);
    let mut got = Vec::new();
    walk_consts(&doc["code"], "", &mut got);
    if got.len() != want.len() {
        bad.push(format!("{name}: interpreter has {} constants, pyclens {}", want.len(), got.len()));
        return 0;
    }
    for (w, (path, g)) in want.iter().zip(&got) {
        let (wpath, wtype, wrepr, witems) = (&w[0], &w[1], &w[2], &w[3]);
        if wpath != path.as_str() || *wtype != g["type"] {
            bad.push(format!("{name} {path}: interpreter {wpath} {wtype}, pyclens {}", g["type"]));
        } else if wtype == "frozenset" {
            // Iteration order is the loaded set's, so the items compare as a multiset.
            if sorted_reprs(witems, "") != sorted_reprs(&g["items"], "repr") {
                bad.push(format!("{name} {path}: frozenset interpreter {wrepr} pyclens {}", g["repr"]));
            }
        } else if *wrepr != g["repr"] {
            bad.push(format!("{name} {path}: interpreter {wrepr} pyclens {}", g["repr"]));
        }
    }
    got.len()
}

#[test]
fn float_and_complex_repr_match_every_interpreter() {
    let inputs = read_inputs();
    assert!(inputs.floats.len() > 100_000 && inputs.pairs.len() > 1000, "inputs file too small");
    let index: Value = serde_json::from_str(
        &std::fs::read_to_string(float_dir().join("interpreters.json")).expect("interpreters.json"),
    )
    .expect("interpreters.json is JSON");
    let interpreters = index["interpreters"].as_array().expect("interpreters list");
    assert!(interpreters.len() >= 15, "expected CPython 2.7, 3.6-3.15 and more, found {}", interpreters.len());

    let mut outcomes: BTreeMap<String, Outcome> = BTreeMap::new();
    let mut consts_done: BTreeMap<String, usize> = BTreeMap::new();
    let mut bad_consts = Vec::new();
    let mut total_differences = 0;
    println!("interpreter        floats  complex  differences  constants   %.17g: floats complex differences   %.12g: floats complex differences");
    for it in interpreters {
        let label = it["label"].as_str().expect("label");
        let file = it["reprs"].as_str().expect("reprs file");
        let consts = it["consts"].as_str().expect("consts name");
        let o = outcomes.entry(file.to_string()).or_insert_with(|| compare_reprs(&inputs, file));
        let mut line = format!("{label:<18} {:>6}  {:>7}  {:>11}", o.floats, o.complex, o.differences.len());
        total_differences += o.differences.len();
        let n_consts =
            *consts_done.entry(consts.to_string()).or_insert_with(|| compare_consts(consts, &mut bad_consts));
        line += &format!("  {n_consts:>9}");
        for legacy in &LEGACY {
            let legacy_file = it[legacy.key].as_str().unwrap_or_else(|| panic!("{label}: no {} file", legacy.key));
            let l =
                outcomes.entry(legacy_file.to_string()).or_insert_with(|| compare_legacy(&inputs, legacy_file, legacy));
            total_differences += l.differences.len();
            line += &format!("  {:>14} {:>7} {:>11}", l.floats, l.complex, l.differences.len());
        }
        let version = it["version"].as_str().unwrap_or("?").split_whitespace().next().unwrap_or("?");
        println!("{line}   ({version}, {})", it["implementation"].as_str().unwrap_or("?"));
    }
    let mut report = Vec::new();
    for (file, o) in &outcomes {
        for d in o.differences.iter().take(25) {
            report.push(format!("{file}: {d}"));
        }
    }
    report.extend(bad_consts.iter().take(25).cloned());
    assert!(
        total_differences == 0 && bad_consts.is_empty(),
        "{total_differences} repr differences, {} constant differences:\n{}",
        bad_consts.len(),
        report.join("\n")
    );
}
