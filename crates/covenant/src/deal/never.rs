//! An approval's `expires` (SPEC §10): a date, or the word `never` for an approval that does
//! not expire, read as [`Scalar::Never`]. Any other text is `covenant::deal::bad-date`, with a
//! help that offers `never`.

use super::doc::{Doc, DocKind, Lit};
use super::error::Diags;
use super::tree::{Node, NodeValue};
use super::validate::{date, time_of_day};
use crate::value::Scalar;

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
