//! The stake total of a deal: a warning (`covenant::deal::stakes-not-100`) when every party
//! has a stake and they do not add up to exactly 100%. A warning never changes a verdict;
//! a policy that requires the total writes `rule stakes-sum: total party stake = 100%`.

use super::error::{self, Diags};
use super::plan::Plan;
use super::tree::{NodeValue, Record};
use crate::number::Exact;
use crate::value::Scalar;

/// Warn when the `parties` list has at least one party, every party has a `stake` percent,
/// and the stakes do not add up to 100%. Schemas without a `parties` list of records with a
/// percent `stake` are not checked.
pub(crate) fn check(plan: &Plan, root: &Record, d: &mut Diags) {
    let Some((parties, stake)) = plan.stakes else {
        return;
    };
    let Some(node) = root.field(parties) else {
        return;
    };
    let NodeValue::List(items) = &node.value else {
        return;
    };
    let mut total = Exact::ZERO;
    for item in items {
        let NodeValue::Record(r) = &item.value else {
            return;
        };
        let Some(NodeValue::Scalar(Scalar::Percent(p))) = r.field(stake).map(|n| &n.value) else {
            return;
        };
        let Ok(sum) = total.checked_add(*p) else {
            return;
        };
        total = sum;
    }
    if items.is_empty() || total == Exact::from_int(100) {
        return;
    }
    d.push(
        error::StakesNot100 {
            total: total.display(),
            span: node.span,
            src: d.src(),
        }
        .into(),
    );
}
