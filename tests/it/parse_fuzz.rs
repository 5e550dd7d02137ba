//! Random token soup never panics the parser, and every span it reports lies in the file.

#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use covenant::source::SourceFile;
use covenant::syntax::parse;
use miette::Diagnostic;
use proptest::prelude::*;

const TOKENS: &[&str] = &[
    "rule",
    "let",
    "use",
    "policy",
    "version",
    "severity",
    "error",
    "require",
    "when",
    "unless",
    "effective",
    "until",
    "cite",
    "help",
    "every",
    "some",
    "no",
    "at",
    "least",
    "most",
    "exactly",
    "where",
    ":",
    "and",
    "or",
    "not",
    "in",
    "is",
    "one",
    "of",
    "within",
    "contains",
    "must",
    "be",
    "stay",
    "have",
    "total",
    "count",
    "max",
    "average",
    "deal",
    "true",
    "x",
    "party",
    "stake",
    "`count`",
    ".",
    "a-b",
    "<",
    "<=",
    "=",
    "!=",
    "+",
    "-",
    "*",
    "/",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    ",",
    "50%",
    "1_000",
    "3.5",
    "USD 3.5B",
    "2026-09-01",
    "2026-02-30",
    "\"s\"",
    "\"open",
    "#c",
    "\n",
    "\n  ",
    "\r\n",
    "é",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::support::cases(400, 4_000)))]

    #[test]
    fn token_soup_is_handled(picks in proptest::collection::vec((0..TOKENS.len(), 0..3usize), 0..40)) {
        let mut text = String::new();
        for (i, sep) in picks {
            text.push_str(TOKENS[i]);
            text.push_str([" ", "", "\n"][sep]);
        }
        let file = SourceFile::new("fuzz.policy", text.clone());
        match parse(&file) {
            Ok(policy) => {
                prop_assert!(policy.header.span.end <= text.len());
            }
            Err(errors) => {
                prop_assert!(!errors.is_empty());
                for e in errors.iter() {
                    let span = e.span();
                    prop_assert!(span.start <= span.end && span.end <= text.len());
                    prop_assert!(text.is_char_boundary(span.start) && text.is_char_boundary(span.end));
                    prop_assert!(e.labels().is_some());
                    let message = e.to_string();
                    prop_assert!(!message.ends_with('.'), "{message}");
                    prop_assert!(!message.starts_with(char::is_uppercase), "{message}");
                    prop_assert!(!message.contains("kw_") && !message.contains("_expr"), "{message}");
                }
            }
        }
    }
}
