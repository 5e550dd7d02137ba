//! Unit tests of the compiled forms: a table's cells tested in place decide as the cells of
//! the policy do.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use crate::number::Exact;
use crate::resolve::compile_str;
use crate::resolve::ir::{Cell, ExprKind as K};
use crate::value::Scalar;

use super::build::cell_form;
use super::run::{cell_form_matches, cell_matches};

const POLICY: &str = r#"policy "cells" version "1"
let covered = ["CN", "RU", "KP", "Straße", "ÉTAT"]
define party cap: table by name, date:
  covered, from 2025-01-01 until 2026-09-01: 25%
  covered, from 2026-09-01: 20%
  "US", any: 0%
  "Dé Gmbh", from 2024-02-29: 10%
  otherwise: 50%
rule r: every party: government stake <= cap
"#;

fn cells() -> Vec<Cell> {
    let policy = compile_str("cells.policy", POLICY).unwrap().policy;
    let mut out = Vec::new();
    for d in &policy.defs {
        if let K::Table(t) = &d.value.kind {
            for row in &t.rows {
                out.extend(row.cells.iter().cloned());
            }
        }
    }
    assert!(out.len() >= 8, "{}", out.len());
    out
}

fn date(y: i16, m: i8, d: i8) -> Scalar {
    Scalar::Date(jiff::civil::date(y, m, d))
}

/// Every cell of the table, in the compiled form, decides every key as the cell itself does:
/// exact strings, strings that differ only in case or surrounding white space (near misses:
/// None), non-ASCII strings, keys of another type, and dates on and around the bounds.
#[test]
fn compiled_cells_decide_as_the_policy_cells() {
    let strs = [
        "CN",
        "cn",
        " CN",
        "CN ",
        "\tcn\n",
        "Cn",
        "RU",
        "ru ",
        "KP",
        "kp",
        "DE",
        "de",
        "US",
        "us",
        " US",
        "",
        " ",
        "C N",
        "Straße",
        "straße",
        " STRASSE",
        "STRAßE",
        "ÉTAT",
        "état",
        "ÉTAT ",
        "Etat",
        "\u{212A}P",
        "KP\u{a0}",
        "CNN",
        "C",
        "Dé Gmbh",
        "dé gmbh",
        " Dé Gmbh",
        "DÉ GMBH",
    ];
    let mut keys: Vec<Scalar> = strs.iter().map(|s| Scalar::Str((*s).into())).collect();
    keys.extend([
        date(2024, 2, 28),
        date(2024, 2, 29),
        date(2024, 12, 31),
        date(2025, 1, 1),
        date(2026, 8, 31),
        date(2026, 9, 1),
        date(2030, 1, 1),
        Scalar::Number(Exact::from_int(1)),
        Scalar::Percent(Exact::from_int(25)),
        Scalar::Bool(true),
    ]);
    let (mut yes, mut no, mut near) = (0, 0, 0);
    for cell in cells() {
        let form = cell_form(&cell);
        for key in &keys {
            let expected = cell_matches(&cell, key);
            assert_eq!(
                cell_form_matches(&form, key),
                expected,
                "{key:?} in {cell:?}"
            );
            match expected {
                Some(true) => yes += 1,
                Some(false) => no += 1,
                None => near += 1,
            }
        }
    }
    assert!(yes > 10 && no > 10 && near > 10, "{yes} {no} {near}");
}
