//! Hostile input never panics the loader, and every diagnostic span lies inside the source on
//! character boundaries.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use covenant::deal::{load, DealError, Format, LoadOptions};
use covenant::schema::Schema;
use covenant::source::SourceFile;
use proptest::prelude::*;

const FORMATS: [Format; 3] = [Format::Yaml, Format::Json, Format::Toml];

fn check(text: &str, format: Format) {
    let result = load(
        SourceFile::new("fuzz", text),
        "fuzz".into(),
        1,
        format,
        &Schema::standard(),
        &LoadOptions::default(),
    );
    let diagnostics: Vec<DealError> = match result {
        Ok(l) => l.warnings,
        Err(e) => {
            assert!(!e.errors.is_empty());
            e.errors.into_iter().chain(e.warnings).collect()
        }
    };
    for d in &diagnostics {
        for span in std::iter::once(d.span()).chain(d.secondary().map(|s| s.0)) {
            assert!(
                text.get(span.start..span.end).is_some(),
                "{format:?} {text:?}: bad span {span:?} for {}",
                d.message()
            );
        }
        assert!(!d.message().is_empty() && !d.message().contains('\n'));
    }
}

fn fixture(ext: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/valid-deals/acme.{ext}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(path).unwrap()
}

/// Edit a text at a char boundary: delete `len` chars at `at` and insert `ins`.
fn mutate(text: &str, at: usize, len: usize, ins: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let at = at % (chars.len() + 1);
    let end = (at + len).min(chars.len());
    chars[..at]
        .iter()
        .chain(ins.chars().collect::<Vec<_>>().iter())
        .chain(chars[end..].iter())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::support::cases(400, 4_000)))]

    #[test]
    fn arbitrary_text(text in "\\PC{0,200}") {
        for f in FORMATS {
            check(&text, f);
        }
    }

    #[test]
    fn structured_noise(text in "[\\[\\]{}:,\"'\\\\ \\t\\n\\r\\-&*!#|>.0-9a-zé%~]{0,120}") {
        for f in FORMATS {
            check(&text, f);
        }
    }

    #[test]
    fn mutated_deals(at in 0usize..2000, len in 0usize..5, ins in "[\\[\\]{}:,\"'\\\\ \\t\\n\\-&*!#|>0-9a-z%]{0,4}") {
        for (ext, f) in [("yaml", Format::Yaml), ("json", Format::Json), ("toml", Format::Toml)] {
            check(&mutate(&fixture(ext), at, len, ins.as_str()), f);
        }
    }
}

#[test]
fn pathological_inputs() {
    let deep =
        |open: &str, close: &str, n: usize| format!("a: {}{}", open.repeat(n), close.repeat(n));
    for text in [
        deep("[", "]", 200_000),
        deep("{a: ", "}", 100_000),
        format!("{{\"a\": {}1{}}}", "[".repeat(200_000), "]".repeat(200_000)),
        format!("a = {}1{}", "[".repeat(200_000), "]".repeat(200_000)),
        format!("a = {}1{}", "{b = ".repeat(100_000), "}".repeat(100_000)),
        "\u{feff}".into(),
        "\u{feff}\u{feff}a: 1".into(),
        "a: \"\\ud800\"".into(),
        "\"\\ud800\"".into(),
        format!("a: {}", "9".repeat(10_000)),
        format!(
            "{{\"proposal\": \"x\", \"board\": {{\"seats\": 1e{}}}}}",
            "9".repeat(50)
        ),
        "proposal: x\nparties: *a".into(),
        "&a [*a]".into(),
        "proposal: x\r\nboard: {seats: 1}\r".into(),
    ] {
        for f in FORMATS {
            check(&text, f);
        }
    }
}
