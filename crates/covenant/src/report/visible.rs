//! Text from a deal (or a file name) shown in a terminal or a Markdown page cannot carry
//! control characters: an escape sequence could move the cursor or clear a line, a carriage
//! return could overwrite a verdict, a bidi override could reorder it. Every such character is
//! written visibly as `\u{1b}`, the way `cat -v` and rustc show them. [`visible`] is the one
//! function every human and Markdown writer uses; [`Visible`] applies it to a miette
//! diagnostic (message, labels, help, file names, related diagnostics).

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, MietteError, SourceCode, SourceSpan, SpanContents};

use super::escape_runs::push_escaped;

/// Is `c` a character that must not reach a terminal as it is: a C0 or C1 control character
/// (newline, tab and carriage return included), DEL, a bidi override, embedding, isolate or
/// mark, or a line or paragraph separator.
pub fn is_hidden(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}'
                | '\u{200E}'
                | '\u{200F}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}'
        )
}

/// `s` with every [`is_hidden`] character written as `\u{…}`: for text shown on one line.
pub fn visible(s: &str) -> Cow<'_, str> {
    escape(s, |_| false)
}

/// [`visible`], keeping line feeds: for text that is several lines by design (a help text,
/// a diagnostic message built of lines).
pub fn visible_lines(s: &str) -> Cow<'_, str> {
    escape(s, |c| c == '\n')
}

fn escape(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    let escaped = |c: char| is_hidden(c) && !keep(c);
    // The first character to escape: looked for only where one may begin (see `may_hide`).
    let mut first = None;
    let mut from = 0;
    while let Some(at) = s
        .get(from..)
        .and_then(|rest| rest.bytes().position(may_hide))
    {
        let at = from + at;
        let Some(c) = s.get(at..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        if escaped(c) {
            first = Some(at);
            break;
        }
        from = at + c.len_utf8();
    }
    let Some(first) = first else {
        return Cow::Borrowed(s);
    };
    let (plain, rest) = s.split_at_checked(first).unwrap_or((s, ""));
    let mut out = String::with_capacity(s.len() + 8);
    out.push_str(plain);
    push_escaped(&mut out, rest, may_hide, |out, c| match escaped(c) {
        true => out.extend(c.escape_unicode()),
        false => out.push(c),
    });
    Cow::Owned(out)
}

/// Whether `b` may begin an [`is_hidden`] character in UTF-8: a C0 control or DEL, or the
/// first byte of the C1 controls (`C2`), of U+061C (`D8`), or of the marks, separators and
/// isolates of U+2000–U+206F (`E2`). Other characters share those first bytes (`§`, `–`),
/// and are passed over after a look; text without any is shown as it is after one scan.
fn may_hide(b: u8) -> bool {
    b < 0x20 || matches!(b, 0x7F | 0xC2 | 0xD8 | 0xE2)
}

/// Can source text be drawn as it is: no hidden character but line feeds, tabs and the
/// carriage return of a CRLF line end.
fn drawable_source(data: &[u8]) -> bool {
    let text = String::from_utf8_lossy(data);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let fine = match c {
            '\n' | '\t' => true,
            '\r' => chars.peek() == Some(&'\n'),
            c => !is_hidden(c),
        };
        if !fine {
            return false;
        }
    }
    true
}

/// A diagnostic with every text escaped by [`visible`]. Source lines cannot be escaped in
/// place (the labels point into them), so a source read while drawing that holds a hidden
/// character is noted: [`Visible::source_was_drawable`] is then false, and the caller prints
/// the diagnostic without its source lines.
pub struct Visible<'a> {
    inner: &'a dyn Diagnostic,
    message: String,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
    source: Option<VisibleSource<'a>>,
    related: Vec<Visible<'a>>,
    hidden_in_source: Arc<AtomicBool>,
}

impl<'a> Visible<'a> {
    pub fn new(d: &'a dyn Diagnostic) -> Visible<'a> {
        Visible::with_flag(d, Arc::new(AtomicBool::new(false)))
    }

    fn with_flag(d: &'a dyn Diagnostic, flag: Arc<AtomicBool>) -> Visible<'a> {
        let labels = d
            .labels()
            .map(|ls| {
                ls.map(|l| {
                    let text = l.label().map(|t| visible(t).into_owned());
                    if l.primary() {
                        LabeledSpan::new_primary_with_span(text, *l.inner())
                    } else {
                        LabeledSpan::new_with_span(text, *l.inner())
                    }
                })
                .collect()
            })
            .unwrap_or_default();
        let related = d
            .related()
            .map(|rs| rs.map(|r| Visible::with_flag(r, flag.clone())).collect())
            .unwrap_or_default();
        Visible {
            inner: d,
            message: visible_lines(&d.to_string()).into_owned(),
            help: d.help().map(|h| visible_lines(&h.to_string()).into_owned()),
            labels,
            source: d.source_code().map(|s| VisibleSource {
                inner: s,
                hidden: flag.clone(),
            }),
            related,
            hidden_in_source: flag,
        }
    }

    /// False when a source line read so far holds a hidden character.
    pub fn source_was_drawable(&self) -> bool {
        !self.hidden_in_source.load(Ordering::Relaxed)
    }
}

impl fmt::Debug for Visible<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Visible<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Visible<'_> {}

impl Diagnostic for Visible<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }
    fn severity(&self) -> Option<miette::Severity> {
        self.inner.severity()
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|d| d as &dyn Diagnostic)))
    }
}

/// A source whose name is escaped, and which notes any hidden character in what it reads.
struct VisibleSource<'a> {
    inner: &'a dyn SourceCode,
    hidden: Arc<AtomicBool>,
}

impl SourceCode for VisibleSource<'_> {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let read = self.inner.read_span(span, before, after)?;
        if !drawable_source(read.data()) {
            self.hidden.store(true, Ordering::Relaxed);
        }
        let name = match read.name() {
            Some(n) if visible(n) != n => visible(n).into_owned(),
            _ => return Ok(read),
        };
        let mut contents = miette::MietteSpanContents::new_named(
            name,
            read.data(),
            *read.span(),
            read.line(),
            read.column(),
            read.line_count(),
        );
        if let Some(lang) = read.language() {
            contents = contents.with_language(lang);
        }
        Ok(Box::new(contents))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hidden_characters_are_escaped_like_rustc() {
        assert_eq!(visible("plain – text ✓"), "plain – text ✓");
        assert_eq!(
            visible("x\u{1b}[2K\rcompliant\n\0\t\u{7f}\u{85}"),
            "x\\u{1b}[2K\\u{d}compliant\\u{a}\\u{0}\\u{9}\\u{7f}\\u{85}"
        );
        assert_eq!(
            visible("a\u{202e}b\u{2066}c\u{2069}\u{200f}\u{2028}"),
            "a\\u{202e}b\\u{2066}c\\u{2069}\\u{200f}\\u{2028}"
        );
        assert_eq!(visible_lines("one\ntwo\r\u{1b}"), "one\ntwo\\u{d}\\u{1b}");
    }

    proptest::proptest! {
        /// The characters escaped are those a test of every character finds, among hidden
        /// characters, characters that share their first bytes (`§`, U+00A0, U+0600, `–`,
        /// `€`, U+2027) and any others; with line feeds kept or not.
        #[test]
        fn hidden_characters_are_found_as_by_every_character(
            parts in proptest::collection::vec(proptest::prop_oneof![
                proptest::sample::select(vec![
                    '\n', '\r', '\t', '\u{0}', '\u{1b}', '\u{7f}', '\u{80}', '\u{85}', '\u{9f}',
                    '\u{a0}', '\u{a7}', '\u{600}', '\u{61c}', '\u{200e}', '\u{200f}', '\u{2013}',
                    '\u{2027}', '\u{2028}', '\u{202e}', '\u{2066}', '\u{2069}', '\u{20ac}', 'a', ' ',
                ]),
                proptest::char::any(),
            ], 0..40)
        ) {
            let s: String = parts.into_iter().collect();
            for keep_lines in [false, true] {
                let escaped = |c: char| is_hidden(c) && !(keep_lines && c == '\n');
                let every: String = s
                    .chars()
                    .flat_map(|c| match escaped(c) {
                        true => c.escape_unicode().collect::<Vec<_>>(),
                        false => vec![c],
                    })
                    .collect();
                let shown = if keep_lines { visible_lines(&s) } else { visible(&s) };
                proptest::prop_assert_eq!(&*shown, every.as_str());
                proptest::prop_assert_eq!(
                    matches!(shown, Cow::Borrowed(_)),
                    !s.chars().any(escaped)
                );
            }
        }
    }

    #[test]
    fn source_with_crlf_is_drawable_and_a_lone_cr_is_not() {
        assert!(drawable_source(b"a: 1\r\nb:\t2\n"));
        assert!(!drawable_source(b"a: 1\rb: 2\n"));
        assert!(!drawable_source("a: \u{202e}1".as_bytes()));
        assert!(!drawable_source(b"a: \x1b[31m"));
    }
}
