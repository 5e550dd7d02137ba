//! `covenant explain -p P DEAL [--rule ID]`: the evaluation of each rule as a readable tree.

use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;

use covenant::check::Document;
use covenant::deal::{self, LoadOptions};
use covenant::eval::trace;
use covenant::report::explain::{self as words, RuleTrace, TraceNode};
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
    let path = document.path.clone();
    let loaded = match deal::load(
        document.source,
        document.path,
        document.first_line,
        document.format,
        &policy.schema,
        &LoadOptions::default(),
    ) {
        Ok(l) => l,
        Err(errs) => {
            for e in errs.errors {
                let _ = err.write_all(human::render(&handler, &e).as_bytes());
            }
            let _ = writeln!(
                err,
                "error: the deal is invalid, so there is nothing to explain"
            );
            return 2;
        }
    };
    let traces = trace::explain_with(
        &policy,
        &loaded.deal,
        as_of,
        args.rule.as_deref(),
        args.include_proposed,
    );
    let traces = words::written(loaded.deal.file(), &traces);
    if args.format == "json" {
        #[derive(serde::Serialize)]
        struct Explained<'a> {
            deal: &'a str,
            rules: &'a [RuleTrace],
        }
        let json = serde_json::to_string_pretty(&Explained {
            deal: &path,
            rules: &traces,
        })
        .unwrap_or_default();
        let _ = writeln!(out, "{json}");
    } else {
        let _ = out.write_all(render(&path, &traces).as_bytes());
    }
    0
}

/// The human form: one block per rule, the tree indented beneath; deal text escaped.
pub fn render(path: &str, traces: &[RuleTrace]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", visible(path));
    for t in traces {
        let tags = match &t.tag {
            Some(tag) => format!("{}, {tag}", t.severity),
            None => t.severity.to_string(),
        };
        let _ = writeln!(s, "\nrule {} [{tags}]: {}", t.id, t.outcome);
        let _ = writeln!(s, "  {}", visible(&t.message));
        if let Some(e) = &t.exemption {
            let _ = writeln!(s, "  exempt by: unless {}", visible(e));
        }
        if let Some(w) = &t.waiver {
            let id =
                w.id.as_deref()
                    .map(|i| format!(" `{i}`"))
                    .unwrap_or_default();
            let parties = match w.parties.as_slice() {
                [] => String::new(),
                ps => format!(" for {}", ps.join(", ")),
            };
            let reference = w.reference.as_deref().unwrap_or("none");
            let _ = writeln!(
                s,
                "  exempt by: approval{} by {}{}; reference: {}; granted {}; expires {}",
                visible(&id),
                visible(&w.authority),
                visible(&parties),
                visible(reference),
                w.granted,
                w.expires
            );
        }
        if let Some(w) = &t.window {
            tree(&mut s, "window", w, 1);
        }
        for n in &t.when {
            tree(&mut s, "when", n, 1);
        }
        for n in &t.unless {
            tree(&mut s, "unless", n, 1);
        }
        for n in &t.require {
            tree(&mut s, "require", n, 1);
        }
        for e in &t.evidence {
            let _ = writeln!(s, "  evidence: {}", visible(e));
        }
        for c in &t.citations {
            let _ = writeln!(s, "  cite: {}", visible(&covenant::report::cite::line(c)));
        }
    }
    s
}

fn tree(s: &mut String, keyword: &str, n: &TraceNode, depth: usize) {
    let pad = "  ".repeat(depth);
    let kw = if keyword.is_empty() {
        String::new()
    } else {
        format!("{keyword} ")
    };
    let (expr, value) = (visible(&n.expr), visible(&n.value));
    let _ = writeln!(s, "{pad}{kw}{expr} → {value}");
    for note in &n.notes {
        let _ = writeln!(s, "{pad}  · {}", visible(note));
    }
    for c in &n.children {
        tree(s, "", c, depth + 1);
    }
}
