//! `POST /v1/check`: check the deal (or the JSON-lines batch) of the body, log every deal as
//! a decision, then answer the report `covenant check --format F -` gives for the same deals.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use covenant::check::{Batch, Input, Settings, StdinFormat};
use covenant::report::audit::Audit;
use covenant::report::run::{DealRenderer, Format, RunReport};
use covenant::report::{json, DealReport};
use jiff::civil::Date;

use super::{params, RawQuery};
use crate::body::{self, DealKind};
use crate::decision_log::{NewDecision, RuleOutcome};
use crate::error::ApiError;
use crate::headers::DECISION_HEADER;
use crate::policies::{sha256_hex, LoadedSet};
use crate::state::AppState;

/// The query parameters of a check.
#[derive(Clone, Debug)]
pub struct CheckParams {
    pub as_of: Option<Date>,
    pub format: Format,
    pub include_proposed: bool,
}

const KNOWN: [&str; 3] = ["as_of", "format", "include_proposed"];

impl CheckParams {
    fn read(params: &BTreeMap<String, String>) -> Result<CheckParams, ApiError> {
        let format = match params.get("format").map(String::as_str) {
            None | Some("json") => Format::Json,
            Some("sarif") => Format::Sarif,
            Some("markdown") => Format::Markdown,
            Some("junit") => Format::Junit,
            Some(other) => {
                return Err(ApiError::bad_query(format!(
                    "format: `{other}` is not a report format of the API (json, sarif, markdown, junit)"
                )))
            }
        };
        Ok(CheckParams {
            as_of: super::as_of(params)?,
            format,
            include_proposed: super::flag(params, "include_proposed")?,
        })
    }
}

/// The media type of a report format.
fn content_type(format: Format) -> &'static str {
    match format {
        Format::Sarif => "application/sarif+json",
        Format::Markdown => "text/markdown; charset=utf-8",
        Format::Junit => "application/xml",
        Format::Github => "text/plain; charset=utf-8",
        Format::Json | Format::Jsonl | Format::Human => "application/json",
    }
}

pub async fn check(
    State(app): State<AppState>,
    query: RawQuery,
    request: Request,
) -> Result<Response, ApiError> {
    let params = CheckParams::read(&params(query, &KNOWN)?)?;
    let (parts, body) = request.into_parts();
    let kind = body::kind(&parts.headers)?;
    let bytes = body::read_within(&parts.headers, body, app.max_body).await?;
    let set = app.policies.current();
    let store = app.store_deals;
    let job_params = params.clone();
    let checked = app
        .pool
        .run(move || check_body(&set, &job_params, kind, &bytes, store))
        .await??;
    let mut ids = Vec::with_capacity(checked.decisions.len());
    for decision in &checked.decisions {
        match app.log.append(decision).await {
            Ok(id) => ids.push(id),
            Err(e) => {
                app.metrics.log_failure();
                return Err(ApiError::log_unavailable(e));
            }
        }
    }
    for decision in &checked.decisions {
        app.metrics.verdict(&decision.verdict);
    }
    let single = match kind {
        DealKind::Document(_) => ids.first().copied(),
        DealKind::Lines => None,
    };
    if let Some(mut refused) = checked.refused {
        refused.decision = ids.first().copied();
        return Err(refused);
    }
    let mut response = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, content_type(params.format))],
        checked.body,
    )
        .into_response();
    if let Some(id) = single {
        response
            .headers_mut()
            .insert(DECISION_HEADER, HeaderValue::from(id));
    }
    Ok(response)
}

/// A body checked: the report to answer (or why the deal is refused), and the decisions to
/// log first.
struct Checked {
    body: Vec<u8>,
    decisions: Vec<NewDecision>,
    /// The answer instead of the report: an invalid deal (422), an internal error (500).
    refused: Option<ApiError>,
}

/// Check every deal of the body with the set, on this (checking) thread.
fn check_body(
    set: &Arc<LoadedSet>,
    params: &CheckParams,
    kind: DealKind,
    bytes: &[u8],
    store_deals: bool,
) -> Result<Checked, ApiError> {
    let settings = Settings {
        as_of: params.as_of,
        include_proposed: params.include_proposed,
        stdin_format: Some(StdinFormat::Jsonl),
        ..set.engine.settings().clone()
    };
    let engine = set.engine.with_settings(settings);
    let policy = engine.policy();
    let audit = Audit::now(params.as_of);
    let renderer = DealRenderer::new(params.format, false, policy, &audit).as_of(params.as_of);
    let mut out = Vec::new();
    let mut report = RunReport::start(params.format, policy, audit, &mut out);
    let mut decisions = Vec::new();
    let record = Recorder {
        set,
        as_of: params.as_of.map(|d| d.to_string()),
        format: kind.format_name(),
        store_deals,
    };
    let mut only = None;
    match kind {
        DealKind::Document(format) => {
            let d = match body::document(bytes, format) {
                Ok(document) => engine.check_document(document),
                Err(unreadable) => *unreadable,
            };
            let mut rendered = Vec::new();
            renderer.render(policy, &d, &mut rendered);
            decisions.push(record.decision(&d, bytes));
            report.add(policy, &d, &rendered);
            only = Some(d);
        }
        DealKind::Lines => {
            let inputs = [Input::Stdin];
            let mut reader = std::io::Cursor::new(bytes);
            let render = |d: &DealReport, buf: &mut Vec<u8>| renderer.render(policy, d, buf);
            let batch = Batch::new(&inputs)
                .stdin(&mut reader)
                .rendered_with(&render);
            let mut entries = 0;
            engine.check_batch(batch, &mut |d: DealReport, text: Option<&[u8]>| {
                decisions.push(record.decision(&d, body::deal_bytes(bytes, &d.path)));
                report.add(policy, &d, text.unwrap_or_default());
                entries += 1;
                // A batch without a single deal is one entry, named `-`: refused as one deal.
                only = (entries == 1 && d.path == body::NAME).then_some(d);
            });
        }
    }
    report
        .finish(policy)
        .map_err(|e| ApiError::internal(format!("the report could not be written: {e}")))?;
    Ok(Checked {
        body: out,
        decisions,
        refused: only.as_ref().and_then(refusal),
    })
}

/// Why a single deal gets no report: it is invalid (422, with its diagnostics), or checking
/// it failed inside (500).
pub fn refusal(d: &DealReport) -> Option<ApiError> {
    if d.verdict != covenant::eval::outcome::Verdict::Invalid {
        return None;
    }
    let errors: Vec<_> = d.problems.iter().filter(|p| p.error).collect();
    if errors.iter().any(|p| p.code == "covenant::internal::panic") {
        let message = errors.first().map_or("", |p| p.message.as_str());
        return Some(ApiError::internal(message));
    }
    let message = match errors.as_slice() {
        [one] => format!("the deal is invalid: {}", one.message),
        _ => format!(
            "the deal is invalid: {} errors",
            errors.len() + d.errors_omitted
        ),
    };
    Some(ApiError::invalid_deal(message, diagnostics(d)))
}

/// A deal's problems as the API's diagnostics, errors first.
pub fn diagnostics(d: &DealReport) -> Vec<serde_json::Value> {
    d.problems
        .iter()
        .map(|p| {
            serde_json::json!({
                "code": p.code,
                "severity": if p.error { "error" } else { "warning" },
                "message": p.message,
                "line": p.line,
                "column": p.column,
                "help": p.help,
            })
        })
        .collect()
}

/// What makes a decision of a deal's report.
struct Recorder<'a> {
    set: &'a LoadedSet,
    as_of: Option<String>,
    format: &'static str,
    store_deals: bool,
}

impl Recorder<'_> {
    fn decision(&self, d: &DealReport, deal: &[u8]) -> NewDecision {
        let policy = self.set.policy();
        let mut line = Vec::new();
        json::write_deal_line(&mut line, policy, d);
        let outcomes = d
            .results
            .iter()
            .filter_map(|r| {
                Some(RuleOutcome {
                    rule: policy.rules.get(r.rule)?.id.clone(),
                    outcome: covenant::check::outcome_label(r).to_string(),
                })
            })
            .collect();
        NewDecision {
            time: jiff::Timestamp::now(),
            deal_sha256: sha256_hex(deal),
            deal_text: self
                .store_deals
                .then(|| std::str::from_utf8(deal).ok().map(str::to_string))
                .flatten(),
            deal_format: self.format.to_string(),
            proposal: d.proposal.clone(),
            policy_hash: self.set.hash.clone(),
            policy_versions: self.set.versions.clone(),
            engine_version: crate::ENGINE_VERSION.to_string(),
            evaluation_date: self.as_of.clone(),
            verdict: d.verdict.as_str().to_string(),
            outcomes,
            report: serde_json::from_slice(&line).unwrap_or(serde_json::Value::Null),
        }
    }
}
