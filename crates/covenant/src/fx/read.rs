//! Reading a rate file (SPEC §11): a CSV file whose first line is `date,base,quote,rate`,
//! then one row per line, `YYYY-MM-DD,BASE,QUOTE,RATE` (RATE: units of QUOTE per unit of
//! BASE, a decimal > 0).
//!
//! Decisions where the spec is silent: fields may have spaces around them; blank lines are
//! skipped; a line end may be LF or CR LF, and a UTF-8 byte-order mark is ignored; fields are
//! never quoted; a row whose base and quote are one currency is bad; one date and pair, in
//! either direction, has one row (`USD,CAD` and `CAD,USD` of one day are a repeated row:
//! two rows could disagree).

use jiff::civil::Date;

use crate::number::read::short_decimal;
use crate::number::Exact;
use crate::source::Span;
use crate::value::Currency;

use super::rows::Rows;

/// What is wrong with a rate file: the first problem found, at its place in the file's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BadRates {
    /// The first line is not `date,base,quote,rate`.
    Header { span: Span },
    /// A row that cannot be read: why, and how to fix it.
    Line {
        line: usize,
        span: Span,
        why: String,
        help: String,
    },
    /// A second row of one date and pair.
    Repeated {
        line: usize,
        span: Span,
        first_line: usize,
        first: Span,
    },
}

/// The header line every rate file starts with.
pub const HEADER: &str = "date,base,quote,rate";

/// The rows of a rate file's text, keyed by date and pair.
pub fn read_rates(text: &str) -> Result<Rows, BadRates> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let offset = |s: &str| s.as_ptr() as usize - text.as_ptr() as usize;
    let mut lines = Lines::of(text).enumerate();
    let header = lines.next().map_or("", |(_, l)| l);
    let header = header.strip_suffix('\r').unwrap_or(header);
    let cells: Vec<&str> = header.split(',').map(str::trim).collect();
    if cells != HEADER.split(',').collect::<Vec<_>>() {
        let start = offset(header);
        return Err(BadRates::Header {
            span: Span::new(start, start + header.len()),
        });
    }
    // A row is about 26 bytes: room for all of them at once, not rehashed as they come.
    let mut rows = Rows::with_capacity(text.len() / 24);
    for (index, raw) in lines {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        // A row starts with a digit; anything else may be a blank line.
        let digit = line.as_bytes().first().is_some_and(u8::is_ascii_digit);
        if !digit && line.trim().is_empty() {
            continue;
        }
        let number = index + 1;
        let start = offset(line);
        let (date, base, quote, rate) = match plain_row(line) {
            Some(cells) => cells,
            None => row(line, start, number)?,
        };
        // One row per date and pair, in either direction.
        if let Err(first_line) = rows.add(date, (base, quote), rate, number) {
            return Err(BadRates::Repeated {
                line: number,
                span: Span::new(start, start + line.len()),
                first_line,
                first: line_span(text, first_line),
            });
        }
    }
    Ok(rows)
}

/// The lines of a text split at `\n` (as `str::split('\n')`, found byte by byte: a row is
/// short, and searching for the next `\n` costs more than reading up to it).
struct Lines<'t> {
    /// None once the last line (possibly empty) is given.
    rest: Option<&'t str>,
}

impl<'t> Lines<'t> {
    fn of(text: &'t str) -> Lines<'t> {
        Lines { rest: Some(text) }
    }
}

impl<'t> Iterator for Lines<'t> {
    type Item = &'t str;

    fn next(&mut self) -> Option<&'t str> {
        let rest = self.rest?;
        Some(match rest.bytes().position(|b| b == b'\n') {
            Some(at) => {
                self.rest = Some(&rest[at + 1..]);
                &rest[..at]
            }
            None => self.rest.take().unwrap_or(rest),
        })
    }
}

/// The span of the row on 1-based line `number` (without its `\r`), for a repeated row.
fn line_span(text: &str, number: usize) -> Span {
    let line = Lines::of(text).nth(number - 1).unwrap_or("");
    let line = line.strip_suffix('\r').unwrap_or(line);
    let start = line.as_ptr() as usize - text.as_ptr() as usize;
    Span::new(start, start + line.len())
}

/// A row in the plain form nearly every file has: `YYYY-MM-DD,BASE,QUOTE,RATE` with nothing
/// around the cells, two different codes and a short decimal rate greater than 0, read as
/// [`row`] reads it; None for anything else, which [`row`] reads (or reports).
fn plain_row(line: &str) -> Option<(Date, Currency, Currency, Exact)> {
    let (head, rate) = line.as_bytes().split_at_checked(19)?;
    let &[.., b',', b0, b1, b2, b',', q0, q1, q2, b','] = head else {
        return None;
    };
    let date = crate::value::short_date(line.get(..10)?)?;
    let base = Currency::parse_bytes(&[b0, b1, b2])?;
    let quote = Currency::parse_bytes(&[q0, q1, q2])?;
    if base == quote {
        return None;
    }
    // `rate_of`'s reading of the short decimals it accepts (`Exact::parse` reads them so).
    let (m, scale) = short_decimal(rate)?;
    let rate = Exact::from_scaled(m, scale)?;
    (m > 0).then_some((date, base, quote, rate))
}

/// The four cells of one row, each read, or why the first bad one is bad.
pub(super) fn row(
    line: &str,
    start: usize,
    number: usize,
) -> Result<(Date, Currency, Currency, Exact), BadRates> {
    let mut cells = Vec::with_capacity(4);
    let mut at = start;
    for cell in line.split(',') {
        let lead = cell.len() - cell.trim_start().len();
        let trimmed = cell.trim();
        cells.push((trimmed, Span::new(at + lead, at + lead + trimmed.len())));
        at += cell.len() + 1;
    }
    let bad = |span: Span, why: String, help: &str| BadRates::Line {
        line: number,
        span,
        why,
        help: help.to_string(),
    };
    let end = start + line.len();
    let [(date, date_at), (base, base_at), (quote, quote_at), (rate, rate_at)] = *cells.as_slice()
    else {
        // Past four fields, from the rate on (a decimal comma); else the whole row.
        let from = match cells.get(3) {
            Some((_, at)) if cells.len() > 4 => at.start,
            _ => start,
        };
        return Err(bad(
            Span::new(from, end),
            format!("the row has {} fields, not 4", cells.len()),
            "write `date,base,quote,rate`, such as `2024-07-11,EUR,USD,1.0855`; a rate's decimal point is `.`",
        ));
    };
    let date = crate::value::parse_date(date).map_err(|e| {
        bad(
            date_at,
            e.message,
            "write the date as YYYY-MM-DD, such as 2024-07-11",
        )
    })?;
    let code = |text: &str, at: Span| {
        Currency::parse(text).ok_or_else(|| {
            bad(
                at,
                format!("`{text}` is not a currency code"),
                "write a currency as three capitals, such as `USD`",
            )
        })
    };
    let base = code(base, base_at)?;
    let quote = code(quote, quote_at)?;
    if base == quote {
        return Err(bad(
            quote_at,
            format!("the base and the quote are both {base}"),
            "a row converts one currency into another",
        ));
    }
    let rate = rate_of(rate).ok_or_else(|| {
        bad(
            rate_at,
            format!("`{rate}` is not a rate: a decimal greater than 0"),
            "write the units of the quote per unit of the base, such as `1.0855`",
        )
    })?;
    Ok((date, base, quote, rate))
}

/// A rate: digits, at most one `.` between digits, greater than 0.
fn rate_of(text: &str) -> Option<Exact> {
    let (int, frac) = text.split_once('.').unwrap_or((text, "0"));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(int) || !digits(frac) {
        return None;
    }
    Exact::parse(text).filter(|r| !r.is_negative() && !r.is_zero())
}
