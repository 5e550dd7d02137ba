//! `POST /v1/impact`: the body is a candidate policy set; the logged deals are checked again
//! with the set serving and with the candidate, and the answer is `covenant diff SERVING
//! CANDIDATE` over them (`--format json` or `markdown`): the rules added, removed and changed,
//! the outcome transitions, and each decision whose verdict or rule outcomes would change.
//! Nothing is logged.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{header, HeaderName, HeaderValue};
use axum::response::{IntoResponse, Response};
use covenant::check::{Document, Settings};
use covenant::deal::Format;
use covenant::report::impact;

use super::{params, RawQuery};
use crate::candidate::CandidateSet;
use crate::decision_log::{DecisionId, ReplayDeal};
use crate::error::ApiError;
use crate::policies::LoadedSet;
use crate::state::AppState;

const KNOWN: [&str; 4] = ["after", "limit", "format", "include_proposed"];

/// Decisions replayed by default, and at most, in one request.
pub const DEFAULT_LIMIT: u32 = 1000;
pub const MAX_LIMIT: u32 = 10_000;

/// The last decision replayed, when there may be more (the `after` of the next request).
pub const NEXT_HEADER: HeaderName = HeaderName::from_static("covenant-impact-next");
/// How many decisions were replayed.
pub const REPLAYED_HEADER: HeaderName = HeaderName::from_static("covenant-impact-replayed");
/// How many of them were logged without their text (`--no-store-deals`), so not compared.
pub const WITHOUT_TEXT_HEADER: HeaderName = HeaderName::from_static("covenant-impact-without-text");

struct ImpactParams {
    after: Option<DecisionId>,
    limit: u32,
    markdown: bool,
    include_proposed: bool,
}

fn read_params(params: &BTreeMap<String, String>) -> Result<ImpactParams, ApiError> {
    let number = |name: &str, max: u64| -> Result<Option<u64>, ApiError> {
        params
            .get(name)
            .map(|v| {
                v.parse::<u64>().ok().filter(|n| *n <= max).ok_or_else(|| {
                    ApiError::bad_query(format!("{name}: `{v}` is not a whole number up to {max}"))
                })
            })
            .transpose()
    };
    let markdown = match params.get("format").map(String::as_str) {
        None | Some("json") => false,
        Some("markdown") => true,
        Some(other) => {
            return Err(ApiError::bad_query(format!(
                "format: `{other}` is not a format of an impact report (json, markdown)"
            )))
        }
    };
    let limit = number("limit", u64::from(MAX_LIMIT))?
        .map_or(DEFAULT_LIMIT, |n| u32::try_from(n).unwrap_or(MAX_LIMIT));
    if limit == 0 {
        return Err(ApiError::bad_query("limit: at least 1 decision"));
    }
    Ok(ImpactParams {
        after: number("after", i64::MAX.unsigned_abs())?.and_then(|n| i64::try_from(n).ok()),
        limit,
        markdown,
        include_proposed: super::flag(params, "include_proposed")?,
    })
}

pub async fn impact(
    State(app): State<AppState>,
    query: RawQuery,
    request: Request,
) -> Result<Response, ApiError> {
    let p = read_params(&params(query, &KNOWN)?)?;
    let (parts, body) = request.into_parts();
    let json = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(';')
                .next()
                .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
        });
    if !json {
        return Err(ApiError::unsupported_media_type(
            "send the candidate policy set as application/json: {\"files\": {\"NAME.policy\": \"TEXT\", …}}",
        ));
    }
    let bytes = crate::body::read_within(&parts.headers, body, app.max_body).await?;
    let candidate: CandidateSet = serde_json::from_slice(&bytes).map_err(|e| {
        ApiError::bad_request(format!(
            "the body is not a candidate policy set {{\"files\": {{NAME: TEXT, …}}}}: {e}"
        ))
    })?;
    candidate.validate()?;
    let limits = app.limits;
    let compiled = app.pool.run(move || candidate.compile(&limits)).await?;
    let candidate = Arc::new(compiled.map_err(|f| {
        ApiError::new(
            axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            "covenant::server::invalid-policy-set",
            f.message,
        )
        .with_diagnostics(f.diagnostics)
    })?);
    let deals = app
        .log
        .replay(p.after, p.limit)
        .await
        .map_err(ApiError::log_unavailable)?;
    let next = (deals.len() >= p.limit as usize)
        .then(|| deals.last().map(|d| d.id))
        .flatten();
    let replayed = deals.len();
    let serving = app.policies.current();
    let include_proposed = p.include_proposed;
    let markdown = p.markdown;
    let (text, without_text) = app
        .pool
        .run(move || compare(&serving, &candidate, &deals, include_proposed, markdown))
        .await?;
    let content_type = if markdown {
        "text/markdown; charset=utf-8"
    } else {
        "application/json"
    };
    let mut response = ([(header::CONTENT_TYPE, content_type)], text).into_response();
    let headers = response.headers_mut();
    headers.insert(REPLAYED_HEADER, HeaderValue::from(replayed));
    headers.insert(WITHOUT_TEXT_HEADER, HeaderValue::from(without_text));
    if let Some(next) = next {
        headers.insert(NEXT_HEADER, HeaderValue::from(next));
    }
    Ok(response)
}

/// Check each deal with both sets (each at the evaluation date it was decided at), and the
/// diff; how many deals had no text to check.
fn compare(
    serving: &LoadedSet,
    candidate: &LoadedSet,
    deals: &[ReplayDeal],
    include_proposed: bool,
    markdown: bool,
) -> (String, usize) {
    let (mut old, mut new, mut without_text) = (Vec::new(), Vec::new(), 0);
    for deal in deals {
        let Some(text) = &deal.deal_text else {
            without_text += 1;
            continue;
        };
        let format = match deal.deal_format.as_str() {
            "yaml" => Format::Yaml,
            "toml" => Format::Toml,
            _ => Format::Json,
        };
        let as_of = deal
            .evaluation_date
            .as_deref()
            .and_then(|d| covenant::value::parse_date(d).ok());
        let name = format!("decisions/{}", deal.id);
        let check = |set: &LoadedSet| {
            let settings = Settings {
                as_of,
                include_proposed,
                ..set.engine.settings().clone()
            };
            let engine = set.engine.with_settings(settings);
            engine.check_document(Document::new(&name, text, format))
        };
        old.push(check(serving));
        new.push(check(candidate));
    }
    let mut found = covenant::diff::impact(serving.policy(), candidate.policy(), &old, &new);
    // The policies by their paths in their sets, never the server's folders.
    for (info, file) in found.old.iter_mut().zip(&serving.files) {
        info.path = file.path.clone();
    }
    for (info, file) in found.new.iter_mut().zip(&candidate.files) {
        info.path = file.path.clone();
    }
    let text = if markdown {
        impact::markdown(&found)
    } else {
        impact::json(&found)
    };
    (text, without_text)
}
