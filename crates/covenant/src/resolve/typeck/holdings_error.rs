//! Type diagnostics of the ownership forms (SPEC §7.2, §7.3): `covenant::type::bad-measure`,
//! `covenant::type::not-an-entity` and `covenant::type::bad-key`.

use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::schema::describe;
use crate::schema::Type;
use crate::source::Named;

/// The measure of a look-through is not a percent field of the edges it reads (SPEC §7.2).
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` is not a percent field of {edges}, so it cannot measure a look-through")]
#[diagnostic(code("covenant::type::bad-measure"), severity(Error))]
pub struct BadMeasure {
    pub text: Arc<str>,
    /// The edges that lack it: "the owner edges", "the parties".
    pub edges: &'static str,
    #[source_code]
    pub src: Named,
    #[label(primary, "not a percent of every edge")]
    pub span: SourceSpan,
    /// The percent fields both have.
    #[help]
    pub help: String,
}

/// A holder or target of a look-through that is not an entity (SPEC §7.2).
#[derive(Debug, Error, Diagnostic)]
#[error("the {role} of a look-through must be entities, and `{text}` is {}", describe(.ty))]
#[diagnostic(code("covenant::type::not-an-entity"), severity(Error))]
pub struct NotAnEntity {
    /// `holders` or `target`.
    pub role: &'static str,
    pub text: Arc<str>,
    pub ty: Type,
    #[source_code]
    pub src: Named,
    #[label(primary, "not entities")]
    pub span: SourceSpan,
    #[help]
    pub help: String,
}

/// A `per` key that is not one value or one entity (SPEC §7.3).
#[derive(Debug, Error, Diagnostic)]
#[error("`per {text}`: a key must be one value or one entity, and {what}")]
#[diagnostic(code("covenant::type::bad-key"), severity(Error))]
pub struct BadKey {
    pub text: Arc<str>,
    /// What the key is instead.
    pub what: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "not a key")]
    pub span: SourceSpan,
    #[help]
    pub help: String,
}
