//! Owner edges (SPEC §7.1): the owners of one entity over 100%
//! (`covenant::deal::owners-over-100`), and the defaults of §7.1: an owner edge's
//! `prior_stake` and `prior_voting` are its `stake` and `voting` and its `controls` is false
//! unless written, and an entity of kind `state` is its own `state` unless one is written.

use miette::LabeledSpan;
use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};

use super::entities::{text, Entities, Entity, EntityFields, Layout, OwnerFields};
use super::error::{self, Diags};
use super::tree::{Node, NodeValue, Record};
use crate::number::Exact;
use crate::source::Span;
use crate::value::Scalar;

/// The most owners' values labelled in one `owners-over-100` (the value that passes 100% is
/// always one of them); the help says how many more there are.
const VALUES_SHOWN: usize = 20;

/// A measure of the owner edges: its field, and the field it defaults to (for `prior_*`).
struct Measure {
    name: &'static str,
    field: usize,
    default: Option<(usize, &'static str)>,
}

fn measures(o: OwnerFields) -> [Measure; 4] {
    [
        Measure {
            name: "stake",
            field: o.stake,
            default: None,
        },
        Measure {
            name: "voting",
            field: o.voting,
            default: None,
        },
        Measure {
            name: "prior_stake",
            field: o.prior_stake,
            default: Some((o.stake, "stake")),
        },
        Measure {
            name: "prior_voting",
            field: o.prior_voting,
            default: Some((o.voting, "voting")),
        },
    ]
}

/// One owner's value of a measure.
struct Held<'d> {
    owner: Option<&'d str>,
    value: Exact,
    span: Span,
    /// The field it was copied from, when the measure is a `prior_*` not written.
    copied_from: Option<&'static str>,
}

/// `covenant::deal::owners-over-100`: the owners of one entity (a party or an item of
/// `entities`; the JV's own parties keep v1's `stakes-not-100` warning) add up to more than
/// 100% in `stake`, `voting`, or a `prior_*` written on one of them at least (with the others'
/// defaults: a `prior_*` not written on any owner is its current value, checked already).
pub(crate) fn over_100(layout: &Layout, entities: &Entities<'_>, d: &mut Diags) {
    for entity in &entities.all {
        let owners = entity.owners();
        if owners.is_empty() || within_100(layout.owner, owners) {
            continue;
        }
        for measure in measures(layout.owner) {
            if measure.default.is_some() && !some_owner_writes(owners, measure.field) {
                continue;
            }
            if let Some(total) = over(values(layout.owner, owners, &measure)) {
                let held: Vec<Held<'_>> = values(layout.owner, owners, &measure).collect();
                report(entity, &measure, &held, &total, d);
            }
        }
    }
}

/// Whether every measure of `owners` adds up to at most 100%, for the usual entity: its
/// owners write no `prior_*` (those measures are then the current ones) and their `stake`s and
/// `voting`s add up to at most 100% each. Nothing [`over_100`] would report then; when this
/// says no, the measures are checked one by one.
fn within_100(o: OwnerFields, owners: &[Node]) -> bool {
    // The first owner's values stand as they are: one owner (most entities) adds nothing.
    let mut totals: [Option<Exact>; 2] = [None; 2];
    for node in owners {
        let NodeValue::Record(edge) = &node.value else {
            continue;
        };
        let written = |field: usize| {
            edge.field(field)
                .is_some_and(|n| percent(Some(n)).is_some())
        };
        if written(o.prior_stake) || written(o.prior_voting) {
            return false;
        }
        for (total, field) in totals.iter_mut().zip([o.stake, o.voting]) {
            if let Some((v, _)) = percent(edge.field(field)) {
                *total = match total {
                    None => Some(v),
                    Some(t) => match t.checked_add(v) {
                        Ok(sum) => Some(sum),
                        Err(_) => return false,
                    },
                };
            }
        }
    }
    totals.iter().flatten().all(|t| at_most_100(*t))
}

/// `t <= 100%`, by its parts (the denominator is positive) while `100 · denominator` fits.
fn at_most_100(t: Exact) -> bool {
    let (n, d) = t.parts();
    match d.checked_mul(100) {
        Some(hundred) => n <= hundred,
        None => t <= Exact::HUNDRED,
    }
}

fn values<'d, 'm>(
    o: OwnerFields,
    owners: &'d [Node],
    measure: &'m Measure,
) -> impl Iterator<Item = Held<'d>> + Clone + 'm
where
    'd: 'm,
{
    owners.iter().filter_map(move |node| {
        let NodeValue::Record(edge) = &node.value else {
            return None;
        };
        let owner = text(edge.field(o.name)).map(|(name, _)| name);
        let written = percent(edge.field(measure.field));
        let (value, span, copied_from) = match (written, measure.default) {
            (Some((v, span)), _) => (v, span, None),
            (None, Some((field, name))) => {
                let (v, span) = percent(edge.field(field))?;
                (v, span, Some(name))
            }
            (None, None) => return None,
        };
        Some(Held {
            owner,
            value,
            span,
            copied_from,
        })
    })
}

/// Whether some owner writes `field`.
fn some_owner_writes(owners: &[Node], field: usize) -> bool {
    owners.iter().any(|o| match &o.value {
        NodeValue::Record(edge) => percent(edge.field(field)).is_some(),
        _ => false,
    })
}

/// The total of `held` when it is over 100%: added exactly, in `i128` while that holds.
fn over<'d>(held: impl Iterator<Item = Held<'d>> + Clone) -> Option<BigRational> {
    let mut small = Some(Exact::ZERO);
    for h in held.clone() {
        small = small.and_then(|t| t.checked_add(h.value).ok());
    }
    match small {
        Some(total) if total <= Exact::HUNDRED => None,
        Some(total) => Some(total.to_big()),
        None => {
            let total: BigRational = held.map(|h| h.value.to_big()).sum();
            (total > BigRational::from_integer(BigInt::from(100))).then_some(total)
        }
    }
}

fn percent(node: Option<&Node>) -> Option<(Exact, Span)> {
    match node {
        Some(Node {
            value: NodeValue::Scalar(Scalar::Percent(p)),
            span,
        }) => Some((*p, *span)),
        _ => None,
    }
}

/// Report the values of a measure that add up to `total`, more than 100%.
fn report(
    entity: &Entity<'_>,
    measure: &Measure,
    held: &[Held<'_>],
    total: &BigRational,
    d: &mut Diags,
) {
    let hundred = BigRational::from_integer(BigInt::from(100));
    let mut running = BigRational::zero();
    let passes = held.iter().position(|h| {
        running += h.value.to_big();
        running > hundred
    });
    let Some(passes) = passes else {
        return;
    };
    let label = |h: &Held<'_>| {
        let owner = h.owner.map_or("an owner".into(), super::doc::shorten);
        let value = h.value.display();
        match h.copied_from {
            Some(from) => format!(
                "{owner}: {value}% (its `{from}`: `{}` is not written)",
                measure.name
            ),
            None => format!("{owner}: {value}%"),
        }
    };
    let Some(crossing) = held.get(passes) else {
        return;
    };
    let others: Vec<LabeledSpan> = held
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != passes)
        .take(VALUES_SHOWN - 1)
        .map(|(_, h)| LabeledSpan::new_with_span(Some(label(h)), h.span))
        .collect();
    let total = decimal(total);
    let sum = if held.len() <= VALUES_SHOWN {
        let terms: Vec<String> = held
            .iter()
            .map(|h| format!("{}%", h.value.display()))
            .collect();
        format!("{} = {total}%", terms.join(" + "))
    } else {
        format!(
            "the {} owners' values add up to {total}% ({} are not labelled)",
            held.len(),
            held.len() - VALUES_SHOWN
        )
    };
    let e = error::OwnersOver100 {
        entity: entity.called(),
        measure: measure.name.into(),
        total,
        span: crossing.span,
        primary_label: format!("{}, which takes the total past 100%", label(crossing)),
        others,
        help: format!(
            "{sum}; the owners of one entity hold at most 100% of it: correct one of these values"
        ),
        src: d.src(),
    };
    d.push(e.into());
}

/// A non-negative rational with a terminating decimal expansion (a sum of percents) as the
/// shortest exact decimal; any other, rounded to 40 places with a leading `≈`.
pub(crate) fn decimal(r: &BigRational) -> String {
    let ten = BigInt::from(10);
    let whole = r.to_integer();
    let mut rest = r.numer() - &whole * r.denom();
    let mut digits = String::new();
    while !rest.is_zero() && digits.len() < 40 {
        rest *= &ten;
        let digit = &rest / r.denom();
        rest -= &digit * r.denom();
        digits.push(char::from(b'0' + digit.to_u8().unwrap_or(0)));
    }
    let approx = if rest.is_zero() { "" } else { "≈" };
    if digits.is_empty() {
        format!("{approx}{whole}")
    } else {
        format!("{approx}{whole}.{digits}")
    }
}

/// The defaults of SPEC §7.1, on the entities of the root's `lists` (a field and its records'
/// fields), in a deal whose values are valid, and on their owner edges (given the edges'
/// fields; `None` when no entity lists owners): the `state`
/// of an entity of kind `state` is its `country`, an owner edge's `prior_stake` and
/// `prior_voting` are its `stake` and `voting`, and its `controls` is false, unless written
/// (`null` is not written). A copied default is a copy of the value, span included, so a
/// report points at what the deal wrote; `controls: false` spans the owner item. A party's own
/// `prior_*` stay missing.
pub(crate) fn apply_defaults(
    lists: &[(usize, EntityFields)],
    owner: Option<OwnerFields>,
    root: &mut Record,
) {
    for &(field, fields) in lists {
        let Some(Some(Node {
            value: NodeValue::List(items),
            ..
        })) = root.fields.get_mut(field)
        else {
            continue;
        };
        for item in items {
            if let NodeValue::Record(r) = &mut item.value {
                entity_defaults(fields, owner, r);
            }
        }
    }
}

fn entity_defaults(f: EntityFields, o: Option<OwnerFields>, r: &mut Record) {
    if matches!(text(r.field(f.kind)), Some(("state", _))) {
        copy_if_missing(r, f.country, f.state);
    }
    let Some(o) = o else {
        return;
    };
    let Some(Some(Node {
        value: NodeValue::List(owners),
        ..
    })) = r.fields.get_mut(f.owners)
    else {
        return;
    };
    for owner in owners {
        let span = owner.span;
        if let NodeValue::Record(edge) = &mut owner.value {
            copy_if_missing(edge, o.stake, o.prior_stake);
            copy_if_missing(edge, o.voting, o.prior_voting);
            if !edge.field(o.controls).is_some_and(written) {
                if let Some(slot) = edge.fields.get_mut(o.controls) {
                    *slot = Some(Node {
                        value: NodeValue::Scalar(Scalar::Bool(false)),
                        span,
                    });
                }
            }
        }
    }
}

/// Whether a field's value is written (not `null`).
fn written(n: &Node) -> bool {
    !matches!(n.value, NodeValue::Null)
}

/// Copy field `from` into field `to` when `to` is absent or null and `from` has a value. A
/// field the record has no slot for (one the policy does not read, not stored) is left alone.
fn copy_if_missing(r: &mut Record, from: usize, to: usize) {
    match r.fields.get(to) {
        None => return,
        Some(Some(n)) if written(n) => return,
        Some(_) => {}
    }
    let Some(value) = r.field(from).filter(|n| written(n)).cloned() else {
        return;
    };
    if let Some(slot) = r.fields.get_mut(to) {
        *slot = Some(value);
    }
}
