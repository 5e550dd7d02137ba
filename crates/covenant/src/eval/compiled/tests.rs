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

/// The cells of a table of string cells written from `rows` (each a cell's strings).
fn string_cells(rows: &[Vec<String>]) -> Vec<Cell> {
    let mut text =
        String::from("policy \"cells\" version \"1\"\ndefine party cap: table by name:\n");
    for (i, row) in rows.iter().enumerate() {
        let values: Vec<String> = row.iter().map(|v| format!("\"{v}\"")).collect();
        text.push_str(&format!("  [{}]: {i}%\n", values.join(", ")));
    }
    text.push_str("  otherwise: 50%\nrule r: every party: government stake <= cap\n");
    let Ok(compiled) = compile_str("cells.policy", &text) else {
        return Vec::new(); // two rows with the same value: a compile error, not a case
    };
    let mut out = Vec::new();
    for d in &compiled.policy.defs {
        if let K::Table(t) = &d.value.kind {
            out.extend(t.rows.iter().flat_map(|r| r.cells.iter().cloned()));
        }
    }
    out
}

proptest::proptest! {
    /// A cell of strings in the compiled form (its texts, then the first bytes of their folded
    /// forms, then the folded forms) decides any string key as the cell itself does: keys and
    /// values of letters in both cases, white space (ASCII, VT and FF among it, and not; and
    /// U+001C, which `trim` keeps), and letters whose lower case is ASCII (`K`, the Kelvin
    /// sign) or longer (`İ`).
    #[test]
    fn cells_of_strings_decide_any_key_as_the_policy_cells(
        rows in proptest::collection::vec(
            proptest::collection::vec("[cCnNkK\u{212A}éÉİ ]{0,3}", 1..4), 1..4),
        keys in proptest::collection::vec(
            "[cCnNkK\u{212A}éÉİ \t\n\u{0B}\u{0C}\u{1C}\u{85}\u{a0}]{0,4}", 1..12),
    ) {
        for cell in string_cells(&rows) {
            let form = cell_form(&cell);
            for key in &keys {
                let key = Scalar::Str(key.as_str().into());
                proptest::prop_assert_eq!(
                    cell_form_matches(&form, &key),
                    cell_matches(&cell, &key),
                    "{:?} in {:?}", key, cell
                );
            }
        }
    }
}

const LETS: &str = r#"policy "lets" version "1"
let covered state = entities where kind = "state" and state in ["CN", "RU"]
let foreign partner = parties where country != "US"
rule inside: every party: count of covered state <= 2 and stake > 0%
rule foreign: every foreign partner: count of covered state >= 1
rule entity-count: count of entities >= 5
rule every-entity: every entity where kind = "state": country != "US"
rule no-entity: no entity where kind = "individual"
rule look: look-through voting of covered state in deal < 25%
let nobody = entities where kind = "state" and state in ["KP"]
rule look-nobody: look-through voting of nobody in deal < 0.0001%
rule look-nobody-zero: look-through voting of nobody in deal = 0%
"#;

const LETS_DEAL: &str = r#"proposal: "JV"
date: 2026-03-01
jurisdiction: US
parties:
  - { name: "Acme", country: US, kind: public, stake: "51%", voting: "51%" }
  - { name: "Dragon Motors", country: CN, kind: company, stake: "49%", voting: "49%",
      owners: [{ name: "SASAC", stake: "60%", voting: "60%" },
               { name: "Li", stake: "40%", voting: "40%" }] }
entities:
  - { name: "SASAC", kind: state, country: CN, state: CN }
  - { name: "Li", kind: individual, country: CN }
  - { name: "Fed", kind: state, country: RU, state: RU }
"#;

/// `let` filters of `entities` (read in place) and of parties, first computed inside a
/// quantifier (the quantifier's item out of the filter's sight) or at the root, and
/// quantifiers and counts over `entities`: each compiled truth is the evaluator's, and each is
/// decided.
#[test]
fn filters_of_entities_decide_as_the_evaluator() {
    use crate::deal::{self, Format, LoadOptions};
    use crate::eval::expr::Tv;
    use crate::source::SourceFile;

    let policy = compile_str("lets.policy", LETS).unwrap().policy;
    let loaded = deal::load(
        SourceFile::new("deal.yaml", LETS_DEAL),
        "deal.yaml".into(),
        1,
        Format::Yaml,
        &policy.schema,
        &LoadOptions::default(),
    );
    let deal = loaded.ok().unwrap().deal;
    let mut seen = std::collections::BTreeMap::new();
    for a in super::agreements(&policy, &deal, None) {
        let id = policy.rules[a.rule].id.clone();
        assert!(a.has_form, "{id}");
        assert_eq!(a.compiled, Some(a.evaluated), "{id}");
        seen.insert(id, a.evaluated);
    }
    let expected = [
        ("inside", Tv::True),
        ("foreign", Tv::True),
        ("entity-count", Tv::True),
        ("every-entity", Tv::True),
        ("no-entity", Tv::False),
        ("look", Tv::False),
        ("look-nobody", Tv::True),
        ("look-nobody-zero", Tv::True),
    ];
    for (id, tv) in expected {
        assert_eq!(seen.get(id), Some(&tv), "{id}: {seen:?}");
    }
}

/// A clause that reads only the deal's root and stands in more than one rule (the header's
/// `jurisdiction`, and a `when` written twice) is shared, decided once per deal; a clause that
/// reads an item or a definition, or stands once, is not. Each deal decides it anew.
#[test]
fn root_clauses_of_several_rules_are_shared_and_decided_per_deal() {
    let policy = compile_str(
        "shared.policy",
        r#"policy "shared" version "1"
  jurisdiction "US"
let home = "US"
rule a {
  when investment > USD 1M
  require every party: stake < 50%
}
rule b {
  when investment > USD 1M
  require count of parties >= 2
}
rule c {
  when some party: country = home
  require cfius filed
}
"#,
    )
    .unwrap()
    .policy;
    let program = super::Program::compile(&policy);
    let shared = |forms: &[Option<super::Cond>]| -> Vec<bool> {
        forms
            .iter()
            .map(|f| matches!(f, Some(super::Cond::Shared { .. })))
            .collect()
    };
    let whens: Vec<Vec<bool>> = program.rules.iter().map(|r| shared(&r.when)).collect();
    assert_eq!(
        whens,
        [vec![true, true], vec![true, true], vec![true, false]]
    );
    assert_eq!(program.shared, 2);
    let deal = |jurisdiction: &str, investment: &str| {
        crate::deal::load(
            crate::source::SourceFile::new(
                "d.json",
                format!(
                    r#"{{"proposal":"x","jurisdiction":"{jurisdiction}","investment":"{investment}","cfius_filed":false,"parties":[{{"name":"A","country":"US","stake":"60%"}},{{"name":"B","country":"DE","stake":"40%"}}]}}"#
                ),
            ),
            "d.json".into(),
            1,
            crate::deal::Format::Json,
            &policy.schema,
            &crate::deal::LoadOptions::default(),
        )
        .unwrap()
        .deal
    };
    let outcomes = |d: &crate::deal::tree::Deal| -> Vec<&'static str> {
        crate::eval::evaluate(&policy, d, None)
            .iter()
            .map(|r| r.outcome.as_str())
            .collect()
    };
    assert_eq!(outcomes(&deal("US", "USD 2M")), ["fail", "pass", "fail"]);
    assert_eq!(
        outcomes(&deal("DE", "USD 2M")),
        ["not-applicable", "not-applicable", "not-applicable"]
    );
    assert_eq!(
        outcomes(&deal("US", "USD 0.5M")),
        ["not-applicable", "not-applicable", "fail"]
    );
}

/// A memo made after another on the same thread starts with the room of the one before (its
/// stacks, its kept values) and nothing of its deal: every kept value pending again, every
/// stack empty.
#[test]
fn a_memo_starts_with_the_room_of_the_last_and_none_of_its_values() {
    use super::run::Value;
    use super::Memo;
    let policy = compile_str(
        "kept.policy",
        r#"policy "kept" version "1"
rule a: every party: stake <= 100% / count of parties
rule b: total party stake <= 100%
"#,
    )
    .unwrap()
    .policy;
    let first = {
        let mut memo = Memo::new(&policy);
        assert!(!memo.values.is_empty(), "the policy keeps a value");
        memo.values.fill(Value::Unsure);
        memo.made.extend([Scalar::Bool(true), Scalar::Bool(false)]);
        (
            memo.values.len(),
            memo.values.capacity(),
            memo.made.capacity(),
        )
    };
    let memo = Memo::new(&policy);
    assert_eq!(memo.values.len(), first.0);
    assert!(memo.values.iter().all(|v| matches!(v, Value::Pending)));
    assert!(memo.made.is_empty() && memo.items.is_empty());
    assert_eq!(
        (memo.values.capacity(), memo.made.capacity()),
        (first.1, first.2),
        "the room of the memo before"
    );
}

/// An emptied stack of items keeps its room (collected in place).
#[test]
fn an_emptied_stack_keeps_its_room() {
    let record = crate::deal::tree::Record::default();
    let mut items = Vec::with_capacity(16);
    items.push(&record);
    let emptied = super::emptied_items(items);
    assert!(emptied.is_empty());
    assert_eq!(emptied.capacity(), 16);
}

const PICKS: &str = r#"policy "picks" version "1"
let foreign partner = parties where country != "US"
let chinese partner = foreign partner where country = "CN"
rule foreign-count: count of foreign partner = 3
rule foreign-stake: total foreign partner stake = 46%
rule foreign-small: every foreign partner: stake < 20%
rule foreign-named: some foreign partner: name = "Delta"
rule foreign-not-named: no foreign partner where name in ["Acme", "Bravo"]
rule chinese-stake: total chinese partner stake = 31%
rule chinese-seats: total chinese partner board seats = 3
rule first-in: "Charlie" in foreign partner name
"#;

/// A deal of `n` parties: US parties of no stake, then the five of `PICKS`'s outcomes (the
/// last at position `n - 1`).
fn picks_deal(n: usize) -> String {
    let mut deal = String::from(
        r#"{"proposal": "JV", "date": "2026-03-01", "jurisdiction": "US", "parties": ["#,
    );
    let five = [
        ("Acme", "US", "30%", 2),
        ("Charlie", "CN", "12%", 1),
        ("Bravo", "US", "24%", 2),
        ("Delta", "DE", "15%", 1),
        ("Echo", "CN", "19%", 2),
    ];
    for i in 0..n {
        let filler = format!("Filler {i}");
        let (name, country, stake, seats) = match (i + five.len()).checked_sub(n) {
            Some(at) => five[at],
            None => (filler.as_str(), "US", "0%", 0),
        };
        if i > 0 {
            deal.push(',');
        }
        deal.push_str(&format!(
            r#"{{"name": "{name}", "country": "{country}", "stake": "{stake}", "board_seats": {seats}}}"#
        ));
    }
    deal.push_str("]}");
    deal
}

/// `let` filters of a list field keep the records at scattered positions (a mask of them up
/// to 64 elements, a vector past that), and a filter of a filter: every count, total and
/// quantifier over them is the evaluator's, and holds.
#[test]
fn filters_of_a_list_keep_its_records_at_any_position() {
    use crate::deal::{self, Format, LoadOptions};
    use crate::eval::expr::Tv;
    use crate::source::SourceFile;

    let policy = compile_str("picks.policy", PICKS).unwrap().policy;
    for n in [5, 64, 65, 80] {
        let loaded = deal::load(
            SourceFile::new("deal.json", picks_deal(n)),
            "deal.json".into(),
            1,
            Format::Json,
            &policy.schema,
            &LoadOptions::default(),
        );
        let deal = loaded.ok().unwrap().deal;
        let mut decided = 0;
        for a in super::agreements(&policy, &deal, None) {
            let id = &policy.rules[a.rule].id;
            assert!(a.has_form, "{id}");
            assert_eq!(a.compiled, Some(a.evaluated), "{id} of {n}");
            assert_eq!(a.evaluated, Tv::True, "{id} of {n}");
            decided += 1;
        }
        assert_eq!(decided, 8, "{n}");
    }
}
