//! Files whose header cannot be taken at its word, made from every fixture of CPython 2.7 and
//! 3.6–3.15: with the header cut off (marshal data as PyInstaller archives hold it), the
//! inferred versions must include the one that wrote it, and reading it as that version
//! must give the original's code tree; with a neighbouring version's magic stamped on it
//! (a header an extractor rewrote), it must be refused with the real version named — unless
//! the code is valid bytecode of both versions, which is counted.

mod common;

use pyclens::pyc::reading::Reading;
use pyclens::pyc::version::{Implementation, Magic};
use pyclens::{open, ErrorKind, PyVersion, Python};
use serde_json::Value;
use std::collections::BTreeMap;

fn cpython(version: PyVersion) -> Python {
    Python { implementation: Implementation::CPython, version }
}

/// The fixture folders of CPython versions, with their version.
fn cpython_dirs() -> Vec<(PyVersion, common::VersionDir)> {
    common::version_dirs()
        .into_iter()
        .filter_map(|d| {
            let (a, b) = d.name.split_once('.')?;
            Some((PyVersion::new(a.parse().ok()?, b.parse().ok()?), d))
        })
        .collect()
}

fn pycs_of(dir: &common::VersionDir) -> Vec<std::path::PathBuf> {
    common::all_pycs().into_iter().filter(|p| p.starts_with(&dir.path)).collect()
}

/// The code tree of a document without what depends on where it sits in the file: spans
/// and the file offsets that stand in for addresses in code objects' reprs.
fn code_tree(json: &str) -> Value {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(map) => {
                for key in ["span", "field_offsets", "bytecode_at"] {
                    map.remove(key);
                }
                // A back-reference's target is the span of the object it names.
                map.remove("target");
                map.values_mut().for_each(strip);
            }
            Value::Array(items) => items.iter_mut().for_each(strip),
            Value::String(s) => {
                if let Some(at) = s.find(" at 0x") {
                    let end = s[at + 6..].find(|c: char| !c.is_ascii_hexdigit()).map_or(s.len(), |e| at + 6 + e);
                    s.replace_range(at..end, " at ?");
                }
            }
            _ => {}
        }
    }
    let mut doc: Value = serde_json::from_str(json).expect("documents are JSON");
    let mut code = doc["code"].take();
    strip(&mut code);
    code
}

/// Where two documents first differ (a JSON path and both values), if they do.
fn first_difference(a: &Value, b: &Value) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: std::collections::BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                let (p, q) = (x.get(k).unwrap_or(&Value::Null), y.get(k).unwrap_or(&Value::Null));
                first_difference(p, q).map(|d| format!(".{k}{d}"))
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            x.iter().zip(y).enumerate().find_map(|(i, (p, q))| first_difference(p, q).map(|d| format!("[{i}]{d}")))
        }
        _ if a == b => None,
        _ => Some(format!(": {a} != {b}")),
    }
}

#[test]
fn headerless_fixtures_are_inferred_and_read_as_the_original() {
    let mut counts: BTreeMap<PyVersion, (usize, usize)> = BTreeMap::new();
    for (version, dir) in cpython_dirs() {
        for path in pycs_of(&dir) {
            let data = std::fs::read(&path).unwrap();
            let original = open(&data, "", None).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let body = &data[original.header.size..];
            let inferred = open(body, "", None).unwrap_or_else(|e| panic!("{} headerless: {e}", path.display()));
            let Reading::Inferred { tried } = &inferred.reading else { panic!("{}: not inferred", path.display()) };
            let fits: Vec<PyVersion> = tried.iter().filter(|(_, m)| m.is_none()).map(|(v, _)| *v).collect();
            assert!(fits.contains(&version), "{} headerless: fits {fits:?}, not {version}", path.display());
            let given = open(body, "", Some(cpython(version))).unwrap();
            if let Some(at) = first_difference(&code_tree(&given.to_json()), &code_tree(&original.to_json())) {
                panic!("{} headerless, read as {version}: differs at {at}", path.display());
            }
            let c = counts.entry(version).or_default();
            c.0 += 1;
            c.1 += usize::from(inferred.version() == version);
        }
    }
    for (version, (files, first)) in &counts {
        println!(
            "headerless {version}: {files} files, version among the fits in all, read as {version} first in {first}"
        );
    }
    assert!(counts.len() >= 11, "fixtures of 2.7 and 3.6–3.15 are all present");
}

#[test]
fn a_neighbouring_versions_magic_is_refused_naming_the_real_one() {
    let dirs = cpython_dirs();
    let versions: Vec<PyVersion> = dirs.iter().map(|(v, _)| *v).collect();
    let mut counts: BTreeMap<(PyVersion, PyVersion), (usize, usize)> = BTreeMap::new();
    for (i, (version, dir)) in dirs.iter().enumerate() {
        let neighbours = [i.checked_sub(1), Some(i + 1)].into_iter().flatten().filter_map(|j| versions.get(j));
        for &stamp in neighbours {
            let magic = Magic::of(stamp, Implementation::CPython).unwrap();
            for path in pycs_of(dir) {
                let mut data = std::fs::read(&path).unwrap();
                data[..4].copy_from_slice(&magic.bytes);
                let c = counts.entry((*version, stamp)).or_default();
                match open(&data, "", None) {
                    Err(e) if e.kind == ErrorKind::WrongVersion => {
                        assert!(
                            e.message.contains(&format!("read as Python {version}"))
                                || e.message.contains(&format!(" or {version}")),
                            "{} stamped {stamp}: {}",
                            path.display(),
                            e.message
                        );
                        c.0 += 1;
                    }
                    // The stamped version can read it only if the code is valid bytecode of
                    // that version too (an empty module, say): then nothing says otherwise.
                    Ok(pyc) => {
                        assert_eq!(pyc.version(), stamp);
                        assert_eq!(pyclens::bytecode::fit::misfit(&pyc), None, "{} stamped {stamp}", path.display());
                        c.1 += 1;
                    }
                    Err(e) => panic!("{} stamped {stamp}: {e}", path.display()),
                }
            }
        }
    }
    for ((version, stamp), (refused, valid)) in &counts {
        println!("{version} files with {stamp}'s magic: {refused} refused naming {version}, {valid} valid {stamp} bytecode too");
    }
}
