//! Lowering the cells of a lookup table (SPEC §8): a literal or a list literal (either maybe
//! through `let` names), `from V [until W]` or `any`, each of its key's type. A cell never
//! reads the deal, so the table's checks can be made when it compiles.

use std::cmp::Ordering;

use crate::schema::Type;
use crate::source::Span;
use crate::syntax::ast;
use crate::value::Scalar;

use super::super::ir::{Base, Cell, Expr, ExprKind as K};
use super::super::phrase::Frame;
use super::super::value_set::order;
use super::super::value_set::ValueSet;
use super::error::{CellCurrency, CellType};
use super::{orderable, Constant, Ctx, Lowerer};

impl Lowerer<'_> {
    pub(super) fn table_cell(
        &mut self,
        cell: &ast::Cell,
        key: &Expr,
        frames: &mut Vec<Frame>,
    ) -> Option<Cell> {
        match &cell.kind {
            ast::CellKind::Any => Some(Cell::Any),
            ast::CellKind::Value(v) => {
                let x = self.expr(v, frames, Ctx::Guard)?;
                let Some(values) = self.cell_values(&x) else {
                    self.bad_cell(
                        x.loc.span,
                        format!("`{}` cannot be a table cell", x.text),
                        "not a literal, a list literal or a `let` name of one".into(),
                        Some("a cell is a literal (`\"CN\"`, `50%`), a list literal (`[\"CN\", \"RU\"]`), a `let` name bound to one, `from V [until W]` or `any`".into()),
                    );
                    return None;
                };
                self.cell_fits(&x, key)?;
                if values.is_empty() {
                    self.bad_cell(
                        x.loc.span,
                        "an empty list matches no key".into(),
                        "no values".into(),
                        Some("list the values this row is for, or remove the row".into()),
                    );
                    return None;
                }
                Some(Cell::In {
                    values: ValueSet::new(values),
                    source: x,
                })
            }
            ast::CellKind::From { from, until } => {
                self.range_cell(cell.span, from, until.as_ref(), key, frames)
            }
        }
    }

    /// `from V [until W]`: on an ordered key, bounds of its type, `W` after `V`.
    fn range_cell(
        &mut self,
        span: Span,
        from: &ast::Expr,
        until: Option<&ast::Expr>,
        key: &Expr,
        frames: &mut Vec<Frame>,
    ) -> Option<Cell> {
        if !orderable(&key.ty) {
            self.bad_cell(
                span,
                format!(
                    "`from` needs a key of dates, numbers, percents or money, and `{}` is {}",
                    key.text,
                    crate::schema::describe(&key.ty)
                ),
                "not an ordered key".into(),
                Some("match values of this key with a literal or a list literal, such as `[\"CN\", \"RU\"]`".into()),
            );
            return None;
        }
        let (from, from_value) = self.bound(from, key, frames)?;
        let mut sources = vec![from];
        let mut until_value = None;
        if let Some(u) = until {
            let (until, value) = self.bound(u, key, frames)?;
            if let (Scalar::Money(a, _), Scalar::Money(b, _)) = (&from_value, &value) {
                if a != b {
                    self.type_error(CellCurrency {
                        first: a.to_string(),
                        other: b.to_string(),
                        src: self.named(),
                        first_span: sources.first().map_or(span, |f| f.loc.span).into(),
                        span: until.loc.span.into(),
                    });
                    return None;
                }
            }
            if order(&value, &from_value) != Ordering::Greater {
                self.bad_cell(
                    span,
                    format!("`until` {value} is not after `from` {from_value}"),
                    "matches no key".into(),
                    Some("`from V until W` matches V ≤ key < W: write a `W` after `V`".into()),
                );
                return None;
            }
            sources.push(until);
            until_value = Some(value);
        }
        Some(Cell::Range {
            from: from_value,
            until: until_value,
            sources,
        })
    }

    /// A bound of `from … until`: one literal (maybe through `let` names) of the key's type.
    fn bound(
        &mut self,
        e: &ast::Expr,
        key: &Expr,
        frames: &mut Vec<Frame>,
    ) -> Option<(Expr, Scalar)> {
        let x = self.expr(e, frames, Ctx::Guard)?;
        let value = match self.cell_values(&x) {
            Some(mut values) if values.len() == 1 && !x.ty.is_list() => values.pop(),
            _ => None,
        };
        let Some(value) = value else {
            self.bad_cell(
                x.loc.span,
                format!("`{}` cannot bound a `from` cell", x.text),
                "not a literal or a `let` name of one".into(),
                Some("write the bound as a literal, such as `2024-07-01`, or a `let` name bound to one".into()),
            );
            return None;
        };
        self.cell_fits(&x, key)?;
        Some((x, value))
    }

    /// The values a cell's expression stands for: a literal, a list literal of literals, or a
    /// `let` name bound to either.
    fn cell_values(&self, x: &Expr) -> Option<Vec<Scalar>> {
        match &x.kind {
            K::Const(s) => Some(vec![s.clone()]),
            K::List(items) => items
                .iter()
                .map(|i| match &i.kind {
                    K::Const(s) => Some(s.clone()),
                    _ => None,
                })
                .collect(),
            K::Path {
                base: Base::Let(i),
                steps,
            } if steps.is_empty() => match self.defs.def_constant(*i)? {
                Constant::One(s) => Some(vec![s]),
                Constant::Many(v) => Some(v),
            },
            _ => None,
        }
    }

    /// `covenant::type::unit-mismatch` when the cell's values are not of the key's type.
    fn cell_fits(&mut self, x: &Expr, key: &Expr) -> Option<()> {
        let ty = x.ty.element();
        if *ty == key.ty {
            return Some(());
        }
        let literal = matches!(x.kind, K::Const(_));
        let help = match (ty, &key.ty) {
            (Type::Number, Type::Percent) if literal => Some(format!("write `{}%`", x.text)),
            (Type::String, Type::Date) if literal => {
                Some("write the date without quotes: `2024-07-01`".to_string())
            }
            _ => None,
        };
        self.type_error(CellType {
            cell: x.text.clone(),
            cell_ty: ty.clone(),
            key: key.text.clone(),
            key_ty: key.ty.clone(),
            src: self.named(),
            span: x.loc.span.into(),
            key_span: key.loc.span.into(),
            help,
        });
        None
    }
}
