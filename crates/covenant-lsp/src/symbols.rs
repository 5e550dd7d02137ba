//! The named things of the parsed files: definitions, rules and `use`s, and the document
//! outline built from them.

use covenant::source::Span;
use covenant::syntax::ast::{Clause, Item, Rule, Status};
use tower_lsp_server::ls_types::{DocumentSymbol, SymbolKind};

use crate::check::Checked;

/// A `let` or a `define`.
pub struct Definition<'a> {
    pub file: usize,
    /// `covered nation`; `party controls` for a `define`.
    pub name: String,
    pub name_span: Span,
    pub span: Span,
    /// The singular of a `define`.
    pub item: Option<&'a str>,
}

/// Every definition of every loaded file.
pub fn definitions(checked: &Checked) -> Vec<Definition<'_>> {
    let mut out = Vec::new();
    for (file, f) in checked.analysis.files.iter().enumerate() {
        for item in &f.ast.items {
            match item {
                Item::Let(l) => out.push(Definition {
                    file,
                    name: l.name.join(" "),
                    name_span: l.name_span,
                    span: l.span,
                    item: None,
                }),
                Item::Define(d) => out.push(Definition {
                    file,
                    name: format!("{} {}", d.item.node, d.name.join(" ")),
                    name_span: d.name_span,
                    span: d.span,
                    item: Some(&d.item.node),
                }),
                _ => {}
            }
        }
    }
    out
}

/// The definition whose name is at `name_span` of `file`.
pub fn definition_at(checked: &Checked, file: usize, name_span: Span) -> Option<Definition<'_>> {
    definitions(checked)
        .into_iter()
        .find(|d| d.file == file && d.name_span == name_span)
}

/// Every rule of every loaded file, with its file.
pub fn rules(checked: &Checked) -> impl Iterator<Item = (usize, &Rule)> {
    checked
        .analysis
        .files
        .iter()
        .enumerate()
        .flat_map(|(file, f)| {
            f.ast.items.iter().filter_map(move |i| match i {
                Item::Rule(r) => Some((file, r)),
                _ => None,
            })
        })
}

/// The rule with id `id`, the first loaded.
pub fn rule_named<'a>(checked: &'a Checked, id: &str) -> Option<(usize, &'a Rule)> {
    rules(checked).find(|(_, r)| r.id.node == id)
}

/// The `overrides` ids of a rule, each with its span.
pub fn overrides(rule: &Rule) -> impl Iterator<Item = &covenant::syntax::ast::Spanned<String>> {
    rule.clauses.iter().flat_map(|c| match c {
        Clause::Overrides(ids) => ids.as_slice(),
        _ => &[],
    })
}

/// A rule's status: its own, else its file header's, else in force (SPEC §12).
pub fn status(checked: &Checked, file: usize, rule: &Rule) -> Status {
    let own = rule.clauses.iter().find_map(|c| match c {
        Clause::Status(s) => Some(s.node),
        _ => None,
    });
    let header = checked
        .file(file)
        .and_then(|f| f.ast.header.status.as_ref().map(|s| s.node));
    own.or(header).unwrap_or_default()
}

/// The outline of file `file`: its rules and definitions.
pub fn outline(checked: &Checked, file: usize) -> Vec<DocumentSymbol> {
    let Some(f) = checked.file(file) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for item in &f.ast.items {
        let (name, detail, kind, selection) = match item {
            Item::Rule(r) => (
                r.id.node.clone(),
                r.title.as_ref().map(|t| t.node.clone()),
                SymbolKind::FUNCTION,
                r.id.span,
            ),
            Item::Let(l) => (
                l.name.join(" "),
                Some("let".to_string()),
                SymbolKind::CONSTANT,
                l.name_span,
            ),
            Item::Define(d) => (
                format!("{} {}", d.item.node, d.name.join(" ")),
                Some("define".to_string()),
                SymbolKind::FIELD,
                d.name_span,
            ),
            Item::Use(u) => (
                u.node.clone(),
                Some("use".to_string()),
                SymbolKind::FILE,
                u.span,
            ),
        };
        #[allow(deprecated)]
        out.push(DocumentSymbol {
            name,
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: checked.range(file, item.span()),
            selection_range: checked.range(file, selection),
            children: None,
        });
    }
    out
}
