//! Dates and durations (SPEC §9): `date ± N unit`, `date - date`, `year of D`, the phrase
//! `evaluation date` and the date a window tests. A duration is not a value: it is read only
//! right of `+` or `-` after a date, and is an error anywhere else.

use std::sync::Arc;

use crate::dates::DurationUnit;
use crate::schema::Type;
use crate::source::Span;
use crate::syntax::ast::{self, ArithOp, ExprKind as A, PhrasePart};

use super::super::calendars::{shown, Sight};
use super::super::date_error::{AmbiguousCalendar, NoCalendar};
use super::super::ir::{DateShift, Expr, ExprKind as K};
use super::super::phrase::Frame;
use super::dates_error::{DateAndNumber, DurationNotAValue, NotADate};
use super::{Ctx, Lowerer};

/// A duration as written: `N unit`, or `( … ) unit` (a projection, unless the parenthesis is
/// a number).
struct Written<'x> {
    count: &'x ast::Expr,
    unit: DurationUnit,
    /// For `( … ) unit`: the phrase read as a projection when the parenthesis is no number.
    phrase: Option<&'x ast::Phrase>,
}

fn written(e: &ast::Expr) -> Option<Written<'_>> {
    match &e.kind {
        A::Duration { count, unit, .. } => Some(Written {
            count,
            unit: *unit,
            phrase: None,
        }),
        A::Projection { list, phrase } if matches!(list.kind, A::Paren(_)) => Some(Written {
            count: list,
            unit: duration_unit_of(phrase)?,
            phrase: Some(phrase),
        }),
        _ => None,
    }
}

/// The unit a phrase of unit words names, read as a duration after a parenthesised number
/// (`( … ) working days`, SPEC §9); None for any other phrase (a back-quoted word is a field).
pub(super) fn duration_unit_of(p: &ast::Phrase) -> Option<DurationUnit> {
    let mut words = p.parts.iter().map(|part| match part {
        PhrasePart::Word {
            text,
            quoted: false,
            ..
        } => Some(text.as_str()),
        _ => None,
    });
    let unit = |w: Option<&str>| match w? {
        "day" | "days" => Some(DurationUnit::Day),
        "month" | "months" => Some(DurationUnit::Month),
        "year" | "years" => Some(DurationUnit::Year),
        _ => None,
    };
    match (words.next(), words.next(), words.next()) {
        (Some(w), None, None) => unit(w),
        (Some(Some("working")), Some(w), None) => {
            (unit(w) == Some(DurationUnit::Day)).then_some(DurationUnit::WorkingDay)
        }
        _ => None,
    }
}

/// Whether a phrase is `evaluation date` (SPEC §9; back-quoted, the words are a field's).
pub(super) fn is_evaluation_date(p: &ast::Phrase) -> bool {
    let word = |part: Option<&PhrasePart>, w: &str| matches!(part, Some(PhrasePart::Word { text, quoted: false, .. }) if text == w);
    p.parts.len() == 2 && word(p.parts.first(), "evaluation") && word(p.parts.get(1), "date")
}

impl Lowerer<'_> {
    /// A run of `+` / `-` or `*` / `/`, lowered and type-checked left to right by a loop: the
    /// type of each step (`a + b`, then `(a + b) + c`) is checked as soon as its right operand
    /// is lowered, with the step's span, so a mismatch is reported where the binary tree
    /// reported it and nothing after it is lowered. After a date, `± duration` moves it and
    /// `- date` counts the days between (SPEC §9); the run of other operators before such a
    /// step is closed into one node.
    pub(super) fn arith_chain(
        &mut self,
        first: &ast::Expr,
        rest: &[(ArithOp, ast::Expr)],
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let start = first.span;
        let mut acc = self.scalar_operand(first, frames, ctx, "arithmetic")?;
        let mut ty = acc.ty.clone();
        let mut run: Vec<(ArithOp, Expr)> = Vec::new();
        for (op, term) in rest {
            let at = start.join(term.span);
            let additive = matches!(op, ArithOp::Add | ArithOp::Sub);
            let r = if additive && ty == Type::Date {
                match self.date_step(acc, *op == ArithOp::Sub, term, frames, ctx, at)? {
                    Step::Done(x) => {
                        ty = x.ty.clone();
                        acc = x;
                        continue;
                    }
                    Step::Operand(date, r) => {
                        acc = date;
                        r
                    }
                }
            } else {
                self.scalar_operand(term, frames, ctx, "arithmetic")?
            };
            if additive
                && matches!(
                    (&ty, &r.ty),
                    (Type::Date, Type::Number) | (Type::Number, Type::Date)
                )
            {
                // The number so far is the whole run before the date (`1 + 2 + date`).
                let so_far = match run.last() {
                    Some((_, last)) => self.text(start.join(last.loc.span)),
                    None => acc.text.clone(),
                };
                let (date, number) = if ty == Type::Date {
                    (acc.text.clone(), r.text.clone())
                } else {
                    (r.text.clone(), so_far)
                };
                let error = date_and_number(*op, date, number, self.named(), at);
                self.type_error(error);
                return None;
            }
            ty = self.arith_type(*op, &ty, &r.ty, at)?;
            run.push((*op, r));
        }
        Some(self.close_run(acc, run, ty, span))
    }

    /// `acc op run…` as one node (or `acc` alone).
    fn close_run(&self, acc: Expr, run: Vec<(ArithOp, Expr)>, ty: Type, span: Span) -> Expr {
        if run.is_empty() {
            return acc;
        }
        self.mk(
            K::Arith {
                first: Box::new(acc),
                rest: run,
            },
            ty,
            span,
        )
    }

    /// `date ± term`: a duration moves the date, `date - date` counts days; any other term is
    /// handed back as an operand.
    fn date_step(
        &mut self,
        date: Expr,
        back: bool,
        term: &ast::Expr,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        at: Span,
    ) -> Option<Step> {
        if let Some(w) = written(term) {
            let count = self.expr(w.count, frames, ctx)?;
            if count.ty == Type::Number {
                let calendar = match w.unit {
                    DurationUnit::WorkingDay => Some(self.calendar(term)?),
                    _ => None,
                };
                let shift = DateShift {
                    date,
                    back,
                    count,
                    unit: w.unit,
                    calendar,
                };
                let x = self.mk(K::DateShift(Box::new(shift)), Type::Date, at);
                return Some(Step::Done(x));
            }
            // `( … ) days` over records: a projection.
            let phrase = w.phrase?;
            let r = self.project(count, phrase, term.span)?;
            return Some(Step::Operand(date, r));
        }
        let r = self.scalar_operand(term, frames, ctx, "arithmetic")?;
        if back && r.ty == Type::Date {
            let kind = K::DaysBetween {
                later: Box::new(date),
                earlier: Box::new(r),
            };
            return Some(Step::Done(self.mk(kind, Type::Number, at)));
        }
        Some(Step::Operand(date, r))
    }

    /// The one calendar this file sees, for `working days` (else `no-calendar` or
    /// `ambiguous-calendar`, at the duration).
    fn calendar(&mut self, term: &ast::Expr) -> Option<Arc<crate::dates::Calendar>> {
        let text = self.text(term.span);
        match self.calendars.sight(self.file) {
            Sight::One(c) => Some(c.clone()),
            Sight::None => {
                self.resolve_error(NoCalendar {
                    text,
                    src: self.named(),
                    span: term.span.into(),
                });
                None
            }
            Sight::Several(cs) => {
                let name = |i: usize| cs.get(i).map(|c| shown(c)).unwrap_or_default();
                let (first, second) = (name(0), name(1));
                self.resolve_error(AmbiguousCalendar {
                    text,
                    first,
                    second,
                    src: self.named(),
                    span: term.span.into(),
                });
                None
            }
        }
    }

    /// A duration where a value is wanted (`covenant::type::unit-mismatch`).
    pub(super) fn duration_not_a_value(&mut self, span: Span) {
        self.type_error(DurationNotAValue {
            text: self.text(span),
            src: self.named(),
            span: span.into(),
        });
    }

    /// `year of D`: the year of a date, or of each date of a list.
    pub(super) fn year_of(
        &mut self,
        arg: &ast::Expr,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let x = self.expr(arg, frames, ctx)?;
        let ty = match &x.ty {
            Type::Date => Type::Number,
            Type::List(t) if **t == Type::Date => Type::list(Type::Number),
            other => {
                self.type_error(NotADate {
                    what: "`year of`",
                    text: x.text.clone(),
                    ty: other.clone(),
                    src: self.named(),
                    span: x.loc.span.into(),
                });
                return None;
            }
        };
        Some(self.mk(K::YearOf(Box::new(x)), ty, span))
    }

    /// `on D` of a window: a date expression at the root (SPEC §9).
    pub fn window_date(&mut self, e: &ast::Expr) -> Option<Expr> {
        let x = self.lower_value(e, &mut Vec::new())?;
        if x.ty != Type::Date {
            self.type_error(NotADate {
                what: "a window's `on`",
                text: x.text.clone(),
                ty: x.ty.clone(),
                src: self.named(),
                span: x.loc.span.into(),
            });
            return None;
        }
        Some(x)
    }
}

/// What a `date ± term` step gave.
enum Step {
    /// A date moved, or the days between two dates.
    Done(Expr),
    /// The date, and a term that is no duration or date: plain arithmetic decides.
    Operand(Expr, Expr),
}

fn date_and_number(
    op: ArithOp,
    date: Arc<str>,
    number: Arc<str>,
    src: crate::source::Named,
    at: Span,
) -> DateAndNumber {
    let whole = crate::number::Exact::parse(&number).filter(|n| n.is_integer());
    let help = match whole {
        Some(n) => format!(
            "write the unit: `{n} days`, `{n} months` or `{n} years` (a date moves by a duration)"
        ),
        None => {
            "write a duration, such as `30 days`, or `( … ) days` for a computed number of days"
                .to_string()
        }
    };
    DateAndNumber {
        verb: if op == ArithOp::Add {
            "add"
        } else {
            "subtract"
        },
        date,
        number,
        src,
        span: at.into(),
        help,
    }
}
