//! h(T), the holders' share of a target (SPEC §7.2), by one memoised walk up the owner edges:
//! an explicit stack (no recursion, so a chain of any depth is safe), each node computed once,
//! each edge read once. A node's holding is dropped after its last possible reader, so a deep
//! chain of fractional edges keeps one large number alive, not one per node.
//!
//! Unknowns follow §7.2: a member of `S` holds 100% of itself (absorbing); a maybe-member is
//! unknown; an entity not in `S` needs known ownership (§7.1); a term w(e) × h(o) is 0% when
//! either factor is a known 0% (a 0% edge's owner is never read), else unknown when either
//! factor is. The first unknown met, in owner order, is the one reported; a node's own missing
//! measure is named before its owner's unknown.

use std::collections::HashMap;

use num_rational::BigRational;
use num_traits::Zero;

use super::fraction::{bool_field, one, percent_field, zero};
use super::graph::Kind;
use super::paths::{Arena, Best, Entry};
use super::{
    EntityId, Graph, Holders, LookThrough, Measure, Membership, Mode, Path, PathEdge, Target,
    Unknown,
};
use crate::deal::tree::Record;
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
enum Weight {
    /// A known 0%: the owner is not read.
    Zero,
    Missing,
    Known(BigRational),
}

/// A node's holding, known: the value, and its paths.
#[derive(Debug)]
struct Known {
    value: BigRational,
    /// By control: the sum of every path's contribution, which the 100% cap leaves out of
    /// `value` (`None` when equal to `value`).
    uncapped: Option<BigRational>,
    /// How many paths reach the node (saturating).
    count: u64,
    top: Vec<Entry>,
}

enum Slot<W> {
    /// On the walk's stack: meeting it again is a cycle.
    Open,
    Done {
        result: Result<Known, Unknown<W>>,
        reads_left: u32,
    },
    /// Read by every edge that can read it, and dropped.
    Spent,
}

/// A node whose edges are being summed.
struct Frame<'d> {
    node: usize,
    cursor: usize,
    value: BigRational,
    uncapped: Option<BigRational>,
    count: u64,
    best: Best<'d>,
}

/// What to do after advancing a frame.
enum Step<W> {
    /// Compute this owner first.
    Descend(usize),
    Finished(Result<Known, Unknown<W>>),
}

pub(super) struct Walk<'a, 'd, W> {
    g: &'a Graph<'d>,
    measure: &'a Measure,
    holders: &'a Holders<W>,
    mode: &'a Mode,
    target: usize,
    memo: HashMap<usize, Slot<W>>,
    arena: Arena<'d>,
}

impl<'a, 'd, W: Clone> Walk<'a, 'd, W> {
    pub fn new(
        g: &'a Graph<'d>,
        measure: &'a Measure,
        holders: &'a Holders<W>,
        mode: &'a Mode,
        target: Target,
    ) -> Self {
        let target = match target {
            Target::Deal => g.entities().len(),
            Target::Entity(id) => id.index(),
        };
        Walk {
            g,
            measure,
            holders,
            mode,
            target,
            memo: HashMap::new(),
            arena: Arena::default(),
        }
    }

    fn deal(&self) -> usize {
        self.g.entities().len()
    }

    fn to_target(&self, node: usize) -> Target {
        if node == self.deal() {
            Target::Deal
        } else {
            Target::Entity(entity_id(node))
        }
    }

    pub fn run(mut self) -> LookThrough<W> {
        if self.holders.members.iter().all(Option::is_none) {
            return LookThrough::known(zero(), Vec::new(), 0, zero());
        }
        if self.target > self.deal() {
            let entity = entity_id(self.target);
            let span = Span::default();
            return LookThrough::unknown(Unknown::NoOwners { entity, span });
        }
        match self.holding(self.target) {
            Err(why) => LookThrough::unknown(why),
            Ok(known) => self.evidence(known),
        }
    }

    /// h(node), walking up from it.
    fn holding(&mut self, node: usize) -> Result<Known, Unknown<W>> {
        let mut stack = match self.enter(node) {
            Ok(frame) => vec![frame],
            Err(done) => return done,
        };
        self.memo.insert(node, Slot::Open);
        while let Some(frame) = stack.last_mut() {
            let step = self.advance(frame);
            match step {
                Step::Descend(owner) => match self.enter(owner) {
                    Ok(frame) => {
                        self.memo.insert(owner, Slot::Open);
                        stack.push(frame);
                    }
                    Err(result) => self.store(owner, result),
                },
                Step::Finished(result) => {
                    let node = frame.node;
                    stack.pop();
                    if stack.is_empty() {
                        return result;
                    }
                    self.store(node, result);
                }
            }
        }
        Err(Unknown::Cycle {
            entity: entity_id(node),
        })
    }

    fn store(&mut self, node: usize, result: Result<Known, Unknown<W>>) {
        let reads_left = self
            .g
            .shape
            .out_degree
            .get(node)
            .copied()
            .unwrap_or(u32::MAX);
        self.memo.insert(node, Slot::Done { result, reads_left });
    }

    /// A node met for the first time: done at once (a member, a maybe-member, unknown
    /// ownership), or a frame to sum its edges.
    fn enter(&self, node: usize) -> Result<Frame<'d>, Result<Known, Unknown<W>>> {
        if node < self.deal() {
            let entity = entity_id(node);
            match self.holders.members.get(node) {
                Some(Some(Membership::Sure)) => {
                    return Err(Ok(Known {
                        value: one(),
                        uncapped: None,
                        count: 1,
                        top: vec![Entry::start(entity)],
                    }));
                }
                Some(Some(Membership::Maybe(why))) => {
                    let why = why.clone();
                    return Err(Err(Unknown::MaybeMember { entity, why }));
                }
                _ => {}
            }
        }
        self.ownership(node).map_err(Err)?;
        Ok(Frame {
            node,
            cursor: 0,
            value: zero(),
            uncapped: matches!(self.mode, Mode::Control { .. }).then(zero),
            count: 0,
            best: Best::default(),
        })
    }

    /// Sum the frame's edges until one needs an owner not yet computed.
    fn advance(&mut self, frame: &mut Frame<'d>) -> Step<W> {
        while let Some(edge) = self.edge(frame.node, frame.cursor) {
            let weight = self.weight(&edge);
            if matches!(weight, Weight::Zero) {
                frame.cursor += 1;
                continue;
            }
            let owner = edge.from.index();
            let term = match self.memo.get(&owner) {
                None => return Step::Descend(owner),
                Some(Slot::Done { result, .. }) => self.add_term(frame, edge, weight, result),
                Some(Slot::Open | Slot::Spent) => Err(Unknown::Cycle { entity: edge.from }),
            };
            self.read(owner);
            if let Err(why) = term {
                return Step::Finished(Err(why));
            }
            frame.cursor += 1;
        }
        Step::Finished(Ok(self.finish(frame)))
    }

    /// One more read of `owner`'s holding: dropped after its last.
    fn read(&mut self, owner: usize) {
        if let Some(Slot::Done { reads_left, .. }) = self.memo.get_mut(&owner) {
            *reads_left = reads_left.saturating_sub(1);
            if *reads_left == 0 {
                self.memo.insert(owner, Slot::Spent);
            }
        }
    }

    /// Add w(e) × h(o) to the frame.
    fn add_term(
        &self,
        frame: &mut Frame<'d>,
        edge: InEdge<'d>,
        weight: Weight,
        owner: &Result<Known, Unknown<W>>,
    ) -> Result<(), Unknown<W>> {
        let known = match (owner, &weight) {
            (Ok(k), _) if k.value.is_zero() => return Ok(()),
            (_, Weight::Missing) => return Err(self.missing(&edge)),
            (Err(why), _) => return Err(why.clone()),
            (Ok(k), _) => k,
        };
        let Weight::Known(w) = weight else {
            return Ok(());
        };
        frame.value += &w * &known.value;
        if let Some(sum) = &mut frame.uncapped {
            *sum += &w * known.uncapped.as_ref().unwrap_or(&known.value);
        }
        frame.count = frame.count.saturating_add(known.count);
        frame
            .best
            .offer(self.g, edge, frame.cursor, &w, &known.top);
        Ok(())
    }

    fn finish(&mut self, frame: &mut Frame<'d>) -> Known {
        let mut value = std::mem::replace(&mut frame.value, zero());
        let mut uncapped = frame.uncapped.take();
        if uncapped.is_some() && value > one() {
            value = one();
        } else {
            // Nothing was capped: the paths add up to the value.
            uncapped = uncapped.filter(|u| *u != value);
        }
        Known {
            value,
            uncapped,
            count: frame.count,
            top: std::mem::take(&mut frame.best).finish(&mut self.arena),
        }
    }

    /// The `i`th edge into `node`.
    pub(super) fn edge(&self, node: usize, i: usize) -> Option<InEdge<'d>> {
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
    fn weight(&self, edge: &InEdge<'d>) -> Weight {
        match self.value_and_counted(edge) {
            None => Weight::Missing,
            Some((_, counted)) if counted.is_zero() => Weight::Zero,
            Some((_, counted)) => Weight::Known(counted),
        }
    }

    /// The edge's measure (with its span) and what it counts for.
    fn value_and_counted(&self, edge: &InEdge<'d>) -> Option<((BigRational, Span), BigRational)> {
        let (value, span) = percent_field(edge.record, edge.field, edge.fallback)?;
        let counted = match self.mode {
            Mode::Control {
                threshold,
                inclusive,
            } if edge.to != self.target => {
                let passes = value > *threshold || (*inclusive && value == *threshold);
                if passes || self.controls(edge) {
                    one()
                } else {
                    value.clone()
                }
            }
            _ => value.clone(),
        };
        Some(((value, span), counted))
    }

    fn controls(&self, edge: &InEdge<'d>) -> bool {
        let field = self.g.shape.owner.controls;
        field
            .and_then(|f| bool_field(edge.record, f))
            .is_some_and(|(b, _)| b)
    }

    fn missing(&self, edge: &InEdge<'d>) -> Unknown<W> {
        Unknown::MissingMeasure {
            from: edge.from,
            to: self.to_target(edge.to),
            field: self.measure.name.clone(),
            span: edge.item_span,
        }
    }

    /// Whether the node's ownership is known in the measure (SPEC §7.1).
    fn ownership(&self, node: usize) -> Result<(), Unknown<W>> {
        let mut listed = zero();
        let mut edges = 0;
        while let Some(edge) = self.edge(node, edges) {
            edges += 1;
            match percent_field(edge.record, edge.field, edge.fallback) {
                Some((v, _)) => listed += v,
                None if self.kind(node) == Kind::Public => {}
                None => return Err(self.missing(&edge)),
            }
        }
        let measure = self.measure.name.clone();
        if node == self.deal() {
            return match listed.cmp(&one()) {
                std::cmp::Ordering::Equal => Ok(()),
                std::cmp::Ordering::Greater => Err(Unknown::PartiesOver100 {
                    measure,
                    total: listed,
                }),
                std::cmp::Ordering::Less => Err(Unknown::UnlistedParties { measure, listed }),
            };
        }
        let entity = entity_id(node);
        let span = self.g.entity(entity).map(|e| e.span).unwrap_or_default();
        let kind = self.kind(node);
        if edges == 0 {
            return match kind {
                Kind::State | Kind::Individual | Kind::Public => Ok(()),
                Kind::Other => Err(Unknown::NoOwners { entity, span }),
            };
        }
        if listed > one() {
            return Err(Unknown::OwnersOver100 {
                entity,
                measure,
                total: listed,
                span,
            });
        }
        if listed < one() && kind != Kind::Public {
            return Err(Unknown::UnlistedOwners {
                entity,
                measure,
                listed,
                span,
            });
        }
        Ok(())
    }

    fn kind(&self, node: usize) -> Kind {
        self.g.shape.kinds.get(node).copied().unwrap_or(Kind::Other)
    }

    /// The value with its largest paths, and the rest.
    fn evidence(&self, known: Known) -> LookThrough<W> {
        let paths: Vec<Path> = known.top.iter().map(|e| self.path(e)).collect();
        let shown = paths
            .iter()
            .fold(zero(), |sum, p| sum + &p.contribution);
        let total = known.uncapped.as_ref().unwrap_or(&known.value);
        let more_value = total - shown;
        let more_paths = known.count.saturating_sub(paths.len() as u64);
        LookThrough::known(known.value, paths, more_paths, more_value)
    }

    fn path(&self, entry: &Entry) -> Path {
        let edges = self
            .arena
            .edges(entry.link)
            .iter()
            .filter_map(|e| self.path_edge(e))
            .collect();
        Path {
            contribution: entry.contribution.clone(),
            edges,
        }
    }

    fn path_edge(&self, edge: &InEdge<'d>) -> Option<PathEdge> {
        let ((value, span), counted) = self.value_and_counted(edge)?;
        Some(PathEdge {
            from: edge.from,
            to: self.to_target(edge.to),
            counted: (counted != value).then_some(counted),
            value,
            span,
        })
    }
}

fn entity_id(node: usize) -> EntityId {
    EntityId(u32::try_from(node).unwrap_or(u32::MAX))
}

impl<W> LookThrough<W> {
    fn known(
        value: BigRational,
        paths: Vec<Path>,
        more_paths: u64,
        more_value: BigRational,
    ) -> Self {
        LookThrough {
            value: Ok(value),
            paths,
            more_paths,
            more_value,
        }
    }

    fn unknown(why: Unknown<W>) -> Self {
        LookThrough {
            value: Err(why),
            paths: Vec::new(),
            more_paths: 0,
            more_value: zero(),
        }
    }
}
