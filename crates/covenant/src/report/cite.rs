//! A rule's sources in every report (SPEC §12): the JSON `"cite"` and `"citations"`
//! (SARIF's descriptors serialize [`Citation`] itself, to the same objects), SARIF's
//! `helpUri`, and the one-line form of the human, Markdown and JUnit reports.

use crate::eval::outcome::{Outcome, RuleResult};
use crate::resolve::ir::Citation;

use super::json_out::JsonOut;

/// `"cite"`, the texts, and `"citations"`, the objects, as members of the open object.
pub fn write_json(j: &mut JsonOut<'_>, cites: &[Citation]) {
    j.key("cite");
    j.begin_array();
    for c in cites {
        j.element();
        j.str(&c.text);
    }
    j.end_array();
    j.key("citations");
    j.begin_array();
    for c in cites {
        j.element();
        j.begin_object();
        for (key, part) in [
            ("text", Some(&c.text)),
            ("section", c.section.as_ref()),
            ("url", c.url.as_ref()),
            ("version", c.version.as_ref()),
        ] {
            j.key(key);
            match part {
                Some(s) => j.str(s),
                None => j.null(),
            }
        }
        j.end_object();
    }
    j.end_array();
}

/// The first url of the sources: SARIF's `helpUri`. The schema wants an absolute URI there, so
/// a url that is not one (`see the memo`) is passed over (the JSON report keeps it as written).
pub fn first_url(cites: &[Citation]) -> Option<&str> {
    cites
        .iter()
        .filter_map(|c| c.url.as_deref())
        .find(|u| is_absolute_uri(u))
}

/// `scheme:rest` (RFC 3986's scheme), without white space, control characters or the
/// characters a URI never holds unescaped.
fn is_absolute_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut cs = scheme.chars();
    cs.next().is_some_and(|c| c.is_ascii_alphabetic())
        && cs.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !s
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || "\\<>\"{}|^`".contains(c))
}

/// `31 CFR 800.401, section (b), version 2024-07-01 <https://…>`: one source on one line.
pub fn line(c: &Citation) -> String {
    let mut out = c.text.clone();
    if let Some(s) = &c.section {
        out.push_str(", section ");
        out.push_str(s);
    }
    if let Some(v) = &c.version {
        out.push_str(", version ");
        out.push_str(v);
    }
    if let Some(u) = &c.url {
        out.push_str(" <");
        out.push_str(u);
        out.push('>');
    }
    out
}

/// Does the result show its sources in the human and Markdown reports? Those that fail, are
/// incomplete or are exempt do; passes and rules that do not apply do not.
pub fn shown_with(r: &RuleResult) -> bool {
    r.is_exempt() || matches!(r.outcome, Outcome::Fail | Outcome::Incomplete)
}

/// The Markdown footnote label of a rule's sources (`cite-american-control`): rule ids are
/// letters, digits and `-`, and unique in a policy, so one label serves every deal.
pub fn footnote_label(rule_id: &str) -> String {
    format!("cite-{rule_id}")
}

/// `[^cite-ID]: 31 CFR 800.401, section (b) <https://…>; …`, the Markdown footnote of the
/// rule's sources, or None when it cites none.
pub fn footnote(rule_id: &str, cites: &[Citation]) -> Option<String> {
    if cites.is_empty() {
        return None;
    }
    let parts: Vec<String> = cites.iter().map(markdown_line).collect();
    Some(format!(
        "[^{}]: {}",
        footnote_label(rule_id),
        parts.join("; ")
    ))
}

fn markdown_line(c: &Citation) -> String {
    let plain = Citation {
        url: None,
        ..c.clone()
    };
    let mut out = super::markdown_text::cell(&line(&plain));
    if let Some(u) = &c.url {
        // An autolink when the url can be one; else escaped text.
        let autolink = !u.is_empty()
            && u.chars()
                .all(|ch| !ch.is_whitespace() && !ch.is_control() && ch != '<' && ch != '>');
        if autolink {
            out.push_str(&format!(" <{u}>"));
        } else {
            out.push(' ');
            out.push_str(&super::markdown_text::cell(u));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{first_url, line, Citation};

    fn cite(text: &str, url: Option<&str>) -> Citation {
        Citation {
            text: text.to_string(),
            section: None,
            url: url.map(str::to_string),
            version: None,
        }
    }

    #[test]
    fn help_uri_is_the_first_absolute_url() {
        let cites = [
            cite("a", None),
            cite("b", Some("see the memo")),
            cite("c", Some("https://example.org/c")),
            cite("d", Some("https://example.org/d")),
        ];
        assert_eq!(first_url(&cites), Some("https://example.org/c"));
        assert_eq!(first_url(&cites[..2]), None);
        assert_eq!(first_url(&[cite("e", Some("/relative/path"))]), None);
    }

    #[test]
    fn one_line_per_source() {
        let full = Citation {
            text: "31 CFR 800.401".to_string(),
            section: Some("(b)".to_string()),
            url: Some("https://e.gov/x".to_string()),
            version: Some("2024".to_string()),
        };
        assert_eq!(
            line(&full),
            "31 CFR 800.401, section (b), version 2024 <https://e.gov/x>"
        );
        assert_eq!(line(&cite("Memo", None)), "Memo");
    }
}
