//! Source files and byte spans shared by every phase.

use std::borrow::Cow;
use std::sync::Arc;

use miette::{NamedSource, SourceSpan};

/// A half-open byte range `[start, end)` into one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// The smallest span covering both.
    pub fn join(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> usize {
        self.end.saturating_sub(self.start)
    }

    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

impl From<Span> for SourceSpan {
    fn from(s: Span) -> SourceSpan {
        SourceSpan::new(s.start.into(), s.len())
    }
}

/// A loaded text file: its display name and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: Arc<str>,
    pub text: Arc<str>,
}

impl SourceFile {
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
        }
    }

    /// A policy file: its text with every lone CR made a line feed (see
    /// [`lone_crs_as_line_feeds`]), so that the parser, line numbers and miette's rendering
    /// agree on where each line ends.
    pub fn policy(name: impl Into<Arc<str>>, text: &str) -> Self {
        SourceFile::new(name, lone_crs_as_line_feeds(text).into_owned())
    }

    /// This file with every lone CR made a line feed; itself when it has none.
    pub fn with_lone_crs_as_line_feeds(&self) -> Cow<'_, SourceFile> {
        match lone_crs_as_line_feeds(&self.text) {
            Cow::Borrowed(_) => Cow::Borrowed(self),
            Cow::Owned(text) => Cow::Owned(SourceFile::new(self.name.clone(), text)),
        }
    }

    /// A miette source for diagnostics.
    pub fn named(&self) -> NamedSource<Arc<str>> {
        NamedSource::new(&self.name, self.text.clone()).with_language("covenant")
    }

    /// The text under `span`, or "" when the span is out of range.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        line_col(&self.text, offset)
    }
}

/// 1-based line and column (in characters) of a byte offset into `text`.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or("");
    // `matches` and `rfind` on a char use memchr: fast on long single-line deals.
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, col)
}

/// `text` with every CR that is not followed by LF replaced by LF. A policy line ends with LF,
/// CR LF or a lone CR (docs/syntax.md); one byte for another keeps every offset, so spans
/// into the result are spans into `text`.
pub fn lone_crs_as_line_feeds(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let lone = |i: usize| bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) != Some(&b'\n');
    if !text.contains('\r') || !(0..bytes.len()).any(lone) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\r' && chars.peek() != Some(&'\n') {
            out.push('\n');
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}
