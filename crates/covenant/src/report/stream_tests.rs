//! The streamed reports are byte for byte the whole-batch ones, from memory or from disk.

use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::check::{read, Engine, Settings};
use crate::report::spool::Spool;

fn examples() -> (Arc<Policy>, Vec<DealReport>) {
    let root = crate::repo_root();
    let compiled = crate::resolve::compile(&[root.join("examples/policies")]);
    let policy = compiled
        .map(|c| c.policy)
        .unwrap_or_else(|_| std::process::abort());
    let mut deals: Vec<PathBuf> = std::fs::read_dir(root.join("examples/deals"))
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e != "jsonl"))
        .collect();
    deals.sort();
    let policy = Arc::new(policy);
    let engine = Engine::new(Arc::clone(&policy), Settings::default());
    let mut reports: Vec<DealReport> = deals.iter().map(|p| engine.check_file(p)).collect();
    // An invalid deal, with problems past the ones shown.
    let mut invalid = read::unreadable("gone.yaml", "no such file").report("gone.yaml".into());
    invalid.errors_omitted = 7;
    invalid.warnings_omitted = 2;
    reports.push(invalid);
    (policy, reports)
}

/// The audit fields of the runs compared: a fixed time, so that both renderings carry it.
fn audit() -> Audit {
    Audit::at(jiff::Timestamp::UNIX_EPOCH, "2026-01-31".parse().ok())
}

fn whole(kind: Kind, policy: &Policy, deals: &[DealReport], summary: &Summary) -> String {
    match kind {
        Kind::Sarif => sarif::report(policy, &audit(), deals, summary),
        Kind::Junit => junit::report(policy, deals, summary),
        Kind::Markdown => markdown::report(policy, deals, summary),
    }
}

fn streamed(
    kind: Kind,
    policy: &Policy,
    deals: &[DealReport],
    summary: &Summary,
    spool_limit: usize,
) -> String {
    let spool = || Spool::with_limit(spool_limit);
    let mut report = Streamed::with_spools(kind, spool(), spool());
    for d in deals {
        let mut buf = b"text of earlier deals in the chunk".to_vec();
        let start = buf.len();
        render(kind, policy, d, &mut buf);
        report.add(policy, d, buf.get(start..).unwrap_or_default());
    }
    let mut out = Vec::new();
    if let Err(e) = report.finish(policy, &audit(), summary, &mut out) {
        panic!("{kind:?}: {e}");
    }
    String::from_utf8(out).unwrap_or_default()
}

#[test]
fn streamed_reports_are_the_whole_batch_reports_byte_for_byte() {
    let (policy, reports) = examples();
    for kind in [Kind::Sarif, Kind::Junit, Kind::Markdown] {
        for n in [0, 1, 2, reports.len()] {
            let deals = reports.get(..n).unwrap_or_default();
            let mut summary = Summary::default();
            deals.iter().for_each(|d| summary.add(d.verdict));
            let expected = whole(kind, &policy, deals, &summary);
            for limit in [usize::MAX, 0, 100] {
                let got = streamed(kind, &policy, deals, &summary, limit);
                assert_eq!(got, expected, "{kind:?}, {n} deals, spool limit {limit}");
            }
        }
    }
}

#[test]
fn problems_past_the_ones_shown_are_counted_in_every_format() {
    let (policy, reports) = examples();
    let invalid = reports.get(reports.len() - 1..).unwrap_or_default();
    let summary = Summary::default();
    let sarif = whole(Kind::Sarif, &policy, invalid, &summary);
    assert!(sarif.contains("\"errors_omitted\": 7,\n"), "{sarif}");
    assert!(sarif.contains("\"warnings_omitted\": 2\n"), "{sarif}");
    let junit = whole(Kind::Junit, &policy, invalid, &summary);
    assert!(
        junit.contains("… and 7 more errors not shown\n… and 2 more warnings not shown</error>"),
        "{junit}"
    );
    let markdown = whole(Kind::Markdown, &policy, invalid, &summary);
    assert!(
        markdown.contains("8 problems, 2 deal warnings"),
        "{markdown}"
    );
    assert!(
        markdown.contains("\n*… and 7 more errors not shown*\n"),
        "{markdown}"
    );
}
