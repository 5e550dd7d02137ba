//! The compiled quick pass (`eval::compiled`) against the evaluator alone: on any text loaded
//! as a JSON deal, under every policy of `common::compiled_policies`, each condition the
//! compiled form decides is decided as the evaluator decides it, and whole evaluations give
//! the same results and warnings with and without it (`common::check_compiled`). The quick
//! pass decides most passes on its own, so a disagreement could be a wrong "pass".
#![no_main]

#[path = "common.rs"]
mod common;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        common::check_compiled(text);
    }
});
