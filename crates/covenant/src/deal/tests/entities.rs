//! Entities in deals (SPEC §7.1): kinds, defaults, names; the same diagnostics in YAML, JSON
//! and TOML. The helpers here serve [`super::ownership`] too.

use super::render::{list, map, render, s, V};
use super::*;

pub(super) const FORMATS: [Format; 3] = [Format::Yaml, Format::Json, Format::Toml];

/// An entity (or party) with `fields`, and owners given as (name, stake).
pub(super) fn entity(name: &str, kind: &str, country: &str, owners: Option<&[(&str, &str)]>) -> V {
    let mut fields = vec![
        ("name", s(name)),
        ("kind", s(kind)),
        ("country", s(country)),
    ];
    if let Some(owners) = owners {
        let items: Vec<V> = owners
            .iter()
            .map(|(n, stake)| map(&[("name", s(n)), ("stake", s(stake))]))
            .collect();
        fields.push(("owners", list(&items)));
    }
    map(&fields)
}

pub(super) fn deal(parties: &[V], entities: &[V], extra: &[(&str, V)]) -> V {
    let mut fields = vec![
        ("proposal", s("JV")),
        ("parties", list(parties)),
        ("entities", list(entities)),
    ];
    fields.extend(extra.iter().cloned());
    map(&fields)
}

/// One diagnostic as the user sees it: code, message, help, and each label's text with the
/// text it underlines.
pub(super) type Seen = (String, String, Option<String>, Vec<(String, String)>);

pub(super) fn seen(e: &DealError, text: &str) -> Seen {
    let labels = miette::Diagnostic::labels(e)
        .into_iter()
        .flatten()
        .map(|l| {
            let under = text.get(l.offset()..l.offset() + l.len()).unwrap_or("?");
            // A TOML or YAML string is quoted like JSON here: compare the text inside.
            let under = under.trim_matches('"').to_string();
            (l.label().unwrap_or_default().to_string(), under)
        })
        .collect();
    (e.code().into(), e.message(), e.help_text(), labels)
}

/// The errors of `deal` in every format, checked to be the same; those of YAML.
pub(super) fn errors_everywhere(deal: &V) -> Vec<Seen> {
    let mut first: Option<Vec<Seen>> = None;
    for format in FORMATS {
        let text = render(deal, format);
        let found: Vec<Seen> = match load_str(&text, format) {
            Ok(_) => Vec::new(),
            Err(e) => e.errors.iter().map(|e| seen(e, &text)).collect(),
        };
        match &first {
            None => first = Some(found),
            Some(f) => assert_eq!(&found, f, "{format:?}:\n{text}"),
        }
    }
    first.unwrap()
}

/// The deal loads in every format, with the same values.
pub(super) fn loads_everywhere(deal: &V) -> Loaded {
    let loaded: Vec<Loaded> = FORMATS.iter().map(|f| ok(&render(deal, *f), *f)).collect();
    let root = without_spans(&loaded[0].deal.root);
    for l in &loaded[1..] {
        assert_eq!(without_spans(&l.deal.root), root);
    }
    loaded.into_iter().next().unwrap()
}

pub(super) fn codes_of(found: &[Seen]) -> Vec<&str> {
    found.iter().map(|f| f.0.as_str()).collect()
}

#[test]
fn a_kind_outside_the_six_is_bad_kind_with_a_did_you_mean() {
    let d = deal(
        &[entity("Dragon Motors", "State-owned", "CN", None)],
        &[entity("SASAC", "government", "CN", None)],
        &[],
    );
    let found = errors_everywhere(&d);
    assert_eq!(codes_of(&found), ["covenant::deal::bad-kind"; 2]);
    assert_eq!(found[0].1, "`State-owned` is not a kind of entity");
    assert!(found[0]
        .2
        .as_deref()
        .unwrap()
        .starts_with("did you mean `state-owned`? `kind` is one of `state`,"));
    assert_eq!(found[0].3[0].1, "State-owned");
    assert!(found[1]
        .2
        .as_deref()
        .unwrap()
        .starts_with("did you mean `state`?"));
}

#[test]
fn a_group_kind_is_free_text() {
    let groups = list(&[map(&[
        ("name", s("Eastern Grid")),
        ("kind", s("voting agreement")),
        ("members", list(&[s("A")])),
    ])]);
    loads_everywhere(&deal(
        &[entity("A", "company", "CN", None)],
        &[],
        &[("groups", groups)],
    ));
}

/// The text a node's span covers in `text`, quotes trimmed.
fn under(text: &str, node: Option<&Node>) -> String {
    let span = node.unwrap().span;
    text[span.start..span.end].trim_matches('"').to_string()
}

#[test]
fn a_state_is_its_own_state_unless_one_is_written() {
    let party = map(&[
        ("name", s("QIA")),
        ("kind", s("state")),
        ("country", s("QA")),
    ]);
    let d = deal(
        &[party],
        &[
            entity("SASAC", "state", "CN", None),
            map(&[
                ("name", s("HK Gov")),
                ("kind", s("state")),
                ("country", s("HK")),
                ("state", s("CN")),
            ]),
            entity("FAW Group", "state-owned", "CN", None),
        ],
        &[],
    );
    for format in FORMATS {
        let text = render(&d, format);
        let l = ok(&text, format);
        assert_eq!(
            scalar(&l.deal, "parties.0.state"),
            &Scalar::Str("QA".into())
        );
        // The default is the value it copies, at its place.
        assert_eq!(
            at(&l.deal, "parties.0.state").unwrap().span,
            at(&l.deal, "parties.0.country").unwrap().span
        );
        assert_eq!(
            scalar(&l.deal, "entities.0.state"),
            &Scalar::Str("CN".into())
        );
        assert_eq!(under(&text, at(&l.deal, "entities.0.state")), "CN");
        assert_eq!(
            scalar(&l.deal, "entities.1.state"),
            &Scalar::Str("CN".into())
        );
        assert!(
            at(&l.deal, "entities.2.state").is_none(),
            "only kind `state` defaults"
        );
    }
}

#[test]
fn owner_edges_prior_values_default_to_the_current_ones_and_party_priors_stay_missing() {
    let owners = list(&[
        map(&[("name", s("A")), ("stake", s("60%")), ("voting", s("70%"))]),
        map(&[
            ("name", s("B")),
            ("stake", s("40%")),
            ("prior_stake", s("30%")),
        ]),
        map(&[("name", s("A")), ("controls", V::Bool(true))]),
    ]);
    let party = map(&[
        ("name", s("P")),
        ("kind", s("company")),
        ("country", s("CN")),
        ("stake", s("100%")),
        ("owners", owners),
    ]);
    let d = deal(
        &[party],
        &[
            entity("A", "individual", "CN", None),
            entity("B", "individual", "CN", None),
        ],
        &[],
    );
    for format in FORMATS {
        let text = render(&d, format);
        let l = ok(&text, format);
        let pct = |p: &str| Scalar::Percent(num(p));
        assert_eq!(
            scalar(&l.deal, "parties.0.owners.0.prior_stake"),
            &pct("60")
        );
        assert_eq!(
            scalar(&l.deal, "parties.0.owners.0.prior_voting"),
            &pct("70")
        );
        assert_eq!(
            at(&l.deal, "parties.0.owners.0.prior_voting").unwrap().span,
            at(&l.deal, "parties.0.owners.0.voting").unwrap().span
        );
        assert_eq!(
            scalar(&l.deal, "parties.0.owners.1.prior_stake"),
            &pct("30")
        );
        assert!(at(&l.deal, "parties.0.owners.1.voting").is_none());
        assert!(
            at(&l.deal, "parties.0.owners.1.prior_voting").is_none(),
            "nothing to copy"
        );
        assert!(
            at(&l.deal, "parties.0.prior_stake").is_none(),
            "a party's own prior stays missing"
        );
        assert!(at(&l.deal, "parties.0.prior_voting").is_none());
        assert_eq!(
            scalar(&l.deal, "parties.0.owners.1.controls"),
            &Scalar::Bool(false)
        );
        assert_eq!(
            scalar(&l.deal, "parties.0.owners.2.controls"),
            &Scalar::Bool(true)
        );
        let item = at(&l.deal, "parties.0.owners.1").unwrap().span;
        assert_eq!(
            at(&l.deal, "parties.0.owners.1.controls").unwrap().span,
            item
        );
    }
}

#[test]
fn a_null_prior_is_not_written_and_defaults() {
    let text = r#"{"proposal": "JV", "parties": [{"name": "P", "owners": [{"name": "A", "stake": "60%", "prior_stake": null}]}],
        "entities": [{"name": "A", "kind": "individual"}]}"#;
    let l = ok(text, Format::Json);
    assert_eq!(
        scalar(&l.deal, "parties.0.owners.0.prior_stake"),
        &Scalar::Percent(num("60"))
    );
}

#[test]
fn new_lists_default_to_empty_except_owners() {
    let l = ok(
        "proposal: JV\nparties:\n  - name: A\nentities:\n  - name: B\n    kind: company\n",
        Format::Yaml,
    );
    for path in ["groups", "parties.0.vetoes", "parties.0.appointments"] {
        assert_eq!(
            at(&l.deal, path).unwrap().value,
            NodeValue::List(Vec::new()),
            "{path}"
        );
    }
    assert!(
        at(&l.deal, "parties.0.owners").is_none(),
        "missing owners stay missing"
    );
    assert!(at(&l.deal, "entities.0.owners").is_none());
    let l = ok("proposal: JV\n", Format::Yaml);
    assert_eq!(
        at(&l.deal, "entities").unwrap().value,
        NodeValue::List(Vec::new())
    );
}

#[test]
fn an_owner_an_entity_and_a_group_need_a_name() {
    let text = "proposal: JV\nparties:\n  - owners:\n      - stake: \"5%\"\nentities:\n  - kind: company\ngroups:\n  - members: []\n";
    let found = errors(text, Format::Yaml);
    assert_eq!(
        found.iter().map(|f| f.0).collect::<Vec<_>>(),
        ["missing-required"; 3],
        "{found:?}"
    );
    // A party's name stays optional, as in v1.
    ok(
        "proposal: JV\nparties:\n  - stake: \"100%\"\n",
        Format::Yaml,
    );
}

#[test]
fn a_state_party_of_a_deal_without_entities_is_its_own_state_too() {
    for (text, format) in [
        (
            "proposal: JV\nparties:\n  - { name: QIA, kind: state, country: QA }\n",
            Format::Yaml,
        ),
        (
            r#"{"proposal": "JV", "parties": [{"name": "QIA", "kind": "state", "country": "QA"}]}"#,
            Format::Json,
        ),
    ] {
        let l = ok(text, format);
        assert_eq!(
            scalar(&l.deal, "parties.0.state"),
            &Scalar::Str("QA".into())
        );
    }
}
