//! The parallel check engine: deals are read in order, checked in chunks on a thread pool,
//! rendered there, and handed back in input order. Memory is bounded by the chunk size, so a
//! `.jsonl` batch of any length streams.

use std::io::{BufRead, BufReader, IsTerminal};
use std::path::PathBuf;
use std::sync::Arc;

use rayon::prelude::*;

use crate::deal::Format as DealFormat;
use crate::report::DealReport;
use crate::resolve::Policy;
use crate::source::SourceFile;

use super::check::{check_input, check_text, unreadable, Settings};
use super::inputs::Input;

/// Deals per chunk: enough to keep every thread busy, small enough to bound memory.
const CHUNK: usize = 512;

/// A deal waiting to be checked.
enum Pending {
    File(PathBuf),
    Line {
        name: Arc<str>,
        line: usize,
        text: String,
    },
    Done(DealReport),
}

/// Renders one report for output, on a worker thread (`None`: keep the report instead).
pub type Render<'a> = dyn Fn(&DealReport) -> Option<String> + Sync + 'a;

fn process(policy: &Policy, settings: &Settings, pending: Pending) -> DealReport {
    match pending {
        Pending::Done(r) => r,
        Pending::File(p) => {
            let mut out = None;
            check_input(policy, &Input::File(p), settings, &mut |r| out = Some(r));
            out.unwrap_or_else(|| {
                unreadable(
                    "?".into(),
                    "internal error: no report (please report this bug)",
                )
            })
        }
        Pending::Line { name, line, text } => {
            let path = format!("{name}:{line}");
            check_text(
                policy,
                SourceFile::new(path.clone(), text),
                path,
                line,
                DealFormat::Json,
                settings,
            )
        }
    }
}

/// Check every input on `jobs` threads (0: all cores); `emit` receives each report and its
/// rendering in input order.
pub fn check_all(
    policy: &Policy,
    inputs: &[Input],
    settings: &Settings,
    jobs: usize,
    render: &Render<'_>,
    emit: &mut dyn FnMut(DealReport, Option<String>),
) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .build()
        .ok();
    let progress = Progress::new();
    let mut chunk: Vec<Pending> = Vec::with_capacity(CHUNK);
    let flush = |chunk: &mut Vec<Pending>, emit: &mut dyn FnMut(DealReport, Option<String>)| {
        let work = std::mem::take(chunk);
        let run = || -> Vec<(DealReport, Option<String>)> {
            work.into_par_iter()
                .map(|p| {
                    let r = process(policy, settings, p);
                    let text = render(&r);
                    (r, text)
                })
                .collect()
        };
        let done = match &pool {
            Some(pool) => pool.install(run),
            None => run(),
        };
        progress.add(done.len());
        for (r, text) in done {
            emit(r, text);
        }
    };
    for input in inputs {
        match input {
            Input::File(p) => chunk.push(Pending::File(p.clone())),
            Input::Missing(p, why) => {
                chunk.push(Pending::Done(unreadable(p.display().to_string(), why)))
            }
            Input::Batch(p) => read_batch(p, &mut chunk, &mut |c| flush(c, emit)),
            Input::Stdin => {
                flush(&mut chunk, emit);
                check_input(policy, input, settings, &mut |r| {
                    let text = render(&r);
                    emit(r, text);
                });
            }
        }
        if chunk.len() >= CHUNK {
            flush(&mut chunk, emit);
        }
    }
    flush(&mut chunk, emit);
    progress.finish();
}

/// Read a `.jsonl` batch line by line into `chunk`, flushing whenever it is full. Blank lines
/// are skipped but counted; a line that is not UTF-8 is an invalid deal.
fn read_batch(path: &PathBuf, chunk: &mut Vec<Pending>, flush: &mut dyn FnMut(&mut Vec<Pending>)) {
    let name: Arc<str> = path.display().to_string().into();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            chunk.push(Pending::Done(unreadable(name.to_string(), &e.to_string())));
            return;
        }
    };
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut buf = Vec::new();
    let mut line = 0usize;
    loop {
        buf.clear();
        match reader.read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                chunk.push(Pending::Done(unreadable(
                    format!("{name}:{}", line + 1),
                    &e.to_string(),
                )));
                break;
            }
        }
        line += 1;
        while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            buf.pop();
        }
        if buf.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match String::from_utf8(std::mem::take(&mut buf)) {
            Ok(text) => chunk.push(Pending::Line {
                name: name.clone(),
                line,
                text,
            }),
            Err(e) => chunk.push(Pending::Done(unreadable(
                format!("{name}:{line}"),
                &format!(
                    "line is not UTF-8 text (invalid byte at offset {})",
                    e.utf8_error().valid_up_to()
                ),
            ))),
        }
        if chunk.len() >= CHUNK {
            flush(chunk);
        }
    }
}

/// A progress line on stderr for large batches, only when stderr is a terminal.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn new() -> Self {
        if !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template(
            "{spinner} {human_pos} deals checked ({per_sec})",
        ) {
            bar.set_style(style);
        }
        Progress(Some(bar))
    }

    fn add(&self, n: usize) {
        if let Some(bar) = &self.0 {
            bar.inc(n as u64);
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}
