//! Reloading the policies: `POST /v1/reload` and the watcher swap a set that compiles in
//! whole; one that does not compile leaves the old set serving.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{example, Answer, TestServer};

/// A server on a copy of the example policies, which the test may change.
fn on_a_copy(watch: bool) -> TestServer {
    let dir = tempfile::tempdir().unwrap();
    let policies = dir.path().join("policies");
    std::fs::create_dir(&policies).unwrap();
    for entry in std::fs::read_dir(example("policies")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, policies.join(path.file_name().unwrap())).unwrap();
    }
    let mut o = crate::support::options(dir.path());
    o.policies = vec![policies];
    o.watch = watch;
    o.watch_debounce = Duration::from_millis(50);
    TestServer::start_with(dir, o)
}

fn policies(server: &TestServer) -> std::path::PathBuf {
    server.dir.path().join("policies")
}

const EXTRA: &str = "rule extra-seats \"The board has a seat\": board seats >= 1\n";

fn rule_ids(server: &TestServer) -> Vec<String> {
    let listing = server.get("/v1/policies").json();
    listing["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect()
}

fn hash(server: &TestServer) -> String {
    server.get("/v1/policies").json()["hash"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn a_reload_swaps_in_the_new_set_and_decisions_name_it() {
    let server = on_a_copy(false);
    let before = hash(&server);
    let old = server
        .check_example("deals/acme-dragon-51-49.yaml", "")
        .decision()
        .unwrap();
    std::fs::write(policies(&server).join("extra.policy"), EXTRA).unwrap();
    let reloaded = server.post("/v1/reload", "", b"");
    assert_eq!(reloaded.status, 200, "{}", reloaded.body);
    let r = reloaded.json();
    assert_eq!(r["changed"], true);
    assert_eq!(r["previous_hash"], before);
    assert_eq!(r["rules"], 17);
    let after = hash(&server);
    assert_eq!(r["hash"], after);
    assert_ne!(after, before);
    assert!(rule_ids(&server).contains(&"extra-seats".to_string()));
    let answer = server.check_example("deals/acme-dragon-51-49.yaml", "");
    assert!(answer.body.contains("\"id\": \"extra-seats\""));
    let new = answer.decision().unwrap();
    let decided_by =
        |id: i64| server.get(&format!("/v1/decisions/{id}")).json()["policy_hash"].clone();
    assert_eq!(decided_by(old), before.as_str());
    assert_eq!(decided_by(new), after.as_str());
    // Reloading the same files changes nothing.
    let again = server.post("/v1/reload", "", b"").json();
    assert_eq!(again["changed"], false);
}

/// A reload of a set that does not compile: the answer, and the server (still serving).
pub fn broken_reload() -> (Answer, TestServer) {
    let server = on_a_copy(false);
    break_policy(&policies(&server));
    let answer = server.post("/v1/reload", "", b"");
    (answer, server)
}

fn break_policy(folder: &Path) {
    std::fs::write(
        folder.join("broken.policy"),
        "rule broken: board seats >=\n",
    )
    .unwrap();
}

#[test]
fn a_broken_reload_answers_its_diagnostics_and_the_old_set_keeps_serving() {
    let (answer, server) = broken_reload();
    assert_eq!(answer.status, 422);
    assert_eq!(answer.code(), "covenant::server::reload-failed");
    let body = answer.json();
    assert!(body["message"].as_str().unwrap().contains("keep serving"));
    let first = &body["diagnostics"][0];
    assert!(
        first["code"]
            .as_str()
            .unwrap()
            .starts_with("covenant::parse::"),
        "{first}"
    );
    assert_eq!(first["file"], "broken.policy");
    assert_eq!(first["line"], 1);
    // The old set: 16 rules, and checks go on with it.
    assert_eq!(rule_ids(&server).len(), 16);
    assert_eq!(
        server
            .check_example("deals/acme-dragon-51-49.yaml", "")
            .status,
        200
    );
    let metrics = server.get("/metrics").body;
    assert!(
        metrics.contains("covenant_policy_reloads_total{result=\"failed\"} 1"),
        "{metrics}"
    );
    // Fixed, the next reload takes.
    std::fs::remove_file(policies(&server).join("broken.policy")).unwrap();
    assert_eq!(server.post("/v1/reload", "", b"").status, 200);
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "timed out waiting for {what}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn the_watcher_reloads_a_changed_folder_and_keeps_the_old_set_on_a_broken_one() {
    let server = on_a_copy(true);
    let before = hash(&server);
    std::fs::write(policies(&server).join("extra.policy"), EXTRA).unwrap();
    wait_for("the new rule", || {
        rule_ids(&server).contains(&"extra-seats".to_string())
    });
    let after = hash(&server);
    assert_ne!(after, before);
    break_policy(&policies(&server));
    wait_for("a failed reload", || {
        server.get("/metrics").body.lines().any(|l| {
            l.starts_with("covenant_policy_reloads_total{result=\"failed\"} ") && !l.ends_with(" 0")
        })
    });
    assert_eq!(
        hash(&server),
        after,
        "a broken set replaced the one serving"
    );
    assert_eq!(
        server
            .check_example("deals/acme-dragon-51-49.yaml", "")
            .status,
        200
    );
}
