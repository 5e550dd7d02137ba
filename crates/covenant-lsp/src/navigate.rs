//! Go to definition and find references: `let` and `define` names, rule ids (in `overrides`
//! too) and `use` paths.

use std::path::PathBuf;

use covenant::resolve::index::UseBase;
use covenant::source::Span;
use covenant::syntax::ast::Item;
use tower_lsp_server::ls_types::{Location, Range, Uri};

use crate::check::Checked;
use crate::symbols;

/// What a name at the cursor stands for, independent of any one analysis.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// A definition, by its file's name and the span of its name.
    Definition { file: String, name_span: Span },
    /// A rule, by its id.
    Rule(String),
    /// A policy file, by its path.
    File(PathBuf),
}

fn contains(span: Span, at: usize) -> bool {
    span.start <= at && at <= span.end && !span.is_empty()
}

fn file_name(checked: &Checked, file: usize) -> String {
    checked
        .file(file)
        .map(|f| f.source.name.to_string())
        .unwrap_or_default()
}

/// The name at byte `at` of file `file`.
pub fn target_at(checked: &Checked, file: usize, at: usize) -> Option<Target> {
    let items = checked
        .file(file)
        .map_or(&[][..], |f| f.ast.items.as_slice());
    for item in items {
        match item {
            Item::Rule(r) if !r.id_derived && contains(r.id.span, at) => {
                return Some(Target::Rule(r.id.node.clone()))
            }
            Item::Rule(r) => {
                if let Some(id) = symbols::overrides(r).find(|id| contains(id.span, at)) {
                    return Some(Target::Rule(id.node.clone()));
                }
            }
            Item::Use(u) if contains(u.span, at) => {
                return Some(Target::File(checked.used_file(file, &u.node).1));
            }
            _ => {}
        }
    }
    if let Some(d) = symbols::definitions(checked)
        .into_iter()
        .find(|d| d.file == file && contains(d.name_span, at))
    {
        return Some(Target::Definition {
            file: file_name(checked, d.file),
            name_span: d.name_span,
        });
    }
    let phrase = crate::hover::phrase_at(checked, file, at)?;
    match (&phrase.base, phrase.base_span) {
        (UseBase::Definition { file, name_span }, Some(base)) if contains(base, at) => {
            Some(Target::Definition {
                file: file_name(checked, *file),
                name_span: *name_span,
            })
        }
        _ => {
            let field = phrase.fields.last()?;
            let define = symbols::definitions(checked).into_iter().find(|d| {
                d.item.is_some() && defined_field(checked, d.file, d.name_span) == field.name
            })?;
            Some(Target::Definition {
                file: file_name(checked, define.file),
                name_span: define.name_span,
            })
        }
    }
}

/// The field a `define` computes, as the schema names it (`controls`, `rvc_floor`).
fn defined_field(checked: &Checked, file: usize, name_span: Span) -> String {
    let text = checked.text(file).get(name_span.start..name_span.end);
    text.unwrap_or_default()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join("_")
}

/// Where the target is declared.
pub fn definition(checked: &Checked, target: &Target) -> Option<Location> {
    match target {
        Target::Definition { file, name_span } => {
            checked.location(checked.file_named(file)?, *name_span)
        }
        Target::Rule(id) => {
            let (file, rule) = symbols::rule_named(checked, id)?;
            checked.location(file, rule.id.span)
        }
        Target::File(path) => Some(Location::new(Uri::from_file_path(path)?, Range::default())),
    }
}

/// Every place of the target in the files of `checked`: its uses, and its declaration when
/// `declaration` is set.
pub fn references(checked: &Checked, target: &Target, declaration: bool) -> Vec<Location> {
    let mut found: Vec<(usize, Span)> = Vec::new();
    match target {
        Target::Definition { file, name_span } => {
            let Some(def_file) = checked.file_named(file) else {
                return Vec::new();
            };
            if declaration {
                found.push((def_file, *name_span));
            }
            for p in &checked.analysis.recorded.phrases {
                let by_name = matches!(&p.base, UseBase::Definition { file, name_span: s }
                    if *file == def_file && s == name_span);
                if let (true, Some(base)) = (by_name, p.base_span) {
                    found.push((p.file, base));
                }
            }
            let define =
                symbols::definition_at(checked, def_file, *name_span).filter(|d| d.item.is_some());
            if define.is_some() {
                let field = defined_field(checked, def_file, *name_span);
                found.extend(
                    checked
                        .analysis
                        .recorded
                        .phrases
                        .iter()
                        .filter(|p| p.fields.iter().any(|f| f.name == field))
                        .map(|p| (p.file, p.span)),
                );
            }
        }
        Target::Rule(id) => {
            for (file, rule) in symbols::rules(checked) {
                if declaration && rule.id.node == *id && !rule.id_derived {
                    found.push((file, rule.id.span));
                }
                for o in symbols::overrides(rule).filter(|o| o.node == *id) {
                    found.push((file, o.span));
                }
            }
        }
        Target::File(path) => {
            let wanted = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
            for (file, f) in checked.analysis.files.iter().enumerate() {
                for item in &f.ast.items {
                    let Item::Use(u) = item else { continue };
                    let used = checked.used_file(file, &u.node).1;
                    if std::fs::canonicalize(&used).unwrap_or(used) == wanted {
                        found.push((file, u.span));
                    }
                }
            }
        }
    }
    found.sort_by_key(|(f, s)| (*f, s.start));
    found.dedup();
    found
        .into_iter()
        .filter_map(|(f, s)| checked.location(f, s))
        .collect()
}
