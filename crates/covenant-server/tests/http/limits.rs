//! The CLI's deal limits hold for request bodies: too large is 413 before the deal is read,
//! too deep or too many values is a 422 with the limit's diagnostic.

use crate::support::TestServer;

#[test]
fn an_oversized_body_is_413_with_or_without_a_length() {
    let server = TestServer::with(|o| o.limits.max_deal_size = 4096);
    let big = format!("proposal: x\nnote: \"{}\"\n", "a".repeat(8000));
    let answer = server.post("/v1/check", "application/yaml", big.as_bytes());
    assert_eq!(answer.status, 413);
    assert_eq!(answer.code(), "covenant::server::payload-too-large");
    assert!(answer.json()["message"].as_str().unwrap().contains("4 KiB"));
    // Sent in chunks, without a Content-Length: refused once the limit is passed.
    let head = b"POST /v1/check HTTP/1.1\r\nHost: test\r\nContent-Type: application/yaml\r\n\
Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n";
    let mut chunks = Vec::new();
    for _ in 0..4 {
        chunks.extend_from_slice(format!("{:x}\r\n", 2000).as_bytes());
        chunks.extend_from_slice(&[b'#'; 2000]);
        chunks.extend_from_slice(b"\r\n");
    }
    chunks.extend_from_slice(b"0\r\n\r\n");
    let answer = crate::errors::raw_answer(&server.raw(head, std::time::Duration::ZERO, &chunks));
    assert_eq!(answer.status, 413);
    assert_eq!(answer.code(), "covenant::server::payload-too-large");
    // Within the limit, the same server checks.
    let small = server.check_example("deals/acme-dragon-51-49.yaml", "");
    assert_eq!(small.status, 200);
    assert!(
        server.get("/v1/decisions").json()["decisions"]
            .as_array()
            .unwrap()
            .len()
            == 1
    );
}

#[test]
fn depth_and_value_limits_make_a_deal_invalid() {
    let server = TestServer::with(|o| {
        o.limits.deal.max_depth = 8;
        o.limits.deal.max_nodes = 50;
    });
    let deep = format!("{}1{}", "[".repeat(20), "]".repeat(20));
    let deep = format!("{{\"proposal\": \"x\", \"notes\": {deep}}}");
    let answer = server.post("/v1/check", "application/json", deep.as_bytes());
    assert_eq!(answer.status, 422, "{}", answer.body);
    let code = answer.json()["diagnostics"][0]["code"].clone();
    assert_eq!(code, "covenant::deal::too-deep", "{}", answer.body);
    let many = format!(
        "{{\"proposal\": \"x\", \"notes\": [{}]}}",
        vec!["1"; 100].join(",")
    );
    let answer = server.post("/v1/check", "application/json", many.as_bytes());
    assert_eq!(answer.status, 422, "{}", answer.body);
    let code = answer.json()["diagnostics"][0]["code"].clone();
    assert_eq!(code, "covenant::deal::too-large", "{}", answer.body);
}

#[test]
fn a_batch_past_max_deals_reports_the_rest_unread() {
    let server = TestServer::with(|o| o.limits.max_deals = Some(2));
    let answer = server.check_example("deals/batch.jsonl", "");
    assert_eq!(answer.status, 200);
    let deals = answer.json()["deals"].as_array().unwrap().clone();
    assert_eq!(deals.len(), 5);
    assert_eq!(
        deals[2]["errors"][0]["code"],
        "covenant::limit::too-many-deals"
    );
}
