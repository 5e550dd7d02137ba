use super::*;
use crate::deal::json_schema::schema_from_json_schema;
use crate::schema::Type;

const SCHEMA: &str = r##"{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "type": "object",
  "required": ["title"],
  "properties": {
    "title": { "type": "string" },
    "signed": { "type": "string", "format": "date" },
    "budget": { "type": "string", "format": "money" },
    "approved": { "type": ["boolean", "null"] },
    "members": {
      "type": "array",
      "x-singular": "member",
      "items": {
        "type": "object",
        "properties": {
          "name": { "type": "string" },
          "share": { "type": "string", "format": "percent" },
          "votes": { "type": "integer" }
        }
      }
    },
    "tags": { "type": "array", "items": { "type": "string" }, "default": [] },
    "sites": { "type": "array", "items": { "$ref": "#/$defs/Site" } },
    "hq": { "$ref": "#/$defs/Site" }
  },
  "$defs": {
    "Site": { "type": "object", "properties": { "city": { "type": "string" }, "area": { "type": "number" } } }
  }
}"##;

#[test]
fn converts_a_json_schema() {
    let schema = schema_from_json_schema(SCHEMA, "custom").unwrap();
    let root = schema.root();
    let names: Vec<_> = root.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        ["title", "signed", "budget", "approved", "members", "tags", "sites", "hq"]
    );
    let f = |n: &str| &root.fields[root.field_index(n).unwrap()];
    assert!(f("title").required && !f("signed").required);
    assert_eq!(f("signed").ty, Type::Date);
    assert_eq!(f("budget").ty, Type::Money);
    assert_eq!(f("approved").ty, Type::Bool);
    assert_eq!(f("members").singular.as_deref(), Some("member"));
    assert!(!f("members").default_empty);
    assert!(f("tags").default_empty);
    assert_eq!(f("tags").singular.as_deref(), Some("tag"));
    let Type::List(m) = &f("members").ty else {
        panic!()
    };
    let Type::Record(mid) = **m else { panic!() };
    let member = schema.record(mid);
    assert_eq!(member.name, "member");
    assert_eq!(member.fields[1].ty, Type::Percent);
    assert_eq!(member.fields[2].ty, Type::Number);
    let Type::List(s) = &f("sites").ty else {
        panic!()
    };
    assert_eq!(**s, f("hq").ty);
    assert_eq!(schema.record(record_id(&f("hq").ty)).name, "site");

    // A deal against the custom schema.
    let text = "title: t\nsigned: 2026-01-02\nmembers:\n  - share: 10%\n    votes: 3\nhq: {city: x, are: 1}\n";
    let loaded = load(
        source(text),
        "d".into(),
        1,
        Format::Yaml,
        &schema,
        &LoadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        loaded.warnings[0].help_text().as_deref(),
        Some("did you mean `area`?")
    );
}

fn record_id(t: &Type) -> crate::schema::RecordId {
    match t {
        Type::Record(id) => *id,
        _ => panic!("not a record"),
    }
}

#[test]
fn rejects_what_it_cannot_represent() {
    let bad = |s: &str| schema_from_json_schema(s, "x").unwrap_err();
    assert_eq!(bad("[]"), "the schema must be a json object");
    assert!(bad(r#"{"type": "array", "items": {"type": "string"}}"#).contains("root"));
    assert!(bad(r#"{"type": "object", "properties": {"a": {"type": "array"}}}"#).contains("items"));
    assert!(
        bad(r#"{"type": "object", "properties": {"a": {"type": ["string", "number"]}}}"#)
            .contains("several types")
    );
    assert!(
        bad(r#"{"type": "object", "properties": {"a": {"$ref": "other.json"}}}"#).contains("$ref")
    );
    assert!(bad(r#"{"type": "object", "properties": {}, "required": ["a"]}"#).contains("`a`"));
    assert!(bad("{").starts_with("invalid json"));
}
