//! Entities and ownership in deals (SPEC §7.1): kinds, defaults, names, owners over 100%,
//! cycles; the same diagnostics in YAML, JSON and TOML, and by both JSON loaders.

use super::render::{list, map, render, s, V};
use super::*;

const FORMATS: [Format; 3] = [Format::Yaml, Format::Json, Format::Toml];

/// An entity (or party) with `fields`, and owners given as (name, stake).
fn entity(name: &str, kind: &str, country: &str, owners: Option<&[(&str, &str)]>) -> V {
    let mut fields = vec![
        ("name", s(name)),
        ("kind", s(kind)),
        ("country", s(country)),
    ];
    if let Some(owners) = owners {
        let items: Vec<V> = owners
            .iter()
            .map(|(n, stake)| map(&[("name", s(n)), ("stake", s(stake))]))
            .collect();
        fields.push(("owners", list(&items)));
    }
    map(&fields)
}

fn deal(parties: &[V], entities: &[V], extra: &[(&str, V)]) -> V {
    let mut fields = vec![
        ("proposal", s("JV")),
        ("parties", list(parties)),
        ("entities", list(entities)),
    ];
    fields.extend(extra.iter().cloned());
    map(&fields)
}

/// One diagnostic as the user sees it: code, message, help, and each label's text with the
/// text it underlines.
type Seen = (String, String, Option<String>, Vec<(String, String)>);

fn seen(e: &DealError, text: &str) -> Seen {
    let labels = miette::Diagnostic::labels(e)
        .into_iter()
        .flatten()
        .map(|l| {
            let under = text.get(l.offset()..l.offset() + l.len()).unwrap_or("?");
            // A TOML or YAML string is quoted like JSON here: compare the text inside.
            let under = under.trim_matches('"').to_string();
            (l.label().unwrap_or_default().to_string(), under)
        })
        .collect();
    (e.code().into(), e.message(), e.help_text(), labels)
}

/// The errors of `deal` in every format, checked to be the same; those of YAML.
fn errors_everywhere(deal: &V) -> Vec<Seen> {
    let mut first: Option<Vec<Seen>> = None;
    for format in FORMATS {
        let text = render(deal, format);
        let found: Vec<Seen> = match load_str(&text, format) {
            Ok(_) => Vec::new(),
            Err(e) => e.errors.iter().map(|e| seen(e, &text)).collect(),
        };
        match &first {
            None => first = Some(found),
            Some(f) => assert_eq!(&found, f, "{format:?}:\n{text}"),
        }
    }
    first.unwrap()
}

/// The deal loads in every format, with the same values.
fn loads_everywhere(deal: &V) -> Loaded {
    let loaded: Vec<Loaded> = FORMATS.iter().map(|f| ok(&render(deal, *f), *f)).collect();
    let root = without_spans(&loaded[0].deal.root);
    for l in &loaded[1..] {
        assert_eq!(without_spans(&l.deal.root), root);
    }
    loaded.into_iter().next().unwrap()
}

fn codes_of(found: &[Seen]) -> Vec<&str> {
    found.iter().map(|f| f.0.as_str()).collect()
}

#[test]
fn a_kind_outside_the_six_is_bad_kind_with_a_did_you_mean() {
    let d = deal(
        &[entity("Dragon Motors", "State-owned", "CN", None)],
        &[entity("SASAC", "government", "CN", None)],
        &[],
    );
    let found = errors_everywhere(&d);
    assert_eq!(codes_of(&found), ["covenant::deal::bad-kind"; 2]);
    assert_eq!(found[0].1, "`State-owned` is not a kind of entity");
    assert!(found[0]
        .2
        .as_deref()
        .unwrap()
        .starts_with("did you mean `state-owned`? `kind` is one of `state`,"));
    assert_eq!(found[0].3[0].1, "State-owned");
    assert!(found[1]
        .2
        .as_deref()
        .unwrap()
        .starts_with("did you mean `state`?"));
}

#[test]
fn a_group_kind_is_free_text() {
    let groups = list(&[map(&[
        ("name", s("Eastern Grid")),
        ("kind", s("voting agreement")),
        ("members", list(&[s("A")])),
    ])]);
    loads_everywhere(&deal(
        &[entity("A", "company", "CN", None)],
        &[],
        &[("groups", groups)],
    ));
}

/// The text a node's span covers in `text`, quotes trimmed.
fn under(text: &str, node: Option<&Node>) -> String {
    let span = node.unwrap().span;
    text[span.start..span.end].trim_matches('"').to_string()
}

#[test]
fn a_state_is_its_own_state_unless_one_is_written() {
    let party = map(&[
        ("name", s("QIA")),
        ("kind", s("state")),
        ("country", s("QA")),
    ]);
    let d = deal(
        &[party],
        &[
            entity("SASAC", "state", "CN", None),
            map(&[
                ("name", s("HK Gov")),
                ("kind", s("state")),
                ("country", s("HK")),
                ("state", s("CN")),
            ]),
            entity("FAW Group", "state-owned", "CN", None),
        ],
        &[],
    );
    for format in FORMATS {
        let text = render(&d, format);
        let l = ok(&text, format);
        assert_eq!(
            scalar(&l.deal, "parties.0.state"),
            &Scalar::Str("QA".into())
        );
        // The default is the value it copies, at its place.
        assert_eq!(
            at(&l.deal, "parties.0.state").unwrap().span,
            at(&l.deal, "parties.0.country").unwrap().span
        );
        assert_eq!(
            scalar(&l.deal, "entities.0.state"),
            &Scalar::Str("CN".into())
        );
        assert_eq!(under(&text, at(&l.deal, "entities.0.state")), "CN");
        assert_eq!(
            scalar(&l.deal, "entities.1.state"),
            &Scalar::Str("CN".into())
        );
        assert!(
            at(&l.deal, "entities.2.state").is_none(),
            "only kind `state` defaults"
        );
    }
}

#[test]
fn owner_edges_prior_values_default_to_the_current_ones_and_party_priors_stay_missing() {
    let owners = list(&[
        map(&[("name", s("A")), ("stake", s("60%")), ("voting", s("70%"))]),
        map(&[
            ("name", s("B")),
            ("stake", s("40%")),
            ("prior_stake", s("30%")),
        ]),
        map(&[("name", s("A")), ("controls", V::Bool(true))]),
    ]);
    let party = map(&[
        ("name", s("P")),
        ("kind", s("company")),
        ("country", s("CN")),
        ("stake", s("100%")),
        ("owners", owners),
    ]);
    let d = deal(
        &[party],
        &[
            entity("A", "individual", "CN", None),
            entity("B", "individual", "CN", None),
        ],
        &[],
    );
    for format in FORMATS {
        let text = render(&d, format);
        let l = ok(&text, format);
        let pct = |p: &str| Scalar::Percent(num(p));
        assert_eq!(
            scalar(&l.deal, "parties.0.owners.0.prior_stake"),
            &pct("60")
        );
        assert_eq!(
            scalar(&l.deal, "parties.0.owners.0.prior_voting"),
            &pct("70")
        );
        assert_eq!(
            at(&l.deal, "parties.0.owners.0.prior_voting").unwrap().span,
            at(&l.deal, "parties.0.owners.0.voting").unwrap().span
        );
        assert_eq!(
            scalar(&l.deal, "parties.0.owners.1.prior_stake"),
            &pct("30")
        );
        assert!(at(&l.deal, "parties.0.owners.1.voting").is_none());
        assert!(
            at(&l.deal, "parties.0.owners.1.prior_voting").is_none(),
            "nothing to copy"
        );
        assert!(
            at(&l.deal, "parties.0.prior_stake").is_none(),
            "a party's own prior stays missing"
        );
        assert!(at(&l.deal, "parties.0.prior_voting").is_none());
        assert_eq!(
            scalar(&l.deal, "parties.0.owners.1.controls"),
            &Scalar::Bool(false)
        );
        assert_eq!(
            scalar(&l.deal, "parties.0.owners.2.controls"),
            &Scalar::Bool(true)
        );
        let item = at(&l.deal, "parties.0.owners.1").unwrap().span;
        assert_eq!(
            at(&l.deal, "parties.0.owners.1.controls").unwrap().span,
            item
        );
    }
}

#[test]
fn a_null_prior_is_not_written_and_defaults() {
    let text = r#"{"proposal": "JV", "parties": [{"name": "P", "owners": [{"name": "A", "stake": "60%", "prior_stake": null}]}],
        "entities": [{"name": "A", "kind": "individual"}]}"#;
    let l = ok(text, Format::Json);
    assert_eq!(
        scalar(&l.deal, "parties.0.owners.0.prior_stake"),
        &Scalar::Percent(num("60"))
    );
}

#[test]
fn new_lists_default_to_empty_except_owners() {
    let l = ok(
        "proposal: JV\nparties:\n  - name: A\nentities:\n  - name: B\n    kind: company\n",
        Format::Yaml,
    );
    for path in ["groups", "parties.0.vetoes", "parties.0.appointments"] {
        assert_eq!(
            at(&l.deal, path).unwrap().value,
            NodeValue::List(Vec::new()),
            "{path}"
        );
    }
    assert!(
        at(&l.deal, "parties.0.owners").is_none(),
        "missing owners stay missing"
    );
    assert!(at(&l.deal, "entities.0.owners").is_none());
    let l = ok("proposal: JV\n", Format::Yaml);
    assert_eq!(
        at(&l.deal, "entities").unwrap().value,
        NodeValue::List(Vec::new())
    );
}

#[test]
fn an_owner_an_entity_and_a_group_need_a_name() {
    let text = "proposal: JV\nparties:\n  - owners:\n      - stake: \"5%\"\nentities:\n  - kind: company\ngroups:\n  - members: []\n";
    let found = errors(text, Format::Yaml);
    assert_eq!(
        found.iter().map(|f| f.0).collect::<Vec<_>>(),
        ["missing-required"; 3],
        "{found:?}"
    );
    // A party's name stays optional, as in v1.
    ok(
        "proposal: JV\nparties:\n  - stake: \"100%\"\n",
        Format::Yaml,
    );
}

#[test]
fn a_name_used_twice_is_a_duplicate_entity_with_both_places() {
    let group = |name: &str| map(&[("name", s(name)), ("members", list(&[s("Acme")]))]);
    let d = deal(
        &[
            entity("Acme", "company", "US", None),
            entity("Acme", "company", "US", None),
            entity("Dragon", "company", "CN", None),
        ],
        &[
            entity("Dragon", "company", "CN", None),
            entity("Grid", "fund", "CN", None),
        ],
        &[(
            "groups",
            list(&[group("Grid"), group("Bloc"), group("Bloc")]),
        )],
    );
    let found = errors_everywhere(&d);
    let messages: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
    assert_eq!(
        messages,
        [
            "`Acme` names two parties",
            "`Dragon` names both a party and an entity",
            "`Grid` names both an entity and a group",
            "`Bloc` names two groups",
        ]
    );
    assert!(codes_of(&found)
        .iter()
        .all(|c| *c == "covenant::deal::duplicate-entity"));
    let labels = |i: usize| {
        found[i]
            .3
            .iter()
            .map(|(l, t)| (l.as_str(), t.as_str()))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        labels(0),
        [("named again here", "Acme"), ("first named here", "Acme")]
    );
    assert!(found[1]
        .2
        .as_deref()
        .unwrap()
        .starts_with("a party is an entity already"));
    assert!(found[2].2.as_deref().unwrap().contains("rename the group"));
    // The second place is the repeat, the first the first use.
    let text = render(&d, Format::Yaml);
    let e = load_str(&text, Format::Yaml).unwrap_err();
    let (first, _) = e.errors[0].secondary().unwrap();
    assert!(first.start < e.errors[0].span().start);
}

#[test]
fn a_name_that_names_no_entity_is_unknown_entity_with_a_did_you_mean() {
    let board = map(&[
        ("chair", s("Nobody at all")),
        ("casting_vote", s("acme motors")),
    ]);
    let d = deal(
        &[
            entity("Acme Motors", "public", "US", None),
            entity(
                "Dragon Motors",
                "company",
                "CN",
                Some(&[("Northern Auto HK", "100%")]),
            ),
        ],
        &[
            entity(
                "Northern Auto HK",
                "public",
                "HK",
                Some(&[("FAW Grup", "60%")]),
            ),
            entity(
                "FAW Group",
                "state-owned",
                "CN",
                Some(&[("Sasac", "100%"), ("Someone Else", "0%")]),
            ),
            entity("SASAC", "state", "CN", None),
        ],
        &[
            (
                "groups",
                list(&[map(&[
                    ("name", s("G")),
                    (
                        "members",
                        list(&[s("Dragon Motors"), s("Dragon  motors "), s("Tiger")]),
                    ),
                ])]),
            ),
            ("board", board),
        ],
    );
    let found = errors_everywhere(&d);
    assert!(codes_of(&found)
        .iter()
        .all(|c| *c == "covenant::deal::unknown-entity"));
    let got: Vec<(&str, &str, &str)> = found
        .iter()
        .map(|f| (f.1.as_str(), f.3[0].1.as_str(), f.2.as_deref().unwrap()))
        .collect();
    let mean = |n: &str| {
        format!("did you mean `{n}`? an owner, a group member or a casting vote names a party or an item of `entities`")
    };
    let add = |n: &str| {
        format!("add `{n}` to `entities` (with its `kind` and `country`), or correct the name")
    };
    assert_eq!(
        got,
        [
            (
                "the owner `FAW Grup` names no party or entity",
                "FAW Grup",
                mean("FAW Group").as_str()
            ),
            (
                "the owner `Sasac` names no party or entity",
                "Sasac",
                mean("SASAC").as_str()
            ),
            (
                "the owner `Someone Else` names no party or entity",
                "Someone Else",
                add("Someone Else").as_str()
            ),
            (
                "the group member `Dragon  motors ` names no party or entity",
                "Dragon  motors ",
                mean("Dragon Motors").as_str()
            ),
            (
                "the group member `Tiger` names no party or entity",
                "Tiger",
                add("Tiger").as_str()
            ),
            (
                "the casting vote `acme motors` names no party or entity",
                "acme motors",
                mean("Acme Motors").as_str()
            ),
        ],
        "the chair is v1 free text, never checked"
    );
}

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

#[test]
fn v1_parties_of_one_name_are_duplicate_entities_each_against_the_first() {
    let text =
        "proposal: JV\nparties:\n  - name: A\n  - name: B\n  - name: A\n  - {}\n  - name: A\n";
    let e = load_str(text, Format::Yaml).unwrap_err();
    let found: Vec<(String, usize, usize)> = e
        .errors
        .iter()
        .map(|e| (e.message(), e.span().start, e.secondary().unwrap().0.start))
        .collect();
    let first = text.find("A\n").unwrap();
    assert_eq!(
        found,
        [
            (
                "`A` names two parties".to_string(),
                text[first + 1..].find("A\n").unwrap() + first + 1,
                first
            ),
            (
                "`A` names two parties".to_string(),
                text.rfind("A\n").unwrap(),
                first
            ),
        ]
    );
}

#[test]
fn many_parties_are_checked_for_repeats_too() {
    let mut text = String::from("proposal: JV\nparties:\n");
    for i in 0..30 {
        text += &format!("  - name: P{i}\n");
    }
    text += "  - name: P7\n";
    let e = load_str(&text, Format::Yaml).unwrap_err();
    assert_eq!(e.errors.len(), 1);
    assert_eq!(e.errors[0].message(), "`P7` names two parties");
    let mut distinct = text.replace("  - name: P7\n", "");
    distinct += "  - name: P30\n";
    ok(&distinct, Format::Yaml);
}
