//! Parse and compile arbitrary policy text. Every diagnostic must render with its labels in
//! the text; when the text parses, `format_policy` must succeed, its output must parse again,
//! and (when the text also compiles) compile to the same rule ids (`fmt` never changes an id).
#![no_main]

#[path = "common.rs"]
mod common;

use covenant::resolve::{compile_str, Compiled};
use covenant::source::SourceFile;
use covenant::syntax::{format_policy, parse};
use libfuzzer_sys::fuzz_target;

fn rule_ids(text: &str) -> Option<Vec<String>> {
    match compile_str("fuzz.policy", text) {
        Ok(Compiled { policy, warnings }) => {
            for w in &warnings {
                common::check_diagnostic(w, None);
            }
            Some(policy.rules.iter().map(|r| r.id.clone()).collect())
        }
        Err(errors) => {
            assert!(!errors.is_empty(), "compile failed without a diagnostic");
            for e in &errors {
                common::check_diagnostic(e, None);
            }
            None
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let file = SourceFile::new("fuzz.policy", text);
    let parsed = match parse(&file) {
        Ok(_) => true,
        Err(errors) => {
            assert!(!errors.is_empty(), "parse failed without a diagnostic");
            common::check_diagnostic(&errors, Some(text));
            false
        }
    };
    let ids = rule_ids(text);
    if parsed {
        let formatted = match format_policy(&file) {
            Ok(f) => f,
            Err(e) => panic!("a parsed file does not format: {e:?}"),
        };
        let again = SourceFile::new("fuzz.policy", formatted.as_str());
        if let Err(e) = parse(&again) {
            panic!("formatted output does not parse: {e:?}\n--- input\n{text}\n--- formatted\n{formatted}");
        }
        if let Some(ids) = ids {
            let ids_again = rule_ids(&formatted);
            assert_eq!(
                Some(ids),
                ids_again,
                "fmt changed the rule ids\n--- formatted\n{formatted}"
            );
        }
    }
});
