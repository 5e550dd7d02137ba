//! `covenant diff OLD NEW DEAL…`: how a policy change moves deal outcomes.
//!
//! Both policies are compiled, every deal is checked against each, and the reports are paired
//! in input order. The result ([`Impact`]) lists the rules added, removed and changed in text,
//! the outcome transitions per rule with counts, and every deal whose verdict or rule outcomes
//! change. Rendering is in [`render`]: human, JSON and markdown.

mod render;

use std::io::Write;
use std::path::PathBuf;

use clap::ValueEnum;

use crate::deal::LoadOptions;
use crate::eval::outcome::Verdict;
use crate::report::visible::visible;
use crate::report::{human, DealReport};
use crate::resolve::{Policy, PolicyInfo};

use super::check::{check_input, compile_policies_with, Settings};
use super::inputs::Input;
use super::style::Style;
use super::test::outcome_label;

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
    /// Evaluate effective windows on this date (YYYY-MM-DD) instead of each deal's `date`.
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
    /// Treat warning rules as errors for the verdicts.
    #[arg(long)]
    pub deny_warnings: bool,
    /// Colour in human output: auto, always or never.
    #[arg(long, default_value = "auto", value_name = "WHEN")]
    pub color: String,
    #[command(flatten)]
    pub limits: super::PolicyLimitArgs,
}

/// A rule present in one version only.
pub struct RuleRef {
    pub id: String,
    pub title: Option<String>,
    /// The rule's text, comments dropped and whitespace normalised.
    pub text: String,
}

/// A rule present in both versions whose text differs.
pub struct ChangedRule {
    pub id: String,
    pub old: String,
    pub new: String,
}

/// How many deals move one rule from one outcome to another; `None` is "no such rule".
pub struct Transition {
    pub rule: String,
    pub from: Option<&'static str>,
    pub to: Option<&'static str>,
    pub count: usize,
}

/// A deal whose verdict or some rule outcome changes.
pub struct DealChange {
    pub path: String,
    pub proposal: Option<String>,
    pub old: Verdict,
    pub new: Verdict,
    /// (rule id, old outcome, new outcome), rules in new-policy order, then removed rules.
    pub changes: Vec<(String, Option<&'static str>, Option<&'static str>)>,
}

/// Everything `diff` reports.
pub struct Impact {
    pub old: Vec<PolicyInfo>,
    pub new: Vec<PolicyInfo>,
    pub added: Vec<RuleRef>,
    pub removed: Vec<RuleRef>,
    pub changed: Vec<ChangedRule>,
    pub transitions: Vec<Transition>,
    pub deals: Vec<DealChange>,
    /// Deals invalid under both policies (not compared).
    pub invalid: Vec<String>,
    pub total: usize,
}

impl Impact {
    pub fn verdict_changes(&self) -> usize {
        self.deals.iter().filter(|d| d.old != d.new).count()
    }

    pub fn outcome_changes(&self) -> usize {
        self.deals.iter().filter(|d| !d.changes.is_empty()).count()
    }

    pub fn unchanged(&self) -> usize {
        self.total - self.deals.len() - self.invalid.len()
    }

    /// Nothing moves: no verdict or outcome change, no rule added, removed or changed.
    pub fn is_empty(&self) -> bool {
        self.deals.is_empty()
            && self.added.is_empty()
            && self.removed.is_empty()
            && self.changed.is_empty()
    }
}

pub fn run(args: &DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let style = if args.format == DiffFormat::Human {
        Style::from_flag(&args.color)
    } else {
        Style::default()
    };
    let handler = human::handler(style.stderr());
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
    let as_of = match args.as_of.as_deref().map(crate::value::parse_date) {
        None => None,
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            let _ = writeln!(err, "error: --as-of: {}\n  help: {}", e.message, e.help);
            return 2;
        }
    };
    let inputs = super::check::expand_inputs(&args.deals, err);
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
        load: LoadOptions::default(),
        render: false,
        read_timeout: limits.read_timeout,
        ..Settings::default()
    };
    let reports = |policy: &Policy| {
        let mut all: Vec<DealReport> = Vec::new();
        for input in &inputs {
            check_input(policy, input, &settings, &mut |d| all.push(d));
        }
        all
    };
    let old_reports = reports(&old);
    let impact = impact(&old, &new, &old_reports, &reports(&new));
    let text = match args.format {
        DiffFormat::Human => render::human(&impact, &style),
        DiffFormat::Json => render::json(&impact),
        DiffFormat::Markdown => render::markdown(&impact),
    };
    let _ = out.write_all(text.as_bytes());
    let unread = unread_deals(&old_reports);
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

/// Why each deal that could not be read at all could not be (a path that does not exist, an
/// unreadable file, a folder without deals): the comparison says nothing about them, so
/// `diff` exits 2 (SPEC §4). Deals that were read but are invalid are compared as usual.
fn unread_deals(reports: &[DealReport]) -> Vec<&str> {
    let unread = |p: &&crate::report::DealProblem| {
        p.code == "covenant::deal::unreadable"
            || (p.code == "covenant::deal::empty" && p.message.starts_with("no deals found"))
    };
    reports
        .iter()
        .filter_map(|r| {
            let p = r.problems.iter().find(unread)?;
            Some(p.message.as_str())
        })
        .collect()
}

/// Compare two policies over the same deals (`old_reports[i]` and `new_reports[i]` are one deal).
pub fn impact(
    old: &Policy,
    new: &Policy,
    old_reports: &[DealReport],
    new_reports: &[DealReport],
) -> Impact {
    let old_texts = rule_texts(old);
    let new_texts = rule_texts(new);
    let find = |texts: &[(String, Option<String>, String)], id: &str| {
        texts.iter().position(|(i, _, _)| i == id)
    };
    let as_ref = |(id, title, text): &(String, Option<String>, String)| RuleRef {
        id: id.clone(),
        title: title.clone(),
        text: text.clone(),
    };
    let added: Vec<RuleRef> = new_texts
        .iter()
        .filter(|(id, _, _)| find(&old_texts, id).is_none())
        .map(as_ref)
        .collect();
    let removed: Vec<RuleRef> = old_texts
        .iter()
        .filter(|(id, _, _)| find(&new_texts, id).is_none())
        .map(as_ref)
        .collect();
    let changed = new_texts
        .iter()
        .filter_map(|(id, _, text)| {
            let (_, _, before) = old_texts.get(find(&old_texts, id)?)?;
            (before != text).then(|| ChangedRule {
                id: id.clone(),
                old: before.clone(),
                new: text.clone(),
            })
        })
        .collect();
    // Every rule id: the new policy's order, then the removed rules in the old order.
    let universe: Vec<&str> = new_texts
        .iter()
        .map(|(id, _, _)| id.as_str())
        .chain(removed.iter().map(|r| r.id.as_str()))
        .collect();
    let mut deals = Vec::new();
    let mut invalid = Vec::new();
    let mut transitions: Vec<Transition> = Vec::new();
    for (o, n) in old_reports.iter().zip(new_reports) {
        if o.verdict == Verdict::Invalid && n.verdict == Verdict::Invalid {
            invalid.push(n.path.clone());
            continue;
        }
        let (before, after) = (outcomes(old, o), outcomes(new, n));
        let mut changes = Vec::new();
        for id in &universe {
            let from = lookup(&before, id);
            let to = lookup(&after, id);
            if from != to {
                changes.push((id.to_string(), from, to));
                match transitions
                    .iter_mut()
                    .find(|t| t.rule == *id && t.from == from && t.to == to)
                {
                    Some(t) => t.count += 1,
                    None => transitions.push(Transition {
                        rule: id.to_string(),
                        from,
                        to,
                        count: 1,
                    }),
                }
            }
        }
        if !changes.is_empty() || o.verdict != n.verdict {
            deals.push(DealChange {
                path: n.path.clone(),
                proposal: n.proposal.clone().or_else(|| o.proposal.clone()),
                old: o.verdict,
                new: n.verdict,
                changes,
            });
        }
    }
    // Per rule in universe order; for one rule, transitions in order of first appearance.
    let rank = |id: &str| universe.iter().position(|u| *u == id).unwrap_or(usize::MAX);
    transitions.sort_by_key(|t| rank(&t.rule));
    Impact {
        old: old.files.clone(),
        new: new.files.clone(),
        added,
        removed,
        changed,
        transitions,
        deals,
        invalid,
        total: old_reports.len().min(new_reports.len()),
    }
}

fn lookup(outcomes: &[(String, &'static str)], id: &str) -> Option<&'static str> {
    outcomes.iter().find(|(i, _)| i == id).map(|(_, o)| *o)
}

/// (rule id, outcome label) of one deal's report.
fn outcomes(policy: &Policy, d: &DealReport) -> Vec<(String, &'static str)> {
    d.results
        .iter()
        .filter_map(|r| Some((policy.rules.get(r.rule)?.id.clone(), outcome_label(r))))
        .collect()
}

/// (id, title, normalised text) of every rule, in policy order.
fn rule_texts(policy: &Policy) -> Vec<(String, Option<String>, String)> {
    policy
        .rules
        .iter()
        .map(|r| {
            let text = policy
                .sources
                .get(r.loc.file)
                .map_or("", |s| s.slice(r.loc.span));
            (r.id.clone(), r.title.clone(), normalise(text))
        })
        .collect()
}

/// A rule's text for comparison: `#` comments dropped (outside strings), every run of
/// whitespace one space, none just inside `( )` and `[ ]`, one around `{` and `}`.
pub fn normalise(text: &str) -> String {
    let mut out = String::new();
    let mut in_string = false;
    let mut escaped = false;
    let mut comment = false;
    let mut space = false;
    for c in text.chars() {
        if comment {
            if c == '\n' {
                comment = false;
                space = true;
            }
            continue;
        }
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
            continue;
        }
        match c {
            '#' => comment = true,
            c if c.is_whitespace() => space = true,
            '{' | '}' => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
                out.push(c);
                space = true;
            }
            _ => {
                let after_open = out.ends_with(['(', '[']);
                let before_close = matches!(c, ')' | ']');
                if space && !out.is_empty() && !after_open && !before_close {
                    out.push(' ');
                }
                space = false;
                if c == '"' {
                    in_string = true;
                }
                out.push(c);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn layout_and_comments_do_not_change_a_rule() {
        let a = "rule r \"T\" {\n  require x < 50%   # cap\n  help \"a  #  b\"\n}";
        let b = "rule r \"T\" { require x < 50%\n\n help \"a  #  b\" }";
        assert_eq!(normalise(a), normalise(b));
        assert_eq!(
            normalise(a),
            "rule r \"T\" { require x < 50% help \"a  #  b\" }"
        );
        assert_eq!(
            normalise("count of ( parties where x )"),
            "count of (parties where x)"
        );
        assert_ne!(normalise("x < 50%"), normalise("x < 40%"));
        assert_eq!(normalise("s = \"a \\\" # b\"  # c"), "s = \"a \\\" # b\"");
    }
}
