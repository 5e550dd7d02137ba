//! The library's diagnostics and lint findings as LSP diagnostics: the code, a link to the
//! code's entry in `docs/diagnostics.md`, the help line, and the other places of the problem
//! (both places of a duplicate, each step of a cycle) as related information.

use covenant::resolve::{CompileDiagnostic, PolicyError};
use covenant::source::Span;
use miette::{Diagnostic as Miette, LabeledSpan, SourceSpan};
use tower_lsp_server::ls_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, NumberOrString,
    Uri,
};

use crate::check::Checked;
use crate::docs::code_link;

/// A place of a diagnostic: the file (as its source names it) and the span.
struct Place {
    file: Option<String>,
    span: Span,
    label: Option<String>,
}

/// The diagnostics to show in the root file of `checked`. When some file does not parse, the
/// diagnostics that only repeat it (a phrase or rule that a broken item would have defined,
/// "no rules") are left out. The compiler's "no rules" warning is left to lint's `no-rules`,
/// as `covenant lint` does; and when the file is `used` by another open file (a file of
/// definitions), neither is shown, nor "definition is never used".
pub fn of_root(checked: &Checked, docs: Option<&Uri>, used_elsewhere: bool) -> Vec<Diagnostic> {
    let Some(root) = checked.root else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in &checked.analysis.diagnostics {
        if checked.analysis.parse_failed && only_repeats_a_parse_error(d)
            || matches!(d, CompileDiagnostic::Policy(PolicyError::NoRules(_)))
        {
            continue;
        }
        match d {
            CompileDiagnostic::Parse(errors) => {
                for e in errors.iter() {
                    out.extend(convert(checked, root, e, docs));
                }
            }
            d => out.extend(convert(checked, root, d, docs)),
        }
    }
    for f in &checked.analysis.lint {
        let no_rules = f.code == covenant::lint::NO_RULES;
        if no_rules && (used_elsewhere || checked.analysis.parse_failed) {
            continue;
        }
        // Alone, a file of definitions uses none of them; its users' rules do.
        if used_elsewhere && f.code == covenant::lint::UNUSED_DEFINITION {
            continue;
        }
        out.extend(convert(checked, root, f, docs));
    }
    out
}

fn only_repeats_a_parse_error(d: &CompileDiagnostic) -> bool {
    let code = d.code().map(|c| c.to_string()).unwrap_or_default();
    matches!(
        code.as_str(),
        "covenant::resolve::unknown-phrase"
            | "covenant::resolve::unknown-rule"
            | "covenant::policy::no-rules"
    )
}

/// The name of the file a diagnostic's source is.
fn source_name(d: &dyn Miette) -> Option<String> {
    let src = d.source_code()?;
    let start = SourceSpan::new(0.into(), 0);
    Some(src.read_span(&start, 0, 0).ok()?.name()?.to_string())
}

fn places(d: &dyn Miette) -> Vec<Place> {
    let file = source_name(d);
    let mut labels: Vec<LabeledSpan> = d.labels().map(Iterator::collect).unwrap_or_default();
    labels.sort_by_key(|l| !l.primary());
    labels
        .into_iter()
        .map(|l| Place {
            file: file.clone(),
            span: Span::new(l.offset(), l.offset() + l.len()),
            label: l.label().map(str::to_string),
        })
        .collect()
}

/// One LSP diagnostic in the root file, or none when the problem is in another file that the
/// root does not reach by a `use` (it is shown there).
fn convert(
    checked: &Checked,
    root: usize,
    d: &dyn Miette,
    docs: Option<&Uri>,
) -> Option<Diagnostic> {
    let mut places = places(d);
    let related: Vec<&dyn Miette> = d.related().map(Iterator::collect).unwrap_or_default();
    for r in &related {
        places.extend(places_of_related(*r));
    }
    let file_of = |p: &Place| p.file.as_deref().and_then(|n| checked.file_named(n));
    let mut message = d.to_string();
    let first = places.first();
    let (range, primary) = match first.map(|p| (file_of(p), p.span)) {
        Some((Some(f), span)) if f == root => (checked.range(root, span), Some(0)),
        Some((Some(f), _)) => {
            let use_span = use_leading_to(checked, root, f)?;
            let name = checked.file(f).map(|f| f.source.name.to_string());
            message = format!("in `{}`: {message}", name.unwrap_or_default());
            (checked.range(root, use_span), None)
        }
        _ => (checked.range(root, Span::new(0, 0)), None),
    };
    if let Some(help) = d.help() {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let related_information: Vec<DiagnosticRelatedInformation> = places
        .iter()
        .enumerate()
        .filter(|(i, _)| Some(*i) != primary)
        .filter_map(|(_, p)| {
            let location = checked.location(file_of(p)?, p.span)?;
            let message = p.label.clone().unwrap_or_else(|| "here".to_string());
            Some(DiagnosticRelatedInformation { location, message })
        })
        .collect();
    let code = d.code().map(|c| c.to_string());
    Some(Diagnostic {
        range,
        severity: Some(severity(d.severity())),
        code_description: code
            .as_deref()
            .and_then(|c| code_link(c, docs))
            .map(|href| CodeDescription { href }),
        code: code.map(NumberOrString::String),
        source: Some("covenant".to_string()),
        message,
        related_information: (!related_information.is_empty()).then_some(related_information),
        ..Diagnostic::default()
    })
}

/// The places of a related diagnostic (the first definition of a duplicate in another file,
/// a step of a cycle in another file), with its message as their label.
fn places_of_related(d: &dyn Miette) -> Vec<Place> {
    let message = d.to_string();
    places(d)
        .into_iter()
        .map(|p| Place {
            label: Some(p.label.unwrap_or_else(|| message.clone())),
            ..p
        })
        .collect()
}

fn severity(s: Option<miette::Severity>) -> DiagnosticSeverity {
    match s {
        Some(miette::Severity::Warning) => DiagnosticSeverity::WARNING,
        Some(miette::Severity::Advice) => DiagnosticSeverity::INFORMATION,
        _ => DiagnosticSeverity::ERROR,
    }
}

/// The span of the `use` of the root through which it reaches file `target`.
fn use_leading_to(checked: &Checked, root: usize, target: usize) -> Option<Span> {
    let file = checked.file(root)?;
    file.ast.items.iter().find_map(|item| {
        let covenant::syntax::ast::Item::Use(u) = item else {
            return None;
        };
        let (used, _) = checked.used_file(root, &u.node);
        reaches(checked, used?, target).then_some(u.span)
    })
}

fn reaches(checked: &Checked, from: usize, target: usize) -> bool {
    let mut seen = vec![from];
    let mut i = 0;
    while let Some(&f) = seen.get(i) {
        if f == target {
            return true;
        }
        for &u in checked.file(f).map_or(&[][..], |f| f.uses.as_slice()) {
            if !seen.contains(&u) {
                seen.push(u);
            }
        }
        i += 1;
    }
    false
}
