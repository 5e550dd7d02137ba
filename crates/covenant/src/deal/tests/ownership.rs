//! Ownership in deals (SPEC §7.1): owners over 100%, cycles, a chain of 100,000 entities;
//! the same diagnostics in YAML, JSON and TOML, and by both JSON loaders.

use super::entities::{deal, entity, errors_everywhere, loads_everywhere, seen, Seen};
use super::render::{list, map, render, s, V};
use super::*;

/// An owner edge with the given fields.
fn edge(fields: &[(&str, &str)]) -> V {
    V::Map(fields.iter().map(|(k, v)| (k.to_string(), s(v))).collect())
}

fn owned(name: &str, owners: &[V]) -> V {
    map(&[
        ("name", s(name)),
        ("kind", s("company")),
        ("country", s("CN")),
        ("owners", list(owners)),
    ])
}

fn individuals(names: &[&str]) -> Vec<V> {
    names
        .iter()
        .map(|n| entity(n, "individual", "CN", None))
        .collect()
}

#[test]
fn owners_over_100_show_every_value_and_the_total() {
    let d = deal(
        &[owned(
            "Dragon",
            &[
                edge(&[("name", "A"), ("stake", "60%")]),
                edge(&[("name", "B"), ("stake", "50.5%")]),
                edge(&[("name", "C"), ("stake", "0%")]),
            ],
        )],
        &individuals(&["A", "B", "C"]),
        &[],
    );
    let found = errors_everywhere(&d);
    assert_eq!(found.len(), 1, "{found:#?}");
    let (code, message, help, labels) = &found[0];
    assert_eq!(code, "covenant::deal::owners-over-100");
    assert_eq!(
        message,
        "the owners of `Dragon` hold 110.5% of its `stake`, more than 100%"
    );
    assert_eq!(
        help.as_deref(),
        Some("60% + 50.5% + 0% = 110.5%; the owners of one entity hold at most 100% of it: correct one of these values")
    );
    assert_eq!(
        labels,
        &[
            (
                "B: 50.5%, which takes the total past 100%".to_string(),
                "50.5%".to_string()
            ),
            ("A: 60%".to_string(), "60%".to_string()),
            ("C: 0%".to_string(), "0%".to_string()),
        ]
    );
}

#[test]
fn owners_over_100_in_voting_and_in_a_written_prior_value() {
    let d = deal(
        &[],
        &[
            owned(
                "V",
                &[
                    edge(&[("name", "A"), ("stake", "50%"), ("voting", "80%")]),
                    edge(&[("name", "B"), ("stake", "50%"), ("voting", "30%")]),
                ],
            ),
            // B's prior stake is its stake (50%): with A's written 60%, 110%.
            owned(
                "P",
                &[
                    edge(&[("name", "A"), ("stake", "50%"), ("prior_stake", "60%")]),
                    edge(&[("name", "B"), ("stake", "50%")]),
                ],
            ),
            // Priors not written anywhere are the current values: not reported again.
            owned(
                "Q",
                &[
                    edge(&[("name", "A"), ("stake", "70%")]),
                    edge(&[("name", "B"), ("stake", "70%")]),
                ],
            ),
            entity("A", "individual", "CN", None),
            entity("B", "individual", "CN", None),
        ],
        &[],
    );
    let found = errors_everywhere(&d);
    let messages: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(
        messages,
        [
            "the owners of `V` hold 110% of its `voting`, more than 100%",
            "the owners of `P` hold 110% of its `prior_stake`, more than 100%",
            "the owners of `Q` hold 140% of its `stake`, more than 100%",
        ]
    );
    let labels: Vec<&str> = found[1].3.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "B: 50% (its `stake`: `prior_stake` is not written), which takes the total past 100%",
            "A: 60%"
        ]
    );
}

#[test]
fn the_jv_parties_over_100_stay_a_warning_and_100_exactly_is_fine() {
    let d = deal(
        &[
            map(&[("name", s("A")), ("stake", s("60%"))]),
            map(&[
                ("name", s("B")),
                ("stake", s("60%")),
                (
                    "owners",
                    list(&[
                        edge(&[("name", "C"), ("stake", "33.33%")]),
                        edge(&[("name", "D"), ("stake", "66.67%")]),
                    ]),
                ),
            ]),
        ],
        &individuals(&["C", "D"]),
        &[],
    );
    let l = loads_everywhere(&d);
    let warned: Vec<&str> = l.warnings.iter().map(DealError::code).collect();
    assert_eq!(warned, ["covenant::deal::stakes-not-100"]);
}

#[test]
fn an_ownership_cycle_names_its_chain_with_every_edge_labelled() {
    // spec-v2-notes A.1.
    let d = deal(
        &[],
        &[
            owned(
                "Alpha Holdings",
                &[edge(&[("name", "Beta Capital"), ("stake", "30%")])],
            ),
            owned(
                "Beta Capital",
                &[edge(&[("name", "Alpha Holdings"), ("stake", "20%")])],
            ),
        ],
        &[],
    );
    let found = errors_everywhere(&d);
    assert_eq!(found.len(), 1);
    let (code, message, help, labels) = &found[0];
    assert_eq!(code, "covenant::deal::ownership-cycle");
    assert_eq!(
        message,
        "ownership cycle: Alpha Holdings → 20% → Beta Capital → 30% → Alpha Holdings"
    );
    assert_eq!(
        help.as_deref(),
        Some("an entity cannot own itself, directly or through others (SPEC §7.1): correct or remove one of these holdings")
    );
    assert_eq!(
        labels,
        &[
            (
                "Alpha Holdings holds 20% of Beta Capital".to_string(),
                "Alpha Holdings".to_string()
            ),
            (
                "Beta Capital holds 30% of Alpha Holdings".to_string(),
                "Beta Capital".to_string()
            ),
        ]
    );
}

#[test]
fn a_cycle_reads_stake_else_voting_else_no_share_and_a_self_holding_is_a_cycle() {
    let d = deal(
        &[owned("P", &[edge(&[("name", "P"), ("voting", "5%")])])],
        &[
            owned("X", &[edge(&[("name", "Z")])]),
            owned("Y", &[edge(&[("name", "X"), ("voting", "51%")])]),
            owned(
                "Z",
                &[edge(&[("name", "Y"), ("stake", "10%"), ("voting", "90%")])],
            ),
        ],
        &[],
    );
    let found = errors_everywhere(&d);
    let messages: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(
        messages,
        [
            "ownership cycle: P → 5% → P",
            "ownership cycle: X → 51% → Y → 10% → Z → X"
        ]
    );
    let labels: Vec<&str> = found[1].3.iter().map(|(l, _)| l.as_str()).collect();
    assert_eq!(
        labels,
        [
            "X holds 51% of the votes of Y",
            "Y holds 10% of Z",
            "Z holds a share of X"
        ]
    );
}

#[test]
fn each_tangle_of_cycles_is_reported_once_with_its_shortest_cycle() {
    // A and B own each other, B and C own each other: one tangle of three; D and E apart.
    let d = deal(
        &[],
        &[
            owned("A", &[edge(&[("name", "B"), ("stake", "10%")])]),
            owned(
                "B",
                &[
                    edge(&[("name", "C"), ("stake", "10%")]),
                    edge(&[("name", "A"), ("stake", "10%")]),
                ],
            ),
            owned("C", &[edge(&[("name", "B"), ("stake", "10%")])]),
            owned("D", &[edge(&[("name", "E"), ("stake", "10%")])]),
            owned("E", &[edge(&[("name", "D"), ("stake", "10%")])]),
        ],
        &[],
    );
    let found = errors_everywhere(&d);
    let messages: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(
        messages,
        [
            "ownership cycle: A → 10% → B → 10% → A",
            "ownership cycle: D → 10% → E → 10% → D"
        ]
    );
    assert!(found[0]
        .2
        .as_deref()
        .unwrap()
        .ends_with("; 1 more entities own each other in circles with these"));
}

#[test]
fn a_chain_of_100000_entities_loads_and_a_cycle_of_them_is_found_without_recursion() {
    let n = 100_000;
    let chain = move |cycle: bool| {
        let mut text = String::from("{\"proposal\":\"JV\",\"entities\":[");
        for i in 0..n {
            let owner = if i + 1 < n {
                i + 1
            } else if cycle {
                0
            } else {
                usize::MAX
            };
            let owners = if owner == usize::MAX {
                String::new()
            } else {
                format!(",\"owners\":[{{\"name\":\"E{owner}\",\"stake\":\"100%\"}}]")
            };
            let sep = if i == 0 { "" } else { "," };
            text.push_str(&format!(
                "{sep}{{\"name\":\"E{i}\",\"kind\":\"company\"{owners}}}"
            ));
        }
        text + "]}"
    };
    // On a thread with a small stack: a recursive walk would overflow it.
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            ok(&chain(false), Format::Json);
            let e = load_str(&chain(true), Format::Json).unwrap_err();
            assert_eq!(e.errors.len(), 1);
            let message = e.errors[0].message();
            assert!(
                message.starts_with("ownership cycle: E0 → 100% → E99999 → 100% → E99998"),
                "{}",
                &message[..100]
            );
            assert!(message.contains(" → … 99980 more holdings … → "));
            assert!(message.ends_with("E1 → 100% → E0"));
            let labels = miette::Diagnostic::labels(&e.errors[0]).unwrap().count();
            assert_eq!(labels, 20);
        })
        .unwrap()
        .join()
        .unwrap();
}

/// Deals with entity graphs: valid ones, and one for each error of SPEC §7.1.
fn graph_deals() -> Vec<V> {
    let chain = || {
        vec![
            owned(
                "Northern Auto HK",
                &[edge(&[
                    ("name", "FAW Group"),
                    ("stake", "60%"),
                    ("voting", "60%"),
                ])],
            ),
            map(&[
                ("name", s("FAW Group")),
                ("kind", s("state-owned")),
                ("country", s("CN")),
                (
                    "owners",
                    list(&[edge(&[
                        ("name", "SASAC"),
                        ("stake", "100%"),
                        ("prior_voting", "90%"),
                    ])]),
                ),
            ]),
            entity("SASAC", "state", "CN", None),
        ]
    };
    let dragon = |owner: &str| {
        owned(
            "Dragon Motors",
            &[edge(&[("name", owner), ("stake", "100%")])],
        )
    };
    let with = |extra: V| {
        let mut e = chain();
        e.push(extra);
        e
    };
    vec![
        deal(&[dragon("Northern Auto HK")], &chain(), &[]),
        deal(&[dragon("Northern Auto HQ")], &chain(), &[]),
        deal(
            &[dragon("Northern Auto HK")],
            &with(entity("SASAC", "state", "CN", None)),
            &[],
        ),
        deal(
            &[dragon("Northern Auto HK")],
            &with(entity("Xi", "person", "CN", None)),
            &[],
        ),
        deal(
            &[dragon("Northern Auto HK")],
            &with(owned("Loop", &[edge(&[("name", "Loop"), ("stake", "1%")])])),
            &[],
        ),
        deal(
            &[dragon("Northern Auto HK")],
            &with(owned(
                "Over",
                &[
                    edge(&[("name", "SASAC"), ("voting", "70%")]),
                    edge(&[("name", "FAW Group"), ("voting", "70%")]),
                ],
            )),
            &[],
        ),
    ]
}

#[test]
fn the_json_fast_path_runs_the_same_checks_and_defaults_as_the_full_loader() {
    for (i, d) in graph_deals().iter().enumerate() {
        let text = render(d, Format::Json);
        let took_fast = crate::deal::fast::load_json_fast(
            &std::sync::Arc::from(text.as_str()),
            0,
            &Schema::standard(),
            &Limits::default(),
        )
        .is_some();
        // A bad kind is a value the fast path refuses; the others are decided by its checks.
        assert_eq!(took_fast, i != 3, "deal {i}");
        let by_load = load_str(&text, Format::Json);
        let by_full = load_full(
            source(&text),
            "deal".into(),
            1,
            Format::Json,
            &Schema::standard(),
            &LoadOptions::default(),
        );
        match (by_load, by_full) {
            (Ok(a), Ok(b)) => {
                assert_eq!(a.deal.root, b.deal.root, "deal {i}");
                assert_eq!(a.warnings.len(), b.warnings.len());
                // The defaults were filled in on the fast path too.
                assert!(at(&a.deal, "entities.2.state").is_some(), "deal {i}");
            }
            (Err(a), Err(b)) => {
                let a: Vec<Seen> = a.errors.iter().map(|e| seen(e, &text)).collect();
                let b: Vec<Seen> = b.errors.iter().map(|e| seen(e, &text)).collect();
                assert_eq!(a, b, "deal {i}");
                assert!(!a.is_empty());
            }
            (a, b) => panic!("deal {i}: {:?} against {:?}", a.is_ok(), b.is_ok()),
        }
    }
}

#[test]
fn every_error_of_the_graph_deals_is_the_same_in_every_format() {
    let codes: Vec<Vec<String>> = graph_deals()
        .iter()
        .map(|d| errors_everywhere(d).into_iter().map(|f| f.0).collect())
        .collect();
    let deal = |c: &str| format!("covenant::deal::{c}");
    assert_eq!(
        codes,
        [
            vec![],
            vec![deal("unknown-entity")],
            vec![deal("duplicate-entity")],
            vec![deal("bad-kind")],
            vec![deal("ownership-cycle")],
            vec![deal("owners-over-100")],
        ]
    );
}

#[test]
fn a_custom_schema_keeps_v1s_meaning() {
    let schema = crate::deal::json_schema::schema_from_json_schema(
        r#"{"type": "object", "properties": {
            "proposal": {"type": "string"},
            "parties": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"}, "kind": {"type": "string"}, "owners": {"type": "array", "items": {"type": "string"}}}}},
            "entities": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}}}}
        }}"#,
        "custom",
    )
    .unwrap();
    let text = r#"{"proposal": "x", "parties": [{"name": "A", "kind": "friend", "owners": ["Nobody"]}, {"name": "A"}], "entities": [{"name": "A"}]}"#;
    let loaded = load(
        source(text),
        "deal".into(),
        1,
        Format::Json,
        &schema,
        &LoadOptions::default(),
    );
    assert!(loaded.is_ok(), "{:?}", loaded.err());
}

/// The owners are first added up in one pass for the four measures; a deal at 100% exactly
/// in each is fine, and a measure past 100% alone is still found (a `prior_*` written on one
/// owner, the others' defaults counted).
#[test]
fn each_measure_past_100_is_found_alone() {
    let found = |edges: &[V]| {
        let d = deal(
            &[],
            &[
                owned("E", edges),
                entity("A", "individual", "CN", None),
                entity("B", "individual", "CN", None),
            ],
            &[],
        );
        errors_everywhere(&d)
            .iter()
            .map(|f| f.1.clone())
            .collect::<Vec<_>>()
    };
    let full = [
        edge(&[
            ("name", "A"),
            ("stake", "40%"),
            ("voting", "70%"),
            ("prior_voting", "60%"),
        ]),
        edge(&[
            ("name", "B"),
            ("stake", "60%"),
            ("voting", "30%"),
            ("prior_stake", "59%"),
        ]),
    ];
    assert_eq!(found(&full), Vec::<String>::new());
    let past =
        |measure: &str| format!("the owners of `E` hold 101% of its `{measure}`, more than 100%");
    let cases = [
        ("stake", [("stake", "41%"), ("stake", "60%")]),
        ("voting", [("voting", "71%"), ("voting", "30%")]),
        (
            "prior_stake",
            [("prior_stake", "41%"), ("prior_stake", "60%")],
        ),
        ("prior_voting", [("prior_voting", "71%"), ("voting", "30%")]),
        ("prior_voting", [("voting", "70%"), ("prior_voting", "41%")]),
    ];
    for (measure, [(fa, va), (fb, vb)]) in cases {
        let mut a = vec![
            ("name", "A"),
            ("stake", "40%"),
            ("voting", "70%"),
            ("prior_voting", "60%"),
        ];
        let mut b = vec![
            ("name", "B"),
            ("stake", "60%"),
            ("voting", "30%"),
            ("prior_stake", "59%"),
        ];
        for (fields, (f, v)) in [(&mut a, (fa, va)), (&mut b, (fb, vb))] {
            match fields.iter_mut().find(|(name, _)| *name == f) {
                Some(slot) => slot.1 = v,
                None => fields.push((f, v)),
            }
        }
        assert_eq!(
            found(&[edge(&a), edge(&b)]),
            [past(measure)],
            "{measure}: {a:?} {b:?}"
        );
    }
}

/// The JV parties' stakes are summed exactly whatever their number of places: a total of
/// exactly 100% is no warning however it is written, and a total past it by 10^-19 percent (a
/// place more than the sum in whole units keeps, the units' sum then taken as fractions) or
/// short of it by 10^-18 is one, with the exact total.
#[test]
fn the_jv_stakes_add_up_exactly_at_any_number_of_places() {
    let totals = |stakes: &[&str]| {
        let parties: Vec<V> = stakes
            .iter()
            .enumerate()
            .map(|(i, stake)| map(&[("name", s(&format!("P{i}"))), ("stake", s(stake))]))
            .collect();
        let l = loads_everywhere(&deal(&parties, &[], &[]));
        l.warnings
            .iter()
            .map(|w| w.to_string())
            .collect::<Vec<String>>()
    };
    for fine in [
        &["100%"][..],
        &["33.34%", "33.33%", "33.33%"],
        &["0.000000000000000001%", "99.999999999999999999%"],
        &["0.0000000000000000001%", "99.9999999999999999999%"],
        &["12.5%", "12.5%", "75%", "0%"],
    ] {
        assert_eq!(totals(fine), Vec::<String>::new(), "{fine:?}");
    }
    for (stakes, total) in [
        (
            &["50.0000000000000000001%", "50%"][..],
            "100.0000000000000000001",
        ),
        (
            &["100%", "0.0000000000000000001%"],
            "100.0000000000000000001",
        ),
        (&["49.999999999999999999%", "50%"], "99.999999999999999999"),
        (&["33.33%", "33.33%", "33.33%"], "99.99"),
    ] {
        let warned = totals(stakes);
        assert_eq!(warned.len(), 1, "{stakes:?}: {warned:?}");
        assert!(
            warned[0].contains(&format!("{total}%")),
            "{stakes:?}: {warned:?}"
        );
    }
}
