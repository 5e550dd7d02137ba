//! The computed fields of entities (SPEC §7.1, §7.3): `entities` (parties first), an
//! entity's `controller` and `bloc`, and an owner's fields of the entity it names.

use crate::common;
use crate::look_through::{a1, message, outcome, LETS};
use common::*;
use covenant::report::written::written;

// ---- entities -------------------------------------------------------------------------------

#[test]
fn entities_are_the_parties_then_the_entities_list() {
    let d = a1();
    assert_eq!(outcome("count of entities = 5", &d), "pass");
    assert_eq!(
        outcome(
            "some entity where name = \"Acme Motors\" and kind = \"public\"",
            &d
        ),
        "pass"
    );
    assert_eq!(
        outcome("count of (entities where kind = \"state\") = 1", &d),
        "pass"
    );
    // An entity read as a party keeps its own fields: `kind` is the party's.
    assert_eq!(
        outcome("count of (entities where country = \"CN\") = 3", &d),
        "pass"
    );
}

#[test]
fn entities_without_the_parties_are_unknown() {
    let d = "proposal: \"t\"\nentities:\n  - { name: \"SASAC\", kind: state, country: CN }\n";
    assert_eq!(outcome("count of entities = 1", d), "incomplete");
    assert!(message("count of entities = 1", d).contains("`parties` is missing"));
    let d = "proposal: \"t\"\nparties: []\n";
    assert_eq!(outcome("count of entities = 0", d), "pass");
}

#[test]
fn an_entity_that_is_a_party_is_named_as_a_party() {
    let d = a1();
    let (_, r) = results(
        &format!("{LETS}rule r: every entity: country != \"US\""),
        &d,
        None,
    );
    let w = written(&r[0]);
    assert_eq!(w.outcome, "fail");
    assert_eq!(
        w.evidence[0].element.as_deref(),
        Some("party \"Acme Motors\"")
    );
    assert_eq!(w.evidence[0].path.as_deref(), Some("parties[0].country"));
}

// ---- owner links ----------------------------------------------------------------------------

#[test]
fn an_owner_reads_the_named_entitys_fields_and_its_own_first() {
    let d = a1();
    assert_eq!(
        outcome(
            "every party where name = \"Dragon Motors\": every owner: owner country = \"HK\" and owner kind = \"public\" and owner stake = 100%",
            &d
        ),
        "pass"
    );
    // The named entity's own owners, one level up.
    let up = |name: &str| {
        format!("every party where name = \"Dragon Motors\": some owner where some owner owners where name = \"{name}\"")
    };
    assert_eq!(outcome(&up("FAW Group"), &d), "pass");
    assert_eq!(outcome(&up("SASAC"), &d), "fail");
}

#[test]
fn an_owner_naming_no_entity_is_unknown() {
    // A validated deal cannot hold one (`covenant::deal::unknown-entity`): the deal is loaded,
    // then its owner's name changed, as a deal that skipped validation would hold it.
    use covenant::deal::tree::NodeValue;
    let body = "every party where name = \"Dragon Motors\": every owner: owner country != \"CN\"";
    let p = policy(&format!("{LETS}rule r: {body}"));
    let mut d = load_yaml(&p, &a1());
    let parties = p.schema.root().field_index("parties").unwrap();
    let NodeValue::List(parties) = &mut d.root.fields[parties].as_mut().unwrap().value else {
        panic!("parties")
    };
    let NodeValue::Record(dragon) = &mut parties[1].value else {
        panic!("Dragon Motors")
    };
    let NodeValue::List(owners) = &mut dragon.fields[4].as_mut().unwrap().value else {
        panic!("owners")
    };
    let NodeValue::Record(owner) = &mut owners[0].value else {
        panic!("owner")
    };
    owner.fields[0].as_mut().unwrap().value =
        NodeValue::Scalar(covenant::value::Scalar::Str("Northern Auto".into()));
    let r = covenant::eval::evaluate(&p, &d, None);
    let w = written(&r[0]);
    assert_eq!(w.outcome, "incomplete");
    assert_eq!(
        w.message,
        "cannot decide: \"Northern Auto\" names no entity of the deal"
    );
}

// ---- controller ---------------------------------------------------------------------------

#[test]
fn the_controller_follows_majority_voting_up_the_chain() {
    let d = a1();
    let dragon = "every party where name = \"Dragon Motors\"";
    assert_eq!(
        outcome(&format!("{dragon}: controller name = \"SASAC\""), &d),
        "pass"
    );
    assert_eq!(
        outcome(
            &format!("{dragon}: controller country = \"CN\" and controller kind = \"state\""),
            &d
        ),
        "pass"
    );
    // Acme Motors: public, no owner over 50%, its own controller.
    assert_eq!(
        outcome(
            "every party where name = \"Acme Motors\": controller name = \"Acme Motors\"",
            &d
        ),
        "pass"
    );
    // Nationality by control, as an element side.
    assert_eq!(
        outcome("party controller country must not be in covered nation", &d),
        "fail"
    );
}

#[test]
fn an_owner_controller_reads_the_named_entitys_controller() {
    let d = a1();
    assert_eq!(
        outcome(
            "every party where name = \"Dragon Motors\": every owner: owner controller name = \"SASAC\"",
            &d
        ),
        "pass"
    );
}

#[test]
fn evidence_of_a_controller_is_its_chain() {
    let d = a1();
    let (_, r) = results(
        &format!("{LETS}rule r: party controller country must not be in covered nation"),
        &d,
        None,
    );
    let w = written(&r[0]);
    assert!(
        w.evidence.iter().any(|e| e.note
            == "controller of Dragon Motors: Dragon Motors ← 100% Northern Auto HK ← 60% FAW Group ← 100% SASAC (state, CN)"),
        "{:#?}",
        w.evidence
    );
}

const JOINT: &str = r#"proposal: "joint"
parties:
  - { name: "HoldCo", kind: company, country: NL, stake: "100%", voting: "100%",
      owners: [{ name: "Renault", stake: "45%", voting: "45%", controls: true },
               { name: "Geely", stake: "45%", voting: "45%", controls: true },
               { name: "Aramco", stake: "10%", voting: "10%" }] }
entities:
  - { name: "Renault", kind: public, country: FR }
  - { name: "Geely", kind: company, country: CN, owners: [] }
  - { name: "Aramco", kind: state-owned, country: SA, state: SA, owners: [] }
"#;

#[test]
fn joint_control_makes_the_controller_unknown() {
    let body = "every party: controller country = \"NL\"";
    assert_eq!(outcome(body, JOINT), "incomplete");
    assert_eq!(
        message(body, JOINT),
        "cannot decide: HoldCo is jointly controlled by Renault and Geely"
    );
    // The policy decides what joint control means.
    assert_eq!(
        outcome(
            "some party where some owner where controls and owner country in covered nation",
            JOINT
        ),
        "pass"
    );
}

#[test]
fn without_control_flags_no_owner_under_half_controls() {
    let d = JOINT.replace(", controls: true", "");
    assert_eq!(
        outcome("every party: controller name = \"HoldCo\"", &d),
        "pass"
    );
}

#[test]
fn unknown_holders_that_could_control_make_the_controller_unknown() {
    // The listed owners hold 45%: the other 55% could be one holder.
    let d = r#"proposal: "short"
parties:
  - { name: "HoldCo", kind: company, country: NL, stake: "100%", voting: "100%",
      owners: [{ name: "Renault", stake: "45%", voting: "45%" }] }
entities:
  - { name: "Renault", kind: public, country: FR }
"#;
    assert_eq!(
        outcome("every party: controller name = \"HoldCo\"", d),
        "incomplete"
    );
    // A listed company's float is held by no one: it controls itself.
    let d = d.replace(
        "name: \"HoldCo\", kind: company",
        "name: \"HoldCo\", kind: public",
    );
    assert_eq!(
        outcome("every party: controller name = \"HoldCo\"", &d),
        "pass"
    );
}

// ---- bloc ---------------------------------------------------------------------------------

const BLOCS: &str = r#"proposal: "blocs"
parties:
  - { name: "A", kind: company, country: US, stake: "10%", voting: "10%" }
  - { name: "B", kind: company, country: CN, stake: "20%", voting: "20%" }
  - { name: "C", kind: company, country: CN, stake: "30%", voting: "30%" }
  - { name: "D", kind: company, country: US, stake: "40%", voting: "40%" }
groups:
  - { name: "G1", kind: concert, members: ["A", "B"] }
  - { name: "G2", kind: concert, members: ["B", "C"] }
"#;

#[test]
fn a_bloc_is_the_first_group_linked_by_shared_members_else_the_own_name() {
    for (party, bloc) in [("A", "G1"), ("B", "G1"), ("C", "G1"), ("D", "D")] {
        assert_eq!(
            outcome(
                &format!("every party where name = \"{party}\": bloc = \"{bloc}\""),
                BLOCS
            ),
            "pass",
            "{party}"
        );
    }
}
