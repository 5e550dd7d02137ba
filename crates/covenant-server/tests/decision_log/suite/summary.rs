//! The suite's counts: `summary` (by verdict, by UTC day, each rule's outcomes) agrees with a
//! count of the decisions the filter's model selects, on both databases.

use std::collections::BTreeMap;

use covenant_server::decision_log::{DecisionFilter, LogSummary, NewDecision};

use super::append_all;
use crate::fixtures::{decision, passes, RULE_OUTCOMES, VERDICTS};
use crate::target::Target;

/// What the summary of `filter` must be, counted from the decisions themselves.
fn model(logged: &[(i64, NewDecision)], filter: &DecisionFilter) -> LogSummary {
    let zeros = |names: &[&str]| -> BTreeMap<String, u64> {
        names.iter().map(|n| (n.to_string(), 0)).collect()
    };
    let mut summary = LogSummary {
        verdicts: zeros(&VERDICTS),
        ..LogSummary::default()
    };
    let mut days: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    let mut rules: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for (_, d) in logged.iter().filter(|(_, d)| passes(filter, d)) {
        summary.decisions += 1;
        *summary.verdicts.get_mut(&d.verdict).unwrap() += 1;
        let day = d.time.to_string()[..10].to_string();
        *days
            .entry(day)
            .or_insert_with(|| zeros(&VERDICTS))
            .get_mut(&d.verdict)
            .unwrap() += 1;
        for o in &d.outcomes {
            *rules
                .entry(o.rule.clone())
                .or_insert_with(|| zeros(&RULE_OUTCOMES))
                .get_mut(&o.outcome)
                .unwrap() += 1;
        }
    }
    summary.days = days
        .into_iter()
        .map(|(day, verdicts)| covenant_server::decision_log::DaySummary { day, verdicts })
        .collect();
    summary.rules = rules
        .into_iter()
        .map(|(rule, outcomes)| covenant_server::decision_log::RuleSummary { rule, outcomes })
        .collect();
    let key = |r: &covenant_server::decision_log::RuleSummary| {
        (
            std::cmp::Reverse(r.outcomes["fail"]),
            std::cmp::Reverse(r.outcomes["incomplete"]),
            r.rule.clone(),
        )
    };
    summary.rules.sort_by_key(key);
    summary
}

pub async fn summary_counts_what_the_model_counts(target: &Target) {
    let log = target.open().await;
    // Three days: the fixtures' decisions moved 0, 1 or 2 days on.
    let decisions = (0..45)
        .map(|n| {
            let mut d = decision(n);
            let days = i64::try_from(n % 3).unwrap();
            d.time = d
                .time
                .checked_add(jiff::SignedDuration::from_hours(24 * days))
                .unwrap();
            d
        })
        .collect();
    let logged = append_all(&log, decisions).await;
    let text = |s: &str| Some(s.to_string());
    let second_day: jiff::Timestamp = "2026-05-21T00:00:00Z".parse().unwrap();
    let filters = [
        DecisionFilter::default(),
        DecisionFilter {
            verdict: text("non-compliant"),
            ..Default::default()
        },
        DecisionFilter {
            proposal: text("Alpha JV"),
            rule: text("cfius-filing"),
            outcome: text("fail"),
            ..Default::default()
        },
        DecisionFilter {
            since: Some(second_day),
            ..Default::default()
        },
        DecisionFilter {
            proposal: text("No such JV"),
            ..Default::default()
        },
    ];
    for filter in &filters {
        let summary = log.summary(filter).await.unwrap();
        assert_eq!(summary, model(&logged, filter), "{filter:?}");
    }
    let all = log.summary(&DecisionFilter::default()).await.unwrap();
    assert_eq!(all.decisions, 45);
    assert_eq!(all.days.len(), 3, "three days: {:?}", all.days);
    assert_eq!(all.days[0].day, "2026-05-20");
    // A page's cursor and size do not bound the counts.
    let paged = DecisionFilter {
        before: Some(logged[3].0),
        limit: Some(1),
        ..Default::default()
    };
    assert_eq!(log.summary(&paged).await.unwrap(), all);
}
