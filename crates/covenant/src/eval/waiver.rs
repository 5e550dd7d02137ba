//! The approval that exempted a rule (SPEC §10), as every report shows it: who approved it,
//! under which reference, from when and until when, for which parties, and where it is in the
//! deal. Facts only; `report::prose` writes the sentences.

use std::fmt;

use jiff::civil::Date;

use super::shown::DealLocation;

/// When an approval stops being valid: on a date (exclusive, like a window's `until`), or
/// never.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Expiry {
    On(Date),
    Never,
}

impl Expiry {
    /// Whether `date` is before the expiry (the approval still valid on it).
    pub fn is_after(self, date: Date) -> bool {
        match self {
            Expiry::On(until) => date < until,
            Expiry::Never => true,
        }
    }
}

impl fmt::Display for Expiry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Expiry::On(d) => write!(f, "{d}"),
            Expiry::Never => f.write_str("never"),
        }
    }
}

/// The approval that exempted a rule: the first, in deal order, whose exemption condition
/// holds (SPEC §10).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Waiver {
    /// The approval's `id`, when it has one.
    pub id: Option<String>,
    /// Its free-text `kind` (kept for the reader, not in the JSON waiver object).
    pub kind: Option<String>,
    /// Who approved it.
    pub authority: String,
    pub granted: Date,
    pub expires: Expiry,
    pub reference: Option<String>,
    /// The entities a party-scoped approval is limited to; empty for the whole rule.
    pub parties: Vec<String>,
    /// The evaluation date it was valid on (SPEC §3.1, §9).
    pub on: Date,
    /// Where the approval is in the deal file.
    pub location: Option<DealLocation>,
}

impl Waiver {
    /// The approval as messages name it: `approval "MIT-2025-031"`, or `approval 2` (its
    /// position, from 1) without an id.
    pub fn name(&self, index: usize) -> String {
        match &self.id {
            Some(id) => format!("approval `{id}`"),
            None => format!("approval {}", index + 1),
        }
    }
}
