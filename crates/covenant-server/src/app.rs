//! The router: the routes, the state they share, and the layers around them (metrics, CORS,
//! the concurrency limit, the request timeout and the bearer token).

use std::time::{Duration, Instant};

use axum::error_handling::HandleErrorLayer;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{header, HeaderValue, Method};
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{BoxError, Router};
use tower::limit::GlobalConcurrencyLimitLayer;
use tower::ServiceBuilder;
use tower_http::cors::{AllowOrigin, CorsLayer};

use crate::error::ApiError;
use crate::headers::DECISION_HEADER;
use crate::routes;
use crate::state::AppState;

/// How the `/v1` routes are bounded.
#[derive(Clone, Debug)]
pub struct Bounds {
    pub timeout: Duration,
    pub max_concurrent: usize,
    pub cors_origins: Vec<String>,
}

/// The whole API.
pub fn router(state: AppState, bounds: &Bounds) -> Result<Router, String> {
    let api = Router::new()
        .route("/v1/check", post(routes::check::check))
        .route("/v1/explain", post(routes::explain::explain))
        .route("/v1/policies", get(routes::policies::list))
        .route("/v1/decisions", get(routes::decisions::list))
        .route("/v1/decisions/summary", get(routes::decisions::summary))
        .route("/v1/decisions/{id}", get(routes::decisions::one))
        .route("/v1/ownership", post(routes::ownership::ownership))
        .route("/v1/reload", post(routes::reload::reload))
        .route("/v1/impact", post(routes::impact::impact))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            crate::auth::require_token,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(bounded_out))
                .load_shed()
                // One limit for all the routes (a plain concurrency limit would be per route).
                .layer(GlobalConcurrencyLimitLayer::new(
                    bounds.max_concurrent.max(1),
                ))
                .timeout(bounds.timeout),
        );
    let mut app = Router::new()
        .merge(api)
        // The web page: outside the token and the API's bounds (it holds no deal).
        .merge(crate::web::routes())
        .route("/healthz", get(routes::health::healthz))
        .route("/metrics", get(routes::health::metrics))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed);
    if !bounds.cors_origins.is_empty() {
        app = app.layer(cors(&bounds.cors_origins)?);
    }
    Ok(app
        .layer(middleware::from_fn_with_state(state.clone(), count))
        .with_state(state))
}

/// The answer to a request the tower layers stopped: too many at once, or too slow.
async fn bounded_out(error: BoxError) -> ApiError {
    if error.is::<tower::timeout::error::Elapsed>() {
        ApiError::timeout("the request took longer than the server's request timeout")
    } else if error.is::<tower::load_shed::error::Overloaded>() {
        ApiError::overloaded(
            "the server is answering as many requests as it takes at once: try again shortly",
        )
    } else {
        ApiError::internal(format!("the request failed: {error}"))
    }
}

async fn not_found(request: Request) -> ApiError {
    ApiError::not_found(format!("no route `{}`", request.uri().path()))
}

async fn method_not_allowed(request: Request) -> ApiError {
    ApiError::method_not_allowed(format!(
        "`{}` does not take {}",
        request.uri().path(),
        request.method()
    ))
}

/// CORS for the origins given, and no other; without them the server sends no CORS headers,
/// so browsers keep other sites' pages from calling it.
fn cors(origins: &[String]) -> Result<CorsLayer, String> {
    let origins = origins
        .iter()
        .map(|o| {
            HeaderValue::from_str(o).map_err(|_| format!("--cors-origin `{o}` is not an origin"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST])
        .allow_headers([header::CONTENT_TYPE, header::AUTHORIZATION])
        .expose_headers([DECISION_HEADER]))
}

/// Count each request by its route pattern and status, with its latency.
async fn count(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |m| m.as_str().to_string());
    let started = Instant::now();
    let response = next.run(request).await;
    app.metrics
        .request(&route, response.status().as_u16(), started.elapsed());
    response
}
