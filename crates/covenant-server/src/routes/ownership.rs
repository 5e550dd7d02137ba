//! `POST /v1/ownership`: the entities and holdings of the deal of the body, as the policy's
//! schema loads it, each placed at its line and column — what the web page draws as the
//! deal's ownership diagram. Not logged: it decides nothing.

use axum::extract::{Request, State};
use axum::Json;
use covenant::check::ownership::Ownership;

use super::{params, RawQuery};
use crate::body::{self, DealKind};
use crate::error::ApiError;
use crate::state::AppState;

pub async fn ownership(
    State(app): State<AppState>,
    query: RawQuery,
    request: Request,
) -> Result<Json<Ownership>, ApiError> {
    params(query, &[])?;
    let (parts, body) = request.into_parts();
    let format = match body::kind(&parts.headers)? {
        DealKind::Document(format) => format,
        DealKind::Lines => {
            return Err(ApiError::unsupported_media_type(
                "draw one deal at a time: send it as application/json, application/yaml or application/toml",
            ))
        }
    };
    let bytes = body::read_within(&parts.headers, body, app.max_body).await?;
    let set = app.policies.current();
    let loaded = app
        .pool
        .run(move || {
            let document = body::document(&bytes, format)?;
            set.engine.ownership_document(document)
        })
        .await?;
    loaded.map(Json).map_err(|invalid| {
        super::check::refusal(&invalid)
            .unwrap_or_else(|| ApiError::internal("the deal did not load, yet is not invalid"))
    })
}
