//! TOML via `toml_edit::Document`, which keeps the span of every key and value.
//!
//! Numbers are taken from their source text, so floats stay exact (`0.1`) and a decimal too long
//! for `f64` still loads. TOML integers are 64-bit: a longer integer is `too-large` (written with
//! a `.0` it is a float and loads exactly). A local date is a date; local and offset date-times
//! and local times are kept as date-times and rejected where a date is wanted. A table's span is
//! its header (if any) joined with its keys and values. toml_edit limits nesting to 80 levels;
//! deeper input is `too-deep`.

use toml_edit::{Document, Item, Key, TableLike, TomlError, Value};

use super::doc::{self, Budget, Doc, DocKind, Entry, Lit, MapBuilder};
use super::error::{self, DealError, Diags};
use crate::source::Span;

pub(crate) fn parse(
    text: &str,
    base: usize,
    budget: &mut Budget,
    d: &mut Diags,
) -> Result<Doc, DealError> {
    let document = Document::parse(text).map_err(|e| toml_error(&e, text, base, d))?;
    let c = Conv { text, base };
    let doc = c.table(document.as_table(), None, 1, budget, d)?;
    Ok(doc)
}

struct Conv<'a> {
    text: &'a str,
    base: usize,
}

fn join(a: Option<Span>, b: Span) -> Span {
    a.map_or(b, |a| a.join(b))
}

impl Conv<'_> {
    fn span(&self, r: Option<std::ops::Range<usize>>) -> Option<Span> {
        r.map(|r| Span::new(self.base + r.start, self.base + r.end))
    }

    fn table(
        &self,
        t: &dyn TableLike,
        own: Option<Span>,
        depth: usize,
        budget: &mut Budget,
        d: &mut Diags,
    ) -> Result<Doc, DealError> {
        let at = own.unwrap_or(Span::new(self.base, self.base));
        budget.add_nodes(1, at, d)?;
        budget.enter(depth, at, d)?;
        let mut span = own.filter(|s| !s.is_empty());
        let mut map = MapBuilder::default();
        for (name, item) in t.iter() {
            let value = self.item(item, depth + 1, budget, d)?;
            let key_span = self
                .span(t.key(name).and_then(Key::span))
                .unwrap_or(value.span);
            budget.check_string(name.len(), key_span, d)?;
            span = Some(join(span, key_span).join(value.span));
            map.insert(
                Entry {
                    key: name.to_string(),
                    key_span,
                    value,
                },
                d,
            );
        }
        Ok(Doc {
            kind: DocKind::Map(map.entries),
            span: span.unwrap_or(at),
        })
    }

    fn item(
        &self,
        item: &Item,
        depth: usize,
        budget: &mut Budget,
        d: &mut Diags,
    ) -> Result<Doc, DealError> {
        match item {
            Item::Value(v) => self.value(v, depth, budget, d),
            Item::Table(t) => self.table(t, self.span(t.span()), depth, budget, d),
            Item::ArrayOfTables(a) => {
                let own = self.span(a.span());
                let at = own.unwrap_or(Span::new(self.base, self.base));
                budget.add_nodes(1, at, d)?;
                budget.enter(depth, at, d)?;
                let mut span = own;
                let mut items = Vec::new();
                for t in a.iter() {
                    let doc = self.table(t, self.span(t.span()), depth + 1, budget, d)?;
                    span = Some(join(span, doc.span));
                    items.push(doc);
                }
                Ok(Doc {
                    kind: DocKind::Seq(items),
                    span: span.unwrap_or(at),
                })
            }
            Item::None => Ok(Doc {
                kind: DocKind::Scalar(Lit::Null),
                span: Span::new(self.base, self.base),
            }),
        }
    }

    fn value(
        &self,
        v: &Value,
        depth: usize,
        budget: &mut Budget,
        d: &mut Diags,
    ) -> Result<Doc, DealError> {
        let span = self
            .span(v.span())
            .unwrap_or(Span::new(self.base, self.base));
        let source = || {
            self.text
                .get(span.start - self.base..span.end - self.base)
                .unwrap_or("")
                .to_string()
        };
        let lit = match v {
            Value::Array(a) => {
                budget.add_nodes(1, span, d)?;
                budget.enter(depth, span, d)?;
                let mut items = Vec::new();
                for x in a.iter() {
                    items.push(self.value(x, depth + 1, budget, d)?);
                }
                return Ok(Doc {
                    kind: DocKind::Seq(items),
                    span,
                });
            }
            Value::InlineTable(t) => return self.table(t, Some(span), depth, budget, d),
            Value::String(s) => {
                budget.check_string(s.value().len(), span, d)?;
                Lit::Str {
                    value: s.value().clone(),
                    plain: false,
                }
            }
            Value::Integer(i) => Lit::Number(non_empty(source(), || i.value().to_string())),
            Value::Float(_) => Lit::Number(source()),
            Value::Boolean(b) => Lit::Bool(*b.value()),
            Value::Datetime(dt) => {
                let text = non_empty(source(), || dt.value().to_string());
                let dt = dt.value();
                if dt.date.is_some() && dt.time.is_none() && dt.offset.is_none() {
                    Lit::Date(text)
                } else {
                    Lit::DateTime(text)
                }
            }
        };
        budget.add_nodes(1, span, d)?;
        Ok(Doc {
            kind: DocKind::Scalar(lit),
            span,
        })
    }
}

fn non_empty(s: String, or: impl FnOnce() -> String) -> String {
    if s.is_empty() {
        or()
    } else {
        s
    }
}

fn toml_error(e: &TomlError, text: &str, base: usize, d: &Diags) -> DealError {
    let r = e.span().unwrap_or(0..0);
    let mut span = Span::new(base + r.start, base + r.end);
    if span.is_empty() {
        let len = text
            .get(r.start..)
            .and_then(|t| t.chars().next())
            .map_or(0, char::len_utf8);
        span.end += len;
    }
    let message = e.message().trim().replace('\n', "; ");
    let found = text.get(r.start..r.end).unwrap_or("");
    if message.contains("duplicate key") {
        let first =
            first_definition(text, r.start).map(|f| Span::new(base + f.start, base + f.end));
        return doc::duplicate_key(d, found, span, first);
    }
    if message.contains("overflow") {
        return error::TomlNumberTooLarge {
            text: doc::shorten(found),
            span,
            src: d.src(),
        }
        .into();
    }
    if message.contains("recurs") {
        return error::ReaderTooDeep { span, src: d.src() }.into();
    }
    if message.contains("invalid date") || message.contains("invalid time") {
        return error::TomlBadDate {
            text: doc::shorten(found),
            reason: message,
            span,
            src: d.src(),
        }
        .into();
    }
    error::InvalidSyntax {
        format: "toml",
        message,
        span,
        label: "here".into(),
        help: None,
        src: d.src(),
    }
    .into()
}

/// Best effort: the first definition of the key that toml_edit reports as duplicated at byte
/// `at`, found by parsing the text before the duplicate's line and walking its table path.
fn first_definition(text: &str, at: usize) -> Option<std::ops::Range<usize>> {
    let line_start = text.get(..at)?.rfind('\n').map_or(0, |i| i + 1);
    let prefix = text.get(..line_start)?;
    let line = text.get(line_start..)?.lines().next()?.trim_start();
    let before = Document::parse(prefix).ok()?;
    let root: &dyn TableLike = before.as_table();
    if let Some(header) = line.strip_prefix('[') {
        let header = header.strip_prefix('[').unwrap_or(header);
        let path = Key::parse(header.split(']').next()?).ok()?;
        return lookup(root, &path);
    }
    // A key/value line: the table is the one of the last header line before it.
    let header = prefix
        .lines()
        .rev()
        .map(str::trim_start)
        .find(|l| l.starts_with('['))
        .map(|l| l.trim_start_matches('[').split(']').next().unwrap_or(""));
    let mut path = match header {
        Some(h) => Key::parse(h).ok()?,
        None => Vec::new(),
    };
    path.extend(Key::parse(line.split('=').next()?).ok()?);
    lookup(root, &path)
}

fn lookup(table: &dyn TableLike, path: &[Key]) -> Option<std::ops::Range<usize>> {
    let (first, rest) = path.split_first()?;
    if rest.is_empty() {
        return table.key(first.get())?.span();
    }
    match table.get(first.get())? {
        Item::Table(t) => lookup(t, rest),
        Item::Value(Value::InlineTable(t)) => lookup(t, rest),
        Item::ArrayOfTables(a) => lookup(a.iter().last()?, rest),
        _ => None,
    }
}
