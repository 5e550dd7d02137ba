//! Typed scalar values shared by policy literals, deal documents and evaluation.

use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;

use crate::number::read::{plain_decimal, NumError};
use crate::number::Exact;

/// An ISO 4217 currency code: three ASCII capitals.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct Currency(pub [u8; 3]);

impl Currency {
    pub fn parse(code: &str) -> Option<Currency> {
        let b = code.as_bytes();
        match b {
            [a, b, c]
                if b.is_ascii_uppercase() && a.is_ascii_uppercase() && c.is_ascii_uppercase() =>
            {
                Some(Currency([*a, *b, *c]))
            }
            _ => None,
        }
    }

    pub fn as_str(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or("???")
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scalar value. Percents are stored in percent units (`51%` is `51`).
#[derive(Clone, PartialEq, Debug)]
pub enum Scalar {
    Number(Exact),
    Percent(Exact),
    Money(Currency, Exact),
    Date(Date),
    Str(Text),
    Bool(bool),
}

/// A string value: its own text, or a run of a deal's source text that needed no unescaping
/// (the JSON fast path shares the source instead of copying each string). Compared, ordered
/// and shown as the `str` it derefs to.
#[derive(Clone)]
pub struct Text {
    src: Arc<str>,
    /// The run of `src`, on character boundaries.
    start: usize,
    end: usize,
}

impl Text {
    /// `src[start..end]`, shared with `src` (copied when not on character boundaries).
    pub fn slice(src: &Arc<str>, start: usize, end: usize) -> Text {
        if src.get(start..end).is_some() {
            Text {
                src: Arc::clone(src),
                start,
                end,
            }
        } else {
            Text::from(src.get(start..end).unwrap_or_default())
        }
    }

    pub fn as_str(&self) -> &str {
        self.src.get(self.start..self.end).unwrap_or_default()
    }

    /// The UTF-8 bytes: `str` order and equality are those of its bytes.
    fn bytes(&self) -> &[u8] {
        self.src
            .as_bytes()
            .get(self.start..self.end)
            .unwrap_or_default()
    }

    /// The text as an `Arc<str>` of its own.
    pub fn to_arc(&self) -> Arc<str> {
        if self.start == 0 && self.end == self.src.len() {
            Arc::clone(&self.src)
        } else {
            Arc::from(self.as_str())
        }
    }
}

impl std::ops::Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl From<&str> for Text {
    fn from(s: &str) -> Text {
        Text::from(Arc::<str>::from(s))
    }
}

impl From<Arc<str>> for Text {
    fn from(src: Arc<str>) -> Text {
        Text {
            start: 0,
            end: src.len(),
            src,
        }
    }
}

impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.bytes() == other.bytes()
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> std::cmp::Ordering {
        self.bytes().cmp(other.bytes())
    }
}

impl std::hash::Hash for Text {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl Scalar {
    /// The user-facing name of this value's type.
    pub fn type_name(&self) -> String {
        match self {
            Scalar::Number(_) => "number".into(),
            Scalar::Percent(_) => "percent".into(),
            Scalar::Money(c, _) => format!("money ({c})"),
            Scalar::Date(_) => "date".into(),
            Scalar::Str(_) => "string".into(),
            Scalar::Bool(_) => "bool".into(),
        }
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Scalar::Number(n) => write!(f, "{n}"),
            Scalar::Percent(p) => write!(f, "{p}%"),
            Scalar::Money(c, a) => write!(f, "{c} {}", money_amount(*a)),
            Scalar::Date(d) => write!(f, "{d}"),
            Scalar::Str(s) => write!(f, "\"{s}\""),
            Scalar::Bool(b) => write!(f, "{b}"),
        }
    }
}

/// A money amount written with the largest exact K/M/B suffix (`3500000000` → `3.5B`).
fn money_amount(a: Exact) -> String {
    for (suffix, scale) in [("B", 1_000_000_000i128), ("M", 1_000_000), ("K", 1_000)] {
        if let Ok(q) = a.checked_div(Exact::from_int(scale)) {
            if q.abs() >= Exact::ONE && q.terminates() && a.is_integer() {
                let text = q.display();
                if text.len() <= 6 {
                    return format!("{text}{suffix}");
                }
            }
        }
    }
    a.display()
}

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
pub fn read_percent(text: &str) -> Result<Exact, Unread> {
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
pub fn read_money(text: &str) -> Result<(Currency, Exact), Unread> {
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
pub fn parse_date(text: &str) -> Result<Date, ScalarError> {
    let help = "write a date as YYYY-MM-DD, such as 2026-03-01";
    let t = text.trim();
    let shaped = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    if !shaped {
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

    #[test]
    fn displays_money_with_suffix() {
        assert_eq!(
            Scalar::Money(Currency(*b"USD"), Exact::from_int(3_500_000_000)).to_string(),
            "USD 3.5B"
        );
        assert_eq!(
            Scalar::Money(Currency(*b"USD"), Exact::from_int(0)).to_string(),
            "USD 0"
        );
    }
}
