//! Where a test's log lives: a fresh SQLite file in its own temporary folder, or a fresh
//! database on the PostgreSQL server named by `COVENANT_TEST_POSTGRES_URL`.

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

use covenant_server::decision_log::DecisionLog;
use sqlx::{Connection, Executor, PgConnection, SqliteConnection};

pub const POSTGRES_URL: &str = "COVENANT_TEST_POSTGRES_URL";
pub const SKIP_POSTGRES: &str = "COVENANT_SKIP_POSTGRES";

pub enum Target {
    Sqlite { folder: PathBuf, file: PathBuf },
    Postgres { server: String, database: String },
}

/// The PostgreSQL server of this test process: the one `COVENANT_TEST_POSTGRES_URL` names,
/// or one started for it, once.
fn postgres_server() -> String {
    static SERVER: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SERVER
        .get_or_init(|| {
            if let Ok(url) = std::env::var(POSTGRES_URL) {
                return url;
            }
            let script = concat!(env!("CARGO_MANIFEST_DIR"), "/../../.ci/postgres");
            let out = std::process::Command::new("bash")
                .args([script, "ephemeral", &std::process::id().to_string()])
                .stderr(std::process::Stdio::inherit())
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "the PostgreSQL decision-log tests need a server and none could be started \
                 (install PostgreSQL: apt-get install postgresql), or set {POSTGRES_URL} to \
                 one, or set {SKIP_POSTGRES}=1 to skip them"
            );
            String::from_utf8(out.stdout).unwrap().trim().to_string()
        })
        .clone()
}

/// A name no other test, in this process or another, uses.
fn unique_name(prefix: &str) -> String {
    static NEXT: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.subsec_nanos())
        .unwrap_or(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{prefix}_{}_{n}_{nanos}", std::process::id())
}

impl Target {
    pub fn sqlite() -> Target {
        let folder = std::env::temp_dir().join(unique_name("covenant_log"));
        std::fs::create_dir_all(&folder).unwrap();
        let file = folder.join("decisions.db");
        Target::Sqlite { folder, file }
    }

    /// A fresh database on the server of `COVENANT_TEST_POSTGRES_URL`, else on a throwaway
    /// server this test process starts (`.ci/postgres ephemeral`, stopped when the process
    /// ends); None only when the developer opted out with `COVENANT_SKIP_POSTGRES=1`. A server
    /// that cannot be started fails the test: CI always runs these.
    pub async fn postgres() -> Option<Target> {
        if std::env::var(SKIP_POSTGRES).as_deref() == Ok("1")
            && std::env::var(POSTGRES_URL).is_err()
        {
            eprintln!("skipped: {SKIP_POSTGRES}=1 and no {POSTGRES_URL}");
            return None;
        }
        let server = postgres_server();
        let database = unique_name("covenant_test");
        let mut admin = PgConnection::connect(&server).await.unwrap();
        admin
            .execute(format!("CREATE DATABASE {database}").as_str())
            .await
            .unwrap();
        admin.close().await.unwrap();
        Some(Target::Postgres { server, database })
    }

    /// What `DecisionLog::open` is given.
    pub fn url(&self) -> String {
        match self {
            Target::Sqlite { file, .. } => file.display().to_string(),
            Target::Postgres { server, database } => with_database(server, database),
        }
    }

    pub async fn open(&self) -> DecisionLog {
        match DecisionLog::open(&self.url()).await {
            Ok(log) => log,
            Err(error) => panic!("opening {}: {error}", self.url()),
        }
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Target::Postgres { .. })
    }

    /// Runs SQL on a connection of its own, outside the log.
    pub async fn execute(&self, sql: &str) -> Result<u64, String> {
        let done = match self {
            Target::Sqlite { file, .. } => {
                let mut connection = SqliteConnection::connect(&sqlite_url(file)).await.unwrap();
                connection
                    .execute(sql)
                    .await
                    .map(|done| done.rows_affected())
            }
            Target::Postgres { .. } => {
                let mut connection = PgConnection::connect(&self.url()).await.unwrap();
                connection
                    .execute(sql)
                    .await
                    .map(|done| done.rows_affected())
            }
        };
        done.map_err(|error| error.to_string())
    }

    /// One integer from a query run outside the log.
    pub async fn query_i64(&self, sql: &str) -> i64 {
        match self {
            Target::Sqlite { file, .. } => {
                let mut connection = SqliteConnection::connect(&sqlite_url(file)).await.unwrap();
                sqlx::query_scalar(sql)
                    .fetch_one(&mut connection)
                    .await
                    .unwrap()
            }
            Target::Postgres { .. } => {
                let mut connection = PgConnection::connect(&self.url()).await.unwrap();
                sqlx::query_scalar(sql)
                    .fetch_one(&mut connection)
                    .await
                    .unwrap()
            }
        }
    }

    /// Removes the file or the database (after a passing test; a failing one leaves it to
    /// look at).
    pub async fn finish(self) {
        match self {
            Target::Sqlite { folder, .. } => {
                let _ = std::fs::remove_dir_all(folder);
            }
            Target::Postgres { server, database } => {
                let mut admin = PgConnection::connect(&server).await.unwrap();
                let drop = format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                admin.execute(drop.as_str()).await.unwrap();
            }
        }
    }
}

fn sqlite_url(file: &std::path::Path) -> String {
    format!("sqlite://{}", file.display())
}

/// The server URL with its database replaced (the path after the host), keeping the query.
pub fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let host_start = base.find("://").map_or(0, |at| at + 3);
    let base = match base[host_start..].find('/') {
        Some(slash) => &base[..host_start + slash],
        None => base,
    };
    format!("{base}/{database}{query}")
}
