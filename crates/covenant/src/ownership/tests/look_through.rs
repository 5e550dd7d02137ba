//! h(T) on the worked example of spec-v2-notes A.1 and on each bullet of SPEC §7.2.

use super::support::*;
use crate::deal::Deal;
use crate::ownership::{Graph, LookThrough, Mode, Target, Unknown};
use crate::schema::Schema;

pub const A1: &str = r#"proposal: "Acme–Dragon Motors JV"
date: 2026-03-01
jurisdiction: US
parties:
  - { name: "Acme Motors", country: US, kind: public, stake: "51%", voting: "51%" }
  - { name: "Dragon Motors", country: CN, kind: company, stake: "49%", voting: "49%",
      owners: [{ name: "Northern Auto HK", stake: "100%", voting: "100%" }] }
entities:
  - { name: "Northern Auto HK", kind: public, country: HK,
      owners: [{ name: "FAW Group", stake: "60%", voting: "60%" }] }
  - { name: "FAW Group", kind: state-owned, country: CN, state: CN,
      owners: [{ name: "SASAC", stake: "100%", voting: "100%" }] }
  - { name: "SASAC", kind: state, country: CN }
"#;

/// The look-through of `voting` of `sure` (and `maybe`) in `target` on `deal`.
pub fn look(
    deal: &Deal,
    sure: &[&str],
    maybe: &[&'static str],
    mode: &Mode,
    target: Option<&str>,
) -> LookThrough<&'static str> {
    let g = Graph::build(&Schema::standard(), &deal.root);
    let h = holders(&g, sure, maybe);
    let t = target.map_or(Target::Deal, |n| Target::Entity(id(&g, n)));
    g.look_through(&measure("voting"), &h, mode, t)
}

/// A path as the evidence line of SPEC §7.2 reads it, with each value's text in the deal.
pub fn chain(deal: &Deal, lt: &LookThrough<&'static str>, path: usize) -> String {
    let g = Graph::build(&Schema::standard(), &deal.root);
    let name = |id: crate::ownership::EntityId| g.entity(id).unwrap().name.to_string();
    let p = &lt.paths[path];
    let mut s = p.edges.first().map(|e| name(e.from)).unwrap_or_default();
    for e in &p.edges {
        let text = &deal.source.text[e.span.start..e.span.end];
        let counted = e.counted.as_ref().map_or(String::new(), |c| {
            format!(
                " (counted {})",
                crate::ownership::percent_of_fraction(c).unwrap()
            )
        });
        let to = match e.to {
            Target::Deal => "JV".to_string(),
            Target::Entity(id) => name(id),
        };
        s += &format!(" → {text}{counted} → {to}");
    }
    s + &format!(
        " = {}",
        crate::ownership::percent_of_fraction(&p.contribution).unwrap()
    )
}

const STATE: &[&str] = &["SASAC"];

#[test]
fn a1_proportional_is_29_4_percent_with_its_path() {
    let deal = load(A1);
    let lt = look(&deal, STATE, &[], &Mode::Proportional, None);
    assert_eq!(lt.value, Ok(pct("29.4")));
    assert_eq!(lt.paths.len(), 1);
    assert_eq!(
        chain(&deal, &lt, 0),
        r#"SASAC → "100%" → FAW Group → "60%" → Northern Auto HK → "100%" → Dragon Motors → "49%" → JV = 29.4"#
    );
    assert_eq!((lt.more_paths, lt.more_value), (0, pct("0")));
}

#[test]
fn a1_by_control_is_49_percent_and_the_edge_into_the_target_keeps_its_value() {
    let deal = load(A1);
    let lt = look(&deal, STATE, &[], &control("50", false), None);
    assert_eq!(lt.value, Ok(pct("49")));
    assert_eq!(
        chain(&deal, &lt, 0),
        r#"SASAC → "100%" → FAW Group → "60%" (counted 100) → Northern Auto HK → "100%" → Dragon Motors → "49%" → JV = 49"#
    );
}

#[test]
fn a1_per_party_dragon_60_percent_acme_0() {
    let deal = load(A1);
    let dragon = look(
        &deal,
        STATE,
        &[],
        &Mode::Proportional,
        Some("Dragon Motors"),
    );
    assert_eq!(dragon.value, Ok(pct("60")));
    let acme = look(&deal, STATE, &[], &Mode::Proportional, Some("Acme Motors"));
    assert_eq!(acme.value, Ok(pct("0")));
    assert!(acme.paths.is_empty());
}

#[test]
fn a1_absorption_counts_nothing_twice() {
    let deal = load(A1);
    let lt = look(
        &deal,
        &["FAW Group", "SASAC"],
        &[],
        &Mode::Proportional,
        None,
    );
    assert_eq!(lt.value, Ok(pct("29.4")));
    assert_eq!(lt.paths.len(), 1);
    assert!(chain(&deal, &lt, 0).starts_with("FAW Group → \"60%\""));
    let chinese = ["Dragon Motors", "Northern Auto HK", "FAW Group", "SASAC"];
    let lt = look(&deal, &chinese, &[], &Mode::Proportional, None);
    assert_eq!(lt.value, Ok(pct("49")));
    assert_eq!(chain(&deal, &lt, 0), r#"Dragon Motors → "49%" → JV = 49"#);
    let by_control = look(&deal, &chinese, &[], &control("50", false), None);
    assert_eq!(by_control.value, Ok(pct("49")));
}

#[test]
fn a1_unlisted_owners_make_every_rule_unknown() {
    let deal = load(&A1.replace(
        "name: \"Northern Auto HK\", kind: public",
        "name: \"Northern Auto HK\", kind: company",
    ));
    let g = Graph::build(&Schema::standard(), &deal.root);
    let northern = id(&g, "Northern Auto HK");
    for (mode, target) in [
        (Mode::Proportional, None),
        (control("50", false), None),
        (Mode::Proportional, Some("Dragon Motors")),
    ] {
        let lt = look(&deal, STATE, &[], &mode, target);
        match lt.value {
            Err(Unknown::UnlistedOwners {
                entity,
                measure,
                listed,
                span,
            }) => {
                assert_eq!(
                    (entity, measure.as_str(), listed),
                    (northern, "voting", pct("60"))
                );
                assert!(deal.source.text[span.start..span.end].starts_with("{ name: \"Northern"));
            }
            other => panic!("expected unlisted owners, got {other:?}"),
        }
        assert!(lt.paths.is_empty());
    }
}

#[test]
fn a_known_zero_wins_over_an_unknown_owner() {
    // FAW Group lists no owners (its holding is unknown) but holds 0% of Northern Auto HK.
    let text = A1
        .replace(
            r#"owners: [{ name: "FAW Group", stake: "60%", voting: "60%" }]"#,
            r#"owners: [{ name: "FAW Group", stake: "0%", voting: "0%" }]"#,
        )
        .replace(
            r#",
      owners: [{ name: "SASAC", stake: "100%", voting: "100%" }] }"#,
            " }",
        );
    let deal = load(&text);
    let lt = look(&deal, STATE, &[], &Mode::Proportional, None);
    assert_eq!(lt.value, Ok(pct("0")));
    // Without the 0% edge FAW Group's missing owners decide.
    let deal = load(&A1.replace(
        r#",
      owners: [{ name: "SASAC", stake: "100%", voting: "100%" }] }"#,
        " }",
    ));
    let g = Graph::build(&Schema::standard(), &deal.root);
    let lt = look(&deal, STATE, &[], &Mode::Proportional, None);
    assert!(
        matches!(lt.value, Err(Unknown::NoOwners { entity, .. }) if entity == id(&g, "FAW Group")),
        "{:?}",
        lt.value
    );
}

#[test]
fn public_float_is_held_by_no_one_and_state_or_individual_without_owners_by_no_one() {
    let deal = load(A1);
    // Acme Motors (public, no owners): its holding is 0%, known.
    let lt = look(
        &deal,
        &["Northern Auto HK"],
        &[],
        &Mode::Proportional,
        Some("Acme Motors"),
    );
    assert_eq!(lt.value, Ok(pct("0")));
    // SASAC (state, no owners) as a target: held by no one.
    let lt = look(
        &deal,
        &["Acme Motors"],
        &[],
        &Mode::Proportional,
        Some("SASAC"),
    );
    assert_eq!(lt.value, Ok(pct("0")));
    let individual = A1.replace("kind: state, country: CN", "kind: individual, country: CN");
    let deal = load(&individual);
    let lt = look(
        &deal,
        &["Acme Motors"],
        &[],
        &Mode::Proportional,
        Some("SASAC"),
    );
    assert_eq!(lt.value, Ok(pct("0")));
}

#[test]
fn a_company_without_owners_is_unknown_unless_s_is_empty() {
    let deal = load(&A1.replace("kind: state, country: CN", "kind: company, country: CN"));
    let g = Graph::build(&Schema::standard(), &deal.root);
    let lt = look(&deal, &["Acme Motors"], &[], &Mode::Proportional, None);
    let sasac = id(&g, "SASAC");
    assert!(matches!(lt.value, Err(Unknown::NoOwners { entity, .. }) if entity == sasac));
    let lt = look(&deal, &[], &[], &Mode::Proportional, None);
    assert_eq!(lt.value, Ok(pct("0")));
}

#[test]
fn a_maybe_member_is_unknown_unless_behind_a_known_zero() {
    let deal = load(A1);
    let lt = look(&deal, &[], &["SASAC"], &Mode::Proportional, None);
    assert!(matches!(
        lt.value,
        Err(Unknown::MaybeMember { why: "SASAC", .. })
    ));
    // A maybe-member that no path from the target reaches is never read.
    let lt = look(
        &deal,
        &[],
        &["SASAC"],
        &Mode::Proportional,
        Some("Acme Motors"),
    );
    assert_eq!(lt.value, Ok(pct("0")));
    let zero = A1.replace(
        r#"stake: "60%", voting: "60%""#,
        r#"stake: "0%", voting: "0%""#,
    );
    let lt = look(
        &load(&zero),
        &["Acme Motors"],
        &["SASAC"],
        &Mode::Proportional,
        None,
    );
    assert_eq!(lt.value, Ok(pct("51")));
}

#[test]
fn a_missing_measure_is_unknown_and_names_the_edge() {
    let text = A1.replace(
        r#"owners: [{ name: "Northern Auto HK", stake: "100%", voting: "100%" }]"#,
        r#"owners: [{ name: "Northern Auto HK", stake: "100%" }]"#,
    );
    let deal = load(&text);
    let g = Graph::build(&Schema::standard(), &deal.root);
    let lt = look(&deal, STATE, &[], &Mode::Proportional, None);
    match lt.value {
        Err(Unknown::MissingMeasure {
            from,
            to,
            field,
            span,
        }) => {
            assert_eq!(from, id(&g, "Northern Auto HK"));
            assert_eq!(to, Target::Entity(id(&g, "Dragon Motors")));
            assert_eq!(field, "voting");
            assert!(deal.source.text[span.start..span.end].starts_with("{ name: \"Northern"));
        }
        other => panic!("{other:?}"),
    }
    // `stake` is there: known.
    let g = Graph::build(&Schema::standard(), &deal.root);
    let h = holders(&g, STATE, &[]);
    let lt = g.look_through(&measure("stake"), &h, &Mode::Proportional, Target::Deal);
    assert_eq!(lt.value, Ok(pct("29.4")));
}

#[test]
fn a_public_entity_edge_without_the_measure_counts_0_only_when_its_owner_holds_0() {
    // Northern Auto HK is public: its edge from FAW Group lacks `voting`.
    let text = A1.replace(
        r#"owners: [{ name: "FAW Group", stake: "60%", voting: "60%" }]"#,
        r#"owners: [{ name: "FAW Group", stake: "60%" }]"#,
    );
    let deal = load(&text);
    let lt = look(&deal, STATE, &[], &Mode::Proportional, None);
    assert!(
        matches!(lt.value, Err(Unknown::MissingMeasure { .. })),
        "{:?}",
        lt.value
    );
    // With S = {Acme Motors} FAW Group holds 0%: the missing measure is not needed.
    let lt = look(&deal, &["Acme Motors"], &[], &Mode::Proportional, None);
    assert_eq!(lt.value, Ok(pct("51")));
}

#[test]
fn the_jv_is_held_by_its_parties_by_the_same_rule() {
    let over = A1.replace(
        r#"stake: "51%", voting: "51%""#,
        r#"stake: "51%", voting: "61%""#,
    );
    let lt = look(&load(&over), STATE, &[], &Mode::Proportional, None);
    assert_eq!(
        lt.value,
        Err(Unknown::PartiesOver100 {
            measure: "voting".into(),
            total: pct("110")
        })
    );
    let short = A1.replace(
        r#"stake: "51%", voting: "51%""#,
        r#"stake: "51%", voting: "41%""#,
    );
    let lt = look(&load(&short), STATE, &[], &Mode::Proportional, None);
    assert_eq!(
        lt.value,
        Err(Unknown::UnlistedParties {
            measure: "voting".into(),
            listed: pct("90")
        })
    );
    // A look-through into one party is not about the JV's cap table.
    let lt = look(
        &load(&over),
        STATE,
        &[],
        &Mode::Proportional,
        Some("Dragon Motors"),
    );
    assert_eq!(lt.value, Ok(pct("60")));
}

#[test]
fn a_member_target_holds_all_of_itself() {
    let deal = load(A1);
    let lt = look(
        &deal,
        &["Dragon Motors"],
        &[],
        &Mode::Proportional,
        Some("Dragon Motors"),
    );
    assert_eq!(lt.value, Ok(pct("100")));
    assert_eq!(lt.paths.len(), 1);
    assert!(lt.paths[0].edges.is_empty());
}

#[test]
fn by_control_thresholds_more_than_and_at_least() {
    let half = A1.replace(
        r#"stake: "60%", voting: "60%""#,
        r#"stake: "50%", voting: "50%""#,
    );
    let deal = load(&half);
    let more = look(&deal, STATE, &[], &control("50", false), None);
    assert_eq!(more.value, Ok(pct("24.5")));
    let least = look(&deal, STATE, &[], &control("50", true), None);
    assert_eq!(least.value, Ok(pct("49")));
    // `controls: true` counts 100% whatever the value.
    let controls = half.replace(
        r#"stake: "50%", voting: "50%" }"#,
        r#"stake: "50%", voting: "50%", controls: true }"#,
    );
    let lt = look(&load(&controls), STATE, &[], &control("50", false), None);
    assert_eq!(lt.value, Ok(pct("49")));
    // Proportional ignores `controls`.
    let lt = look(&load(&controls), STATE, &[], &Mode::Proportional, None);
    assert_eq!(lt.value, Ok(pct("24.5")));
}

#[test]
fn by_control_a_holding_over_100_percent_counts_100() {
    // X is held 60% by A and 40% by B with `controls: true`: both count 100%, h(X) = 100%.
    let x = EntitySpec {
        party: Exact::parse("30"),
        ..entity(
            "X",
            "company",
            Some(vec![
                owner("A", "60"),
                OwnerSpec {
                    controls: true,
                    ..owner("B", "40")
                },
            ]),
        )
    };
    let y = EntitySpec {
        party: Exact::parse("70"),
        ..entity("Y", "public", None)
    };
    let mut b = Builder::default();
    let root = b.root(
        &[x, y],
        &[entity("A", "state", None), entity("B", "state", None)],
        &[],
    );
    let g = Graph::build(b.schema(), &root);
    let h = holders(&g, &["A", "B"], &[]);
    let lt = g.look_through(&measure("voting"), &h, &control("50", false), Target::Deal);
    assert_eq!(lt.value, Ok(pct("30")));
    // Both paths are shown at what they count for; together they exceed the capped value.
    assert_eq!(lt.paths.len(), 2);
    assert!(lt.paths.iter().all(|p| p.contribution == pct("30")));
    assert_eq!((lt.more_paths, lt.more_value.clone()), (0, pct("0")));
    let lt = g.look_through(&measure("voting"), &h, &Mode::Proportional, Target::Deal);
    assert_eq!(lt.value, Ok(pct("30")));
}

#[test]
fn prior_voting_of_an_owner_edge_defaults_to_voting() {
    let text = A1
        .replace(r#"stake: "51%", voting: "51%""#, r#"prior_voting: "51%""#)
        .replace(r#"stake: "49%", voting: "49%""#, r#"prior_voting: "49%""#);
    let deal = load(&text);
    let g = Graph::build(&Schema::standard(), &deal.root);
    let h = holders(&g, STATE, &[]);
    let lt = g.look_through(
        &measure("prior_voting"),
        &h,
        &Mode::Proportional,
        Target::Deal,
    );
    assert_eq!(lt.value, Ok(pct("29.4")));
}

use crate::number::Exact;

use crate::ownership::edges::Edges;

/// Owners whose measures add up to less than or exactly 100% (in decimals and
/// in a fraction with a large denominator), some missing, on every kind of entity.
const OWNERS: &str = r#"proposal: "Owners"
date: 2026-03-01
jurisdiction: US
parties:
  - { name: "P1", country: US, kind: public, stake: "33.3%", voting: "33.3%",
      owners: [{ name: "E1", stake: "10%", voting: "10%" }] }
  - { name: "P2", country: CN, kind: company, stake: "33.3%", voting: "33.35%",
      owners: [{ name: "E1", stake: "60.5%", voting: "60.5%" },
               { name: "E2", stake: "39.5%", voting: "39.5%" }] }
  - { name: "P3", country: CN, kind: company, stake: "33.4%", voting: "33.35%",
      owners: [{ name: "E2", stake: "50%" }, { name: "E3", stake: "50%", voting: "50%" }] }
entities:
  - { name: "E1", kind: public, country: HK,
      owners: [{ name: "E3", stake: "60%", voting: "60%" }, { name: "E4", stake: "40%" }] }
  - { name: "E2", kind: company, country: CN,
      owners: [{ name: "E3", stake: "33.333333333333%", voting: "33.333333333333%" },
               { name: "E4", stake: "66.666666666667%", voting: "66.666666666667%" }] }
  - { name: "E3", kind: state, country: CN }
  - { name: "E4", kind: individual, country: CN,
      owners: [{ name: "E3", stake: "100%", voting: "99.5%" }] }
  - { name: "E5", kind: company, country: CN }
  - { name: "E6", kind: public, country: CN }
"#;

/// Ownership found by adding the written percents is ownership found by adding fractions,
/// on every node and every measure.
#[test]
fn ownership_by_percents_is_ownership_by_fractions() {
    let deal = load(OWNERS);
    let g = Graph::build(&Schema::standard(), &deal.root);
    let mut known = 0;
    for name in ["voting", "stake"] {
        let m = measure(name);
        let edges = Edges::new(&g, &m, &Mode::Proportional, Target::Deal);
        for node in 0..=g.entities().len() {
            let listed = edges.ownership_listed::<()>(node).is_ok();
            assert_eq!(edges.ownership_known(node), listed, "{name} of node {node}");
            assert_eq!(edges.ownership::<()>(node).is_ok(), listed);
            known += usize::from(listed);
        }
    }
    // Both answers are met.
    assert!(known > 3 && known < 2 * (g.entities().len() + 1), "{known}");
}
