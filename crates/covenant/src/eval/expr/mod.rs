//! Expression evaluation: values, Kleene truth with evidence, quantifiers and implicit each.

use std::cell::RefCell;
use std::rc::Rc;

use crate::deal::tree::Deal;
use crate::resolve::ir::{Base, Expr, ExprKind as K, Step};
use crate::resolve::Policy;
use crate::value::Scalar;

use super::evidence::Locator;
use super::near_miss::NearMisses;
use super::note::{Internal, Reason};
use super::shown::Op;
use super::value::{unknown, why, Elem, Origin, OriginSpan, Val, Why};

mod aggregate;
mod arith;
mod collect;
mod compare;
mod convert;
mod cover;
mod dates;
mod define;
mod derive;
mod each;
pub(crate) mod entities;
pub(crate) mod fact;
mod hoist;
mod judgement;
mod look;
mod members;
mod operand;
mod path;
mod per;
mod presence;
mod quant;
mod table;

/// Work counters for tests.
#[cfg(test)]
pub(crate) mod probes;

pub use aggregate::aggregate;
pub use collect::{Collect, Facts, QuantElement, Quick, Record, Tracing, WithEvidence};
pub(crate) use compare::{numbers_test, scalar_test};
pub use fact::{Against, Fact, More, TestFact, Tv};
use judgement::Listed;
pub use judgement::{and, or, Judgement};
pub(crate) use quant::count_tv;

/// Evaluation of one deal: the deal, the policy, the `let` cache and the item stack. What a
/// truth value is judged with (truth only, evidence, a trace) is the type parameter of
/// [`Evaluator::truth`]; values are the same in every mode.
pub struct Evaluator<'d> {
    pub policy: &'d Policy,
    pub deal: &'d Deal,
    /// The values kept for the deal: of the definitions, the root's fields and the hoisted
    /// expressions ([`Slots`]).
    slots: Slots<'d>,
    /// The items of the enclosing quantifiers and filters, innermost last; those below
    /// `floor` belong to an outer scope and are out of sight (a definition being computed).
    items: Vec<Val<'d>>,
    floor: usize,
    /// The values of item definitions (SPEC §8) computed so far, by definition and record.
    defined: crate::lookup::FastMap<(usize, usize), Val<'d>>,
    /// The policy has item definitions: paths may read one.
    has_defines: bool,
    /// Indexes of long lists kept for the deal, for membership tests.
    members: crate::lookup::FastMap<members::Kept, Rc<members::Members>>,
    /// Lines and columns of evidence, counted on from one value to the next.
    pub(crate) locator: Locator<'d>,
    /// Deal strings met that nearly match a policy literal (SPEC §2.6): deal warnings.
    pub(crate) near_misses: RefCell<NearMisses>,
    /// The deal's entities and ownership graph, built on first use (SPEC §7). Boxed when
    /// first used: most evaluators never read them, and in place they would more than double
    /// the size of every evaluator made and moved (352 bytes without them).
    ownership: std::cell::OnceCell<Box<entities::Ownership<'d>>>,
    /// The evaluation date of the rule being evaluated (SPEC §3.1, §9): `--as-of` when given,
    /// else the date its window tests; None when that date is unknown. Set by
    /// [`crate::eval::rule_outcome`] before each rule; the phrase `evaluation date`, waivers
    /// and conversions read it.
    pub(crate) evaluation_date: Option<jiff::civil::Date>,
    /// Why the evaluation date is unknown, when it is: the field of the rule's date (SPEC §9).
    pub(crate) evaluation_date_why: Option<Rc<Why>>,
    /// The deal's approvals (SPEC §10), read on first use.
    pub(crate) approvals: std::cell::OnceCell<Rc<Vec<super::approvals::read::Approval<'d>>>>,
    /// While a party-scoped approval is tried (SPEC §10): the entities it names.
    cover: Option<Rc<cover::Cover>>,
    /// The next condition met is where a truer test makes the requirement truer.
    cover_here: bool,
    /// The list of the universal test that counts the covered elements as meeting it.
    cover_site: Option<usize>,
    #[cfg(test)]
    hoist_probes: usize,
}

/// The values an evaluator keeps for its deal, in one allocation (an evaluator is made for
/// most deals with a failing rule): first the definitions' (`let`, by index), then the deal
/// root's fields' (by field: many rules read `parties`), then the hoistable expressions' (see
/// [`Expr::hoist`]: met inside a quantifier or filter body, the same for every element, so
/// computed once per deal). None until computed.
struct Slots<'d> {
    values: Vec<Option<Val<'d>>>,
    /// Where the root's fields start.
    roots: usize,
    /// Where the hoisted values start.
    hoisted: usize,
}

impl<'d> Slots<'d> {
    fn new(lets: usize, roots: usize, hoisted: usize) -> Self {
        let total = lets.saturating_add(roots).saturating_add(hoisted);
        Slots {
            values: std::iter::repeat_with(|| None).take(total).collect(),
            roots: lets,
            hoisted: lets.saturating_add(roots),
        }
    }

    fn lets(&self) -> &[Option<Val<'d>>] {
        self.values.get(..self.roots).unwrap_or_default()
    }

    fn lets_mut(&mut self) -> &mut [Option<Val<'d>>] {
        self.values.get_mut(..self.roots).unwrap_or_default()
    }

    fn roots(&self) -> &[Option<Val<'d>>] {
        self.values
            .get(self.roots..self.hoisted)
            .unwrap_or_default()
    }

    fn roots_mut(&mut self) -> &mut [Option<Val<'d>>] {
        self.values
            .get_mut(self.roots..self.hoisted)
            .unwrap_or_default()
    }

    fn hoisted(&self) -> &[Option<Val<'d>>] {
        self.values.get(self.hoisted..).unwrap_or_default()
    }

    fn hoisted_mut(&mut self) -> &mut [Option<Val<'d>>] {
        self.values.get_mut(self.hoisted..).unwrap_or_default()
    }
}

impl<'d> Evaluator<'d> {
    pub fn new(policy: &'d Policy, deal: &'d Deal) -> Self {
        Evaluator {
            policy,
            deal,
            slots: Slots::new(
                policy.defs.len(),
                policy.schema.root().fields.len(),
                policy.hoist_slots,
            ),
            items: Vec::new(),
            floor: 0,
            defined: crate::lookup::FastMap::default(),
            has_defines: policy.defs.iter().any(|d| d.item.is_some()),
            members: crate::lookup::FastMap::default(),
            locator: Locator::new(deal),
            near_misses: RefCell::new(NearMisses::default()),
            ownership: std::cell::OnceCell::new(),
            evaluation_date: None,
            evaluation_date_why: None,
            approvals: std::cell::OnceCell::new(),
            cover: None,
            cover_here: false,
            cover_site: None,
            #[cfg(test)]
            hoist_probes: 0,
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
                span: OriginSpan::of(Some(self.deal.root_span)),
                item: None,
                field: None,
                parent: None,
            },
        )
    }

    /// Compute and keep the deal root's field of `step`, unless it is kept already.
    fn cache_root_field(&mut self, step: &Step) {
        if let Some(None) = self.slots.roots().get(step.field) {
            let v = self.step(&self.root(), step);
            if let Some(slot) = self.slots.roots_mut().get_mut(step.field) {
                *slot = Some(v);
            }
        }
    }

    fn root_field(&mut self, step: &Step) -> Val<'d> {
        self.cache_root_field(step);
        match self.slots.roots().get(step.field) {
            Some(Some(v)) => v.clone(),
            _ => self.step(&self.root(), step),
        }
    }

    /// Compute and keep definition `index`, unless it is kept already.
    fn cache_let(&mut self, index: usize) {
        if let Some(None) = self.slots.lets().get(index) {
            let v = self.compute_let(index);
            if let Some(slot) = self.slots.lets_mut().get_mut(index) {
                *slot = Some(v);
            }
        }
    }

    fn let_value(&mut self, index: usize) -> Val<'d> {
        self.cache_let(index);
        match self.slots.lets().get(index) {
            Some(Some(v)) => v.clone(),
            _ => self.compute_let(index),
        }
    }

    fn compute_let(&mut self, index: usize) -> Val<'d> {
        let policy = self.policy;
        let Some(def) = policy.defs.get(index) else {
            return unknown(why(Reason::Internal(Internal::UnknownDefinition)));
        };
        // A definition is computed in the root scope: no enclosing item is in sight.
        let floor = std::mem::replace(&mut self.floor, self.items.len());
        let v = self.value(&def.value);
        self.floor = floor;
        v
    }

    /// The elements of the list written `of`, for [`Fact::More`]: within the innermost
    /// enclosing element, if any.
    fn listed(&self, of: &Expr) -> Listed<'d> {
        let within = match self.item(0) {
            Some(Val::Record(_, o) | Val::Scalar(_, o)) => o.item,
            _ => None,
        };
        Listed {
            of: of.text.clone(),
            within,
        }
    }

    /// Item `d` of the scope (0 is the innermost).
    fn item(&self, d: usize) -> Option<&Val<'d>> {
        let n = self.items.len();
        n.checked_sub(d + 1)
            .filter(|&i| i >= self.floor)
            .and_then(|i| self.items.get(i))
    }

    /// The value of an expression.
    pub fn value(&mut self, e: &Expr) -> Val<'d> {
        match e.hoist {
            Some(slot) if self.in_body() => self.hoisted_value(slot, e),
            _ => self.compute(e),
        }
    }

    /// Whether an enclosing quantifier or filter has an item in sight.
    fn in_body(&self) -> bool {
        self.items.len() > self.floor
    }

    pub(super) fn compute(&mut self, e: &Expr) -> Val<'d> {
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
                .item(0)
                .cloned()
                .unwrap_or_else(|| unknown(why(Reason::Internal(Internal::NoCurrentItem)))),
            K::Path { base, steps } if self.reads_define(steps) => {
                self.path_with_defines(base, steps)
            }
            K::Path { base, steps } => self.path(base, steps),
            K::Project { list, steps } => {
                let v = self.value(list);
                self.steps_from(v, steps)
            }
            K::Filter { list, cond } => self.filter(list, cond),
            K::Aggregate { kind, arg } => {
                if let Some(v) = self.total_in_place(*kind, arg, &e.ty) {
                    return v;
                }
                let v = self.value(arg);
                aggregate(*kind, &v, &e.ty)
            }
            K::Arith { first, rest } => self.arith_chain(first, rest),
            K::LookThrough(l) => self.look_through(l),
            K::Per(p) => self.per(p),
            K::DateShift(d) => self.date_shift(d),
            K::DaysBetween { later, earlier } => self.days_between(later, earlier),
            K::YearOf(arg) => self.year_of(arg),
            K::EvaluationDate => self.evaluation_date_value(),
            K::Table(t) => self.table(t),
            K::Convert(c) => self.convert(c),
            _ => {
                let j = self.truth::<Quick>(e);
                match j.tv {
                    Tv::True => Val::Scalar(Scalar::Bool(true), Origin::default()),
                    Tv::False => Val::Scalar(Scalar::Bool(false), Origin::default()),
                    Tv::Unknown => unknown(why(Reason::IsUnknown(e.text.clone()))),
                }
            }
        }
    }

    /// The value of a path: its base, then each step.
    fn path(&mut self, base: &Base, steps: &[Step]) -> Val<'d> {
        let mut steps = steps.iter();
        let Some(first) = steps.next() else {
            return match base {
                Base::Root => self.root(),
                Base::Item(d) => self
                    .item(*d)
                    .cloned()
                    .unwrap_or_else(|| unknown(why(Reason::Internal(Internal::ItemOutOfScope)))),
                Base::Let(i) => self.let_value(*i),
            };
        };
        let mut v = self.first_step(base, first, steps.next());
        for s in steps {
            v = self.step(&v, s);
        }
        v
    }

    fn filter(&mut self, list: &Expr, cond: &Expr) -> Val<'d> {
        let v = self.value(list);
        let Val::List(elems, span) = v else {
            return v;
        };
        let mut out = Vec::with_capacity(elems.len());
        for e in elems.iter() {
            self.items.push(e.val.clone());
            let j = self.truth::<Quick>(cond);
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
        Val::List(Rc::new(out), span)
    }

    /// Why a condition was unknown for an element: re-evaluated with facts.
    fn unknown_reason(&mut self, cond: &Expr, item: &Val<'d>) -> Why {
        self.items.push(item.clone());
        let j = self.truth::<WithEvidence>(cond);
        self.items.pop();
        let first = j.facts.into_iter().find_map(|f| match f {
            Fact::Unknown(w) => Some((*w).clone()),
            _ => None,
        });
        first.unwrap_or_else(|| why(Reason::IsUnknown(cond.text.clone())))
    }

    /// The truth of a condition, with what the mode `C` collects.
    pub fn truth<C: Collect>(&mut self, e: &Expr) -> Judgement<'d, C> {
        // Only `and`, `or` and the body of `every` pass on a covering place (see `cover`).
        let covering = std::mem::take(&mut self.cover_here);
        if covering {
            self.mark_cover_site(e);
        }
        match &e.kind {
            K::And(terms) => self.chain(terms, Tv::False, and, covering),
            K::Or(terms) => self.chain(terms, Tv::True, or, covering),
            K::Not(a) => self.truth::<C>(a).negated(),
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
            } => self.must(subject, *negated, pred, *each),
            K::Path { steps, .. } if self.reads_define(steps) => match self.define_truth(e) {
                Some(j) => j,
                None => {
                    let v = self.value(e);
                    self.bool_of(e, &v)
                }
            },
            K::Presence {
                base,
                steps,
                missing,
                each,
            } => self.presence(e, base, steps, *missing, *each),
            K::Table(t) => self.table_truth::<C>(t),
            _ => {
                if !C::FACTS {
                    if let Some(tv) = self.bool_in_place(e) {
                        return Judgement::of(tv);
                    }
                }
                let v = self.value(e);
                let mut j = self.bool_of(e, &v);
                if C::FACTS {
                    // A definition bound to a yes/no table: the row that gave it.
                    self.table_parts::<C>(e, &mut j.facts);
                }
                j
            }
        }
    }

    /// A chain of `and` (or `or`), combined left to right with `join`: without facts, the
    /// first operand that is `decides` ends it. `covering`: each operand is met where a
    /// party-scoped approval covers (see `cover`).
    fn chain<C: Collect>(
        &mut self,
        terms: &[Expr],
        decides: Tv,
        join: fn(Judgement<'d, C>, Judgement<'d, C>) -> Judgement<'d, C>,
        covering: bool,
    ) -> Judgement<'d, C> {
        let mut terms = terms.iter();
        let Some(first) = terms.next() else {
            return Judgement::of(decides.negate());
        };
        self.cover_here = covering;
        let mut acc = self.truth(first);
        for t in terms {
            if acc.tv == decides && !C::FACTS {
                return acc;
            }
            self.cover_here = covering;
            let next = self.truth(t);
            acc = join(acc, next);
        }
        acc
    }

    fn bool_of<C: Collect>(&self, e: &Expr, v: &Val<'d>) -> Judgement<'d, C> {
        match v {
            Val::Scalar(s, _) if truth_of(s) != Tv::Unknown => {
                let tv = truth_of(s);
                let mut j: Judgement<'d, C> = Judgement::of(tv);
                j.facts.push(|| {
                    Fact::Test(Box::new(TestFact {
                        subject: e.text.clone(),
                        value: v.clone(),
                        op: Op::Is,
                        bound: Against::True,
                        held: tv == Tv::True,
                    }))
                });
                j
            }
            Val::Unknown(w) => self.unknown_judgement(w.clone()),
            _ => self.unknown_judgement(Rc::new(why(Reason::NotTrueOrFalse(e.text.clone())))),
        }
    }

    pub(super) fn unknown_judgement<C: Collect>(&self, w: Rc<Why>) -> Judgement<'d, C> {
        let mut j: Judgement<'d, C> = Judgement::of(Tv::Unknown);
        j.facts.push(|| Fact::Unknown(w));
        j
    }
}

/// A scalar as a condition: a yes/no value is its truth; any other value is not true or false.
pub(crate) fn truth_of(s: &Scalar) -> Tv {
    match s {
        Scalar::Bool(true) => Tv::True,
        Scalar::Bool(false) => Tv::False,
        _ => Tv::Unknown,
    }
}
