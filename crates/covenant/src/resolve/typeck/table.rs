//! Lowering lookup tables (SPEC §8): each key is one value; each cell a literal, a list
//! literal (either maybe through `let` names), `from V [until W]` or `any`, of its key's type;
//! every row's value of one type. Then the unique-hit checks of [`super::table_check`].

use crate::schema::Type;
use crate::source::Span;
use crate::syntax::ast;
use crate::value::Scalar;

use super::super::error::{BadCell, TableOverlap, TableTooLarge, TableUnordered};
use super::super::ir::{Cell, Expr, ExprKind as K, Loc, Row, Table};
use super::super::phrase::Frame;
use super::error::{CellCurrency, ListInGuard, RowTypes, TableKey};
use super::table_check::{self, Cells, Problem, MAX_TABLE_ROWS, MAX_TABLE_VALUES};
use super::{Ctx, Lowerer};

/// A row with its cells lowered, before the checks of the whole table.
struct Lowered {
    cells: Vec<(Cell, Span)>,
    value: Expr,
    span: Span,
}

impl Lowerer<'_> {
    pub(super) fn table(&mut self, t: &ast::Table, frames: &mut Vec<Frame>) -> Option<Expr> {
        let keys: Vec<Option<Expr>> = t.keys.iter().map(|k| self.table_key(k, frames)).collect();
        let keys: Option<Vec<Expr>> = keys.into_iter().collect();
        let mut rows = Vec::with_capacity(t.rows.len());
        let mut failed = keys.is_none();
        for row in &t.rows {
            match self.table_row(row, keys.as_deref(), frames) {
                Some(r) => rows.push(r),
                None => failed = true,
            }
        }
        let otherwise = match &t.otherwise {
            Some(o) => match self.expr(&o.value, frames, Ctx::Guard) {
                Some(v) => Some((v, o.span)),
                None => return None,
            },
            None => None,
        };
        let keys = keys?;
        if failed {
            return None;
        }
        let ty = self.row_types(&rows, otherwise.as_ref().map(|(v, _)| v))?;
        self.one_currency_per_key(&rows, keys.len())?;
        let values: usize = rows
            .iter()
            .flat_map(|r| &r.cells)
            .map(|(c, _)| cell_scalars(c).len().max(1))
            .sum();
        if rows.len() > MAX_TABLE_ROWS || values > MAX_TABLE_VALUES {
            self.resolve_error(TableTooLarge {
                rows: rows.len(),
                values,
                max_rows: MAX_TABLE_ROWS,
                max_values: MAX_TABLE_VALUES,
                src: self.named(),
                span: t.head.into(),
            });
            return None;
        }
        self.unique_hit(&mut rows)?;
        let rows = rows
            .into_iter()
            .map(|r| Row {
                text: self.text(cells_span(&r)),
                cells: r.cells.into_iter().map(|(c, _)| c).collect(),
                value: r.value,
                loc: self.loc(r.span),
            })
            .collect();
        let otherwise = otherwise.map(|(value, at)| {
            Box::new(Row {
                cells: Vec::new(),
                value,
                text: "otherwise".into(),
                loc: self.loc(at),
            })
        });
        let table = Table {
            name: "".into(),
            keys,
            rows,
            otherwise,
        };
        let mut x = self.mk(K::Table(Box::new(table)), ty, t.head);
        x.text = x.text.trim_end_matches(':').trim_end().into();
        Some(x)
    }

    fn loc(&self, span: Span) -> Loc {
        Loc {
            file: self.file,
            span,
        }
    }

    /// A key: one value (a list is the guard error of SPEC §2.4; a record is not a value).
    fn table_key(&mut self, k: &ast::Expr, frames: &mut Vec<Frame>) -> Option<Expr> {
        let x = self.expr(k, frames, Ctx::Guard)?;
        match &x.ty {
            Type::List(_) => {
                self.type_error(ListInGuard {
                    text: x.text.clone(),
                    src: self.named(),
                    span: x.loc.span.into(),
                });
                None
            }
            Type::Record(_) => {
                self.type_error(TableKey {
                    help: format!(
                        "key the table on one of its fields, such as `{} name`",
                        x.text
                    ),
                    text: x.text.clone(),
                    ty: x.ty.clone(),
                    src: self.named(),
                    span: x.loc.span.into(),
                });
                None
            }
            _ => Some(x),
        }
    }

    /// A row's cells, each of its key's type, and its value; None after a diagnostic.
    fn table_row(
        &mut self,
        row: &ast::Row,
        keys: Option<&[Expr]>,
        frames: &mut Vec<Frame>,
    ) -> Option<Lowered> {
        let value = self.expr(&row.value, frames, Ctx::Guard);
        let keys = keys?;
        if row.cells.len() != keys.len() {
            let span = match (row.cells.first(), row.cells.last()) {
                (Some(a), Some(b)) => a.span.join(b.span),
                _ => row.span,
            };
            let plural =
                |n: usize, one: &str| format!("{n} {one}{}", if n == 1 { "" } else { "s" });
            self.bad_cell(
                span,
                format!(
                    "this row has {} and the table has {}",
                    plural(row.cells.len(), "cell"),
                    plural(keys.len(), "key")
                ),
                "one cell per key".into(),
                Some("write one cell per key, in the order of the keys; `any` matches every value of a key".into()),
            );
            return None;
        }
        let mut cells = Vec::with_capacity(keys.len());
        let mut ok = true;
        for (cell, key) in row.cells.iter().zip(keys) {
            match self.table_cell(cell, key, frames) {
                Some(c) => cells.push((c, cell.span)),
                None => ok = false,
            }
        }
        let value = value?;
        ok.then_some(Lowered {
            cells,
            value,
            span: row.span,
        })
    }

    /// The type every row's value (and `otherwise`'s) has.
    fn row_types(&mut self, rows: &[Lowered], otherwise: Option<&Expr>) -> Option<Type> {
        let mut values = rows.iter().map(|r| &r.value).chain(otherwise);
        let first = values.next()?;
        if let Some(other) = values.find(|v| v.ty != first.ty) {
            self.type_error(RowTypes {
                first: first.text.clone(),
                first_ty: first.ty.clone(),
                other: other.text.clone(),
                other_ty: other.ty.clone(),
                src: self.named(),
                first_span: first.loc.span.into(),
                span: other.loc.span.into(),
            });
            return None;
        }
        Some(first.ty.clone())
    }

    /// The money of one key's cells is in one currency: a key in another could match no
    /// cell, and could not be ordered among them.
    fn one_currency_per_key(&mut self, rows: &[Lowered], keys: usize) -> Option<()> {
        for column in 0..keys {
            let mut first: Option<(crate::value::Currency, Span)> = None;
            for (cell, span) in rows.iter().filter_map(|r| r.cells.get(column)) {
                for s in cell_scalars(cell) {
                    let Scalar::Money(c, _) = s else { continue };
                    match first {
                        None => first = Some((*c, *span)),
                        Some((f, at)) if f != *c => {
                            self.type_error(CellCurrency {
                                first: f.to_string(),
                                other: c.to_string(),
                                src: self.named(),
                                first_span: at.into(),
                                span: (*span).into(),
                            });
                            return None;
                        }
                        Some(_) => {}
                    }
                }
            }
        }
        Some(())
    }

    /// SPEC §8: close each open `from` at the next row with the same other cells, and report
    /// rows out of order or that can match the same keys.
    fn unique_hit(&mut self, rows: &mut [Lowered]) -> Option<()> {
        let mut model: Vec<Vec<Cells>> = rows
            .iter()
            .map(|r| r.cells.iter().map(|(c, _)| cells_of(c)).collect())
            .collect();
        let problems = table_check::check(&mut model);
        for p in &problems {
            self.table_problem(rows, *p);
        }
        if !problems.is_empty() {
            return None;
        }
        for (row, cells) in rows.iter_mut().zip(model) {
            for ((cell, _), checked) in row.cells.iter_mut().zip(cells) {
                if let (Cell::Range { until, .. }, Cells::Range { until: closed, .. }) =
                    (cell, checked)
                {
                    *until = closed;
                }
            }
        }
        Some(())
    }

    fn table_problem(&mut self, rows: &[Lowered], p: Problem) {
        let text = |s: &Self, i: usize| {
            rows.get(i)
                .map_or_else(String::new, |r| s.text(cells_span(r)).to_string())
        };
        let span = |i: usize| rows.get(i).map_or(Span::new(0, 0), |r| r.span);
        match p {
            Problem::Unordered { first, second, .. } => self.resolve_error(TableUnordered {
                first: text(self, first),
                second: text(self, second),
                src: self.named(),
                first_span: span(first).into(),
                second_span: span(second).into(),
            }),
            Problem::Overlap {
                first,
                second,
                loose,
            } => {
                let help = if loose {
                    "the rows differ only in the case or the surrounding white space of a string: a deal value that matches one is a near miss of the other (SPEC §2.6); write the string one way"
                } else {
                    "at most one row may match any keys: make the rows differ in a key (a `from` without `until` runs until the next row with the same other cells; `any` matches every value)"
                };
                self.resolve_error(TableOverlap {
                    first: text(self, first),
                    second: text(self, second),
                    src: self.named(),
                    first_span: span(first).into(),
                    second_span: span(second).into(),
                    help: help.to_string(),
                });
            }
        }
    }

    pub(super) fn bad_cell(
        &mut self,
        span: Span,
        message: String,
        label: String,
        help: Option<String>,
    ) {
        self.resolve_error(BadCell {
            message,
            src: self.named(),
            span: span.into(),
            label,
            help,
        });
    }
}

/// From a row's first cell to its last.
fn cells_span(r: &Lowered) -> Span {
    match (r.cells.first(), r.cells.last()) {
        (Some((_, a)), Some((_, b))) => a.join(*b),
        _ => r.span,
    }
}

/// The values a cell names (its literals, or its bounds).
fn cell_scalars(cell: &Cell) -> Vec<&Scalar> {
    match cell {
        Cell::Any => Vec::new(),
        Cell::In { values, .. } => values.values().iter().collect(),
        Cell::Range { from, until, .. } => std::iter::once(from).chain(until.as_ref()).collect(),
    }
}

fn cells_of(cell: &Cell) -> Cells {
    match cell {
        Cell::Any => Cells::Any,
        Cell::In { values, .. } => Cells::In(values.clone()),
        Cell::Range { from, until, .. } => Cells::Range {
            from: from.clone(),
            until: until.clone(),
        },
    }
}
