//! The GitHub Actions report of `covenant check --format github`: workflow commands that
//! GitHub turns into annotations on the files of a pull request (see `docs/reports.md`).
//!
//! One line per finding of each deal: each deal problem, and each failing or incomplete rule,
//! placed where the SARIF report places it (the deal value that decided it, else the deal's
//! first line):
//!
//! ```text
//! ::error file=deals/x.yaml,line=12,col=9,endLine=12,endColumn=12,title=american-control::deals/x.yaml: …
//! ```
//!
//! then one summary line. The level is SARIF's: `error`, `warning`, and `notice` for SARIF's
//! `note`. Text from deals is made visible as in every human format
//! ([`super::visible::visible`]) and escaped as GitHub's toolkit escapes it.

use std::fmt::Write as _;

use crate::eval::outcome::RuleResult;
use crate::resolve::Policy;

use super::sarif;
use super::visible::{visible, visible_lines};
use super::{DealReport, RunProblem, Summary};

/// A message (the text after `::`): `%`, carriage return and line feed escaped.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value (`file=…`, `title=…`): as [`escape_data`], and `:` and `,` too.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// SARIF's level as a workflow command.
fn command(level: &str) -> &'static str {
    match level {
        "error" => "error",
        "warning" => "warning",
        _ => "notice",
    }
}

/// Where a command points: a file, a start and maybe an end (1-based lines and columns).
struct Place<'a> {
    file: &'a str,
    start: (usize, usize),
    end: Option<(usize, usize)>,
}

/// One workflow command.
fn line(out: &mut String, level: &str, at: &Place<'_>, title: &str, message: &str) {
    let _ = write!(
        out,
        "::{} file={},line={},col={}",
        command(level),
        escape_property(&visible(at.file)),
        at.start.0,
        at.start.1
    );
    if let Some((l, c)) = at.end {
        let _ = write!(out, ",endLine={l},endColumn={c}");
    }
    let _ = writeln!(
        out,
        ",title={}::{}",
        escape_property(&visible(title)),
        escape_data(&visible_lines(message))
    );
}

fn with_help(message: &str, help: Option<&str>) -> String {
    match help {
        Some(h) => format!("{message}\nhelp: {h}"),
        None => message.to_string(),
    }
}

/// The commands of one deal: its problems, then its failing and incomplete rules.
pub fn deal(policy: &Policy, d: &DealReport, out: &mut String) {
    let file = d.file();
    for p in &d.problems {
        let at = Place {
            file,
            start: sarif::problem_place(d, p),
            end: None,
        };
        let level = if p.error { "error" } else { "warning" };
        let message = with_help(&sarif::problem_text(d, p), p.help.as_deref());
        line(out, level, &at, &p.code, &message);
    }
    for r in d.results.iter().filter(|r| annotated(r)) {
        let Some(rule) = policy.rules.get(r.rule) else {
            continue;
        };
        let (start, end) = sarif::anchor(d, r);
        let at = Place { file, start, end };
        let help = super::prose::result_help(r).or_else(|| rule.help.clone());
        let message = with_help(&sarif::result_text(d, r), help.as_deref());
        line(out, sarif::level_of(policy, r), &at, &rule.id, &message);
    }
}

/// A rule that does not pass: it fails, or is incomplete (an exemption is a pass).
fn annotated(r: &RuleResult) -> bool {
    use crate::eval::outcome::Outcome;
    matches!(r.outcome, Outcome::Fail | Outcome::Incomplete)
}

/// The commands of a run that checked no deal: one per problem (placed in its file when it
/// is in one), then `summary` as an error.
pub fn not_run(summary: &str, problems: &[RunProblem]) -> String {
    let mut out = String::new();
    for p in problems {
        let level = if p.error { "error" } else { "warning" };
        let message = with_help(&p.message, p.help.as_deref());
        match (&p.file, p.start) {
            (Some(file), start) => {
                let start = start.unwrap_or((1, 1));
                let at = Place {
                    file,
                    start,
                    end: p.end,
                };
                line(&mut out, level, &at, &p.code, &message);
            }
            (None, _) => {
                let _ = writeln!(
                    out,
                    "::{level} title={}::{}",
                    escape_property(&visible(&p.code)),
                    escape_data(&visible_lines(&message))
                );
            }
        }
    }
    let _ = writeln!(
        out,
        "::error title=covenant::{}",
        escape_data(&visible_lines(summary))
    );
    out
}

/// The last line: the verdicts of the run, an error when the run fails (exit code 1 or 2).
pub fn summary(s: &Summary) -> String {
    let level = if s.exit_code() == 0 {
        "notice"
    } else {
        "error"
    };
    format!(
        "::{level} title=covenant::{} deals: {} compliant, {} non-compliant, {} incomplete, {} invalid\n",
        s.deals, s.compliant, s.non_compliant, s.incomplete, s.invalid
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_are_escaped_as_the_toolkit_does() {
        assert_eq!(escape_data("50% a\r\nb: c, d"), "50%25 a%0D%0Ab: c, d");
        assert_eq!(
            escape_property("deals/a:b,c%.yaml\n"),
            "deals/a%3Ab%2Cc%25.yaml%0A"
        );
    }
}
