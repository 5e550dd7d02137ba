//! YAML via `saphyr-parser` events, read with the YAML 1.2 core schema.
//!
//! - Plain scalars: `null`/`Null`/`NULL`/`~`/empty are null; `true`/`True`/`TRUE` and the
//!   `false` forms are booleans; `[-+]?[0-9]+`, `0o…`, `0x…` are integers; the core float forms
//!   are numbers; everything else (`NO`, `yes`, `on`, `2026-03-01`) is a string. Quoted and
//!   block scalars are always strings.
//! - Tags: the core tags `!!str`, `!!int`, `!!float`, `!!bool`, `!!null`, `!!seq`, `!!map` are
//!   honoured (`!!str 12` is the string "12"); the non-specific `!` makes a string; any other
//!   tag (`!!binary`, `!custom`) is a `syntax` error, never silently ignored.
//! - Aliases are expanded: every use of an anchor counts the anchored node's size against the
//!   node budget (so a "billion laughs" document is `too-large`), and its depth against the
//!   depth limit. An expanded alias keeps the spans of the anchored text.
//! - There is no merge key (`<<`); it is an ordinary (unknown) key, as in YAML 1.2.
//! - More than one document is `multiple-documents`.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Tag};

use super::doc::{Budget, Doc, DocKind, Entry, Lit, MapBuilder};
use super::error::{self, DealError, Diags};
use crate::source::Span;

/// Parse one YAML document; an empty stream gives a null document with an empty span.
pub(crate) fn parse(
    text: &str,
    base: usize,
    budget: &mut Budget,
    d: &mut Diags,
) -> Result<Doc, DealError> {
    let off = Offsets::new(text, base);
    let mut b = Builder {
        stack: Vec::new(),
        root: None,
        anchors: HashMap::new(),
    };
    let mut documents = 0usize;
    for event in Parser::new_from_str(text) {
        let (event, marks) = event.map_err(|e| scan_error(&e, text, &off, d))?;
        let span = Span::new(off.byte(marks.start.index()), off.byte(marks.end.index()));
        let is_map = matches!(event, Event::MappingStart(..));
        match event {
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(error::MultipleDocuments { span, src: d.src() }.into());
                }
            }
            Event::Alias(id) => {
                let Some(anchored) = b.anchors.get(&id) else {
                    return Err(error::InvalidSyntax {
                        format: "yaml",
                        message: "an alias to an unknown anchor".into(),
                        span,
                        label: "unknown anchor".into(),
                        help: None,
                        src: d.src(),
                    }
                    .into());
                };
                budget.add_nodes(anchored.nodes, span, d)?;
                budget.enter(b.stack.len() + anchored.height, span, d)?;
                let (doc, height) = (anchored.doc.clone(), anchored.height);
                b.complete(doc, height, d)?;
            }
            Event::Scalar(value, style, anchor, tag) => {
                let span = trim_scalar(text, base, span, style);
                budget.add_nodes(1, span, d)?;
                budget.check_string(value.len(), span, d)?;
                if b.wants_key() && anchor == 0 && tag.is_none() {
                    b.key(value.into_owned(), span);
                    continue;
                }
                let lit = resolve(&value, style, tag.as_deref(), span, d)?;
                let doc = Doc {
                    kind: DocKind::Scalar(lit),
                    span,
                };
                if anchor > 0 {
                    b.anchors.insert(
                        anchor,
                        Anchored {
                            doc: doc.clone(),
                            nodes: 1,
                            height: 0,
                        },
                    );
                }
                b.complete(doc, 0, d)?;
            }
            Event::SequenceStart(anchor, tag) | Event::MappingStart(anchor, tag) => {
                let nodes_before = budget.nodes;
                budget.add_nodes(1, span, d)?;
                budget.enter(b.stack.len() + 1, span, d)?;
                let want = if is_map { "map" } else { "seq" };
                if let Some(tag) = tag.as_deref() {
                    if !(tag.is_yaml_core_schema() && tag.suffix == want) {
                        return Err(bad_tag(tag, span, d));
                    }
                }
                b.stack.push(Frame {
                    start: span,
                    last_end: span.end,
                    anchor,
                    nodes_before,
                    height: 1,
                    body: if is_map {
                        Body::Map(MapBuilder::default(), None)
                    } else {
                        Body::Seq(Vec::new())
                    },
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = b.stack.pop() else {
                    continue;
                };
                let end = if span.is_empty() {
                    frame.last_end
                } else {
                    span.end
                };
                let kind = match frame.body {
                    Body::Seq(items) => DocKind::Seq(items),
                    Body::Map(map, _) => DocKind::Map(map.entries),
                };
                let doc = Doc {
                    kind,
                    span: Span::new(frame.start.start, end.max(frame.start.end)),
                };
                if frame.anchor > 0 {
                    b.anchors.insert(
                        frame.anchor,
                        Anchored {
                            doc: doc.clone(),
                            nodes: budget.nodes.saturating_sub(frame.nodes_before),
                            height: frame.height,
                        },
                    );
                }
                b.complete(doc, frame.height, d)?;
            }
        }
    }
    Ok(b.root.unwrap_or(Doc {
        kind: DocKind::Scalar(Lit::Null),
        span: Span::new(base, base),
    }))
}

/// Character index (saphyr's markers) → byte offset in the deal source.
struct Offsets {
    base: usize,
    len: usize,
    /// Byte offset of each character; empty when the text is ASCII.
    table: Vec<usize>,
}

impl Offsets {
    fn new(text: &str, base: usize) -> Offsets {
        let table = if text.is_ascii() {
            Vec::new()
        } else {
            char_starts(text)
        };
        Offsets {
            base,
            len: text.len(),
            table,
        }
    }

    fn byte(&self, index: usize) -> usize {
        let b = if self.table.is_empty() {
            index.min(self.len)
        } else {
            self.table.get(index).copied().unwrap_or(self.len)
        };
        self.base + b
    }
}

/// The byte offset of each character of `text`: where each byte that does not continue a
/// character stands, found without decoding the characters.
fn char_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::with_capacity(text.len());
    for (i, &b) in text.as_bytes().iter().enumerate() {
        // A UTF-8 continuation byte is 0b10xx_xxxx.
        if b & 0xC0 != 0x80 {
            starts.push(i);
        }
    }
    starts
}

struct Anchored {
    doc: Doc,
    nodes: usize,
    /// Nesting levels of collections inside the node (0 for a scalar).
    height: usize,
}

enum Body {
    Seq(Vec<Doc>),
    /// The entries so far and a key waiting for its value.
    Map(MapBuilder, Option<(String, Span)>),
}

struct Frame {
    start: Span,
    last_end: usize,
    anchor: usize,
    nodes_before: usize,
    height: usize,
    body: Body,
}

struct Builder {
    stack: Vec<Frame>,
    root: Option<Doc>,
    anchors: HashMap<usize, Anchored>,
}

impl Builder {
    fn wants_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Frame {
                body: Body::Map(_, None),
                ..
            })
        )
    }

    fn key(&mut self, key: String, span: Span) {
        if let Some(frame) = self.stack.last_mut() {
            frame.last_end = span.end;
            if let Body::Map(_, pending) = &mut frame.body {
                *pending = Some((key, span));
            }
        }
    }

    /// A finished node: the root, a list item, a key or a value.
    fn complete(&mut self, doc: Doc, height: usize, d: &mut Diags) -> Result<(), DealError> {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(doc);
            return Ok(());
        };
        frame.last_end = frame.last_end.max(doc.span.end);
        frame.height = frame.height.max(height + 1);
        match &mut frame.body {
            Body::Seq(items) => items.push(doc),
            Body::Map(map, pending) => match pending.take() {
                Some((key, key_span)) => map.insert(
                    Entry {
                        key,
                        key_span,
                        value: doc,
                    },
                    d,
                ),
                None => match doc.kind {
                    DocKind::Scalar(lit) => *pending = Some((lit.text().to_string(), doc.span)),
                    _ => {
                        return Err(error::KeyNotString {
                            found: doc.describe(),
                            span: doc.span,
                            src: d.src(),
                        }
                        .into())
                    }
                },
            },
        }
        Ok(())
    }
}

/// saphyr's span of a quoted scalar runs on over trailing blanks and a comment, and a block
/// scalar's over trailing blank lines: cut it at the closing quote or the last non-blank.
fn trim_scalar(text: &str, base: usize, span: Span, style: ScalarStyle) -> Span {
    let local = text
        .get(span.start.saturating_sub(base)..span.end.saturating_sub(base))
        .unwrap_or("");
    let len = match style {
        ScalarStyle::Plain => return span,
        ScalarStyle::Literal | ScalarStyle::Folded => local.trim_end().len(),
        ScalarStyle::DoubleQuoted | ScalarStyle::SingleQuoted => {
            let quote = if style == ScalarStyle::DoubleQuoted {
                b'"'
            } else {
                b'\''
            };
            let bytes = local.as_bytes();
            let Some(open) = bytes.iter().position(|&b| b == quote) else {
                return span;
            };
            let mut i = open + 1;
            let mut close = None;
            while let Some(&b) = bytes.get(i) {
                if quote == b'"' && b == b'\\' {
                    i += 2;
                    continue;
                }
                if b == quote {
                    if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    close = Some(i + 1);
                    break;
                }
                i += 1;
            }
            match close {
                Some(c) => c,
                None => return span,
            }
        }
    };
    Span::new(span.start, span.start + len)
}

fn scan_error(e: &ScanError, text: &str, off: &Offsets, d: &Diags) -> DealError {
    let at = off.byte(e.marker().index());
    let next = off.byte(e.marker().index() + 1);
    let mut span = Span::new(at, next);
    let info = e.info();
    if info.contains("tab") {
        // saphyr points after the indentation; underline the tab itself.
        let line = text
            .get(..at.saturating_sub(off.base))
            .map_or("", |t| t.rsplit('\n').next().unwrap_or(""));
        if let Some(tab) = line.rfind('\t') {
            let start = at - line.len() + tab;
            span = Span::new(start, start + 1);
        }
    }
    if info.contains("recursion limit") {
        return error::ReaderTooDeep { span, src: d.src() }.into();
    }
    let tab = info.contains("tab");
    error::InvalidSyntax {
        format: "yaml",
        message: info.to_string(),
        span,
        label: if tab {
            "a tab in the indentation"
        } else {
            "here"
        }
        .into(),
        help: tab.then(|| "indent with spaces: yaml does not allow tabs in indentation".into()),
        src: d.src(),
    }
    .into()
}

fn tag_name(tag: &Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else if tag.handle == "!" {
        format!("!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

fn bad_tag(tag: &Tag, span: Span, d: &Diags) -> DealError {
    error::UnsupportedTag {
        tag: tag_name(tag),
        span,
        src: d.src(),
    }
    .into()
}

fn is_null(t: &str) -> bool {
    matches!(t, "" | "~" | "null" | "Null" | "NULL")
}

fn as_bool(t: &str) -> Option<bool> {
    match t {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

fn is_int(t: &str) -> bool {
    let digits = |s: &str, f: fn(&u8) -> bool| !s.is_empty() && s.as_bytes().iter().all(f);
    if let Some(o) = t.strip_prefix("0o") {
        return digits(o, |b| (b'0'..=b'7').contains(b));
    }
    if let Some(x) = t.strip_prefix("0x") {
        return digits(x, u8::is_ascii_hexdigit);
    }
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    digits(t, u8::is_ascii_digit)
}

/// `[-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?`, `.inf`, `.nan`.
fn is_float(t: &str) -> bool {
    let unsigned = t.strip_prefix(['-', '+']).unwrap_or(t);
    if matches!(unsigned, ".inf" | ".Inf" | ".INF") || matches!(t, ".nan" | ".NaN" | ".NAN") {
        return true;
    }
    let (mantissa, exp) = match unsigned.split_once(['e', 'E']) {
        Some((m, e)) => (m, Some(e)),
        None => (unsigned, None),
    };
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((i, f)) => all_digits(i) && all_digits(f) && !(i.is_empty() && f.is_empty()),
        None => !mantissa.is_empty() && all_digits(mantissa),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exp_ok
}

/// The core-schema reading of a scalar.
fn resolve(
    value: &str,
    style: ScalarStyle,
    tag: Option<&Tag>,
    span: Span,
    d: &Diags,
) -> Result<Lit, DealError> {
    let v: &str = value;
    let string = |plain| Lit::Str {
        value: v.to_string(),
        plain,
    };
    let Some(tag) = tag else {
        if style != ScalarStyle::Plain {
            return Ok(string(false));
        }
        return Ok(if is_null(v) {
            Lit::Null
        } else if let Some(b) = as_bool(v) {
            Lit::Bool(b)
        } else if is_int(v) || is_float(v) {
            Lit::Number(v.to_string())
        } else {
            string(true)
        });
    };
    if (tag.handle == "!" && tag.suffix.is_empty()) || (tag.handle.is_empty() && tag.suffix == "!")
    {
        return Ok(string(false));
    }
    if !tag.is_yaml_core_schema() {
        return Err(bad_tag(tag, span, d));
    }
    let mismatch = || {
        DealError::from(error::TagMismatch {
            value: super::doc::shorten(v),
            tag: tag_name(tag),
            span,
            src: d.src(),
        })
    };
    match tag.suffix.as_str() {
        "str" => Ok(string(false)),
        "int" if is_int(v) => Ok(Lit::Number(v.to_string())),
        "float" if is_int(v) || is_float(v) => Ok(Lit::Number(v.to_string())),
        "bool" => as_bool(v).map(Lit::Bool).ok_or_else(mismatch),
        "null" if is_null(v) => Ok(Lit::Null),
        "int" | "float" | "null" => Err(mismatch()),
        _ => Err(bad_tag(tag, span, d)),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn char_starts_are_those_char_indices_finds(text in "\\PC*") {
            let expected: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
            prop_assert_eq!(super::char_starts(&text), expected);
        }
    }
}
