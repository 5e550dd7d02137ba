//! Building the graph; safety on graphs a validated deal never has (cycles, dangling names)
//! and on very deep chains.

use super::look_through::A1;
use super::support::*;
use crate::number::Exact;
use crate::ownership::{Controller, EntityId, Graph, Mode, Target, Unknown};
use crate::schema::Schema;

#[test]
fn entities_are_the_parties_then_the_entities_items_with_o1_lookups() {
    let deal = load(A1);
    let g = Graph::build(&Schema::standard(), &deal.root);
    let names: Vec<_> = g
        .entities()
        .iter()
        .map(|e| (e.name, e.is_party, e.index))
        .collect();
    assert_eq!(
        names,
        [
            ("Acme Motors", true, 0),
            ("Dragon Motors", true, 1),
            ("Northern Auto HK", false, 0),
            ("FAW Group", false, 1),
            ("SASAC", false, 2),
        ]
    );
    assert_eq!(g.by_name("FAW Group"), Some(EntityId(3)));
    assert_eq!(g.by_name("Nobody"), None);
    for (i, e) in g.entities().iter().enumerate() {
        assert_eq!(g.id_of(e.record), Some(EntityId(i as u32)));
        assert!(deal.source.text[e.span.start..e.span.end].starts_with("{ name:"));
    }
    assert_eq!(g.id_of(&deal.root), None);
    assert_eq!(g.parties().collect::<Vec<_>>(), [EntityId(0), EntityId(1)]);
}

#[test]
fn a_schema_without_entities_gives_an_empty_graph() {
    let mut schema = Schema::standard();
    let root = &mut schema.records[0];
    root.fields.retain(|f| f.name != "entities");
    let deal = load(A1);
    let g = Graph::build(&schema, &deal.root);
    assert!(g.entities().is_empty());
    assert_eq!(g.by_name("SASAC"), None);
}

#[test]
fn dangling_owner_names_are_left_out_and_leave_the_rest_unlisted() {
    let mut b = Builder::default();
    let x = EntitySpec {
        party: Exact::parse("100"),
        ..entity(
            "X",
            "company",
            Some(vec![owner("Ghost", "40"), owner("A", "60")]),
        )
    };
    let root = b.root(
        &[x],
        &[entity("A", "state", None)],
        &[("G", &["Ghost", "X"])],
    );
    let g = Graph::build(b.schema(), &root);
    let h = holders(&g, &["A"], &[]);
    let lt = g.look_through(&measure("voting"), &h, &Mode::Proportional, Target::Deal);
    assert!(
        matches!(&lt.value, Err(Unknown::UnlistedOwners { listed, .. }) if *listed == pct("60")),
        "{:?}",
        lt.value
    );
    assert_eq!(g.bloc(id(&g, "X")).name, "G");
}

#[test]
fn a_cycle_never_hangs_and_is_unknown() {
    let mut b = Builder::default();
    let alpha = EntitySpec {
        party: Exact::parse("100"),
        ..entity(
            "Alpha",
            "company",
            Some(vec![owner("Beta", "30"), owner("S", "70")]),
        )
    };
    let beta = entity(
        "Beta",
        "company",
        Some(vec![owner("Alpha", "20"), owner("S", "80")]),
    );
    let root = b.root(&[alpha], &[beta, entity("S", "state", None)], &[]);
    let g = Graph::build(b.schema(), &root);
    let h = holders(&g, &["S"], &[]);
    for mode in [Mode::Proportional, control("50", false)] {
        let lt = g.look_through(&measure("voting"), &h, &mode, Target::Deal);
        assert!(
            matches!(lt.value, Err(Unknown::Cycle { .. })),
            "{:?}",
            lt.value
        );
    }
    let lt = g.look_through(
        &measure("voting"),
        &h,
        &Mode::Proportional,
        Target::Entity(id(&g, "Beta")),
    );
    assert!(matches!(lt.value, Err(Unknown::Cycle { .. })));
    // Control around a cycle: Alpha ← 60% Beta ← 60% Alpha …
    let mut b = Builder::default();
    let alpha = entity("Alpha", "company", Some(vec![owner("Beta", "60")]));
    let beta = entity("Beta", "company", Some(vec![owner("Alpha", "60")]));
    let root = b.root(&[alpha], &[beta], &[]);
    let g = Graph::build(b.schema(), &root);
    let c: Controller<()> = g.controller(id(&g, "Alpha"));
    assert!(
        matches!(
            c,
            Controller::Unknown {
                why: Unknown::Cycle { .. },
                ..
            }
        ),
        "{c:?}"
    );
    // An entity that owns itself.
    let mut b = Builder::default();
    let selfish = EntitySpec {
        party: Exact::parse("100"),
        ..entity(
            "Self",
            "company",
            Some(vec![owner("Self", "50"), owner("S", "50")]),
        )
    };
    let root = b.root(&[selfish], &[entity("S", "state", None)], &[]);
    let g = Graph::build(b.schema(), &root);
    let h = holders(&g, &["S"], &[]);
    let lt = g.look_through(&measure("voting"), &h, &Mode::Proportional, Target::Deal);
    assert!(
        matches!(lt.value, Err(Unknown::Cycle { .. })),
        "{:?}",
        lt.value
    );
}

/// A chain of `n` entities: the party E0 is held by E1, …, E(n-1), a state, at `percent` each.
fn chain(n: usize, percent: &str) -> (Builder, crate::deal::tree::Record) {
    let mut b = Builder::default();
    let name = |i: usize| format!("E{i}");
    let party = EntitySpec {
        party: Exact::parse("40"),
        ..entity(&name(0), "public", Some(vec![owner(&name(1), percent)]))
    };
    let rest = EntitySpec {
        party: Exact::parse("60"),
        ..entity("Rest", "public", None)
    };
    let entities: Vec<_> = (1..n)
        .map(|i| {
            if i + 1 == n {
                entity(&name(i), "state", None)
            } else {
                entity(&name(i), "public", Some(vec![owner(&name(i + 1), percent)]))
            }
        })
        .collect();
    let root = b.root(&[party, rest], &entities, &[]);
    (b, root)
}

#[test]
fn a_chain_of_100000_entities_neither_overflows_nor_slows() {
    let n = 100_000;
    let (b, root) = chain(n, "100");
    let g = Graph::build(b.schema(), &root);
    let top = format!("E{}", n - 1);
    let h = holders(&g, &[&top], &[]);
    for mode in [Mode::Proportional, control("50", false)] {
        let lt = g.look_through(&measure("voting"), &h, &mode, Target::Deal);
        assert_eq!(lt.value, Ok(pct("40")));
        assert_eq!(lt.paths.len(), 1);
        assert_eq!(lt.paths[0].edges.len(), n);
        assert_eq!(lt.paths[0].edges[0].from, id(&g, &top));
    }
    let c: Controller<()> = g.controller(EntityId(0));
    match c {
        Controller::Known { entity, chain } => {
            assert_eq!(entity, id(&g, &top));
            assert_eq!(chain.len(), n - 1);
        }
        other => panic!("{other:?}"),
    }
    // Every entity's own look-through still works (one walk each).
    let lt = g.look_through(
        &measure("voting"),
        &h,
        &Mode::Proportional,
        Target::Entity(id(&g, "E50000")),
    );
    assert_eq!(lt.value, Ok(pct("100")));
}

#[test]
fn a_deep_chain_of_fractional_edges_stays_exact() {
    let n = 2_000;
    let (b, root) = chain(n, "50");
    let g = Graph::build(b.schema(), &root);
    let h = holders(&g, &[&format!("E{}", n - 1)], &[]);
    let lt = g.look_through(&measure("voting"), &h, &Mode::Proportional, Target::Deal);
    let want = pct("40")
        / num_rational::BigRational::from_integer(num_bigint::BigInt::from(2).pow(n as u32 - 1));
    assert_eq!(lt.value, Ok(want.clone()));
    assert_eq!(lt.paths[0].contribution, want);
    assert_eq!(crate::ownership::percent_of_fraction(&want), None);
    // By control every intermediate 50% edge stays 50% (more than 50% needed) …
    let lt = g.look_through(&measure("voting"), &h, &control("50", false), Target::Deal);
    assert_eq!(lt.value, Ok(want));
    // … and counts 100% at least 50%.
    let lt = g.look_through(&measure("voting"), &h, &control("50", true), Target::Deal);
    assert_eq!(lt.value, Ok(pct("40")));
}
