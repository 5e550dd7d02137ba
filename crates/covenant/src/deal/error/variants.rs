//! The deal diagnostics of reading a document and its shape (syntax, keys, mappings, types),
//! one struct each: the data they carry, and their message, code, labels and help as
//! attributes. User text in a message is escaped to keep it on one line ([`esc`]); labels and
//! help show it as it is. The diagnostics of values are in [`super::values`].

use miette::Diagnostic;
use thiserror::Error;

use super::esc;
use crate::source::{Named, Span};

/// Malformed JSON, YAML or TOML, in the words of the format's reader.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("invalid {format}: {}", esc(.message))]
#[diagnostic(code("covenant::deal::syntax"), severity(Error))]
pub struct InvalidSyntax {
    /// `json`, `yaml` or `toml`.
    pub format: &'static str,
    pub message: String,
    #[label(primary, "{label}")]
    pub span: Span,
    pub label: String,
    #[help]
    pub help: Option<String>,
    #[source_code]
    pub src: Named,
}

/// A NUL byte: a deal is a text file.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("the deal contains a NUL byte")]
#[diagnostic(
    code("covenant::deal::syntax"),
    severity(Error),
    help("a deal is a text file; remove the NUL byte")
)]
pub struct NulByte {
    #[label(primary, "NUL byte")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A YAML tag outside the core schema.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("unsupported yaml tag `{}`", esc(.tag))]
#[diagnostic(
    code("covenant::deal::syntax"), severity(Error),
    help("remove the tag: deals use the yaml core schema (!!str, !!int, !!float, !!bool, !!null, !!seq, !!map)")
)]
pub struct UnsupportedTag {
    pub tag: String,
    #[label(primary, "unsupported tag")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// The same key twice in one mapping.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("duplicate key `{}`", esc(.key))]
#[diagnostic(
    code("covenant::deal::duplicate-key"),
    severity(Error),
    help("remove one of the two definitions")
)]
pub struct DuplicateKey {
    /// The key, shortened.
    pub key: String,
    #[label(primary, "defined again here")]
    pub span: Span,
    /// The first definition, when it is known.
    #[label("first defined here")]
    pub first: Option<Span>,
    #[source_code]
    pub src: Named,
}

/// A YAML stream with more than one document.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("the file holds more than one yaml document")]
#[diagnostic(
    code("covenant::deal::multiple-documents"),
    severity(Error),
    help("put each deal in its own file, or remove the `---` line")
)]
pub struct MultipleDocuments {
    #[label(primary, "a second document starts here")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A deal with no fields at all.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("the deal is empty")]
#[diagnostic(
    code("covenant::deal::not-a-mapping"),
    severity(Error),
    help("a deal is a mapping of fields, such as `proposal: \"…\"`")
)]
pub struct EmptyDeal {
    #[label(primary, "no fields here")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// The top level of a deal is not a mapping.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("a deal must be a mapping of fields, found {}", esc(.found))]
#[diagnostic(
    code("covenant::deal::not-a-mapping"),
    severity(Error),
    help("a deal is a mapping of fields, such as `proposal: \"…\"`")
)]
pub struct DealNotAMapping {
    /// What was found: "a list", "the string `x`".
    pub found: String,
    #[label(primary, "expected a mapping")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A record (a field of record type, an element of a list of records) that is not a mapping.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("{} must be a mapping, found {}", esc(.what), esc(.found))]
#[diagnostic(
    code("covenant::deal::not-a-mapping"),
    severity(Error),
    help("write each {record} as a mapping of its fields, such as `{{ {first_field}: … }}`")
)]
pub struct RecordNotAMapping {
    /// The value: "`partner`", "an element of `parties`".
    pub what: String,
    pub found: String,
    /// The record's name, such as `party`.
    pub record: String,
    /// The record's first field, for the example in the help.
    pub first_field: String,
    #[label(primary, "expected a {record}")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A value of the wrong kind.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("expected {} for {}, found {}", esc(.expected), esc(.what), esc(.found))]
#[diagnostic(code("covenant::deal::type-mismatch"), severity(Error))]
pub struct WrongType {
    /// The wanted type with its article: "a number".
    pub expected: String,
    pub what: String,
    pub found: String,
    #[label(primary, "expected {expected}")]
    pub span: Span,
    /// How to write the value, where the value shows it (`quote it: "12"`).
    #[help]
    pub help: Option<String>,
    #[source_code]
    pub src: Named,
}

/// A number field whose text is no finite number.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("`{}` is not a finite number", esc(.text))]
#[diagnostic(code("covenant::deal::type-mismatch"), severity(Error))]
pub struct NotFinite {
    pub text: String,
    #[label(primary, "not a number")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A YAML mapping key that is not a string.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("a key must be a string, found {}", esc(.found))]
#[diagnostic(code("covenant::deal::type-mismatch"), severity(Error))]
pub struct KeyNotString {
    pub found: String,
    #[label(primary, "not a valid key")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A YAML value that does not match its core-schema tag.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("`{}` does not match its tag `{}`", esc(.value), esc(.tag))]
#[diagnostic(code("covenant::deal::type-mismatch"), severity(Error))]
pub struct TagMismatch {
    pub value: String,
    pub tag: String,
    #[label(primary, "wrong value for the tag")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}
