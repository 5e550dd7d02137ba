//! Controllers (SPEC §7.3, spec-v2-notes A.2) and blocs.

use super::look_through::A1;
use super::support::*;
use crate::number::Exact;
use crate::ownership::{Bloc, Controller, Graph, Target, Unknown};
use crate::schema::Schema;

fn controller(g: &Graph<'_>, name: &str) -> Controller<()> {
    g.controller(id(g, name))
}

/// The chain of a known controller as names with the voting each link holds.
fn names(g: &Graph<'_>, c: &Controller<()>) -> (String, Vec<(String, Option<Exact>, bool)>) {
    let Controller::Known { entity, chain } = c else {
        panic!("expected a known controller: {c:?}");
    };
    let name = |id| g.entity(id).unwrap().name.to_string();
    let links = chain
        .iter()
        .map(|l| (name(l.holder), l.voting, l.controls))
        .collect();
    (name(*entity), links)
}

fn p(text: &str) -> Option<Exact> {
    Exact::parse(text)
}

#[test]
fn a2_dragon_motors_is_controlled_by_sasac_through_its_chain() {
    let deal = load(A1);
    let g = Graph::build(&Schema::standard(), &deal.root);
    let c = controller(&g, "Dragon Motors");
    let (entity, links) = names(&g, &c);
    assert_eq!(entity, "SASAC");
    assert_eq!(
        links,
        [
            ("Northern Auto HK".to_string(), p("100"), false),
            ("FAW Group".to_string(), p("60"), false),
            ("SASAC".to_string(), p("100"), false),
        ]
    );
    // Each link at its `voting` in the deal.
    let Controller::Known { chain, .. } = &c else {
        unreachable!()
    };
    let texts: Vec<_> = chain
        .iter()
        .map(|l| &deal.source.text[l.span.start..l.span.end])
        .collect();
    assert_eq!(texts, ["\"100%\"", "\"60%\"", "\"100%\""]);
    assert_eq!(
        names(&g, &controller(&g, "Acme Motors")),
        ("Acme Motors".into(), vec![])
    );
    assert_eq!(
        names(&g, &controller(&g, "SASAC")),
        ("SASAC".into(), vec![])
    );
}

const HOLDING: &str = r#"proposal: "Holding"
parties:
  - { name: "HoldCo", kind: company, stake: "100%", voting: "100%",
      owners: [{ name: "Renault", voting: "45%" }, { name: "Geely", voting: "45%" },
               { name: "Aramco", voting: "10%" }] }
entities:
  - { name: "Renault", kind: public }
  - { name: "Geely", kind: public }
  - { name: "Aramco", kind: public }
"#;

#[test]
fn a2_no_owner_over_half_is_its_own_controller() {
    let deal = load(HOLDING);
    let g = Graph::build(&Schema::standard(), &deal.root);
    assert_eq!(
        names(&g, &controller(&g, "HoldCo")),
        ("HoldCo".into(), vec![])
    );
}

#[test]
fn a2_two_controlling_owners_are_joint_control() {
    let text = HOLDING.replace(
        r#"voting: "45%" }, { name: "Geely", voting: "45%" }"#,
        r#"voting: "45%", controls: true }, { name: "Geely", voting: "45%", controls: true }"#,
    );
    let deal = load(&text);
    let g = Graph::build(&Schema::standard(), &deal.root);
    let c = controller(&g, "HoldCo");
    let want = Unknown::JointControl {
        entity: id(&g, "HoldCo"),
        by: (id(&g, "Renault"), id(&g, "Geely")),
    };
    assert_eq!(
        c,
        Controller::Unknown {
            chain: vec![],
            why: want
        }
    );
    // One `controls: true` is control by other means.
    let one = HOLDING.replace(
        r#"{ name: "Aramco", voting: "10%" }"#,
        r#"{ name: "Aramco", voting: "10%", controls: true }"#,
    );
    let deal = load(&one);
    let g = Graph::build(&Schema::standard(), &deal.root);
    let (entity, links) = names(&g, &controller(&g, "HoldCo"));
    assert_eq!(entity, "Aramco");
    assert_eq!(links, [("Aramco".to_string(), p("10"), true)]);
}

#[test]
fn joint_control_further_up_keeps_the_chain_so_far() {
    let text = HOLDING.replace(
        r#"  - { name: "Renault", kind: public }"#,
        r#"  - { name: "Renault", kind: public, owners: [{ name: "Geely", voting: "60%" }, { name: "Aramco", voting: "40%", controls: true }] }"#,
    ).replace(r#"{ name: "Renault", voting: "45%" }"#, r#"{ name: "Renault", voting: "55%" }"#)
     .replace(r#"{ name: "Geely", voting: "45%" }"#, r#"{ name: "Geely", voting: "35%" }"#);
    let deal = load(&text);
    let g = Graph::build(&Schema::standard(), &deal.root);
    match controller(&g, "HoldCo") {
        Controller::Unknown {
            chain,
            why: Unknown::JointControl { entity, by },
        } => {
            assert_eq!(chain.len(), 1);
            assert_eq!(chain[0].holder, id(&g, "Renault"));
            assert_eq!(entity, id(&g, "Renault"));
            assert_eq!(by, (id(&g, "Geely"), id(&g, "Aramco")));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_missing_voting_leaves_the_controller_unknown_unless_another_owner_controls() {
    let text = HOLDING.replace(
        r#"{ name: "Aramco", voting: "10%" }"#,
        r#"{ name: "Aramco" }"#,
    );
    let deal = load(&text);
    let g = Graph::build(&Schema::standard(), &deal.root);
    match controller(&g, "HoldCo") {
        Controller::Unknown {
            why: Unknown::MissingMeasure {
                from, to, field, ..
            },
            ..
        } => {
            assert_eq!(
                (from, to),
                (id(&g, "Aramco"), Target::Entity(id(&g, "HoldCo")))
            );
            assert_eq!(field, "voting");
        }
        other => panic!("{other:?}"),
    }
    let text = text.replace(
        r#"{ name: "Renault", voting: "45%" }"#,
        r#"{ name: "Renault", voting: "51%" }"#,
    );
    let deal = load(&text);
    let g = Graph::build(&Schema::standard(), &deal.root);
    assert_eq!(names(&g, &controller(&g, "HoldCo")).0, "Renault");
}

#[test]
fn unlisted_holders_that_could_exceed_half_leave_the_controller_unknown() {
    // Listed 45% + 4%: the other 51% could be one holder.
    let text = HOLDING
        .replace(
            r#"{ name: "Geely", voting: "45%" },"#,
            r#"{ name: "Geely", voting: "4%" },"#,
        )
        .replace(
            r#",
               { name: "Aramco", voting: "10%" }"#,
            "",
        );
    let deal = load(&text);
    let g = Graph::build(&Schema::standard(), &deal.root);
    match controller(&g, "HoldCo") {
        Controller::Unknown {
            why: Unknown::UnlistedOwners { listed, .. },
            ..
        } => assert_eq!(listed, pct("49")),
        other => panic!("{other:?}"),
    }
    // Listed 50%: the rest cannot exceed half.
    let deal = load(&text.replace(r#"voting: "4%""#, r#"voting: "5%""#));
    let g = Graph::build(&Schema::standard(), &deal.root);
    assert_eq!(names(&g, &controller(&g, "HoldCo")).0, "HoldCo");
    // A listed company's rest is float.
    let deal = load(&text.replace("kind: company", "kind: public"));
    let g = Graph::build(&Schema::standard(), &deal.root);
    assert_eq!(names(&g, &controller(&g, "HoldCo")).0, "HoldCo");
}

#[test]
fn without_owners_only_a_state_an_individual_or_a_listed_company_controls_itself() {
    for (kind, known) in [
        ("state", true),
        ("individual", true),
        ("public", true),
        ("company", false),
        ("fund", false),
        ("state-owned", false),
    ] {
        let text = format!(
            "proposal: x\nparties:\n  - {{ name: \"P\", kind: {kind}, stake: \"100%\" }}\n"
        );
        let deal = load(&text);
        let g = Graph::build(&Schema::standard(), &deal.root);
        match controller(&g, "P") {
            Controller::Known { chain, .. } => assert!(known && chain.is_empty(), "{kind}"),
            Controller::Unknown {
                why: Unknown::NoOwners { .. },
                ..
            } => assert!(!known, "{kind}"),
            other => panic!("{kind}: {other:?}"),
        }
    }
}

#[test]
fn blocs_are_the_first_linked_group_else_the_own_name() {
    let text = format!(
        "{A1}groups:\n  - {{ name: \"G1\", kind: concert, members: [\"Acme Motors\", \"SASAC\"] }}\n  - {{ name: \"G2\", kind: concert, members: [\"SASAC\", \"FAW Group\"] }}\n  - {{ name: \"G3\", kind: concert, members: [\"Northern Auto HK\"] }}\n"
    );
    let deal = load(&text);
    let g = Graph::build(&Schema::standard(), &deal.root);
    let bloc = |n: &str| g.bloc(id(&g, n));
    assert_eq!(
        bloc("FAW Group"),
        Bloc {
            name: "G1",
            group: Some(0)
        }
    );
    assert_eq!(
        bloc("Acme Motors"),
        Bloc {
            name: "G1",
            group: Some(0)
        }
    );
    assert_eq!(
        bloc("Northern Auto HK"),
        Bloc {
            name: "G3",
            group: Some(2)
        }
    );
    assert_eq!(
        bloc("Dragon Motors"),
        Bloc {
            name: "Dragon Motors",
            group: None
        }
    );
    let (name, members) = g.group(1).unwrap();
    assert_eq!(name, "G2");
    assert_eq!(members, [id(&g, "SASAC"), id(&g, "FAW Group")]);
}
