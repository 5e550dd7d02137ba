//! Writing a group of decisions to SQLite in one transaction. The whole group goes in two
//! statements, whatever its size: the rows travel as one JSON array each, which SQLite's
//! `json_each` unpacks. One statement per row would cost a trip to sqlx's SQLite thread each.

use sqlx::sqlite::SqlitePool;

use super::record::DecisionRecord;
use super::DecisionId;

const INSERT_DECISIONS: &str = "INSERT INTO decisions (id, time_ns, deal_sha256, deal_text, \
     deal_format, proposal, policy_hash, policy_versions, engine_version, evaluation_date, \
     verdict, report) \
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, \
     value ->> 6, value ->> 7, value ->> 8, value ->> 9, value ->> 10, value ->> 11 \
     FROM json_each($1)";

const INSERT_OUTCOMES: &str =
    "INSERT INTO decision_outcomes (decision_id, ordinal, rule, outcome) \
     SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each($1)";

/// Commits the group and returns the records' ids, in order.
pub(super) async fn write_group(
    pool: &SqlitePool,
    records: &[DecisionRecord],
) -> Result<Vec<DecisionId>, String> {
    let failed = |doing: &str, error: sqlx::Error| format!("{doing}: {error}");
    // IMMEDIATE takes the write lock at once: reading the last id and inserting after it
    // happen under one lock, even if another process writes to the same file.
    let mut transaction = pool
        .begin_with("BEGIN IMMEDIATE")
        .await
        .map_err(|error| failed("starting a transaction", error))?;
    let last: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM decisions")
        .fetch_one(&mut *transaction)
        .await
        .map_err(|error| failed("reading the last decision id", error))?;
    let ids = next_ids(last, records.len())?;
    let (decisions, outcomes) = group_json(&ids, records)?;
    let inserted = sqlx::query(INSERT_DECISIONS)
        .bind(decisions)
        .execute(&mut *transaction)
        .await
        .map_err(|error| failed("writing decisions", error))?;
    if inserted.rows_affected() != records.len() as u64 {
        return Err(format!(
            "writing decisions: {} rows written for {} decisions",
            inserted.rows_affected(),
            records.len()
        ));
    }
    sqlx::query(INSERT_OUTCOMES)
        .bind(outcomes)
        .execute(&mut *transaction)
        .await
        .map_err(|error| failed("writing rule outcomes", error))?;
    transaction
        .commit()
        .await
        .map_err(|error| failed("committing decisions", error))?;
    Ok(ids)
}

fn next_ids(last: i64, count: usize) -> Result<Vec<DecisionId>, String> {
    (1..=count)
        .map(|n| i64::try_from(n).ok().and_then(|n| last.checked_add(n)))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| "the decision ids are exhausted".to_string())
}

/// The group's decisions and outcomes as two JSON arrays of rows.
fn group_json(ids: &[DecisionId], records: &[DecisionRecord]) -> Result<(String, String), String> {
    let decisions: Vec<_> = ids
        .iter()
        .zip(records)
        .map(|(id, record)| {
            (
                id,
                record.time_ns,
                &record.deal_sha256,
                &record.deal_text,
                &record.deal_format,
                &record.proposal,
                &record.policy_hash,
                &record.policy_versions,
                &record.engine_version,
                &record.evaluation_date,
                &record.verdict,
                &record.report,
            )
        })
        .collect();
    let outcomes: Vec<_> = ids
        .iter()
        .zip(records)
        .flat_map(|(id, record)| {
            record
                .outcomes
                .iter()
                .enumerate()
                .map(move |(ordinal, outcome)| (id, ordinal, &outcome.rule, &outcome.outcome))
        })
        .collect();
    let decisions = serde_json::to_string(&decisions).map_err(|error| error.to_string())?;
    let outcomes = serde_json::to_string(&outcomes).map_err(|error| error.to_string())?;
    Ok((decisions, outcomes))
}
