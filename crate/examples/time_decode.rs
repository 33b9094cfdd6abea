//! Times pyclens on one file in-process, for tools/bench.py to print beside CPython's own
//! `marshal.loads` timing of the same file. Prints one JSON line: median milliseconds and
//! peak heap bytes (the file's own bytes excluded).
//!
//! usage: cargo run --release --example time_decode -- FILE [REPEAT]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Counts live heap bytes and their peak, so memory is measured without the process's
/// fixed baseline (code, stack, stdio buffers).
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(live, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Peak heap bytes used by `run` beyond what was live before it.
fn peak_bytes(run: impl FnOnce()) -> usize {
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    run();
    PEAK.load(Ordering::Relaxed) - before
}

fn median_ms(repeat: usize, mut run: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..repeat)
        .map(|_| {
            let t = Instant::now();
            run();
            t.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: time_decode FILE [REPEAT]");
    let repeat: usize = args.next().and_then(|r| r.parse().ok()).unwrap_or(20).max(1);
    let data = std::fs::read(&path).expect("readable file");
    let pyc = pyclens::decode(&data).expect("decodable pyc");
    let json_bytes = pyc.to_json().len();
    drop(pyc);
    let model_peak = peak_bytes(|| {
        std::hint::black_box(pyclens::decode(&data).map(|p| p.objects.nodes.len()).ok());
    });
    // What the CLI does: decode, then stream the document to its output.
    let streamed_peak = peak_bytes(|| {
        let pyc = pyclens::decode(&data).expect("decodable pyc");
        pyc.write_json(std::io::sink(), false).expect("a sink accepts everything");
    });
    let decode = median_ms(repeat, || {
        std::hint::black_box(pyclens::decode(std::hint::black_box(&data)).map(|p| p.objects.nodes.len()).ok());
    });
    let json = median_ms(repeat, || {
        let pyc = pyclens::decode(&data).expect("decodable pyc");
        std::hint::black_box(pyc.to_json());
    });
    println!(
        "{{\"file_bytes\": {}, \"json_bytes\": {json_bytes}, \"decode_ms\": {decode:.3}, \"decode_and_json_ms\": {json:.3}, \"model_peak_bytes\": {model_peak}, \"streamed_json_peak_bytes\": {streamed_peak}}}",
        data.len()
    );
}
