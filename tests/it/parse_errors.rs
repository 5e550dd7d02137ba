//! Every `tests/fixtures/invalid-policies/parse-*.policy` fails to parse with the errors its
//! `# expect: CODE `UNDERLINED`` lines announce, in order; each `# message: TEXT` and
//! `# help: TEXT` line is part of the message (the help) of one of those errors; the rendered
//! report is snapshotted.

#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::Path;

use covenant::source::SourceFile;
use covenant::syntax::{parse, ParseErrors};
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};

/// The `(code, underlined text)` pairs a fixture expects.
fn expectations(text: &str) -> Vec<(String, String)> {
    text.lines()
        .filter_map(|l| l.strip_prefix("# expect: "))
        .map(|rest| {
            let (code, under) = rest.split_once(' ').expect("`# expect: CODE `TEXT``");
            let under = under
                .trim()
                .strip_prefix('`')
                .and_then(|u| u.strip_suffix('`'));
            (
                code.to_string(),
                under.expect("underlined text in back quotes").to_string(),
            )
        })
        .collect()
}

/// The texts of a fixture's `# PREFIX: TEXT` lines.
fn announced<'t>(text: &'t str, prefix: &str) -> Vec<&'t str> {
    text.lines()
        .filter_map(|l| l.strip_prefix(prefix))
        .map(str::trim)
        .collect()
}

/// The text under the primary label of a diagnostic (the first label if none is primary).
fn underlined(text: &str, d: &dyn Diagnostic) -> String {
    let labels: Vec<_> = d.labels().expect("a label").collect();
    let label = labels
        .iter()
        .find(|l| l.primary())
        .or(labels.first())
        .expect("a label");
    text[label.offset()..label.offset() + label.len()].to_string()
}

fn render(errors: &ParseErrors) -> String {
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .render_report(&mut out, errors)
        .unwrap();
    out
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn invalid_policies() {
    insta::glob!("../fixtures", "invalid-policies/parse-*.policy", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let name = file_name(path);
        let expected = expectations(&text);
        assert!(!expected.is_empty(), "{name} has no `# expect:` line");
        let file = SourceFile::new(name.clone(), text.clone());
        let errors = match parse(&file) {
            Ok(_) => panic!("{name} parsed but should fail"),
            Err(e) => e,
        };
        let got: Vec<(String, String)> = errors
            .iter()
            .map(|e| {
                let code = e.code().map(|c| c.to_string()).unwrap_or_default();
                (code, underlined(&text, e))
            })
            .collect();
        assert_eq!(got, expected, "{name}");
        let messages: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        for m in announced(&text, "# message: ") {
            assert!(
                messages.iter().any(|g| g.contains(m)),
                "{name}: no message has `{m}`: {messages:#?}"
            );
        }
        let helps: Vec<String> = errors
            .iter()
            .filter_map(|e| e.help().map(|h| h.to_string()))
            .collect();
        for h in announced(&text, "# help: ") {
            assert!(
                helps.iter().any(|g| g.contains(h)),
                "{name}: no help has `{h}`: {helps:#?}"
            );
        }
        insta::assert_snapshot!(render(&errors));
    });
}

#[test]
fn three_broken_items_give_three_errors() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/invalid-policies/parse-three-broken-items.policy");
    let text = std::fs::read_to_string(path).unwrap();
    let errors = parse(&SourceFile::new("t", text)).unwrap_err();
    assert_eq!(errors.len(), 3);
}
