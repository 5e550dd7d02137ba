//! The look-ups validation and the ownership graph build for a deal: names in the order of
//! `str` ([`crate::deal::entities`]), records found by address ([`RecordIds`]), and the
//! one-pass check of owners over 100% against the check of each measure.

use super::entities::{deal, entity, errors_everywhere};
use super::render::{list, map, s, V};
use super::*;
use crate::deal::entities::{Entities, Layout, Roots};
use crate::deal::tree::RecordIds;
use crate::schema::Schema;

/// A small generator (xorshift), for names that share prefixes, hold NUL bytes and
/// non-ASCII characters.
struct Gen(u64);

impl Gen {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn name(&mut self) -> String {
        const PARTS: [&str; 8] = [
            "Rheinland AG",
            " Holdings",
            " Group",
            "\0",
            "é",
            "a",
            "",
            "Rh",
        ];
        let n = self.next() % 4;
        (0..n)
            .map(|_| PARTS[(self.next() % PARTS.len() as u64) as usize])
            .collect()
    }
}

fn layout(schema: &Schema) -> Layout {
    let roots = Roots::of(schema).unwrap();
    Layout::of(schema, &roots).unwrap()
}

fn root_of(names: &[String]) -> Record {
    let parties: Vec<V> = names
        .iter()
        .take(2)
        .map(|n| entity(n, "company", "US", None))
        .collect();
    let others: Vec<V> = names
        .iter()
        .skip(2)
        .map(|n| entity(n, "company", "US", None))
        .collect();
    let text = render::render(&deal(&parties, &others, &[]), Format::Json);
    let schema = Schema::standard();
    // Names may repeat (a duplicate-entity error): the tree the validator builds is enough.
    let file = source(&text);
    let d = &mut Diags::new(&file);
    let mut budget = Budget::new(&Limits::default());
    let doc = crate::deal::json::parse(&text, 0, &mut budget, d).unwrap();
    let v = crate::deal::validate::Validator {
        schema: &schema,
        strict: false,
    };
    v.root(&doc, d).unwrap()
}

#[test]
fn names_are_in_the_order_of_str_and_found_alike() {
    let schema = Schema::standard();
    let layout = layout(&schema);
    let mut gen = Gen(0x9E37_79B9_7F4A_7C15);
    for _ in 0..300 {
        let n = 1 + (gen.next() % 12) as usize;
        let names: Vec<String> = (0..n).map(|_| gen.name()).collect();
        let root = root_of(&names);
        let entities = Entities::of(&layout, &root);
        // The order of `str`, entities of one name in deal order (a stable sort).
        let mut want: Vec<usize> = (0..n).collect();
        want.sort_by(|&a, &b| names[a].cmp(&names[b]));
        let got: Vec<usize> = entities.by_names().collect();
        assert_eq!(got, want, "{names:?}");
        for (i, name) in names.iter().enumerate() {
            let first = names.iter().position(|m| m == name);
            assert_eq!(
                entities.by_name(name),
                first,
                "{name:?} of {names:?} (#{i})"
            );
        }
        for probe in ["", "\0", "Rheinland AG Holdings!", "zz"] {
            let first = names.iter().position(|m| m == probe);
            assert_eq!(entities.by_name(probe), first, "{probe:?} in {names:?}");
        }
        let repeats = (0..n).any(|i| names[..i].contains(&names[i]));
        assert_eq!(entities.repeats_a_name(), repeats, "{names:?}");
    }
}

#[test]
fn records_are_found_by_address_among_the_list_items_only() {
    let names: Vec<String> = ["A", "B", "C", "D", "E"].map(String::from).to_vec();
    let root = root_of(&names);
    let schema = Schema::standard();
    let layout = layout(&schema);
    let items = |field: usize| match &root.field(field).unwrap().value {
        NodeValue::List(items) => items.as_slice(),
        _ => panic!("a list"),
    };
    let (parties, entities) = (items(layout.parties.0), items(layout.entities.0));
    let ids = RecordIds::new([parties, entities]);
    let records: Vec<&Record> = parties
        .iter()
        .chain(entities)
        .map(|n| match &n.value {
            NodeValue::Record(r) => r,
            _ => panic!("a record"),
        })
        .collect();
    for (i, r) in records.iter().enumerate() {
        assert_eq!(ids.of(r), Some(i));
    }
    // Not an item: the root, a copy of an item, and an empty index.
    assert_eq!(ids.of(&root), None);
    let copy = (*records[1]).clone();
    assert_eq!(ids.of(&copy), None);
    assert_eq!(RecordIds::default().of(records[0]), None);
    // Items that are not records are not counted (a list of the full loader's making).
    let mut mixed: Vec<Node> = entities.to_vec();
    mixed.insert(
        1,
        Node {
            value: NodeValue::Null,
            span: crate::source::Span::new(0, 0),
        },
    );
    let ids = RecordIds::new([parties, &mixed]);
    for (at, node) in mixed.iter().enumerate() {
        let NodeValue::Record(r) = &node.value else {
            continue;
        };
        let want = parties.len() + if at > 1 { at - 1 } else { at };
        assert_eq!(ids.of(r), Some(want), "item {at}");
    }
}

/// An owner item: name, stake, voting, prior_stake, prior_voting.
type Owner<'a> = (&'a str, &'a str, &'a str, Option<&'a str>, Option<&'a str>);

/// An entity owned by `owners`.
fn owned(name: &str, owners: &[Owner<'_>]) -> V {
    let items: Vec<V> = owners
        .iter()
        .map(|(n, stake, voting, ps, pv)| {
            let mut f = vec![("name", s(n)), ("stake", s(stake)), ("voting", s(voting))];
            if let Some(p) = ps {
                f.push(("prior_stake", s(p)));
            }
            if let Some(p) = pv {
                f.push(("prior_voting", s(p)));
            }
            map(&f)
        })
        .collect();
    map(&[
        ("name", s(name)),
        ("kind", s("company")),
        ("country", s("US")),
        ("owners", list(&items)),
    ])
}

#[test]
fn owners_over_100_are_found_with_one_owner_or_many_and_with_priors() {
    let holders = ["H1", "H2", "H3"].map(|n| entity(n, "individual", "US", None));
    let codes = |owners: &[Owner<'_>]| {
        let mut entities = vec![owned("T", owners)];
        entities.extend(holders.iter().cloned());
        let d = deal(&[entity("P", "company", "US", None)], &entities, &[]);
        errors_everywhere(&d)
            .into_iter()
            .map(|(code, message, ..)| format!("{code}: {message}"))
            .collect::<Vec<_>>()
    };
    let over = |measure: &str, found: &[String]| {
        found
            .iter()
            .any(|f| f.contains("owners-over-100") && f.contains(&format!("of its `{measure}`")))
    };
    assert!(codes(&[("H1", "100%", "100%", None, None)]).is_empty());
    assert!(codes(&[
        ("H1", "60%", "40%", None, None),
        ("H2", "40%", "60%", None, None)
    ])
    .is_empty());
    let found = codes(&[
        ("H1", "60%", "40%", None, None),
        ("H2", "41%", "60%", None, None),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(over("stake", &found), "{found:?}");
    let found = codes(&[
        ("H1", "10%", "50.5%", None, None),
        ("H2", "10%", "49.5%", None, None),
        ("H3", "0%", "0.0001%", None, None),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(over("voting", &found), "{found:?}");
    // A prior written on one owner: the others' default to their current values.
    let found = codes(&[
        ("H1", "50%", "50%", Some("60%"), None),
        ("H2", "50%", "50%", None, None),
    ]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(over("prior_stake", &found), "{found:?}");
    let found = codes(&[
        ("H1", "50%", "50%", None, Some("40%")),
        ("H2", "50%", "50%", None, None),
    ]);
    assert!(found.is_empty(), "{found:?}");
    let found = codes(&[("H1", "20%", "20%", None, Some("100%"))]);
    assert!(found.is_empty(), "{found:?}");
}
