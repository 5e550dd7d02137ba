//! `POST /v1/explain`: `covenant explain --format json -` (or its text) for the deal of the
//! body; not logged.

use crate::support::{covenant, example, read, TestServer};

fn cli_explain(deal: &str, more: &[&str]) -> String {
    let (policies, deal_path) = (example("policies"), example(deal));
    let (policies, deal_path) = (policies.to_str().unwrap(), deal_path.to_str().unwrap());
    let mut args = vec!["explain", "-p", policies, deal_path];
    args.extend_from_slice(more);
    covenant(&args).replace(deal_path, "-")
}

#[test]
fn the_explanation_is_the_clis() {
    let server = TestServer::start();
    let deal = "deals/liberty-dragon-mexico.toml";
    let body = read(deal);
    let ask = |query: &str| {
        server.post(
            &format!("/v1/explain{query}"),
            "application/toml",
            body.as_bytes(),
        )
    };
    let all = ask("");
    assert_eq!(all.status, 200, "{}", all.body);
    assert_eq!(all.header("content-type"), Some("application/json"));
    assert_eq!(all.body, cli_explain(deal, &["--format", "json"]));
    let one = ask("?rule=foreign-minority&as_of=2026-01-01");
    assert_eq!(
        one.body,
        cli_explain(
            deal,
            &[
                "--format",
                "json",
                "--rule",
                "foreign-minority",
                "--as-of",
                "2026-01-01"
            ]
        )
    );
    assert_eq!(one.json()["rules"].as_array().unwrap().len(), 1);
    let text = ask("?format=text&include_proposed=true");
    assert_eq!(
        text.header("content-type"),
        Some("text/plain; charset=utf-8")
    );
    assert_eq!(text.body, cli_explain(deal, &["--include-proposed"]));
    // Explaining decides nothing: the log is empty.
    assert_eq!(
        server.get("/v1/decisions").json()["decisions"],
        serde_json::json!([])
    );
}

#[test]
fn an_unknown_rule_an_invalid_deal_and_a_batch_are_refused() {
    let server = TestServer::start();
    let deal = read("deals/acme-dragon-51-49.yaml");
    let unknown = server.post(
        "/v1/explain?rule=foreign-minorty",
        "application/yaml",
        deal.as_bytes(),
    );
    assert_eq!(unknown.code(), "covenant::server::bad-query");
    let message = unknown.json()["message"].as_str().unwrap().to_string();
    assert!(
        message.contains("did you mean `foreign-minority`?"),
        "{message}"
    );
    let invalid = server.post(
        "/v1/explain",
        "application/json",
        read("invalid/malformed.json").as_bytes(),
    );
    assert_eq!(invalid.status, 422);
    assert_eq!(invalid.code(), "covenant::server::invalid-deal");
    assert_eq!(
        invalid.json()["diagnostics"][0]["code"],
        "covenant::deal::syntax"
    );
    let batch = server.post(
        "/v1/explain",
        "application/x-ndjson",
        read("deals/batch.jsonl").as_bytes(),
    );
    assert_eq!(batch.code(), "covenant::server::unsupported-media-type");
}
