//! Values as the reports write them: an element's label, a value, a bound, an operator, a
//! margin (`party "Dragon Motors"`, `51%`, `<`, `1 percentage point over`), and, for the human
//! report's findings, what a test requires in words (`less than 50%`) and a computed value's
//! phrase (`the total american partner stake`).

use std::cmp::Ordering;

use crate::eval::outcome::{Bound, Computed, Distance, Element, Margin, Note, Op, Reason, Shown};
use crate::eval::value::push_decimal;
use crate::number::Exact;
use crate::syntax::ast::CmpOp;
use crate::value::Scalar;

/// A user-facing label of a list element: `party "Dragon Motors"` or `plant #2`.
pub fn element(e: &Element) -> String {
    let name = e.name.as_deref();
    let mut label = String::with_capacity(e.kind.len() + name.map_or(8, str::len) + 3);
    if e.kind.contains('_') {
        label.extend(e.kind.chars().map(|c| if c == '_' { ' ' } else { c }));
    } else {
        label.push_str(&e.kind);
    }
    match name {
        Some(n) => {
            label.push_str(" \"");
            label.push_str(n);
            label.push('"');
        }
        None => {
            label.push_str(" #");
            push_decimal(&mut label, e.index + 1);
        }
    }
    label
}

/// A value for users: `51%`, `USD 3.5B`, `"CN"`, `[…]`.
pub fn shown(v: &Shown) -> String {
    match v {
        Shown::Scalar(s) => scalar(s),
        Shown::Zero => "0".into(),
        Shown::Record => "a record".into(),
        Shown::List { first, more } => {
            let items: Vec<String> = first.iter().map(shown).collect();
            let more = if *more { ", …" } else { "" };
            format!("[{}{more}]", items.join(", "))
        }
        Shown::Unknown => "unknown".into(),
    }
}

/// A scalar as its `Display` writes it, without the formatting machinery for the common kinds.
fn scalar(s: &Scalar) -> String {
    match s {
        Scalar::Number(n) => n.display(),
        Scalar::Percent(p) => {
            let mut text = String::with_capacity(32);
            p.push_display(&mut text);
            text.push('%');
            text
        }
        Scalar::Str(t) => {
            let mut text = String::with_capacity(t.len() + 2);
            text.push('"');
            text.push_str(t);
            text.push('"');
            text
        }
        Scalar::Bool(b) => (if *b { "true" } else { "false" }).into(),
        Scalar::Money(..) | Scalar::Date(_) | Scalar::Never => s.to_string(),
    }
}

pub fn bound(b: &Bound) -> String {
    match b {
        Bound::Value(v) => shown(v),
        Bound::True => "true".into(),
        Bound::Tolerance { around, tolerance } => {
            format!("{} ± {}", shown(around), shown(tolerance))
        }
    }
}

pub fn op(o: Op) -> &'static str {
    match o {
        Op::Cmp(c) => c.symbol(),
        Op::Is => "is",
        Op::In => "in",
        Op::NotIn => "not in",
        Op::Within => "within",
    }
}

/// "1 percentage point over", "USD 2M under", "at the bound".
pub fn margin(m: &Margin) -> String {
    let side = match m.side {
        Ordering::Greater => " over",
        Ordering::Less => " under",
        Ordering::Equal => return "at the bound".into(),
    };
    let mut text = distance(&m.distance);
    text.push_str(side);
    text
}

/// `1 percentage point`, `USD 2M`, `3 days`.
pub(super) fn distance(d: &Distance) -> String {
    use std::fmt::Write;
    // Room for the words after it too ([`margin`]): one allocation.
    let mut text = String::with_capacity(32);
    match d {
        Distance::Days(n) => {
            let _ = write!(text, "{n}");
            text.push_str(if *n == 1 { " day" } else { " days" });
        }
        Distance::Points(p) => {
            p.push_display(&mut text);
            text.push_str(if *p == Exact::ONE {
                " percentage point"
            } else {
                " percentage points"
            });
        }
        Distance::Money(c, m) => {
            let _ = write!(text, "{}", Scalar::Money(*c, *m));
        }
        Distance::Number(n) => n.push_display(&mut text),
    }
    text
}

/// The reason of an unknown as the JSON report names it (spec-v2-notes E: `evidence[].reason`),
/// for a note that says why a value is unknown.
pub fn reason_name(note: &Note) -> Option<&'static str> {
    let r = match note {
        Note::Unknown(r) => r,
        Note::ExemptionUnknown { inner, .. } => return reason_name(inner),
        _ => return None,
    };
    Some(match r {
        Reason::Missing { .. } | Reason::Null { .. } => "missing",
        Reason::DivisionByZero { .. } => "division-by-zero",
        Reason::Overflow => "overflow",
        Reason::NearMiss(_) => "near-miss",
        Reason::EmptyList => "empty-list",
        Reason::CurrenciesDiffer(..)
        | Reason::CannotCombine(_)
        | Reason::CannotMultiply(_)
        | Reason::CannotDivide(_)
        | Reason::CannotCompareTotal
        | Reason::CannotCompare
        | Reason::NeedsList(_)
        | Reason::NeedsSingleValues
        | Reason::NotTrueOrFalse(_) => "unit-mismatch",
        Reason::UnlistedOwners(_) => "unlisted-owners",
        Reason::JointControl(_) => "joint-control",
        Reason::OwnersOver100(o) if o.entity.is_none() => "parties-over-100",
        Reason::OwnersOver100(_) => "owners-over-100",
        Reason::OwnershipCycle(_) => "ownership-cycle",
        Reason::NoSuchEntity(_) => "unknown-entity",
        Reason::NoRow(_) => "no-row",
        Reason::NoRate(_) => "no-rate",
        Reason::MayBeOverridden(_) => "may-be-overridden",
        Reason::IsUnknown(_) | Reason::Internal(_) => "unknown",
        Reason::FractionalDuration(_) => "fractional-duration",
        Reason::DateRange(_) => "date-range",
        Reason::OutsideCalendar(_) => "outside-calendar",
        Reason::NoEvaluationDate { .. } => "missing",
    })
}

/// A computed date: `2024-07-11 + 30 days = 2024-08-10`, or without its result when it has
/// none (`2024-07-11 + 2.5 days`).
pub fn computed(c: &Computed) -> String {
    let sign = if c.back { '-' } else { '+' };
    let plural = c.amount != Exact::ONE;
    let mut text = format!(
        "{} {sign} {} {}",
        c.from,
        c.amount.display(),
        c.unit.words(plural)
    );
    if let Some(to) = c.to {
        text.push_str(&format!(" = {to}"));
    }
    text
}

/// What a test requires, in words: "less than 50%", "on or before 2026-11-01", "one of
/// ["US"]", "true".
pub fn requirement(op: Option<Op>, b: &Bound, value: Option<&Shown>) -> String {
    let b_text = bound(b);
    let date = matches!(value, Some(Shown::Scalar(Scalar::Date(_))));
    let words = match op {
        Some(Op::Cmp(c)) => match (c, date) {
            (CmpOp::Lt, false) => "less than",
            (CmpOp::Le, false) => "at most",
            (CmpOp::Gt, false) => "more than",
            (CmpOp::Ge, false) => "at least",
            (CmpOp::Lt, true) => "before",
            (CmpOp::Le, true) => "on or before",
            (CmpOp::Gt, true) => "after",
            (CmpOp::Ge, true) => "on or after",
            (CmpOp::Eq, _) => "",
            (CmpOp::Ne, _) => "anything but",
        },
        Some(Op::In) => "one of",
        Some(Op::NotIn) => "none of",
        Some(Op::Within) => "within",
        Some(Op::Is) | None => "",
    };
    if words.is_empty() {
        b_text
    } else {
        format!("{words} {b_text}")
    }
}

/// A value the policy computes, named by its phrase in words: "the total american partner
/// stake". A phrase that holds the language's syntax (a filter, an operator) is not quoted:
/// "the total", or "the value the rule computes".
pub fn phrase(subject: &str) -> String {
    let mut words = subject.trim();
    while let Some(inner) = words.strip_prefix('(').and_then(|w| w.strip_suffix(')')) {
        if !balanced(inner) {
            break;
        }
        words = inner.trim();
    }
    if !words.contains(['(', ')', '=', '<', '>', '[', ']', '"', '+', '*', '/', '`']) {
        return format!("the {words}");
    }
    match words.split_whitespace().next() {
        Some(w @ ("total" | "count" | "average" | "max" | "min")) => format!("the {w}"),
        _ => "the value the rule computes".into(),
    }
}

/// Whether a clause of the policy reads as words (`waivers contains "US-CONTROL"`), without
/// the language's operators and brackets (`sector = "automotive"`).
pub fn reads_as_words(clause: &str) -> bool {
    !clause.contains(['(', ')', '=', '<', '>', '[', ']', '+', '*', '/', '`'])
}

/// Whether every `(` of `text` is closed in order.
fn balanced(text: &str) -> bool {
    let mut depth = 0usize;
    for c in text.chars() {
        match c {
            '(' => depth += 1,
            ')' => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => return false,
            },
            _ => {}
        }
    }
    depth == 0
}
