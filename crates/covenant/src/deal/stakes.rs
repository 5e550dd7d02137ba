//! The stake total of a deal: a warning (`covenant::deal::stakes-not-100`) when every party
//! has a stake and they do not add up to exactly 100%. A warning never changes a verdict;
//! a policy that requires the total writes `rule stakes-sum: total party stake = 100%`.

use super::error::{self, Diags};
use super::plan::Plan;
use super::tree::{Node, NodeValue, Record};
use crate::number::Exact;
use crate::source::Span;
use crate::value::Scalar;

/// Warn when the `parties` list has at least one party, every party has a `stake` percent,
/// and the stakes do not add up to 100%. Schemas without a `parties` list of records with a
/// percent `stake` are not checked.
pub(crate) fn check(plan: &Plan, root: &Record, d: &mut Diags) {
    if let Some((total, span)) = total_not_100(plan, root) {
        d.push(
            error::StakesNot100 {
                total: total.display(),
                span,
                src: d.src(),
            }
            .into(),
        );
    }
}

/// The stakes' total and the span of `parties`, when the parties have stakes that do not add
/// up to 100%.
fn total_not_100(plan: &Plan, root: &Record) -> Option<(Exact, Span)> {
    let (parties, stake) = plan.stakes?;
    let node = root.field(parties)?;
    let NodeValue::List(items) = &node.value else {
        return None;
    };
    let stake_of = |item: &Node| match &item.value {
        NodeValue::Record(r) => match r.field(stake).map(|n| &n.value) {
            Some(NodeValue::Scalar(Scalar::Percent(p))) => Some(*p),
            _ => None,
        },
        _ => None,
    };
    // In whole units of 10^-18 percent while every stake is one (a decimal of up to 18
    // places: every stake read from a deal's text), without a fraction reduced at each sum.
    let mut units: Option<i128> = Some(0);
    for item in items {
        let p = stake_of(item)?;
        units = units.and_then(|u| u.checked_add(p.in_units(UNIT)?));
    }
    if items.is_empty() || units == Some(100 * i128::from(UNIT)) {
        return None;
    }
    let mut total = Exact::ZERO;
    for item in items {
        total = total.checked_add(stake_of(item)?).ok()?;
    }
    (total != Exact::from_int(100)).then_some((total, node.span))
}

/// The unit of a deal's stakes summed as whole numbers: 10^-18 percent.
const UNIT: u64 = 1_000_000_000_000_000_000;
