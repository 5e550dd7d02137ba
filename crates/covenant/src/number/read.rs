//! Exact numbers from their source text, never through a float: the one number reader of
//! policies and deals.
//!
//! Two forms. A *plain decimal* ([`plain_decimal`]) is what a policy literal, and the amount of
//! a percent or money string, writes: an optional sign, digits with at most one `.`, `_`
//! anywhere ignored (`1_000.25`, `-0.5`). A *data number* ([`exact_from_text`]) is what YAML
//! (core schema), JSON and TOML write: a sign, decimal digits with `_` separators, a fraction,
//! an exponent (`1.5e3`), and the integer forms `0x1F`, `0o17`, `0b101`.
//!
//! Both give a rational over `i128` ([`Exact`]), with one precision: a number loads exactly
//! when its digits (trailing zeros of the fraction aside) make an integer below 2^127 (every
//! number of 38 significant digits, and some of 39) and it has at most 38 fraction digits; any
//! other well-formed number is [`NumError::TooLarge`], never rounded.

use super::Exact;

/// Why a number's text has no value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NumError {
    /// Not a number of the form read (`.inf`, `nan`, `5x`, stray characters).
    Malformed,
    /// A well-formed number that does not fit the exact number type.
    TooLarge,
}

/// The exact value of a data number (YAML, JSON or TOML syntax).
pub fn exact_from_text(text: &str) -> Result<Exact, NumError> {
    let (negative, body) = split_sign(text);
    let value = if let Some(hex) = body.strip_prefix("0x") {
        radix_int(hex, 16)?
    } else if let Some(oct) = body.strip_prefix("0o") {
        radix_int(oct, 8)?
    } else if let Some(bin) = body.strip_prefix("0b") {
        radix_int(bin, 2)?
    } else {
        decimal(body)?
    };
    signed(negative, value)
}

/// The exact value of a plain decimal: `[+-]? D [. D]`, where `_` may stand anywhere
/// (`_` before the sign too) and is ignored. After the digits, a `.` alone is allowed
/// (`5.`); before them, only after a sign (`-.5`). No exponent, no radix prefix.
pub fn plain_decimal(text: &str) -> Result<Exact, NumError> {
    if let Some((m, scale)) = short_decimal(text.as_bytes()) {
        if let Some(value) = Exact::from_scaled(m, scale) {
            return Ok(value);
        }
    }
    let t = text.trim_start_matches('_');
    let (negative, body) = split_sign(t);
    let unsigned = body.len() == t.len();
    let plain = body
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'_')
        && body.bytes().any(|b| b.is_ascii_digit())
        && !(unsigned && body.starts_with('.'));
    if !plain {
        return Err(NumError::Malformed);
    }
    signed(negative, decimal(body)?)
}

/// The common form `-?D+(.D+)?` with at most 18 digits, read in one pass: its mantissa and
/// number of fraction digits (the value is `m / 10^scale`, see [`Exact::from_scaled`]). `None`
/// for anything else, which [`plain_decimal`] reads the long way.
#[inline(never)]
pub(crate) fn short_decimal(t: &[u8]) -> Option<(i64, u32)> {
    let (negative, t) = match t.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, t),
    };
    // The digits before the point, then after it; the mantissa is computed wrapping and
    // kept only for at most 18 digits, which cannot overflow.
    let mut m: u64 = 0;
    let int = digits_at(t, 0, &mut m);
    let mut end = int;
    if int > 0 && t.get(int) == Some(&b'.') {
        end = digits_at(t, int + 1, &mut m);
        if end == int + 1 {
            return None;
        }
    }
    let scale = end.saturating_sub(int + 1);
    if int == 0 || end != t.len() || int + scale > 18 {
        return None;
    }
    let m = i64::try_from(m).ok()?;
    Some((if negative { -m } else { m }, u32::try_from(scale).ok()?))
}

/// Where the digits of `t` from `at` on end, each added to `m` (`m * 10 + digit`, wrapping).
#[inline(always)]
fn digits_at(t: &[u8], mut at: usize, m: &mut u64) -> usize {
    while let Some(&c) = t.get(at) {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            break;
        }
        *m = m.wrapping_mul(10).wrapping_add(u64::from(d));
        at += 1;
    }
    at
}

/// `(negative, rest)`: one leading `-` or `+` taken off.
fn split_sign(text: &str) -> (bool, &str) {
    match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..).unwrap_or("")),
        Some(b'+') => (false, text.get(1..).unwrap_or("")),
        _ => (false, text),
    }
}

fn signed(negative: bool, value: Exact) -> Result<Exact, NumError> {
    if negative {
        Exact::ZERO
            .checked_sub(value)
            .map_err(|_| NumError::TooLarge)
    } else {
        Ok(value)
    }
}

fn radix_int(digits: &str, radix: u32) -> Result<Exact, NumError> {
    let mut any = false;
    let mut acc: i128 = 0;
    for c in digits.chars() {
        if c == '_' {
            continue;
        }
        let d = c.to_digit(radix).ok_or(NumError::Malformed)?;
        any = true;
        acc = acc
            .checked_mul(i128::from(radix))
            .and_then(|a| a.checked_add(i128::from(d)))
            .ok_or(NumError::TooLarge)?;
    }
    if !any {
        return Err(NumError::Malformed);
    }
    Ok(Exact::from_int(acc))
}

/// Unsigned decimal digits with an optional fraction and exponent (`_` between digits).
fn decimal(body: &str) -> Result<Exact, NumError> {
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (
            body.get(..i).unwrap_or(""),
            Some(body.get(i + 1..).unwrap_or("")),
        ),
        None => (body, None),
    };
    let (int_part, frac_part) = match mantissa.split_once('.') {
        Some((i, f)) => (i, f),
        None => (mantissa, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit() || b == b'_');
    if !digits(int_part) || !digits(frac_part) || (int_part.is_empty() && frac_part.is_empty()) {
        return Err(NumError::Malformed);
    }
    let exp = match exponent {
        None => 0,
        Some(e) => exponent_value(e, digits)?,
    };
    // Trailing zeros of the fraction do not change the value; dropping them keeps `1.000…0`
    // within range.
    let frac = frac_part.trim_end_matches(['0', '_']);
    let mut m: i128 = 0;
    for b in int_part
        .bytes()
        .chain(frac.bytes())
        .filter(u8::is_ascii_digit)
    {
        m = m
            .checked_mul(10)
            .and_then(|m| m.checked_add(i128::from(b - b'0')))
            .ok_or(NumError::TooLarge)?;
    }
    if m == 0 {
        return Ok(Exact::ZERO);
    }
    let frac_digits = frac.bytes().filter(u8::is_ascii_digit).count();
    let exp = exp
        .checked_sub(i64::try_from(frac_digits).map_err(|_| NumError::TooLarge)?)
        .ok_or(NumError::TooLarge)?;
    let scale = pow10(exp.unsigned_abs())?;
    let m = Exact::from_int(m);
    if exp >= 0 {
        m.checked_mul(scale).map_err(|_| NumError::TooLarge)
    } else {
        m.checked_div(scale).map_err(|_| NumError::TooLarge)
    }
}

/// The value of an exponent's text (`-3`, `+12`).
fn exponent_value(e: &str, digits: impl Fn(&str) -> bool) -> Result<i64, NumError> {
    let (neg, ds) = match e.as_bytes().first() {
        Some(b'-') => (true, e.get(1..).unwrap_or("")),
        Some(b'+') => (false, e.get(1..).unwrap_or("")),
        _ => (false, e),
    };
    if ds.is_empty() || !digits(ds) {
        return Err(NumError::Malformed);
    }
    let mut v: i64 = 0;
    for b in ds.bytes().filter(u8::is_ascii_digit) {
        v = v
            .checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or(NumError::TooLarge)?;
    }
    Ok(if neg { -v } else { v })
}

fn pow10(k: u64) -> Result<Exact, NumError> {
    let k = u32::try_from(k).map_err(|_| NumError::TooLarge)?;
    10i128
        .checked_pow(k)
        .map(Exact::from_int)
        .ok_or(NumError::TooLarge)
}

#[cfg(test)]
mod tests;
