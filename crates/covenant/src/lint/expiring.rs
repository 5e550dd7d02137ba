//! `covenant lint --expiring SPAN DEAL…`: the approvals of deals (SPEC §10) that expire within
//! SPAN of today (`covenant::lint::expiring-approval`), and those already expired on or before
//! today (`covenant::lint::expired-approval`), each at its `expires` in the deal file. An
//! approval that expires `never` is never listed; one without a valid `expires` neither
//! (`covenant check` warns of it: `covenant::waiver::incomplete`).

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;

use crate::deal::tree::Deal;
use crate::deal::{load, Format, LoadOptions};
use crate::eval::waiver::Expiry;
use crate::schema::Schema;
use crate::source::SourceFile;

use super::{Finding, LintReport, Severity, EXPIRED_APPROVAL, EXPIRING_APPROVAL};

/// How far ahead to look: `90d`, `12w`, `6m` (calendar months, clamped to the month's end as
/// in SPEC §9), `1y`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Within {
    count: u32,
    unit: Unit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Unit {
    Days,
    Weeks,
    Months,
    Years,
}

/// The longest span a count may give, in its unit: beyond the range of dates anyway.
const MOST: u32 = 1_000_000;

impl FromStr for Within {
    type Err = String;

    fn from_str(text: &str) -> Result<Within, String> {
        let bad = || {
            format!(
                "`{text}` is not a span: write a whole number and a unit, such as `90d` (days), \
                 `12w` (weeks), `6m` (months) or `1y` (years)"
            )
        };
        let t = text.trim();
        let split = t.len().checked_sub(1).ok_or_else(bad)?;
        let (number, unit) = (
            t.get(..split).ok_or_else(bad)?,
            t.get(split..).ok_or_else(bad)?,
        );
        let unit = match unit {
            "d" | "D" => Unit::Days,
            "w" | "W" => Unit::Weeks,
            "m" | "M" => Unit::Months,
            "y" | "Y" => Unit::Years,
            _ => return Err(bad()),
        };
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        let count = number
            .parse::<u32>()
            .ok()
            .filter(|&n| n <= MOST)
            .ok_or_else(bad)?;
        Ok(Within { count, unit })
    }
}

impl fmt::Display for Within {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = match self.unit {
            Unit::Days => "d",
            Unit::Weeks => "w",
            Unit::Months => "m",
            Unit::Years => "y",
        };
        write!(f, "{}{unit}", self.count)
    }
}

impl Within {
    /// The last day of the span that starts on `today`: `today + span` (the latest date there
    /// is when that is past it).
    pub fn last_day(self, today: Date) -> Date {
        let n = i64::from(self.count);
        let span = match self.unit {
            Unit::Days => jiff::Span::new().try_days(n),
            Unit::Weeks => jiff::Span::new().try_weeks(n),
            Unit::Months => jiff::Span::new().try_months(n),
            Unit::Years => jiff::Span::new().try_years(n),
        };
        span.ok()
            .and_then(|s| today.checked_add(s).ok())
            .unwrap_or(Date::MAX)
    }
}

/// One deal document to read: its report path, text, first physical line and format.
pub struct DealDocument {
    pub path: String,
    pub source: SourceFile,
    pub first_line: usize,
    pub format: Format,
}

/// Add to `report` the approvals of `deals` (read against `schema`) that expire within
/// `within` of `today`, or expired on or before it; a deal that cannot be loaded adds its
/// errors and makes the report's exit code 2.
pub fn add_expiring(
    report: &mut LintReport,
    deals: Vec<DealDocument>,
    schema: &Schema,
    today: Date,
    within: Within,
) {
    let last = within.last_day(today);
    for d in deals {
        report.deals.push(d.path.clone());
        match load(
            d.source,
            d.path,
            d.first_line,
            d.format,
            schema,
            &LoadOptions::default(),
        ) {
            Ok(loaded) => {
                let deal = &loaded.deal;
                let found = approvals(schema, deal, &deal.source, today, last, within);
                report.findings.extend(found);
            }
            Err(errors) => {
                report.deals_invalid = true;
                report
                    .findings
                    .extend(Finding::from_reports(vec![miette::Report::new(errors)]));
            }
        }
    }
}

/// The findings of one deal's approvals.
fn approvals(
    schema: &Schema,
    deal: &Deal,
    src: &SourceFile,
    today: Date,
    last: Date,
    within: Within,
) -> Vec<Finding> {
    let mut out = Vec::new();
    for approval in crate::eval::approvals::read(schema, deal) {
        let Some((Expiry::On(on), span)) = approval.expires else {
            continue;
        };
        let name = approval.name();
        let by = approval
            .authority
            .map(|(a, _)| format!(" by {a}"))
            .unwrap_or_default();
        let days = (on - today).get_days();
        let finding = if on <= today {
            let ago = match -days {
                0 => "today".to_string(),
                1 => "yesterday".to_string(),
                n => format!("{n} days ago"),
            };
            Finding::new(
                EXPIRED_APPROVAL,
                Severity::Warning,
                format!("{name}{by} expired on {on}, {ago}"),
                src,
                span,
                "expired",
            )
            .help("an expired approval exempts nothing: renew it with a later `expires`, or remove it")
        } else if on <= last {
            let left = if days == 1 {
                "tomorrow".to_string()
            } else {
                format!("in {days} days")
            };
            Finding::new(
                EXPIRING_APPROVAL,
                Severity::Warning,
                format!("{name}{by} expires on {on}, {left} (within {within})"),
                src,
                span,
                format!("expires {left}"),
            )
            .help(format!(
                "renew it in time: from {on} on it exempts nothing (`covenant::waiver::expired`)"
            ))
        } else {
            continue;
        };
        out.push(finding);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn within(t: &str) -> Within {
        t.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn spans_are_a_count_and_a_unit() {
        let today = jiff::civil::date(2026, 1, 31);
        assert_eq!(within("90d").last_day(today), jiff::civil::date(2026, 5, 1));
        assert_eq!(within("2w").last_day(today), jiff::civil::date(2026, 2, 14));
        // Months keep the day, or take the month's last one (SPEC §9).
        assert_eq!(within("1m").last_day(today), jiff::civil::date(2026, 2, 28));
        assert_eq!(within("1y").last_day(today), jiff::civil::date(2027, 1, 31));
        assert_eq!(within("0d").last_day(today), today);
        assert_eq!(within("1000000y").last_day(today), Date::MAX);
        for bad in [
            "", "d", "90", "-3d", "3.5d", "90 days", "9x", "1000001d", "+3d",
        ] {
            assert!(bad.parse::<Within>().is_err(), "{bad}");
        }
        assert_eq!(within("90d").to_string(), "90d");
    }
}
