//! `GET /v1/decisions` (filters, pages newest first) and `GET /v1/decisions/{id}`.

use crate::support::TestServer;

/// A server that has checked the example deals (and one invalid one), in this order.
fn with_decisions() -> (TestServer, Vec<i64>) {
    let server = TestServer::start();
    let mut ids = Vec::new();
    for deal in [
        "deals/acme-dragon-51-49.yaml",
        "deals/liberty-pearl-50-50.json",
        "deals/liberty-pearl-missing-stake.yaml",
        "invalid/malformed.json",
        "deals/changjiang-liberty-feoc.toml",
    ] {
        ids.push(server.check_example(deal, "").decision().unwrap());
    }
    (server, ids)
}

fn ids_of(page: &serde_json::Value) -> Vec<i64> {
    page["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect()
}

#[test]
fn pages_are_newest_first_and_follow_the_next_cursor() {
    let (server, ids) = with_decisions();
    let mut seen = Vec::new();
    let mut query = "/v1/decisions?limit=2".to_string();
    loop {
        let page = server.get(&query);
        assert_eq!(page.status, 200, "{}", page.body);
        let page = page.json();
        let got = ids_of(&page);
        assert!(got.len() <= 2);
        seen.extend(got);
        match page["next"].as_i64() {
            Some(next) => query = format!("/v1/decisions?limit=2&before={next}"),
            None => break,
        }
    }
    let newest_first: Vec<i64> = ids.iter().rev().copied().collect();
    assert_eq!(seen, newest_first);
    let summary = &server.get("/v1/decisions?limit=1").json()["decisions"][0];
    assert!(summary.get("deal_text").is_none() && summary.get("report").is_none());
}

#[test]
fn filters_select_by_verdict_proposal_rule_outcome_and_time() {
    let (server, ids) = with_decisions();
    let get = |q: &str| {
        let a = server.get(&format!("/v1/decisions?{q}"));
        assert_eq!(a.status, 200, "{q}: {}", a.body);
        ids_of(&a.json())
    };
    // Each verdict lists exactly the decisions that have it, newest first.
    let verdict_of = |id: i64| {
        let d = server.get(&format!("/v1/decisions/{id}")).json();
        d["verdict"].as_str().unwrap().to_string()
    };
    let verdicts: Vec<String> = ids.iter().map(|id| verdict_of(*id)).collect();
    assert_eq!(verdicts[3], "invalid");
    for verdict in ["compliant", "non-compliant", "incomplete", "invalid"] {
        let expected: Vec<i64> = ids
            .iter()
            .zip(&verdicts)
            .rev()
            .filter(|(_, v)| *v == verdict)
            .map(|(id, _)| *id)
            .collect();
        assert_eq!(get(&format!("verdict={verdict}")), expected, "{verdict}");
    }
    let proposal = server.get(&format!("/v1/decisions/{}", ids[1])).json()["proposal"]
        .as_str()
        .unwrap()
        .to_string();
    let encoded: String = proposal
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    assert_eq!(get(&format!("proposal={encoded}")), [ids[1]]);
    // Rule outcomes: each listed decision has the outcome asked for.
    let failed = get("rule=foreign-minority&outcome=fail");
    assert!(!failed.is_empty());
    for id in &failed {
        let d = server.get(&format!("/v1/decisions/{id}")).json();
        let outcome = d["outcomes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["rule"] == "foreign-minority")
            .unwrap()["outcome"]
            .clone();
        assert_eq!(outcome, "fail");
    }
    let passed = get("rule=foreign-minority&outcome=pass");
    assert!(failed.iter().all(|id| !passed.contains(id)));
    // Time: everything is since an hour ago, nothing until then.
    let hour_ago = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
    assert_eq!(get(&format!("since={hour_ago}")).len(), 5);
    assert!(get(&format!("until={hour_ago}")).is_empty());
}

#[test]
fn one_decision_by_id_or_a_404() {
    let (server, ids) = with_decisions();
    let one = server.get(&format!("/v1/decisions/{}", ids[2]));
    assert_eq!(one.status, 200);
    assert_eq!(one.json()["id"], ids[2]);
    assert!(one.json()["report"]["rules"].is_array());
    for missing in ["999999", "0", "-1", "1e3", "abc"] {
        let a = server.get(&format!("/v1/decisions/{missing}"));
        assert_eq!(a.status, 404, "{missing}");
        assert_eq!(a.code(), "covenant::server::not-found");
    }
}
