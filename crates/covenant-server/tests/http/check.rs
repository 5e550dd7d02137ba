//! `POST /v1/check`: the report is the one `covenant check --format F` prints for the same
//! deal, in every format and content type; every deal is logged before the answer.

use crate::support::{cli_check, covenant, read, TestServer};

#[test]
fn each_content_type_gets_the_cli_report() {
    let server = TestServer::start();
    for deal in [
        "deals/acme-dragon-51-49.yaml",
        "deals/liberty-pearl-50-50.json",
        "deals/changjiang-liberty-feoc.toml",
    ] {
        let answer = server.check_example(deal, "");
        assert_eq!(answer.status, 200, "{deal}: {}", answer.body);
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(answer.report(), cli_check(deal, "json", &[]), "{deal}");
        assert!(answer.decision().is_some(), "{deal}: no decision id");
    }
}

#[test]
fn each_format_is_the_cli_format() {
    let server = TestServer::start();
    let deal = "deals/liberty-dragon-mexico.toml";
    for (format, content_type) in [
        ("json", "application/json"),
        ("sarif", "application/sarif+json"),
        ("markdown", "text/markdown; charset=utf-8"),
        ("junit", "application/xml"),
    ] {
        let answer = server.check_example(deal, &format!("?format={format}"));
        assert_eq!(answer.status, 200, "{format}: {}", answer.body);
        assert_eq!(answer.header("content-type"), Some(content_type));
        assert_eq!(answer.report(), cli_check(deal, format, &[]), "{format}");
    }
}

#[test]
fn as_of_is_the_evaluation_date_of_every_rule() {
    let server = TestServer::start();
    let deal = "deals/acme-dragon-connected-vehicle.yaml";
    let dated = server.check_example(deal, "");
    let before = server.check_example(deal, "?as_of=2026-01-01");
    assert_eq!(
        before.report(),
        cli_check(deal, "json", &["--as-of", "2026-01-01"])
    );
    let outcome = |body: &serde_json::Value| {
        body["deals"][0]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "connected-vehicle")
            .unwrap()["outcome"]
            .clone()
    };
    // The rule's window opens 2026-09-01: the deal's own date (2026-11-20) is in it.
    assert_eq!(outcome(&dated.json()), "fail");
    assert_eq!(outcome(&before.json()), "not-applicable");
    let logged = server.get(&format!("/v1/decisions/{}", before.decision().unwrap()));
    assert_eq!(logged.json()["evaluation_date"], "2026-01-01");
}

#[test]
fn include_proposed_counts_proposed_rules() {
    let policy = crate::support::root().join("tests/fixtures/status/status.policy");
    let server = TestServer::with(|o| o.policies = vec![policy.clone()]);
    let deal_path = crate::support::root().join("tests/fixtures/status/jv-2026.yaml");
    let deal = std::fs::read(&deal_path).unwrap();
    let plain = server.post("/v1/check", "application/yaml", &deal);
    let counted = server.post("/v1/check?include_proposed", "application/yaml", &deal);
    let cli = |more: &[&str]| {
        let (p, d) = (policy.to_str().unwrap(), deal_path.to_str().unwrap());
        let mut args = vec!["check", "-p", p, d, "--format", "json"];
        args.extend_from_slice(more);
        covenant(&args).replace(d, "-")
    };
    assert_eq!(plain.report(), cli(&[]));
    assert_eq!(counted.report(), cli(&["--include-proposed"]));
    assert_ne!(
        plain.json()["deals"][0]["verdict"],
        counted.json()["deals"][0]["verdict"],
        "the proposed rule should decide the verdict once counted"
    );
}

#[test]
fn a_batch_is_checked_line_by_line_and_each_line_logged() {
    let server = TestServer::start();
    let batch = "deals/batch.jsonl";
    for format in ["json", "markdown"] {
        let answer = server.check_example(batch, &format!("?format={format}"));
        assert_eq!(answer.status, 200, "{}", answer.body);
        assert_eq!(answer.report(), cli_check(batch, format, &[]), "{format}");
        assert_eq!(answer.decision(), None, "a batch has no single decision");
    }
    // Two batches of 5 deals (a blank line is not a deal): 10 decisions, each with its line.
    let page = server.get("/v1/decisions?limit=500").json();
    let decisions = page["decisions"].as_array().unwrap();
    assert_eq!(decisions.len(), 10);
    let text = read(batch);
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let newest_first_batch = &decisions[..5];
    for (decision, line) in newest_first_batch.iter().rev().zip(&lines) {
        let id = decision["id"].as_i64().unwrap();
        let stored = server.get(&format!("/v1/decisions/{id}")).json();
        assert_eq!(stored["deal_text"], *line);
        assert_eq!(stored["deal_format"], "json");
        assert_eq!(
            stored["deal_sha256"],
            covenant_server::policies::sha256_hex(line.as_bytes())
        );
    }
}

#[test]
fn a_batch_line_that_is_invalid_is_reported_and_the_batch_goes_on() {
    let server = TestServer::start();
    let good = read("deals/batch.jsonl")
        .lines()
        .next()
        .unwrap()
        .to_string();
    let body = format!("{good}\n{{\"proposal\": \n{good}\n");
    let answer = server.post("/v1/check", "application/x-ndjson", body.as_bytes());
    assert_eq!(answer.status, 200, "{}", answer.body);
    let report = answer.json();
    let verdicts: Vec<&str> = report["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts, ["compliant", "invalid", "compliant"]);
    assert_eq!(report["deals"][1]["path"], "-:2");
    assert_eq!(report["summary"]["invalid"], 1);
    let page = server.get("/v1/decisions?verdict=invalid").json();
    assert_eq!(page["decisions"].as_array().unwrap().len(), 1);
}

#[test]
fn a_batch_without_a_deal_is_refused_as_an_invalid_deal() {
    let server = TestServer::start();
    let answer = server.post("/v1/check", "application/jsonl", b"\n  \n");
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert_eq!(answer.code(), "covenant::server::invalid-deal");
    assert_eq!(
        answer.json()["diagnostics"][0]["code"],
        "covenant::deal::empty"
    );
}

#[test]
fn the_log_holds_the_deal_the_report_and_the_policy_set() {
    let server = TestServer::start();
    let deal = "deals/acme-dragon-51-49.yaml";
    let answer = server.check_example(deal, "");
    let id = answer.decision().unwrap();
    let stored = server.get(&format!("/v1/decisions/{id}"));
    assert_eq!(stored.status, 200);
    let stored = stored.json();
    let set = server.get("/v1/policies").json();
    assert_eq!(stored["id"], id);
    assert_eq!(stored["deal_text"], read(deal));
    assert_eq!(stored["deal_format"], "yaml");
    assert_eq!(
        stored["deal_sha256"],
        covenant_server::policies::sha256_hex(read(deal).as_bytes())
    );
    assert_eq!(stored["policy_hash"], set["hash"]);
    assert_eq!(stored["engine_version"], covenant::VERSION);
    assert_eq!(stored["evaluation_date"], serde_json::Value::Null);
    let report = answer.json();
    assert_eq!(stored["report"], report["deals"][0]);
    assert_eq!(stored["verdict"], report["deals"][0]["verdict"]);
    assert_eq!(stored["proposal"], "Acme–Dragon Motors JV");
    let outcomes = stored["outcomes"].as_array().unwrap();
    assert_eq!(outcomes.len(), set["rules"].as_array().unwrap().len());
    let versions = stored["policy_versions"].as_array().unwrap();
    assert_eq!(versions.len(), 3);
    assert!(versions.iter().any(|v| v["version"] == "2026.1"));
}

#[test]
fn without_stored_deals_only_the_hash_is_logged() {
    let server = TestServer::with(|o| o.store_deals = false);
    let answer = server.check_example("deals/liberty-pearl-50-50.json", "");
    let stored = server
        .get(&format!("/v1/decisions/{}", answer.decision().unwrap()))
        .json();
    assert_eq!(stored["deal_text"], serde_json::Value::Null);
    assert_eq!(stored["deal_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn a_malformed_deal_is_422_is_logged_and_the_server_keeps_serving() {
    let server = TestServer::start();
    let answer = server.check_example("invalid/malformed.json", "");
    assert_eq!(answer.status, 422, "{}", answer.body);
    assert_eq!(answer.code(), "covenant::server::invalid-deal");
    let body = answer.json();
    let first = &body["diagnostics"][0];
    assert_eq!(first["code"], "covenant::deal::syntax");
    assert_eq!(first["severity"], "error");
    assert_eq!(
        (first["line"].as_u64(), first["column"].as_u64()),
        (Some(5), Some(3))
    );
    assert!(body.get("deals").is_none(), "no verdict with a 422");
    let logged = server
        .get(&format!("/v1/decisions/{}", answer.decision().unwrap()))
        .json();
    assert_eq!(logged["verdict"], "invalid");
    // Each kind of invalid deal, and then a good one.
    for deal in [
        "invalid/bare-number-stake.yaml",
        "invalid/duplicate-key.yaml",
        "invalid/impossible-date.toml",
    ] {
        let answer = server.check_example(deal, "");
        assert_eq!(answer.status, 422, "{deal}: {}", answer.body);
        assert!(answer.json()["diagnostics"][0]["line"].is_u64(), "{deal}");
    }
    let answer = server.check_example("deals/acme-dragon-51-49.yaml", "");
    assert_eq!(answer.status, 200);
}

#[test]
fn a_body_that_is_not_utf8_is_an_invalid_deal() {
    let server = TestServer::start();
    let answer = server.post("/v1/check", "application/yaml", b"proposal: \xff\n");
    assert_eq!(answer.status, 422);
    assert_eq!(
        answer.json()["diagnostics"][0]["code"],
        "covenant::deal::unreadable"
    );
}

#[test]
fn healthz_names_the_set_and_metrics_count_the_requests() {
    let server = TestServer::start();
    let health = server.get("/healthz");
    assert_eq!(health.status, 200);
    let set = server.get("/v1/policies").json();
    assert_eq!(health.json()["status"], "ok");
    assert_eq!(health.json()["policy_hash"], set["hash"]);
    let mut verdicts: Vec<String> = [
        "deals/acme-dragon-51-49.yaml",
        "deals/liberty-pearl-50-50.json",
    ]
    .iter()
    .map(|d| {
        server.check_example(d, "").json()["deals"][0]["verdict"]
            .as_str()
            .unwrap()
            .to_string()
    })
    .collect();
    server.check_example("invalid/malformed.json", "");
    verdicts.push("invalid".into());
    server.get("/v1/decisions/999999");
    let metrics = server.get("/metrics");
    assert_eq!(metrics.status, 200);
    assert!(metrics
        .header("content-type")
        .unwrap()
        .starts_with("text/plain; version=0.0.4"));
    let text = metrics.body;
    for line in [
        "covenant_http_requests_total{route=\"/v1/check\",status=\"200\"} 2",
        "covenant_http_requests_total{route=\"/v1/check\",status=\"422\"} 1",
        "covenant_http_requests_total{route=\"/v1/decisions/{id}\",status=\"404\"} 1",
        "covenant_http_request_duration_seconds_count{route=\"/v1/check\"} 3",
        "covenant_decision_log_append_failures_total 0",
    ] {
        assert!(text.lines().any(|l| l == line), "no `{line}` in\n{text}");
    }
    for verdict in ["compliant", "non-compliant", "incomplete", "invalid"] {
        let n = verdicts.iter().filter(|v| *v == verdict).count();
        let line = format!("covenant_decisions_total{{verdict=\"{verdict}\"}} {n}");
        assert!(text.lines().any(|l| l == line), "no `{line}` in\n{text}");
    }
}

/// The report answered carries the audit fields of the CLI's (docs/reports.md, "Audit
/// fields"), with the time of the check: the policy files' digests are those the decision log
/// and `GET /v1/policies` name.
#[test]
fn the_report_carries_the_engine_the_time_and_the_policy_digests() {
    let server = TestServer::start();
    let before = jiff::Timestamp::now().as_second();
    let deal = "deals/acme-dragon-51-49.yaml";
    let json = server.check_example(deal, "?as_of=2026-02-01").json();
    let sarif = server.check_example(deal, "?format=sarif").json();
    let after = jiff::Timestamp::now().as_second();
    assert_eq!(json["engine"]["name"], "covenant");
    assert_eq!(json["engine"]["version"], covenant_server::ENGINE_VERSION);
    assert_eq!(json["as_of"], "2026-02-01");
    for report in [&json, &sarif["runs"][0]["properties"]] {
        let at: jiff::Timestamp = report["evaluated_at"].as_str().unwrap().parse().unwrap();
        assert!((before..=after).contains(&at.as_second()), "{report}");
    }
    let listing = server.get("/v1/policies").json();
    let mut served: Vec<String> = listing["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["hash"].as_str().unwrap().to_string())
        .collect();
    let mut reported: Vec<String> = json["policies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["sha256"].as_str().unwrap().to_string())
        .collect();
    served.sort();
    reported.sort();
    assert_eq!(reported, served);
    assert_eq!(sarif["runs"][0]["properties"]["policies"], json["policies"]);
}
