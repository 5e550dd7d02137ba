//! `covenant-cli`: the `covenant` commands, callable without spawning a process. clap parses the
//! arguments, the `covenant` library checks, and each command renders to the given streams and
//! returns the exit code.

pub mod allocator;
mod big_stack;
pub mod check;
pub mod config;
pub mod diff;
pub mod explain;
pub mod fmt;
pub mod limits;
pub mod lint;
pub mod lsp;
pub mod not_run;
pub mod output;
mod progress;
pub mod report_format;
pub mod schema;
pub mod serve;
pub mod shell;
pub mod stdin;
pub mod style;
pub mod test;

#[cfg(test)]
mod panic_tests;

use std::ffi::OsString;
use std::io::Write;
use std::path::Path;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

/// Covenant: check joint-venture deal proposals against declarative policies.
#[derive(Parser, Debug)]
#[command(name = "covenant", version, about)]
pub struct Cli {
    /// Read the settings of FILE, not of the `covenant.toml` found in this folder or above.
    #[arg(long, global = true, value_name = "FILE")]
    pub config: Option<std::path::PathBuf>,
    /// Read no `covenant.toml`.
    #[arg(long, global = true, conflicts_with = "config")]
    pub no_config: bool,
    #[command(subcommand)]
    pub command: Command,
}

impl Cli {
    /// The definition of the whole command line, every command's arguments included (each is
    /// otherwise added only when its command is used: [`Command`]).
    pub fn whole_command() -> clap::Command {
        let mut command = Cli::command();
        command.build();
        command
    }
}

/// The commands. Each command's arguments are added to its definition only when it is used
/// (`defer`): building every command's arguments at every start cost about 215,000
/// instructions, a sixth of `covenant --version` (BENCHMARKS.md, "Issue 18: twenty-fourth
/// session"). Whatever reads the definition of commands not in use takes
/// [`Cli::whole_command`].
#[derive(Subcommand, Debug)]
#[command(defer = true)]
pub enum Command {
    /// Check deals against policies.
    Check(check::CheckArgs),
    /// Show how each rule was evaluated on one deal.
    Explain(explain::ExplainArgs),
    /// Format policy files canonically.
    Fmt(fmt::FmtArgs),
    /// Static checks of policies, without deals.
    Lint(lint::LintArgs),
    /// Run policy test suites (`*.test.yaml`).
    Test(test::TestArgs),
    /// Show how a policy change moves the outcomes of deals.
    Diff(diff::DiffArgs),
    /// Print the deal schema: a JSON Schema for editors (`--json`), or its records and fields.
    Schema(schema::SchemaArgs),
    /// Serve the checker over HTTP, logging every decision (docs/server.md).
    Serve(serve::ServeArgs),
    /// Run the language server on standard input and output (for editors).
    Lsp(lsp::LspArgs),
    /// Print a completion script for bash, zsh or fish (docs/cli.md says where to put it).
    Completions(shell::CompletionsArgs),
    /// Print the manual page, in roff, of covenant or of one of its commands.
    #[command(hide = true)]
    Man(shell::ManArgs),
}

/// Why the arguments give no command to run.
#[derive(Debug)]
pub enum ArgsError {
    /// clap's error (a bad flag, or `--help` and `--version`, which are not errors).
    Clap(clap::Error),
    /// The config file cannot be used: its diagnostics.
    Config(Vec<config::ConfigError>),
}

impl ArgsError {
    /// Print it to standard error (help and version to standard output); the exit code.
    pub fn report(&self, err: &mut dyn Write) -> u8 {
        match self {
            ArgsError::Clap(e) => {
                let _ = e.print();
                if e.use_stderr() {
                    2
                } else {
                    0
                }
            }
            ArgsError::Config(errors) => {
                let handler = covenant::report::human::handler(style::stderr_auto());
                let text = covenant::report::human::render_all(&handler, errors);
                let _ = err.write_all(text.as_bytes());
                let n = errors.len();
                let s = if n == 1 { "" } else { "s" };
                let _ = writeln!(
                    err,
                    "error: the config file cannot be used ({n} problem{s})"
                );
                2
            }
        }
    }
}

/// Parse `argv` (the program's name first) as the command line of a process working in `cwd`:
/// the settings of the config file (`--config FILE`, or the `covenant.toml` found from `cwd`
/// upward, unless `--no-config`) fill in what the command line does not give (docs/cli.md).
pub fn parse_args(argv: &[OsString], cwd: &Path) -> Result<Cli, ArgsError> {
    let matches = Cli::command()
        .try_get_matches_from(argv)
        .map_err(ArgsError::Clap)?;
    let cli = Cli::from_arg_matches(&matches).map_err(ArgsError::Clap)?;
    let reads_config = matches
        .subcommand_name()
        .is_some_and(|name| config::COMMANDS.contains(&name));
    if !reads_config || cli.no_config {
        return Ok(cli);
    }
    let path = match &cli.config {
        Some(path) => path.clone(),
        None => match config::find(cwd) {
            Some(found) => found,
            None => return Ok(cli),
        },
    };
    // Made again for a run that reads a config file, rather than copied for every run.
    let command = Cli::whole_command();
    let settings = config::Config::load(&path, &command).map_err(ArgsError::Config)?;
    let merged = config::merged_args(argv, &matches, &command, &settings);
    Cli::try_parse_from(merged).map_err(ArgsError::Clap)
}

/// Parse arguments and run; the process exit code. The command runs on a large stack
/// ([`covenant::limits::BIG_STACK`]), a fresh segment on this thread ([`big_stack`]), so the
/// deepest input the limits allow cannot overflow it.
pub fn main() -> u8 {
    big_stack::run(covenant::limits::BIG_STACK, main_here)
}

fn main_here() -> u8 {
    let argv: Vec<OsString> = std::env::args_os().collect();
    let cli = match parse_args(&argv, Path::new(".")) {
        Ok(c) => c,
        Err(e) => return e.report(&mut std::io::stderr()),
    };
    // The language server writes to standard output itself: it must not be locked here.
    if let Command::Lsp(args) = &cli.command {
        return lsp::run(args, &mut std::io::stderr());
    }
    let stderr = std::io::stderr();
    let mut err = stderr.lock();
    let mut out = output::stdout();
    run(cli, &mut out, &mut err)
}

/// Run one command, writing its report to `out`. A report that cannot be written in full
/// (a full disk, a closed standard output) is an error: exit 2 and a message on `err`. A
/// reader that hangs up (a broken pipe) is not: the exit code stays the command's.
pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut report = output::Report::new(out);
    let code = match cli.command {
        Command::Check(args) => check::run(&args, &mut report, err),
        Command::Explain(args) => explain::run(&args, &mut report, err),
        Command::Fmt(args) => fmt::run(&args, &mut report, err),
        Command::Lint(args) => lint::run(&args, &mut report, err),
        Command::Test(args) => test::run(&args, &mut report, err),
        Command::Diff(args) => diff::run(&args, &mut report, err),
        Command::Schema(args) => schema::run(&args, &mut report, err),
        Command::Serve(args) => serve::run(&args, &mut report, err),
        Command::Lsp(args) => lsp::run(&args, err),
        Command::Completions(args) => shell::completions(&args, &mut report),
        Command::Man(args) => shell::man(&args, &mut report, err),
    };
    match report.finish() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            let _ = writeln!(
                err,
                "error: cannot write the report to standard output: {e}"
            );
            2
        }
        _ => code,
    }
}
