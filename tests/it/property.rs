//! Property: random deals (missing fields, wrong types, odd numbers) never make loading or
//! evaluation panic, and every rule gets exactly one outcome; a presence test on deal fields
//! (SPEC §8) is never unknown.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use covenant::deal::{self, Format, LoadOptions};
use covenant::source::SourceFile;
use proptest::prelude::*;

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("\"51%\"".to_string()),
        Just("\"49.99%\"".to_string()),
        Just("\"-5%\"".to_string()),
        Just("\"150%\"".to_string()),
        Just("\"USD 3.5B\"".to_string()),
        Just("\"EUR 120M\"".to_string()),
        Just("\"USD 0\"".to_string()),
        Just("\"US\"".to_string()),
        Just("\"CN\"".to_string()),
        Just("\"\"".to_string()),
        Just("null".to_string()),
        Just("true".to_string()),
        Just("0".to_string()),
        Just("7".to_string()),
        Just("123456789012345678901234567890".to_string()),
        Just("2026-09-01".to_string()),
        Just("\"2026-02-30\"".to_string()),
        Just("[]".to_string()),
        Just("{}".to_string()),
        "[a-z]{0,6}".prop_map(|s| format!("\"{s}\"")),
        (0u32..200).prop_map(|n| format!("\"{n}%\"")),
    ]
}

fn record(fields: &'static [&'static str]) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::option::of(scalar()), fields.len()).prop_map(move |vals| {
        let body: Vec<String> = fields
            .iter()
            .zip(vals)
            .filter_map(|(f, v)| v.map(|v| format!("\"{f}\": {v}")))
            .collect();
        format!("{{{}}}", body.join(", "))
    })
}

const PARTY: &[&str] = &[
    "name",
    "country",
    "stake",
    "voting",
    "board_seats",
    "government_stake",
    "profit_share",
    "subsidies",
];
const TECH: &[&str] = &[
    "name",
    "owner",
    "origin",
    "category",
    "transfer",
    "source_code_escrow",
];
const DATA: &[&str] = &["name", "category", "location", "subjects", "transfers"];
const PLANT: &[&str] = &["country", "region", "capacity", "local_content"];
const ROOT: &[&str] = &[
    "date",
    "jurisdiction",
    "sector",
    "cfius_filed",
    "investment",
    "waivers",
];

fn deal_json() -> impl Strategy<Value = String> {
    (
        record(ROOT),
        proptest::option::of(proptest::collection::vec(record(PARTY), 0..4)),
        proptest::collection::vec(record(TECH), 0..3),
        proptest::collection::vec(record(DATA), 0..3),
        proptest::collection::vec(record(PLANT), 0..3),
        proptest::option::of(record(&["seats", "chair"])),
    )
        .prop_map(|(root, parties, tech, data, plants, board)| {
            let mut s = root.trim_end_matches('}').to_string();
            let sep = |s: &String| if s.len() > 1 { ", " } else { "" };
            let list = |v: &Vec<String>| format!("[{}]", v.join(", "));
            s += &format!("{}\"proposal\": \"p\"", sep(&s));
            if let Some(p) = parties {
                s += &format!(", \"parties\": {}", list(&p));
            }
            if let Some(b) = board {
                s += &format!(", \"board\": {b}");
            }
            s += &format!(
                ", \"technology\": {}, \"data\": {}, \"plants\": {}}}",
                list(&tech),
                list(&data),
                list(&plants)
            );
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::support::cases(100, 1_000)))]
    #[test]
    fn random_deals_never_panic(json in deal_json()) {
        let policy = covenant::resolve::compile(&["examples/policies".into()]).unwrap().policy;
        let baseline = covenant::resolve::compile_str("jv-baseline.policy", include_str!("../fixtures/jv-baseline.policy")).unwrap().policy;
        for p in [&policy, &baseline] {
            let loaded = deal::load(SourceFile::new("d.json", json.clone()), "d.json".into(), 1, Format::Json, &p.schema, &LoadOptions::default());
            if let Ok(l) = loaded {
                let results = covenant::eval::evaluate(p, &l.deal, None);
                prop_assert_eq!(results.len(), p.rules.len());
            }
        }
    }
}

/// Presence tests, each decided on every deal that loads (never `incomplete`), and `as` names
/// and projections beside them.
const PRESENCE_POLICY: &str = "rule p-date: date is missing
rule p-chair: board chair is present
rule p-stakes: party stake is missing
rule p-must: party stake must not be missing
rule p-not: board seats is not present
rule a-tiers: every party: no [25%, 50%] as tier: stake < tier and voting >= tier
rule a-projection: total (parties where country = \"US\") stake > 50%
";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::support::cases(100, 1_000)))]
    #[test]
    fn presence_tests_are_never_unknown(json in deal_json()) {
        let p = covenant::resolve::compile_str("presence.policy", PRESENCE_POLICY).unwrap().policy;
        let loaded = deal::load(SourceFile::new("d.json", json), "d.json".into(), 1, Format::Json, &p.schema, &LoadOptions::default());
        if let Ok(l) = loaded {
            let results = covenant::eval::evaluate(&p, &l.deal, None);
            prop_assert_eq!(results.len(), p.rules.len());
            for r in &results {
                let id = &p.rules[r.rule].id;
                if id.starts_with("p-") {
                    prop_assert!(matches!(r.outcome.as_str(), "pass" | "fail"), "{} is {}", id, r.outcome.as_str());
                }
            }
        }
    }
}

/// Entity graphs (SPEC §7.1): names from a small pool, so that names repeat, owners name
/// entities that are not there, shares add up past 100% and owners form cycles.
mod entity_graphs {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    const NAMES: [&str; 8] = [
        "Alpha", "Beta", "Gamma", "Delta", "Eps", "Zeta", "Ghost", "Nobody",
    ];
    const KINDS: [&str; 7] = [
        "state",
        "state-owned",
        "company",
        "fund",
        "individual",
        "public",
        "State-owned",
    ];

    #[derive(Clone, Debug)]
    pub struct Owner {
        name: usize,
        stake: Option<u32>,
        voting: Option<u32>,
    }

    #[derive(Clone, Debug)]
    pub struct Entity {
        name: usize,
        kind: usize,
        owners: Option<Vec<Owner>>,
    }

    #[derive(Clone, Debug)]
    pub struct Graph {
        parties: Vec<Entity>,
        entities: Vec<Entity>,
        groups: Vec<(usize, Vec<usize>)>,
        casting_vote: Option<usize>,
    }

    fn owner() -> impl Strategy<Value = Owner> {
        let share = proptest::option::of(prop_oneof![Just(0u32), Just(100), 1u32..=70]);
        (0..NAMES.len(), share.clone(), share).prop_map(|(name, stake, voting)| Owner {
            name,
            stake,
            voting,
        })
    }

    fn entity() -> impl Strategy<Value = Entity> {
        let kind = prop_oneof![20 => 0..6usize, 1 => Just(6usize)];
        let owners = proptest::option::of(proptest::collection::vec(owner(), 0..3));
        (0..6usize, kind, owners).prop_map(|(name, kind, owners)| Entity { name, kind, owners })
    }

    pub fn graph() -> impl Strategy<Value = Graph> {
        (
            proptest::collection::vec(entity(), 0..3),
            proptest::collection::vec(entity(), 0..6),
            proptest::collection::vec(
                (
                    0..NAMES.len(),
                    proptest::collection::vec(0..NAMES.len(), 0..3),
                ),
                0..2,
            ),
            proptest::option::of(0..NAMES.len()),
        )
            .prop_map(|(parties, entities, groups, casting_vote)| Graph {
                parties,
                entities,
                groups,
                casting_vote,
            })
    }

    fn json_entity(e: &Entity) -> String {
        let mut out = format!(
            "{{\"name\": \"{}\", \"kind\": \"{}\"",
            NAMES[e.name], KINDS[e.kind]
        );
        if let Some(owners) = &e.owners {
            let items: Vec<String> = owners
                .iter()
                .map(|o| {
                    let mut item = format!("{{\"name\": \"{}\"", NAMES[o.name]);
                    if let Some(s) = o.stake {
                        item += &format!(", \"stake\": \"{s}%\"");
                    }
                    if let Some(v) = o.voting {
                        item += &format!(", \"voting\": \"{v}%\"");
                    }
                    item + "}"
                })
                .collect();
            out += &format!(", \"owners\": [{}]", items.join(", "));
        }
        out + "}"
    }

    pub fn json(g: &Graph) -> String {
        let list = |es: &[Entity]| es.iter().map(json_entity).collect::<Vec<_>>().join(", ");
        let groups: Vec<String> = g
            .groups
            .iter()
            .map(|(name, members)| {
                let members: Vec<String> = members
                    .iter()
                    .map(|m| format!("\"{}\"", NAMES[*m]))
                    .collect();
                format!(
                    "{{\"name\": \"{}\", \"members\": [{}]}}",
                    NAMES[*name],
                    members.join(", ")
                )
            })
            .collect();
        let mut out = format!(
            "{{\"proposal\": \"p\", \"parties\": [{}], \"entities\": [{}], \"groups\": [{}]",
            list(&g.parties),
            list(&g.entities),
            groups.join(", ")
        );
        if let Some(c) = g.casting_vote {
            out += &format!(", \"board\": {{\"casting_vote\": \"{}\"}}", NAMES[c]);
        }
        out + "}"
    }

    /// The codes SPEC §7.1 gives this deal, worked out directly: a bad kind alone (the other
    /// checks wait for valid values), else each of the others that applies.
    pub fn expected(g: &Graph) -> BTreeSet<&'static str> {
        let all: Vec<&Entity> = g.parties.iter().chain(&g.entities).collect();
        if all.iter().any(|e| e.kind == 6) {
            return BTreeSet::from(["covenant::deal::bad-kind"]);
        }
        let mut codes = BTreeSet::new();
        let mut names: Vec<usize> = all.iter().map(|e| e.name).collect();
        names.extend(g.groups.iter().map(|(n, _)| *n));
        if names.iter().collect::<BTreeSet<_>>().len() < names.len() {
            codes.insert("covenant::deal::duplicate-entity");
        }
        let known: BTreeSet<usize> = all.iter().map(|e| e.name).collect();
        let mut referenced: Vec<usize> = all
            .iter()
            .flat_map(|e| e.owners.iter().flatten().map(|o| o.name))
            .collect();
        referenced.extend(g.groups.iter().flat_map(|(_, m)| m.iter().copied()));
        referenced.extend(g.casting_vote);
        if referenced.iter().any(|n| !known.contains(n)) {
            codes.insert("covenant::deal::unknown-entity");
        }
        let over = |e: &Entity, share: fn(&Owner) -> Option<u32>| {
            e.owners.iter().flatten().filter_map(share).sum::<u32>() > 100
        };
        if all
            .iter()
            .any(|e| over(e, |o| o.stake) || over(e, |o| o.voting))
        {
            codes.insert("covenant::deal::owners-over-100");
        }
        if has_cycle(&all) {
            codes.insert("covenant::deal::ownership-cycle");
        }
        codes
    }

    /// Whether some entity reaches itself along owner → owned edges (by names, each name
    /// standing for the first entity of that name), by a fixpoint of reachability.
    fn has_cycle(all: &[&Entity]) -> bool {
        let mut first: BTreeMap<usize, usize> = BTreeMap::new();
        for (i, e) in all.iter().enumerate() {
            first.entry(e.name).or_insert(i);
        }
        let n = all.len();
        let mut reach = vec![vec![false; n]; n];
        for (to, e) in all.iter().enumerate() {
            for o in e.owners.iter().flatten() {
                if let Some(&from) = first.get(&o.name) {
                    reach[from][to] = true;
                }
            }
        }
        for k in 0..n {
            let through = reach[k].clone();
            for row in reach.iter_mut().filter(|row| row[k]) {
                for (cell, r) in row.iter_mut().zip(&through) {
                    *cell |= *r;
                }
            }
        }
        (0..n).any(|i| reach[i][i])
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(crate::support::cases(300, 5_000)))]
    #[test]
    fn random_entity_graphs_load_as_the_spec_says_in_json_and_yaml(g in entity_graphs::graph()) {
        let json = entity_graphs::json(&g);
        let schema = covenant::schema::Schema::standard();
        let mut seen = Vec::new();
        // JSON goes through the one-pass loader, YAML (the same text) through the full one.
        for (format, name) in [(Format::Json, "d.json"), (Format::Yaml, "d.yaml")] {
            let loaded = deal::load(SourceFile::new(name, json.clone()), name.into(), 1, format, &schema, &LoadOptions::default());
            let codes: std::collections::BTreeSet<&str> = match &loaded {
                Ok(_) => Default::default(),
                Err(e) => e.errors.iter().map(|e| e.code()).collect(),
            };
            prop_assert_eq!(&codes, &entity_graphs::expected(&g), "{}", json);
            let errors: Vec<(String, String)> = match loaded {
                Ok(l) => vec![(format!("{:?}", l.deal.root), String::new())],
                Err(e) => e.errors.iter().map(|e| (e.message(), e.label())).collect(),
            };
            seen.push(errors);
        }
        prop_assert_eq!(&seen[0], &seen[1], "{}", json);
    }
}

/// Durations near the ends of the date range (SPEC §9): dates of the first and last days,
/// counts up to the largest exact numbers, every unit, both signs. Nothing panics; a date that
/// cannot be computed makes its rule `incomplete`, never `fail`; and a count of days agrees with
/// jiff's.
mod durations_at_the_ends {
    use super::*;
    use jiff::civil::Date;

    fn date() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("0001-01-01".to_string()),
            Just("0001-01-02".to_string()),
            Just("0001-03-01".to_string()),
            Just("9999-12-31".to_string()),
            Just("9999-12-30".to_string()),
            Just("9999-02-28".to_string()),
            Just("0000-02-29".to_string()),
            Just("2024-02-29".to_string()),
            (1u16..=9999, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}")),
        ]
    }

    fn count() -> impl Strategy<Value = i128> {
        prop_oneof![
            -40i128..=40,
            Just(3_652_058),
            Just(3_652_059),
            Just(-3_652_058),
            Just(119_987),
            Just(119_988),
            Just(9_998),
            Just(10i128.pow(20)),
            Just(-(10i128.pow(20))),
            Just(i128::MAX / 10),
            Just(i128::MIN / 10),
            any::<i64>().prop_map(i128::from),
        ]
    }

    /// `date + n days` counted by jiff, if it is a date of the years 1 to 9999.
    fn plus_days(date: &str, n: i128) -> Option<Date> {
        let d: Date = date.parse().ok()?;
        let span = jiff::Span::new().try_days(i64::try_from(n).ok()?).ok()?;
        let to = d.checked_add(span).ok()?;
        (1..=9999).contains(&to.year()).then_some(to)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(crate::support::cases(300, 5_000)))]
        #[test]
        fn durations_never_panic_and_agree_with_jiff(
            closing in date(),
            signing in date(),
            n in count(),
            as_of in proptest::option::of(date()),
        ) {
            let policy = covenant::resolve::compile(&["tests/fixtures/time/ends.policy".into()]).unwrap().policy;
            let json = format!(
                r#"{{"proposal":"p","closing_date":"{closing}","signing_date":"{signing}","board":{{"seats":{n}}}}}"#
            );
            let loaded = deal::load(SourceFile::new("d.json", json), "d.json".into(), 1, Format::Json, &policy.schema, &LoadOptions::default()).unwrap();
            let as_of = as_of.and_then(|d| d.parse().ok());
            let results = covenant::eval::evaluate(&policy, &loaded.deal, as_of);
            prop_assert_eq!(results.len(), policy.rules.len());
            let outcome = |id: &str| {
                let r = results.iter().find(|r| policy.rules[r.rule].id == id).unwrap();
                r.outcome.as_str()
            };
            for id in ["plus-days", "plus-months", "plus-years", "plus-working-days"] {
                let o = outcome(id);
                if n >= 0 {
                    prop_assert!(o != "fail", "{id} with {n}: {o}");
                } else {
                    prop_assert!(o != "pass" || n == 0, "{id} with {n}: {o}");
                }
            }
            for id in ["minus-days", "minus-months", "minus-years", "minus-working-days"] {
                let o = outcome(id);
                if n >= 0 {
                    prop_assert!(o != "fail", "{id} with {n}: {o}");
                }
            }
            let expected = match plus_days(&closing, n) {
                Some(_) if n >= 0 => "pass",
                Some(_) => "fail",
                None => "incomplete",
            };
            prop_assert_eq!(outcome("plus-days"), expected, "{} + {} days", closing, n);
            let thirds = outcome("thirds");
            if n % 3 != 0 {
                prop_assert_eq!(thirds, "incomplete");
            }
            prop_assert!(outcome("literal") == "incomplete", "9999 years either way");
            // The days between two dates are exact for every pair, year 0 included.
            prop_assert_eq!(outcome("between"), "pass");
        }
    }
}
