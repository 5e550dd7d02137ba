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
use crate::report::{DealProblem, DealReport, RunProblem, Summary};
use crate::resolve::ir::Citation;

/// The log of one run.
#[derive(Serialize)]
struct Log<Run> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run>,
}

/// A run; `R` is a result, `D` a deal entry (stand-ins in the skeleton of a streamed log).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a, R, D> {
    tool: Tool<'a>,
    invocations: Vec<Invocation>,
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
    /// Results past the most the log lists (`--max-results`), left out when none.
    #[serde(skip_serializing_if = "is_zero")]
    results_omitted: usize,
}

/// The run's one invocation: whether it ran to its end, and what it has to say about itself.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Invocation {
    pub execution_successful: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tool_execution_notifications: Vec<Notification>,
}

/// A notification of the tool about its own run (not a finding about a deal).
#[derive(Serialize)]
pub struct Notification {
    pub level: &'static str,
    pub message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<super::Location>,
}

/// How many results a log lists, and how many more there were.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Listed {
    pub shown: usize,
    pub omitted: usize,
}

impl Listed {
    /// The invocation of a run that ran to its end: a warning when results were left out.
    fn invocation(self) -> Invocation {
        let mut notes = Vec::new();
        if self.omitted > 0 {
            notes.push(Notification {
                level: "warning",
                message: text(format!(
                    "{} results are listed and {} more are not (`--max-results`): \
                     `properties.summary` and the exit code count every deal, and \
                     `properties.deals` lists each deal with its verdict",
                    self.shown, self.omitted
                )),
                locations: Vec::new(),
            });
        }
        Invocation {
            execution_successful: true,
            tool_execution_notifications: notes,
        }
    }
}

#[derive(Debug, Serialize)]
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

    #[cfg(test)]
    pub(crate) fn for_test(
        path: &'a str,
        proposal: Option<&'a str>,
        verdict: &'static str,
        errors_omitted: usize,
        warnings_omitted: usize,
    ) -> DealEntry<'a> {
        DealEntry {
            path,
            proposal,
            verdict,
            errors_omitted,
            warnings_omitted,
        }
    }

    /// The entry as pretty JSON, its lines after the first begun with `indent` spaces: the
    /// same bytes as its `Serialize` (the streamed report writes one for every deal).
    pub fn write_pretty(&self, buf: &mut Vec<u8>, indent: usize) {
        let mut p = super::super::pretty::Pretty::new(buf, indent);
        p.open_object();
        p.str_member("path", self.path);
        if let Some(proposal) = self.proposal {
            p.str_member("proposal", proposal);
        }
        p.str_member("verdict", self.verdict);
        for (key, n) in [
            ("errors_omitted", self.errors_omitted),
            ("warnings_omitted", self.warnings_omitted),
        ] {
            if n != 0 {
                p.key(key);
                p.usize(n);
            }
        }
        p.close_object();
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
    listed: Listed,
) -> String {
    let mut rules: Vec<Descriptor> = policy.rules.iter().map(rule_descriptor).collect();
    rules.extend(codes.codes.iter().map(|(c, e)| problem_descriptor(c, *e)));
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            tool: tool(rules),
            invocations: vec![listed.invocation()],
            column_kind: "unicodeCodePoints",
            results,
            properties: RunProperties {
                audit: audit.fields(policy),
                summary,
                deals,
                results_omitted: listed.omitted,
            },
        }],
    };
    pretty(&log)
}

fn tool(rules: Vec<Descriptor<'_>>) -> Tool<'_> {
    Tool {
        driver: Driver {
            name: "covenant",
            version: env!("CARGO_PKG_VERSION"),
            semantic_version: env!("CARGO_PKG_VERSION"),
            rules,
        },
    }
}

fn pretty<T: Serialize>(log: &T) -> String {
    let mut out =
        serde_json::to_string_pretty(log).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
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
    listed: Listed,
) -> String {
    let (results, deals) = (vec![stand_ins.0], vec![stand_ins.1]);
    log(policy, audit, codes, summary, results, deals, listed)
}

/// The results of one deal, its problems first.
pub fn deal_results<'a>(
    policy: &'a Policy,
    d: &'a DealReport,
    codes: &mut ProblemCodes,
) -> Vec<SarifResult<'a>> {
    let mut listed = Listed::default();
    deal_results_within(policy, d, codes, None, &mut listed)
}

/// [`deal_results`], as many as keep `listed.shown` within `max`; the others are counted in
/// `listed.omitted` (and their problem codes are not added).
fn deal_results_within<'a>(
    policy: &'a Policy,
    d: &'a DealReport,
    codes: &mut ProblemCodes,
    max: Option<usize>,
    listed: &mut Listed,
) -> Vec<SarifResult<'a>> {
    let base = policy.rules.len();
    let mut results = Vec::new();
    let room = |listed: &mut Listed| {
        let fits = max.is_none_or(|m| listed.shown < m);
        if fits {
            listed.shown += 1;
        } else {
            listed.omitted += 1;
        }
        fits
    };
    for p in &d.problems {
        if room(listed) {
            results.push(problem_result(d, p, base + codes.add(p)));
        }
    }
    for r in d.results.iter().filter(|r| super::listed(policy, r)) {
        if room(listed) {
            results.extend(rule_result(policy, d, r));
        }
    }
    results
}

/// The whole batch as one SARIF 2.1.0 log (`covenant check` streams it instead: see
/// [`super::stream`]).
pub fn report(policy: &Policy, audit: &Audit, deals: &[DealReport], summary: &Summary) -> String {
    report_within(policy, audit, deals, summary, None)
}

/// [`report`], listing at most `max` results (the first ones, in deal order); the others are
/// counted in `properties.results_omitted` and a tool notification.
pub fn report_within(
    policy: &Policy,
    audit: &Audit,
    deals: &[DealReport],
    summary: &Summary,
    max: Option<usize>,
) -> String {
    let mut codes = ProblemCodes::default();
    let mut listed = Listed::default();
    let mut results = Vec::new();
    for d in deals {
        results.extend(deal_results_within(policy, d, &mut codes, max, &mut listed));
    }
    let entries = deals.iter().map(DealEntry::new).collect();
    log(policy, audit, &codes, summary, results, entries, listed)
}

/// The log of a run that checked no deal: `executionSuccessful: false`, a tool notification
/// that says why (`summary`), and each problem placed in a file as a result (at most `max`;
/// the others counted in a second notification) whose rule is its diagnostic code.
pub fn not_run(summary: &str, problems: &[RunProblem], max: Option<usize>) -> String {
    let located: Vec<&RunProblem> = problems.iter().filter(|p| p.file.is_some()).collect();
    let mut codes: Vec<&str> = Vec::new();
    for p in &located {
        if !codes.contains(&p.code.as_str()) {
            codes.push(&p.code);
        }
    }
    let shown = located.len().min(max.unwrap_or(usize::MAX));
    let results: Vec<ProblemResult> = located
        .iter()
        .take(shown)
        .map(|p| ProblemResult::of(p, codes.iter().position(|c| *c == p.code)))
        .collect();
    let mut notes = vec![Notification {
        level: "error",
        message: text(summary),
        locations: Vec::new(),
    }];
    for p in problems.iter().filter(|p| p.file.is_none()) {
        notes.push(Notification {
            level: if p.error { "error" } else { "warning" },
            message: text(with_help(&format!("{}: {}", p.code, p.message), p)),
            locations: Vec::new(),
        });
    }
    if shown < located.len() {
        let listed = Listed {
            shown,
            omitted: located.len() - shown,
        };
        notes.extend(listed.invocation().tool_execution_notifications);
    }
    let rules = codes.iter().map(|c| code_descriptor(c)).collect();
    pretty(&Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![FailedRun {
            tool: tool(rules),
            invocations: vec![Invocation {
                execution_successful: false,
                tool_execution_notifications: notes,
            }],
            column_kind: "unicodeCodePoints",
            results,
        }],
    })
}

/// A run that checked no deal: no deal entries, no summary.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct FailedRun<'a> {
    tool: Tool<'a>,
    invocations: Vec<Invocation>,
    column_kind: &'static str,
    results: Vec<ProblemResult>,
}

/// A problem of a run that checked no deal, as a result.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ProblemResult {
    rule_id: String,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: Vec<super::Location>,
}

impl ProblemResult {
    fn of(p: &RunProblem, index: Option<usize>) -> ProblemResult {
        let file = p.file.as_deref().unwrap_or_default();
        // A primary location always has a region: line 1 when the problem has no position.
        let start = p.start.unwrap_or((1, 1));
        ProblemResult {
            rule_id: p.code.clone(),
            rule_index: index.unwrap_or_default(),
            level: if p.error { "error" } else { "warning" },
            message: text(with_help(&p.message, p)),
            locations: vec![super::Location::new(file, Some(start), p.end, None)],
        }
    }
}

fn with_help(message: &str, p: &RunProblem) -> String {
    match &p.help {
        Some(h) => format!("{message}\nhelp: {h}"),
        None => message.to_string(),
    }
}

/// The descriptor of a diagnostic code, described by the registry (`crate::codes`).
fn code_descriptor(code: &str) -> Descriptor<'static> {
    let short = code.rsplit("::").next().unwrap_or(code);
    let summary = crate::codes::lookup(code).map_or("a diagnostic of covenant", |c| c.summary);
    Descriptor {
        id: code.to_string(),
        name: camel(short),
        short_description: text(summary),
        full_description: None,
        help: None,
        help_uri: None,
        default_configuration: Configuration { level: "error" },
        properties: DescriptorProperties {
            cite: Vec::new(),
            citations: Vec::new(),
            severity: "error",
        },
    }
}
