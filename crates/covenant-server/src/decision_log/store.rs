//! The database a log is kept in: a pool on SQLite or on PostgreSQL. Reads share their SQL
//! text (both take `$1`-style parameters); writes differ (`write_sqlite.rs`, `write_postgres.rs`).

use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;

use super::LogError;

#[derive(Clone, Debug)]
pub(super) enum Store {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Store {
    pub(super) fn backend(&self) -> &'static str {
        match self {
            Store::Sqlite(_) => "sqlite",
            Store::Postgres(_) => "postgres",
        }
    }

    /// How many groups of appends may be committing at once. SQLite has one writer at a time
    /// anyway; PostgreSQL commits several transactions in parallel, and a second group can be
    /// sent while the first waits for its WAL flush.
    pub(super) fn writers(&self) -> usize {
        match self {
            Store::Sqlite(_) => 1,
            Store::Postgres(_) => 4,
        }
    }
}

/// A value bound to a `$n` parameter of a read query.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Param {
    Int(i64),
    Text(String),
}

/// Runs `$body` with `$pool` bound to the store's pool, whichever database it is: the body is
/// compiled once per database, so it can use the typed pool without generic bounds.
macro_rules! with_pool {
    ($store:expr, $pool:ident => $body:expr) => {
        match $store {
            $crate::decision_log::store::Store::Sqlite($pool) => $body,
            $crate::decision_log::store::Store::Postgres($pool) => $body,
        }
    };
}
pub(super) use with_pool;

/// Binds `params` in order to a query built with `sqlx::query` or `sqlx::query_as`.
macro_rules! bind_params {
    ($query:expr, $params:expr) => {{
        let mut query = $query;
        for param in $params {
            query = match param {
                $crate::decision_log::store::Param::Int(value) => query.bind(*value),
                $crate::decision_log::store::Param::Text(value) => query.bind(value.as_str()),
            };
        }
        query
    }};
}
pub(super) use bind_params;

/// A database error, as the log reports it.
pub(super) fn database_error(doing: &str, error: sqlx::Error) -> LogError {
    LogError::Database(format!("{doing}: {error}"))
}
