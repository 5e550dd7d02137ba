//! Syntax: policy text → AST with spans (pest grammar in `grammar/covenant.pest`).

pub mod ast;
