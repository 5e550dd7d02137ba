//! Every policy in `tests/fixtures/policy-errors/` must fail to compile with the diagnostic its
//! first line names (`# expect: CODE at `UNDERLINED``); each `# help: TEXT` line is part of the
//! help of one of its diagnostics; the rendered report is snapshotted.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::PathBuf;

use covenant::report::human;

#[test]
fn invalid_policies_report_their_diagnostic() {
    insta::glob!("../fixtures", "policy-errors/*.policy", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let expect = text
            .lines()
            .next()
            .and_then(|l| l.strip_prefix("# expect: "))
            .expect("an `# expect:` line");
        let (code, underlined) = expect.split_once(" at ").expect("`CODE at `TEXT``");
        let underlined = underlined.trim_matches('`');
        let rel = PathBuf::from("tests/fixtures/policy-errors").join(path.file_name().unwrap());
        let diags = match covenant::resolve::compile(&[rel]) {
            Ok(_) => panic!("{} compiled, but should not", path.display()),
            Err(d) => d,
        };
        let first = &diags[0];
        assert_eq!(
            first.code().map(|c| c.to_string()).as_deref(),
            Some(code),
            "{}",
            path.display()
        );
        let label = first.labels().and_then(|mut l| l.next()).expect("a label");
        let src = first.source_code().expect("source code");
        let span = src.read_span(label.inner(), 0, 0).unwrap();
        assert_eq!(
            std::str::from_utf8(span.data()).unwrap(),
            underlined,
            "{}",
            path.display()
        );
        let helps: Vec<String> = diags
            .iter()
            .filter_map(|d| d.help().map(|h| h.to_string()))
            .collect();
        for h in text.lines().filter_map(|l| l.strip_prefix("# help: ")) {
            assert!(
                helps.iter().any(|g| g.contains(h.trim())),
                "{}: no help has `{h}`: {helps:#?}",
                path.display()
            );
        }
        let handler = human::handler(false);
        let rendered: String = diags
            .iter()
            .map(|d| human::render(&handler, d.as_ref()))
            .collect();
        insta::assert_snapshot!(rendered);
    });
}
