//! "did you mean …?" suggestions.

use crate::syntax::keywords::is_keyword;

/// The closest candidate to `text`, if any is close enough.
fn closest<'c>(text: &str, candidates: &'c [String]) -> Option<&'c String> {
    let text = text.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&text, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// "did you mean `name`?" from the closest candidate, if any is close enough.
pub fn did_you_mean(text: &str, candidates: &[String]) -> Option<String> {
    closest(text, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// [`did_you_mean`] for a phrase: a word that is a keyword is offered back-quoted
/// (`` `count` ``), the form that reaches it.
pub fn did_you_mean_phrase(text: &str, candidates: &[String]) -> Option<String> {
    let best = closest(text, candidates)?;
    let words: Vec<String> = best
        .split(' ')
        .map(|w| {
            if is_keyword(w) {
                format!("`{w}`")
            } else {
                w.to_string()
            }
        })
        .collect();
    let phrase = words.join(" ");
    if phrase.contains('`') {
        Some(format!("did you mean `` {phrase} ``?"))
    } else {
        Some(format!("did you mean `{phrase}`?"))
    }
}

/// The name a help line offers with "did you mean …?" ([`did_you_mean`],
/// [`did_you_mean_phrase`], and the country and kind suggestions written the same way), as it
/// should replace the text at fault: `seats` from "did you mean `seats`?", `` party `in`
/// force `` from "did you mean `` party `in` force ``?". For tools that offer the fix (the
/// language server's quick fixes).
pub fn suggested_replacement(help: &str) -> Option<String> {
    let rest = help.split_once("did you mean ")?.1;
    if let Some(quoted) = rest.strip_prefix("`` ") {
        return Some(quoted.split_once(" ``")?.0.to_string());
    }
    let quoted = rest.strip_prefix('`')?;
    Some(quoted.split_once('`')?.0.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_replacement_is_read_back_from_every_did_you_mean() {
        let fields = vec!["board seats".to_string(), "in force".to_string()];
        let help = did_you_mean("board seat", &fields).unwrap_or_default();
        assert_eq!(suggested_replacement(&help).as_deref(), Some("board seats"));
        let help = did_you_mean_phrase("in forc", &fields).unwrap_or_default();
        assert_eq!(help, "did you mean `` `in` force ``?");
        assert_eq!(suggested_replacement(&help).as_deref(), Some("`in` force"));
        let country = crate::country::help("UK");
        assert_eq!(suggested_replacement(&country).as_deref(), Some("GB"));
        assert_eq!(suggested_replacement("write `2026-05-02`"), None);
    }
}
