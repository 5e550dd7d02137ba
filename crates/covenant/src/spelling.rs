//! Dates and money written in other conventions (`02/05/2026`, `C$1.386B`, `€120M`), and
//! the literal to write instead: the help of a policy's bad literal and of a deal's bad value.

/// The help for a date written with `/` or `.` (or a `-` date not padded to `YYYY-MM-DD`):
/// "write `2026-05-02` …". A day and month that could be either way round are read day-first,
/// and the help says so and gives the other reading too. `None` when `text` is not shaped
/// like such a date.
pub fn date_help(text: &str) -> Option<String> {
    let parts: Vec<&str> = text.trim().split(['/', '.', '-']).collect();
    let [a, b, c] = parts.as_slice() else {
        return None;
    };
    let digits = |s: &str, lens: std::ops::RangeInclusive<usize>| {
        lens.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let num = |s: &str| s.parse::<i16>().ok();
    if digits(a, 4..=4) && digits(b, 1..=2) && digits(c, 1..=2) {
        let (y, m, d) = (num(a)?, num(b)?, num(c)?);
        return Some(match iso(y, m, d) {
            Some(date) => format!("write `{date}`: a date is written year-month-day"),
            None => not_a_date(),
        });
    }
    if !(digits(a, 1..=2) && digits(b, 1..=2) && digits(c, 4..=4)) {
        return None;
    }
    let (first, second, y) = (num(a)?, num(b)?, num(c)?);
    let day_first = iso(y, second, first);
    let month_first = iso(y, first, second);
    Some(match (day_first, month_first) {
        (Some(d), Some(m)) if d != m => format!(
            "write `{d}` (read day-first: {}), or `{m}` if you meant {}; a date is written year-month-day, so it is never ambiguous",
            spoken(y, second, first),
            spoken(y, first, second)
        ),
        (Some(d), _) => format!("write `{d}`: a date is written year-month-day"),
        (None, Some(m)) => format!(
            "write `{m}` (month first: there is no month {second}): a date is written year-month-day"
        ),
        (None, None) => not_a_date(),
    })
}

fn not_a_date() -> String {
    "this is not a calendar date either way; a date is written year-month-day, such as `2026-05-02`"
        .to_string()
}

/// `2026-05-02` when year, month and day make a calendar date.
fn iso(y: i16, m: i16, d: i16) -> Option<String> {
    let date = jiff::civil::Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
    Some(date.to_string())
}

/// `2 May 2026`.
fn spoken(y: i16, m: i16, d: i16) -> String {
    const MONTHS: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = usize::try_from(m - 1)
        .ok()
        .and_then(|i| MONTHS.get(i))
        .unwrap_or(&"?");
    format!("{d} {month} {y}")
}

/// The help for money written with a currency symbol (`$1B`, `C$1.386B`, `€120M`, `£5m`):
/// "write `CAD 1.386B` …". `None` when `text` holds no currency symbol.
pub fn money_help(text: &str) -> Option<String> {
    let t = text.trim();
    let (at, symbol) = t.char_indices().find(|(_, c)| SYMBOLS.contains(c))?;
    let prefix = t.get(..at)?;
    let rest = t.get(at + symbol.len_utf8()..)?.trim_start();
    let amount = amount(rest);
    let code = currency(prefix, symbol);
    let what = "money is written as a three-letter currency code, a space and the amount";
    Some(match (code, amount) {
        (Some(code), Some(amount)) => {
            let yuan = if symbol == '¥' {
                format!(" (or `CNY {amount}` for yuan)")
            } else {
                String::new()
            };
            format!("write `{code} {amount}`{yuan}: {what}")
        }
        (Some(code), None) => {
            format!("write `{code}` and the amount, such as `{code} 1.5M`: {what}")
        }
        (None, Some(amount)) => {
            format!("write the currency's code, such as `USD {amount}` or `CAD {amount}`: {what}")
        }
        (None, None) => format!("{what}, such as `USD 1.5M`"),
    })
}

/// Currency symbols a deal or policy may be written with.
pub(crate) const SYMBOLS: [char; 14] = [
    '$', '€', '£', '¥', '₹', '₩', '₽', '₺', '₪', '₱', '₦', '₫', '฿', '₴',
];

/// The ISO 4217 code of a symbol and the letters written before it (`C$` → `CAD`).
fn currency(prefix: &str, symbol: char) -> Option<&'static str> {
    let prefix = prefix.trim().to_ascii_uppercase();
    if symbol != '$' {
        if !prefix.is_empty() {
            return None;
        }
        return Some(match symbol {
            '€' => "EUR",
            '£' => "GBP",
            '¥' => "JPY",
            '₹' => "INR",
            '₩' => "KRW",
            '₽' => "RUB",
            '₺' => "TRY",
            '₪' => "ILS",
            '₱' => "PHP",
            '₦' => "NGN",
            '₫' => "VND",
            '฿' => "THB",
            _ => "UAH",
        });
    }
    Some(match prefix.as_str() {
        "" | "US" | "USD" => "USD",
        "C" | "CA" | "CAD" => "CAD",
        "A" | "AU" | "AUD" => "AUD",
        "NZ" | "NZD" => "NZD",
        "HK" | "HKD" => "HKD",
        "S" | "SG" | "SGD" => "SGD",
        "R" | "BR" => "BRL",
        "MX" | "MXN" => "MXN",
        "NT" => "TWD",
        _ => return None,
    })
}

/// The amount after a symbol, as a policy writes it: `1,000,000` → `1000000`, `5m` → `5M`,
/// `2bn` → `2B`. `None` unless it is digits with an optional `.`, thousands commas and a suffix.
fn amount(text: &str) -> Option<String> {
    let end = text
        .find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | ',' | '_')))
        .unwrap_or(text.len());
    let (number, suffix) = text.split_at(end);
    let suffix = match suffix.trim() {
        "" => "",
        "k" | "K" => "K",
        "m" | "M" | "mn" | "mm" | "MM" => "M",
        "b" | "B" | "bn" | "BN" => "B",
        _ => return None,
    };
    let mut groups = number.split(',');
    let first = groups.next()?;
    let mut digits = first.to_string();
    for g in groups {
        // Commas only as thousands separators: a decimal comma would be misread.
        if g.len() != 3 || !g.bytes().all(|b| b.is_ascii_digit()) || first.contains('.') {
            return None;
        }
        digits.push_str(g);
    }
    crate::number::Exact::parse(&digits)?;
    Some(format!("{digits}{suffix}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn help(text: &str) -> String {
        date_help(text).unwrap_or_default()
    }

    #[test]
    fn day_first_dates_are_read_day_first_and_say_so() {
        assert!(help("02/05/2026").starts_with("write `2026-05-02` (read day-first: 2 May 2026), or `2026-02-05` if you meant 5 February 2026"));
        assert!(help("09/01/2026").starts_with("write `2026-01-09`"));
        assert!(help("31.12.2026").starts_with("write `2026-12-31`: a date"));
        assert!(help("01/25/2026").starts_with("write `2026-01-25` (month first"));
        assert!(help("05/05/2026").starts_with("write `2026-05-05`: a date"));
        assert!(help("2026/5/2").starts_with("write `2026-05-02`"));
        assert!(help("2026-5-2").starts_with("write `2026-05-02`"));
        assert!(help("31/31/2026").starts_with("this is not a calendar date"));
        assert_eq!(date_help("2026"), None);
        assert_eq!(date_help("1/2/26"), None);
    }

    #[test]
    fn currency_symbols_name_their_code() {
        let help = |t: &str| money_help(t).unwrap_or_default();
        assert!(help("C$1.386B").starts_with("write `CAD 1.386B`:"));
        assert!(help("$1B").starts_with("write `USD 1B`:"));
        assert!(help("US$ 250,000").starts_with("write `USD 250000`:"));
        assert!(help("€120M").starts_with("write `EUR 120M`:"));
        assert!(help("£5m").starts_with("write `GBP 5M`:"));
        assert!(help("¥3bn").starts_with("write `JPY 3B` (or `CNY 3B` for yuan)"));
        assert!(help("Z$5M").starts_with("write the currency's code, such as `USD 5M`"));
        assert!(help("$1,5M").starts_with("write `USD` and the amount"));
        assert_eq!(money_help("USD 5M"), None);
    }
}
