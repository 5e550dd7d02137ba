//! Exchange-rate tables (SPEC §11): the rows of an `fx` file, and the rate of a pair on a
//! date with the 7-day look-back, inverse rows and cross rates through a single base.
//!
//! Rates and amounts stay exact rationals ([`Exact`]): an inverse rate `1/r` or a cross rate
//! that does not terminate is kept as a fraction, never rounded.

use std::sync::Arc;

use jiff::civil::Date;

use crate::number::{ArithError, Exact};
use crate::value::Currency;

mod read;
mod rows;
#[cfg(test)]
mod tests;

pub use read::{read_rates, BadRates};
pub use rows::Rows;

/// How many days before the date asked for a rate may be taken from (SPEC §11: the latest
/// day d with D − 7 days ≤ d ≤ D).
pub const LOOK_BACK_DAYS: i8 = 7;

/// One row of a rate file: `rate` units of the quote currency per unit of the base, written
/// on `line` (1-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Row {
    pub rate: Exact,
    pub line: usize,
}

/// The rows of one `fx` file, with what the header clause says of them.
#[derive(Clone, Debug, Default)]
pub struct RateTable {
    /// The clause's `TEXT`: what the rates are (`European Central Bank euro reference rates`).
    pub source: Arc<str>,
    pub url: Option<Arc<str>>,
    /// The file's path as read (the policy's folder joined with `FILE`).
    pub path: Arc<str>,
    /// Shared by the copies of the table (they only read it).
    rows: Arc<Rows>,
}

/// One row a rate is taken from: `base` → `quote` at `rate`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Leg {
    pub base: Currency,
    pub quote: Currency,
    pub rate: Exact,
    pub line: usize,
}

/// How the file gives the rate A→B.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Via {
    /// A row A→B: `r`.
    Direct(Leg),
    /// A row B→A: `1/r`.
    Inverse(Leg),
    /// In a single-base file, rows C→B (`to`) and C→A (`from`) of one day: `to ÷ from`.
    Cross { to: Leg, from: Leg },
}

/// The rate A→B found for a date: the day of the rows it comes from, and how.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rate {
    pub date: Date,
    pub via: Via,
}

impl Rate {
    /// `amount` (in A) in B, exactly.
    pub fn convert(&self, amount: Exact) -> Result<Exact, ArithError> {
        match self.via {
            Via::Direct(l) => amount.checked_mul(l.rate),
            Via::Inverse(l) => amount.checked_div(l.rate),
            Via::Cross { to, from } => amount.checked_mul(to.rate)?.checked_div(from.rate),
        }
    }

    /// The rate itself, units of B per unit of A (exact; it may not terminate).
    pub fn factor(&self) -> Result<Exact, ArithError> {
        self.convert(Exact::ONE)
    }
}

impl RateTable {
    pub fn new(source: Arc<str>, url: Option<Arc<str>>, path: Arc<str>) -> RateTable {
        RateTable {
            source,
            url,
            path,
            ..RateTable::default()
        }
    }

    /// The table with the rows read from a file.
    pub fn with_rows(mut self, rows: Rows) -> RateTable {
        self.rows = Arc::new(rows);
        self
    }

    /// A copy whose texts are made by `copy` (its rows shared): see
    /// [`crate::resolve::Policy::unshared_copy`].
    pub fn with_texts(&self, copy: &mut dyn FnMut(&Arc<str>) -> Arc<str>) -> RateTable {
        RateTable {
            source: copy(&self.source),
            url: self.url.as_ref().map(&mut *copy),
            path: copy(&self.path),
            rows: Arc::clone(&self.rows),
        }
    }

    /// How many rows the file has.
    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The base every row shares, if they share one.
    pub fn single_base(&self) -> Option<Currency> {
        self.rows.single_base()
    }

    /// The rate `from` → `to` (two different currencies) for `on`: from the latest day d,
    /// `on` − 7 days ≤ d ≤ `on`, on which the file gives one (a direct row, else an inverse
    /// one, else a cross rate through the single base). None when no day of the window does.
    pub fn rate(&self, from: Currency, to: Currency, on: Date) -> Option<Rate> {
        let mut day = on;
        for back in 0..=LOOK_BACK_DAYS {
            if back > 0 {
                day = day.yesterday().ok()?;
            }
            if let Some(via) = self.on_day(from, to, day) {
                return Some(Rate { date: day, via });
            }
        }
        None
    }

    fn on_day(&self, from: Currency, to: Currency, day: Date) -> Option<Via> {
        // One row at most gives a day's pair, in either direction.
        if let Some(l) = self.rows.leg(day, from, to) {
            return Some(if l.base == from {
                Via::Direct(l)
            } else {
                Via::Inverse(l)
            });
        }
        // Every row is written from the single base.
        let base = self.rows.single_base()?;
        Some(Via::Cross {
            to: self.rows.leg(day, base, to)?,
            from: self.rows.leg(day, base, from)?,
        })
    }
}
