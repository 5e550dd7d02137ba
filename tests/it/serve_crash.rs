//! `covenant serve` killed mid-load (SIGKILL, no shutdown): every decision the server
//! acknowledged (a 200 with its `Covenant-Decision-Id`) is in the log afterwards, with the
//! deal it checked, and a server started again on the same log goes on appending (issue 14,
//! the decision log commits before it answers).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use covenant_server::decision_log::DecisionLog;

const BIN: &str = env!("CARGO_BIN_EXE_covenant");
const DEAL: &str = "examples/deals/acme-dragon-51-49.yaml";

/// A port that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

/// `covenant serve` on the log `db`, up and answering `/healthz`.
fn start(db: &str) -> (Child, String) {
    let port = free_port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = Command::new(BIN)
        .args(["serve", "-p", "examples/policies", "--no-watch"])
        .args(["--db", db, "--addr", &addr])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while ureq::get(&format!("http://{addr}/healthz")).call().is_err() {
        if Instant::now() > deadline || child.try_wait().unwrap().is_some() {
            let _ = child.kill();
            let mut err = String::new();
            for line in BufReader::new(child.stderr.take().unwrap()).lines() {
                err.push_str(&line.unwrap_or_default());
                err.push('\n');
            }
            panic!("covenant serve did not start on {addr}:\n{err}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (child, format!("http://{addr}"))
}

/// One check; the decision id when the server acknowledged it.
fn check(url: &str, deal: &str) -> Option<i64> {
    let response = ureq::post(&format!("{url}/v1/check"))
        .header("Content-Type", "application/yaml")
        .send(deal)
        .ok()?;
    if response.status() != 200 {
        return None;
    }
    response
        .headers()
        .get("covenant-decision-id")?
        .to_str()
        .ok()?
        .parse()
        .ok()
}

#[test]
fn every_acknowledged_decision_survives_a_kill_mid_load() {
    let dir = std::env::temp_dir().join(format!("covenant-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("decisions.db").display().to_string();
    let deal = std::fs::read_to_string(DEAL).unwrap();
    let (mut server, url) = start(&db);

    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let clients: Vec<_> = (0..16)
        .map(|_| {
            let (url, deal) = (url.clone(), deal.clone());
            let (acknowledged, stop) = (acknowledged.clone(), stop.clone());
            std::thread::spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    match check(&url, &deal) {
                        Some(id) => acknowledged.lock().unwrap().push(id),
                        None => break, // the server is gone
                    }
                }
            })
        })
        .collect();
    // Kill it while the clients are still sending: after enough acknowledgements that some
    // group commits are surely in flight.
    let deadline = Instant::now() + Duration::from_secs(120);
    while acknowledged.lock().unwrap().len() < 400 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    server.kill().unwrap(); // SIGKILL: no graceful shutdown, no flush
    server.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    for c in clients {
        c.join().unwrap();
    }
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() >= 400, "{}", acknowledged.len());

    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let log = DecisionLog::open(&db).await.unwrap();
        let count = log.count().await.unwrap();
        assert!(
            count >= acknowledged.len() as u64,
            "{count} rows < {} acknowledged",
            acknowledged.len()
        );
        for id in &acknowledged {
            let stored = log.get(*id).await.unwrap();
            let stored = stored.unwrap_or_else(|| panic!("acknowledged decision {id} is lost"));
            assert_eq!(stored.decision.deal_text.as_deref(), Some(deal.as_str()));
            assert_eq!(stored.decision.verdict, "compliant");
        }
    });

    // The same log serves again, and its next decision comes after every one before.
    let (mut server, url) = start(&db);
    let next = check(&url, &deal).expect("the restarted server answers");
    server.kill().unwrap();
    server.wait().unwrap();
    assert!(acknowledged.iter().all(|id| *id < next), "{next}");
    let _ = std::fs::remove_dir_all(&dir);
}
