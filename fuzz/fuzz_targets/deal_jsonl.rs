//! Split arbitrary text into JSON-lines deals (as `covenant check` does for a `.jsonl` batch)
//! and load each line as a JSON deal.
#![no_main]

#[path = "common.rs"]
mod common;

use covenant::deal::{jsonl_lines, Format};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for (line_no, line) in jsonl_lines(text) {
            assert!(line_no >= 1);
            assert!(!line.contains('\n'));
            common::load_deal(
                line,
                &format!("fuzz.jsonl:{line_no}"),
                line_no,
                Format::Json,
            );
        }
    }
});
