//! A small recursive-descent JSON parser (RFC 8259) that keeps byte spans and number text.
//!
//! Numbers are kept as their source text (never an `f64`); strings are decoded with every
//! escape, `\uXXXX` surrogate pairs included; nesting is checked against the depth limit before
//! each recursion; a duplicate key is reported with both spans and parsing goes on.

use super::doc::{Budget, Doc, DocKind, Entry, Lit, MapBuilder};
use super::error::{self, DealError, Diags};
use crate::source::Span;

/// Parse one JSON document from `text`, whose first byte is at offset `base` of the deal source.
pub(crate) fn parse(
    text: &str,
    base: usize,
    budget: &mut Budget,
    d: &mut Diags,
) -> Result<Doc, DealError> {
    let mut p = Parser {
        s: text,
        b: text.as_bytes(),
        pos: 0,
        base,
        budget,
        d,
    };
    p.ws();
    let doc = p.value(1)?;
    p.ws();
    if p.pos < p.b.len() {
        return Err(p
            .syntax(
                p.here(),
                "unexpected text after the json value",
                "the document should end here",
            )
            .with_help("a .json file holds one deal; put one deal per line in a .jsonl file"));
    }
    Ok(doc)
}

struct Parser<'a, 'b, 's> {
    s: &'a str,
    b: &'a [u8],
    pos: usize,
    base: usize,
    budget: &'b mut Budget,
    d: &'b mut Diags<'s>,
}

impl Parser<'_, '_, '_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start, self.base + end)
    }

    /// The span of the character at the cursor (empty at the end of the input).
    fn here(&self) -> Span {
        let len = self
            .s
            .get(self.pos..)
            .and_then(|r| r.chars().next())
            .map_or(0, char::len_utf8);
        self.span(self.pos, self.pos + len)
    }

    fn found(&self) -> String {
        match self.s.get(self.pos..).and_then(|r| r.chars().next()) {
            None => "the end of the input".into(),
            Some(c) if c.is_control() => format!("`{}`", c.escape_default()),
            Some(c) => format!("`{c}`"),
        }
    }

    fn syntax(&self, span: Span, message: impl Into<String>, label: &str) -> DealError {
        error::InvalidSyntax {
            format: "json",
            message: message.into(),
            span,
            label: label.to_string(),
            help: None,
            src: self.d.src(),
        }
        .into()
    }

    fn expected(&self, what: &str) -> DealError {
        let e = self.syntax(
            self.here(),
            format!("expected {what}, found {}", self.found()),
            &format!("expected {what}"),
        );
        match self.b.get(self.pos) {
            Some(b'\'') => e.with_help("json strings are written in double quotes"),
            Some(b'/') => e.with_help("json does not allow comments"),
            _ => e,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn rest(&self) -> &[u8] {
        self.b.get(self.pos..).unwrap_or_default()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Result<Doc, DealError> {
        let start = self.pos;
        self.budget.add_nodes(1, self.here(), self.d)?;
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => {
                let value = self.string()?;
                Ok(self.scalar(
                    start,
                    Lit::Str {
                        value,
                        plain: false,
                    },
                ))
            }
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') if self.rest().starts_with(b"true") => {
                self.pos += 4;
                Ok(self.scalar(start, Lit::Bool(true)))
            }
            Some(b'f') if self.rest().starts_with(b"false") => {
                self.pos += 5;
                Ok(self.scalar(start, Lit::Bool(false)))
            }
            Some(b'n') if self.rest().starts_with(b"null") => {
                self.pos += 4;
                Ok(self.scalar(start, Lit::Null))
            }
            Some(c) if c.is_ascii_alphabetic() => {
                let end = self
                    .rest()
                    .iter()
                    .position(|c| !c.is_ascii_alphanumeric())
                    .map_or(self.b.len(), |n| self.pos + n);
                let word = self.s.get(self.pos..end).unwrap_or("");
                let e = self.syntax(
                    self.span(self.pos, end),
                    format!("expected a value, found `{}`", super::doc::shorten(word)),
                    "not a json value",
                );
                Err(e.with_help(
                    "json writes true, false and null in lower case and strings in double quotes",
                ))
            }
            _ => Err(self.expected("a value")),
        }
    }

    fn scalar(&self, start: usize, lit: Lit) -> Doc {
        Doc {
            kind: DocKind::Scalar(lit),
            span: self.span(start, self.pos),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Doc, DealError> {
        let start = self.pos;
        self.budget.enter(depth, self.here(), self.d)?;
        self.pos += 1;
        let mut map = MapBuilder::default();
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(Doc {
                kind: DocKind::Map(map.entries),
                span: self.span(start, self.pos),
            });
        }
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                let e = self.expected("a key in double quotes");
                return Err(if self.peek() == Some(b'}') {
                    e.with_help("remove the comma before `}`")
                } else {
                    e
                });
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = self.span(key_start, self.pos);
            self.ws();
            if self.peek() != Some(b':') {
                return Err(self.expected("`:` after the key"));
            }
            self.pos += 1;
            self.ws();
            let value = self.value(depth + 1)?;
            map.insert(
                Entry {
                    key,
                    key_span,
                    value,
                },
                self.d,
            );
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Doc {
                        kind: DocKind::Map(map.entries),
                        span: self.span(start, self.pos),
                    });
                }
                _ => return Err(self.expected("`,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Doc, DealError> {
        let start = self.pos;
        self.budget.enter(depth, self.here(), self.d)?;
        self.pos += 1;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(Doc {
                kind: DocKind::Seq(items),
                span: self.span(start, self.pos),
            });
        }
        loop {
            self.ws();
            if self.peek() == Some(b']') {
                return Err(self
                    .expected("a value")
                    .with_help("remove the comma before `]`"));
            }
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Doc {
                        kind: DocKind::Seq(items),
                        span: self.span(start, self.pos),
                    });
                }
                _ => return Err(self.expected("`,` or `]`")),
            }
        }
    }

    /// A string starting at the cursor's `"`; returns its decoded value.
    fn string(&mut self) -> Result<String, DealError> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let run_start = self.pos;
            while let Some(c) = self.peek() {
                if c == b'"' || c == b'\\' || c < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            out.push_str(self.s.get(run_start..self.pos).unwrap_or(""));
            self.budget
                .check_string(out.len(), self.span(start, self.pos), self.d)?;
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some(b'\\') => self.escape(&mut out)?,
                Some(_) => {
                    return Err(self
                        .syntax(
                            self.here(),
                            "a control character in a string must be escaped",
                            "unescaped control character",
                        )
                        .with_help("write a line break as \\n and a tab as \\t"))
                }
                None => {
                    return Err(self.syntax(
                        self.span(start, start + 1),
                        "unterminated string",
                        "this string is not closed",
                    ))
                }
            }
        }
    }

    /// An escape at the cursor's `\`.
    fn escape(&mut self, out: &mut String) -> Result<(), DealError> {
        let start = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let hi = self.hex4(start)?;
                let code = if (0xD800..0xDC00).contains(&hi) {
                    if !self.rest().starts_with(b"\\u") {
                        return Err(self.lone_surrogate(start));
                    }
                    self.pos += 2;
                    let lo = self.hex4(start)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(self.lone_surrogate(start));
                    }
                    0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                } else if (0xDC00..0xE000).contains(&hi) {
                    return Err(self.lone_surrogate(start));
                } else {
                    hi
                };
                let c = char::from_u32(code).ok_or_else(|| self.lone_surrogate(start))?;
                out.push(c);
                return Ok(());
            }
            _ => {
                let span = self.span(start, self.here().end);
                return Err(self
                    .syntax(span, "invalid escape in a string", "unknown escape")
                    .with_help("json escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX"));
            }
        };
        self.pos += 1;
        out.push(c);
        Ok(())
    }

    fn hex4(&mut self, start: usize) -> Result<u32, DealError> {
        let digits = self.b.get(self.pos..self.pos + 4);
        let value = digits
            .filter(|ds| ds.iter().all(u8::is_ascii_hexdigit))
            .and_then(|ds| std::str::from_utf8(ds).ok())
            .and_then(|t| u32::from_str_radix(t, 16).ok());
        match value {
            Some(v) => {
                self.pos += 4;
                Ok(v)
            }
            None => Err(self
                .syntax(
                    self.span(start, self.here().end),
                    "invalid unicode escape",
                    "expected four hex digits after \\u",
                )
                .with_help("write a unicode escape as \\u followed by four hex digits")),
        }
    }

    fn lone_surrogate(&self, start: usize) -> DealError {
        self.syntax(
            self.span(start, self.pos),
            "invalid unicode escape: a lone surrogate",
            "not a character",
        )
        .with_help("a \\uD800–\\uDBFF escape must be followed by a \\uDC00–\\uDFFF escape")
    }

    fn number(&mut self) -> Result<Doc, DealError> {
        let start = self.pos;
        let digits = |p: &mut Self| {
            let s = p.pos;
            while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                p.pos += 1;
            }
            p.pos - s
        };
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let int_start = self.pos;
        let n = digits(self);
        if n == 0 {
            return Err(self.expected("a digit"));
        }
        if n > 1 && self.b.get(int_start) == Some(&b'0') {
            return Err(self
                .syntax(
                    self.span(start, self.pos),
                    "a number may not start with `0`",
                    "leading zero",
                )
                .with_help("remove the leading zeros"));
        }
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if digits(self) == 0 {
                return Err(self.expected("a digit after `.`"));
            }
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if digits(self) == 0 {
                return Err(self.expected("a digit in the exponent"));
            }
        }
        let text = self.s.get(start..self.pos).unwrap_or("").to_string();
        Ok(self.scalar(start, Lit::Number(text)))
    }
}
