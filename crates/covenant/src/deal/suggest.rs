//! Did-you-mean for deal keys and schema values.

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

    #[test]
    fn typos_are_still_found() {
        let names = ["proposal", "parties", "investment", "financing"];
        assert_eq!(did_you_mean("propsoal", &names), Some("proposal"));
        assert_eq!(did_you_mean("Partys", &names), Some("parties"));
        assert_eq!(did_you_mean("investmnet", &names), Some("investment"));
        assert_eq!(did_you_mean("budget", &names), None);
    }
}
