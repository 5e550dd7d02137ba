//! The interval reasoning of `covenant lint`, case by case: what must be found (with the text
//! it underlines) and, as important, what must not be.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use covenant::lint::{lint_str, Severity};

fn today() -> jiff::civil::Date {
    jiff::civil::date(2026, 6, 1)
}

/// `code-name@underlined` (the code without its `covenant::lint::` prefix) for every finding
/// except `missing-cite`; compile errors panic.
fn found(body: &str) -> Vec<String> {
    let text = format!("{body}\n");
    let report = lint_str("t.policy", &text, today());
    report
        .findings
        .iter()
        .filter(|f| f.code != "covenant::lint::missing-cite")
        .map(|f| {
            let name = f
                .code
                .strip_prefix("covenant::lint::")
                .unwrap_or_else(|| panic!("not a lint finding: {f:?}"));
            format!("{name}@{}", f.underlined.as_deref().unwrap_or(""))
        })
        .collect()
}

fn rule(clauses: &str) -> Vec<String> {
    found(&format!("rule r {{\n  cite \"x\"\n{clauses}\n}}"))
}

fn none(clauses: &str) {
    assert_eq!(rule(clauses), Vec::<String>::new(), "{clauses}");
}

#[test]
fn contradictory_bounds_never_pass() {
    assert_eq!(
        rule("require board seats > 11 and board seats < 5"),
        ["never-passes@board seats > 11"]
    );
    assert_eq!(
        rule("require investment >= USD 10M\nrequire investment < USD 1M"),
        ["never-passes@investment >= USD 10M"]
    );
    assert_eq!(
        rule("require date >= 2026-01-01 and date < 2026-01-01"),
        ["never-passes@date >= 2026-01-01"]
    );
    assert_eq!(
        rule("require board seats >= 5 and board seats <= 5 and board seats != 5"),
        ["never-passes@board seats >= 5"]
    );
    assert_eq!(
        rule("require board seats in [1, 2] and board seats > 2"),
        ["never-passes@board seats in [1, 2]"]
    );
    assert_eq!(
        rule("require sector = \"auto\"\nrequire sector = \"energy\""),
        ["never-passes@sector = \"auto\""]
    );
    assert_eq!(
        rule("require total party stake > 60% and total party stake < 40%"),
        ["never-passes@total party stake > 60%"]
    );
    assert_eq!(rule("require false"), ["never-passes@false"]);
    assert_eq!(
        rule("require board seats must be at least 5\nrequire board seats is less than 5"),
        ["never-passes@board seats must be at least 5"]
    );
}

#[test]
fn definitions_bound_to_constants_are_bounds() {
    assert_eq!(
        found("let cap = 40%\nrule r {\n  cite \"x\"\n  require total party stake > 50% and total party stake < cap\n}"),
        ["never-passes@total party stake > 50%"]
    );
    assert_eq!(
        found("let home = \"US\"\nlet onshore = [home]\nrule r {\n  cite \"x\"\n  require jurisdiction in onshore and jurisdiction != home\n}"),
        ["never-passes@jurisdiction in onshore"]
    );
}

#[test]
fn satisfiable_bounds_are_not_reported() {
    none("require board seats >= 5 and board seats <= 5");
    none("require board seats > 5 and board seats >= 5");
    none("require board seats > 4 and board seats < 5");
    none("require investment > USD 5M and investment < EUR 1M");
    none("require total party stake > 50% and count of parties < 50");
    none("require board seats > 11 or board seats < 5");
    none("require sector != \"auto\" and sector != \"energy\"");
    none("require no technology");
    none("require board seats > 5\nrequire total party board seats < 5");
}

#[test]
fn contradictions_over_each_element_pass_only_on_an_empty_list() {
    assert_eq!(
        rule("require every party: stake > 60% and stake < 40%"),
        ["never-passes@stake > 60%"]
    );
    assert_eq!(
        rule("require party stake > 60%\nrequire every party: stake < 40%"),
        ["never-passes@party stake > 60%"]
    );
    let r = lint_str(
        "t.policy",
        "rule r {\n  cite \"x\"\n  require every party: stake > 60% and stake < 40%\n}\n",
        today(),
    );
    assert_eq!(r.findings[0].severity, Severity::Warning);
    assert!(
        r.findings[0].message.contains("only when `party` is empty"),
        "{}",
        r.findings[0].message
    );
    // A `some` needs an element: no longer vacuous.
    assert_eq!(
        rule("require some party where stake > 50%\nrequire no party where stake >= 50%"),
        ["never-passes@stake > 50%"]
    );
    let r = lint_str(
        "t.policy",
        "rule r {\n  cite \"x\"\n  require some party where stake > 50%\n  require no party where stake >= 50%\n}\n",
        today(),
    );
    assert_eq!(r.findings[0].severity, Severity::Error);
}

#[test]
fn each_element_is_its_own_value() {
    // Different parties may have different stakes.
    none("require some party where stake > 60%\nrequire some party where stake < 40%");
    none("require party stake >= 10% or party stake < 10%");
    // A list quantified again inside its own quantifier has other elements.
    none("require every party: stake > 50% and (some parties where stake < 10%)");
}

#[test]
fn tautologies_never_fail() {
    assert_eq!(
        rule("require total party stake >= 10% or total party stake < 10%"),
        ["never-fails@total party stake >= 10% or total party stake < 10%"]
    );
    assert_eq!(
        rule("require every party: stake > 50% or stake <= 50%"),
        ["never-fails@every party: stake > 50% or stake <= 50%"]
    );
    assert_eq!(
        rule("require cfius filed or not cfius filed"),
        ["never-fails@cfius filed or not cfius filed"]
    );
    assert_eq!(rule("require true"), ["never-fails@true"]);
    assert_eq!(
        rule("when board seats > 10\nrequire board seats >= 5"),
        ["never-fails@board seats >= 5"]
    );
    assert_eq!(
        rule("require board seats > 5\nunless true"),
        ["never-fails@true"]
    );
    assert_eq!(
        found("rule r {\n  cite \"x\"\n  when sector = \"auto\"\n}"),
        ["never-fails@r"]
    );
}

#[test]
fn guards_that_never_hold() {
    assert_eq!(
        rule("when false\nrequire board seats > 5"),
        ["always-false-when@false"]
    );
    assert_eq!(
        rule("when sector = \"auto\"\nwhen sector = \"energy\"\nrequire board seats > 5"),
        ["always-false-when@sector = \"auto\""]
    );
    assert_eq!(
        found("policy \"p\"\n  jurisdiction \"US\"\nrule r {\n  cite \"x\"\n  when jurisdiction = \"CN\"\n  require board seats > 5\n}"),
        ["always-false-when@jurisdiction = \"CN\""]
    );
    none("when sector = \"auto\" or sector = \"energy\"\nrequire board seats > 5");
    none("when some party where stake > 50%\nrequire board seats > 5");
}

#[test]
fn windows() {
    assert_eq!(
        rule("effective 2026-01-01 until 2025-01-01\nrequire board seats > 5"),
        ["empty-window@2025-01-01"]
    );
    assert_eq!(
        rule("effective 2025-01-01 until 2026-06-01\nrequire board seats > 5"),
        ["expired-window@2026-06-01"]
    );
    none("effective 2025-01-01 until 2026-06-02\nrequire board seats > 5");
    none("effective 2030-01-01\nrequire board seats > 5");
}

#[test]
fn definitions() {
    assert_eq!(
        found("let cap = 40%\nlet unused = 5\nrule r {\n  cite \"x\"\n  require total party stake < cap\n}"),
        ["unused-definition@unused"]
    );
    // Used only by an unused definition: unused as well.
    assert_eq!(
        found("let a = 5\nlet b = a\nrule r {\n  cite \"x\"\n  require board seats > 1\n}"),
        ["unused-definition@a", "unused-definition@b"]
    );
    assert_eq!(
        found("let stake cap = 40%\nrule r {\n  cite \"x\"\n  require total party stake < stake cap\n}"),
        Vec::<String>::new()
    );
    assert_eq!(
        found("let name = \"Acme\"\nrule r {\n  cite \"x\"\n  require proposal != name\n}"),
        ["shadows-field@name"]
    );
}

#[test]
fn missing_cites_are_infos() {
    let r = lint_str("t.policy", "rule r: board seats > 5\n", today());
    assert_eq!(r.findings.len(), 1);
    assert_eq!(r.findings[0].code, "covenant::lint::missing-cite");
    assert_eq!(r.findings[0].severity, Severity::Info);
    assert_eq!(r.findings[0].underlined.as_deref(), Some("r"));
    assert_eq!(r.exit_code(), 0);
}
