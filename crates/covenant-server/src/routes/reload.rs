//! `POST /v1/reload`: compile the policy paths given at start again and swap the new set in.
//! A set that does not compile is not swapped in: the old one keeps serving, and the answer
//! is `covenant::server::reload-failed` (422) with the diagnostics.

use axum::extract::State;
use axum::Json;

use crate::error::ApiError;
use crate::policies::Reloaded;
use crate::state::AppState;

pub async fn reload(State(app): State<AppState>) -> Result<Json<Reloaded>, ApiError> {
    match app.policies.reload().await {
        Ok(reloaded) => {
            app.metrics.reload(true);
            Ok(Json(reloaded))
        }
        Err(failure) => {
            app.metrics.reload(false);
            Err(ApiError::reload_failed(
                format!(
                    "{}: the policies serving before keep serving",
                    failure.message
                ),
                failure.diagnostics,
            ))
        }
    }
}
