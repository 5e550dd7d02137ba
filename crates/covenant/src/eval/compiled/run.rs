//! Running compiled forms on one deal: scalars read where they are in the deal's records, the
//! `let` filters computed once per deal. Every step that is not certain to give what the
//! evaluator gives (a missing or null value, a value of an unexpected kind, two values that
//! cannot be compared, a string that nearly matches another, an unknown member of a filter)
//! stops the run with None, and the evaluator decides instead.

use std::collections::HashMap;
use std::rc::Rc;

use crate::deal::tree::{Deal, Node, NodeValue, Record};
use crate::ownership::{Holders, Measure, Membership, Mode, Target};
use crate::resolve::ir::Cell;
use crate::syntax::ast::{CmpOp, QuantKind};
use crate::value::{same_bytes, Currency, Scalar, Text};

use super::super::expr::entities::EntityRef;
use super::super::expr::{count_tv, numbers_test, scalar_test, truth_of, Evaluator, Tv};
use super::super::near_miss::{differ_at_first, loose_pair, loosely_equal_folded};
use super::super::value::{arith_scalars, scalar_cmp, scalar_eq, Why};
use super::form::{
    Base, CellForm, Cond, Let, ListField, Members, Num, PerTotal, Projection, Records, TableForm,
};
use super::Program;

/// The groups of a total per bloc found by searching them, before they are indexed.
const SEARCHED_GROUPS: usize = 8;

/// A `let` filter of the deal: not computed yet, computed (the records it keeps, in order), or
/// not certain (the evaluator computes it).
#[derive(Clone, Default)]
pub(super) enum Kept<'d> {
    #[default]
    Pending,
    /// The records of a list field of at most [`PICKED`] elements it keeps, by position.
    Picked(&'d [Node], u64),
    Records(Rc<Vec<&'d Record>>),
    Unsure,
}

/// The longest list field a `let` filter keeps as a mask of its positions ([`Kept::Picked`]),
/// made without an allocation; a longer one's records are gathered in a vector.
const PICKED: usize = 64;

/// The longest projection a membership test scans; a longer one is left to the evaluator's
/// index (see `expr::members`).
const LONG: usize = 16;

/// An operand kept once per deal (see [`Num::Kept`]): not computed yet, its value, or not
/// certain.
#[derive(Clone, Default)]
pub(super) enum Value {
    #[default]
    Pending,
    Scalar(Scalar),
    Unsure,
}

/// Where an operand's value is: small enough to be returned in registers, so that a
/// comparison reads its operands where they were written (a 48-byte scalar returned by value
/// was written in pieces and read back whole, which stalled the processor on every operand).
#[derive(Clone, Copy)]
pub(super) enum Operand<'d> {
    /// In the deal or the policy.
    At(&'d Scalar),
    /// Kept for the deal, in `values[slot]`.
    Kept(usize),
    /// Computed in this run, in `made[i]`.
    Made(usize),
}

/// The records of a list as a run reads them.
enum List<'r, 'd> {
    /// A list field of the deal, every element a record.
    Nodes(&'d [Node]),
    /// The records a `let` filter kept from a list field: those at the positions of the mask's
    /// bits.
    Picked(&'d [Node], u64),
    /// The records a `let` filter kept.
    Kept(Rc<Vec<&'d Record>>),
    /// `entities`: the evaluator's list, read where it is.
    Entities(&'r [EntityRef<'d>]),
}

impl<'d> List<'_, 'd> {
    fn len(&self) -> usize {
        match self {
            List::Nodes(n) => n.len(),
            List::Picked(_, mask) => mask.count_ones() as usize,
            List::Kept(r) => r.len(),
            List::Entities(e) => e.len(),
        }
    }

    /// Whether every element is a record (a null element is an unknown value).
    fn all_records(&self) -> bool {
        match self {
            List::Nodes(n) => n.iter().all(|n| matches!(n.value, NodeValue::Record(_))),
            List::Picked(..) | List::Kept(_) | List::Entities(_) => true,
        }
    }

    fn get(&self, i: usize) -> Option<&'d Record> {
        match self {
            List::Nodes(n) => match &n.get(i)?.value {
                NodeValue::Record(r) => Some(r),
                _ => None,
            },
            List::Picked(nodes, mask) => match &nodes.get(nth_position(*mask, i)?)?.value {
                NodeValue::Record(r) => Some(r),
                _ => None,
            },
            List::Kept(r) => r.get(i).copied(),
            List::Entities(e) => e.get(i).map(|e| e.item.record),
        }
    }
}

/// The position of the `i`th bit set in `mask` (from 0, lowest first).
fn nth_position(mut mask: u64, i: usize) -> Option<usize> {
    for _ in 0..i {
        mask &= mask.checked_sub(1)?;
    }
    (mask != 0).then(|| mask.trailing_zeros() as usize)
}

/// One run of compiled forms on a deal.
pub(super) struct Run<'r, 'd> {
    pub deal: &'d Deal,
    /// The evaluator, when it is made: the forms that read what it keeps (the ownership
    /// graph) give None without it.
    pub ev: Option<&'r Evaluator<'d>>,
    pub program: &'d Program,
    pub kept: &'r mut [Kept<'d>],
    pub values: &'r mut [Value],
    /// The truths of the shared clauses ([`Cond::Shared`]) found so far in the deal: None
    /// until found, then the truth or None where the form is not certain.
    pub shared: &'r mut [Option<Option<Tv>>],
    /// The operands computed in this run ([`Operand::Made`]), dropped once a test has read
    /// them.
    pub made: &'r mut Vec<Scalar>,
    /// The records of the enclosing quantifiers and filters, innermost last.
    pub items: &'r mut Vec<&'d Record>,
    /// How many of `items` are out of sight: those before the `let` filter being computed.
    pub hidden: usize,
}

impl<'r, 'd> Run<'r, 'd> {
    /// The truth of a condition, or None when it is not certain.
    pub(super) fn truth(&mut self, c: &'d Cond) -> Option<Tv> {
        match c {
            Cond::Bool(n) => {
                let mark = self.made.len();
                let x = self.num(n)?;
                let tv = truth_of(self.get(x)?);
                self.drop_made(mark);
                Some(tv)
            }
            Cond::Compare { op, lhs, rhs } => {
                let mark = self.made.len();
                let a = self.num(lhs)?;
                let b = self.num(rhs)?;
                let tv = compare(*op, self.get(a)?, self.get(b)?);
                self.drop_made(mark);
                tv
            }
            Cond::StrEq {
                subject,
                text,
                literal,
                ne,
            } => {
                let mark = self.made.len();
                let x = self.num(subject)?;
                let op = if *ne { CmpOp::Ne } else { CmpOp::Eq };
                let tv = match self.get(x)? {
                    Scalar::Str(t) => Some(negate_if(*ne, str_eq(t, text)?)),
                    other => compare(op, other, literal),
                };
                self.drop_made(mark);
                tv
            }
            Cond::EachCompare { op, lhs, rhs } => self.each_compare(*op, lhs, rhs),
            Cond::In {
                elem,
                list,
                negated,
            } => {
                let mark = self.made.len();
                let x = self.num(elem)?;
                let tv = self.member(x, list)?;
                self.drop_made(mark);
                Some(negate_if(*negated, tv))
            }
            Cond::EachIn {
                elem,
                list,
                negated,
            } => self.each_member(*elem, list, *negated),
            Cond::PerBlocCompare { op, per, rhs } => self.per_bloc(*op, per, rhs),
            Cond::WithEvaluator(c) => self.truth(c),
            Cond::And(terms) => self.chain(terms, Tv::False, Tv::and),
            Cond::Or(terms) => self.chain(terms, Tv::True, Tv::or),
            Cond::Not(a) => Some(self.truth(a)?.negate()),
            Cond::Quant {
                kind,
                list,
                cond,
                body,
            } => self.quantifier(*kind, list, cond.as_deref(), body.as_deref()),
            Cond::MustEach {
                subject,
                negated,
                pred,
            } => self.must_each(subject, *negated, pred),
            // Found once per deal; a clause found already is answered by the memo
            // (`Memo::truth`) without a run.
            Cond::Shared { slot, cond } => {
                let tv = self.truth(cond);
                if let Some(kept) = self.shared.get_mut(*slot) {
                    *kept = Some(tv);
                }
                tv
            }
        }
    }

    /// A chain of `and` (or `or`) left to right, ended by the first term that is `decides`,
    /// as the evaluator ends it.
    fn chain(&mut self, terms: &'d [Cond], decides: Tv, join: fn(Tv, Tv) -> Tv) -> Option<Tv> {
        let mut terms = terms.iter();
        let Some(first) = terms.next() else {
            return Some(decides.negate());
        };
        let mut acc = self.truth(first)?;
        for t in terms {
            if acc == decides {
                return Some(acc);
            }
            acc = join(acc, self.truth(t)?);
        }
        Some(acc)
    }

    /// `every`, `some`, `no`, `at least N`…: element by element as the evaluator's truth-only
    /// pass, the first element that decides ending it.
    fn quantifier(
        &mut self,
        kind: QuantKind,
        list: &'d Records,
        cond: Option<&'d Cond>,
        body: Option<&'d Cond>,
    ) -> Option<Tv> {
        let list = self.records(list)?;
        let (mut sure, mut maybe) = (0u64, 0u64);
        for i in 0..list.len() {
            let record = list.get(i)?;
            let (m, b) = self.with_item(record, |run| run.element(cond, body))?;
            let j = match kind {
                QuantKind::Every if m == Tv::False => continue,
                QuantKind::Every => m.negate().or(b),
                _ => m.and(b),
            };
            match (kind, j) {
                (QuantKind::Every, Tv::False) => return Some(Tv::False),
                (QuantKind::Some, Tv::True) => return Some(Tv::True),
                (QuantKind::No, Tv::True) => return Some(Tv::False),
                (_, Tv::True) => sure += 1,
                (_, Tv::Unknown) => maybe += 1,
                (_, Tv::False) => {}
            }
        }
        Some(match kind {
            QuantKind::Every | QuantKind::Some if maybe > 0 => Tv::Unknown,
            QuantKind::Every => Tv::True,
            QuantKind::Some => Tv::False,
            QuantKind::No if maybe > 0 => Tv::Unknown,
            QuantKind::No => Tv::True,
            QuantKind::AtLeast(n) | QuantKind::AtMost(n) | QuantKind::Exactly(n) => {
                count_tv(kind, n, sure, maybe)
            }
        })
    }

    /// One element of a quantifier: its membership (the condition) and the body's truth (true
    /// when it is not a member, the body then not tested).
    fn element(&mut self, cond: Option<&'d Cond>, body: Option<&'d Cond>) -> Option<(Tv, Tv)> {
        let m = match cond {
            Some(c) => self.truth(c)?,
            None => Tv::True,
        };
        let b = match (m, body) {
            (Tv::False, _) | (_, None) => Tv::True,
            (_, Some(p)) => self.truth(p)?,
        };
        Some((m, b))
    }

    /// `X must [not] P` on each record: false at the first that fails.
    fn must_each(&mut self, subject: &'d Records, negated: bool, pred: &'d Cond) -> Option<Tv> {
        let list = self.records(subject)?;
        let mut all = Tv::True;
        for i in 0..list.len() {
            let record = list.get(i)?;
            let tv = self.with_item(record, |run| run.truth(pred))?;
            all = all.and(negate_if(negated, tv));
            if all == Tv::False {
                break;
            }
        }
        Some(all)
    }

    /// `f` with `record` as the innermost item.
    fn with_item<T>(&mut self, record: &'d Record, f: impl FnOnce(&mut Self) -> T) -> T {
        self.items.push(record);
        let out = f(self);
        self.items.pop();
        out
    }

    /// `total R F per bloc op rhs` as the evaluator decides it (`expr::per`, then implicit
    /// each): the records grouped by their bloc (the evaluator's own `bloc`) in order of first
    /// appearance, each group's total compared with `rhs`, false at the first that fails.
    /// None without the evaluator, for an empty list, or wherever a key, a value or a sum is
    /// not certain.
    #[inline(never)]
    fn per_bloc(&mut self, op: CmpOp, per: &'d PerTotal, rhs: &'d Num) -> Option<Tv> {
        let ev = self.ev?;
        let list = self.records(&per.records)?;
        if list.len() == 0 {
            return None;
        }
        // The blocs' names are the deal's own: borrowed, not copied.
        let mut groups: Vec<(&'d str, Scalar)> = Vec::with_capacity(list.len());
        // Past a few groups, each is found by its key's hash (SipHash, as `expr::per`: the
        // deal's author names the blocs), so many blocs stay linear.
        let mut index: HashMap<&'d str, usize> = HashMap::new();
        // Without groups, each entity's bloc is its own name (`Evaluator::bloc_of`), found
        // without building the ownership graph.
        let grouped = per.groups.is_some_and(|f| {
            matches!(&self.deal.root.field(f), Some(n) if matches!(&n.value, NodeValue::List(g) if !g.is_empty()))
        });
        for i in 0..list.len() {
            let record = list.get(i)?;
            let key = match grouped {
                true => ev.bloc_name(record)?,
                false => {
                    let entities = ev.entities();
                    let at = entities.of_record(record)?;
                    entities.get(at)?.name?
                }
            };
            let x = field_scalar(record, per.field)?;
            if groups.len() > SEARCHED_GROUPS && index.is_empty() {
                index.extend(groups.iter().enumerate().map(|(at, (k, _))| (*k, at)));
            }
            let at = match index.is_empty() {
                true => groups
                    .iter()
                    .position(|(k, _)| same_bytes(k.as_bytes(), key.as_bytes())),
                false => index.get(&key).copied(),
            };
            match at.and_then(|at| groups.get_mut(at)) {
                Some((_, acc)) => add_to(acc, x)?,
                None => {
                    let first = match &per.zero {
                        Some(z) => {
                            let mut first = z.clone();
                            add_to(&mut first, x)?;
                            first
                        }
                        None => x.clone(),
                    };
                    if !index.is_empty() {
                        index.insert(key, groups.len());
                    }
                    groups.push((key, first));
                }
            }
        }
        let mark = self.made.len();
        let bound = self.num(rhs)?;
        let bound = self.get(bound)?;
        let mut all = Tv::True;
        for (_, total) in &groups {
            all = all.and(compare(op, total, bound)?);
            if all == Tv::False {
                break;
            }
        }
        self.drop_made(mark);
        Some(all)
    }

    /// Implicit each: every value of the projection compared with `rhs`, false at the first
    /// that fails.
    fn each_compare(&mut self, op: CmpOp, lhs: &'d Projection, rhs: &'d Num) -> Option<Tv> {
        let list = self.records(&lhs.records)?;
        let mark = self.made.len();
        let bound = self.num(rhs)?;
        let bound = self.get(bound)?;
        let mut all = Tv::True;
        for i in 0..list.len() {
            let x = field_scalar(list.get(i)?, lhs.field)?;
            all = all.and(compare(op, x, bound)?);
            if all == Tv::False {
                break;
            }
        }
        self.drop_made(mark);
        Some(all)
    }

    /// Implicit each: every scalar of a list field tested for membership, false at the first
    /// that fails; a null element is unknown.
    fn each_member(&mut self, elem: ListField, list: &'d Members, negated: bool) -> Option<Tv> {
        let record = self.record(elem.base)?;
        let NodeValue::List(nodes) = &record.field(elem.field)?.value else {
            return None;
        };
        let mut all = Tv::True;
        for n in nodes {
            let tv = match &n.value {
                NodeValue::Scalar(x) => negate_if(negated, self.member(Operand::At(x), list)?),
                NodeValue::Null => Tv::Unknown,
                _ => return None,
            };
            all = all.and(tv);
            if all == Tv::False {
                break;
            }
        }
        Some(all)
    }

    /// `x in list` before any `not`.
    fn member(&mut self, x: Operand<'d>, list: &'d Members) -> Option<Tv> {
        match list {
            Members::Consts(values) => member(self.get(x)?, values.iter()),
            Members::Strs { texts, values } => {
                let x = self.get(x)?;
                match x {
                    Scalar::Str(t) => str_member(t, texts),
                    _ => member(x, values.iter()),
                }
            }
            Members::Projected(p) => {
                let records = self.records(&p.records)?;
                // A long list is the evaluator's, which indexes it once for the deal: scanned
                // here for every element tested, it would be quadratic.
                if records.len() > LONG {
                    return None;
                }
                let values = (0..records.len())
                    .map(|i| records.get(i).and_then(|r| field_scalar(r, p.field)));
                member_of(self.get(x)?, values)
            }
        }
    }

    /// The value of a scalar operand, where it is: read with [`Run::get`].
    fn num(&mut self, n: &'d Num) -> Option<Operand<'d>> {
        Some(match n {
            Num::Const(s) => Operand::At(s),
            Num::Field { base, via, field } => {
                let mut record = self.record(*base)?;
                for f in via {
                    record = match &record.field(*f)?.value {
                        NodeValue::Record(r) => r,
                        _ => return None,
                    };
                }
                Operand::At(field_scalar(record, *field)?)
            }
            Num::Count(list) => {
                let list = self.records(list)?;
                if !list.all_records() {
                    return None;
                }
                let n = i128::try_from(list.len()).ok()?;
                self.made(Scalar::Number(crate::number::Exact::from_int(n)))
            }
            Num::Total { of, zero } => {
                let total = self.total(of, zero.as_ref())?;
                self.made(total)
            }
            Num::Arith { first, rest } => {
                let mark = self.made.len();
                let a = self.num(first)?;
                let mut acc = self.get(a)?.clone();
                for (op, t) in rest {
                    let b = self.num(t)?;
                    acc = arith_scalars(*op, &acc, self.get(b)?).ok()?;
                }
                self.drop_made(mark);
                self.made(acc)
            }
            Num::Kept { slot, num } => self.kept_value(*slot, num)?,
            Num::Look { holders, measure } => {
                let v = self.look(holders, measure)?;
                self.made(v)
            }
            Num::Convert { amount, to, table } => {
                let v = self.convert(amount, *to, *table)?;
                self.made(v)
            }
            Num::Table { base, table } => {
                // The definition's scope: its record is the one item in sight (the form reads
                // no other).
                let record = self.record(*base)?;
                self.items.push(record);
                let v = self.table(table);
                self.items.pop();
                Operand::At(v?)
            }
        })
    }

    /// The scalar of an operand [`Run::num`] gave.
    #[inline(always)]
    fn get(&self, x: Operand<'d>) -> Option<&Scalar> {
        match x {
            Operand::At(s) => Some(s),
            Operand::Kept(slot) => match self.values.get(slot)? {
                Value::Scalar(s) => Some(s),
                Value::Pending | Value::Unsure => None,
            },
            Operand::Made(i) => self.made.get(i),
        }
    }

    /// `v`, computed in this run, as an operand.
    fn made(&mut self, v: Scalar) -> Operand<'d> {
        self.made.push(v);
        Operand::Made(self.made.len() - 1)
    }

    /// Drop the operands computed since `mark` (most tests compute none: then nothing is
    /// called). Popped one by one: mostly one number, dropped here without a call to the
    /// slice's drop.
    #[inline(always)]
    fn drop_made(&mut self, mark: usize) {
        while self.made.len() > mark {
            self.made.pop();
        }
    }

    /// The value of a lookup table as the evaluator finds it (`expr::table`): every key known,
    /// every cell of every row decided, exactly one row matching (else `otherwise`). None
    /// wherever the evaluator's value would be unknown or the evaluator would record a near
    /// miss (a key string that differs from a cell's only in case or white space).
    #[inline(never)]
    fn table(&mut self, t: &'d TableForm) -> Option<&'d Scalar> {
        let mut keys: [Option<Operand<'d>>; 4] = [None, None, None, None];
        if t.keys.len() > keys.len() {
            return None;
        }
        let mark = self.made.len();
        for (slot, k) in keys.iter_mut().zip(&t.keys) {
            *slot = Some(self.num(k)?);
        }
        let mut hit = None;
        for (cells, value) in &t.rows {
            let mut all = true;
            for (cell, key) in cells.iter().zip(&keys) {
                all &= cell_form_matches(cell, self.get((*key)?)?)?;
            }
            if all {
                if hit.is_some() {
                    return None;
                }
                hit = Some(value);
            }
        }
        self.drop_made(mark);
        hit.or(t.otherwise.as_ref())
    }

    /// Operand `num`, kept in `slot` for the deal: computed on first use.
    fn kept_value(&mut self, slot: usize, num: &'d Num) -> Option<Operand<'d>> {
        match self.values.get(slot)? {
            Value::Scalar(_) => return Some(Operand::Kept(slot)),
            Value::Unsure => return None,
            Value::Pending => {}
        }
        let mark = self.made.len();
        let v = match self.num(num) {
            Some(x) => self.get(x).cloned(),
            None => None,
        };
        self.drop_made(mark);
        let kept = v.is_some();
        *self.values.get_mut(slot)? = match v {
            Some(s) => Value::Scalar(s),
            None => Value::Unsure,
        };
        kept.then_some(Operand::Kept(slot))
    }

    /// `total` of a projection, element by element as the evaluator adds them; None for the
    /// empty total of money (the evaluator's currency-less zero) or any sum it would not make.
    fn total(&mut self, of: &'d Projection, zero: Option<&Scalar>) -> Option<Scalar> {
        let list = self.records(&of.records)?;
        let mut acc = zero.cloned();
        for i in 0..list.len() {
            let x = field_scalar(list.get(i)?, of.field)?;
            match &mut acc {
                // The money zero of an empty total plus `x` is `x`.
                None => acc = Some(x.clone()),
                Some(a) => add_to(a, x)?,
            }
        }
        acc
    }

    /// The record at `base`.
    fn record(&self, base: Base) -> Option<&'d Record> {
        match base {
            Base::Root => Some(&self.deal.root),
            Base::Item(d) => {
                let at = self.items.len().checked_sub(d + 1)?;
                self.items.get(at).filter(|_| at >= self.hidden).copied()
            }
        }
    }

    /// The records of a list: a list field whose elements are all records, or what a `let`
    /// filter kept.
    #[inline(always)]
    fn records(&mut self, list: &'d Records) -> Option<List<'r, 'd>> {
        match list {
            Records::Field { base, field } => {
                // An element that is not a record stops the run where it is read.
                let NodeValue::List(nodes) = &self.record(*base)?.field(*field)?.value else {
                    return None;
                };
                Some(List::Nodes(nodes))
            }
            Records::Let(i) => self.kept(*i),
            Records::AllEntities => self.all_entities(),
        }
    }

    /// `entities`: every entity, the parties first, as the evaluator lists them; None without
    /// the evaluator or when the entities are unknown.
    #[inline(never)]
    fn all_entities(&self) -> Option<List<'r, 'd>> {
        let entities = self.ev?.entities();
        if entities.unknown.is_some() {
            return None;
        }
        Some(List::Entities(&entities.list))
    }

    /// `amount converted to TO` as `expr::convert` finds it: the evaluation date first
    /// (unknown: None), then the amount, kept when it is in `to`, else at the rate of that date
    /// in rate table `table` (none: None).
    #[inline(never)]
    fn convert(&mut self, amount: &'d Num, to: Currency, table: usize) -> Option<Scalar> {
        let ev = self.ev?;
        let on = ev.evaluation_date?;
        let amount = self.num(amount)?;
        let (from, a) = match self.get(amount)? {
            Scalar::Money(from, a) => (*from, *a),
            _ => return None,
        };
        if from == to {
            return Some(Scalar::Money(from, a));
        }
        let rate = ev.policy.fx.get(table)?.rate(from, to, on)?;
        Some(Scalar::Money(to, rate.convert(a).ok()?))
    }

    /// `look-through M of S in deal`, proportional, as the evaluator finds it
    /// (`expr::look`): every record of `S` surely a holder, the value of the same walk of the
    /// evaluator's graph; None for an unknown value (its reason is the evaluator's to give).
    #[inline(never)]
    fn look(&mut self, holders: &'d Records, measure: &'d Measure) -> Option<Scalar> {
        let ev = self.ev?;
        let entities = ev.entities();
        if entities.unknown.is_some() {
            return None;
        }
        let list = self.records(holders)?;
        let mut members: Vec<Option<Membership<Rc<Why>>>> = vec![None; entities.list.len()];
        let mut any = false;
        for i in 0..list.len() {
            let at = entities.of_record(list.get(i)?)?;
            *members.get_mut(at)? = Some(Membership::Sure);
            any = true;
        }
        if !any {
            // No holder holds anything (the walk's first answer, 0%), without building the
            // graph.
            return Some(Scalar::Percent(crate::number::Exact::ZERO));
        }
        let lt = ev.graph().look_through_value(
            measure,
            &Holders { members },
            &Mode::Proportional,
            Target::Deal,
        );
        let f = lt.value.ok()?;
        Some(Scalar::Percent(crate::ownership::percent_of_fraction(&f)?))
    }

    /// The records `let` filter `i` keeps, computed on first use: None when the condition is
    /// not certain for some record (the evaluator then keeps it as a maybe-member).
    fn kept(&mut self, i: usize) -> Option<List<'r, 'd>> {
        match self.kept.get(i)? {
            Kept::Picked(nodes, mask) => return Some(List::Picked(nodes, *mask)),
            Kept::Records(r) => return Some(List::Kept(Rc::clone(r))),
            Kept::Unsure => return None,
            Kept::Pending => {}
        }
        let program = self.program;
        let Let::Filter { list, cond } = program.lets.get(i)? else {
            return None;
        };
        // A definition is computed in the root scope: no enclosing item is in sight.
        let outer = std::mem::replace(&mut self.hidden, self.items.len());
        let computed = self.filter(list, cond);
        self.hidden = outer;
        let slot = self.kept.get_mut(i)?;
        *slot = match &computed {
            Some(List::Picked(nodes, mask)) => Kept::Picked(nodes, *mask),
            Some(List::Kept(r)) => Kept::Records(Rc::clone(r)),
            _ => Kept::Unsure,
        };
        computed
    }

    /// The records of `list` for which `cond` is true; None if it is unknown or not certain for
    /// one.
    #[inline(always)]
    fn filter(&mut self, list: &'d Records, cond: &'d Cond) -> Option<List<'r, 'd>> {
        let list = self.records(list)?;
        if let List::Nodes(nodes) = list {
            if nodes.len() <= PICKED {
                let mut mask = 0u64;
                for (at, node) in nodes.iter().enumerate() {
                    let NodeValue::Record(record) = &node.value else {
                        return None;
                    };
                    match self.with_item(record, |run| run.truth(cond))? {
                        Tv::True => mask |= 1 << at,
                        Tv::False => {}
                        Tv::Unknown => return None,
                    }
                }
                return Some(List::Picked(nodes, mask));
            }
        }
        let mut out = Vec::with_capacity(list.len());
        for i in 0..list.len() {
            let record = list.get(i)?;
            match self.with_item(record, |run| run.truth(cond))? {
                Tv::True => out.push(record),
                Tv::False => {}
                Tv::Unknown => return None,
            }
        }
        Some(List::Kept(Rc::new(out)))
    }
}

/// [`cell_matches`] of a compiled cell: a string key of a cell of strings found among its texts,
/// or else among their folded forms (a near miss: None), as `ValueSet::loosely` finds it for
/// an ASCII key.
#[inline(always)]
pub(super) fn cell_form_matches(cell: &CellForm, key: &Scalar) -> Option<bool> {
    match (cell, key) {
        (
            CellForm::Strs {
                texts,
                folded,
                firsts,
                cell,
            },
            Scalar::Str(s),
        ) => {
            let s: &str = s;
            if texts.iter().any(|t| same_bytes(t.as_bytes(), s.as_bytes())) {
                return Some(true);
            }
            if !s.is_ascii() {
                return cell_matches(cell, key);
            }
            if let Some(&first) = s.as_bytes().first() {
                // Trimming leaves a first byte that is not white space where it is, so a folded
                // text equal to the trimmed key, but for case, begins with it in lower case.
                if !char::from(first).is_whitespace()
                    && firsts & 1 << first.to_ascii_lowercase() == 0
                {
                    return Some(false);
                }
            }
            // `fold(value) == key trimmed, in ASCII lower case`: a folded value is in lower
            // case, so an ASCII-case-insensitive comparison is that equality.
            let k = s.trim().as_bytes();
            match folded.iter().any(|f| f.as_bytes().eq_ignore_ascii_case(k)) {
                true => None,
                false => Some(false),
            }
        }
        (CellForm::Strs { cell, .. }, _) | (CellForm::Other(cell), _) => cell_matches(cell, key),
    }
}

/// Whether a table's cell matches its key, as the evaluator decides it; None when the
/// evaluator's match is unknown (values that cannot be compared) or would record a near miss.
pub(super) fn cell_matches(cell: &Cell, key: &Scalar) -> Option<bool> {
    match cell {
        Cell::Any => Some(true),
        Cell::In { values, .. } => {
            if let Some(first) = values.first() {
                scalar_cmp(first, key).ok()?;
            }
            if values.contains(key) {
                return Some(true);
            }
            match key {
                Scalar::Str(s) if values.loosely(s).is_some() => None,
                _ => Some(false),
            }
        }
        Cell::Range {
            from: Scalar::Date(from),
            until,
            ..
        } if matches!(key, Scalar::Date(_)) && matches!(until, None | Some(Scalar::Date(_))) => {
            // Dates, compared in place.
            let Scalar::Date(k) = key else {
                return None;
            };
            match until {
                Some(Scalar::Date(u)) => Some(from <= k && k < u),
                _ => Some(from <= k),
            }
        }
        Cell::Range { from, until, .. } => {
            if scalar_cmp(from, key).ok()?.is_gt() {
                return Some(false);
            }
            match until {
                Some(u) => Some(scalar_cmp(u, key).ok()?.is_gt()),
                None => Some(true),
            }
        }
    }
}

/// The scalar in field `field` of `record`; None when it is missing, null or not a scalar.
fn field_scalar(record: &Record, field: usize) -> Option<&Scalar> {
    match &record.field(field)?.value {
        NodeValue::Scalar(s) => Some(s),
        _ => None,
    }
}

/// `a op b` as the evaluator decides it on two scalars; None when they cannot be compared or
/// are two strings that differ only in case or white space (a near miss is the evaluator's).
#[inline(always)]
fn compare(op: CmpOp, a: &Scalar, b: &Scalar) -> Option<Tv> {
    if let Some(held) = numbers_test(op, a, b) {
        return Some(if held { Tv::True } else { Tv::False });
    }
    match scalar_test(op, a, b)? {
        Ok(true) => Some(Tv::True),
        Ok(false) => Some(Tv::False),
        Err(_) => None,
    }
}

/// `x in values`: true if one equals it, false if none does and each could be compared with it;
/// None when one could not, or is a string that differs from it only in case or white space.
fn member<'s>(x: &Scalar, values: impl Iterator<Item = &'s Scalar>) -> Option<Tv> {
    member_of(x, values.map(Some))
}

/// [`member`] among values that may be missing (a record without the field): None at the
/// first missing one.
fn member_of<'s>(x: &Scalar, values: impl Iterator<Item = Option<&'s Scalar>>) -> Option<Tv> {
    let mut unsure = false;
    for y in values {
        let y = y?;
        match scalar_eq(x, y) {
            Ok(true) => return Some(Tv::True),
            Ok(false) => unsure |= loose_pair(x, y),
            Err(_) => unsure = true,
        }
    }
    (!unsure).then_some(Tv::False)
}

/// Whether the string `x` equals the text `y`, as [`compare`] finds it; None when they differ
/// only in case or white space.
///
/// Compared on its bytes first: the text is looked at as a `str` (its ends checked for
/// character boundaries) only when it might nearly match.
#[inline(always)]
fn str_eq(x: &Text, y: &str) -> Option<Tv> {
    let (a, b) = (x.bytes(), y.as_bytes());
    if same_bytes(a, b) {
        Some(Tv::True)
    } else if differ_at_first(a, b) || !loosely_equal_folded(x, y) {
        Some(Tv::False)
    } else {
        None
    }
}

/// [`member`] of the string `x` among strings.
fn str_member(x: &Text, texts: &[Box<str>]) -> Option<Tv> {
    let mut unsure = false;
    for y in texts {
        match str_eq(x, y) {
            Some(Tv::True) => return Some(Tv::True),
            None => unsure = true,
            _ => {}
        }
    }
    (!unsure).then_some(Tv::False)
}

fn negate_if(negated: bool, tv: Tv) -> Tv {
    if negated {
        tv.negate()
    } else {
        tv
    }
}

/// `a + b` of two numbers, two percents or two amounts of one currency, exactly as the
/// evaluator adds them; None for any other pair or an overflow.
/// Added in place: a sum is not moved whole at every element (reading back a scalar just
/// written in pieces stalls the processor).
#[inline(always)]
fn add_to(a: &mut Scalar, b: &Scalar) -> Option<()> {
    match (a, b) {
        (Scalar::Number(x), Scalar::Number(y)) | (Scalar::Percent(x), Scalar::Percent(y)) => {
            *x = x.checked_add(*y).ok()?
        }
        (Scalar::Money(c, x), Scalar::Money(d, y)) if *c == *d => *x = x.checked_add(*y).ok()?,
        _ => return None,
    }
    Some(())
}
