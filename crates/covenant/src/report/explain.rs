//! `covenant explain`'s words: the evaluator's traces (`eval::trace`) written out, one text per
//! node, for the human tree and the JSON form.

use serde::Serialize;

use crate::eval::expr::Tv;
use crate::eval::outcome::Evidence;
use crate::eval::trace::{self, Label, TraceNote, TraceValue, RECORDS_NAMED};

use super::prose;
use super::waiver::WaiverJson;

/// One node of a trace: an expression (or step) and what it evaluated to.
#[derive(Debug, Clone, Serialize)]
pub struct TraceNode {
    /// The expression's source text, or a label such as `party "Dragon Motors"`.
    pub expr: String,
    /// `true`, `false`, `unknown`, or a value such as `51%`.
    pub value: String,
    /// Why, for users: "holds vacuously: no foreign partner", "`stake` is missing".
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<TraceNode>,
    /// Elements of a long list not listed in `children` (a note says what they were).
    #[serde(skip_serializing_if = "is_zero")]
    pub more: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

/// The explanation of one rule on one deal.
#[derive(Debug, Clone, Serialize)]
pub struct RuleTrace {
    pub id: String,
    pub severity: &'static str,
    /// The rule's legal status (`in-force`, `proposed`, `reported`, `repealed`), and whether
    /// its result counts for the verdict (SPEC §12, §14).
    pub status: &'static str,
    pub counted: bool,
    /// The rule that overrides this one (SPEC §14), when one does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overridden_by: Option<String>,
    /// The status tag of the human form (`proposed, not counted`), when there is one.
    #[serde(skip)]
    pub tag: Option<String>,
    pub outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exemption: Option<String>,
    /// The approval that exempted the rule (SPEC §10): the JSON report's waiver object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub waiver: Option<WaiverJson>,
    pub message: String,
    /// The effective window and whether the evaluation date falls in it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub window: Option<TraceNode>,
    pub when: Vec<TraceNode>,
    pub unless: Vec<TraceNode>,
    pub require: Vec<TraceNode>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// The rule's sources (SPEC §12): their texts, and the objects of the JSON report.
    pub cite: Vec<String>,
    pub citations: Vec<crate::resolve::ir::Citation>,
}

/// `covenant explain`'s report of one deal: its path and each rule's explanation, in policy
/// order. Serialised, it is the JSON form (`--format json`, `POST /v1/explain`).
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    pub deal: String,
    pub rules: Vec<RuleTrace>,
    /// The verdict of SPEC §3.2 over the rules explained (all of them, or the one named), as
    /// `check` decides it without `--deny-warnings`: `covenant explain`'s exit code.
    #[serde(skip)]
    pub verdict: crate::eval::outcome::Verdict,
}

impl Explanation {
    /// The JSON form, pretty-printed, without a final line end.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// The traces of a deal's rules, written out; `file` is the deal's file, where evidence points.
pub fn written(file: &str, traces: &[trace::RuleTrace]) -> Vec<RuleTrace> {
    traces.iter().map(|t| rule(file, t)).collect()
}

fn rule(file: &str, t: &trace::RuleTrace) -> RuleTrace {
    let nodes = |ns: &[trace::TraceNode]| ns.iter().map(|n| node(file, n)).collect();
    let overridden = match &t.message {
        crate::eval::outcome::Message::Overridden(by) => Some(&**by),
        _ => None,
    };
    RuleTrace {
        id: t.id.clone(),
        severity: t.severity.as_str(),
        status: t.status.as_str(),
        counted: t.counted,
        overridden_by: overridden.map(str::to_string),
        tag: super::status::tag_of(t.status, t.counted, overridden.is_some()),
        outcome: if t.exemption.is_some() || t.waiver.is_some() {
            "exempt"
        } else {
            t.outcome.as_str()
        },
        exemption: t.exemption.clone(),
        waiver: t.waiver.as_deref().map(WaiverJson::of),
        message: prose::message(&t.message, &t.evidence, t.exemption.as_deref()).into_owned(),
        window: t.window.as_ref().map(|w| node(file, w)),
        when: nodes(&t.when),
        unless: nodes(&t.unless),
        require: nodes(&t.require),
        evidence: t.evidence.iter().map(|e| located(file, e)).collect(),
        cite: t.cites.iter().map(|c| c.text.clone()).collect(),
        citations: t.cites.clone(),
    }
}

fn node(file: &str, n: &trace::TraceNode) -> TraceNode {
    TraceNode {
        expr: label(&n.label),
        value: value(&n.value),
        notes: n.notes.iter().map(|x| note(file, x)).collect(),
        children: n.children.iter().map(|c| node(file, c)).collect(),
        more: n.more,
    }
}

/// An evidence note, with its place in the deal when it has one.
fn located(file: &str, e: &Evidence) -> String {
    let text = prose::note(e);
    let places = super::holdings::places(&e.note);
    match &e.location {
        Some(l) => format!("{text} ({file}:{}:{})", l.line, l.column),
        // Ownership evidence: the places of its edges or links, in order.
        None if !places.is_empty() => {
            let at: Vec<String> = places
                .iter()
                .map(|(l, _)| format!("{file}:{}:{}", l.line, l.column))
                .collect();
            format!("{text} (at {})", at.join(", "))
        }
        None => text,
    }
}

fn tv(t: Tv) -> &'static str {
    match t {
        Tv::True => "true",
        Tv::False => "false",
        Tv::Unknown => "unknown",
    }
}

/// An element's label; "value" for a value of no element.
fn element(e: Option<&crate::eval::outcome::Element>) -> String {
    e.map_or_else(|| "value".into(), prose::element)
}

fn label(l: &Label) -> String {
    match l {
        Label::Expr(text) => text.to_string(),
        Label::Window(w, on) => {
            let mut text = match w.until {
                Some(u) => format!("effective {} until {}", w.from, u),
                None => format!("effective {}", w.from),
            };
            if let Some(on) = on {
                text.push_str(" on ");
                text.push_str(on);
            }
            text
        }
        Label::Element(e) => element(e.as_ref()),
        Label::ElementValue(e, v) => format!("{} {}", element(e.as_ref()), prose::shown(v)),
    }
}

fn value(v: &TraceValue) -> String {
    match v {
        TraceValue::Truth(t) => tv(*t).into(),
        TraceValue::Value(s) => prose::shown(s),
        TraceValue::Record(e) => element(e.as_ref()),
        TraceValue::EmptyTotal => "0 (empty list)".into(),
        TraceValue::Records { first, count } => {
            let names: Vec<String> = first.iter().map(|e| element(e.as_ref())).collect();
            match count.checked_sub(RECORDS_NAMED) {
                Some(more) if more > 0 => format!("[{}, … {more} more]", names.join(", ")),
                _ => format!("[{}]", names.join(", ")),
            }
        }
        TraceValue::Skipped => "skipped (does not match the filter)".into(),
        TraceValue::MaybeMember(t) => format!("maybe a member; body {}", tv(*t)),
        TraceValue::MayBelong => "may or may not belong".into(),
    }
}

fn note(file: &str, n: &TraceNote) -> String {
    match n {
        TraceNote::Evidence(e) => located(file, e),
        TraceNote::Unknown { reason, element } => prose::unknown(reason, element.as_ref()),
        TraceNote::MayBelong { element: e, reason } => format!(
            "{} may or may not belong: {}",
            element(e.as_ref()),
            prose::reason(reason)
        ),
        TraceNote::EmptyList => "empty list".into(),
        TraceNote::Vacuous(v) => prose::vacuous(v),
        TraceNote::NoneMatches(item) => format!("no {item} matches"),
        TraceNote::DecidedBy(e) => format!("decided by {}", element(e.as_ref())),
        TraceNote::Reason(r) => prose::reason(r),
        TraceNote::Unlisted { count, of, values } => {
            let values: Vec<String> = values
                .iter()
                .map(|(v, n)| format!("{n} {}", value(v)))
                .collect();
            format!("{count} more not listed (of `{of}`): {}", values.join(", "))
        }
        TraceNote::NoDate { field } => {
            format!("no evaluation date: the deal has no `{field}` and no --as-of was given")
        }
        TraceNote::Date { on, inside: true } => format!("{on} is inside [from, until)"),
        TraceNote::Date { on, inside: false } => format!("{on} is outside [from, until)"),
    }
}
