//! `covenant explain -p P DEAL [--rule ID]`: the evaluation of each rule as a readable tree.

use std::fmt::Write as _;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::deal::{self, Format as DealFormat};
use crate::eval::trace;
use crate::report::explain::{self as words, RuleTrace, TraceNode};
use crate::report::human;
use crate::report::visible::visible;
use crate::source::SourceFile;

use super::check::{compile_policies_with, Settings};
use super::read;
use super::stdin::{self, StdinFormat, StdinKind};
use super::PolicyLimitArgs;
use crate::limits::Limits;

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
    /// Evaluate effective windows on this date.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// The format of the deal on standard input (`-`) [default: detected].
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub stdin_format: Option<StdinFormat>,
    #[command(flatten)]
    pub limits: PolicyLimitArgs,
}

/// Read the deal named by the argument: a file, `-`, or `batch.jsonl:N`; each within the
/// deal size limit and, when not a regular file, within `timeout`.
fn read_deal(
    arg: &str,
    stdin_format: Option<StdinFormat>,
    timeout: Duration,
) -> Result<(SourceFile, String, usize, DealFormat), String> {
    let max = Limits::default().max_deal_size;
    if arg == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .lock()
            .take(max.saturating_add(1))
            .read_to_end(&mut bytes)
            .map_err(|e| format!("cannot read standard input: {e}"))?;
        if bytes.len() as u64 > max {
            return Err(read::too_large("standard input", max).message);
        }
        let format = match stdin::kind(stdin_format, &bytes) {
            StdinKind::Document(f) => f,
            StdinKind::Lines => {
                return Err("standard input holds JSON lines (several deals): explain one deal at a time, or name its format with --stdin-format".into())
            }
        };
        let text =
            String::from_utf8(bytes).map_err(|_| "standard input is not UTF-8 text".to_string())?;
        return Ok((SourceFile::new("-", text), "-".into(), 1, format));
    }
    if let Some((file, line)) = arg.rsplit_once(':').filter(|(f, _)| f.ends_with(".jsonl")) {
        let n: usize = line
            .parse()
            .map_err(|_| format!("`{line}` is not a line number"))?;
        let content = read::batch_line(Path::new(file), n, max, timeout)?;
        return Ok((
            SourceFile::new(arg, content),
            arg.into(),
            n,
            DealFormat::Json,
        ));
    }
    let path = PathBuf::from(arg);
    if path.extension().is_some_and(|e| e == "jsonl") {
        return Err(format!("`{arg}` is a batch: name one deal as `{arg}:N`"));
    }
    let format = deal::format_of(&path)
        .ok_or_else(|| format!("`{arg}` is not a deal file (.yaml, .yml, .json, .toml)"))?;
    let text = read::deal_file(&path, max, timeout).map_err(|p| p.message)?;
    Ok((SourceFile::new(arg, text), arg.into(), 1, format))
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
    let as_of = match args.as_of.as_deref().map(crate::value::parse_date) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            let _ = writeln!(err, "error: --as-of: {}", e.message);
            return 2;
        }
    };
    let (source, path, first_line, format) =
        match read_deal(&args.deal, args.stdin_format, limits.read_timeout) {
            Ok(x) => x,
            Err(e) => {
                let _ = writeln!(err, "error: {}", visible(&e));
                return 2;
            }
        };
    let settings = Settings {
        as_of,
        deny_warnings: false,
        load: Default::default(),
        render: true,
        ..Settings::default()
    };
    let loaded = match deal::load(
        source,
        path.clone(),
        first_line,
        format,
        &policy.schema,
        &settings.load,
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
    let traces = trace::explain(&policy, &loaded.deal, as_of, args.rule.as_deref());
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
        let _ = writeln!(s, "\nrule {} [{}]: {}", t.id, t.severity, t.outcome);
        let _ = writeln!(s, "  {}", visible(&t.message));
        if let Some(e) = &t.exemption {
            let _ = writeln!(s, "  exempt by: unless {}", visible(e));
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
