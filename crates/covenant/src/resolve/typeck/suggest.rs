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
