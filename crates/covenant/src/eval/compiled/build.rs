//! Translating a rule's conditions into compiled forms, once per policy. Each translation is
//! partial: an expression without an exact compiled form gives None, and the evaluator keeps
//! it.

use crate::number::Exact;
use crate::resolve::ir::{
    Base as IrBase, Definition, Each, Expr, ExprKind as K, LookThrough, Row, Step,
};
use crate::schema::{Computed, Field, Schema, Type};
use crate::syntax::ast::{AggKind, CmpOp};
use crate::value::Scalar;

use super::form::{
    Base, CellForm, Cond, Let, ListField, Members, Num, PerTotal, Projection, Records, TableForm,
};

/// The translation of a policy's expressions: its schema, and its `let` definitions as
/// compiled so far (a definition reads only those before it).
pub(super) struct Builder<'p> {
    pub schema: &'p Schema,
    /// The policy's definitions (item definitions are read through them).
    pub defs: &'p [Definition],
    pub lets: Vec<Let>,
    /// How many operands are kept once per deal (see [`Num::Kept`]).
    pub kept: std::cell::Cell<usize>,
}

impl Builder<'_> {
    /// The compiled form of `let` definition `def`, given the ones before it.
    pub(super) fn definition(&self, def: &Definition) -> Let {
        if def.item.is_some() || def.reads_evaluation_date {
            return Let::Other;
        }
        let e = &def.value;
        match &e.kind {
            K::Const(s) if plain(s) => Let::Const(s.clone()),
            K::List(items) => self.consts(items).map_or(Let::Other, Let::Consts),
            K::Filter { list, cond } => match (self.records(list), self.cond(cond)) {
                // A filter is kept for the deal: not one that converts (at a rule's date).
                (Some(list), Some(cond)) if !self.converts(&cond) => Let::Filter { list, cond },
                _ => Let::Other,
            },
            _ => Let::Other,
        }
    }

    /// The compiled form of a condition.
    pub(super) fn cond(&self, e: &Expr) -> Option<Cond> {
        Some(match &e.kind {
            K::And(terms) => Cond::And(self.conds(terms)?),
            K::Or(terms) => Cond::Or(self.conds(terms)?),
            K::Not(a) => Cond::Not(Box::new(self.cond(a)?)),
            K::Compare { op, lhs, rhs, each } => match each {
                Each::None => self.compare(*op, lhs, rhs)?,
                Each::Left if matches!(lhs.kind, K::Per(_)) => self.per_bloc(*op, lhs, rhs)?,
                Each::Left => Cond::EachCompare {
                    op: *op,
                    lhs: self.projection(lhs)?,
                    rhs: self.num(rhs)?,
                },
                Each::Right => return None,
            },
            K::In {
                elem,
                list,
                negated,
                each,
            } => match each {
                Each::None => Cond::In {
                    elem: self.num(elem)?,
                    list: self.members(list)?,
                    negated: *negated,
                },
                Each::Left => Cond::EachIn {
                    elem: self.list_field(elem)?,
                    list: self.members(list)?,
                    negated: *negated,
                },
                Each::Right => return None,
            },
            K::Quant {
                kind,
                list,
                cond,
                body,
                ..
            } => Cond::Quant {
                kind: *kind,
                list: self.records(list)?,
                cond: self.boxed(cond.as_deref())?,
                body: self.boxed(body.as_deref())?,
            },
            K::Must {
                subject,
                negated,
                pred,
                each: true,
            } => Cond::MustEach {
                subject: self.records(subject)?,
                negated: *negated,
                pred: Box::new(self.cond(pred)?),
            },
            K::Path { .. } if e.ty == Type::Bool => Cond::Bool(self.num(e)?),
            _ => return None,
        })
    }

    /// `lhs op rhs`; `=` and `!=` with a string literal on either side decided on the text.
    fn compare(&self, op: CmpOp, lhs: &Expr, rhs: &Expr) -> Option<Cond> {
        let (l, r) = (self.num(lhs)?, self.num(rhs)?);
        let ne = match op {
            CmpOp::Eq => false,
            CmpOp::Ne => true,
            _ => return Some(Cond::Compare { op, lhs: l, rhs: r }),
        };
        match (l, r) {
            (Num::Const(literal @ Scalar::Str(_)), subject)
            | (subject, Num::Const(literal @ Scalar::Str(_))) => Some(Cond::StrEq {
                subject,
                text: text_of(&literal)?,
                literal,
                ne,
            }),
            (l, r) => Some(Cond::Compare { op, lhs: l, rhs: r }),
        }
    }

    fn conds(&self, terms: &[Expr]) -> Option<Vec<Cond>> {
        terms.iter().map(|t| self.cond(t)).collect()
    }

    /// An optional condition: None when it is absent, Some(None) when it has no compiled form.
    fn boxed(&self, e: Option<&Expr>) -> Option<Option<Box<Cond>>> {
        match e {
            None => Some(None),
            Some(e) => Some(Some(Box::new(self.cond(e)?))),
        }
    }

    /// The compiled form of a scalar operand: one that is computed (a count, a total,
    /// arithmetic) and reads no item is kept once per deal.
    fn num(&self, e: &Expr) -> Option<Num> {
        let n = self.operand(e)?;
        let computed = matches!(n, Num::Count(_) | Num::Total { .. } | Num::Arith { .. });
        // A conversion is at the rule's evaluation date: its value may differ from one rule
        // to the next, so nothing holding one is kept for the deal.
        if !computed || n.reads_items() || self.num_converts(&n) {
            return Some(n);
        }
        let slot = self.kept.get();
        self.kept.set(slot + 1);
        Some(Num::Kept {
            slot,
            num: Box::new(n),
        })
    }

    fn operand(&self, e: &Expr) -> Option<Num> {
        Some(match &e.kind {
            K::Const(s) if plain(s) => Num::Const(s.clone()),
            K::Path {
                base: IrBase::Let(i),
                steps,
            } if steps.is_empty() => match self.lets.get(*i)? {
                Let::Const(s) => Num::Const(s.clone()),
                _ => return None,
            },
            K::Path { base, steps } if self.reads_define(steps) => {
                self.table_define(base, steps)?
            }
            K::Path { base, steps } => {
                let (last, via) = steps.split_last()?;
                if !scalar_type(&self.plain_field(last)?.ty) {
                    return None;
                }
                Num::Field {
                    base: base_of(base)?,
                    via: self.record_fields(via)?,
                    field: last.field,
                }
            }
            K::Aggregate {
                kind: AggKind::Count,
                arg,
            } => Num::Count(self.records(arg)?),
            K::Aggregate {
                kind: AggKind::Total,
                arg,
            } => Num::Total {
                of: self.projection(arg)?,
                zero: match e.ty {
                    Type::Number => Some(Scalar::Number(Exact::ZERO)),
                    Type::Percent => Some(Scalar::Percent(Exact::ZERO)),
                    _ => None,
                },
            },
            K::LookThrough(l) if e.ty == Type::Percent => self.look(l)?,
            K::Convert(c) if c.on.is_none() && e.ty == Type::Money => Num::Convert {
                amount: Box::new(self.num(&c.amount)?),
                to: c.to,
                table: c.table,
            },
            K::Arith { first, rest } => Num::Arith {
                first: Box::new(self.num(first)?),
                rest: rest
                    .iter()
                    .map(|(op, t)| Some((*op, self.num(t)?)))
                    .collect::<Option<_>>()?,
            },
            _ => return None,
        })
    }

    /// A list of records: a list field of records, or a `let` that filters one.
    fn records(&self, e: &Expr) -> Option<Records> {
        let K::Path { base, steps } = &e.kind else {
            return None;
        };
        match (base, steps.as_slice()) {
            (IrBase::Let(i), []) => match self.lets.get(*i)? {
                Let::Filter { .. } => Some(Records::Let(*i)),
                _ => None,
            },
            (IrBase::Root, [step]) if self.all_entities(step) => Some(Records::AllEntities),
            (_, [step]) => self.record_list(base, step),
            _ => None,
        }
    }

    /// Whether `step` reads the root's `entities` as every entity (SPEC §7.1).
    fn all_entities(&self, step: &Step) -> bool {
        !step.map
            && !step.flatten
            && self
                .field_of(step)
                .is_some_and(|f| f.computed == Some(Computed::AllEntities))
            && crate::resolve::typeck::has_entities(self.schema)
    }

    /// Whether a compiled condition reads what only the deal's evaluator keeps: `entities`,
    /// a look-through or a total per bloc, directly or through a `let` filter.
    pub(super) fn needs_evaluator(&self, c: &Cond) -> bool {
        match c {
            Cond::PerBlocCompare { .. } | Cond::WithEvaluator(_) => true,
            Cond::Bool(n) => self.num_needs(n),
            Cond::Compare { lhs, rhs, .. } => self.num_needs(lhs) || self.num_needs(rhs),
            Cond::StrEq { subject, .. } => self.num_needs(subject),
            Cond::EachCompare { lhs, rhs, .. } => {
                self.records_need(&lhs.records) || self.num_needs(rhs)
            }
            Cond::In { elem, list, .. } => self.num_needs(elem) || self.members_need(list),
            Cond::EachIn { list, .. } => self.members_need(list),
            Cond::And(terms) | Cond::Or(terms) => terms.iter().any(|t| self.needs_evaluator(t)),
            Cond::Not(a) => self.needs_evaluator(a),
            Cond::Quant {
                list, cond, body, ..
            } => {
                self.records_need(list)
                    || [cond, body]
                        .into_iter()
                        .any(|c| c.as_deref().is_some_and(|c| self.needs_evaluator(c)))
            }
            Cond::MustEach { subject, pred, .. } => {
                self.records_need(subject) || self.needs_evaluator(pred)
            }
            Cond::Shared { cond, .. } => self.needs_evaluator(cond),
        }
    }

    /// Whether a compiled condition converts money (at the rule's evaluation date), directly
    /// or through a `let` filter.
    fn converts(&self, c: &Cond) -> bool {
        match c {
            Cond::PerBlocCompare { rhs, .. } => self.num_converts(rhs),
            Cond::WithEvaluator(c) | Cond::Not(c) | Cond::Shared { cond: c, .. } => {
                self.converts(c)
            }
            Cond::Bool(n) => self.num_converts(n),
            Cond::Compare { lhs, rhs, .. } => self.num_converts(lhs) || self.num_converts(rhs),
            Cond::StrEq { subject, .. } => self.num_converts(subject),
            Cond::EachCompare { rhs, .. } => self.num_converts(rhs),
            Cond::In { elem, .. } => self.num_converts(elem),
            Cond::EachIn { .. } => false,
            Cond::And(terms) | Cond::Or(terms) => terms.iter().any(|t| self.converts(t)),
            Cond::Quant { cond, body, .. } => [cond, body]
                .into_iter()
                .any(|c| c.as_deref().is_some_and(|c| self.converts(c))),
            Cond::MustEach { pred, .. } => self.converts(pred),
        }
    }

    fn num_converts(&self, n: &Num) -> bool {
        match n {
            Num::Convert { .. } => true,
            Num::Arith { first, rest } => {
                self.num_converts(first) || rest.iter().any(|(_, t)| self.num_converts(t))
            }
            Num::Kept { num, .. } => self.num_converts(num),
            _ => false,
        }
    }

    fn num_needs(&self, n: &Num) -> bool {
        match n {
            Num::Const(_) | Num::Field { .. } => false,
            Num::Count(list) => self.records_need(list),
            Num::Total { of, .. } => self.records_need(&of.records),
            Num::Arith { first, rest } => {
                self.num_needs(first) || rest.iter().any(|(_, t)| self.num_needs(t))
            }
            Num::Kept { num, .. } => self.num_needs(num),
            Num::Table { table, .. } => table.keys.iter().any(|k| self.num_needs(k)),
            Num::Look { .. } | Num::Convert { .. } => true,
        }
    }

    fn records_need(&self, r: &Records) -> bool {
        match r {
            Records::Field { .. } => false,
            Records::AllEntities => true,
            Records::Let(i) => match self.lets.get(*i) {
                Some(Let::Filter { list, cond }) => {
                    self.records_need(list) || self.needs_evaluator(cond)
                }
                _ => false,
            },
        }
    }

    fn members_need(&self, m: &Members) -> bool {
        match m {
            Members::Consts(_) | Members::Strs { .. } => false,
            Members::Projected(p) => self.records_need(&p.records),
        }
    }

    /// `look-through M of S in deal`, proportional, of a list of records `S`.
    fn look(&self, l: &LookThrough) -> Option<Num> {
        if l.target.is_some() || l.control.is_some() {
            return None;
        }
        Some(Num::Look {
            holders: self.records(&l.holders)?,
            measure: crate::ownership::Measure {
                name: l.measure.name.to_string(),
                party_field: l.measure.party_field.unwrap_or(usize::MAX),
                owner_field: l.measure.owner_field,
            },
        })
    }

    /// A list field of records read from the root or an item.
    fn record_list(&self, base: &IrBase, step: &Step) -> Option<Records> {
        let field = self.plain_field(step)?;
        let Type::List(elem) = &field.ty else {
            return None;
        };
        if !matches!(**elem, Type::Record(_)) {
            return None;
        }
        Some(Records::Field {
            base: base_of(base)?,
            field: step.field,
        })
    }

    /// One scalar field mapped over a list of records (`american partner stake`, `parties
    /// stake`).
    fn projection(&self, e: &Expr) -> Option<Projection> {
        let K::Path { base, steps } = &e.kind else {
            return None;
        };
        let (last, before) = steps.split_last()?;
        if !last.map || last.flatten || self.field_of(last)?.computed.is_some() {
            return None;
        }
        if !scalar_type(&self.field_of(last)?.ty) {
            return None;
        }
        let records = match (base, before) {
            (IrBase::Let(i), []) => match self.lets.get(*i)? {
                Let::Filter { .. } => Records::Let(*i),
                _ => return None,
            },
            (_, [first]) => self.record_list(base, first)?,
            _ => return None,
        };
        Some(Projection {
            records,
            field: last.field,
        })
    }

    /// A list field of scalars read in place (the element side of an implicit each).
    fn list_field(&self, e: &Expr) -> Option<ListField> {
        let K::Path { base, steps } = &e.kind else {
            return None;
        };
        let [step] = steps.as_slice() else {
            return None;
        };
        let field = self.plain_field(step)?;
        match &field.ty {
            Type::List(elem) if scalar_type(elem) => Some(ListField {
                base: base_of(base)?,
                field: step.field,
            }),
            _ => None,
        }
    }

    /// The list of a membership test: literal scalars, or a projection.
    fn members(&self, e: &Expr) -> Option<Members> {
        match &e.kind {
            K::List(items) => self.consts(items).map(literals),
            K::Path {
                base: IrBase::Let(i),
                steps,
            } if steps.is_empty() => match self.lets.get(*i)? {
                Let::Consts(v) => Some(literals(v.clone())),
                _ => None,
            },
            _ => self.projection(e).map(Members::Projected),
        }
    }

    /// The scalars of a list literal, each a literal or a `let` of one.
    fn consts(&self, items: &[Expr]) -> Option<Vec<Scalar>> {
        items
            .iter()
            .map(|x| match self.num(x)? {
                Num::Const(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    /// The steps through record fields (`board` of `board seats`): each a stored record.
    fn record_fields(&self, steps: &[Step]) -> Option<Vec<usize>> {
        steps
            .iter()
            .map(|s| match self.plain_field(s)?.ty {
                Type::Record(_) => Some(s.field),
                _ => None,
            })
            .collect()
    }

    /// `total R F per bloc op rhs` (implicit each): the total of one stored scalar field of
    /// each record of a list (not an entity key, no further steps), by the records' `bloc`.
    fn per_bloc(&self, op: CmpOp, lhs: &Expr, rhs: &Expr) -> Option<Cond> {
        let K::Per(p) = &lhs.kind else {
            return None;
        };
        if p.kind != AggKind::Total || p.key_is_entity {
            return None;
        }
        let records = self.records(&p.source)?;
        let [step] = p.tail.as_slice() else {
            return None;
        };
        if !step.map || step.flatten {
            return None;
        }
        let field = self.field_of(step)?;
        if field.computed.is_some() || !scalar_type(&field.ty) || field.ty != p.value_ty {
            return None;
        }
        let zero = match p.value_ty {
            Type::Number => Some(Scalar::Number(Exact::ZERO)),
            Type::Percent => Some(Scalar::Percent(Exact::ZERO)),
            Type::Money => None,
            _ => return None,
        };
        let K::Path {
            base: IrBase::Item(0),
            steps,
        } = &p.key.kind
        else {
            return None;
        };
        let [key] = steps.as_slice() else {
            return None;
        };
        let bloc = self.field_of(key)?;
        if key.map || key.flatten || bloc.computed != Some(Computed::Bloc) || p.key.hoist.is_some()
        {
            return None;
        }
        Some(Cond::PerBlocCompare {
            op,
            per: PerTotal {
                records,
                field: step.field,
                zero,
                groups: self.schema.root().field_index("groups"),
            },
            rhs: self.num(rhs)?,
        })
    }

    /// Whether a step of the path reads an item definition.
    fn reads_define(&self, steps: &[Step]) -> bool {
        steps.iter().any(|s| {
            matches!(
                self.field_of(s).and_then(|f| f.computed.as_ref()),
                Some(Computed::Define(_) | Computed::Linked(_))
            )
        })
    }

    /// An item definition read on the record at `base` in one step (`state cap` of a party),
    /// when its value is a lookup table of literal values (not yes/no) whose keys are literals
    /// or stored fields of that record or the root, and it does not read the evaluation date.
    fn table_define(&self, base: &IrBase, steps: &[Step]) -> Option<Num> {
        let [step] = steps else {
            return None;
        };
        if step.map || step.flatten {
            return None;
        }
        let Some(Computed::Define(i)) = self.field_of(step)?.computed else {
            return None;
        };
        let def = self.defs.get(i)?;
        if def.reads_evaluation_date || def.item != Some(step.record) {
            return None;
        }
        let ty = &def.value.ty;
        if !scalar_type(ty) || *ty == Type::Bool || def.value.hoist.is_some() {
            return None;
        }
        let K::Table(t) = &def.value.kind else {
            return None;
        };
        let keys = t
            .keys
            .iter()
            .map(|k| self.table_key(k))
            .collect::<Option<Vec<_>>>()?;
        let value = |r: &Row| match &r.value.kind {
            K::Const(s) if plain(s) && r.value.hoist.is_none() => Some(s.clone()),
            _ => None,
        };
        let rows = t
            .rows
            .iter()
            .map(|r| {
                if r.cells.len() != keys.len() {
                    return None;
                }
                Some((r.cells.iter().map(cell_form).collect(), value(r)?))
            })
            .collect::<Option<Vec<_>>>()?;
        let otherwise = match t.otherwise.as_deref() {
            None => None,
            Some(r) => Some(value(r)?),
        };
        Some(Num::Table {
            base: base_of(base)?,
            table: Box::new(TableForm {
                keys,
                rows,
                otherwise,
            }),
        })
    }

    /// A key of a table in its definition's scope: a literal, or a stored scalar or date field
    /// of the root or of the definition's record (`Item(0)`), read in one step.
    fn table_key(&self, k: &Expr) -> Option<Num> {
        if k.hoist.is_some() {
            return None;
        }
        match &k.kind {
            K::Const(s) if plain(s) => Some(Num::Const(s.clone())),
            K::Path { base, steps } => {
                let [step] = steps.as_slice() else {
                    return None;
                };
                let field = self.plain_field(step)?;
                if !scalar_type(&field.ty) && field.ty != Type::Date {
                    return None;
                }
                let base = match base {
                    IrBase::Root => Base::Root,
                    IrBase::Item(0) => Base::Item(0),
                    _ => return None,
                };
                Some(Num::Field {
                    base,
                    via: Vec::new(),
                    field: step.field,
                })
            }
            _ => None,
        }
    }

    fn field_of(&self, step: &Step) -> Option<&Field> {
        self.schema.record(step.record).fields.get(step.field)
    }

    /// The field a step reads, when it is stored (not computed) and read without mapping.
    fn plain_field(&self, step: &Step) -> Option<&Field> {
        let field = self.field_of(step)?;
        (!step.map && !step.flatten && field.computed.is_none()).then_some(field)
    }
}

/// A table cell as the compiled run tests it: a cell of strings with its texts and their
/// folded forms (as `ValueSet` folds them: trimmed, lower case) at hand.
pub(super) fn cell_form(cell: &crate::resolve::ir::Cell) -> CellForm {
    let crate::resolve::ir::Cell::In { values, .. } = cell else {
        return CellForm::Other(cell.clone());
    };
    let texts = values
        .values()
        .iter()
        .map(text_of)
        .collect::<Option<Vec<_>>>();
    match texts {
        Some(texts) if !texts.is_empty() => {
            let folded: Vec<Box<str>> = texts
                .iter()
                .map(|t| {
                    t.trim()
                        .chars()
                        .flat_map(char::to_lowercase)
                        .collect::<String>()
                        .into_boxed_str()
                })
                .collect();
            let firsts = folded
                .iter()
                .filter_map(|f| f.bytes().next().filter(u8::is_ascii))
                .fold(0u128, |bits, b| bits | 1 << b);
            CellForm::Strs {
                folded,
                firsts,
                texts,
                cell: cell.clone(),
            }
        }
        _ => CellForm::Other(cell.clone()),
    }
}

/// The text of a string literal.
fn text_of(s: &Scalar) -> Option<Box<str>> {
    match s {
        Scalar::Str(t) => Some(Box::from(&**t)),
        _ => None,
    }
}

/// The list of a membership test written in the policy: its texts at hand when all are
/// strings.
fn literals(values: Vec<Scalar>) -> Members {
    match values.iter().map(text_of).collect::<Option<Vec<_>>>() {
        Some(texts) => Members::Strs { texts, values },
        None => Members::Consts(values),
    }
}

fn base_of(base: &IrBase) -> Option<Base> {
    match base {
        IrBase::Root => Some(Base::Root),
        IrBase::Item(d) => Some(Base::Item(*d)),
        IrBase::Let(_) => None,
    }
}

/// A scalar type the compiled forms read: not a date (dates stay with the evaluator), a list or
/// a record.
fn scalar_type(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Number | Type::Percent | Type::Money | Type::String | Type::Bool
    )
}

/// A literal the compiled forms hold: not a date.
fn plain(s: &Scalar) -> bool {
    !matches!(s, Scalar::Date(_) | Scalar::Never)
}
