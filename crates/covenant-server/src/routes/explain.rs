//! `POST /v1/explain?rule=ID`: how each rule (or the one named) was evaluated on the deal of
//! the body — `covenant explain --format json -` (or, with `format=text`, its human form).
//! Not logged: an explanation decides nothing.

use axum::extract::{Request, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use covenant::check::Settings;

use super::{params, RawQuery};
use crate::body::{self, DealKind};
use crate::error::ApiError;
use crate::state::AppState;

const KNOWN: [&str; 4] = ["rule", "as_of", "include_proposed", "format"];

pub async fn explain(
    State(app): State<AppState>,
    query: RawQuery,
    request: Request,
) -> Result<Response, ApiError> {
    let params = params(query, &KNOWN)?;
    let as_of = super::as_of(&params)?;
    let include_proposed = super::flag(&params, "include_proposed")?;
    let text = match params.get("format").map(String::as_str) {
        None | Some("json") => false,
        Some("text") => true,
        Some(other) => {
            return Err(ApiError::bad_query(format!(
                "format: `{other}` is not a format of an explanation (json, text)"
            )))
        }
    };
    let (parts, body) = request.into_parts();
    let format = match body::kind(&parts.headers)? {
        DealKind::Document(format) => format,
        DealKind::Lines => {
            return Err(ApiError::unsupported_media_type(
                "explain one deal at a time: send it as application/json, application/yaml or application/toml",
            ))
        }
    };
    let set = app.policies.current();
    let rule = params.get("rule").cloned();
    if let Some(id) = &rule {
        let ids: Vec<String> = set.policy().rules.iter().map(|r| r.id.clone()).collect();
        if !ids.contains(id) {
            let hint = covenant::resolve::typeck::suggest::did_you_mean(id, &ids)
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            return Err(ApiError::bad_query(format!(
                "rule: no rule `{id}` in the policy{hint}"
            )));
        }
    }
    let bytes = body::read_within(&parts.headers, body, app.max_body).await?;
    let explained = app
        .pool
        .run(move || {
            let settings = Settings {
                as_of,
                include_proposed,
                ..set.engine.settings().clone()
            };
            let engine = set.engine.with_settings(settings);
            let document = body::document(&bytes, format)?;
            engine.explain_document(document, rule.as_deref())
        })
        .await?;
    match explained {
        Ok(e) if text => Ok((
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            e.to_text(),
        )
            .into_response()),
        Ok(e) => Ok((
            [(header::CONTENT_TYPE, "application/json")],
            format!("{}\n", e.to_json()),
        )
            .into_response()),
        Err(invalid) => Err(super::check::refusal(&invalid)
            .unwrap_or_else(|| ApiError::internal("the deal did not load, yet is not invalid"))),
    }
}
