//! `--stdin-format`: the format of the deal on standard input, as an argument.

use clap::ValueEnum;

use covenant::check::StdinFormat;

/// `--stdin-format`: the format of the deal on standard input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum StdinFormatArg {
    Yaml,
    Json,
    /// JSON lines: one deal per line.
    Jsonl,
    Toml,
}

impl From<StdinFormatArg> for StdinFormat {
    fn from(arg: StdinFormatArg) -> StdinFormat {
        match arg {
            StdinFormatArg::Yaml => StdinFormat::Yaml,
            StdinFormatArg::Json => StdinFormat::Json,
            StdinFormatArg::Jsonl => StdinFormat::Jsonl,
            StdinFormatArg::Toml => StdinFormat::Toml,
        }
    }
}
