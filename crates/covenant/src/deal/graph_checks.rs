//! The checks of SPEC §7.1 that need the whole deal, in order: names
//! ([`super::names`]), owners over 100% ([`super::owners`]), cycles ([`super::cycles`]), then the
//! defaults. The entities they read are in [`super::entities`].

use super::entities::{records, text, Entities, Roots};
use super::error::Diags;
use super::names::{self, Use};
use super::plan::Plan;
use super::tree::{NodeValue, OwnerEdge, OwnerEdges, Record};
use super::{cycles, owners};

/// The checks of SPEC §7.1 on a deal whose values are valid, then its defaults
/// ([`owners::apply_defaults`]). Nothing for a schema without entities. What it found of the
/// owner edges, for the ownership graph, when the deal has the entities' whole layout.
pub(crate) fn check(plan: &Plan, root: &mut Record, d: &mut Diags) -> Option<Box<OwnerEdges>> {
    let roots = plan.roots?;
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
        return None;
    }
    let layout = plan.layout?;
    let kept = {
        let entities = Entities::of(&layout, root);
        let o = layout.owner;
        let (edges, owners_known) = cycles::edges(&entities, o.name, [o.stake, o.voting]);
        names::duplicates(&layout, root, &entities, d);
        // The owners' names were all looked up for the edges: when each named an entity,
        // only the other places are walked for unknown names.
        let known = owners_known.then_some(&layout);
        names::unknown_names(&plan.references, known, root, &entities, d);
        owners::over_100(&layout, &entities, d);
        cycles::check(&entities, &edges, d);
        kept(&entities, &edges)
    };
    // The defaults change no name and no list: the positions kept stay right.
    let lists = [layout.parties, layout.entities];
    owners::apply_defaults(&lists, Some(layout.owner), root);
    kept
}

/// The owner edges by position, for the ownership graph ([`OwnerEdges`]); `None` when a
/// position does not fit in a `u32` (the graph then looks the names up itself).
fn kept(entities: &Entities<'_>, edges: &[cycles::Edge]) -> Option<Box<OwnerEdges>> {
    let at = |i: usize| u32::try_from(i).ok();
    let mut kept = Vec::with_capacity(edges.len());
    for e in edges {
        kept.push(OwnerEdge {
            to: at(e.to)?,
            item: at(e.item)?,
            from: at(e.from)?,
        });
    }
    let mut by_name = Vec::with_capacity(entities.all.len());
    for i in entities.by_names() {
        by_name.push(at(i)?);
    }
    Some(Box::new(OwnerEdges {
        entities: entities.all.len(),
        edges: kept,
        by_name,
    }))
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
