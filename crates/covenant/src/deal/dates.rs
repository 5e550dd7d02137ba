//! Dates in deals: a date value (`YYYY-MM-DD`; a time of day is refused with its own help),
//! and an approval's `expires` (SPEC §10): a date, or the word `never` for an approval that
//! does not expire, read as [`Scalar::Never`]. Any other text is `covenant::deal::bad-date`,
//! with a help that offers `never`.

use super::doc::{looks_like_date, shorten};
use super::doc::{Doc, DocKind, Lit};
use super::error;
use super::error::Diags;
use super::tree::{Node, NodeValue};
use crate::source::Span;
use crate::value::{parse_date, Scalar};

type Checked<T> = Result<T, super::DealError>;

/// A field that takes a date or `never` (an approval's `expires`, SPEC §10): the node (None
/// after an error), or None for a value that is no date at all (`null`, a number), which the
/// usual path reads or reports.
pub(super) fn date_or_never(doc: &Doc, d: &mut Diags) -> Option<Option<Node>> {
    let DocKind::Scalar(lit) = &doc.kind else {
        return None;
    };
    let scalar = match lit {
        Lit::Str { value, .. } if value == NEVER => Ok(Scalar::Never),
        Lit::Str { value: t, .. } | Lit::Date(t) => date(t, doc.span, d).map_err(|e| match e {
            super::DealError::BadDate(mut bad) => {
                bad.help = format!(
                    "write a date as YYYY-MM-DD, or `{NEVER}` for an approval that does not expire"
                );
                super::DealError::BadDate(bad)
            }
            other => other,
        }),
        Lit::DateTime(t) => Err(time_of_day(t, doc.span, d)),
        _ => return None,
    };
    Some(match scalar {
        Ok(s) => Some(Node {
            value: NodeValue::Scalar(s),
            span: doc.span,
        }),
        Err(e) => {
            d.push(e);
            None
        }
    })
}

/// The word an approval's `expires` holds when it does not expire (SPEC §10).
const NEVER: &str = "never";

pub(super) fn date(t: &str, span: Span, d: &Diags) -> Checked<Scalar> {
    match parse_date(t) {
        Ok(date) => Ok(Scalar::Date(date)),
        Err(_) if has_time_of_day(t) => Err(time_of_day(t, span, d)),
        Err(e) => Err(error::BadDate {
            message: short_message(&e.message, t),
            span,
            help: e.help,
            src: d.src(),
        }
        .into()),
    }
}

/// A message from the scalar parsers with the user's text shortened.
pub(super) fn short_message(message: &str, text: &str) -> String {
    if text.chars().count() > 40 {
        message.replace(text, &shorten(text))
    } else {
        message.to_string()
    }
}

fn has_time_of_day(t: &str) -> bool {
    let t = t.trim();
    t.get(..10).is_some_and(looks_like_date)
        && matches!(t.as_bytes().get(10), Some(b'T' | b't' | b' '))
}

pub(super) fn time_of_day(t: &str, span: Span, d: &Diags) -> super::DealError {
    let help = match t.get(..10) {
        Some(day) if looks_like_date(day) => format!("write the date alone: {day}"),
        _ => "write a date as YYYY-MM-DD, such as 2026-03-01".into(),
    };
    error::TimeOfDay {
        text: shorten(t),
        span,
        help,
        src: d.src(),
    }
    .into()
}
