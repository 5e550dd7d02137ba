//! `covenant test [PATH…]`: run policy test suites (`*.test.yaml`).

use std::io::Write;
use std::path::PathBuf;

#[derive(clap::Args, Debug, Clone)]
pub struct TestArgs {
    /// Suite files or folders searched for `*.test.yaml` (default: the current folder).
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Also compare each case's full JSON report with its stored snapshot.
    #[arg(long)]
    pub snapshot: bool,
    /// Rewrite the stored snapshots.
    #[arg(long)]
    pub accept: bool,
}

pub fn run(args: &TestArgs, _out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let _ = args;
    let _ = writeln!(err, "error: `covenant test` is not built yet");
    2
}
