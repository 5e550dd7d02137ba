//! The help of `covenant::deal::bad-kind` (SPEC §7.1): which of the six kinds of entity a
//! `kind` that is none of them most likely means.

use super::suggest::did_you_mean;
use crate::schema::ENTITY_KINDS;

/// Words deal teams write for one of the six kinds, in the normal form of [`normal`].
const SYNONYMS: &[(&str, &str)] = &[
    ("soe", "state-owned"),
    ("state-owned-enterprise", "state-owned"),
    ("state-owned-company", "state-owned"),
    ("state-enterprise", "state-owned"),
    ("stateowned", "state-owned"),
    ("government-owned", "state-owned"),
    ("government", "state"),
    ("govt", "state"),
    ("gov", "state"),
    ("sovereign", "state"),
    ("state-agency", "state"),
    ("ministry", "state"),
    ("listed", "public"),
    ("listed-company", "public"),
    ("publicly-listed", "public"),
    ("publicly-traded", "public"),
    ("public-company", "public"),
    ("plc", "public"),
    ("person", "individual"),
    ("natural-person", "individual"),
    ("private-individual", "individual"),
    ("corporation", "company"),
    ("corp", "company"),
    ("private", "company"),
    ("private-company", "company"),
    ("llc", "company"),
    ("ltd", "company"),
    ("gmbh", "company"),
    ("firm", "company"),
    ("investment-fund", "fund"),
    ("private-equity", "fund"),
    ("partnership", "fund"),
];

/// The help line of a `kind` that is not one of the six: a did-you-mean where one fits, and
/// the six kinds.
pub(crate) fn help(text: &str) -> String {
    let kinds = ENTITY_KINDS
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    match likely_kind(text) {
        Some(kind) => format!("did you mean `{kind}`? `kind` is one of {kinds}"),
        None => format!("`kind` is one of {kinds}"),
    }
}

/// The kind `text` most likely means: the same but for case, spaces and underscores; a word
/// deal teams use for it; else the nearest by spelling.
pub(crate) fn likely_kind(text: &str) -> Option<&'static str> {
    let normal = normal(text);
    ENTITY_KINDS
        .iter()
        .find(|k| **k == normal)
        .copied()
        .or_else(|| {
            SYNONYMS
                .iter()
                .find(|(word, _)| *word == normal)
                .map(|(_, kind)| *kind)
        })
        .or_else(|| did_you_mean(&normal, &ENTITY_KINDS))
}

/// Lower case, trimmed, with runs of spaces, underscores and hyphens as one hyphen, and dots
/// dropped (`S.O.E.` → `soe`).
fn normal(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars().filter(|c| *c != '.') {
        if matches!(c, ' ' | '_' | '-' | '\t') {
            if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out.trim_end_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_is_found_through_case_spaces_spelling_and_common_words() {
        for (written, kind) in [
            ("State-owned", Some("state-owned")),
            ("state owned", Some("state-owned")),
            ("STATE_OWNED", Some("state-owned")),
            (" Public ", Some("public")),
            ("SOE", Some("state-owned")),
            ("S.O.E.", Some("state-owned")),
            ("listed", Some("public")),
            ("Listed company", Some("public")),
            ("government", Some("state")),
            ("natural person", Some("individual")),
            ("corporation", Some("company")),
            ("compnay", Some("company")),
            ("indivdual", Some("individual")),
            ("funds", Some("fund")),
            ("trust", None),
            ("", None),
        ] {
            assert_eq!(likely_kind(written), kind, "{written:?}");
        }
    }

    #[test]
    fn the_help_names_the_six_kinds() {
        assert_eq!(
            help("soe"),
            "did you mean `state-owned`? `kind` is one of `state`, `state-owned`, `company`, \
             `fund`, `individual`, `public`"
        );
        assert!(help("trust").starts_with("`kind` is one of `state`,"));
    }
}
