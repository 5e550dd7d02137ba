//! The endpoints, one module per group, and what they share: reading query parameters.

pub mod check;
pub mod decisions;
pub mod explain;
pub mod health;
pub mod impact;
pub mod ownership;
pub mod policies;
pub mod reload;

use std::collections::BTreeMap;

use axum::extract::rejection::QueryRejection;
use axum::extract::Query;
use jiff::civil::Date;

use crate::error::ApiError;

/// The query parameters of a request, each name at most once and each one of `known`.
pub type RawQuery = Result<Query<Vec<(String, String)>>, QueryRejection>;

pub fn params(query: RawQuery, known: &[&str]) -> Result<BTreeMap<String, String>, ApiError> {
    let Query(pairs) = query.map_err(|e| ApiError::bad_query(e.body_text()))?;
    let mut out = BTreeMap::new();
    for (name, value) in pairs {
        if !known.contains(&name.as_str()) {
            let names: Vec<String> = known.iter().map(|k| k.to_string()).collect();
            let hint = covenant::resolve::typeck::suggest::did_you_mean(&name, &names)
                .map(|h| format!("; {h}"))
                .unwrap_or_default();
            return Err(ApiError::bad_query(format!(
                "unknown query parameter `{name}`{hint} (this route takes: {})",
                known.join(", ")
            )));
        }
        if out.insert(name.clone(), value).is_some() {
            return Err(ApiError::bad_query(format!(
                "the query parameter `{name}` is given twice"
            )));
        }
    }
    Ok(out)
}

/// `as_of`: the evaluation date, as `covenant check --as-of` takes it.
pub fn as_of(params: &BTreeMap<String, String>) -> Result<Option<Date>, ApiError> {
    let Some(text) = params.get("as_of") else {
        return Ok(None);
    };
    covenant::value::parse_date(text)
        .map(Some)
        .map_err(|e| ApiError::bad_query(format!("as_of: {}; {}", e.message, e.help)))
}

/// A yes-or-no parameter such as `include_proposed`: present without a value, `true` or `1`
/// is yes; absent, `false` or `0` is no.
pub fn flag(params: &BTreeMap<String, String>, name: &str) -> Result<bool, ApiError> {
    match params.get(name).map(String::as_str) {
        None | Some("false" | "0") => Ok(false),
        Some("" | "true" | "1") => Ok(true),
        Some(other) => Err(ApiError::bad_query(format!(
            "{name}: `{other}` is not true or false"
        ))),
    }
}
