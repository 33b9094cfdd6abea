//! Any bytes: decoding must return Ok or Err (never panic, hang or exhaust memory), and a
//! successful decode must render a document that is valid JSON.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(pyc) = pyclens::decode(data) {
        let json = pyc.to_json();
        assert!(json.starts_with('{') && json.ends_with('}'));
        let _ = pyc.code_objects();
    }
});
