//! `covenant lint -p P`: static checks of policies without deals; with `--expiring SPAN
//! DEAL…`, the approvals of the deals that expire within SPAN of today (SPEC §10).
//!
//! Exit codes: `0` no error finding (warnings and infos allowed), `1` some lint error (or,
//! with `--deny-warnings`, some warning), `2` the policy cannot be loaded, parsed or compiled
//! (SPEC §4), a deal cannot be read or loaded, or bad usage. A `# covenant: allow CODE`
//! comment keeps a finding out (`docs/lint.md`).

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;
use jiff::civil::Date;

use covenant::check::{inputs, read, Input, Settings};
use covenant::deal::{self, Format};
use covenant::lint::expiring::{self, DealDocument, Within};
use covenant::lint::{self, output, sarif, LintReport};
use covenant::report::human;
use covenant::resolve;
use covenant::schema::Schema;
use covenant::source::SourceFile;

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
    /// Colour in human output.
    #[arg(long, value_enum, default_value_t, value_name = "WHEN")]
    pub color: style::ColorWhen,
    /// List the approvals of the DEALs that expire within this span of today (`90d`, `12w`,
    /// `6m`, `1y`), and those already expired.
    #[arg(long, value_name = "SPAN", value_parser = parse_within)]
    pub expiring: Option<Within>,
    /// Warnings make the exit code 1, as errors do (infos never do).
    #[arg(long)]
    pub deny_warnings: bool,
    /// Deal files or folders (searched recursively) or `.jsonl` batches, for `--expiring`.
    #[arg(value_name = "DEAL", requires = "expiring")]
    pub deals: Vec<String>,
    #[command(flatten)]
    pub limits: super::limits::PolicyLimitArgs,
}

fn parse_within(text: &str) -> Result<Within, String> {
    text.parse()
}

/// Lint with today's date (the local calendar date) deciding which windows are over.
pub fn run(args: &LintArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    run_at(args, jiff::ZonedDateTime::now().date(), out, err)
}

/// Lint as if today were `today`.
pub fn run_at(args: &LintArgs, today: Date, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    if let Some(within) = args.expiring {
        return expiring(args, within, today, out, err);
    }
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
    print(args, &report, out);
    report.exit_code_denying(args.deny_warnings)
}

/// `lint --expiring SPAN DEAL…`: the policies given with `-p` are linted as usual (and their
/// schema reads the deals; without `-p`, the standard schema does), then the approvals of the
/// deals are listed.
fn expiring(
    args: &LintArgs,
    within: Within,
    today: Date,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> u8 {
    if args.deals.is_empty() {
        let _ = writeln!(
            err,
            "error: `--expiring` lists the approvals of deals: pass DEAL… (files or folders)"
        );
        return 2;
    }
    let Some(limits) = args.limits.resolve_or_report(err) else {
        return 2;
    };
    let (mut report, schema) = if args.policy.is_empty() {
        (LintReport::default(), Schema::standard())
    } else {
        let report = lint::lint_with(&args.policy, today, &limits);
        let schema = resolve::compile_with(&args.policy, &limits)
            .map_or_else(|_| Schema::standard(), |c| c.policy.schema.clone());
        (report, schema)
    };
    let (documents, unread) = deal_documents(&args.deals, err);
    expiring::add_expiring(&mut report, documents, &schema, today, within);
    print(args, &report, out);
    if unread {
        2
    } else {
        report.exit_code_denying(args.deny_warnings)
    }
}

/// The deal documents of the arguments (a `.jsonl` batch gives one per line); the deals that
/// cannot be read are reported on `err` (then the second value is true).
fn deal_documents(args: &[String], err: &mut dyn Write) -> (Vec<DealDocument>, bool) {
    let settings = Settings::default();
    let mut warnings = Vec::new();
    let mut documents = Vec::new();
    let mut unread = false;
    let mut problem = |what: String, err: &mut dyn Write| {
        let _ = writeln!(err, "error: {what}");
        unread = true;
    };
    for input in inputs::expand(args, &mut warnings) {
        let (path, batch) = match input {
            Input::File(p) => (p, false),
            Input::Batch(p) => (p, true),
            Input::Stdin => {
                problem(
                    "`--expiring` reads deal files, not standard input".into(),
                    err,
                );
                continue;
            }
            Input::Missing(p, why) => {
                problem(format!("cannot read `{}`: {why}", p.display()), err);
                continue;
            }
            Input::NoDeals(p) => {
                problem(format!("no deals found in folder `{}`", p.display()), err);
                continue;
            }
        };
        let shown = path.display().to_string();
        let text = match read::deal_file(&path, settings.max_deal_size, settings.read_timeout) {
            Ok(t) => t,
            Err(e) => {
                problem(e.to_string(), err);
                continue;
            }
        };
        if batch {
            for (line, text) in deal::jsonl_lines(&text) {
                let name = format!("{shown}:{line}");
                documents.push(DealDocument {
                    source: SourceFile::new(name.clone(), text),
                    path: name,
                    first_line: line,
                    format: Format::Json,
                });
            }
            continue;
        }
        let Some(format) = deal::format_of(&path) else {
            problem(format!("`{shown}` is not a deal file"), err);
            continue;
        };
        documents.push(DealDocument {
            source: SourceFile::new(shown.clone(), text),
            path: shown,
            first_line: 1,
            format,
        });
    }
    for w in warnings {
        let _ = writeln!(err, "warning: {w}");
    }
    (documents, unread)
}

fn print(args: &LintArgs, report: &LintReport, out: &mut dyn Write) {
    let text = match args.format {
        LintFormat::Human => {
            output::human(report, &human::handler(style::from_flag(args.color).color))
        }
        LintFormat::Json => output::json(report) + "\n",
        LintFormat::Sarif => sarif::report(report),
    };
    let _ = out.write_all(text.as_bytes());
}
