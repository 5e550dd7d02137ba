//! `GET /v1/decisions` (a page of the log, newest first, filtered) and
//! `GET /v1/decisions/{id}` (one decision, with its report) and `GET /v1/decisions/summary`
//! (counts by verdict, day and rule outcome, for charts).

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::Json;

use super::{params, RawQuery};
use crate::decision_log::{DecisionFilter, DecisionPage, LogSummary, StoredDecision};
use crate::error::ApiError;
use crate::state::AppState;

const KNOWN: [&str; 8] = [
    "proposal", "verdict", "rule", "outcome", "since", "until", "before", "limit",
];

const VERDICTS: [&str; 4] = ["compliant", "non-compliant", "incomplete", "invalid"];
const OUTCOMES: [&str; 5] = ["pass", "fail", "incomplete", "not-applicable", "exempt"];

/// The most decisions on one page.
pub const MAX_LIMIT: u32 = 500;

pub async fn list(
    State(app): State<AppState>,
    query: RawQuery,
) -> Result<Json<DecisionPage>, ApiError> {
    let filter = filter(&params(query, &KNOWN)?)?;
    app.log
        .list(&filter)
        .await
        .map(Json)
        .map_err(ApiError::log_unavailable)
}

/// The filters of a summary: a listing's, without its page.
const SUMMARY_KNOWN: [&str; 6] = ["proposal", "verdict", "rule", "outcome", "since", "until"];

pub async fn summary(
    State(app): State<AppState>,
    query: RawQuery,
) -> Result<Json<LogSummary>, ApiError> {
    let filter = filter(&params(query, &SUMMARY_KNOWN)?)?;
    app.log
        .summary(&filter)
        .await
        .map(Json)
        .map_err(ApiError::log_unavailable)
}

pub async fn one(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<StoredDecision>, ApiError> {
    let absent = || ApiError::not_found(format!("no decision `{id}` in the log"));
    let Some(number) = id.parse::<i64>().ok().filter(|n| *n > 0) else {
        return Err(absent());
    };
    match app.log.get(number).await {
        Ok(Some(decision)) => Ok(Json(decision)),
        Ok(None) => Err(absent()),
        Err(e) => Err(ApiError::log_unavailable(e)),
    }
}

/// The filter the query parameters ask for; a value that could match nothing is an error.
pub fn filter(params: &BTreeMap<String, String>) -> Result<DecisionFilter, ApiError> {
    let one_of = |name: &str, allowed: &[&str]| -> Result<Option<String>, ApiError> {
        match params.get(name) {
            None => Ok(None),
            Some(v) if allowed.contains(&v.as_str()) => Ok(Some(v.clone())),
            Some(v) => Err(ApiError::bad_query(format!(
                "{name}: `{v}` is not one of {}",
                allowed.join(", ")
            ))),
        }
    };
    let time = |name: &str| -> Result<Option<jiff::Timestamp>, ApiError> {
        params
            .get(name)
            .map(|v| {
                v.parse::<jiff::Timestamp>().map_err(|_| {
                    ApiError::bad_query(format!(
                        "{name}: `{v}` is not an RFC 3339 time, such as 2026-03-01T00:00:00Z"
                    ))
                })
            })
            .transpose()
    };
    let number = |name: &str, max: u64| -> Result<Option<u64>, ApiError> {
        params
            .get(name)
            .map(|v| {
                v.parse::<u64>()
                    .ok()
                    .filter(|n| (1..=max).contains(n))
                    .ok_or_else(|| {
                        ApiError::bad_query(format!(
                            "{name}: `{v}` is not a whole number from 1 to {max}"
                        ))
                    })
            })
            .transpose()
    };
    let before = number("before", i64::MAX.unsigned_abs())?;
    let limit = number("limit", u64::from(MAX_LIMIT))?;
    Ok(DecisionFilter {
        proposal: params.get("proposal").cloned(),
        verdict: one_of("verdict", &VERDICTS)?,
        rule: params.get("rule").cloned(),
        outcome: one_of("outcome", &OUTCOMES)?,
        since: time("since")?,
        until: time("until")?,
        before: before.and_then(|n| i64::try_from(n).ok()),
        limit: limit.and_then(|n| u32::try_from(n).ok()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_query_becomes_the_filter() {
        let f = filter(&query(&[
            ("proposal", "Acme JV"),
            ("verdict", "non-compliant"),
            ("rule", "board-size"),
            ("outcome", "fail"),
            ("since", "2026-01-01T00:00:00Z"),
            ("before", "42"),
            ("limit", "10"),
        ]))
        .map_err(|e| e.message);
        let expected = DecisionFilter {
            proposal: Some("Acme JV".into()),
            verdict: Some("non-compliant".into()),
            rule: Some("board-size".into()),
            outcome: Some("fail".into()),
            since: "2026-01-01T00:00:00Z".parse().ok(),
            until: None,
            before: Some(42),
            limit: Some(10),
        };
        assert_eq!(f, Ok(expected));
    }

    #[test]
    fn values_that_match_nothing_are_refused() {
        for bad in [
            ("verdict", "passed"),
            ("outcome", "failed"),
            ("since", "2026-01-01"),
            ("until", "yesterday"),
            ("before", "0"),
            ("before", "-3"),
            ("limit", "501"),
            ("limit", "ten"),
        ] {
            let e = filter(&query(&[bad])).map(|_| ()).map_err(|e| e.code);
            assert_eq!(e, Err("covenant::server::bad-query"), "{bad:?}");
        }
    }
}
