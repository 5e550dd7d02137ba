//! Evaluation traces for `covenant explain`: every sub-expression with its value, the elements
//! a quantifier visited and the one that decided it.

mod listing;
mod quant;

use jiff::civil::Date;
use serde::Serialize;

use crate::deal::tree::Deal;
use crate::resolve::ir::{Each, Expr, ExprKind as K, Rule};
use crate::resolve::Policy;
use crate::schema::Type;

use super::evidence;
use super::expr::{Evaluator, Tv};
use super::outcome::Evidence;
use super::value::{display, item_label, Val};
use listing::Listing;

/// One node of a trace: an expression (or step) and what it evaluated to.
#[derive(Debug, Clone, Serialize)]
pub struct TraceNode {
    /// The expression's source text, or a label such as `party "Dragon Motors"`.
    pub expr: String,
    /// `true`, `false`, `unknown`, or a value such as `51%`.
    pub value: String,
    /// Why, for users: "holds vacuously: no foreign partner", "`stake` is missing".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<TraceNode>,
    /// Elements of a long list not listed in `children` (a note says what they were).
    #[serde(skip_serializing_if = "is_zero")]
    pub more: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The explanation of one rule on one deal.
#[derive(Debug, Clone, Serialize)]
pub struct RuleTrace {
    pub id: String,
    pub severity: &'static str,
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exemption: Option<String>,
    pub message: String,
    /// The effective window and whether the evaluation date falls in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<TraceNode>,
    pub when: Vec<TraceNode>,
    pub unless: Vec<TraceNode>,
    pub require: Vec<TraceNode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
}

fn tv_text(tv: Tv) -> String {
    match tv {
        Tv::True => "true",
        Tv::False => "false",
        Tv::Unknown => "unknown",
    }
    .into()
}

fn evidence_notes(deal: &Deal, ev: &[Evidence]) -> Vec<String> {
    let file = deal.file();
    ev.iter()
        .map(|e| match &e.location {
            Some(l) => format!("{} ({file}:{}:{})", e.note, l.line, l.column),
            None => e.note.clone(),
        })
        .collect()
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
        let range = match w.until {
            Some(u) => format!("effective {} until {}", w.from, u),
            None => format!("effective {}", w.from),
        };
        let (value, note) = match date {
            None => (
                "unknown".to_string(),
                "no evaluation date: the deal has no `date` and no --as-of was given".to_string(),
            ),
            Some(d) if d < w.from || w.until.is_some_and(|u| d >= u) => {
                ("false".into(), format!("{d} is outside [from, until)"))
            }
            Some(d) => ("true".into(), format!("{d} is inside [from, until)")),
        };
        TraceNode {
            expr: range,
            value,
            notes: vec![note],
            children: Vec::new(),
            more: 0,
        }
    });
    let deal = ev.deal;
    let require: Vec<TraceNode> = rule.require.iter().map(|c| trace(ev, c)).collect();
    // A pass by a clause that held vacuously says so, like `every` on an empty list does.
    let vacuous = require
        .iter()
        .flat_map(|t| t.notes.iter())
        .find(|n| n.starts_with("holds vacuously"));
    let message = match vacuous {
        Some(n) if result.message == "holds" => n.clone(),
        _ => result.message.clone(),
    };
    RuleTrace {
        id: rule.id.clone(),
        severity: rule.severity.as_str(),
        outcome: if result.exempt.is_some() {
            "exempt"
        } else {
            result.outcome.as_str()
        },
        exemption: result.exempt.clone(),
        message,
        window,
        when: rule.when.iter().map(|c| trace(ev, c)).collect(),
        unless: rule.unless.iter().map(|c| trace(ev, c)).collect(),
        require,
        evidence: evidence_notes(deal, &result.evidence),
    }
}

/// The trace of a condition or value.
pub fn trace(ev: &mut Evaluator<'_>, e: &Expr) -> TraceNode {
    match &e.kind {
        K::And(terms) | K::Or(terms) => {
            let j = ev.truth(e);
            let children = terms.iter().map(|t| trace(ev, t)).collect();
            node(e, tv_text(j.tv), Vec::new(), children)
        }
        K::Not(a) => {
            let j = ev.truth(e);
            node(e, tv_text(j.tv), Vec::new(), vec![trace(ev, a)])
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
                            t.expr = match &el.val {
                                Val::Record(..) => element_name(ev, &el.val),
                                v => format!("{} {}", element_name(ev, v), display(v)),
                            };
                            children.push(t);
                        } else {
                            listing.skip(tv_text(tv));
                        }
                        ev.pop_item();
                    }
                }
            }
            let mut notes = facts(ev, &j.facts);
            if *each && matches!(&subject_val, Val::List(l, _) if l.is_empty()) {
                let note = format!("holds vacuously: `{}` is empty", subject.text);
                if !notes.contains(&note) {
                    notes.push(note);
                }
            }
            let mut n = node(e, tv_text(j.tv), notes, children);
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
            node(e, tv_text(j.tv), notes, children)
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
            node(e, tv_text(j.tv), notes, children)
        }
        _ if e.ty == crate::schema::Type::Bool => {
            let j = ev.truth(e);
            let notes = facts(ev, &j.facts);
            node(e, tv_text(j.tv), notes, Vec::new())
        }
        _ => value_node(ev, e),
    }
}

/// SPEC §2.4: an implicit each over an empty list holds vacuously, and `explain` says so.
fn vacuous(ev: &mut Evaluator<'_>, side: &Expr) -> Option<String> {
    matches!(ev.value(side), Val::List(l, _) if l.is_empty())
        .then(|| format!("holds vacuously: `{}` is empty", side.text))
}

fn node(e: &Expr, value: String, notes: Vec<String>, children: Vec<TraceNode>) -> TraceNode {
    TraceNode {
        expr: e.text.to_string(),
        value,
        notes,
        children,
        more: 0,
    }
}

/// The notes of `facts`, located with the evaluator's locator, kept from one to the next (a
/// fresh one would count lines from the start of the deal for every element).
fn facts(ev: &mut Evaluator<'_>, facts: &[super::expr::Fact]) -> Vec<String> {
    let shown = evidence::evidence_at(&ev.policy.schema, &mut ev.locator, facts, None);
    evidence_notes(ev.deal, &shown)
}

/// `f` on the evaluator without collecting facts: a truth value, quickly.
fn quietly<T>(ev: &mut Evaluator<'_>, f: impl FnOnce(&mut Evaluator<'_>) -> T) -> T {
    let collect = std::mem::replace(&mut ev.collect, false);
    let out = f(ev);
    ev.collect = collect;
    out
}

fn element_name(ev: &Evaluator<'_>, v: &Val<'_>) -> String {
    match v {
        Val::Record(_, o) | Val::Scalar(_, o) => o
            .item
            .map(|i| item_label(&ev.policy.schema, &i))
            .unwrap_or_else(|| "value".into()),
        _ => "value".into(),
    }
}

/// A value expression: its value, and for a computed one (a total, a filter) its parts.
fn value_node(ev: &mut Evaluator<'_>, e: &Expr) -> TraceNode {
    let v = ev.value(e);
    let mut notes = Vec::new();
    if let Val::Unknown(w) = &v {
        notes.push(match &w.element {
            Some(el) => format!("{} for {el}", w.note),
            None => w.note.clone(),
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
                notes.push(format!(
                    "{} may or may not belong: {}",
                    element_name(ev, &el.val),
                    w.note
                ));
            } else {
                listing.skip("may or may not belong".into());
            }
        }
        if elems.is_empty() {
            notes.push("empty list".into());
        }
    }
    let mut n = TraceNode {
        expr: e.text.to_string(),
        value: show(ev, &v, &e.ty),
        notes,
        children,
        more: 0,
    };
    listing.finish(&mut n, &e.text);
    n
}

/// A value for explanations: records by their label; the total of an empty list of money, a
/// zero of the currency it meets (SPEC §2.6), as `0 (empty list)`.
fn show(ev: &Evaluator<'_>, v: &Val<'_>, ty: &Type) -> String {
    match v {
        Val::Record(..) => element_name(ev, v),
        Val::Zero => match ty {
            Type::Percent => "0%".into(),
            Type::Number => "0".into(),
            _ => "0 (empty list)".into(),
        },
        Val::List(elems, _) if elems.iter().any(|e| matches!(e.val, Val::Record(..))) => {
            listing::names(elems.iter().map(|e| element_name(ev, &e.val)))
        }
        v => display(v),
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
