//! Diagnostics of a test suite that cannot be run: codes `covenant::test::<kind>`, a label on
//! the offending text of the suite file, a help line where a fix is known.

use miette::{Diagnostic, LabeledSpan, SourceSpan};

use crate::deal::{DealError, DealErrorKind};
use crate::source::{SourceFile, Span};

/// One problem of a suite file.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SuiteError {
    pub code: &'static str,
    pub message: String,
    src: crate::source::Named,
    /// The offending text and its label; None for a file that cannot be read.
    primary: Option<(Span, String)>,
    secondary: Option<(Span, String)>,
    pub help: Option<String>,
}

impl SuiteError {
    pub fn new(
        code: &'static str,
        source: &SourceFile,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> SuiteError {
        SuiteError {
            code,
            message: message.into(),
            src: source.named(),
            primary: Some((span, label.into())),
            secondary: None,
            help: None,
        }
    }

    /// A problem with no place in the suite's text (an unreadable file).
    pub fn whole_file(code: &'static str, source: &SourceFile, message: String) -> SuiteError {
        SuiteError {
            code,
            message,
            src: source.named(),
            primary: None,
            secondary: None,
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> SuiteError {
        self.help = Some(help.into());
        self
    }

    pub fn with_secondary(mut self, span: Span, label: impl Into<String>) -> SuiteError {
        self.secondary = Some((span, label.into()));
        self
    }

    /// The YAML reader's diagnostic, as a suite diagnostic.
    pub fn from_yaml(e: &DealError, source: &SourceFile) -> SuiteError {
        let (code, help) = match e.kind() {
            DealErrorKind::DuplicateKey => ("covenant::test::duplicate-key", e.help_text()),
            DealErrorKind::MultipleDocuments => (
                "covenant::test::syntax",
                Some("a suite is one yaml document: remove the `---` line".to_string()),
            ),
            _ => ("covenant::test::syntax", e.help_text()),
        };
        let mut out = SuiteError::new(code, source, e.span(), e.message(), e.label());
        out.help = help;
        out.secondary = e.secondary();
        out
    }
}

impl Diagnostic for SuiteError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.primary.as_ref().map(|_| &self.src as _)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (span, label) = self.primary.as_ref()?;
        let mut labels = vec![LabeledSpan::new_primary_with_span(
            Some(label.clone()),
            SourceSpan::from(*span),
        )];
        if let Some((s, l)) = &self.secondary {
            labels.push(LabeledSpan::new_with_span(
                Some(l.clone()),
                SourceSpan::from(*s),
            ));
        }
        Some(Box::new(labels.into_iter()))
    }
}
