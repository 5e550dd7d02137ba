//! Deal diagnostics: one error type with a stable code per kind.
//!
//! Every diagnostic has a code `covenant::deal::<kind>`, a one-line lower-case message with user
//! input in backticks, a primary label on the exact span of the offending text, an optional
//! secondary label (the first of two duplicate keys) and a help line where a fix is known.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, Severity, SourceCode};

use crate::source::{SourceFile, Span};

/// The kind of a deal diagnostic; each has a stable code `covenant::deal::<kind>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DealErrorKind {
    /// Malformed YAML, JSON or TOML.
    Syntax,
    /// The same key twice in one mapping.
    DuplicateKey,
    /// A YAML stream with more than one document.
    MultipleDocuments,
    /// The top level of the deal, or an element of a list of records, is not a mapping.
    NotAMapping,
    /// A value of the wrong kind (a string where a number is wanted, a list for a record, ...).
    TypeMismatch,
    /// A bare number where a percent or an amount of money is wanted.
    BareNumber,
    BadPercent,
    BadMoney,
    /// Not a `YYYY-MM-DD` calendar date, or a value with a time of day.
    BadDate,
    /// A required field is absent or null.
    MissingRequired,
    /// A key the schema does not know (a warning unless loading is strict).
    UnknownKey,
    /// Nesting deeper than the depth limit.
    TooDeep,
    /// Too many nodes (alias expansion included), a string too long, or a number that does not
    /// fit the exact number type.
    TooLarge,
    /// Every party has a stake and they do not add up to 100% (a warning).
    StakesNot100,
    /// A country field that does not hold an ISO 3166-1 alpha-2 code (SPEC §13).
    BadCountry,
    /// A fraction in a field that counts things (SPEC §8).
    NotAnInteger,
    /// A value outside a custom schema's `enum`.
    NotInEnum,
    /// A deal string that differs from a policy literal it meets only in case or surrounding
    /// white space (a warning; the comparison is unknown, SPEC §2.6).
    NearMiss,
}

impl DealErrorKind {
    /// Every kind, in documentation order.
    pub const ALL: [DealErrorKind; 18] = [
        DealErrorKind::Syntax,
        DealErrorKind::DuplicateKey,
        DealErrorKind::MultipleDocuments,
        DealErrorKind::NotAMapping,
        DealErrorKind::TypeMismatch,
        DealErrorKind::BareNumber,
        DealErrorKind::BadPercent,
        DealErrorKind::BadMoney,
        DealErrorKind::BadDate,
        DealErrorKind::MissingRequired,
        DealErrorKind::UnknownKey,
        DealErrorKind::TooDeep,
        DealErrorKind::TooLarge,
        DealErrorKind::StakesNot100,
        DealErrorKind::BadCountry,
        DealErrorKind::NotAnInteger,
        DealErrorKind::NotInEnum,
        DealErrorKind::NearMiss,
    ];

    /// The stable diagnostic code, such as `covenant::deal::bare-number`.
    pub fn code(self) -> &'static str {
        match self {
            DealErrorKind::Syntax => "covenant::deal::syntax",
            DealErrorKind::DuplicateKey => "covenant::deal::duplicate-key",
            DealErrorKind::MultipleDocuments => "covenant::deal::multiple-documents",
            DealErrorKind::NotAMapping => "covenant::deal::not-a-mapping",
            DealErrorKind::TypeMismatch => "covenant::deal::type-mismatch",
            DealErrorKind::BareNumber => "covenant::deal::bare-number",
            DealErrorKind::BadPercent => "covenant::deal::bad-percent",
            DealErrorKind::BadMoney => "covenant::deal::bad-money",
            DealErrorKind::BadDate => "covenant::deal::bad-date",
            DealErrorKind::MissingRequired => "covenant::deal::missing-required",
            DealErrorKind::UnknownKey => "covenant::deal::unknown-key",
            DealErrorKind::TooDeep => "covenant::deal::too-deep",
            DealErrorKind::TooLarge => "covenant::deal::too-large",
            DealErrorKind::StakesNot100 => "covenant::deal::stakes-not-100",
            DealErrorKind::BadCountry => "covenant::deal::bad-country",
            DealErrorKind::NotAnInteger => "covenant::deal::not-an-integer",
            DealErrorKind::NotInEnum => "covenant::deal::not-in-enum",
            DealErrorKind::NearMiss => "covenant::deal::near-miss",
        }
    }
}

impl fmt::Display for DealErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One deal diagnostic. Small (the details are boxed), so results that carry it stay cheap.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}", .detail.message)]
pub struct DealError {
    pub kind: DealErrorKind,
    /// The primary span: the offending text.
    pub span: Span,
    detail: Box<Detail>,
}

#[derive(Debug, Clone)]
struct Detail {
    message: String,
    label: String,
    secondary: Option<(Span, String)>,
    help: Option<String>,
    severity: Severity,
    src: crate::source::Named,
}

impl DealError {
    pub(crate) fn new(
        kind: DealErrorKind,
        source: &SourceFile,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> DealError {
        DealError {
            kind,
            span,
            detail: Box::new(Detail {
                message: one_line(message.into()),
                label: label.into(),
                secondary: None,
                help: None,
                severity: Severity::Error,
                src: source.named(),
            }),
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> DealError {
        self.detail.help = Some(help.into());
        self
    }

    pub(crate) fn with_secondary(mut self, span: Span, label: impl Into<String>) -> DealError {
        self.detail.secondary = Some((span, label.into()));
        self
    }

    pub(crate) fn label_text(mut self, label: impl Into<String>) -> DealError {
        self.detail.label = label.into();
        self
    }

    pub(crate) fn warning(mut self) -> DealError {
        self.detail.severity = Severity::Warning;
        self
    }

    /// The primary span (the offending text), for reports.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The stable code, such as `covenant::deal::bare-number`.
    pub fn code(&self) -> &'static str {
        self.kind.code()
    }

    /// The one-line message.
    pub fn message(&self) -> &str {
        &self.detail.message
    }

    /// The primary label's text.
    pub fn label(&self) -> &str {
        &self.detail.label
    }

    /// A related place, such as the first of two duplicate keys, with its label.
    pub fn secondary(&self) -> Option<(Span, &str)> {
        self.detail
            .secondary
            .as_ref()
            .map(|(span, label)| (*span, label.as_str()))
    }

    pub fn help_text(&self) -> Option<&str> {
        self.detail.help.as_deref()
    }

    /// `Severity::Warning` for a non-strict unknown key, a stake total or a near miss, else
    /// `Severity::Error`.
    pub fn severity(&self) -> Severity {
        self.detail.severity
    }

    pub fn is_warning(&self) -> bool {
        self.detail.severity == Severity::Warning
    }
}

impl Diagnostic for DealError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.kind.code()))
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.detail.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.detail
            .help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display + 'a>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.detail.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let primary =
            LabeledSpan::new_primary_with_span(Some(self.detail.label.clone()), self.span);
        let secondary = self
            .detail
            .secondary
            .iter()
            .map(|(span, label)| LabeledSpan::new_with_span(Some(label.clone()), *span));
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

/// A message stays one line: control characters in quoted user text are escaped.
fn one_line(message: String) -> String {
    if !message.contains(char::is_control) {
        return message;
    }
    message
        .chars()
        .map(|c| {
            if c.is_control() {
                c.escape_default().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Every error of a deal that could not be loaded, and the warnings found on the way.
#[derive(Debug, Clone, thiserror::Error)]
#[error("the deal could not be loaded: {}", summary(.errors))]
pub struct DealErrors {
    pub errors: Vec<DealError>,
    pub warnings: Vec<DealError>,
}

fn summary(errors: &[DealError]) -> String {
    match errors {
        [one] => one.message().to_string(),
        many => format!("{} errors", many.len()),
    }
}

impl Diagnostic for DealErrors {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new("covenant::deal::invalid"))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(
            self.errors
                .iter()
                .chain(&self.warnings)
                .map(|e| e as &dyn Diagnostic),
        ))
    }
}

/// Errors and warnings collected while loading one deal.
pub(crate) struct Diags {
    pub source: SourceFile,
    pub errors: Vec<DealError>,
    pub warnings: Vec<DealError>,
}

impl Diags {
    pub fn new(source: SourceFile) -> Diags {
        Diags {
            source,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    pub fn error(
        &self,
        kind: DealErrorKind,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> DealError {
        DealError::new(kind, &self.source, span, message, label)
    }

    pub fn push(&mut self, e: DealError) {
        if e.is_warning() {
            self.warnings.push(e);
        } else {
            self.errors.push(e);
        }
    }

    /// The text under a span.
    pub fn text(&self, span: Span) -> &str {
        self.source.slice(span)
    }
}
