//! Conversions between the deal's percents ([`Exact`], in percent units: 51 is 51%) and the
//! ownership floor's unbounded fractions ([`BigRational`], 1 is 100%). The floor converts only
//! here, at its edges: reading a deal value, and handing a value back to evaluation.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};

use crate::deal::tree::{NodeValue, Record};
use crate::number::Exact;
use crate::source::Span;
use crate::value::Scalar;

/// A percent in percent units as a fraction: 51 → 51/100.
pub fn fraction_of_percent(p: Exact) -> BigRational {
    p.to_big() / BigRational::from_integer(BigInt::from(100))
}

/// A fraction as a percent in percent units (51/100 → 51), when its numerator and denominator
/// fit an [`Exact`]; `None` otherwise (a value built from very many fractional edges).
pub fn percent_of_fraction(f: &BigRational) -> Option<Exact> {
    // The usual holding fits an `i128` times 100: no big-number arithmetic (the same value,
    // reduced as `Exact` always is).
    let small = f.numer().to_i128().and_then(|n| n.checked_mul(100));
    if let (Some(n), Some(d)) = (small, f.denom().to_i128()) {
        if let Ok(p) = Exact::from_int(n).checked_div(Exact::from_int(d)) {
            return Some(p);
        }
    }
    let scaled = f * BigRational::from_integer(BigInt::from(100));
    let numer = scaled.numer().to_i128()?;
    let denom = scaled.denom().to_i128()?;
    Exact::from_int(numer)
        .checked_div(Exact::from_int(denom))
        .ok()
}

pub(super) fn zero() -> BigRational {
    BigRational::zero()
}

pub(super) fn one() -> BigRational {
    BigRational::one()
}

/// The percent in `record`'s field `field` as the deal wrote it, with its span.
pub(super) fn exact_percent(record: &Record, field: usize) -> Option<(Exact, Span)> {
    let node = record.field(field)?;
    match &node.value {
        NodeValue::Scalar(Scalar::Percent(p)) => Some((*p, node.span)),
        _ => None,
    }
}

/// The yes/no in `record`'s field `field`, with its span.
pub(super) fn bool_field(record: &Record, field: usize) -> Option<(bool, Span)> {
    let node = record.field(field)?;
    match &node.value {
        NodeValue::Scalar(Scalar::Bool(b)) => Some((*b, node.span)),
        _ => None,
    }
}

/// The string in `record`'s field `field`.
pub(super) fn str_field(record: &Record, field: usize) -> Option<&str> {
    match &record.field(field)?.value {
        NodeValue::Scalar(Scalar::Str(s)) => Some(s.as_str()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percents_and_fractions_convert_both_ways() {
        let p = Exact::parse("29.4").unwrap();
        let f = fraction_of_percent(p);
        assert_eq!(f, BigRational::new(BigInt::from(147), BigInt::from(500)));
        assert_eq!(percent_of_fraction(&f), Some(p));
        let third = BigRational::new(BigInt::from(1), BigInt::from(3));
        let back = percent_of_fraction(&third).unwrap();
        assert_eq!(
            back,
            Exact::from_int(100)
                .checked_div(Exact::from_int(3))
                .unwrap()
        );
    }

    #[test]
    fn a_fraction_whose_numerator_times_100_overflows_is_reduced_first() {
        // (2^124 + 1) / 25: times 100 the numerator passes i128; reduced, 4 · (2^124 + 1) fits.
        let numer: BigInt = BigInt::from(2).pow(124) + BigInt::from(1);
        let f = BigRational::new(numer.clone(), BigInt::from(25));
        let expected = (numer * BigInt::from(4)).to_i128().map(Exact::from_int);
        assert!(expected.is_some());
        assert_eq!(percent_of_fraction(&f), expected);
    }

    #[test]
    fn a_fraction_too_large_for_exact_has_no_percent() {
        let huge = BigRational::new(BigInt::from(1), BigInt::from(3).pow(200));
        assert_eq!(percent_of_fraction(&huge), None);
    }
}
