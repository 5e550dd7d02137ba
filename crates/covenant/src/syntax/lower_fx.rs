//! Lowering money across currencies (SPEC §11): the header's `fx "TEXT" from "FILE"
//! [url "U"]` and `E converted to CUR [on D]`.

use super::ast::{Convert, Expr, ExprKind, FxClause, Spanned};
use super::lower_expr::{kids, mk, Lowerer, Pair, Res};
use crate::value::Currency;

impl Lowerer<'_> {
    /// `fx "TEXT" from "FILE" [url "U"]`: children `kw_fx`, the text, `from`, the file and
    /// maybe `url` and its string.
    pub(super) fn fx_clause(&mut self, p: &Pair<'_>) -> Res<FxClause> {
        let ks = kids(p);
        let start = self.span(&self.nth(&ks, 0, p)?);
        let text = self.spanned_string(&self.nth(&ks, 1, p)?);
        let file = self.spanned_string(&self.nth(&ks, 3, p)?);
        let url = ks.get(5).map(|u| self.spanned_string(u));
        let end = url.as_ref().map_or(file.span, |u| u.span);
        Ok(FxClause {
            text,
            file,
            url,
            span: start.join(end),
        })
    }

    /// A primary followed by `converted to CUR [on D]`: children the primary's own form and
    /// the `conversion`.
    pub(super) fn conversion(&mut self, p: &Pair<'_>, ks: &[Pair<'_>]) -> Res<Expr> {
        let amount = self.expr(self.nth(ks, 0, p)?)?;
        let conversion = self.nth(ks, 1, p)?;
        let cs = kids(&conversion);
        let code = self.nth(&cs, 1, &conversion)?;
        let code_span = self.span(&code);
        let currency = Currency::parse(self.text(&code)).ok_or_else(|| self.bug(&code))?;
        let on = match cs.get(3) {
            Some(d) => Some(self.expr(d.clone())?),
            None => None,
        };
        let end = on.as_ref().map_or(code_span, |d| d.span);
        let span = amount.span.join(end);
        let kind = ExprKind::Convert(Box::new(Convert {
            amount,
            currency: Spanned::new(currency, code_span),
            on,
        }));
        Ok(mk(kind, span))
    }
}
