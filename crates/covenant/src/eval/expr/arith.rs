//! Arithmetic on expressions: exact values with units, and a division by zero that names its
//! divisor.

use crate::resolve::ir::Expr;
use crate::syntax::ast::ArithOp;

use super::super::note::Reason;
use super::super::shown::Shown;
use super::super::value::{arith, scalar_is_zero, unknown, Val, Why};
use super::Evaluator;

impl<'d> Evaluator<'d> {
    /// `first op t op t …`, left to right by a loop (a chain's length is not a depth).
    pub(super) fn arith_chain(&mut self, first: &Expr, rest: &[(ArithOp, Expr)]) -> Val<'d> {
        let mut acc = self.value(first);
        for (op, rhs) in rest {
            acc = self.arith_step(*op, acc, rhs);
        }
        acc
    }

    /// `a op rhs`, `a` computed. A division by zero is unknown (SPEC §2.5), also `0 / 0` of
    /// two empty totals (§2.6), with the divisor named and located: "division by zero:
    /// `total party subsidies` is 0".
    fn arith_step(&mut self, op: ArithOp, a: Val<'d>, rhs: &Expr) -> Val<'d> {
        let b = self.value(rhs);
        let v = arith(op, &a, &b);
        if op == ArithOp::Div && matches!(v, Val::Unknown(_)) && !matches!(a, Val::Unknown(_)) {
            let zero = match &b {
                Val::Zero => true,
                Val::Scalar(s, _) => scalar_is_zero(s),
                _ => false,
            };
            if zero {
                let why = Why {
                    reason: Reason::DivisionByZero {
                        divisor: Some(Box::new((rhs.text.clone(), Shown::of(&b)))),
                    },
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
