//! `cargo bench`: decoding real, large pycs into the model, into the JSON document (as the
//! page gets it, one string, and as `pyclens json` streams it, with its worker threads) and
//! into the `dis` listing. tools/bench.py puts the same files beside CPython's
//! `marshal.loads`, tools/bench_dis.py the commands beside CPython's `dis` and pycdas.

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

#[divan::bench(args = FILES)]
fn decode_and_stream_json(bencher: divan::Bencher, name: &str) {
    let data = bench_file(name);
    bencher
        .counter(divan::counter::BytesCount::new(data.len()))
        .bench(|| pyclens::decode(divan::black_box(&data)).map(|p| p.write_json(std::io::sink(), false)).ok());
}

#[divan::bench(args = FILES)]
fn decode_and_dis(bencher: divan::Bencher, name: &str) {
    let data = bench_file(name);
    let opts = pyclens::output::dis_text::DisOptions { show_caches: false, show_offsets: false };
    bencher.counter(divan::counter::BytesCount::new(data.len())).bench(|| {
        pyclens::decode(divan::black_box(&data))
            .map(|p| pyclens::output::dis_text::write_dis(&p, std::io::sink(), opts))
            .ok()
    });
}
