//! The parallel check engine: deals are read in order, checked in chunks on a thread pool,
//! rendered there, and handed back in input order. Memory is bounded by the chunk size, so a
//! `.jsonl` batch of any length streams.
//!
//! Nothing is lost: every deal given becomes exactly one report, in input order, whatever
//! happens to it (unreadable, too large, empty, past `--max-deals`, or an internal error while
//! checking or rendering it). Worker threads have a large stack ([`WORKER_STACK`]), so the
//! deepest policy the compiler accepts evaluates without overflowing.

use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;

use crate::deal::Format as DealFormat;
use crate::limits::WORKER_STACK;
use crate::report::DealReport;
use crate::resolve::Policy;
use crate::source::SourceFile;

use super::check::{check_file, check_text, Settings};
use super::inputs::Input;
use super::read::{self, Line};

/// Deals per chunk: enough to keep every thread busy, small enough to bound memory.
const CHUNK: usize = 512;

/// A deal waiting to be checked.
enum Pending {
    File(std::path::PathBuf),
    Text {
        path: String,
        first_line: usize,
        text: String,
        format: DealFormat,
    },
    Done(DealReport),
}

impl Pending {
    fn path(&self) -> String {
        match self {
            Pending::File(p) => p.display().to_string(),
            Pending::Text { path, .. } => path.clone(),
            Pending::Done(r) => r.path.clone(),
        }
    }
}

/// Renders one report for output, on a worker thread (`None`: keep the report instead).
pub type Render<'a> = dyn Fn(&DealReport) -> Option<String> + Sync + 'a;

fn process(policy: &Policy, settings: &Settings, pending: Pending) -> DealReport {
    match pending {
        Pending::Done(r) => r,
        Pending::File(p) => check_file(policy, &p, settings),
        Pending::Text {
            path,
            first_line,
            text,
            format,
        } => check_text(
            policy,
            SourceFile::new(path.clone(), text),
            path,
            first_line,
            format,
            settings,
        ),
    }
}

/// Check and render one deal; a panic in either becomes an `invalid` report (and a plain
/// rendering of it), never a lost deal.
fn process_and_render(
    policy: &Policy,
    settings: &Settings,
    render: &Render<'_>,
    pending: Pending,
) -> (DealReport, Option<String>) {
    let path = pending.path();
    let report = catch_unwind(AssertUnwindSafe(|| process(policy, settings, pending)))
        .unwrap_or_else(|p| read::internal_panic("checking this deal", p.as_ref()).report(path));
    match catch_unwind(AssertUnwindSafe(|| render(&report))) {
        Ok(text) => (report, text),
        Err(p) => {
            let report =
                read::internal_panic("reporting this deal", p.as_ref()).report(report.path);
            let text = render(&report);
            (report, text)
        }
    }
}

/// The deals of a run, in order, cut into chunks; deals past the limit are reported unread.
struct Queue<'e> {
    chunk: Vec<Pending>,
    seen: u64,
    max: Option<u64>,
    flush: &'e mut dyn FnMut(Vec<Pending>),
}

impl Queue<'_> {
    fn push(&mut self, p: Pending) {
        self.seen += 1;
        let p = match (self.max, &p) {
            (Some(max), Pending::File(_) | Pending::Text { .. }) if self.seen > max => {
                Pending::Done(read::too_many_deals(max).report(p.path()))
            }
            _ => p,
        };
        self.chunk.push(p);
        if self.chunk.len() >= CHUNK {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.chunk.is_empty() {
            (self.flush)(std::mem::take(&mut self.chunk));
        }
    }
}

/// Check every input on `jobs` threads (0: all cores); `emit` receives each report and its
/// rendering in input order. A progress line is shown on large batches when stderr is a
/// terminal.
pub fn check_all(
    policy: &Policy,
    inputs: &[Input],
    settings: &Settings,
    jobs: usize,
    render: &Render<'_>,
    emit: &mut dyn FnMut(DealReport, Option<String>),
) {
    run(
        policy,
        inputs,
        settings,
        jobs,
        render,
        emit,
        Progress::new(),
    );
}

/// Check one input on one worker thread, without rendering or progress: for callers that
/// check inputs one by one (`diff`).
pub fn check_serial(
    policy: &Policy,
    input: &Input,
    settings: &Settings,
    emit: &mut dyn FnMut(DealReport),
) {
    let inputs = std::slice::from_ref(input);
    run(
        policy,
        inputs,
        settings,
        1,
        &|_| None,
        &mut |r, _| emit(r),
        Progress(None),
    );
}

fn run(
    policy: &Policy,
    inputs: &[Input],
    settings: &Settings,
    jobs: usize,
    render: &Render<'_>,
    emit: &mut dyn FnMut(DealReport, Option<String>),
    progress: Progress,
) {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .stack_size(WORKER_STACK)
        .thread_name(|i| format!("covenant-check-{i}"))
        .build()
        .ok();
    let mut flush = |work: Vec<Pending>| {
        let run = || -> Vec<(DealReport, Option<String>)> {
            work.into_par_iter()
                .map(|p| process_and_render(policy, settings, render, p))
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
    let mut queue = Queue {
        chunk: Vec::with_capacity(CHUNK),
        seen: 0,
        max: settings.max_deals,
        flush: &mut flush,
    };
    for input in inputs {
        match input {
            Input::File(p) => queue.push(Pending::File(p.clone())),
            Input::Missing(p, why) => {
                let path = p.display().to_string();
                queue.push(Pending::Done(read::unreadable(&path, why).report(path)))
            }
            Input::Batch(p) => read_batch_file(p, settings, &mut queue),
            Input::Stdin => read_stdin(settings, &mut queue),
        }
    }
    queue.flush();
    progress.finish();
}

fn read_batch_file(path: &Path, settings: &Settings, queue: &mut Queue<'_>) {
    let name = path.display().to_string();
    match std::fs::File::open(path) {
        Ok(f) => read_batch(
            &name,
            &mut BufReader::with_capacity(1 << 20, f),
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
        let path = format!("{name}:{}", line + 1);
        let pending = match next {
            Ok(Line::End) => break,
            Err(e) => {
                queue.push(Pending::Done(
                    read::unreadable(&path, &e.to_string()).report(path),
                ));
                deals += 1;
                break;
            }
            Ok(Line::TooLong) => Pending::Done(
                read::too_large(
                    &format!("line {} of `{name}`", line + 1),
                    settings.max_deal_size,
                )
                .report(path),
            ),
            Ok(Line::Text(bytes)) => {
                if bytes.iter().all(u8::is_ascii_whitespace) {
                    line += 1;
                    continue;
                }
                match String::from_utf8(bytes) {
                    Ok(text) => Pending::Text {
                        path,
                        first_line: line + 1,
                        text,
                        format: DealFormat::Json,
                    },
                    Err(e) => Pending::Done(
                        read::unreadable(
                            &path,
                            &format!(
                                "line is not UTF-8 text (invalid byte at offset {})",
                                e.utf8_error().valid_up_to()
                            ),
                        )
                        .report(path),
                    ),
                }
            }
        };
        line += 1;
        deals += 1;
        queue.push(pending);
    }
    if deals == 0 {
        let problem = read::empty(&format!("the batch `{name}`"))
            .help("a `.jsonl` batch holds one deal (a JSON object) per line");
        queue.push(Pending::Done(problem.report(name.to_string())));
    }
}

/// Standard input: JSON when the text starts with `{` (JSON lines when it has several
/// non-blank lines), YAML otherwise. Only a batch may be larger than `--max-deal-size`.
fn read_stdin(settings: &Settings, queue: &mut Queue<'_>) {
    let max = settings.max_deal_size;
    let stdin = std::io::stdin();
    let mut lock = stdin.lock();
    let mut bytes = Vec::new();
    if let Err(e) = lock
        .by_ref()
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
    {
        let path = "-".to_string();
        queue.push(Pending::Done(
            read::unreadable(&path, &e.to_string()).report(path),
        ));
        return;
    }
    let starts_json = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .and_then(|i| bytes.get(i..))
        .is_some_and(|rest| rest.starts_with(b"{") || rest.starts_with("\u{feff}{".as_bytes()));
    let over = bytes.len() as u64 > max;
    let lines = bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .count();
    if starts_json && (over || lines > 1) {
        let mut reader = BufReader::new(std::io::Cursor::new(bytes).chain(lock));
        read_batch("-", &mut reader, settings, queue);
        return;
    }
    let path = "-".to_string();
    let pending = if over {
        Pending::Done(read::too_large("standard input", max).report(path))
    } else {
        match String::from_utf8(bytes) {
            Ok(text) => Pending::Text {
                path,
                first_line: 1,
                text,
                format: if starts_json {
                    DealFormat::Json
                } else {
                    DealFormat::Yaml
                },
            },
            Err(_) => Pending::Done(
                read::unreadable(&path, "standard input is not UTF-8 text").report(path),
            ),
        }
    };
    queue.push(pending);
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
