//! The reference of the differential test: random small ownership DAGs, and h and the paths
//! computed from SPEC §7.2 alone (the recursive definition without memo; every path
//! enumerated), sharing no code with the walk.

use std::cmp::Ordering;

use num_rational::BigRational;
use num_traits::{One, Zero};

use super::support::control;
use crate::number::Exact;
use crate::ownership::{EntityId, Mode, Target, Unknown};
use crate::source::Span;

const KINDS: [&str; 6] = [
    "state",
    "individual",
    "public",
    "company",
    "fund",
    "state-owned",
];
const PERCENTS: [&str; 9] = ["0", "10", "20", "25", "30", "40", "50", "60", "100"];

/// One edge as the reference sees it: `from` holds `value` (missing: `None`) of the node.
#[derive(Clone, Debug)]
pub struct Edge {
    pub from: usize,
    pub value: Option<BigRational>,
    pub controls: bool,
}

/// An owner edge to build: the owner, its percent (missing: `None`), `controls`.
type Owner = (usize, Option<Exact>, bool);

/// A random deal: entity `i` may be owned only by entities after it, so it is acyclic.
#[derive(Clone, Debug)]
pub struct Net {
    pub names: Vec<String>,
    pub kinds: Vec<&'static str>,
    pub parties: usize,
    pub stakes: Vec<Option<Exact>>,
    pub owners: Vec<Option<Vec<Owner>>>,
    /// 0: not a member, 1: for sure, 2: maybe.
    pub members: Vec<u8>,
    pub mode: Mode,
    /// `None`: the deal.
    pub target: Option<usize>,
}

struct Bytes<'a>(std::slice::Iter<'a, u8>);

impl Bytes<'_> {
    fn below(&mut self, n: usize) -> usize {
        self.0.next().map_or(0, |b| *b as usize % n.max(1))
    }

    fn percent(&mut self) -> Option<Exact> {
        (self.below(12) != 0).then(|| Exact::parse(PERCENTS[self.below(PERCENTS.len())]).unwrap())
    }
}

/// Percents for `k` edges: random ones, or (mostly) shares that add up to 100% (some 0%, and
/// now and then one missing).
fn shares(r: &mut Bytes<'_>, k: usize) -> Vec<Option<Exact>> {
    if r.below(4) == 0 {
        return (0..k).map(|_| r.percent()).collect();
    }
    let mut weights: Vec<i128> = (0..k).map(|_| r.below(5) as i128).collect();
    if let Some(first) = weights.first_mut() {
        *first += 1;
    }
    let sum: i128 = weights.iter().sum();
    weights
        .iter()
        .map(|w| {
            let share = Exact::from_int(100 * w)
                .checked_div(Exact::from_int(sum))
                .unwrap();
            (r.below(16) != 0).then_some(share)
        })
        .collect()
}

pub fn net(bytes: &[u8]) -> Net {
    let mut r = Bytes(bytes.iter());
    let n = 1 + r.below(12);
    let parties = r.below(n + 1);
    let mut order: Vec<(usize, usize)> = (0..n).map(|i| (r.below(256), i)).collect();
    order.sort();
    let mut names = vec![String::new(); n];
    for (rank, (_, i)) in order.iter().enumerate() {
        names[*i] = ((b'A' + rank as u8) as char).to_string();
    }
    let kinds = (0..n).map(|_| KINDS[r.below(KINDS.len())]).collect();
    let stakes = shares(&mut r, parties);
    let mut owners = Vec::new();
    for i in 0..n {
        if r.below(5) == 0 {
            owners.push(None);
            continue;
        }
        let from: Vec<usize> = (i + 1..n).filter(|_| r.below(2) == 0).collect();
        let values = shares(&mut r, from.len());
        let list = from
            .into_iter()
            .zip(values)
            .map(|(j, p)| (j, p, r.below(5) == 0))
            .collect();
        owners.push(Some(list));
    }
    let members = (0..n).map(|_| [0, 0, 0, 1, 1, 2][r.below(6)]).collect();
    let mode = match r.below(4) {
        0 | 1 => Mode::Proportional,
        2 => control(PERCENTS[r.below(PERCENTS.len())], false),
        _ => control(PERCENTS[r.below(PERCENTS.len())], true),
    };
    let target = Some(r.below(n + 1)).filter(|t| *t < n);
    Net {
        names,
        kinds,
        parties,
        stakes,
        owners,
        members,
        mode,
        target,
    }
}

impl Net {
    pub fn deal(&self) -> usize {
        self.names.len()
    }

    pub fn edges(&self, node: usize) -> Vec<Edge> {
        let fraction = |p: &Option<Exact>| p.map(crate::ownership::fraction_of_percent);
        if node == self.deal() {
            return (0..self.parties)
                .map(|i| Edge {
                    from: i,
                    value: fraction(&self.stakes[i]),
                    controls: false,
                })
                .collect();
        }
        let list = self.owners[node].as_deref().unwrap_or_default();
        list.iter()
            .map(|(from, p, controls)| Edge {
                from: *from,
                value: fraction(p),
                controls: *controls,
            })
            .collect()
    }

    pub fn target(&self) -> usize {
        self.target.unwrap_or(self.deal())
    }

    pub fn to(&self, node: usize) -> Target {
        if node == self.deal() {
            Target::Deal
        } else {
            Target::Entity(EntityId(node as u32))
        }
    }

    /// What an edge into `node` counts for (`None`: its measure is missing).
    pub fn counted(&self, node: usize, e: &Edge) -> Option<BigRational> {
        let v = e.value.clone()?;
        match &self.mode {
            Mode::Control {
                threshold,
                inclusive,
            } if node != self.target() => {
                let passes = v > *threshold || (*inclusive && v == *threshold) || e.controls;
                Some(if passes { BigRational::one() } else { v })
            }
            _ => Some(v),
        }
    }

    /// Whether `node`'s ownership is known (SPEC §7.1), read straight from the text.
    pub fn ownership(&self, node: usize) -> Result<(), Unknown<usize>> {
        let edges = self.edges(node);
        let public = node < self.deal() && self.kinds[node] == "public";
        let mut listed = BigRational::zero();
        for e in &edges {
            match &e.value {
                Some(v) => listed += v,
                None if public => {}
                None => return Err(missing(self.to(node), e.from)),
            }
        }
        let measure = "voting".to_string();
        if node == self.deal() {
            return match listed.cmp(&BigRational::one()) {
                Ordering::Equal => Ok(()),
                Ordering::Greater => Err(Unknown::PartiesOver100 {
                    measure,
                    total: listed,
                }),
                Ordering::Less => Err(Unknown::UnlistedParties { measure, listed }),
            };
        }
        let entity = EntityId(node as u32);
        let span = Span::default();
        if edges.is_empty() {
            return if ["state", "individual", "public"].contains(&self.kinds[node]) {
                Ok(())
            } else {
                Err(Unknown::NoOwners { entity, span })
            };
        }
        if listed > BigRational::one() {
            Err(Unknown::OwnersOver100 {
                entity,
                measure,
                total: listed,
                span,
            })
        } else if listed < BigRational::one() && !public {
            Err(Unknown::UnlistedOwners {
                entity,
                measure,
                listed,
                span,
            })
        } else {
            Ok(())
        }
    }

    /// h(node) by the recursive definition, without memo.
    pub fn h(&self, node: usize) -> Result<BigRational, Unknown<usize>> {
        if node < self.deal() {
            match self.members[node] {
                1 => return Ok(BigRational::one()),
                2 => {
                    return Err(Unknown::MaybeMember {
                        entity: EntityId(node as u32),
                        why: node,
                    })
                }
                _ => {}
            }
        }
        self.ownership(node)?;
        let mut sum = BigRational::zero();
        for e in self.edges(node) {
            let w = self.counted(node, &e);
            if w.as_ref().is_some_and(Zero::is_zero) {
                continue;
            }
            let h = self.h(e.from);
            if h.as_ref().is_ok_and(Zero::is_zero) {
                continue;
            }
            let Some(w) = w else {
                return Err(missing(self.to(node), e.from));
            };
            sum += w * h?;
        }
        let capped = matches!(self.mode, Mode::Control { .. }) && sum > BigRational::one();
        Ok(if capped { BigRational::one() } else { sum })
    }

    /// Every path from `node` up to a member, as (contribution, holder, edges from the
    /// target up: (from, to, value, counted, position among the edges into `to`)).
    pub fn paths(
        &self,
        node: usize,
        up: &mut Vec<PathStep>,
        c: BigRational,
        out: &mut Vec<RefPath>,
    ) {
        if node < self.deal() && self.members[node] == 1 {
            out.push(RefPath {
                contribution: c,
                holder: node,
                up: up.clone(),
            });
            return;
        }
        for (pos, e) in self.edges(node).iter().enumerate() {
            let Some(w) = self.counted(node, e).filter(|w| !w.is_zero()) else {
                continue;
            };
            let value = e.value.clone().unwrap();
            let counted = (w != value).then(|| w.clone());
            up.push(PathStep {
                from: e.from,
                to: node,
                value,
                counted,
                pos,
            });
            self.paths(e.from, up, &c * &w, out);
            up.pop();
        }
    }
}

#[derive(Clone, Debug)]
pub struct PathStep {
    pub from: usize,
    pub to: usize,
    pub value: BigRational,
    pub counted: Option<BigRational>,
    pub pos: usize,
}

#[derive(Clone, Debug)]
pub struct RefPath {
    pub contribution: BigRational,
    pub holder: usize,
    pub up: Vec<PathStep>,
}

fn missing(to: Target, from: usize) -> Unknown<usize> {
    let field = "voting".to_string();
    Unknown::MissingMeasure {
        from: EntityId(from as u32),
        to,
        field,
        span: Span::default(),
    }
}
