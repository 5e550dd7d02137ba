//! `--format` of `covenant check`: the report formats a run can write.

use clap::ValueEnum;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Sarif,
    Junit,
    Markdown,
    /// GitHub Actions workflow commands: an annotation per finding.
    Github,
}
