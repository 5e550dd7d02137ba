//! `covenant lint -p P`: static checks of policies without deals.

use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone)]
pub struct LintArgs {
    /// A policy file or folder (repeatable; default `./policies`).
    #[arg(short, long = "policy", value_name = "PATH")]
    pub policy: Vec<PathBuf>,
    /// Output format: human, json or sarif.
    #[arg(long, default_value = "human")]
    pub format: String,
}

pub fn run(args: &LintArgs, _out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let _ = args;
    let _ = writeln!(err, "error: `covenant lint` is not built yet");
    2
}
