//! Date arithmetic of SPEC §9: durations in days, months and years (a month keeps its day
//! number or takes the month's last day), the days between two dates, and working days of a
//! holiday calendar ([`calendar`]). Exact integers only, and total: every function gives a
//! date or says why there is none, near the ends of the range too; a result is a date of the
//! years 1 to 9999.

pub mod calendar;

use jiff::civil::Date;

use crate::number::Exact;
pub use calendar::{BadLine, Calendar, CalendarError};

/// The unit of a duration (SPEC §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DurationUnit {
    Day,
    Month,
    Year,
    WorkingDay,
}

impl DurationUnit {
    /// The unit as written for an amount of it: `1 day`, `30 days`, `2 working days`.
    pub fn words(self, plural: bool) -> &'static str {
        match (self, plural) {
            (DurationUnit::Day, false) => "day",
            (DurationUnit::Day, true) => "days",
            (DurationUnit::Month, false) => "month",
            (DurationUnit::Month, true) => "months",
            (DurationUnit::Year, false) => "year",
            (DurationUnit::Year, true) => "years",
            (DurationUnit::WorkingDay, false) => "working day",
            (DurationUnit::WorkingDay, true) => "working days",
        }
    }
}

/// The first and last year a computed date may fall in.
pub const YEARS: std::ops::RangeInclusive<i64> = 1..=9999;

/// Why a date cannot be computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ShiftError {
    /// The amount is not a whole number (`(x / 2) days` with an odd `x`).
    Fraction(Exact),
    /// The result falls outside the years 1 to 9999.
    Range,
    /// A working day falls in a year the calendar does not cover: the first such day.
    OutsideCalendar(Date),
}

/// `date + amount unit` (`back`: `date - amount unit`); working days count on `calendar`.
pub fn shift(
    date: Date,
    amount: Exact,
    back: bool,
    unit: DurationUnit,
    calendar: Option<&Calendar>,
) -> Result<Date, ShiftError> {
    let n = amount
        .is_integer()
        .then(|| amount.to_i128())
        .flatten()
        .ok_or(ShiftError::Fraction(amount))?;
    let n = if back { n.checked_neg() } else { Some(n) }.ok_or(ShiftError::Range)?;
    match unit {
        DurationUnit::Day => add_days(date, n),
        DurationUnit::Month => add_months(date, n),
        DurationUnit::Year => add_months(date, n.checked_mul(12).ok_or(ShiftError::Range)?),
        DurationUnit::WorkingDay => match calendar {
            Some(c) => c.add_working_days(date, n),
            // The resolver gives every `working days` its calendar.
            None => Err(ShiftError::OutsideCalendar(date)),
        },
    }
}

/// `later - earlier` in days (negative when `later` is earlier).
pub fn days_between(later: Date, earlier: Date) -> i64 {
    day_number(later) - day_number(earlier)
}

fn add_days(date: Date, n: i128) -> Result<Date, ShiftError> {
    let z = i128::from(day_number(date))
        .checked_add(n)
        .ok_or(ShiftError::Range)?;
    let z = i64::try_from(z).map_err(|_| ShiftError::Range)?;
    from_day_number(z).ok_or(ShiftError::Range)
}

/// Months keep the day number, or take the month's last day (2024-01-31 + 1 month is
/// 2024-02-29), the corresponding-date rule of statutes.
fn add_months(date: Date, n: i128) -> Result<Date, ShiftError> {
    let months = i128::from(date.year()) * 12 + i128::from(date.month()) - 1;
    let months = months.checked_add(n).ok_or(ShiftError::Range)?;
    let year = months.div_euclid(12);
    let month = months.rem_euclid(12) + 1;
    let year = i64::try_from(year).map_err(|_| ShiftError::Range)?;
    if !YEARS.contains(&year) {
        return Err(ShiftError::Range);
    }
    let (Ok(year), Ok(month)) = (i16::try_from(year), i8::try_from(month)) else {
        return Err(ShiftError::Range);
    };
    let first = Date::new(year, month, 1).map_err(|_| ShiftError::Range)?;
    let day = date.day().min(first.days_in_month());
    Date::new(year, month, day).map_err(|_| ShiftError::Range)
}

/// Days since 1970-01-01 (negative before), by the civil-calendar algorithm of H. Hinnant.
pub(crate) fn day_number(date: Date) -> i64 {
    let (y, m, d) = (
        i64::from(date.year()),
        i64::from(date.month()),
        i64::from(date.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number, if it is in the years 1 to 9999.
pub(crate) fn from_day_number(z: i64) -> Option<Date> {
    // Outside these bounds the year is outside 1..=9999 anyway; inside them nothing overflows.
    if !(-719_162..=2_932_896).contains(&z) {
        return None;
    }
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    if !YEARS.contains(&y) {
        return None;
    }
    Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(m).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()
}

#[cfg(test)]
mod tests;
