//! Any bytes through `pyclens::open`, the path that reads headerless marshal data (trying
//! every version's layout and rules) and checks a header against the code: it must return Ok
//! or Err, never panic, hang or exhaust memory; the first byte picks a forced version too.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pyclens::pyc::version::{known_versions, Implementation};
use pyclens::Python;

fuzz_target!(|data: &[u8]| {
    let versions = known_versions();
    let forced = data.first().map(|&b| versions[b as usize % versions.len()]);
    for python in [None, forced.map(|version| Python { implementation: Implementation::CPython, version })] {
        if let Ok(pyc) = pyclens::open(data, "", python) {
            let json = pyc.to_json();
            assert!(json.starts_with('{') && json.ends_with('}'));
            let _ = pyc.summary_json();
        }
    }
});
