//! Expression evaluation: values, Kleene truth with evidence, quantifiers and implicit each.

use std::rc::Rc;
use std::sync::Arc;

use crate::deal::tree::Deal;
use crate::resolve::ir::{Base, Each, Expr, ExprKind as K, Step};
use crate::resolve::Policy;
use crate::schema::Type;
use crate::syntax::ast::{AggKind, CmpOp, QuantKind};
use crate::value::Scalar;

use super::value::{
    self, arith, compare, display, from_node, item_label, note, origin_path, unknown, Elem, Origin,
    Val, Why,
};

/// A three-valued truth (SPEC §3.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tv {
    True,
    False,
    Unknown,
}

impl Tv {
    pub fn negate(self) -> Tv {
        match self {
            Tv::True => Tv::False,
            Tv::False => Tv::True,
            Tv::Unknown => Tv::Unknown,
        }
    }
}

/// A fact that decided a truth value. Facts keep values, not text: they are rendered only
/// when a report needs them.
#[derive(Clone, Debug)]
pub enum Fact<'d> {
    /// A comparison or membership test and its result.
    Test(Box<TestFact<'d>>),
    /// A value was unknown.
    Unknown(Rc<Why>),
    /// A sentence: "no foreign partner", "holds vacuously".
    Note(String),
    /// A deal value that went into a computed one (an element of a total, a divisor).
    Part { subject: Arc<str>, value: Val<'d> },
}

/// One test: `value op bound`, and whether it held.
#[derive(Clone, Debug)]
pub struct TestFact<'d> {
    pub subject: Arc<str>,
    /// The element-side value, with its origin in the deal.
    pub value: Val<'d>,
    pub op: &'static str,
    pub bound: Bound<'d>,
    pub held: bool,
    /// For ordered comparisons, the operator (margins and help lines come from it).
    pub cmp: Option<CmpOp>,
}

/// What a value was tested against.
#[derive(Clone, Debug)]
pub enum Bound<'d> {
    Val(Val<'d>),
    Text(String),
}

/// A truth value with the facts that decided it (collected only when asked).
#[derive(Clone, Debug)]
pub struct Judgement<'d> {
    pub tv: Tv,
    pub facts: Vec<Fact<'d>>,
}

impl Judgement<'_> {
    fn of(tv: Tv) -> Self {
        Judgement {
            tv,
            facts: Vec::new(),
        }
    }
}

/// Evaluation of one deal: the deal, the policy, the `let` cache and the item stack.
pub struct Evaluator<'d> {
    pub policy: &'d Policy,
    pub deal: &'d Deal,
    /// Build facts (slower); otherwise only truth values.
    pub collect: bool,
    lets: Vec<Option<Val<'d>>>,
    /// The deal root's fields as values, built on first use: many rules read `parties`.
    root_fields: Vec<Option<Val<'d>>>,
    items: Vec<Val<'d>>,
}

impl<'d> Evaluator<'d> {
    pub fn new(policy: &'d Policy, deal: &'d Deal, collect: bool) -> Self {
        Evaluator {
            policy,
            deal,
            collect,
            lets: vec![None; policy.defs.len()],
            root_fields: vec![None; policy.schema.root().fields.len()],
            items: Vec::new(),
        }
    }

    /// Make `v` the innermost item (for tracing quantifier bodies).
    pub fn push_item(&mut self, v: Val<'d>) {
        self.items.push(v);
    }

    pub fn pop_item(&mut self) {
        self.items.pop();
    }

    fn root(&self) -> Val<'d> {
        Val::Record(
            &self.deal.root,
            Origin {
                span: Some(self.deal.root_span),
                item: None,
                field: None,
            },
        )
    }

    fn root_field(&mut self, step: &Step) -> Val<'d> {
        if let Some(Some(v)) = self.root_fields.get(step.field) {
            return v.clone();
        }
        let v = self.step(&self.root(), step);
        if let Some(slot) = self.root_fields.get_mut(step.field) {
            *slot = Some(v.clone());
        }
        v
    }

    fn let_value(&mut self, index: usize) -> Val<'d> {
        if let Some(Some(v)) = self.lets.get(index) {
            return v.clone();
        }
        let policy = self.policy;
        let Some(def) = policy.defs.get(index) else {
            return unknown(note(
                "internal error: unknown definition (please report this bug)",
            ));
        };
        let saved = std::mem::take(&mut self.items);
        let v = self.value(&def.value);
        self.items = saved;
        if let Some(slot) = self.lets.get_mut(index) {
            *slot = Some(v.clone());
        }
        v
    }

    fn step(&self, v: &Val<'d>, step: &Step) -> Val<'d> {
        let schema = &self.policy.schema;
        match v {
            Val::Record(r, origin) => {
                let field = schema.record(step.record).fields.get(step.field);
                const STRING: Type = Type::String;
                let ty: &'d Type = field.map_or(&STRING, |f| &f.ty);
                let name: &'d str = match field {
                    Some(f) => f.name.as_str(),
                    None => "?",
                };
                match r.field(step.field) {
                    Some(node) => from_node(schema, node, ty, origin.item, name),
                    None => {
                        let o = Origin {
                            span: origin.span,
                            item: origin.item,
                            field: Some(name),
                        };
                        unknown(Why {
                            note: format!("`{}` is missing", name),
                            span: origin.span,
                            element: origin.item.map(|i| item_label(schema, &i)),
                            path: origin_path(&o),
                        })
                    }
                }
            }
            Val::List(elems, span) if step.map => {
                let mut out = Vec::with_capacity(elems.len());
                for e in elems.iter() {
                    let x = self.step(&e.val, step);
                    match (x, step.flatten) {
                        (Val::List(inner, _), true) => out.extend(inner.iter().map(|i| Elem {
                            val: i.val.clone(),
                            maybe: e.maybe.clone().or_else(|| i.maybe.clone()),
                        })),
                        (x, _) => out.push(Elem {
                            val: x,
                            maybe: e.maybe.clone(),
                        }),
                    }
                }
                Val::List(Rc::new(out), *span)
            }
            Val::Unknown(w) => Val::Unknown(w.clone()),
            _ => unknown(note(
                "internal error: a step on a value with no fields (please report this bug)",
            )),
        }
    }

    /// The value of an expression.
    pub fn value(&mut self, e: &Expr) -> Val<'d> {
        match &e.kind {
            K::Const(s) => Val::Scalar(s.clone(), Origin::default()),
            K::List(items) => {
                let elems = items
                    .iter()
                    .map(|x| Elem {
                        val: self.value(x),
                        maybe: None,
                    })
                    .collect();
                Val::List(Rc::new(elems), None)
            }
            K::Item => self
                .items
                .last()
                .cloned()
                .unwrap_or_else(|| unknown(note("internal error: no current item"))),
            K::Path { base, steps } => {
                let mut rest = steps.as_slice();
                let mut v = match base {
                    Base::Root => match steps.first() {
                        Some(first) if !first.map => {
                            rest = steps.get(1..).unwrap_or(&[]);
                            self.root_field(first)
                        }
                        _ => self.root(),
                    },
                    Base::Item(d) => {
                        let n = self.items.len();
                        match n.checked_sub(d + 1).and_then(|i| self.items.get(i)) {
                            Some(v) => v.clone(),
                            None => unknown(note("internal error: item out of scope")),
                        }
                    }
                    Base::Let(i) => self.let_value(*i),
                };
                for s in rest {
                    v = self.step(&v, s);
                }
                v
            }
            K::Filter { list, cond } => self.filter(list, cond),
            K::Aggregate { kind, arg } => {
                let v = self.value(arg);
                aggregate(*kind, &v)
            }
            K::Arith { op, lhs, rhs } => {
                let a = self.value(lhs);
                let b = self.value(rhs);
                arith(*op, &a, &b)
            }
            _ => {
                let j = self.truth(e);
                match j.tv {
                    Tv::True => Val::Scalar(Scalar::Bool(true), Origin::default()),
                    Tv::False => Val::Scalar(Scalar::Bool(false), Origin::default()),
                    Tv::Unknown => unknown(note(format!("`{}` is unknown", e.text))),
                }
            }
        }
    }

    fn filter(&mut self, list: &Expr, cond: &Expr) -> Val<'d> {
        let v = self.value(list);
        let Val::List(elems, span) = v else {
            return v;
        };
        let mut out = Vec::with_capacity(elems.len());
        let collect = std::mem::replace(&mut self.collect, false);
        for e in elems.iter() {
            self.items.push(e.val.clone());
            let j = self.truth(cond);
            self.items.pop();
            match j.tv {
                Tv::True => out.push(e.clone()),
                Tv::False => {}
                Tv::Unknown => {
                    let why = self.unknown_reason(cond, &e.val);
                    out.push(Elem {
                        val: e.val.clone(),
                        maybe: e.maybe.clone().or(Some(Rc::new(why))),
                    });
                }
            }
        }
        self.collect = collect;
        Val::List(Rc::new(out), span)
    }

    /// Why a condition was unknown for an element: re-evaluated with facts.
    fn unknown_reason(&mut self, cond: &Expr, item: &Val<'d>) -> Why {
        let collect = std::mem::replace(&mut self.collect, true);
        self.items.push(item.clone());
        let j = self.truth(cond);
        self.items.pop();
        self.collect = collect;
        let first = j.facts.into_iter().find_map(|f| match f {
            Fact::Unknown(w) => Some((*w).clone()),
            _ => None,
        });
        first.unwrap_or_else(|| note(format!("`{}` is unknown", cond.text)))
    }

    /// The truth of a condition.
    pub fn truth(&mut self, e: &Expr) -> Judgement<'d> {
        match &e.kind {
            K::And(a, b) => {
                let x = self.truth(a);
                if x.tv == Tv::False && !self.collect {
                    return x;
                }
                let y = self.truth(b);
                and(x, y)
            }
            K::Or(a, b) => {
                let x = self.truth(a);
                if x.tv == Tv::True && !self.collect {
                    return x;
                }
                let y = self.truth(b);
                or(x, y)
            }
            K::Not(a) => {
                let x = self.truth(a);
                Judgement {
                    tv: x.tv.negate(),
                    facts: x.facts,
                }
            }
            K::Compare { op, lhs, rhs, each } => self.compare(*op, lhs, rhs, *each),
            K::In {
                elem,
                list,
                negated,
                each,
            } => self.membership(elem, list, *negated, *each),
            K::Within {
                lhs,
                tolerance,
                rhs,
                each,
            } => self.within(lhs, tolerance, rhs, *each),
            K::Quant {
                kind,
                list,
                cond,
                body,
                item_name,
            } => self.quantifier(*kind, list, cond.as_deref(), body.as_deref(), item_name),
            K::Must {
                subject,
                negated,
                pred,
                each,
            } => self.must(e, subject, *negated, pred, *each),
            _ => {
                let v = self.value(e);
                self.bool_of(e, &v)
            }
        }
    }

    fn bool_of(&self, e: &Expr, v: &Val<'d>) -> Judgement<'d> {
        match v {
            Val::Scalar(Scalar::Bool(b), origin) => {
                let tv = if *b { Tv::True } else { Tv::False };
                let mut j = Judgement::of(tv);
                if self.collect {
                    let _ = origin;
                    j.facts.push(Fact::Test(Box::new(TestFact {
                        subject: e.text.clone(),
                        value: v.clone(),
                        op: "is",
                        bound: Bound::Text("true".into()),
                        held: *b,
                        cmp: None,
                    })));
                }
                j
            }
            Val::Unknown(w) => self.unknown_judgement(w.clone()),
            _ => {
                self.unknown_judgement(Rc::new(note(format!("`{}` is not true or false", e.text))))
            }
        }
    }

    fn unknown_judgement(&self, w: Rc<Why>) -> Judgement<'d> {
        let mut j = Judgement::of(Tv::Unknown);
        if self.collect {
            j.facts.push(Fact::Unknown(w));
        }
        j
    }

    /// Evaluate `test` on every element of the list side (implicit each): every element must
    /// hold; elements whose membership is unknown can only make the result unknown.
    fn each_of(
        &mut self,
        list: Val<'d>,
        mut test: impl FnMut(&mut Self, &Val<'d>) -> Judgement<'d>,
    ) -> Judgement<'d> {
        let elems = match list {
            Val::List(elems, _) => elems,
            Val::Unknown(w) => return self.unknown_judgement(w),
            other => return test(self, &other),
        };
        let mut parts = Vec::with_capacity(elems.len());
        for e in elems.iter() {
            let j = test(self, &e.val);
            let j = match (&e.maybe, j.tv) {
                (Some(w), Tv::False | Tv::Unknown) => {
                    let mut facts = j.facts;
                    if self.collect {
                        facts.push(Fact::Unknown(w.clone()));
                    }
                    Judgement {
                        tv: Tv::Unknown,
                        facts,
                    }
                }
                _ => j,
            };
            if j.tv == Tv::False && !self.collect {
                return j;
            }
            parts.push(j);
        }
        every(parts)
    }

    fn compare(&mut self, op: CmpOp, lhs: &Expr, rhs: &Expr, each: Each) -> Judgement<'d> {
        let a = self.value(lhs);
        let b = self.value(rhs);
        match each {
            Each::None => {
                let mut j = self.test_cmp(op, lhs, &a, &b, false);
                if self.collect && j.tv != Tv::True {
                    self.parts(lhs, &mut j.facts);
                    self.parts(rhs, &mut j.facts);
                }
                j
            }
            Each::Left => self.each_of(a, |s, x| s.test_cmp(op, lhs, x, &b, false)),
            Each::Right => self.each_of(b, |s, y| s.test_cmp(op, rhs, y, &a, true)),
        }
    }

    /// The deal values inside a computed operand (the elements of a total, the operands of
    /// arithmetic), so evidence can point at them.
    fn parts(&mut self, e: &Expr, out: &mut Vec<Fact<'d>>) {
        match &e.kind {
            K::Aggregate { arg, .. } => {
                if let Val::List(elems, _) = self.value(arg) {
                    for el in elems.iter() {
                        self.part(arg, &el.val, out);
                    }
                }
            }
            K::Arith { lhs, rhs, .. } => {
                self.parts(lhs, out);
                self.parts(rhs, out);
            }
            K::Path { .. } => {
                let v = self.value(e);
                self.part(e, &v, out);
            }
            _ => {}
        }
    }

    fn part(&self, subject: &Expr, v: &Val<'d>, out: &mut Vec<Fact<'d>>) {
        if let Val::Scalar(s, origin) = v {
            let _ = (s, origin);
            out.push(Fact::Part {
                subject: subject.text.clone(),
                value: v.clone(),
            });
        }
    }

    /// One comparison; `flipped` when `x` is the right operand (the element side).
    fn test_cmp(
        &self,
        op: CmpOp,
        subject: &Expr,
        x: &Val<'d>,
        bound: &Val<'d>,
        flipped: bool,
    ) -> Judgement<'d> {
        let (l, r) = if flipped { (bound, x) } else { (x, bound) };
        let held = match compare(l, r) {
            Ok(ord) => match op {
                CmpOp::Lt => ord.is_lt(),
                CmpOp::Le => ord.is_le(),
                CmpOp::Gt => ord.is_gt(),
                CmpOp::Ge => ord.is_ge(),
                CmpOp::Eq => ord.is_eq(),
                CmpOp::Ne => ord.is_ne(),
            },
            Err(w) => return self.unknown_judgement(Rc::new(self.located(w, x))),
        };
        let mut j = Judgement::of(if held { Tv::True } else { Tv::False });
        if self.collect {
            let op = if flipped { mirror(op) } else { op };
            let cmp = (!matches!(op, CmpOp::Eq | CmpOp::Ne)).then_some(op);
            j.facts.push(test_fact(
                subject,
                x,
                op.symbol(),
                Bound::Val(bound.clone()),
                held,
                cmp,
            ));
        }
        j
    }

    /// Attach the element and position of `x` to an unknown reason that lacks them.
    fn located(&self, mut w: Why, x: &Val<'d>) -> Why {
        if let Val::Scalar(_, o) = x {
            if w.span.is_none() {
                w.span = o.span;
                w.element = o.item.map(|i| item_label(&self.policy.schema, &i));
                w.path = origin_path(o);
            }
        }
        w
    }

    fn membership(&mut self, elem: &Expr, list: &Expr, negated: bool, each: Each) -> Judgement<'d> {
        let l = self.value(list);
        let x = self.value(elem);
        match each {
            Each::None => self.test_in(elem, &x, &l, negated),
            _ => self.each_of(x, |s, v| s.test_in(elem, v, &l, negated)),
        }
    }

    fn test_in(&self, subject: &Expr, x: &Val<'d>, list: &Val<'d>, negated: bool) -> Judgement<'d> {
        let elems = match list {
            Val::List(elems, _) => elems,
            Val::Unknown(w) => return self.unknown_judgement(w.clone()),
            _ => return self.unknown_judgement(Rc::new(note("membership needs a list"))),
        };
        if let Val::Unknown(w) = x {
            return self.unknown_judgement(w.clone());
        }
        let mut tv = Tv::False;
        let mut unknowns = Vec::new();
        for e in elems.iter() {
            match value::equal(x, &e.val) {
                Ok(true) if e.maybe.is_none() => {
                    tv = Tv::True;
                    break;
                }
                Ok(true) => {
                    tv = Tv::Unknown;
                    unknowns.extend(e.maybe.clone());
                }
                Ok(false) => {}
                Err(w) => {
                    tv = Tv::Unknown;
                    unknowns.push(Rc::new(w));
                }
            }
        }
        let tv = if negated { tv.negate() } else { tv };
        let mut j = Judgement::of(tv);
        if self.collect {
            if tv == Tv::Unknown {
                j.facts.extend(unknowns.into_iter().map(Fact::Unknown));
            } else {
                let op = if negated { "not in" } else { "in" };
                j.facts.push(test_fact(
                    subject,
                    x,
                    op,
                    Bound::Val(list.clone()),
                    tv == Tv::True,
                    None,
                ));
            }
        }
        j
    }

    fn within(&mut self, lhs: &Expr, tol: &Expr, rhs: &Expr, each: Each) -> Judgement<'d> {
        let a = self.value(lhs);
        let t = self.value(tol);
        let b = self.value(rhs);
        let test = |s: &mut Self, x: &Val<'d>, y: &Val<'d>, subject: &Expr| -> Judgement<'d> {
            let diff = arith(crate::syntax::ast::ArithOp::Sub, x, y);
            let neg = arith(crate::syntax::ast::ArithOp::Sub, y, x);
            let held = match (compare(&diff, &t), compare(&neg, &t)) {
                (Ok(o1), Ok(o2)) => o1.is_le() && o2.is_le(),
                (Err(w), _) | (_, Err(w)) => return s.unknown_judgement(Rc::new(s.located(w, x))),
            };
            let mut j = Judgement::of(if held { Tv::True } else { Tv::False });
            if s.collect {
                let bound = format!("{} ± {}", display(y), display(&t));
                j.facts.push(test_fact(
                    subject,
                    x,
                    "within",
                    Bound::Text(bound),
                    held,
                    None,
                ));
            }
            j
        };
        match each {
            Each::None => test(self, &a, &b, lhs),
            Each::Left => self.each_of(a, |s, x| test(s, x, &b, lhs)),
            Each::Right => self.each_of(b, |s, y| test(s, y, &a, rhs)),
        }
    }

    fn quantifier(
        &mut self,
        kind: QuantKind,
        list: &Expr,
        cond: Option<&Expr>,
        body: Option<&Expr>,
        item_name: &str,
    ) -> Judgement<'d> {
        let v = self.value(list);
        let elems = match v {
            Val::List(elems, _) => elems,
            Val::Unknown(w) => return self.unknown_judgement(w),
            _ => return self.unknown_judgement(Rc::new(note("a quantifier needs a list"))),
        };
        // Per element: membership (condition and filter maybe) and the body's truth.
        let mut members = Vec::with_capacity(elems.len());
        for e in elems.iter() {
            self.items.push(e.val.clone());
            let mut m = match cond {
                Some(c) => self.truth(c),
                None => Judgement::of(Tv::True),
            };
            if let Some(w) = &e.maybe {
                if m.tv == Tv::True {
                    m.tv = Tv::Unknown;
                    if self.collect {
                        m.facts.push(Fact::Unknown(w.clone()));
                    }
                }
            }
            let b = match (m.tv, body) {
                (Tv::False, _) => Judgement::of(Tv::True),
                (_, Some(p)) => self.truth(p),
                (_, None) => Judgement::of(Tv::True),
            };
            self.items.pop();
            members.push((m, b));
        }
        let collect = self.collect;
        let vacuous = |n: usize| {
            (collect && n == 0).then(|| Fact::Note(format!("holds vacuously: no {item_name}")))
        };
        match kind {
            QuantKind::Every => {
                let parts: Vec<Judgement> = members
                    .into_iter()
                    .filter(|(m, _)| m.tv != Tv::False)
                    .map(|(m, b)| implies(m, b))
                    .collect();
                let n = parts.len();
                let mut j = every(parts);
                j.facts.extend(vacuous(n));
                j
            }
            QuantKind::Some | QuantKind::No => {
                let parts: Vec<Judgement> = members.into_iter().map(|(m, b)| and(m, b)).collect();
                let none_msg = (collect && parts.iter().all(|p| p.tv == Tv::False))
                    .then(|| Fact::Note(format!("no {item_name} matches")));
                let mut j = some(parts);
                if j.tv == Tv::False {
                    j.facts.extend(none_msg);
                }
                if kind == QuantKind::No {
                    j.tv = j.tv.negate();
                }
                j
            }
            QuantKind::AtLeast(n) | QuantKind::AtMost(n) | QuantKind::Exactly(n) => {
                let parts: Vec<Judgement> = members.into_iter().map(|(m, b)| and(m, b)).collect();
                let sure = parts.iter().filter(|p| p.tv == Tv::True).count() as u64;
                let maybe = parts.iter().filter(|p| p.tv == Tv::Unknown).count() as u64;
                let (lo, hi) = (sure, sure + maybe);
                let tv = match kind {
                    QuantKind::AtLeast(_) if lo >= n => Tv::True,
                    QuantKind::AtLeast(_) if hi < n => Tv::False,
                    QuantKind::AtMost(_) if hi <= n => Tv::True,
                    QuantKind::AtMost(_) if lo > n => Tv::False,
                    QuantKind::Exactly(_) if lo == n && hi == n => Tv::True,
                    QuantKind::Exactly(_) if lo > n || hi < n => Tv::False,
                    _ => Tv::Unknown,
                };
                let mut j = Judgement::of(tv);
                if collect {
                    let which = match tv {
                        Tv::Unknown => Tv::Unknown,
                        _ => Tv::True,
                    };
                    j.facts.push(Fact::Note(format!(
                        "{sure} {item_name} match{}",
                        if maybe > 0 {
                            format!(", {maybe} may match")
                        } else {
                            String::new()
                        }
                    )));
                    for p in parts.into_iter().filter(|p| p.tv == which) {
                        j.facts.extend(p.facts);
                    }
                }
                j
            }
        }
    }

    fn must(
        &mut self,
        e: &Expr,
        subject: &Expr,
        negated: bool,
        pred: &Expr,
        each: bool,
    ) -> Judgement<'d> {
        let s = self.value(subject);
        let test = |this: &mut Self, x: &Val<'d>| {
            this.items.push(x.clone());
            let j = this.truth(pred);
            this.items.pop();
            if negated {
                Judgement {
                    tv: j.tv.negate(),
                    facts: j.facts,
                }
            } else {
                j
            }
        };
        let mut j = if each {
            let n = match &s {
                Val::List(l, _) => l.len(),
                _ => 1,
            };
            let mut j = self.each_of(s, test);
            if self.collect && n == 0 {
                j.facts.push(Fact::Note(format!(
                    "holds vacuously: `{}` is empty",
                    subject.text
                )));
            }
            j
        } else {
            test(self, &s)
        };
        let _ = e;
        if !self.collect {
            j.facts.clear();
        }
        j
    }
}

fn test_fact<'d>(
    subject: &Expr,
    x: &Val<'d>,
    op: &'static str,
    bound: Bound<'d>,
    held: bool,
    cmp: Option<CmpOp>,
) -> Fact<'d> {
    Fact::Test(Box::new(TestFact {
        subject: subject.text.clone(),
        value: x.clone(),
        op,
        bound,
        held,
        cmp,
    }))
}

fn mirror(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        o => o,
    }
}

/// Kleene `and`, keeping the facts of the deciding side.
pub fn and<'d>(x: Judgement<'d>, y: Judgement<'d>) -> Judgement<'d> {
    match (x.tv, y.tv) {
        (Tv::False, Tv::False) => merge(Tv::False, x, y),
        (Tv::False, _) => x,
        (_, Tv::False) => y,
        (Tv::Unknown, Tv::Unknown) => merge(Tv::Unknown, x, y),
        (Tv::Unknown, _) => x,
        (_, Tv::Unknown) => y,
        _ => merge(Tv::True, x, y),
    }
}

/// Kleene `or`, keeping the facts of the deciding side.
pub fn or<'d>(x: Judgement<'d>, y: Judgement<'d>) -> Judgement<'d> {
    match (x.tv, y.tv) {
        (Tv::True, Tv::True) => merge(Tv::True, x, y),
        (Tv::True, _) => x,
        (_, Tv::True) => y,
        (Tv::Unknown, Tv::Unknown) => merge(Tv::Unknown, x, y),
        (Tv::Unknown, _) => x,
        (_, Tv::Unknown) => y,
        _ => merge(Tv::False, x, y),
    }
}

/// `not m or b` for a quantifier element.
fn implies<'d>(m: Judgement<'d>, b: Judgement<'d>) -> Judgement<'d> {
    or(
        Judgement {
            tv: m.tv.negate(),
            facts: m.facts,
        },
        b,
    )
}

fn merge<'d>(tv: Tv, mut x: Judgement<'d>, y: Judgement<'d>) -> Judgement<'d> {
    x.facts.extend(y.facts);
    x.tv = tv;
    x
}

/// Kleene conjunction over many parts.
pub fn every<'d>(parts: Vec<Judgement<'d>>) -> Judgement<'d> {
    let tv = if parts.iter().any(|p| p.tv == Tv::False) {
        Tv::False
    } else if parts.iter().any(|p| p.tv == Tv::Unknown) {
        Tv::Unknown
    } else {
        Tv::True
    };
    collect_facts(tv, parts)
}

/// Kleene disjunction over many parts.
pub fn some<'d>(parts: Vec<Judgement<'d>>) -> Judgement<'d> {
    let tv = if parts.iter().any(|p| p.tv == Tv::True) {
        Tv::True
    } else if parts.iter().any(|p| p.tv == Tv::Unknown) {
        Tv::Unknown
    } else {
        Tv::False
    };
    collect_facts(tv, parts)
}

fn collect_facts<'d>(tv: Tv, parts: Vec<Judgement<'d>>) -> Judgement<'d> {
    let facts = parts
        .into_iter()
        .filter(|p| p.tv == tv)
        .flat_map(|p| p.facts)
        .collect();
    Judgement { tv, facts }
}

/// `total`, `count of`, `max`, `min`, `average` (SPEC §2.4, §3.4).
pub fn aggregate<'d>(kind: AggKind, v: &Val<'d>) -> Val<'d> {
    let (elems, span) = match v {
        Val::List(elems, span) => (elems, *span),
        Val::Unknown(w) => return Val::Unknown(w.clone()),
        _ => return unknown(note("an aggregate needs a list")),
    };
    for e in elems.iter() {
        if let Some(w) = &e.maybe {
            return Val::Unknown(w.clone());
        }
        if let Val::Unknown(w) = &e.val {
            return Val::Unknown(w.clone());
        }
    }
    // A computed value has no single place in the deal; evidence points at its parts.
    let _ = span;
    let origin = Origin::default();
    let with_origin = |v: Val<'d>| match v {
        Val::Scalar(s, _) => Val::Scalar(s, origin),
        v => v,
    };
    match kind {
        AggKind::Count => Val::Scalar(
            Scalar::Number(crate::number::Exact::from_int(elems.len() as i128)),
            origin,
        ),
        AggKind::Total => {
            let mut acc = Val::Zero;
            for e in elems.iter() {
                acc = arith(crate::syntax::ast::ArithOp::Add, &acc, &e.val);
            }
            with_origin(acc)
        }
        AggKind::Max | AggKind::Min | AggKind::Average if elems.is_empty() => {
            unknown(note("empty list"))
        }
        AggKind::Max | AggKind::Min => {
            let mut best: Option<&Val<'d>> = None;
            for e in elems.iter() {
                best = match best {
                    None => Some(&e.val),
                    Some(b) => match compare(&e.val, b) {
                        Ok(o)
                            if (kind == AggKind::Max && o.is_gt())
                                || (kind == AggKind::Min && o.is_lt()) =>
                        {
                            Some(&e.val)
                        }
                        Ok(_) => Some(b),
                        Err(w) => return unknown(w),
                    },
                };
            }
            best.cloned().unwrap_or_else(|| unknown(note("empty list")))
        }
        AggKind::Average => {
            let total = aggregate(AggKind::Total, v);
            let n = Val::Scalar(
                Scalar::Number(crate::number::Exact::from_int(elems.len() as i128)),
                Origin::default(),
            );
            with_origin(arith(crate::syntax::ast::ArithOp::Div, &total, &n))
        }
    }
}
