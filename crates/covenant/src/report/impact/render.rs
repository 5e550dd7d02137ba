//! `diff` output: human (optionally coloured), JSON and markdown. Every list keeps the order of
//! [`Impact`]: rules in policy order, deals in input order.

use std::fmt::Write as _;

use serde::Serialize;

use crate::report::style::Style;
use crate::report::visible::visible;
use crate::resolve::PolicyInfo;

use super::{Impact, RuleRef};

/// An outcome for display: `—` when the rule does not exist in that version.
fn shown(o: Option<&str>) -> &str {
    o.unwrap_or("—")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn policies(files: &[PolicyInfo]) -> String {
    files
        .iter()
        .map(|f| {
            let mut s = visible(&f.path).into_owned();
            let title = f.title.as_deref().map(visible);
            let version = f.version.as_deref().map(visible);
            match (title, version) {
                (Some(t), Some(v)) => s.push_str(&format!(" (\"{t}\" {v})")),
                (Some(t), None) => s.push_str(&format!(" (\"{t}\")")),
                (None, Some(v)) => s.push_str(&format!(" (version {v})")),
                (None, None) => {}
            }
            s
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn summary(i: &Impact) -> String {
    format!(
        "{}: {} change verdict, {} change rule outcomes, {} unchanged, {} invalid under both; rules: {} added, {} removed, {} changed",
        plural(i.total, "deal", "deals"),
        i.verdict_changes(),
        i.outcome_changes(),
        i.unchanged(),
        i.invalid.len(),
        i.added.len(),
        i.removed.len(),
        i.changed.len()
    )
}

pub fn human(i: &Impact, style: &Style) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "old: {}", policies(&i.old));
    let _ = writeln!(out, "new: {}", policies(&i.new));
    if !(i.added.is_empty() && i.removed.is_empty() && i.changed.is_empty()) {
        let _ = writeln!(out, "\n{}", style.bold("rules"));
        for r in &i.added {
            let title = r
                .title
                .as_deref()
                .map(|t| format!("  {t}"))
                .unwrap_or_default();
            let _ = writeln!(out, "  {} {}{title}", style.green("added  "), r.id);
            let _ = writeln!(out, "      {}", style.green(&format!("+ {}", r.text)));
        }
        for r in &i.removed {
            let title = r
                .title
                .as_deref()
                .map(|t| format!("  {t}"))
                .unwrap_or_default();
            let _ = writeln!(out, "  {} {}{title}", style.red("removed"), r.id);
            let _ = writeln!(out, "      {}", style.red(&format!("- {}", r.text)));
        }
        for r in &i.changed {
            let _ = writeln!(out, "  {} {}", style.yellow("changed"), r.id);
            let _ = writeln!(out, "      {}", style.red(&format!("- {}", r.old)));
            let _ = writeln!(out, "      {}", style.green(&format!("+ {}", r.new)));
        }
    }
    if !i.transitions.is_empty() {
        let _ = writeln!(out, "\n{}", style.bold("outcome changes"));
        for t in &i.transitions {
            let _ = writeln!(
                out,
                "  {}: {} → {} ×{}",
                t.rule,
                shown(t.from),
                shown(t.to),
                t.count
            );
        }
    }
    if !i.deals.is_empty() {
        let _ = writeln!(out, "\n{}", style.bold("deals"));
        for d in &i.deals {
            let verdict = if d.old == d.new {
                format!("{} (verdict unchanged)", d.new.as_str())
            } else {
                format!("{} → {}", d.old.as_str(), style.bold(d.new.as_str()))
            };
            let _ = writeln!(out, "  {}: {verdict}", visible(&d.path));
            for (rule, from, to) in &d.changes {
                let _ = writeln!(out, "      {rule}: {} → {}", shown(*from), shown(*to));
            }
        }
    }
    if !i.invalid.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            style.bold("invalid under both policies (not compared)")
        );
        for p in &i.invalid {
            let _ = writeln!(out, "  {}", visible(p));
        }
    }
    let _ = writeln!(out, "\n{}", summary(i));
    out
}

#[derive(Serialize)]
struct PolicyJson<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<&'a str>,
}

fn policies_json(files: &[PolicyInfo]) -> Vec<PolicyJson<'_>> {
    files
        .iter()
        .map(|f| PolicyJson {
            path: &f.path,
            title: f.title.as_deref(),
            version: f.version.as_deref(),
        })
        .collect()
}

#[derive(Serialize)]
struct RuleJson<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    text: &'a str,
}

fn rule_json(r: &RuleRef) -> RuleJson<'_> {
    RuleJson {
        id: &r.id,
        title: r.title.as_deref(),
        text: &r.text,
    }
}

#[derive(Serialize)]
struct ChangedJson<'a> {
    id: &'a str,
    old: &'a str,
    new: &'a str,
}

#[derive(Serialize)]
struct RulesJson<'a> {
    added: Vec<RuleJson<'a>>,
    removed: Vec<RuleJson<'a>>,
    changed: Vec<ChangedJson<'a>>,
}

#[derive(Serialize)]
struct TransitionJson<'a> {
    rule: &'a str,
    old: Option<&'a str>,
    new: Option<&'a str>,
    deals: usize,
}

#[derive(Serialize)]
struct OutcomeJson<'a> {
    rule: &'a str,
    old: Option<&'a str>,
    new: Option<&'a str>,
}

#[derive(Serialize)]
struct DealJson<'a> {
    path: &'a str,
    proposal: Option<&'a str>,
    old: &'a str,
    new: &'a str,
    rules: Vec<OutcomeJson<'a>>,
}

#[derive(Serialize)]
struct SummaryJson {
    deals: usize,
    verdict_changed: usize,
    outcomes_changed: usize,
    unchanged: usize,
    invalid: usize,
    rules_added: usize,
    rules_removed: usize,
    rules_changed: usize,
}

#[derive(Serialize)]
struct ReportJson<'a> {
    old: Vec<PolicyJson<'a>>,
    new: Vec<PolicyJson<'a>>,
    rules: RulesJson<'a>,
    outcomes: Vec<TransitionJson<'a>>,
    deals: Vec<DealJson<'a>>,
    invalid: Vec<&'a str>,
    summary: SummaryJson,
}

pub fn json(i: &Impact) -> String {
    let report = ReportJson {
        old: policies_json(&i.old),
        new: policies_json(&i.new),
        rules: RulesJson {
            added: i.added.iter().map(rule_json).collect(),
            removed: i.removed.iter().map(rule_json).collect(),
            changed: i
                .changed
                .iter()
                .map(|c| ChangedJson {
                    id: &c.id,
                    old: &c.old,
                    new: &c.new,
                })
                .collect(),
        },
        outcomes: i
            .transitions
            .iter()
            .map(|t| TransitionJson {
                rule: &t.rule,
                old: t.from,
                new: t.to,
                deals: t.count,
            })
            .collect(),
        deals: i
            .deals
            .iter()
            .map(|d| DealJson {
                path: &d.path,
                proposal: d.proposal.as_deref(),
                old: d.old.as_str(),
                new: d.new.as_str(),
                rules: d
                    .changes
                    .iter()
                    .map(|(rule, old, new)| OutcomeJson {
                        rule,
                        old: *old,
                        new: *new,
                    })
                    .collect(),
            })
            .collect(),
        invalid: i.invalid.iter().map(String::as_str).collect(),
        summary: SummaryJson {
            deals: i.total,
            verdict_changed: i.verdict_changes(),
            outcomes_changed: i.outcome_changes(),
            unchanged: i.unchanged(),
            invalid: i.invalid.len(),
            rules_added: i.added.len(),
            rules_removed: i.removed.len(),
            rules_changed: i.changed.len(),
        },
    };
    let mut s =
        serde_json::to_string_pretty(&report).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    s.push('\n');
    s
}

/// Inline code that survives backticks, pipes and control characters in the text.
fn code(text: &str) -> String {
    let text = visible(text).replace('|', "\\|");
    if text.contains('`') {
        format!("`` {text} ``")
    } else {
        format!("`{text}`")
    }
}

fn cell(text: &str) -> String {
    visible(text).replace('|', "\\|")
}

pub fn markdown(i: &Impact) -> String {
    let mut out = String::from("# Policy impact\n\n");
    let _ = writeln!(out, "- Old: {}", cell(&policies(&i.old)));
    let _ = writeln!(out, "- New: {}", cell(&policies(&i.new)));
    let _ = writeln!(out, "\n**{}**", cell(&summary(i)));
    if !(i.added.is_empty() && i.removed.is_empty() && i.changed.is_empty()) {
        out.push_str("\n## Rules\n\n| change | rule | old text | new text |\n|---|---|---|---|\n");
        for r in &i.added {
            let _ = writeln!(out, "| added | {} | | {} |", code(&r.id), code(&r.text));
        }
        for r in &i.removed {
            let _ = writeln!(out, "| removed | {} | {} | |", code(&r.id), code(&r.text));
        }
        for r in &i.changed {
            let _ = writeln!(
                out,
                "| changed | {} | {} | {} |",
                code(&r.id),
                code(&r.old),
                code(&r.new)
            );
        }
    }
    if !i.transitions.is_empty() {
        out.push_str("\n## Outcome changes\n\n| rule | old | new | deals |\n|---|---|---|---:|\n");
        for t in &i.transitions {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                code(&t.rule),
                shown(t.from),
                shown(t.to),
                t.count
            );
        }
    }
    if !i.deals.is_empty() {
        out.push_str(
            "\n## Deals\n\n| deal | proposal | verdict | rule changes |\n|---|---|---|---|\n",
        );
        for d in &i.deals {
            let verdict = if d.old == d.new {
                d.new.as_str().to_string()
            } else {
                format!("{} → **{}**", d.old.as_str(), d.new.as_str())
            };
            let changes: Vec<String> = d
                .changes
                .iter()
                .map(|(rule, from, to)| {
                    format!("{}: {} → {}", code(rule), shown(*from), shown(*to))
                })
                .collect();
            let _ = writeln!(
                out,
                "| {} | {} | {verdict} | {} |",
                code(&d.path),
                cell(d.proposal.as_deref().unwrap_or("")),
                changes.join("<br>")
            );
        }
    }
    if !i.invalid.is_empty() {
        out.push_str("\n## Invalid under both policies (not compared)\n\n");
        for p in &i.invalid {
            let _ = writeln!(out, "- {}", code(p));
        }
    }
    out
}
