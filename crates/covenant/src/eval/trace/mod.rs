//! Evaluation traces for `covenant explain`: every sub-expression with its value, the elements
//! a quantifier visited and the one that decided it. Facts only: `report::explain` writes them.

mod listing;
mod quant;
#[cfg(test)]
mod tests;

use std::sync::Arc;

use jiff::civil::Date;

use crate::deal::tree::Deal;
use crate::number::Exact;
use crate::resolve::ir::{Each, Expr, ExprKind as K, Rule, Window};
use crate::resolve::Policy;
use crate::schema::Type;
use crate::syntax::ast::{Severity, Status};
use crate::value::Scalar;

use super::evidence;
use super::expr::{Evaluator, Fact, Facts, Record, Tracing, Tv, WithEvidence};
use super::note::{Note, Reason, Vacuous};
use super::outcome::{Evidence, Message, Outcome, Waiver};
use super::shown::{Element, Shown};
use super::value::Val;
use super::InWindow;
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
    /// The rule's effective window, and its `on D` as written (SPEC §9).
    Window(Window, Option<Arc<str>>),
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
    Evidence(Box<Evidence>),
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
    /// A window, and no evaluation date: the deal lacks the field the window tests.
    NoDate {
        field: Arc<str>,
    },
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
    /// The rule's legal status, and whether its result counts (SPEC §12, §14).
    pub status: Status,
    pub counted: bool,
    pub outcome: Outcome,
    pub exemption: Option<String>,
    /// The approval that exempted the rule (SPEC §10).
    pub waiver: Option<Box<Waiver>>,
    pub message: Message,
    /// The effective window and whether the evaluation date falls in it.
    pub window: Option<TraceNode>,
    pub when: Vec<TraceNode>,
    pub unless: Vec<TraceNode>,
    pub require: Vec<TraceNode>,
    pub evidence: Vec<Evidence>,
    /// The rule's sources (SPEC §12).
    pub cites: Vec<crate::resolve::ir::Citation>,
}

/// Explain every rule (or the one with `only` as id); `proposed` and `reported` rules do not
/// count (SPEC §12).
pub fn explain(
    policy: &Policy,
    deal: &Deal,
    as_of: Option<Date>,
    only: Option<&str>,
) -> Vec<RuleTrace> {
    explain_with(policy, deal, as_of, only, false)
}

/// [`explain`], counting `proposed` and `reported` rules when `include_proposed`. Each rule's
/// outcome is the one `check` gives, after precedence (SPEC §14): an overridden rule says
/// so, its clauses still traced.
pub fn explain_with(
    policy: &Policy,
    deal: &Deal,
    as_of: Option<Date>,
    only: Option<&str>,
    include_proposed: bool,
) -> Vec<RuleTrace> {
    let (results, _) = super::evaluate_with_warnings(policy, deal, as_of, include_proposed);
    let mut ev = Evaluator::new(policy, deal);
    results
        .into_iter()
        .filter_map(|r| Some((policy.rules.get(r.rule)?, r)))
        .filter(|(rule, _)| only.is_none_or(|id| rule.id == id))
        .map(|(rule, counted)| explain_rule(&mut ev, rule, counted, as_of))
        .collect()
}

/// One rule's trace; `counted` is its result in the deal's evaluation, which decides the
/// outcome shown when precedence changed it.
fn explain_rule(
    ev: &mut Evaluator<'_>,
    rule: &Rule,
    counted: super::outcome::RuleResult,
    as_of: Option<Date>,
) -> RuleTrace {
    // Evaluated again with every fact kept (this also sets the evaluator's evaluation date
    // for the traces below); precedence may have changed the outcome since.
    let own = super::rule_result::<WithEvidence, _>(ev, None, rule, as_of);
    let date = ev.evaluation_date;
    let unknown = ev.evaluation_date_why.clone();
    let counts = counted.counted;
    let result = if counted.overridden_by().is_some()
        || matches!(counted.message, Message::MayBeOverridden(_))
    {
        counted
    } else {
        own
    };
    let window = rule.window.map(|w| {
        let (value, note) = match (super::in_window(w, date), unknown.as_deref()) {
            (InWindow::NoDate, why) => (Tv::Unknown, window_note(why)),
            (InWindow::Outside(on), _) => (Tv::False, TraceNote::Date { on, inside: false }),
            (InWindow::Inside(on), _) => (Tv::True, TraceNote::Date { on, inside: true }),
        };
        let mut notes = vec![note];
        // A computed date shows how it was computed (not read under --as-of).
        if let (Some(on), None) = (&rule.on, as_of) {
            let computed = ev.date_facts(on);
            notes.extend(facts(ev, &computed));
        }
        TraceNode {
            label: Label::Window(w, rule.on.as_ref().map(|e| e.text.clone())),
            value: TraceValue::Truth(value),
            notes,
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
        status: rule.status,
        counted: counts,
        outcome: result.outcome,
        exemption: result.exempt.as_deref().map(str::to_string),
        waiver: result.waiver().cloned().map(Box::new),
        message,
        window,
        when: rule.when.iter().map(|c| trace(ev, c)).collect(),
        unless: rule.unless.iter().map(|c| trace(ev, c)).collect(),
        require,
        evidence: result.evidence,
        cites: rule.cites.clone(),
    }
}

/// Why a window has no evaluation date: the field it tests is missing, or the date it computes
/// is unknown.
fn window_note(why: Option<&super::value::Why>) -> TraceNote {
    match why.map(|w| (&w.reason, w)) {
        Some((Reason::Missing { field } | Reason::Null { field }, _)) => TraceNote::NoDate {
            field: field.clone(),
        },
        Some((reason, w)) => TraceNote::Unknown {
            reason: reason.clone(),
            element: w.element.clone(),
        },
        None => TraceNote::NoDate {
            field: "date".into(),
        },
    }
}

/// The vacuity a note reports, if it reports one.
fn vacuous_note(n: &TraceNote) -> Option<Vacuous> {
    match n {
        TraceNote::Vacuous(v) => Some(v.clone()),
        TraceNote::Evidence(e) => match &e.note {
            Note::Vacuous(v) => Some(v.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// The trace of a condition or value.
pub fn trace(ev: &mut Evaluator<'_>, e: &Expr) -> TraceNode {
    match &e.kind {
        K::And(terms) | K::Or(terms) => {
            let j = ev.truth::<Tracing>(e);
            let children = terms.iter().map(|t| trace(ev, t)).collect();
            node(e, j.tv, Vec::new(), children)
        }
        K::Not(a) => {
            let j = ev.truth::<Tracing>(e);
            node(e, j.tv, Vec::new(), vec![trace(ev, a)])
        }
        K::Quant {
            kind,
            list,
            cond,
            body,
            item_name,
        } => {
            let q = quant::Quant {
                kind: *kind,
                list,
                cond: cond.as_deref(),
                body: body.as_deref(),
                item_name,
            };
            quant::quantifier(ev, e, q)
        }
        K::Must {
            subject,
            pred,
            negated,
            ..
        } => must(ev, e, subject, pred, *negated),
        K::Compare { lhs, rhs, each, .. } | K::Within { lhs, rhs, each, .. } => {
            let side = match each {
                Each::None => None,
                Each::Left => Some(&**lhs),
                Each::Right => Some(&**rhs),
            };
            test(ev, e, side, &[lhs, rhs])
        }
        K::In {
            elem, list, each, ..
        } => {
            let side = (*each != Each::None).then_some(&**elem);
            test(ev, e, side, &[elem, list])
        }
        _ if e.ty == crate::schema::Type::Bool => {
            let j = ev.truth::<Tracing>(e);
            let notes = facts(ev, j.facts.as_slice());
            node(e, j.tv, notes, Vec::new())
        }
        _ => value_node(ev, e),
    }
}

/// A comparison, membership or tolerance test, with an implicit each over `side` if any: the
/// evidence of its facts, and its operands' values. SPEC §2.4: an implicit each over an empty
/// list holds vacuously, and `explain` says so.
fn test(ev: &mut Evaluator<'_>, e: &Expr, side: Option<&Expr>, of: &[&Expr]) -> TraceNode {
    let mut j = ev.truth::<Tracing>(e);
    let mut notes = facts(ev, j.facts.as_slice());
    if let (Some(side), Some(Record::Each(elements))) = (side, j.facts.take_record()) {
        if elements.is_empty() {
            notes.push(TraceNote::Vacuous(Vacuous::Empty(side.text.clone())));
        }
    }
    let children = operands(ev, of);
    node(e, j.tv, notes, children)
}

/// `subject must [not] pred`: the subject's value and, for a list, its elements as the
/// evaluator judged them, each with the predicate's trace (the first ten, then those that fail
/// or are unknown).
fn must(ev: &mut Evaluator<'_>, e: &Expr, subject: &Expr, pred: &Expr, negated: bool) -> TraceNode {
    let mut j = ev.truth::<Tracing>(e);
    let mut children = operands(ev, &[subject]);
    let mut listing = Listing::new();
    if let Some(Record::Each(elements)) = j.facts.take_record() {
        for (val, tv) in elements {
            // The each judged `must not`'s elements by the predicate negated.
            let tv = if negated { tv.negate() } else { tv };
            if listing.lists(tv != Tv::True) {
                ev.push_item(val.clone());
                let mut t = trace(ev, pred);
                ev.pop_item();
                t.label = match &val {
                    Val::Record(..) => Label::Element(element(ev, &val)),
                    v => Label::ElementValue(element(ev, v), Shown::of(v)),
                };
                children.push(t);
            } else {
                listing.skip(TraceValue::Truth(tv));
            }
        }
    }
    let notes = facts(ev, j.facts.as_slice());
    let mut n = node(e, j.tv, notes, children);
    listing.finish(&mut n, &subject.text);
    n
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
fn facts(ev: &mut Evaluator<'_>, facts: &[Fact<'_>]) -> Vec<TraceNote> {
    evidence::evidence_at(&ev.policy.schema, &mut ev.locator, facts, None)
        .into_iter()
        .map(|e| TraceNote::Evidence(Box::new(e)))
        .collect()
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
    // A look-through's paths, a chain of control, the groups of `per` (SPEC §7.2, §7.3), a
    // computed date (§9).
    let ownership = ev.ownership_facts(e);
    notes.extend(facts(ev, &ownership));
    let computed = ev.date_facts(e);
    notes.extend(facts(ev, &computed));
    let mut children = Vec::new();
    match &e.kind {
        K::Aggregate { arg, .. } | K::Filter { list: arg, .. } => {
            children.push(value_node(ev, arg))
        }
        K::LookThrough(l) => {
            children.push(value_node(ev, &l.holders));
            if let Some(t) = &l.target {
                children.push(value_node(ev, t));
            }
        }
        K::Convert(c) => {
            children.push(value_node(ev, &c.amount));
            children.extend(
                c.on.iter()
                    .filter(|d| !matches!(d.kind, K::Const(_)))
                    .map(|d| value_node(ev, d)),
            );
        }
        K::Arith { first, rest } => {
            let terms: Vec<&Expr> = std::iter::once(first.as_ref())
                .chain(rest.iter().map(|(_, t)| t))
                .collect();
            children.extend(operands(ev, &terms));
        }
        K::DateShift(d) => children.extend(operands(ev, &[&d.date, &d.count])),
        K::DaysBetween { later, earlier } => children.extend(operands(ev, &[later, earlier])),
        K::YearOf(arg) => children.push(value_node(ev, arg)),
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
