//! Writing a group of decisions to SQLite in one transaction. Rows go in multi-row
//! `INSERT … VALUES` statements of 64, 16, 4 or 1 rows (largest first): few trips to sqlx's
//! SQLite thread per group, values bound as they are (no JSON to escape and parse again), and
//! only four statement texts per table, each prepared once and cached.

use std::ops::Range;
use std::sync::OnceLock;

use sqlx::query::Query;
use sqlx::sqlite::{Sqlite, SqliteArguments, SqlitePool};
use sqlx::{Sqlite as Db, Transaction};

use super::record::DecisionRecord;
use super::{DecisionId, RuleOutcome};

const CHUNK_SIZES: [usize; 4] = [64, 16, 4, 1];

static DECISIONS: Table = Table {
    insert: "INSERT INTO decisions (id, time_ns, deal_sha256, deal_text, deal_format, \
         proposal, policy_hash, policy_versions, engine_version, evaluation_date, verdict, \
         report)",
    columns: 12,
    statements: OnceLock::new(),
};

static OUTCOMES: Table = Table {
    insert: "INSERT INTO decision_outcomes (decision_id, ordinal, rule, outcome)",
    columns: 4,
    statements: OnceLock::new(),
};

/// A table's insert, and its statement text for each chunk size, made once.
struct Table {
    insert: &'static str,
    columns: usize,
    statements: OnceLock<Vec<String>>,
}

impl Table {
    fn statement(&'static self, rows: usize) -> Option<&'static str> {
        let statements = self.statements.get_or_init(|| {
            CHUNK_SIZES
                .iter()
                .map(|&size| values_sql(self.insert, self.columns, size))
                .collect()
        });
        let at = CHUNK_SIZES.iter().position(|&size| size == rows)?;
        statements.get(at).map(String::as_str)
    }
}

type SqliteQuery<'q> = Query<'q, Sqlite, SqliteArguments<'q>>;

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
    let decisions: Vec<(DecisionId, &DecisionRecord)> =
        ids.iter().copied().zip(records.iter()).collect();
    insert_rows(&mut transaction, &DECISIONS, &decisions, bind_decision)
        .await
        .map_err(|error| failed("writing decisions", error))?;
    let outcomes: Vec<(DecisionId, i64, &RuleOutcome)> = decisions
        .iter()
        .flat_map(|(id, record)| {
            (0_i64..)
                .zip(&record.outcomes)
                .map(move |(ordinal, outcome)| (*id, ordinal, outcome))
        })
        .collect();
    insert_rows(&mut transaction, &OUTCOMES, &outcomes, bind_outcome)
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

fn bind_decision<'q>(
    query: SqliteQuery<'q>,
    row: &(DecisionId, &'q DecisionRecord),
) -> SqliteQuery<'q> {
    let (id, record) = *row;
    query
        .bind(id)
        .bind(record.time_ns)
        .bind(record.deal_sha256.as_str())
        .bind(record.deal_text.as_deref())
        .bind(record.deal_format.as_str())
        .bind(record.proposal.as_deref())
        .bind(record.policy_hash.as_str())
        .bind(record.policy_versions.as_str())
        .bind(record.engine_version.as_str())
        .bind(record.evaluation_date.as_deref())
        .bind(record.verdict.as_str())
        .bind(record.report.as_str())
}

fn bind_outcome<'q>(
    query: SqliteQuery<'q>,
    row: &(DecisionId, i64, &'q RuleOutcome),
) -> SqliteQuery<'q> {
    let (id, ordinal, outcome) = *row;
    query
        .bind(id)
        .bind(ordinal)
        .bind(outcome.rule.as_str())
        .bind(outcome.outcome.as_str())
}

/// Inserts `rows` in chunks, checking that each statement wrote every row of its chunk.
async fn insert_rows<'q, T>(
    transaction: &mut Transaction<'_, Db>,
    table: &'static Table,
    rows: &'q [T],
    bind: fn(SqliteQuery<'q>, &T) -> SqliteQuery<'q>,
) -> Result<(), sqlx::Error> {
    for chunk in chunks(rows.len()) {
        let (Some(chunk_rows), Some(sql)) = (rows.get(chunk.clone()), table.statement(chunk.len()))
        else {
            return Err(sqlx::Error::Protocol(format!(
                "no statement for rows {chunk:?}"
            )));
        };
        let mut query = sqlx::query(sql);
        for row in chunk_rows {
            query = bind(query, row);
        }
        let done = query.execute(&mut **transaction).await?;
        if done.rows_affected() != chunk_rows.len() as u64 {
            return Err(sqlx::Error::Protocol(format!(
                "{} rows written of {}",
                done.rows_affected(),
                chunk_rows.len()
            )));
        }
    }
    Ok(())
}

/// The ranges that cover `0..len` in chunks of [`CHUNK_SIZES`], largest first.
fn chunks(len: usize) -> Vec<Range<usize>> {
    let mut ranges = Vec::new();
    let mut start = 0;
    for size in CHUNK_SIZES {
        while len - start >= size {
            ranges.push(start..start + size);
            start += size;
        }
    }
    ranges
}

/// `INSERT … VALUES (?, …), …` for `rows` rows. Anonymous `?` parameters: sqlx binds them in
/// order, where each `$n` would cost a lookup of its name (quadratic in the parameters).
fn values_sql(insert: &str, columns: usize, rows: usize) -> String {
    let mut sql = format!("{insert} VALUES ");
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push('?');
        }
        sql.push(')');
    }
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_cover_every_row_once_largest_first() {
        for len in 0..=300 {
            let ranges = chunks(len);
            let mut next = 0;
            for range in &ranges {
                assert_eq!(range.start, next, "contiguous for {len}");
                assert!(CHUNK_SIZES.contains(&range.len()));
                next = range.end;
            }
            assert_eq!(next, len);
            assert!(ranges.windows(2).all(|pair| pair[0].len() >= pair[1].len()));
        }
        assert_eq!(chunks(256).len(), 4);
        assert_eq!(chunks(7).len(), 4); // 4 + 1 + 1 + 1
    }

    #[test]
    fn a_statement_has_one_parameter_per_value() {
        let sql = OUTCOMES.statement(4).unwrap();
        assert_eq!(sql.matches('?').count(), 16);
        assert!(sql.ends_with("VALUES (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?), (?, ?, ?, ?)"));
        assert_eq!(
            DECISIONS.statement(64).unwrap().matches('?').count(),
            64 * 12
        );
        assert_eq!(DECISIONS.statement(3), None);
    }
}
