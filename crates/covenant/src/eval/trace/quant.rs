//! The trace of a quantifier: its elements as the evaluator judged them (the first ten, then
//! those that decide it), each with its condition and body, and the element that decided it.

use crate::resolve::ir::Expr;
use crate::syntax::ast::QuantKind;

use super::super::expr::{Evaluator, Facts, Judgement, QuantElement, Record, Tracing, Tv};
use super::super::note::Vacuous;
use super::listing::Listing;
use super::{element, trace, Label, TraceNode, TraceNote, TraceValue};

/// The parts of a quantifier expression.
pub(super) struct Quant<'e> {
    pub kind: QuantKind,
    pub list: &'e Expr,
    pub cond: Option<&'e Expr>,
    pub body: Option<&'e Expr>,
    pub item_name: &'e str,
}

pub(super) fn quantifier<'d>(ev: &mut Evaluator<'d>, e: &Expr, q: Quant<'_>) -> TraceNode {
    let mut j: Judgement<'d, Tracing> = ev.truth(e);
    let mut children = Vec::new();
    let mut listing = Listing::new();
    let mut notes = Vec::new();
    match j.facts.take_record() {
        Some(Record::Quant(elements)) => {
            let mut members = 0usize;
            let mut witness = None;
            for el in &elements {
                members += usize::from(el.member != Tv::False);
                let decides = decides(q.kind, el);
                if decides && witness.is_none() {
                    witness = Some(TraceNote::DecidedBy(element(ev, &el.val)));
                }
                let value = match (el.member, el.body) {
                    (Tv::False, _) => TraceValue::Skipped,
                    (Tv::Unknown, Some(tv)) => TraceValue::MaybeMember(tv),
                    (_, Some(tv)) => TraceValue::Truth(tv),
                    (_, None) => TraceValue::Truth(Tv::Unknown),
                };
                let notable = decides || el.member == Tv::Unknown || el.body == Some(Tv::Unknown);
                if listing.lists(notable) {
                    children.push(element_node(ev, el, value, &q));
                } else {
                    listing.skip(value);
                }
            }
            if members == 0 {
                notes.push(match q.kind {
                    QuantKind::Every => {
                        Some(TraceNote::Vacuous(Vacuous::NoItems(q.item_name.into())))
                    }
                    QuantKind::Some | QuantKind::No => {
                        Some(TraceNote::NoneMatches(q.item_name.into()))
                    }
                    _ => None,
                });
            }
            notes.push(witness);
        }
        Some(Record::UnknownList(w)) => notes.push(Some(TraceNote::Reason(w.reason.clone()))),
        _ => {}
    }
    let mut n = TraceNode {
        label: Label::Expr(e.text.clone()),
        value: TraceValue::Truth(j.tv),
        notes: notes.into_iter().flatten().collect(),
        children,
        more: 0,
    };
    listing.finish(&mut n, &q.list.text);
    n
}

/// Whether an element is one that decides its quantifier: a member whose body is false
/// decides an `every`; a member whose body holds, a `some` or a `no`.
fn decides(kind: QuantKind, el: &QuantElement<'_>) -> bool {
    match kind {
        QuantKind::Every => el.body == Some(Tv::False),
        QuantKind::Some | QuantKind::No => el.member == Tv::True && el.body == Some(Tv::True),
        _ => false,
    }
}

/// A listed element: its condition's trace and, for a member, its body's.
fn element_node<'d>(
    ev: &mut Evaluator<'d>,
    el: &QuantElement<'d>,
    value: TraceValue,
    q: &Quant<'_>,
) -> TraceNode {
    ev.push_item(el.val.clone());
    let mut sub = Vec::new();
    if let Some(c) = q.cond {
        sub.push(trace(ev, c));
    }
    if let (Some(p), Some(_)) = (q.body, el.body) {
        sub.push(trace(ev, p));
    }
    ev.pop_item();
    TraceNode {
        label: Label::Element(element(ev, &el.val)),
        value,
        notes: Vec::new(),
        children: sub,
        more: 0,
    }
}
