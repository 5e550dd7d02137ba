//! `schema "…" extends standard` (SPEC §8): fields added to the standard records, conflicts,
//! and the checks the added fields get.

use super::*;
use crate::deal::schema_extends::{extend_standard, ExtendError};
use crate::schema::{Computed, Constraint, Type};

const EXTENSION: &str = r##"{
  "properties": {
    "review_deadline": { "type": "string", "format": "date" },
    "host_countries": { "type": "array", "items": { "type": "string", "format": "country" }, "default": [] }
  },
  "$defs": {
    "Party": { "properties": { "listed_on": { "type": "string" } } },
    "Entity": { "properties": { "registry": { "type": "string", "format": "country" },
                                "sanctioned": { "type": "boolean" } } },
    "Owner": { "properties": { "since": { "type": "string", "format": "date" } } },
    "Group": { "properties": { "agreement": { "$ref": "#/$defs/Agreement" } } },
    "Technology": { "properties": { "export_class": { "type": "string" } } },
    "Data": { "properties": { "records": { "type": "integer" } } },
    "Plant": { "properties": { "origin": { "type": "string" }, "workers": { "type": "integer" } } },
    "Board": { "properties": { "independents": { "type": "integer" } } },
    "Agreement": { "properties": { "signed": { "type": "string", "format": "date" } } }
  }
}"##;

fn names(schema: &Schema, record: crate::schema::RecordId) -> Vec<&str> {
    schema
        .record(record)
        .fields
        .iter()
        .map(|f| f.name.as_str())
        .collect()
}

fn extended() -> Schema {
    match extend_standard(EXTENSION) {
        Ok(s) => s,
        Err(e) => panic!("{e:?}"),
    }
}

#[test]
fn every_defs_record_gains_its_fields_after_the_stored_ones() {
    let s = extended();
    let root = names(&s, Schema::ROOT);
    assert_eq!(
        root[root.len() - 2..],
        ["review_deadline", "host_countries"]
    );
    assert_eq!(
        names(&s, Schema::ENTITY),
        [
            "name",
            "kind",
            "country",
            "state",
            "owners",
            "registry",
            "sanctioned",
            "controller",
            "bloc"
        ]
    );
    let party = names(&s, Schema::PARTY);
    assert_eq!(
        party[..7],
        [
            "name",
            "kind",
            "country",
            "state",
            "owners",
            "registry",
            "sanctioned"
        ]
    );
    assert_eq!(
        party[party.len() - 3..],
        ["listed_on", "controller", "bloc"]
    );
    assert!(names(&s, Schema::GROUP).ends_with(&["agreement"]));
    assert!(names(&s, Schema::TECH).ends_with(&["export_class"]));
    assert!(names(&s, Schema::DATA).ends_with(&["records"]));
    assert!(names(&s, Schema::PLANT).ends_with(&["origin", "workers"]));
    assert!(names(&s, Schema::BOARD).ends_with(&["independents"]));
    // Another `$defs` name is only a type: a record of its own, after the standard ones.
    let group = s.record(Schema::GROUP);
    let agreement = &group.fields[group.field_index("agreement").unwrap()];
    let Type::Record(id) = agreement.ty else {
        panic!("{:?}", agreement.ty)
    };
    assert_eq!(id.0, Schema::standard().records.len());
    assert_eq!(names(&s, id), ["signed"]);
}

#[test]
fn an_entity_stays_a_prefix_of_a_party_and_owners_reach_its_new_fields() {
    let s = extended();
    let entity = s.record(Schema::ENTITY).stored_fields();
    let party = s.record(Schema::PARTY).stored_fields();
    let n = |fs: &[crate::schema::Field]| fs.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
    assert_eq!(n(entity), n(&party[..entity.len()]));
    let owner = s.record(Schema::OWNER);
    // The edge's own fields (with `since`) are stored; the entity's fields are links, by their
    // index in the entity record.
    assert_eq!(owner.stored_fields().len(), 8);
    let registry = &owner.fields[owner.field_index("registry").unwrap()];
    assert_eq!(registry.computed, Some(Computed::Linked(5)));
    let controller = &owner.fields[owner.field_index("controller").unwrap()];
    assert_eq!(controller.computed, Some(Computed::Linked(7)));
}

#[test]
fn added_fields_get_their_checks() {
    let s = extended();
    let constraint = |record, name: &str| {
        let r = s.record(record);
        r.fields[r.field_index(name).unwrap()].constraint.clone()
    };
    assert_eq!(constraint(Schema::ENTITY, "registry"), Constraint::Country);
    assert_eq!(constraint(Schema::PARTY, "registry"), Constraint::Country);
    assert_eq!(
        constraint(Schema::ROOT, "host_countries"),
        Constraint::Country
    );
    assert_eq!(constraint(Schema::DATA, "records"), Constraint::Integer);
    // A standard country field's name gives its check on a standard record.
    assert_eq!(constraint(Schema::PLANT, "origin"), Constraint::Country);
    assert_eq!(constraint(Schema::PLANT, "workers"), Constraint::Integer);
    // The standard fields keep theirs.
    assert_eq!(constraint(Schema::PARTY, "country"), Constraint::Country);
    assert_eq!(constraint(Schema::PARTY, "kind"), Constraint::EntityKind);
}

#[test]
fn a_deal_is_read_with_the_added_fields_and_checked() {
    let s = extended();
    let text = r#"{"proposal": "p", "host_countries": ["US", "cn"],
        "parties": [{"name": "A", "kind": "company", "registry": "US", "listed_on": "NYSE",
                     "stake": "100%"}],
        "data": [{"name": "d", "records": 2.5}]}"#;
    let got = match load(
        source(text),
        "deal".into(),
        1,
        Format::Json,
        &s,
        &LoadOptions::default(),
    ) {
        Ok(_) => panic!("expected errors"),
        Err(e) => codes(&e.errors, text),
    };
    assert_eq!(
        got,
        [
            ("bad-country", "\"cn\"".to_string()),
            ("not-an-integer", "2.5".to_string())
        ]
    );
    let text = r#"{"proposal": "p", "parties": [{"name": "A", "kind": "company",
        "registry": "US", "sanctioned": false, "listed_on": "NYSE", "stake": "100%"}]}"#;
    let opts = LoadOptions {
        strict: true,
        ..LoadOptions::default()
    };
    assert!(load(source(text), "deal".into(), 1, Format::Json, &s, &opts).is_ok());
}

fn conflict(text: &str) -> (String, String, String) {
    match extend_standard(text) {
        Err(ExtendError::Conflict(c)) => {
            let at = c.span.map(|s| text[s.start..s.end].to_string());
            (c.record, c.field, at.unwrap_or_default())
        }
        other => panic!("expected a conflict: {other:?}"),
    }
}

#[test]
fn redeclaring_a_standard_field_is_a_conflict_at_its_key() {
    let party = r#"{"$defs": {"Party": {"properties": {"stake": {"type": "string"}}}}}"#;
    assert_eq!(
        conflict(party),
        ("party".into(), "stake".into(), "\"stake\"".into())
    );
    let root = r#"{"properties": {"parties": {"type": "string"}}}"#;
    assert_eq!(
        conflict(root),
        ("deal".into(), "parties".into(), "\"parties\"".into())
    );
    // A list's singular counts: a root `party` would change what `party` names.
    let root = r#"{"properties": {"party": {"type": "string"}}}"#;
    assert_eq!(conflict(root).1, "party");
    // An entity's field goes to parties too: a party-only name conflicts.
    let entity = r#"{"$defs": {"Entity": {"properties": {"voting": {"type": "string"}}}}}"#;
    assert_eq!(
        conflict(entity),
        ("entity".into(), "voting".into(), "\"voting\"".into())
    );
    // And a party's field may not repeat an added entity field.
    let both = r#"{"$defs": {"Entity": {"properties": {"x": {"type": "string"}}},
                            "Party": {"properties": {"x": {"type": "string"}}}}}"#;
    assert_eq!(conflict(both).0, "party");
    // Computed fields and an owner's links are standard fields too.
    let owner = r#"{"$defs": {"Owner": {"properties": {"country": {"type": "string"}}}}}"#;
    assert_eq!(
        conflict(owner),
        ("owner".into(), "country".into(), "\"country\"".into())
    );
    let entity = r#"{"$defs": {"Entity": {"properties": {"controller": {"type": "string"}}}}}"#;
    assert_eq!(conflict(entity).1, "controller");
}

#[test]
fn approvals_can_be_extended() {
    let text = r#"{"$defs": {"Approval": {"properties": {"docket": {"type": "string"}}}}}"#;
    let s = extend_standard(text).unwrap();
    let approval = s.record(Schema::APPROVAL);
    assert_eq!(approval.fields.last().unwrap().name, "docket");
    assert_eq!(approval.field_index("expires"), Some(6));
    let redeclared =
        r#"{"$defs": {"Approval": {"properties": {"authority": {"type": "string"}}}}}"#;
    assert_eq!(
        conflict(redeclared),
        (
            "approval".into(),
            "authority".into(),
            "\"authority\"".into()
        )
    );
}

#[test]
fn an_empty_extension_is_the_standard_schema() {
    let s = extend_standard("{}").unwrap();
    let standard = Schema::standard();
    assert_eq!(s.records.len(), standard.records.len());
    for (a, b) in s.records.iter().zip(&standard.records) {
        assert_eq!(a.fields.len(), b.fields.len(), "{}", a.name);
    }
}
