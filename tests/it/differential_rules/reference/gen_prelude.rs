//! The definitions of a batch, which every rule of it may use: fixed ones (a country, lists
//! of countries and names, the foreign partners, a definition bound to a mapped phrase and
//! one bound to a deal value), then filters, values and a condition drawn at random (each
//! may use the ones before it).

use super::ast::*;
use super::gen_rule::new_gen;
use super::pools;
use super::print::Scope;
use super::rng::Rng;
use super::typing;

fn str_lits(items: &[&str]) -> Vec<Lit> {
    items.iter().map(|s| Lit::Str(s.to_string())).collect()
}

fn fixed() -> Vec<Let> {
    let party = Rec::Party.fields();
    let foreign = Src::Filter(
        Box::new(Src::Root(Rec::Party)),
        Box::new(Expr::Cmp(
            COp::Ne,
            false,
            Side::One(Box::new(Expr::Item(0, &party[1]))),
            Side::One(Box::new(Expr::LetScalar(0))),
        )),
    );
    let usd = Expr::Lit(Lit::Money("USD", Q::from_integer(1_000_000_000)));
    let chair = ROOT_FIELDS.iter().find(|f| f.key == "board.chair");
    let let_ = |name, def| Let { name, def };
    vec![
        let_(
            "home",
            LetDef::Scalar(Expr::Lit(Lit::Str("US".into())), Ty::Str, Dom::Country),
        ),
        let_(
            "covered nation",
            LetDef::List(str_lits(&["CN", "RU", "IR"]), Dom::Country),
        ),
        let_(
            "onshore",
            LetDef::List(str_lits(&["US", "MX"]), Dom::Country),
        ),
        let_("foreign partner", LetDef::Records(foreign, Rec::Party)),
        let_(
            "cap",
            LetDef::Scalar(Expr::Lit(Lit::Pct(pools::q(1, 2))), Ty::Pct, Dom::None),
        ),
        let_("big budget", LetDef::Scalar(usd, Ty::Money, Dom::None)),
        let_(
            "key names",
            LetDef::List(str_lits(&["Acme Motors", "Big \"Red\" Auto"]), Dom::Name),
        ),
        let_(
            "sensitive category",
            LetDef::List(str_lits(&["vcs", "ads"]), Dom::TechCategory),
        ),
        // A list value read from the deal, and a string read from the deal (not a policy
        // literal, so never a near miss).
        let_(
            "partner names",
            LetDef::Mapped(ListE::Mapped(Src::Root(Rec::Party), &party[0]), Dom::Name),
        ),
        let_(
            "lead",
            LetDef::Scalar(Expr::Root(chair.unwrap()), Ty::Str, Dom::Name),
        ),
    ]
}

/// What the random definitions are.
enum Draw {
    /// `X where C` over a root list.
    Filter(Rec),
    /// `foreign partner where C`.
    FilterForeign,
    Value(Ty),
}

pub fn prelude(rng: &mut Rng) -> Vec<Let> {
    let mut lets = fixed();
    let random: [(&'static str, Draw); 9] = [
        ("chosen tech", Draw::Filter(Rec::Tech)),
        ("chosen plant", Draw::Filter(Rec::Plant)),
        ("chosen data", Draw::Filter(Rec::Data)),
        ("chosen party", Draw::Filter(Rec::Party)),
        ("chosen partner", Draw::FilterForeign),
        ("limit share", Draw::Value(Ty::Pct)),
        ("limit amount", Draw::Value(Ty::Money)),
        ("limit figure", Draw::Value(Ty::Num)),
        ("screened", Draw::Value(Ty::Bool)),
    ];
    for (name, draw) in random {
        let done = lets.clone();
        let mut g = new_gen(rng, &done);
        g.guard = true;
        // A definition the SPEC rejects would sink the whole batch: draw again.
        let def = loop {
            let def = match draw {
                Draw::Filter(rec) => {
                    g.scopes = vec![Scope::Item(rec)];
                    let c = g.cond(1);
                    LetDef::Records(Src::Filter(Box::new(Src::Root(rec)), Box::new(c)), rec)
                }
                Draw::FilterForeign => {
                    g.scopes = vec![Scope::Item(Rec::Party)];
                    let c = g.cond(1);
                    LetDef::Records(Src::Filter(Box::new(Src::Let(3)), Box::new(c)), Rec::Party)
                }
                Draw::Value(Ty::Bool) => {
                    g.scopes = Vec::new();
                    LetDef::Scalar(g.cond(2), Ty::Bool, Dom::None)
                }
                Draw::Value(ty) => {
                    g.scopes = Vec::new();
                    LetDef::Scalar(g.scalar(ty, Dom::None, 2), ty, Dom::None)
                }
            };
            let candidate = Let { name, def };
            if typing::let_def(&candidate).is_ok() {
                break candidate;
            }
        };
        lets.push(def);
    }
    lets
}
