//! The interval reasoning of `covenant lint`, case by case: what must be found (with the text
//! it underlines) and, as important, what must not be.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

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
    // A repealed rule is kept for the deals made while it applied (SPEC §12): no finding,
    // whether the status is the rule's or the header's; another status still draws one.
    none("status repealed\neffective 2025-01-01 until 2026-06-01\nrequire board seats > 5");
    assert_eq!(
        rule("status in-force\neffective 2025-01-01 until 2026-06-01\nrequire board seats > 5"),
        ["expired-window@2026-06-01"]
    );
    assert!(found("policy \"p\"\n  status repealed\n  effective 2025-01-01 until 2026-01-01\nrule r {\n  cite \"x\"\n  require board seats > 5\n}").is_empty());
    assert!(found("policy \"p\"\n  status repealed\nrule r {\n  cite \"x\"\n  effective 2025-01-01 until 2026-01-01\n  require board seats > 5\n}").is_empty());
    // The header's default window.
    assert_eq!(
        found("policy \"p\"\n  effective 2025-01-01 until 2026-01-01\nrule r {\n  cite \"x\"\n  require board seats > 5\n}"),
        ["expired-window@2026-01-01"]
    );
    assert_eq!(
        found("policy \"p\"\n  effective 2027-01-01 until 2026-01-01\nrule r {\n  cite \"x\"\n  require board seats > 5\n}"),
        ["empty-window@2026-01-01"]
    );
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

/// Exhaustively: two bounds on one number joined by `and`, `or` or `not (… or …)`. Lint says
/// `never-passes` exactly when no deal passes, and `never-fails` exactly when every deal (with
/// a value) passes, judged by evaluating deals with values below, on, between and above the
/// bounds.
#[test]
fn interval_reasoning_agrees_with_evaluation() {
    let ops = ["<", "<=", ">", ">=", "=", "!="];
    // Seats are whole numbers (SPEC §8): the bounds and samples are scaled by ten, so a sample
    // still falls between each two bounds.
    let bounds = ["30", "50", "70"];
    let samples = ["20", "30", "35", "40", "50", "55", "60", "70", "75", "80"];
    let forms = ["{a} and {b}", "{a} or {b}", "not ({a} or {b})"];
    let deals: Vec<String> = samples
        .iter()
        .map(|s| format!("proposal: \"p\"\nboard: {{ seats: {s} }}\n"))
        .collect();
    let mut checked = 0;
    for form in forms {
        for op1 in ops {
            for b1 in bounds {
                for op2 in ops {
                    for b2 in bounds {
                        let a = format!("board seats {op1} {b1}");
                        let b = format!("board seats {op2} {b2}");
                        let clause = form.replace("{a}", &a).replace("{b}", &b);
                        let text = format!("rule r {{\n  cite \"x\"\n  require {clause}\n}}\n");
                        let policy = match covenant::resolve::compile_str("t.policy", &text) {
                            Ok(c) => c.policy,
                            Err(e) => panic!("{text}: {e:?}"),
                        };
                        let passes: Vec<bool> = deals
                            .iter()
                            .map(|d| {
                                let deal = covenant::deal::load(
                                    covenant::source::SourceFile::new("d.yaml", d.as_str()),
                                    "d.yaml".into(),
                                    1,
                                    covenant::deal::Format::Yaml,
                                    &policy.schema,
                                    &Default::default(),
                                )
                                .unwrap()
                                .deal;
                                let r = covenant::eval::evaluate(&policy, &deal, None);
                                r[0].outcome.as_str() == "pass"
                            })
                            .collect();
                        let codes: Vec<String> = lint_str("t.policy", &text, today())
                            .findings
                            .iter()
                            .map(|f| f.code.clone())
                            .collect();
                        let never_passes = codes.iter().any(|c| c.ends_with("never-passes"));
                        let never_fails = codes.iter().any(|c| c.ends_with("never-fails"));
                        assert_eq!(
                            never_passes,
                            passes.iter().all(|p| !p),
                            "{clause}: {passes:?}"
                        );
                        assert_eq!(
                            never_fails,
                            passes.iter().all(|p| *p),
                            "{clause}: {passes:?}"
                        );
                        checked += 1;
                    }
                }
            }
        }
    }
    assert_eq!(checked, 3 * 6 * 3 * 6 * 3);
}

/// Soundness over lists: bounds on each party's stake through implicit each, `every`, `some`
/// and `no`, checked against deals with zero, one and two parties. `never-passes` as an error:
/// no deal passes; as a warning: only deals without parties pass; `never-fails`: every deal
/// passes.
#[test]
fn reasoning_over_elements_is_sound() {
    let ops = ["<", "<=", ">", ">=", "=", "!="];
    let bounds = ["3%", "5%", "7%"];
    let samples = ["2%", "3%", "4%", "5%", "6%", "7%", "8%"];
    let forms = [
        "require party stake {1} and party stake {2}",
        "require party stake {1}\n  require every party: stake {2}",
        "require every party: stake {1} or stake {2}",
        "require some party where stake {1}\n  require no party where stake {2}",
        "require (some party where stake {1}) or (no party where stake {2})",
        "require (some party where stake {1}) and (some party where stake {2})",
    ];
    let mut deals: Vec<(usize, String)> = vec![(0, "parties: []".to_string())];
    for a in samples {
        deals.push((1, format!("parties: [{{ name: \"a\", stake: \"{a}\" }}]")));
        for b in samples {
            deals.push((
                2,
                format!("parties: [{{ name: \"a\", stake: \"{a}\" }}, {{ name: \"b\", stake: \"{b}\" }}]"),
            ));
        }
    }
    let schema = covenant::schema::Schema::standard();
    let deals: Vec<(usize, covenant::deal::tree::Deal)> = deals
        .into_iter()
        .map(|(n, d)| {
            let text = format!("proposal: \"p\"\n{d}\n");
            let deal = covenant::deal::load(
                covenant::source::SourceFile::new("d.yaml", text),
                "d.yaml".into(),
                1,
                covenant::deal::Format::Yaml,
                &schema,
                &Default::default(),
            )
            .unwrap()
            .deal;
            (n, deal)
        })
        .collect();
    let (mut strict, mut vacuous, mut tautologies) = (0, 0, 0);
    for form in forms {
        for op1 in ops {
            for b1 in bounds {
                for op2 in ops {
                    for b2 in bounds {
                        let clauses = form
                            .replace("{1}", &format!("{op1} {b1}"))
                            .replace("{2}", &format!("{op2} {b2}"));
                        let text = format!("rule r {{\n  cite \"x\"\n  {clauses}\n}}\n");
                        let policy = covenant::resolve::compile_str("t.policy", &text)
                            .unwrap_or_else(|e| panic!("{text}: {e:?}"))
                            .policy;
                        let passing: Vec<usize> = deals
                            .iter()
                            .filter(|(_, d)| {
                                covenant::eval::evaluate(&policy, d, None)[0]
                                    .outcome
                                    .as_str()
                                    == "pass"
                            })
                            .map(|(n, _)| *n)
                            .collect();
                        let report = lint_str("t.policy", &text, today());
                        for f in &report.findings {
                            match (f.code.as_str(), f.severity) {
                                ("covenant::lint::never-passes", Severity::Error) => {
                                    strict += 1;
                                    assert!(passing.is_empty(), "{clauses}: {passing:?}");
                                }
                                ("covenant::lint::never-passes", _) => {
                                    vacuous += 1;
                                    assert!(passing.iter().all(|n| *n == 0), "{clauses}");
                                }
                                ("covenant::lint::never-fails", _) => {
                                    tautologies += 1;
                                    assert_eq!(passing.len(), deals.len(), "{clauses}");
                                }
                                (code, _) => panic!("{clauses}: unexpected {code}"),
                            }
                        }
                    }
                }
            }
        }
    }
    // The reasoning does find things here, of every kind.
    assert!(
        strict > 0 && vacuous > 0 && tautologies > 0,
        "{strict} {vacuous} {tautologies}"
    );
}

/// SPEC §8: a yes/no element of a quantifier matches only when it is true, so lint reads
/// `some technology source code escrow` as `some technology where source code escrow`.
#[test]
fn a_yes_no_quantifier_is_a_condition_on_each_record() {
    assert_eq!(
        rule("require some technology source code escrow\nrequire every technology: not source code escrow"),
        ["never-passes@technology source code escrow"]
    );
    none("require some technology source code escrow\nrequire some technology: not source code escrow");
}
