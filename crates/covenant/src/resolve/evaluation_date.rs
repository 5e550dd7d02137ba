//! What reads `evaluation date` (SPEC §9): the definitions whose value depends on the rule
//! they are used by (so evaluation computes them again when the evaluation date changes), and
//! the check that the date a window tests does not read it (it is that date).

use std::collections::HashSet;

use crate::schema::Schema;

use super::date_error::WindowOnEvaluationDate;
use super::error::ResolveError;
use super::ir::{definitions_named, visit, Expr, ExprKind as K, Loc, Rule};
use super::{CompileDiagnostic, LoadedFile};

/// Whether `e` itself (not through a definition) reads `evaluation date`.
fn reads_directly(e: &Expr) -> bool {
    let mut found = false;
    // A conversion without `on` converts on the evaluation date (SPEC §11).
    visit(e, &mut |x| {
        found |= match &x.kind {
            K::EvaluationDate => true,
            K::Convert(c) => c.on.is_none(),
            _ => false,
        }
    });
    found
}

/// For each definition (by index), whether its value reads `evaluation date`, directly or
/// through the definitions it names, transitively.
/// A definition that did not compile (`None`) reads nothing: the compilation fails anyway.
pub(super) fn definition_flags(schema: &Schema, values: &[Option<&Expr>]) -> Vec<bool> {
    let named: Vec<Vec<usize>> = values
        .iter()
        .map(|v| {
            let mut out = Vec::new();
            if let Some(v) = v {
                definitions_named(schema, v, &mut out);
            }
            out
        })
        .collect();
    let mut flags: Vec<bool> = values
        .iter()
        .map(|v| v.is_some_and(reads_directly))
        .collect();
    // Until nothing changes: each round flags the definitions one step further from a direct
    // reader, so at most one round per definition.
    loop {
        let mut changed = false;
        for (i, uses) in named.iter().enumerate() {
            if flags.get(i) == Some(&false) && uses.iter().any(|&j| flags.get(j) == Some(&true)) {
                if let Some(f) = flags.get_mut(i) {
                    *f = true;
                    changed = true;
                }
            }
        }
        if !changed {
            return flags;
        }
    }
}

/// Whether `e` reads `evaluation date`, directly or through a definition flagged in `flags`.
pub(super) fn reads(schema: &Schema, e: &Expr, flags: &[bool]) -> bool {
    if reads_directly(e) {
        return true;
    }
    let mut named = Vec::new();
    definitions_named(schema, e, &mut named);
    named.iter().any(|&j| flags.get(j) == Some(&true))
}

/// A window's `on D` must not read `evaluation date` (`covenant::date::window-on-evaluation-
/// date`), reported once for each `on` written (a header's is shared by its rules).
pub(super) fn check_windows(
    schema: &Schema,
    rules: &[Rule],
    flags: &[bool],
    files: &[LoadedFile],
    errors: &mut Vec<CompileDiagnostic>,
) {
    let mut reported: HashSet<(usize, usize, usize)> = HashSet::new();
    for on in rules.iter().filter_map(|r| r.on.as_ref()) {
        let Loc { file, span } = on.loc;
        if !reported.insert((file, span.start, span.end)) || !reads(schema, on, flags) {
            continue;
        }
        if let Some(f) = files.get(file) {
            let error = ResolveError::from(WindowOnEvaluationDate {
                src: f.source.named(),
                span: span.into(),
            });
            errors.push(error.into());
        }
    }
}
