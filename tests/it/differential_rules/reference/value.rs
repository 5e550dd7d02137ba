//! The reference's values: exact rationals with units (SPEC §2.5), strings that remember
//! whether the policy or the deal wrote them (near misses, §2.6), and Kleene truth (§3.4).

use num_traits::Signed;
use serde_json::Value;

use super::ast::{AOp, COp, Ty, Q};
use super::pending::{Pending, Tags};

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Tv {
    T,
    F,
    U,
}

impl Tv {
    pub fn of(b: bool) -> Tv {
        if b {
            Tv::T
        } else {
            Tv::F
        }
    }

    pub fn and(self, o: Tv) -> Tv {
        match (self, o) {
            (Tv::F, _) | (_, Tv::F) => Tv::F,
            (Tv::T, Tv::T) => Tv::T,
            _ => Tv::U,
        }
    }

    pub fn or(self, o: Tv) -> Tv {
        match (self, o) {
            (Tv::T, _) | (_, Tv::T) => Tv::T,
            (Tv::F, Tv::F) => Tv::F,
            _ => Tv::U,
        }
    }

    pub fn not(self) -> Tv {
        match self {
            Tv::T => Tv::F,
            Tv::F => Tv::T,
            Tv::U => Tv::U,
        }
    }

    /// `every`: false if any is false, else unknown if any is unknown.
    pub fn all(items: impl IntoIterator<Item = Tv>) -> Tv {
        items.into_iter().fold(Tv::T, Tv::and)
    }

    /// `some`: true if any is true, else unknown if any is unknown.
    pub fn any(items: impl IntoIterator<Item = Tv>) -> Tv {
        items.into_iter().fold(Tv::F, Tv::or)
    }
}

#[derive(Clone, PartialEq, Eq, Debug)]
pub enum Unit {
    Num,
    Pct,
    /// Money of a currency; `None` for the zero of an empty `total` of money, which takes the
    /// currency it meets (§2.4, §2.6).
    Money(Option<String>),
}

#[derive(Clone, Debug)]
pub enum V {
    Num {
        unit: Unit,
        q: Q,
        /// The zero of an empty `total` (pending rulings apply where it meets `*` or `/`).
        empty_total: bool,
    },
    Str {
        s: String,
        from_policy: bool,
    },
    Bool(bool),
    Date(String),
    Unknown,
}

pub fn num(unit: Unit, q: Q) -> V {
    V::Num {
        unit,
        q,
        empty_total: false,
    }
}

/// An exact decimal such as `33.33` or `-2` (deals and policies write no other numbers).
pub fn parse_decimal(text: &str) -> Option<Q> {
    let text = text.replace('_', "");
    let (neg, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.to_string()),
        None => (false, text),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((&digits, ""));
    let scale = 10i128.checked_pow(frac.len() as u32)?;
    let whole: i128 = format!("{int}{frac}").parse().ok()?;
    let q = Q::new(whole, scale);
    Some(if neg { -q } else { q })
}

/// A deal value of the schema type `ty`; absent or `null` is unknown (SPEC §3.4).
pub fn from_deal(v: Option<&Value>, ty: Ty) -> V {
    let Some(v) = v else { return V::Unknown };
    match (ty, v) {
        (Ty::Num, Value::Number(n)) => {
            parse_decimal(&n.to_string()).map_or(V::Unknown, |q| num(Unit::Num, q))
        }
        (Ty::Pct, Value::String(s)) => s
            .strip_suffix('%')
            .and_then(parse_decimal)
            .map_or(V::Unknown, |q| num(Unit::Pct, q / Q::from_integer(100))),
        (Ty::Money, Value::String(s)) => money(s).unwrap_or(V::Unknown),
        (Ty::Str, Value::String(s)) => V::Str {
            s: s.clone(),
            from_policy: false,
        },
        (Ty::Bool, Value::Bool(b)) => V::Bool(*b),
        (Ty::Date, Value::String(s)) => V::Date(s.clone()),
        _ => V::Unknown,
    }
}

/// `USD 3.5B`, `EUR 120M`, `USD 250_000`.
fn money(text: &str) -> Option<V> {
    let (cur, amount) = text.split_once(' ')?;
    let (digits, scale) = match amount.chars().last()? {
        'K' => (&amount[..amount.len() - 1], 1_000),
        'M' => (&amount[..amount.len() - 1], 1_000_000),
        'B' => (&amount[..amount.len() - 1], 1_000_000_000),
        _ => (amount, 1),
    };
    let q = parse_decimal(digits)? * Q::from_integer(scale);
    Some(num(Unit::Money(Some(cur.to_string())), q))
}

/// The unit two operands of `+`, `-` or a comparison share, if they share one.
fn same_unit(a: &Unit, b: &Unit) -> Option<Unit> {
    match (a, b) {
        (Unit::Money(x), Unit::Money(y)) => match (x, y) {
            (Some(x), Some(y)) if x != y => None,
            (Some(c), _) | (_, Some(c)) => Some(Unit::Money(Some(c.clone()))),
            (None, None) => Some(Unit::Money(None)),
        },
        _ if a == b => Some(a.clone()),
        _ => None,
    }
}

fn near_miss(a: &str, b: &str) -> bool {
    a != b && a.trim().to_lowercase() == b.trim().to_lowercase()
}

/// A comparison of two single values. A deal string that is a near miss of a policy string
/// makes it unknown (§2.6).
pub fn compare(op: COp, a: &V, b: &V, tags: &mut Tags) -> Tv {
    use std::cmp::Ordering;
    let ord: Ordering = match (a, b) {
        (V::Num { unit: ua, q: x, .. }, V::Num { unit: ub, q: y, .. }) => {
            if same_unit(ua, ub).is_none() {
                return Tv::U;
            }
            x.cmp(y)
        }
        (
            V::Str {
                s: x,
                from_policy: px,
            },
            V::Str {
                s: y,
                from_policy: py,
            },
        ) => {
            if px != py && near_miss(x, y) {
                tags.add(Pending::NearMiss);
                return Tv::U;
            }
            if x == y {
                Ordering::Equal
            } else {
                Ordering::Less
            }
        }
        (V::Bool(x), V::Bool(y)) => {
            if x == y {
                Ordering::Equal
            } else {
                Ordering::Less
            }
        }
        (V::Date(x), V::Date(y)) => x.cmp(y),
        _ => return Tv::U,
    };
    Tv::of(match op {
        COp::Lt => ord.is_lt(),
        COp::Le => ord.is_le(),
        COp::Gt => ord.is_gt(),
        COp::Ge => ord.is_ge(),
        COp::Eq => ord.is_eq(),
        COp::Ne => ord.is_ne(),
    })
}

/// `|a - b| <= t`, `t` in `b`'s unit.
pub fn within(a: &V, t: &V, b: &V, tags: &mut Tags) -> Tv {
    let diff = arith(AOp::Sub, a, b, tags);
    let V::Num { unit, q, .. } = diff else {
        return Tv::U;
    };
    let abs = num(unit, q.abs());
    compare(COp::Le, &abs, t, tags)
}

/// Exact arithmetic with units (§2.5, §2.6); a percent counts as a number / 100 in `*`
/// and `/`. Anything undefined at run time (another currency, a division by zero) is
/// unknown.
pub fn arith(op: AOp, a: &V, b: &V, tags: &mut Tags) -> V {
    let (
        V::Num {
            unit: ua,
            q: x,
            empty_total: ea,
        },
        V::Num {
            unit: ub,
            q: y,
            empty_total: eb,
        },
    ) = (a, b)
    else {
        return V::Unknown;
    };
    if matches!(op, AOp::Mul | AOp::Div | AOp::Of) && (*ea || *eb) {
        tags.add(Pending::EmptyTotalUnit);
    }
    let unit = match op {
        AOp::Add | AOp::Sub => same_unit(ua, ub),
        AOp::Mul | AOp::Of => product_unit(op, ua, ub),
        AOp::Div => quotient_unit(ua, ub),
    };
    let Some(unit) = unit else { return V::Unknown };
    let q = match op {
        AOp::Add => x + y,
        AOp::Sub => x - y,
        AOp::Mul | AOp::Of => x * y,
        AOp::Div => {
            if *y.numer() == 0 {
                if *eb {
                    tags.add(Pending::EmptyTotalDivision);
                }
                return V::Unknown;
            }
            x / y
        }
    };
    let empty_total = matches!(op, AOp::Add | AOp::Sub) && *ea && *eb;
    V::Num {
        unit,
        q,
        empty_total,
    }
}

fn product_unit(op: AOp, a: &Unit, b: &Unit) -> Option<Unit> {
    use Unit::*;
    Some(match (a, b) {
        (Pct, Num) if op == AOp::Of => Num,
        (Pct, Pct) | (Pct, Num) | (Num, Pct) => Pct,
        (Num, Num) => Num,
        (Money(c), Pct | Num) | (Pct | Num, Money(c)) => Money(c.clone()),
        _ => return None,
    })
}

fn quotient_unit(a: &Unit, b: &Unit) -> Option<Unit> {
    use Unit::*;
    Some(match (a, b) {
        (Money(c), Num | Pct) => Money(c.clone()),
        (Money(_), Money(_)) => {
            same_unit(a, b)?;
            Num
        }
        (Pct, Num) => Pct,
        (Num, Num) | (Pct, Pct) => Num,
        _ => return None,
    })
}
