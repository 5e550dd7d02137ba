//! Lookup tables (SPEC §8): the one row whose cells all match the keys gives the value.
//!
//! An unknown key (also where a row's cell is `any`) makes the value unknown, as does a row
//! whose match is unknown (a near miss between a key and a cell, SPEC §2.6, or a key that
//! cannot be compared with a cell), and no matching row without `otherwise` (reason
//! `no-row`): never another row, and `otherwise` only when the keys are known and every row
//! surely fails. A row's match is Kleene `and` over its cells: a cell that surely fails
//! decides it, whatever the others are.

use std::rc::Rc;

use crate::resolve::ir::{Base, Cell, Expr, ExprKind as K, Row, Table};
use crate::resolve::value_set::ValueSet;
use crate::resolve::Policy;
use crate::value::Scalar;

use super::super::note::{Internal, NoRow, Reason};
use super::super::shown::{PolicyPlace, Shown, TableRowShown};
use super::super::value::{
    compare_scalar, equal_scalar, scalar_cmp, unknown, why, Origin, Val, Why,
};
use super::collect::{Collect, Facts, WithEvidence};
use super::fact::{Fact, Tv};
use super::judgement::Judgement;
use super::Evaluator;

/// How many `let` names are followed to the table they name, for evidence.
const MAX_NAMES: usize = 16;

impl<'d> Evaluator<'d> {
    /// The value of a table in the current scope.
    pub(super) fn table(&mut self, t: &Table) -> Val<'d> {
        match self.table_hit(t) {
            Ok(row) => self.value(&row.value),
            Err(w) => unknown(w),
        }
    }

    /// A yes/no table as a condition (a conditional value): the truth of its row's value, with
    /// the row as evidence.
    pub(super) fn table_truth<C: Collect>(&mut self, t: &Table) -> Judgement<'d, C> {
        let row = match self.table_hit(t) {
            Ok(row) => row,
            Err(w) => return self.unknown_judgement(Rc::new(w)),
        };
        let mut j = self.truth::<C>(&row.value);
        if C::FACTS {
            let value = match j.tv {
                Tv::True => Shown::Scalar(Scalar::Bool(true)),
                Tv::False => Shown::Scalar(Scalar::Bool(false)),
                Tv::Unknown => Shown::Unknown,
            };
            let shown = self.row_shown(t, row, value);
            j.facts.push(|| Fact::TableRow(Rc::new(shown)));
        }
        j
    }

    /// The row the keys of `t` match, `otherwise` when they are known and no row does; else
    /// why the value is unknown.
    fn table_hit<'t>(&mut self, t: &'t Table) -> Result<&'t Row, Why> {
        let mut keys = Vec::with_capacity(t.keys.len());
        for k in &t.keys {
            let v = self.value(k);
            if let Val::Unknown(w) = &v {
                return Err(self.key_unknown(k, w));
            }
            keys.push(v);
        }
        let mut hit: Option<&'t Row> = None;
        let mut unsure: Option<Why> = None;
        for row in &t.rows {
            match self.row_matches(row, &keys) {
                Ok(true) if hit.is_some() => {
                    return Err(why(Reason::Internal(Internal::TableRows)));
                }
                Ok(true) => hit = Some(row),
                Ok(false) => {}
                Err(w) => unsure = unsure.or(Some(w)),
            }
        }
        if let Some(w) = unsure {
            return Err(w);
        }
        if let Some(row) = hit.or(t.otherwise.as_deref()) {
            return Ok(row);
        }
        let reason = Reason::NoRow(Box::new(NoRow {
            table: t.name.clone(),
            keys: t
                .keys
                .iter()
                .zip(&keys)
                .map(|(k, v)| (k.text.clone(), Shown::of(v)))
                .collect(),
        }));
        // Located at the first key read from the deal.
        let at = keys
            .iter()
            .find(|v| matches!(v, Val::Scalar(_, o) if o.span.get().is_some()));
        Err(match at {
            Some(v) => self.located(why(reason), v),
            None => why(reason),
        })
    }

    /// Why a key is unknown: a yes/no key's first unknown fact, found again with evidence
    /// (its quick value only says that it is unknown).
    fn key_unknown(&mut self, key: &Expr, w: &Rc<Why>) -> Why {
        if !matches!(w.reason, Reason::IsUnknown(_)) {
            return (**w).clone();
        }
        let j = self.truth::<WithEvidence>(key);
        j.facts
            .into_vec()
            .into_iter()
            .find_map(|f| match f {
                Fact::Unknown(w) => Some((*w).clone()),
                _ => None,
            })
            .unwrap_or_else(|| (**w).clone())
    }

    /// Whether every cell of `row` matches its key: false when one surely does not; else
    /// unknown when one may.
    fn row_matches(&self, row: &Row, keys: &[Val<'d>]) -> Result<bool, Why> {
        let mut unsure = None;
        let mut all = true;
        for (cell, key) in row.cells.iter().zip(keys) {
            match self.cell_matches(cell, key) {
                Ok(true) => {}
                Ok(false) => all = false,
                Err(w) => unsure = unsure.or(Some(w)),
            }
        }
        match unsure {
            Some(w) if all => Err(w),
            _ => Ok(all),
        }
    }

    fn cell_matches(&self, cell: &Cell, key: &Val<'d>) -> Result<bool, Why> {
        match cell {
            Cell::Any => Ok(true),
            Cell::In { values, .. } => self.one_of(key, values),
            Cell::Range { from, until, .. } => {
                let located = |w| self.located(w, key);
                if compare_scalar(from, key).map_err(located)?.is_gt() {
                    return Ok(false);
                }
                match until {
                    Some(u) => Ok(compare_scalar(u, key).map_err(located)?.is_gt()),
                    None => Ok(true),
                }
            }
        }
    }

    /// Whether `key` is one of `values`; a near miss (SPEC §2.6) is unknown, recorded as a
    /// deal warning; a key that cannot be compared with them (another currency) is unknown.
    fn one_of(&self, key: &Val<'d>, values: &ValueSet) -> Result<bool, Why> {
        let Val::Scalar(k, _) = key else {
            // The total of an empty list of money (`Val::Zero`): compared value by value.
            for v in values.values() {
                if equal_scalar(v, key).map_err(|w| self.located(w, key))? {
                    return Ok(true);
                }
            }
            return Ok(false);
        };
        if let Some(first) = values.first() {
            scalar_cmp(first, k).map_err(|w| self.located(w, key))?;
        }
        if values.contains(k) {
            return Ok(true);
        }
        let near = match k {
            Scalar::Str(s) => values.loosely(s),
            _ => None,
        };
        match near.and_then(|v| self.near_miss(key, &Val::Scalar(v.clone(), Origin::default()))) {
            Some(w) => Err(w),
            None => Ok(false),
        }
    }

    /// The row of the table `e` reads, as evidence: a table written here, or one a `let` name
    /// (maybe through other names) is bound to. None when no row gives the value.
    pub(super) fn table_fact(&mut self, e: &Expr) -> Option<Fact<'d>> {
        let policy: &'d Policy = self.policy;
        let mut x = e;
        let mut root = false;
        for _ in 0..MAX_NAMES {
            match &x.kind {
                K::Table(t) => {
                    let shown = if root {
                        // A definition is computed in the root scope.
                        let floor = std::mem::replace(&mut self.floor, self.items.len());
                        let shown = self.hit_shown(t);
                        self.floor = floor;
                        shown
                    } else {
                        self.hit_shown(t)
                    };
                    return shown.map(|s| Fact::TableRow(Rc::new(s)));
                }
                K::Path {
                    base: Base::Let(i),
                    steps,
                } if steps.is_empty() => {
                    x = &policy.defs.get(*i)?.value;
                    root = true;
                }
                _ => return None,
            }
        }
        None
    }

    /// The row the keys of `t` match in the current scope, with its value, as evidence.
    fn hit_shown(&mut self, t: &Table) -> Option<TableRowShown> {
        let row = self.table_hit(t).ok()?;
        let value = self.value(&row.value);
        Some(self.row_shown(t, row, Shown::of(&value)))
    }

    fn row_shown(&self, t: &Table, row: &Row, value: Shown) -> TableRowShown {
        let at = self.policy.sources.get(row.loc.file).map(|source| {
            let (line, column) = source.line_col(row.loc.span.start);
            PolicyPlace {
                file: source.name.clone(),
                line,
                column,
            }
        });
        TableRowShown {
            table: t.name.clone(),
            row: row.text.clone(),
            at,
            value,
        }
    }

    /// Whether `e` is a `let` name bound (maybe through other names) to a table, whose row
    /// evidence says what its value is.
    pub(super) fn names_table(&self, e: &Expr) -> bool {
        let mut x = e;
        for _ in 0..MAX_NAMES {
            match &x.kind {
                K::Table(_) => return true,
                K::Path {
                    base: Base::Let(i),
                    steps,
                } if steps.is_empty() => match self.policy.defs.get(*i) {
                    Some(d) => x = &d.value,
                    None => return false,
                },
                _ => return false,
            }
        }
        false
    }

    /// The row evidence of a table a condition or an operand reads, into `out`.
    pub(super) fn table_parts<C: Collect>(&mut self, e: &Expr, out: &mut C::Facts<'d>) {
        if let Some(f) = self.table_fact(e) {
            out.push(|| f);
        }
    }
}
