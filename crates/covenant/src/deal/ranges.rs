//! Range checks on typed scalars: a percent in a deal is a share, between 0% and 100%, and an
//! amount of money is not negative. A value outside its range would let a rule pass on a deal
//! that cannot exist (a foreign partner at -10% is "below 50%"), so it makes the deal invalid.

use super::doc::shorten;
use super::error::{self, DealError, Diags};
use crate::number::Exact;
use crate::source::Span;
use crate::value::Currency;

/// A percent between 0% and 100%, inclusive.
pub(crate) fn share(p: Exact, text: &str, span: Span, d: &Diags) -> Result<Exact, DealError> {
    if p.is_negative() || p > Exact::from_int(100) {
        return Err(error::PercentOutOfRange {
            text: shorten(text),
            span,
            src: d.src(),
        }
        .into());
    }
    Ok(p)
}

/// An amount of money that is not negative.
pub(crate) fn amount(
    m: (Currency, Exact),
    text: &str,
    span: Span,
    d: &Diags,
) -> Result<(Currency, Exact), DealError> {
    if m.1.is_negative() {
        return Err(error::NegativeMoney {
            text: shorten(text),
            span,
            src: d.src(),
        }
        .into());
    }
    Ok(m)
}
