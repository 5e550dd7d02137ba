//! The response headers the server adds.

use axum::http::HeaderName;

/// The response header that names the decision a check was logged as.
pub const DECISION_HEADER: HeaderName = HeaderName::from_static("covenant-decision-id");
