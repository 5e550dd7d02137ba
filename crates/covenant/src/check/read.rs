//! Reading deal inputs within the limits, and the reports of deals that could not be read or
//! checked: unreadable, too large, empty, past the deal limit, or an internal error.

use std::io::BufRead;
use std::path::Path;
use std::time::Duration;

use crate::eval::outcome::Verdict;
use crate::limits::show_size;
use crate::report::{DealProblem, DealReport};

/// Why a deal has no result: it cannot be read, is too large or empty, is past the deal limit,
/// or checking it hit an internal error. Each variant carries its data; the message, code and
/// help come from its attributes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum Problem {
    /// A deal that could not be read.
    #[error("cannot read deal `{path}`: {why}")]
    #[diagnostic(code("covenant::deal::unreadable"))]
    Unreadable { path: String, why: String },
    /// A deal document larger than `--max-deal-size`.
    #[error("{what} is larger than the limit of {}", size(.max))]
    #[diagnostic(
        code("covenant::deal::too-large"),
        help("a deal this large is rejected; raise the limit with --max-deal-size")
    )]
    TooLarge { what: String, max: u64 },
    /// A deal with nothing in it.
    #[error("{what} is empty")]
    #[diagnostic(
        code("covenant::deal::empty"),
        help("a deal is a mapping of fields with at least a `proposal`")
    )]
    Empty { what: String },
    /// A `.jsonl` batch without a deal.
    #[error("the batch `{name}` is empty")]
    #[diagnostic(
        code("covenant::deal::empty"),
        help("a `.jsonl` batch holds one deal (a JSON object) per line")
    )]
    EmptyBatch { name: String },
    /// A deal argument, a folder, in which no deal was found.
    #[error("no deals found in folder `{folder}`")]
    #[diagnostic(
        code("covenant::deal::empty"),
        help("a folder is searched recursively for .yaml, .yml, .json, .toml and .jsonl files (in any case)")
    )]
    NoDeals { folder: String },
    /// A deal past `--max-deals`: reported, never read.
    #[error("not checked: the run has more than {max} deals")]
    #[diagnostic(
        code("covenant::limit::too-many-deals"),
        help("check the deals in several runs, or raise the limit with --max-deals")
    )]
    TooManyDeals { max: u64 },
    /// An internal error (a panic) while checking a deal or compiling a policy.
    #[error("internal error while {what}: {detail}")]
    #[diagnostic(
        code("covenant::internal::panic"),
        help("this is a bug in covenant, not in your input: please report it, with the deal and the policy if you can share them")
    )]
    InternalPanic { what: String, detail: String },
}

fn size(max: &u64) -> String {
    show_size(*max)
}

impl Problem {
    /// The stable code, such as `covenant::deal::unreadable`.
    pub fn code(&self) -> String {
        miette::Diagnostic::code(self)
            .map(|c| c.to_string())
            .unwrap_or_default()
    }

    pub fn help_text(&self) -> Option<String> {
        miette::Diagnostic::help(self).map(|h| h.to_string())
    }

    /// An `invalid` report of the deal at `path` with this one problem.
    pub fn report(self, path: String) -> DealReport {
        DealReport {
            path,
            proposal: None,
            verdict: Verdict::Invalid,
            results: Vec::new(),
            problems: vec![DealProblem {
                code: self.code(),
                message: self.to_string(),
                help: self.help_text(),
                line: None,
                column: None,
                error: true,
                diagnostic: None,
            }],
            errors_omitted: 0,
            warnings_omitted: 0,
            deal: None,
        }
    }
}

/// A deal that could not be read (`covenant::deal::unreadable`).
pub fn unreadable(path: &str, why: &str) -> Problem {
    Problem::Unreadable {
        path: path.into(),
        why: why.into(),
    }
}

/// A deal document larger than `--max-deal-size` (`covenant::deal::too-large`).
pub fn too_large(what: &str, max: u64) -> Problem {
    Problem::TooLarge {
        what: what.into(),
        max,
    }
}

/// A deal with nothing in it (`covenant::deal::empty`).
pub fn empty(what: &str) -> Problem {
    Problem::Empty { what: what.into() }
}

/// A deal argument, a folder, in which no deal was found (`covenant::deal::empty`).
pub fn no_deals(folder: &str) -> Problem {
    Problem::NoDeals {
        folder: folder.into(),
    }
}

/// A deal past `--max-deals` (`covenant::limit::too-many-deals`): reported, never read.
pub fn too_many_deals(max: u64) -> Problem {
    Problem::TooManyDeals { max }
}

/// An internal error (a panic) while checking a deal or compiling a policy.
pub fn internal_panic(what: &str, payload: &(dyn std::any::Any + Send)) -> Problem {
    let detail = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no detail".into());
    Problem::InternalPanic {
        what: what.into(),
        detail,
    }
}

/// Is this document text empty: nothing but a byte-order mark and blank space?
pub fn is_blank(text: &str) -> bool {
    text.trim_start_matches('\u{feff}')
        .bytes()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Read a deal file: its text, or the problem that keeps it from being checked. A file that
/// is not a regular file (a FIFO, a device) must be read within `timeout`.
pub fn deal_file(p: &Path, max: u64, timeout: Duration) -> Result<String, Problem> {
    // Written out only for a problem: a file read well never shows it.
    let path = p.display();
    let bytes = crate::bounded::read_file(p, max, timeout)
        .map_err(|e| unreadable(&path.to_string(), &e.to_string()))?
        .ok_or_else(|| too_large(&format!("deal file `{path}`"), max))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        unreadable(
            &path.to_string(),
            &format!(
                "not UTF-8 text (invalid byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })?;
    if is_blank(&text) {
        return Err(empty(&format!("deal file `{path}`")));
    }
    Ok(text)
}

/// Line `n` (1-based) of a `.jsonl` batch, read line by line within the deal size limit
/// `max` (and, when not a regular file, `timeout`); an error is the message to print.
pub fn batch_line(file: &Path, n: usize, max: u64, timeout: Duration) -> Result<String, String> {
    let shown = crate::report::visible::visible(&file.display().to_string()).into_owned();
    let cannot = |e: std::io::Error| format!("cannot read `{shown}`: {e}");
    let opened = crate::bounded::open(file, timeout).map_err(cannot)?;
    let mut reader = std::io::BufReader::new(opened);
    let mut buf = Vec::new();
    for at in 1.. {
        match next_line(&mut reader, &mut buf, max).map_err(cannot)? {
            Line::End => break,
            Line::Text(bytes) if at == n => {
                return String::from_utf8(bytes)
                    .map_err(|_| format!("line {n} of `{shown}` is not UTF-8 text"));
            }
            Line::TooLong if at == n => {
                return Err(too_large(&format!("line {n} of `{shown}`"), max).to_string());
            }
            _ => {}
        }
    }
    Err(format!("`{shown}` has no line {n}"))
}

/// One line of a `.jsonl` batch, read with at most `max` bytes kept.
pub enum Line {
    /// The line's bytes, without its line end.
    Text(Vec<u8>),
    /// The line is longer than `max`; it was skipped to its end.
    TooLong,
    End,
}

/// Read the next line of a batch into `buf`, keeping memory within `max` bytes per line.
pub fn next_line(reader: &mut dyn BufRead, buf: &mut Vec<u8>, max: u64) -> std::io::Result<Line> {
    buf.clear();
    let n = read_until_line_end(reader, buf, read_limit(max))?;
    if n == 0 {
        return Ok(Line::End);
    }
    let ended = buf.last() == Some(&b'\n');
    let kept = without_line_end(buf).len();
    buf.truncate(kept);
    if buf.len() as u64 > max {
        buf.clear();
        if !ended {
            reader.skip_until(b'\n')?;
        }
        return Ok(Line::TooLong);
    }
    Ok(Line::Text(std::mem::take(buf)))
}

/// `f` of the next line when it stands whole in `reader`'s buffer within the size limit `max`
/// (its `\n` there, at most [`read_limit`] bytes in), without its line end, as [`next_line`]
/// reads it; the line is consumed then. `None`, nothing consumed, for anything else (a line
/// across the buffer's end, a line too long, the end of the input, an interrupted read), which
/// `next_line` reads; the error of a failed read.
// Inlined into the batch reader's loop: out of line, the queue's code around it was laid out
// otherwise, about 75 instructions a jv deal more.
#[inline(always)]
pub(crate) fn buffered_line<R>(
    reader: &mut dyn BufRead,
    max: u64,
    f: impl FnOnce(&[u8]) -> R,
) -> std::io::Result<Option<R>> {
    let available = match reader.fill_buf() {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => return Ok(None),
        Err(e) => return Err(e),
    };
    let limit = usize::try_from(read_limit(max)).unwrap_or(usize::MAX);
    let window = available
        .get(..limit.min(available.len()))
        .unwrap_or_default();
    let Some(end) = memchr::memchr(b'\n', window) else {
        return Ok(None);
    };
    let text = without_line_end(window.get(..=end).unwrap_or_default());
    if text.len() as u64 > max {
        return Ok(None);
    }
    let r = f(text);
    reader.consume(end + 1);
    Ok(Some(r))
}

/// How many bytes of a line are read to find its end within the size limit `max`: the limit
/// and a `\r\n`.
fn read_limit(max: u64) -> u64 {
    max.saturating_add(2)
}

/// A line's bytes without its line end (every `\n` and `\r` at its end).
fn without_line_end(mut line: &[u8]) -> &[u8] {
    while let Some((b'\n' | b'\r', rest)) = line.split_last() {
        line = rest;
    }
    line
}

/// `reader.take(limit).read_until(b'\n', buf)`, with the line end found by the `memchr` crate
/// (vector instructions) rather than the standard library's search a word at a time: a batch
/// line is a thousand bytes and more, and the standard search cost 1.3 K instructions a line.
fn read_until_line_end(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<usize> {
    let mut read = 0;
    let mut left = limit;
    while left > 0 {
        let available = match reader.fill_buf() {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let window = available
            .get(
                ..usize::try_from(left)
                    .unwrap_or(usize::MAX)
                    .min(available.len()),
            )
            .unwrap_or_default();
        let (used, done) = match memchr::memchr(b'\n', window) {
            Some(at) => (at + 1, true),
            None => (window.len(), window.is_empty()),
        };
        buf.extend_from_slice(window.get(..used).unwrap_or_default());
        reader.consume(used);
        read += used;
        left -= used as u64;
        if done {
            break;
        }
    }
    Ok(read)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same bytes and counts as `take(limit).read_until(b'\n', …)`, line by line, for
    /// every buffer size and limit over text with CR LF, blank lines and no final line end.
    #[test]
    fn lines_are_read_as_read_until_reads_them() {
        use std::io::Read;
        let text = b"ab\r\n\n0123456789\nx\r\r\n\xff\xfe z\n\nlast";
        for capacity in 1..=text.len() + 1 {
            for limit in 0..=text.len() as u64 + 1 {
                let mut ours = std::io::BufReader::with_capacity(capacity, &text[..]);
                let mut std_reader = std::io::BufReader::with_capacity(capacity, &text[..]);
                for _ in 0..12 {
                    let (mut a, mut b) = (Vec::new(), Vec::new());
                    let n = read_until_line_end(&mut ours, &mut a, limit).unwrap();
                    let m = (&mut std_reader)
                        .take(limit)
                        .read_until(b'\n', &mut b)
                        .unwrap();
                    assert_eq!((n, &a), (m, &b), "capacity {capacity}, limit {limit}");
                }
            }
        }
    }

    #[test]
    fn lines_are_bounded() {
        let text = b"short\r\n0123456789abcdef\nx\n\nlast";
        let mut reader = std::io::BufReader::with_capacity(4, &text[..]);
        let mut buf = Vec::new();
        let mut seen = Vec::new();
        loop {
            match next_line(&mut reader, &mut buf, 8).unwrap() {
                Line::Text(t) => seen.push(String::from_utf8(t).unwrap()),
                Line::TooLong => seen.push("<too long>".into()),
                Line::End => break,
            }
        }
        assert_eq!(seen, ["short", "<too long>", "x", "", "last"]);
    }

    #[test]
    fn blank_text() {
        assert!(is_blank(""));
        assert!(is_blank("\u{feff} \r\n\t"));
        assert!(!is_blank("\u{a0}"));
        assert!(!is_blank("# a comment"));
    }

    /// Each problem's code, message and help, as the reports have always written them.
    #[test]
    fn problems_keep_their_codes_messages_and_help() {
        let panic: Box<dyn std::any::Any + Send> = Box::new("boom");
        let cases = [
            (
                unreadable("a.yaml", "no such file"),
                "covenant::deal::unreadable",
                "cannot read deal `a.yaml`: no such file",
                None,
            ),
            (
                too_large("deal file `a.yaml`", 4 << 20),
                "covenant::deal::too-large",
                "deal file `a.yaml` is larger than the limit of 4 MiB",
                Some("a deal this large is rejected; raise the limit with --max-deal-size"),
            ),
            (
                empty("the deal"),
                "covenant::deal::empty",
                "the deal is empty",
                Some("a deal is a mapping of fields with at least a `proposal`"),
            ),
            (
                Problem::EmptyBatch { name: "b.jsonl".into() },
                "covenant::deal::empty",
                "the batch `b.jsonl` is empty",
                Some("a `.jsonl` batch holds one deal (a JSON object) per line"),
            ),
            (
                no_deals("deals"),
                "covenant::deal::empty",
                "no deals found in folder `deals`",
                Some("a folder is searched recursively for .yaml, .yml, .json, .toml and .jsonl files (in any case)"),
            ),
            (
                too_many_deals(3),
                "covenant::limit::too-many-deals",
                "not checked: the run has more than 3 deals",
                Some("check the deals in several runs, or raise the limit with --max-deals"),
            ),
            (
                internal_panic("checking this deal", panic.as_ref()),
                "covenant::internal::panic",
                "internal error while checking this deal: boom",
                Some("this is a bug in covenant, not in your input: please report it, with the deal and the policy if you can share them"),
            ),
        ];
        for (problem, code, message, help) in cases {
            let report = problem.report("a.yaml".into());
            let p = &report.problems[0];
            assert_eq!(
                (p.code.as_str(), p.message.as_str(), p.help.as_deref()),
                (code, message, help)
            );
            assert_eq!(report.verdict, Verdict::Invalid);
        }
    }
}
