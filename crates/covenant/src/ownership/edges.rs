//! The edges into a node of a look-through, what each counts for (SPEC §7.2), and whether a
//! node's ownership is known in the measure (SPEC §7.1).

use std::cmp::Ordering;

use super::frac::Frac;
use super::fraction::{bool_field, exact_percent};
use super::graph::Kind;
use super::{EntityId, Graph, Measure, Mode, Target, Unknown};
use crate::deal::tree::Record;
use crate::number::Exact;
use crate::source::Span;

/// An edge into a node of the walk: `from` holds of `to` (an entity index, or the deal: the
/// number of entities) what `record`'s `field` says.
#[derive(Clone, Copy, Debug)]
pub(super) struct InEdge<'d> {
    pub from: EntityId,
    pub to: usize,
    pub record: &'d Record,
    pub field: usize,
    pub fallback: Option<usize>,
    /// The owner item's span (the party's, for an edge into the deal).
    pub item_span: Span,
}

/// What an edge counts for.
pub(super) enum Weight {
    /// A known 0%: the owner is not read.
    Zero,
    Missing,
    Known(Frac),
}

/// The edges of one look-through: its graph, measure, mode and target.
pub(super) struct Edges<'a, 'd> {
    pub g: &'a Graph<'d>,
    pub measure: &'a Measure,
    /// By control: the threshold, and whether reaching it is enough.
    pub threshold: Option<(Frac, bool)>,
    /// The target node: an entity index, or the deal (the number of entities).
    pub target: usize,
}

impl<'a, 'd> Edges<'a, 'd> {
    pub fn new(g: &'a Graph<'d>, measure: &'a Measure, mode: &Mode, target: Target) -> Self {
        let target = match target {
            Target::Deal => g.entities().len(),
            Target::Entity(id) => id.index(),
        };
        let threshold = match mode {
            Mode::Proportional => None,
            Mode::Control {
                threshold,
                inclusive,
            } => Some((Frac::of_ratio(threshold), *inclusive)),
        };
        Edges {
            g,
            measure,
            threshold,
            target,
        }
    }

    pub fn deal(&self) -> usize {
        self.g.entities().len()
    }

    pub fn to_target(&self, node: usize) -> Target {
        if node == self.deal() {
            Target::Deal
        } else {
            Target::Entity(entity_id(node))
        }
    }

    /// The `i`th edge into `node`.
    // Inlined into the walks (see `Frac::of_percent`).
    #[inline]
    pub fn edge(&self, node: usize, i: usize) -> Option<InEdge<'d>> {
        let shape = &self.g.shape;
        if node == self.deal() {
            if i >= shape.parties {
                return None;
            }
            let party = self.g.entities().get(i)?;
            return Some(InEdge {
                from: entity_id(i),
                to: node,
                record: party.record,
                field: self.measure.party_field,
                fallback: None,
                item_span: party.span,
            });
        }
        let start = *shape.edge_start.get(node)?;
        let end = *shape.edge_start.get(node + 1)?;
        let at = start.checked_add(i).filter(|at| *at < end)?;
        let e = shape.edges.get(at)?;
        Some(InEdge {
            from: e.owner,
            to: node,
            record: e.record,
            field: self.measure.owner_field,
            fallback: shape
                .owner
                .fallback
                .get(self.measure.owner_field)
                .copied()
                .flatten(),
            item_span: e.span,
        })
    }

    /// What an edge counts for (SPEC §7.2): its measure; by control, 100% into an entity
    /// other than the target when its measure passes the threshold or it `controls`.
    pub fn weight(&self, edge: &InEdge<'d>) -> Weight {
        if self.threshold.is_none() || edge.to == self.target {
            // Counted at its value (as `value_and_counted` finds it), without a copy.
            return match measure_of(edge) {
                None => Weight::Missing,
                Some((value, _)) if value.is_zero() => Weight::Zero,
                Some((value, _)) => Weight::Known(value),
            };
        }
        match self.value_and_counted(edge) {
            None => Weight::Missing,
            Some((_, counted)) if counted.is_zero() => Weight::Zero,
            Some((_, counted)) => Weight::Known(counted),
        }
    }

    /// The edge's measure (with its span) and what it counts for.
    pub fn value_and_counted(&self, edge: &InEdge<'d>) -> Option<((Frac, Span), Frac)> {
        let (value, span) = measure_of(edge)?;
        let counted = match &self.threshold {
            Some((threshold, inclusive)) if edge.to != self.target => {
                let passes = match value.cmp(threshold) {
                    Ordering::Greater => true,
                    Ordering::Equal => *inclusive,
                    Ordering::Less => false,
                };
                if passes || self.controls(edge) {
                    Frac::one()
                } else {
                    value.clone()
                }
            }
            _ => value.clone(),
        };
        Some(((value, span), counted))
    }

    pub fn controls(&self, edge: &InEdge<'d>) -> bool {
        let field = self.g.shape.owner.controls;
        field
            .and_then(|f| bool_field(edge.record, f))
            .is_some_and(|(b, _)| b)
    }

    pub fn missing<W>(&self, edge: &InEdge<'d>) -> Unknown<W> {
        Unknown::MissingMeasure {
            from: edge.from,
            to: self.to_target(edge.to),
            field: self.measure.name.clone(),
            span: edge.item_span,
        }
    }

    /// Whether the node's ownership is known in the measure (SPEC §7.1).
    pub fn ownership<W>(&self, node: usize) -> Result<(), Unknown<W>> {
        if self.ownership_known(node) {
            return Ok(());
        }
        self.ownership_listed(node)
    }

    /// [`Edges::ownership`] by the fractions of the edges, and why it is not known.
    pub(super) fn ownership_listed<W>(&self, node: usize) -> Result<(), Unknown<W>> {
        let kind = self.kind(node);
        let mut listed = Frac::zero();
        let mut edges = 0;
        while let Some(edge) = self.edge(node, edges) {
            edges += 1;
            match measure_of(&edge) {
                Some((v, _)) => listed.add(&v),
                None if kind == Kind::Public => {}
                None => return Err(self.missing(&edge)),
            }
        }
        let against_one = listed.cmp(&Frac::one());
        let deal = node == self.deal();
        if against_one == Ordering::Equal
            || (kind == Kind::Public && against_one == Ordering::Less)
            || (!deal && edges == 0 && matches!(kind, Kind::State | Kind::Individual))
        {
            return Ok(());
        }
        let entity = entity_id(node);
        let span = self.g.entity(entity).map(|e| e.span).unwrap_or_default();
        if !deal && edges == 0 {
            return Err(Unknown::NoOwners { entity, span });
        }
        let (measure, listed) = (self.measure.name.clone(), listed.ratio());
        Err(match (deal, against_one) {
            (true, Ordering::Greater) => Unknown::PartiesOver100 {
                measure,
                total: listed,
            },
            (true, _) => Unknown::UnlistedParties { measure, listed },
            (false, Ordering::Greater) => Unknown::OwnersOver100 {
                entity,
                measure,
                total: listed,
                span,
            },
            (false, _) => Unknown::UnlistedOwners {
                entity,
                measure,
                listed,
                span,
            },
        })
    }

    /// Whether [`Edges::ownership`] is surely `Ok` for `node`, found with the percents added
    /// as they are written (exact, in machine integers): false when it is not, or when a sum
    /// does not fit (`ownership` then decides, and says why).
    pub(super) fn ownership_known(&self, node: usize) -> bool {
        let kind = self.kind(node);
        let mut listed = Exact::ZERO;
        let mut edges = 0;
        while let Some(edge) = self.edge(node, edges) {
            edges += 1;
            let p = exact_percent(edge.record, edge.field)
                .or_else(|| edge.fallback.and_then(|f| exact_percent(edge.record, f)));
            match p {
                Some((p, _)) => match listed.checked_add(p) {
                    Ok(sum) => listed = sum,
                    Err(_) => return false,
                },
                None if kind == Kind::Public => {}
                None => return false,
            }
        }
        let against_one = listed.cmp(&Exact::HUNDRED);
        against_one == Ordering::Equal
            || (kind == Kind::Public && against_one == Ordering::Less)
            || (node != self.deal() && edges == 0 && matches!(kind, Kind::State | Kind::Individual))
    }

    pub fn kind(&self, node: usize) -> Kind {
        self.g.shape.kinds.get(node).copied().unwrap_or(Kind::Other)
    }
}

/// The edge's measure as a fraction, with its span; an owner edge's `prior_*` falls back to
/// its current value (SPEC §7.1).
fn measure_of(edge: &InEdge<'_>) -> Option<(Frac, Span)> {
    let (p, span) = exact_percent(edge.record, edge.field)
        .or_else(|| edge.fallback.and_then(|f| exact_percent(edge.record, f)))?;
    Some((Frac::of_percent(p), span))
}

pub(super) fn entity_id(node: usize) -> EntityId {
    EntityId(u32::try_from(node).unwrap_or(u32::MAX))
}
