//! The `pyclens` command as a user runs it: output on success, one line on stderr and
//! status 1 on a bad file, nothing on stdout then.

mod common;

use std::process::{Command, Output};

fn pyclens(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pyclens")).args(args).output().expect("the binary runs")
}

fn fixture(version: &str, name: &str) -> String {
    common::fixtures_dir().join(version).join("snippets").join(name).to_string_lossy().into_owned()
}

#[test]
fn json_prints_the_document_compact_or_pretty() {
    let path = fixture("3.12", "closures.pyc");
    let compact = pyclens(&["json", &path]);
    assert!(compact.status.success());
    let text = String::from_utf8(compact.stdout).unwrap();
    assert_eq!(text.lines().count(), 1);
    let pretty = pyclens(&["json", &path, "--pretty"]);
    let pretty_text = String::from_utf8(pretty.stdout).unwrap();
    assert!(pretty_text.lines().count() > 100);
    let mut a: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut b: serde_json::Value = serde_json::from_str(&pretty_text).unwrap();
    // Pretty rows name their opcode, and say so in `instruction_fields`.
    let fields = |doc: &serde_json::Value| doc["instruction_fields"].as_array().unwrap().len();
    assert_eq!(fields(&b), fields(&a) + 1);
    assert_eq!(b["instruction_fields"][2], "opname");
    assert!(pretty_text.contains("[4, 137, \"LOAD_DEREF\", 1, \"'count'\", \"count\", 13, 1, 0, 0, 1]"));
    common::expand_document(&mut a);
    common::expand_document(&mut b);
    for doc in [&mut a, &mut b] {
        doc.as_object_mut().unwrap().remove("instruction_fields");
    }
    assert_eq!(a, b);
    assert_eq!(a["header"]["python"], "3.12");
}

#[test]
fn info_summarises_for_a_person() {
    let out = pyclens(&["info", &fixture("3.12", "closures.pyc")]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("python:       3.12 (magic 3531, bytes cb0d0d0a)"), "{text}");
    assert!(text.contains("mtime:        2023-11-14 22:13:20 UTC (1700000000)"), "{text}");
    assert!(text.contains("code objects:"), "{text}");
    let hashed = pyclens(&["info", &fixture("3.12", "hash_target.checked-hash.pyc")]);
    assert!(String::from_utf8(hashed.stdout).unwrap().contains("hash-based, checked"));
}

#[test]
fn bad_files_give_one_line_and_status_1() {
    let dir = std::env::temp_dir().join(format!("pyclens-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cut = dir.join("cut.pyc");
    let data = std::fs::read(fixture("3.11", "closures.pyc")).unwrap();
    std::fs::write(&cut, &data[..data.len() / 2]).unwrap();
    let cut = cut.to_string_lossy().into_owned();
    for args in [vec!["json", cut.as_str()], vec!["info", cut.as_str()]] {
        let out = pyclens(&args);
        assert_eq!(out.status.code(), Some(1));
        assert!(out.stdout.is_empty());
        let err = String::from_utf8(out.stderr).unwrap();
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with(&format!("pyclens: {cut}: file ends inside")), "{err}");
        assert!(err.trim_end().ends_with(&format!("at byte {}", data.len() / 2)), "{err}");
    }
    let missing = pyclens(&["info", "/nonexistent.pyc"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(missing.stdout.is_empty());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn versions_lists_every_version_with_its_evidence() {
    let out = pyclens(&["versions"]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for (implementation, version, _) in pyclens::pyc::support::support() {
        let line = format!("{:<8} {:<5} ", implementation.name(), version.to_string());
        assert!(text.contains(&line), "{line:?} missing from:\n{text}");
    }
    // GraalPy 3.10-3.12 are decoded; only its 3.8 magics stay named.
    assert!(!text.contains("GraalPy (Python 3.10): recognised"), "{text}");
    assert!(text.contains("GraalPy (Python 3.8): recognised, not decoded"), "{text}");
}

/// `dis --stack` shows each instruction's depth and stack effect (with the jump's where it
/// differs), and its header the file's co_stacksize beside the computed maximum.
#[test]
fn dis_stack_prints_a_depth_column() {
    let out = pyclens(&["dis", "--stack", &fixture("3.12", "statements.pyc")]);
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("Disassembly of <module>: co_stacksize 6, max stack depth 6\n"), "{text}");
    assert!(text.lines().nth(2).unwrap().trim_start().starts_with("0       0       0  RESUME"), "{text}");
    // 3.10's FOR_ITER pushes the next item, or (jump=True) pops the exhausted iterator.
    let out = pyclens(&["dis", "--stack", &fixture("3.10", "comprehensions.pyc")]);
    let text = String::from_utf8(out.stdout).unwrap();
    let for_iter = text.lines().find(|l| l.contains(" FOR_ITER ")).unwrap();
    assert_eq!(for_iter.split_whitespace().nth(1), Some("+1/-1"), "{text}");
}

/// `cfg` writes DOT that Graphviz renders as is (skipped where `dot` is not installed:
/// CI machines have only Rust and Node) and JSON with the same blocks.
#[test]
fn cfg_renders_with_graphviz() {
    let file = fixture("3.12", "statements.pyc");
    let json = pyclens(&["cfg", &file, "--format", "json"]);
    assert!(json.status.success());
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(v["codes"].as_array().unwrap().len() > 1);
    let one = pyclens(&["cfg", &file, "--code", "<module>", "--format", "json"]);
    let v: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(v["codes"].as_array().unwrap().len(), 1);
    let dot = pyclens(&["cfg", &file]);
    assert!(dot.status.success());
    let Ok(mut child) = Command::new("dot")
        .arg("-Tsvg")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
    else {
        println!("skipped: Graphviz `dot` is not installed (apt-get install graphviz to run this check)");
        return;
    };
    use std::io::Write as _;
    child.stdin.take().unwrap().write_all(&dot.stdout).unwrap();
    let rendered = child.wait_with_output().unwrap();
    assert!(rendered.status.success(), "{}", String::from_utf8_lossy(&rendered.stderr));
    assert!(String::from_utf8_lossy(&rendered.stdout).contains("<svg"));
}
