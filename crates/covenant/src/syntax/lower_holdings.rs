//! Lowering the ownership forms of SPEC §7: `look-through M of S in T [by control …]` and
//! `AGG X per K`.

use super::ast::{AggKind, Control, Expr, ExprKind, LookThrough};
use super::error::ParseError;
use super::grammar::Rule;
use super::lower_expr::{bx, kids, mk, trailing_where, Lowerer, Pair, Res};

impl Lowerer<'_> {
    /// `look-through M of S in T [by control …]`: children `kw_look_through`, the measure's
    /// phrase, `of`, `S`, `in`, `T` and maybe `by_control`.
    pub(super) fn look_through(&mut self, p: &Pair<'_>, ks: &[Pair<'_>]) -> Res<Expr> {
        let start = self.span(&self.nth(ks, 0, p)?);
        let measure = self.phrase(&self.nth(ks, 1, p)?)?;
        let holders = self.expr(self.nth(ks, 3, p)?)?;
        let target = self.expr(self.nth(ks, 5, p)?)?;
        let mut end = target.span;
        let control = match ks.get(6) {
            Some(c) => {
                let control = self.by_control(c)?;
                end = control.span;
                Some(control)
            }
            None => None,
        };
        let kind = ExprKind::LookThrough(Box::new(LookThrough {
            measure,
            holders,
            target,
            control,
        }));
        Ok(mk(kind, start.join(end)))
    }

    /// `by control [more than | at least P]`.
    fn by_control(&mut self, p: &Pair<'_>) -> Res<Control> {
        let ks = kids(p);
        let by = self.span(&self.nth(&ks, 0, p)?);
        let mut span = by.join(self.span(&self.nth(&ks, 1, p)?));
        let (inclusive, threshold) = match (ks.get(2), ks.get(3)) {
            (Some(cmp), Some(value)) => {
                let word = self.nth(&kids(cmp), 0, cmp)?;
                let threshold = self.expr(value.clone())?;
                span = span.join(threshold.span);
                (word.as_rule() == Rule::at_least, Some(bx(threshold)))
            }
            _ => (false, None),
        };
        Ok(Control {
            inclusive,
            threshold,
            span,
        })
    }

    /// `AGG X per K`, from the aggregate's parts and the `per_key` pair.
    pub(super) fn per(
        &mut self,
        kind: AggKind,
        start: crate::source::Span,
        arg: Expr,
        per_key: &Pair<'_>,
    ) -> Res<Expr> {
        let ks = kids(per_key);
        if let Some(w) = trailing_where(&arg) {
            self.errors
                .push(self.where_before_per(w, &self.nth(&ks, 0, per_key)?));
        }
        let key = self.phrase(&self.nth(&ks, 1, per_key)?)?;
        let span = start.join(key.span);
        let kind = ExprKind::Per {
            kind,
            arg: bx(arg),
            key,
        };
        Ok(mk(kind, span))
    }

    /// SPEC §2.4: the `C` of `X where C` runs to the end of the clause, so `total parties
    /// where C per K` cannot give `C` to the aggregate: the filter must be parenthesised.
    fn where_before_per(&self, w: &Expr, per: &Pair<'_>) -> ParseError {
        let text = self.file.slice(w.span);
        ParseError::syntax(
            self.file,
            w.span,
            "a `where` before `per` must be parenthesised".to_string(),
            "the condition of this `where` runs to the end of the clause".to_string(),
            Some(format!(
                "put the filtered list in brackets: `({text}) {}`",
                self.text(per).trim()
            )),
        )
    }
}
