//! Which generated rules the SPEC says do not compile. The generator builds well-typed
//! expressions, with a few deliberate exceptions; this walk finds them from the tree alone.
//!
//! - a list operand of a comparison that is not a mapped phrase: a list field (`waivers =
//!   "X"`, `covenant::type::list-comparison`, §2.6) or a list value (`= [..]`, §2.5);
//! - two element sides in one comparison (§2.4);
//! - an element side in a guard: `when`, `unless`, `where`, `not`, a `let` (§2.4);
//! - an aggregate of yes/no values (`covenant::type::bool-aggregate`, §8);
//! - units that do not meet: a percent compared with or added to a plain number (§2.5).

use super::ast::*;
use super::pending::{Pending, Tags};

/// Why a rule does not compile (a pending ruling that says so is among the rule's tags).
#[derive(Clone, Debug)]
pub struct CompileError {
    pub why: &'static str,
}

type Check = Result<(), CompileError>;

fn error(why: &'static str) -> Check {
    Err(CompileError { why })
}

/// The SPEC's verdict on a rule, and the pending rulings its shape depends on.
pub fn rule(r: &Rule, lets: &[Let]) -> (Check, Tags) {
    let mut tags = Tags::default();
    let mut result = Ok(());
    let mut keep = |c: Check| {
        if result.is_ok() {
            result = c;
        }
    };
    for w in r.whens.iter().chain(&r.unlesses) {
        keep(expr(w, true, &mut tags));
    }
    for c in &r.requires {
        keep(match c {
            Clause::Expr(e) => expr(e, false, &mut tags),
            Clause::Must(m) => must(m, lets, &mut tags),
        });
    }
    (result, tags)
}

/// A definition the SPEC accepts whatever rulings are pending (so that every rule of a
/// batch can use it).
pub fn let_def(l: &Let) -> Check {
    let mut tags = Tags::default();
    match &l.def {
        LetDef::Scalar(e, _, _) => expr(e, true, &mut tags),
        LetDef::Records(s, _) => src(s, &mut tags),
        LetDef::List(..) => Ok(()),
        LetDef::Mapped(l, _) => list(l, &mut tags),
    }?;
    if tags != Tags::default() {
        return error("a definition that depends on a pending ruling");
    }
    Ok(())
}

fn is_element_side(l: &ListE) -> bool {
    matches!(l, ListE::Mapped(..) | ListE::Transfers(_))
}

fn is_bool_list(l: &ListE) -> bool {
    matches!(l, ListE::Mapped(_, f) if f.ty == Ty::Bool)
}

/// A side of a comparison: a single value, or an element side outside a guard.
fn side(s: &Side, guard: bool, tags: &mut Tags) -> Check {
    match s {
        Side::One(e) => expr(e, guard, tags),
        Side::Each(l) if is_element_side(l) && guard => {
            error("a list-valued comparison in a guard")
        }
        Side::Each(l) if is_element_side(l) => list(l, tags),
        Side::Each(ListE::Waivers | ListE::ItemTransfers(_)) => {
            tags.add(Pending::ListComparison);
            error("a list field compared with a scalar")
        }
        Side::Each(_) => error("a list value compared with a scalar"),
    }
}

fn list(l: &ListE, tags: &mut Tags) -> Check {
    match l {
        ListE::Mapped(s, _) | ListE::Transfers(s) => src(s, tags),
        _ => Ok(()),
    }
}

fn src(s: &Src, tags: &mut Tags) -> Check {
    match s {
        Src::Filter(from, c) => {
            src(from, tags)?;
            expr(c, true, tags)
        }
        _ => Ok(()),
    }
}

/// `guard`: a `when`, `unless`, `where`, `not` or definition, where nothing distributes.
fn expr(e: &Expr, guard: bool, tags: &mut Tags) -> Check {
    match e {
        Expr::Cmp(_, _, Side::One(a), Side::One(b)) if units_differ(a, b) => {
            error("a percent meets a plain number")
        }
        Expr::Arith(AOp::Add | AOp::Sub, a, b) if units_differ(a, b) => {
            error("a percent meets a plain number")
        }
        Expr::Cmp(_, _, a, b) => {
            if matches!((a, b), (Side::Each(x), Side::Each(y)) if is_element_side(x) && is_element_side(y))
            {
                return error("two list operands in one comparison");
            }
            side(a, guard, tags)?;
            side(b, guard, tags)
        }
        Expr::Member(_, a, l) => {
            side(a, guard, tags)?;
            list(l, tags)
        }
        Expr::Within(a, _, b) => {
            side(a, guard, tags)?;
            expr(b, guard, tags)
        }
        Expr::Not(inner) => expr(inner, true, tags),
        Expr::And(items) | Expr::Or(items) => items.iter().try_for_each(|i| expr(i, guard, tags)),
        Expr::Quant(q) => {
            match &q.over {
                QOver::Records(s) => src(s, tags)?,
                QOver::YesNo(s, _) => {
                    tags.add(Pending::YesNoLists);
                    src(s, tags)?
                }
                QOver::Waivers => {}
            }
            if let Some(c) = &q.filter {
                expr(c, true, tags)?;
            }
            match &q.body {
                Some(p) => expr(p, guard, tags),
                None => Ok(()),
            }
        }
        Expr::Agg(_, l) | Expr::CountValues(l) if is_bool_list(l) => {
            tags.add(Pending::YesNoLists);
            error("an aggregate of yes/no values")
        }
        Expr::Agg(_, l) | Expr::CountValues(l) => list(l, tags),
        Expr::CountRecords(s) => src(s, tags),
        Expr::Arith(_, a, b) => {
            expr(a, guard, tags)?;
            expr(b, guard, tags)
        }
        Expr::Lit(_)
        | Expr::Root(_)
        | Expr::Item(..)
        | Expr::WaiverItem
        | Expr::LetScalar(_)
        | Expr::Presence(..) => Ok(()),
    }
}

fn must(m: &Must, lets: &[Let], tags: &mut Tags) -> Check {
    let stay = matches!(m.pred, MustPred::StayIn(_) | MustPred::Stay(_));
    if stay && !matches!(&m.subject, MustSubject::Records(s) if located(s, lets)) {
        return error("`stay` over items without a `location`");
    }
    match &m.subject {
        MustSubject::One(e) => expr(e, false, tags)?,
        MustSubject::Each(l) => list(l, tags)?,
        MustSubject::Records(s) => src(s, tags)?,
    }
    match &m.pred {
        MustPred::Be(e) | MustPred::BeCmp(_, e) => expr(e, false, tags),
        MustPred::BeList(l) => {
            if reads_deal(l, lets) {
                tags.add(Pending::MustBeListPhrase);
            }
            list(l, tags)
        }
        MustPred::BeIn(l) | MustPred::BeOneOf(l) | MustPred::StayIn(l) | MustPred::Stay(l) => {
            list(l, tags)
        }
        MustPred::Have(_) => Ok(()),
    }
}

/// A list-valued phrase: a mapped phrase, or a definition bound to one (not a literal).
pub fn reads_deal(l: &ListE, lets: &[Let]) -> bool {
    match l {
        ListE::Let(i) => matches!(lets[*i].def, LetDef::Mapped(..)),
        _ => matches!(l, ListE::Mapped(..)),
    }
}

/// Whether the items of a list of records have a `location` (only data items do).
fn located(s: &Src, lets: &[Let]) -> bool {
    match s {
        Src::Root(rec) => *rec == Rec::Data,
        Src::Filter(from, _) => located(from, lets),
        Src::Let(i) => matches!(lets[*i].def, LetDef::Records(_, Rec::Data)),
    }
}

/// Percent against plain number, the one unit mismatch the generator makes on purpose.
fn units_differ(a: &Expr, b: &Expr) -> bool {
    let (x, y) = (unit_of(a), unit_of(b));
    matches!(
        (x, y),
        (Some(Ty::Pct), Some(Ty::Num)) | (Some(Ty::Num), Some(Ty::Pct))
    )
}

/// The type of a literal, a field or an aggregate of one; other expressions are not
/// looked at.
fn unit_of(e: &Expr) -> Option<Ty> {
    match e {
        Expr::Lit(Lit::Num(_)) => Some(Ty::Num),
        Expr::Lit(Lit::Pct(_)) => Some(Ty::Pct),
        Expr::Root(f) | Expr::Item(_, f) | Expr::Agg(_, ListE::Mapped(_, f)) => Some(f.ty),
        Expr::Arith(AOp::Add | AOp::Sub, a, _) => unit_of(a),
        _ => None,
    }
}
