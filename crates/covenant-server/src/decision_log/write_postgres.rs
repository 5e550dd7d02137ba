//! Writing a group of decisions to PostgreSQL in one transaction: ids from the table's
//! sequence (shared by every server instance on the log), then each table's rows in one
//! statement, as arrays that `UNNEST` turns back into rows. A round trip per statement, not
//! per row.

use sqlx::postgres::PgPool;

use super::record::DecisionRecord;
use super::DecisionId;

const NEXT_IDS: &str = "SELECT nextval('decisions_id_seq') FROM generate_series(1, $1)";

const INSERT_DECISIONS: &str = "INSERT INTO decisions (id, time_ns, deal_sha256, deal_text, \
     deal_format, proposal, policy_hash, policy_versions, engine_version, evaluation_date, \
     verdict, report) \
     SELECT * FROM UNNEST($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[], \
     $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])";

const INSERT_OUTCOMES: &str =
    "INSERT INTO decision_outcomes (decision_id, ordinal, rule, outcome) \
     SELECT * FROM UNNEST($1::bigint[], $2::integer[], $3::text[], $4::text[])";

/// Commits the group and returns the records' ids, in order.
pub(super) async fn write_group(
    pool: &PgPool,
    records: &[DecisionRecord],
) -> Result<Vec<DecisionId>, String> {
    let failed = |doing: &str, error: sqlx::Error| format!("{doing}: {error}");
    let count = i64::try_from(records.len()).map_err(|error| error.to_string())?;
    let mut transaction = pool
        .begin()
        .await
        .map_err(|error| failed("starting a transaction", error))?;
    let mut ids: Vec<i64> = sqlx::query_scalar(NEXT_IDS)
        .bind(count)
        .fetch_all(&mut *transaction)
        .await
        .map_err(|error| failed("taking decision ids", error))?;
    ids.sort_unstable();
    if ids.len() != records.len() {
        return Err(format!("{} ids for {} decisions", ids.len(), records.len()));
    }
    let times: Vec<i64> = records.iter().map(|record| record.time_ns).collect();
    let inserted = sqlx::query(INSERT_DECISIONS)
        .bind(&ids)
        .bind(times)
        .bind(column(records, |record| &record.deal_sha256))
        .bind(optional(records, |record| &record.deal_text))
        .bind(column(records, |record| &record.deal_format))
        .bind(optional(records, |record| &record.proposal))
        .bind(column(records, |record| &record.policy_hash))
        .bind(column(records, |record| &record.policy_versions))
        .bind(column(records, |record| &record.engine_version))
        .bind(optional(records, |record| &record.evaluation_date))
        .bind(column(records, |record| &record.verdict))
        .bind(column(records, |record| &record.report))
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
    write_outcomes(&mut transaction, &ids, records).await?;
    transaction
        .commit()
        .await
        .map_err(|error| failed("committing decisions", error))?;
    Ok(ids)
}

/// One text column of the group, as the array bound for `UNNEST`.
fn column(records: &[DecisionRecord], field: fn(&DecisionRecord) -> &String) -> Vec<&str> {
    records
        .iter()
        .map(|record| field(record).as_str())
        .collect()
}

fn optional(
    records: &[DecisionRecord],
    field: fn(&DecisionRecord) -> &Option<String>,
) -> Vec<Option<&str>> {
    records
        .iter()
        .map(|record| field(record).as_deref())
        .collect()
}

async fn write_outcomes(
    transaction: &mut sqlx::Transaction<'_, sqlx::Postgres>,
    ids: &[DecisionId],
    records: &[DecisionRecord],
) -> Result<(), String> {
    let mut decision_ids = Vec::new();
    let mut ordinals = Vec::new();
    let mut rules = Vec::new();
    let mut outcomes = Vec::new();
    for (id, record) in ids.iter().zip(records) {
        for (ordinal, outcome) in record.outcomes.iter().enumerate() {
            let ordinal = i32::try_from(ordinal)
                .map_err(|_| format!("decision {id} has too many rule outcomes"))?;
            decision_ids.push(*id);
            ordinals.push(ordinal);
            rules.push(outcome.rule.as_str());
            outcomes.push(outcome.outcome.as_str());
        }
    }
    sqlx::query(INSERT_OUTCOMES)
        .bind(decision_ids)
        .bind(ordinals)
        .bind(rules)
        .bind(outcomes)
        .execute(&mut **transaction)
        .await
        .map_err(|error| format!("writing rule outcomes: {error}"))?;
    Ok(())
}
