//! A rule's window on its evaluation date (SPEC §3.1 step 1, §9): not applicable outside it,
//! incomplete when the date it tests is unknown, naming that date's field.

use std::rc::Rc;
use std::sync::Arc;

use jiff::civil::Date;

use crate::resolve::ir::{Base, ExprKind as K, Rule, Window};

use super::evidence;
use super::expr::Evaluator;
use super::note::{Note, Reason};
use super::outcome::{Evidence, Message, Outcome, RuleResult, Tested};
use super::value::Why;
use super::{in_window, result, InWindow, Source};

/// The outcome the window decides, if it decides one: `date` is the rule's evaluation date
/// (or why it is unknown), `as_of` whether it is `--as-of`.
pub(super) fn outcome<'d, E: Source<'d>>(
    ev: &mut E,
    rule: &Rule,
    window: Window,
    date: &Result<Date, Rc<Why>>,
    as_of: bool,
) -> Option<RuleResult> {
    match (date, in_window(window, date.as_ref().ok().copied())) {
        (Err(why), _) => Some(unknown_date(ev.ev(), rule, window, why)),
        (Ok(_), InWindow::Outside(on)) => {
            let message = not_in_effect(rule, window, on, as_of);
            let mut r = result(Outcome::NotApplicable, message);
            // A computed date shows how it was computed (`2024-07-11 - 30 days = …`).
            if let (Some(on), false) = (&rule.on, as_of) {
                let ev = ev.ev();
                let facts = ev.date_facts(on);
                r.evidence =
                    evidence::evidence_at(&ev.policy.schema, &mut ev.locator, &facts, None);
            }
            Some(r)
        }
        _ => None,
    }
}

/// The message of a rule whose window does not hold `on` its evaluation date (`as_of`: the
/// `--as-of` date): with what the window tests when that is not the deal's `date`.
pub(crate) fn not_in_effect(rule: &Rule, window: Window, on: Date, as_of: bool) -> Message {
    let tested = if as_of {
        None
    } else {
        tested(rule).map(Box::new)
    };
    Message::NotInEffect {
        on,
        as_of,
        window,
        tested,
    }
}

/// The date the window tests is unknown: `incomplete`, naming its missing field, or saying
/// why the date it computes is unknown.
fn unknown_date(ev: &mut Evaluator<'_>, rule: &Rule, window: Window, why: &Why) -> RuleResult {
    let location = ev.locator.locate(why.span);
    let place = |note: Note| Evidence {
        element: why.element.clone(),
        path: why.path.as_deref().map(String::from),
        location: location.clone(),
        ..Evidence::note(note)
    };
    match &why.reason {
        Reason::Missing { field } | Reason::Null { field } => {
            let mut r = result(
                Outcome::Incomplete,
                Message::NoDate {
                    window,
                    field: field.clone(),
                },
            );
            r.evidence.push(place(Note::NoDate {
                field: field.clone(),
            }));
            r
        }
        reason => {
            let date: Arc<str> = rule.on.as_ref().map_or("date".into(), |e| e.text.clone());
            let mut r = result(Outcome::Incomplete, Message::DateUnknown { window, date });
            r.evidence.push(place(Note::Unknown(reason.clone())));
            r
        }
    }
}

/// What the window tests when it is not the deal's `date`: a field of the deal, or a date
/// computed from one.
fn tested(rule: &Rule) -> Option<Tested> {
    let on = rule.on.as_ref()?;
    Some(match &on.kind {
        K::Path {
            base: Base::Root,
            steps,
        } if steps.len() == 1 => {
            Tested::Field(steps.first().map_or("".into(), |s| (*s.name).into()))
        }
        _ => Tested::Computed(on.text.clone()),
    })
}
