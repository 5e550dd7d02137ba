//! The checks of SPEC §7.1 that need the whole deal, in order: names
//! ([`super::names`]), owners over 100% ([`super::owners`]), cycles ([`super::cycles`]), then the
//! defaults. The entities they read are in [`super::entities`].

use super::entities::{records, text, Entities, Roots};
use super::error::Diags;
use super::names::{self, Use};
use super::plan::Plan;
use super::tree::{NodeValue, Record};
use super::{cycles, owners};

/// The checks of SPEC §7.1 on a deal whose values are valid, then its defaults
/// ([`owners::apply_defaults`]). Nothing for a schema without entities.
pub(crate) fn check(plan: &Plan, root: &mut Record, d: &mut Diags) {
    let Some(roots) = plan.roots else {
        return;
    };
    if !has_graph(&roots, root) {
        // Parties alone, owned by no one listed: only their names can clash.
        let (field, fields) = roots.parties;
        let names = || records(root.field(field)).filter_map(|p| text(p.field(fields.name)));
        // A usual deal has a few parties: compared in pairs, nothing is allocated.
        let few = names().nth(16).is_none();
        let repeated = few
            && names()
                .enumerate()
                .any(|(i, (name, _))| names().take(i).any(|(n, _)| n == name));
        if !few || repeated {
            names::report_repeats(names().map(|n| (n, Use::Party)).collect(), d);
        }
        owners::apply_defaults(&[roots.parties], None, root);
        return;
    }
    let Some(layout) = plan.layout else {
        return;
    };
    {
        let entities = Entities::of(&layout, root);
        names::duplicates(&layout, root, &entities, d);
        names::unknown_names(&plan.references, root, &entities, d);
        owners::over_100(&layout, &entities, d);
        let o = layout.owner;
        let edges = cycles::edges(&entities, o.name, [o.stake, o.voting]);
        cycles::check(&entities, &edges, d);
    }
    let lists = [layout.parties, layout.entities];
    owners::apply_defaults(&lists, Some(layout.owner), root);
}

/// Whether the deal has more than parties to check: items of `entities`, groups, a casting
/// vote, a party's `owners`, or an approval limited to parties.
fn has_graph(roots: &Roots, root: &Record) -> bool {
    let listed = |field: usize| match root.field(field).map(|n| &n.value) {
        Some(NodeValue::List(items)) => !items.is_empty(),
        _ => false,
    };
    let (parties, party) = roots.parties;
    listed(roots.entities)
        || roots.groups.is_some_and(listed)
        || roots.casting_vote.is_some_and(|(board, vote)| {
            matches!(root.field(board).map(|n| &n.value), Some(NodeValue::Record(b)) if b.field(vote).is_some())
        })
        || records(root.field(parties)).any(|p| p.field(party.owners).is_some())
        || roots.approval_parties.is_some_and(|(approvals, field)| {
            records(root.field(approvals)).any(|a| {
                matches!(a.field(field).map(|n| &n.value), Some(NodeValue::List(l)) if !l.is_empty())
            })
        })
}
