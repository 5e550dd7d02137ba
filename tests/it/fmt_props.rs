//! Properties of `covenant fmt` over generated policies (see `fmt_support/gen.rs`): the
//! formatted text parses to the same AST (spans aside), keeps every comment, and formatting
//! it again changes nothing.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::fmt_support;

use fmt_support::{ast, check_laws, gen, render};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::support::cases(128, 2_048)))]

    #[test]
    fn formatting_keeps_the_ast_and_is_idempotent(policy in gen::policy()) {
        let text = render::to_text(&policy);
        // The generator writes valid policies only.
        if let Err(e) = ast(&text) {
            panic!("generated text does not parse: {e}\n{text}");
        }
        check_laws(&text);
    }
}
