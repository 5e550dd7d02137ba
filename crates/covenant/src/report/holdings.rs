//! The words of ownership evidence (SPEC §7.2, §7.3): look-through paths as arrow chains
//! (`SASAC → 100% → FAW Group → 60% → Northern Auto HK → … → JV = 29.4%`), chains of control
//! (`Dragon Motors ← 100% Northern Auto HK ← … ← 100% SASAC (state, CN)`), the members and
//! value of a group, and the unknown reasons of ownership.

use crate::eval::outcome::{
    ControllerShown, DealLocation, Evidence, GroupShown, LinkShown, LookThroughShown, Member, Note,
    PathShown, Share, Shown,
};
use crate::number::Exact;
use crate::value::Scalar;

use super::words::{element, shown};

/// A share as a percent: `29.4%`, `≈33.3333%`.
pub fn share(s: &Share) -> String {
    let mut text = s.percent.display();
    if s.rounded && !text.starts_with('≈') {
        text.insert(0, '≈');
    }
    text.push('%');
    text
}

fn percent(p: Exact) -> String {
    share(&Share {
        percent: p,
        rounded: false,
    })
}

/// `SASAC → 100% → FAW Group → 60% (counted 100%) → … → JV = 29.4%`.
pub fn path<P>(p: &PathShown<P>) -> String {
    let mut text = String::new();
    for (i, e) in p.edges.iter().enumerate() {
        if i == 0 {
            text.push_str(&e.from);
        }
        text.push_str(" → ");
        text.push_str(&share(&e.value));
        if let Some(c) = &e.counted {
            text.push_str(" (counted ");
            text.push_str(&share(c));
            text.push(')');
        }
        text.push_str(" → ");
        text.push_str(&e.to);
    }
    text.push_str(" = ");
    text.push_str(&share(&p.contribution));
    text
}

/// The first line of a look-through's evidence: "`look-through …` is 29.4%" and, by
/// control, the threshold.
fn look_head<P>(l: &LookThroughShown<P>) -> String {
    let mut text = format!("`{}` is ", l.subject);
    match &l.value {
        Some(v) => text.push_str(&share(v)),
        None => text.push_str("unknown"),
    }
    if let Some((threshold, inclusive)) = l.control {
        let cmp = if inclusive { "at least" } else { "more than" };
        text.push_str(&format!(
            " (by control: a holding of {cmp} {} counts 100%)",
            percent(threshold)
        ));
    }
    text
}

/// "and 3 more paths: 5%".
fn more_paths<P>(l: &LookThroughShown<P>) -> Option<String> {
    (l.more_paths > 0).then(|| {
        let noun = if l.more_paths == 1 { "path" } else { "paths" };
        format!("and {} more {noun}: {}", l.more_paths, share(&l.more_value))
    })
}

/// A look-through's evidence on one line: its value, then its paths, largest first.
pub fn look_through<P>(l: &LookThroughShown<P>, element: Option<&str>) -> String {
    let mut text = look_head(l);
    push_for(&mut text, element);
    if l.paths.is_empty() {
        if l.value.is_some() {
            text.push_str(&format!(": no holder holds any of {}", l.target));
        }
        return text;
    }
    text.push_str(": ");
    let paths: Vec<String> = l.paths.iter().map(path).chain(more_paths(l)).collect();
    text.push_str(&paths.join("; "));
    text
}

/// A look-through's evidence as lines: its value, then one path per line.
pub fn look_through_lines<P>(l: &LookThroughShown<P>, element: Option<&str>) -> Vec<String> {
    if l.paths.is_empty() {
        return vec![look_through(l, element)];
    }
    let mut head = look_head(l);
    push_for(&mut head, element);
    head.push(':');
    std::iter::once(head)
        .chain(l.paths.iter().map(path))
        .chain(more_paths(l))
        .collect()
}

/// One link of a chain of control: `← 60% FAW Group`, `← 30% (controls) Renault`.
fn link<P>(l: &LinkShown<P>) -> String {
    let mut text = String::from(" ← ");
    if let Some(v) = l.voting {
        text.push_str(&percent(v));
        text.push(' ');
    }
    if l.controls {
        text.push_str("(controls) ");
    }
    text.push_str(&l.holder);
    text
}

/// A chain of control: "controller of Dragon Motors: Dragon Motors ← 100% Northern Auto HK
/// ← 60% FAW Group ← 100% SASAC (state, CN)".
pub fn controller<P>(c: &ControllerShown<P>) -> String {
    let mut text = match &c.controller {
        Some(_) => format!("controller of {}: {}", c.entity, c.entity),
        None => format!("controller of {} is unknown: {}", c.entity, c.entity),
    };
    for l in &c.chain {
        text.push_str(&link(l));
    }
    match &c.controller {
        Some((_, kind, country)) => {
            if c.chain.is_empty() {
                text.push_str(" itself");
            }
            let about: Vec<&str> = [kind, country]
                .into_iter()
                .flatten()
                .map(|t| t.as_str())
                .collect();
            if !about.is_empty() {
                text.push_str(&format!(" ({})", about.join(", ")));
            }
        }
        None => text.push_str(" ← ?"),
    }
    text
}

/// A group's member as named.
pub fn member(m: &Member) -> String {
    match m {
        Member::Element(e) => match &e.name {
            Some(n) => n.to_string(),
            None => element(e),
        },
        Member::Value(v) => shown(v),
    }
}

/// A group's key as named: a name or text as it is, any other value as shown.
pub fn key(k: &Shown) -> String {
    match k {
        Shown::Scalar(Scalar::Str(s)) => s.to_string(),
        other => shown(other),
    }
}

/// "`total party voting per bloc` is 18% for "Eastern Grid": EG Invest HK, EG Holding".
pub fn group(g: &GroupShown) -> String {
    let mut members: Vec<String> = g.members.iter().map(member).collect();
    if g.more_members > 0 {
        members.push(format!("and {} more", g.more_members));
    }
    format!(
        "`{}` is {} for {}: {}",
        g.subject,
        shown(&g.value),
        shown(&g.key),
        members.join(", ")
    )
}

fn push_for(text: &mut String, element: Option<&str>) {
    if let Some(el) = element {
        text.push_str(" for ");
        text.push_str(el);
    }
}

/// "the owners of Northern Auto HK add up to 60% of its voting; the other 40% is held by
/// holders not listed"; for the JV (no entity), "the parties add up to 60% of the JV's voting;
/// …".
pub fn unlisted_owners(entity: Option<&str>, measure: &str, listed: Exact) -> String {
    let rest = Exact::HUNDRED
        .checked_sub(listed)
        .map_or_else(|_| "rest".to_string(), |r| format!("other {}", percent(r)));
    let listed = percent(listed);
    match entity {
        Some(entity) => format!(
            "the owners of {entity} add up to {listed} of its {measure}; the {rest} is held by holders not listed"
        ),
        None => format!(
            "the parties add up to {listed} of the JV's {measure}; the {rest} is held by holders not listed"
        ),
    }
}

/// "Holding Co is jointly controlled by Renault and Geely".
pub fn joint_control(entity: &str, a: &str, b: &str) -> String {
    format!("{entity} is jointly controlled by {a} and {b}")
}

/// "the parties' voting adds up to 120%, over 100%: who holds the JV is unknown"; for an
/// entity, "the owners of X add up to 120% of its voting, over 100%: who holds it is unknown".
pub fn over_100(entity: Option<&str>, measure: &str, total: Exact) -> String {
    let total = percent(total);
    match entity {
        Some(entity) => format!(
            "the owners of {entity} add up to {total} of its {measure}, over 100%: who holds it is unknown"
        ),
        None => format!(
            "the parties' {measure} adds up to {total}, over 100%: who holds the JV is unknown"
        ),
    }
}

/// The most places one piece of ownership evidence labels in the deal's source.
pub const PLACES_LABELLED: usize = 10;

/// The deal values ownership evidence rests on, each with its label: the edges of a
/// look-through's paths (`SASAC → 100% → FAW Group`), the links of a chain of control
/// (`FAW Group controls Northern Auto HK (60%)`); distinct, at most [`PLACES_LABELLED`].
pub fn places(note: &Note) -> Vec<(DealLocation, String)> {
    let mut out: Vec<(DealLocation, String)> = Vec::new();
    let mut add = |at: &Option<DealLocation>, label: String| {
        if let Some(at) = at {
            if out.len() < PLACES_LABELLED && out.iter().all(|(l, _)| l.span != at.span) {
                out.push((at.clone(), label));
            }
        }
    };
    match note {
        Note::LookThrough(l) => {
            for e in l.paths.iter().flat_map(|p| &p.edges) {
                let mut label = format!("{} → {}", e.from, share(&e.value));
                if let Some(c) = &e.counted {
                    label.push_str(&format!(" (counted {})", share(c)));
                }
                label.push_str(&format!(" → {}", e.to));
                add(&e.at, label);
            }
        }
        Note::Controller(c) => {
            let mut controlled = &c.entity;
            for l in &c.chain {
                let how = match (l.voting, l.controls) {
                    (_, true) => "controls: true".to_string(),
                    (Some(v), false) => percent(v),
                    (None, false) => "?".to_string(),
                };
                add(&l.at, format!("{} controls {controlled} ({how})", l.holder));
                controlled = &l.holder;
            }
        }
        _ => {}
    }
    out
}

/// Where the evidence of a result is in the deal: each located value, then the edges and links
/// of its ownership evidence.
pub fn locations(evidence: &[Evidence]) -> Vec<DealLocation> {
    let located = evidence.iter().filter_map(|e| e.location.clone());
    let ownership = evidence
        .iter()
        .flat_map(|e| places(&e.note))
        .map(|(l, _)| l);
    located.chain(ownership).collect()
}

/// Add to `labels` (spans in the deal's source, with their texts) the edges and links the
/// ownership evidence of `shown` rests on, each at its place, once per place.
pub fn add_labels(shown: &[&Evidence], labels: &mut Vec<(miette::SourceSpan, String)>) {
    for (at, label) in shown.iter().flat_map(|e| places(&e.note)) {
        if labels.iter().all(|(s, _)| s.offset() != at.span.start) {
            labels.push((at.span.into(), label));
        }
    }
}
