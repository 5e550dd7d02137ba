//! The words of dates (SPEC §9): windows, computed dates and why a date is unknown.

use jiff::civil::Date;

use crate::eval::outcome::{Reason, Tested};
use crate::resolve::ir::Window;

pub use super::words::computed;

/// `[2027-01-01, 2028-01-01)` or `from 2027-01-01`.
pub(super) fn window_text(w: &Window) -> String {
    match w.until {
        Some(u) => format!("[{}, {})", w.from, u),
        None => format!("from {}", w.from),
    }
}

/// "not in effect on 2026-09-01 (the deal's date): the rule applies [2027-01-01, 2028-01-01)";
/// a window on another date names it: "(the deal's `closing_date`)", "(`closing date - 30
/// days`)".
pub(super) fn not_in_effect(on: Date, as_of: bool, w: &Window, tested: Option<&Tested>) -> String {
    let mut text = String::with_capacity(80);
    text.push_str("not in effect on ");
    push_date(&mut text, on);
    match (as_of, tested) {
        (true, _) => text.push_str(" (--as-of)"),
        (false, None) => text.push_str(" (the deal's date)"),
        (false, Some(Tested::Field(f))) => {
            text.push_str(" (the deal's `");
            text.push_str(f);
            text.push_str("`)");
        }
        (false, Some(Tested::Computed(c))) => {
            text.push_str(" (`");
            text.push_str(c);
            text.push_str("`)");
        }
    }
    text.push_str(": the rule applies ");
    match w.until {
        Some(u) => {
            text.push('[');
            push_date(&mut text, w.from);
            text.push_str(", ");
            push_date(&mut text, u);
            text.push(')');
        }
        None => {
            text.push_str("from ");
            push_date(&mut text, w.from);
        }
    }
    text
}

/// Append a date as its `Display` writes it (`2026-09-01`).
fn push_date(out: &mut String, d: Date) {
    with_date_text(d, |text| out.push_str(text));
}

/// `f` of a date's text as its `Display` writes it (`2026-09-01`), made without the formatting
/// machinery for four-digit years. The text is ASCII digits and `-` (JSON escapes none).
pub(super) fn with_date_text<R>(d: Date, f: impl FnOnce(&str) -> R) -> R {
    match four_digit_date(d) {
        Some(text) => f(std::str::from_utf8(&text).unwrap_or("????-??-??")),
        None => f(&d.to_string()),
    }
}

/// `f` of a date's text as bytes (see [`with_date_text`]): for a writer of bytes, which need
/// not be checked as UTF-8.
pub(super) fn with_date_bytes<R>(d: Date, f: impl FnOnce(&[u8]) -> R) -> R {
    match four_digit_date(d) {
        Some(text) => f(&text),
        None => f(d.to_string().as_bytes()),
    }
}

/// The text of a date of a four-digit year (`2026-09-01`), as its `Display` writes it.
fn four_digit_date(d: Date) -> Option<[u8; 10]> {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(1000..=9999).contains(&y) {
        return None;
    }
    let digit = |n: i16| b'0' + (n % 10) as u8;
    Some([
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(i16::from(m) / 10),
        digit(i16::from(m)),
        b'-',
        digit(i16::from(day) / 10),
        digit(i16::from(day)),
    ])
}

/// Why a date is unknown, for the reasons of SPEC §9 (empty for any other reason).
pub(super) fn reason(r: &Reason) -> String {
    match r {
        Reason::FractionalDuration(c) => format!(
            "cannot compute {}: a duration is a whole number of {}",
            computed(c),
            c.unit.words(true)
        ),
        Reason::DateRange(c) => format!(
            "cannot compute {}: the date would fall outside the years 1 to 9999",
            computed(c)
        ),
        Reason::OutsideCalendar(o) => format!(
            "cannot compute {}: {} falls outside calendar \"{}\", which covers {}",
            computed(&o.computed),
            o.day,
            o.calendar,
            if o.first == o.last {
                o.first.to_string()
            } else {
                format!("{} to {}", o.first, o.last)
            }
        ),
        Reason::NoEvaluationDate { field } => format!(
            "the evaluation date is unknown: the deal has no `{field}` and no --as-of was given"
        ),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "tests")]

    #[test]
    fn dates_are_written_as_display_writes_them() {
        // As text and as bytes, every 13th day from the year 999 on, and the extremes.
        let mut d = jiff::civil::date(999, 12, 25);
        let end = jiff::civil::Date::MAX;
        let mut n = 0;
        while d < end {
            let mut text = String::new();
            super::push_date(&mut text, d);
            assert_eq!(text, d.to_string());
            super::with_date_bytes(d, |b| assert_eq!(b, text.as_bytes()));
            n += 1;
            match d.checked_add(jiff::Span::new().days(13)) {
                Ok(next) => d = next,
                Err(_) => break,
            }
        }
        assert!(n > 200_000);
        for d in [
            jiff::civil::Date::MIN,
            jiff::civil::Date::MAX,
            jiff::civil::date(1, 2, 3),
        ] {
            let mut text = String::new();
            super::push_date(&mut text, d);
            assert_eq!(text, d.to_string());
            super::with_date_bytes(d, |b| assert_eq!(b, text.as_bytes()));
        }
    }
}
