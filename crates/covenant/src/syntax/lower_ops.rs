//! Lowering operators: chains of binary operators, `not`, and quantifiers.

use super::ast::{ArithOp, Expr, ExprKind, QuantKind};
use super::grammar::Rule;
use super::lower_expr::{bx, kids, mk, Lowerer, Pair, Res};

impl Lowerer<'_> {
    /// A chain `e (op e)*`: flat for `and` / `or` and for a run of arithmetic operators of one
    /// precedence level (one level of depth, whatever its length); `of` nests (`E of X of Y`
    /// is `(E of X) of Y`, a share of a share), closing the run before it.
    pub(super) fn fold(&mut self, p: &Pair<'_>, ks: Vec<Pair<'_>>) -> Res<Expr> {
        if let Some(logic) = ks.get(1).map(|op| op.as_rule()) {
            if matches!(logic, Rule::kw_and | Rule::kw_or) {
                return self.chain(p, ks, logic);
            }
        }
        let mut it = ks.into_iter();
        let first = it.next().ok_or_else(|| self.bug(p))?;
        let mut acc = self.expr(first)?;
        let mut run = Vec::new();
        while let Some(op) = it.next() {
            let rhs_pair = it.next().ok_or_else(|| self.bug(p))?;
            let rhs = self.expr(rhs_pair)?;
            let arith = match op.as_rule() {
                Rule::op_add => ArithOp::Add,
                Rule::op_sub => ArithOp::Sub,
                Rule::op_mul => ArithOp::Mul,
                Rule::op_div => ArithOp::Div,
                Rule::kw_of => {
                    let percent = arith_run(acc, std::mem::take(&mut run));
                    let span = percent.span.join(rhs.span);
                    let kind = ExprKind::PercentOf {
                        percent: bx(percent),
                        of: bx(rhs),
                    };
                    acc = mk(kind, span);
                    continue;
                }
                _ => return Err(self.bug(&op)),
            };
            run.push((arith, rhs));
        }
        Ok(arith_run(acc, run))
    }

    /// `e and e and …` (or `or`): every other child is the keyword.
    fn chain(&mut self, p: &Pair<'_>, ks: Vec<Pair<'_>>, op: Rule) -> Res<Expr> {
        let mut terms = Vec::with_capacity(ks.len() / 2 + 1);
        for (i, k) in ks.into_iter().enumerate() {
            if i % 2 == 1 {
                if k.as_rule() != op {
                    return Err(self.bug(&k));
                }
                continue;
            }
            terms.push(self.expr(k)?);
        }
        let (Some(first), Some(last)) = (terms.first(), terms.last()) else {
            return Err(self.bug(p));
        };
        let span = first.span.join(last.span);
        let kind = if op == Rule::kw_and {
            ExprKind::And(terms)
        } else {
            ExprKind::Or(terms)
        };
        Ok(mk(kind, span))
    }

    pub(super) fn not_expr(&mut self, p: &Pair<'_>, ks: &[Pair<'_>]) -> Res<Expr> {
        let first = self.nth(ks, 0, p)?;
        if first.as_rule() != Rule::kw_not {
            return self.expr(first);
        }
        let inner = self.expr(self.nth(ks, 1, p)?)?;
        let span = self.span(&first).join(inner.span);
        Ok(mk(ExprKind::Not(bx(inner)), span))
    }

    pub(super) fn quant(&mut self, p: &Pair<'_>, ks: &[Pair<'_>]) -> Res<Expr> {
        let head = self.nth(ks, 0, p)?;
        let start = self.span(&head);
        let kind = match head.as_rule() {
            Rule::kw_every => QuantKind::Every,
            Rule::quant_head => self.quant_head(&head)?,
            _ => return Err(self.bug(&head)),
        };
        let subject = self.expr(self.nth(ks, 1, p)?)?;
        let mut end = subject.span;
        let mut filter = None;
        let mut body = None;
        let mut name = None;
        for part in ks.iter().skip(2) {
            if part.as_rule() == Rule::item_name {
                let n = self.item_name(part)?;
                end = n.span;
                name = Some(n);
                continue;
            }
            let inner = kids(part);
            let e = self.expr(self.nth(&inner, 1, part)?)?;
            end = e.span;
            match part.as_rule() {
                Rule::quant_filter => filter = Some(bx(e)),
                Rule::quant_body => body = Some(bx(e)),
                _ => return Err(self.bug(part)),
            }
        }
        let kind = ExprKind::Quant {
            kind,
            subject: bx(subject),
            name,
            filter,
            body,
        };
        Ok(mk(kind, start.join(end)))
    }

    fn quant_head(&mut self, head: &Pair<'_>) -> Res<QuantKind> {
        let hk = kids(head);
        let first = self.nth(&hk, 0, head)?;
        let n = |s: &mut Self| -> Res<u64> {
            let count = s.nth(&hk, hk.len().saturating_sub(1), head)?;
            Ok(s.count(&count))
        };
        Ok(match first.as_rule() {
            Rule::kw_some => QuantKind::Some,
            Rule::kw_no => QuantKind::No,
            Rule::kw_exactly => QuantKind::Exactly(n(self)?),
            Rule::kw_at => match self.nth(&hk, 1, head)?.as_rule() {
                Rule::kw_least => QuantKind::AtLeast(n(self)?),
                _ => QuantKind::AtMost(n(self)?),
            },
            _ => return Err(self.bug(&first)),
        })
    }
}

/// `first` followed by a run of arithmetic operators: one flat node, or `first` alone.
fn arith_run(first: Expr, rest: Vec<(ArithOp, Expr)>) -> Expr {
    let Some(span) = rest.last().map(|(_, last)| first.span.join(last.span)) else {
        return first;
    };
    mk(
        ExprKind::Arith {
            first: bx(first),
            rest,
        },
        span,
    )
}
