//! Lowering lookup tables (SPEC §8): `table by K1, K2 …:` and its rows.
//!
//! What the grammar cannot say is checked here: `otherwise` is the last row and comes once, a
//! key holding a `where` is parenthesised, and the rows of a definition that is itself
//! indented are indented deeper than it.

use crate::source::Span;

use super::ast::{Cell, CellKind, Expr, ExprKind, Otherwise, Row, Table};
use super::error::ParseError;
use super::grammar::Rule;
use super::lower_expr::{kids, mk, Lowerer, Pair, Res};

impl Lowerer<'_> {
    /// `table by K…: ROWS`: children `table`, `by`, the keys with their commas, `:`, then a
    /// row break before each row.
    pub(super) fn table(&mut self, p: &Pair<'_>, ks: &[Pair<'_>]) -> Res<Expr> {
        let start = self.span(&self.nth(ks, 0, p)?);
        let mut keys = Vec::new();
        let mut head = start;
        let mut rows = Vec::new();
        let mut otherwise: Option<Otherwise> = None;
        for k in ks.iter().skip(2) {
            match k.as_rule() {
                Rule::table_key => {
                    let key = self.expr(k.clone())?;
                    self.key_where(&key);
                    keys.push(key);
                }
                Rule::colon if rows.is_empty() && otherwise.is_none() => {
                    head = start.join(self.span(k));
                }
                Rule::table_row => match self.row(k)? {
                    RowOrOtherwise::Row(row) => {
                        if let Some(o) = &otherwise {
                            self.errors.push(self.row_after_otherwise(row.span, o.span));
                        }
                        rows.push(row);
                    }
                    RowOrOtherwise::Otherwise(o) => match &otherwise {
                        Some(first) => self
                            .errors
                            .push(self.row_after_otherwise(o.span, first.span)),
                        None => otherwise = Some(o),
                    },
                },
                Rule::comma | Rule::row_break => {}
                _ => return Err(self.bug(k)),
            }
        }
        let end = [
            rows.last().map(|r| r.span),
            otherwise.as_ref().map(|o| o.span),
        ]
        .into_iter()
        .flatten()
        .fold(head, Span::join);
        let table = Table {
            keys,
            rows,
            otherwise,
            head,
        };
        Ok(mk(ExprKind::Table(Box::new(table)), start.join(end)))
    }

    fn row(&mut self, p: &Pair<'_>) -> Res<RowOrOtherwise> {
        let ks = kids(p);
        let first = self.nth(&ks, 0, p)?;
        let value = self.expr(self.nth(&ks, ks.len().saturating_sub(1), p)?)?;
        if first.as_rule() == Rule::w_otherwise {
            let span = self.span(&first).join(value.span);
            return Ok(RowOrOtherwise::Otherwise(Otherwise { value, span }));
        }
        let mut cells = Vec::new();
        for c in ks.iter().filter(|k| k.as_rule() == Rule::table_cell) {
            cells.push(self.cell(c)?);
        }
        let span = cells
            .first()
            .map_or(value.span, |c| c.span)
            .join(value.span);
        Ok(RowOrOtherwise::Row(Row { cells, value, span }))
    }

    fn cell(&mut self, p: &Pair<'_>) -> Res<Cell> {
        let inner = self.nth(&kids(p), 0, p)?;
        match inner.as_rule() {
            Rule::any_cell => Ok(Cell {
                kind: CellKind::Any,
                span: self.span(&self.nth(&kids(&inner), 0, &inner)?),
            }),
            Rule::from_cell => {
                let ks = kids(&inner);
                let kw = self.span(&self.nth(&ks, 0, &inner)?);
                let from = self.expr(self.nth(&ks, 1, &inner)?)?;
                let until = match ks.get(3) {
                    Some(u) => Some(self.expr(u.clone())?),
                    None => None,
                };
                let end = until.as_ref().map_or(from.span, |u| u.span);
                Ok(Cell {
                    kind: CellKind::From { from, until },
                    span: kw.join(end),
                })
            }
            _ => {
                let value = self.expr(inner)?;
                Ok(Cell {
                    span: value.span,
                    kind: CellKind::Value(value),
                })
            }
        }
    }

    /// A key whose `where` is not in brackets: its condition would run on to the `:` that
    /// ends the keys, so it is written parenthesised (SPEC §8).
    fn key_where(&mut self, key: &Expr) {
        if let Some(w) = unbracketed_where(key) {
            let text = self.file.slice(w.span).to_string();
            self.errors.push(ParseError::syntax(
                self.file,
                w.span,
                "a table key that holds a `where` must be parenthesised".to_string(),
                "the condition of this `where` runs on to the end of the keys".to_string(),
                Some(format!("put the filtered list in brackets: `({text})`")),
            ));
        }
    }

    fn row_after_otherwise(&self, row: Span, otherwise: Span) -> ParseError {
        ParseError::syntax(
            self.file,
            row,
            "a row after `otherwise`".to_string(),
            "`otherwise` must be the last row of its table".to_string(),
            Some(format!(
                "move `{}` to the end of the table",
                self.file.slice(otherwise)
            )),
        )
    }

    /// The rows of a definition's table are indented deeper than the line where the
    /// definition starts (`def`, the start of `let` or `define`): the grammar checks only that
    /// they are indented at all.
    pub(super) fn rows_indented_under(&mut self, def: usize, value: &Expr) {
        let ExprKind::Table(table) = &value.kind else {
            return;
        };
        let indent = self.indentation(def);
        let starts = table
            .rows
            .iter()
            .map(|r| r.span)
            .chain(table.otherwise.as_ref().map(|o| o.span));
        for row in starts {
            if self.indentation(row.start) <= indent {
                self.errors.push(ParseError::syntax(
                    self.file,
                    row,
                    "a table row must be indented deeper than its definition".to_string(),
                    "not indented under the definition".to_string(),
                    Some(
                        "indent the rows of a table under the line where its definition starts"
                            .to_string(),
                    ),
                ));
                return;
            }
        }
    }

    /// How many characters of white space start the line holding `pos`.
    fn indentation(&self, pos: usize) -> usize {
        let text = &self.file.text;
        let start = text
            .get(..pos)
            .map_or(0, |t| t.rfind('\n').map_or(0, |i| i + 1));
        text.get(start..pos).map_or(0, |t| {
            t.chars().take_while(|c| matches!(c, ' ' | '\t')).count()
        })
    }
}

enum RowOrOtherwise {
    Row(Row),
    Otherwise(Otherwise),
}

/// A `where` of `e` outside brackets, if any.
fn unbracketed_where(e: &Expr) -> Option<&Expr> {
    match &e.kind {
        ExprKind::Where { .. } => Some(e),
        ExprKind::Paren(_) | ExprKind::List(_) | ExprKind::Projection { .. } => None,
        ExprKind::Or(xs) | ExprKind::And(xs) => xs.iter().find_map(unbracketed_where),
        ExprKind::Not(x) | ExprKind::Aggregate { arg: x, .. } | ExprKind::Per { arg: x, .. } => {
            unbracketed_where(x)
        }
        ExprKind::Compare { lhs, rhs, .. }
        | ExprKind::In {
            elem: lhs,
            list: rhs,
            ..
        }
        | ExprKind::PercentOf {
            percent: lhs,
            of: rhs,
        } => unbracketed_where(lhs).or_else(|| unbracketed_where(rhs)),
        ExprKind::Within {
            lhs,
            tolerance,
            rhs,
        } => unbracketed_where(lhs)
            .or_else(|| unbracketed_where(tolerance))
            .or_else(|| unbracketed_where(rhs)),
        ExprKind::Arith { first, rest } => {
            unbracketed_where(first).or_else(|| rest.iter().find_map(|(_, x)| unbracketed_where(x)))
        }
        ExprKind::Presence { subject, .. } => unbracketed_where(subject),
        _ => None,
    }
}
