//! The unique-hit checks of a lookup table (SPEC §8), on the cells' values alone: each open
//! `from` is closed by the next row with the same other cells (those rows ascend:
//! `unordered`), then no two rows may match the same keys (`overlap`).
//!
//! Pairs of rows: each pair costs at most the values of its two rows (value sets are merged),
//! so the checks of a table cost at most its rows times its values, which
//! [`MAX_TABLE_ROWS`] and [`MAX_TABLE_VALUES`] bound.

use std::cmp::Ordering;

use crate::value::Scalar;

use super::super::value_set::{order, ValueSet};

/// The most rows of one table (`covenant::table::too-large`): the checks compare every pair.
pub const MAX_TABLE_ROWS: usize = 10_000;

/// The most values in the cells of one table, each value of a list cell counted, each bound and
/// each `any` counted once (`covenant::table::too-large`).
pub const MAX_TABLE_VALUES: usize = 25_000;

/// What a cell matches.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Cells {
    Any,
    In(ValueSet),
    Range { from: Scalar, until: Option<Scalar> },
}

/// Two rows that break the unique hit: `first` comes before `second`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Problem {
    /// Open `from` rows with the same other cells that do not ascend in `column`.
    Unordered {
        first: usize,
        second: usize,
        column: usize,
    },
    /// Rows that can match the same keys; `loose` when only strings that differ in case or
    /// surrounding white space make them meet (a deal value matching one is a near miss of
    /// the other, SPEC §2.6).
    Overlap {
        first: usize,
        second: usize,
        loose: bool,
    },
}

/// Close the open `from` cells of `rows` (one `Vec` of cells per row, one cell per key), then
/// find the pairs of rows that can both match: every unordered pair, else the first row each
/// row overlaps.
pub(super) fn check(rows: &mut [Vec<Cells>]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let closes = closings(rows, &mut problems);
    if !problems.is_empty() {
        return problems;
    }
    for (row, column, until) in closes {
        if let Some(Cells::Range { until: u, .. }) =
            rows.get_mut(row).and_then(|r| r.get_mut(column))
        {
            *u = Some(until);
        }
    }
    for (second, later) in rows.iter().enumerate() {
        let first = rows
            .iter()
            .take(second)
            .enumerate()
            .find_map(|(i, earlier)| meet(earlier, later).map(|loose| (i, loose)));
        if let Some((first, loose)) = first {
            problems.push(Problem::Overlap {
                first,
                second,
                loose,
            });
        }
    }
    problems
}

/// Where each open `from` ends: (row, column, the next such row's `from`), as the cells are
/// written; an unordered pair instead where the next one does not start later.
fn closings(rows: &[Vec<Cells>], problems: &mut Vec<Problem>) -> Vec<(usize, usize, Scalar)> {
    let mut out = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let Cells::Range { from, until: None } = cell else {
                continue;
            };
            let next =
                rows.iter()
                    .enumerate()
                    .skip(i + 1)
                    .find_map(|(j, other)| match other.get(c) {
                        Some(Cells::Range { from: next, .. }) if same_but(row, other, c) => {
                            Some((j, next))
                        }
                        _ => None,
                    });
            let Some((j, next)) = next else { continue };
            if order(from, next) == Ordering::Less {
                out.push((i, c, next.clone()));
            } else {
                problems.push(Problem::Unordered {
                    first: i,
                    second: j,
                    column: c,
                });
            }
        }
    }
    out
}

/// Whether rows `a` and `b` have the same cells in every column but `column`.
fn same_but(a: &[Cells], b: &[Cells], column: usize) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .enumerate()
            .all(|(c, (x, y))| c == column || same(x, y))
}

/// The same cell: `any`, the same values (in any order), the same bounds.
fn same(a: &Cells, b: &Cells) -> bool {
    match (a, b) {
        (Cells::Any, Cells::Any) => true,
        // Sorted and without repeats: the same values are the same sequence.
        (Cells::In(xs), Cells::In(ys)) => {
            xs.values().len() == ys.values().len()
                && xs
                    .values()
                    .iter()
                    .zip(ys.values())
                    .all(|(x, y)| equal(x, y))
        }
        (
            Cells::Range {
                from: f1,
                until: u1,
            },
            Cells::Range {
                from: f2,
                until: u2,
            },
        ) => {
            equal(f1, f2)
                && match (u1, u2) {
                    (None, None) => true,
                    (Some(x), Some(y)) => equal(x, y),
                    _ => false,
                }
        }
        _ => false,
    }
}

/// Whether two rows can match the same keys: every column meets. `Some(true)` when a column
/// meets only loosely (strings that differ in case or white space).
fn meet(a: &[Cells], b: &[Cells]) -> Option<bool> {
    let mut loose = false;
    for (x, y) in a.iter().zip(b) {
        match cells_meet(x, y)? {
            Meet::Exactly => {}
            Meet::Loosely => loose = true,
        }
    }
    Some(loose)
}

enum Meet {
    Exactly,
    Loosely,
}

/// Whether some key value matches both cells.
fn cells_meet(a: &Cells, b: &Cells) -> Option<Meet> {
    match (a, b) {
        (Cells::Any, _) | (_, Cells::Any) => Some(Meet::Exactly),
        (Cells::In(xs), Cells::In(ys)) => {
            if xs.meets(ys) {
                Some(Meet::Exactly)
            } else if xs.meets_loosely(ys) {
                Some(Meet::Loosely)
            } else {
                None
            }
        }
        (Cells::In(xs), Cells::Range { from, until })
        | (Cells::Range { from, until }, Cells::In(xs)) => {
            xs.any_within(from, until.as_ref()).then_some(Meet::Exactly)
        }
        (
            Cells::Range {
                from: f1,
                until: u1,
            },
            Cells::Range {
                from: f2,
                until: u2,
            },
        ) => (before(f1, u2.as_ref()) && before(f2, u1.as_ref())).then_some(Meet::Exactly),
    }
}

/// `x < until` (no `until`: no end).
fn before(x: &Scalar, until: Option<&Scalar>) -> bool {
    until.is_none_or(|u| order(x, u) == Ordering::Less)
}

/// The same value, in whatever spelling (`50%` and `50.0%`).
fn equal(a: &Scalar, b: &Scalar) -> bool {
    order(a, b) == Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::Exact;

    fn pct(s: &str) -> Scalar {
        Scalar::Percent(Exact::parse(s).unwrap_or(Exact::ZERO))
    }

    fn from(s: &str) -> Cells {
        Cells::Range {
            from: pct(s),
            until: None,
        }
    }

    fn lit(s: &str) -> Cells {
        Cells::In(ValueSet::new(vec![Scalar::Str(s.into())]))
    }

    #[test]
    fn open_rows_are_closed_by_the_next_row_with_the_same_other_cells() {
        let mut rows = vec![
            vec![lit("a"), from("10")],
            vec![lit("b"), from("15")],
            vec![lit("a"), from("20")],
        ];
        assert_eq!(check(&mut rows), []);
        assert_eq!(
            rows[0][1],
            Cells::Range {
                from: pct("10"),
                until: Some(pct("20"))
            }
        );
        assert_eq!(rows[1][1], from("15"));
        assert_eq!(rows[2][1], from("20"));
    }

    #[test]
    fn descending_or_equal_open_rows_are_unordered() {
        let mut rows = vec![vec![from("20")], vec![from("10")]];
        assert_eq!(
            check(&mut rows),
            [Problem::Unordered {
                first: 0,
                second: 1,
                column: 0
            }]
        );
        let mut rows = vec![vec![from("20")], vec![from("20.0")]];
        assert_eq!(check(&mut rows).len(), 1);
    }

    #[test]
    fn overlaps_are_found_in_every_shape() {
        let range = |a: &str, b: &str| Cells::Range {
            from: pct(a),
            until: Some(pct(b)),
        };
        let pcts = |xs: &[&str]| Cells::In(ValueSet::new(xs.iter().map(|x| pct(x)).collect()));
        let overlap = |a: Cells, b: Cells| !check(&mut [vec![a], vec![b]]).is_empty();
        assert!(overlap(range("0", "10"), range("5", "15")));
        assert!(!overlap(range("0", "10"), range("10", "15")));
        assert!(overlap(pcts(&["50"]), pcts(&["50.0"])));
        assert!(!overlap(pcts(&["50"]), pcts(&["51"])));
        assert!(overlap(pcts(&["5"]), range("0", "10")));
        assert!(!overlap(pcts(&["10"]), range("0", "10")));
        assert!(overlap(Cells::Any, pcts(&["1"])));
        assert!(overlap(range("0", "10"), from("9")));
        // Two columns: rows overlap only when every column does.
        let mut rows = vec![vec![lit("a"), Cells::Any], vec![lit("b"), Cells::Any]];
        assert_eq!(check(&mut rows), []);
        let mut rows = vec![vec![lit("a"), Cells::Any], vec![lit("a "), pcts(&["1"])]];
        assert_eq!(
            check(&mut rows),
            [Problem::Overlap {
                first: 0,
                second: 1,
                loose: true
            }]
        );
    }
}
