//! A bounded load test of `covenant serve` on loopback (BENCHMARKS.md, "Server").
//!
//! `load --url http://127.0.0.1:PORT/v1/check --deal FILE --clients N --requests M [--token T]`
//! sends M checks of one deal over N keep-alive connections (each client sends its next
//! request when the last is answered) and prints the throughput and the latency percentiles.
//! `load --count-db TARGET` prints how many decisions the log at TARGET holds, to compare with
//! the acknowledged requests.
//!
//! Hyper's low-level HTTP/1.1 client, one connection per client: the generator must cost the
//! two shared cores as little as possible.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

struct Args {
    url: String,
    deal: String,
    clients: usize,
    requests: u64,
    token: Option<String>,
}

#[derive(Default)]
struct ClientResult {
    latencies_us: Vec<u32>,
    ok: u64,
    failed: u64,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let argv: Vec<String> = std::env::args().skip(1).collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    if let Some(target) = value(&argv, "--count-db") {
        let count = runtime.block_on(async {
            let log = covenant_server::decision_log::DecisionLog::open(&target).await?;
            log.count().await
        })?;
        println!("{count}");
        return Ok(());
    }
    let args = Args {
        url: value(&argv, "--url").ok_or("--url is required")?,
        deal: value(&argv, "--deal").ok_or("--deal is required")?,
        clients: value(&argv, "--clients").unwrap_or("8".into()).parse()?,
        requests: value(&argv, "--requests")
            .unwrap_or("10000".into())
            .parse()?,
        token: value(&argv, "--token"),
    };
    runtime.block_on(run(args))
}

fn value(argv: &[String], name: &str) -> Option<String> {
    let i = argv.iter().position(|a| a == name)?;
    argv.get(i + 1).cloned()
}

fn content_type(deal: &str) -> &'static str {
    match deal.rsplit('.').next() {
        Some("yaml" | "yml") => "application/yaml",
        Some("toml") => "application/toml",
        _ => "application/json",
    }
}

async fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let uri: hyper::Uri = args.url.parse()?;
    let authority = uri
        .authority()
        .ok_or("the url needs host:port")?
        .to_string();
    let body = Bytes::from(std::fs::read(&args.deal)?);
    let remaining = Arc::new(AtomicU64::new(args.requests));
    let started = Instant::now();
    let mut tasks = Vec::with_capacity(args.clients);
    for _ in 0..args.clients {
        let job = Job {
            uri: uri.clone(),
            authority: authority.clone(),
            body: body.clone(),
            content_type: content_type(&args.deal),
            token: args.token.clone(),
            remaining: remaining.clone(),
        };
        tasks.push(tokio::spawn(job.client()));
    }
    let mut all = ClientResult::default();
    for task in tasks {
        let r = task.await??;
        all.latencies_us.extend(r.latencies_us);
        all.ok += r.ok;
        all.failed += r.failed;
    }
    report(&args, &mut all, started.elapsed());
    Ok(())
}

struct Job {
    uri: hyper::Uri,
    authority: String,
    body: Bytes,
    content_type: &'static str,
    token: Option<String>,
    remaining: Arc<AtomicU64>,
}

impl Job {
    /// One keep-alive connection sending requests until the shared budget is spent.
    async fn client(self) -> Result<ClientResult, String> {
        let stream = TcpStream::connect(&self.authority)
            .await
            .map_err(|e| e.to_string())?;
        stream.set_nodelay(true).map_err(|e| e.to_string())?;
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        let mut result = ClientResult::default();
        while take_one(&self.remaining) {
            let mut request = hyper::Request::post(self.uri.clone())
                .header("host", &self.authority)
                .header("content-type", self.content_type);
            if let Some(t) = &self.token {
                request = request.header("authorization", format!("Bearer {t}"));
            }
            let request = request
                .body(Full::new(self.body.clone()))
                .map_err(|e| e.to_string())?;
            let sent = Instant::now();
            let response = sender
                .send_request(request)
                .await
                .map_err(|e| e.to_string())?;
            let ok = response.status().is_success();
            response
                .into_body()
                .collect()
                .await
                .map_err(|e| e.to_string())?;
            let us = sent.elapsed().as_micros();
            result
                .latencies_us
                .push(u32::try_from(us).unwrap_or(u32::MAX));
            if ok {
                result.ok += 1;
            } else {
                result.failed += 1;
            }
        }
        Ok(result)
    }
}

fn take_one(remaining: &AtomicU64) -> bool {
    remaining
        .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| n.checked_sub(1))
        .is_ok()
}

fn report(args: &Args, all: &mut ClientResult, elapsed: Duration) {
    all.latencies_us.sort_unstable();
    let pct = |p: usize| -> f64 {
        let n = all.latencies_us.len();
        let i = (n * p).div_ceil(100).saturating_sub(1);
        f64::from(all.latencies_us.get(i).copied().unwrap_or(0)) / 1000.0
    };
    let done = all.ok + all.failed;
    let secs = elapsed.as_secs_f64();
    println!(
        "clients {:>3}  requests {done}  ok {}  failed {}  {:.2} s  {:.0} req/s  p50 {:.2} ms  p99 {:.2} ms  max {:.2} ms",
        args.clients,
        all.ok,
        all.failed,
        secs,
        done as f64 / secs,
        pct(50),
        pct(99),
        pct(100)
    );
}
