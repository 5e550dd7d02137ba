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

use std::cmp::Ordering;

use super::edges::{entity_id, Edges, InEdge, Weight};
use super::frac::Frac;
use super::fraction::zero;
use super::paths::{Arena, Best, Entry};
use super::{
    Graph, Holders, LookThrough, Measure, Membership, Mode, Path, PathEdge, Target, Unknown,
};
use crate::source::Span;

/// The walk's stack reserved at once: deeper than the chains of most deals.
const STACK: usize = 8;

/// A node's holding, known: the value, and its paths.
#[derive(Debug)]
struct Known {
    value: Frac,
    /// By control: the sum of every path's contribution, which the 100% cap leaves out of
    /// `value` (`None` when equal to `value`).
    uncapped: Option<Frac>,
    /// How many paths reach the node (saturating).
    count: u64,
    top: Vec<Entry>,
}

/// Where a node of the walk is.
#[derive(Clone, Copy, Debug)]
enum Slot {
    Unseen,
    /// On the walk's stack: meeting it again is a cycle.
    Open,
    /// Its holding is `results[at]`, to be read `reads_left` more times at most.
    Done {
        at: u32,
        reads_left: u32,
    },
    /// Read by every edge that can read it, and dropped.
    Spent,
}

/// A node whose edges are being summed.
struct Frame<'d> {
    node: usize,
    cursor: usize,
    value: Frac,
    uncapped: Option<Frac>,
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
    edges: Edges<'a, 'd>,
    holders: &'a Holders<W>,
    /// By node (the entities, then the deal).
    slots: Vec<Slot>,
    results: Vec<Option<Result<Known, Unknown<W>>>>,
    arena: Arena<'d>,
    /// Whether to keep the largest paths (for evidence); without them the walk gives the
    /// value alone, the same value.
    paths: bool,
}

impl<'a, 'd, W: Clone> Walk<'a, 'd, W> {
    pub fn new(
        g: &'a Graph<'d>,
        measure: &'a Measure,
        holders: &'a Holders<W>,
        mode: &'a Mode,
        target: Target,
    ) -> Self {
        Walk {
            edges: Edges::new(g, measure, mode, target),
            holders,
            slots: vec![Slot::Unseen; g.entities().len() + 1],
            // At most one result a node: reserved once, not grown node by node.
            results: Vec::with_capacity(g.entities().len() + 1),
            arena: Arena::default(),
            paths: true,
        }
    }

    /// The same walk without its paths: the value alone (the truth of a rule needs no more).
    pub fn value_only(mut self) -> Self {
        self.paths = false;
        self
    }

    pub fn run(mut self) -> LookThrough<W> {
        if self.holders.members.iter().all(Option::is_none) {
            return LookThrough::known(zero(), Vec::new(), 0, zero());
        }
        if self.edges.target > self.edges.deal() {
            let entity = entity_id(self.edges.target);
            let span = Span::default();
            return LookThrough::unknown(Unknown::NoOwners { entity, span });
        }
        match self.holding(self.edges.target) {
            Err(why) => LookThrough::unknown(why),
            Ok(known) => self.evidence(known),
        }
    }

    /// h(node), walking up from it.
    fn holding(&mut self, node: usize) -> Result<Known, Unknown<W>> {
        let mut stack = Vec::with_capacity(STACK);
        match self.enter(node) {
            Ok(frame) => stack.push(frame),
            Err(done) => return done,
        }
        self.set(node, Slot::Open);
        while let Some(frame) = stack.last_mut() {
            let step = self.advance(frame);
            match step {
                Step::Descend(owner) => match self.enter(owner) {
                    Ok(frame) => {
                        self.set(owner, Slot::Open);
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

    fn set(&mut self, node: usize, slot: Slot) {
        if let Some(s) = self.slots.get_mut(node) {
            *s = slot;
        }
    }

    fn store(&mut self, node: usize, result: Result<Known, Unknown<W>>) {
        let reads_left = self
            .edges
            .g
            .shape
            .out_degree
            .get(node)
            .copied()
            .unwrap_or(u32::MAX);
        let at = u32::try_from(self.results.len()).unwrap_or(u32::MAX);
        self.results.push(Some(result));
        self.set(node, Slot::Done { at, reads_left });
    }

    /// A node met for the first time: done at once (a member, a maybe-member, unknown
    /// ownership), or a frame to sum its edges.
    fn enter(&self, node: usize) -> Result<Frame<'d>, Result<Known, Unknown<W>>> {
        if node < self.edges.deal() {
            let entity = entity_id(node);
            match self.holders.members.get(node) {
                Some(Some(Membership::Sure)) => {
                    let top = match self.paths {
                        true => vec![Entry::start(entity)],
                        false => Vec::new(),
                    };
                    return Err(Ok(Known {
                        value: Frac::one(),
                        uncapped: None,
                        count: 1,
                        top,
                    }));
                }
                Some(Some(Membership::Maybe(why))) => {
                    let why = why.clone();
                    return Err(Err(Unknown::MaybeMember { entity, why }));
                }
                _ => {}
            }
        }
        self.edges.ownership(node).map_err(Err)?;
        if self.edges.edge(node, 0).is_none() {
            // Held by no one (a state, an individual, public float): 0%, no path, at once.
            return Err(Ok(Known {
                value: Frac::zero(),
                uncapped: None,
                count: 0,
                top: Vec::new(),
            }));
        }
        Ok(Frame {
            node,
            cursor: 0,
            value: Frac::zero(),
            uncapped: self.edges.threshold.as_ref().map(|_| Frac::zero()),
            count: 0,
            best: Best::default(),
        })
    }

    /// Sum the frame's edges until one needs an owner not yet computed.
    fn advance(&mut self, frame: &mut Frame<'d>) -> Step<W> {
        while let Some(edge) = self.edges.edge(frame.node, frame.cursor) {
            let weight = self.edges.weight(&edge);
            if matches!(weight, Weight::Zero) {
                frame.cursor += 1;
                continue;
            }
            let owner = edge.from.index();
            let term = match self.slots.get(owner) {
                Some(Slot::Unseen) => return Step::Descend(owner),
                Some(Slot::Done { at, .. }) => match self.results.get(*at as usize) {
                    Some(Some(result)) => self.add_term(frame, edge, weight, result),
                    _ => Err(Unknown::Cycle { entity: edge.from }),
                },
                _ => Err(Unknown::Cycle { entity: edge.from }),
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
        let Some(slot) = self.slots.get_mut(owner) else {
            return;
        };
        if let Slot::Done { at, reads_left } = slot {
            *reads_left = reads_left.saturating_sub(1);
            if *reads_left == 0 {
                if let Some(result) = self.results.get_mut(*at as usize) {
                    *result = None;
                }
                *slot = Slot::Spent;
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
            (_, Weight::Missing) => return Err(self.edges.missing(&edge)),
            (Err(why), _) => return Err(why.clone()),
            (Ok(k), _) => k,
        };
        let Weight::Known(w) = weight else {
            return Ok(());
        };
        if let Some(sum) = &mut frame.uncapped {
            sum.add(&w.mul(known.uncapped.as_ref().unwrap_or(&known.value)));
        }
        frame.count = frame.count.saturating_add(known.count);
        if self.paths {
            frame
                .best
                .offer(self.edges.g, edge, frame.cursor, &w, &known.top);
        }
        // The weight last, given away: the product of a 100% holding is the weight itself.
        frame.value.add_owned(w.times(&known.value));
        Ok(())
    }

    fn finish(&mut self, frame: &mut Frame<'d>) -> Known {
        let mut value = std::mem::replace(&mut frame.value, Frac::zero());
        let mut uncapped = frame.uncapped.take();
        if uncapped.is_some() && value.cmp(&Frac::one()) == Ordering::Greater {
            value = Frac::one();
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

    /// The value with its largest paths, and the rest.
    fn evidence(&self, known: Known) -> LookThrough<W> {
        if !self.paths {
            return LookThrough::known(known.value.ratio(), Vec::new(), 0, zero());
        }
        let paths: Vec<Path> = known.top.iter().map(|e| self.path(e)).collect();
        let mut shown = Frac::zero();
        for entry in &known.top {
            shown.add(&entry.contribution);
        }
        let total = known.uncapped.as_ref().unwrap_or(&known.value);
        let more_value = total.sub(&shown).ratio();
        let more_paths = known.count.saturating_sub(paths.len() as u64);
        LookThrough::known(known.value.ratio(), paths, more_paths, more_value)
    }

    fn path(&self, entry: &Entry) -> Path {
        let links = self.arena.edges(entry.link);
        let mut edges = Vec::with_capacity(links.len());
        edges.extend(links.iter().filter_map(|e| self.path_edge(e)));
        Path {
            contribution: entry.contribution.ratio(),
            edges,
        }
    }

    fn path_edge(&self, edge: &InEdge<'d>) -> Option<PathEdge> {
        let ((value, span), counted) = self.edges.value_and_counted(edge)?;
        Some(PathEdge {
            from: edge.from,
            to: self.edges.to_target(edge.to),
            counted: (counted != value).then(|| counted.ratio()),
            value: value.ratio(),
            span,
        })
    }
}

impl<W> LookThrough<W> {
    fn known(
        value: num_rational::BigRational,
        paths: Vec<Path>,
        more_paths: u64,
        more_value: num_rational::BigRational,
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
