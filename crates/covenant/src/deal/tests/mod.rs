//! Unit tests of the deal loader: one file per parser, the validator and JSON Schema conversion.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests"
)]

mod approvals;
mod entities;
mod extends;
mod fast_path;
mod index;
mod json;
mod load_plan;
mod names;
mod ownership;
mod render;
mod schema;
mod toml;
mod unknown_keys;
mod validate;
mod yaml;

use super::doc::{Budget, Doc, DocKind, Lit};
use super::error::Diags;
use super::*;
use crate::number::Exact;
use crate::value::Scalar;

pub(super) fn source(text: &str) -> SourceFile {
    SourceFile::new("deal", text)
}

pub(super) fn load_with(
    text: &str,
    format: Format,
    opts: &LoadOptions,
) -> Result<Loaded, DealErrors> {
    load(
        source(text),
        "deal".into(),
        1,
        format,
        &Schema::standard(),
        opts,
    )
}

pub(super) fn load_str(text: &str, format: Format) -> Result<Loaded, DealErrors> {
    load_with(text, format, &LoadOptions::default())
}

/// A deal that must load.
pub(super) fn ok(text: &str, format: Format) -> Loaded {
    match load_str(text, format) {
        Ok(l) => l,
        Err(e) => panic!("expected the deal to load: {:#?}", codes(&e.errors, text)),
    }
}

/// The codes and underlined texts of a deal's errors.
pub(super) fn errors(text: &str, format: Format) -> Vec<(&'static str, String)> {
    match load_str(text, format) {
        Ok(_) => panic!("expected errors"),
        Err(e) => codes(&e.errors, text),
    }
}

pub(super) fn codes(errors: &[DealError], text: &str) -> Vec<(&'static str, String)> {
    errors
        .iter()
        .map(|e| {
            let code = e.code().trim_start_matches("covenant::deal::");
            let code: &'static str = DealErrorKind::ALL
                .iter()
                .map(|k| k.code().trim_start_matches("covenant::deal::"))
                .find(|k| *k == code)
                .unwrap_or("?");
            (
                code,
                text.get(e.span().start..e.span().end)
                    .unwrap_or("?")
                    .to_string(),
            )
        })
        .collect()
}

/// The node at a path such as `parties.1.stake` in a deal of the standard schema.
pub(super) fn at<'a>(deal: &'a Deal, path: &str) -> Option<&'a Node> {
    let schema = Schema::standard();
    let mut record = &deal.root;
    let mut id = Schema::ROOT;
    let mut node: Option<&Node> = None;
    let mut parts = path.split('.').peekable();
    while let Some(part) = parts.next() {
        let rs = schema.record(id);
        let i = rs.field_index(part)?;
        let field = &rs.fields[i];
        node = record.field(i);
        let mut ty = field.ty.clone();
        if let (Some(NodeValue::List(items)), Some(ix)) = (
            node.map(|n| &n.value),
            parts.peek().and_then(|p| p.parse::<usize>().ok()),
        ) {
            parts.next();
            node = items.get(ix);
            ty = ty.element().clone();
        }
        if let (Some(NodeValue::Record(r)), crate::schema::Type::Record(rid)) =
            (node.map(|n| &n.value), &ty)
        {
            record = r;
            id = *rid;
        }
    }
    node
}

pub(super) fn scalar<'a>(deal: &'a Deal, path: &str) -> &'a Scalar {
    match at(deal, path).map(|n| &n.value) {
        Some(NodeValue::Scalar(s)) => s,
        other => panic!("{path}: expected a scalar, found {other:?}"),
    }
}

pub(super) fn num(t: &str) -> Exact {
    Exact::parse(t).unwrap()
}

/// A record with every span zeroed, to compare deals across formats.
pub(super) fn without_spans(r: &Record) -> Record {
    Record {
        fields: r
            .fields
            .iter()
            .map(|f| f.as_ref().map(node_without_spans))
            .collect(),
    }
}

fn node_without_spans(n: &Node) -> Node {
    let value = match &n.value {
        NodeValue::List(items) => NodeValue::List(items.iter().map(node_without_spans).collect()),
        NodeValue::Record(r) => NodeValue::Record(without_spans(r)),
        v => v.clone(),
    };
    Node {
        value,
        span: Span::default(),
    }
}

/// Parse with one of the generic parsers, returning the tree or the error code.
pub(super) fn parse_doc(
    text: &str,
    f: fn(&str, usize, &mut Budget, &mut Diags) -> Result<Doc, DealError>,
) -> Result<(Doc, Vec<DealError>), DealError> {
    let file = source(text);
    let mut d = Diags::new(&file);
    let mut budget = Budget::new(&Limits::default());
    let doc = f(text, 0, &mut budget, &mut d)?;
    Ok((doc, d.errors))
}

/// The value of the first key of a mapping document.
pub(super) fn first_value(doc: &Doc) -> &Doc {
    match &doc.kind {
        DocKind::Map(entries) => &entries[0].value,
        _ => panic!("not a mapping"),
    }
}

pub(super) fn lit(doc: &Doc) -> &Lit {
    match &doc.kind {
        DocKind::Scalar(l) => l,
        _ => panic!("not a scalar"),
    }
}

#[test]
fn the_spec_example_loads_equally_in_every_format() {
    let dir = crate::repo_root().join("tests/fixtures/valid-deals/acme");
    let dir = dir.display();
    let read = |ext: &str| std::fs::read_to_string(format!("{dir}.{ext}")).unwrap();
    let yaml = ok(&read("yaml"), Format::Yaml);
    let json = ok(&read("json"), Format::Json);
    let toml = ok(&read("toml"), Format::Toml);
    for l in [&yaml, &json, &toml] {
        assert!(l.warnings.is_empty());
    }
    assert_eq!(
        without_spans(&yaml.deal.root),
        without_spans(&json.deal.root)
    );
    assert_eq!(
        without_spans(&yaml.deal.root),
        without_spans(&toml.deal.root)
    );
    let deal = &yaml.deal;
    assert_eq!(scalar(deal, "parties.1.stake"), &Scalar::Percent(num("49")));
    assert_eq!(
        scalar(deal, "parties.1.government_stake"),
        &Scalar::Percent(num("33.33"))
    );
    assert_eq!(scalar(deal, "board.seats"), &Scalar::Number(num("7")));
    // Spans point at the value text, in every format.
    for l in [&yaml, &json, &toml] {
        let n = at(&l.deal, "parties.0.stake").unwrap();
        assert_eq!(l.deal.source.slice(n.span), "\"51%\"");
    }
    let n = at(deal, "parties.0.stake").unwrap();
    assert_eq!(deal.line_col(n.span), (11, 12));
}

#[test]
fn format_from_extension() {
    use std::path::Path;
    assert_eq!(format_of(Path::new("a/b.yaml")), Some(Format::Yaml));
    assert_eq!(format_of(Path::new("b.YML")), Some(Format::Yaml));
    assert_eq!(format_of(Path::new("b.json")), Some(Format::Json));
    assert_eq!(format_of(Path::new("b.toml")), Some(Format::Toml));
    assert_eq!(format_of(Path::new("b.jsonl")), None);
    assert_eq!(format_of(Path::new("yaml")), None);
}

#[test]
fn jsonl_lines_skip_blanks_and_count_them() {
    let text = "{\"a\":1}\r\n\n  \n{\"b\":2}\n";
    let lines: Vec<_> = jsonl_lines(text).collect();
    assert_eq!(lines, vec![(1, "{\"a\":1}"), (4, "{\"b\":2}")]);
}

#[test]
fn jsonl_line_deals_report_their_physical_line() {
    let text = "\n{\"proposal\": \"x\", \"stak\": 1}\n";
    let (line, body) = jsonl_lines(text).next().unwrap();
    let loaded = load(
        SourceFile::new(format!("batch.jsonl:{line}"), body),
        format!("batch.jsonl:{line}"),
        line,
        Format::Json,
        &Schema::standard(),
        &LoadOptions::default(),
    )
    .unwrap();
    let w = &loaded.warnings[0];
    assert_eq!(loaded.deal.line_col(w.span()), (2, 19));
}

#[test]
fn errors_are_all_collected() {
    let text =
        "proposal: x\nparties:\n  - stake: 51\n  - stake: \"abc\"\nboard: [1]\ndate: 2026-02-30\n";
    let errs = errors(text, Format::Yaml);
    assert_eq!(
        errs,
        vec![
            ("bare-number", "51".to_string()),
            ("bad-percent", "\"abc\"".to_string()),
            ("type-mismatch", "[1]".to_string()),
            ("bad-date", "2026-02-30".to_string()),
        ]
    );
}

#[test]
fn strict_makes_unknown_keys_errors() {
    let text = "proposal: x\nstak: 1\n";
    let loaded = ok(text, Format::Yaml);
    assert_eq!(
        codes(&loaded.warnings, text),
        vec![("unknown-key", "stak".into())]
    );
    let strict = LoadOptions {
        strict: true,
        ..LoadOptions::default()
    };
    let e = load_with(text, Format::Yaml, &strict).unwrap_err();
    assert_eq!(codes(&e.errors, text), vec![("unknown-key", "stak".into())]);
}

#[test]
fn nul_bytes_are_diagnosed() {
    for f in [Format::Yaml, Format::Json, Format::Toml] {
        let errs = errors("proposal: \"a\0b\"", f);
        assert_eq!(errs, vec![("syntax", "\0".to_string())]);
    }
}

/// Every deal file under `tests/fixtures`, loaded with the standard schema: each diagnostic
/// reports the code of its kind (the variant → kind table of `DealError` agrees with the codes
/// of the variants' attributes) and has its first label at its primary span (where a report
/// places it), and every kind a standard deal can have is met.
#[test]
fn every_deal_diagnostic_reports_the_code_of_its_kind() {
    let mut seen = std::collections::BTreeSet::new();
    let mut pending = vec![crate::repo_root().join("tests/fixtures")];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
                continue;
            }
            let (Some(format), Ok(text)) = (format_of(&path), std::fs::read_to_string(&path))
            else {
                continue;
            };
            let diagnostics = match load_str(&text, format) {
                Ok(loaded) => loaded.warnings,
                Err(e) => e.errors.into_iter().chain(e.warnings).collect(),
            };
            for e in diagnostics {
                let reported = miette::Diagnostic::code(&e).map(|c| c.to_string());
                assert_eq!(
                    reported.as_deref(),
                    Some(e.code()),
                    "{}: {e:?}",
                    path.display()
                );
                // A report places a diagnostic by its primary span, where its first label is.
                let first_label = miette::Diagnostic::labels(&e).and_then(|mut l| l.next());
                assert_eq!(
                    first_label.map(|l| l.offset()),
                    Some(e.span().start),
                    "{}: {e:?}",
                    path.display()
                );
                seen.insert(e.kind().code());
            }
        }
    }
    // A custom schema, or a policy (the approvals' warnings: `eval::approvals` tests them).
    let needs_more = [DealErrorKind::NotInEnum, DealErrorKind::NearMiss];
    for kind in DealErrorKind::ALL {
        assert!(
            seen.contains(kind.code())
                || needs_more.contains(&kind)
                || kind.code().starts_with("covenant::waiver::"),
            "no fixture has {kind}"
        );
    }
}

/// A deal that does not load hands its own source back with its errors: the caller places
/// the errors in it (`check::deal::invalid`), so it keeps no clone of the source for that
/// case. The full loader reports every such deal; `load` passes the source on to it whether
/// the one-pass JSON loader gave up or the checks after it refused the deal.
#[test]
fn a_deal_that_does_not_load_hands_its_source_back() {
    let cases = [
        // Refused by the one-pass loader; the full loader reports it.
        (
            r#"{"proposal":"x","parties":[{"name":"A","stake":"abc"}]}"#,
            Format::Json,
            "bad-percent",
        ),
        // Loaded by the one-pass loader; refused by the entity checks after it.
        (
            r#"{"proposal":"x","parties":[{"name":"A","stake":"50%","owners":[{"name":"Nobody","stake":"100%"}]}]}"#,
            Format::Json,
            "unknown-entity",
        ),
        ("proposal: [", Format::Yaml, "syntax"),
        ("proposal = ", Format::Toml, "syntax"),
    ];
    let (opts, schema) = (LoadOptions::default(), Schema::standard());
    for (text, format, code) in cases {
        let given = SourceFile::new("deals/x", text);
        let errs = load(given.clone(), "x".into(), 1, format, &schema, &opts).unwrap_err();
        let found = codes(&errs.errors, text);
        assert_eq!(
            found.first().map(|(c, _)| *c),
            Some(code),
            "{text}: {found:?}"
        );
        assert!(errs.file.shares_with(&given), "{text}");
    }
}
