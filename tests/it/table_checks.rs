//! The compile-time checks of lookup tables (SPEC §8): rows that can match the same keys
//! (`covenant::table::overlap`), open `from` rows out of order (`::unordered`), cells a table
//! does not take (`::bad-cell`), typed cells and values, country codes in cells; and how
//! `covenant lint` treats tables (rows are no windows, cells use definitions, a table's value
//! is no constant).

use crate::common::*;

#[test]
fn overlapping_tables_do_not_compile() {
    for (rows, keys) in [
        (
            "  from 2020-01-01 until 2022-01-01: 1\n  from 2021-01-01: 2\n",
            "date",
        ),
        ("  50%: 1\n  50.0%: 2\n", "stake"),
        ("  [\"CN\", \"RU\"]: 1\n  \"RU\": 2\n", "sector"),
        ("  any: 1\n  \"CN\": 2\n", "sector"),
        (
            "  \"CN\", any: 1\n  any, \"x\": 2\n",
            "sector, jurisdiction",
        ),
        ("  from 10%: 1\n  20%: 2\n", "stake"),
        ("  \"vcs\": 1\n  \"VCS\": 2\n", "sector"),
        ("  USD 1B: 1\n  USD 1_000M: 2\n", "deal investment"),
        (
            "  from 2020-01-01 until 2022-01-01, any: 1\n  2021-06-30, \"x\": 2\n",
            "deal date, sector",
        ),
    ] {
        let p = format!("define party v: table by {keys}:\n{rows}rule r: every party: v > 0\n");
        let errors = compile_errors(&p);
        assert!(
            errors.contains(&"covenant::table::overlap".to_string()),
            "{p}: {errors:?}"
        );
    }
    // Rows apart in one column never overlap.
    let p = "define party v: table by country, stake:\n  \"CN\", any: 1\n  \"US\", from 0%: 2\nrule r: every party: v > 0\n";
    policy(p);
}

#[test]
fn open_rows_out_of_order_are_unordered() {
    let p =
        "let v = table by date:\n  from 2023-07-01: 75%\n  from 2020-07-01: 66%\nrule r: v > 0%\n";
    assert_eq!(compile_errors(p), ["covenant::table::unordered"]);
    // Ordered within each group of rows with the same other cells is enough.
    let p = "let v = table by sector, date:
  \"a\", from 2023-01-01: 3
  \"b\", from 2020-01-01: 1
  \"a\", from 2024-01-01: 4
rule r: v > 0
";
    policy(p);
}

#[test]
fn bad_cells_do_not_compile() {
    for (cells, what) in [
        ("  party stake: 1\n", "a phrase that is no definition"),
        ("  1 + 2: 1\n", "arithmetic"),
        ("  \"a\", \"b\": 1\n", "two cells for one key"),
        ("  from \"a\": 1\n", "`from` on strings"),
        ("  []: 1\n", "an empty list"),
    ] {
        let p = format!("let v = table by sector:\n{cells}rule r: v > 0\n");
        let errors = compile_errors(&p);
        assert_eq!(errors[0], "covenant::table::bad-cell", "{what}: {errors:?}");
    }
    let p = "let v = table by date:\n  from 2022-01-01 until 2021-01-01: 1\nrule r: v > 0\n";
    assert_eq!(compile_errors(p), ["covenant::table::bad-cell"]);
}

#[test]
fn cells_and_values_are_typed() {
    for (table, what) in [
        (
            "table by date:\n  50%: 1\n",
            "a percent cell for a date key",
        ),
        (
            "table by sector:\n  \"a\": 1\n  \"b\": 2%\n",
            "values of two units",
        ),
        (
            "table by date:\n  from 2020-01-01: 1\n  otherwise: \"x\"\n",
            "otherwise of another type",
        ),
        (
            "table by investment:\n  from USD 1M until EUR 2M: 1\n",
            "two currencies",
        ),
        (
            "table by investment:\n  from USD 1M: 1\n  from EUR 2M: 2\n",
            "two currencies in a column",
        ),
    ] {
        let p = format!("let v = {table}rule r: v = v\n");
        let errors = compile_errors(&p);
        assert_eq!(
            errors[0], "covenant::type::unit-mismatch",
            "{what}: {errors:?}"
        );
    }
}

/// The codes `covenant lint` finds in a policy, on 2026-06-01.
fn lint_codes(text: &str) -> Vec<String> {
    let r = covenant::lint::lint_str("test.policy", text, jiff::civil::date(2026, 6, 1));
    r.findings.into_iter().map(|f| f.code).collect()
}

#[test]
fn rows_in_the_past_are_not_expired_windows() {
    let p = "let floor = table by date:
  from 2010-01-01 until 2011-01-01: 10%
  from 2011-01-01: 20%
rule r \"r\" {
  cite \"a source\"
  require every plant: local content >= floor
}
";
    assert_eq!(lint_codes(p), Vec::<String>::new());
}

#[test]
fn a_definition_used_only_in_a_cell_is_used() {
    let p = "let covered = [\"CN\", \"RU\"]
let start = 2021-07-01
let cap = table by jurisdiction, date:
  covered, from start: 25%
  otherwise: 100%
rule r \"r\" {
  cite \"a source\"
  require every party: stake <= cap
}
";
    assert_eq!(lint_codes(p), Vec::<String>::new());
    let unused = p.replace("  otherwise: 100%\n", "  otherwise: 100%\nlet spare = 1\n");
    assert_eq!(lint_codes(&unused), ["covenant::lint::unused-definition"]);
}

#[test]
fn tables_written_alike_are_not_one_condition_to_lint() {
    // The two tables share their text up to the rows: `a and not b` holds for sector "x".
    let p = "let a = table by sector:
  \"x\": true
  otherwise: false
let b = table by sector:
  \"x\": false
  otherwise: true
rule r \"r\" {
  cite \"a source\"
  require a and not b
}
";
    assert_eq!(lint_codes(p), Vec::<String>::new());
    assert_eq!(one(p, "proposal: \"t\"\nsector: \"x\"\n"), "pass");
    // The same table read twice is one condition: `a and not a` never passes.
    let contradiction = p.replace("a and not b", "a and not a");
    assert!(
        lint_codes(&contradiction).contains(&"covenant::lint::never-passes".to_string()),
        "{:?}",
        lint_codes(&contradiction)
    );
}

#[test]
fn a_table_value_is_not_a_constant_to_lint() {
    // The floor is 66% or 75% by date: the rule may pass and may fail.
    let p = "let floor = table by date:
  from 2020-01-01 until 2021-01-01: 66%
  from 2021-01-01: 75%
rule r \"r\" {
  cite \"a source\"
  when sector = \"automotive\"
  require every plant: local content >= floor
  require floor > 70%
}
";
    assert_eq!(lint_codes(p), Vec::<String>::new());
}

#[test]
fn string_cells_of_a_country_key_are_country_codes() {
    let p = "let cap = table by jurisdiction:
  [\"CN\", \"UK\"]: 25%
  otherwise: 49%
rule r: every party: stake <= cap
";
    assert_eq!(compile_errors(p), ["covenant::type::bad-country"]);
}

#[test]
fn a_table_past_its_limits_is_too_large() {
    let n = covenant::resolve::typeck::MAX_TABLE_VALUES;
    let list: Vec<String> = (0..=n).map(|i| i.to_string()).collect();
    let p = format!(
        "let many = [{}]\nlet t = table by board seats:\n  many: 1\nrule r: t > 0\n",
        list.join(", ")
    );
    assert_eq!(compile_errors(&p), ["covenant::table::too-large"]);
    // At the limit, a list cell is found by binary search, not scanned.
    let list: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    let p = format!(
        "let many = [{}]\nlet t = table by board seats:\n  many: 1\n  otherwise: 2\nrule r: t = 1\n",
        list.join(", ")
    );
    assert_eq!(
        one(&p, "proposal: \"t\"\nboard: { seats: 24999 }\n"),
        "pass"
    );
    assert_eq!(
        one(&p, "proposal: \"t\"\nboard: { seats: 25000 }\n"),
        "fail"
    );
}
