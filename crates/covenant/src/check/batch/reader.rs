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
        let next = read::next_line(reader, &mut buf, settings.max_deal_size);
        let path = || super::line_path(&name, line + 1);
        let pending = match next {
            Ok(Line::End) => break,
            Err(e) => {
                let path = path();
                queue.push(Pending::Done(
                    read::unreadable(&path, &e.to_string()).report(path),
                ));
                deals += 1;
                break;
            }
            Ok(Line::TooLong) => Some(Pending::Done(
                read::too_large(
                    &format!("line {} of `{name}`", line + 1),
                    settings.max_deal_size,
                )
                .report(path()),
            )),
            Ok(Line::Text(bytes)) => {
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    buf = bytes;
                    line += 1;
                    continue;
                }
                // Checked with SIMD (a deal line is mostly ASCII); the error's place, rare, is
                // found by the standard library's check.
                let checked = simdutf8::basic::from_utf8(&bytes)
                    .map_err(|_| std::str::from_utf8(&bytes).err());
                let pending = match checked {
                    Ok(text) => {
                        // Into the chunk's text: no allocation a deal here.
                        queue.push_line(&name, line + 1, text);
                        None
                    }
                    Err(e) => {
                        let path = path();
                        Some(Pending::Done(
                            read::unreadable(
                                &path,
                                &format!(
                                    "line is not UTF-8 text (invalid byte at offset {})",
                                    e.map_or(0, |e| e.valid_up_to())
                                ),
                            )
                            .report(path),
                        ))
                    }
                };
                // The line's buffer reads the next line.
                buf = bytes;
                pending
            }
        };
        line += 1;
        deals += 1;
        if let Some(pending) = pending {
            queue.push(pending);
        }
    }
    if deals == 0 {
        let problem = read::Problem::EmptyBatch {
            name: name.to_string(),
        };
        queue.push(Pending::Done(problem.report(name.to_string())));
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
}
