//! Characters a reader cannot see: their names for messages, and the line separators a policy
//! rejects (docs/syntax.md, "Line ends").

use crate::source::{SourceFile, Span};

use super::error::ParseError;

/// Characters that editors and other tools may show as a line end, but that do not end a line
/// in a policy. A policy rejects them anywhere: read as white space (or, after `#`, as comment
/// text) they would make the next line vanish into the line before it.
const LINE_SEPARATORS: [char; 5] = ['\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}'];

/// At most this many line separators are reported one by one; the rest are counted.
const MAX_REPORTED: usize = 20;

/// The errors for every line separator of [`LINE_SEPARATORS`] in `file`, in order.
pub(super) fn line_separators(file: &SourceFile) -> Vec<ParseError> {
    let found = separators(&file.text);
    let mut errors: Vec<ParseError> = found
        .iter()
        .take(MAX_REPORTED)
        .map(|&(at, c)| {
            let span = Span::new(at, at + c.len_utf8());
            ParseError::bad_character(file, span, name_of(c))
        })
        .collect();
    if let Some(&(at, c)) = found.get(MAX_REPORTED) {
        let more = found.len() - MAX_REPORTED;
        let name = format!(
            "{} (and {} more line separator{} after it)",
            name_of(c),
            more - 1,
            if more == 2 { "" } else { "s" }
        );
        errors.push(ParseError::bad_character(
            file,
            Span::new(at, at + c.len_utf8()),
            name,
        ));
    }
    errors
}

/// Each character of [`LINE_SEPARATORS`] in `text` and its offset, in order. They are found
/// by their first bytes in UTF-8 (`0B`, `0C`, `C2` for U+0085, `E2` for U+2028 and U+2029),
/// searched for by `memchr`: a policy is read whole at every start, and a test of each
/// character cost 20 instructions a byte. `C2` and `E2` also begin other characters (`§`,
/// `–`, `€`), so each place found is read as the character it begins.
fn separators(text: &str) -> Vec<(usize, char)> {
    let bytes = text.as_bytes();
    let mut found: Vec<(usize, char)> = memchr::memchr3_iter(0x0B, 0x0C, 0xC2, bytes)
        .chain(memchr::memchr_iter(0xE2, bytes))
        .filter_map(|at| {
            let c = text.get(at..)?.chars().next()?;
            LINE_SEPARATORS.contains(&c).then_some((at, c))
        })
        .collect();
    found.sort_unstable_by_key(|&(at, _)| at);
    found
}

/// `U+000C FORM FEED` for a character a reader cannot see (or cannot tell from a space), else
/// `None`.
pub(crate) fn invisible(c: char) -> Option<String> {
    let code = u32::from(c);
    let name = match known_name(c) {
        Some(name) => name,
        None if c.is_control() => "(a control character)",
        None if c.is_whitespace() && !c.is_ascii() => "(a space character)",
        None if (0xFE00..=0xFE0F).contains(&code) || (0xE0100..=0xE01EF).contains(&code) => {
            "(a variation selector)"
        }
        None if (0xE0000..=0xE007F).contains(&code) => "(an invisible tag character)",
        None => return None,
    };
    Some(format!("U+{code:04X} {name}"))
}

/// `U+XXXX NAME` for any character: [`invisible`]'s text, or the character in back quotes.
pub(crate) fn name_of(c: char) -> String {
    invisible(c).unwrap_or_else(|| format!("U+{:04X} `{c}`", u32::from(c)))
}

/// The Unicode names of the invisible characters most likely to reach a policy.
fn known_name(c: char) -> Option<&'static str> {
    const C0: [&str; 32] = [
        "NULL",
        "START OF HEADING",
        "START OF TEXT",
        "END OF TEXT",
        "END OF TRANSMISSION",
        "ENQUIRY",
        "ACKNOWLEDGE",
        "BELL",
        "BACKSPACE",
        "CHARACTER TABULATION",
        "LINE FEED",
        "LINE TABULATION",
        "FORM FEED",
        "CARRIAGE RETURN",
        "SHIFT OUT",
        "SHIFT IN",
        "DATA LINK ESCAPE",
        "DEVICE CONTROL ONE",
        "DEVICE CONTROL TWO",
        "DEVICE CONTROL THREE",
        "DEVICE CONTROL FOUR",
        "NEGATIVE ACKNOWLEDGE",
        "SYNCHRONOUS IDLE",
        "END OF TRANSMISSION BLOCK",
        "CANCEL",
        "END OF MEDIUM",
        "SUBSTITUTE",
        "ESCAPE",
        "INFORMATION SEPARATOR FOUR",
        "INFORMATION SEPARATOR THREE",
        "INFORMATION SEPARATOR TWO",
        "INFORMATION SEPARATOR ONE",
    ];
    if let Some(name) = usize::try_from(u32::from(c)).ok().and_then(|i| C0.get(i)) {
        return Some(name);
    }
    Some(match c {
        '\u{7f}' => "DELETE",
        '\u{85}' => "NEXT LINE",
        '\u{a0}' => "NO-BREAK SPACE",
        '\u{ad}' => "SOFT HYPHEN",
        '\u{34f}' => "COMBINING GRAPHEME JOINER",
        '\u{61c}' => "ARABIC LETTER MARK",
        '\u{1680}' => "OGHAM SPACE MARK",
        '\u{180e}' => "MONGOLIAN VOWEL SEPARATOR",
        '\u{2000}' => "EN QUAD",
        '\u{2001}' => "EM QUAD",
        '\u{2002}' => "EN SPACE",
        '\u{2003}' => "EM SPACE",
        '\u{2004}' => "THREE-PER-EM SPACE",
        '\u{2005}' => "FOUR-PER-EM SPACE",
        '\u{2006}' => "SIX-PER-EM SPACE",
        '\u{2007}' => "FIGURE SPACE",
        '\u{2008}' => "PUNCTUATION SPACE",
        '\u{2009}' => "THIN SPACE",
        '\u{200a}' => "HAIR SPACE",
        '\u{200b}' => "ZERO WIDTH SPACE",
        '\u{200c}' => "ZERO WIDTH NON-JOINER",
        '\u{200d}' => "ZERO WIDTH JOINER",
        '\u{200e}' => "LEFT-TO-RIGHT MARK",
        '\u{200f}' => "RIGHT-TO-LEFT MARK",
        '\u{2028}' => "LINE SEPARATOR",
        '\u{2029}' => "PARAGRAPH SEPARATOR",
        '\u{202a}' => "LEFT-TO-RIGHT EMBEDDING",
        '\u{202b}' => "RIGHT-TO-LEFT EMBEDDING",
        '\u{202c}' => "POP DIRECTIONAL FORMATTING",
        '\u{202d}' => "LEFT-TO-RIGHT OVERRIDE",
        '\u{202e}' => "RIGHT-TO-LEFT OVERRIDE",
        '\u{202f}' => "NARROW NO-BREAK SPACE",
        '\u{205f}' => "MEDIUM MATHEMATICAL SPACE",
        '\u{2060}' => "WORD JOINER",
        '\u{2061}' => "FUNCTION APPLICATION",
        '\u{2062}' => "INVISIBLE TIMES",
        '\u{2063}' => "INVISIBLE SEPARATOR",
        '\u{2064}' => "INVISIBLE PLUS",
        '\u{2066}' => "LEFT-TO-RIGHT ISOLATE",
        '\u{2067}' => "RIGHT-TO-LEFT ISOLATE",
        '\u{2068}' => "FIRST STRONG ISOLATE",
        '\u{2069}' => "POP DIRECTIONAL ISOLATE",
        '\u{3000}' => "IDEOGRAPHIC SPACE",
        '\u{3164}' => "HANGUL FILLER",
        '\u{feff}' => "ZERO WIDTH NO-BREAK SPACE",
        '\u{ffa0}' => "HALFWIDTH HANGUL FILLER",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invisible_characters_are_named() {
        assert_eq!(invisible('\u{c}').as_deref(), Some("U+000C FORM FEED"));
        assert_eq!(
            invisible('\u{a0}').as_deref(),
            Some("U+00A0 NO-BREAK SPACE")
        );
        assert_eq!(
            invisible('\u{202e}').as_deref(),
            Some("U+202E RIGHT-TO-LEFT OVERRIDE")
        );
        assert_eq!(
            invisible('\u{9f}').as_deref(),
            Some("U+009F (a control character)")
        );
        assert_eq!(
            invisible('\u{fe0f}').as_deref(),
            Some("U+FE0F (a variation selector)")
        );
        assert_eq!(invisible('a'), None);
        assert_eq!(invisible('€'), None);
        assert_eq!(name_of('€'), "U+20AC `€`");
    }

    proptest::proptest! {
        /// The separators found by their first bytes are those a test of every character
        /// finds, in text of separators, characters that share their first bytes (`§`, `–`,
        /// `€`, U+0080, U+2027, U+202A) and plain text.
        #[test]
        fn separators_are_found_as_by_every_character(
            parts in proptest::collection::vec(proptest::prop_oneof![
                proptest::sample::select(vec![
                    '\u{b}', '\u{c}', '\u{85}', '\u{2028}', '\u{2029}', '\u{80}', '\u{a7}',
                    '\u{2013}', '\u{20ac}', '\u{2027}', '\u{202a}', '\n', 'a', ' ', '\u{e9}',
                ]),
                proptest::char::any(),
            ], 0..40)
        ) {
            let text: String = parts.into_iter().collect();
            let every: Vec<(usize, char)> = text
                .char_indices()
                .filter(|(_, c)| LINE_SEPARATORS.contains(c))
                .collect();
            proptest::prop_assert_eq!(separators(&text), every);
        }
    }

    #[test]
    fn many_line_separators_are_counted_after_the_first_twenty() {
        let text = "rule a: board seats > 1 #\u{c}\n".repeat(25);
        let errors = line_separators(&SourceFile::new("p", text));
        assert_eq!(errors.len(), MAX_REPORTED + 1);
        let last = errors.last().map(ToString::to_string).unwrap_or_default();
        assert!(last.contains("and 4 more line separators"), "{last}");
    }
}
