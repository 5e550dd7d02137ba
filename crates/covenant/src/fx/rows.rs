//! The rows of a rate file as kept for lookups: one entry per date and pair of currencies,
//! whichever way the row is written, small enough that a file of every business day since
//! 1999 (about 230,000 rows) stays a few megabytes.

use std::collections::hash_map::Entry;
use std::hash::{Hash, Hasher};

use jiff::civil::Date;

use crate::lookup::FastMap;
use crate::number::Exact;
use crate::value::Currency;

use super::{Leg, Row};

/// The rows of one rate file (SPEC §11), keyed by date and unordered pair.
#[derive(Clone, Debug, Default)]
pub struct Rows {
    rows: FastMap<DayPair, Stored>,
    /// The rows [`Stored`] cannot hold (a rate whose reduced numerator or denominator, or a
    /// line number, does not fit 32 bits), by date and pair.
    long: FastMap<DayPair, Row>,
    base: Base,
}

/// A date and two different currencies, the smaller code first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DayPair {
    date: Date,
    first: Currency,
    second: Currency,
}

/// Hashed as one word, not as five fields (equality still compares the fields).
impl Hash for DayPair {
    fn hash<H: Hasher>(&self, h: &mut H) {
        let code = |c: Currency| u64::from(u32::from_le_bytes([c.0[0], c.0[1], c.0[2], 0]));
        let d = &self.date;
        let day = u64::from(d.year().cast_unsigned()) << 9
            | u64::from(d.month().cast_unsigned()) << 5
            | u64::from(d.day().cast_unsigned());
        h.write_u64((code(self.first) << 24 | code(self.second)) ^ day << 39);
    }
}

/// One row: its rate in lowest terms, the line it is written on and its direction, in 16
/// bytes (28 with its key); or, when `long`, a mark that the row is in `Rows::long`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Stored {
    numer: i32,
    denom: u32,
    line: u32,
    /// The row is written `first,second` (else `second,first`).
    first_is_base: bool,
    long: bool,
}

/// The base the rows share, as far as they have been read.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
enum Base {
    #[default]
    NoRow,
    One(Currency),
    Several,
}

impl Rows {
    pub(super) fn with_capacity(n: usize) -> Rows {
        Rows {
            rows: crate::lookup::map_with_capacity(n),
            ..Rows::default()
        }
    }

    /// Adds the row `base,quote` (two different currencies) of `date` written on `line`, or
    /// gives the line of the row already read for that date and pair (in either direction).
    pub(super) fn add(
        &mut self,
        date: Date,
        (base, quote): (Currency, Currency),
        rate: Exact,
        line: usize,
    ) -> Result<(), usize> {
        let key = DayPair::of(date, base, quote);
        let vacant = match self.rows.entry(key) {
            Entry::Occupied(first) => {
                let first = *first.get();
                return Err(self.row(&key, first).map_or(usize::MAX, |r| r.line));
            }
            Entry::Vacant(v) => v,
        };
        let (numer, denom) = rate.parts();
        let first_is_base = base < quote;
        let short = (
            i32::try_from(numer),
            u32::try_from(denom),
            u32::try_from(line),
        );
        vacant.insert(match short {
            (Ok(numer), Ok(denom), Ok(line)) => Stored {
                numer,
                denom,
                line,
                first_is_base,
                long: false,
            },
            _ => {
                self.long.insert(key, Row { rate, line });
                Stored {
                    numer: 0,
                    denom: 1,
                    line: u32::MAX,
                    first_is_base,
                    long: true,
                }
            }
        });
        self.base = match self.base {
            Base::NoRow => Base::One(base),
            Base::One(b) if b == base => Base::One(b),
            _ => Base::Several,
        };
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The base every row shares, if they share one.
    pub fn single_base(&self) -> Option<Currency> {
        match self.base {
            Base::One(b) => Some(b),
            Base::NoRow | Base::Several => None,
        }
    }

    /// The row of `date` for the pair of `a` and `b` (two different currencies), written
    /// either way: its leg as written.
    pub(super) fn leg(&self, date: Date, a: Currency, b: Currency) -> Option<Leg> {
        let key = DayPair::of(date, a, b);
        let s = self.rows.get(&key)?;
        let (base, quote) = if s.first_is_base {
            (key.first, key.second)
        } else {
            (key.second, key.first)
        };
        let Row { rate, line } = self.row(&key, *s)?;
        Some(Leg {
            base,
            quote,
            rate,
            line,
        })
    }

    /// The rate and line of an entry, from `long` when it is kept there.
    #[inline]
    fn row(&self, key: &DayPair, s: Stored) -> Option<Row> {
        if s.long {
            return self.long.get(key).copied();
        }
        Some(Row {
            rate: Exact::from_parts(i128::from(s.numer), i128::from(s.denom)),
            // A `u32` is a `usize` on every target built.
            line: usize::try_from(s.line).unwrap_or(usize::MAX),
        })
    }

    /// Every row as `(date, base, quote) → row`, in order (for tests).
    #[cfg(test)]
    pub(super) fn written(&self) -> std::collections::BTreeMap<(Date, Currency, Currency), Row> {
        self.rows
            .keys()
            .filter_map(|key| {
                let leg = self.leg(key.date, key.first, key.second)?;
                let row = Row {
                    rate: leg.rate,
                    line: leg.line,
                };
                Some(((key.date, leg.base, leg.quote), row))
            })
            .collect()
    }
}

impl DayPair {
    fn of(date: Date, a: Currency, b: Currency) -> DayPair {
        let (first, second) = if a < b { (a, b) } else { (b, a) };
        DayPair {
            date,
            first,
            second,
        }
    }
}
