//! The log of the SARIF report: the rule descriptors (the policy's rules, then the deal-problem
//! codes that occur) and the run around the results, whole or as a skeleton for
//! [`crate::report::stream`].

use serde::Serialize;

use crate::resolve::ir::Rule;
use crate::resolve::Policy;
use crate::syntax::ast::Severity;

use super::{problem_result, rule_description, rule_result, text, SarifResult, Text, SCHEMA};
use crate::report::audit::{Audit, AuditFields};
use crate::report::cite::first_url;
use crate::report::{DealProblem, DealReport, Summary};
use crate::resolve::ir::Citation;

/// The log; `R` is a result, `D` a deal entry (stand-ins in the skeleton of a streamed log).
#[derive(Serialize)]
struct Log<'a, R, D> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a, R, D>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a, R, D> {
    tool: Tool<'a>,
    /// Our columns count characters (Unicode scalar values), not UTF-16 code units.
    column_kind: &'static str,
    results: Vec<R>,
    properties: RunProperties<'a, D>,
}

#[derive(Serialize)]
struct Tool<'a> {
    driver: Driver<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver<'a> {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Descriptor<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor<'a> {
    id: String,
    name: String,
    short_description: Text,
    #[serde(skip_serializing_if = "Option::is_none")]
    full_description: Option<Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Text>,
    /// The first url of the rule's sources (SPEC §12).
    #[serde(skip_serializing_if = "Option::is_none")]
    help_uri: Option<&'a str>,
    default_configuration: Configuration,
    properties: DescriptorProperties<'a>,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct DescriptorProperties<'a> {
    cite: Vec<&'a str>,
    citations: Vec<&'a Citation>,
    severity: &'static str,
}

#[derive(Serialize)]
struct RunProperties<'a, D> {
    /// `engine`, `evaluated_at`, `as_of`, `policies`: the JSON report's audit fields.
    #[serde(flatten)]
    audit: AuditFields<'a>,
    summary: &'a Summary,
    /// Every deal checked, in order, with its verdict: results name only findings, so a
    /// compliant deal would otherwise not appear in the log at all.
    deals: Vec<D>,
}

#[derive(Serialize)]
pub struct DealEntry<'a> {
    path: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    proposal: Option<&'a str>,
    verdict: &'static str,
    /// Problems past the first ones (see `MAX_PROBLEMS_SHOWN`), left out when none.
    #[serde(skip_serializing_if = "is_zero")]
    errors_omitted: usize,
    #[serde(skip_serializing_if = "is_zero")]
    warnings_omitted: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl<'a> DealEntry<'a> {
    pub fn new(d: &'a DealReport) -> DealEntry<'a> {
        DealEntry {
            path: &d.path,
            proposal: d.proposal.as_deref(),
            verdict: d.verdict.as_str(),
            errors_omitted: d.errors_omitted,
            warnings_omitted: d.warnings_omitted,
        }
    }
}

/// `american-control` → `AmericanControl`, the SARIF style of a descriptor's `name`.
pub(super) fn camel(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn rule_descriptor(rule: &Rule) -> Descriptor<'_> {
    Descriptor {
        id: rule.id.clone(),
        name: camel(&rule.id),
        short_description: text(rule_description(rule)),
        full_description: rule.help.as_ref().map(text),
        help: rule.help.as_ref().map(text),
        help_uri: first_url(&rule.cites),
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: DescriptorProperties {
            cite: rule.cites.iter().map(|c| c.text.as_str()).collect(),
            citations: rule.cites.iter().collect(),
            severity: rule.severity.as_str(),
        },
    }
}

fn problem_descriptor(code: &str, error: bool) -> Descriptor<'static> {
    let short = code.rsplit("::").next().unwrap_or(code);
    Descriptor {
        id: code.to_string(),
        name: camel(short),
        short_description: text(format!("deal problem `{short}`")),
        full_description: None,
        help: None,
        help_uri: None,
        default_configuration: Configuration {
            level: if error { "error" } else { "warning" },
        },
        properties: DescriptorProperties {
            cite: Vec::new(),
            citations: Vec::new(),
            severity: if error { "error" } else { "warning" },
        },
    }
}

/// The first deal-problem codes, in order of first occurrence, each with whether it was an
/// error anywhere: the descriptors after the policy's rules.
#[derive(Debug, Default)]
pub struct ProblemCodes {
    codes: Vec<(String, bool)>,
    index: std::collections::HashMap<String, usize>,
}

impl ProblemCodes {
    /// The place of `p`'s code among the codes, added at the end if new.
    pub fn add(&mut self, p: &DealProblem) -> usize {
        let i = match self.index.get(&p.code) {
            Some(&i) => i,
            None => {
                self.index.insert(p.code.clone(), self.codes.len());
                self.codes.push((p.code.clone(), false));
                self.codes.len() - 1
            }
        };
        if let Some(entry) = self.codes.get_mut(i) {
            entry.1 |= p.error;
        }
        i
    }
}

/// The log's skeleton around its results and deal entries, `R` and `D` (the items themselves,
/// or stand-ins to be replaced by streamed items).
fn log<'a, R: Serialize, D: Serialize>(
    policy: &'a Policy,
    audit: &Audit,
    codes: &'a ProblemCodes,
    summary: &'a Summary,
    results: Vec<R>,
    deals: Vec<D>,
) -> String {
    let mut rules: Vec<Descriptor> = policy.rules.iter().map(rule_descriptor).collect();
    rules.extend(codes.codes.iter().map(|(c, e)| problem_descriptor(c, *e)));
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: Tool {
                driver: Driver {
                    name: "covenant",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            column_kind: "unicodeCodePoints",
            results,
            properties: RunProperties {
                audit: audit.fields(policy),
                summary,
                deals,
            },
        }],
    };
    let mut out =
        serde_json::to_string_pretty(&log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    out.push('\n');
    out
}

/// The log with a stand-in string for its results and one for its deal entries (see
/// [`super::stream`]).
pub fn skeleton(
    policy: &Policy,
    audit: &Audit,
    codes: &ProblemCodes,
    summary: &Summary,
    stand_ins: (&str, &str),
) -> String {
    log(
        policy,
        audit,
        codes,
        summary,
        vec![stand_ins.0],
        vec![stand_ins.1],
    )
}

/// The results of one deal, its problems first.
pub fn deal_results<'a>(
    policy: &'a Policy,
    d: &'a DealReport,
    codes: &mut ProblemCodes,
) -> Vec<SarifResult<'a>> {
    let base = policy.rules.len();
    let mut results: Vec<SarifResult> = d
        .problems
        .iter()
        .map(|p| problem_result(d, p, base + codes.add(p)))
        .collect();
    results.extend(d.results.iter().filter_map(|r| rule_result(policy, d, r)));
    results
}

/// The whole batch as one SARIF 2.1.0 log (`covenant check` streams it instead: see
/// [`super::stream`]).
pub fn report(policy: &Policy, audit: &Audit, deals: &[DealReport], summary: &Summary) -> String {
    let mut codes = ProblemCodes::default();
    let mut results = Vec::new();
    for d in deals {
        results.extend(deal_results(policy, d, &mut codes));
    }
    let entries = deals.iter().map(DealEntry::new).collect();
    log(policy, audit, &codes, summary, results, entries)
}
