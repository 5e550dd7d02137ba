//! `covenant-cli`: the `covenant` commands, callable without spawning a process. clap parses the
//! arguments, the `covenant` library checks, and each command renders to the given streams and
//! returns the exit code.

pub mod check;
pub mod diff;
pub mod explain;
pub mod fmt;
pub mod limits;
pub mod lint;
pub mod lsp;
pub mod output;
mod progress;
pub mod schema;
pub mod serve;
pub mod stdin;
pub mod style;
pub mod test;

#[cfg(test)]
mod panic_tests;

use std::io::Write;

use clap::{Parser, Subcommand};

/// Covenant: check joint-venture deal proposals against declarative policies.
#[derive(Parser, Debug)]
#[command(name = "covenant", version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
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
}

/// Parse arguments and run; the process exit code. The command runs on a thread with a large
/// stack ([`covenant::limits::BIG_STACK`]), so the deepest input the limits allow cannot overflow
/// it.
pub fn main() -> u8 {
    covenant::limits::with_big_stack(main_here)
}

fn main_here() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
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
