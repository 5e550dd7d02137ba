//! Diagnostics of a test suite that cannot be run: one enum, [`SuiteError`], with a variant per
//! message (each carrying its data, with its message, code `covenant::test::<kind>`, labels and
//! help as attributes), a label on the offending text of the suite file and a help line where
//! a fix is known.

use miette::Diagnostic;
use thiserror::Error;

use crate::deal::{DealError, DealErrorKind};
use crate::source::{Named, SourceFile, Span};

macro_rules! suite_error_enum {
    ($($variant:ident,)*) => {
        /// One problem of a suite file.
        #[derive(Debug, Error, Diagnostic)]
        pub enum SuiteError {
            $(
                #[error(transparent)]
                #[diagnostic(transparent)]
                $variant(Box<$variant>),
            )*
        }

        $(impl From<$variant> for SuiteError {
            fn from(e: $variant) -> SuiteError {
                SuiteError::$variant(Box::new(e))
            }
        })*
    };
}

suite_error_enum! {
    Unreadable,
    YamlSyntax,
    YamlDuplicateKey,
    PolicyDoesNotCompile,
    DuplicateCase,
    DealUnreadable,
    NotAMapping,
    UnknownKey,
    NotAString,
    NotABool,
    NotAllowed,
    CasesNotAList,
    MissingKey,
    BadDate,
    EmptyExpect,
    RulesNotAMapping,
    UnknownRule,
}

impl SuiteError {
    /// The YAML reader's diagnostic, as a suite diagnostic.
    pub fn from_yaml(e: &DealError, source: &SourceFile) -> SuiteError {
        match e.kind() {
            DealErrorKind::DuplicateKey => YamlDuplicateKey {
                message: e.message(),
                span: e.span(),
                label: e.label(),
                first: e.secondary().map(|(span, _)| span),
                first_label: e.secondary().map(|(_, label)| label).unwrap_or_default(),
                help: e.help_text(),
                src: source.named(),
            }
            .into(),
            kind => YamlSyntax {
                message: e.message(),
                span: e.span(),
                label: e.label(),
                help: match kind {
                    DealErrorKind::MultipleDocuments => {
                        Some("a suite is one yaml document: remove the `---` line".into())
                    }
                    _ => e.help_text(),
                },
                src: source.named(),
            }
            .into(),
        }
    }
}

/// A suite file that cannot be read: no place in its text.
#[derive(Debug, Error, Diagnostic)]
#[error("cannot read suite `{name}`: {why}")]
#[diagnostic(code("covenant::test::unreadable"))]
pub struct Unreadable {
    pub name: String,
    pub why: String,
}

/// A suite that is not valid YAML, in the YAML reader's words.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code("covenant::test::syntax"))]
pub struct YamlSyntax {
    pub message: String,
    #[label(primary, "{label}")]
    pub span: Span,
    pub label: String,
    #[help]
    pub help: Option<String>,
    #[source_code]
    pub src: Named,
}

/// The same key twice in one mapping of a suite.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code("covenant::test::duplicate-key"))]
pub struct YamlDuplicateKey {
    pub message: String,
    #[label(primary, "{label}")]
    pub span: Span,
    pub label: String,
    /// The first definition, when it is known.
    #[label("{first_label}")]
    pub first: Option<Span>,
    pub first_label: String,
    #[help]
    pub help: Option<String>,
    #[source_code]
    pub src: Named,
}

/// The suite's policy has errors (reported before this one).
#[derive(Debug, Error, Diagnostic)]
#[error("the suite's policy does not compile")]
#[diagnostic(code("covenant::test::policy"))]
pub struct PolicyDoesNotCompile {
    #[label(primary, "this policy")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// Two cases with the same name, or with names that make the same snapshot file name.
#[derive(Debug, Error, Diagnostic)]
#[error("{}", same_name(.first_name, .name, .slug))]
#[diagnostic(
    code("covenant::test::duplicate-case"),
    help("give every case its own name: it names the case's snapshot file")
)]
pub struct DuplicateCase {
    pub first_name: String,
    pub name: String,
    /// The snapshot name both make.
    pub slug: String,
    #[label(primary, "named again here")]
    pub span: Span,
    #[label("first named here")]
    pub first: Span,
    #[source_code]
    pub src: Named,
}

fn same_name(first: &str, name: &str, slug: &str) -> String {
    if first == name {
        format!("two cases are named `{first}`")
    } else {
        format!("cases `{first}` and `{name}` have the same snapshot name `{slug}`")
    }
}

/// A case's deal that cannot be read.
#[derive(Debug, Error, Diagnostic)]
#[error("cannot read deal `{written}`: {why}")]
#[diagnostic(code("covenant::test::deal-unreadable"))]
pub struct DealUnreadable {
    /// The deal path as the suite writes it.
    pub written: String,
    pub why: String,
    #[label(primary, "this deal")]
    pub span: Span,
    #[help]
    pub help: Option<String>,
    #[source_code]
    pub src: Named,
}

/// A suite, a case or `expect` that is not a mapping.
#[derive(Debug, Error, Diagnostic)]
#[error("{what} must be a mapping, found {found}")]
#[diagnostic(code("covenant::test::type"))]
pub struct NotAMapping {
    pub what: String,
    pub found: String,
    #[label(primary, "not a mapping")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A key a suite, a case or `expect` does not have.
#[derive(Debug, Error, Diagnostic)]
#[error("unknown key `{key}` in {what}")]
#[diagnostic(code("covenant::test::unknown-key"))]
pub struct UnknownKey {
    pub key: String,
    pub what: String,
    #[label(primary, "unknown key")]
    pub span: Span,
    /// A did-you-mean, or the keys.
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// A value that must be a string.
#[derive(Debug, Error, Diagnostic)]
#[error("{what} must be a string, found {found}")]
#[diagnostic(code("covenant::test::type"))]
pub struct NotAString {
    pub what: String,
    pub found: String,
    #[label(primary, "not a string")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A value that must be `true` or `false`.
#[derive(Debug, Error, Diagnostic)]
#[error("{what} must be `true` or `false`, found {found}")]
#[diagnostic(code("covenant::test::type"))]
pub struct NotABool {
    pub what: String,
    pub found: String,
    #[label(primary, "not a boolean")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A verdict or outcome that is not one of the allowed words.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` is not {what}")]
#[diagnostic(code("covenant::test::bad-value"))]
pub struct NotAllowed {
    pub text: String,
    /// "a verdict", "an outcome".
    pub what: String,
    #[label(primary, "unknown value")]
    pub span: Span,
    /// A did-you-mean, or the allowed words.
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// `cases` that is not a non-empty list.
#[derive(Debug, Error, Diagnostic)]
#[error("`cases` must be a non-empty list of cases")]
#[diagnostic(code("covenant::test::type"))]
pub struct CasesNotAList {
    #[label(primary, "not a list of cases")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A key a suite or a case must have.
#[derive(Debug, Error, Diagnostic)]
#[error("{what} has no `{key}`")]
#[diagnostic(code("covenant::test::missing-key"), help("add `{example}`"))]
pub struct MissingKey {
    /// "a suite", "a case".
    pub what: String,
    pub key: String,
    /// The key with a value, for the help.
    pub example: String,
    #[label(primary, "`{key}` is missing here")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// An `as_of` that is not a date, in the date reader's words.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code("covenant::test::bad-value"))]
pub struct BadDate {
    pub message: String,
    #[label(primary, "not a date")]
    pub span: Span,
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// An `expect` without a verdict or rules.
#[derive(Debug, Error, Diagnostic)]
#[error("`expect` expects nothing")]
#[diagnostic(
    code("covenant::test::missing-key"),
    help("add `verdict: …` or `rules: {{ id: outcome }}`")
)]
pub struct EmptyExpect {
    #[label(primary, "empty")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// `rules` of `expect` that is not a mapping.
#[derive(Debug, Error, Diagnostic)]
#[error("`rules` must be a mapping, found {found}")]
#[diagnostic(
    code("covenant::test::type"),
    help("write `rules: {{ foreign-minority: pass }}`")
)]
pub struct RulesNotAMapping {
    pub found: String,
    #[label(primary, "not a mapping")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A rule id in `expect` that the policy does not have.
#[derive(Debug, Error, Diagnostic)]
#[error("the policy has no rule `{id}`")]
#[diagnostic(code("covenant::test::unknown-rule"))]
pub struct UnknownRule {
    pub id: String,
    #[label(primary, "unknown rule id")]
    pub span: Span,
    /// A did-you-mean, or the policy's rules.
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}
