//! Facts → evidence for users (SPEC §3.3), and the help line that says how to fix a failure.

use std::cmp::Ordering;
use std::collections::hash_map::DefaultHasher;
use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use crate::deal::tree::Deal;

use super::expr::fact::{Against, Fact, TestFact};
use super::note::Note;
use super::outcome::{DealLocation, Evidence, Fix, Limit};
use super::showing::Kinds;
use super::shown::{Bound, Element, Margin, Shown};
use super::value::{margin, origin_path, Val};
use crate::schema::Schema;
use crate::source::Span;

/// Line and column of spans in a deal, counted on from the previous span when they come in
/// order (evidence mostly does): one pass over a long one-line deal, not one per value.
pub(crate) struct Locator<'a> {
    deal: &'a Deal,
    /// A byte offset, and its 1-based line and column in the deal's source.
    at: usize,
    line: usize,
    col: usize,
    /// Whether the deal's text is one line (a `.jsonl` batch line): columns are then counted
    /// without looking for line breaks. Found on first use.
    one_line: Option<bool>,
    /// The kinds of the elements named so far.
    kinds: Kinds,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(deal: &'a Deal) -> Self {
        Locator {
            deal,
            at: 0,
            line: 1,
            col: 1,
            one_line: None,
            kinds: Kinds::default(),
        }
    }

    /// Whether the deal's text has no line break (see `one_line`).
    fn is_one_line(&mut self) -> bool {
        let text = self.deal.source.text.as_bytes();
        *self
            .one_line
            .get_or_insert_with(|| memchr::memchr(b'\n', text).is_none())
    }

    pub(super) fn locate(&mut self, span: Option<Span>) -> Option<DealLocation> {
        let span = span?;
        let text = &self.deal.source.text;
        let offset = span.start.min(text.len());
        let moved = if self.is_one_line() {
            self.along_line(offset)
        } else if offset >= self.at {
            text.get(self.at..offset)
                .map(|between| self.forward(between))
        } else {
            self.back(offset)
        };
        if moved.is_none() {
            // Not at a character boundary: count from the start, as `line_col` does.
            let (line, column) = self.deal.line_col(span);
            return Some(DealLocation {
                span,
                line,
                column,
                end_line: line,
                end_column: column,
            });
        }
        self.at = offset;
        let (line, column) = (self.line + self.deal.first_line - 1, self.col);
        let value = text.get(offset..span.end.min(text.len())).unwrap_or("");
        let (end_line, end_column) = end_of(value, line, column);
        Some(DealLocation {
            span,
            line,
            column,
            end_line,
            end_column,
        })
    }

    /// Move to `offset` in a text of one line: only the column changes, and no line break
    /// is looked for.
    fn along_line(&mut self, offset: usize) -> Option<()> {
        let text = &self.deal.source.text;
        if offset >= self.at {
            self.col += chars_in(text.get(self.at..offset)?);
        } else {
            self.col -= chars_in(text.get(offset..self.at)?);
        }
        Some(())
    }

    /// Move past `between`, the text from the current offset on.
    fn forward(&mut self, between: &str) {
        match between.rfind('\n') {
            Some(last) => {
                self.line += between.matches('\n').count();
                self.col = between.get(last + 1..).map_or(0, chars_in) + 1;
            }
            None => self.col += chars_in(between),
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
            self.col = before.get(start..).map_or(0, chars_in) + 1;
        } else {
            self.col -= chars_in(between);
        }
        Some(())
    }
}

/// How many characters `s` has: its length when it is ASCII (most of the text between two
/// values of a deal; the test is a word at a time), else its bytes that start a character,
/// counted 32 at a time where the processor can.
fn chars_in(s: &str) -> usize {
    if s.len() >= 32 {
        bytecount::num_chars(s.as_bytes())
    } else if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

/// The line and column just after `value`, which starts at (`line`, `column`).
fn end_of(value: &str, line: usize, column: usize) -> (usize, usize) {
    match value.rfind('\n') {
        Some(last) => (
            line + value.matches('\n').count(),
            value.get(last + 1..).map_or(0, chars_in) + 1,
        ),
        None => (line, column + chars_in(value)),
    }
}

/// The evidence so far, with indexes once it is long, so that keeping it free of repeats
/// stays linear on a deal with thousands of elements.
pub(super) struct Distinct {
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

impl Distinct {
    /// With room for `n` pieces of evidence made at once (not grown from none at the first).
    pub(super) fn with_room(n: usize) -> Self {
        Distinct {
            list: Vec::with_capacity(n),
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

/// Where a value came from: its element, deal path and span.
fn origin_of(
    schema: &Schema,
    kinds: Option<&mut Kinds>,
    v: &Val<'_>,
) -> (Option<Element>, Option<String>, Option<Span>) {
    match v {
        Val::Scalar(_, o) | Val::Record(_, o) => (
            o.item.map(|i| match kinds {
                Some(kinds) => Element::of_kept(schema, &i, kinds),
                None => Element::of(schema, &i),
            }),
            origin_path(o),
            o.span.get(),
        ),
        _ => (None, None, None),
    }
}

/// Where in the deal `v` was read ([`origin_of`]'s span).
fn span_of(v: &Val<'_>) -> Option<Span> {
    match v {
        Val::Scalar(_, o) | Val::Record(_, o) => o.span.get(),
        _ => None,
    }
}

fn bound_of(value: &Val<'_>, b: &Against<'_>) -> (Shown, Bound) {
    match b {
        Against::Val(v) => (Shown::tested(value, v), Bound::Value(Shown::of(v))),
        Against::True => (Shown::of(value), Bound::True),
        Against::Tolerance { around, tolerance } => (
            Shown::of(value),
            Bound::Tolerance {
                around: Shown::of(around),
                tolerance: Shown::of(tolerance),
            },
        ),
    }
}

/// The distance of a failed ordered test from its bound, and on which side the value is.
fn margin_of(t: &TestFact<'_>) -> Option<Margin> {
    match (&t.bound, t.op.ordered()) {
        (Against::Val(b), Some(_)) => margin(&t.value, b),
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
    // Mostly a piece of evidence a fact (some facts give none).
    let mut out = Distinct::with_room(facts.len().min(SCAN));
    // Counts of elements left out stand for facts like those kept: with none kept (tests that
    // held, filtered out by `want_held`), they would count nothing shown.
    let mut kept_facts = false;
    for f in facts {
        kept_facts |= matches!(f, Fact::Test(t) if want_held.is_none_or(|w| w == t.held))
            || matches!(f, Fact::Presence(p) if want_held.is_none_or(|w| w == p.held))
            || matches!(
                f,
                Fact::Unknown(_)
                    | Fact::Part { .. }
                    | Fact::LookThrough(..)
                    | Fact::Controller(_)
                    | Fact::Group(_)
                    | Fact::Computed(_)
                    | Fact::TableRow(_)
                    | Fact::Conversion(..)
            );
        let ev = match f {
            Fact::Test(t) => {
                if want_held.is_some_and(|w| w != t.held) {
                    continue;
                }
                let (element, path, span) = origin_of(schema, Some(&mut loc.kinds), &t.value);
                let (value, bound) = bound_of(&t.value, &t.bound);
                Evidence {
                    element,
                    path,
                    value: Some(value),
                    bound: Some(bound),
                    op: Some(t.op),
                    margin: margin_of(t),
                    note: Note::Test {
                        subject: t.subject.clone(),
                        held: t.held,
                    },
                    location: loc.locate(span),
                    more: None,
                }
            }
            Fact::Part { subject, value } => {
                // A value already shown by a test needs no second label (nor its element and
                // path made only to be dropped).
                if span_of(value).is_some_and(|s| out.has_span(s)) {
                    continue;
                }
                let (element, path, span) = origin_of(schema, Some(&mut loc.kinds), value);
                Evidence {
                    element,
                    path,
                    value: Some(Shown::of(value)),
                    bound: None,
                    op: None,
                    margin: None,
                    note: Note::Part {
                        subject: subject.clone(),
                    },
                    location: loc.locate(span),
                    more: None,
                }
            }
            Fact::Presence(p) => {
                if want_held.is_some_and(|w| w != p.held) {
                    continue;
                }
                let (element, path, span) = match &p.at {
                    Val::Unknown(w) => (
                        w.element.clone(),
                        w.path.as_deref().map(String::from),
                        w.span,
                    ),
                    at => origin_of(schema, Some(&mut loc.kinds), at),
                };
                Evidence {
                    element,
                    path,
                    location: loc.locate(span),
                    ..Evidence::note(Note::Presence {
                        field: p.field.clone(),
                        absent: p.absent,
                    })
                }
            }
            Fact::Unknown(w) => Evidence {
                element: w.element.clone(),
                path: w.path.as_deref().map(String::from),
                location: loc.locate(w.span),
                ..Evidence::note(Note::Unknown(w.reason.clone()))
            },
            Fact::Note(n) => Evidence::note(n.clone()),
            Fact::More(m) => Evidence {
                element: m
                    .within
                    .map(|i| Element::of_kept(schema, &i, &mut loc.kinds)),
                more: Some(m.count),
                ..Evidence::note(Note::More { of: m.of.clone() })
            },
            Fact::LookThrough(l, of) => Evidence {
                element: of.map(|i| Element::of_kept(schema, &i, &mut loc.kinds)),
                ..Evidence::note(Note::LookThrough(Box::new(
                    l.map_places(|s| loc.locate(*s)),
                )))
            },
            Fact::Controller(c) => {
                Evidence::note(Note::Controller(Box::new(c.map_places(|s| loc.locate(*s)))))
            }
            Fact::Group(g) => Evidence::note(Note::Group(Box::new((**g).clone()))),
            Fact::Computed(c) => {
                let (subject, computed, base) = &**c;
                let (element, path, span) = origin_of(schema, Some(&mut loc.kinds), base);
                Evidence {
                    element,
                    path,
                    value: computed
                        .to
                        .map(|d| Shown::Scalar(crate::value::Scalar::Date(d))),
                    location: loc.locate(span),
                    ..Evidence::note(Note::ComputedDate {
                        subject: subject.clone(),
                        computed: computed.clone(),
                    })
                }
            }
            Fact::TableRow(t) => Evidence::note(Note::TableRow(Box::new((**t).clone()))),
            Fact::Conversion(c, of) => Evidence {
                element: of.map(|i| Element::of_kept(schema, &i, &mut loc.kinds)),
                ..Evidence::note(Note::Conversion(Box::new((**c).clone())))
            },
        };
        out.push(ev);
    }
    let mut list = out.into_list();
    if !kept_facts {
        list.retain(|e| e.more.is_none());
    }
    list
}

/// How to fix a failure, from the first failing ordered comparison.
pub fn fix_help(schema: &Schema, facts: &[Fact<'_>]) -> Option<Fix> {
    facts.iter().find_map(|f| {
        let Fact::Test(t) = f else { return None };
        let (false, Some(limit)) = (t.held, t.op.ordered().and_then(Limit::of)) else {
            return None;
        };
        let m = margin_of(t)?;
        let (element, path, _) = origin_of(schema, None, &t.value);
        let (_, bound) = bound_of(&t.value, &t.bound);
        Some(Fix {
            limit,
            subject: t.subject.clone(),
            element,
            path,
            distance: m.distance,
            at_bound: m.side == Ordering::Equal,
            bound,
        })
    })
}
