//! Typed IR conditions → [`F`] formulas.
//!
//! Keys: a path is keyed by its base and field names (`$.board.seats`, `let3`, and
//! `elem(<list>)` for the current element of a list); any other expression by its text and
//! the elements in scope. Two occurrences of one key always have one value in a deal.

use crate::resolve::ir::{Base, Each, Expr, ExprKind as K};
use crate::resolve::Policy;
use crate::schema::Type;
use crate::syntax::ast::{CmpOp, QuantKind};
use crate::value::Scalar;

use super::formula::{Atom, Cons, Point, Quant, Unit, F};

/// How deep definitions are followed (they cannot be cyclic once compiled; this is a guard).
const MAX_DEF_DEPTH: usize = 32;

/// A path walked to its key: the lists quantified on the way (outermost first), the key of
/// the value reached, and whether that value is itself a list.
struct Walk {
    chain: Vec<String>,
    key: String,
    is_list: bool,
}

/// Wrap `body` in `Every` (or `Some`) over each list of `chain`, the first outermost.
fn wrap(chain: Vec<String>, shown: &str, every: bool, body: F) -> F {
    chain.into_iter().rev().fold(body, |f, list| {
        let q = Quant {
            list,
            shown: shown.into(),
            body: Box::new(f),
        };
        if every {
            F::Every(q)
        } else {
            F::Some(q)
        }
    })
}

/// Converts the conditions of one policy.
pub struct Conv<'a> {
    policy: &'a Policy,
    /// Keys of the items in scope; the last is `Item(0)`.
    binders: Vec<String>,
    depth: usize,
}

impl<'a> Conv<'a> {
    /// The key of the current element of `list`, tagged with the scope depth so that a list
    /// quantified again inside its own quantifier gets a new element.
    fn elem(&self, list: &str) -> String {
        format!("elem{}({list})", self.binders.len())
    }

    pub fn new(policy: &'a Policy) -> Self {
        Conv {
            policy,
            binders: Vec::new(),
            depth: 0,
        }
    }

    /// A condition as a formula.
    pub fn cond(&mut self, e: &Expr) -> F {
        match &e.kind {
            K::Const(Scalar::Bool(b)) => F::Const(*b, e.loc),
            K::And(terms) => F::And(terms.iter().map(|t| self.cond(t)).collect()),
            K::Or(terms) => F::Or(terms.iter().map(|t| self.cond(t)).collect()),
            K::Not(a) => self.cond(a).negate(),
            K::Compare { op, lhs, rhs, each } => self.compare(e, *op, lhs, rhs, *each),
            K::In {
                elem,
                list,
                negated,
                each,
            } => self.membership(e, elem, list, *negated, *each),
            K::Quant {
                kind,
                list,
                cond,
                body,
                ..
            } => self.quant(e, *kind, list, cond.as_deref(), body.as_deref()),
            K::Must {
                subject,
                negated,
                pred,
                each,
            } => self.must(e, subject, *negated, pred, *each),
            K::Path {
                base: Base::Let(i),
                steps,
            } if steps.is_empty() && self.depth < MAX_DEF_DEPTH => {
                let Some(def) = self.policy.defs.get(*i) else {
                    return self.opaque(e);
                };
                // A definition is evaluated in the root scope: the items in scope here are
                // hidden from it, but still counted, so its elements get keys of their own.
                let hidden = vec![String::from("<hidden>"); self.binders.len()];
                let saved = std::mem::replace(&mut self.binders, hidden);
                self.depth += 1;
                let f = self.cond(&def.value);
                self.depth -= 1;
                self.binders = saved;
                f
            }
            // A yes/no table (a conditional value) is known by its place: two tables may be
            // written alike and differ in their rows.
            K::Table(_) => F::Atom(Atom {
                key: format!("~table{}:{}#bool", e.loc.file, e.loc.span.start),
                unit: Unit::Bool,
                cons: Cons::In(vec![Point::Bool(true)]),
                loc: e.loc,
                subject: e.text.to_string().into(),
                text: e.text.to_string().into(),
                flipped: false,
            }),
            K::Path { .. } | K::Item if e.ty == Type::Bool => match self.walk(e) {
                Some(w) if w.chain.is_empty() && !w.is_list => F::Atom(Atom {
                    key: format!("{}#bool", w.key),
                    unit: Unit::Bool,
                    cons: Cons::In(vec![Point::Bool(true)]),
                    loc: e.loc,
                    subject: e.text.to_string().into(),
                    text: e.text.to_string().into(),
                    flipped: false,
                }),
                _ => self.opaque(e),
            },
            _ => self.opaque(e),
        }
    }

    /// A condition known only by its text: it can meet its own negation, nothing else.
    fn opaque(&self, e: &Expr) -> F {
        F::Atom(Atom {
            key: format!("{}#bool", self.text_key(e)),
            unit: Unit::Bool,
            cons: Cons::In(vec![Point::Bool(true)]),
            loc: e.loc,
            subject: e.text.to_string().into(),
            text: e.text.to_string().into(),
            flipped: false,
        })
    }

    fn text_key(&self, e: &Expr) -> String {
        let text: Vec<&str> = e.text.split_whitespace().collect();
        format!("~[{}]{}", self.binders.join(";"), text.join(" "))
    }

    /// The constant value of an expression: a literal or a definition bound to one.
    fn const_of(&self, e: &Expr, depth: usize) -> Option<Scalar> {
        match &e.kind {
            K::Const(s) => Some(s.clone()),
            K::Path {
                base: Base::Let(i),
                steps,
            } if steps.is_empty() && depth < MAX_DEF_DEPTH => {
                self.const_of(&self.policy.defs.get(*i)?.value, depth + 1)
            }
            _ => None,
        }
    }

    /// The constant elements of a list literal (or a definition bound to one).
    fn const_list(&self, e: &Expr, depth: usize) -> Option<Vec<Scalar>> {
        match &e.kind {
            K::List(items) => items.iter().map(|x| self.const_of(x, 0)).collect(),
            K::Path {
                base: Base::Let(i),
                steps,
            } if steps.is_empty() && depth < MAX_DEF_DEPTH => {
                self.const_list(&self.policy.defs.get(*i)?.value, depth + 1)
            }
            _ => None,
        }
    }

    /// Walk a path (or the current item) to its key.
    fn walk(&self, e: &Expr) -> Option<Walk> {
        let (mut key, mut is_list, steps) = match &e.kind {
            K::Item => (self.binders.last()?.clone(), false, &[][..]),
            K::Path { base, steps } => {
                let (key, is_list) = match base {
                    Base::Root => ("$".to_string(), false),
                    Base::Item(i) => {
                        let n = self.binders.len().checked_sub(i + 1)?;
                        (self.binders.get(n)?.clone(), false)
                    }
                    Base::Let(i) => {
                        let def = self.policy.defs.get(*i)?;
                        (format!("let{i}"), def.value.ty.is_list())
                    }
                };
                (key, is_list, steps.as_slice())
            }
            _ => return None,
        };
        let mut chain = Vec::new();
        for step in steps {
            if is_list != step.map {
                return None;
            }
            if is_list {
                chain.push(key.clone());
                key = self.elem(&key);
            }
            key = format!("{key}.{}", step.name);
            is_list = self
                .policy
                .schema
                .record(step.record)
                .fields
                .get(step.field)
                .is_some_and(|f| f.ty.is_list());
        }
        Some(Walk {
            chain,
            key,
            is_list,
        })
    }

    /// The subject of a comparison: the lists it distributes over and the element's key.
    fn subject(&self, e: &Expr, each: bool) -> Option<(Vec<String>, String)> {
        match self.walk(e) {
            Some(mut w) => {
                if w.is_list {
                    w.chain.push(w.key.clone());
                    w.key = self.elem(&w.key);
                }
                (w.chain.is_empty() != each).then_some((w.chain, w.key))
            }
            None if !each && !e.ty.is_list() => Some((Vec::new(), self.text_key(e))),
            None => None,
        }
    }

    fn atom(&self, e: &Expr, subject: &Expr, each: bool, unit: Unit, cons: Cons) -> F {
        let Some((chain, key)) = self.subject(subject, each) else {
            return self.opaque(e);
        };
        let atom = F::Atom(Atom {
            key: format!("{key}#{}", unit.tag()),
            unit,
            cons,
            loc: e.loc,
            subject: subject.text.to_string().into(),
            text: e.text.to_string().into(),
            flipped: false,
        });
        wrap(chain, &subject.text, true, atom)
    }

    fn compare(&mut self, e: &Expr, op: CmpOp, lhs: &Expr, rhs: &Expr, each: Each) -> F {
        let (subject, c, op, side) = if let Some(c) = self.const_of(rhs, 0) {
            (lhs, c, op, Each::Left)
        } else if let Some(c) = self.const_of(lhs, 0) {
            (rhs, c, op.mirrored(), Each::Right)
        } else {
            return self.opaque(e);
        };
        if each != Each::None && each != side {
            return self.opaque(e);
        }
        let (point, unit) = Point::of(&c);
        self.atom(e, subject, each != Each::None, unit, Cons::Cmp(op, point))
    }

    fn membership(&mut self, e: &Expr, elem: &Expr, list: &Expr, negated: bool, each: Each) -> F {
        let Some(values) = self.const_list(list, 0) else {
            return self.opaque(e);
        };
        let points: Vec<(Point, Unit)> = values.iter().map(Point::of).collect();
        let unit = match points.first() {
            Some((_, u)) => *u,
            None => match elem.ty.element() {
                Type::Number => Unit::Number,
                Type::Percent => Unit::Percent,
                Type::Date => Unit::Date,
                Type::String => Unit::Str,
                Type::Bool => Unit::Bool,
                _ => return self.opaque(e),
            },
        };
        if points.iter().any(|(_, u)| *u != unit) {
            return self.opaque(e);
        }
        let points = points.into_iter().map(|(p, _)| p).collect();
        let cons = if negated {
            Cons::NotIn(points)
        } else {
            Cons::In(points)
        };
        self.atom(e, elem, each != Each::None, unit, cons)
    }

    /// The lists a quantifier ranges over (outermost first), the last being its own list,
    /// and the filters on its elements.
    fn list_of<'e>(&self, list: &'e Expr, filters: &mut Vec<&'e Expr>) -> (Vec<String>, String) {
        if let K::Filter { list: inner, cond } = &list.kind {
            filters.push(cond);
            return self.list_of(inner, filters);
        }
        match self.walk(list) {
            Some(w) if w.is_list => (w.chain, w.key),
            _ => (Vec::new(), self.text_key(list)),
        }
    }

    fn quant(
        &mut self,
        e: &Expr,
        kind: QuantKind,
        list: &Expr,
        cond: Option<&Expr>,
        body: Option<&Expr>,
    ) -> F {
        let mut filters = Vec::new();
        let (mut chain, key) = self.list_of(list, &mut filters);
        filters.extend(cond);
        self.binders.push(self.elem(&key));
        let c: Vec<F> = filters.iter().map(|f| self.cond(f)).collect();
        let p = body.map(|b| self.cond(b));
        self.binders.pop();
        chain.push(key);
        let shown = list.text.clone();
        let c_and_p = || F::And(c.iter().cloned().chain(p.clone()).collect());
        let every = |f: F| wrap(chain.clone(), &shown, true, f);
        let some = |f: F| wrap(chain.clone(), &shown, false, f);
        let none = || every(c_and_p().negate());
        let any = || some(c_and_p());
        let yes = F::Const(true, e.loc);
        let text = self.opaque(e);
        let pair = |pos: F, neg: F| {
            F::Pair(
                Box::new(F::And(vec![pos, text.clone()])),
                Box::new(F::And(vec![neg, text.clone().negate()])),
            )
        };
        match kind {
            QuantKind::Every => match p.clone() {
                Some(p) => every(F::Or(c.iter().cloned().map(F::negate).chain([p]).collect())),
                None => yes,
            },
            QuantKind::Some => any(),
            QuantKind::No => none(),
            QuantKind::AtLeast(0) => yes,
            QuantKind::AtLeast(1) => pair(any(), none()),
            QuantKind::AtLeast(_) => pair(any(), yes),
            QuantKind::AtMost(0) | QuantKind::Exactly(0) => pair(none(), any()),
            QuantKind::AtMost(_) => pair(yes, any()),
            QuantKind::Exactly(_) => pair(any(), yes),
        }
    }

    fn must(&mut self, e: &Expr, subject: &Expr, negated: bool, pred: &Expr, each: bool) -> F {
        let Some((chain, key)) = self.subject(subject, each) else {
            return self.opaque(e);
        };
        self.binders.push(key);
        let p = self.cond(pred);
        self.binders.pop();
        let p = if negated { p.negate() } else { p };
        wrap(chain, &subject.text, true, p)
    }
}
