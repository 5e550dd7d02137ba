//! Parse errors beyond the fixtures of `tests/fixtures/diagnostics/syntax/` (run by
//! `diagnostics.rs`): every broken item is reported.

#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::Path;

use covenant::source::SourceFile;
use covenant::syntax::parse;

#[test]
fn three_broken_items_give_three_errors() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diagnostics/syntax/parse-three-broken-items.policy");
    let text = std::fs::read_to_string(path).unwrap();
    let errors = parse(&SourceFile::new("t", text)).unwrap_err();
    assert_eq!(errors.len(), 3);
}
