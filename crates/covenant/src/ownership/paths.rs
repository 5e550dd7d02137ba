//! The largest paths of a look-through, for its evidence (SPEC §7.2), without enumerating
//! paths: each node keeps its best [`PATHS_SHOWN`] paths, built from its owners' best ones
//! (a bounded top-k over the same memoised walk as the value).
//!
//! Order: larger contribution first; ties by the holder's name, then by the names from the
//! target upward (the owner on the last edge first). Extending two paths of one node by the
//! same edge keeps their order (weights are positive), so a node's best paths are among its
//! owners' best paths extended, and a comparison never walks a path.
//!
//! A path is a chain of links in an arena (one link per kept path per node), so a path down a
//! chain of 100,000 entities costs one link per node and no recursion.

use std::cmp::Ordering;

use super::edges::InEdge;
use super::frac::Frac;
use super::{EntityId, Graph, PATHS_SHOWN};

/// No link: the path starts at this node (the node is its holder).
pub(super) const START: u32 = u32::MAX;

/// The last edge of a path and the link to the rest of it, toward the holder.
#[derive(Clone, Copy, Debug)]
pub(super) struct Link<'d> {
    pub edge: InEdge<'d>,
    pub prev: u32,
}

/// Every link kept by one look-through.
#[derive(Debug, Default)]
pub(super) struct Arena<'d> {
    links: Vec<Link<'d>>,
}

impl<'d> Arena<'d> {
    fn push(&mut self, link: Link<'d>) -> u32 {
        let at = u32::try_from(self.links.len()).unwrap_or(START);
        if at != START {
            self.links.push(link);
        }
        at
    }

    /// The edges of the path ending with `link`, from the holder down.
    pub fn edges(&self, mut link: u32) -> Vec<InEdge<'d>> {
        let mut len = 0;
        let mut at = link;
        while let Some(l) = self.links.get(at as usize) {
            len += 1;
            at = l.prev;
        }
        let mut edges = Vec::with_capacity(len);
        while let Some(l) = self.links.get(link as usize) {
            edges.push(l.edge);
            link = l.prev;
        }
        edges.reverse();
        edges
    }
}

/// One kept path of a node: what it contributes, where it starts, and its last link.
#[derive(Clone, Debug)]
pub(super) struct Entry {
    pub contribution: Frac,
    pub holder: EntityId,
    pub link: u32,
}

impl Entry {
    /// The path of a holder to itself.
    pub fn start(holder: EntityId) -> Entry {
        Entry {
            contribution: Frac::one(),
            holder,
            link: START,
        }
    }
}

/// A path being considered for a node: an owner's kept path (`rank` in its list) extended by
/// the edge at `edge_pos` among the node's edges.
#[derive(Debug)]
struct Candidate<'d> {
    contribution: Frac,
    holder: EntityId,
    edge: InEdge<'d>,
    edge_pos: usize,
    rank: usize,
    prev: u32,
}

/// A node's best paths so far, best first, at most [`PATHS_SHOWN`].
#[derive(Debug, Default)]
pub(super) struct Best<'d> {
    kept: Vec<Candidate<'d>>,
}

impl<'d> Best<'d> {
    /// Offer the owner's kept paths `top` (best first), extended by `edge` counted `weight`.
    pub fn offer(
        &mut self,
        g: &Graph<'d>,
        edge: InEdge<'d>,
        edge_pos: usize,
        weight: &Frac,
        top: &[Entry],
    ) {
        for (rank, entry) in top.iter().enumerate() {
            let candidate = Candidate {
                contribution: weight.mul(&entry.contribution),
                holder: entry.holder,
                edge,
                edge_pos,
                rank,
                prev: entry.link,
            };
            let at = self
                .kept
                .partition_point(|k| order(g, k, &candidate) == Ordering::Less);
            if at >= PATHS_SHOWN {
                // The owner's later paths extend to worse ones still.
                break;
            }
            self.kept.insert(at, candidate);
            self.kept.truncate(PATHS_SHOWN);
        }
    }

    /// The kept paths as the node's entries, each a new link ending at the node.
    pub fn finish(self, arena: &mut Arena<'d>) -> Vec<Entry> {
        self.kept
            .into_iter()
            .map(|c| Entry {
                link: arena.push(Link {
                    edge: c.edge,
                    prev: c.prev,
                }),
                contribution: c.contribution,
                holder: c.holder,
            })
            .collect()
    }
}

/// The evidence order of two paths into one node (`Less`: `a` is shown first).
fn order(g: &Graph<'_>, a: &Candidate<'_>, b: &Candidate<'_>) -> Ordering {
    b.contribution
        .cmp(&a.contribution)
        .then_with(|| name(g, a.holder).cmp(name(g, b.holder)))
        .then_with(|| a.holder.cmp(&b.holder))
        .then_with(|| name(g, a.edge.from).cmp(name(g, b.edge.from)))
        .then_with(|| a.edge.from.cmp(&b.edge.from))
        .then_with(|| a.edge_pos.cmp(&b.edge_pos))
        .then_with(|| a.rank.cmp(&b.rank))
}

fn name<'d>(g: &Graph<'d>, id: EntityId) -> &'d str {
    g.entity(id).map_or("", |e| e.name)
}
