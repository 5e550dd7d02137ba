//! Interval reasoning on the rules of a compiled policy: `always-false-when`, `never-passes`
//! and `never-fails`.
//!
//! "Never passes" means no deal can make the rule pass (a missing value makes a rule
//! `incomplete`, which is not a pass either); "never fails" means no deal can make it fail.

use crate::resolve::ir::{Expr, Loc, Rule};
use crate::resolve::Policy;
use crate::source::{SourceFile, Span};

use super::finding::{Finding, Severity};
use super::formula::F;
use super::lower::Conv;
use super::solve::{sat, Culprit, Sat};
use super::{ALWAYS_FALSE_WHEN, NEVER_FAILS, NEVER_PASSES};

pub fn check(policy: &Policy, out: &mut Vec<Finding>) {
    for rule in &policy.rules {
        if let Some(src) = policy.sources.get(rule.loc.file) {
            check_rule(policy, src, rule, out);
        }
    }
}

fn check_rule(policy: &Policy, src: &SourceFile, rule: &Rule, out: &mut Vec<Finding>) {
    let mut conv = Conv::new(policy);
    let when: Vec<F> = rule.when.iter().map(|e| conv.cond(e)).collect();
    if let Sat::No(c) = sat(&F::And(when.clone())) {
        let message = format!(
            "the `when` of rule `{}` can never hold{}, so the rule never applies",
            rule.id,
            why(policy, &c)
        );
        let f = contradiction(
            policy,
            src,
            rule,
            ALWAYS_FALSE_WHEN,
            Severity::Warning,
            message,
            &c,
            &[rule.loc.span],
        )
        .help("remove the rule, or correct its `when`");
        out.push(f);
        return;
    }
    let require: Vec<F> = rule.require.iter().map(|e| conv.cond(e)).collect();
    let require_spans: Vec<Span> = rule.require.iter().map(|e| e.loc.span).collect();
    let all = F::And(when.iter().chain(&require).cloned().collect());
    let exempt = if rule.unless.is_empty() {
        ""
    } else {
        "; it passes only when its `unless` exempts it"
    };
    match sat(&all) {
        Sat::No(c) => {
            let message = format!("rule `{}` can never pass{}", rule.id, why(policy, &c));
            let f = contradiction(policy, src, rule, NEVER_PASSES, Severity::Error, message, &c, &require_spans)
                .help(format!("no deal can make this rule pass (a missing value makes it incomplete, never pass); correct the bounds{exempt}"));
            out.push(f);
        }
        Sat::OnlyEmpty { culprits, list }
            if culprits.iter().filter(|c| c.what.is_some()).count() >= 2 =>
        {
            let message = format!(
                "rule `{}` can pass only when `{list}` is empty{} for any one element",
                rule.id,
                why(policy, &culprits)
            );
            let f = contradiction(policy, src, rule, NEVER_PASSES, Severity::Warning, message, &culprits, &require_spans)
                .help(format!("with any element in `{list}` the rule fails or is incomplete; correct the bounds{exempt}"));
            out.push(f);
        }
        _ => {}
    }
    if rule.require.is_empty() {
        out.push(
            Finding::new(
                NEVER_FAILS,
                Severity::Warning,
                format!(
                    "rule `{}` has no `require` clause, so it passes whenever it applies",
                    rule.id
                ),
                src,
                rule.id_span,
                "no `require`",
            )
            .help("add a `require` clause with what the rule demands"),
        );
    }
    for (e, f) in rule.require.iter().zip(&require) {
        let negated = F::And(when.iter().cloned().chain([f.clone().negate()]).collect());
        if let Sat::No(c) = sat(&negated) {
            out.push(never_fails(src, rule, e, &c));
        }
    }
    for e in &rule.unless {
        let f = conv.cond(e);
        if !f.has_atoms() && matches!(sat(&f.negate()), Sat::No(_)) {
            out.push(
                Finding::new(
                    NEVER_FAILS,
                    Severity::Warning,
                    format!(
                        "the `unless` of rule `{}` always holds, so the rule can never fail",
                        rule.id
                    ),
                    src,
                    e.loc.span,
                    "always holds",
                )
                .help("remove the `unless`, or make it depend on the deal"),
            );
        }
    }
}

/// The culprits in this rule's file.
fn local(src_file: usize, c: &[Culprit]) -> impl Iterator<Item = &Culprit> {
    c.iter().filter(move |x| x.loc.file == src_file)
}

/// `: `a` and `b` cannot both hold` from the culprits' texts.
fn why(policy: &Policy, c: &[Culprit]) -> String {
    let texts: Vec<String> = c
        .iter()
        .map(|x| match &x.what {
            Some(_) => format!("`{}`", x.text),
            None => {
                let text = policy.sources.get(x.loc.file).map(|s| s.slice(x.loc.span));
                format!("`{}`", text.unwrap_or("false"))
            }
        })
        .collect();
    match texts.as_slice() {
        [] => String::new(),
        [one] => format!(": {one} never holds"),
        [a, b] => format!(": {a} and {b} cannot both hold"),
        [rest @ .., last] => format!(": {} and {last} cannot all hold", rest.join(", ")),
    }
}

fn inside(span: Span, outer: Span) -> bool {
    outer.start <= span.start && span.end <= outer.end
}

/// A finding labelled on the culprits; the primary label on the first one inside `prefer`
/// (the `require` clauses), else on the first one in the rule's file, else on the rule's id.
#[allow(clippy::too_many_arguments)]
fn contradiction(
    policy: &Policy,
    src: &SourceFile,
    rule: &Rule,
    code: &str,
    severity: Severity,
    message: String,
    c: &[Culprit],
    prefer: &[Span],
) -> Finding {
    let file = rule.loc.file;
    let label = |x: &Culprit| match &x.what {
        Some(w) if x.flipped => format!("this must not hold, so {w}"),
        Some(w) => format!("here {w}"),
        None => "never true".to_string(),
    };
    let in_prefer = |x: &&Culprit| prefer.iter().any(|s| inside(x.loc.span, *s));
    let primary = local(file, c)
        .find(in_prefer)
        .or_else(|| local(file, c).next());
    let mut f = match primary {
        Some(p) => Finding::new(code, severity, message, src, p.loc.span, label(p)),
        None => Finding::new(code, severity, message, src, rule.id_span, "in this rule"),
    };
    for x in local(file, c) {
        if primary.is_some_and(|p| p.loc == x.loc) {
            continue;
        }
        f = f.label(x.loc.span, label(x));
    }
    let elsewhere: Vec<String> = c
        .iter()
        .filter(|x| x.loc.file != file)
        .map(|x| elsewhere(policy, x.loc, x.what.as_deref()))
        .collect();
    if !elsewhere.is_empty() {
        f.message = format!("{} (with {})", f.message, elsewhere.join(", "));
    }
    f
}

fn elsewhere(policy: &Policy, loc: Loc, what: Option<&str>) -> String {
    let Some(src) = policy.sources.get(loc.file) else {
        return what.unwrap_or("`false`").to_string();
    };
    let (line, col) = src.line_col(loc.span.start);
    format!("{} at {}:{line}:{col}", what.unwrap_or("`false`"), src.name)
}

fn never_fails(src: &SourceFile, rule: &Rule, e: &Expr, c: &[Culprit]) -> Finding {
    let given: Vec<&Culprit> = local(rule.loc.file, c)
        .filter(|x| !inside(x.loc.span, e.loc.span))
        .collect();
    let when = if given.is_empty() {
        "for every deal"
    } else {
        "whenever the rule applies"
    };
    let mut f = Finding::new(
        NEVER_FAILS,
        Severity::Warning,
        format!(
            "rule `{}` can never fail on `{}`: it holds {when}",
            rule.id, e.text
        ),
        src,
        e.loc.span,
        "always holds",
    )
    .help("a clause that always holds checks nothing: tighten it or remove it");
    for x in given {
        let label = match &x.what {
            Some(w) if x.flipped => format!("given that this fails, so {w}"),
            Some(w) => format!("given that {w}"),
            None => "given this".into(),
        };
        f = f.label(x.loc.span, label);
    }
    f
}
