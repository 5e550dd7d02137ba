//! The walk's fractions against exact rationals: machine-integer decimals ([`Small`]), big
//! decimals past them and rationals, on random chains of products, sums, differences and
//! comparisons that cross from one form to the other both ways.

use std::cmp::Ordering;

use num_bigint::{BigInt, BigUint};
use num_rational::BigRational;
use num_traits::Zero;
use proptest::prelude::*;

use crate::number::Exact;
use crate::ownership::frac::Frac;
use crate::ownership::small::Small;

/// A percent with up to 6 decimals, as a deal writes it, up to 10^7 %.
fn percent() -> impl Strategy<Value = (Frac, BigRational)> {
    (0u64..10_000_000, 0u32..=6, 0u64..1_000_000).prop_map(|(int, places, frac)| {
        let digits = frac % 10u64.pow(places);
        let text = match places {
            0 => format!("{int}"),
            _ => format!("{int}.{digits:0width$}", width = places as usize),
        };
        let exact = Exact::parse(&text).unwrap();
        let denom = BigInt::from(10u64.pow(places)) * BigInt::from(100);
        let numer = BigInt::from(int) * BigInt::from(10u64.pow(places)) + BigInt::from(digits);
        (Frac::of_percent(exact), BigRational::new(numer, denom))
    })
}

/// A fraction in any form: a percent, a decimal of any size, or a rational that is no decimal.
fn operand() -> impl Strategy<Value = (Frac, BigRational)> {
    prop_oneof![
        6 => percent(),
        2 => (any::<u128>(), any::<u64>(), 0u64..60).prop_map(|(hi, lo, scale)| {
            let n = (BigUint::from(hi) << 64u32) + BigUint::from(lo);
            let exact = BigRational::new(BigInt::from(n.clone()), BigInt::from(10).pow(scale as u32));
            (Frac::of_ratio(&exact), exact)
        }),
        1 => (0u64..1_000, 1u64..1_000).prop_map(|(n, d)| {
            let exact = BigRational::new(BigInt::from(n), BigInt::from(d * 3));
            (Frac::of_ratio(&exact), exact)
        }),
    ]
}

#[derive(Clone, Copy, Debug)]
enum Op {
    Mul,
    Times,
    Add,
    AddOwned,
    Sub,
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Mul),
        Just(Op::Times),
        Just(Op::Add),
        Just(Op::AddOwned),
        Just(Op::Sub)
    ]
}

/// The one form of a value: what [`Frac::of_ratio`] makes of it.
fn check(f: &Frac, exact: &BigRational) -> Result<(), TestCaseError> {
    prop_assert_eq!(&f.ratio(), exact);
    prop_assert_eq!(f, &Frac::of_ratio(exact));
    prop_assert_eq!(f.is_zero(), exact.is_zero());
    if let Frac::Small(s) = f {
        prop_assert_eq!(Small::new(u128::from(s.n), u64::from(s.scale)), Some(*s));
    }
    if let Frac::Dec { n, scale } = f {
        // A decimal in big integers only when it does not fit machine ones.
        let fits = u64::try_from(n).is_ok() && u32::try_from(*scale).is_ok();
        prop_assert!(!fits, "{n} / 10^{scale} fits a Small");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn machine_decimals_agree_with_exact_rationals(
        start in operand(),
        steps in prop::collection::vec((op(), operand()), 1..12),
    ) {
        let (mut f, mut exact) = start;
        check(&f, &exact)?;
        for (op, (g, g_exact)) in steps {
            prop_assert_eq!(f.cmp(&g), exact.cmp(&g_exact));
            prop_assert_eq!(g.cmp(&f), g_exact.cmp(&exact));
            prop_assert_eq!(f == g, exact == g_exact);
            (f, exact) = match op {
                Op::Mul => (f.mul(&g), exact * &g_exact),
                Op::Times => (f.times(&g), exact * &g_exact),
                Op::Add => {
                    f.add(&g);
                    (f, exact + &g_exact)
                }
                Op::AddOwned => {
                    f.add_owned(g);
                    (f, exact + &g_exact)
                }
                Op::Sub => {
                    let d = (&exact - &g_exact).max(BigRational::zero());
                    (f.sub(&g), d)
                }
            };
            check(&f, &exact)?;
        }
    }
}

#[test]
fn small_decimals_cross_to_big_ones_and_back() {
    let p = |t: &str| Frac::of_percent(Exact::parse(t).unwrap());
    let mut x = Frac::one();
    for _ in 0..4 {
        x = x.mul(&p("99.999999"));
    }
    // 0.99999999^4: a numerator of 32 digits, past u64.
    assert!(matches!(x, Frac::Dec { .. }), "{x:?}");
    let back = x.sub(&x.mul(&p("50")));
    assert!(matches!(back, Frac::Dec { .. }));
    assert_eq!(x.sub(&back).cmp(&back), Ordering::Equal);
    // A big decimal minus nearly all of it: small again.
    let mut almost = x.clone();
    almost.add(&p("0.5"));
    assert_eq!(almost.sub(&x), p("0.5"));
    assert!(matches!(almost.sub(&x), Frac::Small(_)));
    // A comparison whose scaled side passes u128 is decided without overflow.
    let tiny = Frac::Small(Small { n: 1, scale: 60 });
    assert_eq!(p("0.0001").cmp(&tiny), Ordering::Greater);
    assert_eq!(tiny.cmp(&p("0.0001")), Ordering::Less);
    assert_eq!(Frac::zero().cmp(&tiny), Ordering::Less);
}
