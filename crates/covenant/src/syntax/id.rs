//! Derived rule ids (SPEC §2.2): a bare rule's id comes from its tokens.
//!
//! `data must stay onshore` → `data-must-stay-onshore`;
//! `foreign partner stake < 50%` → `foreign-partner-stake-lt-50`.

/// One token of a rule's text, as the id derivation sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdToken<'a> {
    /// A word, keyword or back-quoted word (without the back quotes).
    Word(&'a str),
    /// A number, percent, date or money amount, as written (`1_000_000`, `49.5%`, `3.5B`).
    Number(&'a str),
    /// The contents of a string literal, escapes still written.
    Str(&'a str),
    /// A comparison operator: `<`, `<=`, `>`, `>=`, `=`, `!=`.
    Op(&'a str),
    /// Any other symbol: brackets, `,`, `:`, `.`, `+`, `-`, `*`, `/`.
    Symbol(&'a str),
}

/// The id of a rule whose text reads as `tokens`.
///
/// Words are lower-cased (a `_` inside a word becomes `-`), comparison operators are
/// spelled `lt le gt ge eq ne`, numbers keep their digits and letters with `.` as `-` and
/// `_` dropped, strings are reduced to ASCII letters and digits (lower-cased), other symbols
/// are dropped; the pieces are joined with `-`, runs of `-` are collapsed and `-` is trimmed
/// at both ends. An id that would not start with a letter gets the prefix `rule-`.
pub fn derive_id(tokens: &[IdToken<'_>]) -> String {
    let mut raw = String::new();
    for token in tokens {
        let piece: String = match *token {
            IdToken::Word(w) => w
                .chars()
                .filter_map(|c| match c {
                    '_' | '-' => Some('-'),
                    c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
                    _ => None,
                })
                .collect(),
            IdToken::Number(n) => n
                .chars()
                .filter_map(|c| match c {
                    '.' | '-' => Some('-'),
                    c if c.is_ascii_alphanumeric() => Some(c.to_ascii_lowercase()),
                    _ => None,
                })
                .collect(),
            IdToken::Str(s) => s
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .map(|c| c.to_ascii_lowercase())
                .collect(),
            IdToken::Op(op) => match op {
                "<" => "lt",
                "<=" => "le",
                ">" => "gt",
                ">=" => "ge",
                "=" => "eq",
                "!=" => "ne",
                _ => "",
            }
            .to_string(),
            IdToken::Symbol(_) => String::new(),
        };
        if !piece.is_empty() {
            raw.push('-');
            raw.push_str(&piece);
        }
    }
    let mut id = String::with_capacity(raw.len());
    for c in raw.chars() {
        if c == '-' && (id.is_empty() || id.ends_with('-')) {
            continue;
        }
        id.push(c);
    }
    while id.ends_with('-') {
        id.pop();
    }
    if id.starts_with(|c: char| c.is_ascii_lowercase()) {
        id
    } else if id.is_empty() {
        "rule".to_string()
    } else {
        format!("rule-{id}")
    }
}

/// Split a rule's source text into the tokens [`derive_id`] reads. Comments are skipped.
pub fn id_tokens(text: &str) -> Vec<IdToken<'_>> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let slice = |a: usize, b: usize| text.get(a..b).unwrap_or("");
    while let Some(&b) = bytes.get(i) {
        let start = i;
        match b {
            b'#' => {
                while bytes.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'"' => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'"' | b'\n' => break,
                        b'\\' => i += 2,
                        _ => i += 1,
                    }
                }
                let end = i.min(text.len());
                tokens.push(IdToken::Str(slice(start + 1, end)));
                if bytes.get(i) == Some(&b'"') {
                    i += 1;
                }
            }
            b'`' => {
                i += 1;
                while bytes.get(i).is_some_and(|&c| c != b'`' && c != b'\n') {
                    i += 1;
                }
                tokens.push(IdToken::Word(slice(start + 1, i)));
                if bytes.get(i) == Some(&b'`') {
                    i += 1;
                }
            }
            b'<' | b'>' | b'!' | b'=' => {
                i += 1;
                if b != b'=' && bytes.get(i) == Some(&b'=') {
                    i += 1;
                }
                let op = slice(start, i);
                tokens.push(if op == "!" {
                    IdToken::Symbol(op)
                } else {
                    IdToken::Op(op)
                });
            }
            _ if b.is_ascii_alphabetic() || b == b'_' => {
                while bytes
                    .get(i)
                    .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
                {
                    i += 1;
                }
                tokens.push(IdToken::Word(slice(start, i)));
            }
            _ if b.is_ascii_digit() => {
                while bytes.get(i).is_some_and(|c| {
                    c.is_ascii_alphanumeric()
                        || *c == b'_'
                        || *c == b'%'
                        || (matches!(c, b'.' | b'-')
                            && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
                }) {
                    i += 1;
                }
                tokens.push(IdToken::Number(slice(start, i)));
            }
            _ if b.is_ascii_whitespace() => i += 1,
            _ => {
                // One character, whole even when it is not ASCII.
                let len = text
                    .get(start..)
                    .and_then(|s| s.chars().next())
                    .map_or(1, char::len_utf8);
                i += len;
                tokens.push(IdToken::Symbol(slice(start, i)));
            }
        }
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> String {
        derive_id(&id_tokens(text))
    }

    #[test]
    fn spec_examples() {
        assert_eq!(id("data must stay onshore"), "data-must-stay-onshore");
        assert_eq!(
            id("foreign partner stake < 50%"),
            "foreign-partner-stake-lt-50"
        );
    }

    #[test]
    fn operators_are_spelled() {
        assert_eq!(id("a <= b"), "a-le-b");
        assert_eq!(id("a >= b"), "a-ge-b");
        assert_eq!(id("a > b"), "a-gt-b");
        assert_eq!(id("a = b"), "a-eq-b");
        assert_eq!(id("a != b"), "a-ne-b");
        assert_eq!(id("a<b"), "a-lt-b");
    }

    #[test]
    fn numbers_strings_and_symbols() {
        assert_eq!(id("stake <= 49.5%"), "stake-le-49-5");
        assert_eq!(id("subjects < 1_000_000"), "subjects-lt-1000000");
        assert_eq!(id("investment > USD 3.5B"), "investment-gt-usd-3-5b");
        assert_eq!(id("date >= 2026-09-01"), "date-ge-2026-09-01");
        assert_eq!(
            id("waivers contains \"US-CONTROL\""),
            "waivers-contains-uscontrol"
        );
        assert_eq!(id("country in [\"CN\", \"RU\"]"), "country-in-cn-ru");
        assert_eq!(id("board.seats * 2 + 1 > (x)"), "board-seats-2-1-gt-x");
        assert_eq!(id("`count` of parties"), "count-of-parties");
        assert_eq!(id("cfius_filed"), "cfius-filed");
    }

    #[test]
    fn case_and_runs_of_dashes() {
        assert_eq!(id("Data  MUST stay   Onshore"), "data-must-stay-onshore");
        assert_eq!(id("a - - b"), "a-b");
        assert_eq!(id("a # comment\n and b"), "a-and-b");
    }

    #[test]
    fn prefix_when_not_starting_with_a_letter() {
        assert_eq!(id("50% > stake"), "rule-50-gt-stake");
        assert_eq!(id("\"\" = name"), "eq-name");
        assert_eq!(id("( )"), "rule");
        assert_eq!(id("_x = 1"), "x-eq-1");
    }

    #[test]
    fn tokens_directly() {
        let tokens = [
            IdToken::Word("Foreign"),
            IdToken::Symbol("("),
            IdToken::Op("<"),
            IdToken::Number("1.5"),
            IdToken::Str("é x"),
        ];
        assert_eq!(derive_id(&tokens), "foreign-lt-1-5-x");
    }
}
