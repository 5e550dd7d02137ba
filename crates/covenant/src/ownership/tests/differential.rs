//! Differential test: the memoised walk against a naive reference written from SPEC §7.2
//! alone, on random small ownership DAGs. The reference computes h by the recursive
//! definition (no memo) and the paths by enumerating every path from the target up to the
//! first member of S; the walk's value, its unknown, its ten shown paths (in order) and the
//! rest (count and sum) must agree with it.

use num_rational::BigRational;
use num_traits::{One, Zero};
use proptest::prelude::*;

use super::reference::{net, Net, RefPath};
use super::support::*;
use crate::ownership::{EntityId, Graph, Holders, Membership, Mode, Unknown, PATHS_SHOWN};
use crate::source::Span;

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
    let value_only = g.look_through_value(&measure("voting"), &holders, &net.mode, target);
    assert_eq!(
        value_only.value, lt.value,
        "the walk without paths: {net:#?}"
    );
    assert!(value_only.paths.is_empty() && value_only.more_paths == 0);
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
