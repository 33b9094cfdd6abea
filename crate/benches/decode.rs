//! `cargo bench`: decoding real, large pycs into the model and into the JSON document.
//! tools/bench.py puts the same files beside CPython's `marshal.loads`.

use std::path::PathBuf;

fn main() {
    divan::main();
}

fn bench_file(name: &str) -> Vec<u8> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/bench/3.12");
    let path = dir.join(name);
    if name.ends_with(".gz") {
        use std::io::Read;
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(std::fs::File::open(&path).expect("bench input"))
            .read_to_end(&mut out)
            .expect("gzip");
        out
    } else {
        std::fs::read(&path).expect("bench input")
    }
}

const FILES: &[&str] = &["_pydecimal.pyc", "stdlib_concat.pyc.gz"];

#[divan::bench(args = FILES)]
fn decode_model(bencher: divan::Bencher, name: &str) {
    let data = bench_file(name);
    bencher
        .counter(divan::counter::BytesCount::new(data.len()))
        .bench(|| pyclens::decode(divan::black_box(&data)).map(|p| p.root).ok());
}

#[divan::bench(args = FILES)]
fn decode_to_json(bencher: divan::Bencher, name: &str) {
    let data = bench_file(name);
    bencher
        .counter(divan::counter::BytesCount::new(data.len()))
        .bench(|| pyclens::decode(divan::black_box(&data)).map(|p| p.to_json()).ok());
}
