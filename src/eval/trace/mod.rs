//! Evaluation traces for `covenant explain`: every sub-expression with its value, the elements
//! a quantifier visited and the one that decided it. Facts only: `report::explain` writes them.

mod listing;
mod quant;

use std::sync::Arc;

use jiff::civil::Date;

use crate::deal::tree::Deal;
use crate::number::Exact;
use crate::resolve::ir::{Each, Expr, ExprKind as K, Rule, Window};
use crate::resolve::Policy;
use crate::schema::Type;
use crate::syntax::ast::Severity;
use crate::value::Scalar;

use super::evidence;
use super::expr::{Evaluator, Tv};
use super::note::{Note, Reason, Vacuous};
use super::outcome::{Evidence, Message, Outcome};
use super::shown::{Element, Shown};
use super::value::Val;
use listing::Listing;

/// One node of a trace: an expression (or an element, or the window) and what it evaluated
/// to. Facts only: `report::explain` writes the words.
#[derive(Debug, Clone)]
pub struct TraceNode {
    pub label: Label,
    pub value: TraceValue,
    /// Why: the evidence of the facts that decided it, a list that held vacuously…
    pub notes: Vec<TraceNote>,
    pub children: Vec<TraceNode>,
    /// Elements of a long list not listed in `children` (a note says what they were).
    pub more: usize,
}

/// What a trace node is about.
#[derive(Debug, Clone)]
pub enum Label {
    /// The expression written so.
    Expr(Arc<str>),
    /// The rule's effective window.
    Window(Window),
    /// An element of a list (None: a value that belongs to no element).
    Element(Option<Element>),
    /// A scalar element of a list, with its value.
    ElementValue(Option<Element>, Shown),
}

/// What a trace node evaluated to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceValue {
    Truth(Tv),
    Value(Shown),
    /// A record, named by its element.
    Record(Option<Element>),
    /// The total of an empty list of money, whose currency nothing gave (SPEC §2.6).
    EmptyTotal,
    /// A list of records: the first [`RECORDS_NAMED`] of them, and how many there are.
    Records {
        first: Vec<Option<Element>>,
        count: usize,
    },
    /// An element of a quantifier that is not a member (its filter is false).
    Skipped,
    /// An element of a list value (not listed) that may or may not belong to it.
    MayBelong,
    /// An element that may be a member (its filter is unknown), and its body's truth.
    MaybeMember(Tv),
}

/// The records a list value names.
pub const RECORDS_NAMED: usize = 8;

/// A note on a trace node.
#[derive(Debug, Clone)]
pub enum TraceNote {
    /// The evidence of a fact, with its place in the deal.
    Evidence(Evidence),
    /// Why the node's value is unknown.
    Unknown {
        reason: Reason,
        element: Option<Element>,
    },
    /// An element of a list value that may or may not belong to it.
    MayBelong {
        element: Option<Element>,
        reason: Reason,
    },
    EmptyList,
    Vacuous(Vacuous),
    /// No element of a `some` or `no` is a member.
    NoneMatches(Arc<str>),
    /// The element that decided a quantifier.
    DecidedBy(Option<Element>),
    /// Why a quantifier's list is unknown.
    Reason(Reason),
    /// How many elements of the list written `of` are not listed, by their values in the
    /// order first met.
    Unlisted {
        count: usize,
        of: Arc<str>,
        values: Vec<(TraceValue, usize)>,
    },
    /// A window, and no evaluation date.
    NoDate,
    /// A window, and whether the evaluation date is inside it.
    Date {
        on: Date,
        inside: bool,
    },
}

/// The explanation of one rule on one deal.
#[derive(Debug, Clone)]
pub struct RuleTrace {
    pub id: String,
    pub severity: Severity,
    pub outcome: Outcome,
    pub exemption: Option<String>,
    pub message: Message,
    /// The effective window and whether the evaluation date falls in it.
    pub window: Option<TraceNode>,
    pub when: Vec<TraceNode>,
    pub unless: Vec<TraceNode>,
    pub require: Vec<TraceNode>,
    pub evidence: Vec<Evidence>,
}

/// Explain every rule (or the one with `only` as id).
pub fn explain(
    policy: &Policy,
    deal: &Deal,
    as_of: Option<Date>,
    only: Option<&str>,
) -> Vec<RuleTrace> {
    let date = as_of.or_else(|| super::deal_date(policy, deal));
    let mut ev = Evaluator::new(policy, deal, true);
    policy
        .rules
        .iter()
        .filter(|r| only.is_none_or(|id| r.id == id))
        .map(|rule| explain_rule(&mut ev, rule, date, as_of.is_some()))
        .collect()
}

fn explain_rule(ev: &mut Evaluator<'_>, rule: &Rule, date: Option<Date>, as_of: bool) -> RuleTrace {
    let result = super::rule_outcome(ev, rule, date, as_of);
    let window = rule.window.map(|w| {
        let (value, note) = match date {
            None => (Tv::Unknown, TraceNote::NoDate),
            Some(d) if d < w.from || w.until.is_some_and(|u| d >= u) => (
                Tv::False,
                TraceNote::Date {
                    on: d,
                    inside: false,
                },
            ),
            Some(d) => (
                Tv::True,
                TraceNote::Date {
                    on: d,
                    inside: true,
                },
            ),
        };
        TraceNode {
            label: Label::Window(w),
            value: TraceValue::Truth(value),
            notes: vec![note],
            children: Vec::new(),
            more: 0,
        }
    });
    let require: Vec<TraceNode> = rule.require.iter().map(|c| trace(ev, c)).collect();
    // A pass by a clause that held vacuously says so, like `every` on an empty list does.
    let vacuous = require
        .iter()
        .flat_map(|t| t.notes.iter())
        .find_map(vacuous_note);
    let message = match vacuous {
        Some(v) if result.message == Message::Holds => Message::HoldsVacuously(v),
        _ => result.message.clone(),
    };
    RuleTrace {
        id: rule.id.clone(),
        severity: rule.severity,
        outcome: result.outcome,
        exemption: result.exempt.clone(),
        message,
        window,
        when: rule.when.iter().map(|c| trace(ev, c)).collect(),
        unless: rule.unless.iter().map(|c| trace(ev, c)).collect(),
        require,
        evidence: result.evidence,
    }
}

/// The vacuity a note reports, if it reports one.
fn vacuous_note(n: &TraceNote) -> Option<Vacuous> {
    match n {
        TraceNote::Vacuous(v)
        | TraceNote::Evidence(Evidence {
            note: Note::Vacuous(v),
            ..
        }) => Some(v.clone()),
        _ => None,
    }
}

/// The trace of a condition or value.
pub fn trace(ev: &mut Evaluator<'_>, e: &Expr) -> TraceNode {
    match &e.kind {
        K::And(terms) | K::Or(terms) => {
            let j = ev.truth(e);
            let children = terms.iter().map(|t| trace(ev, t)).collect();
            node(e, j.tv, Vec::new(), children)
        }
        K::Not(a) => {
            let j = ev.truth(e);
            node(e, j.tv, Vec::new(), vec![trace(ev, a)])
        }
        K::Quant {
            kind,
            list,
            cond,
            body,
            item_name,
        } => quant::quantifier(
            ev,
            e,
            *kind,
            list,
            cond.as_deref(),
            body.as_deref(),
            item_name,
        ),
        K::Must {
            subject,
            pred,
            each,
            ..
        } => {
            let j = ev.truth(e);
            let subject_val = ev.value(subject);
            let mut children = operands(ev, &[subject]);
            let mut listing = Listing::new();
            if *each {
                if let Val::List(elems, _) = &subject_val {
                    for el in elems.iter() {
                        ev.push_item(el.val.clone());
                        let tv = quietly(ev, |ev| ev.truth(pred).tv);
                        if listing.lists(tv != Tv::True) {
                            let mut t = trace(ev, pred);
                            t.label = match &el.val {
                                Val::Record(..) => Label::Element(element(ev, &el.val)),
                                v => Label::ElementValue(element(ev, v), Shown::of(v)),
                            };
                            children.push(t);
                        } else {
                            listing.skip(TraceValue::Truth(tv));
                        }
                        ev.pop_item();
                    }
                }
            }
            let mut notes = facts(ev, &j.facts);
            if *each && matches!(&subject_val, Val::List(l, _) if l.is_empty()) {
                let v = Vacuous::Empty(subject.text.clone());
                if !notes.iter().any(|n| says_vacuous(n, &v)) {
                    notes.push(TraceNote::Vacuous(v));
                }
            }
            let mut n = node(e, j.tv, notes, children);
            listing.finish(&mut n, &subject.text);
            n
        }
        K::Compare { lhs, rhs, each, .. } | K::Within { lhs, rhs, each, .. } => {
            let j = ev.truth(e);
            let mut notes = facts(ev, &j.facts);
            let side = match each {
                Each::None => None,
                Each::Left => Some(&**lhs),
                Each::Right => Some(&**rhs),
            };
            notes.extend(side.and_then(|s| vacuous(ev, s)));
            let children = operands(ev, &[lhs, rhs]);
            node(e, j.tv, notes, children)
        }
        K::In {
            elem, list, each, ..
        } => {
            let j = ev.truth(e);
            let mut notes = facts(ev, &j.facts);
            if *each != Each::None {
                notes.extend(vacuous(ev, elem));
            }
            let children = operands(ev, &[elem, list]);
            node(e, j.tv, notes, children)
        }
        _ if e.ty == crate::schema::Type::Bool => {
            let j = ev.truth(e);
            let notes = facts(ev, &j.facts);
            node(e, j.tv, notes, Vec::new())
        }
        _ => value_node(ev, e),
    }
}

/// Whether a note (the evidence of a fact not located in the deal) says `v`.
fn says_vacuous(n: &TraceNote, v: &Vacuous) -> bool {
    match n {
        TraceNote::Vacuous(x) => x == v,
        TraceNote::Evidence(e) => e.location.is_none() && e.note == Note::Vacuous(v.clone()),
        _ => false,
    }
}

/// SPEC §2.4: an implicit each over an empty list holds vacuously, and `explain` says so.
fn vacuous(ev: &mut Evaluator<'_>, side: &Expr) -> Option<TraceNote> {
    matches!(ev.value(side), Val::List(l, _) if l.is_empty())
        .then(|| TraceNote::Vacuous(Vacuous::Empty(side.text.clone())))
}

fn node(e: &Expr, tv: Tv, notes: Vec<TraceNote>, children: Vec<TraceNode>) -> TraceNode {
    TraceNode {
        label: Label::Expr(e.text.clone()),
        value: TraceValue::Truth(tv),
        notes,
        children,
        more: 0,
    }
}

/// The evidence of `facts`, located with the evaluator's locator, kept from one to the next
/// (a fresh one would count lines from the start of the deal for every element).
fn facts(ev: &mut Evaluator<'_>, facts: &[super::expr::Fact]) -> Vec<TraceNote> {
    evidence::evidence_at(&ev.policy.schema, &mut ev.locator, facts, None)
        .into_iter()
        .map(TraceNote::Evidence)
        .collect()
}

/// `f` on the evaluator without collecting facts: a truth value, quickly.
fn quietly<T>(ev: &mut Evaluator<'_>, f: impl FnOnce(&mut Evaluator<'_>) -> T) -> T {
    let collect = std::mem::replace(&mut ev.collect, false);
    let out = f(ev);
    ev.collect = collect;
    out
}

/// The element a value belongs to.
fn element(ev: &Evaluator<'_>, v: &Val<'_>) -> Option<Element> {
    match v {
        Val::Record(_, o) | Val::Scalar(_, o) => o.item.map(|i| Element::of(&ev.policy.schema, &i)),
        _ => None,
    }
}

/// A value expression: its value, and for a computed one (a total, a filter) its parts.
fn value_node(ev: &mut Evaluator<'_>, e: &Expr) -> TraceNode {
    let v = ev.value(e);
    let mut notes = Vec::new();
    if let Val::Unknown(w) = &v {
        notes.push(TraceNote::Unknown {
            reason: w.reason.clone(),
            element: w.element.clone(),
        });
    }
    let mut children = Vec::new();
    match &e.kind {
        K::Aggregate { arg, .. } | K::Filter { list: arg, .. } => {
            children.push(value_node(ev, arg))
        }
        K::Arith { first, rest } => {
            let terms: Vec<&Expr> = std::iter::once(first.as_ref())
                .chain(rest.iter().map(|(_, t)| t))
                .collect();
            children.extend(operands(ev, &terms));
        }
        _ => {}
    }
    let mut listing = Listing::new();
    if let Val::List(elems, _) = &v {
        for el in elems.iter() {
            let Some(w) = &el.maybe else { continue };
            if listing.lists(false) {
                notes.push(TraceNote::MayBelong {
                    element: element(ev, &el.val),
                    reason: w.reason.clone(),
                });
            } else {
                listing.skip(TraceValue::MayBelong);
            }
        }
        if elems.is_empty() {
            notes.push(TraceNote::EmptyList);
        }
    }
    let mut n = TraceNode {
        label: Label::Expr(e.text.clone()),
        value: show(ev, &v, &e.ty),
        notes,
        children,
        more: 0,
    };
    listing.finish(&mut n, &e.text);
    n
}

/// A value for explanations: records by their element; the total of an empty list, a zero of
/// the unit the type checker gives it, or of the currency it meets (SPEC §2.6).
fn show(ev: &Evaluator<'_>, v: &Val<'_>, ty: &Type) -> TraceValue {
    match v {
        Val::Record(..) => TraceValue::Record(element(ev, v)),
        Val::Zero => match ty {
            Type::Percent => TraceValue::Value(Shown::Scalar(Scalar::Percent(Exact::ZERO))),
            Type::Number => TraceValue::Value(Shown::Scalar(Scalar::Number(Exact::ZERO))),
            _ => TraceValue::EmptyTotal,
        },
        Val::List(elems, _) if elems.iter().any(|e| matches!(e.val, Val::Record(..))) => {
            TraceValue::Records {
                first: elems
                    .iter()
                    .take(RECORDS_NAMED)
                    .map(|e| element(ev, &e.val))
                    .collect(),
                count: elems.len(),
            }
        }
        v => TraceValue::Value(Shown::of(v)),
    }
}

/// Children worth showing: constants are already in the expression text.
fn operands(ev: &mut Evaluator<'_>, exprs: &[&Expr]) -> Vec<TraceNode> {
    exprs
        .iter()
        .filter(|e| !matches!(e.kind, K::Const(_)))
        .map(|e| value_node(ev, e))
        .collect()
}
