//! The JSON report of SPEC §4 (`--format json` and, one deal per line, `--format jsonl`).

use serde::Serialize;

use crate::eval::outcome::{Evidence, RuleResult};
use crate::resolve::Policy;

use super::{DealReport, Summary};

#[derive(Serialize)]
pub struct PolicyJson<'a> {
    pub path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<&'a str>,
}

#[derive(Serialize)]
struct EvidenceJson<'a> {
    note: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    element: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    op: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    bound: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    margin: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

#[derive(Serialize)]
struct RuleJson<'a> {
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a str>,
    severity: &'a str,
    outcome: &'a str,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    exempt: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    exemption: Option<&'a str>,
    message: &'a str,
    evidence: Vec<EvidenceJson<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
}

#[derive(Serialize)]
struct ProblemJson<'a> {
    code: &'a str,
    severity: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

#[derive(Serialize)]
struct DealJson<'a> {
    path: &'a str,
    proposal: Option<&'a str>,
    verdict: &'a str,
    rules: Vec<RuleJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<ProblemJson<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    warnings: Vec<ProblemJson<'a>>,
}

fn evidence<'a>(e: &'a Evidence, file: &'a str) -> EvidenceJson<'a> {
    EvidenceJson {
        note: &e.note,
        element: e.element.as_deref(),
        path: e.path.as_deref(),
        value: e.value.as_deref(),
        op: e.op.as_deref(),
        bound: e.bound.as_deref(),
        margin: e.margin.as_deref(),
        file: e.location.as_ref().map(|_| file),
        line: e.location.as_ref().map(|l| l.line),
        column: e.location.as_ref().map(|l| l.column),
    }
}

fn rule<'a>(policy: &'a Policy, r: &'a RuleResult, file: &'a str) -> Option<RuleJson<'a>> {
    let rule = policy.rules.get(r.rule)?;
    Some(RuleJson {
        id: &rule.id,
        title: rule.title.as_deref(),
        severity: rule.severity.as_str(),
        outcome: r.outcome.as_str(),
        exempt: r.exempt.is_some(),
        exemption: r.exempt.as_deref(),
        message: &r.message,
        evidence: r.evidence.iter().map(|e| evidence(e, file)).collect(),
        help: r.help.as_deref(),
    })
}

fn deal_json<'a>(policy: &'a Policy, d: &'a DealReport) -> DealJson<'a> {
    let file = d
        .path
        .rsplit_once(':')
        .filter(|(_, n)| n.parse::<usize>().is_ok())
        .map_or(d.path.as_str(), |(f, _)| f);
    let problem = |p: &'a super::DealProblem| ProblemJson {
        code: &p.code,
        severity: if p.error { "error" } else { "warning" },
        message: &p.message,
        help: p.help.as_deref(),
        line: p.line,
        column: p.column,
    };
    DealJson {
        path: &d.path,
        proposal: d.proposal.as_deref(),
        verdict: d.verdict.as_str(),
        rules: d
            .results
            .iter()
            .filter_map(|r| rule(policy, r, file))
            .collect(),
        errors: d.problems.iter().filter(|p| p.error).map(problem).collect(),
        warnings: d
            .problems
            .iter()
            .filter(|p| !p.error)
            .map(problem)
            .collect(),
    }
}

/// One deal as a single JSON line (`--format jsonl`).
pub fn deal_line(policy: &Policy, d: &DealReport) -> String {
    serde_json::to_string(&deal_json(policy, d))
        .unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

/// The whole report as one JSON object (`--format json`).
pub fn report(policy: &Policy, deals: &[DealReport], summary: &Summary) -> String {
    #[derive(Serialize)]
    struct Report<'a> {
        policies: Vec<PolicyJson<'a>>,
        deals: Vec<DealJson<'a>>,
        summary: &'a Summary,
    }
    let r = Report {
        policies: policies(policy),
        deals: deals.iter().map(|d| deal_json(policy, d)).collect(),
        summary,
    };
    serde_json::to_string_pretty(&r).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

pub fn policies(policy: &Policy) -> Vec<PolicyJson<'_>> {
    policy
        .files
        .iter()
        .map(|f| PolicyJson {
            path: &f.path,
            title: f.title.as_deref(),
            version: f.version.as_deref(),
        })
        .collect()
}
