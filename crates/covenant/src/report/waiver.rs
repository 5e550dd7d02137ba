//! How every report names the approval that exempted a rule (SPEC §10): the approver, the
//! reference and the expiry, in one phrase.

use crate::eval::outcome::{Expiry, Waiver};

/// `approval `MIT-2025-031` by US Department of Commerce for Dragon Motors (reference
/// "Mitigation agreement of 1 Aug 2025"), granted 2025-08-01, expires 2030-08-01`.
pub fn approval(w: &Waiver) -> String {
    let mut text = match &w.id {
        Some(id) => format!("approval `{id}`"),
        None => "an approval".to_string(),
    };
    text.push_str(" by ");
    text.push_str(&w.authority);
    if !w.parties.is_empty() {
        text.push_str(" for ");
        text.push_str(&w.parties.join(", "));
    }
    match &w.reference {
        Some(r) => {
            text.push_str(" (reference \"");
            text.push_str(r);
            text.push_str("\")");
        }
        None => text.push_str(" (no reference)"),
    }
    text.push_str(&format!(", granted {}, {}", w.granted, expiry(w.expires)));
    text
}

/// `expires 2030-08-01`, `never expires`.
pub fn expiry(e: Expiry) -> String {
    match e {
        Expiry::On(d) => format!("expires {d}"),
        Expiry::Never => "never expires".to_string(),
    }
}

/// The waiver object of the JSON reports (SPEC §10, spec-v2-notes F without `kind`), as
/// `explain --format json` serializes it; `--format json` writes the same keys by hand.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct WaiverJson {
    pub id: Option<String>,
    pub authority: String,
    pub granted: String,
    pub expires: String,
    pub reference: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parties: Vec<String>,
}

impl WaiverJson {
    pub fn of(w: &Waiver) -> WaiverJson {
        WaiverJson {
            id: w.id.clone(),
            authority: w.authority.clone(),
            granted: w.granted.to_string(),
            expires: w.expires.to_string(),
            reference: w.reference.clone(),
            parties: w.parties.clone(),
        }
    }
}
