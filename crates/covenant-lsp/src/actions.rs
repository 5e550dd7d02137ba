//! Code actions, each a quick fix of a diagnostic: the did-you-mean of a help line, a keyword
//! back-quoted where a field's name holds it, and a `cite` added to a rule that cites no
//! source.

use std::collections::HashMap;

use covenant::lint::MISSING_CITE;
use covenant::resolve::typeck::suggested_replacement;
use covenant::syntax::ast::{Clause, Item, Rule, RuleForm};
use tower_lsp_server::ls_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, Diagnostic, NumberOrString, Range, TextEdit,
    Uri, WorkspaceEdit,
};

use crate::check::Checked;

/// The quick fixes of `diagnostics` (as the client sent them back) in the root of `checked`.
pub fn quick_fixes(
    checked: &Checked,
    uri: &Uri,
    diagnostics: &[Diagnostic],
) -> Vec<CodeActionOrCommand> {
    let Some(root) = checked.root else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in diagnostics {
        let help = d.message.split_once("\nhelp: ").map(|(_, h)| h);
        let fix = match help {
            Some(h) if h.contains("is a keyword") || h.contains("are keywords") => {
                back_quote(checked, root, d, h)
            }
            Some(h) => did_you_mean(checked, root, d, h),
            None => None,
        };
        let fix = fix.or_else(|| add_cite(checked, root, d));
        if let Some((title, edit)) = fix {
            out.push(action(uri, d, title, edit));
        }
    }
    out
}

fn action(uri: &Uri, d: &Diagnostic, title: String, edit: TextEdit) -> CodeActionOrCommand {
    let changes = HashMap::from([(uri.clone(), vec![edit])]);
    CodeActionOrCommand::CodeAction(CodeAction {
        title,
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![d.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(changes),
            ..WorkspaceEdit::default()
        }),
        is_preferred: Some(true),
        ..CodeAction::default()
    })
}

fn text_of(checked: &Checked, root: usize, range: Range) -> &str {
    let start = checked.offset(root, range.start);
    let end = checked.offset(root, range.end);
    checked.text(root).get(start..end).unwrap_or("")
}

/// "did you mean `X`?": X replaces the text the diagnostic points at (inside the quotes of a
/// string literal when it points at one).
fn did_you_mean(
    checked: &Checked,
    root: usize,
    d: &Diagnostic,
    help: &str,
) -> Option<(String, TextEdit)> {
    let name = suggested_replacement(help)?;
    let under = text_of(checked, root, d.range);
    let new_text = match under.starts_with('"') {
        true => format!("\"{name}\""),
        false => name.clone(),
    };
    (under != new_text).then(|| {
        let title = format!("Replace with `{name}`");
        (title, TextEdit::new(d.range, new_text))
    })
}

/// "write `` party `in` force ``": the same words, back-quoted, replace the words as written
/// on the diagnostic's line.
fn back_quote(
    checked: &Checked,
    root: usize,
    d: &Diagnostic,
    help: &str,
) -> Option<(String, TextEdit)> {
    let wanted = help.split("write `` ").nth(1)?.split(" ``").next()?;
    let plain = wanted.replace('`', "");
    let line = d.range.start.line;
    let line_start = checked.offset(root, tower_lsp_server::ls_types::Position::new(line, 0));
    let line_end = checked.offset(root, tower_lsp_server::ls_types::Position::new(line + 1, 0));
    let text = checked.text(root).get(line_start..line_end)?;
    let at = checked.offset(root, d.range.start) - line_start;
    let found = text
        .match_indices(plain.as_str())
        .map(|(i, _)| i)
        .min_by_key(|i| i.abs_diff(at))?;
    let start = line_start + found;
    let range = checked.range(
        root,
        covenant::source::Span::new(start, start + plain.len()),
    );
    let title = format!("Back-quote the keyword: `` {wanted} ``");
    Some((title, TextEdit::new(range, wanted.to_string())))
}

/// A `cite "…"` line for a rule that cites no source: added to a braced rule; a one-line or
/// bare rule is written in braces with it.
fn add_cite(checked: &Checked, root: usize, d: &Diagnostic) -> Option<(String, TextEdit)> {
    let code = match &d.code {
        Some(NumberOrString::String(c)) => c.as_str(),
        _ => return None,
    };
    if code != MISSING_CITE {
        return None;
    }
    let at = checked.offset(root, d.range.start);
    let rule = checked.file(root)?.ast.items.iter().find_map(|i| match i {
        Item::Rule(r) if r.span.start <= at && at <= r.span.end => Some(r),
        _ => None,
    })?;
    let text = checked.text(root);
    let edit = match rule.form {
        RuleForm::Braced => {
            let brace = rule.span.start + text.get(rule.span.start..rule.span.end)?.find('{')?;
            let span = covenant::source::Span::new(brace + 1, brace + 1);
            TextEdit::new(checked.range(root, span), "\n  cite \"…\"".to_string())
        }
        RuleForm::OneLine | RuleForm::Bare => {
            TextEdit::new(checked.range(root, rule.span), braced(text, rule)?)
        }
    };
    Some(("Add a `cite` to the rule".to_string(), edit))
}

/// A one-line or bare rule written in braces, with a `cite` to fill in.
fn braced(text: &str, rule: &Rule) -> Option<String> {
    let expr = rule.clauses.iter().find_map(|c| match c {
        Clause::Require(e) => Some(e.span),
        _ => None,
    })?;
    let title = rule
        .title
        .as_ref()
        .and_then(|t| text.get(t.span.start..t.span.end))
        .map(|t| format!(" {t}"))
        .unwrap_or_default();
    let condition = text.get(expr.start..expr.end)?;
    Some(format!(
        "rule {}{title} {{\n  cite \"…\"\n  require {condition}\n}}",
        rule.id.node
    ))
}
