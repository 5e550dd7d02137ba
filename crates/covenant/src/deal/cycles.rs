//! Ownership cycles (SPEC §7.1, spec-v2-notes B.1): entities that own each other in a circle
//! make the deal invalid (`covenant::deal::ownership-cycle`).
//!
//! The owner edges (owner → owned) form a graph over the entities. Its strongly connected
//! components are found by Tarjan's algorithm with an explicit stack (no recursion: a chain
//! of 100,000 entities cannot overflow the stack), in time linear in the graph. Each
//! component that holds a cycle is reported once, with the shortest cycle through its first
//! entity in deal order (a breadth-first search inside the component), every edge labelled.

use miette::LabeledSpan;

use super::entities::{text, Entities};
use super::error::{self, Diags};
use super::tree::{Node, NodeValue};
use crate::number::Exact;
use crate::source::Span;
use crate::value::Scalar;

/// The most edges a cycle's message names and labels: a longer cycle shows its first and
/// last halves of this, and says how many edges are left out.
const EDGES_SHOWN: usize = 20;

/// One owner edge: `from` holds a share of `to`, written at the owner item.
#[derive(Clone, Debug)]
pub(crate) struct Edge {
    pub from: usize,
    pub to: usize,
    /// The owner item's position in `to`'s `owners`.
    pub item: usize,
    /// The owner item's `name` value.
    pub span: Span,
    /// The edge's `stake`, else its `voting` (then `true`: a share of the votes).
    pub share: Option<(Exact, bool)>,
}

/// The owner edges of a deal whose names name entities, in deal order; `measures` are the
/// owner record's `stake` and `voting`. With them, whether every owner item's name (a string)
/// names an entity.
pub(crate) fn edges(
    entities: &Entities<'_>,
    owner_name: usize,
    measures: [usize; 2],
) -> (Vec<Edge>, bool) {
    // Most entities of a usual deal list one owner or none.
    let mut edges = Vec::with_capacity(entities.all.len());
    let mut all_known = true;
    // With every name once, the entity listed next (a chain written top-down) is tried first.
    let unique = !entities.repeats_a_name();
    let named = |at: usize, name: &str| {
        unique
            && entities
                .all
                .get(at)
                .and_then(|e| e.name)
                .is_some_and(|(n, _)| n == name)
    };
    for (to, entity) in entities.all.iter().enumerate() {
        for (at, item) in entity.owners().iter().enumerate() {
            let NodeValue::Record(edge) = &item.value else {
                continue;
            };
            let Some((name, span)) = text(edge.field(owner_name)) else {
                continue;
            };
            let next = to + 1;
            let found = if named(next, name) {
                Some(next)
            } else {
                entities.by_name(name)
            };
            let Some(from) = found else {
                all_known = false;
                continue;
            };
            let [stake, voting] = measures.map(|m| match edge.field(m) {
                Some(Node {
                    value: NodeValue::Scalar(Scalar::Percent(p)),
                    ..
                }) => Some(*p),
                _ => None,
            });
            edges.push(Edge {
                from,
                to,
                item: at,
                span,
                share: stake.map(|p| (p, false)).or(voting.map(|p| (p, true))),
            });
        }
    }
    (edges, all_known)
}

/// Report one cycle of each strongly connected component of the graph that has one.
pub(crate) fn check(entities: &Entities<'_>, edges: &[Edge], d: &mut Diags) {
    // Owners listed after what they own (chains written top-down, the usual deal): each edge
    // goes to an earlier entity, so no path comes back to where it started.
    if edges.iter().all(|e| e.from > e.to) {
        return;
    }
    let graph = Graph::new(entities.all.len(), edges);
    if graph.is_acyclic() {
        return;
    }
    let components = Tarjan::run(&graph);
    // Shared by every search: the components are disjoint, so each entity is reached once.
    let mut reached_by: Vec<Option<usize>> = vec![None; graph.len()];
    for c in components.with_cycles(&graph) {
        let Some(cycle) = graph.shortest_cycle(&components, c, &mut reached_by) else {
            continue;
        };
        let size = components.size.get(c).copied().unwrap_or(0);
        report(entities, edges, &cycle, size, d);
    }
}

/// The edges out of each entity, in deal order (compressed rows).
struct Graph {
    /// `out[start[v]..start[v + 1]]` are the edges out of `v`, as indices into the edge list.
    start: Vec<usize>,
    out: Vec<usize>,
    from: Vec<usize>,
    to: Vec<usize>,
}

impl Graph {
    fn new(n: usize, edges: &[Edge]) -> Graph {
        let mut start = vec![0usize; n + 1];
        for e in edges {
            if let Some(s) = start.get_mut(e.from + 1) {
                *s += 1;
            }
        }
        for v in 0..n {
            let before = start.get(v).copied().unwrap_or(0);
            if let Some(s) = start.get_mut(v + 1) {
                *s += before;
            }
        }
        let mut next = start.clone();
        let mut out = vec![0usize; edges.len()];
        for (i, e) in edges.iter().enumerate() {
            if let Some(slot) = next.get_mut(e.from) {
                set(&mut out, *slot, i);
                *slot += 1;
            }
        }
        Graph {
            start,
            out,
            from: edges.iter().map(|e| e.from).collect(),
            to: edges.iter().map(|e| e.to).collect(),
        }
    }

    fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// Whether the graph has no cycle (Kahn's algorithm: every entity can be taken away once
    /// nothing owned by it is left), the usual case, checked before the components are found.
    fn is_acyclic(&self) -> bool {
        let mut owners_left = vec![0usize; self.len()];
        for &to in &self.to {
            if let Some(n) = owners_left.get_mut(to) {
                *n += 1;
            }
        }
        let mut free: Vec<usize> = (0..self.len())
            .filter(|&v| owners_left.get(v) == Some(&0))
            .collect();
        let mut taken = 0;
        while let Some(v) = free.pop() {
            taken += 1;
            for &edge in self.edges_of(v) {
                let w = self.target(edge);
                if let Some(n) = owners_left.get_mut(w) {
                    *n -= 1;
                    if *n == 0 {
                        free.push(w);
                    }
                }
            }
        }
        taken == self.len()
    }

    /// The edges out of `v`, as indices into the edge list.
    fn edges_of(&self, v: usize) -> &[usize] {
        let from = self.start.get(v).copied().unwrap_or(0);
        let to = self.start.get(v + 1).copied().unwrap_or(from);
        self.out.get(from..to).unwrap_or_default()
    }

    fn target(&self, edge: usize) -> usize {
        self.to.get(edge).copied().unwrap_or(usize::MAX)
    }

    /// The shortest cycle through the first entity of component `c`, by a breadth-first
    /// search along the edges inside it: its edges in order.
    fn shortest_cycle(
        &self,
        components: &Components,
        c: usize,
        reached_by: &mut [Option<usize>],
    ) -> Option<Vec<usize>> {
        let start = components.first.get(c).copied()?;
        let mut queue = std::collections::VecDeque::from([start]);
        while let Some(u) = queue.pop_front() {
            for &edge in self.edges_of(u) {
                let w = self.target(edge);
                if w == start {
                    return Some(self.path(start, u, edge, reached_by));
                }
                let unreached = reached_by.get(w) == Some(&None);
                if unreached && components.of.get(w) == Some(&Some(c)) {
                    set(reached_by, w, Some(edge));
                    queue.push_back(w);
                }
            }
        }
        None
    }

    /// The edges from `start` to `u` by `reached_by`, then `last`.
    fn path(
        &self,
        start: usize,
        u: usize,
        last: usize,
        reached_by: &[Option<usize>],
    ) -> Vec<usize> {
        let mut path = vec![last];
        let mut v = u;
        while v != start {
            let Some(Some(edge)) = reached_by.get(v).copied() else {
                break;
            };
            path.push(edge);
            v = self.from.get(edge).copied().unwrap_or(start);
        }
        path.reverse();
        path
    }
}

/// The strongly connected component of each entity, with each component's size and first
/// entity in deal order.
struct Components {
    of: Vec<Option<usize>>,
    size: Vec<usize>,
    first: Vec<usize>,
}

impl Components {
    /// The components that hold a cycle (more than one entity, or an entity that owns itself),
    /// in the order of their first entity.
    fn with_cycles(&self, graph: &Graph) -> Vec<usize> {
        let owns_itself = |v: usize| graph.edges_of(v).iter().any(|&e| graph.target(e) == v);
        let mut cyclic: Vec<usize> = (0..self.first.len())
            .filter(|&c| {
                self.size.get(c).is_some_and(|&s| s > 1)
                    || self.first.get(c).is_some_and(|&v| owns_itself(v))
            })
            .collect();
        cyclic.sort_by_key(|&c| self.first.get(c).copied().unwrap_or(usize::MAX));
        cyclic
    }
}

/// Tarjan's algorithm with an explicit stack of calls (entity, next edge to follow).
struct Tarjan<'g> {
    graph: &'g Graph,
    index: Vec<usize>,
    low: Vec<usize>,
    on_stack: Vec<bool>,
    stack: Vec<usize>,
    calls: Vec<(usize, usize)>,
    counter: usize,
    found: Components,
}

const UNSEEN: usize = usize::MAX;

impl<'g> Tarjan<'g> {
    fn run(graph: &'g Graph) -> Components {
        let n = graph.len();
        let mut t = Tarjan {
            graph,
            index: vec![UNSEEN; n],
            low: vec![0; n],
            on_stack: vec![false; n],
            stack: Vec::new(),
            calls: Vec::new(),
            counter: 0,
            found: Components {
                of: vec![None; n],
                size: Vec::new(),
                first: Vec::new(),
            },
        };
        for root in 0..n {
            if t.index.get(root) == Some(&UNSEEN) {
                t.visit(root);
                t.walk();
            }
        }
        t.found
    }

    fn visit(&mut self, v: usize) {
        set(&mut self.index, v, self.counter);
        set(&mut self.low, v, self.counter);
        set(&mut self.on_stack, v, true);
        self.counter += 1;
        self.stack.push(v);
        self.calls.push((v, 0));
    }

    fn walk(&mut self) {
        while let Some((v, next)) = self.calls.last().copied() {
            if let Some(&edge) = self.graph.edges_of(v).get(next) {
                if let Some(call) = self.calls.last_mut() {
                    call.1 += 1;
                }
                let w = self.graph.target(edge);
                if self.index.get(w) == Some(&UNSEEN) {
                    self.visit(w);
                } else if self.on_stack.get(w) == Some(&true) {
                    let iw = self.index.get(w).copied().unwrap_or(0);
                    lower(&mut self.low, v, iw);
                }
                continue;
            }
            self.calls.pop();
            let lv = self.low.get(v).copied().unwrap_or(0);
            if let Some(&(u, _)) = self.calls.last() {
                lower(&mut self.low, u, lv);
            }
            if Some(&lv) == self.index.get(v) {
                self.pop_component(v);
            }
        }
    }

    /// The entities on the stack down to `v` make one component.
    fn pop_component(&mut self, v: usize) {
        let c = self.found.first.len();
        let (mut first, mut size) = (v, 0);
        while let Some(w) = self.stack.pop() {
            set(&mut self.on_stack, w, false);
            set(&mut self.found.of, w, Some(c));
            first = first.min(w);
            size += 1;
            if w == v {
                break;
            }
        }
        self.found.first.push(first);
        self.found.size.push(size);
    }
}

fn set<T>(v: &mut [T], i: usize, value: T) {
    if let Some(slot) = v.get_mut(i) {
        *slot = value;
    }
}

fn lower(low: &mut [usize], v: usize, value: usize) {
    if let Some(l) = low.get_mut(v) {
        *l = (*l).min(value);
    }
}

/// `covenant::deal::ownership-cycle` for `cycle` (edge indices, in order), in a tangle of
/// `size` entities.
fn report(entities: &Entities<'_>, edges: &[Edge], cycle: &[usize], size: usize, d: &mut Diags) {
    let name = |v: usize| {
        entities
            .all
            .get(v)
            .and_then(|e| e.name)
            .map_or("?".into(), |(n, _)| super::doc::shorten(n))
    };
    let chain: Vec<&Edge> = cycle.iter().filter_map(|&i| edges.get(i)).collect();
    let Some(first) = chain.first() else {
        return;
    };
    let step = |e: &Edge| match &e.share {
        Some((share, _)) => format!(" → {}% → {}", share.display(), name(e.to)),
        None => format!(" → {}", name(e.to)),
    };
    let describe = |e: &Edge| match &e.share {
        Some((share, of_votes)) => {
            let of = if *of_votes { "of the votes of " } else { "of " };
            format!(
                "{} holds {}% {of}{}",
                name(e.from),
                share.display(),
                name(e.to)
            )
        }
        None => format!("{} holds a share of {}", name(e.from), name(e.to)),
    };
    let shown: Vec<&&Edge> = if chain.len() <= EDGES_SHOWN {
        chain.iter().collect()
    } else {
        let half = EDGES_SHOWN / 2;
        chain
            .iter()
            .take(half)
            .chain(chain.iter().skip(chain.len() - half))
            .collect()
    };
    let mut text = name(first.from);
    for (i, e) in chain.iter().enumerate() {
        if chain.len() > EDGES_SHOWN && i == EDGES_SHOWN / 2 {
            text.push_str(&format!(
                " → … {} more holdings …",
                chain.len() - EDGES_SHOWN
            ));
        }
        if chain.len() <= EDGES_SHOWN || i < EDGES_SHOWN / 2 || i >= chain.len() - EDGES_SHOWN / 2 {
            text.push_str(&step(e));
        }
    }
    let others = shown
        .iter()
        .skip(1)
        .map(|e| LabeledSpan::new_with_span(Some(describe(e)), e.span))
        .collect();
    let more = size.saturating_sub(chain.len());
    let mut help = "an entity cannot own itself, directly or through others (SPEC §7.1): correct \
                    or remove one of these holdings"
        .to_string();
    if more > 0 {
        help.push_str(&format!(
            "; {more} more entities own each other in circles with these"
        ));
    }
    let e = error::OwnershipCycle {
        chain: text,
        span: first.span,
        primary_label: describe(first),
        others,
        help,
        src: d.src(),
    };
    d.push(e.into());
}
