//! A deal in a request body: its kind by `Content-Type`, its bytes read within the deal size
//! limit (`--max-deal-size`), and how it is named in reports (`-`, as `covenant check -`
//! names standard input; `-:N` for line N of a batch).

use axum::body::Body;
use axum::body::Bytes;
use axum::http::{header, HeaderMap};
use covenant::check::{read, Document};
use covenant::deal::Format;
use covenant::report::DealReport;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::error::ApiError;

/// The name of a deal read from a request body.
pub const NAME: &str = "-";

/// What a body holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DealKind {
    /// One deal document.
    Document(Format),
    /// JSON lines: one deal per line.
    Lines,
}

impl DealKind {
    /// The deal format's name in the decision log.
    pub fn format_name(self) -> &'static str {
        match self {
            DealKind::Document(Format::Json) | DealKind::Lines => "json",
            DealKind::Document(Format::Yaml) => "yaml",
            DealKind::Document(Format::Toml) => "toml",
        }
    }
}

/// The media types a deal is sent as.
pub const MEDIA_TYPES: &str = "application/json, application/yaml (or application/x-yaml, \
text/yaml), application/toml, or JSON lines as application/x-ndjson (or application/jsonl)";

/// The deal kind the `Content-Type` names.
pub fn kind(headers: &HeaderMap) -> Result<DealKind, ApiError> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Err(ApiError::unsupported_media_type(format!(
            "the request has no Content-Type: send the deal as {MEDIA_TYPES}"
        )));
    };
    let text = value.to_str().unwrap_or_default().to_ascii_lowercase();
    let mut parts = text.split(';').map(str::trim);
    let media = parts.next().unwrap_or_default();
    let charset = parts.find_map(|p| p.strip_prefix("charset="));
    if let Some(charset) = charset.map(|c| c.trim_matches('"')) {
        if charset != "utf-8" && charset != "utf8" {
            return Err(ApiError::unsupported_media_type(format!(
                "the deal is sent as `{charset}`: deals are UTF-8 text"
            )));
        }
    }
    match media {
        "application/json" => Ok(DealKind::Document(Format::Json)),
        "application/yaml" | "application/x-yaml" | "text/yaml" | "text/x-yaml" => {
            Ok(DealKind::Document(Format::Yaml))
        }
        "application/toml" | "text/toml" => Ok(DealKind::Document(Format::Toml)),
        "application/x-ndjson" | "application/jsonl" | "application/x-jsonlines" => {
            Ok(DealKind::Lines)
        }
        other => Err(ApiError::unsupported_media_type(format!(
            "a deal cannot be read from `{other}`: send it as {MEDIA_TYPES}"
        ))),
    }
}

/// The whole body, if it is at most `limit` bytes (a larger one is refused before it is read
/// when its `Content-Length` says so).
pub async fn read_within(headers: &HeaderMap, body: Body, limit: u64) -> Result<Bytes, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::payload_too_large(limit));
    }
    let limited = Limited::new(body, usize::try_from(limit).unwrap_or(usize::MAX));
    match limited.collect().await {
        Ok(collected) => Ok(collected.to_bytes()),
        Err(e) if e.downcast_ref::<LengthLimitError>().is_some() => {
            Err(ApiError::payload_too_large(limit))
        }
        Err(e) => Err(ApiError::bad_request(format!(
            "the request body could not be read: {e}"
        ))),
    }
}

/// The deal document of a body, or — not UTF-8 text — its `invalid` report.
pub fn document(bytes: &[u8], format: Format) -> Result<Document, Box<DealReport>> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Document::new(NAME, text, format)),
        Err(e) => {
            let why = format!(
                "the request body is not UTF-8 text (invalid byte at offset {})",
                e.valid_up_to()
            );
            Err(Box::new(
                read::unreadable(NAME, &why).report(NAME.to_string()),
            ))
        }
    }
}

/// The bytes of the deal a report names: line N of a batch for `-:N` (without its line
/// end, as the batch reader reads it), else the whole body.
pub fn deal_bytes<'b>(body: &'b [u8], path: &str) -> &'b [u8] {
    let line = path
        .strip_prefix(NAME)
        .and_then(|rest| rest.strip_prefix(':'))
        .and_then(|n| n.parse::<usize>().ok());
    let Some(n) = line else {
        return body;
    };
    let text = body.split(|b| *b == b'\n').nth(n.saturating_sub(1));
    let mut text = text.unwrap_or_default();
    while let Some(rest) = text.strip_suffix(b"\r") {
        text = rest;
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn kind_of(content_type: &str) -> Result<DealKind, &'static str> {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(content_type).unwrap_or(HeaderValue::from_static("x")),
        );
        kind(&headers).map_err(|e| e.code)
    }

    #[test]
    fn media_types_name_the_deal_format() {
        assert_eq!(
            kind_of("application/json"),
            Ok(DealKind::Document(Format::Json))
        );
        assert_eq!(
            kind_of("Application/YAML; charset=UTF-8"),
            Ok(DealKind::Document(Format::Yaml))
        );
        assert_eq!(kind_of("text/yaml"), Ok(DealKind::Document(Format::Yaml)));
        assert_eq!(
            kind_of("application/toml"),
            Ok(DealKind::Document(Format::Toml))
        );
        assert_eq!(kind_of("application/x-ndjson"), Ok(DealKind::Lines));
        assert_eq!(kind_of("application/jsonl"), Ok(DealKind::Lines));
        let unsupported = Err("covenant::server::unsupported-media-type");
        assert_eq!(kind_of("application/x-www-form-urlencoded"), unsupported);
        assert_eq!(kind_of("application/json; charset=latin1"), unsupported);
        assert_eq!(kind(&HeaderMap::new()).map_err(|e| e.code), unsupported);
    }

    #[test]
    fn a_batch_line_is_found_by_its_number() {
        let body = b"{\"a\":1}\r\n\n{\"b\":2}";
        assert_eq!(deal_bytes(body, "-:1"), b"{\"a\":1}");
        assert_eq!(deal_bytes(body, "-:2"), b"");
        assert_eq!(deal_bytes(body, "-:3"), b"{\"b\":2}");
        assert_eq!(deal_bytes(body, "-"), body);
    }
}
