//! Country codes (SPEC §13): a country value is an officially assigned ISO 3166-1 alpha-2 code
//! (or `XK`, Kosovo), in upper case. Anything else is refused, with a did-you-mean from the
//! upper-case spelling (`cn` → `CN`), the reserved codes people use (`UK` → `GB`, `EL` →
//! `GR`), the alpha-3 code (`CHN` → `CN`) and English names (`China`, `Russia`, `South Korea`,
//! `Britain`). The one table lives here; deal validation and the type checker both use it.

mod table;

use table::{CODES, OTHER_NAMES};

/// Whether `text` is an assigned alpha-2 code (or `XK`), exactly: upper case, no white space.
/// Every country value of every deal is checked, so this is a bit test, not a search.
pub fn is_code(text: &str) -> bool {
    is_code_bytes(text.as_bytes())
}

/// [`is_code`] of a string's UTF-8 bytes.
#[inline]
pub(crate) fn is_code_bytes(text: &[u8]) -> bool {
    match *text {
        [a @ b'A'..=b'Z', b @ b'A'..=b'Z'] => ASSIGNED
            .get(usize::from(a - b'A'))
            .is_some_and(|row| row >> (b - b'A') & 1 == 1),
        _ => false,
    }
}

/// Bit `b` of row `a` is set when the code of the letters `a`, `b` (from `A` = 0) is assigned.
static ASSIGNED: [u32; 26] = assigned();

#[allow(
    clippy::indexing_slicing,
    reason = "evaluated at compile time, where an index out of range is a compile error"
)]
const fn assigned() -> [u32; 26] {
    let mut rows = [0u32; 26];
    let mut i = 0;
    while i < CODES.len() {
        let code = CODES[i].0.as_bytes();
        rows[(code[0] - b'A') as usize] |= 1 << (code[1] - b'A');
        i += 1;
    }
    rows
}

/// Every assigned code (and `XK`) with its English short name, sorted by code: what an
/// editor offers after a country field.
pub fn codes() -> impl Iterator<Item = (&'static str, &'static str)> {
    CODES.iter().map(|(code, _, name)| (*code, *name))
}

/// The English short name of an assigned code.
pub fn name(code: &str) -> Option<&'static str> {
    CODES
        .binary_search_by(|(c, _, _)| (*c).cmp(code))
        .ok()
        .and_then(|i| CODES.get(i))
        .map(|(_, _, name)| *name)
}

/// The code `text` most likely means, when it is not one: its upper-case spelling, a reserved
/// code in common use, an alpha-3 code, or an English name of the country.
pub fn did_you_mean(text: &str) -> Option<&'static str> {
    let trimmed = text.trim();
    let upper = trimmed.to_ascii_uppercase();
    if let Some((code, _, _)) = CODES.iter().find(|(c, _, _)| *c == upper) {
        return Some(code);
    }
    let key = normalise(trimmed);
    if key.is_empty() {
        return None;
    }
    if let Some((_, code)) = OTHER_NAMES.iter().find(|(n, _)| *n == key) {
        return Some(code);
    }
    if let Some((code, _, _)) = CODES.iter().find(|(_, a3, _)| *a3 == upper) {
        return Some(code);
    }
    CODES
        .iter()
        .find(|(_, _, name)| normalise(name) == key)
        .map(|(code, _, _)| *code)
}

/// The help line for a value that is not a code.
pub fn help(text: &str) -> String {
    let Some(code) = did_you_mean(text) else {
        return "write the country's two-letter ISO 3166-1 alpha-2 code in upper case, such as `US`, `CN` or `DE`".into();
    };
    let name = name(code).unwrap_or(code);
    if text.trim().eq_ignore_ascii_case(code) {
        return format!("write `{code}` ({name}): codes are upper case, without spaces");
    }
    format!("did you mean `{code}` ({name})? a country is its two-letter ISO 3166-1 alpha-2 code")
}

/// A name for comparison: lower case, accents dropped, every run of other characters one
/// space, without a leading `the`.
fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    for c in text.chars().flat_map(char::to_lowercase) {
        let c = plain_letter(c);
        if c.is_ascii_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    match out.strip_prefix("the ") {
        Some(rest) => rest.to_string(),
        None => out,
    }
}

/// The letter without its accent, for the accented letters of country names.
fn plain_letter(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_holds_every_assigned_code_once_sorted() {
        // 249 officially assigned codes, plus XK.
        assert_eq!(CODES.len(), 250);
        assert!(CODES.windows(2).all(|w| matches!(w, [a, b] if a.0 < b.0)));
        let mut a3: Vec<&str> = CODES.iter().map(|c| c.1).collect();
        a3.sort_unstable();
        a3.dedup();
        assert_eq!(a3.len(), CODES.len());
        for (_, code) in OTHER_NAMES {
            assert!(is_code(code), "{code}");
        }
        // The bit table holds exactly the codes of the table.
        let mut n = 0;
        for a in b'A'..=b'Z' {
            for b in b'A'..=b'Z' {
                let text = String::from_utf8(vec![a, b]).unwrap();
                let listed = CODES.iter().any(|(c, _, _)| *c == text);
                assert_eq!(is_code(&text), listed, "{text}");
                n += usize::from(listed);
            }
        }
        assert_eq!(n, CODES.len());
    }

    #[test]
    fn codes_are_upper_case_assigned_alpha_2() {
        for ok in ["US", "CN", "GB", "GR", "XK", "NO", "KP", "TW", "HK"] {
            assert!(is_code(ok), "{ok}");
        }
        for bad in [
            "UK", "EL", "EU", "cn", "Cn", "CN ", " CN", "CHN", "China", "", "C", "ZZ",
        ] {
            assert!(!is_code(bad), "{bad}");
        }
    }

    #[test]
    fn the_likely_code_is_suggested() {
        let cases = [
            ("cn", "CN"),
            ("CN ", "CN"),
            ("UK", "GB"),
            ("uk", "GB"),
            ("EL", "GR"),
            ("CHN", "CN"),
            ("chn", "CN"),
            ("China", "CN"),
            ("Russia", "RU"),
            ("Russian Federation", "RU"),
            ("South Korea", "KR"),
            ("North Korea", "KP"),
            ("Britain", "GB"),
            ("United Kingdom", "GB"),
            ("Great Britain", "GB"),
            ("U.S.", "US"),
            ("USA", "US"),
            ("United States", "US"),
            ("Côte d'Ivoire", "CI"),
            ("Cote dIvoire", "CI"),
            ("Türkiye", "TR"),
            ("Turkey", "TR"),
            ("the Netherlands", "NL"),
            ("Kosovo", "XK"),
        ];
        for (text, code) in cases {
            assert_eq!(did_you_mean(text), Some(code), "{text}");
        }
        assert_eq!(did_you_mean("Atlantis"), None);
        assert_eq!(did_you_mean("ZZ"), None);
        assert_eq!(did_you_mean(""), None);
    }

    #[test]
    fn help_lines_name_the_code() {
        assert_eq!(
            help("cn"),
            "write `CN` (China): codes are upper case, without spaces"
        );
        assert!(help("UK").starts_with("did you mean `GB` (United Kingdom)?"));
        assert!(help("Atlantis").contains("ISO 3166-1 alpha-2"));
    }
}
