//! Facts → evidence for users (SPEC §3.3), and the help line that says how to fix a failure.

use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use crate::deal::tree::Deal;
use crate::syntax::ast::CmpOp;

use super::expr::{Bound, Fact, More, TestFact};
use super::outcome::{DealLocation, Evidence, ELEMENTS_SHOWN};
use super::value::{display, distance, item_label, origin_path, Val};
use crate::number::Exact;
use crate::schema::Schema;
use crate::source::Span;
use crate::value::Scalar;

/// Line and column of spans in a deal, counted on from the previous span when they come in
/// order (evidence mostly does): one pass over a long one-line deal, not one per value.
pub(crate) struct Locator<'a> {
    deal: &'a Deal,
    /// A byte offset, and its 1-based line and column in the deal's source.
    at: usize,
    line: usize,
    col: usize,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(deal: &'a Deal) -> Self {
        Locator {
            deal,
            at: 0,
            line: 1,
            col: 1,
        }
    }

    pub(super) fn locate(&mut self, span: Option<Span>) -> Option<DealLocation> {
        let span = span?;
        let text = &self.deal.source.text;
        let offset = span.start.min(text.len());
        let moved = if offset >= self.at {
            text.get(self.at..offset)
                .map(|between| self.forward(between))
        } else {
            self.back(offset)
        };
        if moved.is_none() {
            // Not at a character boundary: count from the start, as `line_col` does.
            let (line, column) = self.deal.line_col(span);
            return Some(DealLocation { span, line, column });
        }
        self.at = offset;
        Some(DealLocation {
            span,
            line: self.line + self.deal.first_line - 1,
            column: self.col,
        })
    }

    /// Move past `between`, the text from the current offset on.
    fn forward(&mut self, between: &str) {
        match between.rfind('\n') {
            Some(last) => {
                self.line += between.matches('\n').count();
                self.col = between.get(last + 1..).map_or(0, |s| s.chars().count()) + 1;
            }
            None => self.col += between.chars().count(),
        }
    }

    /// Move back to `offset`, before the current one.
    fn back(&mut self, offset: usize) -> Option<()> {
        let text = &self.deal.source.text;
        let between = text.get(offset..self.at)?;
        if between.contains('\n') {
            self.line -= between.matches('\n').count();
            let before = text.get(..offset)?;
            let start = before.rfind('\n').map_or(0, |i| i + 1);
            self.col = before.get(start..).map_or(0, |s| s.chars().count()) + 1;
        } else {
            self.col -= between.chars().count();
        }
        Some(())
    }
}

/// The evidence so far, with indexes once it is long, so that keeping it free of repeats
/// stays linear on a deal with thousands of elements.
pub(super) struct Shown {
    list: Vec<Evidence>,
    index: Option<Index>,
}

/// Hash of an evidence → its indices in the list; the spans of its locations.
#[derive(Default)]
struct Index {
    by_hash: HashMap<u64, Vec<usize>>,
    spans: HashSet<Span>,
}

impl Index {
    fn hash(ev: &Evidence) -> u64 {
        let mut h = DefaultHasher::new();
        ev.hash(&mut h);
        h.finish()
    }

    fn add(&mut self, ev: &Evidence, at: usize) {
        self.by_hash.entry(Self::hash(ev)).or_default().push(at);
        self.spans.extend(ev.location.as_ref().map(|l| l.span));
    }
}

/// Up to this many, repeats are found by a scan; beyond, by hash.
const SCAN: usize = 32;

impl Shown {
    pub(super) fn new() -> Self {
        Shown {
            list: Vec::new(),
            index: None,
        }
    }

    /// Whether some evidence so far is located at `span`.
    pub(super) fn has_span(&self, span: Span) -> bool {
        match &self.index {
            Some(index) => index.spans.contains(&span),
            None => self
                .list
                .iter()
                .any(|e| e.location.as_ref().map(|l| l.span) == Some(span)),
        }
    }

    /// Add `ev` unless it is already there.
    pub(super) fn push(&mut self, ev: Evidence) {
        let Some(index) = &mut self.index else {
            if !self.list.contains(&ev) {
                self.list.push(ev);
            }
            if self.list.len() > SCAN {
                let mut index = Index::default();
                for (i, e) in self.list.iter().enumerate() {
                    index.add(e, i);
                }
                self.index = Some(index);
            }
            return;
        };
        let list = &self.list;
        let same = index
            .by_hash
            .get(&Index::hash(&ev))
            .is_some_and(|ix| ix.iter().any(|&i| list.get(i) == Some(&ev)));
        if !same {
            index.add(&ev, self.list.len());
            self.list.push(ev);
        }
    }

    pub(super) fn into_list(self) -> Vec<Evidence> {
        self.list
    }
}

/// Where a value came from, for users: its element label, deal path and span.
fn origin_of(schema: &Schema, v: &Val<'_>) -> (Option<String>, Option<String>, Option<Span>) {
    match v {
        Val::Scalar(_, o) | Val::Record(_, o) => (
            o.item.map(|i| item_label(schema, &i)),
            origin_path(o),
            o.span.get(),
        ),
        _ => (None, None, None),
    }
}

/// A tested value for users. The total of an empty list of money is a zero of the currency it
/// meets (SPEC §2.6): `USD 0` against `USD 1M`.
fn value_text(v: &Val<'_>, bound: &Bound<'_>) -> String {
    match (v, bound) {
        (Val::Zero, Bound::Val(Val::Scalar(s, _))) => match s {
            Scalar::Percent(_) => "0%".into(),
            Scalar::Money(c, _) => Scalar::Money(*c, Exact::from_int(0)).to_string(),
            _ => display(v),
        },
        _ => display(v),
    }
}

fn bound_text(b: &Bound<'_>) -> String {
    match b {
        Bound::Val(v) => display(v),
        Bound::Text(t) => t.clone(),
    }
}

/// The distance of a failed ordered test from its bound, and on which side the value is.
fn margin_of(t: &TestFact<'_>) -> Option<(String, Ordering)> {
    match (&t.bound, t.cmp) {
        (Bound::Val(b), Some(_)) => distance(&t.value, b),
        _ => None,
    }
}

/// Evidence of the facts that decided an outcome; `want_held` keeps only tests that did (or
/// did not) hold.
pub fn evidence(
    schema: &Schema,
    deal: &Deal,
    facts: &[Fact<'_>],
    want_held: Option<bool>,
) -> Vec<Evidence> {
    evidence_at(schema, &mut Locator::new(deal), facts, want_held)
}

/// [`evidence`], locating values with `loc` (kept across the rules of a deal).
pub(crate) fn evidence_at(
    schema: &Schema,
    loc: &mut Locator<'_>,
    facts: &[Fact<'_>],
    want_held: Option<bool>,
) -> Vec<Evidence> {
    let mut out = Shown::new();
    // Counts of elements left out stand for facts like those kept: with none kept (tests that
    // held, filtered out by `want_held`), they would count nothing shown.
    let mut kept_facts = false;
    for f in facts {
        kept_facts |= matches!(f, Fact::Test(t) if want_held.is_none_or(|w| w == t.held))
            || matches!(f, Fact::Unknown(_) | Fact::Part { .. });
        let ev = match f {
            Fact::Test(t) => {
                if want_held.is_some_and(|w| w != t.held) {
                    continue;
                }
                let (element, path, span) = origin_of(schema, &t.value);
                let value = value_text(&t.value, &t.bound);
                let bound = bound_text(&t.bound);
                // `{subject}` is {value}[ for {element}], [not ]{op} {bound}
                let mut note = String::with_capacity(
                    t.subject.len()
                        + value.len()
                        + element.as_ref().map_or(0, |e| e.len() + 5)
                        + bound.len()
                        + 20,
                );
                note.push('`');
                note.push_str(&t.subject);
                note.push_str("` is ");
                note.push_str(&value);
                if let Some(e) = &element {
                    note.push_str(" for ");
                    note.push_str(e);
                }
                // A yes/no value against `true` or `false` says all by itself: "`legacy` is
                // false", never "is false, not is true" (nor, under `not`, "is true, is true").
                if !yes_no_test(t) {
                    note.push_str(if t.held { ", " } else { ", not " });
                    note.push_str(t.op);
                    note.push(' ');
                    note.push_str(&bound);
                }
                Evidence {
                    element,
                    path,
                    value: Some(value),
                    bound: Some(bound),
                    op: Some(t.op.to_string()),
                    margin: margin_of(t).map(|(m, ord)| margin_text(&m, ord)),
                    note,
                    location: loc.locate(span),
                    more: None,
                }
            }
            Fact::Part { subject, value } => {
                let (element, path, span) = origin_of(schema, value);
                // A value already shown by a test needs no second label.
                if span.is_some_and(|s| out.has_span(s)) {
                    continue;
                }
                let shown = display(value);
                let who = element
                    .as_ref()
                    .map(|e| format!(" for {e}"))
                    .unwrap_or_default();
                Evidence {
                    element,
                    path,
                    value: Some(shown.clone()),
                    bound: None,
                    op: None,
                    margin: None,
                    note: format!("`{subject}` is {shown}{who}"),
                    location: loc.locate(span),
                    more: None,
                }
            }
            Fact::Unknown(w) => Evidence {
                element: w.element.clone(),
                path: w.path.clone(),
                value: None,
                bound: None,
                op: None,
                margin: None,
                note: match &w.element {
                    Some(e) => format!("{} for {e}", w.note),
                    None => w.note.clone(),
                },
                location: loc.locate(w.span),
                more: None,
            },
            Fact::Note(n) => Evidence {
                element: None,
                path: None,
                value: None,
                bound: None,
                op: None,
                margin: None,
                note: n.clone(),
                location: None,
                more: None,
            },
            Fact::More(m) => more_evidence(schema, m),
        };
        out.push(ev);
    }
    let mut list = out.into_list();
    if !kept_facts {
        list.retain(|e| e.more.is_none());
    }
    list
}

/// "and 1990 more of `technology` for party "P0" (evidence is shown for the first 10)".
fn more_evidence(schema: &Schema, m: &More<'_>) -> Evidence {
    let element = m.within.map(|i| item_label(schema, &i));
    let within = element
        .as_ref()
        .map(|e| format!(" for {e}"))
        .unwrap_or_default();
    Evidence {
        element,
        path: None,
        value: None,
        bound: None,
        op: None,
        margin: None,
        note: format!(
            "and {} more of `{}`{within} (evidence is shown for the first {ELEMENTS_SHOWN})",
            m.count, m.of
        ),
        location: None,
        more: Some(m.count),
    }
}

/// A test of a yes/no value against `true` or `false`, by `is`, `=` or `!=`.
fn yes_no_test(t: &TestFact<'_>) -> bool {
    let bool_bound = match &t.bound {
        Bound::Val(Val::Scalar(Scalar::Bool(_), _)) => true,
        Bound::Text(text) => text == "true" || text == "false",
        Bound::Val(_) => false,
    };
    matches!(t.value, Val::Scalar(Scalar::Bool(_), _))
        && bool_bound
        && matches!(t.op, "is" | "=" | "!=" | "is not")
}

fn margin_text(m: &str, ord: Ordering) -> String {
    match ord {
        Ordering::Greater => format!("{m} over"),
        Ordering::Less => format!("{m} under"),
        Ordering::Equal => "at the bound".into(),
    }
}

/// "reduce Dragon Motors' stake by more than 1 percentage point", from the first failing
/// ordered comparison.
pub fn fix_help(schema: &Schema, facts: &[Fact<'_>]) -> Option<String> {
    facts.iter().find_map(|f| {
        let Fact::Test(t) = f else { return None };
        let (false, Some(op)) = (t.held, t.cmp) else {
            return None;
        };
        let (m, ord) = margin_of(t)?;
        let (element, path, _) = origin_of(schema, &t.value);
        let bound = bound_text(&t.bound);
        // The fields below the element, if any (`board.seats` → `board seats`).
        let field = path
            .as_deref()
            .map(|p| match p.rsplit_once("].") {
                Some((_, fields)) => fields,
                None => p
                    .trim_end_matches(|c: char| c == ']' || c.is_ascii_digit())
                    .trim_end_matches('['),
            })
            .map(|f| f.replace(['_', '.'], " "));
        let what = match (element, field) {
            (Some(e), Some(f)) => format!("{} {f}", possessive(&e)),
            (None, Some(f)) if !f.is_empty() => format!("the {f}"),
            _ => format!("`{}`", t.subject),
        };
        let at_bound = ord == Ordering::Equal;
        let text = match op {
            CmpOp::Lt if at_bound => format!("reduce {what} below {bound}"),
            CmpOp::Lt => format!("reduce {what} by more than {m}"),
            CmpOp::Le => format!("reduce {what} by at least {m}"),
            CmpOp::Gt if at_bound => format!("raise {what} above {bound}"),
            CmpOp::Gt => format!("raise {what} by more than {m}"),
            CmpOp::Ge => format!("raise {what} by at least {m}"),
            _ => return None,
        };
        Some(text)
    })
}

/// `party "Dragon Motors"` → `Dragon Motors'`; `plant #2` → `plant #2'`.
fn possessive(element: &str) -> String {
    let name = match (element.find('"'), element.rfind('"')) {
        (Some(a), Some(b)) if b > a => element.get(a + 1..b).unwrap_or(element).to_string(),
        _ => element.to_string(),
    };
    if name.ends_with('s') {
        format!("{name}'")
    } else {
        format!("{name}'s")
    }
}
