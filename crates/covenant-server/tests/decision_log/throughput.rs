//! A quick measurement of append throughput and latency, not a pass/fail test: ignored by
//! default. Run (it prints one line per concurrency):
//!
//! ```sh
//! cargo test -p covenant-server --test decision_log throughput -- --ignored --nocapture
//! .ci/postgres run cargo test -p covenant-server --test decision_log throughput -- --ignored --nocapture
//! ```
//!
//! `COVENANT_LOG_BENCH_APPENDS` sets the appends per concurrency (default 20000). Each append
//! is a decision of a realistic size: twelve rule outcomes, a 1 KB deal, a 3 KB report.

use std::time::{Duration, Instant};

use covenant_server::decision_log::{DecisionLog, NewDecision, RuleOutcome};

use crate::fixtures::decision;
use crate::target::Target;

fn sized_decision(n: usize) -> NewDecision {
    let mut decision = decision(n);
    decision.deal_text = Some(format!(
        "proposal: \"Deal {n}\"\n{}",
        "note: padding\n".repeat(74)
    ));
    decision.outcomes = (0..12)
        .map(|rule| RuleOutcome {
            rule: format!("rule-{rule:02}"),
            outcome: ["pass", "fail", "not-applicable"][(n + rule) % 3].to_string(),
        })
        .collect();
    decision.report["evidence"] = serde_json::json!(vec!["the stake is 51 % of the JV"; 100]);
    decision
}

async fn measure(log: &DecisionLog, appends: usize, clients: usize) -> String {
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|client| {
            let log = log.clone();
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                for n in (client..appends).step_by(clients) {
                    let decision = sized_decision(n);
                    let sent = Instant::now();
                    log.append(&decision).await.unwrap();
                    latencies.push(sent.elapsed());
                }
                latencies
            })
        })
        .collect();
    let mut latencies: Vec<Duration> = Vec::new();
    for task in tasks {
        latencies.extend(task.await.unwrap());
    }
    let elapsed = started.elapsed();
    latencies.sort_unstable();
    let at = |quantile: f64| latencies[((latencies.len() - 1) as f64 * quantile) as usize];
    format!(
        "{clients:>4} clients: {appends} appends in {:.2} s = {:>6.0}/s, p50 {:.2} ms, p99 {:.2} ms",
        elapsed.as_secs_f64(),
        appends as f64 / elapsed.as_secs_f64(),
        at(0.5).as_secs_f64() * 1000.0,
        at(0.99).as_secs_f64() * 1000.0,
    )
}

async fn run(target: &Target) {
    let appends = std::env::var("COVENANT_LOG_BENCH_APPENDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(20_000);
    let log = target.open().await;
    for clients in [8, 64, 256] {
        let before = log.count().await.unwrap();
        let line = measure(&log, appends, clients).await;
        let after = log.count().await.unwrap();
        assert_eq!(
            after - before,
            appends as u64,
            "every acknowledged append is logged"
        );
        println!("{} {line}", log.backend());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run with --ignored --nocapture"]
async fn sqlite_append_throughput() {
    let target = Target::sqlite();
    run(&target).await;
    target.finish().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a measurement: run with --ignored --nocapture"]
async fn postgres_append_throughput() {
    let Some(target) = Target::postgres().await else {
        return;
    };
    run(&target).await;
    target.finish().await;
}
