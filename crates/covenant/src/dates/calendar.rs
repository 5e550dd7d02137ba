//! Holiday calendars and working days (SPEC §9): a file of `YYYY-MM-DD[,name]` lines, read
//! once at compile time; `D + N working days` is the Nth day after D that is Monday to
//! Friday and no holiday. A calendar covers each year it lists a day of; a working day that
//! needs a year it does not cover is unknown.
//!
//! The work is bounded whatever N is: the working days of a range of days are counted by
//! arithmetic (five a week, less the holidays on weekdays, found by binary search), and the
//! Nth one is found by a binary search over the covered days.

use std::collections::BTreeSet;

use jiff::civil::Date;

use super::{day_number, from_day_number, ShiftError, YEARS};

/// A holiday calendar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// What it is, as the policy cites it (`"England and Wales bank holidays"`).
    pub name: String,
    /// The file, as the policy names it.
    pub file: String,
    /// The day numbers of the holidays that fall on a weekday, sorted, each once.
    weekday_holidays: Vec<i64>,
    /// The years the file lists a day of.
    years: BTreeSet<i64>,
}

/// A line of a calendar file that is not `YYYY-MM-DD[,name]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based.
    pub line: usize,
    /// The line's byte range in the file's text (its end of line excluded).
    pub start: usize,
    pub end: usize,
    pub why: String,
}

/// Why a calendar file cannot be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CalendarError {
    BadLine(BadLine),
    /// The file lists no day, so it covers no year.
    Empty,
}

impl Calendar {
    /// Read a calendar file's text: one `YYYY-MM-DD[,name]` per line; blank lines and lines
    /// starting with `#` are skipped.
    pub fn parse(name: &str, file: &str, text: &str) -> Result<Calendar, CalendarError> {
        let mut holidays = BTreeSet::new();
        let mut years = BTreeSet::new();
        let mut start = 0;
        for (i, raw) in text.split('\n').enumerate() {
            let end = start + raw.len();
            let line = raw.trim_end_matches('\r').trim();
            let at = start;
            start = end + 1;
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let day = line.split_once(',').map_or(line, |(d, _)| d).trim();
            let bad = |why: String| {
                CalendarError::BadLine(BadLine {
                    line: i + 1,
                    start: at,
                    end: at + raw.trim_end_matches('\r').len(),
                    why,
                })
            };
            let date = crate::value::parse_date(day).map_err(|e| bad(e.message))?;
            let year = i64::from(date.year());
            if !YEARS.contains(&year) {
                return Err(bad(format!("the year {year} is outside 1 to 9999")));
            }
            years.insert(year);
            if weekday(day_number(date)) < 5 {
                holidays.insert(day_number(date));
            }
        }
        if years.is_empty() {
            return Err(CalendarError::Empty);
        }
        Ok(Calendar {
            name: name.to_string(),
            file: file.to_string(),
            weekday_holidays: holidays.into_iter().collect(),
            years,
        })
    }

    /// `date + n working days` (`n` negative: backwards); `+ 0` is `date`.
    pub fn add_working_days(&self, date: Date, n: i128) -> Result<Date, ShiftError> {
        let d = day_number(date);
        if n == 0 {
            return Ok(date);
        }
        let forward = n > 0;
        let n = n.unsigned_abs();
        // The covered days on the way: from the day after (before) `date` to the end (start)
        // of the run of covered years it is in.
        let first = if forward { d + 1 } else { d - 1 };
        if from_day_number(first).is_none() {
            return Err(ShiftError::Range);
        }
        let Some(run_end) = self.run_end(first, forward) else {
            return Err(outside(first));
        };
        let (lo, hi) = if forward {
            (first, run_end)
        } else {
            (run_end, first)
        };
        if (self.working(lo, hi) as u128) < n {
            return Err(outside(if forward { hi + 1 } else { lo - 1 }));
        }
        // The day at which the count from `first` reaches `n` (the count grows by one on each
        // working day and by none on other days): forwards the first such day, backwards the
        // last, by binary search.
        let (mut a, mut b) = (lo, hi);
        while a < b {
            if forward {
                let mid = a + (b - a) / 2;
                if self.working(first, mid) as u128 >= n {
                    b = mid;
                } else {
                    a = mid + 1;
                }
            } else {
                let mid = a + (b - a + 1) / 2;
                if self.working(mid, first) as u128 >= n {
                    a = mid;
                } else {
                    b = mid - 1;
                }
            }
        }
        from_day_number(a).ok_or(ShiftError::Range)
    }

    /// The working days from day `lo` to day `hi`, both included (0 when `lo > hi`).
    fn working(&self, lo: i64, hi: i64) -> i64 {
        if lo > hi {
            return 0;
        }
        let holidays = self.weekday_holidays.partition_point(|&h| h <= hi)
            - self.weekday_holidays.partition_point(|&h| h < lo);
        weekdays_before(hi + 1) - weekdays_before(lo) - holidays as i64
    }

    /// The last (`forward`) or first day of the run of consecutive covered years that day
    /// `z` is in; None when its year is not covered.
    fn run_end(&self, z: i64, forward: bool) -> Option<i64> {
        let mut year = i64::from(from_day_number(z)?.year());
        if !self.years.contains(&year) {
            return None;
        }
        let step = if forward { 1 } else { -1 };
        while self.years.contains(&(year + step)) {
            year += step;
        }
        let (month, day) = if forward { (12, 31) } else { (1, 1) };
        let edge = Date::new(i16::try_from(year).ok()?, month, day).ok()?;
        Some(day_number(edge))
    }

    /// The years the calendar covers, first and last.
    pub fn covered(&self) -> (i64, i64) {
        let first = self.years.first().copied().unwrap_or(0);
        let last = self.years.last().copied().unwrap_or(0);
        (first, last)
    }
}

/// Day `z` is not covered; past the years 1–9999 there is no day at all.
fn outside(z: i64) -> ShiftError {
    match from_day_number(z) {
        Some(d) => ShiftError::OutsideCalendar(d),
        None => ShiftError::Range,
    }
}

/// Monday is 0, Sunday 6 (day 0, 1970-01-01, was a Thursday).
fn weekday(z: i64) -> i64 {
    (z + 3).rem_euclid(7)
}

/// The weekdays among the days before day `z` counted from a fixed Monday: the difference of
/// two of these counts the weekdays between.
fn weekdays_before(z: i64) -> i64 {
    let a = z + 3;
    a.div_euclid(7) * 5 + a.rem_euclid(7).min(5)
}
