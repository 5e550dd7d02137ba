//! The compiled quick pass (`covenant::eval::compiled`) agrees with the evaluator: on every
//! condition of every rule of the benchmark policies and the examples, over generated deals,
//! the examples' deals, hand-written edge deals and random small deals, its truth is either
//! None (left to the evaluator) or the evaluator's; whole evaluations with and without it give
//! the same results and the same warnings; and it decides most of jv-baseline's conditions, so
//! the agreement is not vacuous.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

use std::path::{Path, PathBuf};

use covenant::deal::tree::Deal;
use covenant::deal::{format_of, load, Format, LoadOptions};
use covenant::eval::compiled::agreements;
use covenant::resolve::Policy;
use covenant::source::SourceFile;
use proptest::prelude::*;

use crate::fuzz_common::{self, ADVERSARIAL};

/// How many conditions had a compiled form, and how many of those it decided.
#[derive(Default, Debug)]
struct Tally {
    conditions: usize,
    with_form: usize,
    decided: usize,
}

fn compile(paths: &[&str]) -> Policy {
    let paths: Vec<PathBuf> = paths.iter().map(PathBuf::from).collect();
    covenant::resolve::compile(&paths)
        .map_err(|d| format!("{d:?}"))
        .unwrap()
        .policy
}

/// The deal, or None when it is not valid (its diagnostics are not evaluation's concern).
fn deal(policy: &Policy, name: &str, text: &str, format: Format) -> Option<Deal> {
    let loaded = load(
        SourceFile::new(name, text.to_string()),
        name.into(),
        1,
        format,
        &policy.schema,
        &LoadOptions::default(),
    );
    loaded.ok().map(|l| l.deal)
}

/// Every condition agrees, and so do whole evaluations (with `--as-of` and without), as the
/// fuzz target `compiled` checks them.
fn agree(policy: &Policy, deal: &Deal, tally: &mut Tally) {
    fuzz_common::compiled_agrees(policy, deal, &mut |has_form, decided| {
        tally.conditions += 1;
        tally.with_form += usize::from(has_form);
        tally.decided += usize::from(decided);
    });
}

fn agree_on_lines(policy: &Policy, name: &str, lines: &[String]) -> Tally {
    let mut tally = Tally::default();
    for (i, line) in lines.iter().enumerate() {
        let d = deal(policy, &format!("{name}:{}", i + 1), line, Format::Json)
            .unwrap_or_else(|| panic!("{name}:{} is valid", i + 1));
        agree(policy, &d, &mut tally);
    }
    tally
}

#[test]
fn jv_baseline_agrees_and_is_mostly_compiled() {
    let policy = compile(&["tests/differential/jv-baseline.policy"]);
    let lines = covenant::run_generator("tests/differential/gen.py", &["--no-yaml"], 300);
    let tally = agree_on_lines(&policy, "jv.jsonl", &lines);
    eprintln!("jv-baseline: {tally:?}");
    // Every condition of the 12 rules has a compiled form, and most are decided by it.
    assert_eq!(tally.with_form, tally.conditions, "{tally:?}");
    assert!(tally.decided * 10 >= tally.conditions * 9, "{tally:?}");
}

#[test]
fn baseline_v2_agrees() {
    let policy = compile(&["benches/baseline-v2/baseline-v2.policy"]);
    let lines = covenant::run_generator("benches/baseline-v2/gen.py", &[], 200);
    let tally = agree_on_lines(&policy, "v2.jsonl", &lines);
    eprintln!("baseline-v2: {tally:?}");
    assert!(tally.decided * 2 >= tally.conditions, "{tally:?}");
}

/// The deal files of a folder (a `.jsonl` batch line by line).
fn deal_files(policy: &Policy, dir: &str) -> Vec<Deal> {
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let name = p.to_str().unwrap();
        if p.extension().is_some_and(|e| e == "jsonl") {
            for (i, line) in text.lines().enumerate() {
                out.extend(deal(
                    policy,
                    &format!("{name}:{}", i + 1),
                    line,
                    Format::Json,
                ));
            }
        } else if let Some(format) = format_of(Path::new(&p)) {
            out.extend(deal(policy, name, &text, format));
        }
    }
    out
}

#[test]
fn the_examples_agree() {
    let sets: [(&[&str], &str); 3] = [
        (&["examples/policies"], "examples/deals"),
        (
            &["examples/north-america/north-america.policy"],
            "examples/north-america/deals",
        ),
        (
            &["examples/canada/canada-ica.policy"],
            "examples/canada/deals",
        ),
    ];
    for (policies, deals) in sets {
        let policy = compile(policies);
        let mut tally = Tally::default();
        let ds = deal_files(&policy, deals);
        assert!(!ds.is_empty(), "{deals} has deals");
        for d in &ds {
            agree(&policy, d, &mut tally);
        }
        eprintln!("{deals}: {tally:?}");
    }
}

/// A jv-baseline deal: the defaults of the generator's first deal, with `edit` applied.
fn edge(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut d = serde_json::json!({
        "proposal": "Edge JV", "date": "2026-10-12", "jurisdiction": "US", "cfius_filed": true,
        "investment": "USD 1B",
        "parties": [
            {"name": "Liberty Auto", "country": "US", "stake": "50%", "board_seats": 4,
             "government_stake": "0%", "profit_share": "50%", "subsidies": "USD 0"},
            {"name": "Rheinland AG", "country": "DE", "stake": "50%", "board_seats": 4,
             "government_stake": "25%", "profit_share": "50%", "subsidies": "USD 100M"}
        ],
        "board": {"seats": 8},
        "technology": [{"name": "lidar", "owner": "Rheinland AG", "origin": "DE",
                        "category": "ads", "transfer": "license", "source_code_escrow": true}],
        "data": [{"name": "maps", "category": "personal", "location": "US",
                  "subjects": 1000000, "transfers": ["US"]}],
        "plants": [{"country": "US", "region": "TN", "capacity": 1, "local_content": "75%"}]
    });
    edit(&mut d);
    d.to_string()
}

fn set(d: &mut serde_json::Value, pointer: &str, v: serde_json::Value) {
    *d.pointer_mut(pointer).unwrap() = v;
}

fn remove(d: &mut serde_json::Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let p = d.pointer_mut(parent).unwrap();
    match p {
        serde_json::Value::Object(m) => {
            m.remove(key);
        }
        serde_json::Value::Array(a) => {
            a.remove(key.parse().unwrap());
        }
        _ => panic!("{pointer}"),
    }
}

/// A change to the default edge deal.
type Edit = Box<dyn Fn(&mut serde_json::Value)>;

fn edge_deals() -> Vec<String> {
    use serde_json::json;
    let edits: Vec<Edit> = vec![
        Box::new(|_| {}),
        // Missing fields, nulls and empty lists.
        Box::new(|d| remove(d, "/parties/0/stake")),
        Box::new(|d| remove(d, "/parties/1/country")),
        Box::new(|d| set(d, "/parties/1/country", json!(null))),
        Box::new(|d| remove(d, "/parties/1/name")),
        Box::new(|d| remove(d, "/board")),
        Box::new(|d| remove(d, "/investment")),
        Box::new(|d| remove(d, "/cfius_filed")),
        Box::new(|d| remove(d, "/data/0/transfers")),
        Box::new(|d| set(d, "/data/0/transfers", json!(["US", null]))),
        Box::new(|d| remove(d, "/data/0/location")),
        Box::new(|d| remove(d, "/plants/0/local_content")),
        Box::new(|d| remove(d, "/technology/0/source_code_escrow")),
        Box::new(|d| set(d, "/technology", json!([]))),
        Box::new(|d| set(d, "/plants", json!([]))),
        Box::new(|d| set(d, "/data", json!([]))),
        Box::new(|d| remove(d, "/plants")),
        Box::new(|d| remove(d, "/technology")),
        // Zero and exactly at thresholds.
        Box::new(|d| set(d, "/parties/0/stake", json!("0%"))),
        Box::new(|d| set(d, "/parties/0/stake", json!("50.0000000001%"))),
        Box::new(|d| set(d, "/parties/1/government_stake", json!("24.999%"))),
        Box::new(|d| set(d, "/data/0/subjects", json!(1000001))),
        Box::new(|d| set(d, "/investment", json!("USD 1000000001"))),
        Box::new(|d| set(d, "/board/seats", json!(0))),
        Box::new(|d| set(d, "/parties/1/subsidies", json!("USD 0"))),
        // Every party American: foreign partner is empty (an empty total of money).
        Box::new(|d| set(d, "/parties/1/country", json!("US"))),
        // Huge numbers, beyond 64 bits.
        Box::new(|d| {
            set(
                d,
                "/parties/0/board_seats",
                json!(9_223_372_036_854_775_807i64),
            )
        }),
        Box::new(|d| {
            set(
                d,
                "/parties/1/board_seats",
                json!(9_223_372_036_854_775_807i64),
            )
        }),
        Box::new(|d| set(d, "/investment", json!("USD 99999999999999999999999999"))),
        Box::new(|d| set(d, "/data/0/subjects", json!(1e30))),
        // Non-exact percents: a third each.
        Box::new(|d| {
            set(
                d,
                "/parties/0/profit_share",
                json!("33.333333333333333333%"),
            );
            let third = json!({"name": "Gallic Auto", "country": "FR", "stake": "0%",
                "board_seats": 0, "government_stake": "0%",
                "profit_share": "33.333333333333333333%", "subsidies": "EUR 5M"});
            d["parties"].as_array_mut().unwrap().push(third);
        }),
        // Mixed currencies.
        Box::new(|d| set(d, "/parties/1/subsidies", json!("EUR 100M"))),
        Box::new(|d| set(d, "/investment", json!("EUR 2B"))),
        // Near misses: strings that differ from a policy literal only in case or spaces.
        Box::new(|d| set(d, "/parties/0/country", json!("us"))),
        Box::new(|d| set(d, "/data/0/category", json!("Personal "))),
        Box::new(|d| set(d, "/technology/0/transfer", json!("LICENSE"))),
        Box::new(|d| set(d, "/technology/0/owner", json!("rheinland ag"))),
        Box::new(|d| set(d, "/data/0/transfers", json!(["us"]))),
        Box::new(|d| set(d, "/technology/0/category", json!("VCS"))),
        // Covered nations, owners that are not partners, approvals.
        Box::new(|d| {
            set(d, "/parties/1/country", json!("CN"));
            set(d, "/technology/0/category", json!("vcs"));
            set(d, "/technology/0/origin", json!("CN"));
        }),
        Box::new(|d| set(d, "/technology/0/owner", json!("Nobody"))),
        Box::new(|d| {
            d["approvals"] = json!([{"rule": "american-control", "authority": "board",
                "granted": "2026-01-01", "expires": "never"}]);
        }),
        Box::new(|d| remove(d, "/date")),
    ];
    edits.into_iter().map(|e| edge(e)).collect()
}

#[test]
fn edge_deals_agree() {
    for policy in [
        compile(&["tests/differential/jv-baseline.policy"]),
        compile(&["benches/baseline-v2/baseline-v2.policy"]),
    ] {
        let mut tally = Tally::default();
        let mut valid = 0;
        for (i, text) in edge_deals().iter().enumerate() {
            if let Some(d) = deal(&policy, &format!("edge-{i}.json"), text, Format::Json) {
                valid += 1;
                agree(&policy, &d, &mut tally);
            }
        }
        eprintln!("edge deals ({valid} valid): {tally:?}");
        assert!(valid >= 30, "most edge deals are valid: {valid}");
    }
}

/// A random small jv-baseline deal: few parties, plants, technologies and data, fields often
/// missing, strings near the policy's literals, percents and money of every kind.
fn small_deal() -> impl Strategy<Value = String> {
    let country = prop::sample::select(vec!["US", "us", "CN", "RU", "DE", " US", "IR"]);
    let pct = prop::sample::select(vec![
        "0%",
        "25%",
        "50%",
        "75%",
        "100%",
        "24.9%",
        "33.333333333333333333%",
        "50.5%",
    ]);
    let money = prop::sample::select(vec!["USD 0", "USD 1B", "USD 100M", "EUR 1B", "USD 2.5B"]);
    let maybe = |s: BoxedStrategy<serde_json::Value>| {
        prop::option::weighted(0.85, s).prop_map(|v| v.unwrap_or(serde_json::Value::Null))
    };
    let party = (
        country.clone(),
        maybe(pct.clone().prop_map(|s| s.into()).boxed()),
        maybe((0u64..10).prop_map(|n| n.into()).boxed()),
        pct.clone(),
        pct.clone(),
        maybe(money.clone().prop_map(|s| s.into()).boxed()),
        prop::sample::select(vec!["A", "B", "C"]),
    )
        .prop_map(|(c, stake, seats, gov, profit, subsidies, name)| {
            serde_json::json!({"name": name, "country": c, "stake": stake, "board_seats": seats,
                "government_stake": gov, "profit_share": profit, "subsidies": subsidies})
        });
    let plant = (country.clone(), pct.clone())
        .prop_map(|(c, lc)| serde_json::json!({"country": c, "local_content": lc}));
    let tech = (
        prop::sample::select(vec!["vcs", "ads", "battery", "Vcs"]),
        country.clone(),
        prop::sample::select(vec!["license", "none", "License"]),
        prop::sample::select(vec!["A", "B", "C", "a"]),
        any::<bool>(),
    )
        .prop_map(|(cat, origin, transfer, owner, escrow)| {
            serde_json::json!({"name": "t", "category": cat, "origin": origin,
                "transfer": transfer, "owner": owner, "source_code_escrow": escrow})
        });
    let data = (
        prop::sample::select(vec!["personal", "mapping", "PERSONAL"]),
        country.clone(),
        prop::sample::select(vec![0u64, 1_000_000, 1_000_001, 5_000_000]),
        prop::collection::vec(country.clone(), 0..3),
    )
        .prop_map(|(cat, loc, subjects, transfers)| {
            serde_json::json!({"name": "d", "category": cat, "location": loc,
                "subjects": subjects, "transfers": transfers})
        });
    (
        prop::collection::vec(party, 0..4),
        prop::collection::vec(plant, 0..3),
        prop::collection::vec(tech, 0..3),
        prop::collection::vec(data, 0..3),
        maybe(money.prop_map(|s| s.into()).boxed()),
        maybe((0u64..12).prop_map(|n| n.into()).boxed()),
        prop::option::of(any::<bool>()),
    )
        .prop_map(|(parties, plants, tech, data, investment, seats, cfius)| {
            let mut d = serde_json::json!({"proposal": "P", "date": "2026-10-12",
                "parties": parties, "plants": plants, "technology": tech, "data": data,
                "investment": investment, "board": {"seats": seats}});
            if let Some(c) = cfius {
                d["cfius_filed"] = c.into();
            }
            d.to_string()
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn random_small_deals_agree(text in small_deal()) {
        thread_local! {
            static POLICY: Policy = compile(&["tests/differential/jv-baseline.policy"]);
        }
        POLICY.with(|policy| {
            if let Some(d) = deal(policy, "random.json", &text, Format::Json) {
                agree(policy, &d, &mut Tally::default());
            }
        });
    }
}

/// Every condition and every whole evaluation agrees on the adversarial deals (`gen.py`:
/// empty, missing and null lists and elements, duplicated records, filters unknown for one
/// element, near misses in case, white space and accents, null yes/no fields, percents and
/// money at every scale, mixed currencies, 64- and 128-bit overflow, division by zero,
/// approvals with and without party scopes, a missing date, lists of 15 to 24 parties around
/// the length the evaluator indexes), and the compiled pass decides enough of them for the
/// agreement to mean something.
#[test]
fn adversarial_deals_agree() {
    let text = std::fs::read_to_string("tests/fixtures/compiled-adversarial/deals.jsonl").unwrap();
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert!(lines.len() >= 120, "{}", lines.len());
    for path in ADVERSARIAL {
        let policy = compile(&[path]);
        let mut tally = Tally::default();
        let mut valid = 0;
        for (i, line) in lines.iter().enumerate() {
            let name = format!("adversarial.jsonl:{}", i + 1);
            if let Some(d) = deal(&policy, &name, line, Format::Json) {
                valid += 1;
                agree(&policy, &d, &mut tally);
            }
        }
        eprintln!("{path} ({valid} valid deals): {tally:?}");
        assert!(valid >= 100, "most adversarial deals are valid: {valid}");
        assert!(tally.with_form * 2 >= tally.conditions, "{tally:?}");
        assert!(tally.decided * 2 >= tally.with_form, "{tally:?}");
    }
    // The benchmark and example policies on the same deals.
    for path in [
        "tests/differential/jv-baseline.policy",
        "benches/baseline-v2/baseline-v2.policy",
        "examples/policies/us-auto-jv.policy",
    ] {
        let policy = compile(&[path]);
        let mut tally = Tally::default();
        for (i, line) in lines.iter().enumerate() {
            let name = format!("adversarial.jsonl:{}", i + 1);
            if let Some(d) = deal(&policy, &name, line, Format::Json) {
                agree(&policy, &d, &mut tally);
            }
        }
        eprintln!("{path} on the adversarial deals: {tally:?}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    /// The random small deals agree on the adversarial policies too.
    #[test]
    fn random_small_deals_agree_on_adversarial_policies(text in small_deal()) {
        thread_local! {
            static POLICIES: Vec<Policy> = ADVERSARIAL.iter().map(|p| compile(&[p])).collect();
        }
        POLICIES.with(|policies| {
            for policy in policies {
                if let Some(d) = deal(policy, "random.json", &text, Format::Json) {
                    agree(policy, &d, &mut Tally::default());
                }
            }
        });
    }
}

/// Agreement on the v2 edge deals (`v2_gen.py`: blocs of every shape, profit shares missing,
/// null or summing past a bound, covered nations and near misses as table keys, dates at the
/// bounds of table rows and missing, look-through chains that meet or loop, conversions from
/// every currency and from one without a rate) of the baseline-v2 policy and of
/// `v2forms.policy`; and the look-through, bloc, table and conversion rules of baseline-v2 are
/// compiled and mostly decided (so that the agreement says something of their forms).
#[test]
fn v2_edge_deals_agree() {
    let text =
        std::fs::read_to_string("tests/fixtures/compiled-adversarial/v2-deals.jsonl").unwrap();
    let lines: Vec<String> = text.lines().map(str::to_string).collect();
    assert!(lines.len() >= 50, "{}", lines.len());
    for path in [
        "benches/baseline-v2/baseline-v2.policy",
        "tests/fixtures/compiled-adversarial/v2forms.policy",
    ] {
        let policy = compile(&[path]);
        let mut tally = Tally::default();
        let mut valid = 0;
        // By rule id: (conditions, with a form, decided).
        let mut by_rule = std::collections::BTreeMap::<String, (usize, usize, usize)>::new();
        for (i, line) in lines.iter().enumerate() {
            let name = format!("v2-deals.jsonl:{}", i + 1);
            let Some(d) = deal(&policy, &name, line, Format::Json) else {
                continue;
            };
            valid += 1;
            agree(&policy, &d, &mut tally);
            for a in agreements(&policy, &d, None) {
                let e = by_rule.entry(policy.rules[a.rule].id.clone()).or_default();
                e.0 += 1;
                e.1 += usize::from(a.has_form);
                e.2 += usize::from(a.compiled.is_some());
            }
        }
        eprintln!("{path} on the v2 edge deals ({valid} valid): {tally:?} {by_rule:?}");
        assert!(valid >= 45, "most v2 edge deals are valid: {valid}");
        let compiled: &[&str] = if path.contains("baseline-v2") {
            &[
                "covered-state-votes",
                "bloc-profit",
                "state-cap",
                "foreign-debt",
            ]
        } else {
            &[
                "profit",
                "stake",
                "seats",
                "subsidies",
                "stake-and",
                "when-bloc",
                "both",
                "either",
                "votes",
                "state-stakes",
                "all-parties",
                "foreign-look",
                "listed-look",
                "count-entities",
                "every-entity",
                "no-entity",
                "loan",
                "loan-eur",
                "subsidy-eur",
                "loan-gbp",
                "loan-quarter",
                "loan-quarter-then",
            ]
        };
        for id in compiled {
            let (n, with_form, decided) = by_rule[*id];
            assert_eq!(with_form, n, "{id}: {by_rule:?}");
            assert!(decided * 2 >= n, "{id} is mostly decided: {by_rule:?}");
        }
    }
}
