//! What `covenant serve` is started with: the policies, where to listen, the decision log,
//! and the limits.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use covenant::limits::Limits;

/// The address the server listens on by default: loopback only.
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";

/// The decision log by default: a SQLite file in the working folder.
pub const DEFAULT_DB: &str = "covenant.db";

/// How long a change to the policy files settles before the set is reloaded.
pub const DEFAULT_DEBOUNCE: Duration = Duration::from_millis(200);

/// The settings of one server.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Policy files and folders, read at start and again on each reload (never named by a
    /// request).
    pub policies: Vec<PathBuf>,
    pub addr: SocketAddr,
    /// The decision log: a SQLite file path or `sqlite:` URL, or a `postgres://` URL.
    pub db: String,
    /// Keep each deal's text in the log; off (`--no-store-deals`), only its sha256.
    pub store_deals: bool,
    /// The bearer token every `/v1` route requires, when set (`--token-file`, read and
    /// trimmed at start).
    pub token: Option<String>,
    /// Origins allowed to call the API from a browser; none: no CORS headers at all.
    pub cors_origins: Vec<String>,
    /// The longest a `/v1` request may take before it is answered `covenant::server::timeout`.
    pub request_timeout: Duration,
    /// The most `/v1` requests served at once; more are answered `covenant::server::overloaded`.
    pub max_concurrent: usize,
    /// Reload when a policy file changes.
    pub watch: bool,
    /// How long changes settle before a watched reload.
    pub watch_debounce: Duration,
    /// The deal and policy limits, as `covenant check` takes them (`--max-deal-*`); the
    /// request body limit is `max_deal_size`.
    pub limits: Limits,
    /// Threads that check deals (0: one per core).
    pub check_threads: usize,
}

impl ServeOptions {
    /// The options of `covenant serve -p POLICIES` with every flag at its default.
    pub fn new(policies: Vec<PathBuf>) -> ServeOptions {
        ServeOptions {
            policies,
            addr: SocketAddr::from(([127, 0, 0, 1], 8080)),
            db: DEFAULT_DB.to_string(),
            store_deals: true,
            token: None,
            cors_origins: Vec::new(),
            request_timeout: Duration::from_secs(30),
            max_concurrent: 256,
            watch: true,
            watch_debounce: DEFAULT_DEBOUNCE,
            limits: Limits::default(),
            check_threads: 0,
        }
    }

    /// Read the bearer token from `path`: its text, trimmed; an empty file is an error (a
    /// server that would take an empty token is open to anyone).
    pub fn read_token(path: &std::path::Path) -> Result<String, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the token file `{}`: {e}", path.display()))?;
        let token = text.trim();
        if token.is_empty() {
            return Err(format!("the token file `{}` is empty", path.display()));
        }
        Ok(token.to_string())
    }
}
