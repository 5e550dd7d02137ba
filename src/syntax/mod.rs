//! Syntax: policy text → AST with spans (pest grammar in `grammar/covenant.pest`).

pub mod ast;

/// Placeholder until the parser lands.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("parser not built yet")]
pub struct ParseErrors;

pub fn parse(_file: &crate::source::SourceFile) -> Result<ast::PolicyFile, ParseErrors> {
    Err(ParseErrors)
}
