//! The web page for deal teams (`docs/web.md`): `GET /` and `GET /assets/{file}`, plain HTML,
//! CSS and JavaScript from `web/`, embedded in the binary at build time. No build step, and
//! nothing is fetched from elsewhere: the page calls this server's `/v1` API only.
//!
//! The page and its assets are outside the bearer token (they hold no deal and no decision):
//! when the server has one, the page asks for it and sends it with each API call. Every answer
//! carries a strict Content-Security-Policy (this origin only, no inline script or style) and
//! an `ETag`, and is revalidated on each load (`no-cache`), so a new binary's page is never
//! mixed with an old cached script.

use std::sync::OnceLock;

use axum::extract::Path;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::error::ApiError;
use crate::state::AppState;

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
}

macro_rules! asset {
    ($name:literal, $type:expr) => {
        Asset {
            name: $name,
            content_type: $type,
            body: include_bytes!(concat!("../web/", $name)),
        }
    };
}

const JS: &str = "text/javascript; charset=utf-8";

/// The page (`index.html`, served at `/`) and its assets (served at `/assets/NAME`).
const ASSETS: [Asset; 14] = [
    asset!("index.html", "text/html; charset=utf-8"),
    asset!("app.css", "text/css; charset=utf-8"),
    asset!("icon.svg", "image/svg+xml"),
    asset!("app.js", JS),
    asset!("api.js", JS),
    asset!("dom.js", JS),
    asset!("editor.js", JS),
    asset!("check.js", JS),
    asset!("cards.js", JS),
    asset!("explain.js", JS),
    asset!("ownership.js", JS),
    asset!("history.js", JS),
    asset!("charts.js", JS),
    asset!("impact.js", JS),
];

/// The policy every answer of the page carries: scripts, styles, images and API calls from
/// this origin only; no inline script or style attribute, no plug-in, no frame, no form
/// posted elsewhere. (The diagrams are SVG elements the page's script builds: no image
/// source.)
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; script-src 'self'; \
style-src 'self'; img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; \
frame-ancestors 'none'";

/// The routes of the page.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/",
            get(|headers: HeaderMap| async move { serve("index.html", &headers) }),
        )
        .route(
            "/assets/{file}",
            get(|Path(file): Path<String>, headers: HeaderMap| async move {
                if file == "index.html" {
                    return ApiError::not_found("no asset `index.html`: the page is at `/`")
                        .into_response();
                }
                serve(&file, &headers)
            }),
        )
}

/// The entity tag of each asset: the first 16 bytes of its sha256, in hex.
fn etags() -> &'static [String] {
    static TAGS: OnceLock<Vec<String>> = OnceLock::new();
    TAGS.get_or_init(|| {
        ASSETS
            .iter()
            .map(|a| {
                let hash = crate::policies::sha256_hex(a.body);
                format!("\"{}\"", hash.get(..32).unwrap_or(&hash))
            })
            .collect()
    })
}

fn serve(name: &str, headers: &HeaderMap) -> Response {
    let Some((i, asset)) = ASSETS.iter().enumerate().find(|(_, a)| a.name == name) else {
        return ApiError::not_found(format!("no asset `{name}`")).into_response();
    };
    let etag = etags().get(i).map_or("", String::as_str);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        ([(header::CONTENT_TYPE, asset.content_type)], asset.body).into_response()
    };
    let h = response.headers_mut();
    let pairs: [(HeaderName, &str); 7] = [
        (header::CACHE_CONTROL, "no-cache"),
        (header::ETAG, etag),
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(value) {
            h.insert(name, value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_asset_is_named_once_and_the_page_names_only_assets() {
        let names: Vec<&str> = ASSETS.iter().map(|a| a.name).collect();
        let mut unique = names.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), names.len());
        // Every `/assets/…` the page and its scripts name is embedded.
        for asset in &ASSETS {
            let text = String::from_utf8_lossy(asset.body);
            for (at, _) in text.match_indices("/assets/") {
                let rest = text.get(at + "/assets/".len()..).unwrap_or("");
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '-')
                    .collect();
                assert!(
                    names.contains(&name.as_str()),
                    "{} names {name}",
                    asset.name
                );
            }
            for (at, _) in text.match_indices("from './") {
                let rest = text.get(at + "from './".len()..).unwrap_or("");
                let name: String = rest.chars().take_while(|c| *c != '\'').collect();
                assert!(
                    names.contains(&name.as_str()),
                    "{} imports {name}",
                    asset.name
                );
            }
        }
    }

    #[test]
    fn nothing_is_loaded_from_elsewhere() {
        for asset in &ASSETS {
            let text = String::from_utf8_lossy(asset.body);
            for needle in ["http://", "https://", "//fonts.", "@import", "<script>"] {
                let found = text.match_indices(needle).any(|(at, _)| {
                    // The SVG namespace is a name, not a fetch.
                    !text
                        .get(at..)
                        .is_some_and(|t| t.starts_with("http://www.w3.org/"))
                });
                assert!(!found, "{} has {needle}", asset.name);
            }
        }
    }
}
