#![allow(clippy::indexing_slicing)]
//! Re-checking a 1,000-rule policy after an edit, as `covenant lsp` does on every change:
//! the analysis (load from the open buffer, parse the items that changed or moved, resolve and
//! type, lint) and the diagnostics it publishes. Target: under 20 ms (BENCHMARKS.md,
//! "Language server"). Beside it, the same check from scratch (every item parsed).
//!
//! `cargo bench -p covenant-lsp --bench recheck`

use std::path::PathBuf;

use covenant_lsp::check::{check, check_cached, Snapshot};
use covenant_lsp::diagnostics::of_root;
use criterion::{criterion_group, criterion_main, Criterion};

// The allocator of the `covenant` binary, which `covenant lsp` runs in.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const BODIES: [&str; 8] = [
    "total american partner stake > 50%",
    "foreign partner stake < 50%",
    "total american partner board seats > board seats / 2",
    "every party: profit share = 100% / count of parties",
    "data must stay in [home]",
    "no party where country in covered nation and government stake >= 25%",
    "every plant where country = home: local content >= 75%",
    "total foreign partner subsidies <= 10% of investment",
];

/// A policy of `n` braced rules with a title and a citation, cycling through the baseline's
/// rule bodies; `edit` changes the threshold of the middle rule.
fn policy_of(n: usize, edit: bool) -> String {
    let mut s = String::from(
        "let home = \"US\"\nlet covered nation = [\"CN\", \"RU\", \"IR\", \"KP\"]\n\
         let american partner = parties where country = home\n\
         let foreign partner = parties where country != home\n\n",
    );
    for i in 0..n {
        let body = match (edit, i == n / 2) {
            (true, true) => "foreign partner stake < 49%",
            _ => BODIES[i % BODIES.len()],
        };
        s.push_str(&format!(
            "rule r{i} \"Rule {i}\" {{\n  cite \"JV framework\" section \"{i}\"\n  require {body}\n}}\n\n"
        ));
    }
    s
}

fn recheck(c: &mut Criterion) {
    let path = PathBuf::from("/covenant-bench/jv.policy");
    let texts = [policy_of(1_000, false), policy_of(1_000, true)];
    let mut g = c.benchmark_group("lsp");
    g.sample_size(20);
    let mut turn = 0usize;
    // The server keeps the parses of the items from one check of a document to the next.
    let mut caches = covenant::resolve::ParseCaches::new();
    g.bench_function("recheck after an edit/1000 rules", |b| {
        b.iter(|| {
            turn += 1;
            let mut snapshot = Snapshot::default();
            let text = texts[turn % 2].as_str();
            snapshot.overlay.insert(path.clone(), text.into());
            let roots = std::slice::from_ref(&path);
            let checked = check_cached(roots, &snapshot, turn as u64, &mut caches);
            let found = of_root(&checked, None, false);
            assert!(found.is_empty(), "{found:?}");
            found
        })
    });
    g.bench_function("check from scratch/1000 rules", |b| {
        b.iter(|| {
            let mut snapshot = Snapshot::default();
            snapshot
                .overlay
                .insert(path.clone(), texts[1].as_str().into());
            of_root(
                &check(std::slice::from_ref(&path), &snapshot, 0),
                None,
                false,
            )
        })
    });
    g.finish();
}

criterion_group!(benches, recheck);
criterion_main!(benches);
