#![no_main]
//! Fuzzes allowlist loading: any text must be either accepted or rejected with an error that
//! names the file, never a panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Err(e) = scamshield::fuzzing::load_allowlist(text) {
        assert_eq!(e.file(), "fuzz.toml");
    }
});
