//! Any bytes as a container and as headerless marshal data: reading a zip or a PyInstaller
//! archive, and decoding each member, must return Ok or Err within the limits (never panic,
//! hang or exhaust memory); so must reading bytes with no pyc header, inferred or as given.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyclens::container::{self, Limits};

fuzz_target!(|data: &[u8]| {
    // Small limits, so that a bomb the fuzzer finds is refused quickly.
    let limits = Limits { entries: 1000, total: 1 << 24, ratio: 1000 };
    if let Ok(Some(archive)) = container::open(data, limits) {
        for member in archive.members.iter().take(8) {
            if let Ok(pyc) = member.decode(None) {
                assert!(pyc.to_json().starts_with('{'));
            }
        }
    }
    let _ = pyclens::open(data, "fuzz", None);
    if let Ok(python) = "3.12".parse() {
        let _ = pyclens::open(data, "fuzz", Some(python));
    }
});
