//! `POST /v1/impact`: the logged deals checked with the set serving and a candidate set, in
//! the form of `covenant diff`.

use std::collections::BTreeMap;

use crate::support::{covenant, example, TestServer};

const DEALS: [&str; 3] = [
    "deals/acme-dragon-51-49.yaml",
    "deals/liberty-pearl-50-50.json",
    "deals/liberty-dragon-mexico.toml",
];

/// The example policies, with the foreign minority cap at 40%.
fn candidate_files() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(example("policies")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        files.insert(
            name,
            text.replace("foreign partner stake < 50%", "foreign partner stake < 40%"),
        );
    }
    files
}

fn body(files: &BTreeMap<String, String>) -> Vec<u8> {
    serde_json::to_vec(&serde_json::json!({ "files": files })).unwrap()
}

#[test]
fn the_impact_is_covenant_diff_over_the_logged_deals() {
    let server = TestServer::start();
    let ids: Vec<i64> = DEALS
        .iter()
        .map(|d| server.check_example(d, "").decision().unwrap())
        .collect();
    let files = candidate_files();
    let answer = server.post("/v1/impact", "application/json", &body(&files));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(answer.header("covenant-impact-replayed"), Some("3"));
    assert_eq!(answer.header("covenant-impact-without-text"), Some("0"));
    assert_eq!(answer.header("covenant-impact-next"), None);

    // `covenant diff` of the same policies over the same deal files, named as the API names
    // them: each deal by its decision, each policy file by its path in its set.
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in &files {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let (old, new) = (example("policies"), dir.path().to_path_buf());
    let (old, new) = (old.to_str().unwrap(), new.to_str().unwrap());
    let paths: Vec<String> = DEALS
        .iter()
        .map(|d| example(d).display().to_string())
        .collect();
    let mut args = vec!["diff", old, new];
    args.extend(paths.iter().map(String::as_str));
    args.extend(["--format", "json"]);
    let mut expected = covenant(&args);
    for (path, id) in paths.iter().zip(&ids) {
        expected = expected.replace(path.as_str(), &format!("decisions/{id}"));
    }
    expected = expected
        .replace(&format!("{old}/"), "")
        .replace(&format!("{new}/"), "");
    assert_eq!(answer.body, expected);
    let report = answer.json();
    assert!(!report["deals"].as_array().unwrap().is_empty(), "{report}");

    let markdown = server.post(
        "/v1/impact?format=markdown",
        "application/json",
        &body(&files),
    );
    assert_eq!(
        markdown.header("content-type"),
        Some("text/markdown; charset=utf-8")
    );
    // Impact decides nothing: the log still holds the three checks.
    let page = server.get("/v1/decisions").json();
    assert_eq!(page["decisions"].as_array().unwrap().len(), 3);
}

#[test]
fn decisions_are_replayed_in_pages_and_deals_without_text_are_counted() {
    let server = TestServer::with(|o| o.store_deals = false);
    for deal in DEALS {
        server.check_example(deal, "");
    }
    let files = candidate_files();
    let first = server.post("/v1/impact?limit=2", "application/json", &body(&files));
    assert_eq!(first.status, 200, "{}", first.body);
    assert_eq!(first.header("covenant-impact-replayed"), Some("2"));
    assert_eq!(first.header("covenant-impact-without-text"), Some("2"));
    let next = first.header("covenant-impact-next").unwrap().to_string();
    let rest = server.post(
        &format!("/v1/impact?limit=2&after={next}"),
        "application/json",
        &body(&files),
    );
    assert_eq!(rest.header("covenant-impact-replayed"), Some("1"));
    assert_eq!(rest.header("covenant-impact-next"), None);
    // Nothing could be checked again: no deal changes.
    assert_eq!(first.json()["deals"], serde_json::json!([]));
}

#[test]
fn a_candidate_that_does_not_compile_or_is_not_a_set_is_refused() {
    let server = TestServer::start();
    let broken = serde_json::json!({"files": {"a.policy": "rule r: board seats >=\n"}});
    let answer = server.post(
        "/v1/impact",
        "application/json",
        broken.to_string().as_bytes(),
    );
    assert_eq!(answer.status, 422);
    assert_eq!(answer.code(), "covenant::server::invalid-policy-set");
    assert_eq!(answer.json()["diagnostics"][0]["file"], "a.policy");
    let not_a_set = server.post("/v1/impact", "application/json", b"{\"policies\": []}");
    assert_eq!(not_a_set.code(), "covenant::server::bad-request");
    let yaml = server.post("/v1/impact", "application/yaml", b"files: {}");
    assert_eq!(yaml.code(), "covenant::server::unsupported-media-type");
    let outside = serde_json::json!({"files": {
        "a.policy": "policy \"P\"\n  schema \"/etc/passwd\"\nrule r: board seats > 1\n"
    }});
    let answer = server.post(
        "/v1/impact",
        "application/json",
        outside.to_string().as_bytes(),
    );
    assert_eq!(answer.code(), "covenant::server::invalid-policy-set");
    assert!(
        !answer.body.contains("root:"),
        "a file outside the set was read"
    );
}
