//! `covenant explain -p P DEAL [--rule ID]`: the evaluation of each rule as a readable tree.
//!
//! Exit code, as `check` gives it for the rules explained (all, or the one named): `0` when
//! they pass or are not applicable, `1` when one that counts fails or is incomplete (an
//! unknown is never a pass; a warning rule only with `--deny-warnings`), `2` for bad input.

use std::io::Write;
use std::path::PathBuf;

use covenant::check::{explain, Document, Settings};
use covenant::deal::LoadOptions;
use covenant::eval::outcome::Verdict;
use covenant::report::human;
use covenant::report::visible::visible;

use super::check::compile_policies_with;
use super::limits::PolicyLimitArgs;
use super::stdin::StdinFormatArg;

#[derive(clap::Args, Debug, Clone)]
pub struct ExplainArgs {
    /// A policy file or folder (repeatable; default `./policies`).
    #[arg(short, long = "policy", value_name = "PATH")]
    pub policy: Vec<PathBuf>,
    /// The deal to explain: a file, `-`, or one line of a batch as `batch.jsonl:N`.
    #[arg(value_name = "DEAL")]
    pub deal: String,
    /// Explain only this rule.
    #[arg(long, value_name = "ID")]
    pub rule: Option<String>,
    /// Output format: human or json.
    #[arg(long, default_value = "human", value_parser = ["human", "json"])]
    pub format: String,
    /// The evaluation date: windows test it instead of the date they name, and `evaluation
    /// date` reads it.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Count `proposed` and `reported` rules, as rules in force (SPEC §12).
    #[arg(long)]
    pub include_proposed: bool,
    /// A failing or incomplete warning rule makes the exit code 1, as an error rule does.
    #[arg(long)]
    pub deny_warnings: bool,
    /// The format of the deal on standard input (`-`) [default: detected].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub stdin_format: Option<StdinFormatArg>,
    #[command(flatten)]
    pub limits: PolicyLimitArgs,
}

pub fn run(args: &ExplainArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let handler = human::handler(false);
    let Some(limits) = args.limits.resolve_or_report(err) else {
        return 2;
    };
    let Some(policy) = compile_policies_with(&args.policy, &limits, err, &handler) else {
        return 2;
    };
    if let Some(id) = &args.rule {
        if !policy.rules.iter().any(|r| &r.id == id) {
            let _ = writeln!(err, "error: no rule `{id}` in the policy");
            return 2;
        }
    }
    let as_of = match args.as_of.as_deref().map(covenant::value::parse_date) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            let _ = writeln!(err, "error: --as-of: {}", e.message);
            return 2;
        }
    };
    let stdin_format = args.stdin_format.map(Into::into);
    let read = Document::read_named(
        &args.deal,
        &mut std::io::stdin().lock(),
        stdin_format,
        limits.read_timeout,
    );
    let document = match read {
        Ok(d) => d,
        Err(e) => {
            let _ = writeln!(err, "error: {}", visible(&e));
            return 2;
        }
    };
    let settings = Settings {
        as_of,
        include_proposed: args.include_proposed,
        deny_warnings: args.deny_warnings,
        keep_diagnostics: true,
        load: LoadOptions::default(),
        ..Settings::default()
    };
    let explained = explain::explain_document(&policy, &settings, document, args.rule.as_deref());
    match explained {
        Err(invalid) => {
            for p in invalid.problems.iter().filter(|p| p.error) {
                if let Some(d) = &p.diagnostic {
                    let _ = err.write_all(human::render(&handler, &**d).as_bytes());
                }
            }
            let _ = writeln!(
                err,
                "error: the deal is invalid, so there is nothing to explain"
            );
            2
        }
        Ok(explanation) => {
            if args.format == "json" {
                let _ = writeln!(out, "{}", explanation.to_json());
            } else {
                let _ = out.write_all(explanation.to_text().as_bytes());
            }
            match explanation.verdict {
                Verdict::Compliant => 0,
                _ => 1,
            }
        }
    }
}
