//! The API's errors: every one is answered as a JSON object `{"code", "message"}` (with
//! `"diagnostics"` when there are some: a deal's, or a policy's that does not compile), its
//! code one of the `covenant::server::…` codes of the registry (`covenant::codes`).

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answered to a request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApiError {
    #[serde(skip)]
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub diagnostics: Option<Vec<serde_json::Value>>,
    /// The decision that logged the deal (an invalid deal is logged too): a response header.
    #[serde(skip)]
    pub decision: Option<i64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code,
            message: message.into(),
            diagnostics: None,
            decision: None,
        }
    }

    pub fn with_diagnostics(mut self, diagnostics: Vec<serde_json::Value>) -> ApiError {
        self.diagnostics = Some(diagnostics);
        self
    }

    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "covenant::server::bad-request",
            message,
        )
    }

    pub fn bad_query(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "covenant::server::bad-query",
            message,
        )
    }

    pub fn unsupported_media_type(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "covenant::server::unsupported-media-type",
            message,
        )
    }

    pub fn payload_too_large(limit: u64) -> ApiError {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "covenant::server::payload-too-large",
            format!(
                "the request body is larger than the limit of {} (the server's --max-deal-size)",
                covenant::limits::show_size(limit)
            ),
        )
    }

    /// A deal that cannot be loaded, with its diagnostics.
    pub fn invalid_deal(message: impl Into<String>, diagnostics: Vec<serde_json::Value>) -> Self {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "covenant::server::invalid-deal",
            message,
        )
        .with_diagnostics(diagnostics)
    }

    pub fn unauthorized(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            "covenant::server::unauthorized",
            message,
        )
    }

    pub fn not_found(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::NOT_FOUND,
            "covenant::server::not-found",
            message,
        )
    }

    pub fn method_not_allowed(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "covenant::server::method-not-allowed",
            message,
        )
    }

    pub fn timeout(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "covenant::server::timeout",
            message,
        )
    }

    pub fn overloaded(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "covenant::server::overloaded",
            message,
        )
    }

    pub fn log_unavailable(reason: impl std::fmt::Display) -> ApiError {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "covenant::server::log-unavailable",
            format!(
                "the decision log could not record the check, so no verdict is given: {reason}"
            ),
        )
    }

    pub fn reload_failed(message: impl Into<String>, diagnostics: Vec<serde_json::Value>) -> Self {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "covenant::server::reload-failed",
            message,
        )
        .with_diagnostics(diagnostics)
    }

    pub fn internal(message: impl Into<String>) -> ApiError {
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "covenant::server::internal",
            message,
        )
    }

    /// The JSON body, as answered.
    pub fn body(&self) -> String {
        serde_json::to_string(self)
            .unwrap_or_else(|_| format!(r#"{{"code":"{}","message":"(unprintable)"}}"#, self.code))
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            self.body(),
        )
            .into_response();
        let headers = response.headers_mut();
        if self.status == StatusCode::UNAUTHORIZED {
            headers.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            headers.insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        if let Some(id) = self.decision {
            headers.insert(crate::headers::DECISION_HEADER, HeaderValue::from(id));
        }
        response
    }
}
