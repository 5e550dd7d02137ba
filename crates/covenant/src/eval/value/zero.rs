//! The money zero of an empty `total` (SPEC §2.4, §2.6): arithmetic with a zero whose
//! currency is the one it meets.

use crate::number::Exact;
use crate::syntax::ast::ArithOp;
use crate::value::Scalar;

use super::{arith_scalar, why, zero_of, Origin, Reason, Val, Why};

/// Arithmetic with the money zero of an empty total, whose currency is the one it meets:
/// `0 / 0` and `x / 0` are divisions by zero (SPEC §2.6), `0 / x` is a zero of the quotient's
/// unit, `0 * x` a money zero, `0 ± x` is `±x`.
pub(super) fn arith<'d>(op: ArithOp, a: &Val<'d>, b: &Val<'d>) -> Result<Val<'d>, Why> {
    let single = |v: &Val<'_>| matches!(v, Val::Zero | Val::Scalar(..));
    if !single(a) || !single(b) {
        return Err(why(Reason::NeedsSingleValues));
    }
    match (op, a, b) {
        (ArithOp::Div, _, Val::Zero) => Err(why(Reason::DivisionByZero { divisor: None })),
        (ArithOp::Div, Val::Zero, Val::Scalar(s, _)) if scalar_is_zero(s) => {
            Err(why(Reason::DivisionByZero { divisor: None }))
        }
        // Money over money is a number; money over a number or a percent stays money.
        (ArithOp::Div, Val::Zero, Val::Scalar(Scalar::Money(..), _)) => {
            Ok(Val::Scalar(Scalar::Number(Exact::ZERO), Origin::default()))
        }
        (ArithOp::Div | ArithOp::Mul, _, _) => Ok(Val::Zero),
        (_, Val::Zero, Val::Zero) => Ok(Val::Zero),
        (_, Val::Scalar(s, _), Val::Zero) => Ok(Val::Scalar(s.clone(), Origin::default())),
        (ArithOp::Add, Val::Zero, Val::Scalar(s, _)) => {
            Ok(Val::Scalar(s.clone(), Origin::default()))
        }
        (_, Val::Zero, Val::Scalar(s, _)) => arith_scalar(op, &zero_of(s), b),
        _ => Ok(Val::Zero),
    }
}

/// Whether a number, percent or amount of money is zero.
pub fn scalar_is_zero(s: &Scalar) -> bool {
    match s {
        Scalar::Number(n) | Scalar::Percent(n) | Scalar::Money(_, n) => *n == Exact::ZERO,
        _ => false,
    }
}
