//! Every file in `fixtures/invalid-deals/` is loaded against the standard schema. Its name starts
//! with the code of the one diagnostic it must produce (`bare-number-money.toml` →
//! `covenant::deal::bare-number`); the test checks that code, the text under the primary label,
//! that every span lies inside the source, and snapshots the rendered diagnostic.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::Path;

use covenant::deal::{format_of, load, DealError, DealErrorKind, LoadOptions};
use covenant::schema::Schema;
use covenant::source::SourceFile;

/// The text under the primary label of each fixture's diagnostic.
const UNDERLINED: &[(&str, &str)] = &[
    ("bad-country-alpha-3.json", "\"CHN\""),
    ("bad-country-transfers.toml", "\"China\""),
    ("bad-country.yaml", "UK"),
    ("bad-date-time-of-day.toml", "2026-03-01T09:00:00Z"),
    ("bad-date.yaml", "2026-02-30"),
    ("bad-money.toml", "\"3.5B dollars\""),
    ("bad-percent.json", "\"51 percent\""),
    ("bare-number-money.toml", "3500000000"),
    ("bare-number.yaml", "51"),
    ("duplicate-key.toml", "seats"),
    ("duplicate-key.yaml", "stake"),
    ("missing-required.json", "{"),
    ("multiple-documents.yaml", "---"),
    (
        "not-a-mapping-top-level.json",
        "[\"Acme–Dragon Motors JV\"]",
    ),
    ("not-a-mapping.toml", "\"Acme Motors\""),
    ("not-an-integer-subjects.json", "2000000.5"),
    ("not-an-integer.yaml", "7.5"),
    (
        "stakes-not-100.yaml",
        "[{name: \"Acme Motors\", stake: \"51%\"}, {name: \"Dragon Motors\", stake: \"39%\"}]",
    ),
    ("syntax-bare-string.toml", "automotive"),
    ("syntax-tab-indent.yaml", "\t"),
    ("syntax-trailing-comma.json", "}"),
    ("too-deep.json", "["),
    ("too-large-aliases.yaml", "*e"),
    (
        "too-large-number.json",
        "123456789012345678901234567890123456789012345",
    ),
    ("type-mismatch-list-for-record.json", "[7, \"Acme Motors\"]"),
    ("type-mismatch.yaml", "12"),
    ("unknown-key.yaml", "stak"),
];

fn expected_kind(file: &str) -> DealErrorKind {
    DealErrorKind::ALL
        .into_iter()
        .filter(|k| file.starts_with(k.code().trim_start_matches("covenant::deal::")))
        .max_by_key(|k| k.code().len())
        .unwrap_or_else(|| panic!("{file}: the name does not start with a diagnostic code"))
}

fn render(e: &DealError) -> String {
    let mut out = String::new();
    miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
        .with_width(100)
        .render_report(&mut out, e)
        .unwrap();
    out
}

#[test]
fn invalid_deals() {
    insta::glob!("../fixtures", "invalid-deals/*", |path: &Path| {
        let file = path.file_name().unwrap().to_str().unwrap();
        let text = std::fs::read_to_string(path).unwrap();
        let source = SourceFile::new(format!("invalid-deals/{file}"), text.clone());
        let format = format_of(path).unwrap_or_else(|| panic!("{file}: unknown format"));
        let result = load(
            source,
            file.into(),
            1,
            format,
            &Schema::standard(),
            &LoadOptions::default(),
        );
        let diagnostics = match result {
            Err(e) => {
                assert!(e.warnings.is_empty(), "{file}: unexpected warnings");
                e.errors
            }
            // An unknown key and a stake total are warnings: the deal loads.
            Ok(loaded) => loaded.warnings,
        };
        assert_eq!(diagnostics.len(), 1, "{file}: {diagnostics:#?}");
        let d = &diagnostics[0];
        assert_eq!(d.kind, expected_kind(file), "{file}");
        for span in std::iter::once(d.span()).chain(d.secondary().map(|s| s.0)) {
            assert!(
                span.start <= span.end && span.end <= text.len(),
                "{file}: {span:?}"
            );
            assert!(text.get(span.start..span.end).is_some(), "{file}: {span:?}");
        }
        let underlined = &text[d.span().start..d.span().end];
        let expected = UNDERLINED
            .iter()
            .find(|(f, _)| *f == file)
            .unwrap_or_else(|| panic!("{file}: add its underlined text to UNDERLINED"))
            .1;
        assert_eq!(underlined, expected, "{file}");
        insta::assert_snapshot!(render(d));
    });
}

#[test]
fn the_fixtures_cover_every_format_and_code() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/invalid-deals");
    let files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    assert_eq!(files.len(), UNDERLINED.len());
    for ext in [".yaml", ".json", ".toml"] {
        assert!(files.iter().any(|f| f.ends_with(ext)), "no {ext} fixture");
    }
    // These need more than the standard schema: an `enum` of a custom schema, or a policy
    // literal (`tests/it/data_bans.rs` covers them).
    let elsewhere = [DealErrorKind::NotInEnum, DealErrorKind::NearMiss];
    for kind in DealErrorKind::ALL
        .into_iter()
        .filter(|k| !elsewhere.contains(k))
    {
        assert!(
            files.iter().any(|f| expected_kind(f) == kind),
            "no fixture for {kind}"
        );
    }
}

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
