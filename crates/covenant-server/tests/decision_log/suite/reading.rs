//! The suite's reading half: what `get`, `list`, `replay` and `count` return.

use std::collections::HashSet;

use covenant_server::decision_log::{DecisionFilter, DecisionId, DecisionLog, StoredDecision};

use super::append_all;
use crate::fixtures::{self, decision, expected_ids};
use crate::target::Target;

async fn list_ids(log: &DecisionLog, filter: &DecisionFilter) -> Vec<DecisionId> {
    let page = log.list(filter).await.unwrap();
    page.decisions.iter().map(|summary| summary.id).collect()
}

pub async fn append_and_get_round_trip_every_field(target: &Target) {
    let log = target.open().await;
    let logged = append_all(&log, (0..8).map(decision).collect()).await;
    // Decisions 3 (no deal text), 1 (no evaluation date) and 2 (no proposal) are among them.
    assert!(logged.iter().any(|(_, d)| d.deal_text.is_none()));
    assert!(logged.iter().any(|(_, d)| d.evaluation_date.is_none()));
    assert!(logged.iter().any(|(_, d)| d.proposal.is_none()));
    for (id, decision) in &logged {
        let stored = log.get(*id).await.unwrap().unwrap();
        let expected = StoredDecision {
            id: *id,
            decision: decision.clone(),
        };
        assert_eq!(stored, expected);
        assert_eq!(stored.decision.time, decision.time, "nanoseconds kept");
        // The report's text, key order included, is what the server answered.
        assert_eq!(
            serde_json::to_string(&stored.decision.report).unwrap(),
            serde_json::to_string(&decision.report).unwrap()
        );
    }
    let missing = logged.iter().map(|(id, _)| id).max().unwrap() + 1000;
    assert_eq!(log.get(missing).await.unwrap(), None);
    assert_eq!(
        log.backend(),
        if target.is_postgres() {
            "postgres"
        } else {
            "sqlite"
        }
    );
}

pub async fn list_filters_select_what_the_model_selects(target: &Target) {
    let log = target.open().await;
    let logged = append_all(&log, (0..40).map(decision).collect()).await;
    let at = |minutes: i64| {
        fixtures::base_time()
            .checked_add(jiff::SignedDuration::from_secs(60 * minutes))
            .unwrap()
    };
    let text = |s: &str| Some(s.to_string());
    let filters = [
        DecisionFilter::default(),
        DecisionFilter {
            proposal: text("Alpha JV"),
            ..Default::default()
        },
        DecisionFilter {
            proposal: text("No such JV"),
            ..Default::default()
        },
        DecisionFilter {
            verdict: text("non-compliant"),
            ..Default::default()
        },
        DecisionFilter {
            rule: text("data-residency"),
            ..Default::default()
        },
        DecisionFilter {
            rule: text("cfius-filing"),
            outcome: text("fail"),
            ..Default::default()
        },
        DecisionFilter {
            outcome: text("exempt"),
            ..Default::default()
        },
        DecisionFilter {
            since: Some(at(10)),
            ..Default::default()
        },
        DecisionFilter {
            until: Some(at(10)),
            ..Default::default()
        },
        DecisionFilter {
            since: Some(at(5)),
            until: Some(at(25)),
            ..Default::default()
        },
        DecisionFilter {
            proposal: text("Beta JV"),
            verdict: text("incomplete"),
            rule: text("american-control"),
            outcome: text("incomplete"),
            since: Some(at(3)),
            ..Default::default()
        },
    ];
    for filter in &filters {
        let expected = expected_ids(&logged, filter);
        assert_eq!(list_ids(&log, filter).await, expected, "{filter:?}");
    }
    // The filters select different, non-trivial sets: a listing ignoring one would show.
    let sizes: Vec<usize> = filters
        .iter()
        .map(|f| expected_ids(&logged, f).len())
        .collect();
    assert!(sizes[1] > 0 && sizes[1] < 40 && sizes[2] == 0, "{sizes:?}");
    assert!(sizes[3..].iter().all(|&size| size < 40), "{sizes:?}");
    // Rule and outcome must hold of the same rule outcome, not of two different ones.
    let rule_only = expected_ids(&logged, &filters[5].clone().with_outcome(None));
    let outcome_only = expected_ids(&logged, &filters[5].clone().with_rule(None));
    let either: HashSet<_> = rule_only
        .iter()
        .filter(|id| outcome_only.contains(id))
        .collect();
    assert!(
        either.len() > sizes[5],
        "the fixtures tell the two readings apart"
    );
}

trait FilterEdit {
    fn with_rule(self, rule: Option<String>) -> Self;
    fn with_outcome(self, outcome: Option<String>) -> Self;
}

impl FilterEdit for DecisionFilter {
    fn with_rule(self, rule: Option<String>) -> Self {
        DecisionFilter { rule, ..self }
    }
    fn with_outcome(self, outcome: Option<String>) -> Self {
        DecisionFilter { outcome, ..self }
    }
}

pub async fn list_summaries_carry_outcomes_in_policy_order(target: &Target) {
    let log = target.open().await;
    let logged = append_all(&log, (0..6).map(decision).collect()).await;
    let page = log.list(&DecisionFilter::default()).await.unwrap();
    assert_eq!(page.decisions.len(), 6);
    assert_eq!(page.next, None);
    for summary in &page.decisions {
        let (_, decision) = logged.iter().find(|(id, _)| *id == summary.id).unwrap();
        assert_eq!(summary.outcomes, decision.outcomes);
        assert_eq!(summary.time, decision.time);
        assert_eq!(summary.deal_sha256, decision.deal_sha256);
        assert_eq!(summary.proposal, decision.proposal);
        assert_eq!(summary.policy_hash, decision.policy_hash);
        assert_eq!(summary.evaluation_date, decision.evaluation_date);
        assert_eq!(summary.verdict, decision.verdict);
    }
    // Decision 1's rules were given in reverse order; the summary keeps that order.
    let (id, _) = &logged[1];
    let summary = page.decisions.iter().find(|s| s.id == *id).unwrap();
    assert_eq!(summary.outcomes[0].rule, "data-residency");
}

pub async fn pages_cover_every_decision_once_newest_first(target: &Target) {
    let log = target.open().await;
    let logged = append_all(&log, (0..23).map(decision).collect()).await;
    for filter in [
        DecisionFilter::default(),
        DecisionFilter {
            verdict: Some("compliant".into()),
            ..Default::default()
        },
    ] {
        let mut seen = Vec::new();
        let mut page_filter = DecisionFilter {
            limit: Some(4),
            ..filter.clone()
        };
        let mut pages = 0;
        loop {
            let page = log.list(&page_filter).await.unwrap();
            pages += 1;
            assert!(page.decisions.len() <= 4);
            seen.extend(page.decisions.iter().map(|summary| summary.id));
            match page.next {
                Some(next) => {
                    assert_eq!(Some(&next), seen.last(), "next is the page's last id");
                    page_filter.before = Some(next);
                }
                None => break,
            }
            assert!(pages < 20, "paging does not end");
        }
        assert_eq!(seen, expected_ids(&logged, &filter), "{filter:?}");
    }
}

pub async fn page_size_defaults_to_50_and_is_clamped_to_1_through_500(target: &Target) {
    let log = target.open().await;
    // Appended concurrently: one group commit instead of 510 (this test is about listing).
    let appends = (0..510).map(|n| {
        let log = log.clone();
        async move { log.append(&decision(n)).await.unwrap() }
    });
    let appends: Vec<_> = appends.map(tokio::spawn).collect();
    for append in appends {
        append.await.unwrap();
    }
    let sized = |limit| DecisionFilter {
        limit,
        ..Default::default()
    };
    let default = log.list(&sized(None)).await.unwrap();
    assert_eq!(default.decisions.len(), 50);
    assert_eq!(default.next, default.decisions.last().map(|s| s.id));
    assert_eq!(log.list(&sized(Some(0))).await.unwrap().decisions.len(), 1);
    let widest = log.list(&sized(Some(100_000))).await.unwrap();
    assert_eq!(widest.decisions.len(), 500);
    assert!(widest.next.is_some());
    let all = log.list(&sized(Some(500))).await.unwrap();
    let rest = DecisionFilter {
        before: all.next,
        limit: Some(500),
        ..Default::default()
    };
    let last = log.list(&rest).await.unwrap();
    assert_eq!(last.decisions.len(), 10);
    assert_eq!(last.next, None);
}

pub async fn replay_goes_oldest_first_after_the_cursor(target: &Target) {
    let log = target.open().await;
    let logged = append_all(&log, (0..9).map(decision).collect()).await;
    let first = log.replay(None, 4).await.unwrap();
    let ids: Vec<DecisionId> = first.iter().map(|deal| deal.id).collect();
    let logged_ids: Vec<DecisionId> = logged.iter().map(|(id, _)| *id).collect();
    assert_eq!(ids, logged_ids[..4]);
    let rest = log.replay(ids.last().copied(), 100).await.unwrap();
    let rest_ids: Vec<DecisionId> = rest.iter().map(|deal| deal.id).collect();
    assert_eq!(rest_ids, logged_ids[4..]);
    for deal in first.iter().chain(&rest) {
        let (_, decision) = logged.iter().find(|(id, _)| *id == deal.id).unwrap();
        assert_eq!(deal.deal_text, decision.deal_text);
        assert_eq!(deal.deal_sha256, decision.deal_sha256);
        assert_eq!(deal.deal_format, decision.deal_format);
        assert_eq!(deal.evaluation_date, decision.evaluation_date);
        assert_eq!(deal.report, decision.report);
    }
    let all = || first.iter().chain(&rest);
    assert!(
        all().any(|deal| deal.deal_text.is_none()),
        "decision 3 has no text"
    );
    assert!(log
        .replay(logged_ids.last().copied(), 10)
        .await
        .unwrap()
        .is_empty());
    assert!(log.replay(None, 0).await.unwrap().is_empty());
}

pub async fn count_counts_the_decisions(target: &Target) {
    let log = target.open().await;
    assert_eq!(log.count().await.unwrap(), 0);
    append_all(&log, (0..7).map(decision).collect()).await;
    assert_eq!(log.count().await.unwrap(), 7);
}
