//! Decode the bytes as a deal with an entity graph (SPEC §7.1) written in YAML, JSON and TOML
//! ([`graph`]); load each against the standard schema: no panic, no hang, every diagnostic
//! renders with its labels inside the text, and the three formats give the same errors.
#![no_main]

#[path = "common.rs"]
mod common;
#[path = "graph.rs"]
mod graph;

use covenant::deal::{load, LoadOptions};
use covenant::source::SourceFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut outcomes = Vec::new();
    for (format, text) in graph::deal_texts(data) {
        let result = load(
            SourceFile::new("graph", text.as_str()),
            "graph".into(),
            1,
            format,
            common::schema(),
            &LoadOptions::default(),
        );
        match &result {
            Ok(loaded) => {
                for w in &loaded.warnings {
                    common::check_diagnostic(w, Some(&text));
                }
            }
            Err(errors) => {
                assert!(!errors.errors.is_empty(), "a failed load without an error");
                common::check_diagnostic(errors, Some(&text));
            }
        }
        outcomes.push(graph::outcome(&result));
    }
    assert!(
        outcomes.windows(2).all(|w| w[0] == w[1]),
        "the formats disagree: {outcomes:#?}"
    );
});
