//! The reader of a batch: every input, in order, into the queue's chunks of deals. A
//! `.jsonl` batch and standard input are read line by line, within the deal size limit.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::sync::Arc;

use crate::check::inputs::Input;
use crate::check::read::{self, Line};
use crate::check::settings::Settings;
use crate::check::stdin::{self, StdinKind};

use super::{Pending, Queue};

/// Standard input's first bytes: up to one deal's size limit and one byte more, read before
/// the run starts so that a small run can be told (see `small.rs`).
pub(super) struct StdinHead(std::io::Result<Vec<u8>>);

impl StdinHead {
    pub(super) fn read(stdin: &mut (dyn Read + Send), settings: &Settings) -> StdinHead {
        let max = settings.max_deal_size;
        let mut bytes = Vec::new();
        let read = Read::take(stdin, max.saturating_add(1)).read_to_end(&mut bytes);
        StdinHead(read.map(|_| bytes))
    }

    /// How many deals standard input holds, when the head is all of it (None: there is more).
    pub(super) fn deals(&self, settings: &Settings) -> Option<usize> {
        let Ok(bytes) = &self.0 else {
            return Some(1);
        };
        match stdin::kind(settings.stdin_format, bytes) {
            StdinKind::Document(_) => Some(1),
            StdinKind::Lines if bytes.len() as u64 > settings.max_deal_size => None,
            StdinKind::Lines => Some(lines_with_text(bytes).max(1)),
        }
    }
}

/// Read every input, in order, into the queue's chunks of deals. The first [`Input::Stdin`]
/// starts from `head` when it was read ahead.
pub(super) fn read_inputs(
    inputs: &[Input],
    mut stdin: Option<&mut (dyn Read + Send)>,
    mut head: Option<StdinHead>,
    settings: &Settings,
    mut queue: Queue<'_>,
) {
    for input in inputs {
        match input {
            Input::File(p) => queue.push(Pending::File(p.clone())),
            Input::Missing(p, why) => {
                let path = p.display().to_string();
                queue.push(Pending::Done(read::unreadable(&path, why).report(path)))
            }
            Input::NoDeals(p) => {
                let path = p.display().to_string();
                queue.push(Pending::Done(read::no_deals(&path).report(path)))
            }
            Input::Batch(p) => read_batch_file(p, settings, &mut queue),
            Input::Stdin => match stdin.as_deref_mut() {
                Some(stdin) => {
                    let head = head
                        .take()
                        .unwrap_or_else(|| StdinHead::read(stdin, settings));
                    read_stdin(head, stdin, settings, &mut queue)
                }
                None => {
                    let path = "-".to_string();
                    let why = "standard input is not given to this check";
                    queue.push(Pending::Done(read::unreadable(&path, why).report(path)));
                }
            },
        }
    }
    queue.flush();
}

/// The read buffer of a batch file. Each of its pages costs a fault the first time it is
/// filled (a 1 MiB buffer was 256 of the 1,196 page faults of a 1,000-deal run); a larger
/// buffer only saves `read` calls, which cost less than a microsecond each.
const READ_BUFFER: usize = 64 * 1024;

fn read_batch_file(path: &Path, settings: &Settings, queue: &mut Queue<'_>) {
    let name = path.display().to_string();
    match crate::bounded::open(path, settings.read_timeout) {
        Ok(f) => read_batch(
            &name,
            &mut BufReader::with_capacity(READ_BUFFER, f),
            settings,
            queue,
        ),
        Err(e) => queue.push(Pending::Done(
            read::unreadable(&name, &e.to_string()).report(name.clone()),
        )),
    }
}

/// Read a `.jsonl` batch line by line into the queue. Blank lines are skipped but counted; a
/// line that is not UTF-8 or is too large is an invalid deal; a batch without any deal is
/// one invalid entry (`covenant::deal::empty`).
fn read_batch(name: &str, reader: &mut dyn BufRead, settings: &Settings, queue: &mut Queue<'_>) {
    let name: Arc<str> = name.into();
    let mut buf = Vec::new();
    let mut line = 0usize;
    let mut deals = 0usize;
    loop {
        let next = next_batch_line(reader, &mut buf, settings.max_deal_size, |bytes| {
            line_text(&name, line, bytes, queue)
        });
        let next = match next {
            Next::Buffered(deal) => {
                line += 1;
                deals += usize::from(deal);
                continue;
            }
            Next::Read(next) => next,
        };
        let path = || super::line_path(&name, line + 1);
        match next {
            Ok(Line::End) => break,
            Err(e) => {
                let path = path();
                queue.push(Pending::Done(
                    read::unreadable(&path, &e.to_string()).report(path),
                ));
                deals += 1;
                break;
            }
            Ok(Line::TooLong) => {
                queue.push(Pending::Done(
                    read::too_large(
                        &format!("line {} of `{name}`", line + 1),
                        settings.max_deal_size,
                    )
                    .report(path()),
                ));
                deals += 1;
            }
            Ok(Line::Text(bytes)) => {
                deals += usize::from(line_text(&name, line, &bytes, queue));
                // The line's buffer reads the next line.
                buf = bytes;
            }
        }
        line += 1;
    }
    if deals == 0 {
        let problem = read::Problem::EmptyBatch {
            name: name.to_string(),
        };
        queue.push(Pending::Done(problem.report(name.to_string())));
    }
}

/// The text of line `line` (from 0) of batch `name` into the queue: a deal (true), or nothing
/// for a blank line (false). A line that is not UTF-8 is an invalid deal.
fn line_text(name: &Arc<str>, line: usize, bytes: &[u8], queue: &mut Queue<'_>) -> bool {
    if !has_text(bytes) {
        return false;
    }
    // Checked with SIMD (a deal line is mostly ASCII); the error's place, rare, is found by
    // the standard library's check.
    match simdutf8::basic::from_utf8(bytes).map_err(|_| std::str::from_utf8(bytes).err()) {
        // Into the chunk's text: no allocation a deal here.
        Ok(text) => queue.push_line(name, line + 1, text),
        Err(e) => {
            let path = super::line_path(name, line + 1);
            queue.push(Pending::Done(
                read::unreadable(
                    &path,
                    &format!(
                        "line is not UTF-8 text (invalid byte at offset {})",
                        e.map_or(0, |e| e.valid_up_to())
                    ),
                )
                .report(path),
            ));
        }
    }
    true
}

/// The next line of a batch, as [`read::next_line`] reads it.
enum Next<R> {
    /// It stood whole in the reader's buffer: what `f` made of its text there.
    Buffered(R),
    /// It was read into the line buffer (or the input ended, or failed).
    Read(std::io::Result<Line>),
}

/// The next line of a batch. Most lines stand whole in the reader's buffer: `f` reads them
/// there ([`read::buffered_line`]), not copied out first; the rest are read into `buf`.
fn next_batch_line<R>(
    reader: &mut dyn BufRead,
    buf: &mut Vec<u8>,
    max: u64,
    f: impl FnOnce(&[u8]) -> R,
) -> Next<R> {
    match read::buffered_line(reader, max, f) {
        Ok(Some(r)) => Next::Buffered(r),
        Ok(None) => Next::Read(read::next_line(reader, buf, max)),
        // A failed read is reported as `next_line` reports it, not tried again.
        Err(e) => Next::Read(Err(e)),
    }
}

/// Standard input, from its `head`: one deal document, or JSON lines, as [`stdin::kind`] says
/// (named with `--stdin-format`, or detected). Only JSON lines may be larger than
/// `--max-deal-size`: they stream like a `.jsonl` batch.
fn read_stdin(
    head: StdinHead,
    stdin: &mut (dyn Read + Send),
    settings: &Settings,
    queue: &mut Queue<'_>,
) {
    let max = settings.max_deal_size;
    let bytes = match head.0 {
        Ok(bytes) => bytes,
        Err(e) => {
            let path = "-".to_string();
            queue.push(Pending::Done(
                read::unreadable(&path, &e.to_string()).report(path),
            ));
            return;
        }
    };
    let format = match stdin::kind(settings.stdin_format, &bytes) {
        StdinKind::Lines => {
            let mut reader = BufReader::new(std::io::Cursor::new(bytes).chain(stdin));
            read_batch("-", &mut reader, settings, queue);
            return;
        }
        StdinKind::Document(format) => format,
    };
    let path = "-".to_string();
    let pending = if bytes.len() as u64 > max {
        Pending::Done(read::too_large("standard input", max).report(path))
    } else {
        match String::from_utf8(bytes) {
            Ok(text) => Pending::Text {
                path,
                first_line: 1,
                text: text.into(),
                format,
            },
            Err(_) => Pending::Done(
                read::unreadable(&path, "standard input is not UTF-8 text").report(path),
            ),
        }
    };
    queue.push(pending);
}

/// The lines of `bytes` that are not blank: the deals of a JSON-lines text.
pub(super) fn lines_with_text(bytes: &[u8]) -> usize {
    bytes.split(|b| *b == b'\n').filter(|l| has_text(l)).count()
}

/// Whether `line` holds anything but white space.
pub(super) fn has_text(line: &[u8]) -> bool {
    !line.iter().all(u8::is_ascii_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_with_text_skip_blank_lines() {
        assert_eq!(lines_with_text(b"{}\n\n  \r\n{}\r\n{}"), 3);
        assert_eq!(lines_with_text(b""), 0);
    }

    /// What reading gives, line by line, to the end: a line's text, a line too long, an error.
    #[derive(Debug, PartialEq)]
    enum Read {
        Text(Vec<u8>),
        TooLong,
        Failed,
    }

    /// The bytes of `input` up to `fails_at`, then a failed read every time after.
    struct Failing<'a> {
        input: &'a [u8],
        at: usize,
        fails_at: usize,
        reads: usize,
    }

    impl std::io::Read for Failing<'_> {
        fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
            self.reads += 1;
            if self.at >= self.fails_at {
                return Err(std::io::Error::other("the disk is gone"));
            }
            let end = self.input.len().min(self.fails_at).min(self.at + out.len());
            let n = end - self.at;
            out[..n].copy_from_slice(&self.input[self.at..end]);
            self.at = end;
            Ok(n)
        }
    }

    fn by_next_line(input: &[u8], capacity: usize, max: u64) -> Vec<Read> {
        let mut reader = BufReader::with_capacity(capacity, input);
        let (mut buf, mut out) = (Vec::new(), Vec::new());
        loop {
            match read::next_line(&mut reader, &mut buf, max) {
                Ok(Line::Text(t)) => out.push(Read::Text(t)),
                Ok(Line::TooLong) => out.push(Read::TooLong),
                Ok(Line::End) => return out,
                Err(_) => out.push(Read::Failed),
            }
        }
    }

    /// Returns the lines and how many were read where they stood in the reader's buffer.
    fn by_batch_line(input: &[u8], capacity: usize, max: u64) -> (Vec<Read>, usize) {
        let mut reader = BufReader::with_capacity(capacity, input);
        let (mut buf, mut out, mut buffered) = (Vec::new(), Vec::new(), 0);
        loop {
            // Every line but the last takes a byte at least: more lines than bytes is a loop.
            assert!(out.len() <= input.len(), "more lines than bytes");
            match next_batch_line(&mut reader, &mut buf, max, <[u8]>::to_vec) {
                Next::Buffered(t) => {
                    out.push(Read::Text(t));
                    buffered += 1;
                }
                Next::Read(Ok(Line::Text(t))) => out.push(Read::Text(t)),
                Next::Read(Ok(Line::TooLong)) => out.push(Read::TooLong),
                Next::Read(Ok(Line::End)) => return (out, buffered),
                Next::Read(Err(_)) => out.push(Read::Failed),
            }
        }
    }

    /// A batch read through its reader's buffer where a line stands whole there gives the
    /// lines `next_line` gives, whatever the buffer's size and the size limit: line ends of
    /// `\n`, `\r\n` and `\r\r\n`, blank lines, lines at, one past and far past the limit, a
    /// last line without its end, bytes that are not UTF-8.
    #[test]
    fn lines_read_in_the_buffer_are_the_lines_next_line_reads() {
        let inputs: [&[u8]; 6] = [
            b"{\"a\": 1}\n{\"b\": 2}\r\n\n   \n{\"c\": 3}",
            b"abc\r\r\nabcd\nabcde\r\nab\n\r\n",
            b"\n\n\n",
            b"",
            b"abcdefghijklmnopqrstuvwxyz\nab\n0123456789abcdef\r\n\xff\xfe\nend",
            b"x\ny\r\nzz\r\r\r\n",
        ];
        let mut buffered = 0;
        for input in inputs {
            for capacity in [1, 2, 3, 5, 8, 13, 64, 4096] {
                for max in [0, 1, 2, 3, 4, 5, 10, 16, 100] {
                    let (lines, whole) = by_batch_line(input, capacity, max);
                    assert_eq!(
                        lines,
                        by_next_line(input, capacity, max),
                        "{:?}, capacity {capacity}, max {max}",
                        String::from_utf8_lossy(input)
                    );
                    buffered += whole;
                }
            }
        }
        assert!(buffered > 500, "{buffered}");
    }

    /// A read that fails is reported once, as `next_line` reports it, and not tried again: the
    /// lines before it, then the failure, from a reader failing at every byte of the input.
    #[test]
    fn a_failed_read_is_reported_once() {
        let input = b"{\"a\": 1}\n{\"b\": 2}\r\n\nlast";
        for capacity in [1, 4, 64] {
            for fails_at in 0..input.len() {
                let mut lines = Vec::new();
                for batch in [false, true] {
                    let mut reader = BufReader::with_capacity(
                        capacity,
                        Failing {
                            input,
                            at: 0,
                            fails_at,
                            reads: 0,
                        },
                    );
                    let mut buf = Vec::new();
                    let mut got = Vec::new();
                    loop {
                        let next = match batch {
                            true => next_batch_line(&mut reader, &mut buf, 100, <[u8]>::to_vec),
                            false => Next::Read(read::next_line(&mut reader, &mut buf, 100)),
                        };
                        match next {
                            Next::Buffered(t) | Next::Read(Ok(Line::Text(t))) => {
                                got.push(Read::Text(t))
                            }
                            Next::Read(Ok(Line::TooLong)) => got.push(Read::TooLong),
                            Next::Read(Ok(Line::End)) => break,
                            Next::Read(Err(_)) => {
                                got.push(Read::Failed);
                                break;
                            }
                        }
                    }
                    assert_eq!(got.last(), Some(&Read::Failed), "{capacity} {fails_at}");
                    let reads = reader.into_inner().reads;
                    lines.push((got, reads));
                }
                assert_eq!(
                    lines[0], lines[1],
                    "capacity {capacity}, failing at {fails_at}"
                );
            }
        }
    }
}
