//! `GET /v1/decisions/summary`: the log's counts by verdict, by day and by rule outcome, with
//! a listing's filters — what the web page's charts draw.

use crate::support::TestServer;

fn seed(server: &TestServer) {
    for deal in [
        "deals/acme-dragon-hk-chain.yaml",
        "deals/acme-dragon-hk-chain.yaml",
        "deals/acme-dragon-51-49.yaml",
        "invalid/malformed.json",
    ] {
        let answer = server.check_example(deal, "");
        assert!(answer.status == 200 || answer.status == 422, "{deal}");
    }
}

#[test]
fn the_summary_counts_verdicts_days_and_outcomes() {
    let server = TestServer::start();
    seed(&server);
    let s = server.get("/v1/decisions/summary");
    assert_eq!(s.status, 200, "{}", s.body);
    let s = s.json();
    assert_eq!(s["decisions"], 4);
    assert_eq!(
        s["verdicts"],
        serde_json::json!({"compliant": 1, "incomplete": 0, "invalid": 1, "non-compliant": 2})
    );
    let today = jiff::Timestamp::now().to_string()[..10].to_string();
    let days = s["days"].as_array().unwrap();
    assert_eq!(days.len(), 1);
    assert_eq!(days[0]["day"], today.as_str());
    assert_eq!(days[0]["verdicts"]["non-compliant"], 2);
    // Most failed first: the two rules the Hong Kong chain fails, twice each.
    let rules = s["rules"].as_array().unwrap();
    let top: Vec<(&str, u64)> = rules
        .iter()
        .take(2)
        .map(|r| {
            (
                r["rule"].as_str().unwrap(),
                r["outcomes"]["fail"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        top,
        [
            ("cfius-substantial-interest", 2),
            ("covered-state-control", 2)
        ]
    );
    // Each rule was evaluated in the three deals that loaded.
    for r in rules {
        let total: u64 = r["outcomes"]
            .as_object()
            .unwrap()
            .values()
            .map(|v| v.as_u64().unwrap())
            .sum();
        assert_eq!(total, 3, "{r}");
    }
}

#[test]
fn the_summary_takes_the_listings_filters() {
    let server = TestServer::start();
    seed(&server);
    let count =
        |q: &str| server.get(&format!("/v1/decisions/summary?{q}")).json()["decisions"].clone();
    assert_eq!(count("verdict=non-compliant"), 2);
    assert_eq!(count("proposal=Acme%E2%80%93Dragon%20Motors%20JV"), 1);
    assert_eq!(count("rule=covered-state-control&outcome=fail"), 2);
    assert_eq!(
        count("since=2000-01-01T00:00:00Z&until=2001-01-01T00:00:00Z"),
        0
    );
    let list = server.get("/v1/decisions?verdict=non-compliant").json();
    assert_eq!(list["decisions"].as_array().unwrap().len(), 2);
    for bad in ["limit=5", "before=3", "verdict=passed", "since=yesterday"] {
        let answer = server.get(&format!("/v1/decisions/summary?{bad}"));
        assert_eq!(answer.status, 400, "{bad}");
        assert_eq!(answer.code(), "covenant::server::bad-query", "{bad}");
    }
    // A decision's own route still answers for numbers.
    assert_eq!(server.get("/v1/decisions/1").status, 200);
}
