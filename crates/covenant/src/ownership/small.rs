//! The arithmetic of [`super::frac::Frac::Small`]: a decimal `n / 10^scale` in machine
//! integers. Every step is exact or says it does not fit (`None`), and the caller then computes
//! with big numbers: a result here is always the exact one.

use std::cmp::Ordering;

/// `n / 10^scale`, canonical: `n` is not a multiple of 10 unless `scale` is 0, and 0 has
/// scale 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Small {
    pub n: u64,
    pub scale: u32,
}

impl Small {
    pub const ZERO: Small = Small { n: 0, scale: 0 };
    pub const ONE: Small = Small { n: 1, scale: 0 };

    /// `n / 10^scale` trimmed to its canonical form, if it fits.
    pub fn new(n: u128, scale: u64) -> Option<Small> {
        if n == 0 {
            return Some(Small::ZERO);
        }
        let (mut n, mut scale) = (n, scale);
        // Trimming by 10 in u64 when it fits: a u128 division is a library call.
        while n > u128::from(u64::MAX) && scale > 0 && n % 10 == 0 {
            n /= 10;
            scale -= 1;
        }
        let mut n = u64::try_from(n).ok()?;
        while scale > 0 && n.is_multiple_of(10) {
            n /= 10;
            scale -= 1;
        }
        Some(Small {
            n,
            scale: u32::try_from(scale).ok()?,
        })
    }

    pub fn mul(self, other: Small) -> Option<Small> {
        let n = u128::from(self.n) * u128::from(other.n);
        Small::new(n, u64::from(self.scale) + u64::from(other.scale))
    }

    /// Both numerators at the larger scale, if they fit.
    fn aligned(self, other: Small) -> Option<(u128, u128, u32)> {
        let scale = self.scale.max(other.scale);
        let a = scaled(self.n, scale - self.scale)?;
        let b = scaled(other.n, scale - other.scale)?;
        Some((a, b, scale))
    }

    pub fn add(self, other: Small) -> Option<Small> {
        let (a, b, scale) = self.aligned(other)?;
        Small::new(a.checked_add(b)?, u64::from(scale))
    }

    /// `self - other`, 0 when `other` is not smaller.
    pub fn sub(self, other: Small) -> Option<Small> {
        let (a, b, scale) = self.aligned(other)?;
        match a.checked_sub(b) {
            Some(d) => Small::new(d, u64::from(scale)),
            None => Some(Small::ZERO),
        }
    }

    pub fn cmp(self, other: Small) -> Ordering {
        if self.scale <= other.scale {
            cmp_scaled(self.n, other.scale - self.scale, other.n)
        } else {
            cmp_scaled(other.n, self.scale - other.scale, self.n).reverse()
        }
    }

    /// The reduced numerator and denominator, if the denominator fits.
    pub fn reduced(self) -> Option<(u64, u128)> {
        let twos = self.n.trailing_zeros().min(self.scale);
        let mut n = self.n >> twos;
        let mut fives = 0;
        while fives < self.scale && n != 0 && n.is_multiple_of(5) {
            n /= 5;
            fives += 1;
        }
        let denom = 2u128
            .checked_pow(self.scale - twos)?
            .checked_mul(5u128.checked_pow(self.scale - fives)?)?;
        Some((n, denom))
    }
}

/// `n × 10^d`, if it fits a u128.
fn scaled(n: u64, d: u32) -> Option<u128> {
    u128::from(n).checked_mul(10u128.checked_pow(d)?)
}

/// `x × 10^d` against `y`: an `x × 10^d` past u128 is larger than any u64.
fn cmp_scaled(x: u64, d: u32, y: u64) -> Ordering {
    if x == 0 {
        return 0.cmp(&y);
    }
    match scaled(x, d) {
        Some(x) => x.cmp(&u128::from(y)),
        None => Ordering::Greater,
    }
}
