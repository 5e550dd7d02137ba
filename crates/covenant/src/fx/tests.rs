#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use jiff::civil::date;

use super::*;
use crate::lookup::FastMap;

fn table(text: &str) -> RateTable {
    let rows = read_rates(text).unwrap_or_else(|e| panic!("{e:?}"));
    RateTable::new(Arc::from("t"), None, Arc::from("t.csv")).with_rows(rows)
}

fn c(code: &str) -> Currency {
    Currency::parse(code).unwrap()
}

fn n(text: &str) -> Exact {
    Exact::parse(text).unwrap()
}

const ECB: &str = "date,base,quote,rate\n\
    2024-07-10,EUR,USD,1.0825\n\
    2024-07-10,EUR,CAD,1.4758\n\
    2024-07-11,EUR,USD,1.0855\n\
    2024-07-11,EUR,CAD,1.4796\n";

#[test]
fn a_direct_row_on_the_day() {
    let t = table(ECB);
    let r = t.rate(c("EUR"), c("USD"), date(2024, 7, 11)).unwrap();
    assert_eq!(r.date, date(2024, 7, 11));
    assert!(matches!(r.via, Via::Direct(l) if l.line == 4 && l.rate == n("1.0855")));
    assert_eq!(r.convert(n("1000")), Ok(n("1085.5")));
}

#[test]
fn an_inverse_row_is_exact() {
    let t = table(ECB);
    let r = t.rate(c("USD"), c("EUR"), date(2024, 7, 11)).unwrap();
    assert!(matches!(r.via, Via::Inverse(l) if l.base == c("EUR")));
    // 1 / 1.0855 does not terminate: kept as a fraction, and back again exactly.
    let eur = r.convert(n("1")).unwrap();
    assert!(!eur.terminates());
    assert_eq!(eur.checked_mul(n("1.0855")), Ok(n("1")));
}

#[test]
fn a_cross_rate_goes_through_the_single_base() {
    let t = table(ECB);
    assert_eq!(t.single_base(), Some(c("EUR")));
    let r = t.rate(c("USD"), c("CAD"), date(2024, 7, 11)).unwrap();
    let Via::Cross { to, from } = r.via else {
        panic!("{r:?}")
    };
    assert_eq!((to.line, from.line), (5, 4));
    assert_eq!(r.factor(), n("1.4796").checked_div(n("1.0855")));
}

#[test]
fn no_cross_rate_in_a_file_of_several_bases() {
    let t = table("date,base,quote,rate\n2024-07-11,EUR,USD,1.0855\n2024-07-11,EUR,CAD,1.4796\n2024-07-11,GBP,JPY,200\n");
    assert_eq!(t.single_base(), None);
    assert_eq!(t.rate(c("USD"), c("CAD"), date(2024, 7, 11)), None);
    assert!(t.rate(c("EUR"), c("CAD"), date(2024, 7, 11)).is_some());
}

#[test]
fn the_look_back_is_seven_days() {
    let t = table(ECB);
    let r = t.rate(c("EUR"), c("USD"), date(2024, 7, 18)).unwrap();
    assert_eq!(r.date, date(2024, 7, 11));
    // 2024-07-19 − 7 days is 2024-07-12: no row then or after.
    assert_eq!(t.rate(c("EUR"), c("USD"), date(2024, 7, 19)), None);
    // Never a later day.
    assert_eq!(t.rate(c("EUR"), c("USD"), date(2024, 7, 9)), None);
    // The latest day wins.
    let r = t.rate(c("EUR"), c("USD"), date(2024, 7, 12)).unwrap();
    assert_eq!(r.date, date(2024, 7, 11));
}

#[test]
fn the_look_back_stops_at_the_first_day() {
    let t = table(ECB);
    assert_eq!(t.rate(c("EUR"), c("USD"), jiff::civil::Date::MIN), None);
}

#[test]
fn rows_are_read_leniently_around_fields() {
    let t = table("\u{feff}date, base ,quote,rate\r\n\r\n2024-07-11 , EUR,USD , 1.0855\r\n");
    assert_eq!(t.len(), 1);
}

fn bad(text: &str) -> BadRates {
    match read_rates(text) {
        Ok(_) => panic!("read: {text}"),
        Err(e) => e,
    }
}

fn bad_line(text: &str) -> (usize, String, String) {
    match bad(text) {
        BadRates::Line {
            line, span, why, ..
        } => (
            line,
            text.get(span.start..span.end).unwrap().to_string(),
            why,
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn malformed_files_are_reported_at_their_line() {
    assert!(matches!(
        bad("date,from,to,rate\n"),
        BadRates::Header { .. }
    ));
    assert!(matches!(bad(""), BadRates::Header { .. }));
    let h = "date,base,quote,rate\n";
    assert_eq!(
        bad_line(&format!("{h}2024-02-30,EUR,USD,1\n")).1,
        "2024-02-30"
    );
    assert_eq!(bad_line(&format!("{h}2024-07-11,eur,USD,1\n")).1, "eur");
    assert_eq!(bad_line(&format!("{h}2024-07-11,EUR,EUR,1\n")).1, "EUR");
    for rate in [
        "0", "-1", "0.000", "1e3", "1,5", ".5", "5.", "", "x", "1_000",
    ] {
        let (line, text, _) = bad_line(&format!("{h}\n2024-07-11,EUR,USD,{rate}\n"));
        assert_eq!(line, 3, "{rate}");
        if !rate.contains(',') {
            assert_eq!(text, rate, "{rate}");
        }
    }
    let (_, text, why) = bad_line(&format!("{h}2024-07-11,EUR,USD\n"));
    assert_eq!(text, "2024-07-11,EUR,USD");
    assert!(why.contains("3 fields"), "{why}");
}

#[test]
fn a_date_and_pair_has_one_row() {
    let h = "date,base,quote,rate\n";
    for second in ["2024-07-11,EUR,USD,1.0855", "2024-07-11,USD,EUR,0.9"] {
        let e = bad(&format!("{h}2024-07-11,EUR,USD,1.0855\n{second}\n"));
        assert!(
            matches!(
                e,
                BadRates::Repeated {
                    line: 3,
                    first_line: 2,
                    ..
                }
            ),
            "{e:?}"
        );
    }
    // Another day, another pair: fine.
    table(&format!(
        "{h}2024-07-11,EUR,USD,1.0855\n2024-07-12,EUR,USD,1.089\n2024-07-11,EUR,CAD,1.4796\n"
    ));
}

/// Every row of a file as written: `(date, base, quote) → row`.
type Written = std::collections::BTreeMap<(Date, Currency, Currency), Row>;

/// What [`read_rates`] read, row by row as written.
fn read_written(text: &str) -> Result<Written, BadRates> {
    read_rates(text).map(|rows| rows.written())
}

/// The reader as it was before its fast path (one `Vec` of cells a row, `split` for lines and
/// cells, a second map for repeats): the reference the fast reader must equal.
fn read_rates_reference(text: &str) -> Result<Written, BadRates> {
    use crate::source::Span;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let offset = |s: &str| s.as_ptr() as usize - text.as_ptr() as usize;
    let mut lines = text.split('\n').enumerate();
    let header = lines.next().map_or("", |(_, l)| l);
    let header = header.strip_suffix('\r').unwrap_or(header);
    let cells: Vec<&str> = header.split(',').map(str::trim).collect();
    if cells != read::HEADER.split(',').collect::<Vec<_>>() {
        let start = offset(header);
        return Err(BadRates::Header {
            span: Span::new(start, start + header.len()),
        });
    }
    let mut rows = Written::new();
    let mut seen: FastMap<(Date, Currency, Currency), (usize, Span)> = FastMap::default();
    for (index, raw) in lines {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        if line.trim().is_empty() {
            continue;
        }
        let number = index + 1;
        let start = offset(line);
        let whole = Span::new(start, start + line.len());
        let (date, base, quote, rate) = read::row(line, start, number)?;
        let pair = if base < quote {
            (date, base, quote)
        } else {
            (date, quote, base)
        };
        if let Some(&(first_line, first)) = seen.get(&pair) {
            return Err(BadRates::Repeated {
                line: number,
                span: whole,
                first_line,
                first,
            });
        }
        seen.insert(pair, (number, whole));
        rows.insert((date, base, quote), Row { rate, line: number });
    }
    Ok(rows)
}

mod fast_reader {
    use super::*;
    use proptest::prelude::*;

    /// A cell as files write it, and as they should not: plain, padded (ASCII or not), empty,
    /// or of the wrong kind.
    fn cell(plain: &'static [&'static str]) -> impl Strategy<Value = String> {
        prop_oneof![
            6 => proptest::sample::select(plain).prop_map(str::to_string),
            1 => proptest::sample::select(plain).prop_map(|c| format!(" {c}\t")),
            1 => proptest::sample::select(plain).prop_map(|c| format!("\u{a0}{c}")),
            1 => proptest::sample::select(plain).prop_map(|c| format!("{c}\u{2003}")),
            1 => proptest::sample::select(&["", "x", "1,5", "2024-7-1", "usd", "é", "-1", "0"][..])
                .prop_map(str::to_string),
        ]
    }

    fn line() -> impl Strategy<Value = String> {
        let dates = &[
            "2024-07-10",
            "2024-07-11",
            "2024-02-29",
            "2023-02-29",
            "0000-01-01",
            "2024-13-01",
            "2024-07-1x",
            "9999-12-31",
        ][..];
        let codes = &["EUR", "USD", "CAD", "JPY", "EU", "EURO"][..];
        let rates = &[
            "1.0855",
            "160.60",
            "1",
            "0.0",
            "1.",
            ".5",
            "1e3",
            "00001.10",
            "2147483647",
            "2147483648",
            "12345678.901234",
            "0.000000000000000000000000000001",
        ][..];
        prop_oneof![
            12 => (cell(dates), cell(codes), cell(codes), cell(rates))
                .prop_map(|(d, b, q, r)| format!("{d},{b},{q},{r}")),
            1 => (cell(dates), cell(codes), cell(codes), cell(rates), cell(rates))
                .prop_map(|(d, b, q, r, x)| format!("{d},{b},{q},{r},{x}")),
            1 => (cell(dates), cell(codes)).prop_map(|(d, b)| format!("{d},{b}")),
            1 => Just(String::new()),
            1 => Just("  \t".to_string()),
        ]
    }

    fn file() -> impl Strategy<Value = String> {
        (
            proptest::bool::weighted(0.1),
            proptest::sample::select(
                &[
                    "date,base,quote,rate",
                    " date , base,quote,rate",
                    "date,base,quote",
                    "",
                ][..],
            ),
            proptest::collection::vec((line(), proptest::bool::weighted(0.2)), 0..40),
            proptest::bool::ANY,
        )
            .prop_map(|(bom, header, lines, last_newline)| {
                let mut text = String::from(if bom { "\u{feff}" } else { "" });
                text.push_str(header);
                for (l, crlf) in lines {
                    text.push_str(if crlf { "\r\n" } else { "\n" });
                    text.push_str(&l);
                }
                if last_newline {
                    text.push('\n');
                }
                text
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]
        /// The fast reader reads every file, good or bad, exactly as the reference does:
        /// the same rows, or the same first problem at the same place.
        #[test]
        fn reads_as_the_reference(text in file()) {
            prop_assert_eq!(read_written(&text), read_rates_reference(&text));
        }
    }

    /// The rate of a pair on a day as found before rows were kept by unordered pair: a
    /// direct row, else an inverse one, else a cross rate through the single base of every
    /// row, on the latest day of the look-back that gives one.
    fn rate_reference(rows: &Written, from: Currency, to: Currency, on: Date) -> Option<Rate> {
        let mut bases = rows.keys().map(|(_, base, _)| *base);
        let first = bases.next();
        let single = first.filter(|b| bases.all(|other| other == *b));
        let mut day = on;
        for back in 0..=LOOK_BACK_DAYS {
            if back > 0 {
                day = day.yesterday().ok()?;
            }
            let leg = |base: Currency, quote: Currency| {
                rows.get(&(day, base, quote)).map(|r| Leg {
                    base,
                    quote,
                    rate: r.rate,
                    line: r.line,
                })
            };
            let via = match (leg(from, to), leg(to, from), single) {
                (Some(l), _, _) => Some(Via::Direct(l)),
                (None, Some(l), _) => Some(Via::Inverse(l)),
                (None, None, Some(base)) => leg(base, to)
                    .zip(leg(base, from))
                    .map(|(to, from)| Via::Cross { to, from }),
                (None, None, None) => None,
            };
            if let Some(via) = via {
                return Some(Rate { date: day, via });
            }
        }
        None
    }

    /// Files of good rows; in half of them every row has the base EUR, so that cross rates
    /// are found.
    fn good_file() -> impl Strategy<Value = String> {
        let row = (
            0..12i8,
            proptest::sample::select(&["EUR", "USD", "CAD", "JPY"][..]),
            proptest::sample::select(&["EUR", "USD", "CAD", "JPY", "GBP"][..]),
            proptest::sample::select(
                &[
                    "1.0855",
                    "160.60",
                    "2",
                    "0.5",
                    "2147483648",
                    "1.000000000000000000001",
                ][..],
            ),
        );
        let rows = proptest::collection::vec(row, 0..30);
        (rows, proptest::bool::ANY).prop_map(|(rows, single)| {
            let mut seen = std::collections::BTreeSet::new();
            let mut text = String::from("date,base,quote,rate\n");
            for (day, b, q, r) in rows {
                let b = if single { "EUR" } else { b };
                let pair = if b < q { (day, b, q) } else { (day, q, b) };
                if b != q && seen.insert(pair) {
                    text.push_str(&format!("2024-07-{:02},{b},{q},{r}\n", day + 1));
                }
            }
            text
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Every pair on every day gets the rate the rows give as written: the same day,
        /// direction, legs and lines as a lookup of each direction in turn.
        #[test]
        fn rates_are_found_as_by_each_direction(text in good_file()) {
            let t = table(&text);
            let written = read_written(&text).unwrap_or_default();
            let codes = ["EUR", "USD", "CAD", "JPY", "GBP", "CHF"];
            for on in 1..=20i8 {
                for from in codes {
                    for to in codes.into_iter().filter(|to| *to != from) {
                        let day = date(2024, 7, on);
                        prop_assert_eq!(
                            t.rate(c(from), c(to), day),
                            rate_reference(&written, c(from), c(to), day),
                            "{} {} {}", from, to, day
                        );
                    }
                }
            }
        }
    }

    /// A rate of more than nine digits is kept apart from the others: found, and named as
    /// the first of a repeat, as any other.
    #[test]
    fn a_long_rate_is_kept_whole() {
        for rate in [
            "2147483648",
            "1.0000000001",
            "0.000000000000000000000000000001",
        ] {
            let text = format!(
                "date,base,quote,rate\n2024-07-11,EUR,USD,1.0855\n2024-07-11,EUR,JPY,{rate}\n\
                 2024-07-11,JPY,EUR,0.5\n"
            );
            assert_eq!(read_written(&text), read_rates_reference(&text), "{rate}");
            assert!(
                matches!(
                    read_rates(&text),
                    Err(BadRates::Repeated {
                        line: 4,
                        first_line: 3,
                        ..
                    })
                ),
                "{rate}"
            );
            let text = text.replace("2024-07-11,JPY,EUR,0.5\n", "");
            let t = table(&text);
            let r = t.rate(c("JPY"), c("USD"), date(2024, 7, 11)).unwrap();
            let Via::Cross { to, from } = r.via else {
                panic!("{r:?}")
            };
            assert_eq!((to.line, from.line, from.rate), (2, 3, n(rate)));
        }
    }

    #[test]
    fn a_repeat_points_at_the_first_row_in_either_direction() {
        let text =
            "date,base,quote,rate\r\n2024-07-11,EUR,USD,1.0855\r\n\r\n2024-07-11,USD,EUR,0.9\r\n";
        assert_eq!(read_written(text), read_rates_reference(text));
        assert!(matches!(
            read_rates(text),
            Err(BadRates::Repeated {
                line: 4,
                first_line: 2,
                ..
            })
        ));
    }
}
