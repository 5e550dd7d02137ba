//! Generating values: literals, fields of the deal and of the items in scope, definitions,
//! aggregates, arithmetic with units, and the lists that membership and quantifiers read.

use super::ast::*;
use super::pools;
use super::print::Scope;
use super::rng::Rng;

pub struct Gen<'r> {
    pub rng: &'r mut Rng,
    pub lets: &'r [Let],
    pub scopes: Vec<Scope>,
    /// In a `when`, `unless`, `where`, `not` or definition: no element sides.
    pub guard: bool,
}

impl Gen<'_> {
    /// Run `f` as a guard (nothing distributes there).
    pub fn guarded<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved = std::mem::replace(&mut self.guard, true);
        let out = f(self);
        self.guard = saved;
        out
    }

    pub fn in_scope(&self, rec: Rec) -> bool {
        self.scopes.contains(&Scope::Item(rec))
    }

    pub fn literal(&mut self, ty: Ty, dom: Dom) -> Lit {
        match ty {
            Ty::Num => Lit::Num(pools::policy_number(self.rng)),
            Ty::Pct => Lit::Pct(pools::percent(self.rng)),
            Ty::Money => {
                let (cur, q) = pools::money(self.rng);
                Lit::Money(cur, q)
            }
            Ty::Str => Lit::Str(pools::policy_string(self.rng, dom)),
            Ty::Bool => Lit::Bool(self.rng.chance(50)),
            Ty::Date => Lit::Date(pools::date(self.rng)),
        }
    }

    /// A single value of type `ty` (and, for strings, of domain `dom`).
    pub fn scalar(&mut self, ty: Ty, dom: Dom, d: u32) -> Expr {
        self.scalar_with(ty, dom, d, 25)
    }

    /// A single value that reads the deal (a literal only when nothing else fits), for the
    /// first operand of a comparison: two literals compared test nothing.
    pub fn deal_value(&mut self, ty: Ty, dom: Dom, d: u32) -> Expr {
        self.scalar_with(ty, dom, d, 0)
    }

    fn scalar_with(&mut self, ty: Ty, dom: Dom, d: u32, literal: u32) -> Expr {
        for _ in 0..6 {
            let deep = if d > 0 { 22 } else { 0 };
            let pick = self.rng.weighted(&[literal, 32, 8, 13, 6, deep]);
            let e = match pick {
                0 => Some(Expr::Lit(self.literal(ty, dom))),
                1 => self.field(ty, dom),
                2 => self.let_scalar(ty, dom),
                3 => self.aggregate(ty),
                4 => self.count(ty),
                _ => self.arith(ty, d - 1),
            };
            if let Some(e) = e {
                return e;
            }
        }
        Expr::Lit(self.literal(ty, dom))
    }

    pub fn field_of(&mut self, ty: Ty, dom: Dom) -> Option<Expr> {
        self.field(ty, dom)
    }

    fn field(&mut self, ty: Ty, dom: Dom) -> Option<Expr> {
        let fits = |f: &Field| f.ty == ty && (ty != Ty::Str || f.dom == dom);
        let mut current: Vec<Expr> = Vec::new();
        let mut found: Vec<Expr> = ROOT_FIELDS
            .iter()
            .filter(|f| fits(f))
            .map(Expr::Root)
            .collect();
        for (up, scope) in self.scopes.iter().rev().enumerate() {
            match scope {
                Scope::Item(rec) => {
                    for f in rec.fields().iter().filter(|f| fits(f)) {
                        let to = if up == 0 { &mut current } else { &mut found };
                        to.push(Expr::Item(up, f));
                    }
                }
                Scope::Waiver if up == 0 && ty == Ty::Str && dom == Dom::Waiver => {
                    current.push(Expr::WaiverItem);
                }
                Scope::Waiver => {}
            }
        }
        // The current item's fields come up most.
        if !current.is_empty() && (found.is_empty() || self.rng.chance(75)) {
            found = current;
        } else {
            found.extend(current);
        }
        if found.is_empty() {
            return None;
        }
        let i = self.rng.below(found.len());
        Some(found.swap_remove(i))
    }

    fn let_scalar(&mut self, ty: Ty, dom: Dom) -> Option<Expr> {
        let found: Vec<usize> = (0..self.lets.len())
            .filter(|i| {
                matches!(&self.lets[*i].def, LetDef::Scalar(_, t, d) if *t == ty && (ty != Ty::Str || *d == dom))
            })
            .collect();
        (!found.is_empty()).then(|| Expr::LetScalar(*self.rng.pick(&found)))
    }

    /// A list of records to map over: a root list (not the one an item in scope belongs
    /// to, whose singular now names that item) or a definition.
    fn map_source(&mut self, rec: Rec) -> Option<Src> {
        let mut found = Vec::new();
        if !self.in_scope(rec) {
            found.extend([Src::Root(rec), Src::Root(rec)]);
        }
        for (i, l) in self.lets.iter().enumerate() {
            if matches!(l.def, LetDef::Records(_, r) if r == rec) {
                found.push(Src::Let(i));
            }
        }
        (!found.is_empty()).then(|| found.swap_remove(self.rng.below(found.len())))
    }

    /// A mapped phrase of type `ty`: `party stake`, `foreign partner country`,
    /// `data transfers`.
    pub fn mapped(&mut self, ty: Ty, dom: Dom) -> Option<ListE> {
        let mut options: Vec<(Rec, Option<&'static Field>)> = Vec::new();
        for rec in Rec::ALL {
            for f in rec.fields() {
                if f.ty == ty && (ty != Ty::Str || f.dom == dom) {
                    options.push((rec, Some(f)));
                }
            }
        }
        if ty == Ty::Str && dom == Dom::Country {
            options.push((Rec::Data, None));
        }
        for _ in 0..3 {
            if options.is_empty() {
                return None;
            }
            let (rec, f) = options.swap_remove(self.rng.below(options.len()));
            if let Some(src) = self.map_source(rec) {
                return Some(match f {
                    Some(f) => ListE::Mapped(src, f),
                    None => ListE::Transfers(src),
                });
            }
        }
        None
    }

    fn aggregate(&mut self, ty: Ty) -> Option<Expr> {
        if !matches!(ty, Ty::Num | Ty::Pct | Ty::Money) {
            return None;
        }
        let list = self.mapped(ty, Dom::None)?;
        let agg = [Agg::Total, Agg::Total, Agg::Max, Agg::Min, Agg::Average][self.rng.below(5)];
        Some(Expr::Agg(agg, list))
    }

    fn count(&mut self, ty: Ty) -> Option<Expr> {
        if ty != Ty::Num {
            return None;
        }
        if self.rng.chance(25) {
            let ty = *self.rng.pick(&[Ty::Pct, Ty::Num, Ty::Money, Ty::Bool]);
            return self.mapped(ty, Dom::None).map(Expr::CountValues);
        }
        self.records(false, 1).map(|(s, _)| Expr::CountRecords(s))
    }

    /// Arithmetic giving `ty` (SPEC §2.5, §2.6).
    fn arith(&mut self, ty: Ty, d: u32) -> Option<Expr> {
        use {AOp::*, Ty::*};
        let shapes: &[(AOp, Ty, Ty)] = match ty {
            Pct => &[
                (Add, Pct, Pct),
                (Sub, Pct, Pct),
                (Mul, Pct, Num),
                (Mul, Num, Pct),
                (Div, Pct, Num),
                (Mul, Pct, Pct),
                (Of, Pct, Pct),
            ],
            Money => &[
                (Add, Money, Money),
                (Sub, Money, Money),
                (Mul, Pct, Money),
                (Of, Pct, Money),
                (Mul, Num, Money),
                (Mul, Money, Num),
                (Div, Money, Num),
                (Div, Money, Pct),
            ],
            Num => &[
                (Add, Num, Num),
                (Sub, Num, Num),
                (Mul, Num, Num),
                (Div, Num, Num),
                (Div, Money, Money),
                (Div, Pct, Pct),
                (Of, Pct, Num),
            ],
            _ => return None,
        };
        let (op, a, b) = *self.rng.pick(shapes);
        let a = self.scalar(a, Dom::None, d);
        let b = self.scalar(b, Dom::None, d);
        Some(Expr::Arith(op, Box::new(a), Box::new(b)))
    }

    /// A list of records. `scoped`: it opens an item scope (a quantifier or a filter), so it
    /// may not be of a kind an enclosing item already is.
    pub fn records(&mut self, scoped: bool, d: u32) -> Option<(Src, Rec)> {
        let recs: Vec<Rec> = Rec::ALL
            .into_iter()
            .filter(|r| !scoped || !self.in_scope(*r))
            .collect();
        if recs.is_empty() {
            return None;
        }
        let rec = *self.rng.pick(&recs);
        let lets: Vec<usize> = (0..self.lets.len())
            .filter(|i| matches!(self.lets[*i].def, LetDef::Records(_, r) if r == rec))
            .collect();
        let root_ok = !self.in_scope(rec);
        let filter_ok = !self.in_scope(rec) && d > 0;
        let weights = [
            if root_ok { 50 } else { 0 },
            if lets.is_empty() { 0 } else { 30 },
            if filter_ok { 20 } else { 0 },
        ];
        if weights == [0, 0, 0] {
            return None;
        }
        let pick = self.rng.weighted(&weights);
        let src = match pick {
            0 if root_ok => Src::Root(rec),
            1 if !lets.is_empty() => Src::Let(*self.rng.pick(&lets)),
            2 if filter_ok => {
                // Over the root list, or over a definition (a filter of a filter).
                let from = match lets.is_empty() || self.rng.chance(70) {
                    true => Src::Root(rec),
                    false => Src::Let(*self.rng.pick(&lets)),
                };
                self.scopes.push(Scope::Item(rec));
                let c = self.guarded(|g| g.cond(d - 1));
                self.scopes.pop();
                Src::Filter(Box::new(from), Box::new(c))
            }
            _ => return None,
        };
        Some((src, rec))
    }

    /// The list operand of a membership test (never distributed, §2.4).
    pub fn list_operand(&mut self, ty: Ty, dom: Dom) -> ListE {
        let data_scope = self
            .scopes
            .iter()
            .rev()
            .position(|s| *s == Scope::Item(Rec::Data));
        let pick = self.rng.weighted(&[40, 20, 25, 8, 7]);
        let found = match pick {
            1 => self.let_list(dom),
            2 => self.mapped(ty, dom),
            3 if dom == Dom::Waiver => Some(ListE::Waivers),
            4 if dom == Dom::Country => data_scope.map(ListE::ItemTransfers),
            _ => None,
        };
        found.unwrap_or_else(|| self.list_literal(ty, dom))
    }

    pub fn list_literal(&mut self, ty: Ty, dom: Dom) -> ListE {
        let n = if ty == Ty::Str && self.rng.chance(4) {
            0
        } else {
            1 + self.rng.below(3)
        };
        ListE::Lit((0..n).map(|_| self.literal(ty, dom)).collect())
    }

    pub fn let_list(&mut self, dom: Dom) -> Option<ListE> {
        let found: Vec<usize> = (0..self.lets.len())
            .filter(|i| {
                matches!(&self.lets[*i].def, LetDef::List(_, d) | LetDef::Mapped(_, d) if *d == dom)
            })
            .collect();
        (!found.is_empty()).then(|| ListE::Let(*self.rng.pick(&found)))
    }
}
