//! `covenant diff OLD NEW DEAL…`: how a policy change moves deal outcomes.

use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone)]
pub struct DiffArgs {
    /// The old policy (file or folder).
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The new policy (file or folder).
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Deals: files, folders, `.jsonl` batches.
    #[arg(value_name = "DEAL", required = true)]
    pub deals: Vec<String>,
    /// Output format: human, json or markdown.
    #[arg(long, default_value = "human")]
    pub format: String,
}

pub fn run(args: &DiffArgs, _out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let _ = args;
    let _ = writeln!(err, "error: `covenant diff` is not built yet");
    2
}
