//! Diagnostics of resolution and type checking (`covenant::resolve::…`, `covenant::type::…`).

use miette::{Diagnostic, LabeledSpan, SourceSpan};
use thiserror::Error;

/// A compile-time error or warning in a policy.
#[derive(Debug, Error, Clone)]
#[error("{message}")]
pub struct CompileError {
    pub code: &'static str,
    pub message: String,
    pub help: Option<String>,
    pub src: Option<crate::source::Named>,
    /// The primary label first.
    pub labels: Vec<(SourceSpan, String)>,
    /// Diagnostics in other files (such as the first definition of a duplicate name).
    pub related: Vec<CompileError>,
    pub warning: bool,
}

impl CompileError {
    pub fn new(code: &'static str, message: impl Into<String>) -> Self {
        CompileError {
            code,
            message: message.into(),
            help: None,
            src: None,
            labels: Vec::new(),
            related: Vec::new(),
            warning: false,
        }
    }

    pub fn at(
        mut self,
        src: crate::source::Named,
        span: impl Into<SourceSpan>,
        label: impl Into<String>,
    ) -> Self {
        self.src = Some(src);
        self.labels.insert(0, (span.into(), label.into()));
        self
    }

    pub fn label(mut self, span: impl Into<SourceSpan>, label: impl Into<String>) -> Self {
        self.labels.push((span.into(), label.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn related(mut self, other: CompileError) -> Self {
        self.related.push(other);
        self
    }

    pub fn as_warning(mut self) -> Self {
        self.warning = true;
        self
    }

    /// The primary label's span, when there is one.
    pub fn primary_span(&self) -> Option<SourceSpan> {
        self.labels.first().map(|(s, _)| *s)
    }
}

impl Diagnostic for CompileError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(if self.warning {
            miette::Severity::Warning
        } else {
            miette::Severity::Error
        })
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.src.as_ref().map(|s| s as &dyn miette::SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().enumerate().map(
            |(i, (span, text))| {
                if i == 0 {
                    LabeledSpan::new_primary_with_span(Some(text.clone()), *span)
                } else {
                    LabeledSpan::new_with_span(Some(text.clone()), *span)
                }
            },
        )))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|e| e as &dyn Diagnostic)))
    }
}
