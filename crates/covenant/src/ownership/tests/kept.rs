//! The graph built with the owner edges deal loading kept ([`Graph::of_deal`]) is the graph
//! built from the names ([`Graph::build`]): on loaded deals (defaults filled in after the
//! edges were found), and on loaded deals changed afterwards (`root` is public), where a kept
//! edge is stale and must not be trusted.

use super::look_through::A1;
use super::support::*;
use crate::deal::tree::{Deal, NodeValue, Record};
use crate::ownership::Graph;
use crate::schema::Schema;
use crate::value::Scalar;

/// Everything of a graph but its index by record address (a hash map, in no fixed order; it
/// is built the same way in both).
fn shape(g: &Graph<'_>) -> String {
    let edges: Vec<_> = g
        .shape
        .edges
        .iter()
        .map(|e| (e.owner, std::ptr::from_ref(e.record), e.span))
        .collect();
    let records: Vec<_> = g
        .entities
        .iter()
        .map(|e| std::ptr::from_ref(e.record))
        .collect();
    let s = &g.shape;
    format!(
        "{:?}\n{records:?}\n{:?}\n{:?}\n{edges:?}\n{:?}\n{}\n{:?}\n{:?}\n{:?}\n{:?}",
        g.entities,
        s.kinds,
        s.edge_start,
        s.out_degree,
        s.parties,
        s.by_name,
        s.owner,
        s.groups,
        s.bloc_of
    )
}

fn assert_same(deal: &Deal, what: &str) {
    let schema = Schema::standard();
    let built = Graph::build(&schema, &deal.root);
    let kept = Graph::of_deal(&schema, deal);
    assert_eq!(shape(&kept), shape(&built), "{what}");
    for e in built.entities() {
        assert_eq!(kept.id_of(e.record), built.id_of(e.record), "{what}");
    }
}

/// A deal with a state that is its own `state` by default, owners without `prior_*` or
/// `controls` (filled in by the defaults), an owner listed by two entities, a party owned by
/// an `entities` item and by another party, and groups.
const DEFAULTS: &str = r#"proposal: "Defaults"
date: 2026-03-01
jurisdiction: US
parties:
  - { name: "Acme Motors", country: US, kind: public, stake: "40%", voting: "40%",
      owners: [{ name: "Dragon Motors", stake: "10%", voting: "12%" },
               { name: "Holdco", stake: "30%", voting: "30%", prior_stake: "20%" }] }
  - { name: "Dragon Motors", country: CN, kind: company, stake: "60%", voting: "60%",
      owners: [{ name: "Holdco", stake: "55%", voting: "55%", controls: true },
               { name: "SASAC", stake: "45%", voting: "45%" }] }
entities:
  - { name: "Holdco", kind: company, country: HK,
      owners: [{ name: "SASAC", stake: "100%", voting: "100%" }] }
  - { name: "SASAC", kind: state, country: CN }
  - { name: "Float", kind: individual, country: US }
groups:
  - { name: "China", members: ["Dragon Motors", "SASAC"] }
  - { name: "Others", members: ["Holdco", "Float"] }
"#;

#[test]
fn a_loaded_deal_keeps_its_owner_edges_and_builds_the_same_graph() {
    for (what, text) in [("A1", A1), ("defaults", DEFAULTS)] {
        let deal = load(text);
        let kept = deal
            .owner_edges
            .as_ref()
            .expect("a deal of entities keeps its edges");
        let g = Graph::build(&Schema::standard(), &deal.root);
        assert_eq!(kept.entities, g.entities().len(), "{what}");
        assert_eq!(kept.edges.len(), g.shape.edges.len(), "{what}");
        assert_same(&deal, what);
    }
    // The defaults were filled in after the edges were found: the kept positions still hold.
    let deal = load(DEFAULTS);
    let g = Graph::of_deal(&Schema::standard(), &deal);
    let controls = g.shape.owner.controls.unwrap();
    let filled = g
        .shape
        .edges
        .iter()
        .filter(|e| {
            matches!(
                e.record.field(controls).map(|n| &n.value),
                Some(NodeValue::Scalar(Scalar::Bool(false)))
            )
        })
        .count();
    assert_eq!(
        filled, 4,
        "every owner but the one with `controls: true` has it false"
    );
}

#[test]
fn a_deal_of_parties_alone_keeps_nothing_and_builds_the_same_graph() {
    let deal = load(
        r#"proposal: "Parties"
date: 2026-03-01
jurisdiction: US
parties:
  - { name: "Acme Motors", country: US, kind: public, stake: "50%", voting: "50%" }
  - { name: "Pearl", country: US, kind: company, stake: "50%", voting: "50%" }
"#,
    );
    assert_eq!(deal.owner_edges, None);
    assert_same(&deal, "parties alone");
}

/// The entity records of a deal's root, parties first, by name.
fn entity_records(root: &mut Record) -> Vec<&mut Record> {
    let schema = Schema::standard();
    let r = schema.root();
    let mut out = Vec::new();
    let lists = [
        r.field_index("parties").unwrap(),
        r.field_index("entities").unwrap(),
    ];
    for (i, slot) in root.fields.iter_mut().enumerate() {
        if !lists.contains(&i) {
            continue;
        }
        if let Some(NodeValue::List(items)) = slot.as_mut().map(|n| &mut n.value) {
            for item in items {
                if let NodeValue::Record(rec) = &mut item.value {
                    out.push(rec);
                }
            }
        }
    }
    out
}

fn set_name(r: &mut Record, field: usize, name: &str) {
    if let Some(n) = r.fields.get_mut(field).and_then(Option::as_mut) {
        n.value = NodeValue::Scalar(Scalar::Str(name.into()));
    }
}

/// Changes to a loaded deal that make a kept edge stale: an owner renamed to another entity,
/// to no entity, to the empty name; an entity renamed so that two share a name (the first
/// one an owner's name names changes), or so that none has the owner's name; an owner item
/// removed or added (positions shift). Many random ones, on two deals.
#[test]
fn a_deal_changed_after_loading_builds_the_graph_of_its_names() {
    let schema = Schema::standard();
    let party = schema.record(Schema::PARTY);
    let (name_f, owners_f) = (
        party.field_index("name").unwrap(),
        party.field_index("owners").unwrap(),
    );
    let owner_name = schema.record(Schema::OWNER).field_index("name").unwrap();
    let names = [
        "Acme Motors",
        "Dragon Motors",
        "Holdco",
        "SASAC",
        "Float",
        "Northern Auto HK",
        "FAW Group",
        "Nobody",
        "",
    ];
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut changed_edges = 0;
    for round in 0..400 {
        let text = if round % 2 == 0 { A1 } else { DEFAULTS };
        let mut deal = load(text);
        let before = Graph::build(&schema, &deal.root).shape.edges.len();
        for _ in 0..1 + next(3) {
            let mut entities = entity_records(&mut deal.root);
            let count = entities.len();
            let Some(e) = entities.get_mut(next(count)) else {
                continue;
            };
            let new_name = names[next(names.len())];
            match next(4) {
                0 => set_name(e, name_f, new_name),
                1 | 2 => {
                    if let Some(NodeValue::List(owners)) = e
                        .fields
                        .get_mut(owners_f)
                        .and_then(Option::as_mut)
                        .map(|n| &mut n.value)
                    {
                        if let Some(NodeValue::Record(o)) = owners.first_mut().map(|n| &mut n.value)
                        {
                            set_name(o, owner_name, new_name);
                        }
                    }
                }
                _ => {
                    if let Some(NodeValue::List(owners)) = e
                        .fields
                        .get_mut(owners_f)
                        .and_then(Option::as_mut)
                        .map(|n| &mut n.value)
                    {
                        if owners.len() > 1 || next(2) == 0 {
                            let first = owners.remove(0);
                            if next(2) == 0 {
                                owners.push(first);
                            }
                        } else if let Some(first) = owners.first().cloned() {
                            owners.insert(0, first);
                        }
                    }
                }
            }
        }
        let after = Graph::build(&schema, &deal.root);
        if after.shape.edges.len() != before {
            changed_edges += 1;
        }
        assert_same(&deal, &format!("round {round}"));
    }
    assert!(
        changed_edges > 50,
        "the changes reach the edges: {changed_edges}"
    );
}
