//! The pest parser generated from `grammar/covenant.pest`.

use pest_derive::Parser;

/// The Covenant grammar; see `grammar/covenant.pest`.
#[derive(Parser)]
#[grammar = "../../../grammar/covenant.pest"]
pub struct CovenantParser;
