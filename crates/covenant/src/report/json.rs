//! The JSON report of SPEC §4 (`--format json` and, one deal per line, `--format jsonl`),
//! written by hand straight into a byte buffer ([`JsonOut`]), byte for byte as `serde_json`
//! would write it. The `--format json` report can be written as it goes: [`report_head`],
//! then each deal after its [`deal_separator`], then [`report_tail`].

use std::sync::Arc;

use crate::eval::outcome::{Evidence, Message, Outcome, RuleResult, Tested, Waiver};
use crate::resolve::ir::Rule;
use crate::resolve::Policy;

use super::audit::Audit;
use super::json_out::JsonOut;
use super::prose;
use super::{DealProblem, DealReport, Summary};

/// The nesting depth of a deal in the `--format json` report (`{"deals": [here]}`).
pub const DEAL_DEPTH: usize = 2;

/// One deal's JSON object.
pub fn write_deal(j: &mut JsonOut<'_>, policy: &Policy, d: &DealReport) {
    write_deal_with(j, policy, d, None);
}

/// The JSON objects of the rule results that are the same on every deal, rendered once per
/// run by [`write_rule`] itself: a plain pass (`holds`, no evidence), a rule not applicable
/// because a `when` clause is false, counted or not, for each rule, and a rule not in effect
/// on the evaluation date, whose object differs from deal to deal by that date alone. A result
/// is written from here only when every part [`write_rule`] reads equals the one it was
/// rendered from ([`Prerendered::of`]), so the bytes are those [`write_rule`] would write.
pub struct Prerendered {
    /// The address of the policy the objects were rendered for: another policy's deals are
    /// written the slow way.
    policy: usize,
    /// Compact or pretty at the depth of a deal's rules in the `--format json` report.
    pretty: bool,
    rules: Vec<RuleObjects>,
}

/// One rule's objects: `[uncounted, counted]` for a plain pass and, per `when` clause, for
/// not applicable because of it; for a rule with a window, `[deal's date, --as-of]` of not in
/// effect. And the parts of a failure's object that are the same from deal to deal: per
/// `require` clause, `[uncounted, counted]`, the members from the id to the message of a
/// failure of that clause alone; the members after the help (the sources).
struct RuleObjects {
    pass: [Vec<u8>; 2],
    when_false: Vec<[Vec<u8>; 2]>,
    not_in_effect: Option<[NotInEffect; 2]>,
    failed: Vec<[Vec<u8>; 2]>,
    cites: Vec<u8>,
}

/// A rule's object when not in effect on a date, around the date's text in its message; what
/// its message says the window tests, to tell that a result's message is the same but for its
/// date (the window is the rule's).
struct NotInEffect {
    tested: Option<Box<Tested>>,
    objects: [Option<Around>; 2],
}

/// An object's bytes before and after the place of a date.
struct Around {
    before: Vec<u8>,
    after: Vec<u8>,
}

/// A rule's object rendered already: whole, around the date a rule is not in effect on, or
/// (a failure) around its evidence and help: its members from the id to the message, and
/// those after the help.
pub enum Rendered<'a> {
    Whole(&'a [u8]),
    Around {
        before: &'a [u8],
        date: jiff::civil::Date,
        after: &'a [u8],
    },
    Failure {
        head: &'a [u8],
        cites: &'a [u8],
    },
}

/// The date a not-in-effect object is rendered on, found again in its bytes to cut them
/// there. A rule whose object holds its text elsewhere too (in a title, say) is written the
/// slow way.
const MARK_DATE: jiff::civil::Date = jiff::civil::date(1111, 11, 11);

/// The depth of a rule's object in a deal of the `--format json` report: the deal's object,
/// then its `rules`.
const RULE_DEPTH: usize = DEAL_DEPTH + 2;

impl Prerendered {
    /// The objects of `policy`'s rules, compact (`--format jsonl`) or `pretty` (`--format
    /// json`).
    pub fn new(policy: &Policy, pretty: bool) -> Prerendered {
        let render = |rule: &Rule, r: &RuleResult| {
            let mut buf = Vec::new();
            let mut j = if pretty {
                JsonOut::pretty(&mut buf, RULE_DEPTH)
            } else {
                JsonOut::compact(&mut buf)
            };
            // No evidence, so the deal's file is never written.
            write_rule(&mut j, policy, rule, r, "");
            buf
        };
        let both = |rule: &Rule, r: RuleResult| {
            let uncounted = RuleResult {
                counted: false,
                ..r.clone()
            };
            let counted = RuleResult { counted: true, ..r };
            [render(rule, &uncounted), render(rule, &counted)]
        };
        // Members of a rule's object, written as inside it.
        let members = |after: bool, write: &dyn Fn(&mut JsonOut<'_>)| {
            let mut buf = Vec::new();
            let j = if pretty {
                JsonOut::pretty(&mut buf, RULE_DEPTH + 1)
            } else {
                JsonOut::compact(&mut buf)
            };
            write(&mut if after { j.after_members() } else { j });
            buf
        };
        let failed = |rule: &Rule, clause: &Arc<str>| {
            [false, true].map(|counted| {
                let r = RuleResult {
                    counted,
                    ..plain(Outcome::Fail, Message::DoesNotHold(vec![clause.clone()]))
                };
                members(false, &|j| write_rule_head(j, rule, &r))
            })
        };
        let not_in_effect = |rule: &Rule, as_of: bool| {
            let message = crate::eval::not_in_effect(rule, rule.window?, MARK_DATE, as_of);
            let tested = match &message {
                Message::NotInEffect { tested, .. } => tested.clone(),
                _ => None,
            };
            let objects = both(rule, plain(Outcome::NotApplicable, message));
            Some(NotInEffect {
                tested,
                objects: objects.map(|o| around_mark(&o)),
            })
        };
        let rules = policy
            .rules
            .iter()
            .map(|rule| RuleObjects {
                pass: both(rule, plain(Outcome::Pass, Message::Holds)),
                when_false: rule
                    .when
                    .iter()
                    .map(|c| {
                        both(
                            rule,
                            plain(
                                Outcome::NotApplicable,
                                Message::WhenFalse(Some(c.text.clone())),
                            ),
                        )
                    })
                    .collect(),
                not_in_effect: not_in_effect(rule, false)
                    .zip(not_in_effect(rule, true))
                    .map(|(deal, as_of)| [deal, as_of]),
                failed: rule.require.iter().map(|c| failed(rule, &c.text)).collect(),
                cites: members(true, &|j| super::cite::write_json(j, &rule.cites)),
            })
            .collect();
        Prerendered {
            policy: std::ptr::from_ref(policy) as usize,
            pretty,
            rules,
        }
    }

    /// The object of `r`, a result of `policy`'s rule `rule`, when it was rendered already
    /// (a failure's in part: [`Prerendered::failure`]).
    pub fn of(&self, policy: &Policy, r: &RuleResult) -> Option<Rendered<'_>> {
        if r.outcome == Outcome::Fail {
            let (head, cites) = self.failure(policy, r)?;
            return Some(Rendered::Failure { head, cites });
        }
        if self.policy != std::ptr::from_ref(policy) as usize
            || !r.evidence.is_empty()
            || r.exempt.is_some()
            || r.help.is_some()
            || !r.unknown_when.is_empty()
        {
            return None;
        }
        let objects = self.rules.get(r.rule)?;
        let pair = match (r.outcome, &r.message) {
            (Outcome::Pass, Message::Holds) => &objects.pass,
            (Outcome::NotApplicable, Message::WhenFalse(Some(text))) => {
                let rule = policy.rules.get(r.rule)?;
                let i = rule.when.iter().position(|c| c.text == *text)?;
                objects.when_false.get(i)?
            }
            (
                Outcome::NotApplicable,
                Message::NotInEffect {
                    on,
                    as_of,
                    window,
                    tested,
                },
            ) => {
                let kept = objects.not_in_effect.as_ref()?.get(usize::from(*as_of))?;
                // The same message but for its date (the rendered one's is the mark).
                let rule = policy.rules.get(r.rule)?;
                if rule.window != Some(*window) || *tested != kept.tested {
                    return None;
                }
                let around = kept.objects.get(usize::from(r.counted))?.as_ref()?;
                return Some(Rendered::Around {
                    before: &around.before,
                    date: *on,
                    after: &around.after,
                });
            }
            _ => return None,
        };
        pair.get(usize::from(r.counted))
            .map(|o| Rendered::Whole(o.as_slice()))
    }

    /// For `r`, a failure of `policy`'s rule on one `require` clause: its object's members
    /// from the id to the message, and those after the help (see [`write_rule`]).
    pub(crate) fn failure(&self, policy: &Policy, r: &RuleResult) -> Option<(&[u8], &[u8])> {
        if self.policy != std::ptr::from_ref(policy) as usize
            || r.outcome != Outcome::Fail
            || r.exempt.is_some()
        {
            return None;
        }
        let Message::DoesNotHold(clauses) = &r.message else {
            return None;
        };
        let [clause] = clauses.as_slice() else {
            return None;
        };
        let rule = policy.rules.get(r.rule)?;
        let i = rule.require.iter().position(|c| c.text == *clause)?;
        let objects = self.rules.get(r.rule)?;
        let head = objects.failed.get(i)?.get(usize::from(r.counted))?;
        Some((head, &objects.cites))
    }
}

/// `object` cut around the one place of [`MARK_DATE`]'s text; None when it is not there once.
fn around_mark(object: &[u8]) -> Option<Around> {
    let mark = super::dates::with_date_bytes(MARK_DATE, <[u8]>::to_vec);
    let mut at = object
        .windows(mark.len())
        .enumerate()
        .filter(|(_, w)| *w == mark.as_slice())
        .map(|(i, _)| i);
    let first = at.next()?;
    if at.next().is_some() {
        return None;
    }
    Some(Around {
        before: object.get(..first)?.to_vec(),
        after: object.get(first + mark.len()..)?.to_vec(),
    })
}

/// A result with nothing but its outcome and message.
fn plain(outcome: Outcome, message: Message) -> RuleResult {
    RuleResult::plain(outcome, message)
}

/// [`write_deal`], writing the results rendered already from `pre` (of the same layout).
fn write_deal_with(
    j: &mut JsonOut<'_>,
    policy: &Policy,
    d: &DealReport,
    pre: Option<&Prerendered>,
) {
    let file = d.file();
    j.begin_object();
    j.field_str("path", &d.path);
    j.key("proposal");
    match &d.proposal {
        Some(p) => j.str(p),
        None => j.null(),
    }
    j.field_name("verdict", d.verdict.as_str());
    // How many rules applied (0: the deal is out of every rule's scope); null for an invalid
    // deal, on which no rule was evaluated.
    j.key("applicable");
    match d.applicable() {
        Some(n) => j.uint(n),
        None => j.null(),
    }
    j.key("rules");
    j.begin_array();
    for r in &d.results {
        if let Some(rule) = policy.rules.get(r.rule) {
            j.element();
            match pre.and_then(|p| p.of(policy, r)) {
                Some(Rendered::Whole(bytes)) => j.raw(bytes),
                Some(Rendered::Around {
                    before,
                    date,
                    after,
                }) => {
                    j.raw(before);
                    super::dates::with_date_bytes(date, |t| j.raw(t));
                    j.raw(after);
                }
                Some(Rendered::Failure { head, cites }) => {
                    j.begin_object();
                    j.raw_members(head);
                    write_rule_findings(j, policy, rule, r, file);
                    j.raw_members(cites);
                    j.end_object();
                }
                None => write_rule(j, policy, rule, r, file),
            }
        }
    }
    j.end_array();
    write_problems(j, "errors", d, true);
    write_problems(j, "warnings", d, false);
    j.end_object();
}

fn write_rule(j: &mut JsonOut<'_>, policy: &Policy, rule: &Rule, r: &RuleResult, file: &str) {
    j.begin_object();
    write_rule_head(j, rule, r);
    write_rule_findings(j, policy, rule, r, file);
    super::cite::write_json(j, &rule.cites);
    j.end_object();
}

/// A rule object's members from its id to its message: the same for every failure of the rule
/// on the same clauses ([`Prerendered`]).
fn write_rule_head(j: &mut JsonOut<'_>, rule: &Rule, r: &RuleResult) {
    j.field_str("id", &rule.id);
    j.field_opt_str("title", rule.title.as_deref());
    j.field_name("severity", rule.severity.as_str());
    j.field_name("status", rule.status.as_str());
    j.key("counted");
    j.bool(r.counted);
    j.field_name("outcome", r.outcome.as_str());
    if r.is_exempt() {
        j.key("exempt");
        j.bool(true);
    }
    j.field_opt_str("exemption", r.exempt.as_deref());
    if let Some(w) = r.waiver() {
        j.key("waiver");
        write_waiver(j, w);
    }
    j.field_str("message", &prose::result_message(r));
}

/// A rule object's members that differ from deal to deal: its evidence, its unknown `when`
/// clauses and its help.
fn write_rule_findings(
    j: &mut JsonOut<'_>,
    policy: &Policy,
    rule: &Rule,
    r: &RuleResult,
    file: &str,
) {
    j.key("evidence");
    j.begin_array();
    let mut before: Option<(&Evidence, prose::Parts)> = None;
    for e in &r.evidence {
        j.element();
        let parts = prose::parts_after(e, before.as_ref().map(|(b, p)| (*b, p)));
        write_evidence(j, e, &parts, file);
        before = Some((e, parts));
    }
    j.end_array();
    write_unknown_when(j, policy, rule, r);
    j.field_opt_str("help", prose::result_help(r).as_deref());
}

/// `"waiver"` (SPEC §10, spec-v2-notes F without `kind`): the approval that exempted the rule,
/// `{"id", "authority", "granted", "expires", "reference"}` (`null` for an id or reference not
/// given; `expires` a date or `"never"`), and `"parties"` for a party-scoped one.
fn write_waiver(j: &mut JsonOut<'_>, w: &Waiver) {
    let opt = |j: &mut JsonOut<'_>, key: &str, v: Option<&str>| {
        j.key(key);
        match v {
            Some(s) => j.str(s),
            None => j.null(),
        }
    };
    j.begin_object();
    opt(j, "id", w.id.as_deref());
    j.field_str("authority", &w.authority);
    j.field_str("granted", &w.granted.to_string());
    j.field_str("expires", &w.expires.to_string());
    opt(j, "reference", w.reference.as_deref());
    if !w.parties.is_empty() {
        j.key("parties");
        j.begin_array();
        for p in &w.parties {
            j.element();
            j.str(p);
        }
        j.end_array();
    }
    j.end_object();
}

/// `"unknown_when"`: the `when` clauses whose being unknown made the rule incomplete, each
/// with its text and place in the policy; left out for every other outcome.
fn write_unknown_when(j: &mut JsonOut<'_>, policy: &Policy, rule: &Rule, r: &RuleResult) {
    let clauses: Vec<&crate::resolve::ir::Expr> = r
        .unknown_when
        .iter()
        .filter_map(|&i| rule.when.get(i))
        .collect();
    if clauses.is_empty() {
        return;
    }
    j.key("unknown_when");
    j.begin_array();
    for c in clauses {
        j.element();
        j.begin_object();
        j.field_str("text", &c.text);
        if let Some(source) = policy.sources.get(c.loc.file) {
            let (line, column) = source.line_col(c.loc.span.start);
            j.field_str("file", &source.name);
            j.key("line");
            j.uint(line);
            j.key("column");
            j.uint(column);
        }
        j.end_object();
    }
    j.end_array();
}

fn write_evidence(j: &mut JsonOut<'_>, e: &Evidence, parts: &prose::Parts, file: &str) {
    j.begin_object();
    j.field_str("note", &prose::note_with(e, parts));
    j.field_opt_str("element", parts.element.as_deref());
    j.field_opt_str("path", e.path.as_deref());
    j.field_opt_str("value", parts.value.as_deref());
    if let Some(op) = e.op {
        j.field_name("op", prose::op(op));
    }
    j.field_opt_str("bound", parts.bound.as_deref());
    j.field_opt_str("margin", e.margin.as_ref().map(prose::margin).as_deref());
    if let Some(l) = &e.location {
        j.field_str("file", file);
        j.key("line");
        j.uint(l.line);
        j.key("column");
        j.uint(l.column);
    }
    j.field_opt_uint("more", e.more);
    j.field_opt_str("reason", super::words::reason_name(&e.note));
    super::json_holdings::write_members(j, &e.note, file);
    j.end_object();
}

/// The deal's errors (or warnings), left out when it has none, and how many more there were
/// (`errors_omitted`, left out when none).
fn write_problems(j: &mut JsonOut<'_>, key: &str, d: &DealReport, errors: bool) {
    let mut problems = d.problems.iter().filter(|p| p.error == errors).peekable();
    if problems.peek().is_some() {
        j.key(key);
        j.begin_array();
        for p in problems {
            j.element();
            write_problem(j, p);
        }
        j.end_array();
    }
    let omitted = if errors {
        d.errors_omitted
    } else {
        d.warnings_omitted
    };
    if omitted > 0 {
        j.key(&format!("{key}_omitted"));
        j.uint(omitted);
    }
}

fn write_problem(j: &mut JsonOut<'_>, p: &DealProblem) {
    j.begin_object();
    j.field_str("code", &p.code);
    j.field_str("severity", if p.error { "error" } else { "warning" });
    j.field_str("message", &p.message);
    j.field_opt_str("help", p.help.as_deref());
    j.field_opt_uint("line", p.line);
    j.field_opt_uint("column", p.column);
    j.end_object();
}

/// One deal as a single JSON object on one line, without its line end.
pub fn write_deal_line(buf: &mut Vec<u8>, policy: &Policy, d: &DealReport) {
    write_deal(&mut JsonOut::compact(buf), policy, d);
}

/// One line of the `--format jsonl` report, without its line end: the deal's object with the
/// run's audit fields as its last member, `"run"` ([`super::audit::Audit::run_object`]).
pub fn write_report_line(buf: &mut Vec<u8>, policy: &Policy, d: &DealReport, run: &[u8]) {
    write_report_line_with(buf, policy, d, run, None);
}

/// [`write_report_line`], writing the results rendered already from `pre` when it is compact.
pub fn write_report_line_with(
    buf: &mut Vec<u8>,
    policy: &Policy,
    d: &DealReport,
    run: &[u8],
    pre: Option<&Prerendered>,
) {
    let pre = pre.filter(|p| !p.pretty);
    write_deal_with(&mut JsonOut::compact(buf), policy, d, pre);
    // The deal's object is never empty (it has a `path`): its `}` becomes `,"run":{…}}`.
    if buf.last() == Some(&b'}') {
        buf.pop();
    }
    buf.extend_from_slice(b",\"run\":");
    buf.extend_from_slice(run);
    buf.push(b'}');
}

/// One deal as a single JSON line, without its line end (`--format jsonl`).
pub fn deal_line(policy: &Policy, d: &DealReport) -> String {
    let mut buf = Vec::with_capacity(2048);
    write_deal_line(&mut buf, policy, d);
    String::from_utf8(buf).unwrap_or_default()
}

/// One deal of the `--format json` report, at [`DEAL_DEPTH`], to follow a [`deal_separator`].
pub fn write_report_deal(buf: &mut Vec<u8>, policy: &Policy, d: &DealReport) {
    write_report_deal_with(buf, policy, d, None);
}

/// [`write_report_deal`], writing the results rendered already from `pre` when it is pretty.
pub fn write_report_deal_with(
    buf: &mut Vec<u8>,
    policy: &Policy,
    d: &DealReport,
    pre: Option<&Prerendered>,
) {
    let pre = pre.filter(|p| p.pretty);
    write_deal_with(&mut JsonOut::pretty(buf, DEAL_DEPTH), policy, d, pre);
}

/// The `--format json` report up to its first deal: `{"engine": {...}, "evaluated_at": "…",
/// "as_of": …, "policies": [...], "deals": [`.
pub fn report_head(buf: &mut Vec<u8>, policy: &Policy, audit: &Audit) {
    let mut j = JsonOut::pretty(buf, 0);
    j.begin_object();
    audit.write_members(&mut j, policy);
    j.key("deals");
    j.begin_array();
}

/// What goes before a deal of the `--format json` report (`first`: the first deal).
pub fn deal_separator(first: bool) -> &'static [u8] {
    if first {
        b"\n    "
    } else {
        b",\n    "
    }
}

/// The `--format json` report after its `deals` deals: `], "summary": {...}}`, no line end.
pub fn report_tail(buf: &mut Vec<u8>, deals: usize, summary: &Summary) {
    buf.extend_from_slice(if deals == 0 { b"]," } else { b"\n  ]," });
    let mut j = JsonOut::pretty(buf, 1);
    j.key("summary");
    j.begin_object();
    for (key, n) in [
        ("deals", summary.deals),
        ("compliant", summary.compliant),
        ("non_compliant", summary.non_compliant),
        ("incomplete", summary.incomplete),
        ("invalid", summary.invalid),
    ] {
        j.key(key);
        j.uint(n);
    }
    if summary.no_rule_applies > 0 {
        j.key("no_rule_applies");
        j.uint(summary.no_rule_applies);
    }
    j.end_object();
    buf.extend_from_slice(b"\n}");
}

/// The whole report as one JSON object (`--format json`), without its line end.
pub fn report(policy: &Policy, audit: &Audit, deals: &[DealReport], summary: &Summary) -> String {
    let mut buf = Vec::new();
    report_head(&mut buf, policy, audit);
    for (i, d) in deals.iter().enumerate() {
        buf.extend_from_slice(deal_separator(i == 0));
        write_report_deal(&mut buf, policy, d);
    }
    report_tail(&mut buf, deals.len(), summary);
    String::from_utf8(buf).unwrap_or_default()
}

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
