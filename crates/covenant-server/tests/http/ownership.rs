//! `POST /v1/ownership`: the entities and holdings of the deal of the body, placed in it, for
//! the web page's diagram; not logged.

use serde_json::json;

use crate::support::{read, TestServer};

#[test]
fn the_holdings_of_a_deal_are_listed_with_their_places() {
    let server = TestServer::start();
    let body = read("deals/acme-dragon-hk-chain.yaml");
    let answer = server.post("/v1/ownership", "application/yaml", body.as_bytes());
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    let o = answer.json();
    assert_eq!(o["deal"], "-");
    let entities: Vec<(&str, bool, &str)> = o["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["name"].as_str().unwrap(),
                e["party"].as_bool().unwrap(),
                e["kind"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        entities,
        [
            ("Acme Motors", true, "public"),
            ("Dragon Motors", true, "company"),
            ("Northern Auto HK", false, "public"),
            ("FAW Group", false, "state-owned"),
            ("SASAC", false, "state"),
        ]
    );
    // Each holding is where the look-through evidence of a check places it.
    let edges = &o["edges"];
    assert_eq!(
        edges[1],
        json!({"from": "Dragon Motors", "to": null, "stake": "49%", "voting": "49%", "controls": false, "line": 28, "column": 13})
    );
    assert_eq!(
        edges[4],
        json!({"from": "SASAC", "to": "FAW Group", "stake": "100%", "voting": "100%", "controls": false, "line": 46, "column": 49})
    );
    let check = server
        .post("/v1/check", "application/yaml", body.as_bytes())
        .json();
    let evidence = &check["deals"][0]["rules"][0]["evidence"][1]["paths"][0]["edges"];
    assert_eq!(evidence[0]["at"], "-:46:49");
    assert_eq!(evidence[3]["at"], "-:28:13");
    // Only the check was logged.
    assert_eq!(
        server.get("/v1/decisions").json()["decisions"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn a_toml_and_a_json_deal_are_read_too() {
    let server = TestServer::start();
    for (deal, ty, parties) in [
        ("deals/liberty-dragon-mexico.toml", "application/toml", 2),
        ("deals/liberty-pearl-50-50.json", "application/json", 2),
    ] {
        let answer = server.post("/v1/ownership", ty, read(deal).as_bytes());
        assert_eq!(answer.status, 200, "{deal}: {}", answer.body);
        let o = answer.json();
        let found = o["entities"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["party"] == true)
            .count();
        assert_eq!(found, parties, "{deal}");
    }
}

#[test]
fn an_invalid_deal_a_batch_and_a_query_are_refused() {
    let server = TestServer::start();
    let invalid = server.post(
        "/v1/ownership",
        "application/yaml",
        read("invalid/bare-number-stake.yaml").as_bytes(),
    );
    assert_eq!(invalid.status, 422);
    assert_eq!(invalid.code(), "covenant::server::invalid-deal");
    let d = &invalid.json()["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(9), Some(12))
    );
    let batch = server.post("/v1/ownership", "application/x-ndjson", b"{}\n");
    assert_eq!(batch.status, 415);
    let query = server.post("/v1/ownership?rule=x", "application/json", b"{}");
    assert_eq!(query.code(), "covenant::server::bad-query");
    // Nothing was logged: drawing decides nothing.
    assert_eq!(server.get("/v1/decisions").json()["decisions"], json!([]));
}
