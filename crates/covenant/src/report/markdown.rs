//! The Markdown report of `covenant check --format markdown`, for a pull-request comment (see
//! `docs/reports.md`): a heading, the summary, a table of deals, then a collapsible section for
//! every deal with findings (failing or incomplete rules, or deal problems).

use std::collections::HashSet;
use std::fmt::Write as _;

use crate::eval::outcome::{Outcome, RuleResult, Verdict};
use crate::resolve::Policy;
use crate::syntax::ast::Severity;

pub use super::markdown_text::{cell, code};
use super::visible::visible;
use super::{prose, DealReport, Summary};

/// Escape text for HTML (inside `<summary>`), control characters as `\u{1b}`.
fn html(s: &str) -> String {
    visible(s)
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn verdict(v: Verdict) -> String {
    match v {
        Verdict::Compliant => v.as_str().to_string(),
        _ => format!("**{}**", v.as_str()),
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// "3 failed, 1 warning, 2 incomplete": what a deal's findings add up to, or None.
fn findings(policy: &Policy, d: &DealReport) -> Option<String> {
    let kept_errors = d.problems.iter().filter(|p| p.error).count();
    let errors = kept_errors + d.errors_omitted;
    let warnings = d.problems.len() - kept_errors + d.warnings_omitted;
    let count = |o: Outcome, s: Option<Severity>| {
        d.results
            .iter()
            .filter(|r| r.outcome == o && r.counted)
            .filter(|r| s.is_none() || policy.rules.get(r.rule).map(|x| x.severity) == s)
            .count()
    };
    let uncounted = d
        .results
        .iter()
        .filter(|r| super::status::uncounted_finding(r))
        .count();
    let parts: Vec<String> = [
        (errors, "problem", "problems"),
        (
            count(Outcome::Fail, Some(Severity::Error)),
            "failed",
            "failed",
        ),
        (
            count(Outcome::Fail, Some(Severity::Warning)),
            "warning",
            "warnings",
        ),
        (count(Outcome::Fail, Some(Severity::Info)), "info", "infos"),
        (count(Outcome::Incomplete, None), "incomplete", "incomplete"),
        (
            d.results.iter().filter(|r| r.waiver().is_some()).count(),
            "waived",
            "waived",
        ),
        (uncounted, "not counted", "not counted"),
        (warnings, "deal warning", "deal warnings"),
    ]
    .into_iter()
    .filter(|p| p.0 > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// `file:line` of the rule, then of each distinct deal value that decided it.
fn places(policy: &Policy, d: &DealReport, r: &RuleResult) -> String {
    let mut places: Vec<String> = Vec::new();
    if let Some(at) = policy
        .rules
        .get(r.rule)
        .and_then(|rule| super::sarif::result_position(policy, rule, r))
    {
        places.push(format!("{}:{}", at.file, at.start.0));
    }
    let mut seen: HashSet<String> = places.iter().cloned().collect();
    let approval = r.waiver().and_then(|w| w.location.clone());
    for l in super::holdings::locations(&r.evidence)
        .iter()
        .chain(&approval)
    {
        let p = format!("{}:{}", d.file(), l.line);
        if seen.insert(p.clone()) {
            places.push(p);
        }
    }
    places
        .iter()
        .map(|p| code(p))
        .collect::<Vec<_>>()
        .join("<br>")
}

fn message(r: &RuleResult) -> String {
    let message = prose::result_message(r);
    let mut lines = vec![cell(&message)];
    let mut seen: HashSet<String> = lines.iter().cloned().collect();
    for e in &r.evidence {
        let note = prose::note(e);
        // The message may quote the note already ("cannot decide: `stake` is missing").
        if message.contains(note.as_str()) {
            continue;
        }
        let line = prose::note_lines(e)
            .iter()
            .map(|l| cell(l))
            .collect::<Vec<_>>()
            .join("<br>");
        if seen.insert(line.clone()) {
            lines.push(line);
        }
    }
    if let Some(h) = prose::result_help(r) {
        lines.push(format!("*help: {}*", cell(&h)));
    }
    lines.join("<br>")
}

/// Whether a rule result has a row in its deal's section: a failing or incomplete rule, or one
/// exempted by an approval.
fn has_row(r: &RuleResult) -> bool {
    matches!(r.outcome, Outcome::Fail | Outcome::Incomplete) || r.waiver().is_some()
}

/// The rows of a deal's section: its problems and the rules with a row (what
/// `--max-results` counts).
pub fn findings_count(policy: &Policy, d: &DealReport) -> usize {
    let rules = d.results.iter().filter(|r| has_row(r));
    d.problems.len() + rules.filter(|r| policy.rules.get(r.rule).is_some()).count()
}

/// The collapsible section of one deal with findings.
fn details(policy: &Policy, d: &DealReport, findings: &str, out: &mut String) {
    let _ = write!(
        out,
        "<details>\n<summary><code>{}</code>: <strong>{}</strong> ({})</summary>\n\n",
        html(&d.path),
        d.verdict.as_str(),
        html(findings)
    );
    if !d.problems.is_empty() {
        out.push_str("| Problem | Severity | Message | Where |\n| --- | --- | --- | --- |\n");
        for p in &d.problems {
            let mut msg = cell(&p.message);
            if let Some(h) = &p.help {
                let _ = write!(msg, "<br>*help: {}*", cell(h));
            }
            let at = match p.line {
                Some(l) => format!("{}:{l}", d.file()),
                None => d.file().to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {msg} | {} |",
                code(&p.code),
                if p.error { "error" } else { "warning" },
                code(&at)
            );
        }
        out.push('\n');
        for (n, what) in [
            (d.errors_omitted, "errors"),
            (d.warnings_omitted, "warnings"),
        ] {
            if n > 0 {
                let _ = writeln!(out, "*… and {n} more {what} not shown*\n");
            }
        }
    }
    let rows: Vec<&RuleResult> = d.results.iter().filter(|r| has_row(r)).collect();
    if !rows.is_empty() {
        out.push_str(
            "| Rule | Severity | Outcome | Message | Where |\n| --- | --- | --- | --- | --- |\n",
        );
        let mut footnotes: Vec<String> = Vec::new();
        for r in rows {
            let Some(rule) = policy.rules.get(r.rule) else {
                continue;
            };
            let mut id = code(&rule.id);
            if let Some(note) = super::cite::footnote(&rule.id, &rule.cites) {
                let _ = write!(id, "[^{}]", super::cite::footnote_label(&rule.id));
                footnotes.push(note);
            }
            let shown = if r.is_exempt() {
                "exempt"
            } else {
                r.outcome.as_str()
            };
            let outcome = match super::status::tag(rule, r) {
                Some(tag) => format!("{shown} ({tag})"),
                None => shown.to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                id,
                rule.severity.as_str(),
                outcome,
                message(r),
                places(policy, d, r)
            );
        }
        out.push('\n');
        for note in footnotes {
            let _ = writeln!(out, "{note}\n");
        }
    }
    out.push_str("</details>\n\n");
}

/// The document before its table of deals: the heading, the summary, the policies.
pub fn head(policy: &Policy, summary: &Summary) -> String {
    let mut out = String::from("## Covenant compliance report\n\n");
    let _ = write!(
        out,
        "**{}**: {} compliant, {} non-compliant, {} incomplete, {} invalid",
        plural(summary.deals, "deal", "deals"),
        summary.compliant,
        summary.non_compliant,
        summary.incomplete,
        summary.invalid
    );
    if summary.no_rule_applies > 0 {
        let _ = write!(out, "; no rule applies to {}", summary.no_rule_applies);
    }
    out.push_str("\n\n");
    let files: Vec<String> = policy
        .files
        .iter()
        .map(|f| {
            let mut about: Vec<String> = f.title.iter().map(|t| cell(t)).collect();
            about.extend(f.version.iter().map(|v| format!("version {}", cell(v))));
            if about.is_empty() {
                code(&f.path)
            } else {
                format!("{} ({})", code(&f.path), about.join(", "))
            }
        })
        .collect();
    let _ = writeln!(out, "Policies: {}\n", files.join(", "));
    out
}

/// The head of the table of deals (left out when there are none).
pub const TABLE_HEAD: &str =
    "| Deal | Proposal | Verdict | Findings |\n| --- | --- | --- | --- |\n";

/// The heading of the findings, between the table and the first section.
pub const FINDINGS_HEAD: &str = "\n### Findings\n\n";

/// The table row of one deal.
pub fn row(policy: &Policy, d: &DealReport) -> String {
    // A deal to which no rule applies says so, where another has `—` (SPEC §3.2: compliant).
    let found = findings(policy, d).or_else(|| {
        d.no_rule_applies()
            .then(|| cell(&super::findings::counts(d)))
    });
    format!(
        "| {} | {} | {} | {} |\n",
        code(&d.path),
        d.proposal.as_deref().map_or("—".to_string(), cell),
        verdict(d.verdict),
        found.as_deref().unwrap_or("—")
    )
}

/// The collapsible section of one deal, if it has findings, without the blank line that
/// separates it from the next; true when there is one.
pub fn section(policy: &Policy, d: &DealReport, out: &mut String) -> bool {
    let Some(found) = findings(policy, d) else {
        return false;
    };
    details(policy, d, &found, out);
    // `details` ends with a blank line: the sections are joined by it, the last one is not.
    if out.ends_with("\n\n") {
        out.pop();
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_code_spans_and_escape_the_rest() {
        assert_eq!(
            cell("`a | b` is 50%, not < 50% *x* a|b\nnext"),
            "`a \\| b` is 50%, not &lt; 50% \\*x\\* a\\|b<br>next"
        );
        assert_eq!(cell("odd ` tick"), "odd \\` tick");
        assert_eq!(cell("``a`b``"), "``a`b``");
        assert_eq!(cell("</details>"), "&lt;/details&gt;");
    }

    /// A failing rule with `n` pieces of evidence, each on its own line of the deal.
    fn failing(n: usize) -> (Policy, DealReport) {
        use crate::eval::outcome::{
            Bound, DealLocation, Element, Evidence, Message, Note, Op, Shown,
        };
        use crate::number::Exact;
        use crate::syntax::ast::CmpOp;
        use crate::value::Scalar;
        let compiled =
            crate::resolve::compile_str("p.policy", "rule small: party board seats < 5\n");
        let Ok(crate::resolve::Compiled { policy, .. }) = compiled else {
            std::process::abort()
        };
        let evidence = (0..n)
            .map(|i| Evidence {
                element: Some(Element {
                    kind: "party".into(),
                    name: Some(format!("P{i}").as_str().into()),
                    index: i,
                }),
                path: None,
                value: Some(Shown::Scalar(Scalar::Number(Exact::from_int(10)))),
                bound: Some(Bound::Value(Shown::Scalar(Scalar::Number(
                    Exact::from_int(5),
                )))),
                op: Some(Op::Cmp(CmpOp::Lt)),
                margin: None,
                note: Note::Test {
                    subject: "party board seats".into(),
                    held: false,
                },
                location: Some(DealLocation {
                    span: crate::source::Span::new(i, i + 1),
                    line: i + 1,
                    column: 1,
                    end_line: i + 1,
                    end_column: 2,
                }),
                more: None,
            })
            .collect();
        let result = RuleResult {
            rule: 0,
            outcome: Outcome::Fail,
            exempt: None,
            message: Message::DoesNotHold(vec!["party board seats < 5".into()]),
            evidence,
            help: None,
            unknown_when: Box::default(),
            counted: true,
        };
        let report = DealReport {
            path: "d.yaml".into(),
            proposal: None,
            verdict: Verdict::NonCompliant,
            results: vec![result],
            problems: Vec::new(),
            errors_omitted: 0,
            warnings_omitted: 0,
            deal: None,
        };
        (policy, report)
    }

    #[test]
    fn a_rule_failing_on_many_elements_is_written_in_linear_time() {
        let time = |n: usize| {
            let (policy, report) = failing(n);
            let started = std::time::Instant::now();
            let text = super::super::markdown_cut::report(&policy, &[report], &Summary::default());
            assert_eq!(text.matches("for party \"P").count(), n);
            assert_eq!(text.matches("`d.yaml:").count(), n);
            started.elapsed()
        };
        let small = time(2_000);
        let large = time(40_000);
        // Twenty times the evidence: quadratic was 400 times the time (22 s here in a debug
        // build), linear is about 20 times. The margin absorbs a busy machine.
        assert!(
            large < small * 120 + std::time::Duration::from_millis(500),
            "2,000: {small:?}, 40,000: {large:?}"
        );
    }

    #[test]
    fn code_spans_fence_backticks() {
        assert_eq!(code("deals/a.yaml"), "`deals/a.yaml`");
        assert_eq!(code("a`b"), "``a`b``");
        assert_eq!(code("`x"), "`` `x ``");
        assert_eq!(code("a|b"), "`a\\|b`");
    }
}
