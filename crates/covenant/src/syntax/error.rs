//! Parse diagnostics: one error per item that fails, collected into [`ParseErrors`].
//!
//! Stable codes (see `docs/` and the fixtures in `tests/fixtures/diagnostics/syntax/`):
//! - `covenant::parse::syntax`: the text does not follow the grammar
//! - `covenant::parse::unterminated-string`: a `"` without its closing `"` on the same line
//! - `covenant::parse::unclosed-delimiter`: a `(`, `[` or `{` that is never closed
//! - `covenant::parse::mismatched-delimiter`: a `)`, `]` or `}` that closes the wrong bracket
//! - `covenant::parse::bad-literal`: a date, number, percent, money amount or string escape
//!   that is shaped like a literal but is not a valid one (`2026-02-30`, `USD 3.5X`)
//! - `covenant::parse::duplicate-clause`: a clause that may appear once appears twice
//! - `covenant::parse::misplaced-header`: a `policy` header that is not the first item
//! - `covenant::parse::bad-character`: a line separator other than LF, CR LF or CR (VT, FF,
//!   NEL, U+2028, U+2029), which editors show as a line end but a policy would not read as one
//! - `covenant::parse::too-deep`: brackets or prefix operators nested more than 256 levels, or
//!   more than 8,192 levels of `of`, brackets and prefix operators in one clause (a chain of
//!   `and` / `or`, `+` / `-` or `*` / `/` is one level, whatever its length)

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::{SourceFile, Span};

/// The most brackets and prefix operators (`not`, quantifiers, aggregates, `where`) one clause
/// may nest.
pub const MAX_DEPTH: usize = 256;

/// The most levels one clause may nest when every `of` of a chain (`a of b of c`, which nests by
/// meaning) counts as a level as well: a bound on the depth of the expression tree, so that no
/// later phase (and no `Drop`) recurses without limit. A chain of `and` or `or`, and a run of
/// `+` / `-` or of `*` / `/`, is one flat node of the tree, so its operators do not count.
pub const MAX_TREE_DEPTH: usize = 8192;

/// Every error found in one file, in source order. Never empty.
#[derive(Debug, Error, Diagnostic)]
#[error("could not parse `{name}`: {}", count_errors(.errors.len()))]
pub struct ParseErrors {
    pub name: String,
    #[related]
    pub errors: Vec<ParseError>,
}

fn count_errors(n: usize) -> String {
    if n == 1 {
        "1 error".to_string()
    } else {
        format!("{n} errors")
    }
}

impl ParseErrors {
    pub fn iter(&self) -> impl Iterator<Item = &ParseError> {
        self.errors.iter()
    }

    pub fn len(&self) -> usize {
        self.errors.len()
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
}

/// One parse failure.
#[derive(Debug, Error, Diagnostic)]
pub enum ParseError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(Box<SyntaxError>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnterminatedString(Box<UnterminatedString>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    UnclosedDelimiter(Box<UnclosedDelimiter>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    MismatchedDelimiter(Box<MismatchedDelimiter>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    BadLiteral(Box<BadLiteral>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    DuplicateClause(Box<DuplicateClause>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    MisplacedHeader(Box<MisplacedHeader>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    TooDeep(Box<TooDeep>),
    #[error(transparent)]
    #[diagnostic(transparent)]
    BadCharacter(Box<BadCharacter>),
}

impl ParseError {
    /// The span of the primary label.
    pub fn span(&self) -> Span {
        match self {
            ParseError::Syntax(e) => e.at,
            ParseError::UnterminatedString(e) => e.at,
            ParseError::UnclosedDelimiter(e) => e.at,
            ParseError::MismatchedDelimiter(e) => e.at,
            ParseError::BadLiteral(e) => e.at,
            ParseError::DuplicateClause(e) => e.at,
            ParseError::MisplacedHeader(e) => e.at,
            ParseError::TooDeep(e) => e.at,
            ParseError::BadCharacter(e) => e.at,
        }
    }
}

/// The text does not follow the grammar.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code("covenant::parse::syntax"))]
pub struct SyntaxError {
    pub message: String,
    #[source_code]
    pub src: crate::source::Named,
    #[label(primary, "{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
    pub at: Span,
}

/// A string that is not closed on its line.
#[derive(Debug, Error, Diagnostic)]
#[error("unterminated string")]
#[diagnostic(
    code("covenant::parse::unterminated-string"),
    help("close the string with `\"` on the same line; write `\\\"` for a quote inside it")
)]
pub struct UnterminatedString {
    #[source_code]
    pub src: crate::source::Named,
    #[label(primary, "this string is never closed")]
    pub span: SourceSpan,
    pub at: Span,
}

/// A bracket that is never closed.
#[derive(Debug, Error, Diagnostic)]
#[error("unclosed `{open}`")]
#[diagnostic(code("covenant::parse::unclosed-delimiter"))]
pub struct UnclosedDelimiter {
    pub open: char,
    #[source_code]
    pub src: crate::source::Named,
    #[label(primary, "this `{open}` is never closed")]
    pub span: SourceSpan,
    #[help]
    pub help: Option<String>,
    pub at: Span,
}

/// A closing bracket that does not match the innermost open one.
#[derive(Debug, Error, Diagnostic)]
#[error("mismatched `{close}`")]
#[diagnostic(code("covenant::parse::mismatched-delimiter"))]
pub struct MismatchedDelimiter {
    pub close: char,
    pub expected: char,
    #[source_code]
    pub src: crate::source::Named,
    #[label(primary, "expected `{expected}` here")]
    pub span: SourceSpan,
    #[label("to close this")]
    pub open_span: SourceSpan,
    pub at: Span,
}

/// A literal shaped like a date, number, percent or money amount that is not a valid one.
#[derive(Debug, Error, Diagnostic)]
#[error("{message}")]
#[diagnostic(code("covenant::parse::bad-literal"))]
pub struct BadLiteral {
    pub message: String,
    #[source_code]
    pub src: crate::source::Named,
    #[label(primary, "{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
    pub at: Span,
}

/// A clause that may appear once per rule (or header) appears again.
#[derive(Debug, Error, Diagnostic)]
#[error("`{clause}` appears twice in {place}")]
#[diagnostic(code("covenant::parse::duplicate-clause"))]
pub struct DuplicateClause {
    pub clause: String,
    pub place: String,
    #[source_code]
    pub src: crate::source::Named,
    #[label(primary, "second `{clause}`")]
    pub span: SourceSpan,
    #[label("first `{clause}` here")]
    pub first: SourceSpan,
    #[help]
    pub help: Option<String>,
    pub at: Span,
}

/// A `policy` header after another item.
#[derive(Debug, Error, Diagnostic)]
#[error("the `policy` header must be the first item of the file")]
#[diagnostic(
    code("covenant::parse::misplaced-header"),
    help("move the header to the top of the file; a file has at most one header")
)]
pub struct MisplacedHeader {
    #[source_code]
    pub src: crate::source::Named,
    #[label(primary, "header here")]
    pub span: SourceSpan,
    #[label("after this item")]
    pub first: Option<SourceSpan>,
    pub at: Span,
}

/// Brackets or prefix operators nested too deeply.
#[derive(Debug, Error, Diagnostic)]
#[error("expression nested more than {max} levels deep{counting}")]
#[diagnostic(
    code("covenant::parse::too-deep"),
    help("split the rule into `let` definitions")
)]
pub struct TooDeep {
    /// The limit passed.
    pub max: usize,
    /// What was counted, for the message.
    pub counting: &'static str,
    #[source_code]
    pub src: crate::source::Named,
    #[label(primary, "too deep here")]
    pub span: SourceSpan,
    pub at: Span,
}

/// A character that some editors show as a line end, but that is not one in a policy.
#[derive(Debug, Error, Diagnostic)]
#[error("{name} is not allowed in a policy")]
#[diagnostic(
    code("covenant::parse::bad-character"),
    help("a policy line ends with LF, CR LF or CR; replace this character with a line end, or remove it")
)]
pub struct BadCharacter {
    /// The character's code point and name, such as `U+000C FORM FEED`.
    pub name: String,
    #[source_code]
    pub src: crate::source::Named,
    #[label(primary, "{name}")]
    pub span: SourceSpan,
    pub at: Span,
}

/// Constructors that fill in the source code and both span forms.
impl ParseError {
    pub(crate) fn syntax(
        file: &SourceFile,
        at: Span,
        message: String,
        label: String,
        help: Option<String>,
    ) -> ParseError {
        ParseError::Syntax(Box::new(SyntaxError {
            message,
            src: file.named(),
            span: at.into(),
            label,
            help,
            at,
        }))
    }

    pub(crate) fn unterminated_string(file: &SourceFile, at: Span) -> ParseError {
        ParseError::UnterminatedString(Box::new(UnterminatedString {
            src: file.named(),
            span: at.into(),
            at,
        }))
    }

    pub(crate) fn unclosed(file: &SourceFile, open: char, at: Span) -> ParseError {
        let close = closing(open);
        ParseError::UnclosedDelimiter(Box::new(UnclosedDelimiter {
            open,
            src: file.named(),
            span: at.into(),
            help: Some(format!("add `{close}` where the bracket should end")),
            at,
        }))
    }

    pub(crate) fn mismatched(
        file: &SourceFile,
        close: char,
        at: Span,
        open: (char, Span),
    ) -> ParseError {
        ParseError::MismatchedDelimiter(Box::new(MismatchedDelimiter {
            close,
            expected: closing(open.0),
            src: file.named(),
            span: at.into(),
            open_span: open.1.into(),
            at,
        }))
    }

    pub(crate) fn bad_literal(
        file: &SourceFile,
        at: Span,
        message: String,
        label: &str,
        help: Option<String>,
    ) -> ParseError {
        ParseError::BadLiteral(Box::new(BadLiteral {
            message,
            src: file.named(),
            span: at.into(),
            label: label.to_string(),
            help,
            at,
        }))
    }

    pub(crate) fn duplicate(
        file: &SourceFile,
        clause: &str,
        place: String,
        at: Span,
        first: Span,
        help: Option<String>,
    ) -> ParseError {
        ParseError::DuplicateClause(Box::new(DuplicateClause {
            clause: clause.to_string(),
            place,
            src: file.named(),
            span: at.into(),
            first: first.into(),
            help,
            at,
        }))
    }

    pub(crate) fn misplaced_header(file: &SourceFile, at: Span, first: Option<Span>) -> ParseError {
        ParseError::MisplacedHeader(Box::new(MisplacedHeader {
            src: file.named(),
            span: at.into(),
            first: first.map(Into::into),
            at,
        }))
    }

    pub(crate) fn too_deep(file: &SourceFile, at: Span) -> ParseError {
        ParseError::TooDeep(Box::new(TooDeep {
            max: MAX_DEPTH,
            counting: "",
            src: file.named(),
            span: at.into(),
            at,
        }))
    }

    pub(crate) fn bad_character(file: &SourceFile, at: Span, name: String) -> ParseError {
        ParseError::BadCharacter(Box::new(BadCharacter {
            name,
            src: file.named(),
            span: at.into(),
            at,
        }))
    }

    /// More than [`MAX_TREE_DEPTH`] levels when each operator of a chain counts as one.
    pub(crate) fn too_deep_tree(file: &SourceFile, at: Span) -> ParseError {
        ParseError::TooDeep(Box::new(TooDeep {
            max: MAX_TREE_DEPTH,
            counting: ", counting each `of` of a chain",
            src: file.named(),
            span: at.into(),
            at,
        }))
    }
}

fn closing(open: char) -> char {
    match open {
        '(' => ')',
        '[' => ']',
        _ => '}',
    }
}
