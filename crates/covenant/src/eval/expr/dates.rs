//! Dates (SPEC §9): a date moved by a duration, the days between two dates, the year of a
//! date, the evaluation date; and the evidence of a computed date
//! (`2024-07-11 + 30 days = 2024-08-10`).

use std::rc::Rc;

use jiff::civil::Date;

use crate::dates::{self, ShiftError};
use crate::number::Exact;
use crate::resolve::ir::{DateShift, Expr, ExprKind as K};
use crate::value::Scalar;

use super::super::note::{Computed, Reason};
use super::super::value::{unknown, why, Elem, Origin, Val, Why};
use super::collect::{Collect, Facts};
use super::fact::Fact;
use super::Evaluator;

impl<'d> Evaluator<'d> {
    /// Evaluate the next rule on `date`, its evaluation date (`why` it is unknown, when it
    /// is). The values kept for the deal that read `evaluation date` (definitions, item
    /// definitions, hoisted lists and their indexes) are dropped when it changes: they are
    /// computed again for the rule that uses them (SPEC §9).
    pub(crate) fn set_evaluation_date(
        &mut self,
        date: Option<jiff::civil::Date>,
        why: Option<Rc<Why>>,
    ) {
        let changed = self.evaluation_date != date || self.evaluation_date_why != why;
        self.evaluation_date = date;
        self.evaluation_date_why = why;
        if !changed || !self.policy.reads_evaluation_date {
            return;
        }
        let reads = |i: usize| {
            self.policy
                .defs
                .get(i)
                .is_some_and(|d| d.reads_evaluation_date)
        };
        for (i, slot) in self.slots.lets_mut().iter_mut().enumerate() {
            if reads(i) {
                *slot = None;
            }
        }
        self.defined.retain(|(i, _), _| !reads(*i));
        self.slots
            .hoisted_mut()
            .iter_mut()
            .for_each(|slot| *slot = None);
        self.members.retain(|kept, _| match kept {
            super::members::Kept::Hoisted(_) => false,
            super::members::Kept::Let(i) => !reads(*i),
            super::members::Kept::RootField(_) => true,
        });
    }

    /// `D ± N unit`: unknown when D or N is, when N is a fraction, when the result falls
    /// outside the years 1–9999, or when a working day falls outside the calendar.
    pub(super) fn date_shift(&mut self, d: &DateShift) -> Val<'d> {
        let base = self.value(&d.date);
        let count = self.value(&d.count);
        match self.shifted(d, &base, &count) {
            Ok((_, _, to)) => Val::Scalar(Scalar::Date(to), Origin::default()),
            Err(w) => unknown(w),
        }
    }

    /// The date, the amount and the result of a shift, or why there is none.
    fn shifted(
        &self,
        d: &DateShift,
        base: &Val<'d>,
        count: &Val<'d>,
    ) -> Result<(Date, Exact, Date), Why> {
        let from = match base {
            Val::Scalar(Scalar::Date(x), _) => *x,
            Val::Unknown(w) => return Err((**w).clone()),
            _ => return Err(why(Reason::CannotCompare)),
        };
        let n = match count {
            Val::Scalar(Scalar::Number(n), _) => *n,
            Val::Zero => Exact::ZERO,
            Val::Unknown(w) => return Err((**w).clone()),
            _ => return Err(why(Reason::CannotCompare)),
        };
        let calendar = d.calendar.as_deref();
        match dates::shift(from, n, d.back, d.unit, calendar) {
            Ok(to) => Ok((from, n, to)),
            Err(e) => {
                let computed = Box::new(Computed {
                    from,
                    back: d.back,
                    amount: n,
                    unit: d.unit,
                    to: None,
                });
                let reason = match e {
                    ShiftError::Fraction(_) => Reason::FractionalDuration(computed),
                    ShiftError::Range => Reason::DateRange(computed),
                    ShiftError::OutsideCalendar(day) => {
                        let (first, last) = calendar.map_or((0, 0), |c| c.covered());
                        Reason::OutsideCalendar(Box::new(super::super::note::Outside {
                            computed: *computed,
                            day,
                            calendar: calendar.map(|c| c.name.as_str().into()).unwrap_or_default(),
                            first,
                            last,
                        }))
                    }
                };
                Err(self.located(why(reason), base))
            }
        }
    }

    /// `later - earlier` in days.
    pub(super) fn days_between(&mut self, later: &Expr, earlier: &Expr) -> Val<'d> {
        let a = self.value(later);
        let b = self.value(earlier);
        match (&a, &b) {
            (Val::Unknown(w), _) | (_, Val::Unknown(w)) => Val::Unknown(w.clone()),
            (Val::Scalar(Scalar::Date(x), _), Val::Scalar(Scalar::Date(y), _)) => {
                let days = Exact::from_int(i128::from(dates::days_between(*x, *y)));
                Val::Scalar(Scalar::Number(days), Origin::default())
            }
            _ => unknown(why(Reason::CannotCompare)),
        }
    }

    /// `year of D`, mapped over a list of dates (maybe-members stay maybe).
    pub(super) fn year_of(&mut self, arg: &Expr) -> Val<'d> {
        let v = self.value(arg);
        year(v)
    }

    /// The evaluation date of the rule being evaluated, or why it is unknown.
    pub(super) fn evaluation_date_value(&self) -> Val<'d> {
        let missing = |field: &std::sync::Arc<str>, w: &Why| {
            unknown(Why {
                reason: Reason::NoEvaluationDate {
                    field: field.clone(),
                },
                ..w.clone()
            })
        };
        match (self.evaluation_date, self.evaluation_date_why.as_deref()) {
            (Some(d), _) => Val::Scalar(Scalar::Date(d), Origin::default()),
            (None, Some(w)) => match &w.reason {
                Reason::Missing { field } | Reason::Null { field } => missing(field, w),
                // A date computed from the deal that has no value: why.
                _ => Val::Unknown(Rc::new(w.clone())),
            },
            (None, None) => missing(&"date".into(), &why(Reason::CannotCompare)),
        }
    }

    /// The computed dates of an operand, for evidence: each shift with its date, amount and
    /// result (a shift of a shift shows both).
    pub(super) fn computed_dates<C: Collect>(&mut self, e: &Expr, out: &mut C::Facts<'d>) {
        let K::DateShift(d) = &e.kind else {
            return;
        };
        if matches!(d.date.kind, K::DateShift(_)) {
            self.computed_dates::<C>(&d.date, out);
        }
        let base = self.value(&d.date);
        let count = self.value(&d.count);
        if let Ok((from, amount, to)) = self.shifted(d, &base, &count) {
            let computed = Computed {
                from,
                back: d.back,
                amount,
                unit: d.unit,
                to: Some(to),
            };
            let subject = e.text.clone();
            out.push(|| Fact::Computed(Box::new((subject, computed, base))));
        }
    }
}

/// The year of a date value, or of each date of a list.
fn year(v: Val<'_>) -> Val<'_> {
    match v {
        Val::Scalar(Scalar::Date(d), o) => {
            let y = Exact::from_int(i128::from(d.year()));
            Val::Scalar(Scalar::Number(y), o)
        }
        Val::List(elems, span) => {
            let years = elems
                .iter()
                .map(|e| Elem {
                    val: year(e.val.clone()),
                    maybe: e.maybe.clone(),
                })
                .collect();
            Val::List(Rc::new(years), span)
        }
        Val::Unknown(w) => Val::Unknown(w),
        _ => unknown(why(Reason::CannotCompare)),
    }
}

impl<'d> Evaluator<'d> {
    /// The computed dates of a value, for `explain`.
    pub(crate) fn date_facts(&mut self, e: &Expr) -> Vec<Fact<'d>> {
        let mut out: Vec<Fact<'d>> = Vec::new();
        self.computed_dates::<super::WithEvidence>(e, &mut out);
        out
    }
}
