//! `--token-file`: every `/v1` route needs the bearer token; `/healthz` and `/metrics` do
//! not. CORS headers only for the origins configured.

use crate::support::TestServer;

#[test]
fn every_v1_route_needs_the_token() {
    let server = TestServer::with(|o| o.token = Some("s3cret-token".into()));
    let deal = std::fs::read(crate::support::example("deals/acme-dragon-51-49.yaml")).unwrap();
    let routes: [(&str, &str); 9] = [
        ("POST", "/v1/check"),
        ("POST", "/v1/explain"),
        ("GET", "/v1/policies"),
        ("GET", "/v1/decisions"),
        ("GET", "/v1/decisions/summary"),
        ("GET", "/v1/decisions/1"),
        ("POST", "/v1/ownership"),
        ("POST", "/v1/reload"),
        ("POST", "/v1/impact"),
    ];
    let ask = |method: &str, path: &str, headers: &[(&str, &str)]| {
        if method == "POST" {
            server.post_with(path, "application/yaml", &deal, headers)
        } else {
            server.get_with(path, headers)
        }
    };
    for (method, path) in routes {
        let missing = ask(method, path, &[]);
        assert_eq!(missing.status, 401, "{path}");
        assert_eq!(missing.code(), "covenant::server::unauthorized");
        assert_eq!(missing.header("www-authenticate"), Some("Bearer"));
        let wrong = ask(method, path, &[("Authorization", "Bearer s3cret-tokex")]);
        assert_eq!(wrong.status, 401, "{path}");
        let basic = ask(method, path, &[("Authorization", "Basic czNjcmV0LXRva2Vu")]);
        assert_eq!(basic.status, 401, "{path}");
        let right = ask(method, path, &[("Authorization", "Bearer s3cret-token")]);
        assert_ne!(right.status, 401, "{path}: {}", right.body);
    }
    // The checks made with the token were logged; the refused ones were not.
    let page = server.get_with("/v1/decisions", &[("Authorization", "bearer s3cret-token")]);
    assert_eq!(page.json()["decisions"].as_array().unwrap().len(), 1);
    assert_eq!(server.get("/healthz").status, 200);
    assert_eq!(server.get("/metrics").status, 200);
    // The web page and its assets hold no deal: open, and the page asks for the token.
    assert_eq!(server.get("/").status, 200);
    assert_eq!(server.get("/assets/api.js").status, 200);
}

#[test]
fn the_token_file_is_read_and_trimmed() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("token");
    std::fs::write(&file, "  abc123\n").unwrap();
    assert_eq!(
        covenant_server::ServeOptions::read_token(&file),
        Ok("abc123".to_string())
    );
    std::fs::write(&file, " \n").unwrap();
    assert!(covenant_server::ServeOptions::read_token(&file).is_err());
    assert!(covenant_server::ServeOptions::read_token(&dir.path().join("none")).is_err());
}

#[test]
fn cors_is_off_unless_an_origin_is_configured() {
    let origin = [("Origin", "https://portal.example")];
    let closed = TestServer::start();
    let answer = closed.get_with("/v1/policies", &origin);
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("access-control-allow-origin"), None);

    let open = TestServer::with(|o| o.cors_origins = vec!["https://portal.example".into()]);
    let answer = open.get_with("/v1/policies", &origin);
    assert_eq!(
        answer.header("access-control-allow-origin"),
        Some("https://portal.example")
    );
    let other = open.get_with("/v1/policies", &[("Origin", "https://evil.example")]);
    assert_eq!(other.header("access-control-allow-origin"), None);
}
