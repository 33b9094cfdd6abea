//! Times pyclens over a whole folder of pycs in-process — every file decoded and its
//! `dis` text written to a sink — for tools/bench_corpus.py to print beside xdis reading the
//! same files (the uncompyle6 corpus: CPython 1.0 … 3.12 and PyPy, where CPython's own
//! `marshal`/`dis` cannot read most of them). Prints one JSON line.
//!
//! usage: cargo run --release --example time_corpus -- DIR [REPEAT]

use std::path::{Path, PathBuf};
use std::time::Instant;

fn pycs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            pycs(&path, out);
        } else if path.extension().is_some_and(|e| e == "pyc" || e == "pyo") {
            out.push(path);
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let dir = PathBuf::from(args.first().expect("usage: time_corpus DIR [REPEAT]"));
    let repeat: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut paths = Vec::new();
    pycs(&dir, &mut paths);
    paths.sort();
    let files: Vec<(String, Vec<u8>)> =
        paths.iter().map(|p| (p.to_string_lossy().into_owned(), std::fs::read(p).unwrap())).collect();
    let bytes: usize = files.iter().map(|(_, d)| d.len()).sum();
    let opts = pyclens::output::dis_text::DisOptions::default();
    let mut times = Vec::new();
    let (mut listed, mut refused, mut text) = (0, 0, 0);
    for _ in 0..repeat {
        (listed, refused, text) = (0, 0, 0);
        let started = Instant::now();
        for (name, data) in &files {
            let Ok(pyc) = pyclens::decode_named(data, name) else {
                refused += 1;
                continue;
            };
            let mut sink = Vec::new();
            if pyclens::output::dis_text::check(&pyc, opts).is_ok()
                && pyclens::output::dis_text::write_dis(&pyc, &mut sink, opts).is_ok()
            {
                listed += 1;
                text += sink.len();
            }
        }
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"files\": {}, \"bytes\": {bytes}, \"listed\": {listed}, \"refused\": {refused}, \"dis_bytes\": {text}, \"median_ms\": {:.2}}}",
        files.len(),
        times[times.len() / 2]
    );
}
