//! Checks on the parsed files, which run even when the policy does not compile:
//! `empty-window`, `expired-window` and `missing-cite`.

use jiff::civil::Date;

use crate::resolve::LoadedFile;
use crate::source::SourceFile;
use crate::syntax::ast::{Clause, Item, Rule, RuleForm, Window};

use super::finding::{Finding, Severity};
use super::{EMPTY_WINDOW, EXPIRED_WINDOW, MISSING_CITE};

pub fn check(files: &[LoadedFile], today: Date, out: &mut Vec<Finding>) {
    for f in files {
        if let Some(w) = &f.ast.header.effective {
            window(&f.source, w, None, today, out);
        }
        for item in &f.ast.items {
            let Item::Rule(rule) = item else { continue };
            for clause in &rule.clauses {
                if let Clause::Effective(w) = clause {
                    window(&f.source, w, Some(&rule.id.node), today, out);
                }
            }
            cite(&f.source, rule, out);
        }
    }
}

/// `[from, until)` is empty when `until <= from`, over when `until <= today`.
fn window(src: &SourceFile, w: &Window, rule: Option<&str>, today: Date, out: &mut Vec<Finding>) {
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
    if until.node <= today {
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
            Some(_) => "remove the rule, or move `until` if it should still apply",
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
