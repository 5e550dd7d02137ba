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
            if len.abs_diff(n_len) > most {
                return None;
            }
            let dist = strsim::damerau_levenshtein(&lower, n);
            (dist <= most).then_some((dist, *n))
        })
        .min_by_key(|(dist, _)| *dist)
        .map(|(_, n)| n)
}
