//! A decision as rows: encoding a [`NewDecision`] for the writer, and decoding rows back.
//! Times are nanoseconds since the Unix epoch (UTC) in a 64-bit integer: exact for
//! `jiff::Timestamp`, sortable, and the same on both databases. JSON columns hold the exact
//! text the server wrote.

use super::{
    DecisionId, DecisionSummary, LogError, NewDecision, PolicyVersion, ReplayDeal, RuleOutcome,
    StoredDecision,
};

/// A decision ready to be written: every column's value, checked and serialized before it
/// joins a group, so that one bad decision cannot fail the others committed with it.
#[derive(Debug)]
pub(super) struct DecisionRecord {
    pub time_ns: i64,
    pub deal_sha256: String,
    pub deal_text: Option<String>,
    pub deal_format: String,
    pub proposal: Option<String>,
    pub policy_hash: String,
    pub policy_versions: String,
    pub engine_version: String,
    pub evaluation_date: Option<String>,
    pub verdict: String,
    pub report: String,
    pub outcomes: Vec<RuleOutcome>,
}

impl DecisionRecord {
    pub(super) fn encode(decision: &NewDecision) -> Result<DecisionRecord, LogError> {
        let record = DecisionRecord {
            time_ns: time_to_ns(decision.time)?,
            deal_sha256: decision.deal_sha256.clone(),
            deal_text: decision.deal_text.clone(),
            deal_format: decision.deal_format.clone(),
            proposal: decision.proposal.clone(),
            policy_hash: decision.policy_hash.clone(),
            policy_versions: to_json("policy versions", &decision.policy_versions)?,
            engine_version: decision.engine_version.clone(),
            evaluation_date: decision.evaluation_date.clone(),
            verdict: decision.verdict.clone(),
            report: to_json("report", &decision.report)?,
            outcomes: decision.outcomes.clone(),
        };
        record.refuse_nul()?;
        Ok(record)
    }

    /// PostgreSQL's text cannot hold a NUL character, and SQLite's JSON functions stop at
    /// one: such a decision is refused on both, before it can fail a whole group.
    fn refuse_nul(&self) -> Result<(), LogError> {
        let texts = [
            ("deal sha256", Some(&self.deal_sha256)),
            ("deal text", self.deal_text.as_ref()),
            ("deal format", Some(&self.deal_format)),
            ("proposal", self.proposal.as_ref()),
            ("policy hash", Some(&self.policy_hash)),
            ("engine version", Some(&self.engine_version)),
            ("evaluation date", self.evaluation_date.as_ref()),
            ("verdict", Some(&self.verdict)),
        ];
        let outcomes = self.outcomes.iter().flat_map(|outcome| {
            [
                ("rule id", Some(&outcome.rule)),
                ("rule outcome", Some(&outcome.outcome)),
            ]
        });
        for (what, text) in texts.into_iter().chain(outcomes) {
            if text.is_some_and(|text| text.contains('\0')) {
                return Err(LogError::Database(format!(
                    "the decision's {what} contains a NUL character, which the log cannot store"
                )));
            }
        }
        Ok(())
    }
}

fn to_json<T: serde::Serialize>(what: &str, value: &T) -> Result<String, LogError> {
    serde_json::to_string(value)
        .map_err(|error| LogError::Database(format!("the decision's {what}: {error}")))
}

fn from_json<T: serde::de::DeserializeOwned>(
    id: DecisionId,
    what: &str,
    text: &str,
) -> Result<T, LogError> {
    serde_json::from_str(text).map_err(|error| {
        LogError::Database(format!(
            "decision {id}: the stored {what} is not valid: {error}"
        ))
    })
}

/// A time as the log stores it. Outside 1677-09-21..2262-04-11 it does not fit, and the
/// decision is refused (the server stamps decisions with the clock's time).
pub(super) fn time_to_ns(time: jiff::Timestamp) -> Result<i64, LogError> {
    i64::try_from(time.as_nanosecond()).map_err(|_| {
        LogError::Database(format!(
            "the decision's time {time} is outside the years 1678 to 2261 the log can store"
        ))
    })
}

/// A filter's bound as stored time: a bound beyond what the log can store is the nearest
/// storable time, which selects the same decisions.
pub(super) fn time_bound_to_ns(time: jiff::Timestamp) -> i64 {
    let ns = time.as_nanosecond();
    i64::try_from(ns).unwrap_or(if ns < 0 { i64::MIN } else { i64::MAX })
}

fn time_from_ns(id: DecisionId, ns: i64) -> Result<jiff::Timestamp, LogError> {
    jiff::Timestamp::from_nanosecond(i128::from(ns)).map_err(|error| {
        LogError::Database(format!(
            "decision {id}: the stored time is not valid: {error}"
        ))
    })
}

/// The columns of a listed decision.
#[derive(sqlx::FromRow)]
pub(super) struct SummaryRow {
    id: i64,
    time_ns: i64,
    deal_sha256: String,
    proposal: Option<String>,
    policy_hash: String,
    evaluation_date: Option<String>,
    verdict: String,
}

pub(super) const SUMMARY_COLUMNS: &str =
    "d.id, d.time_ns, d.deal_sha256, d.proposal, d.policy_hash, d.evaluation_date, d.verdict";

impl SummaryRow {
    pub(super) fn id(&self) -> DecisionId {
        self.id
    }

    pub(super) fn decode(self, outcomes: Vec<RuleOutcome>) -> Result<DecisionSummary, LogError> {
        Ok(DecisionSummary {
            id: self.id,
            time: time_from_ns(self.id, self.time_ns)?,
            deal_sha256: self.deal_sha256,
            proposal: self.proposal,
            policy_hash: self.policy_hash,
            evaluation_date: self.evaluation_date,
            verdict: self.verdict,
            outcomes,
        })
    }
}

/// Every column of a decision.
#[derive(sqlx::FromRow)]
pub(super) struct DecisionRow {
    id: i64,
    time_ns: i64,
    deal_sha256: String,
    deal_text: Option<String>,
    deal_format: String,
    proposal: Option<String>,
    policy_hash: String,
    policy_versions: String,
    engine_version: String,
    evaluation_date: Option<String>,
    verdict: String,
    report: String,
}

pub(super) const DECISION_COLUMNS: &str = "id, time_ns, deal_sha256, deal_text, deal_format, \
     proposal, policy_hash, policy_versions, engine_version, evaluation_date, verdict, report";

impl DecisionRow {
    pub(super) fn decode(self, outcomes: Vec<RuleOutcome>) -> Result<StoredDecision, LogError> {
        let id = self.id;
        let policy_versions: Vec<PolicyVersion> =
            from_json(id, "policy versions", &self.policy_versions)?;
        let decision = NewDecision {
            time: time_from_ns(id, self.time_ns)?,
            deal_sha256: self.deal_sha256,
            deal_text: self.deal_text,
            deal_format: self.deal_format,
            proposal: self.proposal,
            policy_hash: self.policy_hash,
            policy_versions,
            engine_version: self.engine_version,
            evaluation_date: self.evaluation_date,
            verdict: self.verdict,
            outcomes,
            report: from_json(id, "report", &self.report)?,
        };
        Ok(StoredDecision { id, decision })
    }
}

/// The columns of a deal to check again.
#[derive(sqlx::FromRow)]
pub(super) struct ReplayRow {
    id: i64,
    deal_sha256: String,
    deal_text: Option<String>,
    deal_format: String,
    evaluation_date: Option<String>,
    report: String,
}

pub(super) const REPLAY_COLUMNS: &str =
    "id, deal_sha256, deal_text, deal_format, evaluation_date, report";

impl ReplayRow {
    pub(super) fn decode(self) -> Result<ReplayDeal, LogError> {
        Ok(ReplayDeal {
            report: from_json(self.id, "report", &self.report)?,
            id: self.id,
            deal_sha256: self.deal_sha256,
            deal_text: self.deal_text,
            deal_format: self.deal_format,
            evaluation_date: self.evaluation_date,
        })
    }
}

/// One rule outcome of a decision.
#[derive(sqlx::FromRow)]
pub(super) struct OutcomeRow {
    pub decision_id: i64,
    pub rule: String,
    pub outcome: String,
}
