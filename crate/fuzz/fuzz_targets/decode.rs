//! Any bytes: decoding must return Ok or Err (never panic, hang or exhaust memory), and
//! everything a decoded file can be turned into — the document, the viewer documents, the
//! dis text with every option — must be produced without a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyclens::output::dis_text::{dis_text, DisOptions};

fuzz_target!(|data: &[u8]| {
    if let Ok(pyc) = pyclens::decode(data) {
        let json = pyc.to_json();
        assert!(json.starts_with('{') && json.ends_with('}'));
        let summary = pyc.summary_json();
        assert!(summary.starts_with('{'));
        for index in 0..pyc.code_tree().len().min(4) {
            assert!(pyc.code_json(index).is_some());
        }
        let _ = pyc.owner_json((data.len() / 2) as u32);
        for (show_caches, show_offsets) in [(false, false), (true, true)] {
            let _ = dis_text(&pyc, DisOptions { show_caches, show_offsets });
        }
    }
});
