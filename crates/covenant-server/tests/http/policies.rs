//! `GET /v1/policies`: the set serving, its files shown relative to the policy folder.

use sha2::{Digest, Sha256};

use crate::support::{example, TestServer};

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_listing_names_files_rules_and_hashes() {
    let server = TestServer::start();
    let mut listing = server.get("/v1/policies").json();
    // The hashes, from the files on disk: each file's, then the set's (`sha256sum` lines,
    // sorted by path).
    let mut lines = Vec::new();
    for file in listing["files"].as_array().unwrap() {
        let path = file["path"].as_str().unwrap();
        assert!(!path.starts_with('/'), "an absolute path: {path}");
        let text = std::fs::read(example("policies").join(path)).unwrap();
        assert_eq!(file["hash"], hex(&text), "{path}");
        lines.push(format!("{}  {path}\n", hex(&text)));
    }
    lines.sort_by(|a, b| a[66..].cmp(&b[66..]));
    assert_eq!(listing["hash"], hex(lines.concat().as_bytes()));
    assert_eq!(listing["engine_version"], covenant::VERSION);
    // What changes with the example policies' text, the time and the version is checked
    // above; the snapshot keeps the shape and the rest.
    listing["loaded_at"] = "[time]".into();
    listing["engine_version"] = "[version]".into();
    listing["hash"] = "[sha256]".into();
    for file in listing["files"].as_array_mut().unwrap() {
        file["hash"] = "[sha256]".into();
    }
    insta::assert_json_snapshot!(listing);
}

#[test]
fn a_policy_file_given_alone_is_shown_by_its_name() {
    let file = example("policies/us-auto-jv.policy");
    let server = TestServer::with(|o| o.policies = vec![file.clone()]);
    let listing = server.get("/v1/policies").json();
    let paths: Vec<&str> = listing["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    // In load order: it uses common.policy, beside it.
    assert_eq!(paths, ["us-auto-jv.policy", "common.policy"]);
}
