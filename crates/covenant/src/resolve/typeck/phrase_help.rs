//! Help for an unknown phrase that is a field after all: one whose name holds a keyword
//! (`party in force` for `in_force`), and a field of each item used where no item is in scope
//! (`owner` at the root, for `technology owner`).

use std::collections::VecDeque;

use crate::schema::{RecordId, Schema, Type};
use crate::source::Span;
use crate::syntax::ast::{Phrase, PhrasePart};
use crate::syntax::keywords::is_keyword;

use super::super::phrase::{self, DefRef, Frame};
use super::Lowerer;

/// Words read on each side of the phrase, at most.
const AROUND: usize = 4;

impl Lowerer<'_> {
    /// When the phrase together with the words beside it on its line names a field once its
    /// keywords are back-quoted (`party in force` → `` party `in` force ``): that spelling.
    pub(super) fn keyword_in_field_help(&self, p: &Phrase, frames: &[Frame]) -> Option<String> {
        let text: &str = &self.source.text;
        let before = words_before(text, p.span.start);
        let after = words_after(text, p.span.end);
        let defs = self.defs;
        let def_type = |i: usize| defs.def_type(i);
        // The longest window first: it reads the most words as one phrase.
        let mut windows: Vec<(usize, usize)> = (0..=before.len())
            .flat_map(|b| (0..=after.len()).map(move |a| (b, a)))
            .filter(|&(b, a)| b + a > 0)
            .collect();
        windows.sort_by_key(|&(b, a)| std::cmp::Reverse(b + a));
        for (b, a) in windows {
            let left = before.get(before.len() - b..)?;
            let right = after.get(..a)?;
            let added = left.iter().chain(right);
            if !added.clone().any(|(_, w)| is_keyword(w)) {
                continue;
            }
            let mut parts: Vec<PhrasePart> = left.iter().map(word_part).collect();
            parts.extend(p.parts.iter().cloned());
            parts.extend(right.iter().map(word_part));
            let span = left
                .first()
                .map_or(p.span, |(s, _)| s.join(p.span))
                .join(right.last().map_or(p.span, |(s, _)| *s));
            let candidate = Phrase { parts, span };
            let Ok(resolved) =
                phrase::resolve(self.schema, frames, self.visible, &def_type, &candidate)
            else {
                continue;
            };
            let field = resolved
                .steps
                .last()
                .map(|s| format!("for the field `{}`, ", s.name))
                .unwrap_or_default();
            let keywords: Vec<String> = added
                .filter(|(_, w)| is_keyword(w))
                .map(|(_, w)| format!("`{w}`"))
                .collect();
            let (kw, is) = match keywords.as_slice() {
                [one] => (one.clone(), "is a keyword"),
                many => (many.join(" and "), "are keywords"),
            };
            return Some(format!(
                "{kw} {is}, so `{}` does not read as one phrase; {field}write `` {} ``",
                self.source.slice(span),
                spelled(&candidate)
            ));
        }
        None
    }

    /// When the phrase's words name a field of the items of a list (or of a record) of the
    /// deal, but no such item is in scope: where that field is, and how to reach it.
    pub(super) fn item_field_help(&self, words: &[&str]) -> Option<String> {
        let key = words.join("_");
        let found = owners_of(self.schema, &key, self.visible);
        let (first, _) = found.first()?;
        let text = words.join(" ");
        let lists: Vec<&(String, bool)> = found.iter().filter(|(_, each)| *each).collect();
        if lists.is_empty() {
            return Some(format!(
                "`{text}` is a field of the {first}: write `{first} {text}`"
            ));
        }
        let names: Vec<&str> = lists.iter().map(|(n, _)| n.as_str()).collect();
        let each = match names.as_slice() {
            [one] => (*one).to_string(),
            [init @ .., last] => format!("{}, or {last}", init.join(", ")),
            [] => String::new(),
        };
        let one = names.first()?;
        Some(format!(
            "`{text}` is a field of each {each}: write `{one} {text}`, or use it inside `every {one}:`"
        ))
    }
}

/// The records that hold a field named `key`, nearest the root first: the phrase that names
/// one of them (`technology`, `party`, `board`) and whether it names each item of a list.
fn owners_of(schema: &Schema, key: &str, defs: &[DefRef]) -> Vec<(String, bool)> {
    let mut found = Vec::new();
    let mut seen = vec![Schema::ROOT];
    let mut queue: VecDeque<(RecordId, String, bool)> = VecDeque::new();
    for f in &schema.root().fields {
        let (id, each) = match &f.ty {
            Type::Record(id) => (*id, false),
            Type::List(inner) => match **inner {
                Type::Record(id) => (id, true),
                _ => continue,
            },
            _ => continue,
        };
        let name = match (each, &f.singular) {
            (true, Some(s)) => s.clone(),
            (true, None) => crate::schema::singular_of(&f.name),
            (false, _) => f.name.clone(),
        };
        queue.push_back((id, name.replace('_', " "), each));
    }
    while let Some((id, name, each)) = queue.pop_front() {
        if seen.contains(&id) {
            continue;
        }
        seen.push(id);
        let fields = &schema.record(id).fields;
        if fields
            .iter()
            .any(|f| f.name == key && phrase::visible(schema, f, defs))
        {
            found.push((name, each));
        }
    }
    found
}

fn word_part((span, text): &(Span, &str)) -> PhrasePart {
    PhrasePart::Word {
        text: (*text).to_string(),
        quoted: false,
        span: *span,
    }
}

/// A phrase as it must be written: keywords back-quoted, `.` and `deal` kept.
fn spelled(p: &Phrase) -> String {
    let mut out = String::new();
    for part in &p.parts {
        match part {
            PhrasePart::Dot(_) => out.push('.'),
            PhrasePart::Deal(_) | PhrasePart::Word { .. } => {
                if !out.is_empty() && !out.ends_with('.') {
                    out.push(' ');
                }
                match part {
                    PhrasePart::Word { text, quoted, .. } if *quoted || is_keyword(text) => {
                        out.push('`');
                        out.push_str(text);
                        out.push('`');
                    }
                    PhrasePart::Word { text, .. } => out.push_str(text),
                    _ => out.push_str("deal"),
                }
            }
        }
    }
    out
}

/// Up to [`AROUND`] plain words just before `pos` on its line, separated by spaces only.
fn words_before(text: &str, pos: usize) -> Vec<(Span, &str)> {
    let mut out = Vec::new();
    let mut end = pos;
    while out.len() < AROUND {
        let Some(head) = text.get(..end) else { break };
        let trimmed = head.trim_end_matches([' ', '\t']);
        let word_start = trimmed
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let word = trimmed.get(word_start..).unwrap_or("");
        if word.is_empty() || word.starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
        out.push((Span::new(word_start, trimmed.len()), word));
        end = word_start;
    }
    out.reverse();
    out
}

/// Up to [`AROUND`] plain words just after `pos` on its line, separated by spaces only.
fn words_after(text: &str, pos: usize) -> Vec<(Span, &str)> {
    let mut out = Vec::new();
    let mut start = pos;
    while out.len() < AROUND {
        let Some(tail) = text.get(start..) else { break };
        let trimmed = tail.trim_start_matches([' ', '\t']);
        let skipped = tail.len() - trimmed.len();
        if skipped == 0 {
            break;
        }
        let len = trimmed
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(trimmed.len());
        let word = trimmed.get(..len).unwrap_or("");
        if word.is_empty() || word.starts_with(|c: char| c.is_ascii_digit()) {
            break;
        }
        let at = start + skipped;
        out.push((Span::new(at, at + len), word));
        start = at + len;
    }
    out
}
