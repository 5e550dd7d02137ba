//! Exact numbers: rationals over `i128` with checked arithmetic.
//!
//! Deal and policy numbers are read from their source text as decimals and kept exact;
//! division that does not terminate stays a rational (`100% / 3 * 3 = 100%`). An overflow is an
//! error, never a silent rounding.

use std::cmp::Ordering;
use std::fmt;

use num_rational::Ratio;
use num_traits::{CheckedAdd, CheckedDiv, CheckedMul, CheckedSub, Signed, Zero};
use rust_decimal::Decimal;

mod display;
pub mod read;

/// An exact rational number.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Exact(Ratio<i128>);

/// Arithmetic that would overflow or divide by zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArithError {
    Overflow,
    DivisionByZero,
}

/// 5^0 ..= 5^18.
const POW5: [u64; 19] = [
    1,
    5,
    25,
    125,
    625,
    3_125,
    15_625,
    78_125,
    390_625,
    1_953_125,
    9_765_625,
    48_828_125,
    244_140_625,
    1_220_703_125,
    6_103_515_625,
    30_517_578_125,
    152_587_890_625,
    762_939_453_125,
    3_814_697_265_625,
];

impl Exact {
    pub const ZERO: Exact = Exact(Ratio::new_raw(0, 1));
    pub const ONE: Exact = Exact(Ratio::new_raw(1, 1));
    pub const HUNDRED: Exact = Exact(Ratio::new_raw(100, 1));

    pub fn from_int(i: i128) -> Exact {
        Exact(Ratio::from_integer(i))
    }

    /// The value as an unbounded rational, for sums that may pass the range of `i128`.
    pub fn to_big(self) -> num_rational::BigRational {
        let (n, d) = (*self.0.numer(), *self.0.denom());
        num_rational::BigRational::new(n.into(), d.into())
    }

    #[cfg(test)]
    pub(crate) fn from_decimal(d: Decimal) -> Exact {
        let scale = d.scale();
        let denom = 10i128.pow(scale);
        Exact(Ratio::new(d.mantissa(), denom))
    }

    /// `mantissa / 10^scale`: the value of a decimal with `scale` fraction digits, reduced
    /// without `i128` division (as every `Exact` is reduced).
    pub(crate) fn from_scaled(mantissa: i64, scale: u32) -> Option<Exact> {
        if mantissa == 0 {
            return Some(Exact::ZERO);
        }
        let mut n = mantissa.unsigned_abs();
        let twos = n.trailing_zeros().min(scale);
        n >>= twos;
        let mut fives = scale;
        while fives > 0 && n.is_multiple_of(5) {
            n /= 5;
            fives -= 1;
        }
        // 2^a * 5^b with a, b <= scale: from a table up to 10^18 (every deal's short form).
        let denom = match POW5.get(fives as usize) {
            Some(&five) if scale <= 18 => i128::from((1u64 << (scale - twos)) * five),
            _ => 2i128
                .checked_pow(scale - twos)?
                .checked_mul(5i128.checked_pow(fives)?)?,
        };
        let numer = i128::from(n);
        Some(Exact(Ratio::new_raw(
            if mantissa < 0 { -numer } else { numer },
            denom,
        )))
    }

    /// Parse a plain decimal such as `1_000_000`, `3.5`, `-0.25` (not `1e3`): see
    /// [`read::plain_decimal`].
    pub fn parse(text: &str) -> Option<Exact> {
        read::plain_decimal(text).ok()
    }

    pub fn checked_add(self, o: Exact) -> Result<Exact, ArithError> {
        // Two integers (most percents of a deal): their sum, in lowest terms already.
        if *self.0.denom() == 1 && *o.0.denom() == 1 {
            if let Some(n) = i128::checked_add(*self.0.numer(), *o.0.numer()) {
                return Ok(Exact(Ratio::new_raw(n, 1)));
            }
        }
        if let (Some(a), Some(b)) = (self.small(), o.small()) {
            return Ok(Small::sum(a, b, 1));
        }
        self.0
            .checked_add(&o.0)
            .map(Exact)
            .ok_or(ArithError::Overflow)
    }

    pub fn checked_sub(self, o: Exact) -> Result<Exact, ArithError> {
        if let (Some(a), Some(b)) = (self.small(), o.small()) {
            return Ok(Small::sum(a, b, -1));
        }
        self.0
            .checked_sub(&o.0)
            .map(Exact)
            .ok_or(ArithError::Overflow)
    }

    pub fn checked_mul(self, o: Exact) -> Result<Exact, ArithError> {
        if let (Some(a), Some(b)) = (self.small(), o.small()) {
            return Ok(Small::reduced(a.n * b.n, a.d * b.d));
        }
        self.0
            .checked_mul(&o.0)
            .map(Exact)
            .ok_or(ArithError::Overflow)
    }

    /// `self` percent of `x`: `self / 100 × x`. For two integers (most percents and amounts
    /// of a deal) one product and one reduction, not two; the same value either way, and no
    /// overflow either way (both are below 2^62).
    pub fn percent_of(self, x: Exact) -> Result<Exact, ArithError> {
        if let (Some(a), Some(b)) = (self.small(), x.small()) {
            if a.d == 1 && b.d == 1 {
                return Ok(Small::reduced(a.n * b.n, 100));
            }
        }
        self.checked_div(Exact::HUNDRED)?.checked_mul(x)
    }

    pub fn checked_div(self, o: Exact) -> Result<Exact, ArithError> {
        if o.0.is_zero() {
            return Err(ArithError::DivisionByZero);
        }
        if let (Some(a), Some(b)) = (self.small(), o.small()) {
            let (n, d) = (a.n * b.d, a.d * b.n);
            return Ok(if d < 0 {
                Small::reduced(-n, -d)
            } else {
                Small::reduced(n, d)
            });
        }
        self.0
            .checked_div(&o.0)
            .map(Exact)
            .ok_or(ArithError::Overflow)
    }

    /// The value as a whole number of `unit`ths (`self * unit`), when that is whole and fits:
    /// a sum of such numbers is exact without a fraction reduced at each step.
    pub(crate) fn in_units(self, unit: u64) -> Option<i128> {
        let (n, d) = (*self.0.numer(), *self.0.denom());
        let d = u64::try_from(d).ok()?;
        if !unit.is_multiple_of(d) {
            return None;
        }
        n.checked_mul(i128::from(unit / d))
    }

    /// The numerator and denominator when both are below 2^62 in magnitude: then sums and
    /// products of two such numbers are exact in `i128`, without the divisions `Ratio` needs
    /// to avoid overflow. The results are the same reduced fractions `Ratio` gives.
    fn small(self) -> Option<Small> {
        let (n, d) = (*self.0.numer(), *self.0.denom());
        (n.unsigned_abs() < SMALL && d.unsigned_abs() < SMALL).then_some(Small { n, d })
    }

    pub fn is_zero(self) -> bool {
        self.0.is_zero()
    }

    pub fn is_integer(self) -> bool {
        self.0.is_integer()
    }

    pub fn abs(self) -> Exact {
        Exact(self.0.abs())
    }

    pub fn is_negative(self) -> bool {
        self.0.is_negative()
    }

    /// The integer value, when this number is a whole number that fits.
    pub fn to_i128(self) -> Option<i128> {
        self.0.is_integer().then(|| *self.0.numer())
    }

    /// The reduced numerator and the (positive) denominator: for conversions into other exact
    /// number types (ownership's unbounded rationals).
    pub fn parts(self) -> (i128, i128) {
        (*self.0.numer(), *self.0.denom())
    }

    /// The value of the parts [`Exact::parts`] gave (a numerator and a positive denominator in
    /// lowest terms), taken as they are, not reduced again.
    pub(crate) fn from_parts(numer: i128, denom: i128) -> Exact {
        // `Ratio`'s equality compares values: the reduced numerator is compared instead.
        debug_assert!(denom > 0 && *Ratio::new(numer, denom).numer() == numer);
        Exact(Ratio::new_raw(numer, denom))
    }

    /// True when the decimal expansion terminates (denominator has only factors 2 and 5).
    pub fn terminates(self) -> bool {
        let mut d = *self.0.denom();
        while d % 2 == 0 {
            d /= 2;
        }
        while d % 5 == 0 {
            d /= 5;
        }
        d == 1
    }

    /// Rounded to at most `places` decimal places (half away from zero).
    pub fn to_decimal_rounded(self, places: u32) -> Option<Decimal> {
        // Beyond 96 bits a Decimal cannot hold the value: no rounding then, never a panic.
        let n = Decimal::try_from_i128_with_scale(*self.0.numer(), 0).ok()?;
        let d = Decimal::try_from_i128_with_scale(*self.0.denom(), 0).ok()?;
        // Decimal division keeps 28 significant digits, enough for display.
        n.checked_div(d).map(|q| q.round_dp(places).normalize())
    }

    /// Shortest exact decimal text, or a rounded one prefixed with `≈`.
    pub fn display(self) -> String {
        let mut text = String::with_capacity(32);
        self.push_display(&mut text);
        text
    }

    /// [`Exact::display`] at the end of `out`: an integer, or a fraction with small parts,
    /// without allocating text of its own.
    pub fn push_display(self, out: &mut String) {
        if self.is_integer() {
            out.push_str(integer_text(*self.0.numer(), &mut itoa::Buffer::new()));
            return;
        }
        if !self.push_small(out) {
            out.push_str(&self.display_via_decimal());
        }
    }

    /// [`Exact::display`] for a fraction with small parts, with integers only: the same text
    /// as the `Decimal` arithmetic of [`Exact::display_via_decimal`] (a unit test compares).
    #[cfg(test)]
    fn display_small(self) -> Option<String> {
        let mut text = String::new();
        self.push_small(&mut text).then_some(text)
    }

    /// [`Exact::display_small`] at the end of `out`; `false` (nothing written) when the parts
    /// are not small.
    fn push_small(self, out: &mut String) -> bool {
        self.small_parts()
            .is_some_and(|(negative, digits, places, approx)| {
                if approx {
                    out.push('≈');
                }
                if negative && digits != 0 {
                    out.push('-');
                }
                let mut buf = itoa::Buffer::new();
                let raw = decimal_digits(digits, &mut buf);
                let places = places as usize;
                if raw.len() <= places {
                    out.push_str("0.");
                    out.extend(std::iter::repeat_n('0', places - raw.len()));
                    out.push_str(raw);
                } else {
                    let (int, frac) = raw.split_at(raw.len() - places);
                    out.push_str(int);
                    if !frac.is_empty() {
                        out.push('.');
                        out.push_str(frac);
                    }
                }
                true
            })
    }

    /// The text of a fraction with small parts: whether it is negative, its digits, how many
    /// of them are decimal places, and whether it is rounded.
    fn small_parts(self) -> Option<(bool, u128, u32, bool)> {
        const E9: i128 = 1_000_000_000;
        const E27: u128 = 10u128.pow(27);
        let (n, d) = (*self.0.numer(), *self.0.denom());
        if n.unsigned_abs() >= SMALL || !(2..SMALL as i128).contains(&d) {
            return None;
        }
        let (twos, fives) = {
            // Below `SMALL`, a word: divided by five with a multiplication, not a `u128` call.
            let mut r = u64::try_from(d).ok()?;
            let twos = r.trailing_zeros();
            r >>= twos;
            let mut fives = 0u32;
            while r % 5 == 0 {
                r /= 5;
                fives += 1;
            }
            (r == 1).then_some((twos, fives))
        }
        .unzip();
        let negative = n < 0;
        let (digits, places, approx) = match (twos, fives) {
            // A terminating fraction: n/d = m / 10^k exactly, with no trailing zero in m.
            (Some(twos), Some(fives)) => {
                let k = twos.max(fives);
                // At most 28 places and 27 digits: Decimal holds it exactly.
                if k > 28 {
                    return None;
                }
                let m = n
                    .unsigned_abs()
                    .checked_mul(2u128.pow(k - twos))?
                    .checked_mul(5u128.pow(k - fives))?;
                if m >= E27 {
                    return None;
                }
                (m, k, false)
            }
            // Rounded to 4 places. Never a tie (a tie would terminate); for small parts the
            // 28 digits Decimal divides to cannot move the value across one either.
            _ => {
                if d >= E9 || n.unsigned_abs() >= (E9 * d).unsigned_abs() {
                    return None;
                }
                let scaled = n.unsigned_abs() * 10_000;
                let (q, r) = (scaled / d.unsigned_abs(), scaled % d.unsigned_abs());
                let q = if 2 * r > d.unsigned_abs() { q + 1 } else { q };
                // Trailing zeros go, as `normalize` drops them.
                let (mut q, mut k) = (q, 4);
                while k > 0 && q % 10 == 0 {
                    q /= 10;
                    k -= 1;
                }
                (q, k, true)
            }
        };
        Some((negative, digits, places, approx))
    }

    /// [`Exact::display`] by `Decimal` arithmetic, for any fraction.
    fn display_via_decimal(self) -> String {
        if self.terminates() {
            if let Some(d) = self.to_decimal_rounded(28) {
                return d.normalize().to_string();
            }
        }
        match self.to_decimal_rounded(4) {
            Some(d) => format!("≈{}", d.normalize()),
            None => display::long(self),
        }
    }
}

/// The decimal digits of `n` (39 at most), written in `buf` by `itoa` (two digits a step, and
/// no check of the text as UTF-8 after).
fn decimal_digits(n: u128, buf: &mut itoa::Buffer) -> &str {
    buf.format(n)
}

/// The decimal text of `n`, its sign first.
fn integer_text(n: i128, buf: &mut itoa::Buffer) -> &str {
    buf.format(n)
}

impl PartialOrd for Exact {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Exact {
    fn cmp(&self, other: &Self) -> Ordering {
        // Two integers (most percents and counts of a deal): their numerators.
        if *self.0.denom() == 1 && *other.0.denom() == 1 {
            return self.0.numer().cmp(other.0.numer());
        }
        match (self.small(), other.small()) {
            // Denominators are positive: compare the cross products.
            (Some(a), Some(b)) => (a.n * b.d).cmp(&(b.n * a.d)),
            _ => self.0.cmp(&other.0),
        }
    }
}

/// Bound on the magnitude of the parts of a [`Small`] fraction.
const SMALL: u128 = 1 << 62;

/// A fraction whose parts are below [`SMALL`] in magnitude (the denominator positive).
#[derive(Clone, Copy)]
struct Small {
    n: i128,
    d: i128,
}

impl Small {
    /// `a + sign * b`, reduced.
    fn sum(a: Small, b: Small, sign: i128) -> Exact {
        if a.d == b.d {
            let n = a.n + sign * b.n;
            if a.d == 1 {
                return Exact(Ratio::new_raw(n, 1));
            }
            return Small::reduced(n, a.d);
        }
        Small::reduced(a.n * b.d + sign * b.n * a.d, a.d * b.d)
    }

    /// `n / d` in lowest terms, for `d > 0` and both below 2^126 in magnitude.
    fn reduced(n: i128, d: i128) -> Exact {
        if d == 1 {
            return Exact(Ratio::new_raw(n, 1));
        }
        if n == 0 {
            return Exact::ZERO;
        }
        let g = gcd(n.unsigned_abs(), d.unsigned_abs());
        Exact(Ratio::new_raw(div(n, g), div(d, g)))
    }
}

/// Greatest common divisor (Euclid), in 64 bits once both fit.
fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        if let (Ok(x), Ok(y)) = (u64::try_from(a), u64::try_from(b)) {
            return u128::from(gcd64(x, y));
        }
        (a, b) = (b, a % b);
    }
    a
}

fn gcd64(mut a: u64, mut b: u64) -> u64 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// `x / g` for a divisor `g` of `x`, in 64 bits when both fit.
fn div(x: i128, g: u128) -> i128 {
    let m = x.unsigned_abs();
    let q = match (u64::try_from(m), u64::try_from(g)) {
        (Ok(m), Ok(g)) => u128::from(m / g.max(1)),
        _ => m / g.max(1),
    };
    // q <= |x| < 2^127 fits.
    let q = i128::try_from(q).unwrap_or(i128::MAX);
    if x < 0 {
        -q
    } else {
        q
    }
}

impl fmt::Display for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_integer() {
            // [`Exact::display`]'s text, without a string of its own.
            return f.write_str(integer_text(*self.0.numer(), &mut itoa::Buffer::new()));
        }
        f.write_str(&self.display())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Exact {
        Exact::parse(s).unwrap_or(Exact::ZERO)
    }

    #[test]
    fn integer_sums_are_the_sums_of_the_general_path() {
        let big = i128::MAX / 2;
        for (a, b) in [
            (0, 0),
            (51, 49),
            (-7, 7),
            (100, -250),
            (big, big),
            (big, -big - 1),
        ] {
            let (x, y) = (Exact(Ratio::new_raw(a, 1)), Exact(Ratio::new_raw(b, 1)));
            let general = x.0.checked_add(&y.0).map(Exact).ok_or(ArithError::Overflow);
            assert_eq!(x.checked_add(y), general, "{a} + {b}");
        }
        let max = Exact(Ratio::new_raw(i128::MAX, 1));
        assert_eq!(max.checked_add(Exact::ONE), Err(ArithError::Overflow));
        assert_eq!(n("0.5").checked_add(n("2")), Ok(n("2.5")));
    }

    #[test]
    fn sums_are_exact() {
        assert_eq!(n("0.1").checked_add(n("0.2")), Ok(n("0.3")));
        let third = n("100").checked_div(n("3")).unwrap_or(Exact::ZERO);
        assert_eq!(third.checked_mul(n("3")), Ok(n("100")));
        assert_eq!(third.display(), "≈33.3333");
        assert_eq!(n("1_000_000").display(), "1000000");
        assert_eq!(n("3.50").display(), "3.5");
    }

    #[test]
    fn scaled_decimals_are_reduced_like_parsed_ones() {
        for (m, s) in [
            (0, 3),
            (5, 0),
            (-5, 0),
            (3334, 2),
            (1550, 2),
            (-1250, 3),
            (7, 1),
            (1024, 10),
            (999_999_999_999_999_999, 18),
            (-100_000_000_000_000_000, 18),
        ] {
            let d = Decimal::try_from_i128_with_scale(i128::from(m), s).unwrap_or_default();
            let expected = Exact::from_decimal(d);
            let got = Exact::from_scaled(m, s).unwrap_or(Exact::ONE);
            assert_eq!(got.0.numer(), expected.0.numer(), "{m}/10^{s}");
            assert_eq!(got.0.denom(), expected.0.denom(), "{m}/10^{s}");
        }
    }

    /// The 64-bit fast paths give exactly the fractions (and errors) of `Ratio`'s arithmetic.
    #[test]
    fn fast_paths_agree_with_ratio() {
        let near = (1i128 << 62) - 1;
        let mut values: Vec<Exact> = [
            0,
            1,
            -1,
            2,
            3,
            7,
            100,
            -100,
            1_000_000_007,
            near,
            -near,
            near + 1,
            -near - 1,
            i128::MAX / 3,
            1 << 100,
        ]
        .iter()
        .map(|&i| Exact::from_int(i))
        .collect();
        for (n, d) in [
            (1, 3),
            (-2, 3),
            (1667, 50),
            (3334, 100),
            (100, 3),
            (near, 7),
            (7, near),
            (-near, near - 2),
            (1, 1 << 61),
            (1 << 70, 3),
            (5, 1 << 80),
        ] {
            values.push(Exact(Ratio::new(n, d)));
        }
        let same = |fast: Result<Exact, ArithError>, slow: Option<Ratio<i128>>, what: &str| match (
            fast, slow,
        ) {
            (Ok(f), Some(s)) => {
                assert_eq!((f.0.numer(), f.0.denom()), (s.numer(), s.denom()), "{what}")
            }
            (Err(_), None) => {}
            (f, s) => panic!("{what}: {f:?} vs {s:?}"),
        };
        for &a in &values {
            for &b in &values {
                let what = format!("{:?} {:?}", a.0, b.0);
                same(a.checked_add(b), a.0.checked_add(&b.0), &what);
                same(a.checked_sub(b), a.0.checked_sub(&b.0), &what);
                same(a.checked_mul(b), a.0.checked_mul(&b.0), &what);
                if !b.is_zero() {
                    same(a.checked_div(b), a.0.checked_div(&b.0), &what);
                }
                assert_eq!(a.cmp(&b), a.0.cmp(&b.0), "{what}");
            }
        }
    }

    /// The integer path of `display` writes what the `Decimal` path does.
    #[test]
    fn small_fractions_display_as_decimal_arithmetic_does() {
        let mut checked = 0;
        let dens: Vec<i128> = (2..=400)
            .chain([
                512,
                625,
                1000,
                1024,
                3125,
                1 << 20,
                10i128.pow(9) - 1,
                10i128.pow(9),
            ])
            .chain([
                2i128.pow(40),
                5i128.pow(20),
                10i128.pow(17),
                3 * 10i128.pow(8),
            ])
            .collect();
        let nums: Vec<i128> = (-60..=60)
            .chain([
                1,
                7,
                999,
                1667,
                3334,
                123_456_789,
                10i128.pow(12) + 7,
                (1 << 62) - 1,
            ])
            .chain([
                -(10i128.pow(17)) - 3,
                4_999_999_999_999,
                5 * 10i128.pow(15) + 1,
            ])
            .collect();
        for &d in &dens {
            for &n in &nums {
                let x = Exact(Ratio::new(n, d));
                if x.is_integer() {
                    continue;
                }
                if let Some(fast) = x.display_small() {
                    assert_eq!(fast, x.display_via_decimal(), "{n}/{d}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 40_000, "{checked}");
        assert_eq!(n("33.34").display(), "33.34");
        assert_eq!(n("-0.25").display(), "-0.25");
        assert_eq!(Exact(Ratio::new(-1, 30_000)).display(), "≈0");
        assert_eq!(Exact(Ratio::new(200, 3)).display(), "≈66.6667");
    }

    /// `push_display` writes after what a text holds exactly what `display` gives, and an
    /// integer as `i128` prints it (the digits are written without the formatting machinery).
    #[test]
    fn push_display_appends_what_display_gives() {
        let ints = [
            0,
            1,
            -1,
            9,
            10,
            -10,
            99,
            100,
            12_345,
            -987_654_321,
            i128::MAX,
            i128::MIN,
        ];
        for i in ints.into_iter().chain((-1100..1100).map(|k| k * 37)) {
            let x = Exact::from_int(i);
            assert_eq!(x.display(), i.to_string());
            let mut text = String::from("stake ");
            x.push_display(&mut text);
            assert_eq!(text, format!("stake {i}"));
        }
        for (num, den) in [
            (1, 3),
            (-2, 3),
            (1, 8),
            (-7, 4),
            (10i128.pow(30), 7),
            (5, 10i128.pow(29)),
        ] {
            let x = Exact(Ratio::new(num, den));
            let mut text = String::from("≈");
            x.push_display(&mut text);
            assert_eq!(text, format!("≈{}", x.display()), "{num}/{den}");
        }
        assert_eq!(Exact(Ratio::new(-1, 8)).display(), "-0.125");
    }

    /// A terminating fraction prints as its exact decimal, however many places or digits it
    /// has (past what `Decimal` holds); one that does not terminate prints rounded, with `≈`:
    /// never as `n/d`.
    #[test]
    fn every_fraction_displays_as_a_decimal() {
        let p10 = |k: u32| 10i128.pow(k);
        assert_eq!(
            Exact(Ratio::new(7, p10(30))).display(),
            "0.000000000000000000000000000007"
        );
        assert_eq!(
            Exact(Ratio::new(-7, p10(30))).display(),
            "-0.000000000000000000000000000007"
        );
        assert_eq!(
            Exact(Ratio::new(1, 1 << 100)).display(),
            format!(
                "0.{}7888609052210118054117285652827862296732064351090230047702789306640625",
                "0".repeat(30)
            )
        );
        assert_eq!(
            Exact(Ratio::new(i128::MAX, 1024)).display(),
            "166153499473114484112975882535043071.9990234375"
        );
        assert_eq!(
            Exact(Ratio::new(i128::MAX, 3)).display(),
            "≈56713727820156410577229101238628035242.3333"
        );
        assert_eq!(
            Exact(Ratio::new(-i128::MAX, 7)).display(),
            "≈-24305883351495604533098186245126300818.1429"
        );
        assert_eq!(Exact(Ratio::new(2, p10(35) + 1)).display(), "≈0");
        assert_eq!(
            Exact(Ratio::new(p10(37) * 3 + 2, 3)).display(),
            "≈10000000000000000000000000000000000000.6667"
        );
    }

    #[test]
    fn division_by_zero_is_an_error() {
        assert_eq!(n("1").checked_div(n("0")), Err(ArithError::DivisionByZero));
    }

    #[test]
    fn overflow_is_an_error() {
        let big = Exact::from_int(i128::MAX / 2);
        assert_eq!(
            big.checked_mul(Exact::from_int(4)),
            Err(ArithError::Overflow)
        );
    }

    #[test]
    fn rejects_malformed() {
        assert!(Exact::parse("1e3").is_none());
        assert!(Exact::parse(".5").is_none());
        assert!(Exact::parse("").is_none());
    }

    /// The digits are those `Display` writes, across the switch from `u128` to `u64` division.
    #[test]
    fn digits_at_the_word_boundary() {
        let max = u128::from(u64::MAX);
        for n in [0, 9, 10, max - 1, max, max + 1, 10 * max + 9, u128::MAX] {
            assert_eq!(decimal_digits(n, &mut itoa::Buffer::new()), n.to_string());
        }
        let word = i128::from(u64::MAX);
        for i in [i128::MIN, -word - 1, -word, -1, word, word + 1, i128::MAX] {
            assert_eq!(integer_text(i, &mut itoa::Buffer::new()), i.to_string());
        }
    }

    /// `n` shifted left by `shift` bits when that keeps its value whole, else `n`: a large
    /// number for the property tests.
    fn shifted(n: i128, shift: u32) -> i128 {
        n.checked_shl(shift)
            .filter(|m| m >> shift == n)
            .unwrap_or(n)
    }

    proptest::proptest! {
        /// `u128` digits and `i128` text as `Display` writes them, whatever their size.
        #[test]
        fn digits_as_display_writes_them(n: u128, i: i128, shift in 0u32..128) {
            let (n, i) = (n >> shift, i >> shift);
            let (mut digits, mut text) = (itoa::Buffer::new(), itoa::Buffer::new());
            proptest::prop_assert_eq!(decimal_digits(n, &mut digits), n.to_string());
            proptest::prop_assert_eq!(integer_text(i, &mut text), i.to_string());
        }

        /// Exact numbers order as their fractions do: integers (compared by their numerators),
        /// small fractions (by cross products) and large ones (by `Ratio`) alike.
        #[test]
        fn exact_numbers_order_as_their_fractions(
            a in -1_000i128..1_000,
            b in 1i128..4,
            c in -1_000i128..1_000,
            d in 1i128..4,
            shift in 0u32..100,
        ) {
            let big = |n: i128| shifted(n, shift);
            for (x, y) in [
                (Ratio::new(a, b), Ratio::new(c, d)),
                (Ratio::new(big(a), b), Ratio::new(c, d)),
                (Ratio::new(big(a), 1), Ratio::new(big(c), 1)),
            ] {
                proptest::prop_assert_eq!(Exact(x).cmp(&Exact(y)), x.cmp(&y), "{} {}", x, y);
            }
        }

        /// A percent of an amount is the percent over a hundred times the amount: integers
        /// (one product, one reduction) and fractions and large numbers (the division, then
        /// the product) alike, overflow included.
        #[test]
        fn a_percent_of_an_amount_is_its_fraction_times_the_amount(
            (p, q) in (-1_000i128..1_000, 1i128..8),
            (m, d) in (-2_000_000_000_000i128..2_000_000_000_000, 1i128..8),
            shift in 0u32..70,
        ) {
            let pairs = [
                (Exact::from_int(p), Exact::from_int(m)),
                (Exact(Ratio::new(p, q)), Exact(Ratio::new(m, d))),
                (Exact::from_int(p), Exact::from_int(shifted(m, shift))),
                (Exact::from_int(shifted(p, shift)), Exact(Ratio::new(m, d))),
            ];
            for (percent, amount) in pairs {
                let general = percent
                    .checked_div(Exact::HUNDRED)
                    .and_then(|f| f.checked_mul(amount));
                proptest::prop_assert_eq!(percent.percent_of(amount), general);
            }
        }
    }
}
