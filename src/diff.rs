//! `covenant diff OLD NEW DEAL…`: how a policy change moves deal outcomes. Both policies are
//! compiled, the library compares them over the deals ([`covenant::diff`]), and the impact is
//! rendered ([`covenant::report::impact`]): human, JSON or Markdown.

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;

use covenant::check::{Engine, Input, Settings};
use covenant::deal::LoadOptions;
use covenant::report::human;
use covenant::report::impact;
use covenant::report::style::Style;
use covenant::report::visible::visible;

use super::check::compile_policies_with;
use super::style;

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Human,
    Json,
    Markdown,
}

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
    /// Output format.
    #[arg(long, value_enum, default_value = "human")]
    pub format: DiffFormat,
    /// The evaluation date (YYYY-MM-DD): windows test it instead of the date they name (`date`,
    /// or their `on D`), and `evaluation date` reads it.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Treat warning rules as errors for the verdicts.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Count `proposed` and `reported` rules for the verdicts, under both policies (SPEC §12).
    #[arg(long)]
    pub include_proposed: bool,
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t, value_name = "WHEN")]
    pub color: style::ColorWhen,
    /// Skip the files and folders that GLOB matches below a deal folder (repeatable), as
    /// `check --exclude` does.
    #[arg(long, value_name = "GLOB", value_parser = super::check::parse_exclude)]
    pub exclude: Vec<String>,
    #[command(flatten)]
    pub limits: super::limits::PolicyLimitArgs,
}

pub fn run(args: &DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let style = if args.format == DiffFormat::Human {
        style::from_flag(args.color)
    } else {
        Style::default()
    };
    let handler = human::handler(style::stderr(style));
    let Some(limits) = args.limits.resolve_or_report(err) else {
        return 2;
    };
    let old = compile_policies_with(std::slice::from_ref(&args.old), &limits, err, &handler);
    if old.is_none() {
        let _ = writeln!(
            err,
            "error: the old policy `{}` does not compile",
            args.old.display()
        );
    }
    let new = compile_policies_with(std::slice::from_ref(&args.new), &limits, err, &handler);
    if new.is_none() {
        let _ = writeln!(
            err,
            "error: the new policy `{}` does not compile",
            args.new.display()
        );
    }
    let (Some(old), Some(new)) = (old, new) else {
        return 2;
    };
    let as_of = match args.as_of.as_deref().map(covenant::value::parse_date) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            let _ = writeln!(err, "error: --as-of: {}\n  help: {}", e.message, e.help);
            return 2;
        }
    };
    let Some(inputs) = super::check::expand_inputs(&args.deals, &args.exclude, err) else {
        return 2;
    };
    if inputs.contains(&Input::Stdin) {
        let _ = writeln!(
            err,
            "error: `diff` cannot read deals from standard input: name deal files or folders"
        );
        return 2;
    }
    let settings = Settings {
        as_of,
        deny_warnings: args.deny_warnings,
        include_proposed: args.include_proposed,
        load: LoadOptions::default(),
        read_timeout: limits.read_timeout,
        ..Settings::default()
    };
    let (old, new) = (
        Engine::new(old, settings.clone()),
        Engine::new(new, settings),
    );
    let covenant::diff::Comparison { impact, unread } =
        covenant::diff::compare(&old, &new, &inputs);
    let text = match args.format {
        DiffFormat::Human => impact::human(&impact, &style),
        DiffFormat::Json => impact::json(&impact),
        DiffFormat::Markdown => impact::markdown(&impact),
    };
    let _ = out.write_all(text.as_bytes());
    for message in &unread {
        let _ = writeln!(err, "error: {}", visible(message));
    }
    if !unread.is_empty() {
        2
    } else if impact.is_empty() {
        0
    } else {
        1
    }
}
