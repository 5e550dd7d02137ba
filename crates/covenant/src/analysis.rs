//! The analysis of policies being edited, for tools such as the language server
//! (`covenant lsp`): every diagnostic of loading, parsing and compiling, the lint findings, the
//! parsed files, and where each phrase resolved to ([`crate::resolve::index`]).
//!
//! Unlike [`crate::resolve::compile`], it never stops at the first file that does not parse:
//! that file keeps the items that parse, so that the rest of it can still be read. A check
//! never runs on such a policy; the analysis only tells an editor what is there.

use std::path::PathBuf;

use jiff::civil::Date;

use crate::limits::{with_big_stack, PolicyLimits};
use crate::lint::{lint_findings, Finding};
use crate::resolve::index::{Recorded, Recorder};
use crate::resolve::{
    compile_loaded, load_for_tools, CompileDiagnostic, LoadedFile, Overlay, ParseCaches,
};

/// What [`analyze`] found.
#[derive(Debug)]
pub struct Analysis {
    /// Every file loaded (the roots, and the files they use), in load order: a used file comes
    /// before the file that uses it. A file that does not parse holds the items that do.
    pub files: Vec<LoadedFile>,
    /// The diagnostics of loading, parsing and compiling, errors and warnings, in the order
    /// found.
    pub diagnostics: Vec<CompileDiagnostic>,
    /// Some file does not parse: the compile diagnostics are those of the items that parse,
    /// and the lint checks that need a compiled policy did not run.
    pub parse_failed: bool,
    /// The policy compiled, without errors.
    pub compiled: bool,
    /// The findings of the lint checks (not the compile diagnostics, which are above).
    pub lint: Vec<Finding>,
    /// Where each phrase resolved to, the names possible where one did not, and the type of
    /// each definition.
    pub recorded: Recorded,
}

impl Analysis {
    /// The index of the loaded file named `name` (as its [`crate::source::SourceFile`] names
    /// it: the path as given).
    pub fn file_index(&self, name: &str) -> Option<usize> {
        self.files.iter().position(|f| &*f.source.name == name)
    }
}

/// Analyze the policy files `roots` and the files they use, taking each file's text from
/// `overlay` when it holds it (an editor's unsaved buffers) and from disk otherwise; `today`
/// decides which windows the lint checks call expired. Runs on a thread with a large stack.
pub fn analyze(
    roots: &[PathBuf],
    overlay: &Overlay,
    limits: &PolicyLimits,
    today: Date,
) -> Analysis {
    analyze_cached(roots, overlay, limits, today, &mut ParseCaches::new())
}

/// [`analyze`] after an edit: the items `caches` holds from the last analysis (same text at
/// the same place) are not parsed again, and this analysis's are kept there for the next.
pub fn analyze_cached(
    roots: &[PathBuf],
    overlay: &Overlay,
    limits: &PolicyLimits,
    today: Date,
    caches: &mut ParseCaches,
) -> Analysis {
    with_big_stack(|| analyze_here(roots, overlay, limits, today, caches))
}

fn analyze_here(
    roots: &[PathBuf],
    overlay: &Overlay,
    limits: &PolicyLimits,
    today: Date,
    caches: &mut ParseCaches,
) -> Analysis {
    let (files, loading) = load_for_tools(roots, limits, overlay, caches);
    let parse_failed = loading
        .iter()
        .any(|d| matches!(d, CompileDiagnostic::Parse(_)));
    let mut diagnostics: Vec<CompileDiagnostic> = loading.into_iter().collect();
    let recorder = Recorder::new();
    let compiled = if files.is_empty() {
        None
    } else {
        match compile_loaded(&files, limits, Some(&recorder)) {
            Ok(compiled) => {
                diagnostics.extend(compiled.warnings);
                Some(compiled.policy)
            }
            Err(errors) => {
                diagnostics.extend(errors);
                None
            }
        }
    };
    let usable = compiled.as_ref().filter(|_| !parse_failed);
    let lint = lint_findings(&files, usable, today);
    Analysis {
        compiled: compiled.is_some() && diagnostics.iter().all(CompileDiagnostic::is_warning),
        files,
        diagnostics,
        parse_failed,
        lint,
        recorded: recorder.into_recorded(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolve::index::UseBase;

    fn analyzed(text: &str) -> Analysis {
        let path = PathBuf::from("/nowhere/edited.policy");
        let overlay = Overlay::from([(path.clone(), text.into())]);
        let today = Date::constant(2026, 6, 1);
        analyze(&[path], &overlay, &PolicyLimits::default(), today)
    }

    #[test]
    fn an_unsaved_buffer_is_analyzed_and_its_phrases_resolved() {
        let text = "let foreign partner = parties where country != \"US\"\n\
                    rule minority: foreign partner stake < 50%\n";
        let a = analyzed(text);
        assert!(a.compiled, "{:?}", a.diagnostics);
        let stake = a
            .recorded
            .phrases
            .iter()
            .find(|p| &text[p.span.start..p.span.end] == "foreign partner stake")
            .unwrap_or_else(|| panic!("{:?}", a.recorded.phrases));
        assert!(matches!(stake.base, UseBase::Definition { .. }));
        let base = stake.base_span.map(|s| &text[s.start..s.end]);
        assert_eq!(base, Some("foreign partner"));
        assert_eq!(stake.fields.first().map(|f| f.name.as_str()), Some("stake"));
        assert_eq!(a.recorded.definitions.len(), 1);
        assert_eq!(
            a.lint.first().map(|f| f.code.as_str()),
            Some(crate::lint::MISSING_CITE)
        );
    }

    #[test]
    fn a_file_that_does_not_parse_keeps_the_items_that_do() {
        let text =
            "rule a: board seats > 1\nrule b: (\nrule c: every party where stak > 1%: true\n";
        let a = analyzed(text);
        assert!(a.parse_failed && !a.compiled);
        let rules = a.files.first().map_or(0, |f| f.ast.items.len());
        assert_eq!(rules, 2);
        let [unknown] = a.recorded.unresolved.as_slice() else {
            panic!("{:?}", a.recorded.unresolved)
        };
        assert_eq!(&text[unknown.span.start..unknown.span.end], "stak");
        assert!(unknown.candidates.iter().any(|c| c == "stake"));
    }
}
