//! `covenant serve`: the HTTP API over the checking engine ([`covenant::check::Engine`]) and
//! the decision log ([`decision_log`]) every check is committed to before it is answered.
//!
//! - [`bind`] compiles the policies, opens the log and binds the address; [`Server::run`]
//!   serves until Ctrl-C or SIGTERM; [`serve`] does both.
//! - The routes ([`routes`]): `POST /v1/check`, `POST /v1/explain`, `GET /v1/policies`,
//!   `GET /v1/decisions`, `GET /v1/decisions/summary`, `GET /v1/decisions/{id}`,
//!   `POST /v1/ownership`, `POST /v1/reload`, `POST /v1/impact`, `GET /healthz`,
//!   `GET /metrics`; and the web page for deal teams at `/` ([`web`], `docs/web.md`). Every error is a JSON object with a `covenant::server::…` code
//!   ([`error::ApiError`]). `docs/server.md` is the reference.

mod app;
mod auth;
mod body;
mod candidate;
pub mod decision_log;
pub mod error;
mod headers;
mod metrics;
pub mod options;
pub mod policies;
pub mod routes;
mod server;
mod state;
mod watch;
pub mod web;
mod work;

pub use options::ServeOptions;
pub use server::{bind, serve, ServeError, Server};

/// The engine version a decision records: the `covenant` library's.
pub const ENGINE_VERSION: &str = covenant::VERSION;
