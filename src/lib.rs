//! Covenant: a policy-rules language and compliance checker for joint-venture deal proposals.
//!
//! Phases, each in its own module with its own diagnostic enum:
//! - [`syntax`]: grammar → AST with spans
//! - [`resolve`]: phrases → typed IR (resolution and type checking)
//! - [`deal`]: documents → typed values with positions
//! - [`eval`]: IR × deal → outcomes with evidence
//! - [`report`]: human, JSON, JSON-lines, SARIF, JUnit XML and Markdown output
//! - [`lint`]: static checks of policies without deals
//! - [`cli`]: the commands, callable without spawning a process
//! - [`limits`]: bounds on every input, each with its own diagnostic
//! - [`bounded`] and [`walk`]: reading files within those bounds, searching folders
//! - [`country`]: the ISO 3166-1 codes that country fields hold (SPEC §13)
//! - [`codes`]: the registry of every diagnostic code, with its phase and a summary

pub mod bounded;
pub mod cli;
pub mod codes;
pub mod country;
pub mod deal;
pub mod eval;
pub(crate) mod json_bytes;
pub mod limits;
pub mod lint;
pub mod number;
pub mod report;
pub mod resolve;
pub mod schema;
pub mod source;
pub mod spelling;
pub mod syntax;
pub mod value;
pub mod walk;
