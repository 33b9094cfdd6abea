//! Every public Dropbox Python 2.5 pyc (xdis 6.3.0's test/bytecode_2.5dropbox, fetched into
//! target/corpus/ by scripts/fetch-corpus.mjs) decrypted and decoded, against xdis's own
//! decryption of the same file (tests/fixtures/dropbox/xdis.json.gz, made by
//! tests/fixtures/generate/dropbox_truth.py).
//!
//! For every code object in pre-order: the fields xdis records, every constant's type and
//! CPython 2.5 repr, the instruction stream as (offset, opname, arg), and the stack depth
//! pyclens simulates over the renumbered instructions against the co_stacksize Dropbox's
//! compiler wrote (a second check of the opcode table that owes nothing to xdis: a wrongly
//! renumbered opcode moves the stack differently). For the module, `pyclens dis` against
//! the text CPython 2.5's `dis` prints for xdis's fields (the generator restates its loop).

mod common;

use common::{read_gz_json, xdis_field, xdis_instruction, XDIS_FIELDS};
use pyclens::output::dis_text::{dis_text, DisOptions};
use pyclens::PyVersion;
use serde_json::Value;
use std::path::Path;

/// ` at 0x…` inside code-object reprs: pyclens shows a file offset, CPython an address.
fn mask(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find(" at 0x") {
        out.push_str(&rest[..i]);
        out.push_str(" at 0xADDR");
        rest = &rest[i + " at 0x".len()..];
        rest = rest.trim_start_matches(|c: char| c.is_ascii_hexdigit() || c == 'A' || c == 'D' || c == 'R');
    }
    out.push_str(rest);
    out
}

/// The document's code objects in pre-order.
fn codes<'v>(node: &'v Value, out: &mut Vec<&'v Value>) {
    if node["type"] == "code" {
        out.push(node);
        for c in node["co_consts"].as_array().into_iter().flatten() {
            codes(c, out);
        }
    }
}

#[derive(Default, Debug)]
struct Counts {
    files: usize,
    codes: usize,
    fields: usize,
    consts: usize,
    instructions: usize,
    stack_depths: usize,
    dis_lines: usize,
}

#[test]
fn dropbox_pycs_match_xdis() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/corpus");
    let truth = read_gz_json(&common::fixtures_dir().join("dropbox/xdis.json.gz"));
    let files = truth["files"].as_array().unwrap();
    assert!(!files.is_empty(), "no Dropbox pyc in the truth file");
    let mut counts = Counts::default();
    let mut failures = Vec::new();
    for row in files {
        let path = row["path"].as_str().unwrap();
        let data = std::fs::read(root.join(path))
            .unwrap_or_else(|e| panic!("{path}: {e} (run `node scripts/fetch-corpus.mjs`)"));
        assert_eq!(data.len() as u64, row["size"].as_u64().unwrap(), "{path}: not the file the truth describes");
        assert!(pyclens::pyc::dropbox::is_encrypted(&data), "{path}: not a Dropbox 2.5 pyc");
        let mut diffs = Vec::new();
        pyclens::open_with(&data, path, None, |pyc| {
            let pyc = pyc.unwrap_or_else(|e| panic!("{path}: {e}"));
            counts.files += 1;
            let decrypted = pyc.header.decrypted.expect("the header records the decryption");
            assert_eq!((decrypted.encrypted_size, pyc.version()), (data.len(), PyVersion::new(2, 5)));
            let doc = common::document(&pyc);
            assert_eq!(doc["header"]["decrypted"]["writer"], "Dropbox's Python 2.5");
            assert_eq!(doc["header"]["python"], row["version"]);
            let mut ours = Vec::new();
            codes(&doc["code"], &mut ours);
            let theirs = row["code"].as_array().unwrap();
            assert_eq!((ours.len(), decrypted.code_objects), (theirs.len(), theirs.len()), "{path}: code objects");
            for (index, (ours, theirs)) in ours.iter().zip(theirs).enumerate() {
                counts.codes += 1;
                let name = &theirs["co_name"];
                for field in &XDIS_FIELDS {
                    counts.fields += 1;
                    let want = &theirs[xdis_field(field, PyVersion::new(2, 5))];
                    if &ours[field] != want {
                        diffs.push(format!("code {index} {name}: {field} {} vs xdis {want}", ours[field]));
                    }
                }
                let consts = ours["co_consts"].as_array().unwrap();
                let want = theirs["co_consts"].as_array().unwrap();
                if consts.len() != want.len() {
                    diffs.push(format!("code {index} {name}: {} constants vs xdis {}", consts.len(), want.len()));
                }
                for (k, (c, w)) in consts.iter().zip(want).enumerate() {
                    counts.consts += 1;
                    let got = Value::from(vec![c["type"].clone(), Value::from(mask(c["repr"].as_str().unwrap()))]);
                    if &got != w {
                        diffs.push(format!("code {index} {name}: constant {k} {got} vs xdis {w}"));
                    }
                }
                let instructions: Vec<Value> =
                    ours["instructions"].as_array().unwrap().iter().map(xdis_instruction).collect();
                let want = theirs["instructions"].as_array().unwrap();
                counts.instructions += want.len();
                if &instructions != want {
                    let i = instructions.iter().zip(want).position(|(a, b)| a != b).unwrap_or(want.len());
                    diffs.push(format!(
                        "code {index} {name}: instruction {i} {:?} vs xdis {:?}",
                        instructions.get(i),
                        want.get(i)
                    ));
                }
                counts.stack_depths += 1;
                if ours["max_stack_depth"] != ours["co_stacksize"] {
                    diffs.push(format!(
                        "code {index} {name}: simulated stack depth {} vs co_stacksize {}",
                        ours["max_stack_depth"], ours["co_stacksize"]
                    ));
                }
            }
            let listing = mask(&dis_text(&pyc, DisOptions::default()).unwrap());
            let want = row["dis"].as_str().unwrap();
            counts.dis_lines += want.lines().count();
            if listing != want {
                let (a, b) = listing.lines().zip(want.lines()).find(|(a, b)| a != b).unwrap_or(("", ""));
                diffs.push(format!("module listing differs from CPython 2.5's dis: {a:?} vs {b:?}"));
            }
        });
        if !diffs.is_empty() {
            failures.push(format!("{path}: {}", diffs.join("; ")));
        }
    }
    println!("Dropbox 2.5: {counts:?}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The same file through the reader that does not decrypt is named, not misread.
#[test]
fn decode_without_decryption_names_the_writer() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/corpus/xdis-6.3.0/test/bytecode_2.5dropbox/codeop.pyc");
    let data = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let e = pyclens::decode(&data).err().unwrap();
    assert_eq!((e.kind, e.offset), (pyclens::ErrorKind::ForeignImplementation, 4));
    assert!(e.message.starts_with("Dropbox's Python 2.5 pyc (magic bytes b7f20d0a)"), "{}", e.message);
}
