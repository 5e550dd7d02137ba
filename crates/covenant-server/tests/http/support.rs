//! Starting a server for a test, asking it, and what `covenant check` prints for the same
//! deals.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;
use covenant_server::ServeOptions;

/// The repository's root: the examples and the CLI's working folder.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

pub fn example(path: &str) -> PathBuf {
    root().join("examples").join(path)
}

pub fn read(path: &str) -> String {
    std::fs::read_to_string(example(path)).unwrap()
}

/// A server on 127.0.0.1:0, on its own runtime; stopped when dropped.
pub struct TestServer {
    pub addr: SocketAddr,
    pub dir: tempfile::TempDir,
    runtime: Option<tokio::runtime::Runtime>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    served: Option<tokio::task::JoinHandle<Result<(), covenant_server::ServeError>>>,
}

/// Options for the example policies, the log in `dir`, no watching.
pub fn options(dir: &Path) -> ServeOptions {
    let mut o = ServeOptions::new(vec![example("policies")]);
    o.addr = SocketAddr::from(([127, 0, 0, 1], 0));
    o.db = dir.join("decisions.db").display().to_string();
    o.watch = false;
    o.check_threads = 2;
    o
}

impl TestServer {
    /// A server on the example policies.
    pub fn start() -> TestServer {
        TestServer::with(|_| {})
    }

    /// A server whose options `change` adjusts (the log is in the server's folder).
    pub fn with(change: impl FnOnce(&mut ServeOptions)) -> TestServer {
        let dir = tempfile::tempdir().unwrap();
        let mut o = options(dir.path());
        change(&mut o);
        TestServer::start_with(dir, o)
    }

    pub fn start_with(dir: tempfile::TempDir, options: ServeOptions) -> TestServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        let server = runtime.block_on(covenant_server::bind(options)).unwrap();
        let addr = server.local_addr();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let served = runtime.spawn(server.run_until(async {
            let _ = stopped.await;
        }));
        TestServer {
            addr,
            dir,
            runtime: Some(runtime),
            stop: Some(stop),
            served: Some(served),
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn get(&self, path: &str) -> Answer {
        answer(agent().get(&self.url(path)).call())
    }

    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = agent().get(&self.url(path));
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        answer(request.call())
    }

    /// POST `body` as `content_type` (none when empty).
    pub fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Answer {
        self.post_with(path, content_type, body, &[])
    }

    pub fn post_with(
        &self,
        path: &str,
        content_type: &str,
        body: &[u8],
        headers: &[(&str, &str)],
    ) -> Answer {
        let mut request = agent().post(&self.url(path));
        if !content_type.is_empty() {
            request = request.header("Content-Type", content_type);
        }
        for (k, v) in headers {
            request = request.header(*k, *v);
        }
        answer(request.send(body))
    }

    /// POST a deal of the examples, its content type by its extension.
    pub fn check_example(&self, deal: &str, query: &str) -> Answer {
        let content_type = content_type_of(deal);
        self.post(
            &format!("/v1/check{query}"),
            content_type,
            read(deal).as_bytes(),
        )
    }

    /// Send raw bytes on a new connection, wait `pause`, send `rest`, and read the answer.
    pub fn raw(&self, head: &[u8], pause: Duration, rest: &[u8]) -> String {
        let mut stream = TcpStream::connect(self.addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(20)))
            .unwrap();
        stream.write_all(head).unwrap();
        std::thread::sleep(pause);
        let _ = stream.write_all(rest);
        let mut text = Vec::new();
        let _ = stream.read_to_end(&mut text);
        String::from_utf8_lossy(&text).into_owned()
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let (Some(runtime), Some(served)) = (self.runtime.take(), self.served.take()) {
            let _ = runtime
                .block_on(async { tokio::time::timeout(Duration::from_secs(10), served).await });
            runtime.shutdown_timeout(Duration::from_secs(5));
        }
    }
}

pub fn content_type_of(deal: &str) -> &'static str {
    match Path::new(deal).extension().and_then(|e| e.to_str()) {
        Some("json") => "application/json",
        Some("toml") => "application/toml",
        Some("jsonl") => "application/x-ndjson",
        _ => "application/yaml",
    }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// An answer: status, headers and body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// The `code` of an error body (every error is JSON with a code).
    pub fn code(&self) -> String {
        assert_eq!(
            self.header("content-type"),
            Some("application/json"),
            "{self:?}"
        );
        self.json()["code"].as_str().unwrap_or_default().to_string()
    }

    pub fn decision(&self) -> Option<i64> {
        self.header("covenant-decision-id")?.parse().ok()
    }

    /// The report answered, without the time of the check (the `evaluated_at` line of a JSON
    /// report or a SARIF log): what `covenant check --deterministic` prints for the same deals.
    pub fn report(&self) -> String {
        self.body
            .split_inclusive('\n')
            .filter(|line| !line.trim_start().starts_with("\"evaluated_at\": "))
            .collect()
    }
}

fn answer(result: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = result.unwrap();
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or_default().to_string()))
        .collect();
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(256 << 20)
        .read_to_string()
        .unwrap();
    Answer {
        status,
        headers,
        body,
    }
}

/// What `covenant ARGS` prints on standard output (run in-process, in the repository root;
/// paths of `examples/` are relative to it).
/// `check` runs with `--deterministic`: the API's answers are compared without their time
/// ([`Answer::report`]).
pub fn covenant(args: &[&str]) -> String {
    let mut argv = vec!["covenant"];
    argv.extend_from_slice(args);
    if args.first() == Some(&"check") {
        argv.insert(2, "--deterministic");
    }
    let cli = covenant_cli::Cli::try_parse_from(argv)
        .unwrap_or_else(|e| panic!("bad arguments {args:?}: {e}"));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    covenant_cli::run(cli, &mut out, &mut err);
    String::from_utf8(out).unwrap()
}

/// `covenant check --format F POLICIES DEAL [MORE]` as the API answers it: the CLI names the
/// deal by its path, the API `-` (as `covenant check -` names standard input), and the
/// policies by the paths given.
pub fn cli_check(deal: &str, format: &str, more: &[&str]) -> String {
    let (policies, deal_path) = (example("policies"), example(deal));
    let (policies, deal_path) = (policies.to_str().unwrap(), deal_path.to_str().unwrap());
    let mut args = vec!["check", "-p", policies, deal_path, "--format", format];
    args.extend_from_slice(more);
    covenant(&args).replace(deal_path, "-")
}
