//! Differential test: the memoised walk against a naive reference written from SPEC §7.2
//! alone, on random small ownership DAGs. The reference computes h by the recursive
//! definition (no memo) and the paths by enumerating every path from the target up to the
//! first member of S; the walk's value, its unknown, its ten shown paths (in order) and the
//! rest (count and sum) must agree with it.

use std::cmp::Ordering;

use num_rational::BigRational;
use num_traits::{One, Zero};
use proptest::prelude::*;

use super::support::*;
use crate::number::Exact;
use crate::ownership::{EntityId, Graph, Holders, Membership, Mode, Target, Unknown, PATHS_SHOWN};
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
struct Edge {
    from: usize,
    value: Option<BigRational>,
    controls: bool,
}

/// A random deal: entity `i` may be owned only by entities after it, so it is acyclic.
#[derive(Clone, Debug)]
struct Net {
    names: Vec<String>,
    kinds: Vec<&'static str>,
    parties: usize,
    stakes: Vec<Option<Exact>>,
    owners: Vec<Option<Vec<(usize, Option<Exact>, bool)>>>,
    /// 0: not a member, 1: for sure, 2: maybe.
    members: Vec<u8>,
    mode: Mode,
    /// `None`: the deal.
    target: Option<usize>,
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

fn net(bytes: &[u8]) -> Net {
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
    fn deal(&self) -> usize {
        self.names.len()
    }

    fn edges(&self, node: usize) -> Vec<Edge> {
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

    fn target(&self) -> usize {
        self.target.unwrap_or(self.deal())
    }

    fn to(&self, node: usize) -> Target {
        if node == self.deal() {
            Target::Deal
        } else {
            Target::Entity(EntityId(node as u32))
        }
    }

    /// What an edge into `node` counts for (`None`: its measure is missing).
    fn counted(&self, node: usize, e: &Edge) -> Option<BigRational> {
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
    fn ownership(&self, node: usize) -> Result<(), Unknown<usize>> {
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
    fn h(&self, node: usize) -> Result<BigRational, Unknown<usize>> {
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
    fn paths(&self, node: usize, up: &mut Vec<PathStep>, c: BigRational, out: &mut Vec<RefPath>) {
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
struct PathStep {
    from: usize,
    to: usize,
    value: BigRational,
    counted: Option<BigRational>,
    pos: usize,
}

#[derive(Clone, Debug)]
struct RefPath {
    contribution: BigRational,
    holder: usize,
    up: Vec<PathStep>,
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

/// The unknown without its spans (the reference has none).
fn unspanned(u: Unknown<usize>) -> Unknown<usize> {
    match u {
        Unknown::MissingMeasure {
            from, to, field, ..
        } => Unknown::MissingMeasure {
            from,
            to,
            field,
            span: Span::default(),
        },
        Unknown::UnlistedOwners {
            entity,
            measure,
            listed,
            ..
        } => Unknown::UnlistedOwners {
            entity,
            measure,
            listed,
            span: Span::default(),
        },
        Unknown::NoOwners { entity, .. } => Unknown::NoOwners {
            entity,
            span: Span::default(),
        },
        Unknown::OwnersOver100 {
            entity,
            measure,
            total,
            ..
        } => Unknown::OwnersOver100 {
            entity,
            measure,
            total,
            span: Span::default(),
        },
        other => other,
    }
}

fn build(net: &Net) -> (Builder, crate::deal::tree::Record) {
    let spec = |i: usize| EntitySpec {
        name: net.names[i].clone(),
        kind: net.kinds[i],
        party: net.stakes.get(i).copied().flatten(),
        owners: net.owners[i].as_ref().map(|list| {
            list.iter()
                .map(|(j, p, controls)| OwnerSpec {
                    name: net.names[*j].clone(),
                    percent: *p,
                    controls: *controls,
                })
                .collect()
        }),
    };
    let parties: Vec<_> = (0..net.parties).map(spec).collect();
    let entities: Vec<_> = (net.parties..net.deal()).map(spec).collect();
    let mut b = Builder::default();
    let root = b.root(&parties, &entities, &[]);
    (b, root)
}

fn check(net: &Net) {
    let (b, root) = build(net);
    let g = Graph::build(b.schema(), &root);
    let members = net
        .members
        .iter()
        .enumerate()
        .map(|(i, m)| match m {
            1 => Some(Membership::Sure),
            2 => Some(Membership::Maybe(i)),
            _ => None,
        })
        .collect();
    let holders = Holders { members };
    let target = net.to(net.target());
    let lt = g.look_through(&measure("voting"), &holders, &net.mode, target);
    let want = if net.members.iter().all(|m| *m == 0) {
        Ok(BigRational::zero())
    } else {
        net.h(net.target())
    };
    assert_eq!(lt.value.clone().map_err(unspanned), want, "{net:#?}");
    if lt.value.is_err() {
        assert!(lt.paths.is_empty() && lt.more_paths == 0);
        return;
    }
    let mut all = Vec::new();
    if net.members.iter().any(|m| *m != 0) {
        net.paths(net.target(), &mut Vec::new(), BigRational::one(), &mut all);
    }
    let total = all
        .iter()
        .fold(BigRational::zero(), |s, p| s + &p.contribution);
    if net.mode == Mode::Proportional {
        assert_eq!(Ok(total.clone()), lt.value, "{net:#?}");
    }
    let name = |i: usize| net.names[i].as_str();
    all.sort_by(|a, b| {
        b.contribution
            .cmp(&a.contribution)
            .then_with(|| name(a.holder).cmp(name(b.holder)))
            .then_with(|| {
                let key = |p: &RefPath| {
                    p.up.iter()
                        .map(|s| (name(s.from), s.pos))
                        .collect::<Vec<_>>()
                };
                key(a).cmp(&key(b))
            })
    });
    let shown: Vec<_> = all.iter().take(PATHS_SHOWN).collect();
    assert_eq!(lt.paths.len(), shown.len(), "{net:#?}");
    for (got, want) in lt.paths.iter().zip(&shown) {
        assert_eq!(got.contribution, want.contribution);
        let edges: Vec<_> = got
            .edges
            .iter()
            .map(|e| (e.from, e.to, e.value.clone(), e.counted.clone()))
            .collect();
        let want_edges: Vec<_> = want
            .up
            .iter()
            .rev()
            .map(|s| {
                (
                    EntityId(s.from as u32),
                    net.to(s.to),
                    s.value.clone(),
                    s.counted.clone(),
                )
            })
            .collect();
        assert_eq!(edges, want_edges, "{net:#?}");
    }
    let shown_sum = shown
        .iter()
        .fold(BigRational::zero(), |s, p| s + &p.contribution);
    assert_eq!(lt.more_paths, (all.len() - shown.len()) as u64);
    assert_eq!(lt.more_value, total - shown_sum);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]
    #[test]
    fn the_memoised_walk_agrees_with_path_enumeration(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        check(&net(&bytes));
    }
}

#[test]
fn the_generator_makes_every_outcome() {
    // The random graphs reach known values with several paths and each kind of unknown.
    let mut seen = std::collections::BTreeSet::new();
    let mut seed = 1u64;
    for _ in 0..4000 {
        let bytes: Vec<u8> = (0..300)
            .map(|_| {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                (seed >> 33) as u8
            })
            .collect();
        let net = net(&bytes);
        check(&net);
        let (b, root) = build(&net);
        let g = Graph::build(b.schema(), &root);
        let all = Holders {
            members: net
                .members
                .iter()
                .map(|m| (*m != 0).then_some(Membership::<()>::Sure))
                .collect(),
        };
        let lt = g.look_through(&measure("voting"), &all, &net.mode, net.to(net.target()));
        if lt.more_paths > 0 {
            seen.insert("more-paths");
        }
        if lt.value.as_ref().is_ok_and(|v| {
            *v < lt
                .paths
                .iter()
                .fold(BigRational::zero(), |s, p| s + &p.contribution)
        }) {
            seen.insert("capped");
        }
        let tag = match net.h(net.target()) {
            Ok(v) if v.is_zero() => "zero",
            Ok(_) => "known",
            Err(u) => match u {
                Unknown::UnlistedOwners { .. } => "unlisted",
                Unknown::NoOwners { .. } => "no-owners",
                Unknown::MissingMeasure { .. } => "missing",
                Unknown::PartiesOver100 { .. } => "parties-over",
                Unknown::UnlistedParties { .. } => "unlisted-parties",
                Unknown::MaybeMember { .. } => "maybe",
                Unknown::OwnersOver100 { .. } => "owners-over",
                _ => "other",
            },
        };
        seen.insert(tag);
    }
    let want = [
        "capped",
        "known",
        "maybe",
        "missing",
        "more-paths",
        "no-owners",
        "owners-over",
        "parties-over",
        "unlisted",
        "unlisted-parties",
        "zero",
    ];
    assert_eq!(seen.into_iter().collect::<Vec<_>>(), want);
}
