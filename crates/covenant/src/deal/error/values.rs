//! The deal diagnostics of values: a value the schema does not accept (bare numbers,
//! percents, money, dates, required fields, unknown keys, constraints), the limits, and the
//! warnings. One struct each, as in [`super::variants`].

use miette::{Diagnostic, LabeledSpan, Severity, SourceCode};
use thiserror::Error;

use super::esc;
use crate::source::{Named, Span};

/// A bare number where a percent or an amount of money is wanted.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error(
    "expected {} for {}, found a bare number `{}`",
    esc(.wanted),
    esc(.what),
    esc(.text)
)]
#[diagnostic(code("covenant::deal::bare-number"), severity(Error))]
pub struct BareNumber {
    /// "a percent", "an amount of money".
    pub wanted: String,
    pub what: String,
    pub text: String,
    #[label(primary, "a bare number")]
    pub span: Span,
    /// How to write the value, such as `write "51%"`.
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// A percent, amount of money or date that the scalar reader rejects, in its words.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("{}", esc(.message))]
#[diagnostic(code("covenant::deal::bad-percent"), severity(Error))]
pub struct BadPercent {
    pub message: String,
    #[label(primary, "not a percent")]
    pub span: Span,
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// A percent outside 0%–100%.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error(
    "`{}` is not a share: a percent in a deal is between 0% and 100%",
    esc(.text)
)]
#[diagnostic(
    code("covenant::deal::bad-percent"), severity(Error),
    help("a stake, vote or content share is between 0% and 100%; a custom schema can use a number for other quantities")
)]
pub struct PercentOutOfRange {
    pub text: String,
    #[label(primary, "out of range")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// An amount of money the scalar reader rejects, in its words.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("{}", esc(.message))]
#[diagnostic(code("covenant::deal::bad-money"), severity(Error))]
pub struct BadMoney {
    pub message: String,
    #[label(primary, "not an amount of money")]
    pub span: Span,
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// A negative amount of money.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("`{}` is a negative amount of money", esc(.text))]
#[diagnostic(
    code("covenant::deal::bad-money"),
    severity(Error),
    help("amounts in a deal (investment, subsidies) are zero or more")
)]
pub struct NegativeMoney {
    pub text: String,
    #[label(primary, "negative")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A date the scalar reader rejects, in its words.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("{}", esc(.message))]
#[diagnostic(code("covenant::deal::bad-date"), severity(Error))]
pub struct BadDate {
    pub message: String,
    #[label(primary, "not a date")]
    pub span: Span,
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// A date with a time of day.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("`{}` has a time of day, but a date is wanted", esc(.text))]
#[diagnostic(code("covenant::deal::bad-date"), severity(Error))]
pub struct TimeOfDay {
    pub text: String,
    #[label(primary, "a value with a time of day is invalid")]
    pub span: Span,
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// A TOML date or time that TOML's reader rejects.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("`{}` is not a valid date: {}", esc(.text), esc(.reason))]
#[diagnostic(
    code("covenant::deal::bad-date"),
    severity(Error),
    help("write a date as YYYY-MM-DD, such as 2026-03-01")
)]
pub struct TomlBadDate {
    pub text: String,
    /// The TOML reader's message.
    pub reason: String,
    #[label(primary, "invalid date")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A record without one of its required fields.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("missing required field `{}`", esc(.field))]
#[diagnostic(
    code("covenant::deal::missing-required"),
    severity(Error),
    help("add a `{field}` field")
)]
pub struct MissingField {
    pub field: String,
    /// The record's name, such as `party`.
    pub record: String,
    #[label(primary, "this {record} has no `{field}`")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A required field that is null.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("required field `{}` is null", esc(.field))]
#[diagnostic(
    code("covenant::deal::missing-required"),
    severity(Error),
    help("give `{field}` a value")
)]
pub struct NullField {
    pub field: String,
    #[label(primary, "null here")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A key the schema does not know: an error when loading is strict, else a warning.
#[derive(Debug, Clone, Error)]
#[error("unknown key `{}`", esc(.key))]
pub struct UnknownKey {
    /// The key, shortened.
    pub key: String,
    pub record: String,
    pub span: Span,
    /// A did-you-mean, or the record's fields.
    pub help: String,
    pub severity: Severity,
    pub src: Named,
}

impl Diagnostic for UnknownKey {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("covenant::deal::unknown-key"))
    }

    fn severity(&self) -> Option<Severity> {
        Some(self.severity)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.help))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let label = format!("not a field of a {}", self.record);
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(label), self.span),
        )))
    }
}

/// Nesting deeper than the depth limit.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("the deal is nested more than {limit} levels deep")]
#[diagnostic(code("covenant::deal::too-deep"), severity(Error))]
pub struct NestedTooDeep {
    pub limit: usize,
    #[label(primary, "too deep here")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// Nesting past the recursion limit of the YAML or TOML reader.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("the deal is nested too deeply")]
#[diagnostic(code("covenant::deal::too-deep"), severity(Error))]
pub struct ReaderTooDeep {
    #[label(primary, "too deep here")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// More values than the node limit, aliases counted once per use.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("the deal has more than {limit} values")]
#[diagnostic(
    code("covenant::deal::too-large"),
    severity(Error),
    help("a deal this large is rejected; YAML aliases count once per use")
)]
pub struct TooManyValues {
    pub limit: usize,
    #[label(primary, "the limit is passed here")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A string longer than the string limit.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("a string of {len} bytes is longer than the limit of {limit} bytes")]
#[diagnostic(code("covenant::deal::too-large"), severity(Error))]
pub struct StringTooLong {
    pub len: usize,
    pub limit: usize,
    #[label(primary, "this string")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A number with more significant digits than the exact number type keeps.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("the number `{}` is too large to keep exactly", esc(.text))]
#[diagnostic(
    code("covenant::deal::too-large"),
    severity(Error),
    help("numbers are exact, with at most 38 significant digits")
)]
pub struct NumberTooLarge {
    pub text: String,
    #[label(primary, "too many digits")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A TOML integer past 64 bits.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("the number `{}` is too large for toml", esc(.text))]
#[diagnostic(
    code("covenant::deal::too-large"),
    severity(Error),
    help("toml integers are 64-bit; write a longer number with a decimal point, such as `1.0`")
)]
pub struct TomlNumberTooLarge {
    pub text: String,
    #[label(primary, "too large")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// Every party has a stake and they do not add up to 100% (a warning).
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("the party stakes add up to {total}%, not 100%")]
#[diagnostic(
    code("covenant::deal::stakes-not-100"),
    severity(Warning),
    help("check the stakes; a policy can require the total with `rule stakes-sum: total party stake = 100%`")
)]
pub struct StakesNot100 {
    /// The total, as a number.
    pub total: String,
    #[label(primary, "these parties")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A country field that does not hold an ISO 3166-1 alpha-2 code (SPEC §13).
#[derive(Debug, Clone, Error, Diagnostic)]
#[error(
    "`{}` in `{}` is not an ISO 3166-1 alpha-2 country code",
    esc(.text),
    esc(.field)
)]
#[diagnostic(code("covenant::deal::bad-country"), severity(Error))]
pub struct BadCountry {
    pub text: String,
    pub field: String,
    #[label(primary, "not a country code")]
    pub span: Span,
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// A fraction in a field that counts things (SPEC §8).
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("`{}` must be a whole number, found `{}`", esc(.field), esc(.text))]
#[diagnostic(
    code("covenant::deal::not-an-integer"),
    severity(Error),
    help("`{field}` counts things: write a whole number")
)]
pub struct NotAnInteger {
    pub field: String,
    pub text: String,
    #[label(primary, "not a whole number")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}

/// A value outside a custom schema's `enum`.
#[derive(Debug, Clone, Error, Diagnostic)]
#[error("`{}` is not an allowed value of `{}`", esc(.text), esc(.field))]
#[diagnostic(code("covenant::deal::not-in-enum"), severity(Error))]
pub struct NotInEnum {
    pub text: String,
    pub field: String,
    #[label(primary, "not one of the allowed values")]
    pub span: Span,
    /// A did-you-mean, or the allowed values.
    #[help]
    pub help: String,
    #[source_code]
    pub src: Named,
}

/// A deal string that differs from a policy literal only in case or surrounding white space
/// (a warning; the comparison is unknown, SPEC §2.6).
#[derive(Debug, Clone, Error, Diagnostic)]
#[error(
    "the deal's \"{}\" nearly matches the policy's \"{}\": they differ only in case or surrounding white space, so the comparison is unknown",
    esc(.deal),
    esc(.literal)
)]
#[diagnostic(
    code("covenant::deal::near-miss"),
    severity(Warning),
    help("write \"{literal}\" exactly as the policy does, or correct the policy's spelling")
)]
pub struct NearMiss {
    /// The deal's string.
    pub deal: String,
    /// The policy's literal.
    pub literal: String,
    #[label(primary, "not \"{literal}\"")]
    pub span: Span,
    #[source_code]
    pub src: Named,
}
