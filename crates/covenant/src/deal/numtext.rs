//! Exact numbers from their source text, never through a float.
//!
//! Accepts what YAML (core schema), JSON and TOML write: an optional sign, decimal digits with
//! optional `_` separators, a fraction, an exponent (`1.5e3`), and the integer forms `0x1F`,
//! `0o17`, `0b101`. The value is a rational over `i128`, so about 38 significant digits load
//! exactly; more, or an exponent that does not fit, is [`NumError::TooLarge`].

use crate::number::Exact;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NumError {
    /// Not a finite number (`.inf`, `nan`, stray characters).
    Malformed,
    /// A well-formed number that does not fit the exact number type.
    TooLarge,
}

/// The exact value of a number literal.
pub(crate) fn exact_from_text(text: &str) -> Result<Exact, NumError> {
    let (negative, body) = match text.as_bytes().first() {
        Some(b'-') => (true, text.get(1..).unwrap_or("")),
        Some(b'+') => (false, text.get(1..).unwrap_or("")),
        _ => (false, text),
    };
    let value = if let Some(hex) = body.strip_prefix("0x") {
        radix_int(hex, 16)?
    } else if let Some(oct) = body.strip_prefix("0o") {
        radix_int(oct, 8)?
    } else if let Some(bin) = body.strip_prefix("0b") {
        radix_int(bin, 2)?
    } else {
        decimal(body)?
    };
    if negative {
        Exact::ZERO
            .checked_sub(value)
            .map_err(|_| NumError::TooLarge)
    } else {
        Ok(value)
    }
}

/// Like [`exact_from_text`] but only plain decimals (`1_000.25`): no sign, exponent or radix
/// prefix. Used for the amount inside a percent or money string.
pub(crate) fn plain_decimal(text: &str) -> Result<Exact, NumError> {
    let body = text.strip_prefix('-').unwrap_or(text);
    if body.is_empty()
        || !body
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'_')
        || !body.bytes().next().is_some_and(|b| b.is_ascii_digit())
    {
        return Err(NumError::Malformed);
    }
    exact_from_text(text)
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
    let mut exp: i64 = match exponent {
        None => 0,
        Some(e) => {
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
            if neg {
                -v
            } else {
                v
            }
        }
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
    exp = exp
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

fn pow10(k: u64) -> Result<Exact, NumError> {
    let k = u32::try_from(k).map_err(|_| NumError::TooLarge)?;
    10i128
        .checked_pow(k)
        .map(Exact::from_int)
        .ok_or(NumError::TooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(t: &str) -> Result<String, NumError> {
        exact_from_text(t).map(|e| e.to_string())
    }

    #[test]
    fn reads_decimals_exactly() {
        assert_eq!(ex("0.1"), Ok("0.1".into()));
        assert_eq!(ex("-2.50"), Ok("-2.5".into()));
        assert_eq!(ex("1e3"), Ok("1000".into()));
        assert_eq!(ex("1.5E-2"), Ok("0.015".into()));
        assert_eq!(ex("1_000"), Ok("1000".into()));
        assert_eq!(ex("0x1F"), Ok("31".into()));
        assert_eq!(ex("0o17"), Ok("15".into()));
        assert_eq!(ex("+7"), Ok("7".into()));
        assert_eq!(
            ex("1.000000000000000000000000000000000000000000"),
            Ok("1".into())
        );
        assert_eq!(ex("0e99999"), Ok("0".into()));
    }

    #[test]
    fn thirty_digits_are_exact() {
        let n = exact_from_text("123456789012345678901234567890");
        assert_eq!(
            n.map(|e| e.to_i128()),
            Ok(Some(123_456_789_012_345_678_901_234_567_890))
        );
        let f = exact_from_text("0.123456789012345678901234567890");
        assert!(f.is_ok());
    }

    #[test]
    fn too_large_is_an_error() {
        assert_eq!(ex("1e400"), Err(NumError::TooLarge));
        assert_eq!(ex("1e-400"), Err(NumError::TooLarge));
        assert_eq!(ex(&"9".repeat(45)), Err(NumError::TooLarge));
        assert_eq!(ex("1e99999999999999999999"), Err(NumError::TooLarge));
    }

    #[test]
    fn malformed_is_an_error() {
        for t in [".inf", "nan", "", "-", "1e", "1.2.3", "0x", "12a"] {
            assert_eq!(ex(t), Err(NumError::Malformed), "{t}");
        }
        assert_eq!(plain_decimal("1e3"), Err(NumError::Malformed));
        assert!(plain_decimal("51.5").is_ok());
    }
}
