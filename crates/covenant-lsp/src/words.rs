//! The lexical shape of policy text: words, strings, comments and literals, as an editor
//! needs them between parses (the word under the cursor, the tokens to colour).

use covenant::source::Span;

/// What a token of policy text is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lexeme {
    Comment,
    String,
    /// A number, percent, date or money amount (`50%`, `2026-05-02`, `USD 1.5M`'s amount).
    Number,
    /// A plain word (maybe a keyword: see [`covenant::syntax::keywords`]).
    Word,
    /// A back-quoted word (`` `count` ``).
    Quoted,
    /// An operator or bracket.
    Punct,
}

/// The tokens of `text`, in order, white space left out. Never fails: anything it does not
/// know is punctuation.
pub fn lex(text: &str) -> Vec<(Span, Lexeme)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let start = i;
        let kind = match b {
            b' ' | b'\t' | b'\r' | b'\n' => {
                i += 1;
                continue;
            }
            b'#' => {
                i = find(bytes, i, |c| c == b'\n');
                Lexeme::Comment
            }
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    i += 1;
                    match c {
                        b'\\' => i += 1,
                        b'"' => break,
                        b'\n' => {
                            i -= 1;
                            break;
                        }
                        _ => {}
                    }
                }
                Lexeme::String
            }
            b'`' => {
                i = find(bytes, i + 1, |c| c == b'`' || c == b'\n');
                if bytes.get(i) == Some(&b'`') {
                    i += 1;
                }
                Lexeme::Quoted
            }
            b'0'..=b'9' => {
                i = find(bytes, i, |c| {
                    !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-' | b'%'))
                });
                Lexeme::Number
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                i = find(bytes, i, |c| !is_word_byte(c));
                Lexeme::Word
            }
            c => {
                i += utf8_len(c);
                Lexeme::Punct
            }
        };
        i = i.min(text.len());
        out.push((Span::new(start, i), kind));
    }
    out
}

fn find(bytes: &[u8], from: usize, stop: impl Fn(u8) -> bool) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&c| stop(c)))
        .map_or(bytes.len(), |p| from + p)
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

/// A byte that continues a word: letters, digits, `_` and `-` (rule ids, `look-through`).
pub fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c == b'-'
}

/// The word (or rule id) at byte `at` of `text`, outside comments and strings.
pub fn word_at(text: &str, at: usize) -> Option<(Span, &str)> {
    let (span, kind) = lex(text)
        .into_iter()
        .find(|(s, _)| s.start <= at && at <= s.end)?;
    if kind != Lexeme::Word {
        return None;
    }
    Some((span, text.get(span.start..span.end)?))
}

/// Where the word that ends at byte `at` starts (`at` itself when no word ends there).
pub fn word_start(text: &str, at: usize) -> usize {
    let before = text.as_bytes().get(..at).unwrap_or_default();
    let len = before
        .iter()
        .rev()
        .take_while(|&&c| c.is_ascii_alphanumeric() || c == b'_')
        .count();
    at - len
}

/// Whether byte `at` is inside a comment or a string (where nothing is completed).
pub fn in_comment_or_string(text: &str, at: usize) -> Option<(Span, Lexeme)> {
    lex(text).into_iter().find(|(s, k)| {
        s.start < at
            && (at < s.end || (at == s.end && !closed(text, *s, *k)))
            && matches!(k, Lexeme::Comment | Lexeme::String)
    })
}

/// A string that ends with its closing quote (a comment never closes before its line ends).
fn closed(text: &str, span: Span, kind: Lexeme) -> bool {
    kind == Lexeme::String && span.len() > 1 && text.as_bytes().get(span.end - 1) == Some(&b'"')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(&str, Lexeme)> {
        lex(text)
            .into_iter()
            .map(|(s, k)| (&text[s.start..s.end], k))
            .collect()
    }

    #[test]
    fn policy_text_is_cut_into_its_tokens() {
        use Lexeme::*;
        let text = "rule a-1: `count` >= 50% # note\n  and date < 2026-05-02 and x = \"é\\\"\"";
        assert_eq!(
            kinds(text),
            [
                ("rule", Word),
                ("a-1", Word),
                (":", Punct),
                ("`count`", Quoted),
                (">", Punct),
                ("=", Punct),
                ("50%", Number),
                ("# note", Comment),
                ("and", Word),
                ("date", Word),
                ("<", Punct),
                ("2026-05-02", Number),
                ("and", Word),
                ("x", Word),
                ("=", Punct),
                ("\"é\\\"\"", String),
            ]
        );
    }

    #[test]
    fn the_cursor_is_placed_in_words_comments_and_strings() {
        let text = "rule r: party country = \"U";
        assert_eq!(word_at(text, 10).map(|(_, w)| w), Some("party"));
        assert_eq!(word_start(text, 11), 8);
        let string = in_comment_or_string(text, text.len());
        assert_eq!(string, Some((Span::new(24, 26), Lexeme::String)));
        assert_eq!(in_comment_or_string("a = \"US\"", 8), None);
        let comment = in_comment_or_string("a # b", 5).map(|(_, k)| k);
        assert_eq!(comment, Some(Lexeme::Comment));
    }
}
