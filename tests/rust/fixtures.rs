//! Every fixture of every version, decoded by pyclens and compared field by field with what
//! the interpreter that wrote it reported (tests/fixtures/<version>/truth.json.gz).

mod common;

use serde_json::Value;

/// Counts per version, printed so a run shows how much was compared.
#[derive(Default)]
struct Stats {
    files: usize,
    codes: usize,
    fields: usize,
    constants: usize,
}

/// What a failed comparison reports: where, and both sides.
struct Mismatches(Vec<String>);

impl Mismatches {
    fn add(&mut self, path: &str, what: String) {
        self.0.push(format!("{path}: {what}"));
    }
}

#[test]
fn every_fixture_matches_its_interpreter() {
    let mut bad = Mismatches(Vec::new());
    let mut report = Vec::new();
    let dirs = common::version_dirs();
    assert!(
        dirs.len() >= std::env::var("PYCLENS_MIN_VERSIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(11),
        "expected fixtures for 2.7 and 3.6-3.15, found {}",
        dirs.len()
    );
    for dir in &dirs {
        let truth = common::read_gz_json(&dir.path.join("truth.json.gz"));
        let interpreter = truth["interpreter"]["source"].as_str().unwrap_or("?").to_string();
        let files = truth["files"].as_object().expect("truth has files");
        let mut stats = Stats::default();
        for (name, file_truth) in files {
            let path = format!("{}/{name}", dir.name);
            let data = std::fs::read(dir.path.join(name)).unwrap_or_else(|e| panic!("{path}: {e}"));
            let pyc = match pyclens::decode(&data) {
                Ok(p) => p,
                Err(e) => {
                    bad.add(&path, format!("decode failed: {e}"));
                    continue;
                }
            };
            let doc = common::document(&pyc);
            if let Some(diags) = doc["diagnostics"].as_array().filter(|d| !d.is_empty()) {
                bad.add(&path, format!("unexpected diagnostics {diags:?}"));
            }
            compare_header(&file_truth["header"], &doc["header"], &path, &mut stats, &mut bad);
            compare_code(&file_truth["code"], &doc["code"], &path, &mut stats, &mut bad);
            stats.files += 1;
        }
        report.push(format!(
            "{:>5}  {:>4} files  {:>6} code objects  {:>7} fields  {:>7} constants  ({interpreter})",
            dir.name, stats.files, stats.codes, stats.fields, stats.constants
        ));
    }
    println!("fixture comparison against real CPython:\n{}", report.join("\n"));
    if let Ok(path) = std::env::var("PYCLENS_MISMATCHES") {
        std::fs::write(path, bad.0.join("\n")).expect("mismatch file is writable");
    }
    if !bad.0.is_empty() {
        let shown: Vec<&String> = bad.0.iter().take(60).collect();
        panic!(
            "{} mismatches; first ones:\n{}",
            bad.0.len(),
            shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
        );
    }
}

fn compare_header(truth: &Value, doc: &Value, path: &str, stats: &mut Stats, bad: &mut Mismatches) {
    for key in ["magic", "magic_number", "size", "flags", "kind", "mtime", "source_size", "source_hash"] {
        stats.fields += 1;
        if truth[key] != doc[key] {
            bad.add(&format!("{path} header.{key}"), format!("interpreter {} pyclens {}", truth[key], doc[key]));
        }
    }
}

fn compare_code(truth: &Value, doc: &Value, path: &str, stats: &mut Stats, bad: &mut Mismatches) {
    stats.codes += 1;
    let (Some(t), Some(d)) = (truth.as_object(), doc.as_object()) else {
        bad.add(path, format!("not a code object: {doc}"));
        return;
    };
    let name = t.get("co_qualname").or(t.get("co_name")).and_then(Value::as_str).unwrap_or("?");
    let path = format!("{path} {name}");
    for (key, want) in t {
        stats.fields += 1;
        let Some(got) = d.get(key) else {
            bad.add(&path, format!("{key} missing"));
            continue;
        };
        if key == "co_consts" {
            compare_consts(want, got, &format!("{path}.co_consts"), stats, bad);
        } else if key == "positions" {
            let expanded = expand_runs(got);
            if *want != expanded {
                bad.add(&path, format!("positions: interpreter {want} pyclens {expanded}"));
            }
        } else if want != got {
            bad.add(&path, format!("{key}: interpreter {want} pyclens {got}"));
        }
    }
    for key in d.keys().filter(|k| k.starts_with("co_") && !t.contains_key(*k)) {
        bad.add(&path, format!("{key} is not an attribute in this version"));
    }
}

/// `[units, l, el, c, ec]` runs back to one `[l, el, c, ec]` per code unit.
fn expand_runs(runs: &Value) -> Value {
    let mut out = Vec::new();
    for run in runs.as_array().into_iter().flatten() {
        let n = run[0].as_u64().unwrap_or(0);
        let row = Value::Array(run.as_array().map(|r| r[1..].to_vec()).unwrap_or_default());
        out.extend(std::iter::repeat_n(row, n as usize));
    }
    Value::Array(out)
}

fn compare_consts(want: &Value, got: &Value, path: &str, stats: &mut Stats, bad: &mut Mismatches) {
    let (Some(w), Some(g)) = (want.as_array(), got.as_array()) else {
        bad.add(path, format!("interpreter {want} pyclens {got}"));
        return;
    };
    if w.len() != g.len() {
        bad.add(path, format!("{} items, pyclens has {}", w.len(), g.len()));
        return;
    }
    for (i, (w, g)) in w.iter().zip(g).enumerate() {
        compare_const(w, g, &format!("{path}[{i}]"), stats, bad);
    }
}

fn compare_const(want: &Value, got: &Value, path: &str, stats: &mut Stats, bad: &mut Mismatches) {
    stats.constants += 1;
    if want["type"] != got["type"] {
        bad.add(path, format!("type: interpreter {} pyclens {}", want["type"], got["type"]));
        return;
    }
    if want["type"] == "code" {
        if mask_address(&want["repr"]) != mask_address(&got["repr"]) {
            bad.add(path, format!("repr: interpreter {} pyclens {}", want["repr"], got["repr"]));
        }
        compare_code(&want["code"], got, path, stats, bad);
        return;
    }
    if want["type"] == "frozenset" {
        // Iteration order follows the interpreter's hashing (randomised for str), so
        // items compare as a multiset and the repr is not compared as text.
        let key = |v: &Value| -> Vec<String> {
            let mut reprs: Vec<String> =
                v.as_array().map(|a| a.iter().map(|x| x["repr"].to_string()).collect()).unwrap_or_default();
            reprs.sort();
            reprs
        };
        if key(&want["items"]) != key(&got["items"]) {
            bad.add(path, format!("frozenset items: interpreter {} pyclens {}", want["repr"], got["repr"]));
        }
        return;
    }
    if want["repr"] != got["repr"] {
        bad.add(path, format!("repr: interpreter {} pyclens {}", want["repr"], got["repr"]));
    }
    if let Some(items) = want.get("items") {
        match got.get("items") {
            Some(g) if want["type"] == "frozendict" => {
                // Pairs [k, v] of const nodes.
                let flat = |v: &Value| {
                    Value::Array(
                        v.as_array()
                            .into_iter()
                            .flatten()
                            .flat_map(|p| p.as_array().cloned().unwrap_or_default())
                            .collect(),
                    )
                };
                compare_consts(&flat(items), &flat(g), path, stats, bad)
            }
            Some(g) => compare_consts(items, g, path, stats, bad),
            None => bad.add(path, "items missing".into()),
        }
    }
}

fn mask_address(repr: &Value) -> String {
    let s = repr.as_str().unwrap_or("");
    match (s.find(" at 0x"), s.find(", file")) {
        (Some(a), Some(b)) if a < b => format!("{} at 0xADDR{}", &s[..a], &s[b..]),
        _ => s.to_string(),
    }
}
