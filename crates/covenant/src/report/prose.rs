//! Every sentence a report gives about a rule's outcome, written from the evaluator's facts:
//! the one-line message, the evidence notes, values, bounds, margins and the help line that
//! says how to fix a failure. Evaluation gives structured facts only (`eval::outcome`).

use std::borrow::Cow;

use crate::eval::outcome::{
    Bound, Element, Evidence, Fix, Help, Internal, Limit, Message, NeedsList, Note, Op, Reason,
    RuleResult, Shown, Vacuous, ELEMENTS_SHOWN,
};
use crate::value::Scalar;

use super::dates;
use super::holdings;
use super::words::distance;
pub use super::words::{bound, element, margin, op, shown};

/// A rule result's one line.
pub fn result_message(r: &RuleResult) -> Cow<'static, str> {
    message(&r.message, &r.evidence, r.exempt.as_deref())
}

/// The one line of a rule's outcome; `evidence` and `exempt` are its result's.
pub fn message(m: &Message, evidence: &[Evidence], exempt: Option<&str>) -> Cow<'static, str> {
    let text = match m {
        Message::Holds => return Cow::Borrowed("holds"),
        Message::WhenUnknown => {
            return Cow::Borrowed(
                "cannot tell whether the rule applies: a `when` condition is unknown",
            )
        }
        Message::Pending => return Cow::Borrowed(""),
        Message::Overridden(by) => super::status::overridden(by),
        Message::MayBeOverridden(m) => super::status::may_be_overridden(m),
        Message::HoldsVacuously(v) => vacuous(v),
        Message::Exempt => format!("exempt: `{}` holds", exempt.unwrap_or_default()),
        Message::Waived(w) => format!("exempt: {}", super::waiver::approval(w)),
        Message::NoDate { window, field } => format!(
            "the rule is in effect {}, and the deal has no `{field}`",
            dates::window_text(window)
        ),
        Message::DateUnknown { window, date } => {
            let why = evidence.first().map(note).unwrap_or_default();
            format!(
                "the rule is in effect {}, and the date it tests, `{date}`, is unknown: {why}",
                dates::window_text(window)
            )
        }
        Message::NotInEffect {
            on,
            as_of,
            window,
            tested,
        } => dates::not_in_effect(*on, *as_of, window, tested.as_deref()),
        Message::WhenFalse(clause) => {
            let mut text = String::with_capacity(40 + clause.as_ref().map_or(0, |c| c.len()));
            text.push_str("not applicable: ");
            match clause {
                Some(c) => {
                    text.push('`');
                    text.push_str(c);
                    text.push('`');
                }
                None => text.push_str("a `when` condition"),
            }
            text.push_str(" is false");
            text
        }
        Message::DoesNotHold(clauses) => {
            let words = clauses.iter().map(|c| c.len() + 7).sum::<usize>();
            let mut text = String::with_capacity(words + " does not hold".len());
            for c in clauses {
                if !text.is_empty() {
                    text.push_str(" and ");
                }
                text.push('`');
                text.push_str(c);
                text.push('`');
            }
            text.push_str(" does not hold");
            text
        }
        Message::CannotDecide { because } => match because.and_then(|i| evidence.get(i)) {
            Some(e) => format!("cannot decide: {}", note(e)),
            None => "cannot decide: the deal lacks data the rule needs".into(),
        },
    };
    Cow::Owned(text)
}

/// The words of a piece of evidence's element, value and bound, each written once: for its
/// note and for the report's fields.
pub struct Parts {
    pub element: Option<String>,
    pub value: Option<String>,
    pub bound: Option<String>,
}

pub fn parts(e: &Evidence) -> Parts {
    parts_after(e, None)
}

/// [`parts`] of `e`, the bound's words copied from `before` (the evidence before it in its
/// list, with its parts) when the two bounds are the same: the elements of a list tested
/// against one bound have it worked out once.
pub fn parts_after(e: &Evidence, before: Option<(&Evidence, &Parts)>) -> Parts {
    let bound = match (before, &e.bound) {
        (Some((b, p)), Some(x)) if b.bound.as_ref() == Some(x) => p.bound.clone(),
        _ => e.bound.as_ref().map(bound),
    };
    Parts {
        element: e.element.as_ref().map(element),
        value: e.value.as_ref().map(shown),
        bound,
    }
}

/// The sentence of a piece of evidence: "`stake` is 51% for party "Dragon Motors", not < 50%".
pub fn note(e: &Evidence) -> String {
    note_with(e, &parts(e))
}

/// [`note`], from the evidence's [`parts`].
pub fn note_with(e: &Evidence, p: &Parts) -> String {
    note_of(&e.note, e, p)
}

fn note_of(n: &Note, e: &Evidence, p: &Parts) -> String {
    match n {
        Note::Test { subject, held } => test_note(subject, *held, e, p),
        Note::Part { subject } => {
            let value = p.value.as_deref().unwrap_or_default();
            let mut text = joined(&["`", subject, "` is ", value]);
            push_for(&mut text, p.element.as_deref());
            text
        }
        Note::Presence { field, absent } => {
            let state = if *absent { "missing" } else { "present" };
            let mut text = joined(&["`", field, "` is ", state]);
            push_for(&mut text, p.element.as_deref());
            text
        }
        Note::Unknown(r) => {
            let mut text = reason(r);
            if !names_its_element(r) {
                push_for(&mut text, p.element.as_deref());
            }
            text
        }
        Note::Vacuous(v) => vacuous(v),
        Note::NoneMatches { item } => joined(&["no ", item, " matches"]),
        Note::Counted { item, sure, maybe } => {
            let mut text = format!("{sure} {item} match");
            if *maybe > 0 {
                text.push_str(&format!(", {maybe} may match"));
            }
            text
        }
        Note::More { of } => {
            let mut within = String::new();
            push_for(&mut within, p.element.as_deref());
            format!(
                "and {} more of `{of}`{within} (evidence is shown for the first {ELEMENTS_SHOWN})",
                e.more.unwrap_or(0)
            )
        }
        Note::NoDate { field } => format!(
            "`{field}` is missing: give the deal a {} or pass --as-of",
            field.replace('_', " ")
        ),
        Note::ComputedDate { subject, computed } => {
            format!("`{subject}` is {}", dates::computed(computed))
        }
        Note::NotCovered { approval, parties } => {
            let parties = parties.join(", ");
            format!(
                "{approval} is limited to {parties} and does not exempt: the rule does not hold \
                 even with {parties} counted as meeting its tests"
            )
        }
        Note::ExemptionUnknown { clause, inner } => format!(
            "exemption `{clause}` is unknown, so it does not apply: {}",
            note_of(inner, e, p)
        ),
        Note::LookThrough(l) => holdings::look_through(l, p.element.as_deref()),
        Note::Controller(c) => holdings::controller(c),
        Note::Group(g) => holdings::group(g),
        Note::TableRow(t) => super::tables::row(t),
        Note::Conversion(c) => super::conversion::conversion(c, p.element.as_deref()),
        Note::Overridden(by) => super::status::overridden(by),
    }
}

/// [`note`] as lines: one per path for a look-through, else the one line.
pub fn note_lines(e: &Evidence) -> Vec<String> {
    match &e.note {
        Note::LookThrough(l) => {
            let element = e.element.as_ref().map(element);
            holdings::look_through_lines(l, element.as_deref())
        }
        _ => vec![note(e)],
    }
}

/// `{subject}` is {value}[ for {element}][, [not ]{op} {bound}]
fn test_note(subject: &str, held: bool, e: &Evidence, p: &Parts) -> String {
    let value = p.value.as_deref().unwrap_or_default();
    let element = p.element.as_deref();
    let bound = p.bound.as_deref().unwrap_or_default();
    let mut text = String::with_capacity(
        subject.len()
            + value.len()
            + element.as_ref().map_or(0, |e| e.len() + 5)
            + bound.len()
            + 20,
    );
    text.push('`');
    text.push_str(subject);
    text.push_str("` is ");
    text.push_str(value);
    if let Some(el) = element {
        text.push_str(" for ");
        text.push_str(el);
    }
    // A yes/no value against `true` or `false` says all by itself: "`legacy` is false",
    // never "is false, not is true" (nor, under `not`, "is true, is true").
    if !yes_no_test(e) {
        text.push_str(if held { ", " } else { ", not " });
        text.push_str(e.op.map_or("", op));
        text.push(' ');
        text.push_str(bound);
    }
    text
}

/// A test of a yes/no value against `true` or `false`, by `is`, `=` or `!=`.
fn yes_no_test(e: &Evidence) -> bool {
    let yes_no = |v: &Shown| matches!(v, Shown::Scalar(Scalar::Bool(_)));
    let bool_bound = match &e.bound {
        Some(Bound::Value(v)) => yes_no(v),
        Some(Bound::True) => true,
        _ => false,
    };
    e.value.as_ref().is_some_and(yes_no)
        && bool_bound
        && matches!(
            e.op,
            Some(Op::Is | Op::Cmp(crate::syntax::ast::CmpOp::Eq | crate::syntax::ast::CmpOp::Ne))
        )
}

fn push_for(text: &mut String, element: Option<&str>) {
    if let Some(el) = element {
        text.push_str(" for ");
        text.push_str(el);
    }
}

/// Why a value is unknown, and for which element: "`stake` is missing for party "Acme"".
pub fn unknown(r: &Reason, element: Option<&Element>) -> String {
    let mut text = reason(r);
    if !names_its_element(r) {
        push_for(&mut text, element.map(self::element).as_deref());
    }
    text
}

/// Whether the words of `r` name the entity it is about already ("the owners of Northern
/// Auto HK add up to 60% …").
fn names_its_element(r: &Reason) -> bool {
    matches!(
        r,
        Reason::UnlistedOwners(_)
            | Reason::JointControl(_)
            | Reason::OwnersOver100(_)
            | Reason::OwnershipCycle(_)
            | Reason::NoSuchEntity(_)
            | Reason::MayBeOverridden(_)
    )
}

pub fn vacuous(v: &Vacuous) -> String {
    match v {
        Vacuous::NoItems(item) => format!("holds vacuously: no {item}"),
        Vacuous::Empty(subject) => format!("holds vacuously: `{subject}` is empty"),
    }
}

/// Why a value is unknown.
pub fn reason(r: &Reason) -> String {
    let kind = |v: &Shown| match v {
        Shown::Scalar(s) => s.type_name(),
        other => shown(other),
    };
    match r {
        Reason::Missing { field } => format!("`{field}` is missing"),
        Reason::Null { field } => format!("`{field}` is null"),
        Reason::DivisionByZero { divisor: Some(d) } => {
            format!("division by zero: `{}` is {}", d.0, shown(&d.1))
        }
        Reason::DivisionByZero { divisor: None } => "division by zero".into(),
        Reason::Overflow => "the numbers are too large to compute exactly (overflow)".into(),
        Reason::NearMiss(m) => format!(
            "near miss: \"{}\" differs from the policy's \"{}\" only in case or surrounding white space",
            m.0, m.1
        ),
        Reason::CurrenciesDiffer(c, d) => {
            format!("cannot combine {c} with {d}: the currencies differ")
        }
        Reason::CannotCombine(p) => format!("cannot combine {} with {}", kind(&p.0), kind(&p.1)),
        Reason::CannotMultiply(p) => format!("cannot multiply {} by {}", kind(&p.0), kind(&p.1)),
        Reason::CannotDivide(p) => format!("cannot divide {} by {}", kind(&p.0), kind(&p.1)),
        Reason::CannotCompareTotal => "cannot compare a total with this value".into(),
        Reason::CannotCompare => "cannot compare these values".into(),
        Reason::NeedsList(NeedsList::Membership) => "membership needs a list".into(),
        Reason::NeedsList(NeedsList::Quantifier) => "a quantifier needs a list".into(),
        Reason::NeedsList(NeedsList::Aggregate) => "an aggregate needs a list".into(),
        Reason::EmptyList => "empty list".into(),
        Reason::NeedsSingleValues => "arithmetic needs single values".into(),
        Reason::NotTrueOrFalse(e) => format!("`{e}` is not true or false"),
        Reason::IsUnknown(e) => format!("`{e}` is unknown"),
        Reason::UnlistedOwners(u) => {
            holdings::unlisted_owners(u.entity.as_deref(), &u.measure, u.listed)
        }
        Reason::JointControl(j) => holdings::joint_control(&j.entity, &j.by.0, &j.by.1),
        Reason::OwnersOver100(o) => holdings::over_100(o.entity.as_deref(), &o.measure, o.total),
        Reason::OwnershipCycle(entity) => format!("the owners of {entity} form a cycle"),
        Reason::NoSuchEntity(name) => format!("\"{name}\" names no entity of the deal"),
        Reason::FractionalDuration(_)
        | Reason::DateRange(_)
        | Reason::OutsideCalendar(_)
        | Reason::NoEvaluationDate { .. } => super::dates::reason(r),
        Reason::NoRow(n) => super::tables::no_row(n),
        Reason::NoRate(n) => super::conversion::no_rate(n),
        Reason::MayBeOverridden(by) => super::status::may_override(by),
        Reason::Internal(i) => match i {
            Internal::UnknownDefinition => {
                "internal error: unknown definition (please report this bug)".into()
            }
            Internal::NoCurrentItem => "internal error: no current item".into(),
            Internal::ItemOutOfScope => "internal error: item out of scope".into(),
            Internal::StepOnScalar => {
                "internal error: a step on a value with no fields (please report this bug)".into()
            }
            Internal::TableRows => {
                "internal error: two rows of a table match (please report this bug)".into()
            }
            Internal::BadConversion => {
                "internal error: a conversion of a value of the wrong kind (please report this bug)"
                    .into()
            }
        },
    }
}

/// A result's help line, when it has one.
pub fn result_help(r: &RuleResult) -> Option<String> {
    r.help.as_ref().map(help)
}

pub fn help(h: &Help) -> String {
    match h {
        Help::Fix(fix) => fix_help(fix),
        Help::Rule(text) => text.to_string(),
    }
}

/// "reduce Dragon Motors' stake by more than 1 percentage point".
fn fix_help(f: &Fix) -> String {
    fix_with(f, &fix_what(f))
}

/// What a fix moves: "Dragon Motors' stake", "the board seats", "`total party stake`".
fn fix_what(f: &Fix) -> String {
    // The fields below the element, if any (`board.seats` → `board seats`).
    // A path to an element itself (a value computed for it, such as a look-through into a
    // party) names no field.
    let field = f
        .path
        .as_deref()
        .filter(|p| !p.ends_with(']'))
        .map(|p| match p.rsplit_once("].") {
            Some((_, fields)) => fields,
            None => p
                .trim_end_matches(|c: char| c == ']' || c.is_ascii_digit())
                .trim_end_matches('['),
        })
        .map(|f| f.replace(['_', '.'], " "));
    match (&f.element, field) {
        (Some(e), Some(field)) => joined(&[&possessive(&element(e)), " ", &field]),
        (None, Some(field)) if !field.is_empty() => joined(&["the ", &field]),
        (Some(e), None) => joined(&["`", &f.subject, "` for ", &element(e)]),
        _ => joined(&["`", &f.subject, "`"]),
    }
}

/// The fix of a failing comparison, said of `what` ("reduce it below 50%").
pub fn fix_with(f: &Fix, what: &str) -> String {
    let m = distance(&f.distance);
    // A date moves earlier or later; it is not reduced or raised.
    if let crate::eval::outcome::Distance::Days(_) = f.distance {
        return match f.limit {
            Limit::Below if f.at_bound => joined(&["move ", what, " before ", &bound(&f.bound)]),
            Limit::Below => joined(&["move ", what, " more than ", &m, " earlier"]),
            Limit::AtMost => joined(&["move ", what, " at least ", &m, " earlier"]),
            Limit::Above if f.at_bound => joined(&["move ", what, " after ", &bound(&f.bound)]),
            Limit::Above => joined(&["move ", what, " more than ", &m, " later"]),
            Limit::AtLeast => joined(&["move ", what, " at least ", &m, " later"]),
        };
    }
    match f.limit {
        Limit::Below if f.at_bound => joined(&["reduce ", what, " below ", &bound(&f.bound)]),
        Limit::Below => joined(&["reduce ", what, " by more than ", &m]),
        Limit::AtMost => joined(&["reduce ", what, " by at least ", &m]),
        Limit::Above if f.at_bound => joined(&["raise ", what, " above ", &bound(&f.bound)]),
        Limit::Above => joined(&["raise ", what, " by more than ", &m]),
        Limit::AtLeast => joined(&["raise ", what, " by at least ", &m]),
    }
}

/// `parts` one after the other, in one allocation of their length: what `format!` of the same
/// strings writes, without the formatting machinery (about 700 instructions a sentence).
pub(super) fn joined(parts: &[&str]) -> String {
    let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        text.push_str(part);
    }
    text
}

/// `party "Dragon Motors"` → `Dragon Motors'`; `plant #2` → `plant #2'`.
pub(super) fn possessive(element: &str) -> String {
    let name = match (element.find('"'), element.rfind('"')) {
        (Some(a), Some(b)) if b > a => element.get(a + 1..b).unwrap_or(element),
        _ => element,
    };
    joined(&[name, if name.ends_with('s') { "'" } else { "'s" }])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    use super::*;

    #[test]
    fn elements_left_out_are_counted_in_one_note() {
        let more = Evidence {
            more: Some(3),
            ..Evidence::note(Note::More { of: "party".into() })
        };
        assert_eq!(
            note(&more),
            "and 3 more of `party` (evidence is shown for the first 10)"
        );
    }

    fn tested(name: &str, kind: &str, value: i128, bound: (i128, i128)) -> Evidence {
        let percent = |n, d| {
            Shown::Scalar(Scalar::Percent(
                crate::number::Exact::from_int(n)
                    .checked_div(crate::number::Exact::from_int(d))
                    .unwrap(),
            ))
        };
        Evidence {
            element: Some(Element {
                kind: kind.into(),
                name: Some(name.into()),
                index: 0,
            }),
            value: Some(percent(value, 1)),
            bound: Some(Bound::Value(percent(bound.0, bound.1))),
            op: Some(Op::Cmp(crate::syntax::ast::CmpOp::Eq)),
            ..Evidence::note(Note::Test {
                subject: "profit share".into(),
                held: false,
            })
        }
    }

    /// The words of a list's evidence are each item's own, its bound's included, whether
    /// worked out or copied from the item before it (the same bound); a kind written with `_`
    /// reads with a space.
    #[test]
    fn each_item_of_a_list_has_the_words_of_its_own_bound() {
        let list = [
            tested("A", "party", 34, (100, 3)),
            tested("B", "party", 33, (100, 3)),
            tested("C", "data_set", 60, (50, 1)),
            tested("D", "data_set", 40, (50, 1)),
        ];
        let mut before: Option<(&Evidence, Parts)> = None;
        let mut notes = Vec::new();
        for e in &list {
            let parts = parts_after(e, before.as_ref().map(|(b, p)| (*b, p)));
            let alone = super::parts(e);
            assert_eq!(
                (&parts.element, &parts.value, &parts.bound),
                (&alone.element, &alone.value, &alone.bound)
            );
            notes.push(note_with(e, &parts));
            before = Some((e, parts));
        }
        assert_eq!(
            notes,
            [
                "`profit share` is 34% for party \"A\", not = ≈33.3333%",
                "`profit share` is 33% for party \"B\", not = ≈33.3333%",
                "`profit share` is 60% for data set \"C\", not = 50%",
                "`profit share` is 40% for data set \"D\", not = 50%",
            ]
        );
    }

    /// The help of every kind of fix, in days and otherwise, at the bound and not; what it
    /// moves named by an element and a field, a field alone, an element alone, or the
    /// subject; a name ending in `s` (`Acme Motors'`) and one not (`Acme's`).
    #[test]
    fn every_fix_has_its_words() {
        use crate::eval::outcome::{Distance, Fix, Limit};
        let party = |name: &str| Element {
            kind: "party".into(),
            name: Some(name.into()),
            index: 0,
        };
        let fix = |limit, distance, at_bound, element: Option<Element>, path: Option<&str>| Fix {
            limit,
            subject: "total party stake".into(),
            element,
            path: path.map(String::from),
            distance,
            at_bound,
            bound: Bound::Value(Shown::Scalar(Scalar::Percent(
                crate::number::Exact::from_int(50),
            ))),
        };
        let points = || Distance::Points(crate::number::Exact::from_int(2));
        // Each limit, at the bound and not: in points, of a party's stake; in days, of the
        // subject.
        let (acme, days) = ("Acme's stake", "`total party stake`");
        let all = [
            (Limit::Below, true, acme, "reduce Acme's stake below 50%"),
            (
                Limit::Below,
                false,
                acme,
                "reduce Acme's stake by more than 2 percentage points",
            ),
            (
                Limit::AtMost,
                false,
                acme,
                "reduce Acme's stake by at least 2 percentage points",
            ),
            (Limit::Above, true, acme, "raise Acme's stake above 50%"),
            (
                Limit::Above,
                false,
                acme,
                "raise Acme's stake by more than 2 percentage points",
            ),
            (
                Limit::AtLeast,
                false,
                acme,
                "raise Acme's stake by at least 2 percentage points",
            ),
            (
                Limit::Below,
                true,
                days,
                "move `total party stake` before 50%",
            ),
            (
                Limit::Below,
                false,
                days,
                "move `total party stake` more than 3 days earlier",
            ),
            (
                Limit::AtMost,
                false,
                days,
                "move `total party stake` at least 3 days earlier",
            ),
            (
                Limit::Above,
                true,
                days,
                "move `total party stake` after 50%",
            ),
            (
                Limit::Above,
                false,
                days,
                "move `total party stake` more than 3 days later",
            ),
            (
                Limit::AtLeast,
                false,
                days,
                "move `total party stake` at least 3 days later",
            ),
        ];
        for (limit, at_bound, what, words) in all {
            let f = match what == acme {
                true => fix(
                    limit,
                    points(),
                    at_bound,
                    Some(party("Acme")),
                    Some("parties[0].stake"),
                ),
                false => fix(limit, Distance::Days(3), at_bound, None, None),
            };
            assert_eq!(help(&Help::Fix(Box::new(f))), words);
        }
        let named = [
            (
                Some(party("Acme Motors")),
                Some("parties[1].board_seats"),
                "Acme Motors' board seats",
            ),
            (None, Some("board.seats"), "the board seats"),
            (
                Some(party("Acme")),
                Some("parties[0]"),
                "`total party stake` for party \"Acme\"",
            ),
            (None, None, "`total party stake`"),
        ];
        for (element, path, what) in named {
            let f = fix(Limit::AtLeast, points(), false, element, path);
            assert_eq!(
                help(&Help::Fix(Box::new(f))),
                format!("raise {what} by at least 2 percentage points")
            );
        }
        let part = |note| Evidence {
            element: Some(party("Acme")),
            value: Some(Shown::Scalar(Scalar::Bool(true))),
            ..Evidence::note(note)
        };
        let notes = [
            (
                Note::Part {
                    subject: "stake".into(),
                },
                "`stake` is true for party \"Acme\"",
            ),
            (
                Note::Presence {
                    field: "stake".into(),
                    absent: true,
                },
                "`stake` is missing for party \"Acme\"",
            ),
            (
                Note::Presence {
                    field: "stake".into(),
                    absent: false,
                },
                "`stake` is present for party \"Acme\"",
            ),
            (
                Note::NoneMatches {
                    item: "party".into(),
                },
                "no party matches",
            ),
        ];
        for (n, words) in notes {
            assert_eq!(note(&part(n)), words);
        }
    }
}
