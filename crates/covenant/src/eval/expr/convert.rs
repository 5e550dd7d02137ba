//! `E converted to CUR [on D]` (SPEC §11): each money value of `E` in `CUR`, at the rate of
//! the latest day on or up to 7 days before D that the rate file gives (directly, inverted,
//! or across its single base), exactly. A value already in `CUR` keeps its amount; an empty
//! total is a zero of `CUR`. No rate, or D unknown: the value is unknown.

use std::rc::Rc;
use std::sync::Arc;

use jiff::civil::Date;

use crate::number::Exact;
use crate::resolve::ir::{Convert, Expr, ExprKind as K};
use crate::value::{Currency, Scalar};

use super::super::conversion::{ConversionShown, NoRate};
use super::super::note::{Internal, Reason};
use super::super::outcome::ELEMENTS_SHOWN;
use super::super::value::{unknown, why, Elem, Origin, Val, Why};
use super::collect::{Collect, Facts};
use super::fact::Fact;
use super::Evaluator;

/// What one conversion needs besides its amounts: the currency, the table and D.
#[derive(Clone, Copy, Debug)]
pub(super) struct Converting {
    to: Currency,
    table: usize,
    on: Date,
}

impl<'d> Evaluator<'d> {
    pub(super) fn convert(&mut self, c: &Convert) -> Val<'d> {
        let k = match self.converting(c) {
            Ok(k) => k,
            Err(w) => return Val::Unknown(w),
        };
        let v = self.value(&c.amount);
        self.convert_val(k, v)
    }

    /// D, with the currency and the table; why D is unknown otherwise.
    pub(super) fn converting(&mut self, c: &Convert) -> Result<Converting, Rc<Why>> {
        let on = match &c.on {
            Some(d) => match self.value(d) {
                Val::Scalar(Scalar::Date(d), _) => d,
                Val::Unknown(w) => return Err(w),
                _ => return Err(Rc::new(why(Reason::Internal(Internal::BadConversion)))),
            },
            // The evaluation date, or why it is unknown: the field of the rule's date (SPEC §9).
            None => match self.evaluation_date_value() {
                Val::Scalar(Scalar::Date(d), _) => d,
                Val::Unknown(w) => return Err(w),
                _ => return Err(Rc::new(why(Reason::Internal(Internal::BadConversion)))),
            },
        };
        Ok(Converting {
            to: c.to,
            table: c.table,
            on,
        })
    }

    /// `v`, a money value or a list of them, converted element by element.
    fn convert_val(&self, k: Converting, v: Val<'d>) -> Val<'d> {
        match v {
            Val::Scalar(Scalar::Money(from, amount), origin) => {
                match self.converted(k, from, amount) {
                    // Computed from the deal value: at its place, but no longer its field's
                    // value (a fix names the conversion, not the field).
                    Ok(a) if from != k.to => {
                        let at = Origin {
                            field: None,
                            parent: None,
                            ..origin
                        };
                        Val::Scalar(Scalar::Money(k.to, a), at)
                    }
                    Ok(a) => Val::Scalar(Scalar::Money(k.to, a), origin),
                    Err(w) => {
                        let at = Val::Scalar(Scalar::Money(from, amount), origin);
                        unknown(self.located(w, &at))
                    }
                }
            }
            Val::Zero => Val::Scalar(Scalar::Money(k.to, Exact::ZERO), Origin::default()),
            Val::List(elems, span) => {
                let out = elems
                    .iter()
                    .map(|e| Elem {
                        val: self.convert_val(k, e.val.clone()),
                        maybe: e.maybe.clone(),
                    })
                    .collect();
                Val::List(Rc::new(out), span)
            }
            Val::Unknown(w) => Val::Unknown(w),
            _ => unknown(why(Reason::Internal(Internal::BadConversion))),
        }
    }

    /// `amount` of `from` in `k.to`, or why it has no value.
    fn converted(&self, k: Converting, from: Currency, amount: Exact) -> Result<Exact, Why> {
        if from == k.to {
            return Ok(amount);
        }
        let Some(table) = self.policy.fx.get(k.table) else {
            return Err(why(Reason::Internal(Internal::BadConversion)));
        };
        let Some(rate) = table.rate(from, k.to, k.on) else {
            return Err(why(Reason::NoRate(Box::new(NoRate {
                from,
                to: k.to,
                on: k.on,
                file: table.path.clone(),
            }))));
        };
        rate.convert(amount).map_err(|_| why(Reason::Overflow))
    }

    /// The evidence of converting `v`, when it changed currency at a rate.
    fn conversion_shown(&self, k: Converting, v: &Val<'d>) -> Option<Fact<'d>> {
        let Val::Scalar(Scalar::Money(from, amount), origin) = v else {
            return None;
        };
        if *from == k.to {
            return None;
        }
        let table = self.policy.fx.get(k.table)?;
        let rate = table.rate(*from, k.to, k.on)?;
        let to = rate.convert(*amount).ok()?;
        let shown = ConversionShown {
            from: (*from, *amount),
            to: (k.to, to),
            on: k.on,
            rate,
            source: Arc::clone(&table.source),
            file: Arc::clone(&table.path),
        };
        Some(Fact::Conversion(Rc::new(shown), origin.item))
    }

    /// The conversions of a value operand of one test: of the value (`X converted to CAD`),
    /// of the first elements of a total of conversions (`total X converted to CAD`).
    pub(super) fn conversion_parts<C: Collect>(&mut self, e: &Expr, out: &mut C::Facts<'d>) {
        let c = match &e.kind {
            K::Convert(c) => c,
            K::Aggregate { arg, .. } => match &self.computed_by(arg).kind {
                K::Convert(c) => c,
                _ => return,
            },
            _ => return,
        };
        let Ok(k) = self.converting(c) else {
            return;
        };
        match self.value(&c.amount) {
            Val::List(elems, _) => {
                for e in elems.iter().take(ELEMENTS_SHOWN) {
                    if let Some(f) = self.conversion_shown(k, &e.val) {
                        out.push(|| f);
                    }
                }
            }
            v => {
                if let Some(f) = self.conversion_shown(k, &v) {
                    out.push(|| f);
                }
            }
        }
    }

    /// The amounts a list side converts, element by element, for [`Self::converted_fact`].
    pub(super) fn conversions_of(
        &mut self,
        c: &Convert,
    ) -> Option<(Converting, Rc<Vec<Elem<'d>>>)> {
        let k = self.converting(c).ok()?;
        match self.value(&c.amount) {
            Val::List(elems, _) => Some((k, elems)),
            _ => None,
        }
    }

    /// The evidence of converting element `i` of `amounts`.
    pub(super) fn converted_fact(
        &self,
        k: Converting,
        amounts: &[Elem<'d>],
        i: usize,
    ) -> Option<Fact<'d>> {
        self.conversion_shown(k, &amounts.get(i)?.val)
    }
}

#[cfg(test)]
mod tests {
    #![allow(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        reason = "tests"
    )]

    use crate::deal::{self, Format, LoadOptions};
    use crate::eval::expr::{Evaluator, Quick};
    use crate::eval::outcome::Outcome;
    use crate::resolve::compile_str;
    use crate::source::SourceFile;

    /// A definition that converts at the evaluation date (SPEC §11) is computed again when the
    /// evaluation date changes between rules, never kept from the first rule's date.
    #[test]
    fn a_definition_is_computed_again_at_another_evaluation_date() {
        let p = compile_str(
            "t.policy",
            "policy \"P\"\n  fx \"t\" from \"../../tests/fixtures/fx/rates.csv\"\n\
         let cad = investment converted to CAD\n\
         rule r: cad = CAD 12.285B\n",
        )
        .unwrap()
        .policy;
        let json = r#"{"proposal":"x","investment":"USD 9B"}"#;
        let d = deal::load(
            SourceFile::new("d.json", json),
            "d.json".into(),
            1,
            Format::Json,
            &p.schema,
            &LoadOptions::default(),
        )
        .unwrap()
        .deal;
        let rule = &p.rules[0];
        let mut ev = Evaluator::new(&p, &d);
        let mut outcome_on = |day: &str| {
            let date = day.parse().ok();
            crate::eval::rule_outcome::<Quick, _>(&mut ev, None, rule, date).outcome
        };
        assert_eq!(outcome_on("2024-07-11"), Outcome::Pass);
        // 2024-07-09 takes the row of 2024-07-02 (1.25): CAD 11.25B.
        assert_eq!(outcome_on("2024-07-09"), Outcome::Fail);
        assert_eq!(outcome_on("2024-07-10"), Outcome::Incomplete);
        assert_eq!(outcome_on("2024-07-11"), Outcome::Pass);
    }
}
