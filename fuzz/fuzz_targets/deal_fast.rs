//! The JSON fast path of `deal::load` against the full loader alone
//! (`deal::fuzzing::load_without_fast_path`): on any text, with the standard schema and with
//! baseline-v2's (entities, owners, an extended field), leniently, strictly and within small
//! limits, the two give the same deal and the same warnings, or the same errors
//! (`common::check_fast_path`). A deal the fast path loads where the full loader refuses it
//! would be checked when it should be `invalid` (SPEC §1).
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        common::check_fast_path(text);
    }
});
