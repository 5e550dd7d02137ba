//! Unit tests of evaluation internals: the work a body over many elements does, and the
//! locations and de-duplication of evidence.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests"
)]

use crate::deal::tree::Deal;
use crate::deal::{self, Format, LoadOptions};
use crate::resolve::ir::ExprKind as K;
use crate::resolve::{compile_str, Policy};
use crate::source::{SourceFile, Span};

use super::evidence::{self, Locator};
use super::expr::{Evaluator, Quick, Tracing, WithEvidence};
use super::outcome::{DealLocation, Element, Evidence, Note, Shown};
use crate::number::Exact;
use crate::value::Scalar;

fn policy(text: &str) -> Policy {
    compile_str("t.policy", text).map(|c| c.policy).unwrap()
}

fn deal(p: &Policy, json: &str) -> Deal {
    deal::load(
        SourceFile::new("d.json", json),
        "d.json".into(),
        1,
        Format::Json,
        &p.schema,
        &LoadOptions::default(),
    )
    .unwrap()
    .deal
}

fn parties(n: usize) -> String {
    let parties: Vec<String> = (0..n)
        .map(|i| format!(r#"{{"name":"P{i}","profit_share":"1%"}}"#))
        .collect();
    format!(r#"{{"proposal":"x","parties":[{}]}}"#, parties.join(","))
}

#[test]
fn a_count_that_reads_no_party_is_computed_once_for_the_whole_body() {
    let p = policy("rule r: every party: profit share = 100% / count of parties\n");
    let d = deal(&p, &parties(100));
    let rule = &p.rules[0];
    let mut ev = Evaluator::new(&p, &d);
    assert_eq!(
        ev.truth::<Quick>(&rule.require[0]).tv,
        super::expr::Tv::True
    );
    // One entry: `count of parties`, kept with its value for every later party.
    let K::Quant {
        body: Some(body), ..
    } = &rule.require[0].kind
    else {
        panic!("{:?}", rule.require[0].kind)
    };
    let K::Compare { lhs, rhs, .. } = &body.kind else {
        panic!("{:?}", body.kind)
    };
    let K::Arith { rest, .. } = &rhs.kind else {
        panic!("{:?}", rhs.kind)
    };
    let [(_, count)] = rest.as_slice() else {
        panic!("{rest:?}")
    };
    assert!(ev.is_hoisted(count));
    assert!(
        ev.is_hoisted(rhs),
        "`100% / count of parties` reads no party either"
    );
    assert!(!ev.is_hoisted(lhs), "`profit share` reads the party");
    assert_eq!(ev.hoisted_values(), 2);
    assert_eq!(
        ev.hoist_probes(),
        101,
        "one probe of the quotient per party, one of the count when the quotient is computed"
    );
}

#[test]
fn a_list_that_reads_the_item_is_computed_for_each_element() {
    let p =
        policy("rule r: every technology: count of (parties where name = technology owner) = 1\n");
    let techs: Vec<String> = (0..5)
        .map(|i| format!(r#"{{"name":"T{i}","owner":"P{i}"}}"#))
        .collect();
    let text = parties(5).replace("]}", &format!(r#"],"technology":[{}]}}"#, techs.join(",")));
    let d = deal(&p, &text);
    let mut ev = Evaluator::new(&p, &d);
    assert_eq!(
        ev.truth::<Quick>(&p.rules[0].require[0]).tv,
        super::expr::Tv::True
    );
    // The count and the filter each read the item: no slot, computed for each element.
    assert_eq!(p.hoist_slots, 0);
    assert_eq!(ev.hoisted_values(), 0);
}

#[test]
fn only_values_that_read_no_enclosing_item_get_a_slot() {
    // `count of parties` reads nothing from the party or the technology; the filter reads the
    // technology (one binder out of its condition), so it and its count are per element.
    let p = policy(
        "rule r: every party: some technology: count of (parties where name = technology owner) < count of parties\n",
    );
    assert_eq!(p.hoist_slots, 1);
    let techs = r#"[{"name":"T0","owner":"P0"}]"#;
    let text = parties(3).replace("]}", &format!(r#"],"technology":{techs}}}"#));
    let d = deal(&p, &text);
    let mut ev = Evaluator::new(&p, &d);
    assert_eq!(
        ev.truth::<Quick>(&p.rules[0].require[0]).tv,
        super::expr::Tv::True
    );
    assert_eq!(ev.hoisted_values(), 1);
    assert_eq!(ev.hoist_probes(), 3, "once per party and technology");
}

#[test]
fn the_locator_agrees_with_line_col_in_any_order() {
    let text = "{\"a\": \"é\",\n \"b\":\n\n  \"ü日本\", \"c\": 1}\n";
    let p = policy("rule r: board seats > 1\n");
    let mut d = deal(&p, "{\"proposal\":\"x\"}");
    d.source = SourceFile::new("d.json", text);
    let offsets: Vec<usize> = (0..=text.len() + 2).collect();
    let mut loc = Locator::new(&d);
    let order = offsets
        .iter()
        .chain(offsets.iter().rev())
        .chain(offsets.iter().step_by(3));
    for &o in order {
        let span = Span::new(o, o + 1);
        let got = loc.locate(Some(span)).unwrap();
        let (line, column) = d.line_col(span);
        assert_eq!((got.line, got.column), (line, column), "offset {o}");
    }
    assert!(loc.locate(None).is_none());
}

fn shown(i: usize) -> Evidence {
    Evidence {
        element: Some(Element {
            kind: "party".into(),
            name: None,
            index: i % 50,
        }),
        path: None,
        value: Some(Shown::Scalar(Scalar::Number(Exact::ONE))),
        bound: None,
        op: None,
        margin: None,
        note: Note::Part {
            subject: format!("note {}", i % 50).into(),
        },
        location: Some(DealLocation {
            span: Span::new(i % 50, i % 50 + 1),
            line: 1,
            column: i % 50 + 1,
            end_line: 1,
            end_column: i % 50 + 2,
        }),
        more: None,
    }
}

#[test]
fn long_evidence_is_kept_free_of_repeats_in_order() {
    let all: Vec<Evidence> = (0..200).map(shown).collect();
    let mut naive: Vec<Evidence> = Vec::new();
    for e in &all {
        if !naive.contains(e) {
            naive.push(e.clone());
        }
    }
    let mut s = evidence::Distinct::with_room(0);
    for e in all {
        s.push(e);
    }
    assert!(s.has_span(Span::new(49, 50)));
    assert!(!s.has_span(Span::new(50, 51)));
    assert_eq!(s.into_list(), naive);
}

/// The quick pass (truth values only, with shortcuts for scalars found in place) decides every
/// condition as the full pass (facts collected, no shortcuts) does, on missing, null, unknown
/// and mistyped operands too.
#[test]
fn the_quick_pass_decides_as_the_full_pass() {
    let p = policy(
        r#"let home = "US"
let covered = ["CN", "RU"]
let foreign partner = parties where country != home
let maybe partner = parties where government stake > 10%
let nobody = parties where country = "AQ"
let zero = total nobody stake
let big = investment
rule r1: every party: country = home
rule r2: some party where country in covered: government stake >= 25%
rule r3: no party where country not in [home, "DE"]
rule r4: investment > USD 1B
rule r5: cfius filed
rule r6: every technology: source code escrow
rule r7: every party: stake <= 50%
rule r8: every party: country in ["US", home]
rule r9: every maybe partner: country != home
rule r10: every party: zero <= stake
rule r11: every party: big >= USD 1M
rule r12: some party: name = "A"
rule r13: date >= 2026-01-01
rule r14: every party where stake > 10%: country in covered
rule r15: every party: government stake = 0%
rule r16: at least 2 parties where country != home
rule r17: data must stay in [home]
rule r18: every data: every transfer: transfer in [home, "DE"]
rule r19: data transfers not in covered
rule r20: data must stay in [home, "DE"]
rule r21: some technology where category = "vcs"
rule r22: sector not in ["automotive", "mining"]
rule r23: sector != "automotive"
rule r24: waivers contains "US-CONTROL"
rule r25: every technology: category in ["vcs", "VCS"]
"#,
    );
    // More elements than evidence names: past the first ten, the full pass finds truth values
    // as the quick pass does.
    let many = mixed_parties();
    let deals = [
        many.as_str(),
        r#"{"proposal":"a","investment":"USD 2B","cfius_filed":true,"date":"2026-05-01","parties":[{"name":"A","country":"US","stake":"60%","government_stake":"0%"},{"name":"B","country":"CN","stake":"40%","government_stake":"30%"}],"technology":[{"name":"t","source_code_escrow":false}],"data":[{"name":"d","location":"US","transfers":["US","DE"]},{"name":"e","location":"US","transfers":[]}]}"#,
        r#"{"proposal":"b","parties":[{"name":"A","country":"US","stake":"50%"},{"name":"B","stake":"50%","government_stake":null}],"technology":[{"name":"t"}],"data":[{"name":"d","location":"US","transfers":["US",null]},{"name":"e","location":"US","transfers":["US"]}]}"#,
        r#"{"proposal":"c","investment":null,"cfius_filed":null,"parties":[{"country":"RU","government_stake":"25%"},{"name":"C","country":"DE","stake":"10%","government_stake":"11%"}]}"#,
        r#"{"proposal":"d","parties":[],"data":[{"name":"d","location":"CN","transfers":null},{"name":"e","location":"US"}]}"#,
        // Near misses (SPEC §2.6): unknown in both passes, never false.
        r#"{"proposal":"e","sector":"Automotive ","waivers":["us-control"],"technology":[{"name":"t","category":"VCS"},{"name":"u","category":"Vcs"}]}"#,
    ];
    let mut decided = 0;
    for text in &deals {
        let d = deal(&p, text);
        let mut quick = Evaluator::new(&p, &d);
        let mut full = Evaluator::new(&p, &d);
        let mut tracing = Evaluator::new(&p, &d);
        for rule in &p.rules {
            for c in rule.when.iter().chain(&rule.require).chain(&rule.unless) {
                let q = quick.truth::<Quick>(c).tv;
                assert_eq!(
                    q,
                    full.truth::<WithEvidence>(c).tv,
                    "`{}` on {text}",
                    c.text
                );
                assert_eq!(q, tracing.truth::<Tracing>(c).tv, "`{}` on {text}", c.text);
                decided += usize::from(q != super::expr::Tv::Unknown);
            }
        }
    }
    assert!(decided > 30, "{decided}");
    // The near misses of the last deal are unknown, and `r25` is decided by its exact `VCS`
    // for `t` but not for `u`.
    let d = deal(&p, deals[5]);
    let mut quick = Evaluator::new(&p, &d);
    let unknown: Vec<&str> = p
        .rules
        .iter()
        .filter(|r| quick.truth::<Quick>(&r.require[0]).tv == super::expr::Tv::Unknown)
        .map(|r| r.id.as_str())
        .collect();
    for id in ["r21", "r22", "r23", "r24", "r25"] {
        assert!(unknown.contains(&id), "{id} is decided: {unknown:?}");
    }
}

/// Every value carries its origin, and values are moved often: keep it as small as it was
/// before origins carried nested-record paths (80 bytes on 64-bit targets).
#[test]
fn a_value_origin_stays_small() {
    let size = std::mem::size_of::<super::value::Origin<'_>>();
    assert!(size <= 80, "Origin is {size} bytes");
}

/// 12,000 rules, each with a value that reads no party inside its body (`count of parties`):
/// each lookup of a hoisted value examines one slot, assigned when the policy is compiled. A
/// search through the values kept so far made the rules cost O(rules²) per deal: 216 million
/// values examined on three parties.
#[test]
fn a_hoisted_value_is_found_in_one_probe_however_many_rules_hoist() {
    const N: usize = 12_000;
    let text: String = (0..N)
        .map(|i| {
            format!(
                "rule r{i}: every party: profit share <= {}% * count of parties\n",
                i % 90 + 10
            )
        })
        .collect();
    let p = policy(&text);
    let d = deal(&p, &parties(3));
    let mut ev = Evaluator::new(&p, &d);
    for rule in &p.rules {
        assert_eq!(
            ev.truth::<Quick>(&rule.require[0]).tv,
            super::expr::Tv::True
        );
    }
    assert_eq!(
        ev.hoisted_values(),
        2 * N,
        "one `count of parties` and one product per rule"
    );
    // Three parties per rule, so three lookups of the product, and one of the count when the
    // product is computed: one probe each.
    assert!(
        ev.hoist_probes() <= 4 * N,
        "{} probes for {} lookups",
        ev.hoist_probes(),
        4 * N
    );
}

/// 25 parties: P0, P2, … (13) are American and 30% state-owned, P1, P3, … are not; P5, P15
/// have no government stake.
fn mixed_parties() -> String {
    let parties: Vec<String> = (0..25)
        .map(|i| {
            let (country, gov) = match i {
                5 | 15 => ("CN", "null".to_string()),
                _ if i % 2 == 0 => ("US", "\"30%\"".to_string()),
                _ => ("CN", "\"0%\"".to_string()),
            };
            format!(
                r#"{{"name":"P{i}","country":"{country}","stake":"4%","government_stake":{gov}}}"#
            )
        })
        .collect();
    format!(r#"{{"proposal":"x","parties":[{}]}}"#, parties.join(","))
}

/// Evidence names at most ten elements of each list, and one more entry counts the others;
/// outcomes are those of the quick pass, which keeps no evidence at all.
#[test]
fn evidence_names_ten_elements_per_list_and_counts_the_others() {
    let p = policy(
        r#"rule every-q: every party: government stake < 25%
rule each: party government stake < 25%
rule at-least: at least 20 parties where country = "US"
rule total: total party stake = 50%
rule some-unknown: some party: government stake > 90%
"#,
    );
    let d = deal(&p, &mixed_parties());
    let results = super::evaluate(&p, &d, None);
    let mut quick = Evaluator::new(&p, &d);
    let expected = [
        ("every-q", "fail", 13),
        ("each", "fail", 13),
        // The parties that match are not why it fails: only their count is shown.
        ("at-least", "fail", 0),
        ("total", "fail", 25),
        ("some-unknown", "incomplete", 2),
    ];
    for ((id, outcome, elements), r) in expected.iter().zip(&results) {
        let rule = &p.rules[r.rule];
        assert_eq!(rule.id, *id);
        assert_eq!(r.outcome.as_str(), *outcome, "{id}: {r:#?}");
        let tv = quick.truth::<Quick>(&rule.require[0]).tv;
        assert_eq!(
            tv,
            match *outcome {
                "fail" => super::expr::Tv::False,
                _ => super::expr::Tv::Unknown,
            },
            "{id}"
        );
        let named = r
            .evidence
            .iter()
            .filter(|e| e.element.is_some() && e.more.is_none());
        assert_eq!(
            named.count(),
            (*elements).min(10),
            "{id}: {:#?}",
            r.evidence
        );
        let more: Vec<usize> = r.evidence.iter().filter_map(|e| e.more).collect();
        let want: Vec<usize> = (*elements > 10)
            .then(|| elements - 10)
            .into_iter()
            .collect();
        assert_eq!(more, want, "{id}: {:#?}", r.evidence);
    }
    let more = results[0].evidence.last().unwrap();
    assert_eq!(
        (&more.note, more.more),
        (&Note::More { of: "party".into() }, Some(3))
    );
    assert_eq!(
        (more.element.as_ref(), more.location.as_ref()),
        (None, None)
    );
}

/// `owner in foreign partner name` for each of 2,000 technologies, against 1,000 foreign
/// partners: the names are looked up in a set built once per deal, not compared one by one
/// (a million comparisons per rule).
#[test]
fn membership_in_a_long_mapped_list_is_a_lookup() {
    use super::expr::probes;
    use super::expr::Tv;
    const N: usize = 2_000;
    let p = policy(
        r#"let foreign partner = parties where country != "US"
rule owner-foreign: every technology: owner in foreign partner name
rule owner-each: technology owner in party name
rule owner-not: every technology: owner not in foreign partner name
rule owner-last: some technology: owner in foreign partner name and name = "T1999"
"#,
    );
    let parties: Vec<String> = (0..N)
        .map(|i| {
            let country = if i % 2 == 0 { "US" } else { "CN" };
            format!(r#"{{"name":"P{i}","country":"{country}"}}"#)
        })
        .collect();
    let techs: Vec<String> = (0..N)
        .map(|i| format!(r#"{{"name":"T{i}","owner":"P{}"}}"#, (2 * i + 1) % N))
        .collect();
    let text = format!(
        r#"{{"proposal":"x","parties":[{}],"technology":[{}]}}"#,
        parties.join(","),
        techs.join(",")
    );
    let d = deal(&p, &text);
    let want = [Tv::True, Tv::True, Tv::False, Tv::True];
    for collect in [false, true] {
        let mut ev = Evaluator::new(&p, &d);
        for (rule, want) in p.rules.iter().zip(want) {
            probes::take_member();
            let tv = match collect {
                false => ev.truth::<Quick>(&rule.require[0]).tv,
                true => ev.truth::<WithEvidence>(&rule.require[0]).tv,
            };
            assert_eq!(tv, want, "{}", rule.id);
            let probes = probes::take_member();
            assert!(
                probes <= 4 * N,
                "{}: {probes} elements examined (collect: {collect})",
                rule.id
            );
        }
    }
}

/// The truth-only pass reads projections in place (`total american partner stake`,
/// `foreign partner stake < 50%`: no projected list is built); the evidence pass builds the
/// values. On random deals (unknown, near-miss and missing fields among them, so that filters
/// give maybe-members), both passes give every rule the same truth value, and a total read
/// in place is the very value (reasons included) of the total of the built list.
mod in_place_projections {
    #![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

    use super::{deal, policy};
    use crate::eval::expr::{aggregate, Evaluator, Quick, Tracing, WithEvidence};
    use crate::resolve::ir::ExprKind as K;
    use proptest::prelude::*;

    const POLICY: &str = r#"let home = "US"
let american partner = parties where country = home
let foreign partner = parties where country != home
rule a: total american partner stake > 50%
rule b: foreign partner stake < 50%
rule c: total foreign partner subsidies <= 10% of investment
rule d: american partner board seats >= 1
rule e: every party where country = home: stake < 60%
rule f: total american partner stake + total foreign partner stake = 100%
rule g: foreign partner stake <= total american partner stake
rule i: 50% > foreign partner stake
rule j: every party: stake <= total american partner stake
rule k: every party: stake <= 100% / count of parties
rule l: every party where country = home: stake * 2 <= total american partner stake + 10%
rule h: no party where country in american partner country and stake > 50%
"#;

    fn field(name: &'static str, values: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop::sample::select(values).prop_map(move |v| {
            if v == "-" {
                String::new()
            } else {
                format!(r#""{name}":{v},"#)
            }
        })
    }

    fn party() -> impl Strategy<Value = String> {
        (
            field(
                "country",
                &[
                    r#""US""#, r#""US""#, r#""us""#, r#""DE""#, r#""CN""#, "null", "-",
                ],
            ),
            field(
                "stake",
                &[
                    r#""10%""#,
                    r#""25.5%""#,
                    r#""50%""#,
                    r#""60%""#,
                    r#""0%""#,
                    "null",
                    "-",
                ],
            ),
            field(
                "subsidies",
                &[r#""USD 0""#, r#""USD 5M""#, r#""EUR 1M""#, "null", "-"],
            ),
            field("board_seats", &["0", "1", "3", "null", "-"]),
        )
            .prop_map(|(c, s, m, b)| format!("{{{c}{s}{m}{b}\"name\":\"P\"}}"))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]

        #[test]
        fn the_quick_pass_agrees_with_the_evidence_pass(
            parties in prop::collection::vec(party(), 0..6),
            investment in prop::sample::select(&[r#""USD 100M""#, r#""EUR 1B""#, "null"][..]),
        ) {
            let p = policy(POLICY);
            let json = format!(
                r#"{{"proposal":"x","investment":{investment},"parties":[{}]}}"#,
                parties
                    .iter()
                    .enumerate()
                    .map(|(i, s)| s.replace("\"P\"", &format!("\"P{i}\"")))
                    .collect::<Vec<_>>()
                    .join(",")
            );
            let loaded = crate::deal::load(
                crate::source::SourceFile::new("d.json", json.as_str()),
                "d.json".into(),
                1,
                crate::deal::Format::Json,
                &p.schema,
                &crate::deal::LoadOptions::default(),
            );
            prop_assume!(loaded.is_ok());
            let d = deal(&p, &json);
            for rule in &p.rules {
                for e in &rule.require {
                    let quick = Evaluator::new(&p, &d).truth::<Quick>(e).tv;
                    let full = Evaluator::new(&p, &d).truth::<WithEvidence>(e).tv;
                    let traced = Evaluator::new(&p, &d).truth::<Tracing>(e).tv;
                    prop_assert_eq!(quick, full, "rule {} on {}", rule.id, json);
                    prop_assert_eq!(quick, traced, "rule {} on {}", rule.id, json);
                    // Every total in the rule: in place against the total of the built list.
                    let mut totals = Vec::new();
                    collect_totals(e, &mut totals);
                    for t in totals {
                        let K::Aggregate { kind, arg } = &t.kind else { unreachable!() };
                        let mut ev = Evaluator::new(&p, &d);
                        let in_place = format!("{:?}", ev.value(t));
                        let built = ev.value(arg);
                        let built = format!("{:?}", aggregate(*kind, &built, &t.ty));
                        prop_assert_eq!(in_place, built, "{} on {}", t.text, json);
                    }
                }
            }
        }
    }

    fn collect_totals<'e>(
        e: &'e crate::resolve::ir::Expr,
        out: &mut Vec<&'e crate::resolve::ir::Expr>,
    ) {
        match &e.kind {
            K::Aggregate { .. } => out.push(e),
            K::Compare { lhs, rhs, .. } => {
                collect_totals(lhs, out);
                collect_totals(rhs, out);
            }
            K::Arith { first, rest } => {
                collect_totals(first, out);
                for (_, x) in rest {
                    collect_totals(x, out);
                }
            }
            _ => {}
        }
    }
}

/// A rule's result is moved several times a rule (made, judged, placed in the deal's list):
/// at 128 bytes or less the compiler moves it inline; over, each move is a call to `memcpy`,
/// which cost about 2% of a batch's instructions and more of its time (152 bytes before).
#[test]
fn a_rule_result_is_moved_inline() {
    let size = std::mem::size_of::<super::outcome::RuleResult>();
    assert!(size <= 128, "RuleResult is {size} bytes");
}

/// Where a span is, found from the start of the text by [`Deal::line_col`]: the oracle of the
/// locator's line and column counting.
fn located_from_start(d: &Deal, span: Span) -> DealLocation {
    let (line, column) = d.line_col(span);
    let text = &d.source.text;
    let start = span.start.min(text.len());
    let value = text.get(start..span.end.min(text.len())).unwrap_or("");
    let end_line = line + value.matches('\n').count();
    let end_column = match value.rfind('\n') {
        Some(last) => value.get(last + 1..).map_or(0, |s| s.chars().count()) + 1,
        None => column + value.chars().count(),
    };
    DealLocation {
        span,
        line,
        column,
        end_line,
        end_column,
    }
}

#[test]
fn the_locator_agrees_with_line_col_on_one_line_in_any_order() {
    // A `.jsonl` batch line (no line break), with characters of two and three bytes, on line 17
    // of its file; spans of every length, some ending inside a character; moves short and long
    // (past 32 bytes, counted otherwise), from the start to every offset and back.
    let text = "{\"a\": \"é\", \"b\": \"ü日本\", \"c\": 1, \"d\": \"Liberty–Rheinland\", \
                \"e\": \"Société générale d’études – Ünited Státes — 日本の合弁会社\"}";
    let p = policy("rule r: board seats > 1\n");
    let mut d = deal(&p, "{\"proposal\":\"x\"}");
    d.source = SourceFile::new("batch.jsonl:17", text);
    d.first_line = 17;
    let offsets: Vec<usize> = (0..=text.len() + 2).collect();
    for width in [0, 1, 2, 3, 7] {
        let mut loc = Locator::new(&d);
        let there_and_back: Vec<usize> = offsets.iter().flat_map(|&o| [0, o]).collect();
        let order = offsets
            .iter()
            .chain(offsets.iter().rev())
            .chain(offsets.iter().step_by(3))
            .chain(offsets.iter().rev().step_by(5))
            .chain(&there_and_back);
        for &o in order {
            let span = Span::new(o, o + width);
            let got = loc.locate(Some(span)).unwrap();
            assert_eq!(
                got,
                located_from_start(&d, span),
                "offset {o}, width {width}"
            );
            assert_eq!(got.line, 17);
        }
        assert!(loc.locate(None).is_none());
    }
}

/// Evidence of rules that fail or are incomplete on a `.jsonl` deal (one line, non-ASCII
/// names): quantifiers, `let` filters, nested quantifiers, `when` clauses, an unknown
/// exemption; every location is where it is counted from the start of the line.
#[test]
fn evidence_on_one_line_is_located_as_from_the_start() {
    let p = policy(
        r#"let home = "US"
let covered nation = ["CN", "RU"]
let foreign partner = parties where country != home
rule equal: every party: profit share = 100% / count of parties
rule control: total foreign partner stake < 50%
rule feoc: no party where country in covered nation and government stake >= 25%
rule seats: every party where country = home: board seats >= 2
rule nested: every data: every transfer: transfer in [home, "DE"]
rule gated {
  when some party where country = home
  require investment > USD 1B
  unless cfius filed
}
"#,
    );
    let line = r#"{"proposal":"Liberty–Rheinland JV #0","investment":"USD 0.8B","parties":[{"name":"Liberty Auto","country":"US","stake":"40%","board_seats":1,"government_stake":"0%","profit_share":"50%"},{"name":"Rheinland–Göttingen AG","country":"CN","stake":"60%","board_seats":3,"government_stake":"30%","profit_share":"25%"},{"name":"Ünited","country":"RU","stake":"0%","government_stake":"25%","profit_share":"25%"}],"data":[{"name":"d","location":"US","transfers":["US","CN","FR"]}]}"#;
    let mut d = deal(&p, line);
    d.source = SourceFile::new("batch.jsonl:17", line);
    d.first_line = 17;
    let results = super::evaluate(&p, &d, None);
    let mut located = 0;
    for r in &results {
        for e in &r.evidence {
            if let Some(l) = &e.location {
                assert_eq!(*l, located_from_start(&d, l.span), "{e:?}");
                located += 1;
            }
        }
    }
    let failed = results
        .iter()
        .filter(|r| r.outcome != super::outcome::Outcome::Pass)
        .count();
    assert!(failed >= 5, "{results:?}");
    assert!(located >= 8, "{located}");
}

/// An element named from the kinds kept for a deal is the element named from the schema: for
/// every record of every list of a deal, in two rounds (found, then kept), and for a list the
/// schema does not know (the record type's name), whatever came before.
#[test]
fn an_element_of_a_kept_kind_is_the_element_of_the_schema() {
    use super::showing::Kinds;
    use super::shown::Element;
    use super::value::ItemRef;
    use crate::deal::tree::NodeValue;
    use crate::schema::Type;
    let p = policy("rule r: board seats > 1\n");
    let d = deal(
        &p,
        r#"{"proposal":"x","parties":[{"name":"A","country":"US"},{"country":"DE"},{"name":"Ç–D","country":"FR"}],"plants":[{"name":"p1","country":"US"},{"name":"p2"}],"technology":[{"name":"t1"},{"category":"vcs"}],"data":[{"name":"d","location":"US"}]}"#,
    );
    let schema = &p.schema;
    let mut items = Vec::new();
    for (i, f) in schema.root().fields.iter().enumerate() {
        let (Type::List(elem), Some(node)) = (&f.ty, d.root.field(i)) else {
            continue;
        };
        let (Type::Record(id), NodeValue::List(nodes)) = (&**elem, &node.value) else {
            continue;
        };
        for (index, n) in nodes.iter().enumerate() {
            if let NodeValue::Record(r) = &n.value {
                items.push(ItemRef::new(r, *id, f.name.as_str(), index));
                // The same record under a name no list has.
                items.push(ItemRef::new(r, *id, "no such list", index));
            }
        }
    }
    assert!(items.len() >= 16, "{}", items.len());
    let mut kinds = Kinds::default();
    for round in 0..2 {
        for item in items.iter().chain(items.iter().rev()) {
            let kept = Element::of_kept(schema, item, &mut kinds);
            // Every part, the index of a named element included (`==` compares names only).
            let of = Element::of(schema, item);
            assert_eq!(format!("{kept:?}"), format!("{of:?}"), "round {round}");
        }
    }
    let named: Vec<Element> = items
        .iter()
        .map(|i| Element::of_kept(schema, i, &mut kinds))
        .collect();
    assert!(named
        .iter()
        .any(|e| &*e.kind == "party" && e.name.is_some()));
    assert!(named
        .iter()
        .any(|e| &*e.kind == "party" && e.name.is_none()));
    assert!(named.iter().any(|e| &*e.kind == "plant"));
}

/// `plainly_decided` answers for a rule the compiled forms decide alone (a pass, a `when`
/// that is false, a date outside the rule's window, a form that reads the deal's evaluator)
/// with the result the full evaluation gives, whether or not the deal's evaluator is made yet,
/// finds the rules whose quick pass fails (a `require` clause false), and leaves to the full
/// evaluation every other rule: one with an `unless` that holds (a pass, but by the
/// exemption), a window or a form that reads the evaluator with no date to give it, an `on`
/// date, an override, a `when` or `require` that is unknown or has no compiled form, and every
/// rule of a deal with approvals. The results and warnings (near misses included) are those of
/// the evaluator without compiled forms. (That a form reading the evaluator is given the
/// rule's date: `fx::a_conversion_after_a_rule_of_another_date_is_at_its_own_date`.)
#[test]
fn plainly_decided_rules_give_what_the_full_evaluation_gives() {
    use super::compiled::Memo;
    use super::outcome::{Message, Outcome};
    use super::Source;
    use jiff::civil::{date, Date};
    let p = policy(concat!(
        "rule passes: count of parties >= 1\n",
        "rule not-applicable {\n  when count of parties > 5\n  require count of parties >= 1\n}\n",
        "rule fails: count of parties > 5\n",
        "rule exempt {\n  require count of parties >= 1\n  unless count of parties >= 1\n}\n",
        "rule windowed {\n  effective 2020-01-01\n  require count of parties >= 1\n}\n",
        "rule overriding {\n  overrides passes\n  require count of parties >= 1\n}\n",
        "rule unknown-when {\n  when investment > USD 1B\n  require count of parties >= 1\n}\n",
        "rule uncompiled-when {\n  when date >= 2020-01-01\n  require count of parties >= 1\n}\n",
        "rule near-miss: every party: name != \"Acme\"\n",
        "rule not-yet {\n  effective 2030-01-01\n  require count of parties >= 1\n}\n",
        "rule on-a-date {\n  effective 2020-01-01 on 2019-06-01\n  require count of parties >= 1\n}\n",
        "rule unknown-require: investment > USD 1B\n",
        "rule entity-count: count of entities >= 1\n",
    ));
    // `entities` is read from the deal's evaluator: the one form here that needs it.
    let needs = |r: &super::Rule| {
        let forms = Memo::new(&p).forms(&p, r).unwrap();
        forms.require.iter().flatten().any(|f| f.needs_evaluator())
    };
    assert!(needs(&p.rules[12]) && !needs(&p.rules[0]));
    // What `plainly_decided` gives each rule in turn (the deal's evaluator made first when
    // `made`), each answer checked against the evaluation without compiled forms (but for
    // `passes`, which `overriding` overrides).
    let fast = |d: &Deal, as_of: Option<Date>, made: bool| -> Vec<Option<Outcome>> {
        let full = super::evaluate_uncompiled(&p, d, as_of, false).0;
        let mut lazy = super::Lazy::new(&p, d);
        if made {
            lazy.ev();
        }
        let mut memo = Memo::new(&p);
        p.rules
            .iter()
            .zip(&full)
            .map(|(rule, want)| {
                let mut r = match super::plainly_decided(&mut lazy, &mut memo, rule, as_of) {
                    super::Plainly::Pass => super::result(Outcome::Pass, Message::Holds),
                    super::Plainly::NotApplicable(m) => super::result(Outcome::NotApplicable, m),
                    super::Plainly::Fails => {
                        assert_eq!(want.outcome, Outcome::Fail);
                        return Some(Outcome::Fail);
                    }
                    super::Plainly::Open => return None,
                };
                // (An overridden rule's result is the override's, not its own.)
                if rule.overridden_by.is_empty() {
                    // Every field, but the two `evaluate_by` sets for every result.
                    (r.rule, r.counted) = (want.rule, want.counted);
                    assert_eq!(format!("{r:?}"), format!("{want:?}"));
                }
                Some(r.outcome)
            })
            .collect()
    };
    let agree = |d: &Deal, as_of: Option<Date>| {
        let with = super::evaluate_with_warnings(&p, d, as_of, false);
        let without = super::evaluate_uncompiled(&p, d, as_of, false);
        assert_eq!(format!("{with:?}"), format!("{without:?}"));
        with
    };
    let d = deal(
        &p,
        r#"{"proposal":"x","date":"2026-01-01","parties":[{"name":"P0","country":"FR"},{"name":"P1","country":"DE"}]}"#,
    );
    let (pass, na, fail) = (
        Some(Outcome::Pass),
        Some(Outcome::NotApplicable),
        Some(Outcome::Fail),
    );
    let expected = [
        pass, na, fail, None, pass, None, None, None, pass, na, None, None, pass,
    ];
    assert_eq!(fast(&d, None, false), expected);
    // The deal's evaluator, made by an earlier rule, changes nothing.
    assert_eq!(fast(&d, None, true), expected);
    let (results, _) = agree(&d, None);
    assert_eq!(
        results[1].message,
        Message::WhenFalse(Some(p.rules[1].when[0].text.clone()))
    );
    assert_eq!(results[3].exempt, Some(p.rules[3].unless[0].text.clone()));
    assert!(matches!(results[9].message, Message::NotInEffect { .. }));

    // `--as-of` is the date the windows test: before both windows, each rule with one is not
    // applicable (the one with `on` too, but by the full evaluation).
    let before = Some(date(2019, 6, 1));
    assert_eq!(
        fast(&d, before, false),
        [pass, na, fail, None, na, None, None, None, pass, na, None, None, pass]
    );
    agree(&d, before);

    // No `date`: a window cannot be tested, and the full evaluation says the rule is
    // incomplete.
    let undated = deal(
        &p,
        r#"{"proposal":"x","parties":[{"name":"P0","country":"FR"}]}"#,
    );
    assert_eq!(fast(&undated, None, false)[4], None);
    assert_eq!(fast(&undated, None, false)[9], None);
    assert_eq!(fast(&undated, None, false)[12], None);
    let (results, _) = agree(&undated, None);
    assert_eq!(results[4].outcome, Outcome::Incomplete);

    // A near miss (`acme` against "Acme") leaves the rule to the full evaluation, which warns
    // of it; the rules after it are still answered.
    let near = deal(
        &p,
        r#"{"proposal":"x","date":"2026-01-01","parties":[{"name":"P0","country":"FR"},{"name":"acme","country":"DE"}]}"#,
    );
    assert_eq!(fast(&near, None, true)[8], None);
    assert_eq!(fast(&near, None, true)[9], na);
    let (_, warnings) = agree(&near, None);
    assert!(!warnings.is_empty(), "a near miss is warned of");

    // An approval on the deal, naming the rule or not, leaves every rule to the full evaluation.
    let with_approval = r#"{"proposal":"x","parties":[{"name":"P0"}],
        "approvals":[{"kind":"mitigation","authority":"Minister","rules":["fails"],
                      "granted":"2025-01-01","expires":"never"}]}"#;
    let d = deal(&p, with_approval);
    assert!(fast(&d, None, false).iter().all(Option::is_none));
    agree(&d, None);
}

/// A failing comparison's evidence names its left operand once: a deal value by its test alone
/// (the facts keep no second part for it), a definition's value, which has no place in the
/// deal, by its test and its part, as the evidence has always given them.
#[test]
fn a_failing_comparison_keeps_its_left_value_once_where_it_has_a_place() {
    use super::expr::Fact;
    let p = policy(
        r#"let cap = 50%
rule placed: every party: stake < cap
rule unplaced: cap > total party stake
"#,
    );
    let d = deal(
        &p,
        r#"{"proposal":"x","parties":[{"name":"A","stake":"60%"},{"name":"B","stake":"40%"}]}"#,
    );
    let results = super::evaluate(&p, &d, None);
    let kinds = |i: usize| -> Vec<(&str, bool)> {
        results[i]
            .evidence
            .iter()
            .map(|e| {
                let kind = match &e.note {
                    Note::Test { .. } => "test",
                    Note::Part { .. } => "part",
                    _ => "other",
                };
                (kind, e.location.is_some())
            })
            .collect()
    };
    assert_eq!(kinds(0), [("test", true), ("part", false)]);
    assert_eq!(
        kinds(1),
        [
            ("test", false),
            ("part", false),
            ("part", true),
            ("part", true)
        ]
    );
    let mut ev = Evaluator::new(&p, &d);
    let facts = ev.truth::<WithEvidence>(&p.rules[0].require[0]).facts;
    let parts = facts
        .iter()
        .filter(|f| matches!(f, Fact::Part { .. }))
        .count();
    assert_eq!(parts, 1, "only `cap`'s part: {facts:#?}");
}

/// A rule's `when` clauses that its compiled forms find true are taken as true without facts
/// in the evidence pass: a failing rule shows its `require`'s evidence alone, and a `when` left
/// unknown by one clause (the other true) is incomplete, with that clause's evidence only.
#[test]
fn a_true_when_clause_adds_no_evidence_and_an_unknown_one_still_decides() {
    let p = policy(
        r#"rule fails {
  when count of parties > 1
  when investment > USD 1M
  require every party: stake < 50%
}
rule unknown-when {
  when count of parties > 1
  when board seats > 5
  require every party: stake < 50%
}
"#,
    );
    let d = deal(
        &p,
        r#"{"proposal":"x","investment":"USD 2M","parties":[{"name":"A","stake":"60%"},{"name":"B","stake":"40%"}]}"#,
    );
    let results = super::evaluate(&p, &d, None);
    let notes = |i: usize| -> Vec<String> {
        results[i]
            .evidence
            .iter()
            .map(|e| format!("{:?} {:?}", e.note, e.path))
            .collect()
    };
    assert_eq!(results[0].outcome.as_str(), "fail");
    assert_eq!(notes(0).len(), 1, "{:#?}", results[0].evidence);
    assert!(notes(0)[0].contains("parties[0].stake"), "{:?}", notes(0));
    assert_eq!(results[1].outcome.as_str(), "incomplete");
    assert_eq!(&*results[1].unknown_when, &[1]);
    assert_eq!(notes(1).len(), 1, "{:#?}", results[1].evidence);
    assert!(notes(1)[0].contains("board"), "{:?}", notes(1));
}

/// A `when` clause whose compiled form stops at its first true element (`some data where …`)
/// is still evaluated with facts in a failing rule's evidence pass, which reads every element:
/// a later element's near miss (`PERSONAL` for `personal`, SPEC §2.6) is a warning of the deal,
/// as without the compiled forms.
#[test]
fn a_when_clause_that_stops_early_still_finds_later_near_misses() {
    let p = policy(
        r#"policy "p" version "1"
  jurisdiction "US"
rule r {
  when some data where category = "personal"
  require cfius filed
}
"#,
    );
    let d = deal(
        &p,
        r#"{"proposal":"x","jurisdiction":"US","cfius_filed":false,"data":[{"name":"a","category":"personal"},{"name":"b","category":"PERSONAL"}]}"#,
    );
    let (results, warnings) = super::evaluate_with_warnings(&p, &d, None, false);
    assert_eq!(results[0].outcome.as_str(), "fail");
    let near: Vec<String> = warnings.iter().map(|w| format!("{w:?}")).collect();
    assert_eq!(near.len(), 1, "{near:?}");
    assert!(near[0].contains("PERSONAL"), "{near:?}");
    let (_, uncompiled) = super::evaluate_uncompiled(&p, &d, None, false);
    assert_eq!(format!("{warnings:?}"), format!("{uncompiled:?}"));
}
