//! The HTTP API, driven over real HTTP: a server started on an ephemeral loopback port (its
//! decision log a SQLite file in a temporary folder), and a real HTTP client (`ureq`), or a
//! raw TCP stream where a test needs a request no client sends (a body that stalls, a broken
//! chunked body). One test binary, one module per endpoint group.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "tests: a failure is a panic"
)]

mod auth;
mod check;
mod cli;
mod decisions;
mod errors;
mod explain;
mod impact;
mod limits;
mod ownership;
mod policies;
mod reload;
mod summary;
mod support;
mod web;
