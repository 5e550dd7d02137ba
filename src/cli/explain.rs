//! `covenant explain -p P DEAL [--rule ID]`: the evaluation of each rule as a tree.

use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone)]
pub struct ExplainArgs {
    /// A policy file or folder (repeatable; default `./policies`).
    #[arg(short, long = "policy", value_name = "PATH")]
    pub policy: Vec<PathBuf>,
    /// The deal to explain.
    #[arg(value_name = "DEAL")]
    pub deal: String,
    /// Explain only this rule.
    #[arg(long, value_name = "ID")]
    pub rule: Option<String>,
    /// Output format: human or json.
    #[arg(long, default_value = "human")]
    pub format: String,
    /// Evaluate effective windows on this date.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

pub fn run(args: &ExplainArgs, _out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let _ = args;
    let _ = writeln!(err, "error: `covenant explain` is not built yet");
    2
}
