//! Did-you-mean for deal keys and schema values.

use std::sync::{Mutex, PoisonError};

use crate::schema::RecordId;

/// The help of an unknown key ([`super::validate::unknown_key`]) by record and key, kept in the
/// schema's load plan for the keys a batch's deals repeat: working one out compares the key with
/// every field name of its record (about 10 K instructions a key, almost half of a deal's load),
/// and a batch's extra keys are mostly the same few in every deal. The help depends on the
/// record's fields and the key alone, and a schema does not change once it loads a deal, so a
/// kept help is the one that would be worked out (debug builds check each one
/// [`super::validate::unknown_key`] reads). Bounded: the first [`KeyHelps::MOST`] keys of at
/// most [`KeyHelps::LONGEST`] bytes whose help has at most [`KeyHelps::LONGEST_HELP`] bytes are
/// kept, the rest worked out each time.
#[derive(Default)]
pub(crate) struct KeyHelps(Mutex<Vec<(RecordId, Box<str>, String)>>);

impl KeyHelps {
    const MOST: usize = 64;
    const LONGEST: usize = 64;
    const LONGEST_HELP: usize = 16 * 1024;

    /// The help kept for `key` of record `id`, else `make`'s (kept when there is room).
    pub fn get_or_make(&self, id: RecordId, key: &str, make: impl FnOnce() -> String) -> String {
        let kept = |helps: &[(RecordId, Box<str>, String)]| {
            helps
                .iter()
                .find(|(r, k, _)| *r == id && **k == *key)
                .map(|(_, _, help)| help.clone())
        };
        let (found, room) = {
            let helps = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            (kept(&helps), helps.len() < Self::MOST)
        };
        if let Some(help) = found {
            return help;
        }
        let help = make();
        if room && key.len() <= Self::LONGEST && help.len() <= Self::LONGEST_HELP {
            let mut helps = self.0.lock().unwrap_or_else(PoisonError::into_inner);
            if helps.len() < Self::MOST && kept(&helps).is_none() {
                helps.push((id, key.into(), help.clone()));
            }
        }
        help
    }
}

/// Kept helps are a cache: two plans of one schema are equal whatever each has kept.
impl PartialEq for KeyHelps {
    fn eq(&self, _: &KeyHelps) -> bool {
        true
    }
}

impl Eq for KeyHelps {}

/// A plan's copy starts with nothing kept.
impl Clone for KeyHelps {
    fn clone(&self) -> KeyHelps {
        KeyHelps::default()
    }
}

impl std::fmt::Debug for KeyHelps {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyHelps")
    }
}

/// The closest field name, if close enough to be a likely typo.
pub(crate) fn did_you_mean<'a>(key: &str, names: &[&'a str]) -> Option<&'a str> {
    let lower = key.to_lowercase();
    let len = lower.chars().count();
    names
        .iter()
        .filter_map(|n| {
            let n_len = n.chars().count();
            let most = (n_len / 3).max(1);
            // The distance is at least the difference in length: names too far off skip the
            // costly measure, so thousands of unknown keys stay cheap.
            if len.abs_diff(n_len) > most || ascii_gap(&lower, n).is_some_and(|gap| gap > most) {
                return None;
            }
            let dist = strsim::damerau_levenshtein(&lower, n);
            (dist <= most).then_some((dist, *n))
        })
        .min_by_key(|(dist, _)| *dist)
        .map(|(_, n)| n)
}

/// For two ASCII texts, a lower bound of their Damerau–Levenshtein distance: the characters of
/// one not matched in the other, counted with repeats, whichever side has more. Each insertion,
/// deletion or substitution changes that count by at most one and a transposition not at all,
/// so no fewer edits can turn one text into the other. A few hundred instructions, where the
/// distance itself takes thousands: a key of a deal checked against every field of its record
/// in each of a batch's deals.
fn ascii_gap(a: &str, b: &str) -> Option<usize> {
    if !a.is_ascii() || !b.is_ascii() {
        return None;
    }
    let mut count = [0i32; 128];
    for (text, step) in [(a, 1), (b, -1)] {
        for &c in text.as_bytes() {
            if let Some(n) = count.get_mut(usize::from(c)) {
                *n += step;
            }
        }
    }
    // Each character's count read once (then cleared), from the characters of the two texts.
    let (mut more, mut fewer) = (0, 0);
    for &c in a.as_bytes().iter().chain(b.as_bytes()) {
        if let Some(n) = count.get_mut(usize::from(c)) {
            more += (*n).max(0);
            fewer += (-*n).max(0);
            *n = 0;
        }
    }
    usize::try_from(more.max(fewer)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The gap never exceeds the distance, so a name it skips is never the suggestion.
        #[test]
        fn the_gap_is_at_most_the_distance(a in "[a-z_]{0,12}", b in "[a-z_]{0,12}") {
            let gap = ascii_gap(&a, &b).unwrap();
            prop_assert!(gap <= strsim::damerau_levenshtein(&a, &b), "{a} {b} {gap}");
        }

        /// With and without the gap, the same suggestion.
        #[test]
        fn the_suggestion_is_the_distance_s(key in "[a-zA-Z_]{1,12}", names in prop::collection::vec("[a-z_]{1,12}", 0..20)) {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let lower = key.to_lowercase();
            let len = lower.chars().count();
            let by_distance = names
                .iter()
                .filter_map(|n| {
                    let n_len = n.chars().count();
                    let most = (n_len / 3).max(1);
                    let dist = strsim::damerau_levenshtein(&lower, n);
                    (len.abs_diff(n_len) <= most && dist <= most).then_some((dist, *n))
                })
                .min_by_key(|(dist, _)| *dist)
                .map(|(_, n)| n);
            prop_assert_eq!(did_you_mean(&key, &names), by_distance);
        }
    }

    /// A help is worked out once for its record and key, kept for no other record, and past the
    /// bounds worked out every time, never kept.
    #[test]
    fn kept_helps_are_per_record_and_key_and_bounded() {
        use std::cell::Cell;
        let helps = KeyHelps::default();
        let made = Cell::new(0);
        let get = |id: usize, key: &str| {
            helps.get_or_make(RecordId(id), key, || {
                made.set(made.get() + 1);
                format!("{id} {key}")
            })
        };
        assert_eq!(get(0, "notes"), "0 notes");
        assert_eq!(get(0, "notes"), "0 notes");
        assert_eq!(made.get(), 1);
        assert_eq!(get(1, "notes"), "1 notes");
        assert_eq!(get(0, "note"), "0 note");
        assert_eq!(made.get(), 3);
        let longest = "k".repeat(KeyHelps::LONGEST);
        assert_eq!(get(0, &longest), format!("0 {longest}"));
        assert_eq!(get(0, &longest), format!("0 {longest}"));
        assert_eq!(made.get(), 4);
        let long = "k".repeat(KeyHelps::LONGEST + 1);
        assert_eq!(get(0, &long), format!("0 {long}"));
        assert_eq!(get(0, &long), format!("0 {long}"));
        assert_eq!(made.get(), 6);
        // Four are kept: room for `MOST - 4` more.
        for i in 0..KeyHelps::MOST {
            assert_eq!(get(2, &i.to_string()), format!("2 {i}"));
        }
        let kept_last = (KeyHelps::MOST - 5).to_string();
        let first_not_kept = (KeyHelps::MOST - 4).to_string();
        let before = made.get();
        assert_eq!(get(2, "0"), "2 0");
        assert_eq!(get(2, &kept_last), format!("2 {kept_last}"));
        assert_eq!(made.get(), before);
        assert_eq!(get(2, &first_not_kept), format!("2 {first_not_kept}"));
        assert_eq!(made.get(), before + 1);
    }

    /// A help past its bound in bytes (a record of very many fields) is worked out each time.
    #[test]
    fn long_helps_are_not_kept() {
        use std::cell::Cell;
        let helps = KeyHelps::default();
        let made = Cell::new(0);
        let get = |len: usize| {
            helps.get_or_make(RecordId(0), "notes", || {
                made.set(made.get() + 1);
                "h".repeat(len)
            })
        };
        get(KeyHelps::LONGEST_HELP + 1);
        get(KeyHelps::LONGEST_HELP + 1);
        assert_eq!(made.get(), 2);
        get(KeyHelps::LONGEST_HELP);
        get(KeyHelps::LONGEST_HELP);
        assert_eq!(made.get(), 3);
    }

    #[test]
    fn typos_are_still_found() {
        let names = ["proposal", "parties", "investment", "financing"];
        assert_eq!(did_you_mean("propsoal", &names), Some("proposal"));
        assert_eq!(did_you_mean("Partys", &names), Some("parties"));
        assert_eq!(did_you_mean("investmnet", &names), Some("investment"));
        assert_eq!(did_you_mean("budget", &names), None);
    }
}
