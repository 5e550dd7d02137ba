//! Evaluation: compiled rules × a deal → outcomes with evidence (SPEC §3).

pub mod evidence;
pub mod expr;
pub mod near_miss;
pub mod outcome;
pub mod trace;
pub mod value;

#[cfg(test)]
mod tests;

use jiff::civil::Date;

use crate::deal::tree::{Deal, NodeValue};
use crate::deal::DealError;
use crate::resolve::ir::{Expr, Rule};
use crate::resolve::Policy;
use crate::value::Scalar;

use expr::{Evaluator, Fact, Judgement, Tv};
use outcome::{Evidence, Outcome, RuleResult};

/// Evaluate every rule of `policy` on `deal`, in policy order.
pub fn evaluate(policy: &Policy, deal: &Deal, as_of: Option<Date>) -> Vec<RuleResult> {
    evaluate_with_warnings(policy, deal, as_of).0
}

/// [`evaluate`], with the deal warnings found on the way: the near misses between deal strings
/// and policy literals (`covenant::deal::near-miss`, SPEC §2.6).
pub fn evaluate_with_warnings(
    policy: &Policy,
    deal: &Deal,
    as_of: Option<Date>,
) -> (Vec<RuleResult>, Vec<DealError>) {
    let date = as_of.or_else(|| deal_date(policy, deal));
    // One evaluator (and one cache of definitions); evidence is collected only on a second
    // pass over a rule that did not simply pass.
    let mut ev = Evaluator::new(policy, deal, false);
    let results = policy
        .rules
        .iter()
        .enumerate()
        .map(|(index, rule)| {
            ev.collect = false;
            let quick = rule_outcome(&mut ev, rule, date, as_of.is_some());
            // Passes and not-applicable outcomes need no evidence, except an exemption's note.
            if quick.outcome == Outcome::NotApplicable
                || (quick.outcome == Outcome::Pass && quick.exempt.is_none())
            {
                return RuleResult {
                    rule: index,
                    ..quick
                };
            }
            ev.collect = true;
            RuleResult {
                rule: index,
                ..rule_outcome(&mut ev, rule, date, as_of.is_some())
            }
        })
        .collect();
    let warnings = ev.near_misses.borrow().warnings(&deal.source);
    (results, warnings)
}

/// The deal's `date`, when the schema has one and it is set.
pub(crate) fn deal_date(policy: &Policy, deal: &Deal) -> Option<Date> {
    let index = policy.date_field?;
    match &deal.root.field(index)?.value {
        NodeValue::Scalar(Scalar::Date(d)) => Some(*d),
        _ => None,
    }
}

/// Append a date as its `Display` writes it (`2026-09-01`), directly for four-digit years.
fn push_date(out: &mut String, d: Date) {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(1000..=9999).contains(&y) {
        out.push_str(&d.to_string());
        return;
    }
    let digit = |n: i16| b'0' + (n % 10) as u8;
    let text = [
        digit(y / 1000),
        digit(y / 100),
        digit(y / 10),
        digit(y),
        b'-',
        digit(i16::from(m) / 10),
        digit(i16::from(m)),
        b'-',
        digit(i16::from(day) / 10),
        digit(i16::from(day)),
    ];
    out.push_str(std::str::from_utf8(&text).unwrap_or("????-??-??"));
}

fn result(outcome: Outcome, message: String) -> RuleResult {
    RuleResult {
        rule: 0,
        outcome,
        exempt: None,
        message,
        evidence: Vec::new(),
        help: None,
        unknown_when: Vec::new(),
    }
}

/// Kleene conjunction of clauses, with the indices of the clauses that were false (only the
/// first unless facts are being collected) and, when facts are collected, of those unknown.
fn all<'d>(ev: &mut Evaluator<'d>, clauses: &[Expr]) -> (Judgement<'d>, Vec<usize>, Vec<usize>) {
    if !ev.collect {
        // The quick pass has no facts: the first false clause decides.
        let mut tv = Tv::True;
        for (i, c) in clauses.iter().enumerate() {
            match ev.truth(c).tv {
                Tv::False => {
                    return (
                        Judgement {
                            tv: Tv::False,
                            facts: Vec::new(),
                        },
                        vec![i],
                        Vec::new(),
                    )
                }
                t => tv = tv.and(t),
            }
        }
        return (
            Judgement {
                tv,
                facts: Vec::new(),
            },
            Vec::new(),
            Vec::new(),
        );
    }
    let mut acc = Judgement {
        tv: Tv::True,
        facts: Vec::new(),
    };
    let mut false_at = Vec::new();
    let mut unknown_at = Vec::new();
    for (i, c) in clauses.iter().enumerate() {
        let j = ev.truth(c);
        match j.tv {
            Tv::False => false_at.push(i),
            Tv::Unknown => unknown_at.push(i),
            Tv::True => {}
        }
        acc = expr::and(acc, j);
        if acc.tv == Tv::False && !ev.collect {
            break;
        }
    }
    (acc, false_at, unknown_at)
}

/// The outcome of one rule by the steps of SPEC §3.1.
pub(crate) fn rule_outcome(
    ev: &mut Evaluator<'_>,
    rule: &Rule,
    date: Option<Date>,
    as_of: bool,
) -> RuleResult {
    if let Some(w) = rule.window {
        let window = || match w.until {
            Some(u) => format!("[{}, {})", w.from, u),
            None => format!("from {}", w.from),
        };
        let Some(d) = date else {
            let window = window();
            let mut r = result(
                Outcome::Incomplete,
                format!("the rule is in effect {window}, and the deal has no `date`"),
            );
            r.evidence.push(Evidence {
                element: None,
                path: Some("date".into()),
                value: None,
                bound: None,
                op: None,
                margin: None,
                note: "`date` is missing: give the deal a date or pass --as-of".into(),
                location: None,
                more: None,
            });
            return r;
        };
        if d < w.from || w.until.is_some_and(|u| d >= u) {
            // not in effect on {d} ({which}): the rule applies {window}
            let mut text = String::with_capacity(80);
            text.push_str("not in effect on ");
            push_date(&mut text, d);
            text.push_str(if as_of {
                " (--as-of): the rule applies "
            } else {
                " (the deal's date): the rule applies "
            });
            match w.until {
                Some(u) => {
                    text.push('[');
                    push_date(&mut text, w.from);
                    text.push_str(", ");
                    push_date(&mut text, u);
                    text.push(')');
                }
                None => {
                    text.push_str("from ");
                    push_date(&mut text, w.from);
                }
            }
            return result(Outcome::NotApplicable, text);
        }
    }
    let (when, when_false, when_unknown) = all(ev, &rule.when);
    if when.tv == Tv::False {
        let failed = when_false.first().and_then(|&i| rule.when.get(i));
        let mut text = String::with_capacity(40 + failed.map_or(0, |c| c.text.len()));
        text.push_str("not applicable: ");
        match failed {
            Some(c) => {
                text.push('`');
                text.push_str(&c.text);
                text.push('`');
            }
            None => text.push_str("a `when` condition"),
        }
        text.push_str(" is false");
        return result(Outcome::NotApplicable, text);
    }
    let mut unknown_exemptions = Vec::new();
    for u in &rule.unless {
        let j = ev.truth(u);
        match j.tv {
            Tv::True => {
                let mut r = result(Outcome::Pass, format!("exempt: `{}` holds", u.text));
                r.exempt = Some(u.text.to_string());
                r.evidence =
                    evidence::evidence_at(&ev.policy.schema, &mut ev.locator, &j.facts, None);
                return r;
            }
            Tv::Unknown => unknown_exemptions.push((u, j)),
            Tv::False => {}
        }
    }
    let mut notes: Vec<Evidence> = Vec::new();
    for (u, j) in &unknown_exemptions {
        let mut ev = evidence::evidence_at(&ev.policy.schema, &mut ev.locator, &j.facts, None);
        for e in &mut ev {
            e.note = format!(
                "exemption `{}` is unknown, so it does not apply: {}",
                u.text, e.note
            );
        }
        notes.extend(ev);
    }
    if when.tv == Tv::Unknown {
        let mut r = result(
            Outcome::Incomplete,
            "cannot tell whether the rule applies: a `when` condition is unknown".into(),
        );
        r.evidence = evidence::evidence_at(&ev.policy.schema, &mut ev.locator, &when.facts, None);
        r.evidence.extend(notes);
        r.unknown_when = when_unknown;
        return r;
    }
    let (req, req_false, _) = all(ev, &rule.require);
    if !ev.collect && req.tv != Tv::True {
        // The outcome is all the first pass needs; the second pass writes the report.
        let outcome = if req.tv == Tv::False {
            Outcome::Fail
        } else {
            Outcome::Incomplete
        };
        return result(outcome, String::new());
    }
    let mut r = match req.tv {
        Tv::True => {
            let vacuous = req.facts.iter().find_map(|f| match f {
                Fact::Note(n) if n.starts_with("holds vacuously") => Some(n.clone()),
                _ => None,
            });
            result(
                Outcome::Pass,
                vacuous.unwrap_or_else(|| String::from("holds")),
            )
        }
        Tv::False => {
            // `{a}` and `{b}` does not hold
            let mut text = String::new();
            for c in req_false.iter().filter_map(|&i| rule.require.get(i)) {
                if !text.is_empty() {
                    text.push_str(" and ");
                }
                text.push('`');
                text.push_str(&c.text);
                text.push('`');
            }
            text.push_str(" does not hold");
            let mut r = result(Outcome::Fail, text);
            r.evidence =
                evidence::evidence_at(&ev.policy.schema, &mut ev.locator, &req.facts, Some(false));
            // Only counts of elements left out (their tests all held, under a `not`): show
            // every fact instead.
            if r.evidence.iter().all(|e| e.more.is_some()) {
                r.evidence =
                    evidence::evidence_at(&ev.policy.schema, &mut ev.locator, &req.facts, None);
            }
            r.help =
                evidence::fix_help(&ev.policy.schema, &req.facts).or_else(|| rule.help.clone());
            r
        }
        Tv::Unknown => {
            let mut r = result(
                Outcome::Incomplete,
                "cannot decide: the deal lacks data the rule needs".into(),
            );
            r.evidence =
                evidence::evidence_at(&ev.policy.schema, &mut ev.locator, &req.facts, None)
                    .into_iter()
                    .filter(|e| e.value.is_none() || e.op.is_none())
                    .collect();
            r
        }
    };
    if r.outcome != Outcome::Pass {
        r.evidence.extend(notes);
    }
    if let Some(first) = r
        .evidence
        .iter()
        .find(|e| e.value.is_none() && e.more.is_none() && r.outcome == Outcome::Incomplete)
    {
        r.message = format!("cannot decide: {}", first.note);
    }
    r
}
