//! The JSON Schema of a deal schema reads back, as a custom schema, as the same records.

use super::*;
use crate::deal::json_schema::schema_from_json_schema;

/// A stored field: its name, type, singular, whether it is required or an empty list by
/// default, and its check.
type StoredField = (String, String, Option<String>, bool, bool, Constraint);

/// What a deal document holds of each record, by record name (the reader numbers records in
/// the order it meets them).
fn stored(schema: &Schema) -> std::collections::BTreeMap<String, Vec<StoredField>> {
    schema
        .records
        .iter()
        .map(|r| {
            let fields = r
                .stored_fields()
                .iter()
                .map(|f| {
                    let ty = match &f.ty {
                        Type::Record(id) => format!("record {}", schema.record(*id).name),
                        Type::List(t) => match &**t {
                            Type::Record(id) => format!("list of {}", schema.record(*id).name),
                            t => format!("list of {t}"),
                        },
                        t => t.to_string(),
                    };
                    let s = f.singular.clone();
                    (
                        f.name.clone(),
                        ty,
                        s,
                        f.required,
                        f.default_empty,
                        f.constraint.clone(),
                    )
                })
                .collect();
            (r.name.clone(), fields)
        })
        .collect()
}

#[test]
fn the_standard_schema_reads_back_as_the_same_records() {
    let standard = Schema::standard();
    let text = json_schema_text(&standard);
    let back = schema_from_json_schema(&text, "back").unwrap_or_else(|e| panic!("{e}"));
    let mut want = stored(&standard);
    // What a custom schema cannot say: an entity kind is a list of words, and an approval's
    // `expires` (a date or `never`) a string.
    for (record, fields) in want.iter_mut() {
        for (name, ty, _, _, _, constraint) in fields.iter_mut() {
            if *constraint == Constraint::EntityKind {
                let kinds = ENTITY_KINDS.iter().map(|k| k.to_string()).collect();
                *constraint = Constraint::OneOf(kinds);
            }
            if *constraint == Constraint::DateOrNever {
                assert_eq!((record.as_str(), name.as_str()), ("approval", "expires"));
                *constraint = Constraint::None;
                *ty = "string".into();
            }
        }
    }
    assert_eq!(stored(&back), want);
}

#[test]
fn a_schema_that_extends_the_standard_one_keeps_its_fields() {
    let text = r##"{"type": "object", "properties": {
        "proposal": {"type": "string"},
        "parties": {"type": "array", "x-singular": "member", "items": {"$ref": "#/$defs/Member"}},
        "sectors": {"type": ["array", "null"], "default": [], "items": {"type": "string", "enum": ["auto", "rail"]}}
      },
      "required": ["proposal"],
      "$defs": {"Member": {"type": "object", "properties": {
        "name": {"type": "string"}, "seats": {"type": "integer"}, "home": {"type": "string", "format": "country"},
        "share": {"type": "string", "format": "percent"}, "cap": {"type": "string", "format": "money"},
        "since": {"type": "string", "format": "date"}, "listed": {"type": "boolean"},
        "parent": {"$ref": "#/$defs/Member"}}}}}"##;
    let custom = schema_from_json_schema(text, "custom").unwrap_or_else(|e| panic!("{e}"));
    let generated = json_schema_text(&custom);
    let back = schema_from_json_schema(&generated, "back").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stored(&back), stored(&custom));
    let v: Value = serde_json::from_str(&generated).unwrap_or_default();
    assert_eq!(v["$schema"], DIALECT);
    assert_eq!(v["properties"]["proposal"], json!({"type": "string"}));
    assert_eq!(v["required"], json!(["proposal"]));
    assert_eq!(
        v["properties"]["sectors"]["items"]["enum"],
        json!(["auto", "rail"])
    );
    let member = &v["definitions"]["member"];
    assert_eq!(
        member["properties"]["parent"],
        json!({"$ref": "#/definitions/member"})
    );
    assert_eq!(
        member["properties"]["seats"]["type"],
        json!(["integer", "null"])
    );
    assert_eq!(member["additionalProperties"], false);
}

#[test]
fn records_with_the_same_name_get_distinct_definitions() {
    let mut s = Schema::standard();
    s.records[2].name = "party".into();
    let v = json_schema(&s);
    assert_eq!(
        v["properties"]["board"],
        json!({"$ref": "#/definitions/party-2"})
    );
    assert!(v["definitions"]["party"]["properties"]["stake"].is_object());
    assert!(v["definitions"]["party-2"]["properties"]["seats"].is_object());
}

/// The committed `schemas/deal.schema.json`, which YAML editors are pointed at.
const COMMITTED: &str = "schemas/deal.schema.json";

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::options()
        .with_draft(jsonschema::Draft::Draft7)
        .should_validate_formats(true)
        .build(schema)
        .unwrap_or_else(|e| panic!("the schema does not build: {e}"))
}

/// Every deal document of `path` (a file, or each line of a `.jsonl` batch) as plain JSON.
fn documents(path: &std::path::Path) -> Vec<(String, Value)> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let shown = path.display().to_string();
    let read = |text: &str, format| {
        crate::deal::document_json(text, format).unwrap_or_else(|e| panic!("{shown}: {e}"))
    };
    if path.extension().is_some_and(|e| e == "jsonl") {
        return crate::deal::jsonl_lines(&text)
            .map(|(n, line)| {
                (
                    format!("{shown}:{n}"),
                    read(line, crate::deal::Format::Json),
                )
            })
            .collect();
    }
    let format = crate::deal::format_of(path).unwrap_or_else(|| panic!("{shown}: not a deal"));
    vec![(shown.clone(), read(&text, format))]
}

fn deals_in(folder: &str, skip: &[&str]) -> Vec<std::path::PathBuf> {
    let found = crate::walk::walk(&crate::repo_root().join(folder), &|p| {
        crate::deal::format_of(p).is_some() || p.extension().is_some_and(|e| e == "jsonl")
    });
    let mut paths: Vec<_> = found
        .found
        .iter()
        .map(|f| f.path().to_path_buf())
        .filter(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            !skip.iter().any(|s| name.ends_with(s))
        })
        .collect();
    paths.sort();
    paths
}

fn assert_valid(validator: &jsonschema::Validator, paths: &[std::path::PathBuf]) -> usize {
    let mut checked = 0;
    for path in paths {
        for (name, deal) in documents(path) {
            let errors: Vec<String> = validator
                .iter_errors(&deal)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{name}:\n{}", errors.join("\n"));
            checked += 1;
        }
    }
    checked
}

#[test]
fn the_committed_schema_is_the_generated_one() {
    let committed = std::fs::read_to_string(crate::repo_root().join(COMMITTED)).unwrap_or_default();
    let generated = json_schema_text(&Schema::standard());
    assert!(
        committed == generated,
        "{COMMITTED} is not what `covenant schema --json` prints: run\n  \
         cargo run -q -- schema --json > {COMMITTED}"
    );
}

#[test]
fn every_example_deal_of_the_standard_schema_validates() {
    let v = validator(&json_schema(&Schema::standard()));
    let mut paths = deals_in("examples/deals", &[]);
    // The guide's deals; its test suite and the supply example (a custom schema) aside.
    paths.extend(
        deals_in("docs/examples", &[".test.yaml", ".schema.json", ".yml"])
            .into_iter()
            .filter(|p| !p.components().any(|c| c.as_os_str() == "supply")),
    );
    let checked = assert_valid(&v, &paths);
    assert!(checked >= 25, "only {checked} deals checked");
}

/// A policy's own deal schema (a custom one, or the standard one extended) validates its deals.
#[test]
fn the_example_deals_of_a_policy_schema_validate_against_it() {
    for (policies, deals) in [
        ("examples/canada/canada-ica.policy", "examples/canada/deals"),
        (
            "examples/north-america/north-america.policy",
            "examples/north-america/deals",
        ),
        ("docs/examples/supply/supply.policy", "docs/examples/supply"),
    ] {
        let root = crate::repo_root();
        let compiled = crate::resolve::compile(&[root.join(policies)])
            .unwrap_or_else(|e| panic!("{policies}: {e}"));
        let v = validator(&json_schema(&compiled.policy.schema));
        let paths = deals_in(deals, &[".schema.json"]);
        assert!(!paths.is_empty(), "{deals}");
        assert_valid(&v, &paths);
    }
}

/// What an editor should point at, each in a deal that is otherwise valid.
#[test]
fn deals_with_a_wrong_value_do_not_validate() {
    let v = validator(&json_schema(&Schema::standard()));
    let base =
        "proposal: JV\ndate: 2026-03-01\nparties:\n  - { name: A, country: US, stake: \"51%\" }\n";
    assert!(v.is_valid(
        &crate::deal::document_json(base, crate::deal::Format::Yaml).unwrap_or_default()
    ));
    let bad = [
        "proposal: JV\nparties:\n  - { name: A, stake: 51 }\n",
        "proposal: JV\nparties:\n  - { name: A, stake: fifty percent }\n",
        "proposal: JV\nparties:\n  - { name: A, stkae: \"51%\" }\n",
        "proposal: JV\nparties:\n  - { name: A, board_seats: 3.5 }\n",
        "proposal: JV\nparties:\n  - { name: A, country: china }\n",
        "proposal: JV\nparties:\n  - { name: A, kind: corporation }\n",
        "proposal: JV\ninvestment: 3.5B\n",
        "proposal: JV\ninvestment: usd 3.5B\n",
        "proposal: JV\ndate: 03/01/2026\n",
        "proposal: JV\ndate: 2026-02-30\n",
        "proposal: JV\ncfius_filed: \"no\"\n",
        "proposal: JV\nboard: { seats: \"7\" }\n",
        "proposal: JV\nwaivers: some-waiver\n",
        "proposal: JV\napprovals:\n  - { authority: Commerce, granted: 2026-01-01, expires: someday }\n",
        "date: 2026-03-01\n",
        "proposal: ~\n",
        "- proposal: JV\n",
    ];
    for text in bad {
        let deal = crate::deal::document_json(text, crate::deal::Format::Yaml).unwrap_or_default();
        assert!(!v.is_valid(&deal), "valid, but should not be:\n{text}");
    }
    let fine = [
        "proposal: JV\napprovals:\n  - { authority: Commerce, granted: 2026-01-01, expires: never }\n",
        "proposal: JV\nparties:\n  - { name: A, stake: ~, kind: ~, country: ~ }\n",
        "proposal: JV\ninvestment: EUR 250_000\nparties:\n  - { name: A, stake: \" 33.33 %\" }\n",
    ];
    for text in fine {
        let deal = crate::deal::document_json(text, crate::deal::Format::Yaml).unwrap_or_default();
        let errors: Vec<String> = v.iter_errors(&deal).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{text}\n{errors:?}");
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2000))]

    /// No percent or amount of money that a deal may hold fails the schema's patterns (which
    /// may take more: the reader reports the rest).
    #[test]
    fn every_percent_and_amount_the_reader_takes_matches_the_pattern(
        amount in "[ _+-]{0,2}[0-9_]{0,6}[.]?[0-9_]{0,4}[ ]?",
        code in "[A-Z]{3}|[A-Za-z]{2,4}",
        suffix in "[KMB]?",
        gap in "[ \t]{1,2}",
    ) {
        let percent = format!("{amount}%");
        let percents = validator(&json!({"type": "string", "pattern": PERCENT_PATTERN}));
        if crate::value::read_percent(&percent).is_ok() {
            proptest::prop_assert!(percents.is_valid(&json!(percent)), "{:?}", percent);
        }
        let money = format!("{code}{gap}{amount}{suffix}");
        let monies = validator(&json!({"type": "string", "pattern": MONEY_PATTERN}));
        if crate::value::read_money(&money).is_ok() {
            proptest::prop_assert!(monies.is_valid(&json!(money)), "{:?}", money);
        }
    }
}
