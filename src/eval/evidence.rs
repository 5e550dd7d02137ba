//! Facts → evidence for users (SPEC §3.3), and the help line that says how to fix a failure.

use std::cmp::Ordering;

use crate::deal::tree::Deal;
use crate::syntax::ast::CmpOp;

use super::expr::{Bound, Fact, TestFact};
use super::outcome::{DealLocation, Evidence};
use super::value::{display, distance, item_label, origin_path, Val};
use crate::schema::Schema;
use crate::source::Span;

fn location(deal: &Deal, span: Option<crate::source::Span>) -> Option<DealLocation> {
    span.map(|span| {
        let (line, column) = deal.line_col(span);
        DealLocation { span, line, column }
    })
}

/// Where a value came from, for users: its element label, deal path and span.
fn origin_of(schema: &Schema, v: &Val<'_>) -> (Option<String>, Option<String>, Option<Span>) {
    match v {
        Val::Scalar(_, o) | Val::Record(_, o) => (
            o.item.map(|i| item_label(schema, &i)),
            origin_path(o),
            o.span,
        ),
        _ => (None, None, None),
    }
}

fn bound_text(b: &Bound<'_>) -> String {
    match b {
        Bound::Val(v) => display(v),
        Bound::Text(t) => t.clone(),
    }
}

/// The distance of a failed ordered test from its bound, and on which side the value is.
fn margin_of(t: &TestFact<'_>) -> Option<(String, Ordering)> {
    match (&t.bound, t.cmp) {
        (Bound::Val(b), Some(_)) => distance(&t.value, b),
        _ => None,
    }
}

/// Evidence of the facts that decided an outcome; `want_held` keeps only tests that did (or
/// did not) hold.
pub fn evidence(
    schema: &Schema,
    deal: &Deal,
    facts: &[Fact<'_>],
    want_held: Option<bool>,
) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = Vec::new();
    for f in facts {
        let ev = match f {
            Fact::Test(t) => {
                if want_held.is_some_and(|w| w != t.held) {
                    continue;
                }
                let (element, path, span) = origin_of(schema, &t.value);
                let value = display(&t.value);
                let bound = bound_text(&t.bound);
                let who = element
                    .as_ref()
                    .map(|e| format!(" for {e}"))
                    .unwrap_or_default();
                let verb = if t.held { "" } else { "not " };
                let note = format!("`{}` is {value}{who}, {verb}{} {bound}", t.subject, t.op);
                Evidence {
                    element,
                    path,
                    value: Some(value),
                    bound: Some(bound),
                    op: Some(t.op.to_string()),
                    margin: margin_of(t).map(|(m, ord)| margin_text(&m, ord)),
                    note,
                    location: location(deal, span),
                }
            }
            Fact::Part { subject, value } => {
                let (element, path, span) = origin_of(schema, value);
                // A value already shown by a test needs no second label.
                if span.is_some()
                    && out
                        .iter()
                        .any(|e| e.location.as_ref().map(|l| l.span) == span)
                {
                    continue;
                }
                let shown = display(value);
                let who = element
                    .as_ref()
                    .map(|e| format!(" for {e}"))
                    .unwrap_or_default();
                Evidence {
                    element,
                    path,
                    value: Some(shown.clone()),
                    bound: None,
                    op: None,
                    margin: None,
                    note: format!("`{subject}` is {shown}{who}"),
                    location: location(deal, span),
                }
            }
            Fact::Unknown(w) => Evidence {
                element: w.element.clone(),
                path: w.path.clone(),
                value: None,
                bound: None,
                op: None,
                margin: None,
                note: match &w.element {
                    Some(e) => format!("{} for {e}", w.note),
                    None => w.note.clone(),
                },
                location: location(deal, w.span),
            },
            Fact::Note(n) => Evidence {
                element: None,
                path: None,
                value: None,
                bound: None,
                op: None,
                margin: None,
                note: n.clone(),
                location: None,
            },
        };
        if !out.contains(&ev) {
            out.push(ev);
        }
    }
    out
}

fn margin_text(m: &str, ord: Ordering) -> String {
    match ord {
        Ordering::Greater => format!("{m} over"),
        Ordering::Less => format!("{m} under"),
        Ordering::Equal => "at the bound".into(),
    }
}

/// "reduce Dragon Motors' stake by more than 1 percentage point", from the first failing
/// ordered comparison.
pub fn fix_help(schema: &Schema, facts: &[Fact<'_>]) -> Option<String> {
    facts.iter().find_map(|f| {
        let Fact::Test(t) = f else { return None };
        let (false, Some(op)) = (t.held, t.cmp) else {
            return None;
        };
        let (m, ord) = margin_of(t)?;
        let (element, path, _) = origin_of(schema, &t.value);
        let bound = bound_text(&t.bound);
        let field = path
            .as_deref()
            .and_then(|p| p.rsplit('.').next())
            .map(|f| {
                f.trim_end_matches(|c: char| c == ']' || c.is_ascii_digit())
                    .trim_end_matches('[')
            })
            .map(|f| f.replace('_', " "));
        let what = match (element, field) {
            (Some(e), Some(f)) => format!("{} {f}", possessive(&e)),
            (None, Some(f)) if !f.is_empty() => format!("the {f}"),
            _ => format!("`{}`", t.subject),
        };
        let at_bound = ord == Ordering::Equal;
        let text = match op {
            CmpOp::Lt if at_bound => format!("reduce {what} below {bound}"),
            CmpOp::Lt => format!("reduce {what} by more than {m}"),
            CmpOp::Le => format!("reduce {what} by at least {m}"),
            CmpOp::Gt if at_bound => format!("raise {what} above {bound}"),
            CmpOp::Gt => format!("raise {what} by more than {m}"),
            CmpOp::Ge => format!("raise {what} by at least {m}"),
            _ => return None,
        };
        Some(text)
    })
}

/// `party "Dragon Motors"` → `Dragon Motors'`; `plant #2` → `plant #2'`.
fn possessive(element: &str) -> String {
    let name = match (element.find('"'), element.rfind('"')) {
        (Some(a), Some(b)) if b > a => element.get(a + 1..b).unwrap_or(element).to_string(),
        _ => element.to_string(),
    };
    if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}
