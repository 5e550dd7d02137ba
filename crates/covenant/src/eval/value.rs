//! Run-time values: deal values with their origin, computed values, and unknowns with reasons.

use std::cmp::Ordering;
use std::rc::Rc;

use std::sync::Arc;

use crate::deal::tree::{Node, NodeValue, Record};
use crate::number::{ArithError, Exact};
use crate::schema::{RecordId, Schema, Type};
use crate::source::Span;
use crate::syntax::ast::ArithOp;
use crate::value::Scalar;

use super::note::Reason;
use super::shown::{Distance, Element, Margin, Shown};

mod zero;
pub use zero::scalar_is_zero;

/// The element of a deal list a value belongs to, for evidence (`party "Dragon Motors"`).
/// Its numbers are `u32`s so that a value's [`Origin`] stays small.
#[derive(Clone, Copy, Debug)]
pub struct ItemRef<'d> {
    pub record: &'d Record,
    record_ty: u32,
    index: u32,
    /// The list field holding the element (`parties`).
    pub list: &'d str,
}

impl<'d> ItemRef<'d> {
    pub fn new(record: &'d Record, record_ty: RecordId, list: &'d str, index: usize) -> Self {
        ItemRef {
            record,
            // Schemas have far fewer than 2^32 record types, and deals (bounded in size) far
            // fewer elements.
            record_ty: u32::try_from(record_ty.0).unwrap_or(u32::MAX),
            index: u32::try_from(index).unwrap_or(u32::MAX),
            list,
        }
    }

    pub fn record_ty(&self) -> RecordId {
        RecordId(self.record_ty as usize)
    }

    /// The element's position in its list, from 0.
    pub fn index(&self) -> usize {
        self.index as usize
    }
}

/// A span of deal text in 8 bytes (deal texts are far smaller than 4 GiB), so that a value's
/// [`Origin`] stays small; a span that does not fit reads as none.
#[derive(Clone, Copy, Debug)]
pub struct OriginSpan {
    start: u32,
    end: u32,
}

impl OriginSpan {
    pub const NONE: OriginSpan = OriginSpan {
        start: u32::MAX,
        end: 0,
    };

    pub fn of(span: Option<Span>) -> Self {
        match span.map(|s| (u32::try_from(s.start), u32::try_from(s.end))) {
            Some((Ok(start), Ok(end))) if start <= end => OriginSpan { start, end },
            _ => Self::NONE,
        }
    }

    pub fn get(self) -> Option<Span> {
        (self.start <= self.end).then_some(Span {
            start: self.start as usize,
            end: self.end as usize,
        })
    }
}

impl Default for OriginSpan {
    fn default() -> Self {
        Self::NONE
    }
}

/// The `parent` of a value read from a record nested two or more levels below its element or
/// the root (`a.b.c`): its path is not kept (that would cost every value an allocation), so none
/// is shown rather than a wrong one.
pub const DEEP: &str = "…";

/// Where a value came from in the deal. Every value carries one, and values are moved and
/// cloned often: it is `Copy` and small (see `a_value_origin_stays_small`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Origin<'d> {
    pub span: OriginSpan,
    pub item: Option<ItemRef<'d>>,
    /// The field the value was read from (`stake`).
    pub field: Option<&'d str>,
    /// The field holding the record `field` was read from, when that record is itself a
    /// field (`board` of `board.seats`, `x` of `parties[0].x.y`), or [`DEEP`]; the path is
    /// rendered from it lazily.
    pub parent: Option<&'d str>,
}

/// Why a value is unknown, and where: the element, deal path and span of the value (or of the
/// record lacking it), when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Why {
    pub reason: Reason,
    pub span: Option<Span>,
    pub element: Option<Element>,
    pub path: Option<Box<str>>,
}

/// A value during evaluation.
#[derive(Clone, Debug)]
pub enum Val<'d> {
    Scalar(Scalar, Origin<'d>),
    /// The total of an empty list of money: a zero of the currency it meets (SPEC §2.6). An
    /// empty total of numbers or percents is a plain zero of that unit, as the type checker
    /// gives it.
    Zero,
    Record(&'d Record, Origin<'d>),
    List(Rc<Vec<Elem<'d>>>, Option<Span>),
    Unknown(Rc<Why>),
}

/// A list element; `maybe` holds why its membership is unknown (a filter that was unknown).
#[derive(Clone, Debug)]
pub struct Elem<'d> {
    pub val: Val<'d>,
    pub maybe: Option<Rc<Why>>,
}

pub fn unknown<'d>(why: Why) -> Val<'d> {
    Val::Unknown(Rc::new(why))
}

/// An unknown for `reason`, not located in the deal.
pub fn why(reason: Reason) -> Why {
    Why {
        reason,
        span: None,
        element: None,
        path: None,
    }
}

/// Append `n` in decimal.
pub(crate) fn push_decimal(out: &mut String, n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = n;
    loop {
        i -= 1;
        if let Some(d) = digits.get_mut(i) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || i == 0 {
            break;
        }
    }
    out.extend(
        digits
            .get(i..)
            .unwrap_or_default()
            .iter()
            .map(|&d| char::from(d)),
    );
}

/// The deal path of a value: `parties[1].stake`, `investment`.
pub fn origin_path(origin: &Origin<'_>) -> Option<String> {
    let element = |i: ItemRef<'_>, extra: usize| {
        let mut path = String::with_capacity(i.list.len() + extra + 6);
        path.push_str(i.list);
        path.push('[');
        push_decimal(&mut path, i.index());
        path.push(']');
        path
    };
    let field = |mut path: String, f: &str| {
        if let Some(p) = origin.parent {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(p);
        }
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(f);
        path
    };
    if origin.parent == Some(DEEP) {
        return None;
    }
    match (origin.item, origin.field) {
        (Some(i), Some(f)) => {
            let extra = f.len() + origin.parent.map_or(0, |p| p.len() + 1) + 1;
            Some(field(element(i, extra), f))
        }
        (Some(i), None) => Some(element(i, 0)),
        (None, Some(f)) => Some(field(String::new(), f)),
        (None, None) => None,
    }
}

/// A deal node as a value. `item` is the element the node belongs to, `field` its field name,
/// `parent` the field holding the record it was read from, if that record is a field.
pub fn from_node<'d>(
    schema: &Schema,
    node: &'d Node,
    ty: &Type,
    item: Option<ItemRef<'d>>,
    parent: Option<&'d str>,
    field: &'d str,
) -> Val<'d> {
    let origin = Origin {
        span: OriginSpan::of(Some(node.span)),
        item,
        field: Some(field),
        parent,
    };
    match &node.value {
        NodeValue::Null => unknown(Why {
            reason: Reason::Null {
                field: Arc::from(field),
            },
            span: Some(node.span),
            element: item.map(|i| Element::of(schema, &i)),
            path: origin_path(&origin).map(String::into_boxed_str),
        }),
        NodeValue::Scalar(s) => Val::Scalar(s.clone(), origin),
        NodeValue::Record(r) => Val::Record(r, origin),
        NodeValue::List(nodes) => {
            let elem_ty = ty.element();
            let elems = nodes
                .iter()
                .enumerate()
                .map(|(index, n)| {
                    let val = match (&n.value, elem_ty) {
                        (NodeValue::Record(r), Type::Record(id)) => Val::Record(
                            r,
                            Origin {
                                span: OriginSpan::of(Some(n.span)),
                                item: Some(ItemRef::new(r, *id, field, index)),
                                field: None,
                                parent: None,
                            },
                        ),
                        _ => from_node(schema, n, elem_ty, item, parent, field),
                    };
                    Elem { val, maybe: None }
                })
                .collect();
            Val::List(Rc::new(elems), Some(node.span))
        }
    }
}

fn arith_error(e: ArithError) -> Why {
    match e {
        ArithError::Overflow => why(Reason::Overflow),
        ArithError::DivisionByZero => why(Reason::DivisionByZero { divisor: None }),
    }
}

/// Numbers of one unit, or why they cannot be combined.
fn same_unit(a: &Scalar, b: &Scalar) -> Result<(Exact, Exact), Why> {
    match (a, b) {
        (Scalar::Number(x), Scalar::Number(y)) | (Scalar::Percent(x), Scalar::Percent(y)) => {
            Ok((*x, *y))
        }
        (Scalar::Money(c, x), Scalar::Money(d, y)) if c == d => Ok((*x, *y)),
        (Scalar::Money(c, _), Scalar::Money(d, _)) => Err(why(Reason::CurrenciesDiffer(*c, *d))),
        _ => Err(why(Reason::CannotCombine(Box::new((
            Shown::Scalar(a.clone()),
            Shown::Scalar(b.clone()),
        ))))),
    }
}

/// Order two scalars of one type; `Zero` takes the other side's unit.
/// The zero of a number's unit, for comparing with the total of an empty list.
fn zero_like(s: &Scalar) -> Option<Scalar> {
    match s {
        Scalar::Number(_) => Some(Scalar::Number(Exact::ZERO)),
        Scalar::Percent(_) => Some(Scalar::Percent(Exact::ZERO)),
        Scalar::Money(c, _) => Some(Scalar::Money(*c, Exact::ZERO)),
        _ => None,
    }
}

pub fn compare(a: &Val<'_>, b: &Val<'_>) -> Result<Ordering, Why> {
    match (a, b) {
        (Val::Unknown(w), _) | (_, Val::Unknown(w)) => Err((**w).clone()),
        (Val::Zero, Val::Zero) => Ok(Ordering::Equal),
        (Val::Zero, Val::Scalar(s, _)) => {
            let z = zero_like(s).ok_or_else(|| why(Reason::CannotCompareTotal))?;
            scalar_cmp(&z, s)
        }
        (Val::Scalar(s, _), Val::Zero) => {
            let z = zero_like(s).ok_or_else(|| why(Reason::CannotCompareTotal))?;
            scalar_cmp(s, &z)
        }
        (Val::Scalar(x, _), Val::Scalar(y, _)) => scalar_cmp(x, y),
        _ => Err(why(Reason::CannotCompare)),
    }
}

/// Whether [`compare_scalar`] finds `x` and `b` equal.
pub fn equal_scalar(x: &Scalar, b: &Val<'_>) -> Result<bool, Why> {
    match b {
        Val::Scalar(y, _) => scalar_eq(x, y),
        _ => compare_scalar(x, b).map(Ordering::is_eq),
    }
}

/// [`compare`] of a scalar value (`x`, wherever it came from) with `b`.
pub fn compare_scalar(x: &Scalar, b: &Val<'_>) -> Result<Ordering, Why> {
    match b {
        Val::Unknown(w) => Err((**w).clone()),
        Val::Zero => {
            let z = zero_like(x).ok_or_else(|| why(Reason::CannotCompareTotal))?;
            scalar_cmp(x, &z)
        }
        Val::Scalar(y, _) => scalar_cmp(x, y),
        _ => Err(why(Reason::CannotCompare)),
    }
}

/// Equality of two values (strings, bools, dates and numbers of one unit).
pub fn equal(a: &Val<'_>, b: &Val<'_>) -> Result<bool, Why> {
    compare(a, b).map(|o| o == Ordering::Equal)
}

pub(crate) fn scalar_cmp(a: &Scalar, b: &Scalar) -> Result<Ordering, Why> {
    match (a, b) {
        (Scalar::Str(x), Scalar::Str(y)) => Ok(x.cmp(y)),
        (Scalar::Bool(x), Scalar::Bool(y)) => Ok(x.cmp(y)),
        (Scalar::Date(x), Scalar::Date(y)) => Ok(x.cmp(y)),
        // `never` (SPEC §10) is later than every date and equal only to itself.
        (Scalar::Never, Scalar::Never) => Ok(Ordering::Equal),
        (Scalar::Never, Scalar::Date(_)) => Ok(Ordering::Greater),
        (Scalar::Date(_), Scalar::Never) => Ok(Ordering::Less),
        (Scalar::Number(x), Scalar::Number(y)) | (Scalar::Percent(x), Scalar::Percent(y)) => {
            Ok(x.cmp(y))
        }
        (Scalar::Money(c, x), Scalar::Money(d, y)) if c == d => Ok(x.cmp(y)),
        _ => same_unit(a, b).map(|(x, y)| x.cmp(&y)),
    }
}

/// Whether [`scalar_cmp`] finds `a` and `b` equal (`Err` when it cannot compare them).
pub(crate) fn scalar_eq(a: &Scalar, b: &Scalar) -> Result<bool, Why> {
    match (a, b) {
        (Scalar::Str(x), Scalar::Str(y)) => Ok(x == y),
        _ => scalar_cmp(a, b).map(Ordering::is_eq),
    }
}

/// Exact arithmetic with units (SPEC §2.5). A percent counts as a number / 100 in `*` and `/`.
pub fn arith<'d>(op: ArithOp, a: &Val<'d>, b: &Val<'d>) -> Val<'d> {
    match arith_scalar(op, a, b) {
        Ok(v) => v,
        Err(w) => unknown(w),
    }
}

pub(crate) fn arith_scalar<'d>(op: ArithOp, a: &Val<'d>, b: &Val<'d>) -> Result<Val<'d>, Why> {
    let (x, y) = match (a, b) {
        (Val::Unknown(w), _) | (_, Val::Unknown(w)) => return Err((**w).clone()),
        (Val::Zero, _) | (_, Val::Zero) => return zero::arith(op, a, b),
        (Val::Scalar(x, _), Val::Scalar(y, _)) => (x, y),
        _ => return Err(why(Reason::NeedsSingleValues)),
    };
    Ok(Val::Scalar(arith_scalars(op, x, y)?, Origin::default()))
}

/// `x op y` of two scalars: the arithmetic of [`arith_scalar`], for the compiled forms too.
pub(crate) fn arith_scalars(op: ArithOp, x: &Scalar, y: &Scalar) -> Result<Scalar, Why> {
    use Scalar::*;
    let e = arith_error;
    let hundred = Exact::HUNDRED;
    let frac = |p: &Exact| p.checked_div(hundred).map_err(e);
    let out = match op {
        ArithOp::Add | ArithOp::Sub => {
            let (p, q) = same_unit(x, y)?;
            let r = if op == ArithOp::Add {
                p.checked_add(q)
            } else {
                p.checked_sub(q)
            }
            .map_err(e)?;
            with_unit(x, r)
        }
        ArithOp::Mul => match (x, y) {
            (Number(p), Number(q)) => Number(p.checked_mul(*q).map_err(e)?),
            (Percent(p), Percent(q)) => Percent(p.checked_mul(frac(q)?).map_err(e)?),
            (Percent(p), Number(q)) | (Number(q), Percent(p)) => {
                Percent(p.checked_mul(*q).map_err(e)?)
            }
            (Percent(p), Money(c, m)) | (Money(c, m), Percent(p)) => {
                Money(*c, p.percent_of(*m).map_err(e)?)
            }
            (Number(n), Money(c, m)) | (Money(c, m), Number(n)) => {
                Money(*c, n.checked_mul(*m).map_err(e)?)
            }
            _ => {
                return Err(why(Reason::CannotMultiply(Box::new((
                    Shown::Scalar(x.clone()),
                    Shown::Scalar(y.clone()),
                )))))
            }
        },
        ArithOp::Div => match (x, y) {
            (Number(p), Number(q)) => Number(p.checked_div(*q).map_err(e)?),
            (Percent(p), Percent(q)) => Number(p.checked_div(*q).map_err(e)?),
            (Money(..), Money(..)) => {
                let (p, q) = same_unit(x, y)?;
                Number(p.checked_div(q).map_err(e)?)
            }
            (Money(c, m), Number(n)) => Money(*c, m.checked_div(*n).map_err(e)?),
            (Money(c, m), Percent(p)) => Money(*c, m.checked_div(frac(p)?).map_err(e)?),
            (Percent(p), Number(n)) => Percent(p.checked_div(*n).map_err(e)?),
            _ => {
                return Err(why(Reason::CannotDivide(Box::new((
                    Shown::Scalar(x.clone()),
                    Shown::Scalar(y.clone()),
                )))))
            }
        },
    };
    Ok(out)
}

pub(crate) fn zero_of<'d>(s: &Scalar) -> Val<'d> {
    let z = match s {
        Scalar::Percent(_) => Scalar::Percent(Exact::ZERO),
        Scalar::Money(c, _) => Scalar::Money(*c, Exact::ZERO),
        _ => Scalar::Number(Exact::ZERO),
    };
    Val::Scalar(z, Origin::default())
}

fn with_unit(like: &Scalar, n: Exact) -> Scalar {
    match like {
        Scalar::Percent(_) => Scalar::Percent(n),
        Scalar::Money(c, _) => Scalar::Money(*c, n),
        _ => Scalar::Number(n),
    }
}

/// How far `a` is from `b`, with its unit (`1 percentage point`, `USD 2M`, `3 days`), and on
/// which side.
pub fn margin(a: &Val<'_>, b: &Val<'_>) -> Option<Margin> {
    let (Val::Scalar(x, _), Val::Scalar(y, _)) = (a, b) else {
        if let (Val::Scalar(x, _), Val::Zero) = (a, b) {
            return margin(a, &zero_of(x));
        }
        if let (Val::Zero, Val::Scalar(y, _)) = (a, b) {
            return margin(&zero_of(y), b);
        }
        return None;
    };
    if let (Scalar::Date(p), Scalar::Date(q)) = (x, y) {
        let days = (*p - *q).get_days().unsigned_abs();
        return Some(Margin {
            distance: Distance::Days(days),
            side: p.cmp(q),
        });
    }
    let (p, q) = same_unit(x, y).ok()?;
    let mag = p.checked_sub(q).ok()?.abs();
    let distance = match x {
        Scalar::Percent(_) => Distance::Points(mag),
        Scalar::Money(c, _) => Distance::Money(*c, mag),
        _ => Distance::Number(mag),
    };
    Some(Margin {
        distance,
        side: p.cmp(&q),
    })
}
