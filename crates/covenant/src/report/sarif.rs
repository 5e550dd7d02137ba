//! The SARIF 2.1.0 report of `covenant check --format sarif` (see `docs/reports.md`).
//!
//! One run; `tool.driver.rules` lists every policy rule (in policy order), then one descriptor
//! per deal-problem code that occurs. A result is a failing or incomplete rule on one deal: its
//! primary location is the deal value that decided it, its `relatedLocations` the rule in the
//! policy and the other deal values. A rule exempted by an approval (SPEC §10) is a `pass`
//! result located at the approval, with the approval as an accepted external suppression. A
//! deal problem (an invalid deal, or a warning such as an unknown key) is a result whose rule
//! id is the problem code, located in the deal.

use std::borrow::Cow;
use std::collections::BTreeMap;

use serde::Serialize;

use crate::eval::outcome::{DealLocation, Outcome, RuleResult, Waiver};
use crate::resolve::ir::Rule;
use crate::resolve::Policy;
use crate::syntax::ast::Severity;

use super::escape_runs::push_escaped;
use super::{prose, DealProblem, DealReport};

#[path = "sarif_log.rs"]
mod log;
#[path = "sarif_write.rs"]
mod write;
pub use log::{
    deal_results, not_run, report, report_within, skeleton, DealEntry, Invocation, Listed,
    Notification, ProblemCodes,
};

/// The schema URI written as `$schema`.
pub const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

/// Plain text of a message or description.
#[derive(Debug, Serialize)]
pub struct Text {
    pub text: String,
}

fn text(s: impl Into<String>) -> Text {
    Text { text: s.into() }
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SarifResult<'a> {
    rule_id: &'a str,
    rule_index: usize,
    /// `pass` for a rule exempted by an approval; left out (`fail`) otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<&'static str>,
    level: &'static str,
    message: Text,
    locations: Vec<Location>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location>,
    partial_fingerprints: BTreeMap<&'static str, String>,
    /// The approval that exempted the rule, as an accepted external suppression.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    suppressions: Vec<Suppression>,
    properties: ResultProperties<'a>,
}

/// A SARIF suppression: how an approval (SPEC §10) exempts a rule.
#[derive(Debug, Serialize)]
struct Suppression {
    kind: &'static str,
    status: &'static str,
    justification: String,
}

#[derive(Debug, Serialize)]
struct ResultProperties<'a> {
    deal: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    proposal: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outcome: Option<&'static str>,
    /// The rule's legal status and whether its result counts (SPEC §12), for rule results.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    counted: Option<bool>,
    verdict: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    help: Option<Cow<'a, str>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    evidence: Vec<String>,
    /// The approval that exempted the rule: the JSON report's waiver object.
    #[serde(skip_serializing_if = "Option::is_none")]
    waiver: Option<super::waiver::WaiverJson>,
}

/// A SARIF location: a file, optionally a region in it, optionally a message.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Location {
    pub physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<Text>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PhysicalLocation {
    pub artifact_location: ArtifactLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub region: Option<Region>,
}

#[derive(Debug, Serialize)]
pub struct ArtifactLocation {
    pub uri: String,
}

/// 1-based lines and columns; `endColumn` is the column just after the region.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Region {
    pub start_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub start_column: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub end_column: Option<usize>,
}

impl Location {
    /// A location in `path`; `start` and `end` are 1-based (line, column) pairs.
    pub fn new(
        path: &str,
        start: Option<(usize, usize)>,
        end: Option<(usize, usize)>,
        message: Option<String>,
    ) -> Location {
        Location {
            physical_location: PhysicalLocation {
                artifact_location: ArtifactLocation { uri: uri(path) },
                region: start.map(|(line, column)| Region {
                    start_line: line,
                    start_column: Some(column),
                    end_line: end.map(|e| e.0),
                    end_column: end.map(|e| e.1),
                }),
            },
            message: message.map(text),
        }
    }
}

/// A path as given on the command line as a URI reference: `/` separators, reserved and
/// non-ASCII bytes percent-encoded, absolute paths as `file:` URIs.
pub fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len() + 16);
    let rest = match path.as_bytes() {
        // A drive's letter and `:` are kept as they are.
        [d, b':', ..] if d.is_ascii_alphabetic() => {
            out.push_str("file:///");
            out.push_str(path.get(..2).unwrap_or_default());
            path.get(2..).unwrap_or_default()
        }
        [b'/' | b'\\', ..] => {
            out.push_str("file://");
            path
        }
        _ => path,
    };
    let kept = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/');
    // A character not kept is stopped at by its first byte, never by a continuation byte.
    let stop = |b: u8| !kept(b) && !(0x80..0xC0).contains(&b);
    push_escaped(&mut out, rest, stop, |out, c| {
        if c == '\\' {
            out.push('/');
            return;
        }
        let hex = |n: u8| char::from(if n < 10 { b'0' + n } else { b'A' + n - 10 });
        for b in c.encode_utf8(&mut [0; 4]).bytes() {
            out.push('%');
            out.push(hex(b >> 4));
            out.push(hex(b & 15));
        }
    });
    out
}

/// Where a rule is: its policy file and the 1-based (line, column) of the start and the end
/// of its id, or of the text of a bare rule.
pub struct RulePosition {
    pub file: String,
    pub start: (usize, usize),
    pub end: (usize, usize),
}

pub fn rule_position(policy: &Policy, rule: &Rule) -> Option<RulePosition> {
    let source = policy.sources.get(rule.loc.file)?;
    Some(RulePosition {
        file: source.name.to_string(),
        start: source.line_col(rule.id_span.start),
        end: source.line_col(rule.id_span.end),
    })
}

/// Where a result points in its policy: the first unknown `when` clause of a rule whose
/// applicability is unknown (that is what made it incomplete), else [`rule_position`].
pub fn result_position(policy: &Policy, rule: &Rule, r: &RuleResult) -> Option<RulePosition> {
    let Some(when) = r.unknown_when.first().and_then(|&i| rule.when.get(i)) else {
        return rule_position(policy, rule);
    };
    let source = policy.sources.get(when.loc.file)?;
    Some(RulePosition {
        file: source.name.to_string(),
        start: source.line_col(when.loc.span.start),
        end: source.line_col(when.loc.span.end),
    })
}

/// A one-line description of a rule: its title, else its `require` clauses.
pub fn rule_description(rule: &Rule) -> String {
    if let Some(t) = &rule.title {
        return t.clone();
    }
    let clauses: Vec<&str> = rule.require.iter().map(|e| &*e.text).collect();
    if clauses.is_empty() {
        rule.id.clone()
    } else {
        clauses.join(" and ")
    }
}

/// Level of a rule result: `error` for a failing error rule, `note` for an info rule and for
/// a result that does not count (SPEC §12), else `warning` (a failing warning rule, or any
/// incomplete rule).
fn result_level(severity: Severity, outcome: Outcome, counted: bool) -> &'static str {
    match (severity, outcome) {
        _ if !counted => "note",
        (Severity::Info, _) => "note",
        (Severity::Error, Outcome::Fail) => "error",
        _ => "warning",
    }
}

/// Whether a rule result is listed in the log: a failing or incomplete rule, or one exempted
/// by an approval (see `docs/reports.md`). [`rule_result`] gives a result exactly for these.
pub fn listed(policy: &Policy, r: &RuleResult) -> bool {
    policy.rules.get(r.rule).is_some()
        && (r.waiver().is_some() || matches!(r.outcome, Outcome::Fail | Outcome::Incomplete))
}

/// The line a deal starts on in its file: 1, or the line of a deal from a `.jsonl` batch
/// (`batch.jsonl:17`).
fn deal_line(d: &DealReport) -> usize {
    d.path
        .get(d.file().len()..)
        .and_then(|rest| rest.strip_prefix(':'))
        .and_then(|n| n.parse().ok())
        .unwrap_or(1)
}

/// A location in the deal: `at`'s region, or, without one, the deal's first line.
fn in_deal(d: &DealReport, at: Option<&DealLocation>, message: Option<String>) -> Location {
    match at {
        Some(l) => Location::new(
            d.file(),
            Some((l.line, l.column)),
            Some((l.end_line, l.end_column)),
            message,
        ),
        None => Location::new(d.file(), Some((deal_line(d), 1)), None, message),
    }
}

/// The rule's place in its policy, as a related location.
fn rule_place(at: Option<RulePosition>, rule: &Rule, unknown_when: bool) -> Option<Location> {
    let at = at?;
    let message = if unknown_when {
        format!("rule `{}`: this `when` is unknown for the deal", rule.id)
    } else {
        format!("rule `{}`", rule.id)
    };
    Some(Location::new(
        &at.file,
        Some(at.start),
        Some(at.end),
        Some(message),
    ))
}

/// What a place of [`decided_at`] is labelled with: evidence `i`'s note, or an ownership
/// edge's or link's own label.
enum PlaceLabel {
    Evidence(usize),
    Holding(String),
}

/// The deal values that decided a result, in order and made as they are read: the located
/// evidence, then the edges and links of its ownership evidence.
fn decided_at(r: &RuleResult) -> impl Iterator<Item = (DealLocation, PlaceLabel)> + '_ {
    let located = r
        .evidence
        .iter()
        .enumerate()
        .filter_map(|(i, e)| e.location.clone().map(|at| (at, PlaceLabel::Evidence(i))));
    let holdings = r.evidence.iter().flat_map(|e| {
        super::holdings::places(&e.note)
            .into_iter()
            .map(|(at, label)| (at, PlaceLabel::Holding(label)))
    });
    located.chain(holdings)
}

/// [`decided_at`], each place with its note (`notes`: the evidence's, in order).
fn evidence_places(r: &RuleResult, notes: &[String]) -> Vec<(DealLocation, String)> {
    decided_at(r)
        .map(|(at, label)| {
            let note = match label {
                PlaceLabel::Evidence(i) => notes.get(i).cloned().unwrap_or_default(),
                PlaceLabel::Holding(label) => label,
            };
            (at, note)
        })
        .collect()
}

/// A result's anchor in its deal: the 1-based (line, column) of the start and end of the
/// first deal value that decided it ([`decided_at`]), else of the deal's first line (no end).
pub fn anchor(d: &DealReport, r: &RuleResult) -> ((usize, usize), Option<(usize, usize)>) {
    match decided_at(r).next() {
        Some((l, _)) => ((l.line, l.column), Some((l.end_line, l.end_column))),
        None => ((deal_line(d), 1), None),
    }
}

/// A problem's place in its deal: its line and column, else the deal's first line.
pub fn problem_place(d: &DealReport, p: &DealProblem) -> (usize, usize) {
    (
        p.line.unwrap_or_else(|| deal_line(d)),
        p.column.unwrap_or(1),
    )
}

/// The level of a listed rule result: `error`, `warning` or `note`.
pub fn level_of(policy: &Policy, r: &RuleResult) -> &'static str {
    match policy.rules.get(r.rule) {
        Some(rule) => result_level(rule.severity, r.outcome, r.counted),
        None => "warning",
    }
}

/// The message of a rule result: `DEAL: MESSAGE; FIRST EVIDENCE NOTE` (the note left out when
/// the message says it already).
pub fn result_text(d: &DealReport, r: &RuleResult) -> String {
    result_text_noted(d, r, r.evidence.first().map(prose::note).as_deref())
}

/// [`result_text`] with the first evidence's note made already.
fn result_text_noted(d: &DealReport, r: &RuleResult, first_note: Option<&str>) -> String {
    let line = prose::result_message(r);
    let mut message = format!("{}: {line}", d.path);
    if let Some(note) = first_note {
        // The message may quote the note already ("cannot decide: `stake` is missing").
        if !line.contains(note) {
            message.push_str("; ");
            message.push_str(note);
        }
    }
    message
}

/// The message of a deal problem: `DEAL: MESSAGE` (the message may name the deal already).
pub fn problem_text(d: &DealReport, p: &DealProblem) -> String {
    if p.message.contains(d.path.as_str()) {
        p.message.clone()
    } else {
        format!("{}: {}", d.path, p.message)
    }
}

/// The SARIF result of a rule result, when it is [`listed`]. Its primary location is the deal
/// value that decided it (the first located piece of evidence; a missing value is located at
/// the record it is missing from), else the deal's first line; its related locations are the
/// rule in the policy, then the other deal values.
pub fn rule_result<'a>(
    policy: &'a Policy,
    d: &'a DealReport,
    r: &'a RuleResult,
) -> Option<SarifResult<'a>> {
    if let Some(w) = r.waiver() {
        return waived_result(policy, d, r, w);
    }
    if !listed(policy, r) {
        return None;
    }
    let rule = policy.rules.get(r.rule)?;
    // Each note is made once, for the message, the locations and the properties.
    let notes: Vec<String> = r.evidence.iter().map(prose::note).collect();
    let mut places = evidence_places(r, &notes).into_iter();
    let primary = match places.next() {
        Some((at, note)) => in_deal(d, Some(&at), Some(note)),
        None => in_deal(d, None, None),
    };
    let unknown_when = !r.unknown_when.is_empty();
    let mut related: Vec<Location> =
        rule_place(result_position(policy, rule, r), rule, unknown_when)
            .into_iter()
            .collect();
    related.extend(places.map(|(l, note)| in_deal(d, Some(&l), Some(note))));
    Some(SarifResult {
        rule_id: &rule.id,
        rule_index: r.rule,
        kind: None,
        level: result_level(rule.severity, r.outcome, r.counted),
        message: text(result_text_noted(d, r, notes.first().map(String::as_str))),
        locations: vec![primary],
        related_locations: related,
        partial_fingerprints: fingerprint(&d.path, &rule.id),
        suppressions: Vec::new(),
        properties: ResultProperties {
            deal: &d.path,
            proposal: d.proposal.as_deref(),
            outcome: Some(r.outcome.as_str()),
            status: Some(rule.status.as_str()),
            counted: Some(r.counted),
            verdict: d.verdict.as_str(),
            help: prose::result_help(r)
                .map(Cow::Owned)
                .or(rule.help.as_deref().map(Cow::Borrowed)),
            evidence: notes,
            waiver: None,
        },
    })
}

/// A rule exempted by an approval (SPEC §10): a `pass` result, suppressed by the approval
/// (an accepted external suppression whose justification names the approver, the reference
/// and the expiry), located at the approval in the deal, related to the rule.
fn waived_result<'a>(
    policy: &'a Policy,
    d: &'a DealReport,
    r: &'a RuleResult,
    w: &Waiver,
) -> Option<SarifResult<'a>> {
    let rule = policy.rules.get(r.rule)?;
    let approval = super::waiver::approval(w);
    let primary = in_deal(d, w.location.as_ref(), Some(approval.clone()));
    Some(SarifResult {
        rule_id: &rule.id,
        rule_index: r.rule,
        kind: Some("pass"),
        level: "none",
        message: text(format!("{}: {}", d.path, prose::result_message(r))),
        locations: vec![primary],
        related_locations: rule_place(rule_position(policy, rule), rule, false)
            .into_iter()
            .collect(),
        partial_fingerprints: fingerprint(&d.path, &rule.id),
        suppressions: vec![Suppression {
            kind: "external",
            status: "accepted",
            justification: approval,
        }],
        properties: ResultProperties {
            deal: &d.path,
            proposal: d.proposal.as_deref(),
            outcome: Some("exempt"),
            status: Some(rule.status.as_str()),
            counted: Some(r.counted),
            verdict: d.verdict.as_str(),
            help: None,
            evidence: Vec::new(),
            waiver: Some(super::waiver::WaiverJson::of(w)),
        },
    })
}

fn fingerprint(deal: &str, id: &str) -> BTreeMap<&'static str, String> {
    BTreeMap::from([("covenant/v1", format!("{deal}#{id}"))])
}

pub fn problem_result<'a>(d: &'a DealReport, p: &'a DealProblem, index: usize) -> SarifResult<'a> {
    // A primary location always has a region: the deal's first line when the problem has no
    // position.
    let start = Some(problem_place(d, p));
    SarifResult {
        rule_id: &p.code,
        rule_index: index,
        kind: None,
        level: if p.error { "error" } else { "warning" },
        message: text(problem_text(d, p)),
        locations: vec![Location::new(d.file(), start, None, None)],
        related_locations: Vec::new(),
        partial_fingerprints: fingerprint(&d.path, &p.code),
        suppressions: Vec::new(),
        properties: ResultProperties {
            deal: &d.path,
            proposal: d.proposal.as_deref(),
            outcome: None,
            status: None,
            counted: None,
            verdict: d.verdict.as_str(),
            help: p.help.as_deref().map(Cow::Borrowed),
            evidence: Vec::new(),
            waiver: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::log::camel;
    use super::*;

    #[test]
    fn uris_are_relative_references_with_reserved_bytes_encoded() {
        assert_eq!(uri("examples/deals/a b.yaml"), "examples/deals/a%20b.yaml");
        assert_eq!(uri("deals\\x:1.json"), "deals/x%3A1.json");
        assert_eq!(uri("/tmp/d.yaml"), "file:///tmp/d.yaml");
        assert_eq!(uri("C:\\d\\é.toml"), "file:///C:/d/%C3%A9.toml");
        assert_eq!(uri("-"), "-");
    }

    /// [`uri`] as first written: the separators replaced, then each byte tested and pushed.
    fn uri_byte_by_byte(path: &str) -> String {
        let path = path.replace('\\', "/");
        let bytes = path.as_bytes();
        let drive = matches!(bytes, [d, b':', ..] if d.is_ascii_alphabetic());
        let mut out = String::new();
        if drive {
            out.push_str("file:///");
        } else if path.starts_with('/') {
            out.push_str("file://");
        }
        for (i, &b) in bytes.iter().enumerate() {
            let keep = b.is_ascii_alphanumeric()
                || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/')
                || (drive && i == 1);
            if keep {
                out.push(char::from(b));
            } else {
                out.push_str(&format!("%{b:02X}"));
            }
        }
        out
    }

    #[test]
    fn uris_are_encoded_as_byte_by_byte() {
        let alphabet = [
            "a",
            "Z",
            "0",
            "/",
            "\\",
            ":",
            " ",
            "%",
            "~",
            "é",
            "€",
            "\u{1F600}",
            "\n",
        ];
        let mut checked = 0;
        crate::every_text(&alphabet, 5, |p| {
            assert_eq!(uri(p), uri_byte_by_byte(p), "{p:?}");
            checked += 1;
        });
        assert!(checked > 390_000, "{checked}");
    }

    #[test]
    fn names_are_upper_camel_case() {
        assert_eq!(camel("american-control"), "AmericanControl");
        assert_eq!(camel("data-must-stay-onshore"), "DataMustStayOnshore");
        assert_eq!(camel("rule-1"), "Rule1");
    }
}
