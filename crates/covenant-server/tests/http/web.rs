//! The web page (`GET /`, `GET /assets/…`): embedded, with its content types, revalidation by
//! entity tag, and a strict Content-Security-Policy.

use crate::support::TestServer;

#[test]
fn the_page_and_its_assets_are_served_with_their_types_and_policy() {
    let server = TestServer::start();
    let page = server.get("/");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(page
        .body
        .contains(r#"<script type="module" src="/assets/app.js"></script>"#));
    assert_eq!(
        page.header("content-security-policy"),
        Some(covenant_server::web::CONTENT_SECURITY_POLICY)
    );
    let csp = covenant_server::web::CONTENT_SECURITY_POLICY;
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive}");
    }
    assert!(
        !csp.contains("unsafe"),
        "no unsafe-inline or unsafe-eval: {csp}"
    );
    assert_eq!(page.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert_eq!(page.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(page.header("cache-control"), Some("no-cache"));
    for (asset, ty) in [
        ("app.js", "text/javascript; charset=utf-8"),
        ("ownership.js", "text/javascript; charset=utf-8"),
        ("app.css", "text/css; charset=utf-8"),
        ("icon.svg", "image/svg+xml"),
    ] {
        let answer = server.get(&format!("/assets/{asset}"));
        assert_eq!(answer.status, 200, "{asset}");
        assert_eq!(answer.header("content-type"), Some(ty), "{asset}");
        assert!(
            answer.header("content-security-policy").is_some(),
            "{asset}"
        );
        assert!(!answer.body.is_empty());
    }
}

#[test]
fn an_unchanged_asset_is_not_sent_again() {
    let server = TestServer::start();
    let first = server.get("/assets/app.css");
    let etag = first.header("etag").unwrap().to_string();
    assert!(etag.starts_with('"') && etag.len() == 34, "{etag}");
    let again = server.get_with("/assets/app.css", &[("If-None-Match", &etag)]);
    assert_eq!(again.status, 304);
    assert!(again.body.is_empty());
    let other = server.get_with("/assets/app.css", &[("If-None-Match", "\"0000\"")]);
    assert_eq!(other.status, 200);
    assert_eq!(other.body, first.body);
}

#[test]
fn an_unknown_asset_is_not_found() {
    let server = TestServer::start();
    for path in [
        "/assets/nope.js",
        "/assets/index.html",
        "/assets/../Cargo.toml",
        "/index.html",
    ] {
        let answer = server.get(path);
        assert_eq!(answer.status, 404, "{path}");
        assert_eq!(answer.code(), "covenant::server::not-found", "{path}");
    }
    let post = server.post("/", "text/plain", b"x");
    assert_eq!(post.status, 405);
}
