//! `covenant explain`'s human form: one block per rule, each clause's evaluation as an
//! indented tree beneath; deal text escaped ([`visible`]).

use std::fmt::Write as _;

use super::explain::{Explanation, RuleTrace, TraceNode};
use super::visible::visible;

impl Explanation {
    /// The human form ([`text`]).
    pub fn to_text(&self) -> String {
        text(&self.deal, &self.rules)
    }
}

/// The human form: one block per rule, the tree indented beneath; deal text escaped.
pub fn text(path: &str, traces: &[RuleTrace]) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", visible(path));
    for t in traces {
        let tags = match &t.tag {
            Some(tag) => format!("{}, {tag}", t.severity),
            None => t.severity.to_string(),
        };
        let _ = writeln!(s, "\nrule {} [{tags}]: {}", t.id, t.outcome);
        let _ = writeln!(s, "  {}", visible(&t.message));
        if let Some(e) = &t.exemption {
            let _ = writeln!(s, "  exempt by: unless {}", visible(e));
        }
        if let Some(w) = &t.waiver {
            let id =
                w.id.as_deref()
                    .map(|i| format!(" `{i}`"))
                    .unwrap_or_default();
            let parties = match w.parties.as_slice() {
                [] => String::new(),
                ps => format!(" for {}", ps.join(", ")),
            };
            let reference = w.reference.as_deref().unwrap_or("none");
            let _ = writeln!(
                s,
                "  exempt by: approval{} by {}{}; reference: {}; granted {}; expires {}",
                visible(&id),
                visible(&w.authority),
                visible(&parties),
                visible(reference),
                w.granted,
                w.expires
            );
        }
        if let Some(w) = &t.window {
            tree(&mut s, "window", w, 1);
        }
        for n in &t.when {
            tree(&mut s, "when", n, 1);
        }
        for n in &t.unless {
            tree(&mut s, "unless", n, 1);
        }
        for n in &t.require {
            tree(&mut s, "require", n, 1);
        }
        for e in &t.evidence {
            let _ = writeln!(s, "  evidence: {}", visible(e));
        }
        for c in &t.citations {
            let _ = writeln!(s, "  cite: {}", visible(&super::cite::line(c)));
        }
    }
    s
}

fn tree(s: &mut String, keyword: &str, n: &TraceNode, depth: usize) {
    let pad = "  ".repeat(depth);
    let kw = if keyword.is_empty() {
        String::new()
    } else {
        format!("{keyword} ")
    };
    let (expr, value) = (visible(&n.expr), visible(&n.value));
    let _ = writeln!(s, "{pad}{kw}{expr} → {value}");
    for note in &n.notes {
        let _ = writeln!(s, "{pad}  · {}", visible(note));
    }
    for c in &n.children {
        tree(s, "", c, depth + 1);
    }
}
