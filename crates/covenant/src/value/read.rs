//! Reading percents, money and dates from their text: the one reader of policy literals and
//! deal fields (numbers: [`crate::number::read`]).

use jiff::civil::Date;

use super::Currency;
use crate::number::read::{plain_decimal, short_decimal, NumError};
use crate::number::Exact;

/// Why a typed scalar string did not parse; the text is shown as help.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScalarError {
    pub message: String,
    pub help: String,
}

fn bad(message: impl Into<String>, help: impl Into<String>) -> ScalarError {
    ScalarError {
        message: message.into(),
        help: help.into(),
    }
}

/// Why a percent or money text has no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unread {
    /// A well-formed amount with more digits than are kept exactly (see [`crate::number::read`]).
    TooLarge,
    /// Not a percent or an amount of money.
    Bad(ScalarError),
}

/// The value of a percent (`51%`, `33.33%`), in percent units: the reader of policy literals
/// and deal fields alike.
#[inline]
pub fn read_percent(text: &str) -> Result<Exact, Unread> {
    match short_percent(text) {
        Some(value) => Ok(value),
        None => read_percent_text(text),
    }
}

/// A percent that is a share, between 0% and 100% inclusive (the range of a deal's percents,
/// `deal::ranges::share`), or `None` for any other text or value: exactly
/// `read_percent(text)` kept when in range. The common form is checked for its range on its
/// digits (`m / 10^scale <= 100`), before any fraction is made.
#[inline]
pub(crate) fn read_share(text: &str) -> Option<Exact> {
    if let Some(share) = short_share(text.as_bytes()) {
        return Some(share);
    }
    if let Some((m, scale)) = text.as_bytes().strip_suffix(b"%").and_then(short_decimal) {
        // `short_decimal` keeps at most 18 digits, so `100 * 10^scale` fits an i128.
        let hundred = 10i128.checked_pow(scale.checked_add(2)?)?;
        if m < 0 || i128::from(m) > hundred {
            return None;
        }
        return Exact::from_scaled(m, scale);
    }
    let p = read_percent_text(text).ok()?;
    (!p.is_negative() && p <= Exact::HUNDRED).then_some(p)
}

/// A deal's usual share (`67%`, `33.34%`): up to three whole digits and up to fifteen after
/// the point, at most 100%, read in one pass; `None` for anything else, which [`read_share`]
/// reads the long way (and may still accept: `0100%`).
#[inline(always)]
fn short_share(t: &[u8]) -> Option<Exact> {
    let (&b'%', t) = t.split_last()? else {
        return None;
    };
    let mut whole: u64 = 0;
    let mut at = 0;
    while let Some(&c @ b'0'..=b'9') = t.get(at) {
        whole = whole * 10 + u64::from(c - b'0');
        at += 1;
        if at > 3 {
            return None;
        }
    }
    if at == 0 {
        return None;
    }
    let (mut m, mut fraction, mut scale) = (whole, 0u64, 0u32);
    if let Some((&b'.', digits)) = t.get(at..).and_then(<[u8]>::split_first) {
        if digits.is_empty() || digits.len() > 15 {
            return None;
        }
        for &c in digits {
            let digit = u64::from(c.wrapping_sub(b'0'));
            if digit > 9 {
                return None;
            }
            m = m * 10 + digit;
            fraction |= digit;
        }
        scale = u32::try_from(digits.len()).ok()?;
    } else if at != t.len() {
        return None;
    }
    if whole > 100 || (whole == 100 && fraction != 0) {
        return None;
    }
    Exact::from_scaled(i64::try_from(m).ok()?, scale)
}

/// The common form (`51%`, `33.34%`) in one pass, as [`read_percent_text`] reads it.
fn short_percent(text: &str) -> Option<Exact> {
    let (m, scale) = short_decimal(text.as_bytes().strip_suffix(b"%")?)?;
    Exact::from_scaled(m, scale)
}

#[inline(never)]
fn read_percent_text(text: &str) -> Result<Exact, Unread> {
    let t = text.trim();
    let Some(num) = t.strip_suffix('%') else {
        return Err(Unread::Bad(bad(
            format!("`{text}` is not a percent"),
            "write a percent with a `%` sign, such as \"51%\"",
        )));
    };
    plain_decimal(num.trim_end()).map_err(|e| match e {
        NumError::TooLarge => Unread::TooLarge,
        NumError::Malformed => Unread::Bad(bad(
            format!("`{text}` is not a percent"),
            "write a percent such as \"51%\" or \"33.33%\"",
        )),
    })
}

/// The value of money (`USD 3.5B`, `EUR 120M`, `USD 250_000`): the reader of policy literals
/// and deal fields alike.
#[inline]
pub fn read_money(text: &str) -> Result<(Currency, Exact), Unread> {
    match short_money(text) {
        Some(money) => Ok(money),
        None => read_money_long(text),
    }
}

/// [`read_money_text`], with the spelling help for a text that is not money.
#[inline(never)]
fn read_money_long(text: &str) -> Result<(Currency, Exact), Unread> {
    read_money_text(text).map_err(|e| match e {
        Unread::Bad(mut e) => {
            if let Some(help) = crate::spelling::money_help(text) {
                e.help = help;
            }
            Unread::Bad(e)
        }
        too_large => too_large,
    })
}

/// The common form (`USD 3.5B`, `EUR 120M`, `USD 0`) in one pass, as [`read_money_text`]
/// reads it.
#[inline]
fn short_money(text: &str) -> Option<(Currency, Exact)> {
    let b = text.as_bytes();
    let (code, amount) = (b.get(..3)?, b.get(4..)?);
    if b.get(3) != Some(&b' ') {
        return None;
    }
    let currency = Currency::parse_bytes(code)?;
    let (num, zeros) = match amount.split_last()? {
        (b'K', num) => (num, 3u32),
        (b'M', num) => (num, 6),
        (b'B', num) => (num, 9),
        _ => (amount, 0),
    };
    let (m, scale) = short_decimal(num)?;
    // m / 10^scale * 10^zeros, reduced.
    let value = match zeros.checked_sub(scale) {
        Some(k) => Exact::from_int(i128::from(m) * 10i128.checked_pow(k)?),
        None => Exact::from_scaled(m, scale - zeros)?,
    };
    Some((currency, value))
}

fn read_money_text(text: &str) -> Result<(Currency, Exact), Unread> {
    let help = "write money as a currency code and an amount, such as \"USD 3.5B\" or \"EUR 120M\"";
    let not_money = || Unread::Bad(bad(format!("`{text}` is not an amount of money"), help));
    let t = text.trim();
    let (code, rest) = t.split_once(char::is_whitespace).ok_or_else(not_money)?;
    let currency = Currency::parse(code).ok_or_else(|| {
        Unread::Bad(bad(
            format!("`{code}` is not a currency code"),
            "use a three-letter ISO 4217 code in capitals, such as USD or EUR",
        ))
    })?;
    let amount = rest.trim();
    let (num, scale) = match amount.as_bytes().last() {
        Some(b'K') => (amount.get(..amount.len() - 1).unwrap_or(""), 1_000i128),
        Some(b'M') => (amount.get(..amount.len() - 1).unwrap_or(""), 1_000_000),
        Some(b'B') => (amount.get(..amount.len() - 1).unwrap_or(""), 1_000_000_000),
        _ => (amount, 1),
    };
    let value = plain_decimal(num).map_err(|e| match e {
        NumError::TooLarge => Unread::TooLarge,
        NumError::Malformed => not_money(),
    })?;
    let value = value
        .checked_mul(Exact::from_int(scale))
        .map_err(|_| Unread::TooLarge)?;
    Ok((currency, value))
}

/// Parse a `YYYY-MM-DD` date; anything with a time of day is rejected.
/// `YYYY-MM-DD` in shape (not necessarily a valid calendar date).
pub(crate) fn looks_like_date(t: &str) -> bool {
    t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        })
}

/// A date written exactly `YYYY-MM-DD` (no white space), as [`parse_date`] reads it, made from
/// its digits without the parser; `None` for anything else, which [`parse_date`] reads (and
/// reports). For the one-pass JSON loader: a deal's dates are nearly always in this form.
#[inline]
pub(crate) fn short_date(text: &str) -> Option<Date> {
    let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *text.as_bytes() else {
        return None;
    };
    let digit = |c: u8| c.is_ascii_digit().then(|| c - b'0');
    let pair = |a: u8, b: u8| Some(digit(a)? * 10 + digit(b)?);
    let year = i16::from(pair(y0, y1)?) * 100 + i16::from(pair(y2, y3)?);
    let month = i8::try_from(pair(m0, m1)?).ok()?;
    let day = i8::try_from(pair(d0, d1)?).ok()?;
    Date::new(year, month, day).ok()
}

pub fn parse_date(text: &str) -> Result<Date, ScalarError> {
    let help = "write a date as YYYY-MM-DD, such as 2026-03-01";
    let t = text.trim();
    if !looks_like_date(t) {
        let help = crate::spelling::date_help(t).unwrap_or_else(|| help.to_string());
        return Err(bad(format!("`{text}` is not a date"), help));
    }
    t.parse::<Date>()
        .map_err(|_| bad(format!("`{text}` is not a valid calendar date"), help))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_typed_scalars() {
        assert_eq!(read_percent("51%"), Ok(Exact::from_int(51)));
        assert!(read_percent("51").is_err());
        let (c, a) = read_money("USD 3.5B").unwrap_or((Currency(*b"XXX"), Exact::ZERO));
        assert_eq!(c.as_str(), "USD");
        assert_eq!(a, Exact::from_int(3_500_000_000));
        assert!(read_money("usd 3").is_err());
        assert!(parse_date("2026-02-30").is_err());
        assert!(parse_date("2026-02-28T10:00").is_err());
        assert!(parse_date("2026-02-28").is_ok());
    }

    /// One reader, one precision: past 28 digits an amount reads exactly whatever its form
    /// (a `+` sign here was `bad-money` before); past 38 it is too large, never rounded.
    #[test]
    fn amounts_read_exactly_to_38_digits() {
        let n30: i128 = "1".repeat(30).parse().unwrap_or_default();
        let usd = Currency(*b"USD");
        assert_eq!(
            read_money(&format!("USD +{}", "1".repeat(30))),
            Ok((usd, Exact::from_int(n30)))
        );
        assert_eq!(
            read_money(&format!("USD {}K", "1".repeat(30))),
            Ok((usd, Exact::from_int(n30 * 1000)))
        );
        assert_eq!(
            read_money(&format!("USD {}B", "1".repeat(31))),
            Err(Unread::TooLarge)
        );
        assert_eq!(
            read_percent(&format!("+{}%", "9".repeat(40))),
            Err(Unread::TooLarge)
        );
        assert!(matches!(read_percent("5x%"), Err(Unread::Bad(_))));
        assert!(matches!(read_money("USD 5x"), Err(Unread::Bad(_))));
    }

    /// The one-pass forms give what the general reading gives.
    #[test]
    fn one_pass_forms_read_as_the_general_reading() {
        let amounts = [
            "0",
            "5",
            "-5",
            "3.5",
            "0.001",
            "120",
            "07",
            "0.50",
            "1.25",
            "-0.5",
            "999999999999999999",
            "0.00000000000000001",
            "123456789.123456789",
        ];
        let mut checked = 0;
        for amount in amounts {
            for suffix in ["", "K", "M", "B"] {
                let text = format!("USD {amount}{suffix}");
                let short = short_money(&text);
                assert!(short.is_some(), "{text}");
                assert_eq!(short.map(Ok), Some(read_money_text(&text)), "{text}");
                checked += 1;
            }
            let text = format!("{amount}%");
            let short = short_percent(&text);
            assert!(short.is_some(), "{text}");
            assert_eq!(short.map(Ok), Some(read_percent_text(&text)), "{text}");
        }
        assert_eq!(checked, 52);
        for text in [
            "USD  5",
            "usd 5",
            "USD 5_000",
            "USD 1e3",
            "USD .5",
            "USD 5.",
            "USD 5KB",
        ] {
            assert_eq!(short_money(text), None, "{text}");
        }
        for text in [" 5%", "5 %", "+5%", "5_0%", "1e3%", ".5%", "5.%", "%"] {
            assert_eq!(short_percent(text), None, "{text}");
        }
    }
}
