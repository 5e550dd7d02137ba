//! Decisions to log, varied enough that every filter selects a different set, and a model of
//! the filters to compute what a listing must return.

use covenant_server::decision_log::{
    DecisionFilter, DecisionId, NewDecision, PolicyVersion, RuleOutcome,
};
use serde_json::json;

pub const PROPOSALS: [Option<&str>; 3] = [Some("Alpha JV"), Some("Beta JV"), None];
pub const VERDICTS: [&str; 4] = ["compliant", "non-compliant", "incomplete", "invalid"];
pub const RULE_OUTCOMES: [&str; 5] = ["pass", "fail", "incomplete", "not-applicable", "exempt"];

/// The base time of the fixtures, with nanoseconds that a microsecond store would lose.
pub fn base_time() -> jiff::Timestamp {
    "2026-05-20T10:11:12.123456789Z".parse().unwrap()
}

/// The `n`th decision: proposal, verdict, outcomes and time all vary with `n`, the rules'
/// order changes (it is the policy's order, which the log must keep), and every fifth decision
/// has no `data-residency` rule at all.
pub fn decision(n: usize) -> NewDecision {
    let minutes = i64::try_from(n).unwrap();
    let time = base_time()
        .checked_add(jiff::SignedDuration::from_secs(60 * minutes))
        .unwrap();
    let mut outcomes = vec![
        outcome("american-control", RULE_OUTCOMES[n % 5]),
        outcome("cfius-filing", RULE_OUTCOMES[(n / 2) % 5]),
    ];
    if !n.is_multiple_of(5) {
        outcomes.push(outcome("data-residency", RULE_OUTCOMES[(n / 3) % 5]));
    }
    if n % 2 == 1 {
        outcomes.reverse();
    }
    let proposal = PROPOSALS[n % 3].map(str::to_string);
    let verdict = VERDICTS[n % 4].to_string();
    NewDecision {
        time,
        deal_sha256: format!("{n:064x}"),
        deal_text: (n % 7 != 3).then(|| format!("proposal: \"Deal {n}\"\nstake: 51%\n")),
        deal_format: ["yaml", "json", "toml"][n % 3].to_string(),
        proposal: proposal.clone(),
        policy_hash: format!("{:064x}", n % 2 + 0xabc),
        policy_versions: vec![
            PolicyVersion {
                title: "US auto JV".to_string(),
                version: Some("2.1".to_string()),
            },
            PolicyVersion {
                title: "Data rules".to_string(),
                version: None,
            },
        ],
        engine_version: "0.1.0".to_string(),
        evaluation_date: (n % 4 != 1).then(|| "2026-09-01".to_string()),
        verdict: verdict.clone(),
        report: json!({
            "zeta": n,
            "proposal": proposal,
            "verdict": verdict,
            "alpha": [{"rule": "american-control", "note": "51 % ≥ 50 % — “control”"}],
            "amount": "12500000.50",
        }),
        outcomes,
    }
}

fn outcome(rule: &str, outcome: &str) -> RuleOutcome {
    RuleOutcome {
        rule: rule.to_string(),
        outcome: outcome.to_string(),
    }
}

/// Whether `decision` passes `filter` (all but the page bounds), as documented on
/// `DecisionFilter`: the rule and the outcome must hold of the same rule outcome.
pub fn passes(filter: &DecisionFilter, decision: &NewDecision) -> bool {
    let outcome_matches = |o: &RuleOutcome| {
        filter.rule.as_ref().is_none_or(|rule| &o.rule == rule)
            && filter
                .outcome
                .as_ref()
                .is_none_or(|want| &o.outcome == want)
    };
    filter
        .proposal
        .as_ref()
        .is_none_or(|p| decision.proposal.as_ref() == Some(p))
        && filter
            .verdict
            .as_ref()
            .is_none_or(|v| &decision.verdict == v)
        && filter.since.is_none_or(|since| decision.time >= since)
        && filter.until.is_none_or(|until| decision.time < until)
        && (filter.rule.is_none() && filter.outcome.is_none()
            || decision.outcomes.iter().any(outcome_matches))
}

/// The ids of the logged decisions that pass `filter`, newest first.
pub fn expected_ids(
    logged: &[(DecisionId, NewDecision)],
    filter: &DecisionFilter,
) -> Vec<DecisionId> {
    let mut ids: Vec<DecisionId> = logged
        .iter()
        .filter(|(_, decision)| passes(filter, decision))
        .map(|(id, _)| *id)
        .collect();
    ids.sort_unstable_by(|a, b| b.cmp(a));
    ids
}
