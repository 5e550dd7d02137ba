//! Completion. The phrases valid at the cursor come from the compiler itself: a placeholder
//! word is put where the cursor is and the document analysed again; the placeholder does not
//! resolve, and the names the compiler found possible there (fields of the value so far; at
//! the first word of a phrase the definitions, item names and fields in scope, so inside a
//! `where` or a quantifier's body the item's fields) are the completions. Then definitions,
//! keywords and clause words, and the country codes after a country field.

use std::path::Path;

use covenant::resolve::index::{PhraseUse, UnresolvedPhrase};
use covenant::schema::Constraint;
use covenant::source::Span;
use covenant::syntax::keywords::{is_keyword, CLAUSE_WORDS, ITEM_WORDS, KEYWORDS};
use tower_lsp_server::ls_types::{
    CompletionItem, CompletionItemKind, CompletionTextEdit, Range, TextEdit,
};

use crate::check::{check, Checked, Snapshot};
use crate::position::LineIndex;
use crate::words::{in_comment_or_string, word_start, Lexeme};

/// The placeholder word: lower case, so it reads as a word of a phrase.
const PLACEHOLDER: &str = "zzcovenantcursorzz";

/// The completions at byte `at` of `text`, the text of the document at `path`.
pub fn complete(snapshot: &Snapshot, path: &Path, text: &str, at: usize) -> Vec<CompletionItem> {
    let lines = LineIndex::new(text);
    let string = match in_comment_or_string(text, at) {
        Some((_, Lexeme::Comment)) => return Vec::new(),
        Some((span, _)) => Some(span),
        None => None,
    };
    let in_string = string.is_some();
    if string.is_some_and(|s| !after_an_operator(text, s.start)) {
        // A title, a citation, a help line: nothing to complete.
        return Vec::new();
    }
    let start = word_start(text, at);
    let replace = lines.range(text, Span::new(start, at));
    // In a string, the placeholder stands for the whole string.
    let (cut, cut_end) = string.map_or((start, at), |s| (s.start, s.end));
    let Some((checked, unresolved)) = placeholder_analysis(snapshot, path, text, cut, cut_end)
    else {
        return if in_string {
            Vec::new()
        } else {
            words(replace)
        };
    };
    if let Some(phrase) = compared_field(&checked, unresolved.as_ref(), cut) {
        if phrase.constraint == Constraint::Country {
            return countries(replace, in_string);
        }
    }
    if in_string {
        return Vec::new();
    }
    let mut out = match &unresolved {
        Some(u) => phrases(&checked, u, start, replace),
        None => Vec::new(),
    };
    let first_word = unresolved.as_ref().is_none_or(|u| u.span.start == start);
    if first_word {
        out.extend(words(replace));
    }
    out
}

/// The analysis of the text with the placeholder at the cursor, and the unresolved phrase
/// that holds it. A few repairs are tried when the text does not parse with the placeholder
/// alone: the rest of the line dropped, then a quantifier's `: true`, then brackets closed.
fn placeholder_analysis(
    snapshot: &Snapshot,
    path: &Path,
    text: &str,
    start: usize,
    at: usize,
) -> Option<(Checked, Option<UnresolvedPhrase>)> {
    let before = text.get(..start)?;
    let after = text.get(at..)?;
    let line_end = after.find('\n').unwrap_or(after.len());
    let rest_of_line = after.get(line_end..).unwrap_or("");
    let closers = closers(before);
    let variants = [
        format!("{PLACEHOLDER}{after}"),
        format!("{PLACEHOLDER}{rest_of_line}"),
        format!("{PLACEHOLDER}: true{rest_of_line}"),
        format!("{PLACEHOLDER}{closers}{rest_of_line}"),
        format!("{PLACEHOLDER}{closers}: true{rest_of_line}"),
    ];
    let mut last = None;
    for tail in variants {
        let edited = format!("{before}{tail}");
        let mut snapshot = snapshot.clone();
        snapshot
            .overlay
            .insert(path.to_path_buf(), edited.as_str().into());
        let checked = check(&[path.to_path_buf()], &snapshot, 0);
        let root = checked.root?;
        let found = checked
            .analysis
            .recorded
            .unresolved
            .iter()
            .find(|u| u.file == root && u.span.start <= start && start < u.span.end)
            .cloned();
        if found.is_some() {
            return Some((checked, found));
        }
        last = Some(checked);
    }
    last.map(|c| (c, None))
}

/// Whether the text before `at` on its line ends with what a value may follow: a comparison,
/// `in`, `of`, `is`, `contains`, a bracket or a comma (a string there may be a country code).
fn after_an_operator(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or("").trim_end();
    [
        "=",
        "<",
        ">",
        "[",
        "(",
        ",",
        " in",
        " of",
        " is",
        " contains",
    ]
    .iter()
    .any(|end| line.ends_with(end))
}

/// The brackets `(` and `[` left open on the last line of `before`, closed in order.
fn closers(before: &str) -> String {
    let line = before.rsplit('\n').next().unwrap_or("");
    let mut open = Vec::new();
    for c in line.chars() {
        match c {
            '(' => open.push(')'),
            '[' => open.push(']'),
            ')' | ']' => {
                open.pop();
            }
            _ => {}
        }
    }
    open.iter().rev().collect()
}

/// The phrases the compiler found possible where the placeholder stands. When words were
/// typed before it in the same failing phrase (`board |`), only the candidates that start with
/// them are offered, for the words that remain.
fn phrases(
    checked: &Checked,
    u: &UnresolvedPhrase,
    start: usize,
    replace: Range,
) -> Vec<CompletionItem> {
    let root = checked.root.unwrap_or_default();
    let typed = checked
        .text(root)
        .get(u.span.start..start)
        .unwrap_or("")
        .to_string();
    let mut seen = std::collections::BTreeSet::new();
    u.candidates
        .iter()
        .filter_map(|c| c.strip_prefix(typed.as_str()))
        .filter(|rest| !rest.is_empty() && seen.insert(rest.to_string()))
        .map(|rest| {
            let insert = back_quoted(rest);
            CompletionItem {
                label: rest.to_string(),
                kind: Some(CompletionItemKind::FIELD),
                detail: Some("phrase".to_string()),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(replace, insert))),
                sort_text: Some(format!("0{rest}")),
                ..CompletionItem::default()
            }
        })
        .collect()
}

/// A phrase with each keyword back-quoted, as it must be written.
fn back_quoted(phrase: &str) -> String {
    phrase
        .split(' ')
        .map(|w| match is_keyword(w) {
            true => format!("`{w}`"),
            false => w.to_string(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Keywords and clause words.
fn words(replace: Range) -> Vec<CompletionItem> {
    let keywords = KEYWORDS.iter().map(|w| (w, "keyword"));
    let clause = CLAUSE_WORDS
        .iter()
        .chain(&ITEM_WORDS)
        .map(|w| (w, "clause word"));
    keywords
        .chain(clause)
        .map(|(w, what)| CompletionItem {
            label: w.to_string(),
            kind: Some(CompletionItemKind::KEYWORD),
            detail: covenant::syntax::keyword_doc(w)
                .map(str::to_string)
                .or(Some(what.to_string())),
            text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(
                replace,
                w.to_string(),
            ))),
            sort_text: Some(format!("2{w}")),
            ..CompletionItem::default()
        })
        .collect()
}

/// The phrase the cursor compares with or tests membership in (`party country = |`,
/// `country in ["CN", |`): the last resolved phrase before the cursor on its line, with only
/// operators, brackets, strings and the words of a comparison between.
fn compared_field<'a>(
    checked: &'a Checked,
    unresolved: Option<&UnresolvedPhrase>,
    start: usize,
) -> Option<&'a PhraseUse> {
    let root = checked.root?;
    let text = checked.text(root);
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let phrase = checked
        .analysis
        .recorded
        .phrases
        .iter()
        .filter(|p| p.file == root && line_start <= p.span.start && p.span.end <= start)
        .filter(|p| unresolved.is_none_or(|u| p.span.end <= u.phrase.start))
        .max_by_key(|p| p.span.end)?;
    let between = text.get(phrase.span.end..start)?;
    let only_operators = strip_strings(between).split_whitespace().all(|w| {
        matches!(w, "is" | "not" | "in" | "one" | "of" | "contains")
            || w.chars().all(|c| "=!<>[],(\"".contains(c))
    });
    only_operators.then_some(phrase)
}

/// The text with each string literal removed.
fn strip_strings(text: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in text.chars() {
        if c == '"' {
            inside = !inside;
            out.push(' ');
        } else if !inside {
            out.push(c);
        }
    }
    out
}

fn countries(replace: Range, in_string: bool) -> Vec<CompletionItem> {
    covenant::country::codes()
        .map(|(code, name)| {
            let insert = match in_string {
                true => code.to_string(),
                false => format!("\"{code}\""),
            };
            CompletionItem {
                label: code.to_string(),
                kind: Some(CompletionItemKind::VALUE),
                detail: Some(name.to_string()),
                filter_text: Some(format!("{code} {name}")),
                text_edit: Some(CompletionTextEdit::Edit(TextEdit::new(replace, insert))),
                ..CompletionItem::default()
            }
        })
        .collect()
}
