//! Reading the log: listings, single decisions, replay and counts. The SQL is the same on
//! SQLite and PostgreSQL.

use std::collections::HashMap;

use super::record::{
    time_bound_to_ns, DecisionRow, OutcomeRow, ReplayRow, SummaryRow, DECISION_COLUMNS,
    REPLAY_COLUMNS, SUMMARY_COLUMNS,
};
use super::store::{bind_params, database_error, with_pool, Param, Store};
use super::{
    DecisionFilter, DecisionId, DecisionPage, LogError, ReplayDeal, RuleOutcome, StoredDecision,
};

const DEFAULT_PAGE: u32 = 50;
const MAX_PAGE: u32 = 500;

pub(super) async fn list(store: &Store, filter: &DecisionFilter) -> Result<DecisionPage, LogError> {
    let limit = filter.limit.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let (sql, params) = list_query(filter, limit);
    let mut rows: Vec<SummaryRow> = with_pool!(store, pool => {
        bind_params!(sqlx::query_as(&sql), &params).fetch_all(pool).await
    })
    .map_err(|error| database_error("listing decisions", error))?;
    let more = rows.len() > limit as usize;
    rows.truncate(limit as usize);
    let ids: Vec<DecisionId> = rows.iter().map(SummaryRow::id).collect();
    let mut outcomes = outcomes_of(store, &ids).await?;
    let decisions = rows
        .into_iter()
        .map(|row| {
            let of_row = outcomes.remove(&row.id()).unwrap_or_default();
            row.decode(of_row)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let next = if more { ids.last().copied() } else { None };
    Ok(DecisionPage { decisions, next })
}

/// The listing's SQL and its parameters: every filter given is one condition; the rule and
/// outcome filters ask that one outcome row of the decision matches them both.
fn list_query(filter: &DecisionFilter, limit: u32) -> (String, Vec<Param>) {
    let mut query = conditions(filter);
    let where_clause = query.where_clause();
    // One row more than the page: its presence says there is a next page.
    let limit = query.param(Param::Int(i64::from(limit) + 1));
    let sql = format!(
        "SELECT {SUMMARY_COLUMNS} FROM decisions d {where_clause}ORDER BY d.id DESC LIMIT {limit}"
    );
    (sql, query.params)
}

/// The conditions on `decisions d` that `filter` asks for (all but its `limit`).
pub(super) fn conditions(filter: &DecisionFilter) -> Conditions {
    let mut query = Conditions::default();
    if let Some(proposal) = &filter.proposal {
        query.add("d.proposal =", Param::Text(proposal.clone()));
    }
    if let Some(verdict) = &filter.verdict {
        query.add("d.verdict =", Param::Text(verdict.clone()));
    }
    if let Some(since) = filter.since {
        query.add("d.time_ns >=", Param::Int(time_bound_to_ns(since)));
    }
    if let Some(until) = filter.until {
        query.add("d.time_ns <", Param::Int(time_bound_to_ns(until)));
    }
    if let Some(before) = filter.before {
        query.add("d.id <", Param::Int(before));
    }
    let mut outcome_conditions = Vec::new();
    if let Some(rule) = &filter.rule {
        outcome_conditions.push(format!(
            "o.rule = {}",
            query.param(Param::Text(rule.clone()))
        ));
    }
    if let Some(outcome) = &filter.outcome {
        let param = query.param(Param::Text(outcome.clone()));
        outcome_conditions.push(format!("o.outcome = {param}"));
    }
    if !outcome_conditions.is_empty() {
        query.sql.push(format!(
            "EXISTS (SELECT 1 FROM decision_outcomes o WHERE o.decision_id = d.id AND {})",
            outcome_conditions.join(" AND ")
        ));
    }
    query
}

/// The conditions of a query and the parameters they name.
#[derive(Default)]
pub(super) struct Conditions {
    pub sql: Vec<String>,
    pub params: Vec<Param>,
}

impl Conditions {
    /// `WHERE … ` (with its trailing space), or nothing when there is no condition.
    pub fn where_clause(&self) -> String {
        if self.sql.is_empty() {
            String::new()
        } else {
            format!("WHERE {} ", self.sql.join(" AND "))
        }
    }

    /// Adds the parameter and returns its placeholder.
    pub fn param(&mut self, param: Param) -> String {
        self.params.push(param);
        format!("${}", self.params.len())
    }

    /// Adds `{left} $n` as a condition.
    fn add(&mut self, left: &str, param: Param) {
        let placeholder = self.param(param);
        self.sql.push(format!("{left} {placeholder}"));
    }
}

/// The outcomes of these decisions, each decision's in policy order.
async fn outcomes_of(
    store: &Store,
    ids: &[DecisionId],
) -> Result<HashMap<DecisionId, Vec<RuleOutcome>>, LogError> {
    let mut by_decision: HashMap<DecisionId, Vec<RuleOutcome>> = HashMap::new();
    if ids.is_empty() {
        return Ok(by_decision);
    }
    let placeholders: Vec<String> = (1..=ids.len()).map(|n| format!("${n}")).collect();
    let sql = format!(
        "SELECT decision_id, rule, outcome FROM decision_outcomes \
         WHERE decision_id IN ({}) ORDER BY decision_id, ordinal",
        placeholders.join(", ")
    );
    let params: Vec<Param> = ids.iter().map(|id| Param::Int(*id)).collect();
    // The text changes with the page's size: not worth a place in the statement cache.
    let rows: Vec<OutcomeRow> = with_pool!(store, pool => {
        bind_params!(sqlx::query_as(&sql), &params).persistent(false).fetch_all(pool).await
    })
    .map_err(|error| database_error("reading rule outcomes", error))?;
    for row in rows {
        by_decision
            .entry(row.decision_id)
            .or_default()
            .push(RuleOutcome {
                rule: row.rule,
                outcome: row.outcome,
            });
    }
    Ok(by_decision)
}

pub(super) async fn get(store: &Store, id: DecisionId) -> Result<Option<StoredDecision>, LogError> {
    let sql = format!("SELECT {DECISION_COLUMNS} FROM decisions WHERE id = $1");
    let row: Option<DecisionRow> = with_pool!(store, pool => {
        sqlx::query_as(&sql).bind(id).fetch_optional(pool).await
    })
    .map_err(|error| database_error(&format!("reading decision {id}"), error))?;
    let Some(row) = row else {
        return Ok(None);
    };
    let outcomes = outcomes_of(store, &[id]).await?.remove(&id);
    row.decode(outcomes.unwrap_or_default()).map(Some)
}

pub(super) async fn replay(
    store: &Store,
    after: Option<DecisionId>,
    limit: u32,
) -> Result<Vec<ReplayDeal>, LogError> {
    if limit == 0 {
        return Ok(Vec::new());
    }
    let sql = format!("SELECT {REPLAY_COLUMNS} FROM decisions WHERE id > $1 ORDER BY id LIMIT $2");
    let after = after.unwrap_or(i64::MIN);
    let rows: Vec<ReplayRow> = with_pool!(store, pool => {
        sqlx::query_as(&sql).bind(after).bind(i64::from(limit)).fetch_all(pool).await
    })
    .map_err(|error| database_error("reading decisions to replay", error))?;
    rows.into_iter().map(ReplayRow::decode).collect()
}

pub(super) async fn count(store: &Store) -> Result<u64, LogError> {
    let count: i64 = with_pool!(store, pool => {
        sqlx::query_scalar("SELECT COUNT(*) FROM decisions").fetch_one(pool).await
    })
    .map_err(|error| database_error("counting decisions", error))?;
    u64::try_from(count).map_err(|_| LogError::Database(format!("a count of {count} decisions")))
}

pub(super) async fn schema_version(store: &Store) -> Result<i64, LogError> {
    let sql = "SELECT MAX(version) FROM _sqlx_migrations WHERE success";
    let version: Option<i64> = with_pool!(store, pool => {
        sqlx::query_scalar(sql).fetch_one(pool).await
    })
    .map_err(|error| database_error("reading the schema version", error))?;
    Ok(version.unwrap_or(0))
}
