//! A policy with its own deal schema (`schema "file.json"`): phrases resolve against it and
//! deals are validated by it.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use covenant::deal::{self, Format, LoadOptions};
use covenant::report::written::written;
use covenant::source::SourceFile;
use miette::Diagnostic;

#[test]
fn rules_resolve_against_a_custom_schema() {
    let policy = covenant::resolve::compile(&["tests/fixtures/custom-schema/supply.policy".into()])
        .unwrap()
        .policy;
    let text = std::fs::read_to_string("tests/fixtures/custom-schema/deal.yaml").unwrap();
    let d = deal::load(
        SourceFile::new("deal.yaml", text),
        "deal.yaml".into(),
        1,
        Format::Yaml,
        &policy.schema,
        &LoadOptions::default(),
    )
    .map_err(|e| format!("{:?}", e.errors))
    .unwrap()
    .deal;
    let results = covenant::eval::evaluate(&policy, &d, None);
    let got: Vec<String> = results
        .iter()
        .map(|r| format!("{}={}", policy.rules[r.rule].id, r.outcome.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            "no-covered-supplier=fail",
            "share-cap=fail",
            "total-value=pass"
        ]
    );
    assert_eq!(
        written(&results[1]).evidence[0].element.as_deref(),
        Some("supplier \"Volta\"")
    );
}

#[test]
fn unknown_words_are_checked_against_the_custom_schema() {
    let dir = std::env::temp_dir().join(format!("covenant-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(
        "tests/fixtures/custom-schema/supply.schema.json",
        dir.join("supply.schema.json"),
    )
    .unwrap();
    let p = dir.join("p.policy");
    std::fs::write(
        &p,
        "policy \"x\"\n  schema \"supply.schema.json\"\n\nrule r: every party: stake < 50%\n",
    )
    .unwrap();
    let Err(errs) = covenant::resolve::compile(&[p]) else {
        panic!("must not compile")
    };
    assert_eq!(
        errs[0].code().map(|c| c.to_string()).as_deref(),
        Some("covenant::resolve::unknown-phrase")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn did_you_mean_offers_the_back_quoted_form_of_a_keyword_field() {
    let dir = std::env::temp_dir().join(format!("covenant-kw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("s.json"),
        r#"{"type":"object","required":["name"],"properties":{"name":{"type":"string"},"count":{"type":"number"}}}"#,
    )
    .unwrap();
    let p = dir.join("p.policy");
    std::fs::write(
        &p,
        "policy \"k\"\n  schema \"s.json\"\n\nrule r: cont > 1\n",
    )
    .unwrap();
    let Err(errs) = covenant::resolve::compile(std::slice::from_ref(&p)) else {
        panic!("must not compile")
    };
    let help = errs[0].help().map(|h| h.to_string()).unwrap_or_default();
    assert_eq!(help, "did you mean `` `count` ``?");
    std::fs::write(
        &p,
        "policy \"k\"\n  schema \"s.json\"\n\nrule r: `count` > 1\n",
    )
    .unwrap();
    assert!(covenant::resolve::compile(&[p]).is_ok());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn evidence_paths_of_nested_records_are_full_or_absent_never_partial() {
    let dir = std::env::temp_dir().join(format!("covenant-nest-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("s.schema.json"),
        r#"{"type": "object", "properties": {
  "name": {"type": "string"},
  "a": {"type": "object", "properties": {"b": {"type": "object", "properties": {"c": {"type": "number"}}}}},
  "items": {"type": "array", "x-singular": "item", "items": {"type": "object", "properties": {
    "name": {"type": "string"},
    "x": {"type": "object", "properties": {"y": {"type": "number"}}}}}}}}"#,
    )
    .unwrap();
    std::fs::write(
        dir.join("p.policy"),
        "policy \"nest\" version \"1\"\n  schema \"s.schema.json\"\nrule deep: a b c <= 1\nrule item: every item: x y <= 1\n",
    )
    .unwrap();
    let policy = covenant::resolve::compile(&[dir.join("p.policy")])
        .unwrap()
        .policy;
    let d = deal::load(
        SourceFile::new(
            "d.yaml",
            "name: n\na: { b: { c: 5 } }\nitems:\n  - { name: one, x: { y: 3 } }\n",
        ),
        "d.yaml".into(),
        1,
        Format::Yaml,
        &policy.schema,
        &LoadOptions::default(),
    )
    .map_err(|e| format!("{:?}", e.errors))
    .unwrap()
    .deal;
    let results = covenant::eval::evaluate(&policy, &d, None);
    std::fs::remove_dir_all(&dir).unwrap();
    let paths: Vec<_> = results
        .iter()
        .map(|r| r.evidence[0].path.clone().unwrap_or_default())
        .collect();
    // Two levels below the root the path is not kept (it would cost every value an
    // allocation): none is shown rather than a wrong `b.c`, and help names the phrase.
    assert_eq!(paths, ["", "items[0].x.y"]);
    assert_eq!(
        written(&results[0]).help.as_deref(),
        Some("reduce `a b c` by at least 4")
    );
    assert_eq!(
        written(&results[1]).help.as_deref(),
        Some("reduce one's x y by at least 2")
    );
}

// ---- `schema "…" extends standard` (SPEC §8) -----------------------------------------------

const EXTENSION: &str = r##"{
  "properties": { "review_deadline": { "type": "string", "format": "date" } },
  "$defs": {
    "Party": { "properties": { "listed_on": { "type": "string" } } },
    "Entity": { "properties": { "registry": { "type": "string", "format": "country" } } },
    "Owner": { "properties": { "since": { "type": "string", "format": "date" } } },
    "Group": { "properties": { "agreement": { "$ref": "#/$defs/Agreement" } } },
    "Technology": { "properties": { "export_class": { "type": "string" } } },
    "Data": { "properties": { "records": { "type": "integer" } } },
    "Plant": { "properties": { "workers": { "type": "integer" } } },
    "Board": { "properties": { "independents": { "type": "integer" } } },
    "Agreement": { "properties": { "signed": { "type": "string", "format": "date" } } }
  }
}"##;

/// A folder holding `files`, removed when dropped.
struct Folder(std::path::PathBuf);

impl Folder {
    fn new(name: &str, files: &[(&str, &str)]) -> Folder {
        let dir = std::env::temp_dir().join(format!("covenant-ext-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        for (file, text) in files {
            std::fs::write(dir.join(file), text).unwrap();
        }
        Folder(dir)
    }

    fn compile(&self, policy: &str) -> Result<covenant::resolve::Policy, Vec<String>> {
        std::fs::write(self.0.join("p.policy"), policy).unwrap();
        covenant::resolve::compile(&[self.0.join("p.policy")])
            .map(|c| c.policy)
            .map_err(|e| {
                e.iter()
                    .map(|d| {
                        format!(
                            "{} {d}",
                            d.code().map(|c| c.to_string()).unwrap_or_default()
                        )
                    })
                    .collect()
            })
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn outcomes_on(policy: &covenant::resolve::Policy, yaml: &str) -> Vec<String> {
    let d = deal::load(
        SourceFile::new("d.yaml", yaml),
        "d.yaml".into(),
        1,
        Format::Yaml,
        &policy.schema,
        &LoadOptions {
            strict: true,
            ..LoadOptions::default()
        },
    )
    .map_err(|e| format!("{:?}", e.errors))
    .unwrap()
    .deal;
    covenant::eval::evaluate(policy, &d, None)
        .iter()
        .map(|r| format!("{}={}", policy.rules[r.rule].id, r.outcome.as_str()))
        .collect()
}

const EXTENDED_POLICY: &str = r#"policy "Extended"
  schema "ext.schema.json" extends standard
rule deadline: review deadline >= 2026-06-01
rule listed: every party: listed on != "OTC"
rule registry: no party where registry = "KP"
rule entity-registry: no entity where registry = "KP"
rule owners-since: every party: every owner: since <= 2026-01-01
rule group-signed: every group: agreement signed <= 2026-01-01
rule export: no technology where export class = "3A090"
rule records: total data records < 1000
rule workers: total plant workers >= 100
rule independents: board independents >= 2
rule standard: every party: stake <= 60%
"#;

const EXTENDED_DEAL: &str = r#"proposal: "Ext"
review_deadline: 2026-07-01
board: { seats: 7, independents: 2 }
parties:
  - { name: "Acme", country: US, kind: public, stake: "51%", listed_on: "NYSE", registry: US,
      owners: [{ name: "Fund", stake: "10%", since: 2020-01-01 }] }
  - { name: "Dragon", country: CN, kind: company, stake: "49%", listed_on: "SSE", registry: CN,
      owners: [] }
entities:
  - { name: "Fund", kind: fund, country: US, registry: KP }
groups: [{ name: "G", kind: concert, members: ["Acme"], agreement: { signed: 2025-01-01 } }]
technology: [{ name: "t", export_class: "5A002" }]
data: [{ name: "d", records: 12 }]
plants: [{ country: US, workers: 150 }]
"#;

#[test]
fn extends_standard_adds_fields_to_every_record() {
    let dir = Folder::new("all", &[("ext.schema.json", EXTENSION)]);
    let policy = dir.compile(EXTENDED_POLICY).unwrap();
    assert_eq!(
        outcomes_on(&policy, EXTENDED_DEAL),
        [
            "deadline=pass",
            "listed=pass",
            "registry=pass",
            "entity-registry=fail",
            "owners-since=pass",
            "group-signed=pass",
            "export=pass",
            "records=pass",
            "workers=pass",
            "independents=pass",
            "standard=pass"
        ]
    );
    // Without `extends standard` the file is the whole schema: a party is unknown.
    let plain = EXTENDED_POLICY.replace(" extends standard", "");
    let e = dir.compile(&plain).unwrap_err();
    assert_eq!(
        e[1],
        "covenant::resolve::unknown-phrase unknown phrase `party`"
    );
}

#[test]
fn added_country_fields_are_checked_in_deals_and_policies() {
    let dir = Folder::new("country", &[("ext.schema.json", EXTENSION)]);
    let e = dir
        .compile("policy \"x\"\n  schema \"ext.schema.json\" extends standard\nrule r: no party where registry = \"UK\"\n")
        .unwrap_err();
    assert!(e[0].starts_with("covenant::type::bad-country"), "{e:?}");
    let policy = dir.compile(EXTENDED_POLICY).unwrap();
    let bad = EXTENDED_DEAL.replace("registry: KP", "registry: kp");
    let err = deal::load(
        SourceFile::new("d.yaml", bad),
        "d.yaml".into(),
        1,
        Format::Yaml,
        &policy.schema,
        &LoadOptions::default(),
    )
    .unwrap_err();
    let codes: Vec<&str> = err.errors.iter().map(|e| e.code()).collect();
    assert_eq!(codes, ["covenant::deal::bad-country"]);
}

#[test]
fn format_country_in_a_plain_custom_schema_checks_policy_literals() {
    let schema = r#"{"type": "object", "properties": {
        "home": {"type": "string", "format": "country"},
        "label": {"type": "string"},
        "units": {"type": "integer"}}}"#;
    let dir = Folder::new("plain", &[("s.json", schema)]);
    let e = dir
        .compile("policy \"x\"\n  schema \"s.json\"\nrule r: home in [\"US\", \"Britain\"]\n")
        .unwrap_err();
    assert!(e[0].starts_with("covenant::type::bad-country"), "{e:?}");
    // A plain string is free; an integer takes whole numbers only.
    let policy = dir
        .compile("policy \"x\"\n  schema \"s.json\"\nrule r: label = \"Britain\" and units > 1\n")
        .unwrap();
    assert_eq!(
        outcomes_on(&policy, "home: GB\nlabel: Britain\nunits: 2\n"),
        ["r=pass"]
    );
    let err = deal::load(
        SourceFile::new("d.yaml", "home: GB\nunits: 2.5\n"),
        "d.yaml".into(),
        1,
        Format::Yaml,
        &policy.schema,
        &LoadOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.errors[0].code(), "covenant::deal::not-an-integer");
}

#[test]
fn item_definitions_on_an_extended_schema() {
    let dir = Folder::new("define", &[("ext.schema.json", EXTENSION)]);
    let policy = dir
        .compile("policy \"x\"\n  schema \"ext.schema.json\" extends standard\ndefine entity sanctioned: registry in [\"KP\", \"IR\"]\nrule r: no party where some owner where owner sanctioned\nrule s: no entity sanctioned\n")
        .unwrap();
    // `owner sanctioned` reads the entity an owner names (an owner link, evaluated with the
    // ownership graph); `entity sanctioned` reads the entities listed.
    let got = outcomes_on(&policy, EXTENDED_DEAL);
    assert_eq!(got[1], "s=fail");
}

#[test]
fn one_file_extending_and_one_replacing_name_two_schemas() {
    let dir = Folder::new(
        "two",
        &[
            ("ext.schema.json", EXTENSION),
            ("a.policy", "policy \"a\"\n  schema \"ext.schema.json\" extends standard\nrule a: board independents >= 2\n"),
            ("b.policy", "policy \"b\"\n  schema \"ext.schema.json\"\nrule b: review deadline >= 2026-01-01\n"),
        ],
    );
    let e = covenant::resolve::compile(&[dir.0.join("a.policy"), dir.0.join("b.policy")])
        .err()
        .unwrap();
    assert_eq!(
        e.iter()
            .next()
            .and_then(|d| d.code())
            .map(|c| c.to_string())
            .as_deref(),
        Some("covenant::resolve::conflicting-schema")
    );
}
