//! Counts over the log (`GET /v1/decisions/summary`, the web page's charts): the decisions a
//! filter selects, by verdict, by day and verdict, and each rule's outcomes. Counted by the
//! database (`GROUP BY`), the same SQL on SQLite and PostgreSQL, so a chart of a large log
//! reads a few rows rather than every decision.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::read::conditions;
use super::store::{bind_params, database_error, with_pool, Store};
use super::{DecisionFilter, LogError};

/// The verdicts and outcomes, in the order a summary lists them.
pub const VERDICTS: [&str; 4] = ["compliant", "non-compliant", "incomplete", "invalid"];
pub const OUTCOMES: [&str; 5] = ["pass", "fail", "incomplete", "not-applicable", "exempt"];

/// Nanoseconds in a day: decisions are counted by UTC day.
const DAY_NS: i64 = 86_400_000_000_000;

/// The counts of the decisions a filter selects.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogSummary {
    /// How many decisions.
    pub decisions: u64,
    /// By verdict: every verdict, 0 when none.
    pub verdicts: BTreeMap<String, u64>,
    /// By UTC day (days with decisions only), oldest first.
    pub days: Vec<DaySummary>,
    /// Each rule evaluated in them, most failed first (then most incomplete, then by id).
    pub rules: Vec<RuleSummary>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DaySummary {
    /// `YYYY-MM-DD`, in UTC.
    pub day: String,
    pub verdicts: BTreeMap<String, u64>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSummary {
    pub rule: String,
    /// By outcome: every outcome, 0 when none.
    pub outcomes: BTreeMap<String, u64>,
}

fn zeros(names: &[&str]) -> BTreeMap<String, u64> {
    names.iter().map(|n| (n.to_string(), 0)).collect()
}

fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

pub(super) async fn summary(
    store: &Store,
    filter: &DecisionFilter,
) -> Result<LogSummary, LogError> {
    let query = conditions(filter);
    let where_clause = query.where_clause();
    // The day's length is a constant of the SQL, not a parameter: the same expression in the
    // select list and in GROUP BY.
    let by_day = format!(
        "SELECT d.time_ns / {DAY_NS}, d.verdict, COUNT(*) FROM decisions d {where_clause}\
         GROUP BY d.time_ns / {DAY_NS}, d.verdict"
    );
    let day_rows: Vec<(i64, String, i64)> = with_pool!(store, pool => {
        bind_params!(sqlx::query_as(&by_day), &query.params).fetch_all(pool).await
    })
    .map_err(|error| database_error("counting decisions by day", error))?;
    let by_rule = format!(
        "SELECT r.rule, r.outcome, COUNT(*) FROM decision_outcomes r \
         JOIN decisions d ON d.id = r.decision_id {where_clause}GROUP BY r.rule, r.outcome"
    );
    let rule_rows: Vec<(String, String, i64)> = with_pool!(store, pool => {
        bind_params!(sqlx::query_as(&by_rule), &query.params).fetch_all(pool).await
    })
    .map_err(|error| database_error("counting rule outcomes", error))?;
    Ok(LogSummary::of(&day_rows, &rule_rows))
}

impl LogSummary {
    /// The summary of the counts by (day, verdict) and by (rule, outcome).
    fn of(day_rows: &[(i64, String, i64)], rule_rows: &[(String, String, i64)]) -> LogSummary {
        let mut summary = LogSummary {
            verdicts: zeros(&VERDICTS),
            ..LogSummary::default()
        };
        let mut days: BTreeMap<i64, BTreeMap<String, u64>> = BTreeMap::new();
        for (day, verdict, n) in day_rows {
            summary.decisions += count(*n);
            *summary.verdicts.entry(verdict.clone()).or_default() += count(*n);
            *days
                .entry(*day)
                .or_insert_with(|| zeros(&VERDICTS))
                .entry(verdict.clone())
                .or_default() += count(*n);
        }
        summary.days = days
            .into_iter()
            .map(|(day, verdicts)| DaySummary {
                day: day_name(day),
                verdicts,
            })
            .collect();
        let mut rules: BTreeMap<&str, BTreeMap<String, u64>> = BTreeMap::new();
        for (rule, outcome, n) in rule_rows {
            *rules
                .entry(rule)
                .or_insert_with(|| zeros(&OUTCOMES))
                .entry(outcome.clone())
                .or_default() += count(*n);
        }
        summary.rules = rules
            .into_iter()
            .map(|(rule, outcomes)| RuleSummary {
                rule: rule.to_string(),
                outcomes,
            })
            .collect();
        let of = |r: &RuleSummary, o: &str| r.outcomes.get(o).copied().unwrap_or(0);
        summary.rules.sort_by(|a, b| {
            (of(b, "fail"), of(b, "incomplete"))
                .cmp(&(of(a, "fail"), of(a, "incomplete")))
                .then_with(|| a.rule.cmp(&b.rule))
        });
        summary
    }
}

/// Day `n` after 1970-01-01 as `YYYY-MM-DD`.
fn day_name(n: i64) -> String {
    jiff::Timestamp::from_second(n.saturating_mul(86_400))
        .map(|t| jiff::tz::Offset::UTC.to_datetime(t).date().to_string())
        .unwrap_or_else(|_| format!("day {n}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_become_the_summary() {
        let days = [
            (20513, "compliant".to_string(), 2),
            (20513, "non-compliant".to_string(), 1),
            (20512, "invalid".to_string(), 4),
        ];
        let rules = [
            ("a".to_string(), "pass".to_string(), 3),
            ("b".to_string(), "fail".to_string(), 1),
            ("c".to_string(), "fail".to_string(), 1),
            ("c".to_string(), "incomplete".to_string(), 2),
        ];
        let s = LogSummary::of(&days, &rules);
        assert_eq!(s.decisions, 7);
        assert_eq!(s.verdicts.get("invalid"), Some(&4));
        assert_eq!(s.verdicts.get("incomplete"), Some(&0));
        let named: Vec<&str> = s.days.iter().map(|d| d.day.as_str()).collect();
        assert_eq!(named, ["2026-02-28", "2026-03-01"]);
        assert_eq!(s.days[1].verdicts.get("compliant"), Some(&2));
        let order: Vec<&str> = s.rules.iter().map(|r| r.rule.as_str()).collect();
        assert_eq!(order, ["c", "b", "a"]);
        assert_eq!(s.rules[2].outcomes.get("exempt"), Some(&0));
    }
}
