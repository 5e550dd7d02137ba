//! The findings of one deal in the human report: how many rules applied, then each rule that
//! does not pass (and each exemption) with its title, one sentence ([`super::brief`]), its
//! citations and the deal values at their lines. Rules that come to the same sentence (one
//! missing field leaving five rules undecided) are shown once, with the rules listed.

use std::fmt::Write as _;

use crate::eval::outcome::{Outcome, RuleResult};
use crate::resolve::ir::Rule;
use crate::resolve::Policy;
use crate::syntax::ast::Severity;

use super::style::Style;
use super::visible::visible;
use super::DealReport;
use super::{brief, deal_values};

/// The column where a finding's sentence, citations and values start.
const INDENT: &str = "              ";

/// One finding: the rules that come to one sentence.
struct Finding<'a> {
    label: &'static str,
    /// The sentence said of one rule: what the rules share.
    key: String,
    rules: Vec<(&'a Rule, &'a RuleResult)>,
    values: Vec<deal_values::DealValue>,
    conversions: Vec<String>,
}

/// `fail`, `incomplete` or `exempt` for a result the report shows; None for a pass or a rule
/// that does not apply.
fn label(r: &RuleResult) -> Option<&'static str> {
    match r.outcome {
        Outcome::Fail => Some("fail"),
        Outcome::Incomplete => Some("incomplete"),
        Outcome::Pass if r.is_exempt() => Some("exempt"),
        Outcome::Pass | Outcome::NotApplicable => None,
    }
}

/// The findings of `d`, in policy order of their first rule.
fn findings<'a>(policy: &'a Policy, d: &'a DealReport) -> Vec<Finding<'a>> {
    let mut found: Vec<Finding<'a>> = Vec::new();
    for r in &d.results {
        let (Some(rule), Some(label)) = (policy.rules.get(r.rule), label(r)) else {
            continue;
        };
        let key = brief::sentence(rule, r, 1);
        let values = deal_values::values(r);
        match found.iter_mut().find(|f| f.label == label && f.key == key) {
            Some(f) => {
                f.rules.push((rule, r));
                deal_values::merge(&mut f.values, values);
            }
            None => found.push(Finding {
                label,
                key,
                rules: vec![(rule, r)],
                values,
                conversions: deal_values::conversions(r),
            }),
        }
    }
    found
}

/// Write the findings of `d`, each after a blank line.
pub fn write(policy: &Policy, d: &DealReport, style: Style, out: &mut String) {
    for f in findings(policy, d) {
        out.push('\n');
        let label = painted(style, f.label);
        match f.rules.as_slice() {
            [(rule, r)] => {
                let _ = writeln!(out, "  {label} {}", heading(rule, r));
                let _ = writeln!(out, "{INDENT}{}", visible(&f.key));
                write_cites(rule, &mut *out, INDENT);
                write_values(&f, d.file(), out);
            }
            rules => {
                let sentence = rules
                    .first()
                    .map(|(rule, r)| brief::sentence(rule, r, rules.len()))
                    .unwrap_or_default();
                let _ = writeln!(out, "  {label} {}", visible(&sentence));
                write_values(&f, d.file(), out);
                for (rule, r) in rules {
                    let _ = writeln!(out, "{INDENT}· {}", heading(rule, r));
                    write_cites(rule, &mut *out, &format!("{INDENT}  "));
                }
            }
        }
    }
}

/// `label` padded to its column, red for a failure, yellow for an incomplete rule.
fn painted(style: Style, label: &str) -> String {
    let pad = " ".repeat(11usize.saturating_sub(label.len()));
    let word = match label {
        "fail" => style.red(label),
        "incomplete" => style.yellow(label),
        _ => label.to_string(),
    };
    format!("{word}{pad}")
}

/// "Each foreign partner stays a minority [foreign-minority, warning, reported, not counted]".
fn heading(rule: &Rule, r: &RuleResult) -> String {
    let mut tags = vec![rule.id.clone()];
    if rule.severity != Severity::Error {
        tags.push(rule.severity.as_str().to_string());
    }
    tags.extend(super::status::tag(rule, r));
    format!("{} [{}]", visible(&brief::title(rule)), tags.join(", "))
}

fn write_cites(rule: &Rule, out: &mut String, indent: &str) {
    for c in &rule.cites {
        let _ = writeln!(out, "{indent}cite: {}", visible(&super::cite::line(c)));
    }
}

/// The deal values at their lines, then the rates of the conversions that gave them.
fn write_values(f: &Finding<'_>, file: &str, out: &mut String) {
    let lines = deal_values::value_lines(&f.values, file);
    for line in lines.iter().chain(&f.conversions) {
        let _ = writeln!(out, "{INDENT}{}", visible(line));
    }
}

/// "17 rules: 12 pass (1 exempt), 2 fail, 3 not applicable", or, when no rule applies, "no
/// rule applies: all 8 rules not-applicable".
pub fn counts(d: &DealReport) -> String {
    let n = d.results.len();
    let rules = plural(n, "rule", "rules");
    if d.applicable() == Some(0) {
        return match n {
            0 => "no rule applies: the policy has no rules".into(),
            1 => "no rule applies: the only rule is not-applicable".into(),
            _ => format!("no rule applies: all {rules} not-applicable"),
        };
    }
    let count = |o: Outcome| d.results.iter().filter(|r| r.outcome == o).count();
    let exempt = d.results.iter().filter(|r| r.is_exempt()).count();
    // "{rules}: " and the parts joined with ", ", pushed into one string (every deal of a
    // batch has this line: `format!` cost about 1 K instructions a deal).
    let mut text = rules;
    text.reserve(64);
    text.push_str(": ");
    let mut sep = "";
    let mut part = |text: &mut String, k: usize, word: &str| {
        text.push_str(sep);
        text.push_str(itoa::Buffer::new().format(k));
        text.push(' ');
        text.push_str(word);
        sep = ", ";
    };
    match (count(Outcome::Pass), exempt) {
        (0, _) => {}
        (p, 0) => part(&mut text, p, "pass"),
        (p, e) => {
            part(&mut text, p, "pass (");
            text.push_str(itoa::Buffer::new().format(e));
            text.push_str(" exempt)");
        }
    }
    for (o, word) in [
        (Outcome::Fail, "fail"),
        (Outcome::Incomplete, "incomplete"),
        (Outcome::NotApplicable, "not applicable"),
    ] {
        let k = count(o);
        if k > 0 {
            part(&mut text, k, word);
        }
    }
    text
}

fn plural(n: usize, one: &str, many: &str) -> String {
    let word = if n == 1 { one } else { many };
    super::prose::joined(&[itoa::Buffer::new().format(n), " ", word])
}
