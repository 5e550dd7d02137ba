use rust_decimal::Decimal;

use super::*;

fn ex(t: &str) -> Result<String, NumError> {
    exact_from_text(t).map(|e| e.to_string())
}

fn plain(t: &str) -> Result<String, NumError> {
    plain_decimal(t).map(|e| e.to_string())
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

/// The plain form: no exponent, no radix, no leading `.` unless signed; `_` ignored.
#[test]
fn plain_decimals() {
    assert_eq!(plain("1_000.25"), Ok("1000.25".into()));
    assert_eq!(plain("-0.25"), Ok("-0.25".into()));
    assert_eq!(plain("+7"), Ok("7".into()));
    assert_eq!(plain("-.5"), Ok("-0.5".into()));
    assert_eq!(plain("5."), Ok("5".into()));
    assert_eq!(plain("_5"), Ok("5".into()));
    assert_eq!(plain("_-5"), Ok("-5".into()));
    for t in [
        "", "_", ".", "-", "-.", ".5", "_.5", "1e3", "0x10", "5x", "1.2.3", "--5", "+-5", "5-",
        " 5", "5 ", "٥",
    ] {
        assert_eq!(plain_decimal(t), Err(NumError::Malformed), "{t:?}");
    }
}

/// One precision for policies and deals: 38 significant digits, 38 fraction digits.
#[test]
fn plain_decimals_keep_38_digits() {
    let n38 = "9".repeat(38);
    assert_eq!(plain(&n38), Ok(n38.clone()));
    let f38 = format!("0.{}1", "0".repeat(37));
    assert_eq!(plain(&f38), Ok(f38.clone()));
    assert_eq!(plain(&format!("{f38}000")), Ok(f38.clone()));
    assert_eq!(plain(&"9".repeat(40)), Err(NumError::TooLarge));
    assert_eq!(
        plain(&format!("0.{}1", "0".repeat(38))),
        Err(NumError::TooLarge)
    );
    // A bad character wins over a size: the text is not a number at all.
    assert_eq!(
        plain_decimal(&format!("{}x", "9".repeat(40))),
        Err(NumError::Malformed)
    );
}

/// What the former policy reader (`rust_decimal`'s exact parse of the text without `_`,
/// 28 digits) accepted.
fn former_policy_reader(text: &str) -> Option<Exact> {
    let cleaned: String = text.chars().filter(|&c| c != '_').collect();
    if cleaned.is_empty()
        || cleaned.starts_with('.')
        || cleaned.ends_with('.')
        || cleaned.contains(['e', 'E'])
    {
        return None;
    }
    Decimal::from_str_exact(&cleaned)
        .ok()
        .map(Exact::from_decimal)
}

/// What the former deal reader of percent and money amounts accepted beyond that.
fn former_deal_reader(text: &str) -> Result<Exact, NumError> {
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

/// Every text either former reader accepted is read, to the same value; a text both
/// rejected is read only when it is one of the few new plain forms listed.
fn agrees_with_former_readers(text: &str) {
    let old = match former_policy_reader(text) {
        Some(v) => Ok(v),
        None => former_deal_reader(text),
    };
    let new = plain_decimal(text);
    match (old, new) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "{text:?}"),
        (Ok(a), Err(e)) => panic!("{text:?}: was {a}, now {e:?}"),
        (Err(NumError::TooLarge), Err(e)) => assert_eq!(e, NumError::TooLarge, "{text:?}"),
        (Err(_), Ok(b)) => {
            // Newly read: a trailing `.` after `+` or a leading `_`, or a signed number past
            // 28 digits; never a text without digits or with other characters.
            let cleaned: String = text.chars().filter(|&c| c != '_').collect();
            let long = cleaned.bytes().filter(u8::is_ascii_digit).count() > 28;
            assert!(cleaned.ends_with('.') || long, "{text:?} newly read as {b}");
        }
        (Err(_), Err(_)) => {}
    }
}

#[test]
fn reads_what_both_former_readers_read() {
    let alphabet = ["0", "1", "5", "9", ".", "_", "-", "+"];
    let mut checked = 0;
    crate::every_text(&alphabet, 6, |s| {
        agrees_with_former_readers(s);
        checked += 1;
    });
    assert!(checked > 290_000, "{checked}");
    for digits in 25..45 {
        for lead in ["", "-", "+", "0.", "-0.", "_", "1_"] {
            let nines = format!("{lead}{}", "9".repeat(digits));
            let ones = format!("{lead}{}", "1".repeat(digits));
            let point = format!("{lead}1.{}", "5".repeat(digits));
            for t in [nines, ones, point] {
                agrees_with_former_readers(&t);
            }
        }
    }
}

/// [`short_decimal`] as it was written first: the text split at its point, then each part's
/// digits read.
fn short_decimal_by_parts(t: &[u8]) -> Option<(i64, u32)> {
    let (negative, t) = match t.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, t),
    };
    let (int, frac) = match t.iter().position(|&c| c == b'.') {
        Some(i) => (t.get(..i)?, t.get(i + 1..)?),
        None => (t, &[][..]),
    };
    let dot = t.len() > int.len();
    if int.is_empty() || (dot && frac.is_empty()) || int.len() + frac.len() > 18 {
        return None;
    }
    let mut m: i64 = 0;
    for &c in int.iter().chain(frac) {
        if !c.is_ascii_digit() {
            return None;
        }
        m = m * 10 + i64::from(c - b'0');
    }
    Some((
        if negative { -m } else { m },
        u32::try_from(frac.len()).ok()?,
    ))
}

/// The one-pass reader of the short form takes what the reader by parts took, with the same
/// mantissa and scale, and the value the long reader gives: every text of up to six characters
/// of digits, points, signs and another byte, and texts of 17 to 20 digits with the point
/// anywhere.
#[test]
fn the_short_form_is_read_in_one_pass_as_by_its_parts() {
    let check = |t: &str| {
        let short = short_decimal(t.as_bytes());
        assert_eq!(short, short_decimal_by_parts(t.as_bytes()), "{t:?}");
        if let Some((m, scale)) = short {
            assert_eq!(Exact::from_scaled(m, scale), plain_decimal(t).ok(), "{t:?}");
        }
        short.is_some()
    };
    let alphabet = ["0", "7", "9", ".", "-", "x"];
    let (mut read, mut all) = (0, 0);
    crate::every_text(&alphabet, 6, |s| {
        read += usize::from(check(s));
        all += 1;
    });
    assert!(read > 3_000 && all > 50_000, "{read} of {all}");
    // Nines overflow an i64 from 19 digits on, ones only from 20: both are refused past 18.
    for digits in 17..=20 {
        for same in ["9", "1"] {
            let all = same.repeat(digits);
            for point in 0..=digits {
                for sign in ["", "-"] {
                    let (int, frac) = all.split_at(point);
                    check(&format!("{sign}{int}.{frac}"));
                    check(&format!("{sign}{all}"));
                }
            }
        }
    }
}
