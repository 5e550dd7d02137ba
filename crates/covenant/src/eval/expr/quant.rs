//! Quantifiers (`every`, `some`, `no`, `at least`…) and `must` predicates.

use std::rc::Rc;

use crate::resolve::ir::Expr;
use crate::syntax::ast::QuantKind;

use super::super::note::{NeedsList, Note, Reason, Vacuous};
use super::super::value::{why, Elem, Val};
use super::collect::{Collect, Facts, QuantElement, Quick, Record};
use super::fact::{Fact, Tv};
use super::judgement::{and, implies, Judgement, Parts};
use super::Evaluator;

impl<'d> Evaluator<'d> {
    pub(super) fn quantifier<C: Collect>(
        &mut self,
        kind: QuantKind,
        list: &Expr,
        cond: Option<&Expr>,
        body: Option<&Expr>,
        item_name: &str,
    ) -> Judgement<'d, C> {
        let v = self.value(list);
        let elems = match v {
            Val::List(elems, _) => elems,
            Val::Unknown(w) => {
                let mut j: Judgement<'d, C> = self.unknown_judgement(w.clone());
                j.facts.record(|| Record::UnknownList(w));
                return j;
            }
            _ => {
                return self
                    .unknown_judgement(Rc::new(why(Reason::NeedsList(NeedsList::Quantifier))))
            }
        };
        // Where a party-scoped approval covers (SPEC §10): the covered elements meet the test,
        // and the body of `every` covers in turn.
        let cover_body = kind == QuantKind::Every && self.is_cover_site(list);
        let covered = self.covered(list, &elems).unwrap_or_default();
        let mut record = Vec::new();
        // Per element: membership (condition and filter maybe) and the body's truth, combined
        // as they come.
        let mut parts = Parts::new();
        for (i, e) in elems.iter().enumerate() {
            if covered.get(i) == Some(&true) {
                continue;
            }
            let past = parts.any_full();
            if past {
                // Past the elements whose facts are kept, the truth value is all that counts:
                // found without facts, and with them only if they would be kept.
                let (m, b) = self.element::<Quick>(e, cond, body, cover_body);
                if C::TRACE {
                    record.push(QuantElement::of(e, m.tv, b.tv));
                }
                let tv = match kind {
                    QuantKind::Every if m.tv == Tv::False => continue,
                    QuantKind::Every => m.tv.negate().or(b.tv),
                    _ => m.tv.and(b.tv),
                };
                if !parts.wants(tv) {
                    parts.count_only(tv);
                    continue;
                }
            }
            let (m, b) = self.element::<C>(e, cond, body, cover_body);
            if C::TRACE && !past {
                record.push(QuantElement::of(e, m.tv, b.tv));
            }
            let j = match kind {
                // Elements outside the filter are not members: they do not count.
                QuantKind::Every if m.tv == Tv::False => continue,
                QuantKind::Every => implies(m, b),
                _ => and(m, b),
            };
            // Without facts, the first element that decides ends it.
            let decided = match kind {
                QuantKind::Every => j.tv == Tv::False,
                QuantKind::Some | QuantKind::No => j.tv == Tv::True,
                _ => false,
            };
            if !C::FACTS && decided {
                return Judgement::of(if kind == QuantKind::Some {
                    Tv::True
                } else {
                    Tv::False
                });
            }
            parts.push(j);
        }
        let mut j = self.combine(kind, parts, list, item_name);
        j.facts.record(|| Record::Quant(record));
        j
    }

    /// A quantifier's truth from its members' judgements.
    fn combine<C: Collect>(
        &self,
        kind: QuantKind,
        parts: Parts<'d, C>,
        list: &Expr,
        item_name: &str,
    ) -> Judgement<'d, C> {
        let listed = || self.listed(list);
        match kind {
            QuantKind::Every => {
                let members =
                    parts.count(Tv::True) + parts.count(Tv::False) + parts.count(Tv::Unknown);
                let mut j = parts.every(listed);
                if members == 0 {
                    j.facts
                        .push(|| Fact::Note(Note::Vacuous(Vacuous::NoItems(item_name.into()))));
                }
                j
            }
            QuantKind::Some | QuantKind::No => {
                let none = parts.count(Tv::True) + parts.count(Tv::Unknown) == 0;
                let mut j = parts.some(listed);
                if none {
                    j.facts.push(|| {
                        Fact::Note(Note::NoneMatches {
                            item: item_name.into(),
                        })
                    });
                }
                if kind == QuantKind::No {
                    j.tv = j.tv.negate();
                }
                j
            }
            QuantKind::AtLeast(n) | QuantKind::AtMost(n) | QuantKind::Exactly(n) => {
                let sure = parts.count(Tv::True) as u64;
                let maybe = parts.count(Tv::Unknown) as u64;
                let tv = count_tv(kind, n, sure, maybe);
                let which = match tv {
                    Tv::Unknown => Tv::Unknown,
                    _ => Tv::True,
                };
                let mut facts = C::Facts::default();
                facts.push(|| {
                    Fact::Note(Note::Counted {
                        item: item_name.into(),
                        sure,
                        maybe,
                    })
                });
                facts.append(parts.take(which, listed).facts);
                Judgement { tv, facts }
            }
        }
    }

    /// One element of a quantifier: its membership (the condition, and the maybe of a filter)
    /// and the body's truth (true for a non-member); `cover_body`: the body is met where a
    /// party-scoped approval covers.
    fn element<C: Collect>(
        &mut self,
        e: &Elem<'d>,
        cond: Option<&Expr>,
        body: Option<&Expr>,
        cover_body: bool,
    ) -> (Judgement<'d, C>, Judgement<'d, C>) {
        self.items.push(e.val.clone());
        let mut m: Judgement<'d, C> = match cond {
            Some(c) => self.truth(c),
            None => Judgement::of(Tv::True),
        };
        if let Some(w) = &e.maybe {
            if m.tv == Tv::True {
                m.tv = Tv::Unknown;
                m.facts.push(|| Fact::Unknown(w.clone()));
            }
        }
        let b = match (m.tv, body) {
            (Tv::False, _) => Judgement::of(Tv::True),
            (_, Some(p)) => {
                self.cover_here = cover_body;
                self.truth(p)
            }
            (_, None) => Judgement::of(Tv::True),
        };
        self.items.pop();
        (m, b)
    }

    pub(super) fn must<C: Collect>(
        &mut self,
        subject: &Expr,
        negated: bool,
        pred: &Expr,
        each: bool,
    ) -> Judgement<'d, C> {
        let s = self.value(subject);
        if !each {
            return self.must_test(&s, pred, negated);
        }
        let empty = matches!(&s, Val::List(l, _) if l.is_empty());
        let mut j: Judgement<'d, C> = self.each_of(
            subject,
            s,
            |ev, x| ev.must_test(x, pred, negated),
            |ev, x| ev.must_test(x, pred, negated),
        );
        if empty {
            j.facts
                .push(|| Fact::Note(Note::Vacuous(Vacuous::Empty(subject.text.clone()))));
        }
        j
    }

    /// `x must [not] pred`.
    fn must_test<C: Collect>(
        &mut self,
        x: &Val<'d>,
        pred: &Expr,
        negated: bool,
    ) -> Judgement<'d, C> {
        self.items.push(x.clone());
        let j = self.truth::<C>(pred);
        self.items.pop();
        if negated {
            j.negated()
        } else {
            j
        }
    }
}

/// The truth of a counting quantifier with `sure` elements that match and `maybe` that may.
pub(crate) fn count_tv(kind: QuantKind, n: u64, sure: u64, maybe: u64) -> Tv {
    let (lo, hi) = (sure, sure + maybe);
    match kind {
        QuantKind::AtLeast(_) if lo >= n => Tv::True,
        QuantKind::AtLeast(_) if hi < n => Tv::False,
        QuantKind::AtMost(_) if hi <= n => Tv::True,
        QuantKind::AtMost(_) if lo > n => Tv::False,
        QuantKind::Exactly(_) if lo == n && hi == n => Tv::True,
        QuantKind::Exactly(_) if lo > n || hi < n => Tv::False,
        _ => Tv::Unknown,
    }
}
