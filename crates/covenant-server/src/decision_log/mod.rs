//! The decision log: every check the server answers, committed before the answer is sent.
//! Append-only. An embedded SQLite file (WAL mode) by default; PostgreSQL when several
//! server instances share one log. One async layer (`sqlx`) for both, with its migrations.

mod open;
mod read;
mod record;
mod store;
mod summary;
mod write_postgres;
mod write_sqlite;
mod writer;

use serde::{Deserialize, Serialize};

use store::Store;

pub use summary::{DaySummary, LogSummary, RuleSummary};

/// A decision's number in the log: increasing in the order decisions were committed.
pub type DecisionId = i64;

/// The log, open on SQLite or PostgreSQL. Cheap to clone (a pool handle).
#[derive(Clone, Debug)]
pub struct DecisionLog {
    store: Store,
    /// The queue to the writer task, which commits appends in groups (`writer.rs`).
    writer: writer::Queue,
}

impl DecisionLog {
    /// Open (creating and migrating when needed) the log at `target`: a `postgres://` or
    /// `postgresql://` URL is PostgreSQL; anything else is a SQLite file path (or `sqlite:`
    /// URL), opened in WAL mode.
    pub async fn open(target: &str) -> Result<DecisionLog, LogError> {
        let store = open::open(target).await?;
        let writer = writer::spawn(store.clone());
        Ok(DecisionLog { store, writer })
    }

    /// Append a decision. When this returns `Ok`, the decision is committed: a crash after it
    /// cannot lose it.
    pub async fn append(&self, decision: &NewDecision) -> Result<DecisionId, LogError> {
        let record = record::DecisionRecord::encode(decision)?;
        self.writer.append(record).await
    }

    /// One page of the decisions that pass `filter`, newest first.
    pub async fn list(&self, filter: &DecisionFilter) -> Result<DecisionPage, LogError> {
        read::list(&self.store, filter).await
    }

    /// The decision with this id, if there is one.
    pub async fn get(&self, id: DecisionId) -> Result<Option<StoredDecision>, LogError> {
        read::get(&self.store, id).await
    }

    /// Up to `limit` logged deals with ids above `after`, oldest first, to check again.
    pub async fn replay(
        &self,
        after: Option<DecisionId>,
        limit: u32,
    ) -> Result<Vec<ReplayDeal>, LogError> {
        read::replay(&self.store, after, limit).await
    }

    /// The counts of the decisions that pass `filter` (its `before` and `limit` aside): by
    /// verdict, by day, and each rule's outcomes.
    pub async fn summary(&self, filter: &DecisionFilter) -> Result<LogSummary, LogError> {
        let filter = DecisionFilter {
            before: None,
            limit: None,
            ..filter.clone()
        };
        summary::summary(&self.store, &filter).await
    }

    /// How many decisions the log holds.
    pub async fn count(&self) -> Result<u64, LogError> {
        read::count(&self.store).await
    }

    /// The version of the newest schema migration applied to the log (the migrator's own
    /// table, `_sqlx_migrations`, records each one).
    pub async fn schema_version(&self) -> Result<i64, LogError> {
        read::schema_version(&self.store).await
    }

    /// `sqlite` or `postgres`: the database the log is kept in.
    pub fn backend(&self) -> &'static str {
        self.store.backend()
    }
}

/// A decision to append.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewDecision {
    /// When the check was made (RFC 3339, UTC).
    pub time: jiff::Timestamp,
    /// The sha256 of the deal's bytes, lower-case hex.
    pub deal_sha256: String,
    /// The deal's text, unless the server runs with `--no-store-deals`.
    pub deal_text: Option<String>,
    /// The deal's format: `json`, `yaml` or `toml`.
    pub deal_format: String,
    /// The deal's proposal name, when it has one.
    pub proposal: Option<String>,
    /// The content hash of the policy set that decided (lower-case hex sha256).
    pub policy_hash: String,
    /// The policy set's titles and versions, in load order.
    pub policy_versions: Vec<PolicyVersion>,
    /// The engine's version (`CARGO_PKG_VERSION` of the `covenant` library).
    pub engine_version: String,
    /// The evaluation date the check used (`as_of`), YYYY-MM-DD, or None for each rule's own.
    pub evaluation_date: Option<String>,
    /// The deal's verdict: `compliant`, `non-compliant`, `incomplete` or `invalid`.
    pub verdict: String,
    /// Each rule's outcome, in policy order.
    pub outcomes: Vec<RuleOutcome>,
    /// The deal's JSON report, exactly as the server answered it.
    pub report: serde_json::Value,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyVersion {
    pub title: String,
    pub version: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleOutcome {
    pub rule: String,
    /// `pass`, `fail`, `incomplete`, `not-applicable` or `exempt`.
    pub outcome: String,
}

/// A decision as the log holds it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredDecision {
    pub id: DecisionId,
    #[serde(flatten)]
    pub decision: NewDecision,
}

/// A decision in a listing: everything but the deal text and the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionSummary {
    pub id: DecisionId,
    pub time: jiff::Timestamp,
    pub deal_sha256: String,
    pub proposal: Option<String>,
    pub policy_hash: String,
    pub evaluation_date: Option<String>,
    pub verdict: String,
    pub outcomes: Vec<RuleOutcome>,
}

/// Which decisions to list. Every filter given must hold.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct DecisionFilter {
    /// Decisions of this proposal (exact match).
    pub proposal: Option<String>,
    /// Decisions with this verdict.
    pub verdict: Option<String>,
    /// Decisions in which this rule was evaluated; with `outcome`, had that outcome.
    pub rule: Option<String>,
    /// Decisions in which some rule (`rule`, when given) had this outcome.
    pub outcome: Option<String>,
    /// Decisions made at or after this time.
    pub since: Option<jiff::Timestamp>,
    /// Decisions made before this time.
    pub until: Option<jiff::Timestamp>,
    /// Decisions older than this one (the `next` cursor of the previous page).
    pub before: Option<DecisionId>,
    /// At most this many (clamped to 1..=500; default 50).
    pub limit: Option<u32>,
}

/// One page of a listing, newest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DecisionPage {
    pub decisions: Vec<DecisionSummary>,
    /// The `before` of the next page, or None on the last page.
    pub next: Option<DecisionId>,
}

/// A logged deal to check again (`POST /v1/impact`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ReplayDeal {
    pub id: DecisionId,
    pub deal_sha256: String,
    /// None when the deal was logged without its text (`--no-store-deals`).
    pub deal_text: Option<String>,
    pub deal_format: String,
    pub evaluation_date: Option<String>,
    /// The JSON report the deal got then.
    pub report: serde_json::Value,
}

#[derive(Debug, thiserror::Error)]
pub enum LogError {
    #[error("the decision log at `{target}` cannot be opened: {reason}")]
    Open { target: String, reason: String },
    #[error("the decision log failed: {0}")]
    Database(String),
}
