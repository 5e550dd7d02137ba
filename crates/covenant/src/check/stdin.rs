//! What standard input holds: one deal document (JSON, TOML or YAML) or JSON lines, detected
//! from the text or named (`--stdin-format`).

use crate::deal::Format as DealFormat;

/// The format of the deal on standard input, when it is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdinFormat {
    Yaml,
    Json,
    /// JSON lines: one deal per line.
    Jsonl,
    Toml,
}

/// How to read standard input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StdinKind {
    /// One deal document in this format.
    Document(DealFormat),
    /// JSON lines, one deal per line.
    Lines,
}

impl StdinFormat {
    pub fn kind(self) -> StdinKind {
        match self {
            StdinFormat::Yaml => StdinKind::Document(DealFormat::Yaml),
            StdinFormat::Json => StdinKind::Document(DealFormat::Json),
            StdinFormat::Toml => StdinKind::Document(DealFormat::Toml),
            StdinFormat::Jsonl => StdinKind::Lines,
        }
    }
}

/// The kind of standard input named, or else detected from its first bytes (`bytes` may be
/// only the start of it).
pub fn kind(named: Option<StdinFormat>, bytes: &[u8]) -> StdinKind {
    named.map_or_else(|| detect(bytes), StdinFormat::kind)
}

/// Detect the kind of a text:
/// - starting with `{`: JSON lines when its first line holds a whole JSON value and more
///   follows, else one JSON document (an indented, pretty-printed deal is one deal);
/// - whose first line that is not blank or a `#` comment is a TOML key/value pair
///   (`proposal = "…"`) or table header (`[board]`, `[[parties]]`): TOML;
/// - anything else: YAML.
pub fn detect(bytes: &[u8]) -> StdinKind {
    let text = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let start = text.iter().position(|b| !b.is_ascii_whitespace());
    let rest = start.and_then(|i| text.get(i..)).unwrap_or_default();
    if rest.starts_with(b"{") {
        return match first_json_value_end(rest) {
            Some(end) if has_more(rest.get(end..).unwrap_or_default()) => StdinKind::Lines,
            _ => StdinKind::Document(DealFormat::Json),
        };
    }
    if first_meaningful_line(text).is_some_and(is_toml_line) {
        return StdinKind::Document(DealFormat::Toml);
    }
    StdinKind::Document(DealFormat::Yaml)
}

/// The end of the JSON value that starts `text`, when it ends on its first line.
fn first_json_value_end(text: &[u8]) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (i, &b) in text.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                b'\n' => return None,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'\n' => return None,
            _ => {}
        }
    }
    None
}

/// Is there anything but blank space after the first value (after its line)?
fn has_more(after: &[u8]) -> bool {
    !after.iter().all(u8::is_ascii_whitespace)
}

fn first_meaningful_line(text: &[u8]) -> Option<&str> {
    let head = text.get(..text.len().min(64 * 1024))?;
    let text = match std::str::from_utf8(head) {
        Ok(t) => t,
        Err(e) => std::str::from_utf8(head.get(..e.valid_up_to())?).ok()?,
    };
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'))
}

/// A TOML table header or `key = value` line, where the key is bare, quoted or dotted.
fn is_toml_line(line: &str) -> bool {
    let key_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ' ');
    let is_key = |k: &str| {
        let k = k.trim();
        !k.is_empty()
            && (k.chars().all(key_char)
                || (k.len() >= 2
                    && ((k.starts_with('"') && k.ends_with('"'))
                        || (k.starts_with('\'') && k.ends_with('\'')))))
    };
    if let Some(header) = line.strip_prefix('[') {
        let header = header.split('#').next().unwrap_or("").trim_end();
        let inner = header
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix("]]"))
            .or_else(|| header.strip_suffix(']'));
        return inner.is_some_and(is_key);
    }
    line.split_once('=')
        .is_some_and(|(key, _)| is_key(key) && !key.contains(':'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(text: &str) -> StdinKind {
        detect(text.as_bytes())
    }

    const JSON: StdinKind = StdinKind::Document(DealFormat::Json);
    const TOML: StdinKind = StdinKind::Document(DealFormat::Toml);
    const YAML: StdinKind = StdinKind::Document(DealFormat::Yaml);

    #[test]
    fn json_documents_and_json_lines() {
        assert_eq!(detected("{\"a\": 1}"), JSON);
        assert_eq!(detected("\u{feff} {\"a\": 1}\n\n"), JSON);
        assert_eq!(detected("{\n  \"a\": {\n    \"b\": 1\n  }\n}\n"), JSON);
        assert_eq!(
            detected("{\"a\": \"}{\\\"\"}\n{\"a\": 2}\n"),
            StdinKind::Lines
        );
        assert_eq!(detected("{\"a\": 1}\n\n{\"a\": 2}"), StdinKind::Lines);
        assert_eq!(detected("{\"a\": [1,\n 2]}\n"), JSON);
    }

    #[test]
    fn toml_and_yaml() {
        assert_eq!(detected("proposal = \"x\"\n"), TOML);
        assert_eq!(detected("# a deal\n\n[board]\nseats = 2\n"), TOML);
        assert_eq!(detected("[[parties]]\nname = \"A\"\n"), TOML);
        assert_eq!(detected("\"quoted key\" = 1\n"), TOML);
        assert_eq!(detected("board.seats = 2\n"), TOML);
        assert_eq!(detected("proposal: x\nboard: {seats: 2}\n"), YAML);
        assert_eq!(detected("proposal: a = b\n"), YAML);
        assert_eq!(detected("---\nproposal: x\n"), YAML);
        assert_eq!(detected("[1, 2]\n"), YAML);
        assert_eq!(detected(""), YAML);
    }

    #[test]
    fn a_named_format_wins() {
        assert_eq!(kind(Some(StdinFormat::Yaml), b"a = 1"), YAML);
        assert_eq!(kind(Some(StdinFormat::Jsonl), b"{}"), StdinKind::Lines);
        assert_eq!(kind(None, b"a = 1"), TOML);
    }
}
