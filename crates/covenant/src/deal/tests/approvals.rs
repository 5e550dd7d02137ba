//! The `approvals` list (SPEC §10): read by every format and the JSON fast path, with
//! positions; `expires` takes a date or `never`; approval `parties` name entities.

use super::*;

const YAML: &str = r#"proposal: "JV"
parties:
  - { name: "Acme Motors", country: US }
  - { name: "Dragon Motors", country: CN }
approvals:
  - id: "MIT-2025-031"
    kind: "mitigation"
    authority: "US Department of Commerce"
    rules: ["american-control"]
    parties: ["Dragon Motors"]
    granted: 2025-08-01
    expires: 2030-08-01
    reference: "Mitigation agreement of 1 Aug 2025"
  - { id: "ICA-1", kind: "ICA-DEEMING", expires: never }
"#;

const JSON: &str = r#"{"proposal":"JV","parties":[{"name":"Acme Motors","country":"US"},{"name":"Dragon Motors","country":"CN"}],"approvals":[{"id":"MIT-2025-031","kind":"mitigation","authority":"US Department of Commerce","rules":["american-control"],"parties":["Dragon Motors"],"granted":"2025-08-01","expires":"2030-08-01","reference":"Mitigation agreement of 1 Aug 2025"},{"id":"ICA-1","kind":"ICA-DEEMING","expires":"never"}]}"#;

const TOML: &str = r#"proposal = "JV"
[[parties]]
name = "Acme Motors"
country = "US"
[[parties]]
name = "Dragon Motors"
country = "CN"
[[approvals]]
id = "MIT-2025-031"
kind = "mitigation"
authority = "US Department of Commerce"
rules = ["american-control"]
parties = ["Dragon Motors"]
granted = 2025-08-01
expires = "2030-08-01"
reference = "Mitigation agreement of 1 Aug 2025"
[[approvals]]
id = "ICA-1"
kind = "ICA-DEEMING"
expires = "never"
"#;

fn date(text: &str) -> Scalar {
    Scalar::Date(crate::value::parse_date(text).unwrap())
}

#[test]
fn every_format_reads_approvals_alike() {
    let yaml = ok(YAML, Format::Yaml).deal;
    let json = ok(JSON, Format::Json).deal;
    let toml = ok(TOML, Format::Toml).deal;
    for deal in [&yaml, &json, &toml] {
        assert_eq!(
            scalar(deal, "approvals.0.authority"),
            &Scalar::Str("US Department of Commerce".into())
        );
        assert_eq!(scalar(deal, "approvals.0.granted"), &date("2025-08-01"));
        assert_eq!(scalar(deal, "approvals.0.expires"), &date("2030-08-01"));
        assert_eq!(scalar(deal, "approvals.1.expires"), &Scalar::Never);
        assert_eq!(
            scalar(deal, "approvals.0.parties.0"),
            &Scalar::Str("Dragon Motors".into())
        );
        // Lists the second approval leaves out are empty.
        assert!(matches!(
            at(deal, "approvals.1.rules").map(|n| &n.value),
            Some(NodeValue::List(l)) if l.is_empty()
        ));
    }
    assert_eq!(without_spans(&yaml.root), without_spans(&json.root));
    assert_eq!(without_spans(&yaml.root), without_spans(&toml.root));
    // Positions: the `never` of the YAML deal is its own text.
    let never = at(&yaml, "approvals.1.expires").unwrap();
    assert_eq!(&YAML[never.span.start..never.span.end], "never");
}

#[test]
fn the_fast_path_reads_approvals_and_never() {
    let schema = Schema::standard();
    let fast = crate::deal::fast::load_json_fast(
        &std::sync::Arc::from(JSON),
        0,
        &schema,
        &Limits::default(),
    )
    .expect("a clean deal with approvals loads on the fast path");
    let full = ok(JSON, Format::Json).deal;
    assert_eq!(fast.0, full.root);
    let never = at(&full, "approvals.1.expires").unwrap();
    assert_eq!(&JSON[never.span.start..never.span.end], "\"never\"");
}

#[test]
fn a_deal_without_approvals_has_an_empty_list() {
    let d = ok("proposal: x\n", Format::Yaml).deal;
    assert!(matches!(
        at(&d, "approvals").map(|n| &n.value),
        Some(NodeValue::List(l)) if l.is_empty()
    ));
}

#[test]
fn an_expiry_that_is_neither_a_date_nor_never_is_a_bad_date() {
    for (text, format, under) in [
        (
            "proposal: x\napprovals: [{ id: a, expires: soon }]\n",
            Format::Yaml,
            "soon",
        ),
        (
            r#"{"proposal":"x","approvals":[{"id":"a","expires":"Never"}]}"#,
            Format::Json,
            "\"Never\"",
        ),
        (
            "proposal = \"x\"\n[[approvals]]\nexpires = \"2030-02-30\"\n",
            Format::Toml,
            "\"2030-02-30\"",
        ),
    ] {
        let e = load_str(text, format).unwrap_err();
        assert_eq!(codes(&e.errors, text), [("bad-date", under.to_string())]);
        let help = e.errors[0].help_text().unwrap();
        assert!(help.contains("or `never`"), "{help}");
    }
    // `never` is a word of `expires` only: a `granted` of `never` is no date.
    let e = load_str(
        "proposal: x\napprovals: [{ granted: never }]\n",
        Format::Yaml,
    )
    .unwrap_err();
    assert_eq!(e.errors[0].code(), "covenant::deal::bad-date");
}

#[test]
fn approval_parties_name_entities() {
    let text = "proposal: x\nparties: [{ name: Dragon Motors }]\nentities: [{ name: FAW Group, kind: state-owned }]\napprovals:\n  - { id: a, parties: [Dragon Motor, FAW Group] }\n";
    let e = load_str(text, Format::Yaml).unwrap_err();
    assert_eq!(
        codes(&e.errors, text),
        [("unknown-entity", "Dragon Motor".to_string())]
    );
    assert_eq!(
        e.errors[0].message(),
        "the approval's party `Dragon Motor` names no party or entity"
    );
    let help = e.errors[0].help_text().unwrap();
    assert!(
        help.starts_with("did you mean `Dragon Motors`? an approval's `parties` name"),
        "{help}"
    );
}

#[test]
fn approval_parties_are_checked_on_a_deal_of_parties_alone() {
    // No `entities`, no owners: the names are still checked, in every format.
    let yaml =
        "proposal: x\nparties: [{ name: Acme }]\napprovals: [{ id: a, parties: [Acme Motors] }]\n";
    let json = r#"{"proposal":"x","parties":[{"name":"Acme"}],"approvals":[{"id":"a","parties":["Acme Motors"]}]}"#;
    let toml = "proposal = \"x\"\n[[parties]]\nname = \"Acme\"\n[[approvals]]\nid = \"a\"\nparties = [\"Acme Motors\"]\n";
    for (text, format, under) in [
        (yaml, Format::Yaml, "Acme Motors"),
        (json, Format::Json, "\"Acme Motors\""),
        (toml, Format::Toml, "\"Acme Motors\""),
    ] {
        let e = load_str(text, format).unwrap_err();
        assert_eq!(
            codes(&e.errors, text),
            [("unknown-entity", under.to_string())],
            "{format:?}"
        );
    }
    // Named rightly, the deal loads.
    ok(&yaml.replace("[Acme Motors]", "[Acme]"), Format::Yaml);
}
