//! One lint finding: a stable code, a severity, a place and a help line; a miette diagnostic
//! for the human format.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, GraphicalReportHandler, LabeledSpan, SourceCode, SourceSpan};

use crate::report::human;
use crate::source::{line_col, SourceFile, Span};

/// How serious a finding is. Only errors make `covenant lint` exit 1.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

impl Severity {
    fn of(s: Option<miette::Severity>) -> Severity {
        match s {
            Some(miette::Severity::Warning) => Severity::Warning,
            Some(miette::Severity::Advice) => Severity::Info,
            _ => Severity::Error,
        }
    }
}

/// What renders a finding in the human format.
#[derive(Debug)]
pub(crate) enum Render {
    /// A lint finding: its source and labels, the primary first.
    Own {
        src: crate::source::Named,
        labels: Vec<(Span, String)>,
    },
    /// A parse or compile diagnostic, shown as the compiler shows it (for a file that does not
    /// parse, one of the related errors of the file's report).
    Original(Arc<miette::Report>, Option<usize>),
}

/// The texts of the named sources diagnostics point into, each read once, whole.
#[derive(Default)]
struct Texts(HashMap<String, SourceFile>);

impl Texts {
    fn of(&mut self, src: &dyn SourceCode) -> Option<&SourceFile> {
        let start = SourceSpan::new(0.into(), 0);
        let name = src.read_span(&start, 0, 0).ok()?.name()?.to_string();
        if !self.0.contains_key(&name) {
            // No context line ends the read: it goes to the end of the text.
            let whole = src.read_span(&start, 0, usize::MAX).ok()?;
            let text = String::from_utf8_lossy(whole.data()).into_owned();
            self.0
                .insert(name.clone(), SourceFile::new(name.as_str(), text));
        }
        self.0.get(&name)
    }
}

/// The text a finding is placed in: its whole file, or the file up to the end of its span.
enum Located {
    In(SourceFile),
    Prefix(String),
}

impl Located {
    fn text(&self) -> &str {
        match self {
            Located::In(file) => &file.text,
            Located::Prefix(text) => text,
        }
    }

    /// The line and column of the start and of the end of `span`.
    fn line_cols(&self, span: Span) -> ((usize, usize), (usize, usize)) {
        match self {
            Located::In(file) => (file.line_col(span.start), file.line_col(span.end)),
            Located::Prefix(text) => (line_col(text, span.start), line_col(text, span.end)),
        }
    }
}

/// One finding of `covenant lint`.
#[derive(Debug)]
pub struct Finding {
    /// `covenant::lint::<name>`, or the code of a parse or compile diagnostic.
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// The policy file, as named on the command line (or reached by `use`).
    pub file: Option<String>,
    /// Byte range of the primary span.
    pub span: Option<Span>,
    /// 1-based line and column (in characters) of the primary span's start.
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// 1-based line and column just after the primary span's end.
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub help: Option<String>,
    /// The text under the primary span.
    pub underlined: Option<String>,
    pub(crate) render: Render,
}

impl Finding {
    /// A lint finding at `span` of `src`, with the primary label `label`.
    pub(crate) fn new(
        code: &str,
        severity: Severity,
        message: impl Into<String>,
        src: &SourceFile,
        span: Span,
        label: impl Into<String>,
    ) -> Finding {
        let (line, column) = src.line_col(span.start);
        let (end_line, end_column) = src.line_col(span.end);
        Finding {
            code: code.into(),
            severity,
            message: message.into(),
            file: Some(src.name.to_string()),
            span: Some(span),
            line: Some(line),
            column: Some(column),
            end_line: Some(end_line),
            end_column: Some(end_column),
            help: None,
            underlined: Some(src.slice(span).to_string()),
            render: Render::Own {
                src: src.named(),
                labels: vec![(span, label.into())],
            },
        }
    }

    /// A secondary label in the same file.
    pub(crate) fn label(mut self, span: Span, text: impl Into<String>) -> Finding {
        if let Render::Own { labels, .. } = &mut self.render {
            labels.push((span, text.into()));
        }
        self
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> Finding {
        self.help = Some(help.into());
        self
    }

    /// Findings from parse or compile diagnostics, keeping their codes; each file they point
    /// into is read once to place them.
    pub fn from_reports(reports: Vec<miette::Report>) -> Vec<Finding> {
        let mut texts = Texts::default();
        let mut findings = Vec::new();
        for report in reports {
            findings.extend(Finding::from_report(report, &mut texts));
        }
        findings
    }

    /// Findings from a parse or compile diagnostic, keeping its code. A report without a code
    /// that groups related diagnostics (a file's parse errors) gives one finding per error.
    fn from_report(report: miette::Report, texts: &mut Texts) -> Vec<Finding> {
        let report = Arc::new(report);
        let d: &dyn Diagnostic = report.as_ref().as_ref();
        let related: Vec<&dyn Diagnostic> = d.related().map(Iterator::collect).unwrap_or_default();
        if d.code().is_none() && !related.is_empty() {
            return related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    let render = Render::Original(report.clone(), Some(i));
                    Finding::of_diagnostic(*r, render, texts)
                })
                .collect();
        }
        vec![Finding::of_diagnostic(
            d,
            Render::Original(report.clone(), None),
            texts,
        )]
    }

    fn of_diagnostic(d: &dyn Diagnostic, render: Render, texts: &mut Texts) -> Finding {
        let label = d
            .labels()
            .and_then(|mut l| l.find(LabeledSpan::primary).or_else(|| d.labels()?.next()));
        let place = label.and_then(|l| {
            let src = d.source_code()?;
            let span = Span::new(l.offset(), l.offset() + l.len());
            if let Some(file) = texts.of(src) {
                // A span just past the end reads as the whole text, as miette reads it.
                return (span.end.saturating_sub(1) <= file.text.len()).then(|| {
                    let file = file.clone();
                    (Some(file.name.to_string()), span, Located::In(file))
                });
            }
            let prefix = src
                .read_span(&SourceSpan::new(0.into(), span.end), 0, 0)
                .ok()?;
            let text = String::from_utf8_lossy(prefix.data()).into_owned();
            Some((
                prefix.name().map(str::to_string),
                span,
                Located::Prefix(text),
            ))
        });
        let mut f = Finding {
            code: d
                .code()
                .map(|c| c.to_string())
                .unwrap_or_else(|| "covenant::policy::error".into()),
            severity: Severity::of(d.severity()),
            message: d.to_string(),
            file: None,
            span: None,
            line: None,
            column: None,
            end_line: None,
            end_column: None,
            help: d.help().map(|h| h.to_string()),
            underlined: None,
            render,
        };
        if let Some((name, span, located)) = place {
            let ((line, column), (end_line, end_column)) = located.line_cols(span);
            f.file = name;
            f.span = Some(span);
            f.line = Some(line);
            f.column = Some(column);
            f.end_line = Some(end_line);
            f.end_column = Some(end_column);
            f.underlined = located.text().get(span.start..span.end).map(str::to_string);
        }
        f
    }

    /// The finding as a miette report (colour and width from `handler`).
    pub fn render(&self, handler: &GraphicalReportHandler) -> String {
        match &self.render {
            Render::Own { .. } => human::render(handler, self),
            Render::Original(report, None) => human::render(handler, report.as_ref().as_ref()),
            Render::Original(report, Some(i)) => {
                let d: &dyn Diagnostic = report.as_ref().as_ref();
                match d.related().and_then(|mut r| r.nth(*i)) {
                    Some(r) => human::render(handler, r),
                    None => format!("{}\n", self.message),
                }
            }
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Finding {}

impl Diagnostic for Finding {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        match &self.render {
            Render::Own { src, .. } => Some(src),
            Render::Original(..) => None,
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let Render::Own { labels, .. } = &self.render else {
            return None;
        };
        Some(Box::new(labels.iter().enumerate().map(
            |(i, (span, text))| {
                let span = SourceSpan::from(*span);
                if i == 0 {
                    LabeledSpan::new_primary_with_span(Some(text.clone()), span)
                } else {
                    LabeledSpan::new_with_span(Some(text.clone()), span)
                }
            },
        )))
    }
}
