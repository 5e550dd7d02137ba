//! `--verbose`: what the human report adds for a policy's author. Every rule's line (its
//! outcome and message, with the policy's clauses), then, for each failing or incomplete rule, a
//! miette diagnostic showing the rule's source with the deal's values as related. A deal value
//! labelled the same way for several rules is drawn once; the values of a deal from a `.jsonl`
//! batch are listed by place (`batch.jsonl:4:171`), never drawn under the whole line.

use std::fmt::Write as _;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceSpan};

use crate::deal::tree::Deal;
use crate::eval::outcome::{Outcome, RuleResult};
use crate::resolve::ir::Rule;
use crate::resolve::Policy;
use crate::syntax::ast::Severity;

use super::prose;
use super::visible::visible;
use super::{DealReport, MAX_EVIDENCE_SHOWN};

/// A failing or incomplete rule as a diagnostic on the policy, with the deal as related.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct RuleDiagnostic {
    code: &'static str,
    message: String,
    severity: miette::Severity,
    src: crate::source::Named,
    labels: Vec<(SourceSpan, String)>,
    help: Option<String>,
    related: Vec<DealDiagnostic>,
}

/// The deal side of a rule diagnostic: the values that decided it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct DealDiagnostic {
    message: String,
    src: crate::source::Named,
    labels: Vec<(SourceSpan, String)>,
}

fn labeled(labels: &[(SourceSpan, String)]) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
    if labels.is_empty() {
        return None;
    }
    Some(Box::new(labels.iter().enumerate().map(|(i, (s, t))| {
        if i == 0 {
            LabeledSpan::new_primary_with_span(Some(t.clone()), *s)
        } else {
            LabeledSpan::new_with_span(Some(t.clone()), *s)
        }
    })))
}

impl Diagnostic for RuleDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(self.severity)
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        labeled(&self.labels)
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
    }
}

impl Diagnostic for DealDiagnostic {
    fn severity(&self) -> Option<miette::Severity> {
        Some(miette::Severity::Advice)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        labeled(&self.labels)
    }
}

fn severity(s: Severity) -> miette::Severity {
    match s {
        Severity::Error => miette::Severity::Error,
        Severity::Warning => miette::Severity::Warning,
        Severity::Info => miette::Severity::Advice,
    }
}

/// The diagnostic of one failing or incomplete rule on one deal.
pub fn rule_diagnostic(
    policy: &Policy,
    rule: &Rule,
    r: &RuleResult,
    deal: &Deal,
    batch_file: Option<&str>,
) -> Option<RuleDiagnostic> {
    let code = match r.outcome {
        Outcome::Fail => "covenant::rule::failed",
        Outcome::Incomplete => "covenant::rule::incomplete",
        _ => return None,
    };
    let source = policy.sources.get(rule.loc.file)?;
    let verb = if r.outcome == Outcome::Fail {
        "failed"
    } else {
        "is incomplete"
    };
    let unknown_when: Vec<(SourceSpan, String)> = r
        .unknown_when
        .iter()
        .filter_map(|&i| rule.when.get(i))
        .map(|c| {
            let label = format!(
                "unknown for this deal, so rule `{}` may or may not apply",
                rule.id
            );
            (c.loc.span.into(), label)
        })
        .collect();
    let mut labels = vec![(rule.id_span.into(), format!("rule `{}` {verb}", rule.id))];
    for clause in rule.require.iter().filter(|c| c.loc.span != rule.id_span) {
        labels.push((clause.loc.span.into(), "required here".to_string()));
    }
    if !unknown_when.is_empty() {
        // The rule is incomplete because of these clauses, not of its requirements.
        labels = unknown_when;
    }
    // The first pieces of evidence: a rule failing on 10,000 elements draws a few of them.
    // An entry that counts the elements the evaluator left out is always shown.
    let mut drawn = 0;
    let shown: Vec<&crate::eval::outcome::Evidence> = r
        .evidence
        .iter()
        .filter(|e| {
            drawn += usize::from(e.more.is_none());
            e.more.is_some() || drawn <= MAX_EVIDENCE_SHOWN
        })
        .collect();
    let mut deal_labels: Vec<(SourceSpan, String)> = shown
        .iter()
        .filter_map(|e| e.location.as_ref().map(|l| (l.span.into(), prose::note(e))))
        .collect();
    super::holdings::add_labels(&shown, &mut deal_labels);
    let mut unlocated: Vec<Vec<String>> = shown
        .iter()
        .filter(|e| e.location.is_none())
        .map(|e| prose::note_lines(e))
        .collect();
    if let Some(file) = batch_file {
        // A batch line is drawn whole by miette: its values are listed by place instead.
        deal_labels.clear();
        unlocated.extend(placed(&shown, file));
    }
    let mut deal_message = format!("in deal {}", visible(&deal.path));
    for lines in &unlocated {
        for (i, n) in lines.iter().enumerate() {
            let bullet = if i == 0 { "·" } else { "   " };
            let _ = write!(deal_message, "\n  {bullet} {}", visible(n));
        }
    }
    let more = r.evidence.len() - shown.len();
    if more > 0 {
        let _ = write!(deal_message, "\n  · … and {more} more not shown");
    }
    let deal_src = NamedSource::new(deal.path.clone(), deal.source.indexed());
    let help = match (prose::result_help(r), &rule.help) {
        (Some(h), Some(rh)) if &h != rh => Some(format!("{h}\n{rh}")),
        (Some(h), _) => Some(h),
        (None, rh) => rh.clone(),
    };
    // A result that does not count (SPEC §12) is advice: it never fails the deal.
    let uncounted = super::status::uncounted_finding(r);
    let tag = super::status::bracketed(rule, r, false);
    let help = super::status::with_uncounted_help(rule, r, help);
    Some(RuleDiagnostic {
        code,
        message: format!("{}{tag}: {}", rule.id, prose::result_message(r)),
        severity: if uncounted {
            miette::Severity::Advice
        } else if r.outcome == Outcome::Fail {
            severity(rule.severity)
        } else {
            miette::Severity::Warning
        },
        src: source.named(),
        labels,
        help,
        related: vec![DealDiagnostic {
            message: deal_message,
            src: deal_src,
            labels: deal_labels,
        }],
    })
}

fn mark(r: &RuleResult) -> &'static str {
    match (r.outcome, r.is_exempt()) {
        (Outcome::Pass, true) => "exempt",
        (o, _) => o.as_str(),
    }
}

/// The located evidence of a batch line, each as a line with its place: `batch.jsonl:4:171
/// `kind` is missing for party "Acme Motors"`.
fn placed(shown: &[&crate::eval::outcome::Evidence], file: &str) -> Vec<Vec<String>> {
    let mut lines = Vec::new();
    for e in shown {
        if let Some(l) = &e.location {
            lines.push(vec![format!(
                "{file}:{}:{}  {}",
                l.line,
                l.column,
                prose::note(e)
            )]);
        }
        for (l, label) in super::holdings::places(&e.note) {
            lines.push(vec![format!("{file}:{}:{}  {label}", l.line, l.column)]);
        }
    }
    lines
}

/// A deal side's message and labels.
type DealSide = (String, Vec<(SourceSpan, String)>);

impl RuleDiagnostic {
    /// What the deal side says: its message and labels.
    fn deal_side(&self) -> Vec<DealSide> {
        self.related
            .iter()
            .map(|d| (d.message.clone(), d.labels.clone()))
            .collect()
    }

    /// The deal side replaced by a line that points to the rule above that showed it.
    fn same_as(mut self, rule: &str, deal: &str) -> RuleDiagnostic {
        for d in &mut self.related {
            d.message = format!(
                "in deal {}: the same values as for rule `{rule}` above",
                visible(deal)
            );
            d.labels.clear();
        }
        self
    }
}

/// One line per rule: its outcome, id, tags and message, and the citations of a finding.
pub fn rule_lines(policy: &Policy, d: &DealReport, out: &mut String) {
    for r in &d.results {
        let Some(rule) = policy.rules.get(r.rule) else {
            continue;
        };
        let sev = super::status::bracketed(rule, r, true);
        let message = prose::result_message(r);
        let message = visible(&message);
        let _ = writeln!(out, "  {:<15} {}{sev}: {message}", mark(r), rule.id);
        if super::cite::shown_with(r) {
            for c in &rule.cites {
                let _ = writeln!(out, "  {:<15} cite: {}", "", visible(&super::cite::line(c)));
            }
        }
    }
}

/// The diagnostic of each failing or incomplete rule, in policy order; a deal side like one
/// before it points to that one instead of being drawn again.
pub fn diagnostics(policy: &Policy, d: &DealReport) -> Vec<RuleDiagnostic> {
    let Some(deal) = &d.deal else {
        return Vec::new();
    };
    let batch_file = d.is_batch_line().then(|| d.file());
    let mut drawn: Vec<(Vec<DealSide>, &str)> = Vec::new();
    let mut out = Vec::new();
    for r in &d.results {
        let Some(rule) = policy.rules.get(r.rule) else {
            continue;
        };
        let Some(diag) = rule_diagnostic(policy, rule, r, deal, batch_file) else {
            continue;
        };
        let side = diag.deal_side();
        out.push(match drawn.iter().find(|(s, _)| *s == side) {
            Some((_, first)) => diag.same_as(first, &d.path),
            None => {
                drawn.push((side, &rule.id));
                diag
            }
        });
    }
    out
}

/// A deal to which no rule applies, as `--verbose` shows it: advice, or an error when
/// `--require-applicable` fails the run on it.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct NoneApplies {
    message: String,
    required: bool,
    /// The policy has no rules.
    empty: bool,
}

impl NoneApplies {
    /// The diagnostic of `d`, if no rule applies to it.
    pub fn of(d: &DealReport, required: bool) -> Option<NoneApplies> {
        d.no_rule_applies().then(|| NoneApplies {
            message: super::findings::counts(d),
            required,
            empty: d.results.is_empty(),
        })
    }
}

impl Diagnostic for NoneApplies {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("covenant::rule::none-applies"))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(if self.required {
            miette::Severity::Error
        } else {
            miette::Severity::Advice
        })
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(match (self.required, self.empty) {
            (true, _) => "--require-applicable fails the run on a deal to which no rule applies",
            (false, true) => {
                "the verdict is compliant with nothing checked; --require-applicable fails the \
                 run on such a deal"
            }
            (false, false) => {
                "the verdict is compliant with nothing checked: each rule's line above says why \
                 it does not apply; --require-applicable fails the run on such a deal"
            }
        }))
    }
}
