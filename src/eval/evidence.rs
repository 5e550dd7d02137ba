//! Facts → evidence for users (SPEC §3.3), and the help line that says how to fix a failure.

use std::cmp::Ordering;

use crate::deal::tree::Deal;
use crate::syntax::ast::CmpOp;

use super::expr::Fact;
use super::outcome::{DealLocation, Evidence};

fn location(deal: &Deal, span: Option<crate::source::Span>) -> Option<DealLocation> {
    span.map(|span| {
        let (line, column) = deal.line_col(span);
        DealLocation { span, line, column }
    })
}

/// Evidence of the facts that decided an outcome; `failing` keeps only tests that did not hold.
pub fn evidence(deal: &Deal, facts: &[Fact], want_held: Option<bool>) -> Vec<Evidence> {
    let mut out: Vec<Evidence> = Vec::new();
    for f in facts {
        let ev = match f {
            Fact::Test {
                subject,
                element,
                path,
                span,
                value,
                op,
                bound,
                held,
                margin,
                ..
            } => {
                if want_held.is_some_and(|w| w != *held) {
                    continue;
                }
                let who = element
                    .as_ref()
                    .map(|e| format!(" for {e}"))
                    .unwrap_or_default();
                let verb = if *held { "" } else { "not " };
                let note = format!("`{subject}` is {value}{who}, {verb}{op} {bound}");
                Evidence {
                    element: element.clone(),
                    path: path.clone(),
                    value: Some(value.clone()),
                    bound: Some(bound.clone()),
                    op: Some(op.clone()),
                    margin: margin.as_ref().map(|(m, ord)| margin_text(m, *ord)),
                    note,
                    location: location(deal, *span),
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
            Fact::Part {
                subject,
                element,
                path,
                span,
                value,
            } => {
                let who = element
                    .as_ref()
                    .map(|e| format!(" for {e}"))
                    .unwrap_or_default();
                Evidence {
                    element: element.clone(),
                    path: path.clone(),
                    value: Some(value.clone()),
                    bound: None,
                    op: None,
                    margin: None,
                    note: format!("`{subject}` is {value}{who}"),
                    location: location(deal, *span),
                }
            }
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
pub fn fix_help(facts: &[Fact]) -> Option<String> {
    facts.iter().find_map(|f| {
        let Fact::Test {
            subject,
            element,
            path,
            held: false,
            margin: Some((m, ord)),
            cmp: Some(op),
            bound,
            ..
        } = f
        else {
            return None;
        };
        let field = path
            .as_deref()
            .and_then(|p| p.rsplit('.').next())
            .map(|f| {
                f.trim_end_matches(|c: char| c == ']' || c.is_ascii_digit())
                    .trim_end_matches('[')
            })
            .map(|f| f.replace('_', " "));
        let what = match (element, field) {
            (Some(e), Some(f)) => format!("{} {f}", possessive(e)),
            (None, Some(f)) if !f.is_empty() => format!("the {f}"),
            _ => format!("`{subject}`"),
        };
        let at_bound = *ord == Ordering::Equal;
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
