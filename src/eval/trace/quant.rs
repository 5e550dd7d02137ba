//! The trace of a quantifier: its elements (the first ten, then those that decide it), each
//! with its condition and body, and the element that decided it.

use crate::resolve::ir::Expr;
use crate::syntax::ast::QuantKind;

use super::super::expr::{Evaluator, Tv};
use super::super::note::Vacuous;
use super::super::value::Val;
use super::listing::Listing;
use super::{element, quietly, trace, Label, TraceNode, TraceNote, TraceValue};

#[allow(clippy::too_many_arguments)]
pub(super) fn quantifier(
    ev: &mut Evaluator<'_>,
    e: &Expr,
    kind: QuantKind,
    list: &Expr,
    cond: Option<&Expr>,
    body: Option<&Expr>,
    item_name: &str,
) -> TraceNode {
    let j = ev.truth(e);
    let v = ev.value(list);
    let mut children = Vec::new();
    let mut listing = Listing::new();
    let mut visited = 0usize;
    let mut witness: Option<TraceNote> = None;
    if let Val::List(elems, _) = &v {
        for el in elems.iter() {
            ev.push_item(el.val.clone());
            // The element's truth values first, quickly; its trace only if it is listed.
            let (member, b) = quietly(ev, |ev| {
                let m = cond.map(|c| ev.truth(c).tv);
                let member = match (m, &el.maybe) {
                    (Some(Tv::False), _) => Tv::False,
                    (Some(Tv::Unknown), _) | (_, Some(_)) => Tv::Unknown,
                    _ => Tv::True,
                };
                let b = match (member, body) {
                    (Tv::False, _) => None,
                    (_, Some(p)) => Some(ev.truth(p).tv),
                    (_, None) => Some(Tv::True),
                };
                (member, b)
            });
            if member != Tv::False {
                visited += 1;
            }
            let decides = match kind {
                QuantKind::Every => b == Some(Tv::False),
                QuantKind::Some | QuantKind::No => member == Tv::True && b == Some(Tv::True),
                _ => false,
            };
            if decides && witness.is_none() {
                witness = Some(TraceNote::DecidedBy(element(ev, &el.val)));
            }
            let value = match (member, b) {
                (Tv::False, _) => TraceValue::Skipped,
                (Tv::Unknown, Some(tv)) => TraceValue::MaybeMember(tv),
                (_, Some(tv)) => TraceValue::Truth(tv),
                _ => TraceValue::Truth(Tv::Unknown),
            };
            let notable = decides || member == Tv::Unknown || b == Some(Tv::Unknown);
            if listing.lists(notable) {
                let mut sub = Vec::new();
                if let Some(c) = cond {
                    sub.push(trace(ev, c));
                }
                if let (Some(p), Some(_)) = (body, b) {
                    sub.push(trace(ev, p));
                }
                children.push(TraceNode {
                    label: Label::Element(element(ev, &el.val)),
                    value,
                    notes: Vec::new(),
                    children: sub,
                    more: 0,
                });
            } else {
                listing.skip(value);
            }
            ev.pop_item();
        }
    }
    let mut notes = Vec::new();
    let known = matches!(v, Val::List(..));
    if known && visited == 0 && matches!(kind, QuantKind::Every) {
        notes.push(TraceNote::Vacuous(Vacuous::NoItems(item_name.into())));
    }
    if known && visited == 0 && matches!(kind, QuantKind::Some | QuantKind::No) {
        notes.push(TraceNote::NoneMatches(item_name.into()));
    }
    notes.extend(witness);
    if let Val::Unknown(w) = &v {
        notes.push(TraceNote::Reason(w.reason.clone()));
    }
    let mut n = TraceNode {
        label: Label::Expr(e.text.clone()),
        value: TraceValue::Truth(j.tv),
        notes,
        children,
        more: 0,
    };
    listing.finish(&mut n, &list.text);
    n
}
