//! Every error code of the server (`covenant::server::…` in the registry) is answered, as JSON
//! with its status, by a request made here: a new code without a trigger fails
//! [`every_server_code_is_answered`]. The last resort `covenant::server::internal` (a panic
//! caught) has no request that reaches it; the unit tests of `src/work.rs` prove it.

use std::collections::BTreeSet;
use std::str::FromStr;
use std::time::Duration;

use covenant::codes::{of_phase, Phase};

use crate::support::{example, Answer, TestServer};

const LAST_RESORT: &str = "covenant::server::internal";

/// An answer read from a raw connection: its status and body.
pub fn raw_answer(text: &str) -> Answer {
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no HTTP answer: {text:?}"));
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((text, ""));
    let headers = head
        .lines()
        .skip(1)
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    Answer {
        status,
        headers,
        body: body.to_string(),
    }
}

/// A request that gets `code`, and its expected status.
fn trigger(code: &str) -> (Answer, u16) {
    match code {
        "covenant::server::bad-request" => {
            let server = TestServer::start();
            let head =
                b"POST /v1/check HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n\
Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
            // A chunk size that is not hexadecimal: the body cannot be read.
            let text = server.raw(head, Duration::ZERO, b"zz\r\n{}\r\n0\r\n\r\n");
            (raw_answer(&text), 400)
        }
        "covenant::server::bad-query" => (TestServer::start().get("/v1/decisions?verdict=ok"), 400),
        "covenant::server::unsupported-media-type" => {
            let server = TestServer::start();
            (server.post("/v1/check", "text/plain", b"proposal: x"), 415)
        }
        "covenant::server::payload-too-large" => {
            let server = TestServer::with(|o| o.limits.max_deal_size = 1024);
            (
                server.post("/v1/check", "application/json", &[b' '; 2048]),
                413,
            )
        }
        "covenant::server::invalid-deal" => (
            TestServer::start().check_example("invalid/malformed.json", ""),
            422,
        ),
        "covenant::server::unauthorized" => {
            let server = TestServer::with(|o| o.token = Some("s3cret".into()));
            (server.get("/v1/policies"), 401)
        }
        "covenant::server::not-found" => (TestServer::start().get("/v1/decisions/12345"), 404),
        "covenant::server::method-not-allowed" => (TestServer::start().get("/v1/check"), 405),
        "covenant::server::timeout" => (timed_out(), 503),
        "covenant::server::overloaded" => (overloaded(), 503),
        "covenant::server::log-unavailable" => (log_refuses(), 503),
        "covenant::server::reload-failed" => (crate::reload::broken_reload().0, 422),
        "covenant::server::invalid-policy-set" => {
            let server = TestServer::start();
            let body = r#"{"files": {"a.policy": "use \"../../etc/x.policy\"\nrule r: board seats > 1\n"}}"#;
            (
                server.post("/v1/impact", "application/json", body.as_bytes()),
                422,
            )
        }
        other => panic!("{other}: no request triggers it — add one to tests/http/errors.rs"),
    }
}

#[test]
fn every_server_code_is_answered() {
    let codes: BTreeSet<&str> = of_phase(Phase::Server).map(|c| c.code).collect();
    assert!(codes.contains(LAST_RESORT));
    for code in codes.iter().filter(|c| **c != LAST_RESORT) {
        let (answer, status) = trigger(code);
        assert_eq!(answer.status, status, "{code}: {answer:?}");
        assert_eq!(answer.code(), *code, "{answer:?}");
        assert!(
            !answer.json()["message"].as_str().unwrap().is_empty(),
            "{code}: no message"
        );
    }
}

/// A request whose body stalls past the request timeout.
fn timed_out() -> Answer {
    let server = TestServer::with(|o| o.request_timeout = Duration::from_millis(200));
    let head = b"POST /v1/check HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n\
Content-Length: 20\r\nConnection: close\r\n\r\n{";
    let answer = raw_answer(&server.raw(head, Duration::from_millis(1500), b""));
    assert!(answer.header("retry-after").is_some());
    answer
}

/// With one request at a time, a second one while the first is under way.
fn overloaded() -> Answer {
    let server = TestServer::with(|o| {
        o.max_concurrent = 1;
        o.request_timeout = Duration::from_secs(20);
    });
    let deal = std::fs::read(example("deals/acme-dragon-51-49.yaml")).unwrap();
    let head = format!(
        "POST /v1/check HTTP/1.1\r\nHost: test\r\nContent-Type: application/yaml\r\n\
Content-Length: {}\r\nConnection: close\r\n\r\n",
        deal.len()
    );
    let answer = std::thread::scope(|s| {
        let first = s.spawn(|| server.raw(head.as_bytes(), Duration::from_millis(1500), &deal));
        std::thread::sleep(Duration::from_millis(400));
        let second = server.get("/v1/policies");
        // The first one, once its body came, is answered as usual.
        let first = raw_answer(&first.join().unwrap());
        assert_eq!(first.status, 200, "{first:?}");
        second
    });
    // Open routes are outside the limit: a health check is answered while the API is full.
    assert_eq!(server.get("/healthz").status, 200);
    answer
}

/// The log refuses to record (a trigger added behind the server's back): no verdict is given.
fn log_refuses() -> Answer {
    let server = TestServer::start();
    assert_eq!(
        server
            .check_example("deals/acme-dragon-51-49.yaml", "")
            .status,
        200
    );
    refuse_appends(&server.dir.path().join("decisions.db"));
    let answer = server.check_example("deals/acme-dragon-51-49.yaml", "");
    assert!(answer.json().get("deals").is_none(), "a verdict was given");
    let metrics = server.get("/metrics").body;
    assert!(
        metrics.contains("covenant_decision_log_append_failures_total 1"),
        "{metrics}"
    );
    answer
}

pub fn refuse_appends(db: &std::path::Path) {
    use sqlx::{ConnectOptions, Executor};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let url = format!("sqlite://{}", db.display());
        let options = sqlx::sqlite::SqliteConnectOptions::from_str(&url).unwrap();
        let mut conn = options.connect().await.unwrap();
        conn.execute(
            "CREATE TRIGGER test_refuses BEFORE INSERT ON decisions \
             BEGIN SELECT RAISE(ABORT, 'the disk is full (a test)'); END",
        )
        .await
        .unwrap();
    });
}

#[test]
fn an_error_body_is_a_code_and_a_message() {
    let server = TestServer::start();
    let answer = server.get("/v1/decisions?limit=ten&verdict=compliant");
    insta::assert_snapshot!(answer.body);
}

#[test]
fn unknown_query_parameters_are_refused_with_a_suggestion() {
    let server = TestServer::start();
    let answer = server.check_example("deals/acme-dragon-51-49.yaml", "?asof=2026-01-01");
    assert_eq!(answer.code(), "covenant::server::bad-query");
    let message = answer.json()["message"].as_str().unwrap().to_string();
    assert!(message.contains("did you mean `as_of`?"), "{message}");
    for query in [
        "?format=human",
        "?as_of=2026-02-30",
        "?include_proposed=maybe",
        "?format=json&format=sarif",
    ] {
        let answer = server.check_example("deals/acme-dragon-51-49.yaml", query);
        assert_eq!(answer.status, 400, "{query}");
        assert_eq!(answer.code(), "covenant::server::bad-query", "{query}");
    }
}

#[test]
fn unknown_routes_and_methods_are_json_errors() {
    let server = TestServer::start();
    assert_eq!(
        server.get("/v1/nothing").code(),
        "covenant::server::not-found"
    );
    // `/` is the web page (web.rs); any other path outside the routes is not found.
    assert_eq!(server.get("/nothing").code(), "covenant::server::not-found");
    let answer = server.post("/v1/policies", "application/json", b"{}");
    assert_eq!(answer.code(), "covenant::server::method-not-allowed");
    assert_eq!(
        server.get("/v1/decisions/abc").code(),
        "covenant::server::not-found"
    );
}
