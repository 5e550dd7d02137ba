//! [`Exact::display`] past what `Decimal` holds.

use num_traits::Signed;

use super::Exact;

/// [`Exact::display`] by long division, for fractions past what `Decimal` holds: every
/// digit of a terminating one, else 4 places rounded half away from zero, with `≈`.
pub(super) fn long(x: Exact) -> String {
    let (n, d) = (x.0.numer().unsigned_abs(), x.0.denom().unsigned_abs());
    let places = if x.terminates() {
        // d = 2^a 5^b: exactly max(a, b) places.
        let twos = d.trailing_zeros();
        let mut fives = 0;
        let mut r = d >> twos;
        while r > 1 && r % 5 == 0 {
            r /= 5;
            fives += 1;
        }
        twos.max(fives)
    } else {
        4
    };
    let mut digits: Vec<u8> = (n / d).to_string().into_bytes();
    let mut rem = n % d;
    for _ in 0..places {
        // 10 × rem by repeated addition: rem < d ≤ 2^127, so no sum overflows.
        let mut digit = 0u8;
        let mut acc = 0u128;
        for _ in 0..10 {
            acc += rem;
            if acc >= d {
                acc -= d;
                digit += 1;
            }
        }
        digits.push(b'0' + digit);
        rem = acc;
    }
    let approx = !x.terminates();
    // Round half away from zero; never a tie, since the fraction does not terminate.
    if approx && rem >= d - rem {
        let mut i = digits.len();
        loop {
            let Some(i_prev) = i.checked_sub(1) else {
                digits.insert(0, b'1');
                break;
            };
            i = i_prev;
            match digits.get_mut(i) {
                Some(c) if *c == b'9' => *c = b'0',
                Some(c) => {
                    *c += 1;
                    break;
                }
                None => break,
            }
        }
    }
    // A carry may have added a leading digit: the last `places` digits are the fraction.
    let (int, frac) = digits.split_at(digits.len().saturating_sub(places as usize));
    let int = String::from_utf8_lossy(int);
    let frac = String::from_utf8_lossy(frac);
    let frac = frac.trim_end_matches('0');
    let zero = int.bytes().all(|b| b == b'0') && frac.is_empty();
    let mut text = String::with_capacity(digits.len() + 3);
    if approx {
        text.push('≈');
    }
    if x.0.numer().is_negative() && !zero {
        text.push('-');
    }
    text.push_str(&int);
    if !frac.is_empty() {
        text.push('.');
        text.push_str(frac);
    }
    text
}
