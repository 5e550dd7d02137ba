//! Arithmetic on expressions: exact values with units, and a division by zero that names its
//! divisor.

use crate::resolve::ir::Expr;
use crate::syntax::ast::ArithOp;

use super::super::value::{arith, display, scalar_is_zero, unknown, Val, Why};
use super::Evaluator;

impl<'d> Evaluator<'d> {
    /// `lhs op rhs`. A division by zero is unknown (SPEC §2.5), also `0 / 0` of two empty
    /// totals (§2.6), with the divisor named and located: "division by zero: `total party
    /// subsidies` is 0".
    pub(super) fn arith(&mut self, op: ArithOp, lhs: &Expr, rhs: &Expr) -> Val<'d> {
        let a = self.value(lhs);
        let b = self.value(rhs);
        let v = arith(op, &a, &b);
        if op == ArithOp::Div && matches!(v, Val::Unknown(_)) && !matches!(a, Val::Unknown(_)) {
            let zero = match &b {
                Val::Zero => Some("0".to_string()),
                Val::Scalar(s, _) if scalar_is_zero(s) => Some(display(&b)),
                _ => None,
            };
            if let Some(zero) = zero {
                let why = Why {
                    note: format!("division by zero: `{}` is {zero}", rhs.text),
                    span: None,
                    element: None,
                    path: None,
                };
                return unknown(self.located(why, &b));
            }
        }
        v
    }
}
