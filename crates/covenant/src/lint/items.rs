//! Checks on the parsed files, which run even when the policy does not compile:
//! `empty-window`, `expired-window`, `missing-cite` and `no-rules`.

use jiff::civil::Date;

use crate::resolve::LoadedFile;
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{Clause, Item, Rule, RuleForm, Status, Window};

use super::finding::{Finding, Severity};
use super::{EMPTY_WINDOW, EXPIRED_WINDOW, MISSING_CITE, NO_RULES};

pub fn check(files: &[LoadedFile], today: Date, out: &mut Vec<Finding>) {
    no_rules(files, out);
    for f in files {
        let header_status = f.ast.header.status.as_ref().map(|s| s.node);
        if let Some(w) = &f.ast.header.effective {
            let kept = header_status == Some(Status::Repealed);
            window(&f.source, w, None, (today, kept), out);
        }
        for item in &f.ast.items {
            let Item::Rule(rule) = item else { continue };
            let kept = rule_status(rule).or(header_status) == Some(Status::Repealed);
            for clause in &rule.clauses {
                if let Clause::Effective(w) = clause {
                    window(&f.source, w, Some(&rule.id.node), (today, kept), out);
                }
            }
            if f.ast.header.cites.is_empty() {
                cite(&f.source, rule, out);
            }
        }
    }
}

/// The rule's own `status`, if it has one.
fn rule_status(rule: &Rule) -> Option<Status> {
    rule.clauses.iter().find_map(|c| match c {
        Clause::Status(s) => Some(s.node),
        _ => None,
    })
}

/// `[from, until)` is empty when `until <= from`, over when `until <= today`; a window over
/// is no finding when the rule is kept, repealed, for historical deals (SPEC §12).
fn window(
    src: &SourceFile,
    w: &Window,
    rule: Option<&str>,
    (today, kept): (Date, bool),
    out: &mut Vec<Finding>,
) {
    let Some(until) = &w.until else { return };
    let whose = match rule {
        Some(id) => format!("rule `{id}`"),
        None => "the policy header".into(),
    };
    let from = w.from.node;
    if until.node <= from {
        let f = Finding::new(
            EMPTY_WINDOW,
            Severity::Error,
            format!(
                "the effective window of {} is empty: it ends on {} but starts on {from}",
                whose, until.node
            ),
            src,
            until.span,
            "ends before the window starts",
        )
        .label(w.from.span, "starts here")
        .help(format!(
            "`until` is exclusive: the window is [from, until), so `until` must be after {from}"
        ));
        out.push(f);
        return;
    }
    if until.node <= today && !kept {
        let last = until.node.yesterday().unwrap_or(until.node);
        let message = match rule {
            Some(id) => format!(
                "rule `{id}` no longer applies: its window ended on {last} (`until` {} is exclusive)",
                until.node
            ),
            None => format!(
                "the default window of this policy file ended on {last} (`until` {} is exclusive)",
                until.node
            ),
        };
        let f = Finding::new(
            EXPIRED_WINDOW,
            Severity::Warning,
            message,
            src,
            until.span,
            format!("over since {}", until.node),
        )
        .help(match rule {
            Some(_) => {
                "remove the rule, move `until` if it should still apply, or mark it \
                 `status repealed` if it is kept for deals made while it applied"
            }
            None => "rules without their own `effective` never apply; move `until` or remove them",
        });
        out.push(f);
    }
}

fn cite(src: &SourceFile, rule: &Rule, out: &mut Vec<Finding>) {
    if rule.clauses.iter().any(|c| matches!(c, Clause::Cite(_))) {
        return;
    }
    let help = match rule.form {
        RuleForm::Braced => {
            "add `cite \"…\"` naming the regulation, agreement or memo it comes from"
        }
        RuleForm::OneLine | RuleForm::Bare => {
            "write the rule in braces to give it a source: `rule id { cite \"…\" require … }`"
        }
    };
    out.push(
        Finding::new(
            MISSING_CITE,
            Severity::Info,
            format!("rule `{}` cites no source", rule.id.node),
            src,
            rule.id.span,
            "no `cite`",
        )
        .help(help),
    );
}

/// `no-rules`: a file that no loaded file uses and that reaches no rule, neither its own nor
/// through `use`. Checking deals against it alone would pass every one of them. (A file of
/// definitions that a file with rules uses, and a file that only uses files with rules, are
/// fine.)
fn no_rules(files: &[LoadedFile], out: &mut Vec<Finding>) {
    let mut used = vec![false; files.len()];
    for f in files {
        for &u in &f.uses {
            if let Some(flag) = used.get_mut(u) {
                *flag = true;
            }
        }
    }
    for (i, f) in files.iter().enumerate() {
        if used.get(i).copied().unwrap_or(true) || reaches_a_rule(files, i) {
            continue;
        }
        let span = f
            .ast
            .header
            .title
            .as_ref()
            .map(|_| f.ast.header.span)
            .or_else(|| f.ast.items.first().map(item_span))
            .unwrap_or_default();
        out.push(
            Finding::new(
                NO_RULES,
                Severity::Error,
                format!(
                    "`{}` holds no rule and no policy file uses it: every deal checked against it passes",
                    f.source.name
                ),
                &f.source,
                span,
                "no rule in this file",
            )
            .help("add a rule (`rule ID: …`, or an expression on a line of its own), or `use` this file from a policy file that has rules; if lines seem to be missing, check the file's line ends (docs/syntax.md)"),
        );
    }
}

/// Does file `start` hold a rule, or use (transitively) a file that does?
fn reaches_a_rule(files: &[LoadedFile], start: usize) -> bool {
    let mut seen = vec![false; files.len()];
    let mut stack = vec![start];
    while let Some(i) = stack.pop() {
        let Some(f) = files.get(i) else { continue };
        if std::mem::replace(seen.get_mut(i).unwrap_or(&mut true), true) {
            continue;
        }
        if f.ast.items.iter().any(|item| matches!(item, Item::Rule(_))) {
            return true;
        }
        stack.extend(f.uses.iter().copied());
    }
    false
}

fn item_span(item: &Item) -> Span {
    match item {
        Item::Use(u) => u.span,
        Item::Let(l) => l.span,
        Item::Define(d) => d.span,
        Item::Rule(r) => r.span,
    }
}
