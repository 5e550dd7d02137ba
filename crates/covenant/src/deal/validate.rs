//! Validation: the generic document tree → schema slots with typed values.
//!
//! Every error is collected; an element or field that fails is left out of the tree (the deal is
//! invalid anyway). `null` is kept as [`NodeValue::Null`] (read as missing) except for a required
//! field; an absent optional list with `default_empty` is an empty list spanning its record.

use std::fmt;

use miette::Severity;

use super::dates::{date, short_message, time_of_day};
use super::doc::{shorten, Doc, DocKind, Entry, Lit};
use super::error::{self, Diags};
use super::plan::Plan;
use super::suggest::did_you_mean;
use super::tree::{Node, NodeValue, Record};
use crate::number::read::{exact_from_text, NumError};
use crate::number::Exact;
use crate::schema::{Constraint, Field, RecordId, Schema, Type};
use crate::source::Span;
use crate::value::{read_money, read_percent, Currency, Scalar, Unread};

pub(crate) struct Validator<'a> {
    pub schema: &'a Schema,
    pub strict: bool,
}

impl Validator<'_> {
    /// The root record, or `None` (with an error) when the document is not a mapping.
    pub fn root(&self, doc: &Doc, d: &mut Diags) -> Option<Record> {
        match &doc.kind {
            DocKind::Map(entries) => Some(self.record(entries, doc.span, Schema::ROOT, d)),
            DocKind::Scalar(Lit::Null) => {
                let e = error::EmptyDeal {
                    span: doc.span,
                    src: d.src(),
                };
                d.push(e.into());
                None
            }
            _ => {
                let e = error::DealNotAMapping {
                    found: doc.describe(),
                    span: doc.span,
                    src: d.src(),
                };
                d.push(e.into());
                None
            }
        }
    }

    fn record(&self, entries: &[Entry], span: Span, id: RecordId, d: &mut Diags) -> Record {
        let stored = self.schema.record(id).stored_fields();
        let mut fields: Vec<Option<Node>> =
            std::iter::repeat_with(|| None).take(stored.len()).collect();
        let mut present = vec![false; stored.len()];
        for entry in entries {
            let found = stored
                .iter()
                .position(|f| f.name == entry.key)
                .and_then(|i| Some((i, stored.get(i)?)));
            let Some((i, field)) = found else {
                self.unknown_key(entry, id, d);
                continue;
            };
            let node = self.field(&entry.value, field, d);
            if let Some(slot) = fields.get_mut(i) {
                *slot = node;
            }
            if let Some(p) = present.get_mut(i) {
                *p = true;
            }
        }
        let rs = self.schema.record(id);
        for ((slot, field), present) in fields.iter_mut().zip(stored).zip(present) {
            if present {
                continue;
            }
            if field.required {
                let e = error::MissingField {
                    field: field.name.clone(),
                    record: rs.name.clone(),
                    span: first_line(d, span),
                    src: d.src(),
                };
                d.push(e.into());
            } else if field.default_empty && field.ty.is_list() {
                *slot = Some(Node {
                    value: NodeValue::List(Vec::new()),
                    span,
                });
            }
        }
        Record { fields }
    }

    fn unknown_key(&self, entry: &Entry, id: RecordId, d: &mut Diags) {
        let e = unknown_key(self.schema, id, &entry.key, entry.key_span, self.strict, d);
        d.push(e);
    }

    fn field(&self, doc: &Doc, field: &Field, d: &mut Diags) -> Option<Node> {
        if field.required && matches!(doc.kind, DocKind::Scalar(Lit::Null)) {
            let e = error::NullField {
                field: field.name.clone(),
                span: doc.span,
                src: d.src(),
            };
            d.push(e.into());
            return None;
        }
        if field.constraint == Constraint::DateOrNever {
            if let Some(node) = super::dates::date_or_never(doc, d) {
                return node;
            }
        }
        let node = self.value(doc, &field.ty, What::Field(&field.name), d)?;
        super::constraints::check(field, &node, d);
        Some(node)
    }

    /// `what` names the value in messages: "`stake`", "an element of `parties`".
    fn value(&self, doc: &Doc, ty: &Type, what: What<'_>, d: &mut Diags) -> Option<Node> {
        let node = |value| {
            Some(Node {
                value,
                span: doc.span,
            })
        };
        match (&doc.kind, ty) {
            (DocKind::Scalar(Lit::Null), _) => node(NodeValue::Null),
            (DocKind::Seq(items), Type::List(elem)) => {
                let elem_what = match what {
                    What::Field(name) | What::Element(name) => What::Element(name),
                };
                let nodes = items
                    .iter()
                    .filter_map(|item| self.element(item, elem, elem_what, d))
                    .collect();
                node(NodeValue::List(nodes))
            }
            (DocKind::Map(entries), Type::Record(id)) => {
                node(NodeValue::Record(self.record(entries, doc.span, *id, d)))
            }
            (DocKind::Scalar(lit), Type::List(_)) if !matches!(ty.element(), Type::Record(_)) => {
                let e = self.mismatch(doc, ty, what, d);
                d.push(e.with_help(format!("write it as a list: [{}]", quoted(lit))));
                None
            }
            (DocKind::Scalar(lit), _) if !matches!(ty, Type::List(_) | Type::Record(_)) => {
                let scalar = self.scalar(lit, doc, ty, what, d)?;
                node(NodeValue::Scalar(scalar))
            }
            _ => {
                let e = self.mismatch(doc, ty, what, d);
                d.push(match ty {
                    Type::Record(id) => {
                        let rs = self.schema.record(*id);
                        let first = rs.fields.first().map_or("name", |f| f.name.as_str());
                        e.with_help(format!(
                            "write {what} as a mapping of its fields, such as `{{ {first}: … }}`"
                        ))
                    }
                    _ => e,
                });
                None
            }
        }
    }

    fn element(&self, doc: &Doc, ty: &Type, what: What<'_>, d: &mut Diags) -> Option<Node> {
        if let (Type::Record(id), DocKind::Scalar(_) | DocKind::Seq(_)) = (ty, &doc.kind) {
            if !matches!(doc.kind, DocKind::Scalar(Lit::Null)) {
                let rs = self.schema.record(*id);
                let e = error::RecordNotAMapping {
                    what: what.to_string(),
                    found: doc.describe(),
                    record: rs.name.clone(),
                    first_field: rs.fields.first().map_or("name", |f| f.name.as_str()).into(),
                    span: doc.span,
                    src: d.src(),
                };
                d.push(e.into());
                return None;
            }
        }
        self.value(doc, ty, what, d)
    }

    fn mismatch(&self, doc: &Doc, ty: &Type, what: What<'_>, d: &Diags) -> super::DealError {
        error::WrongType {
            expected: article(ty),
            what: what.to_string(),
            found: doc.describe(),
            span: doc.span,
            help: None,
            src: d.src(),
        }
        .into()
    }

    fn scalar(
        &self,
        lit: &Lit,
        doc: &Doc,
        ty: &Type,
        what: What<'_>,
        d: &mut Diags,
    ) -> Option<Scalar> {
        let span = doc.span;
        let result = match (ty, lit) {
            (Type::String, Lit::Str { value, .. }) => Ok(Scalar::Str(value.as_str().into())),
            (Type::Bool, Lit::Bool(b)) => Ok(Scalar::Bool(*b)),
            (Type::Number, Lit::Number(t)) => number(t, span, d).map(Scalar::Number),
            (Type::Percent, Lit::Str { value, .. }) => percent(value, span, d)
                .and_then(|p| super::ranges::share(p, value, span, d))
                .map(Scalar::Percent),
            (Type::Money, Lit::Str { value, .. }) => money(value, span, d)
                .and_then(|m| super::ranges::amount(m, value, span, d))
                .map(|(c, a)| Scalar::Money(c, a)),
            (Type::Date, Lit::Str { value: t, .. } | Lit::Date(t)) => date(t, span, d),
            (Type::Date, Lit::DateTime(t)) => Err(time_of_day(t, span, d)),
            (Type::Percent | Type::Money, Lit::Number(t)) => Err(bare_number(t, ty, what, span, d)),
            _ => {
                let e = self.mismatch(doc, ty, what, d);
                Err(match (ty, lit) {
                    (Type::String, _) => e.with_help(format!("quote it: {}", quoted(lit))),
                    (Type::Number, Lit::Str { value, plain }) if exact_from_text(value).is_ok() => {
                        match (plain, exact_from_text(value)) {
                            (true, Ok(n)) => e.with_help(format!(
                                "yaml 1.2 reads `{}` as a string; write {n}",
                                shorten(value)
                            )),
                            _ => e.with_help(format!(
                                "write the number without quotes: {}",
                                shorten(value)
                            )),
                        }
                    }
                    (Type::Bool, Lit::Str { plain: true, value }) => e.with_help(format!(
                        "write true or false; yaml 1.2 reads `{}` as a string",
                        shorten(value)
                    )),
                    (Type::Bool, Lit::Str { .. }) => {
                        e.with_help("write true or false, without quotes")
                    }
                    (Type::Date, _) => {
                        e.with_help("write a date as YYYY-MM-DD, such as 2026-03-01")
                    }
                    _ => e,
                })
            }
        };
        match result {
            Ok(s) => Some(s),
            Err(e) => {
                d.push(e);
                None
            }
        }
    }
}

type Checked<T> = Result<T, super::DealError>;

/// Names a value in messages ("`stake`", "an element of `parties`"), formatted only when a
/// message is made.
#[derive(Clone, Copy)]
enum What<'a> {
    Field(&'a str),
    Element(&'a str),
}

impl fmt::Display for What<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            What::Field(name) => write!(f, "`{name}`"),
            What::Element(name) => write!(f, "an element of `{name}`"),
        }
    }
}

fn number(t: &str, span: Span, d: &Diags) -> Checked<Exact> {
    exact_from_text(t).map_err(|e| match e {
        NumError::TooLarge => too_large(t, span, d),
        NumError::Malformed => error::NotFinite {
            text: shorten(t),
            span,
            src: d.src(),
        }
        .into(),
    })
}

fn too_large(t: &str, span: Span, d: &Diags) -> super::DealError {
    error::NumberTooLarge {
        text: shorten(t),
        span,
        src: d.src(),
    }
    .into()
}

fn percent(text: &str, span: Span, d: &Diags) -> Checked<Exact> {
    read_percent(text).map_err(|e| match e {
        Unread::TooLarge => too_large(text, span, d),
        Unread::Bad(e) => error::BadPercent {
            message: short_message(&e.message, text),
            span,
            help: e.help,
            src: d.src(),
        }
        .into(),
    })
}

fn money(text: &str, span: Span, d: &Diags) -> Checked<(Currency, Exact)> {
    read_money(text).map_err(|e| match e {
        Unread::TooLarge => too_large(text, span, d),
        Unread::Bad(e) => error::BadMoney {
            message: short_message(&e.message, text),
            span,
            help: e.help,
            src: d.src(),
        }
        .into(),
    })
}

fn bare_number(t: &str, ty: &Type, what: What<'_>, span: Span, d: &Diags) -> super::DealError {
    let (wanted, help) = match ty {
        Type::Percent => {
            let mut help = format!("write \"{t}%\"");
            if let Ok(v) = exact_from_text(t) {
                if !v.is_zero() && v.abs() < Exact::ONE {
                    if let Ok(p) = v.checked_mul(Exact::HUNDRED) {
                        help.push_str(&format!(", or \"{p}%\" if {t} is a fraction"));
                    }
                }
            }
            ("a percent", help)
        }
        _ => (
            "an amount of money",
            format!("write \"USD {t}\", with the right currency code"),
        ),
    };
    error::BareNumber {
        wanted: wanted.into(),
        what: what.to_string(),
        text: shorten(t),
        span,
        help,
        src: d.src(),
    }
    .into()
}

fn article(ty: &Type) -> String {
    match ty {
        Type::Number => "a number".into(),
        Type::Percent => "a percent".into(),
        Type::Money => "an amount of money".into(),
        Type::Date => "a date".into(),
        Type::String => "a string".into(),
        Type::Bool => "a boolean".into(),
        Type::List(_) => "a list".into(),
        Type::Record(_) => "a mapping".into(),
    }
}

fn quoted(lit: &Lit) -> String {
    match lit {
        Lit::Str { value, .. } => format!("{:?}", shorten(value)),
        other => format!("\"{}\"", shorten(other.text())),
    }
}

/// The span of the first line of a record, for a label that should not cover many lines.
fn first_line(d: &Diags, span: Span) -> Span {
    let text = d.text(span);
    let end = text.find(['\n', '\r']).unwrap_or(text.len());
    Span::new(span.start, span.start + end)
}

/// The diagnostic of a key that record `id` does not have, at `span`: a warning, or an error
/// when loading is strict. The full loader and the fast loader (`fast.rs`) both report it here.
pub(super) fn unknown_key(
    schema: &Schema,
    id: RecordId,
    key: &str,
    span: Span,
    strict: bool,
    d: &Diags,
) -> error::DealError {
    let rs = schema.record(id);
    let help = || {
        let names: Vec<&str> = rs.stored_fields().iter().map(|f| f.name.as_str()).collect();
        match did_you_mean(key, &names) {
            Some(best) => format!("did you mean `{best}`?"),
            None => format!("the fields of a {} are: {}", rs.name, names.join(", ")),
        }
    };
    let help = match Plan::kept(schema) {
        Some(plan) => {
            let kept = plan.key_helps.get_or_make(id, key, help);
            debug_assert_eq!(kept, help(), "a kept help differs from the one worked out");
            kept
        }
        None => help(),
    };
    error::UnknownKey {
        key: shorten(key),
        record: rs.name.clone(),
        span,
        help,
        severity: if strict {
            Severity::Error
        } else {
            Severity::Warning
        },
        src: d.src(),
    }
    .into()
}
