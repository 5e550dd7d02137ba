//! The controller of an entity (SPEC §7.3): follow the owner with `voting` over 50% or
//! `controls: true` until an entity without one. Two such owners: joint control, unknown.
//! None while an owner's `voting` is missing, or while holders not listed could hold over 50%
//! of the votes: unknown. A walk takes at most one step per entity, so a cycle (impossible in
//! a validated deal) ends as unknown instead of looping.

use num_rational::BigRational;

use super::fraction::{bool_field, exact_percent, fraction_of_percent, one, zero};
use super::graph::{Kind, OwnerEdge};
use super::{ControlLink, Controller, EntityId, Graph, Target, Unknown};
use crate::number::Exact;

/// What one entity's owners say about its control.
enum Step<W> {
    /// This owner controls it.
    By(ControlLink),
    /// No one controls it: it is its own controller.
    Own,
    Unknown(Unknown<W>),
}

pub(super) fn controller<W>(g: &Graph<'_>, id: EntityId) -> Controller<W> {
    let mut chain: Vec<ControlLink> = Vec::new();
    let mut current = id;
    loop {
        if chain.len() >= g.entities().len().max(1) {
            let why = Unknown::Cycle { entity: current };
            return Controller::Unknown { chain, why };
        }
        match step(g, current) {
            Step::By(link) => {
                current = link.holder;
                chain.push(link);
            }
            Step::Own => {
                return Controller::Known {
                    entity: current,
                    chain,
                }
            }
            Step::Unknown(why) => return Controller::Unknown { chain, why },
        }
    }
}

/// The owner edges of an entity.
fn owners<'g, 'd>(g: &'g Graph<'d>, id: EntityId) -> &'g [OwnerEdge<'d>] {
    let shape = &g.shape;
    let start = shape.edge_start.get(id.index()).copied().unwrap_or(0);
    let end = shape.edge_start.get(id.index() + 1).copied().unwrap_or(0);
    shape.edges.get(start..end).unwrap_or_default()
}

/// The link an owner edge makes when it controls the entity.
fn controlling(g: &Graph<'_>, edge: &OwnerEdge<'_>) -> Option<ControlLink> {
    let fields = &g.shape.owner;
    let voting = fields.voting.and_then(|f| exact_percent(edge.record, f));
    let controls = fields.controls.and_then(|f| bool_field(edge.record, f));
    let over_half = voting.filter(|(v, _)| *v > Exact::from_int(50));
    let span = match (over_half, controls) {
        (Some((_, span)), _) => span,
        (None, Some((true, span))) => span,
        _ => return None,
    };
    Some(ControlLink {
        holder: edge.owner,
        voting: voting.map(|(v, _)| v),
        controls: controls.is_some_and(|(c, _)| c),
        span,
    })
}

fn step<W>(g: &Graph<'_>, id: EntityId) -> Step<W> {
    let Some(entity) = g.entity(id) else {
        let span = Default::default();
        return Step::Unknown(Unknown::NoOwners { entity: id, span });
    };
    let edges = owners(g, id);
    let mut found: Option<ControlLink> = None;
    for edge in edges {
        let Some(link) = controlling(g, edge) else {
            continue;
        };
        match &found {
            None => found = Some(link),
            Some(first) if first.holder == link.holder => {}
            Some(first) => {
                let by = (first.holder, link.holder);
                return Step::Unknown(Unknown::JointControl { entity: id, by });
            }
        }
    }
    if let Some(link) = found {
        return Step::By(link);
    }
    let kind = g
        .shape
        .kinds
        .get(id.index())
        .copied()
        .unwrap_or(Kind::Other);
    let voting = g.shape.owner.voting;
    let mut listed: BigRational = zero();
    for edge in edges {
        match voting.and_then(|f| exact_percent(edge.record, f)) {
            Some((v, _)) => listed += fraction_of_percent(v),
            None => {
                return Step::Unknown(Unknown::MissingMeasure {
                    from: edge.owner,
                    to: Target::Entity(id),
                    field: "voting".into(),
                    span: edge.span,
                })
            }
        }
    }
    let span = entity.span;
    match kind {
        Kind::Public => Step::Own,
        Kind::State | Kind::Individual if edges.is_empty() => Step::Own,
        _ if edges.is_empty() => Step::Unknown(Unknown::NoOwners { entity: id, span }),
        _ if (one() - &listed) * BigRational::from_integer(2.into()) > one() => {
            Step::Unknown(Unknown::UnlistedOwners {
                entity: id,
                measure: "voting".into(),
                listed,
                span,
            })
        }
        _ => Step::Own,
    }
}
