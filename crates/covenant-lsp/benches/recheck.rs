#![allow(clippy::indexing_slicing)]
//! Re-checking a 1,000-rule policy after an edit, as `covenant lsp` does on every change:
//! the analysis (load from the open buffer, parse, resolve and type, lint) and the
//! diagnostics it publishes. Target: under 20 ms (BENCHMARKS.md, "Language server").
//!
//! `cargo bench -p covenant-lsp --bench recheck`

use std::path::PathBuf;

use covenant_lsp::check::{check, Snapshot};
use covenant_lsp::diagnostics::of_root;
use criterion::{criterion_group, criterion_main, Criterion};

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
    g.bench_function("recheck after an edit/1000 rules", |b| {
        b.iter(|| {
            turn += 1;
            let mut snapshot = Snapshot::default();
            let text = texts[turn % 2].as_str();
            snapshot.overlay.insert(path.clone(), text.into());
            let checked = check(std::slice::from_ref(&path), &snapshot, turn as u64);
            let found = of_root(&checked, None, false);
            assert!(found.is_empty(), "{found:?}");
            found
        })
    });
    g.finish();
}

criterion_group!(benches, recheck);
criterion_main!(benches);
