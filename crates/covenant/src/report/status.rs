//! The words of legal status and precedence (SPEC §12, §14) in every report: a rule's status
//! tag (`proposed, not counted`), and the sentences of an overridden rule and of a failure
//! that may be overridden.

use std::sync::Arc;

use crate::eval::outcome::{MayBeOverridden, Outcome, RuleResult};
use crate::resolve::ir::Rule;
use crate::resolve::Policy;
use crate::syntax::ast::{Severity, Status};

/// The tag a report puts beside a rule's result: its status unless `in-force`, and `not
/// counted` when the result does not count for the verdict for its status (an overridden rule
/// says so in its message instead). None for a counted rule in force.
pub fn tag(rule: &Rule, r: &RuleResult) -> Option<String> {
    tag_of(rule.status, r.counted, r.overridden_by().is_some())
}

/// [`tag`], from a rule's status, whether its result counts, and whether it is overridden.
pub fn tag_of(status: Status, counted: bool, overridden: bool) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    if status != Status::InForce {
        parts.push(status.as_str());
    }
    if !counted && !overridden {
        parts.push("not counted");
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// ` [TAGS]` after a rule's id in the human report and `explain` (the severity first when
/// `with_severity` and it is not `error`), or nothing.
pub fn bracketed(rule: &Rule, r: &RuleResult, with_severity: bool) -> String {
    let mut tags: Vec<String> = Vec::new();
    if with_severity && rule.severity != Severity::Error {
        tags.push(rule.severity.as_str().to_string());
    }
    tags.extend(tag(rule, r));
    if tags.is_empty() {
        String::new()
    } else {
        format!(" [{}]", tags.join(", "))
    }
}

/// The help of a finding that does not count, with the line that says why and how to count
/// it; any other result's help as it is.
pub fn with_uncounted_help(rule: &Rule, r: &RuleResult, help: Option<String>) -> Option<String> {
    if !uncounted_finding(r) {
        return help;
    }
    let note = format!(
        "not counted: the rule is `{}`; --include-proposed counts it",
        rule.status.as_str()
    );
    Some(help.map_or_else(|| note.clone(), |h| format!("{h}\n{note}")))
}

/// Whether the result is a failure or incomplete that does not count for the verdict: the
/// reports show it as a note, not as a finding that fails a build.
pub fn uncounted_finding(r: &RuleResult) -> bool {
    !r.counted && matches!(r.outcome, Outcome::Fail | Outcome::Incomplete)
}

/// What the rules that do not count would have decided, for the line under a deal's verdict:
/// "`cap` (proposed) fails, `escrow` (reported, warning) is incomplete: not counted;
/// --include-proposed counts them". A rule that is not an error says its severity. None when every failing or incomplete rule counts.
pub fn uncounted_summary(policy: &Policy, results: &[RuleResult]) -> Option<String> {
    let found: Vec<String> = results
        .iter()
        .filter(|r| uncounted_finding(r))
        .filter_map(|r| {
            let rule = policy.rules.get(r.rule)?;
            let verb = if r.outcome == Outcome::Fail {
                "fails"
            } else {
                "is incomplete"
            };
            // A warning rule counted still leaves the verdict alone (without
            // --deny-warnings): say so, or the hint promises a change it cannot make.
            let severity = if rule.severity == Severity::Error {
                String::new()
            } else {
                format!(", {}", rule.severity.as_str())
            };
            Some(format!(
                "`{}` ({}{severity}) {verb}",
                rule.id,
                rule.status.as_str()
            ))
        })
        .collect();
    if found.is_empty() {
        return None;
    }
    let them = if found.len() == 1 { "it" } else { "them" };
    Some(format!(
        "{}: not counted; --include-proposed counts {them}",
        found.join(", ")
    ))
}

/// "overridden by `cfius-exception`".
pub fn overridden(by: &str) -> String {
    format!("overridden by `{by}`")
}

/// "rule `b` may override this rule: whether it applies is unknown".
pub fn may_override(by: &[Arc<str>]) -> String {
    match by {
        [one] => format!("rule `{one}` may override this rule: whether it applies is unknown"),
        many => format!(
            "rules {} may override this rule: whether they apply is unknown",
            ticked(many)
        ),
    }
}

/// "`x` does not hold, but rule `b` may override this rule: whether it applies is unknown".
pub fn may_be_overridden(m: &MayBeOverridden) -> String {
    let reason = may_override(&m.by);
    if m.failed.is_empty() {
        return format!("fails, but {reason}");
    }
    let failed: Vec<String> = m.failed.iter().map(|c| format!("`{c}`")).collect();
    format!("{} does not hold, but {reason}", failed.join(" and "))
}

/// `a`, `b` and `c`, each in backticks.
fn ticked(items: &[Arc<str>]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}
