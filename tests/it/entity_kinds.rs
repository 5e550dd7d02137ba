//! `covenant::type::bad-kind` (SPEC §7.1): a policy string literal that meets an entity's
//! `kind` must be one of the six kinds, with a did-you-mean; as `bad-country` does for
//! countries (SPEC §13).
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::common;
use miette::Diagnostic;

/// Code, underlined text and help of each compile error.
fn policy_errors(text: &str) -> Vec<(String, String, String)> {
    let Err(diags) = covenant::resolve::compile_str("test.policy", text) else {
        panic!("compiled, but should not:\n{text}");
    };
    diags
        .iter()
        .map(|d| {
            let label = d.labels().and_then(|mut l| l.next()).unwrap();
            let (s, n) = (label.offset(), label.len());
            (
                d.code().map(|c| c.to_string()).unwrap_or_default(),
                text[s..s + n].to_string(),
                d.help().map(|h| h.to_string()).unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn policy_literals_that_meet_a_kind_must_be_kinds() {
    let cases = [
        ("rule r: no entity where kind = \"State\"\n", "\"State\"", "`state`"),
        ("rule r: no party where kind != \"SOE\"\n", "\"SOE\"", "`state`, `state-owned`"),
        ("rule r: no entity where kind in [\"state\", \"state owned\"]\n", "\"state owned\"", "`state-owned`"),
        ("rule r: no entity where kind not in [\"goverment\"]\n", "\"goverment\"", "the kinds are"),
        ("rule r: every party: [\"compnay\"] contains kind\n", "\"compnay\"", "`company`"),
        ("rule r: no party where kind is one of [\"funds\"]\n", "\"funds\"", "`fund`"),
        ("rule r: party kind must be \"Public\"\n", "\"Public\"", "`public`"),
        ("rule r: party kind must not be in [\"person\"]\n", "\"person\"", "the kinds are"),
        ("let sovereign = [\"state\", \"sovereign\"]\nrule r: no entity where kind in sovereign\n", "\"sovereign\"", "the kinds are"),
        // An owner reaches its entity's kind; an item definition carries the kind it reads.
        ("rule r: no party where some owner where kind = \"States\"\n", "\"States\"", "`state`"),
        ("define entity sort: kind\nrule r: no party where sort = \"Fund\"\n", "\"Fund\"", "`fund`"),
    ];
    for (policy, underlined, help) in cases {
        let errors = policy_errors(policy);
        assert_eq!(errors.len(), 1, "{policy}: {errors:?}");
        let (code, under, h) = &errors[0];
        assert_eq!(code, "covenant::type::bad-kind", "{policy}");
        assert_eq!(under, underlined, "{policy}");
        assert!(h.contains(help), "{policy}: help {h:?} lacks {help}");
    }
}

#[test]
fn the_six_kinds_and_other_kinds_are_free() {
    common::policy(
        "rule r: no entity where kind in [\"state\", \"state-owned\", \"company\", \"fund\", \"individual\", \"public\"]\n",
    );
    // A group's kind is free text (SPEC §7.1), as is any string that never meets a kind.
    common::policy(
        "rule r: no group where kind = \"Concert\"\nrule s: every party: name != \"State\"\n",
    );
}
