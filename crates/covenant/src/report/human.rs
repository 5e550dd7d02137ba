//! The human report, for a reader who does not know the policy language: each deal's verdict,
//! how many rules applied, then each rule that does not pass with its title, one sentence in
//! the deal's words, its citations and the deal values at their lines ([`super::findings`]).
//! `--verbose` adds every rule's line and the rule's source ([`super::rule_source`]). Also the
//! miette rendering every command uses for its diagnostics ([`render`]).

use std::collections::HashMap;
use std::fmt::Write as _;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan};

use crate::eval::outcome::Verdict;
use crate::resolve::Policy;

use super::style::Style;
use super::visible::{visible, Visible};
use super::{DealProblem, DealReport, Options, Summary, MAX_PROBLEMS_SHOWN};

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

/// One deal: its verdict and its findings, with the rules' source under `--verbose`.
pub fn deal(
    policy: &Policy,
    d: &DealReport,
    handler: &GraphicalReportHandler,
    style: Style,
    options: &Options,
) -> String {
    // `path (proposal): verdict`, pushed piece by piece (every deal of a batch has one).
    let mut out = String::new();
    out.push_str(&visible(&d.path));
    if let Some(p) = &d.proposal {
        out.push_str(" (");
        out.push_str(&visible(p));
        out.push(')');
    }
    out.push_str(": ");
    out.push_str(&verdict(style, d.verdict));
    out.push('\n');
    write_problems(d, handler, &mut out);
    if d.verdict == Verdict::Invalid {
        out.push('\n');
        return out;
    }
    if let Some(line) = super::status::uncounted_summary(policy, &d.results) {
        let _ = writeln!(out, "  {line}");
    }
    let mut counts = super::findings::counts(d);
    if options.require_applicable && d.no_rule_applies() {
        counts.push_str(" (--require-applicable: exit 1)");
    }
    out.push_str("  ");
    out.push_str(&counts);
    out.push('\n');
    super::findings::write(policy, d, style, &mut out);
    if options.verbose {
        if !d.results.is_empty() {
            out.push('\n');
        }
        super::rule_source::rule_lines(policy, d, &mut out);
        for diag in super::rule_source::diagnostics(policy, d) {
            out.push('\n');
            out.push_str(&render(handler, &diag));
        }
        if let Some(none) = super::rule_source::NoneApplies::of(d, options.require_applicable) {
            out.push('\n');
            out.push_str(&render(handler, &none));
        }
    }
    out.push('\n');
    out
}

/// The verdict's word, green when compliant, red when non-compliant or invalid, yellow when
/// incomplete.
fn verdict(style: Style, verdict: Verdict) -> String {
    let word = verdict.as_str();
    match verdict {
        Verdict::Compliant => style.green(word),
        Verdict::NonCompliant | Verdict::Invalid => style.red(word),
        Verdict::Incomplete => style.yellow(word),
    }
}

/// The deal's problems (its errors, or its warnings), then how many more there were. Those of
/// a `.jsonl` batch line are written by place: miette would draw the whole line.
fn write_problems(d: &DealReport, handler: &GraphicalReportHandler, out: &mut String) {
    for p in &d.problems {
        match &p.diagnostic {
            Some(diag) if !d.is_batch_line() => out.push_str(&render(handler, diag.as_ref())),
            _ => write_problem(d, p, out),
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
}

/// `  warning covenant::deal::unknown-key: unknown key `colour` (batch.jsonl:2:95)`, then
/// its help.
fn write_problem(d: &DealReport, p: &DealProblem, out: &mut String) {
    let kind = if p.error { "error" } else { "warning" };
    let place = match (p.line, p.column) {
        (Some(l), Some(c)) => format!(" ({}:{l}:{c})", d.file()),
        (Some(l), None) => format!(" ({}:{l})", d.file()),
        _ => String::new(),
    };
    let _ = writeln!(
        out,
        "  {kind} {}: {}{}",
        p.code,
        visible(&p.message),
        visible(&place)
    );
    if let Some(h) = &p.help {
        let _ = writeln!(out, "    help: {}", visible(h));
    }
}

/// The last line: the deals by verdict, and those to which no rule applied.
pub fn summary(s: &Summary, options: &Options) -> String {
    let plural = if s.deals == 1 { "" } else { "s" };
    let mut line = format!(
        "{} deal{plural}: {} compliant, {} non-compliant, {} incomplete, {} invalid",
        s.deals, s.compliant, s.non_compliant, s.incomplete, s.invalid
    );
    if s.no_rule_applies > 0 {
        let _ = write!(line, "; no rule applies to {}", s.no_rule_applies);
        if options.require_applicable {
            line.push_str(" (--require-applicable: exit 1)");
        }
    }
    line.push('\n');
    line
}
