//! Load arbitrary text as a Yaml deal against the standard schema: no panic, no hang, no
//! runaway allocation, and every diagnostic renders with its labels inside the text.
#![no_main]

#[path = "common.rs"]
mod common;

use covenant::deal::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        common::load_deal(text, "fuzz.yaml", 1, Format::Yaml);
    }
});
