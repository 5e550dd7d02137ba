//! The human report: one line per rule, then a miette diagnostic for every failing or
//! incomplete rule, showing the rule's source and the deal's source.

use std::collections::HashMap;
use std::fmt::Write as _;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceSpan,
};

use crate::deal::tree::Deal;
use crate::eval::outcome::{Outcome, RuleResult, Verdict};
use crate::resolve::ir::Rule;
use crate::resolve::Policy;
use crate::syntax::ast::Severity;

use super::prose;
use super::visible::{visible, Visible};
use super::{DealReport, Summary, MAX_EVIDENCE_SHOWN, MAX_PROBLEMS_SHOWN};

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
    let unlocated: Vec<Vec<String>> = shown
        .iter()
        .filter(|e| e.location.is_none())
        .map(|e| prose::note_lines(e))
        .collect();
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

/// A miette handler: unicode without colour for tests and pipes, coloured for terminals.
pub fn handler(color: bool) -> GraphicalReportHandler {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme).with_width(100)
}

/// Render one diagnostic with its source. A label past [`MAX_DRAWN_COLUMN`] (a minified deal
/// on one line, a policy with a 50,000-operator chain) is printed as plain text instead:
/// miette cannot pad that far and would panic. A panic while rendering falls back to plain
/// text as well, so a report is never lost to its rendering. Every text is escaped by
/// [`Visible`]; source lines holding a control character are not drawn (plain text again).
///
/// At most [`MAX_PROBLEMS_SHOWN`] related diagnostics are rendered (the errors of a file that
/// does not parse), then a line with how many more there are.
pub fn render(handler: &GraphicalReportHandler, diagnostic: &dyn Diagnostic) -> String {
    let more = diagnostic
        .related()
        .map_or(0, |r| r.count().saturating_sub(MAX_PROBLEMS_SHOWN));
    let first = FirstRelated(diagnostic);
    let escaped = Visible::new(&first);
    let diagnostic: &dyn Diagnostic = &escaped;
    let mut out = if drawable(diagnostic, None) {
        let mut out = String::new();
        let drawn = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            handler.render_report(&mut out, diagnostic)
        }));
        match drawn {
            Ok(Ok(())) if escaped.source_was_drawable() => out,
            _ => plain(diagnostic, None, 0),
        }
    } else {
        plain(diagnostic, None, 0)
    };
    if more > 0 {
        let _ = writeln!(out, "  … and {more} more not shown");
    }
    out
}

/// Diagnostics, at most [`MAX_PROBLEMS_SHOWN`] from each source file, then for each file with
/// more a line that counts them.
pub fn render_all<'a, D: Diagnostic + 'a>(
    handler: &GraphicalReportHandler,
    diagnostics: impl IntoIterator<Item = &'a D>,
) -> String {
    let mut out = String::new();
    let mut seen: HashMap<Option<String>, usize> = HashMap::new();
    let mut files = Vec::new();
    for d in diagnostics {
        let name = source_name(d);
        let n = seen.entry(name.clone()).or_insert_with(|| {
            files.push(name);
            0
        });
        *n += 1;
        if *n <= MAX_PROBLEMS_SHOWN {
            out.push_str(&render(handler, d));
        }
    }
    for name in files {
        let more = seen
            .get(&name)
            .map_or(0, |n| n.saturating_sub(MAX_PROBLEMS_SHOWN));
        if more > 0 {
            let name = name.map(|n| format!(" in `{n}`")).unwrap_or_default();
            let _ = writeln!(out, "  … and {more} more problems{name} not shown");
        }
    }
    out
}

/// The name of the file a diagnostic's first label is in.
fn source_name(d: &dyn Diagnostic) -> Option<String> {
    let label = d.labels()?.next()?;
    let contents = d.source_code()?.read_span(label.inner(), 0, 0).ok()?;
    contents.name().map(str::to_string)
}

/// A diagnostic with only its first [`MAX_PROBLEMS_SHOWN`] related diagnostics.
struct FirstRelated<'a>(&'a dyn Diagnostic);

impl std::fmt::Debug for FirstRelated<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.0, f)
    }
}

impl std::fmt::Display for FirstRelated<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Display::fmt(self.0, f)
    }
}

impl std::error::Error for FirstRelated<'_> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

impl Diagnostic for FirstRelated<'_> {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.0.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.0.severity()
    }
    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.0.help()
    }
    fn url<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.0.url()
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.0.source_code()
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.0.labels()
    }
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        let related = self.0.related()?.take(MAX_PROBLEMS_SHOWN);
        Some(Box::new(related))
    }
    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.0.diagnostic_source()
    }
}

/// The farthest column (in bytes) at which a label is drawn under its source line.
const MAX_DRAWN_COLUMN: usize = 16_000;

/// True when every label of `d` (and of its related diagnostics) lies on a line short enough
/// to draw.
fn drawable(d: &dyn Diagnostic, parent: Option<&dyn miette::SourceCode>) -> bool {
    let src = d.source_code().or(parent);
    let own = match (src, d.labels()) {
        (Some(src), Some(mut labels)) => labels.all(|l| match src.read_span(l.inner(), 0, 0) {
            Ok(c) => {
                let longest = c.data().split(|b| *b == b'\n').map(<[u8]>::len).max();
                c.column() + longest.unwrap_or(0) <= MAX_DRAWN_COLUMN
            }
            Err(_) => true,
        }),
        _ => true,
    };
    own && d.related().is_none_or(|mut r| r.all(|x| drawable(x, src)))
}

/// A diagnostic as plain text: message and code, each label's place, help, related ones.
fn plain(d: &dyn Diagnostic, parent: Option<&dyn miette::SourceCode>, indent: usize) -> String {
    let pad = " ".repeat(indent + 2);
    let mut out = String::new();
    let code = d.code().map(|c| format!(" [{c}]")).unwrap_or_default();
    let _ = writeln!(out, "{pad}× {d}{code}");
    let src = d.source_code().or(parent);
    if let (Some(src), Some(labels)) = (src, d.labels()) {
        for l in labels {
            let place = src.read_span(l.inner(), 0, 0).ok().map(|c| {
                let name = c.name().map(|n| format!("{n}:")).unwrap_or_default();
                format!("{name}{}:{}", c.line() + 1, c.column() + 1)
            });
            let place = place.unwrap_or_else(|| format!("offset {}", l.offset()));
            let label = l.label().map(|t| format!(": {t}")).unwrap_or_default();
            let _ = writeln!(out, "{pad}  at {place}{label}");
        }
    }
    if let Some(h) = d.help() {
        let _ = writeln!(out, "{pad}  help: {h}");
    }
    if let Some(related) = d.related() {
        for r in related {
            out.push_str(&plain(r, src, indent + 2));
        }
    }
    out
}

fn mark(r: &RuleResult) -> &'static str {
    match (r.outcome, r.is_exempt()) {
        (Outcome::Pass, true) => "exempt",
        (o, _) => o.as_str(),
    }
}

/// One deal: its verdict, one line per rule, then the diagnostics.
pub fn deal(policy: &Policy, d: &DealReport, handler: &GraphicalReportHandler) -> String {
    let mut out = String::new();
    let proposal = d
        .proposal
        .as_deref()
        .map(|p| format!(" ({p})"))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "{}{}: {}",
        visible(&d.path),
        visible(&proposal),
        d.verdict.as_str()
    );
    for p in &d.problems {
        match &p.diagnostic {
            Some(diag) => out.push_str(&render(handler, diag.as_ref())),
            None => {
                let _ = writeln!(out, "  {}: {}", p.code, visible(&p.message));
            }
        }
    }
    for (n, what) in [
        (d.errors_omitted, "errors"),
        (d.warnings_omitted, "warnings"),
    ] {
        if n > 0 {
            let _ = writeln!(out, "  … and {n} more {what} not shown");
        }
    }
    if d.verdict == Verdict::Invalid {
        return out;
    }
    if let Some(line) = super::status::uncounted_summary(policy, &d.results) {
        let _ = writeln!(out, "  {line}");
    }
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
    if let Some(deal) = &d.deal {
        for r in &d.results {
            let Some(rule) = policy.rules.get(r.rule) else {
                continue;
            };
            if let Some(diag) = rule_diagnostic(policy, rule, r, deal) {
                out.push('\n');
                out.push_str(&render(handler, &diag));
            }
        }
    }
    out.push('\n');
    out
}

pub fn summary(s: &Summary) -> String {
    let plural = if s.deals == 1 { "" } else { "s" };
    format!(
        "{} deal{plural}: {} compliant, {} non-compliant, {} incomplete, {} invalid\n",
        s.deals, s.compliant, s.non_compliant, s.incomplete, s.invalid
    )
}
