//! `GET /v1/policies`: the set serving now — its hash, each file (path relative to the
//! policy path it was found under, title, version, hash) and each rule (id, title, severity,
//! status, citations).

use axum::extract::State;
use axum::Json;
use serde::Serialize;

use crate::policies::{LoadedSet, PolicyFile};
use crate::state::AppState;

#[derive(Serialize)]
pub struct PolicySet<'a> {
    pub hash: &'a str,
    pub loaded_at: String,
    pub engine_version: &'static str,
    pub files: &'a [PolicyFile],
    pub rules: Vec<RuleInfo<'a>>,
}

#[derive(Serialize)]
pub struct RuleInfo<'a> {
    pub id: &'a str,
    pub title: Option<&'a str>,
    pub severity: &'static str,
    pub status: &'static str,
    /// The file the rule is written in, as `files` names it.
    pub file: Option<&'a str>,
    pub citations: &'a [covenant::resolve::ir::Citation],
}

/// The listing of a set.
pub fn listing(set: &LoadedSet) -> serde_json::Value {
    let policy = set.policy();
    let rules = policy
        .rules
        .iter()
        .map(|r| RuleInfo {
            id: &r.id,
            title: r.title.as_deref(),
            severity: r.severity.as_str(),
            status: r.status.as_str(),
            file: set.files.get(r.loc.file).map(|f| f.path.as_str()),
            citations: &r.cites,
        })
        .collect();
    let listing = PolicySet {
        hash: &set.hash,
        loaded_at: set.loaded_at.to_string(),
        engine_version: covenant::VERSION,
        files: &set.files,
        rules,
    };
    serde_json::to_value(listing).unwrap_or(serde_json::Value::Null)
}

pub async fn list(State(app): State<AppState>) -> Json<serde_json::Value> {
    Json(listing(&app.policies.current()))
}
