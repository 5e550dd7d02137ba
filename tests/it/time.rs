//! Time (SPEC §9): the deal's dates, windows on a named date, `--as-of`, the phrase
//! `evaluation date`, durations with month ends and leap days, working days of a calendar,
//! and the evidence of computed dates.

use crate::common::*;
use covenant::report::prose;
use miette::Diagnostic;

const FIXTURES: &str = "tests/fixtures/time";

/// The notes of a single rule's evidence, and its message.
fn said(policy_text: &str, yaml: &str, as_of: Option<&str>) -> (String, String, Vec<String>) {
    let (_, r) = results(policy_text, yaml, as_of);
    let r = &r[0];
    (
        r.outcome.as_str().to_string(),
        prose::result_message(r).into_owned(),
        r.evidence.iter().map(prose::note).collect(),
    )
}

fn deal(dates: &[(&str, &str)]) -> String {
    let mut y = String::from("proposal: \"t\"\n");
    for (k, v) in dates {
        y.push_str(&format!("{k}: {v}\n"));
    }
    y
}

#[test]
fn months_keep_the_day_or_take_the_last_day_of_the_month() {
    for (on, rule) in [
        ("2024-01-31", "closing date + 1 month = 2024-02-29"),
        ("2024-02-29", "closing date + 1 year = 2025-02-28"),
        ("2024-03-31", "closing date - 1 month = 2024-02-29"),
        ("2024-07-11", "closing date + 30 days = 2024-08-10"),
        ("2024-07-11", "closing date - 2024-06-11 = 30"),
        ("2024-07-11", "year of closing date = 2024"),
        (
            "2024-01-31",
            "closing date + 1 month + 1 month = 2024-03-29",
        ),
        ("2024-01-31", "closing date + (1 + 1) months = 2024-03-31"),
    ] {
        let policy = format!("rule r: {rule}\n");
        assert_eq!(
            one(&policy, &deal(&[("closing_date", on)])),
            "pass",
            "{rule}"
        );
    }
}

#[test]
fn the_deal_dates_are_read_from_every_format() {
    let p = policy(
        "rule s: signing date = 2024-06-12\nrule c: closing date = 2024-07-11\n\
         rule i: implementation date = 2024-09-01\n",
    );
    let yaml = "proposal: \"t\"\nsigning_date: 2024-06-12\nclosing_date: \"2024-07-11\"\n\
                implementation_date: 2024-09-01\n";
    let json = r#"{"proposal":"t","signing_date":"2024-06-12","closing_date":"2024-07-11","implementation_date":"2024-09-01"}"#;
    let toml = "proposal = \"t\"\nsigning_date = 2024-06-12\nclosing_date = \"2024-07-11\"\n\
                implementation_date = 2024-09-01\n";
    for (name, text, format) in [
        ("d.yaml", yaml, covenant::deal::Format::Yaml),
        ("d.json", json, covenant::deal::Format::Json),
        ("d.toml", toml, covenant::deal::Format::Toml),
    ] {
        let loaded = covenant::deal::load(
            covenant::source::SourceFile::new(name, text),
            name.into(),
            1,
            format,
            &p.schema,
            &covenant::deal::LoadOptions::default(),
        )
        .unwrap_or_else(|e| panic!("{name}: {:?}", e.errors));
        assert!(loaded.warnings.is_empty(), "{name}: {:?}", loaded.warnings);
        let outcomes: Vec<&str> = covenant::eval::evaluate(&p, &loaded.deal, None)
            .iter()
            .map(|r| r.outcome.as_str())
            .collect();
        assert_eq!(outcomes, ["pass", "pass", "pass"], "{name}");
    }
}

#[test]
fn until_is_exclusive_on_a_named_date() {
    let policy =
        "rule r {\n  effective 2024-01-01 until 2024-07-11 on closing date\n  require true\n}\n";
    let on = |d: &str| {
        one(
            policy,
            &deal(&[("closing_date", d), ("date", "2024-01-05")]),
        )
    };
    assert_eq!(on("2024-07-11"), "not-applicable");
    assert_eq!(on("2024-07-10"), "pass");
    assert_eq!(on("2024-01-01"), "pass");
    assert_eq!(on("2023-12-31"), "not-applicable");
    let (_, message, _) = said(policy, &deal(&[("closing_date", "2024-07-11")]), None);
    assert_eq!(
        message,
        "not in effect on 2024-07-11 (the deal's `closing_date`): the rule applies [2024-01-01, 2024-07-11)"
    );
}

#[test]
fn as_of_replaces_the_date_a_window_tests_and_phrases_still_read_the_deal() {
    let policy = "rule r {\n  effective 2025-01-01 on closing date\n  require closing date < 2025-01-01\n}\n";
    let d = deal(&[("closing_date", "2024-07-11")]);
    assert_eq!(said(policy, &d, None).0, "not-applicable");
    // Under --as-of the window tests 2025-06-01; the body's `closing date` is the deal's.
    assert_eq!(said(policy, &d, Some("2025-06-01")).0, "pass");
    let (outcome, message, _) = said(policy, &d, Some("2024-12-31"));
    assert_eq!(outcome, "not-applicable");
    assert!(message.contains("on 2024-12-31 (--as-of)"), "{message}");
    // With --as-of the date the window tests is not read: a deal without it applies.
    let undated = deal(&[]);
    assert_eq!(said(policy, &undated, Some("2025-06-01")).0, "incomplete");
    let cfius = "rule r {\n  effective 2025-01-01 on closing date\n  require true\n}\n";
    assert_eq!(said(cfius, &undated, Some("2025-06-01")).0, "pass");
}

#[test]
fn a_missing_tested_date_makes_the_rule_incomplete_naming_its_field() {
    let policy = "rule r {\n  effective 2024-01-01 on closing date\n  require true\n}\n";
    let (outcome, message, notes) = said(policy, &deal(&[("date", "2024-05-01")]), None);
    assert_eq!(outcome, "incomplete");
    assert_eq!(
        message,
        "the rule is in effect from 2024-01-01, and the deal has no `closing_date`"
    );
    assert_eq!(
        notes,
        ["`closing_date` is missing: give the deal a closing date or pass --as-of"]
    );
    let (_, r) = results(policy, &deal(&[("date", "2024-05-01")]), None);
    assert_eq!(r[0].evidence[0].path.as_deref(), Some("closing_date"));
    // A computed date names the field it is computed from.
    let computed =
        "rule r {\n  effective 2024-01-01 on closing date - 30 days\n  require true\n}\n";
    let (outcome, message, _) = said(computed, &deal(&[]), None);
    assert_eq!(outcome, "incomplete");
    assert!(
        message.ends_with("the deal has no `closing_date`"),
        "{message}"
    );
    // The deal's `date`, as before.
    let dated = "rule r {\n  effective 2024-01-01\n  require true\n}\n";
    let (_, message, notes) = said(dated, &deal(&[]), None);
    assert_eq!(
        message,
        "the rule is in effect from 2024-01-01, and the deal has no `date`"
    );
    assert_eq!(
        notes,
        ["`date` is missing: give the deal a date or pass --as-of"]
    );
}

#[test]
fn a_rule_takes_the_headers_on_unless_it_says_its_own() {
    let policy = "policy \"p\"\n  effective 2024-01-01 on closing date\n\n\
        rule header-window: true\n\
        rule own-from {\n  effective 2024-07-01\n  require true\n}\n\
        rule own-on {\n  effective 2024-07-01 on date\n  require true\n}\n";
    let d = deal(&[("date", "2024-08-01"), ("closing_date", "2024-06-15")]);
    assert_eq!(
        outcomes(policy, &d),
        [
            "header-window=pass",
            "own-from=not-applicable",
            "own-on=pass"
        ]
    );
}

#[test]
fn a_window_on_a_computed_date_shows_how_it_was_computed() {
    let policy = "rule cfius-declaration {\n  effective 2024-07-01 on closing date - 30 days\n  require true\n}\n";
    let (outcome, message, notes) = said(policy, &deal(&[("closing_date", "2024-07-11")]), None);
    assert_eq!(outcome, "not-applicable");
    assert_eq!(
        message,
        "not in effect on 2024-06-11 (`closing date - 30 days`): the rule applies from 2024-07-01"
    );
    assert_eq!(
        notes,
        ["`closing date - 30 days` is 2024-07-11 - 30 days = 2024-06-11"]
    );
    assert_eq!(
        one(policy, &deal(&[("closing_date", "2024-07-31")])),
        "pass"
    );
}

#[test]
fn evaluation_date_in_a_definition_is_that_of_the_rule_using_it() {
    let policy = "let review year = year of evaluation date\n\
        define party late: year of evaluation date > 2023\n\
        define party counted: count of (parties where evaluation date > 2024-01-01)\n\
        rule on-signing {\n  effective 2000-01-01 on signing date\n  require review year = 2023\n}\n\
        rule on-closing {\n  effective 2000-01-01 on closing date\n  require review year = 2024\n}\n\
        rule on-date: review year = 2022\n\
        rule again-on-signing {\n  effective 2000-01-01 on signing date\n  require review year = 2023 and not (some party late)\n}\n\
        rule parties-on-closing {\n  effective 2000-01-01 on closing date\n  require every party: party late\n}\n\
        rule hoisted {\n  effective 2000-01-01 on closing date\n  require every party: party counted = 2\n}\n\
        rule hoisted-on-signing {\n  effective 2000-01-01 on signing date\n  require every party: party counted = 0\n}\n";
    let d =
        "proposal: \"t\"\ndate: 2022-05-01\nsigning_date: 2023-12-01\nclosing_date: 2024-02-01\n\
             parties:\n  - { name: \"A\", stake: \"50%\" }\n  - { name: \"B\", stake: \"50%\" }\n";
    assert_eq!(
        outcomes(policy, d),
        [
            "on-signing=pass",
            "on-closing=pass",
            "on-date=pass",
            "again-on-signing=pass",
            "parties-on-closing=pass",
            "hoisted=pass",
            "hoisted-on-signing=pass",
        ]
    );
    // Under --as-of every rule's evaluation date is the --as-of date.
    let all_2030 = outcomes_as_of(policy, d, Some("2030-01-01"));
    assert_eq!(
        all_2030,
        [
            "on-signing=fail",
            "on-closing=fail",
            "on-date=fail",
            "again-on-signing=fail",
            "parties-on-closing=pass",
            "hoisted=pass",
            "hoisted-on-signing=fail",
        ]
    );
}

#[test]
fn an_unknown_evaluation_date_is_unknown_naming_the_field() {
    let policy = "rule r: evaluation date >= 2024-01-01\n";
    let (outcome, _, notes) = said(policy, &deal(&[]), None);
    assert_eq!(outcome, "incomplete");
    assert_eq!(
        notes,
        ["the evaluation date is unknown: the deal has no `date` and no --as-of was given"]
    );
    assert_eq!(said(policy, &deal(&[]), Some("2024-02-01")).0, "pass");
    assert_eq!(
        said(policy, &deal(&[("date", "2023-02-01")]), None).0,
        "fail"
    );
}

#[test]
fn a_failing_comparison_shows_the_computed_date() {
    let policy = "rule filed-in-time: closing date <= signing date + 30 days\n";
    let d = deal(&[
        ("signing_date", "2024-06-12"),
        ("closing_date", "2024-07-20"),
    ]);
    let (outcome, _, notes) = said(policy, &d, None);
    assert_eq!(outcome, "fail");
    assert_eq!(
        notes,
        [
            "`closing date` is 2024-07-20, not <= 2024-07-12",
            "`signing date + 30 days` is 2024-06-12 + 30 days = 2024-07-12",
        ]
    );
    let (_, r) = results(policy, &d, None);
    let computed = &r[0].evidence[1];
    assert_eq!(computed.path.as_deref(), Some("signing_date"));
    assert_eq!(computed.location.as_ref().map(|l| l.line), Some(2));
    let days = "rule r: closing date - signing date <= 30\n";
    let (outcome, _, notes) = said(days, &d, None);
    assert_eq!(outcome, "fail");
    assert_eq!(
        notes,
        [
            "`closing date - signing date` is 38, not <= 30",
            "`closing date` is 2024-07-20",
            "`signing date` is 2024-06-12",
        ]
    );
}

#[test]
fn durations_that_give_no_date_are_unknown_with_their_reason() {
    let d = "proposal: \"t\"\nclosing_date: 2024-07-11\nboard: { seats: 7 }\n";
    let cases = [
        ("closing date + (board seats / 2) days > 2024-01-01", "fractional-duration",
         "cannot compute 2024-07-11 + 3.5 days: a duration is a whole number of days"),
        ("closing date + 8000 years > 2024-01-01", "date-range",
         "cannot compute 2024-07-11 + 8000 years: the date would fall outside the years 1 to 9999"),
        ("closing date - (board seats * 1000) years > 2024-01-01", "date-range",
         "cannot compute 2024-07-11 - 7000 years: the date would fall outside the years 1 to 9999"),
    ];
    for (rule, reason, note) in cases {
        let policy = format!("rule r: {rule}\n");
        let (_, r) = results(&policy, d, None);
        assert_eq!(r[0].outcome.as_str(), "incomplete", "{rule}");
        let e = &r[0].evidence[0];
        assert_eq!(
            covenant::report::words::reason_name(&e.note),
            Some(reason),
            "{rule}"
        );
        assert_eq!(prose::note(e), note, "{rule}");
        assert_eq!(e.path.as_deref(), Some("closing_date"), "{rule}");
    }
    // A missing date is missing, not a range error.
    let (_, r) = results(
        "rule r: closing date + 1 day > 2024-01-01\n",
        "proposal: \"t\"\n",
        None,
    );
    assert_eq!(
        covenant::report::words::reason_name(&r[0].evidence[0].note),
        Some("missing")
    );
}

#[test]
fn year_of_maps_over_a_list_of_dates() {
    let d = deal(&[]);
    assert_eq!(
        one("rule r: max year of [2024-01-01, 2025-06-01] = 2025\n", &d),
        "pass"
    );
    assert_eq!(
        one(
            "rule r: total year of [2024-01-01, 2025-06-01] = 4049\n",
            &d
        ),
        "pass"
    );
    assert_eq!(
        one("rule r: year of closing date = 2024\n", &d),
        "incomplete"
    );
}

/// The working-days policy of the fixtures, compiled from its file (its calendar is read
/// beside it), and its outcomes on a deal.
fn working_days(yaml: &str) -> Vec<String> {
    let path = std::path::PathBuf::from(format!("{FIXTURES}/working-days.policy"));
    let p = covenant::resolve::compile(&[path]).unwrap().policy;
    let d = load_yaml(&p, yaml);
    covenant::eval::evaluate(&p, &d, None)
        .iter()
        .map(|r| format!("{}={}", p.rules[r.rule].id, r.outcome.as_str()))
        .collect()
}

#[test]
fn working_days_skip_weekends_and_holidays() {
    // Thursday 2024-07-11 + 5 working days is Thursday 2024-07-18 (over a weekend).
    let on_time = deal(&[
        ("signing_date", "2024-07-11"),
        ("implementation_date", "2024-07-18"),
        ("closing_date", "2024-07-15"),
    ]);
    assert_eq!(
        working_days(&on_time),
        ["implemented-in-time=pass", "signed-before-closing=pass"]
    );
    let late = deal(&[
        ("signing_date", "2024-07-11"),
        ("implementation_date", "2024-07-19"),
        ("closing_date", "2024-07-12"),
    ]);
    assert_eq!(
        working_days(&late),
        ["implemented-in-time=fail", "signed-before-closing=fail"]
    );
    // Friday 2024-08-23 + 5: Monday 26 August is a holiday, so Friday 30 August; Tuesday
    // 2024-08-27 - 2 working days is Thursday 2024-08-22.
    let holiday = deal(&[
        ("signing_date", "2024-08-23"),
        ("implementation_date", "2024-08-30"),
        ("closing_date", "2024-08-27"),
    ]);
    assert_eq!(
        working_days(&holiday),
        ["implemented-in-time=pass", "signed-before-closing=fail"]
    );
    // Backwards over the holiday: 2024-08-28 - 2 working days is Friday 2024-08-23.
    let back = deal(&[
        ("signing_date", "2024-08-23"),
        ("implementation_date", "2024-08-23"),
        ("closing_date", "2024-08-28"),
    ]);
    assert_eq!(
        working_days(&back),
        ["implemented-in-time=pass", "signed-before-closing=pass"]
    );
}

#[test]
fn a_working_day_outside_the_calendar_is_unknown() {
    let path = std::path::PathBuf::from(format!("{FIXTURES}/working-days.policy"));
    let p = covenant::resolve::compile(&[path]).unwrap().policy;
    let d = load_yaml(
        &p,
        &deal(&[
            ("signing_date", "2024-12-23"),
            ("implementation_date", "2025-01-02"),
            ("closing_date", "2025-01-06"),
        ]),
    );
    let r = covenant::eval::evaluate(&p, &d, None);
    let outcomes: Vec<&str> = r.iter().map(|r| r.outcome.as_str()).collect();
    assert_eq!(outcomes, ["incomplete", "incomplete"]);
    let e = &r[0].evidence[0];
    assert_eq!(
        covenant::report::words::reason_name(&e.note),
        Some("outside-calendar")
    );
    assert_eq!(
        prose::note(e),
        "cannot compute 2024-12-23 + 5 working days: 2025-01-01 falls outside calendar \
         \"England and Wales bank holidays\", which covers 2024"
    );
    assert_eq!(
        prose::note(&r[1].evidence[0]),
        "cannot compute 2025-01-06 - 2 working days: 2025-01-05 falls outside calendar \
         \"England and Wales bank holidays\", which covers 2024"
    );
}

/// The words of SPEC §9 are words only in their place (SPEC §15): fields spelled so stay
/// reachable as phrases, back-quoted where the word is read otherwise.
#[test]
fn fields_spelled_like_the_new_words_stay_reachable() {
    let path = std::path::PathBuf::from(format!("{FIXTURES}/words.policy"));
    let p = covenant::resolve::compile(&[path]).unwrap().policy;
    let d = load_yaml(
        &p,
        "proposal: \"t\"\ndate: 2024-06-01\nyear: 2024\ndays: 5\non: \"time\"\nfrom: \"Paris\"\n\
         calendar: \"UK\"\nevaluation_date: 2024-01-31\n",
    );
    let outcomes: Vec<String> = covenant::eval::evaluate(&p, &d, None)
        .iter()
        .map(|r| format!("{}={}", p.rules[r.rule].id, r.outcome.as_str()))
        .collect();
    assert_eq!(
        outcomes,
        [
            "fiscal-year=pass",
            "days-field=pass",
            "on-field=pass",
            "from-field=pass",
            "calendar-field=pass",
            "evaluation-field=pass",
            "evaluation-date=pass",
            "year-of-field=pass",
        ]
    );
}

#[test]
fn a_duration_is_no_value_and_a_date_takes_no_bare_number() {
    for (text, help) in [
        ("rule r: closing date <= signing date + 30\n", "`30 days`"),
        ("rule r: closing date - 30 > date\n", "`30 days`"),
        ("rule r: 30 + closing date > date\n", "`30 days`"),
        ("rule r: 1 + 2 + closing date > date\n", "( … ) days"),
        ("rule r: closing date + board seats > date\n", "( … ) days"),
        (
            "rule r: closing date - signing date <= 30 days\n",
            "closing date <= signing date + 30 days",
        ),
        (
            "let grace = 30 days\nrule r: closing date <= signing date + grace\n",
            "closing date <= signing date + 30 days",
        ),
        (
            "rule r: board seats + 30 days > 3\n",
            "closing date <= signing date + 30 days",
        ),
        (
            "rule r: 30 days + closing date > date\n",
            "closing date <= signing date + 30 days",
        ),
        (
            "rule r: (board seats) days > 3\n",
            "closing date <= signing date + 30 days",
        ),
        (
            "rule r: closing date is within 30 days of signing date\n",
            "closing date <= signing date + 30 days",
        ),
    ] {
        let Err(diags) = covenant::resolve::compile_str("t.policy", text) else {
            panic!("compiled: {text}")
        };
        let d = diags.iter().next().unwrap();
        assert_eq!(
            d.code().map(|c| c.to_string()).as_deref(),
            Some("covenant::type::unit-mismatch"),
            "{text}"
        );
        let shown = d.help().map(|h| h.to_string()).unwrap_or_default();
        assert!(shown.contains(help), "{text}: {shown}");
    }
    // `( … ) days` over records is a projection: here an unknown phrase.
    assert_eq!(
        compile_errors("rule r: closing date + (parties) days > date\n"),
        ["covenant::resolve::unknown-phrase"]
    );
    // `date + date` is no sum.
    assert_eq!(
        compile_errors("rule r: closing date + signing date > date\n"),
        ["covenant::type::unit-mismatch"]
    );
}

#[test]
fn a_window_date_is_a_date_that_does_not_read_the_evaluation_date() {
    assert_eq!(
        compile_errors("rule r {\n  effective 2024-01-01 on board seats\n  require true\n}\n"),
        ["covenant::type::not-a-date"]
    );
    assert_eq!(
        compile_errors("rule r {\n  effective 2024-01-01 on evaluation date\n  require true\n}\n"),
        ["covenant::date::window-on-evaluation-date"]
    );
    // Reported once for a header's `on`, shared by its rules.
    let header = "policy \"p\"\n  effective 2024-01-01 on evaluation date - 1 day\n\nrule a: true\nrule b: true\n";
    assert_eq!(
        compile_errors(header),
        ["covenant::date::window-on-evaluation-date"]
    );
    assert_eq!(
        compile_errors("rule r: closing date + 5 working days > date\n"),
        ["covenant::date::no-calendar"]
    );
}

/// Every report shows the computed dates and the reasons of §9 (spec-v2-notes part E, F).
#[test]
fn every_format_shows_the_computed_dates() {
    let policy = format!("{FIXTURES}/deadlines.policy");
    let deal = format!("{FIXTURES}/late.yaml");
    let note = "`signing date + 30 days` is 2024-06-12 + 30 days = 2024-07-12";
    let (code, json, _) = covenant(&["check", "-p", &policy, &deal, "--format", "json"]);
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let rules = &v["deals"][0]["rules"];
    let evidence = &rules[0]["evidence"];
    let computed = evidence
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["note"] == note)
        .unwrap_or_else(|| panic!("{evidence}"));
    assert_eq!(computed["path"], "signing_date");
    assert_eq!(computed["value"], "2024-07-12");
    assert_eq!(computed["line"], 3);
    assert_eq!(rules[1]["outcome"], "pass");
    assert_eq!(rules[2]["outcome"], "incomplete");
    assert_eq!(rules[2]["evidence"][0]["reason"], "date-range");
    // The human report's finding gives the date it was computed from, at its line.
    let (_, out, _) = covenant(&["check", "-p", &policy, &deal, "--color", "never"]);
    assert!(
        out.contains("late.yaml:3  signing_date: 2024-06-12"),
        "{out}"
    );
    assert!(
        out.contains("Cannot compute 2024-07-20 + 8000 years"),
        "{out}"
    );
    for format in ["human", "markdown"] {
        let (_, out, _) = covenant(&[
            "check",
            "-p",
            &policy,
            &deal,
            "--format",
            format,
            "--verbose",
            "--color",
            "never",
        ]);
        assert!(out.contains(note), "{format}: {out}");
        assert!(
            out.contains("cannot compute 2024-07-20 + 8000 years"),
            "{format}: {out}"
        );
    }
    let (_, out, _) = covenant(&[
        "explain",
        "-p",
        &policy,
        &deal,
        "--rule",
        "close-within-30-days",
    ]);
    assert!(out.contains(note), "{out}");
    let (_, out, _) = covenant(&[
        "explain",
        "-p",
        &policy,
        &deal,
        "--rule",
        "declaration-window",
    ]);
    assert!(
        out.contains("effective 2024-06-01 on closing date - 30 days"),
        "{out}"
    );
    assert!(
        out.contains("`closing date - 30 days` is 2024-07-20 - 30 days = 2024-06-20"),
        "{out}"
    );
    // Under --as-of the window tests the --as-of date.
    let (_, json, _) = covenant(&[
        "check",
        "-p",
        &policy,
        &deal,
        "--format",
        "json",
        "--as-of",
        "2024-05-31",
    ]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let declaration = &v["deals"][0]["rules"][1];
    assert_eq!(declaration["outcome"], "not-applicable");
    assert_eq!(
        declaration["message"],
        "not in effect on 2024-05-31 (--as-of): the rule applies from 2024-06-01"
    );
}

/// The example of `docs/syntax.md` for dates parses, and is in `fmt`'s layout.
#[test]
fn the_syntax_example_of_dates_parses() {
    let doc = std::fs::read_to_string("docs/syntax.md").unwrap();
    let section = doc.split("## Dates and durations").nth(1).unwrap();
    let block = section
        .split("```covenant\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .unwrap();
    let source = covenant::source::SourceFile::new("syntax.md", block);
    let formatted = covenant::syntax::format_policy(&source).unwrap();
    assert_eq!(formatted, block);
}
