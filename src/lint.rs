//! `covenant lint -p P`: static checks of policies without deals.
//!
//! Exit codes: `0` no error finding (warnings and infos allowed), `1` some lint error, `2` the
//! policy cannot be loaded, parsed or compiled (SPEC §4), or bad usage.

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;
use jiff::civil::Date;

use covenant::lint::{self, output, sarif};
use covenant::report::human;

use super::style;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LintFormat {
    Human,
    Json,
    Sarif,
}

#[derive(clap::Args, Debug, Clone)]
pub struct LintArgs {
    /// A policy file or folder (repeatable; default `./policies`).
    #[arg(short, long = "policy", value_name = "PATH")]
    pub policy: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: LintFormat,
    /// Colour in human output: auto, always or never.
    #[arg(long, default_value = "auto", value_name = "WHEN")]
    pub color: String,
    #[command(flatten)]
    pub limits: super::limits::PolicyLimitArgs,
}

/// Lint with today's date (the local calendar date) deciding which windows are over.
pub fn run(args: &LintArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    run_at(args, jiff::ZonedDateTime::now().date(), out, err)
}

/// Lint as if today were `today`.
pub fn run_at(args: &LintArgs, today: Date, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let paths = if args.policy.is_empty() {
        let default = PathBuf::from("policies");
        if !default.is_dir() {
            let _ = writeln!(
                err,
                "error: no policy given: pass -p/--policy PATH (or create ./policies)"
            );
            return 2;
        }
        vec![default]
    } else {
        args.policy.clone()
    };
    let Some(limits) = args.limits.resolve_or_report(err) else {
        return 2;
    };
    let report = lint::lint_with(&paths, today, &limits);
    let text = match args.format {
        LintFormat::Human => output::human(
            &report,
            &human::handler(style::from_flag(&args.color).color),
        ),
        LintFormat::Json => output::json(&report) + "\n",
        LintFormat::Sarif => sarif::report(&report),
    };
    let _ = out.write_all(text.as_bytes());
    report.exit_code()
}
