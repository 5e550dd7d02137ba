//! The paths of a look-through's evidence (SPEC §7.2): largest first, ties by names, at most
//! ten, then how many more and what they add up to; never by enumerating every path.

use super::support::*;
use crate::number::Exact;
use crate::ownership::{Graph, Mode, Target, PATHS_SHOWN};

fn state(name: &str) -> EntitySpec {
    entity(name, "state", None)
}

#[test]
fn the_ten_largest_paths_are_shown_ties_by_holder_name_and_the_rest_summed() {
    // P (the only party, public) is held by twelve states: 10% (Zed), 10% (Alpha), 9%, … 1%
    // and a 0% edge that is no path at all.
    let names = [
        "Zed", "Alpha", "H9", "H8", "H7", "H6", "H5", "H4", "H3", "H2", "H1",
    ];
    let percents = ["10", "10", "9", "8", "7", "6", "5", "4", "3", "2", "1"];
    let mut owners: Vec<_> = names
        .iter()
        .zip(percents)
        .map(|(n, p)| owner(n, p))
        .collect();
    owners.push(owner("Nil", "0"));
    let p = EntitySpec {
        party: Exact::parse("100"),
        ..entity("P", "public", Some(owners))
    };
    let mut states: Vec<_> = names.iter().map(|n| state(n)).collect();
    states.push(state("Nil"));
    let mut b = Builder::default();
    let root = b.root(&[p], &states, &[]);
    let g = Graph::build(b.schema(), &root);
    let mut all = names.to_vec();
    all.push("Nil");
    let h = holders(&g, &all, &[]);
    let lt = g.look_through(&measure("voting"), &h, &Mode::Proportional, Target::Deal);
    assert_eq!(lt.value, Ok(pct("65")));
    assert_eq!(lt.paths.len(), PATHS_SHOWN);
    let holders: Vec<_> = lt
        .paths
        .iter()
        .map(|p| g.entity(p.edges[0].from).unwrap().name)
        .collect();
    assert_eq!(
        holders,
        ["Alpha", "Zed", "H9", "H8", "H7", "H6", "H5", "H4", "H3", "H2"]
    );
    assert_eq!(lt.paths[0].edges.len(), 2);
    assert_eq!((lt.more_paths, lt.more_value), (1, pct("1")));
}

#[test]
fn ties_between_paths_of_one_holder_go_by_the_names_from_the_target_up() {
    // Top holds B and A 50% each; each holds 40% of P: two paths of 20%, via A first.
    let p = EntitySpec {
        party: Exact::parse("100"),
        ..entity(
            "P",
            "public",
            Some(vec![owner("B", "40"), owner("A", "40")]),
        )
    };
    let a = entity("A", "public", Some(vec![owner("Top", "50")]));
    let bb = entity("B", "public", Some(vec![owner("Top", "50")]));
    let mut b = Builder::default();
    let root = b.root(&[p], &[bb, a, state("Top")], &[]);
    let g = Graph::build(b.schema(), &root);
    let h = holders(&g, &["Top"], &[]);
    let lt = g.look_through(&measure("voting"), &h, &Mode::Proportional, Target::Deal);
    assert_eq!(lt.value, Ok(pct("40")));
    let via: Vec<_> = lt
        .paths
        .iter()
        .map(|p| g.entity(p.edges[1].from).unwrap().name)
        .collect();
    assert_eq!(via, ["A", "B"]);
    assert!(lt.paths.iter().all(|p| p.contribution == pct("20")));
}

#[test]
fn exponentially_many_paths_are_counted_not_enumerated() {
    // Levels of two entities, each held 50% by both of the level above: 2^(n-1) paths.
    let n = 80;
    let name = |side: &str, i: usize| format!("{side}{i:03}");
    let mut entities = vec![state("Top")];
    for i in 1..=n {
        let owners = if i == 1 {
            vec![owner("Top", "100")]
        } else {
            vec![
                owner(&name("B", i - 1), "50"),
                owner(&name("A", i - 1), "50"),
            ]
        };
        for side in ["A", "B"] {
            entities.push(entity(&name(side, i), "company", Some(owners.clone())));
        }
    }
    let p = EntitySpec {
        party: Exact::parse("100"),
        ..entity("P", "company", Some(vec![owner(&name("A", n), "100")]))
    };
    let mut b = Builder::default();
    let root = b.root(&[p], &entities, &[]);
    let g = Graph::build(b.schema(), &root);
    let h = holders(&g, &["Top"], &[]);
    let lt = g.look_through(&measure("voting"), &h, &Mode::Proportional, Target::Deal);
    assert_eq!(lt.value, Ok(pct("100")));
    assert_eq!(lt.paths.len(), PATHS_SHOWN);
    assert_eq!(lt.more_paths, u64::MAX - PATHS_SHOWN as u64);
    let shown = lt.paths.iter().fold(pct("0"), |s, p| s + &p.contribution);
    assert_eq!(lt.more_value, pct("100") - shown);
    // All tie: the first path goes through every A, the second leaves A only at the top.
    let via = |p: usize| -> String {
        lt.paths[p]
            .edges
            .iter()
            .map(|e| g.entity(e.from).unwrap().name.chars().next().unwrap())
            .collect()
    };
    assert_eq!(via(0), format!("T{}P", "A".repeat(n)));
    assert_eq!(via(1), format!("TB{}P", "A".repeat(n - 1)));
}

#[test]
fn zero_edges_are_no_paths() {
    let p = EntitySpec {
        party: Exact::parse("100"),
        ..entity("P", "public", Some(vec![owner("X", "0")]))
    };
    let mut b = Builder::default();
    let root = b.root(&[p], &[state("X")], &[]);
    let g = Graph::build(b.schema(), &root);
    let h = holders(&g, &["X"], &[]);
    let lt = g.look_through(&measure("voting"), &h, &Mode::Proportional, Target::Deal);
    assert_eq!(lt.value, Ok(pct("0")));
    assert!(lt.paths.is_empty());
    assert_eq!((lt.more_paths, lt.more_value), (0, pct("0")));
}

#[test]
fn owners_held_by_no_one_add_nothing_and_are_no_paths() {
    // Dragon Motors (49% of the JV) is held by a state, an individual and a public company,
    // none with owners: only the holders among them count, each by one path.
    let yaml = r#"proposal: "JV"
date: 2026-03-01
jurisdiction: US
parties:
  - { name: "Acme", country: US, kind: public, stake: "51%", voting: "51%" }
  - { name: "Dragon Motors", country: CN, kind: company, stake: "49%", voting: "49%",
      owners: [{ name: "SASAC", stake: "40%", voting: "40%" },
               { name: "Li", stake: "30%", voting: "30%" },
               { name: "Float Co", stake: "30%", voting: "30%" }] }
entities:
  - { name: "SASAC", kind: state, country: CN }
  - { name: "Li", kind: individual, country: CN }
  - { name: "Float Co", kind: public, country: HK }
"#;
    let deal = load(yaml);
    for mode in [Mode::Proportional, control("50", false)] {
        let lt = super::look_through::look(&deal, &["SASAC"], &[], &mode, None);
        assert_eq!(lt.value, Ok(pct("19.6")));
        assert_eq!((lt.paths.len(), lt.more_paths), (1, 0));
        assert_eq!(lt.paths[0].contribution, pct("19.6"));
        assert_eq!(lt.more_value, pct("0"));
        let lt = super::look_through::look(&deal, &["Li", "Float Co"], &[], &mode, None);
        assert_eq!(lt.value, Ok(pct("29.4")));
        assert_eq!((lt.paths.len(), lt.more_paths), (2, 0));
        let lt = super::look_through::look(&deal, &["Acme"], &[], &mode, None);
        assert_eq!(lt.value, Ok(pct("51")));
        assert_eq!((lt.paths.len(), lt.more_paths), (1, 0));
        // A leaf target held by no one: 0%, no path.
        let lt = super::look_through::look(&deal, &["Acme"], &[], &mode, Some("SASAC"));
        assert_eq!(lt.value, Ok(pct("0")));
        assert_eq!((lt.paths.len(), lt.more_paths), (0, 0));
    }
}
