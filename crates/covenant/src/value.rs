//! Typed scalar values shared by policy literals, deal documents and evaluation.

use std::fmt;
use std::sync::Arc;

use jiff::civil::Date;

use crate::number::Exact;

mod read;
pub(crate) use read::looks_like_date;
pub use read::{parse_date, read_money, read_percent, ScalarError, Unread};
pub(crate) use read::{read_share, short_date};

/// An ISO 4217 currency code: three ASCII capitals.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct Currency(pub [u8; 3]);

impl Currency {
    pub fn parse(code: &str) -> Option<Currency> {
        Currency::parse_bytes(code.as_bytes())
    }

    /// [`Currency::parse`] of a string's UTF-8 bytes.
    #[inline]
    pub(crate) fn parse_bytes(b: &[u8]) -> Option<Currency> {
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
///
/// Its tag is a whole word, so that a scalar is copied in aligned words: with a one-byte tag,
/// the seven bytes after it (a currency, a date) were copied as two overlapping words, and
/// reading them back soon after stalled the processor.
#[derive(Clone, PartialEq, Debug)]
#[repr(u64)]
pub enum Scalar {
    Number(Exact),
    Percent(Exact),
    Money(Currency, Exact),
    Date(Date),
    Str(Text),
    Bool(bool),
    /// `never`, the `expires` of an approval that does not expire (SPEC §10): of type date,
    /// later than every date and equal only to itself. Only a deal holds it: no policy literal
    /// and no arithmetic makes one (a sum with it is unknown).
    Never,
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
    /// `src[start..end]`, shared with `src`, for a caller that knows both ends are character
    /// boundaries (next to an ASCII byte of `src`): [`Text::slice`] without its check.
    #[inline]
    pub(crate) fn shared(src: &Arc<str>, start: usize, end: usize) -> Text {
        debug_assert!(src.get(start..end).is_some(), "{start}..{end} of {src:?}");
        Text {
            src: Arc::clone(src),
            start,
            end,
        }
    }

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

    #[inline]
    pub fn as_str(&self) -> &str {
        self.src.get(self.start..self.end).unwrap_or_default()
    }

    /// The UTF-8 bytes: `str` order and equality are those of its bytes.
    #[inline]
    pub(crate) fn bytes(&self) -> &[u8] {
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

    #[inline]
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
        same_bytes(self.bytes(), other.bytes())
    }
}

impl Eq for Text {}

/// Whether two strings' bytes are equal. The strings rules compare are mostly short (country
/// codes, kinds, names): up to 16 bytes they are compared here, without a call to `memcmp`,
/// which costs more than the comparison.
#[inline(always)]
pub(crate) fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    if a.len() > 16 {
        return a == b;
    }
    let mut differ = 0u8;
    for (x, y) in a.iter().zip(b) {
        differ |= x ^ y;
    }
    differ == 0
}

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
            Scalar::Date(_) | Scalar::Never => "date".into(),
            Scalar::Str(_) => "string".into(),
            Scalar::Bool(_) => "bool".into(),
        }
    }

    /// A copy whose string, if any, is its own: it shares no reference count with `self`.
    pub fn unshared_copy(&self) -> Scalar {
        match self {
            Scalar::Str(t) => Scalar::Str(Text::from(t.as_str())),
            other => other.clone(),
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
            Scalar::Never => f.write_str("never"),
        }
    }
}

/// A money amount written with the largest exact K/M/B suffix (`3500000000` → `3.5B`).
fn money_amount(a: Exact) -> String {
    match a.to_i128() {
        Some(n) => whole_money_amount(n),
        None => money_amount_by_division(a),
    }
}

/// [`money_amount`] of a whole amount (most of a deal's), with its digits: the amount over a
/// power of ten is its digits with a point put in, trailing zeros dropped, as
/// [`money_amount_by_division`] writes it.
fn whole_money_amount(n: i128) -> String {
    let digits = n.unsigned_abs().to_string();
    for (suffix, zeros) in [("B", 9), ("M", 6), ("K", 3)] {
        let Some(int_len) = digits.len().checked_sub(zeros).filter(|&l| l > 0) else {
            continue;
        };
        let (int, frac) = digits.split_at(int_len);
        let frac = frac.trim_end_matches('0');
        let len = usize::from(n < 0) + int.len() + usize::from(!frac.is_empty()) + frac.len();
        if len <= 6 {
            let mut text = String::with_capacity(len + 1);
            if n < 0 {
                text.push('-');
            }
            text.push_str(int);
            if !frac.is_empty() {
                text.push('.');
                text.push_str(frac);
            }
            text.push_str(suffix);
            return text;
        }
    }
    if n < 0 {
        format!("-{digits}")
    } else {
        digits
    }
}

/// [`money_amount`] by dividing by each power of ten in turn: any amount.
fn money_amount_by_division(a: Exact) -> String {
    for (suffix, scale) in [("B", 1_000_000_000i128), ("M", 1_000_000), ("K", 1_000)] {
        if let Ok(q) = a.checked_div(Exact::from_int(scale)) {
            if q.abs() >= Exact::ONE && q.terminates() && a.is_integer() {
                let mut text = q.display();
                if text.len() <= 6 {
                    text.push_str(suffix);
                    return text;
                }
            }
        }
    }
    if a.is_integer() {
        a.display()
    } else {
        approximate_money(a)
    }
}

/// A money amount with a fraction (a conversion's result, a margin): to the cent below 1,000,
/// else to the unit with thousands grouped (`≈1,334,923,783`), with `≈` when rounded.
fn approximate_money(a: Exact) -> String {
    let places = if a.abs() < Exact::from_int(1_000) {
        2
    } else {
        0
    };
    let Some(rounded) = a.to_decimal_rounded(28).map(|d| {
        d.round_dp_with_strategy(places, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
    }) else {
        return a.display();
    };
    let exact = Exact::parse(&rounded.to_string()) == Some(a);
    let text = rounded.normalize().to_string();
    let (sign, digits) = text.split_at(usize::from(text.starts_with('-')));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::with_capacity(text.len() + int.len() / 3 + 2);
    if !exact {
        grouped.push('≈');
    }
    grouped.push_str(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    if !frac.is_empty() {
        grouped.push('.');
        grouped.push_str(frac);
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// A whole amount is written from its digits as by dividing it: every size, both
        /// signs, with and without trailing zeros.
        #[test]
        fn a_whole_amount_is_written_as_by_division(
            m in -999_999i128..999_999,
            zeros in 0u32..16,
            tail in 0i128..1000,
        ) {
            for n in [m, m * 10i128.pow(zeros), m * 10i128.pow(zeros) + tail] {
                proptest::prop_assert_eq!(
                    whole_money_amount(n),
                    money_amount_by_division(Exact::from_int(n)),
                    "{}", n
                );
            }
        }
    }

    #[test]
    fn the_largest_whole_amounts_are_written_as_by_division() {
        for n in [
            i128::MAX,
            i128::MIN,
            i128::MIN + 1,
            10i128.pow(30),
            -(10i128.pow(36)) * 7,
        ] {
            assert_eq!(
                whole_money_amount(n),
                money_amount_by_division(Exact::from_int(n)),
                "{n}"
            );
        }
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
        let money = |n: i128, d: i128| {
            let amount = Exact::from_int(n).checked_div(Exact::from_int(d));
            amount.map(|a| Scalar::Money(Currency(*b"CAD"), a).to_string())
        };
        assert_eq!(
            money(13_349_237_832_874, 10_000).as_deref(),
            Ok("CAD ≈1,334,923,783")
        );
        assert_eq!(
            money(-8_923_783_287, 1_000).as_deref(),
            Ok("CAD ≈-8,923,783")
        );
        assert_eq!(money(1, 3).as_deref(), Ok("CAD ≈0.33"));
        assert_eq!(money(25, 2).as_deref(), Ok("CAD 12.5"));
        assert_eq!(money(2_500_001, 2).as_deref(), Ok("CAD ≈1,250,001"));
    }

    proptest::proptest! {
        /// `same_bytes` is byte equality, for short and long strings, equal and not, of the
        /// same length or not.
        #[test]
        fn same_bytes_is_byte_equality(
            a in proptest::collection::vec(proptest::num::u8::ANY, 0..40),
            flip in proptest::option::of((0usize..40, 1u8..=255)),
            cut in proptest::option::of(0usize..40),
        ) {
            let mut b = a.clone();
            if let Some((at, bits)) = flip {
                if let Some(byte) = b.get_mut(at) {
                    *byte ^= bits;
                }
            }
            if let Some(n) = cut {
                b.truncate(n);
            }
            proptest::prop_assert_eq!(same_bytes(&a, &b), a == b);
            proptest::prop_assert!(same_bytes(&a, &a));
        }
    }
}
