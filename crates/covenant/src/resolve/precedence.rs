//! Precedence (SPEC §14): the rules each rule's `overrides` names, checked (every id names a
//! loaded rule, no cycle), linked both ways on the compiled rules, and the order rules are
//! evaluated in: each rule after every rule that overrides it, ties in policy order.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use miette::LabeledSpan;

use crate::source::Span;
use crate::syntax::ast::{Clause, Item};

use super::ir::Rule;
use super::override_error::{OverrideCycle, OverrideStep, UnknownRule};
use super::typeck::did_you_mean;
use super::{CompileDiagnostic, LoadedFile, ResolveError};

/// One `overrides` of one rule: `from` overrides `to`, written at `span` of file `file`.
#[derive(Clone, Copy, Debug)]
struct Edge {
    from: usize,
    to: usize,
    file: usize,
    span: Span,
}

/// Link every `overrides` of `files` onto `rules` (their [`Rule::overrides`] and
/// [`Rule::overridden_by`]), reporting ids that name no rule of `declared` (every rule id of
/// the files, compiled or not) and cycles; the evaluation order of the rules.
pub(super) fn link(
    files: &[LoadedFile],
    declared: &HashMap<&str, (usize, Span)>,
    rules: &mut [Rule],
    errors: &mut Vec<CompileDiagnostic>,
) -> Vec<usize> {
    let edges = edges(files, declared, rules, errors);
    for e in &edges {
        if let Some(from) = rules.get_mut(e.from) {
            from.overrides.push(e.to);
        }
        if let Some(to) = rules.get_mut(e.to) {
            to.overridden_by.push(e.from);
        }
    }
    for r in rules.iter_mut() {
        r.overridden_by.sort_unstable();
    }
    let mut cycles = cycles(rules.len(), &edges);
    cycles.sort_by_key(|(_, closing)| (closing.file, closing.span.start));
    if cycles.is_empty() {
        return order(rules);
    }
    for (steps, closing) in cycles {
        if let Some(e) = cycle_error(files, rules, &steps, closing) {
            errors.push(ResolveError::from(e).into());
        }
    }
    (0..rules.len()).collect()
}

/// The `overrides` of every compiled rule, each pair once, in source order; unknown ids are
/// reported.
fn edges(
    files: &[LoadedFile],
    declared: &HashMap<&str, (usize, Span)>,
    rules: &[Rule],
    errors: &mut Vec<CompileDiagnostic>,
) -> Vec<Edge> {
    let by_id: HashMap<&str, usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| (r.id.as_str(), i))
        .collect();
    let by_place: HashMap<(usize, usize), usize> = rules
        .iter()
        .enumerate()
        .map(|(i, r)| ((r.loc.file, r.loc.span.start), i))
        .collect();
    let mut edges: Vec<Edge> = Vec::new();
    let mut seen: HashSet<(usize, usize)> = HashSet::new();
    let mut known = KnownIds::new(declared);
    for (file, loaded) in files.iter().enumerate() {
        for item in &loaded.ast.items {
            let Item::Rule(rule) = item else { continue };
            let from = by_place.get(&(file, rule.span.start)).copied();
            let ids = rule.clauses.iter().filter_map(|c| match c {
                Clause::Overrides(ids) => Some(ids),
                _ => None,
            });
            for id in ids.flatten() {
                if !declared.contains_key(id.node.as_str()) {
                    let help = known.help(&id.node);
                    errors.push(unknown(loaded, &rule.id.node, &id.node, id.span, help));
                    continue;
                }
                let (Some(from), Some(&to)) = (from, by_id.get(id.node.as_str())) else {
                    continue;
                };
                if seen.insert((from, to)) {
                    edges.push(Edge {
                        from,
                        to,
                        file,
                        span: id.span,
                    });
                }
            }
        }
    }
    edges
}

/// The ids an unknown id may be a misspelling of, sorted once.
struct KnownIds<'a> {
    declared: &'a HashMap<&'a str, (usize, Span)>,
    sorted: Option<Vec<String>>,
    /// Unknown ids given a did-you-mean so far: past [`SUGGESTED`], the plain help (a file
    /// of 100,000 bad ids costs no 100,000 searches).
    asked: usize,
}

/// The most unknown ids that get a did-you-mean (a report shows the first hundred problems of
/// a file).
const SUGGESTED: usize = 100;

impl<'a> KnownIds<'a> {
    fn new(declared: &'a HashMap<&'a str, (usize, Span)>) -> KnownIds<'a> {
        KnownIds {
            declared,
            sorted: None,
            asked: 0,
        }
    }

    /// A did-you-mean for `id`, else how to load the rule.
    fn help(&mut self, id: &str) -> String {
        self.asked += 1;
        let plain = "name the id of a rule in the files loaded: add its file with `use` or `-p`";
        if self.asked > SUGGESTED {
            return plain.to_string();
        }
        let declared = self.declared;
        let ids = self.sorted.get_or_insert_with(|| {
            let mut ids: Vec<String> = declared.keys().map(|k| k.to_string()).collect();
            ids.sort();
            ids
        });
        did_you_mean(id, ids).unwrap_or_else(|| plain.to_string())
    }
}

fn unknown(
    loaded: &LoadedFile,
    rule: &str,
    id: &str,
    span: Span,
    help: String,
) -> CompileDiagnostic {
    ResolveError::from(UnknownRule {
        rule: rule.to_string(),
        id: id.to_string(),
        src: loaded.source.named(),
        span: span.into(),
        help,
    })
    .into()
}

/// The most cycles reported: one is enough to refuse the policy.
const MAX_CYCLES: usize = 10;

/// The most steps of one cycle shown, labelled and in its message.
const MAX_STEPS_SHOWN: usize = 20;

/// The cycles a depth-first walk meets (at most [`MAX_CYCLES`]), each as its edges in order
/// and the edge that closes it. The walk keeps its own stack, and the place of each rule on
/// it: a chain of 100,000 rules neither overflows the thread's stack nor takes quadratic time.
fn cycles(n: usize, edges: &[Edge]) -> Vec<(Vec<Edge>, Edge)> {
    let mut out_edges: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, e) in edges.iter().enumerate() {
        if let Some(list) = out_edges.get_mut(e.from) {
            list.push(i);
        }
    }
    const NEW: u8 = 0;
    const OPEN: u8 = 1;
    const DONE: u8 = 2;
    let mut state = vec![NEW; n];
    let mut depth: Vec<usize> = vec![0; n];
    let mut found = Vec::new();
    for root in 0..n {
        if state.get(root) != Some(&NEW) {
            continue;
        }
        if found.len() >= MAX_CYCLES {
            break;
        }
        // The walk's path: each rule with the next of its edges to follow, and the edges taken.
        let mut path: Vec<(usize, usize)> = vec![(root, 0)];
        let mut taken: Vec<usize> = Vec::new();
        if let Some(s) = state.get_mut(root) {
            *s = OPEN;
        }
        while let Some((node, next)) = path.last_mut() {
            let node = *node;
            let Some(&e) = out_edges.get(node).and_then(|l| l.get(*next)) else {
                if let Some(s) = state.get_mut(node) {
                    *s = DONE;
                }
                path.pop();
                taken.pop();
                continue;
            };
            *next += 1;
            let Some(edge) = edges.get(e) else { continue };
            match state.get(edge.to).copied() {
                Some(NEW) => {
                    if let Some(s) = state.get_mut(edge.to) {
                        *s = OPEN;
                    }
                    if let Some(d) = depth.get_mut(edge.to) {
                        *d = path.len();
                    }
                    taken.push(e);
                    path.push((edge.to, 0));
                }
                Some(OPEN) if found.len() < MAX_CYCLES => {
                    let start = depth.get(edge.to).copied().unwrap_or(0);
                    let steps = taken.iter().skip(start);
                    let steps = steps.filter_map(|&i| edges.get(i).copied()).collect();
                    found.push((steps, *edge));
                }
                _ => {}
            }
        }
    }
    found
}

/// The diagnostic of one cycle: the `overrides` that closes it is the primary label; the other
/// steps are labelled in the same file, or related in their own.
fn cycle_error(
    files: &[LoadedFile],
    rules: &[Rule],
    steps: &[Edge],
    closing: Edge,
) -> Option<OverrideCycle> {
    let id = |i: usize| rules.get(i).map_or("?", |r| r.id.as_str()).to_string();
    let step = |e: &Edge| {
        if e.from == e.to {
            format!("`{}` overrides itself", id(e.from))
        } else {
            format!("`{}` overrides `{}`", id(e.from), id(e.to))
        }
    };
    // A long cycle shows its first steps, then the rule that closes it.
    let shown = steps.get(..MAX_STEPS_SHOWN).unwrap_or(steps);
    let mut ids: Vec<String> = shown.iter().map(|e| id(e.from)).collect();
    if shown.len() < steps.len() {
        ids.push(format!("… {} more", steps.len() - shown.len()));
    }
    ids.push(id(closing.from));
    ids.push(id(closing.to));
    let mut others = Vec::new();
    let mut elsewhere = Vec::new();
    for e in shown {
        if e.file == closing.file {
            others.push(LabeledSpan::new_with_span(Some(step(e)), e.span));
        } else if let Some(f) = files.get(e.file) {
            elsewhere.push(OverrideStep {
                step: step(e),
                src: f.source.named(),
                span: e.span.into(),
            });
        }
    }
    let help = if steps.is_empty() {
        "a rule cannot override itself; remove this `overrides`"
    } else {
        "a rule cannot take precedence over a rule that takes precedence over it; remove one \
         of these `overrides`"
    };
    Some(OverrideCycle {
        ids,
        help,
        src: files.get(closing.file)?.source.named(),
        span: closing.span.into(),
        closing: format!("{}, closing the cycle", step(&closing)),
        others,
        elsewhere,
    })
}

/// Each rule after every rule that overrides it; among the rules free to go next, the first
/// in policy order. The override graph has no cycle here.
fn order(rules: &[Rule]) -> Vec<usize> {
    let mut waiting: Vec<usize> = rules.iter().map(|r| r.overridden_by.len()).collect();
    let mut ready: BinaryHeap<Reverse<usize>> = waiting
        .iter()
        .enumerate()
        .filter(|(_, n)| **n == 0)
        .map(|(i, _)| Reverse(i))
        .collect();
    let mut out = Vec::with_capacity(rules.len());
    while let Some(Reverse(i)) = ready.pop() {
        out.push(i);
        for &next in rules.get(i).map_or(&[][..], |r| r.overrides.as_slice()) {
            if let Some(n) = waiting.get_mut(next) {
                *n = n.saturating_sub(1);
                if *n == 0 {
                    ready.push(Reverse(next));
                }
            }
        }
    }
    out
}
