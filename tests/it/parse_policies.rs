//! Every `tests/fixtures/policies/*.policy` parses; the SPEC §2.2 example reads as specified.
//! (The 12-rule `jv-baseline.policy` is checked rule by rule in `crates/covenant/src/syntax/tests/items.rs`.)

#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::Path;

use covenant::source::SourceFile;
use covenant::syntax::parse;
use miette::{GraphicalReportHandler, GraphicalTheme};

fn file_name(path: &Path) -> String {
    path.file_name().unwrap().to_string_lossy().into_owned()
}

#[test]
fn valid_policies_parse() {
    insta::glob!("../fixtures", "policies/*.policy", |path| {
        let text = std::fs::read_to_string(path).unwrap();
        let file = SourceFile::new(file_name(path), text);
        if let Err(e) = parse(&file) {
            let mut out = String::new();
            GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
                .render_report(&mut out, &e)
                .unwrap();
            panic!("{out}");
        }
    });
}

#[test]
fn spec_items_example() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/policies/spec-items.policy");
    let text = std::fs::read_to_string(path).unwrap();
    let policy = parse(&SourceFile::new("spec-items.policy", text)).unwrap();
    assert_eq!(
        policy.header.effective.unwrap().from.node,
        jiff::civil::date(2026, 2, 1)
    );
    let ids: Vec<String> = policy
        .items
        .iter()
        .filter_map(|i| match i {
            covenant::syntax::ast::Item::Rule(r) => Some(r.id.node.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(
        ids,
        [
            "american-control",
            "foreign-minority",
            "board-size",
            "data-must-stay-onshore"
        ]
    );
    assert_eq!(policy.items.len(), 10);
}
