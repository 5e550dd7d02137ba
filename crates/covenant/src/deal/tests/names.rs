//! Names in deals (SPEC §7.1, §7.3, §15): unique across parties, entities and groups; every
//! owner, group member and casting vote names an entity.

use super::entities::{codes_of, deal, entity, errors_everywhere};
use super::render::{list, map, render, s};
use super::*;

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

/// Where no two parties or entities share a name, a group that takes a party's or an entity's
/// name, or another group's, is found all the same (the names of a usual deal are not sorted
/// again for its groups: each group is looked up).
#[test]
fn a_group_repeating_a_name_is_found_where_no_entity_repeats_one() {
    let group = |name: &str| map(&[("name", s(name)), ("members", list(&[s("Acme")]))]);
    let cases: [(&[&str], &[&str]); 4] = [
        (&["Bloc", "Axis"], &[]),
        (&["Grid"], &["`Grid` names both an entity and a group"]),
        (&["Acme"], &["`Acme` names both a party and a group"]),
        (&["Bloc", "Axis", "Bloc"], &["`Bloc` names two groups"]),
    ];
    for (groups, want) in cases {
        let groups: Vec<_> = groups.iter().map(|g| group(g)).collect();
        let d = deal(
            &[entity("Acme", "company", "US", None)],
            &[entity("Grid", "fund", "CN", None)],
            &[("groups", list(&groups))],
        );
        let found = errors_everywhere(&d);
        let messages: Vec<&str> = found.iter().map(|f| f.1.as_str()).collect();
        assert_eq!(messages, want);
    }
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

/// The owners' names are looked up once, for the owner edges; the other places are still
/// walked when they all name entities, and a party's owner is still checked.
#[test]
fn unknown_names_are_found_whether_or_not_every_owner_is_known() {
    let messages = |party_owner: &str, member: &str| {
        let d = deal(
            &[
                entity("Acme Motors", "public", "US", None),
                entity(
                    "Dragon Motors",
                    "company",
                    "CN",
                    Some(&[(party_owner, "100%")]),
                ),
            ],
            &[entity(
                "Northern Auto HK",
                "public",
                "HK",
                Some(&[("Acme Motors", "10%")]),
            )],
            &[(
                "groups",
                list(&[map(&[("name", s("G")), ("members", list(&[s(member)]))])]),
            )],
        );
        errors_everywhere(&d)
            .iter()
            .map(|f| f.1.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        messages("Northern Auto HK", "Acme Motors"),
        Vec::<String>::new()
    );
    assert_eq!(
        messages("Northern Auto HK", "Tiger"),
        ["the group member `Tiger` names no party or entity"]
    );
    assert_eq!(
        messages("Northern Auto", "Acme Motors"),
        ["the owner `Northern Auto` names no party or entity"]
    );
    assert_eq!(
        messages("Northern Auto", "Tiger"),
        [
            "the owner `Northern Auto` names no party or entity",
            "the group member `Tiger` names no party or entity"
        ]
    );
}
