//! Printing lookup tables (SPEC §8): `table by K1, K2:` on the definition's line, then one
//! row per line, indented by two spaces under the definition.

use crate::source::Span;
use crate::syntax::ast::{Cell, CellKind, Expr, Table};

use super::layout::Printer;
use super::INDENT;

impl Printer<'_> {
    pub(super) fn table(&mut self, e: &Expr, t: &Table) {
        self.kw("table by", e.span.start);
        for (i, key) in t.keys.iter().enumerate() {
            if i > 0 {
                self.tok(",", None);
            }
            self.expr(key);
        }
        let colon = Span::new(t.head.end.saturating_sub(1), t.head.end);
        self.tok(":", Some(colon));
        for row in &t.rows {
            self.line(INDENT, row.span.start, true);
            let mut end = row.span.start;
            for (i, cell) in row.cells.iter().enumerate() {
                if i > 0 {
                    self.op(",", end, cell.span.start);
                }
                self.cell(cell);
                end = cell.span.end;
            }
            self.op(":", end, row.value.span.start);
            self.expr(&row.value);
        }
        if let Some(o) = &t.otherwise {
            self.line(INDENT, o.span.start, true);
            self.kw("otherwise", o.span.start);
            self.op(":", o.span.start + "otherwise".len(), o.value.span.start);
            self.expr(&o.value);
        }
    }

    fn cell(&mut self, cell: &Cell) {
        match &cell.kind {
            CellKind::Any => self.tok("any", Some(cell.span)),
            CellKind::From { from, until } => {
                self.kw("from", cell.span.start);
                self.expr(from);
                if let Some(until) = until {
                    self.op("until", from.span.end, until.span.start);
                    self.expr(until);
                }
            }
            CellKind::Value(v) => self.expr(v),
        }
    }
}
