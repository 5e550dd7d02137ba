//! Deal diagnostics: one enum, [`DealError`], with a variant per message (the structs of
//! [`variants`] and [`values`], each carrying its data, with its message, code, labels and help as attributes,
//! in the style of [`crate::syntax::error`]) and a kind per stable code
//! `covenant::deal::<kind>` ([`DealErrorKind`]).
//!
//! Every diagnostic has a one-line lower-case message with user input in backticks (control
//! characters escaped), a primary label on the exact span of the offending text, an optional
//! secondary label (the first of two duplicate keys) and a help line where a fix is known.

pub mod entities;
pub mod values;
pub mod variants;
pub mod waivers;

use std::fmt;

use miette::{Diagnostic, LabeledSpan, Severity};

use crate::source::{Named, SourceFile, Span};
pub use entities::*;
pub use values::*;
pub use variants::*;
pub use waivers::*;

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
    /// An entity's `kind` outside the six kinds (SPEC §7.1).
    BadKind,
    /// One name for two parties, entities or groups (SPEC §7.1, §7.3).
    DuplicateEntity,
    /// A name in `owners`, `members` or `casting_vote` that names no entity (SPEC §7.1).
    UnknownEntity,
    /// The owners of one entity over 100% in a measure (SPEC §7.1).
    OwnersOver100,
    /// Entities that own each other in a circle (SPEC §7.1).
    OwnershipCycle,
    /// An approval that names a rule and does not exempt it (SPEC §10), a warning, by why:
    /// it expired, it is not valid yet, its authority cannot waive the rule, the rule is not
    /// waivable, it lacks what it needs (or the evaluation date is unknown), the rule does not
    /// exist, its parties do not cover the failure. Codes `covenant::waiver::…`.
    WaiverExpired,
    WaiverNotYetValid,
    WaiverWrongAuthority,
    WaiverNotWaivable,
    WaiverIncomplete,
    WaiverUnknownRule,
    WaiverNotCovered,
}

impl DealErrorKind {
    /// Every kind, in documentation order.
    pub const ALL: [DealErrorKind; 30] = [
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
        DealErrorKind::BadKind,
        DealErrorKind::DuplicateEntity,
        DealErrorKind::UnknownEntity,
        DealErrorKind::OwnersOver100,
        DealErrorKind::OwnershipCycle,
        DealErrorKind::WaiverExpired,
        DealErrorKind::WaiverNotYetValid,
        DealErrorKind::WaiverWrongAuthority,
        DealErrorKind::WaiverNotWaivable,
        DealErrorKind::WaiverIncomplete,
        DealErrorKind::WaiverUnknownRule,
        DealErrorKind::WaiverNotCovered,
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
            DealErrorKind::BadKind => "covenant::deal::bad-kind",
            DealErrorKind::DuplicateEntity => "covenant::deal::duplicate-entity",
            DealErrorKind::UnknownEntity => "covenant::deal::unknown-entity",
            DealErrorKind::OwnersOver100 => "covenant::deal::owners-over-100",
            DealErrorKind::OwnershipCycle => "covenant::deal::ownership-cycle",
            DealErrorKind::WaiverExpired => "covenant::waiver::expired",
            DealErrorKind::WaiverNotYetValid => "covenant::waiver::not-yet-valid",
            DealErrorKind::WaiverWrongAuthority => "covenant::waiver::wrong-authority",
            DealErrorKind::WaiverNotWaivable => "covenant::waiver::not-waivable",
            DealErrorKind::WaiverIncomplete => "covenant::waiver::incomplete",
            DealErrorKind::WaiverUnknownRule => "covenant::waiver::unknown-rule",
            DealErrorKind::WaiverNotCovered => "covenant::waiver::not-covered",
        }
    }
}

impl fmt::Display for DealErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// One deal diagnostic: a variant per message, each with its data, several variants to a kind
/// (code). Small (the variant is boxed), so results that carry it stay cheap.
macro_rules! deal_error_enum {
    ($($variant:ident => $kind:ident,)*) => {
        /// One deal diagnostic.
        #[derive(Debug, Clone, thiserror::Error, Diagnostic)]
        pub enum DealError {
            $(
                #[error(transparent)]
                #[diagnostic(transparent)]
                $variant(Box<$variant>),
            )*
        }

        impl DealError {
            /// The kind, whose code the diagnostic reports.
            pub fn kind(&self) -> DealErrorKind {
                match self {
                    $(DealError::$variant(_) => DealErrorKind::$kind,)*
                }
            }

            /// The primary span: the offending text.
            pub fn span(&self) -> Span {
                match self {
                    $(DealError::$variant(e) => e.span,)*
                }
            }
        }

        $(impl From<$variant> for DealError {
            fn from(e: $variant) -> DealError {
                DealError::$variant(Box::new(e))
            }
        })*
    };
}

deal_error_enum! {
    InvalidSyntax => Syntax,
    NulByte => Syntax,
    UnsupportedTag => Syntax,
    DuplicateKey => DuplicateKey,
    MultipleDocuments => MultipleDocuments,
    EmptyDeal => NotAMapping,
    DealNotAMapping => NotAMapping,
    RecordNotAMapping => NotAMapping,
    WrongType => TypeMismatch,
    NotFinite => TypeMismatch,
    KeyNotString => TypeMismatch,
    TagMismatch => TypeMismatch,
    BareNumber => BareNumber,
    BadPercent => BadPercent,
    PercentOutOfRange => BadPercent,
    BadMoney => BadMoney,
    NegativeMoney => BadMoney,
    BadDate => BadDate,
    TimeOfDay => BadDate,
    TomlBadDate => BadDate,
    MissingField => MissingRequired,
    NullField => MissingRequired,
    UnknownKey => UnknownKey,
    NestedTooDeep => TooDeep,
    ReaderTooDeep => TooDeep,
    TooManyValues => TooLarge,
    StringTooLong => TooLarge,
    NumberTooLarge => TooLarge,
    TomlNumberTooLarge => TooLarge,
    StakesNot100 => StakesNot100,
    BadCountry => BadCountry,
    NotAnInteger => NotAnInteger,
    NotInEnum => NotInEnum,
    NearMiss => NearMiss,
    BadKind => BadKind,
    DuplicateEntity => DuplicateEntity,
    UnknownEntity => UnknownEntity,
    OwnersOver100 => OwnersOver100,
    OwnershipCycle => OwnershipCycle,
    WaiverExpired => WaiverExpired,
    WaiverNotYetValid => WaiverNotYetValid,
    WaiverWrongAuthority => WaiverWrongAuthority,
    WaiverNotWaivable => WaiverNotWaivable,
    WaiverIncomplete => WaiverIncomplete,
    WaiverUnknownRule => WaiverUnknownRule,
    WaiverNotCovered => WaiverNotCovered,
}

impl DealError {
    /// The stable code, such as `covenant::deal::bare-number`.
    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The one-line message.
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The primary label's text.
    pub fn label(&self) -> String {
        self.labels()
            .into_iter()
            .flatten()
            .find(LabeledSpan::primary)
            .and_then(|l| l.label().map(str::to_string))
            .unwrap_or_default()
    }

    /// A related place, such as the first of two duplicate keys, with its label.
    pub fn secondary(&self) -> Option<(Span, String)> {
        self.labels()
            .into_iter()
            .flatten()
            .find(|l| !l.primary())
            .map(|l| {
                let span = Span::new(l.offset(), l.offset() + l.len());
                (span, l.label().unwrap_or_default().to_string())
            })
    }

    pub fn help_text(&self) -> Option<String> {
        self.help().map(|h| h.to_string())
    }

    /// `Severity::Warning` for a non-strict unknown key, a stake total or a near miss, else
    /// `Severity::Error`.
    pub fn severity(&self) -> Severity {
        Diagnostic::severity(self).unwrap_or(Severity::Error)
    }

    pub fn is_warning(&self) -> bool {
        self.severity() == Severity::Warning
    }

    /// A help line for a parser's message or a value of the wrong type, which the site that
    /// finds it knows; the other diagnostics have theirs already, and keep it.
    pub(crate) fn with_help(mut self, help: impl Into<String>) -> DealError {
        match &mut self {
            DealError::InvalidSyntax(e) => e.help = Some(help.into()),
            DealError::WrongType(e) => e.help = Some(help.into()),
            _ => {}
        }
        self
    }
}

/// User text in a message, with control characters escaped so that the message stays one line.
pub(crate) fn esc(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains(char::is_control) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
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
    /// The deal's source, handed back: the errors' spans are offsets into its text. (Not named
    /// `source`: thiserror would take a field of that name for the error's cause.)
    pub file: SourceFile,
}

fn summary(errors: &[DealError]) -> String {
    match errors {
        [one] => one.message(),
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
pub(crate) struct Diags<'s> {
    pub source: &'s SourceFile,
    pub errors: Vec<DealError>,
    pub warnings: Vec<DealError>,
}

impl<'s> Diags<'s> {
    pub fn new(source: &'s SourceFile) -> Diags<'s> {
        Diags {
            source,
            errors: Vec::new(),
            warnings: Vec::new(),
        }
    }

    /// The deal's text, for a diagnostic's `src`.
    pub fn src(&self) -> Named {
        self.source.named()
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
