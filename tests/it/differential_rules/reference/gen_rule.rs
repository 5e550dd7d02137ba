//! Generating conditions, quantifiers, must-forms, rules and the definitions every rule of
//! a batch may use.

use super::ast::*;
use super::gen_value::Gen;
use super::pools;
use super::print::Scope;
use super::rng::Rng;

const STRING_DOMS: &[Dom] = &[
    Dom::Country,
    Dom::Name,
    Dom::TechCategory,
    Dom::DataCategory,
    Dom::Transfer,
    Dom::Sector,
    Dom::Region,
];
const STRING_DOM_WEIGHTS: &[u32] = &[35, 25, 15, 8, 7, 5, 5];

impl Gen<'_> {
    fn string_dom(&mut self) -> Dom {
        STRING_DOMS[self.rng.weighted(STRING_DOM_WEIGHTS)]
    }

    /// A condition; `d` bounds its nesting.
    pub fn cond(&mut self, d: u32) -> Expr {
        if self.scopes.last() == Some(&Scope::Waiver) {
            return self.waiver_test();
        }
        let deep = if d > 0 { 1 } else { 0 };
        let pick = self
            .rng
            .weighted(&[36, 18, 4, 7, 6 * deep, 10 * deep, 8 * deep, 16 * deep, 4]);
        match pick {
            8 => self.presence().unwrap_or_else(|| self.comparison(d)),
            0 => self.comparison(d),
            1 => self.membership(d),
            2 => self.within(d),
            3 => self.deal_value(Ty::Bool, Dom::None, 0),
            4 => {
                let inner = self.guarded(|g| g.cond(d - 1));
                Expr::Not(Box::new(inner))
            }
            5 | 6 => {
                let n = 2 + self.rng.below(2);
                let items = (0..n).map(|_| self.cond(d - 1)).collect();
                if pick == 5 {
                    Expr::And(items)
                } else {
                    Expr::Or(items)
                }
            }
            _ => self.quantifier(d).unwrap_or_else(|| self.comparison(d)),
        }
    }

    /// `F is missing` and its spellings, F a field of the root or of an item (SPEC §8).
    fn presence(&mut self) -> Option<Expr> {
        let ty = [Ty::Pct, Ty::Num, Ty::Str, Ty::Bool, Ty::Date][self.rng.below(5)];
        let dom = if ty == Ty::Str {
            self.string_dom()
        } else {
            Dom::None
        };
        let field = self.field_of(ty, dom)?;
        let written = [
            "is missing",
            "is present",
            "is not missing",
            "is not present",
        ][self.rng.below(4)];
        matches!(field, Expr::Root(_) | Expr::Item(..))
            .then(|| Expr::Presence(Box::new(field), written))
    }

    fn comparison(&mut self, d: u32) -> Expr {
        if self.rng.chance(3) {
            if let Some(bad) = self.bad_comparison() {
                return bad;
            }
        }
        let ty = [Ty::Pct, Ty::Money, Ty::Num, Ty::Str, Ty::Bool, Ty::Date]
            [self.rng.weighted(&[30, 14, 16, 26, 5, 9])];
        let dom = if ty == Ty::Str {
            self.string_dom()
        } else {
            Dom::None
        };
        let d = d.min(2);
        let each = (!self.guard && self.rng.chance(40))
            .then(|| self.mapped(ty, dom))
            .flatten();
        let left = match each {
            Some(l) => Side::Each(l),
            None => Side::One(Box::new(self.deal_value(ty, dom, d))),
        };
        let right = Side::One(Box::new(self.scalar(ty, dom, d)));
        let ops: &[COp] = match ty {
            Ty::Str | Ty::Bool => &[COp::Eq, COp::Ne],
            _ => &[COp::Lt, COp::Le, COp::Gt, COp::Ge, COp::Eq, COp::Ne],
        };
        let op = *self.rng.pick(ops);
        let words = self.rng.chance(25);
        if self.rng.chance(20) {
            Expr::Cmp(op, words, right, left)
        } else {
            Expr::Cmp(op, words, left, right)
        }
    }

    /// A comparison the SPEC rejects at compile time (see `typing.rs`).
    fn bad_comparison(&mut self) -> Option<Expr> {
        let lit = |g: &mut Self, dom| Side::One(Box::new(Expr::Lit(g.literal(Ty::Str, dom))));
        let data_scope = self.scopes.last() == Some(&Scope::Item(Rec::Data));
        Some(match self.rng.below(6) {
            0 => Expr::Cmp(
                COp::Eq,
                false,
                Side::Each(ListE::Waivers),
                lit(self, Dom::Waiver),
            ),
            1 if data_scope => Expr::Cmp(
                COp::Ne,
                false,
                Side::Each(ListE::ItemTransfers(0)),
                lit(self, Dom::Country),
            ),
            2 => {
                let a = self.mapped(Ty::Pct, Dom::None)?;
                let b = self.mapped(Ty::Pct, Dom::None)?;
                Expr::Cmp(COp::Lt, false, Side::Each(a), Side::Each(b))
            }
            3 => {
                // A percent compared with a plain number: a unit mismatch (§2.5).
                let a = Expr::Agg(Agg::Total, self.mapped(Ty::Pct, Dom::None)?);
                let b = Expr::Lit(Lit::Num(Q::from_integer(50)));
                Expr::Cmp(
                    COp::Gt,
                    false,
                    Side::One(Box::new(a)),
                    Side::One(Box::new(b)),
                )
            }
            4 => {
                // A percent plus a plain number.
                let a = Expr::Agg(Agg::Max, self.mapped(Ty::Pct, Dom::None)?);
                let sum = Expr::Arith(
                    AOp::Add,
                    Box::new(a),
                    Box::new(Expr::Lit(Lit::Num(Q::from_integer(1)))),
                );
                let b = Expr::Lit(self.literal(Ty::Pct, Dom::None));
                Expr::Cmp(
                    COp::Lt,
                    false,
                    Side::One(Box::new(sum)),
                    Side::One(Box::new(b)),
                )
            }
            _ => {
                let each = self.mapped(Ty::Pct, Dom::None)?;
                let bound = Side::One(Box::new(Expr::Lit(self.literal(Ty::Pct, Dom::None))));
                // In a guard this is the list-in-guard error; elsewhere it is valid.
                Expr::Cmp(COp::Lt, false, Side::Each(each), bound)
            }
        })
    }

    fn membership(&mut self, d: u32) -> Expr {
        let (ty, dom) = if self.rng.chance(10) {
            (*self.rng.pick(&[Ty::Pct, Ty::Num]), Dom::None)
        } else {
            let doms = [
                Dom::Country,
                Dom::Name,
                Dom::TechCategory,
                Dom::Waiver,
                Dom::Region,
                Dom::Transfer,
            ];
            (Ty::Str, doms[self.rng.weighted(&[40, 25, 12, 13, 5, 5])])
        };
        let list = self.list_operand(ty, dom);
        let each = (!self.guard && self.rng.chance(40))
            .then(|| self.mapped(ty, dom))
            .flatten();
        let elem = match each {
            Some(l) => Side::Each(l),
            None => Side::One(Box::new(self.deal_value(ty, dom, d.min(1)))),
        };
        let op =
            [MOp::In, MOp::NotIn, MOp::Contains, MOp::OneOf][self.rng.weighted(&[40, 20, 20, 20])];
        Expr::Member(op, elem, list)
    }

    fn within(&mut self, d: u32) -> Expr {
        let ty = *self.rng.pick(&[Ty::Pct, Ty::Money, Ty::Num]);
        let tolerance = match ty {
            Ty::Pct => Lit::Pct(pools::q(*self.rng.pick(&[1, 5, 10]), 100)),
            Ty::Money => Lit::Money(
                if self.rng.chance(10) { "EUR" } else { "USD" },
                Q::from_integer(*self.rng.pick(&[0, 1_000_000, 500_000_000])),
            ),
            _ => Lit::Num(Q::from_integer(*self.rng.pick(&[0, 1, 2]))),
        };
        let each = (!self.guard && self.rng.chance(40))
            .then(|| self.mapped(ty, Dom::None))
            .flatten();
        let a = match each {
            Some(l) => Side::Each(l),
            None => Side::One(Box::new(self.deal_value(ty, Dom::None, d.min(1)))),
        };
        let b = self.scalar(ty, Dom::None, d.min(1));
        Expr::Within(a, tolerance, Box::new(b))
    }

    /// A test of the current `waiver`.
    fn waiver_test(&mut self) -> Expr {
        let item = Side::One(Box::new(Expr::WaiverItem));
        if self.rng.chance(30) {
            let list = self.list_literal(Ty::Str, Dom::Waiver);
            return Expr::Member(MOp::In, item, list);
        }
        let lit = Side::One(Box::new(Expr::Lit(self.literal(Ty::Str, Dom::Waiver))));
        let op = if self.rng.chance(75) {
            COp::Eq
        } else {
            COp::Ne
        };
        Expr::Cmp(op, false, item, lit)
    }

    fn quantifier(&mut self, d: u32) -> Option<Expr> {
        let kinds = [
            QKind::Every,
            QKind::Some,
            QKind::No,
            QKind::AtLeast(self.rng.below(4) as u32),
            QKind::AtMost(self.rng.below(4) as u32),
            QKind::Exactly(self.rng.below(4) as u32),
        ];
        let kind = kinds[self.rng.weighted(&[25, 25, 15, 12, 12, 11])];
        let waiver_ok = !self.scopes.contains(&Scope::Waiver);
        let (over, scope) = match self.rng.weighted(&[82, 8, if waiver_ok { 10 } else { 0 }]) {
            0 => {
                let (src, rec) = self.records(true, d - 1)?;
                (QOver::Records(src), Scope::Item(rec))
            }
            1 => {
                let src = self.yes_no_source()?;
                let f = &Rec::Tech.fields()[5];
                (QOver::YesNo(src, f), Scope::Item(Rec::Tech))
            }
            _ => (QOver::Waivers, Scope::Waiver),
        };
        self.scopes.push(scope);
        let waivers = scope == Scope::Waiver;
        let filter_chance = match &over {
            QOver::Records(_) => 60,
            QOver::YesNo(..) => 30,
            QOver::Waivers => 100,
        };
        let filter = self
            .rng
            .chance(filter_chance)
            .then(|| Box::new(self.guarded(|g| g.cond(d - 1))));
        let body = (kind == QKind::Every || (!waivers && self.rng.chance(50)))
            .then(|| Box::new(self.cond(d - 1)));
        self.scopes.pop();
        Some(Expr::Quant(Quant {
            kind,
            over,
            filter,
            body,
        }))
    }

    /// `technology source code escrow` or a definition of technology.
    fn yes_no_source(&mut self) -> Option<Src> {
        if self.in_scope(Rec::Tech) {
            return None;
        }
        let lets: Vec<usize> = (0..self.lets.len())
            .filter(|i| matches!(self.lets[*i].def, LetDef::Records(_, Rec::Tech)))
            .collect();
        if lets.is_empty() || self.rng.chance(60) {
            return Some(Src::Root(Rec::Tech));
        }
        Some(Src::Let(*self.rng.pick(&lets)))
    }

    /// A must-form (only a whole `require` clause or one-line rule).
    fn must(&mut self) -> Must {
        let negated = self.rng.chance(30);
        let pick = self.rng.weighted(&[30, 35, 12, 13, 10]);
        let (subject, pred) = match pick {
            0 | 1 => {
                let ty = [Ty::Pct, Ty::Money, Ty::Num, Ty::Str, Ty::Bool, Ty::Date]
                    [self.rng.weighted(&[25, 10, 15, 40, 3, 7])];
                let dom = if ty == Ty::Str {
                    self.string_dom()
                } else {
                    Dom::None
                };
                let subject = match (pick == 1).then(|| self.mapped(ty, dom)).flatten() {
                    Some(l) => MustSubject::Each(l),
                    None => MustSubject::One(self.scalar(ty, dom, 1)),
                };
                (subject, self.must_pred(ty, dom))
            }
            2 => {
                let src = self.must_records(Rec::Tech);
                (src, MustPred::Have(&Rec::Tech.fields()[5]))
            }
            3 => {
                // Now and then over items without a `location`: a compile error (§2.4).
                let rec = if self.rng.chance(5) {
                    Rec::Plant
                } else {
                    Rec::Data
                };
                let src = self.must_records(rec);
                let list = self
                    .let_list(Dom::Country)
                    .filter(|_| self.rng.chance(50))
                    .unwrap_or_else(|| self.list_literal(Ty::Str, Dom::Country));
                let pred = if self.rng.chance(50) {
                    MustPred::StayIn(list)
                } else {
                    MustPred::Stay(list)
                };
                (src, pred)
            }
            _ => {
                // `board chair must be party name`: membership in a list-valued phrase.
                let subject = match self
                    .rng
                    .chance(50)
                    .then(|| self.mapped(Ty::Str, Dom::Name))
                    .flatten()
                {
                    Some(l) => MustSubject::Each(l),
                    None => MustSubject::One(self.scalar(Ty::Str, Dom::Name, 0)),
                };
                let list = self
                    .mapped(Ty::Str, Dom::Name)
                    .unwrap_or(ListE::Lit(Vec::new()));
                (subject, MustPred::BeList(list))
            }
        };
        Must {
            subject,
            negated,
            pred,
        }
    }

    fn must_records(&mut self, rec: Rec) -> MustSubject {
        let lets: Vec<usize> = (0..self.lets.len())
            .filter(|i| matches!(self.lets[*i].def, LetDef::Records(_, r) if r == rec))
            .collect();
        let src = match self
            .rng
            .weighted(&[50, if lets.is_empty() { 0 } else { 25 }, 25])
        {
            0 => Src::Root(rec),
            1 => Src::Let(*self.rng.pick(&lets)),
            _ => {
                self.scopes.push(Scope::Item(rec));
                let c = self.guarded(|g| g.cond(1));
                self.scopes.pop();
                Src::Filter(Box::new(Src::Root(rec)), Box::new(c))
            }
        };
        MustSubject::Records(src)
    }

    fn must_pred(&mut self, ty: Ty, dom: Dom) -> MustPred {
        let value = |g: &mut Self| g.scalar(ty, dom, 1);
        match ty {
            Ty::Str => match self.rng.weighted(&[40, 25, 20, 15]) {
                0 => MustPred::Be(value(self)),
                1 => MustPred::BeIn(self.list_operand(ty, dom)),
                2 => MustPred::BeOneOf(self.list_operand(ty, dom)),
                _ => MustPred::BeList(
                    self.let_list(dom)
                        .unwrap_or_else(|| self.list_literal(ty, dom)),
                ),
            },
            Ty::Bool => MustPred::Be(value(self)),
            _ => match self
                .rng
                .weighted(&[20, 65, if ty == Ty::Date { 0 } else { 15 }])
            {
                0 => MustPred::Be(value(self)),
                1 => {
                    let op = *self.rng.pick(&[COp::Ge, COp::Le, COp::Gt, COp::Lt]);
                    MustPred::BeCmp(op, value(self))
                }
                _ => MustPred::BeIn(self.list_literal(ty, dom)),
            },
        }
    }
}

pub fn new_gen<'r>(rng: &'r mut Rng, lets: &'r [Let]) -> Gen<'r> {
    Gen {
        rng,
        lets,
        scopes: Vec::new(),
        guard: false,
    }
}

pub fn rule(rng: &mut Rng, lets: &[Let], id: String) -> Rule {
    let mut g = new_gen(rng, lets);
    let window = g.rng.chance(20).then(|| {
        let from = g.rng.below(pools::DATES.len() - 1);
        let until = g.rng.chance(65).then(|| {
            let later = from + 1 + g.rng.below(pools::DATES.len() - from - 1);
            pools::DATES[later].to_string()
        });
        (pools::DATES[from].to_string(), until)
    });
    let counts = |g: &mut Gen, weights: &[u32]| g.rng.weighted(weights);
    let whens = (0..counts(&mut g, &[60, 30, 10]))
        .map(|_| g.guarded(|g| g.cond(2)))
        .collect();
    let requires = (0..1 + counts(&mut g, &[80, 20]))
        .map(|_| {
            if g.rng.chance(18) {
                Clause::Must(g.must())
            } else {
                Clause::Expr(g.cond(3))
            }
        })
        .collect();
    let unlesses = (0..counts(&mut g, &[60, 33, 7]))
        .map(|_| g.guarded(|g| g.cond(2)))
        .collect();
    Rule {
        id,
        window,
        whens,
        requires,
        unlesses,
    }
}
