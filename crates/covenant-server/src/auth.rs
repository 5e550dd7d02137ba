//! The bearer token of `--token-file`: when the server has one, every `/v1` route requires
//! `Authorization: Bearer TOKEN`. `/healthz` and `/metrics` stay open (a load balancer and a
//! scraper call them).

use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use subtle::ConstantTimeEq;

use crate::error::ApiError;
use crate::state::AppState;

/// Let the request through when the server has no token, or the request bears it.
pub async fn require_token(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let Some(token) = app.token.as_deref() else {
        return next.run(request).await;
    };
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(bearer);
    match given {
        None => ApiError::unauthorized(
            "this server requires a bearer token: send `Authorization: Bearer TOKEN`",
        )
        .into_response(),
        Some(given) if !same(given, token) => {
            ApiError::unauthorized("the bearer token is not the server's").into_response()
        }
        Some(_) => next.run(request).await,
    }
}

/// The token of an `Authorization: Bearer TOKEN` value (the scheme in any case).
fn bearer(value: &str) -> Option<&str> {
    let (scheme, token) = value.trim().split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// Compare in constant time: how long it takes tells nothing of how much of the token was
/// right. (Its length may show; the token is a secret of fixed length.)
fn same(given: &str, token: &str) -> bool {
    given.as_bytes().ct_eq(token.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bearer_scheme_is_read_in_any_case() {
        assert_eq!(bearer("Bearer abc"), Some("abc"));
        assert_eq!(bearer("bearer  abc "), Some("abc"));
        assert_eq!(bearer("Basic abc"), None);
        assert_eq!(bearer("Bearer "), None);
        assert_eq!(bearer("abc"), None);
        assert!(same("abc", "abc"));
        assert!(!same("abd", "abc"));
        assert!(!same("ab", "abc"));
    }
}
