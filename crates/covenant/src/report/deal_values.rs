//! The deal values a finding of the human report rests on, each at its line of the deal's
//! file (`examples/deals/a.yaml:22  parties[1].stake: 50%`), and the rates of the conversions
//! that gave them.

use crate::eval::outcome::{Evidence, Note, Reason, RuleResult};

use super::words::shown;
use super::{holdings, prose, MAX_EVIDENCE_SHOWN};

/// A deal value a result rests on, at its line of the deal's file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DealValue {
    pub line: usize,
    /// `parties[1].stake: 50%`, or a note for a value without a path.
    pub text: String,
    /// The text names the value's path.
    pub by_path: bool,
}

/// The deal values a result rests on, in the order of its evidence, each once.
pub fn values(r: &RuleResult) -> Vec<DealValue> {
    let mut out: Vec<DealValue> = Vec::new();
    for e in &r.evidence {
        if let Some(l) = &e.location {
            let (text, by_path) = value_line(e);
            add(&mut out, l.line, text, by_path);
        }
        for (l, label) in holdings::places(&e.note) {
            add(&mut out, l.line, label, false);
        }
    }
    if let Some(at) = r.waiver().and_then(|w| w.location.as_ref()) {
        let text = match r.waiver().and_then(|w| w.id.as_deref()) {
            Some(id) => format!("approval `{id}`"),
            None => "the approval".into(),
        };
        add(&mut out, at.line, text, false);
    }
    out
}

fn add(out: &mut Vec<DealValue>, line: usize, text: String, by_path: bool) {
    let value = DealValue {
        line,
        text,
        by_path,
    };
    if !out.contains(&value) {
        out.push(value);
    }
}

/// The conversions a result's evidence used, each as its note ("USD 9B = CAD 12.285B at 1.365
/// CAD/USD of 2024-07-11 (fx/boc-2024.csv:133)"): the rates behind its values.
pub fn conversions(r: &RuleResult) -> Vec<String> {
    r.evidence
        .iter()
        .filter(|e| matches!(e.note, Note::Conversion(_)))
        .map(prose::note)
        .collect()
}

/// Add `more` to `values`, each once.
pub fn merge(values: &mut Vec<DealValue>, more: Vec<DealValue>) {
    for v in more {
        add(values, v.line, v.text, v.by_path);
    }
}

/// The lines of `values` in `file` (`examples/deals/a.yaml:22  parties[1].stake: 50%`): a note
/// at a line that also has a value by path is left out (the path says more), then at most
/// [`MAX_EVIDENCE_SHOWN`] lines and one that counts the others.
pub fn value_lines(values: &[DealValue], file: &str) -> Vec<String> {
    let kept: Vec<&DealValue> = values
        .iter()
        .filter(|v| v.by_path || !values.iter().any(|w| w.by_path && w.line == v.line))
        .collect();
    let mut lines: Vec<String> = kept
        .iter()
        .take(MAX_EVIDENCE_SHOWN)
        .map(|v| format!("{file}:{}  {}", v.line, v.text))
        .collect();
    if kept.len() > MAX_EVIDENCE_SHOWN {
        lines.push(format!("… and {} more", kept.len() - MAX_EVIDENCE_SHOWN));
    }
    lines
}

/// A deal value: `parties[1].stake: 50%`, `parties[0].owners: missing`; a value without a
/// path is its note. True when the text names the path.
fn value_line(e: &Evidence) -> (String, bool) {
    let Some(path) = e.path.as_deref() else {
        let text = match (&e.note, &e.value) {
            (Note::Test { subject, .. } | Note::Part { subject }, Some(v)) => {
                format!("{} is {}", super::words::phrase(subject), shown(v))
            }
            _ => prose::note(e),
        };
        return (text, false);
    };
    let missing = |field: &str, word: &str| {
        // A path to the record that lacks the field names the field too.
        if path.ends_with(']') {
            format!("{path}.{field}: {word}")
        } else {
            format!("{path}: {word}")
        }
    };
    let text = match (&e.note, &e.value) {
        (Note::ComputedDate { computed, .. }, _) => format!("{path}: {}", computed.from),
        (Note::Unknown(Reason::Null { field }), _) => missing(field, "null"),
        (
            Note::Unknown(Reason::Missing { field })
            | Note::Presence {
                field,
                absent: true,
            },
            _,
        ) => missing(field, "missing"),
        // A value computed for an element (a look-through into a party) is not the element's.
        (Note::Test { subject, .. } | Note::Part { subject }, Some(v)) if path.ends_with(']') => {
            format!("{path}: {} is {}", super::words::phrase(subject), shown(v))
        }
        (_, Some(v)) => format!("{path}: {}", shown(v)),
        // A record whose value is unknown for another reason (joint control…) says why.
        _ if path.ends_with(']') => return (prose::note(e), false),
        // A value there whose use is unknown for another reason (a rate not found…).
        _ => path.to_string(),
    };
    (text, true)
}
