//! `covenant fmt [--check] PATH…`: canonical formatting of policy files.

use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone)]
pub struct FmtArgs {
    /// Policy files or folders.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Do not write: print a diff and exit 1 when a file would change.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &FmtArgs, _out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let _ = args;
    let _ = writeln!(err, "error: `covenant fmt` is not built yet");
    2
}
