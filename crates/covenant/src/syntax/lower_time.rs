//! Lowering the time forms of SPEC §9: durations and `year of D` (a window's `on D` is an
//! expression, lowered with the window).

use super::ast::{DurationUnit, Expr, ExprKind, Literal};
use super::error::ParseError;
use super::grammar::Rule;
use super::lower_expr::{bx, kids, mk, Lowerer, Pair, Res};

impl Lowerer<'_> {
    /// `N day(s)`, `N month(s)`, `N year(s)`, `N working day(s)` (SPEC §9).
    pub(super) fn duration(&mut self, p: &Pair<'_>, ks: &[Pair<'_>]) -> Res<Expr> {
        let count = self.expr(self.nth(ks, 0, p)?)?;
        if let ExprKind::Literal(Literal::Number(n)) = &count.kind {
            if !n.is_integer() {
                self.errors.push(ParseError::bad_literal(
                    self.file,
                    count.span,
                    format!("`{}` is not a whole number", self.file.slice(count.span)),
                    "expected a whole number",
                    Some("a duration counts whole days, months or years, such as `30 days`; `( … ) days` takes a computed number".into()),
                ));
            }
        }
        let unit_pair = self.nth(ks, 1, p)?;
        let words = kids(&unit_pair);
        let (Some(first), Some(last)) = (words.first(), words.last()) else {
            return Err(self.bug(&unit_pair));
        };
        let unit = match (first.as_rule(), words.len()) {
            (Rule::w_working, _) => DurationUnit::WorkingDay,
            (Rule::w_day, 1) => DurationUnit::Day,
            (Rule::w_month, 1) => DurationUnit::Month,
            (Rule::w_year_unit, 1) => DurationUnit::Year,
            _ => return Err(self.bug(&unit_pair)),
        };
        let unit_span = self.span(first).join(self.span(last));
        let span = count.span.join(unit_span);
        Ok(mk(
            ExprKind::Duration {
                count: bx(count),
                unit,
                unit_span,
            },
            span,
        ))
    }

    /// `year of D`: children `year_of` and the date.
    pub(super) fn year_of(&mut self, p: &Pair<'_>, ks: &[Pair<'_>]) -> Res<Expr> {
        let head = self.nth(ks, 0, p)?;
        let arg = self.expr(self.nth(ks, 1, p)?)?;
        let span = self.span(&head).join(arg.span);
        Ok(mk(ExprKind::YearOf(bx(arg)), span))
    }
}
