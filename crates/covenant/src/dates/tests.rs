#![allow(clippy::unwrap_used, clippy::indexing_slicing, reason = "tests")]

use jiff::civil::{date, Date};

use super::*;

fn d(text: &str) -> Date {
    text.parse().unwrap()
}

fn plus(on: &str, n: i128, unit: DurationUnit) -> Result<Date, ShiftError> {
    shift(d(on), Exact::from_int(n), false, unit, None)
}

fn minus(on: &str, n: i128, unit: DurationUnit) -> Result<Date, ShiftError> {
    shift(d(on), Exact::from_int(n), true, unit, None)
}

#[test]
fn day_numbers_agree_with_jiff_over_the_whole_range() {
    let first = date(1, 1, 1);
    assert_eq!(day_number(first), -719_162);
    assert_eq!(day_number(date(1970, 1, 1)), 0);
    assert_eq!(day_number(date(9999, 12, 31)), 2_932_896);
    let mut x = first;
    let mut n = 0;
    loop {
        let z = day_number(x);
        assert_eq!(from_day_number(z), Some(x), "{x}");
        assert_eq!(z - day_number(first), (x - first).get_days() as i64, "{x}");
        n += 1;
        match x.checked_add(jiff::Span::new().days(5)) {
            Ok(next) if next.year() <= 9999 => x = next,
            _ => break,
        }
    }
    assert!(n > 700_000);
    assert_eq!(from_day_number(-719_163), None);
    assert_eq!(from_day_number(2_932_897), None);
    assert_eq!(from_day_number(i64::MIN), None);
    assert_eq!(from_day_number(i64::MAX), None);
}

#[test]
fn months_keep_the_day_or_take_the_last_day_of_the_month() {
    use DurationUnit::*;
    assert_eq!(plus("2024-01-31", 1, Month), Ok(d("2024-02-29")));
    assert_eq!(plus("2024-02-29", 1, Year), Ok(d("2025-02-28")));
    assert_eq!(minus("2024-03-31", 1, Month), Ok(d("2024-02-29")));
    assert_eq!(plus("2023-01-31", 1, Month), Ok(d("2023-02-28")));
    assert_eq!(plus("2024-02-29", 4, Year), Ok(d("2028-02-29")));
    assert_eq!(plus("2024-01-15", 25, Month), Ok(d("2026-02-15")));
    assert_eq!(minus("2024-01-15", 1, Month), Ok(d("2023-12-15")));
    assert_eq!(plus("2024-07-11", 30, Day), Ok(d("2024-08-10")));
    assert_eq!(minus("2024-03-01", 1, Day), Ok(d("2024-02-29")));
    assert_eq!(plus("2024-07-11", 0, Month), Ok(d("2024-07-11")));
}

#[test]
fn a_result_outside_the_years_1_to_9999_is_a_range_error() {
    use DurationUnit::*;
    assert_eq!(plus("9999-12-31", 1, Day), Err(ShiftError::Range));
    assert_eq!(minus("0001-01-01", 1, Day), Err(ShiftError::Range));
    assert_eq!(plus("9999-12-01", 1, Month), Err(ShiftError::Range));
    assert_eq!(minus("0001-01-31", 1, Month), Err(ShiftError::Range));
    assert_eq!(plus("9999-01-01", 1, Year), Err(ShiftError::Range));
    assert_eq!(plus("9999-12-31", 0, Day), Ok(d("9999-12-31")));
    assert_eq!(minus("9999-12-31", 9998, Year), Ok(d("0001-12-31")));
    for unit in [Day, Month, Year] {
        for n in [i128::MAX, i128::MIN, i128::MAX / 12 + 1, 10i128.pow(30)] {
            assert_eq!(plus("2024-01-01", n, unit), Err(ShiftError::Range), "{n}");
            let back = shift(d("2024-01-01"), Exact::from_int(n), true, unit, None);
            assert_eq!(back, Err(ShiftError::Range), "-{n}");
        }
    }
    // A year 0 date (jiff reads it) moves only into the years 1 to 9999.
    assert_eq!(plus("0000-06-01", 0, Day), Err(ShiftError::Range));
    assert_eq!(plus("0000-12-31", 1, Day), Ok(d("0001-01-01")));
}

#[test]
fn a_fraction_is_no_duration() {
    let half = Exact::parse("2.5").unwrap();
    assert_eq!(
        shift(d("2024-01-01"), half, false, DurationUnit::Day, None),
        Err(ShiftError::Fraction(half))
    );
}

#[test]
fn days_between_dates() {
    assert_eq!(days_between(d("2024-08-10"), d("2024-07-11")), 30);
    assert_eq!(days_between(d("2024-07-11"), d("2024-08-10")), -30);
    assert_eq!(days_between(d("9999-12-31"), d("0001-01-01")), 3_652_058);
}

const UK_2024: &str =
    "# England and Wales, 2024\n2024-01-01,New Year's Day\n2024-03-29,Good Friday\n\
2024-04-01,Easter Monday\n2024-05-06\n2024-05-27\n2024-08-26,Summer bank holiday\r\n\
2024-12-25,Christmas Day\n2024-12-26,Boxing Day\n\n";

fn uk() -> Calendar {
    Calendar::parse("UK", "uk.csv", UK_2024).unwrap()
}

fn working(on: &str, n: i128) -> Result<Date, ShiftError> {
    uk().add_working_days(d(on), n)
}

#[test]
fn working_days_skip_weekends_and_holidays() {
    // 2024-07-11 is a Thursday.
    assert_eq!(working("2024-07-11", 1), Ok(d("2024-07-12")));
    assert_eq!(working("2024-07-11", 2), Ok(d("2024-07-15")));
    assert_eq!(working("2024-07-11", 0), Ok(d("2024-07-11")));
    // Monday 26 August is a holiday.
    assert_eq!(working("2024-08-23", 1), Ok(d("2024-08-27")));
    assert_eq!(working("2024-08-27", -1), Ok(d("2024-08-23")));
    assert_eq!(working("2024-08-24", 1), Ok(d("2024-08-27")));
    assert_eq!(working("2024-08-25", -1), Ok(d("2024-08-23")));
    // Easter: Friday 29 March and Monday 1 April.
    assert_eq!(working("2024-03-28", 1), Ok(d("2024-04-02")));
    assert_eq!(working("2024-04-02", -1), Ok(d("2024-03-28")));
    assert_eq!(working("2024-01-01", 10), Ok(d("2024-01-15")));
}

#[test]
fn working_days_outside_the_covered_years_are_unknown() {
    assert_eq!(
        working("2024-12-30", 5),
        Err(ShiftError::OutsideCalendar(d("2025-01-01")))
    );
    assert_eq!(
        working("2024-01-02", -2),
        Err(ShiftError::OutsideCalendar(d("2023-12-31")))
    );
    assert_eq!(
        working("2023-06-01", 1),
        Err(ShiftError::OutsideCalendar(d("2023-06-02")))
    );
    // The day itself needs no calendar: `+ 0 working days` is the day.
    assert_eq!(working("2020-06-01", 0), Ok(d("2020-06-01")));
    // A huge count is answered at once.
    assert_eq!(
        working("2024-01-01", i128::MAX),
        Err(ShiftError::OutsideCalendar(d("2025-01-01")))
    );
    assert_eq!(
        working("2024-01-01", i128::MIN),
        Err(ShiftError::OutsideCalendar(d("2023-12-31")))
    );
}

#[test]
fn working_days_at_the_ends_of_the_range() {
    let c = Calendar::parse("ends", "e.csv", "0001-01-01\n9999-12-31\n").unwrap();
    assert_eq!(
        c.add_working_days(d("9999-12-31"), 1),
        Err(ShiftError::Range)
    );
    assert_eq!(
        c.add_working_days(d("0001-01-01"), -1),
        Err(ShiftError::Range)
    );
    assert_eq!(
        c.add_working_days(d("9999-12-30"), 1),
        Err(ShiftError::Range)
    );
    assert_eq!(c.add_working_days(d("9999-12-29"), 1), Ok(d("9999-12-30")));
    assert_eq!(c.add_working_days(d("0001-01-03"), -1), Ok(d("0001-01-02")));
}

/// Against counting one day at a time, over many starts and counts of a two-year calendar.
#[test]
fn working_days_agree_with_counting_day_by_day() {
    let text = format!("{UK_2024}2025-01-01\n2025-04-18\n2025-04-21\n2025-12-25\n");
    let c = Calendar::parse("UK", "uk.csv", &text).unwrap();
    let holidays: Vec<Date> = text
        .lines()
        .filter_map(|l| l.split(',').next()?.trim().parse().ok())
        .collect();
    let is_working = |x: Date| x.weekday().to_monday_zero_offset() < 5 && !holidays.contains(&x);
    let mut start = d("2024-01-01");
    while start.year() < 2026 {
        for n in [-40i128, -7, -1, 1, 2, 5, 23, 61] {
            let mut x = start;
            let mut left = n.unsigned_abs();
            let want = loop {
                let next = if n > 0 { x.tomorrow() } else { x.yesterday() }.unwrap();
                if next.year() < 2024 || next.year() > 2025 {
                    break Err(ShiftError::OutsideCalendar(next));
                }
                x = next;
                if is_working(x) {
                    left -= 1;
                    if left == 0 {
                        break Ok(x);
                    }
                }
            };
            assert_eq!(c.add_working_days(start, n), want, "{start} {n}");
        }
        start = start.checked_add(jiff::Span::new().days(3)).unwrap();
    }
}

#[test]
fn bad_calendar_lines_are_found_with_their_place() {
    let text = "2024-01-01\n2024-13-01,Nowhere\n";
    let Err(CalendarError::BadLine(b)) = Calendar::parse("x", "x.csv", text) else {
        panic!()
    };
    assert_eq!((b.line, &text[b.start..b.end]), (2, "2024-13-01,Nowhere"));
    let Err(CalendarError::BadLine(b)) = Calendar::parse("x", "x.csv", "date,name\n") else {
        panic!()
    };
    assert_eq!(b.line, 1);
    assert!(matches!(
        Calendar::parse("x", "x.csv", "0000-01-03\n"),
        Err(CalendarError::BadLine(_))
    ));
    assert_eq!(
        Calendar::parse("x", "x.csv", "# nothing\n\n"),
        Err(CalendarError::Empty)
    );
    assert_eq!(uk().covered(), (2024, 2024));
}
