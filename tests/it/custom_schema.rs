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
