//! The exact fractions a walk computes with. A deal writes its percents as decimals, so every
//! weight, product and sum of a walk is a decimal `n / 10^scale`: multiplying and adding such
//! numbers needs no greatest common divisor (the unbounded rationals' gcd is quadratic, and
//! made a chain of 1,000 fractional edges take 0.4 s). A decimal is kept in machine integers
//! ([`Small`]) while it fits, and in big ones past that. Any other fraction (possible only
//! from records built in code) falls back to [`BigRational`]. Values convert to reduced
//! [`BigRational`]s only at the API's edge.

use std::borrow::Cow;
use std::cmp::Ordering;

use num_bigint::{BigInt, BigUint, Sign};
use num_rational::BigRational;
use num_traits::{One, ToPrimitive, Zero};

use super::small::Small;
use crate::number::Exact;

/// A non-negative exact fraction, in exactly one form for each value (the derived equality
/// is the equality of values).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Frac {
    /// A decimal that fits machine integers.
    Small(Small),
    /// `n / 10^scale` that does not fit [`Small`], canonical: `n` is not a multiple of 10.
    Dec { n: BigUint, scale: u64 },
    /// Any other fraction, reduced (a negative one, or one whose denominator has a prime
    /// factor other than 2 and 5: then never equal to a decimal).
    Rat(Box<BigRational>),
}

impl Frac {
    pub fn zero() -> Frac {
        Frac::Small(Small::ZERO)
    }

    pub fn one() -> Frac {
        Frac::Small(Small::ONE)
    }

    /// `n / 10^scale` in its one form.
    pub(super) fn dec(n: BigUint, scale: u64) -> Frac {
        if let Some(small) = n.to_u128().and_then(|n| Small::new(n, scale)) {
            return Frac::Small(small);
        }
        let (mut n, mut scale) = (n, scale);
        while scale > 0 && !n.bit(0) && mod_5(&n) == 0 && !n.is_zero() {
            n /= 10u32;
            scale -= 1;
        }
        match n.to_u128().and_then(|n| Small::new(n, scale)) {
            Some(small) => Frac::Small(small),
            None => Frac::Dec { n, scale },
        }
    }

    /// `n / 10^scale` from machine integers.
    fn dec_of(n: u128, scale: u64) -> Frac {
        match Small::new(n, scale) {
            Some(small) => Frac::Small(small),
            None => Frac::dec(BigUint::from(n), scale),
        }
    }

    /// The decimal's numerator and scale, whatever its size (None: not a decimal).
    fn big(&self) -> Option<(Cow<'_, BigUint>, u64)> {
        match self {
            Frac::Small(s) => Some((Cow::Owned(BigUint::from(s.n)), u64::from(s.scale))),
            Frac::Dec { n, scale } => Some((Cow::Borrowed(n), *scale)),
            Frac::Rat(_) => None,
        }
    }

    /// A percent in percent units (51 is 51%) as a fraction.
    // Inlined where an edge's measure is read: whether the compiler did so on its own changed
    // with unrelated code, and baseline-v2's count with it by about 250 instructions a deal.
    #[inline]
    pub fn of_percent(p: Exact) -> Frac {
        let (numer, denom) = p.parts();
        let Ok(n) = u128::try_from(numer) else {
            return Frac::Rat(Box::new(super::fraction::fraction_of_percent(p)));
        };
        // The common case, a percent with a few decimals: all in machine integers.
        if let (Ok(n), Ok(denom)) = (u64::try_from(n), u64::try_from(denom)) {
            let power = (0..=6u32)
                .map(|k| 10u64.pow(k))
                .enumerate()
                .find(|(_, p)| p % denom == 0);
            if let Some((k, p)) = power {
                if let Some(n) = n.checked_mul(p / denom) {
                    return Frac::dec_of(u128::from(n), k as u64 + 2);
                }
            }
        }
        match decimal_scale(denom) {
            Some((multiplier, k)) => Frac::dec(BigUint::from(n) * multiplier, k + 2),
            None => Frac::Rat(Box::new(super::fraction::fraction_of_percent(p))),
        }
    }

    pub fn of_ratio(r: &BigRational) -> Frac {
        let numer = match r.numer().sign() {
            Sign::Minus => None,
            _ => Some(r.numer().magnitude().clone()),
        };
        let denom = r.denom().magnitude();
        match (numer, decimal_scale_big(denom)) {
            (Some(n), Some((multiplier, k))) => Frac::dec(n * multiplier, k),
            _ => Frac::Rat(Box::new(r.clone())),
        }
    }

    /// The reduced rational.
    pub fn ratio(&self) -> BigRational {
        match self {
            Frac::Rat(r) => (**r).clone(),
            Frac::Small(s) => match s.reduced() {
                Some((n, denom)) => BigRational::new_raw(BigInt::from(n), BigInt::from(denom)),
                None => decimal_ratio(BigUint::from(s.n), u64::from(s.scale)),
            },
            Frac::Dec { n, scale } => decimal_ratio(n.clone(), *scale),
        }
    }

    pub fn is_zero(&self) -> bool {
        match self {
            Frac::Small(s) => s.n == 0,
            Frac::Dec { n, .. } => n.is_zero(),
            Frac::Rat(r) => r.is_zero(),
        }
    }

    pub fn is_one(&self) -> bool {
        matches!(self, Frac::Small(s) if *s == Small::ONE)
    }

    pub fn mul(&self, other: &Frac) -> Frac {
        if self.is_one() {
            return other.clone();
        }
        if other.is_one() {
            return self.clone();
        }
        if let (Frac::Small(a), Frac::Small(b)) = (self, other) {
            if let Some(p) = a.mul(*b) {
                return Frac::Small(p);
            }
        }
        match (self.big(), other.big()) {
            (Some((a, s)), Some((b, t))) => Frac::dec(&*a * &*b, s.saturating_add(t)),
            _ => Frac::of_ratio(&(self.ratio() * other.ratio())),
        }
    }

    /// [`Frac::mul`], reusing `self`'s number when `other` is 1.
    pub fn times(self, other: &Frac) -> Frac {
        if other.is_one() {
            return self;
        }
        self.mul(other)
    }

    /// [`Frac::add`] of a fraction given away: kept as it is when `self` is 0.
    pub fn add_owned(&mut self, other: Frac) {
        if self.is_zero() {
            if !other.is_zero() {
                *self = other;
            }
            return;
        }
        self.add(&other);
    }

    pub fn add(&mut self, other: &Frac) {
        if other.is_zero() {
            return;
        }
        if self.is_zero() {
            *self = other.clone();
            return;
        }
        if let (Frac::Small(a), Frac::Small(b)) = (&*self, other) {
            if let Some(sum) = a.add(*b) {
                *self = Frac::Small(sum);
                return;
            }
        }
        *self = match (self.big(), other.big()) {
            (Some((a, s)), Some((b, t))) => {
                let scale = s.max(t);
                Frac::dec(&*a * pow(10, scale - s) + &*b * pow(10, scale - t), scale)
            }
            _ => Frac::of_ratio(&(self.ratio() + other.ratio())),
        };
    }

    /// `self - other`, for `other` not larger (else 0).
    pub fn sub(&self, other: &Frac) -> Frac {
        if let (Frac::Small(a), Frac::Small(b)) = (self, other) {
            if let Some(d) = a.sub(*b) {
                return Frac::Small(d);
            }
        }
        match (self.big(), other.big()) {
            (Some((a, s)), Some((b, t))) => {
                let scale = s.max(t);
                let (a, b) = (&*a * pow(10, scale - s), &*b * pow(10, scale - t));
                if a <= b {
                    return Frac::zero();
                }
                Frac::dec(a - b, scale)
            }
            _ => Frac::of_ratio(&(self.ratio() - other.ratio()).max(BigRational::zero())),
        }
    }

    pub fn cmp(&self, other: &Frac) -> Ordering {
        if let (Frac::Small(a), Frac::Small(b)) = (self, other) {
            return a.cmp(*b);
        }
        match (self.big(), other.big()) {
            (Some((a, s)), Some((b, t))) => {
                if s <= t {
                    cmp_scaled(&a, t - s, &b)
                } else {
                    cmp_scaled(&b, s - t, &a).reverse()
                }
            }
            _ => self.ratio().cmp(&other.ratio()),
        }
    }
}

/// `x × 10^d` against `y`, by bit lengths where they decide (2^3.3219 < 10 < 2^3.3220).
fn cmp_scaled(x: &BigUint, d: u64, y: &BigUint) -> Ordering {
    if d == 0 {
        return x.cmp(y);
    }
    if x.is_zero() || y.is_zero() {
        return x.is_zero().cmp(&y.is_zero()).reverse();
    }
    // x·10^d lies in [2^(bits(x)-1) · 10^d, 2^bits(x) · 10^d).
    let low = (x.bits() - 1).saturating_add(d.saturating_mul(33_219) / 10_000);
    let high = x
        .bits()
        .saturating_add(d.saturating_mul(33_220).div_ceil(10_000));
    if high < y.bits() {
        return Ordering::Less;
    }
    if low >= y.bits() {
        return Ordering::Greater;
    }
    (x * pow(10, d)).cmp(y)
}

/// `n mod 5`, without allocating: 2^64 ≡ 1 (mod 5), so it is the sum of the digits mod 5.
/// `n / 10^scale` as a reduced rational: the 2s and 5s of `n` cancelled against the scale's.
fn decimal_ratio(n: BigUint, scale: u64) -> BigRational {
    let twos = n.trailing_zeros().unwrap_or(0).min(scale);
    let mut n = n >> twos;
    let mut fives = 0;
    while fives < scale && !n.is_zero() && mod_5(&n) == 0 {
        n /= 5u32;
        fives += 1;
    }
    let denom = pow(2, scale - twos) * pow(5, scale - fives);
    BigRational::new_raw(BigInt::from(n), BigInt::from(denom))
}

fn mod_5(n: &BigUint) -> u64 {
    n.iter_u64_digits().fold(0, |acc, d| (acc + d % 5) % 5)
}

fn pow(base: u32, exp: u64) -> BigUint {
    match u32::try_from(exp) {
        Ok(e) => BigUint::from(base).pow(e),
        // Beyond any deal: a scale this large has no memory to be computed in.
        Err(_) => BigUint::from(base).pow(u32::MAX),
    }
}

/// For a denominator `2^a · 5^b`: the multiplier `2^(k-a) · 5^(k-b)` and `k = max(a, b)`.
fn decimal_scale(denom: i128) -> Option<(BigUint, u64)> {
    let mut d = u128::try_from(denom).ok().filter(|d| *d > 0)?;
    let twos = d.trailing_zeros();
    d >>= twos;
    let mut fives = 0u32;
    while d.is_multiple_of(5) {
        d /= 5;
        fives += 1;
    }
    (d == 1).then(|| {
        let k = twos.max(fives);
        (
            pow(2, u64::from(k - twos)) * pow(5, u64::from(k - fives)),
            u64::from(k),
        )
    })
}

fn decimal_scale_big(denom: &BigUint) -> Option<(BigUint, u64)> {
    match denom.to_i128() {
        Some(d) => decimal_scale(d),
        None => {
            let twos = denom.trailing_zeros().unwrap_or(0);
            let mut d = denom >> twos;
            let mut fives = 0u64;
            while !d.is_one() && (&d % 5u32).is_zero() {
                d /= 5u32;
                fives += 1;
            }
            d.is_one().then(|| {
                let k = twos.max(fives);
                (pow(2, k - twos) * pow(5, k - fives), k)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i64, d: i64) -> BigRational {
        BigRational::new(BigInt::from(n), BigInt::from(d))
    }

    fn p(text: &str) -> Frac {
        Frac::of_percent(Exact::parse(text).unwrap())
    }

    #[test]
    fn decimals_stay_decimal_and_canonical() {
        assert_eq!(p("100"), Frac::one());
        assert_eq!(p("60"), Frac::dec(BigUint::from(6u32), 1));
        assert_eq!(p("60"), Frac::Small(Small { n: 6, scale: 1 }));
        assert_eq!(p("29.4").ratio(), r(147, 500));
        let mut sum = p("30");
        sum.add(&p("70"));
        assert_eq!(sum, Frac::one());
        assert_eq!(p("50").mul(&p("20")), p("10"));
        assert_eq!(p("0"), Frac::zero());
        assert_eq!(Frac::of_ratio(&r(1, 8)), p("12.5"));
    }

    #[test]
    fn other_fractions_fall_back_to_rationals() {
        let third = Frac::of_ratio(&r(1, 3));
        assert!(matches!(third, Frac::Rat(_)));
        let mut sum = third.mul(&p("60"));
        sum.add(&p("80"));
        assert_eq!(sum.ratio(), r(1, 5) + r(4, 5));
        assert_eq!(sum.cmp(&Frac::one()), Ordering::Equal);
        assert_eq!(Frac::one().sub(&third).ratio(), r(2, 3));
    }

    #[test]
    fn comparisons_agree_with_rationals() {
        let values = [
            "0",
            "0.0001",
            "9.99",
            "10",
            "33.333333",
            "50",
            "60",
            "99.9999",
            "100",
        ];
        for a in values {
            for b in values {
                let (fa, fb) = (p(a), p(b));
                assert_eq!(fa.cmp(&fb), fa.ratio().cmp(&fb.ratio()), "{a} vs {b}");
                let (ma, mb) = (fa.mul(&p("99.9")).mul(&fa), fb.mul(&fb));
                assert_eq!(ma.cmp(&mb), ma.ratio().cmp(&mb.ratio()), "{a}² vs {b}²");
            }
        }
        // Close to 1 at a large scale: the bit lengths do not decide, the exact check does.
        let mut x = Frac::one();
        for _ in 0..300 {
            x = x.mul(&p("99"));
        }
        assert_eq!(x.cmp(&Frac::one()), Ordering::Less);
        assert_eq!(Frac::one().cmp(&x), Ordering::Greater);
        assert_eq!(x.ratio(), r(99, 100).pow(300));
    }

    #[test]
    fn a_deep_product_is_linear_per_step() {
        let mut x = Frac::one();
        for _ in 0..5_000 {
            x = x.mul(&p("60"));
        }
        assert_eq!(x.ratio(), r(3, 5).pow(5_000));
    }
}
