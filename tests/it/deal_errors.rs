//! Deal diagnostics beyond the fixtures of `tests/fixtures/diagnostics/deal/` (run by
//! `diagnostics.rs`): the help of a date or an amount written in another convention.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use covenant::deal::{load, LoadOptions};
use covenant::schema::Schema;
use covenant::source::SourceFile;

/// A date or an amount written in another convention is still an error (never guessed), and
/// its help gives the literal to write (`docs/deals.md`).
#[test]
fn day_first_dates_and_currency_symbols_get_the_literal_to_write() {
    use miette::Diagnostic;
    for (yaml, help) in [
        (
            "date: 02/05/2026",
            "write `2026-05-02` (read day-first: 2 May 2026)",
        ),
        ("date: \"09/01/2026\"", "write `2026-01-09`"),
        ("date: 01/25/2026", "write `2026-01-25` (month first"),
        ("investment: \"C$1.386B\"", "write `CAD 1.386B`"),
        ("investment: \"$1B\"", "write `USD 1B`"),
        ("investment: \"C$ 1.386B\"", "write `CAD 1.386B`"),
        (
            "parties: [{name: A, subsidies: \"€120M\"}]",
            "write `EUR 120M`",
        ),
    ] {
        let text = format!("proposal: x\n{yaml}\n");
        let result = load(
            SourceFile::new("deal.yaml", text),
            "deal.yaml".into(),
            1,
            covenant::deal::Format::Yaml,
            &Schema::standard(),
            &LoadOptions::default(),
        );
        let errors = match result {
            Err(e) => e.errors,
            Ok(_) => panic!("{yaml}: loaded"),
        };
        let got = errors[0].help().map(|h| h.to_string()).unwrap_or_default();
        assert!(got.contains(help), "{yaml}: {got}");
    }
}
