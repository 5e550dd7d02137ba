//! Hover: what the text under the cursor is. A phrase: the field path it resolved to, with
//! its type and unit; a `let` or `define` (or a phrase that names one): its definition; a rule
//! id (or an `overrides` id): the rule's title, citations and status; a `use` path: the file;
//! a keyword: one line of docs.

use covenant::resolve::index::{PhraseUse, UseBase};
use covenant::schema::{describe, Constraint, Type};
use covenant::source::Span;
use covenant::syntax::ast::{Clause, Item, Rule};
use covenant::syntax::keyword_doc;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind};

use crate::check::Checked;
use crate::symbols::{self, definition_at};
use crate::words::word_at;

/// The hover at byte `at` of file `file`.
pub fn hover(checked: &Checked, file: usize, at: usize) -> Option<Hover> {
    let (text, span) = rule_hover(checked, file, at)
        .or_else(|| definition_name_hover(checked, file, at))
        .or_else(|| use_hover(checked, file, at))
        .or_else(|| phrase_hover(checked, file, at))
        .or_else(|| keyword_hover(checked, file, at))?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: text,
        }),
        range: Some(checked.range(file, span)),
    })
}

fn contains(span: Span, at: usize) -> bool {
    span.start <= at && at <= span.end && !span.is_empty()
}

fn items(checked: &Checked, file: usize) -> &[Item] {
    checked.file(file).map_or(&[], |f| f.ast.items.as_slice())
}

fn rule_hover(checked: &Checked, file: usize, at: usize) -> Option<(String, Span)> {
    for item in items(checked, file) {
        let Item::Rule(rule) = item else { continue };
        if !rule.id_derived && contains(rule.id.span, at) {
            return Some((rule_text(checked, file, rule), rule.id.span));
        }
        if let Some(id) = symbols::overrides(rule).find(|id| contains(id.span, at)) {
            let text = match symbols::rule_named(checked, &id.node) {
                Some((f, r)) => rule_text(checked, f, r),
                None => format!("no loaded rule has the id `{}`", id.node),
            };
            return Some((text, id.span));
        }
    }
    None
}

/// A rule's id, title, status, severity and citations (the header's, then its own).
pub fn rule_text(checked: &Checked, file: usize, rule: &Rule) -> String {
    let mut out = format!("**rule** `{}`", rule.id.node);
    if let Some(title) = &rule.title {
        out.push_str(&format!(" — {}", title.node));
    }
    out.push_str(&format!(
        "\n\nstatus: `{}`",
        symbols::status(checked, file, rule).as_str()
    ));
    let header = checked
        .file(file)
        .map_or(&[][..], |f| f.ast.header.cites.as_slice());
    let own = rule.clauses.iter().filter_map(|c| match c {
        Clause::Cite(c) => Some(c),
        _ => None,
    });
    let cites: Vec<String> = header
        .iter()
        .chain(own)
        .map(|c| {
            let mut line = format!("- {}", c.text.node);
            if let Some(s) = &c.section {
                line.push_str(&format!(", section {}", s.node));
            }
            if let Some(u) = &c.url {
                line.push_str(&format!(" <{}>", u.node));
            }
            line
        })
        .collect();
    if cites.is_empty() {
        out.push_str("\n\ncites no source");
    } else {
        out.push_str(&format!("\n\ncites:\n{}", cites.join("\n")));
    }
    out
}

fn definition_name_hover(checked: &Checked, file: usize, at: usize) -> Option<(String, Span)> {
    let def = symbols::definitions(checked)
        .into_iter()
        .find(|d| d.file == file && contains(d.name_span, at))?;
    Some((
        definition_text(checked, file, def.name_span)?,
        def.name_span,
    ))
}

/// A definition as written, with its type when it compiled.
pub fn definition_text(checked: &Checked, file: usize, name_span: Span) -> Option<String> {
    let def = definition_at(checked, file, name_span)?;
    let written = checked.text(file).get(def.span.start..def.span.end)?;
    let ty = checked
        .analysis
        .recorded
        .definitions
        .iter()
        .find(|d| d.file == file && d.name_span == name_span)
        .map(|d| format!("\n\n{}", describe(&d.ty)))
        .unwrap_or_default();
    let place = match (checked.root, checked.file(file)) {
        (Some(root), Some(f)) if root != file => format!("\n\nin `{}`", f.source.name),
        _ => String::new(),
    };
    Some(format!("```covenant\n{written}\n```{ty}{place}"))
}

fn use_hover(checked: &Checked, file: usize, at: usize) -> Option<(String, Span)> {
    items(checked, file).iter().find_map(|item| match item {
        Item::Use(u) if contains(u.span, at) => {
            let (loaded, path) = checked.used_file(file, &u.node);
            let state = if loaded.is_some() {
                ""
            } else {
                " (not loaded)"
            };
            Some((format!("**use** `{}`{state}", path.display()), u.span))
        }
        _ => None,
    })
}

/// The innermost phrase at `at`.
pub fn phrase_at(checked: &Checked, file: usize, at: usize) -> Option<&PhraseUse> {
    checked
        .analysis
        .recorded
        .phrases
        .iter()
        .filter(|p| p.file == file && contains(p.span, at))
        .min_by_key(|p| p.span.len())
}

fn phrase_hover(checked: &Checked, file: usize, at: usize) -> Option<(String, Span)> {
    let p = phrase_at(checked, file, at)?;
    if let (UseBase::Definition { file: f, name_span }, Some(base)) = (&p.base, p.base_span) {
        if contains(base, at) {
            return Some((definition_text(checked, *f, *name_span)?, base));
        }
    }
    Some((phrase_text(checked, p), p.span))
}

/// `deal.parties[].stake`: where a phrase reads its value.
pub fn field_path(checked: &Checked, p: &PhraseUse) -> String {
    let mut path = match &p.base {
        UseBase::Deal => "deal".to_string(),
        UseBase::Item(name) => name.clone(),
        UseBase::Definition { file, name_span } => checked
            .text(*file)
            .get(name_span.start..name_span.end)
            .unwrap_or("definition")
            .to_string(),
    };
    for f in &p.fields {
        path.push_str(if f.each { "[]." } else { "." });
        path.push_str(&f.name);
    }
    path
}

fn phrase_text(checked: &Checked, p: &PhraseUse) -> String {
    let kind = match (&p.base, p.fields.is_empty()) {
        (UseBase::Item(_), true) => "item",
        (UseBase::Definition { .. }, true) => "definition",
        _ => "field",
    };
    let mut out = format!(
        "**{kind}** `{}` — {}",
        field_path(checked, p),
        describe(&p.ty)
    );
    if let Some(unit) = unit(&p.ty, &p.constraint) {
        out.push_str(&format!("\n\nunit: {unit}"));
    }
    out
}

fn unit(ty: &Type, constraint: &Constraint) -> Option<String> {
    Some(match (ty.element(), constraint) {
        (_, Constraint::Country) => "an ISO 3166-1 alpha-2 country code (`\"US\"`)".to_string(),
        (_, Constraint::OneOf(values)) => format!("one of {}", values.join(", ")),
        (Type::Percent, _) => "percent (`50%`)".to_string(),
        (Type::Money, _) => "money: a currency code and an amount (`USD 1.5M`)".to_string(),
        (Type::Number, _) => "a plain number, no unit".to_string(),
        (Type::Date, _) => "a date (`2026-05-02`)".to_string(),
        _ => return None,
    })
}

fn keyword_hover(checked: &Checked, file: usize, at: usize) -> Option<(String, Span)> {
    let (span, word) = word_at(checked.text(file), at)?;
    let doc = keyword_doc(word)?;
    Some((format!("**{word}** — {doc}"), span))
}
