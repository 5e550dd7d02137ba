//! Differential test of random rules: rules over the whole v1 expression grammar (SPEC
//! §2.4–§2.6, §3) on random deals (§1), each outcome compared with an independent reference
//! evaluator kept in `tests/it/differential_rules/reference/` (its own AST, values and
//! evaluator, written from the SPEC; it shares only the policy text with covenant).
//!
//! CI runs 2 batches of 200 rules × 40 deals (16,000 pairs; the rules that compile on both
//! sides, about 14,800, are compared) with a fixed seed; the soak (`COVENANT_SOAK=1`,
//! docs/testing.md) 200 batches. `COVENANT_DIFF_RULES_BATCHES=N` sets the number
//! (`COVENANT_DIFF_RULES_SEED=N` for other rules and deals; `COVENANT_DIFF_RULES_ENFORCE_ALL=1`
//! to hold covenant to the rulings in `pending.rs` too).
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::unreachable
)]

mod reference;

use reference::eval::Outcome;
use reference::run::{batch, Config, Stats};

fn env<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

#[test]
fn random_rules_match_the_reference_evaluator() {
    let started = std::time::Instant::now();
    let cfg = Config {
        seed: env("COVENANT_DIFF_RULES_SEED", 0x5EED_2026),
        batches: env("COVENANT_DIFF_RULES_BATCHES", crate::support::size(2, 200)),
        rules: env("COVENANT_DIFF_RULES_RULES", 200),
        deals: env("COVENANT_DIFF_RULES_DEALS", 40),
        enforce_all: env("COVENANT_DIFF_RULES_ENFORCE_ALL", 0) == 1,
    };
    let mut stats = Stats::default();
    for index in 0..cfg.batches {
        batch(&cfg, index, &mut stats);
    }
    let pairs = stats.pairs();
    let share = |o: Outcome| stats.outcomes.get(&o).copied().unwrap_or(0) as f64 / pairs as f64;
    eprintln!(
        "{} rules ({} checked, {} compile errors agreed), {pairs} rule × deal pairs in {:.1?}",
        stats.rules,
        stats.compiled,
        stats.compile_errors,
        started.elapsed()
    );
    for (o, n) in &stats.outcomes {
        eprintln!(
            "  {:<15} {n:>6}  {:.1}%",
            o.name(),
            100.0 * *n as f64 / pairs as f64
        );
    }
    for (p, (n, example)) in &stats.tolerated {
        eprintln!("pending {p:?}: {n} disagreements tolerated; for example:");
        if let Some(m) = example {
            eprintln!("{m}");
        }
    }
    for m in stats.failures.iter().take(10) {
        eprintln!("MISMATCH\n{m}");
    }
    assert!(
        stats.failures.is_empty(),
        "{} disagreements with the reference evaluator (the first 10 are above)",
        stats.failures.len()
    );

    // The test cannot pass vacuously: enough pairs, every outcome well represented, and
    // nearly every generated rule compiles.
    if cfg.batches * cfg.rules * cfg.deals >= 10_000 {
        assert!(pairs >= 10_000, "only {pairs} pairs were compared");
    }
    for (outcome, min) in [
        (Outcome::Pass, 0.10),
        (Outcome::Fail, 0.10),
        (Outcome::NotApplicable, 0.10),
        (Outcome::Incomplete, 0.10),
        (Outcome::Exempt, 0.03),
    ] {
        assert!(
            share(outcome) >= min,
            "{} is {:.1}% of the pairs, below {:.0}%",
            outcome.name(),
            100.0 * share(outcome),
            100.0 * min
        );
    }
    let rejected = 1.0 - stats.compiled as f64 / stats.rules as f64;
    assert!(
        rejected < 0.10,
        "{:.1}% of the rules were not checked (a compile error on either side)",
        100.0 * rejected
    );
}
