//! Source files and byte spans shared by every phase.

use std::borrow::Cow;
use std::sync::{Arc, OnceLock};

use miette::{MietteError, MietteSpanContents, NamedSource, SourceCode, SourceSpan, SpanContents};

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
    /// Where its lines start, computed on first use and shared by every clone.
    lines: Arc<OnceLock<Lines>>,
}

/// A miette source whose spans are read through a line index (see [`Text`]).
pub type Named = NamedSource<Text>;

impl SourceFile {
    /// Whether `other` is a clone of this file: the same name, text and line index, not equal
    /// copies of them.
    #[cfg(test)]
    pub(crate) fn shares_with(&self, other: &SourceFile) -> bool {
        Arc::ptr_eq(&self.name, &other.name)
            && Arc::ptr_eq(&self.text, &other.text)
            && Arc::ptr_eq(&self.lines, &other.lines)
    }

    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        SourceFile {
            name: name.into(),
            text: text.into(),
            lines: Arc::default(),
        }
    }

    /// The same file (its text and line index shared) named `name`.
    pub fn with_name(&self, name: Arc<str>) -> SourceFile {
        SourceFile {
            name,
            text: Arc::clone(&self.text),
            lines: Arc::clone(&self.lines),
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
    pub fn named(&self) -> Named {
        NamedSource::new(&self.name, self.indexed()).with_language("covenant")
    }

    /// The text as a miette source, sharing this file's line index.
    pub fn indexed(&self) -> Text {
        Text {
            text: self.text.clone(),
            lines: self.lines.clone(),
        }
    }

    /// The text under `span`, or "" when the span is out of range.
    pub fn slice(&self, span: Span) -> &str {
        self.text.get(span.start..span.end).unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset, as [`line_col`] counts them,
    /// found in the line index: a file with many diagnostics is not read from the start for
    /// each.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let text: &str = &self.text;
        let offset = offset.min(text.len());
        if !text.is_char_boundary(offset) {
            return (1, 1);
        }
        let starts = &lines(&self.lines, text).newline;
        let line = starts.partition_point(|&s| s <= offset);
        let start = line
            .checked_sub(1)
            .and_then(|i| starts.get(i))
            .copied()
            .unwrap_or(0);
        let col = text.get(start..offset).map_or(0, |s| s.chars().count()) + 1;
        (line.max(1), col)
    }
}

/// A path `FILE:N` (a deal of a `.jsonl` batch) split at its last `:`, when `N` is a line
/// number as `str::parse::<usize>` reads it: the file and the number. Its usual form (up to 19
/// digits) is found from the end, without a search for the `:` and a parse.
pub fn file_and_line(path: &str) -> Option<(&str, &str)> {
    let b = path.as_bytes();
    let digits = b.iter().rev().take_while(|c| c.is_ascii_digit()).count();
    if let Some(colon) = b.len().checked_sub(digits + 1) {
        if (1..=19).contains(&digits) && b.get(colon) == Some(&b':') {
            return Some((path.get(..colon)?, path.get(colon + 1..)?));
        }
    }
    let (file, n) = path.rsplit_once(':')?;
    n.parse::<usize>().is_ok().then_some((file, n))
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

/// Where the lines of a text start: after each `\n` (as [`line_col`] counts lines), and after
/// each line end as miette counts them (`\n`, `\r\n` or a lone `\r`).
#[derive(Debug)]
struct Lines {
    newline: Vec<usize>,
    /// None when the text has no lone `\r`: then the same as `newline`.
    any_break: Option<Vec<usize>>,
}

impl Lines {
    fn new(text: &str) -> Lines {
        let bytes = text.as_bytes();
        let mut newline = vec![0];
        let mut any_break: Option<Vec<usize>> = None;
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            let b = bytes.get(i).copied().unwrap_or_default();
            let lone_cr = b == b'\r' && bytes.get(i + 1) != Some(&b'\n');
            if b == b'\n' {
                newline.push(i + 1);
            } else if lone_cr && any_break.is_none() {
                any_break = Some(newline.clone());
            }
            if b == b'\n' || lone_cr {
                if let Some(all) = &mut any_break {
                    all.push(i + 1);
                }
            }
        }
        Lines { newline, any_break }
    }

    /// Starts of the lines as miette counts them.
    fn miette(&self) -> &[usize] {
        self.any_break.as_deref().unwrap_or(&self.newline)
    }
}

fn lines<'a>(cell: &'a OnceLock<Lines>, text: &str) -> &'a Lines {
    cell.get_or_init(|| Lines::new(text))
}

/// A text for miette diagnostics with a line index. miette reads a span by scanning the text
/// from its start (to count lines), so a file with thousands of diagnostics, or one
/// diagnostic with thousands of labels, took time quadratic in its length. This source scans
/// only from a few lines before the span, and gives miette exactly what its own scan would.
#[derive(Debug, Clone)]
pub struct Text {
    text: Arc<str>,
    lines: Arc<OnceLock<Lines>>,
}

impl Text {
    pub fn new(text: Arc<str>) -> Text {
        Text {
            text,
            lines: Arc::default(),
        }
    }
}

impl SourceCode for Text {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let starts = lines(&self.lines, &self.text).miette();
        // Start one line earlier than the context needs: the scan then sees a whole line end
        // before the span, as it would from the start of the text.
        let line = starts
            .partition_point(|&s| s <= span.offset())
            .saturating_sub(1);
        let first = line.saturating_sub(context_lines_before + 1);
        let from = starts.get(first).copied().unwrap_or(0);
        let window = self.text.as_bytes().get(from..).unwrap_or(&[]);
        let shifted = SourceSpan::new(span.offset().saturating_sub(from).into(), span.len());
        let part = window.read_span(&shifted, context_lines_before, context_lines_after)?;
        Ok(Box::new(MietteSpanContents::new(
            part.data(),
            SourceSpan::new((part.span().offset() + from).into(), part.span().len()),
            part.line() + first,
            part.column(),
            part.line_count() + first,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    type Read = Option<(Vec<u8>, usize, usize, usize, usize, usize)>;

    /// What a span read gives, as plain values; Err when it panics (miette does, on some spans
    /// past the end).
    fn read(
        src: &dyn SourceCode,
        offset: usize,
        len: usize,
        before: usize,
        after: usize,
    ) -> Result<Read, ()> {
        let read = || read_unguarded(src, offset, len, before, after);
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(read)).map_err(|_| ())
    }

    fn read_unguarded(
        src: &dyn SourceCode,
        offset: usize,
        len: usize,
        before: usize,
        after: usize,
    ) -> Read {
        let c = src
            .read_span(&SourceSpan::new(offset.into(), len), before, after)
            .ok()?;
        Some((
            c.data().to_vec(),
            c.span().offset(),
            c.span().len(),
            c.line(),
            c.column(),
            c.line_count(),
        ))
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn the_line_index_reads_every_span_as_miette_does(
            text in "[ab\n\ré]{0,40}",
            offset in 0usize..44,
            len in 0usize..6,
            before in 0usize..4,
            after in 0usize..4,
        ) {
            let indexed = SourceFile::new("t", text.as_str()).indexed();
            prop_assert_eq!(
                read(&indexed, offset, len, before, after),
                read(&text.as_str(), offset, len, before, after)
            );
        }

        #[test]
        fn line_col_from_the_index_counts_as_the_scan_does(
            text in "[ab\n\ré]{0,40}",
            offset in 0usize..44,
        ) {
            let file = SourceFile::new("t", text.as_str());
            prop_assert_eq!(file.line_col(offset), line_col(&text, offset));
        }
    }

    /// `file_and_line` is the split at the last `:` kept when what follows parses as a `usize`:
    /// every text of up to six of `a:+09`, numbers of 18 to 21 digits (past `usize::MAX` among
    /// them) and a digit that is not ASCII.
    #[test]
    fn a_line_number_is_split_off_as_parse_finds_it() {
        fn by_parse(p: &str) -> Option<(&str, &str)> {
            p.rsplit_once(':')
                .filter(|(_, n)| n.parse::<usize>().is_ok())
        }
        let mut split = 0;
        crate::every_text(&["a", ":", "+", "0", "9"], 6, |s| {
            assert_eq!(file_and_line(s), by_parse(s), "{s:?}");
            split += usize::from(by_parse(s).is_some());
        });
        assert!(split > 1_000, "{split}");
        for digits in 18..=21 {
            for lead in ["1", "9"] {
                let s = format!("batch.jsonl:{lead}{}", "8".repeat(digits - 1));
                assert_eq!(file_and_line(&s), by_parse(&s), "{s:?}");
            }
        }
        assert_eq!(file_and_line("d.jsonl:٣"), None);
        assert_eq!(file_and_line("d.jsonl:17"), Some(("d.jsonl", "17")));
    }
}
