//! `# covenant: allow CODE…`: a comment that keeps lint findings of those codes out of the
//! report, where a person decided the finding is expected.
//!
//! - A comment inside an item (a rule, a `let`, a `define`), trailing or on a line of its own,
//!   allows the codes for the whole item.
//! - A comment on its own line directly above an item (only blank and comment lines between)
//!   allows them for that item.
//! - Any other comment allows them on its own line.
//!
//! CODE is a whole code (`covenant::lint::missing-cite`) or its last part (`missing-cite`);
//! several are separated by commas or spaces. Only lint codes (`covenant::lint::…`) can be
//! allowed: a parse or compile error is never hidden.

use crate::resolve::LoadedFile;
use crate::source::Span;
use crate::syntax::comment_start;

use super::Finding;

/// One `# covenant: allow` comment: the codes it allows, where.
#[derive(Debug, PartialEq, Eq)]
struct Allow {
    codes: Vec<String>,
    /// The 1-based line of the comment.
    line: usize,
    /// The item it covers, when it covers one.
    item: Option<Span>,
}

/// Remove from `findings` the lint findings that an allow comment of their file covers.
pub(crate) fn apply(files: &[LoadedFile], findings: &mut Vec<Finding>) {
    let allows: Vec<(&str, Vec<Allow>)> = files
        .iter()
        .map(|f| (&*f.source.name, allows(&f.source.text, &item_spans(f))))
        .filter(|(_, a)| !a.is_empty())
        .collect();
    if allows.is_empty() {
        return;
    }
    findings.retain(|f| {
        let Some((_, list)) = allows
            .iter()
            .find(|(name, _)| f.file.as_deref() == Some(name))
        else {
            return true;
        };
        !list.iter().any(|a| a.covers(f))
    });
}

fn item_spans(file: &LoadedFile) -> Vec<Span> {
    file.ast
        .items
        .iter()
        .map(crate::syntax::ast::Item::span)
        .collect()
}

impl Allow {
    fn covers(&self, f: &Finding) -> bool {
        if !f.code.starts_with("covenant::lint::") || !self.codes.contains(&f.code) {
            return false;
        }
        let in_item = |s: Span| {
            f.span
                .is_some_and(|at| s.start <= at.start && at.start < s.end)
        };
        f.line == Some(self.line) || self.item.is_some_and(in_item)
    }
}

/// The allow comments of `text`, whose items span `items` (in source order).
fn allows(text: &str, items: &[Span]) -> Vec<Allow> {
    let mut out = Vec::new();
    let mut line_start = 0;
    for (n, line) in text.split('\n').enumerate() {
        if let Some(i) = comment_start(line) {
            let comment = line.get(i..).unwrap_or_default();
            if let Some(codes) = allowed_codes(comment) {
                let at = line_start + i;
                let own_line = line.get(..i).unwrap_or_default().trim().is_empty();
                out.push(Allow {
                    codes,
                    line: n + 1,
                    item: covered_item(text, at, own_line, items),
                });
            }
        }
        line_start += line.len() + 1;
    }
    out
}

/// The item a comment at byte `at` covers: the one it is in, or (a comment on its own line)
/// the next one, when only blank and comment lines come between.
fn covered_item(text: &str, at: usize, own_line: bool, items: &[Span]) -> Option<Span> {
    if let Some(s) = items.iter().find(|s| s.start <= at && at < s.end) {
        return Some(*s);
    }
    let next = items.iter().find(|s| s.start > at)?;
    let between = text.get(at..next.start)?;
    let mut lines = between.split('\n');
    lines.next(); // the comment's own line
    let only_comments = lines.all(|l| {
        let l = l.trim();
        l.is_empty() || l.starts_with('#')
    });
    (own_line && only_comments).then_some(*next)
}

/// The codes of a comment `# covenant: allow A, B`, each made whole; None for any other
/// comment.
fn allowed_codes(comment: &str) -> Option<Vec<String>> {
    let rest = comment.strip_prefix('#')?.trim_start();
    let rest = rest.strip_prefix("covenant:")?.trim_start();
    let rest = rest.strip_prefix("allow")?;
    if !rest.starts_with(char::is_whitespace) {
        return None;
    }
    let codes: Vec<String> = rest
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|c| !c.is_empty())
        .map(whole_code)
        .collect();
    (!codes.is_empty()).then_some(codes)
}

/// `missing-cite` and `lint::missing-cite` as `covenant::lint::missing-cite`.
fn whole_code(code: &str) -> String {
    if code.starts_with("covenant::") {
        code.to_string()
    } else if code.contains("::") {
        format!("covenant::{code}")
    } else {
        format!("covenant::lint::{code}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_allow_comment_names_whole_or_short_codes() {
        let codes = |c: &str| allowed_codes(c).unwrap_or_default();
        assert_eq!(
            codes("# covenant: allow missing-cite, lint::never-fails covenant::lint::no-rules"),
            [
                "covenant::lint::missing-cite",
                "covenant::lint::never-fails",
                "covenant::lint::no-rules"
            ]
        );
        assert_eq!(allowed_codes("# covenant: allowed x"), None);
        assert_eq!(allowed_codes("# covenant: allow"), None);
        assert_eq!(allowed_codes("# a note: allow missing-cite"), None);
    }

    #[test]
    fn a_comment_covers_its_item_the_item_below_or_its_line() {
        let text = "# covenant: allow a\n\n# note\nrule r: x > 1 # covenant: allow b\nlet y = 2\n# covenant: allow c\n";
        let rule = Span { start: 28, end: 61 };
        let define = Span { start: 62, end: 71 };
        let found = allows(text, &[rule, define]);
        let items: Vec<(usize, Option<Span>)> = found.iter().map(|a| (a.line, a.item)).collect();
        assert_eq!(
            items,
            [(1, Some(rule)), (4, Some(rule)), (6, None)],
            "{found:?}"
        );
    }

    #[test]
    fn a_hash_in_a_string_is_not_a_comment() {
        assert!(allows("rule r: x = \"# covenant: allow a\"\n", &[]).is_empty());
    }
}
