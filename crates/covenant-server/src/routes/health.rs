//! `GET /healthz` and `GET /metrics`: open even when the server requires a token, and
//! outside the concurrency limit and the request timeout.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::Json;

use crate::state::AppState;

/// The server is up, and checks with this policy set.
pub async fn healthz(State(app): State<AppState>) -> Json<serde_json::Value> {
    let set = app.policies.current();
    Json(serde_json::json!({
        "status": "ok",
        "policy_hash": set.hash,
        "rules": set.policy().rules.len(),
    }))
}

pub async fn metrics(State(app): State<AppState>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        app.metrics.render(),
    )
}
