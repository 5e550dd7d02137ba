//! The reference evaluator: one rule on one deal (a `serde_json::Value`), written from the
//! SPEC text (§2.4–§2.6, §3). It shares nothing with covenant but the policy text.

use serde_json::Value;

use super::ast::*;
use super::pending::{Pending, Tags};
use super::typing::reads_deal;
use super::value::{arith, compare, from_deal, num, within, Tv, Unit, V};

/// A rule's outcome for one deal.
#[derive(Clone, Copy, PartialEq, Eq, Debug, PartialOrd, Ord)]
pub enum Outcome {
    Pass,
    Fail,
    NotApplicable,
    Incomplete,
    /// A pass by an `unless`.
    Exempt,
    /// The deal is invalid: no rule runs.
    Invalid,
}

impl Outcome {
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::NotApplicable => "not-applicable",
            Outcome::Incomplete => "incomplete",
            Outcome::Exempt => "exempt",
            Outcome::Invalid => "invalid",
        }
    }
}

#[derive(Clone, Copy)]
pub(super) enum Item<'a> {
    Rec(&'a Value),
    Waiver(&'a str),
}

/// A list of values with each element's membership: true, or unknown for a maybe-member
/// of a filter (§3.4). `None` is a list that is itself unknown (a missing `parties`).
pub(super) type Vals = Option<Vec<(Tv, V)>>;
pub(super) type Recs<'a> = Option<Vec<(Tv, &'a Value)>>;

pub struct Eval<'a> {
    pub(super) deal: &'a Value,
    pub(super) lets: &'a [Let],
    pub(super) env: Vec<Item<'a>>,
    /// The pending rulings this evaluation depended on.
    pub tags: Tags,
    /// `--as-of`: the evaluation date of windows, instead of the deal's `date` (§3.1).
    pub as_of: Option<&'a str>,
}

impl<'a> Eval<'a> {
    pub fn new(deal: &'a Value, lets: &'a [Let]) -> Eval<'a> {
        Eval {
            deal,
            lets,
            env: Vec::new(),
            tags: Tags::default(),
            as_of: None,
        }
    }

    /// SPEC §3.1, for a rule that compiles on a valid deal.
    pub fn rule(&mut self, r: &'a Rule) -> Outcome {
        if let Some((from, until)) = &r.window {
            let date = match (self.as_of, from_deal(self.deal.get("date"), Ty::Date)) {
                (Some(d), _) => d.to_string(),
                (None, V::Date(d)) => d,
                (None, _) => return Outcome::Incomplete,
            };
            let after_until = until.as_ref().is_some_and(|u| date >= *u);
            if date < *from || after_until {
                return Outcome::NotApplicable;
            }
        }
        let when = Tv::all(r.whens.iter().map(|w| self.truth(w)));
        if when == Tv::F {
            return Outcome::NotApplicable;
        }
        if r.unlesses.iter().any(|u| self.truth(u) == Tv::T) {
            return Outcome::Exempt;
        }
        if when == Tv::U {
            return Outcome::Incomplete;
        }
        match Tv::all(r.requires.iter().map(|c| self.clause(c))) {
            Tv::T => Outcome::Pass,
            Tv::F => Outcome::Fail,
            Tv::U => Outcome::Incomplete,
        }
    }

    fn clause(&mut self, c: &'a Clause) -> Tv {
        match c {
            Clause::Expr(e) => self.truth(e),
            Clause::Must(m) => self.must(m),
        }
    }

    /// A condition's truth.
    pub(super) fn truth(&mut self, e: &'a Expr) -> Tv {
        match e {
            Expr::Cmp(op, _, a, b) => self.cmp(*op, a, b),
            Expr::Member(op, a, l) => {
                let list = self.list(l);
                let negate = *op == MOp::NotIn;
                self.each(a, |ev, x| {
                    let t = ev.member(&x, &list);
                    if negate {
                        t.not()
                    } else {
                        t
                    }
                })
            }
            Expr::Within(a, t, b) => {
                let (t, b) = (self.lit(t), self.value(b));
                self.each(a, |ev, x| within(&x, &t, &b, &mut ev.tags))
            }
            Expr::Not(inner) => self.truth(inner).not(),
            Expr::And(items) => Tv::all(items.iter().map(|i| self.truth(i))),
            Expr::Or(items) => Tv::any(items.iter().map(|i| self.truth(i))),
            Expr::Quant(q) => self.quant(q),
            Expr::Presence(subject, written) => {
                let absent = |v: Option<&Value>| v.is_none_or(Value::is_null);
                let absent = match subject.as_ref() {
                    Expr::Root(f) => {
                        let mut v = Some(self.deal);
                        for step in f.key.split('.') {
                            v = v.filter(|v| !v.is_null()).and_then(|v| v.get(step));
                        }
                        absent(v)
                    }
                    Expr::Item(up, f) => match self.env[self.env.len() - 1 - up] {
                        Item::Rec(r) => absent(r.get(f.key)),
                        Item::Waiver(_) => unreachable!("a waiver has no fields"),
                    },
                    _ => unreachable!("presence of a field only"),
                };
                Tv::of(absent == Expr::holds_when_absent(written))
            }
            _ => match self.value(e) {
                V::Bool(b) => Tv::of(b),
                _ => Tv::U,
            },
        }
    }

    fn cmp(&mut self, op: COp, a: &'a Side, b: &'a Side) -> Tv {
        match (a, b) {
            (Side::One(_), Side::One(y)) => {
                let y = self.value(y);
                self.each(a, |ev, x| compare(op, &x, &y, &mut ev.tags))
            }
            (Side::Each(_), Side::One(y)) => {
                let y = self.value(y);
                self.each(a, |ev, x| compare(op, &x, &y, &mut ev.tags))
            }
            (Side::One(x), Side::Each(_)) => {
                let x = self.value(x);
                self.each(b, |ev, y| compare(op, &x, &y, &mut ev.tags))
            }
            (Side::Each(_), Side::Each(_)) => unreachable!("two list operands do not compile"),
        }
    }

    /// Implicit each (§2.4): a test of a single value, or of every element of an element
    /// side; a maybe-member counts as `not member or test` (§3.4).
    pub(super) fn each(&mut self, side: &'a Side, mut test: impl FnMut(&mut Self, V) -> Tv) -> Tv {
        match side {
            Side::One(e) => {
                let v = self.value(e);
                test(self, v)
            }
            Side::Each(l) => match self.list(l) {
                None => Tv::U,
                Some(items) => Tv::all(
                    items
                        .into_iter()
                        .map(|(m, v)| m.not().or(test(self, v)))
                        .collect::<Vec<_>>(),
                ),
            },
        }
    }

    /// `x in list`: some element that is a member and equal.
    pub(super) fn member(&mut self, x: &V, list: &Vals) -> Tv {
        let Some(items) = list else { return Tv::U };
        // An unknown value is in no list and outside none: unknown, even for `[]`.
        if matches!(x, V::Unknown) {
            return Tv::U;
        }
        let tags = &mut self.tags;
        Tv::any(
            items
                .iter()
                .map(|(m, e)| m.and(compare(COp::Eq, x, e, tags))),
        )
    }

    fn quant(&mut self, q: &'a Quant) -> Tv {
        let items: Vec<(Tv, Item<'a>, Tv)> = match &q.over {
            QOver::Records(s) => match self.src(s) {
                None => return Tv::U,
                Some(items) => items
                    .into_iter()
                    .map(|(m, r)| (m, Item::Rec(r), Tv::T))
                    .collect(),
            },
            QOver::YesNo(s, f) => {
                self.tags.add(Pending::YesNoLists);
                match self.src(s) {
                    None => return Tv::U,
                    Some(items) => items
                        .into_iter()
                        .map(|(m, r)| {
                            let yes = match from_deal(r.get(f.key), Ty::Bool) {
                                V::Bool(b) => Tv::of(b),
                                _ => Tv::U,
                            };
                            (m, Item::Rec(r), yes)
                        })
                        .collect(),
                }
            }
            QOver::Waivers => match self.waivers() {
                None => return Tv::U,
                Some(items) => items
                    .into_iter()
                    .map(|w| (Tv::T, Item::Waiver(w), Tv::T))
                    .collect(),
            },
        };
        let mut each = Vec::new();
        for (m, item, yes) in items {
            self.env.push(item);
            let c = match &q.filter {
                Some(c) => yes.and(self.truth(c)),
                None => yes,
            };
            let p = match &q.body {
                Some(p) => self.truth(p),
                None => Tv::T,
            };
            self.env.pop();
            each.push((m.and(c), p));
        }
        let holds = |(c, p): &(Tv, Tv)| c.and(*p);
        let count = |want: Tv| each.iter().filter(|e| holds(e) == want).count() as u32;
        let (t, u) = (count(Tv::T), count(Tv::U));
        match q.kind {
            QKind::Every => Tv::all(each.iter().map(|(c, p)| c.not().or(*p))),
            QKind::Some => Tv::any(each.iter().map(holds)),
            QKind::No => Tv::any(each.iter().map(holds)).not(),
            QKind::AtLeast(n) => bound(t >= n, t + u < n),
            QKind::AtMost(n) => bound(t + u <= n, t > n),
            QKind::Exactly(n) => bound(t == n && u == 0, t > n || t + u < n),
        }
    }

    fn must(&mut self, m: &'a Must) -> Tv {
        let neg = |t: Tv| if m.negated { t.not() } else { t };
        match &m.subject {
            MustSubject::One(e) => {
                let v = self.value(e);
                let t = self.must_value(&m.pred, v);
                neg(t)
            }
            MustSubject::Each(l) => match self.list(l) {
                None => Tv::U,
                Some(items) => {
                    let mut all = Vec::new();
                    for (member, v) in items {
                        let t = self.must_value(&m.pred, v);
                        all.push(member.not().or(neg(t)));
                    }
                    Tv::all(all)
                }
            },
            MustSubject::Records(s) => match self.src(s) {
                None => Tv::U,
                Some(items) => {
                    let mut all = Vec::new();
                    for (member, r) in items {
                        let t = self.must_record(&m.pred, r);
                        all.push(member.not().or(neg(t)));
                    }
                    Tv::all(all)
                }
            },
        }
    }

    fn must_value(&mut self, pred: &'a MustPred, v: V) -> Tv {
        match pred {
            MustPred::Be(e) => {
                let w = self.value(e);
                compare(COp::Eq, &v, &w, &mut self.tags)
            }
            MustPred::BeCmp(op, e) => {
                let w = self.value(e);
                compare(*op, &v, &w, &mut self.tags)
            }
            MustPred::BeList(l) | MustPred::BeIn(l) | MustPred::BeOneOf(l) => {
                if matches!(pred, MustPred::BeList(l) if reads_deal(l, self.lets)) {
                    self.tags.add(Pending::MustBeListPhrase);
                }
                let list = self.list(l);
                self.member(&v, &list)
            }
            _ => unreachable!("`have` and `stay` take records"),
        }
    }

    /// `have F`; `stay in L`: the item's `location` and every entry of its `transfers`.
    fn must_record(&mut self, pred: &'a MustPred, r: &'a Value) -> Tv {
        match pred {
            MustPred::Have(f) => match from_deal(r.get(f.key), Ty::Bool) {
                V::Bool(b) => Tv::of(b),
                _ => Tv::U,
            },
            MustPred::StayIn(l) | MustPred::Stay(l) => {
                let list = self.list(l);
                let location = from_deal(r.get("location"), Ty::Str);
                let mut all = vec![self.member(&location, &list)];
                for to in transfers(r) {
                    all.push(self.member(&to, &list));
                }
                Tv::all(all)
            }
            _ => unreachable!("records take `have` and `stay`"),
        }
    }

    pub(super) fn lit(&self, l: &Lit) -> V {
        match l {
            Lit::Num(q) => num(Unit::Num, *q),
            Lit::Pct(q) => num(Unit::Pct, *q),
            Lit::Money(c, q) => num(Unit::Money(Some(c.to_string())), *q),
            Lit::Str(s) => V::Str {
                s: s.clone(),
                from_policy: true,
            },
            Lit::Bool(b) => V::Bool(*b),
            Lit::Date(d) => V::Date(d.clone()),
        }
    }

    pub(super) fn value(&mut self, e: &'a Expr) -> V {
        match e {
            Expr::Lit(l) => self.lit(l),
            Expr::Root(f) => {
                let mut v = Some(self.deal);
                for step in f.key.split('.') {
                    v = v.and_then(|v| v.get(step));
                }
                from_deal(v, f.ty)
            }
            Expr::Item(up, f) => match self.env[self.env.len() - 1 - up] {
                Item::Rec(r) => from_deal(r.get(f.key), f.ty),
                Item::Waiver(_) => unreachable!("a waiver has no fields"),
            },
            Expr::WaiverItem => match self.env.last() {
                Some(Item::Waiver(w)) => V::Str {
                    s: w.to_string(),
                    from_policy: false,
                },
                _ => unreachable!("`waiver` outside a quantifier over waivers"),
            },
            Expr::LetScalar(i) => match &self.lets[*i].def {
                LetDef::Scalar(e, _, _) => self.at_root(|ev| ev.value(e)),
                _ => unreachable!("a scalar let"),
            },
            Expr::Agg(a, l) => self.aggregate(*a, l),
            Expr::CountRecords(s) => match self.src(s) {
                Some(items) if items.iter().all(|(m, _)| *m == Tv::T) => {
                    num(Unit::Num, Q::from_integer(items.len() as i128))
                }
                _ => V::Unknown,
            },
            Expr::CountValues(l) => match self.list(l) {
                Some(items)
                    if items
                        .iter()
                        .all(|(m, v)| *m == Tv::T && !matches!(v, V::Unknown)) =>
                {
                    num(Unit::Num, Q::from_integer(items.len() as i128))
                }
                _ => V::Unknown,
            },
            Expr::Arith(op, a, b) => {
                let (a, b) = (self.value(a), self.value(b));
                arith(*op, &a, &b, &mut self.tags)
            }
            _ => match self.truth(e) {
                Tv::T => V::Bool(true),
                Tv::F => V::Bool(false),
                Tv::U => V::Unknown,
            },
        }
    }

    /// Definitions are resolved in the deal's root scope (§2.2).
    pub(super) fn at_root<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = std::mem::take(&mut self.env);
        let out = f(self);
        self.env = saved;
        out
    }
}

fn bound(yes: bool, no: bool) -> Tv {
    if yes {
        Tv::T
    } else if no {
        Tv::F
    } else {
        Tv::U
    }
}

/// A data item's `transfers`, empty when absent (§1).
pub(super) fn transfers(r: &Value) -> Vec<V> {
    match r.get("transfers") {
        Some(Value::Array(items)) => items.iter().map(|v| from_deal(Some(v), Ty::Str)).collect(),
        _ => Vec::new(),
    }
}
