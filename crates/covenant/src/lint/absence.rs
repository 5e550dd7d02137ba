//! `exempt-by-absence`: an `unless` that holds when a field is missing exempts a deal for
//! lacking data, the opposite of "missing data never passes silently" (SPEC §3.4, §8).

use crate::resolve::ir::{Base, Expr, ExprKind as K};
use crate::resolve::Policy;

use super::finding::{Finding, Severity};
use super::EXEMPT_BY_ABSENCE;

/// How many definitions deep a test is looked for.
const MAX_DEF_DEPTH: usize = 32;

pub fn check(policy: &Policy, out: &mut Vec<Finding>) {
    for rule in &policy.rules {
        let Some(src) = policy.sources.get(rule.loc.file) else {
            continue;
        };
        for e in &rule.unless {
            let Some(test) = missing_test(policy, e, false, 0) else {
                continue;
            };
            let (span, label) = if test.loc.file == rule.loc.file {
                (test.loc.span, "holds when the field is missing")
            } else {
                (e.loc.span, "holds when a field is missing")
            };
            out.push(
                Finding::new(
                    EXEMPT_BY_ABSENCE,
                    Severity::Warning,
                    format!(
                        "the `unless` of rule `{}` exempts a deal that lacks data: `{}`",
                        rule.id, test.text
                    ),
                    src,
                    span,
                    label,
                )
                .help(
                    "a deal that leaves the field out passes the rule; if the exemption is \
                     meant, say so with a field the deal states (`waivers contains …`), else \
                     require the field with `… is present`",
                ),
            );
        }
    }
}

/// A presence test in `e` that holds when a field is absent (`is missing`, `is not present`,
/// or `is present` under `not`), if there is one; `negated` under an odd number of `not`s.
fn missing_test<'a>(
    policy: &'a Policy,
    e: &'a Expr,
    negated: bool,
    depth: usize,
) -> Option<&'a Expr> {
    let inner = |x: &'a Expr| missing_test(policy, x, negated, depth);
    match &e.kind {
        K::Presence { missing, .. } => (*missing != negated).then_some(e),
        K::Not(x) => missing_test(policy, x, !negated, depth),
        K::And(xs) | K::Or(xs) => xs.iter().find_map(inner),
        K::Quant { cond, body, .. } => cond.iter().chain(body).find_map(|x| inner(x)),
        // A yes/no table exempts where a row's value does.
        K::Table(t) => t.all_rows().find_map(|r| inner(&r.value)),
        K::Path {
            base: Base::Let(i),
            steps,
        } if steps.is_empty() && depth < MAX_DEF_DEPTH => {
            let def = policy.defs.get(*i)?;
            missing_test(policy, &def.value, negated, depth + 1)
        }
        _ => None,
    }
}
