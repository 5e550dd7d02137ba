//! `covenant serve -p POLICIES`: the HTTP API (`docs/server.md`), served by the
//! `covenant-server` crate on a tokio runtime started here (the other commands need none).

use std::io::Write;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use covenant_server::{ServeError, ServeOptions};

use super::limits::LimitArgs;

#[derive(clap::Args, Debug, Clone)]
pub struct ServeArgs {
    /// A policy file or folder of `.policy` files (repeatable; default `./policies`). Read at
    /// start and on each reload; no request can name another.
    #[arg(short, long = "policy", value_name = "PATH")]
    pub policy: Vec<PathBuf>,
    /// The address to listen on. The default is loopback: other machines cannot reach it.
    #[arg(long, default_value = covenant_server::options::DEFAULT_ADDR, value_name = "ADDR")]
    pub addr: SocketAddr,
    /// The decision log: a SQLite file, or a `postgres://` URL that several servers share.
    #[arg(long, default_value = covenant_server::options::DEFAULT_DB, value_name = "DB")]
    pub db: String,
    /// Log only each deal's sha256, not its text.
    #[arg(long)]
    pub no_store_deals: bool,
    /// Require `Authorization: Bearer TOKEN` on every `/v1` route; TOKEN is this file's text,
    /// trimmed, read at start.
    #[arg(long, value_name = "FILE")]
    pub token_file: Option<PathBuf>,
    /// Let pages of this origin call the API from a browser (repeatable) [default: none, no
    /// CORS headers].
    #[arg(long = "cors-origin", value_name = "ORIGIN")]
    pub cors_origin: Vec<String>,
    /// How long a `/v1` request may take, such as 30 (seconds), 30s or 500ms [default: 30s].
    #[arg(long, value_name = "SECS", value_parser = parse_timeout)]
    pub request_timeout: Option<Duration>,
    /// The most `/v1` requests served at once; more are answered 503 [default: 256].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..))]
    pub max_concurrent: Option<u32>,
    /// Reload the policies when a `.policy` file under them changes (the default).
    #[arg(long, overrides_with = "no_watch")]
    pub watch: bool,
    /// Do not watch the policy files: reload with `POST /v1/reload` only.
    #[arg(long, overrides_with = "watch")]
    pub no_watch: bool,
    #[command(flatten)]
    pub limits: LimitArgs,
}

fn parse_timeout(text: &str) -> Result<Duration, String> {
    let d = covenant::limits::parse_duration(text)?;
    if d.is_zero() {
        return Err("a request timeout of 0 would answer every request with a timeout".into());
    }
    Ok(d)
}

impl ServeArgs {
    /// The server's options, or what is wrong with the arguments.
    pub fn options(&self) -> Result<ServeOptions, String> {
        let policies = if self.policy.is_empty() {
            let default = PathBuf::from("policies");
            if !default.is_dir() {
                return Err("no policy given: pass -p/--policy PATH (or create ./policies)".into());
            }
            vec![default]
        } else {
            self.policy.clone()
        };
        let mut options = ServeOptions::new(policies);
        options.addr = self.addr;
        options.db = self.db.clone();
        options.store_deals = !self.no_store_deals;
        options.token = match &self.token_file {
            Some(path) => Some(ServeOptions::read_token(path)?),
            None => None,
        };
        options.cors_origins = self.cors_origin.clone();
        if let Some(t) = self.request_timeout {
            options.request_timeout = t;
        }
        if let Some(n) = self.max_concurrent {
            options.max_concurrent = usize::try_from(n).unwrap_or(usize::MAX);
        }
        options.watch = !self.no_watch;
        options.limits = self.limits.resolve()?;
        Ok(options)
    }
}

pub fn run(args: &ServeArgs, _out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let options = match args.options() {
        Ok(o) => o,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return 2;
        }
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build();
    let runtime = match runtime {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "error: cannot start the server's runtime: {e}");
            return 2;
        }
    };
    runtime.block_on(serve(options, err))
}

async fn serve(options: ServeOptions, err: &mut dyn Write) -> u8 {
    let server = match covenant_server::bind(options).await {
        Ok(s) => s,
        Err(e) => {
            if let ServeError::Policies { rendered, .. } = &e {
                let _ = err.write_all(rendered.as_bytes());
            }
            let _ = writeln!(err, "error: {e}");
            return 2;
        }
    };
    for w in server.warnings() {
        let field = |k: &str| {
            w.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
                .to_string()
        };
        let _ = writeln!(err, "warning[{}]: {}", field("code"), field("message"));
    }
    let set = server.policy_set();
    let _ = writeln!(
        err,
        "covenant serve: listening on http://{} (policy set {}, {} rules; decision log {})",
        server.local_addr(),
        set.hash,
        set.policy().rules.len(),
        server.db()
    );
    let _ = err.flush();
    match server.run().await {
        Ok(()) => 0,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            2
        }
    }
}
