//! Opening a log: a PostgreSQL URL or a SQLite file, connected and migrated.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::migrate::Migrator;
use sqlx::postgres::PgPoolOptions;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use super::store::Store;
use super::LogError;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// How long a connection waits for a lock held by another (a writer in another process, a
/// checkpoint) before its statement fails.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How often a SQLite log tries to connect and migrate before the open fails.
const SQLITE_OPEN_TRIES: u64 = 5;

/// How long a request waits for a pooled connection.
const ACQUIRE_TIMEOUT: Duration = Duration::from_secs(10);

pub(super) async fn open(target: &str) -> Result<Store, LogError> {
    if is_postgres(target) {
        open_postgres(target).await
    } else {
        open_sqlite(target).await
    }
}

fn is_postgres(target: &str) -> bool {
    target.starts_with("postgres://") || target.starts_with("postgresql://")
}

fn open_error(target: &str, reason: impl ToString) -> LogError {
    LogError::Open {
        target: target.to_string(),
        reason: reason.to_string(),
    }
}

async fn open_postgres(target: &str) -> Result<Store, LogError> {
    let pool = PgPoolOptions::new()
        .max_connections(16)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect(target)
        .await
        .map_err(|error| open_error(target, error))?;
    // The migrator holds an advisory lock while it works, so instances starting together
    // migrate one after the other; the later ones find the schema up to date.
    POSTGRES_MIGRATIONS
        .run(&pool)
        .await
        .map_err(|error| open_error(target, format!("migrating its schema: {error}")))?;
    Ok(Store::Postgres(pool))
}

async fn open_sqlite(target: &str) -> Result<Store, LogError> {
    let options = sqlite_options(target)?;
    if let Some(folder) = missing_folder(options.get_filename()) {
        return Err(open_error(
            target,
            format!("the folder `{}` does not exist", folder.display()),
        ));
    }
    // SQLite's migrator takes no lock, and switching a new file to WAL mode can find it
    // busy: two servers opening a new file together can get in each other's way. A few tries
    // later the first has finished, and the second finds the schema in place.
    let mut tries = 1;
    loop {
        match connect_sqlite(options.clone()).await {
            Err(_) if tries < SQLITE_OPEN_TRIES => {
                tokio::time::sleep(Duration::from_millis(50 * tries)).await;
                tries += 1;
            }
            done => return done.map_err(|reason| open_error(target, reason)),
        }
    }
}

async fn connect_sqlite(options: SqliteConnectOptions) -> Result<Store, String> {
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .acquire_timeout(ACQUIRE_TIMEOUT)
        .connect_with(options)
        .await
        .map_err(|error| error.to_string())?;
    SQLITE_MIGRATIONS
        .run(&pool)
        .await
        .map_err(|error| format!("migrating its schema: {error}"))?;
    Ok(Store::Sqlite(pool))
}

/// A path, or a `sqlite:` URL, with the log's settings. `synchronous = FULL`: in WAL mode
/// each commit syncs the WAL to disk, so an acknowledged decision survives a power loss or an
/// OS crash, not only the server's own crash (NORMAL would lose the last commits then).
/// Group commit pays that sync once per group, not once per decision.
fn sqlite_options(target: &str) -> Result<SqliteConnectOptions, LogError> {
    let options = if target.starts_with("sqlite:") {
        SqliteConnectOptions::from_str(target).map_err(|error| open_error(target, error))?
    } else {
        SqliteConnectOptions::new().filename(target)
    };
    Ok(options
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .busy_timeout(BUSY_TIMEOUT)
        .foreign_keys(true))
}

/// The folder a SQLite file would be created in, when it does not exist.
fn missing_folder(file: &Path) -> Option<&Path> {
    let folder = file.parent()?;
    if folder.as_os_str().is_empty() || folder.is_dir() {
        None
    } else {
        Some(folder)
    }
}
