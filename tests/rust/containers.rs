//! Pycs inside containers: every member of each committed container (PyInstaller executables
//! built by real PyInstaller, PyZipFile zips) listed, decoded and compared with what the
//! interpreter that made it reads in it (tests/fixtures/containers/*.truth.json.gz); zip bombs,
//! lying sizes and truncated archives refused with messages naming the member and the limit.

mod common;

use pyclens::container::{self, Limits, MemberKind, Role};
use serde_json::Value;
use std::io::{Read, Write};
use std::path::PathBuf;

fn containers_dir() -> PathBuf {
    common::fixtures_dir().join("containers")
}

/// The container a truth file describes: `X.truth.json.gz` beside `X.zip` or `X.gz` (gzipped).
fn container_bytes(stem: &str) -> Vec<u8> {
    let dir = containers_dir();
    let zip = dir.join(format!("{stem}.zip"));
    if zip.exists() {
        return std::fs::read(zip).unwrap();
    }
    let mut out = Vec::new();
    flate2::read::GzDecoder::new(std::fs::File::open(dir.join(format!("{stem}.gz"))).unwrap())
        .read_to_end(&mut out)
        .unwrap();
    out
}

/// Every truth file's stem, sorted.
fn stems() -> Vec<String> {
    let mut out: Vec<String> = std::fs::read_dir(containers_dir())
        .unwrap()
        .filter_map(|e| Some(e.ok()?.file_name().to_str()?.strip_suffix(".truth.json.gz")?.to_string()))
        .collect();
    out.sort();
    out
}

/// The code objects of a document in pre-order: the module, then each constant in order.
fn code_nodes(node: &Value, out: &mut Vec<Value>) {
    if node["type"] == "code" && node.get("co_name").is_some() {
        out.push(node.clone());
        for c in node["co_consts"].as_array().into_iter().flatten() {
            code_nodes(c, out);
        }
    } else if let Some(items) = node["items"].as_array() {
        for c in items {
            code_nodes(c, out);
        }
    }
}

#[test]
fn every_member_matches_the_interpreter_that_made_it() {
    let stems = stems();
    assert!(stems.iter().filter(|s| s.starts_with("pyinstaller-")).count() >= 2, "{stems:?}");
    assert!(stems.iter().any(|s| s.starts_with("pyzipfile-")), "{stems:?}");
    let mut report = Vec::new();
    let mut bad = Vec::new();
    for stem in &stems {
        let truth = common::read_gz_json(&containers_dir().join(format!("{stem}.truth.json.gz")));
        let data = container_bytes(stem);
        let read = container::open(&data, Limits::default()).unwrap_or_else(|e| panic!("{stem}: {e}")).expect(stem);
        let want: Vec<&str> =
            truth["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
        let got: Vec<&str> = read.members.iter().map(|m| m.name.as_str()).collect();
        assert_eq!(got, want, "{stem}: the listing");
        let (mut decoded, mut codes, mut instructions) = (0, 0, 0);
        for (member, t) in read.members.iter().zip(truth["members"].as_array().unwrap()) {
            let path = format!("{stem}::{}", member.name);
            match (t["kind"].as_str().unwrap(), member.kind) {
                ("other", MemberKind::Other) => continue,
                ("pyc", MemberKind::Pyc) | ("code", MemberKind::Code { .. }) => {}
                (want, got) => {
                    bad.push(format!("{path}: kind {got:?}, the truth says {want}"));
                    continue;
                }
            }
            let pyc = match member.decode(None) {
                Ok(p) => p,
                Err(e) => {
                    bad.push(format!("{path}: {e}"));
                    continue;
                }
            };
            if pyc.version().to_string() != t["version"].as_str().unwrap() {
                bad.push(format!("{path}: read as {}, made by {}", pyc.version(), t["version"]));
            }
            let doc = common::document(&pyc);
            let mut nodes = Vec::new();
            code_nodes(&doc["code"], &mut nodes);
            let want_codes = t["code"].as_array().unwrap();
            if nodes.len() != want_codes.len() {
                bad.push(format!("{path}: {} code objects, the truth has {}", nodes.len(), want_codes.len()));
                continue;
            }
            for (node, w) in nodes.iter().zip(want_codes) {
                let opnames: Vec<&Value> =
                    node["instructions"].as_array().unwrap().iter().map(|i| &i["opname"]).collect();
                let want_ops: Vec<&Value> = w["opnames"].as_array().unwrap().iter().collect();
                for (field, got, want) in [
                    ("co_name", node["co_name"].clone(), w["name"].clone()),
                    ("co_names", node["co_names"].clone(), w["names"].clone()),
                ] {
                    if got != want {
                        bad.push(format!("{path}: {field} {got}, the truth says {want}"));
                    }
                }
                if opnames != want_ops {
                    bad.push(format!("{path}: {}: opnames differ", w["name"]));
                }
                instructions += want_ops.len();
            }
            codes += nodes.len();
            decoded += 1;
        }
        report.push(format!(
            "{stem:>16}  {} {:>4} members  {:>4} decoded  {:>5} code objects  {:>6} instructions  ({})",
            read.format.name(),
            read.members.len(),
            decoded,
            codes,
            instructions,
            truth["interpreter"].as_str().unwrap()
        ));
    }
    println!("containers against the interpreters that made them:\n{}", report.join("\n"));
    assert!(
        bad.is_empty(),
        "{} mismatches:\n{}",
        bad.len(),
        bad.iter().take(40).cloned().collect::<Vec<_>>().join("\n")
    );
}

#[test]
fn every_member_says_its_role_and_version_before_it_is_decoded() {
    for stem in stems() {
        let truth = common::read_gz_json(&containers_dir().join(format!("{stem}.truth.json.gz")));
        let read = container::open(&container_bytes(&stem), Limits::default()).unwrap().unwrap();
        for (member, t) in read.members.iter().zip(truth["members"].as_array().unwrap()) {
            let path = format!("{stem}::{}", member.name);
            let role = match (t["kind"].as_str().unwrap(), t["typecode"].as_str()) {
                ("pyc", _) => Role::ZipEntry,
                // A member of a zip inside a PyInstaller archive (a `Z` entry).
                _ if t["zip"] == true => Role::ZipEntry,
                (_, Some("s")) => Role::Script,
                (_, Some("m" | "M")) => Role::Module,
                (_, Some("z")) => Role::Pyz,
                ("code", None) => Role::PyzModule,
                _ => Role::File,
            };
            assert_eq!(member.role, role, "{path}");
            let python = member.python().map(|p| p.to_string());
            assert_eq!(python.as_deref(), t["version"].as_str(), "{path}");
            assert_eq!(read.member(&member.name).map(|m| m.offset), Some(member.offset), "{path}");
            match member.readable() {
                Ok((data, given)) => {
                    assert_eq!(data, member.data.as_slice(), "{path}");
                    let stated = if member.kind == MemberKind::Pyc { None } else { member.python() };
                    assert_eq!(given, stated, "{path}");
                }
                Err(e) => {
                    assert_eq!(member.kind, MemberKind::Other, "{path}: {e}");
                    assert!(e.message.contains("is not Python bytecode"), "{path}: {e}");
                }
            }
        }
        assert!(read.member("no such member").is_none());
    }
}

#[test]
fn a_bare_pyz_lists_the_modules_of_the_one_inside_the_executable() {
    let exe = container_bytes("pyinstaller-3.12");
    let read = container::open(&exe, Limits::default()).unwrap().unwrap();
    let pyz = read.members.iter().find(|m| m.name.ends_with(".pyz")).unwrap();
    let bare = &exe[pyz.offset..pyz.offset + pyz.size as usize];
    let modules = container::open(bare, Limits::default()).unwrap().unwrap();
    let inside: Vec<String> =
        read.members.iter().filter_map(|m| m.name.strip_prefix(&format!("{}/", pyz.name))).map(String::from).collect();
    let names: Vec<String> = modules.members.iter().map(|m| m.name.clone()).collect();
    assert!(names.len() > 50);
    assert_eq!(names, inside);
    for (a, b) in
        modules.members.iter().zip(read.members.iter().filter(|m| m.name.starts_with(&pyz.name) && m.name != pyz.name))
    {
        assert_eq!(a.data, b.data, "{}", a.name);
    }
}

/// PyInstaller 3.x's and 5.x's encrypted PYZs (tests/fixtures/generate/pyinstaller_old.sh): read
/// with the key bundled in the executable; without it, named as probably encrypted. The `Z` entry's egg
/// is listed above with its members. Both cases are cut from the real executable.
#[test]
fn an_encrypted_pyz_needs_the_key_bundled_beside_it() {
    // PyInstaller 3.x's CFB-8 and 5.x's CTR alike.
    for stem in ["pyinstaller3-key-3.7", "pyinstaller5-key-3.11"] {
        let read = container::open(&container_bytes(stem), Limits::default()).unwrap().unwrap();
        assert!(read.member("PYZ-00.pyz/json.decoder").unwrap().decode(None).is_ok(), "{stem}");
    }
    let exe = container_bytes("pyinstaller5-key-3.11");
    let read = container::open(&exe, Limits::default()).unwrap().unwrap();
    // The key module renamed in the CArchive's table of contents (one byte): no key.
    let at = exe.windows(19).rposition(|w| w == b"pyimod00_crypto_key").unwrap();
    let mut keyless = exe.clone();
    keyless[at + 18] = b'z';
    let e = container::open(&keyless, Limits::default()).unwrap_err();
    assert!(e.message.contains("encrypted?") && e.message.contains("pyimod00_crypto_key"), "{e}");
    // The PYZ on its own: its key is in the executable, not in it.
    let pyz = read.member("PYZ-00.pyz").unwrap();
    let bare = &exe[pyz.offset..pyz.offset + pyz.size as usize];
    let e = container::open(bare, Limits::default()).unwrap_err();
    assert!(e.message.contains("encrypted?"), "{e}");
}

/// A zip of `(name, stored bytes, method, claimed size, crc)` entries, written by hand so a
/// test can make it lie.
fn zip_of(entries: &[(&str, Vec<u8>, u16, u32, u32)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data, method, size, crc) in entries {
        let offset = out.len() as u32;
        let fields = |sig: &[u8], central: bool| {
            let mut h = sig.to_vec();
            if central {
                h.extend_from_slice(&20u16.to_le_bytes());
            }
            h.extend_from_slice(&20u16.to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h.extend_from_slice(&method.to_le_bytes());
            h.extend_from_slice(&[0; 4]);
            h.extend_from_slice(&crc.to_le_bytes());
            h.extend_from_slice(&(data.len() as u32).to_le_bytes());
            h.extend_from_slice(&size.to_le_bytes());
            h.extend_from_slice(&(name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            if central {
                h.extend_from_slice(&[0; 6]);
                h.extend_from_slice(&0u32.to_le_bytes());
                h.extend_from_slice(&offset.to_le_bytes());
            }
            h.extend_from_slice(name.as_bytes());
            h
        };
        out.extend(fields(b"PK\x03\x04", false));
        out.extend_from_slice(data);
        central.extend(fields(b"PK\x01\x02", true));
    }
    let start = out.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(b"PK\x05\x06\0\0\0\0");
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    out.extend_from_slice(&(central.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

fn deflated(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

fn crc(data: &[u8]) -> u32 {
    let mut c = flate2::Crc::new();
    c.update(data);
    c.sum()
}

fn refused(data: &[u8], limits: Limits) -> String {
    match container::open(data, limits) {
        Err(e) => e.to_string(),
        Ok(c) => panic!("accepted: {:?}", c.map(|c| c.members.iter().map(|m| m.name.clone()).collect::<Vec<_>>())),
    }
}

#[test]
fn a_zip_bomb_is_refused_before_it_is_inflated() {
    // 64 MiB of zeros deflate to about 64 KB: 1030:1, past the 1000:1 limit, stated honestly.
    let zeros = vec![0u8; 64 << 20];
    let packed = deflated(&zeros);
    let bomb = zip_of(&[("bomb/__init__.pyc", packed.clone(), 8, zeros.len() as u32, crc(&zeros))]);
    let message = refused(&bomb, Limits::default());
    assert!(message.contains("bomb/__init__.pyc") && message.contains("1000:1"), "{message}");
    // The same stream with a modest claim: stopped while inflating, at the limit.
    let liar = zip_of(&[("liar.pyc", packed, 8, 1000, crc(&zeros))]);
    let message = refused(&liar, Limits::default());
    assert!(message.contains("liar.pyc"), "{message}");
}

#[test]
fn the_limits_on_entries_and_total_size_name_themselves() {
    let body = vec![7u8; 5000];
    let entry = |name| (name, body.clone(), 0u16, body.len() as u32, crc(&body));
    let zip = zip_of(&[entry("a.pyc"), entry("b.pyc"), entry("c.pyc")]);
    assert_eq!(container::open(&zip, Limits::default()).unwrap().unwrap().members.len(), 3);
    let message = refused(&zip, Limits { entries: 2, ..Limits::default() });
    assert!(message.contains("more than 2 members"), "{message}");
    let message = refused(&zip, Limits { total: 12_000, ..Limits::default() });
    assert!(message.contains("c.pyc") && message.contains("12000 bytes limit"), "{message}");
    // Stored entries are 1:1, within even the strictest ratio.
    assert!(container::open(&zip, Limits { ratio: 1, ..Limits::default() }).is_ok());
}

#[test]
fn a_truncated_archive_is_refused_with_a_clear_message() {
    let zip = container_bytes("pyzipfile-3.12");
    let message = refused(&zip[..zip.len() - 30], Limits::default());
    assert!(message.contains("not a readable zip (truncated or damaged"), "{message}");
    let exe = container_bytes("pyinstaller-3.12");
    let tail = &exe[exe.len() - 20_000..];
    let message = refused(tail, Limits::default());
    assert!(message.contains("the PyInstaller archive claims"), "{message}");
    // The cookie says where the table of contents is; cut it short.
    let cookie = container::pyinstaller::find_cookie(&exe).unwrap();
    let mut short = exe.clone();
    let toc_length = u32::from_be_bytes(short[cookie + 16..cookie + 20].try_into().unwrap());
    short[cookie + 16..cookie + 20].copy_from_slice(&(toc_length + 1_000_000).to_be_bytes());
    let message = refused(&short, Limits::default());
    assert!(message.contains("table of contents claims"), "{message}");
    // Cut at the end, as a download stopped short: the cookie is gone, and the executable is
    // refused as one, not read as a pyc with a strange magic.
    let cut = &exe[..exe.len() / 2];
    assert!(container::looks_like(cut));
    let message = refused(cut, Limits::default());
    assert!(message.contains("an ELF executable with no PyInstaller archive (cut short"), "{message}");
}

fn pyclens(args: &[&str]) -> (Option<i32>, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pyclens")).args(args).output().expect("the binary runs");
    (out.status.code(), String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

/// A scratch folder with a pycache, a nested pyc, a zip, a PyInstaller executable and a file
/// a walk skips; `bad` adds a truncated pyc.
fn scratch(name: &str, bad: bool) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pyclens-containers-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let pyc = std::fs::read(common::fixtures_dir().join("3.12/snippets/closures.pyc")).unwrap();
    std::fs::create_dir_all(dir.join("pkg/__pycache__")).unwrap();
    std::fs::create_dir_all(dir.join("b")).unwrap();
    std::fs::write(dir.join("pkg/__pycache__/closures.cpython-312.pyc"), &pyc).unwrap();
    std::fs::write(
        dir.join("b/old.pyc"),
        std::fs::read(common::fixtures_dir().join("2.7/snippets/closures27.pyc")).unwrap(),
    )
    .unwrap();
    std::fs::write(dir.join("a.zip"), container_bytes("pyzipfile-3.12")).unwrap();
    std::fs::write(dir.join("b/app"), container_bytes("pyinstaller-3.11")).unwrap();
    std::fs::write(dir.join("notes.txt"), "not walked").unwrap();
    if bad {
        std::fs::write(dir.join("b/cut.pyc"), &pyc[..pyc.len() / 2]).unwrap();
    }
    dir
}

#[test]
fn info_on_a_directory_gives_one_line_per_file_in_order() {
    let dir = scratch("dir", true);
    let d = dir.to_string_lossy().into_owned();
    let (status, out, _) = pyclens(&["info", &d]);
    assert_eq!(status, Some(1), "a truncated pyc fails the run:\n{out}");
    let zip = container::open(&container_bytes("pyzipfile-3.12"), Limits::default()).unwrap().unwrap();
    let mut want: Vec<String> = zip.members.iter().map(|m| format!("{d}/a.zip::{}", m.name)).collect();
    // The executable has no walked extension; named on its own it is expanded (below).
    want.extend([
        format!("{d}/b/cut.pyc"),
        format!("{d}/b/old.pyc"),
        format!("{d}/pkg/__pycache__/closures.cpython-312.pyc"),
    ]);
    let labels: Vec<&str> = out.lines().map(|l| l.split(": ").next().unwrap()).collect();
    assert_eq!(labels, want, "{out}");
    assert!(out.contains("/b/cut.pyc: error: ") && out.contains(" at byte "), "{out}");
    assert!(out.contains("/b/old.pyc: CPython 2.7, header timestamp (before PEP 552), "), "{out}");
    std::fs::remove_file(dir.join("b/cut.pyc")).unwrap();
    let app = dir.join("b/app").to_string_lossy().into_owned();
    let (status, out, err) = pyclens(&["info", &d, &app]);
    assert_eq!(status, Some(0), "{err}");
    let exe = container::open(&container_bytes("pyinstaller-3.11"), Limits::default()).unwrap().unwrap();
    assert_eq!(out.lines().count(), want.len() - 1 + exe.members.len(), "{out}");
    assert!(out.contains(&format!("{app}::PYZ-00.pyz/json: CPython 3.11 (as the archive says), header none")), "{out}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn info_format_json_is_one_object_per_line() {
    let dir = scratch("json", true);
    let d = dir.to_string_lossy().into_owned();
    let (status, out, _) = pyclens(&["info", "--format", "json", &d]);
    assert_eq!(status, Some(1));
    for line in out.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        let path = v["path"].as_str().unwrap();
        if path.ends_with("cut.pyc") {
            assert!(v["error"].as_str().unwrap().contains(" at byte "), "{line}");
            continue;
        }
        let (file, member) = path.split_once("::").map_or((path, None), |(f, m)| (f, Some(m)));
        let data = std::fs::read(file).unwrap();
        let codes = match member {
            None => pyclens::decode(&data).unwrap().code_objects().len(),
            Some(m) => {
                let c = container::open(&data, Limits::default()).unwrap().unwrap();
                c.members.iter().find(|x| x.name == m).unwrap().decode(None).unwrap().code_objects().len()
            }
        };
        assert_eq!(v["code_objects"], codes, "{line}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn member_picks_one_for_dis_json_and_info() {
    let dir = scratch("member", false);
    let app = dir.join("b/app").to_string_lossy().into_owned();
    let exe = container::open(&container_bytes("pyinstaller-3.11"), Limits::default()).unwrap().unwrap();
    for name in ["app", "PYZ-00.pyz/json.decoder"] {
        let member = exe.members.iter().find(|m| m.name == name).unwrap();
        let pyc = member.decode(None).unwrap();
        let (status, out, err) = pyclens(&["dis", "--member", name, &app]);
        assert_eq!(status, Some(0), "{err}");
        let want = pyclens::output::dis_text::dis_text(&pyc, Default::default()).unwrap();
        assert_eq!(out, want);
        let (_, out, _) = pyclens(&["json", &app, "--member", name]);
        assert_eq!(out.trim_end(), pyc.to_json());
        let (_, out, _) = pyclens(&["info", &app, "--member", name]);
        assert!(out.starts_with("python:       3.11 (magic ") && out.contains("header:       0 bytes, none"), "{out}");
        assert!(out.contains("reading:      as 3.11, chosen with the archive\n"), "{out}");
    }
    let zip = dir.join("a.zip").to_string_lossy().into_owned();
    let (status, out, _) = pyclens(&["info", "--member", "tinypkg/shapes.pyc", &zip]);
    assert_eq!(status, Some(0));
    assert!(out.contains("defines:      area, Square, Square.__init__, Square.area"), "{out}");
    let (status, out, err) = pyclens(&["dis", "--member", "nope.pyc", &zip]);
    assert_eq!((status, out.as_str()), (Some(1), ""));
    assert!(err.contains("no member named nope.pyc"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_truncated_archive_named_alone_fails_with_its_own_message() {
    let dir = std::env::temp_dir().join(format!("pyclens-containers-cut-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let zip = container_bytes("pyzipfile-3.12");
    let cut = dir.join("cut.zip");
    std::fs::write(&cut, &zip[..zip.len() - 30]).unwrap();
    let cut = cut.to_string_lossy().into_owned();
    let (status, out, _) = pyclens(&["info", &cut]);
    assert_eq!(status, Some(1));
    assert!(out.starts_with(&format!("{cut}: error: not a readable zip (truncated or damaged")), "{out}");
    let (status, out, err) = pyclens(&["dis", &cut]);
    assert_eq!((status, out.as_str()), (Some(1), ""));
    assert!(err.starts_with(&format!("pyclens: {cut}: not a readable zip")), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
