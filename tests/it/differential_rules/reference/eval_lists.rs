//! Lists in the reference evaluator: record lists and their filters (maybe-members, §3.4),
//! mapped phrases (§2.3), and aggregates (§2.4, §3.4).

use serde_json::Value;

use super::ast::*;
use super::eval::{transfers, Eval, Item, Recs, Vals};
use super::value::{arith, compare, from_deal, num, Tv, Unit, V};

impl<'a> Eval<'a> {
    /// A list of records; `None` when it is missing.
    pub(super) fn src(&mut self, s: &'a Src) -> Recs<'a> {
        match s {
            Src::Root(rec) => match self.deal.get(rec.key()) {
                Some(Value::Array(items)) => Some(items.iter().map(|r| (Tv::T, r)).collect()),
                None if rec.defaults_empty() => Some(Vec::new()),
                _ => None,
            },
            Src::Let(i) => match &self.lets[*i].def {
                LetDef::Records(s, _) => self.at_root(|ev| ev.src(s)),
                _ => unreachable!("a let of records"),
            },
            Src::Filter(from, cond) => {
                let items = self.src(from)?;
                let mut kept = Vec::new();
                for (m, r) in items {
                    self.env.push(Item::Rec(r));
                    let c = self.truth(cond);
                    self.env.pop();
                    let m = m.and(c);
                    if m != Tv::F {
                        kept.push((m, r));
                    }
                }
                Some(kept)
            }
        }
    }

    /// A list of values; `None` when it is missing.
    pub(super) fn list(&mut self, l: &'a ListE) -> Vals {
        match l {
            ListE::Lit(items) => Some(items.iter().map(|i| (Tv::T, self.lit(i))).collect()),
            ListE::Let(i) => match &self.lets[*i].def {
                LetDef::List(items, _) => {
                    Some(items.iter().map(|i| (Tv::T, self.lit(i))).collect())
                }
                LetDef::Mapped(l, _) => self.at_root(|ev| ev.list(l)),
                _ => unreachable!("a let of a list"),
            },
            ListE::Mapped(s, f) => {
                let items = self.src(s)?;
                Some(
                    items
                        .into_iter()
                        .map(|(m, r)| (m, from_deal(r.get(f.key), f.ty)))
                        .collect(),
                )
            }
            ListE::Transfers(s) => {
                let items = self.src(s)?;
                Some(
                    items
                        .into_iter()
                        .flat_map(|(m, r)| transfers(r).into_iter().map(move |v| (m, v)))
                        .collect(),
                )
            }
            ListE::Waivers => Some(
                self.waivers()?
                    .into_iter()
                    .map(|w| {
                        let v = V::Str {
                            s: w.to_string(),
                            from_policy: false,
                        };
                        (Tv::T, v)
                    })
                    .collect(),
            ),
            ListE::ItemTransfers(up) => match self.env[self.env.len() - 1 - up] {
                Item::Rec(r) => Some(transfers(r).into_iter().map(|v| (Tv::T, v)).collect()),
                Item::Waiver(_) => unreachable!("a waiver has no transfers"),
            },
        }
    }

    /// The deal's `waivers`: empty when absent, missing when `null`.
    pub(super) fn waivers(&self) -> Option<Vec<&'a str>> {
        match self.deal.get("waivers") {
            Some(Value::Array(items)) => Some(items.iter().filter_map(Value::as_str).collect()),
            None => Some(Vec::new()),
            _ => None,
        }
    }

    /// `total`, `max`, `min`, `average`: unknown when the list, an element or an element's
    /// membership is; an empty `total` is a zero of the aggregate's unit, an empty `max`,
    /// `min` or `average` unknown.
    pub(super) fn aggregate(&mut self, a: Agg, l: &'a ListE) -> V {
        let ty = match l {
            ListE::Mapped(_, f) => f.ty,
            _ => unreachable!("aggregates are generated over mapped phrases"),
        };
        let Some(items) = self.list(l) else {
            return V::Unknown;
        };
        if items
            .iter()
            .any(|(m, v)| *m != Tv::T || matches!(v, V::Unknown))
        {
            return V::Unknown;
        }
        let values: Vec<V> = items.into_iter().map(|(_, v)| v).collect();
        let Some(first) = values.first().cloned() else {
            return match a {
                Agg::Total => V::Num {
                    unit: match ty {
                        Ty::Pct => Unit::Pct,
                        Ty::Money => Unit::Money(None),
                        _ => Unit::Num,
                    },
                    q: Q::from_integer(0),
                    empty_total: true,
                },
                _ => V::Unknown,
            };
        };
        let mut acc = first;
        for v in &values[1..] {
            acc = match a {
                Agg::Total | Agg::Average => arith(AOp::Add, &acc, v, &mut self.tags),
                Agg::Max | Agg::Min => {
                    let want = if a == Agg::Max { COp::Gt } else { COp::Lt };
                    match compare(want, v, &acc, &mut self.tags) {
                        Tv::T => v.clone(),
                        Tv::F => acc,
                        Tv::U => V::Unknown,
                    }
                }
            };
        }
        if a == Agg::Average {
            let n = num(Unit::Num, Q::from_integer(values.len() as i128));
            acc = arith(AOp::Div, &acc, &n, &mut self.tags);
        }
        acc
    }
}
