//! The impact of a policy change on deals (`covenant diff`): both policies check the same
//! deals, and the reports are paired in input order. The result ([`Impact`]) lists the rules
//! added, removed and changed in text, the outcome transitions per rule with counts, and every
//! deal whose verdict or rule outcomes change. Its renderings are in [`crate::report::impact`].

use crate::check::{outcome_label, Engine, Input};
use crate::eval::outcome::{RuleResult, Verdict};
use crate::report::impact::{ChangedRule, DealChange, Impact, RuleRef, Transition};
use crate::report::DealReport;
use crate::resolve::Policy;

/// What comparing two policies over the same deals finds.
pub struct Comparison {
    pub impact: Impact,
    /// Why each deal that could not be read at all could not be: the comparison says nothing
    /// about them (`covenant diff` exits 2, SPEC §4).
    pub unread: Vec<String>,
}

/// Check every deal of `inputs` with both engines, one input at a time on this thread, and
/// compare. Standard input cannot be compared (it can be read once): it is reported unread.
pub fn compare(old: &Engine, new: &Engine, inputs: &[Input]) -> Comparison {
    let reports = |engine: &Engine| {
        let mut all: Vec<DealReport> = Vec::new();
        for input in inputs {
            engine.check_input(input, &mut |d| all.push(d));
        }
        all
    };
    let old_reports = reports(old);
    let impact = impact(old.policy(), new.policy(), &old_reports, &reports(new));
    let unread = unread_deals(&old_reports);
    Comparison { impact, unread }
}

/// Why each deal that could not be read at all could not be (a path that does not exist, an
/// unreadable file, a folder without deals): the comparison says nothing about them, so
/// `diff` exits 2 (SPEC §4). Deals that were read but are invalid are compared as usual.
fn unread_deals(reports: &[DealReport]) -> Vec<String> {
    let unread = |p: &&crate::report::DealProblem| {
        p.code == "covenant::deal::unreadable"
            || (p.code == "covenant::deal::empty" && p.message.starts_with("no deals found"))
    };
    reports
        .iter()
        .filter_map(|r| {
            let p = r.problems.iter().find(unread)?;
            Some(p.message.clone())
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
        .filter_map(|r| Some((policy.rules.get(r.rule)?.id.clone(), counted_label(r))))
        .collect()
}

/// A rule's outcome label, marked `(not counted)` when its status keeps it from counting
/// (SPEC §12): a rule that becomes counted, or stops counting, moves the verdict, and the
/// diff says which rule did. An overridden rule is `not-applicable` (SPEC §14).
fn counted_label(r: &RuleResult) -> &'static str {
    let label = outcome_label(r);
    if r.counted || r.overridden_by().is_some() {
        return label;
    }
    match label {
        "pass" => "pass (not counted)",
        "exempt" => "exempt (not counted)",
        "fail" => "fail (not counted)",
        "incomplete" => "incomplete (not counted)",
        _ => "not-applicable (not counted)",
    }
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
    use super::*;
    use crate::check::Settings;
    use crate::resolve::Compiled;
    use std::path::PathBuf;

    fn engine(policy: &str) -> Engine {
        let compiled = crate::resolve::compile_str("p.policy", policy);
        let Ok(Compiled { policy, .. }) = compiled else {
            panic!("the test policy does not compile");
        };
        Engine::new(policy, Settings::default())
    }

    #[test]
    fn two_policies_compared_over_the_same_deals() {
        let old = engine("rule seats: board seats >= 3\nrule gone: board seats >= 0\n");
        let new = engine("rule seats: board seats >= 8\nrule chair: board chair != \"\"\n");
        let root = crate::repo_root();
        let inputs = [
            Input::File(root.join("examples/deals/acme-dragon-51-49.yaml")),
            Input::Missing(PathBuf::from("gone.yaml"), "no such file or folder".into()),
        ];
        let Comparison { impact, unread } = compare(&old, &new, &inputs);
        assert_eq!(
            unread,
            ["cannot read deal `gone.yaml`: no such file or folder"]
        );
        let ids = |rules: &[RuleRef]| rules.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&impact.added), ["chair"]);
        assert_eq!(ids(&impact.removed), ["gone"]);
        let changed: Vec<&str> = impact.changed.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(changed, ["seats"]);
        assert_eq!((impact.total, impact.invalid.len()), (2, 1));
        let [deal] = impact.deals.as_slice() else {
            panic!("one deal changes, not {}", impact.deals.len());
        };
        assert_eq!(
            (deal.old, deal.new),
            (Verdict::Compliant, Verdict::NonCompliant)
        );
        let changes: Vec<_> = deal
            .changes
            .iter()
            .map(|(r, o, n)| (r.as_str(), *o, *n))
            .collect();
        assert_eq!(
            changes,
            [
                ("seats", Some("pass"), Some("fail")),
                ("chair", None, Some("pass")),
                ("gone", Some("pass"), None),
            ]
        );
    }

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
