//! The parallel check engine: deals are read in order on one thread, checked and rendered in
//! chunks on worker threads, and handed back in input order, all at once ([`pipeline`]).
//! Memory is bounded by the chunks in flight, so a `.jsonl` batch of any length streams; a
//! chunk holds fewer deals when each deal's report is large, so the bytes in flight are
//! bounded as well ([`weight`]).
//!
//! Nothing is lost: every deal given becomes exactly one report, in input order, whatever
//! happens to it (unreadable, too large, empty, past `--max-deals`, or an internal error while
//! checking or rendering it). Worker threads have a large stack ([`WORKER_STACK`]), so the
//! deepest policy the compiler accepts evaluates without overflowing.

mod pipeline;
mod weight;

use std::io::{BufRead, BufReader, IsTerminal, Read};
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;

use crate::deal::Format as DealFormat;
use crate::report::DealReport;
use crate::resolve::Policy;
use crate::source::SourceFile;

use super::check::{check_file, check_text, Settings};
use super::inputs::Input;
use super::read::{self, Line};
use super::stdin::StdinKind;

/// Deals per chunk: enough to make handing chunks between threads cheap, small enough to
/// keep every worker busy and memory small.
const CHUNK: usize = 64;

/// The room made for each deal's rendering: most JSON lines fit.
const TEXT_PER_DEAL: usize = 2048;

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
    /// The bytes of deal text it holds.
    fn text_len(&self) -> usize {
        match self {
            Pending::Text { text, .. } => text.len(),
            Pending::File(_) | Pending::Done(_) => 0,
        }
    }

    fn path(&self) -> String {
        match self {
            Pending::File(p) => p.display().to_string(),
            Pending::Text { path, .. } => path.clone(),
            Pending::Done(r) => r.path.clone(),
        }
    }
}

/// Renders one report for output at the end of the buffer, on a worker thread; `false`:
/// nothing rendered, keep the report instead.
pub type Render<'a> = dyn Fn(&DealReport, &mut Vec<u8>) -> bool + Sync + 'a;

/// Receives each report in input order, with its rendering (None: not rendered).
pub type Emit<'a> = dyn FnMut(DealReport, Option<&[u8]>) + 'a;

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

/// Check and render one deal into `buf`; a panic in either becomes an `invalid` report (and a
/// plain rendering of it), never a lost deal. The rendering's place in `buf`, if any.
fn process_and_render(
    policy: &Policy,
    settings: &Settings,
    render: &Render<'_>,
    pending: Pending,
    buf: &mut Vec<u8>,
) -> (DealReport, Option<Range<usize>>) {
    let path = pending.path();
    let report = catch_unwind(AssertUnwindSafe(|| process(policy, settings, pending)))
        .unwrap_or_else(|p| read::internal_panic("checking this deal", p.as_ref()).report(path));
    let start = buf.len();
    let (report, rendered) = match catch_unwind(AssertUnwindSafe(|| render(&report, buf))) {
        Ok(rendered) => (report, rendered),
        Err(p) => {
            buf.truncate(start);
            let report =
                read::internal_panic("reporting this deal", p.as_ref()).report(report.path);
            let rendered = render(&report, buf);
            (report, rendered)
        }
    };
    (report, rendered.then_some(start..buf.len()))
}

/// A chunk of deals checked: their reports in input order, and the text they rendered to.
struct Checked {
    text: Vec<u8>,
    deals: Vec<(DealReport, Option<Range<usize>>)>,
}

fn check_chunk(
    policy: &Policy,
    settings: &Settings,
    render: &Render<'_>,
    estimate: &weight::Estimate,
    chunk: Vec<Pending>,
) -> Checked {
    let mut text = Vec::with_capacity(chunk.len() * TEXT_PER_DEAL);
    let deals: Vec<_> = chunk
        .into_iter()
        .map(|p| process_and_render(policy, settings, render, p, &mut text))
        .collect();
    let bytes = text.len() + deals.iter().map(|(r, _)| weight::of(r)).sum::<usize>();
    estimate.observe(bytes, deals.len());
    Checked { text, deals }
}

impl Checked {
    fn emit(self, emit: &mut Emit<'_>) {
        let Checked { text, deals } = self;
        for (report, range) in deals {
            emit(report, range.and_then(|r| text.get(r)));
        }
    }
}

/// The deals of a run, in order, cut into chunks of at most [`CHUNK`] deals and about
/// `chunk_bytes` (the text read, and what the checked deals are expected to weigh); deals
/// past the limit are reported unread.
struct Queue<'e> {
    chunk: Vec<Pending>,
    /// The bytes of deal text in `chunk`.
    text: usize,
    chunk_bytes: usize,
    estimate: &'e weight::Estimate,
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
        self.text += p.text_len();
        self.chunk.push(p);
        let expected = self.text + self.chunk.len() * self.estimate.per_deal();
        if self.chunk.len() >= CHUNK || expected >= self.chunk_bytes {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.chunk.is_empty() {
            let chunk = std::mem::replace(&mut self.chunk, Vec::with_capacity(CHUNK));
            self.text = 0;
            (self.flush)(chunk);
        }
    }
}

/// Check every input on `jobs` worker threads (0: one per core); `emit` receives each report
/// and its rendering in input order. A progress line is shown on large batches when stderr
/// is a terminal.
pub fn check_all(
    policy: &Policy,
    inputs: &[Input],
    settings: &Settings,
    jobs: usize,
    render: &Render<'_>,
    emit: &mut Emit<'_>,
) {
    let jobs = match jobs {
        // One deal file: starting threads would cost more than checking it here.
        _ if matches!(inputs, [Input::File(_)]) => 0,
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let progress = Progress::new();
    run(policy, inputs, settings, jobs, render, &mut |checked| {
        progress.add(checked.deals.len());
        checked.emit(emit);
    });
    progress.finish();
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
    run(policy, inputs, settings, 1, &|_, _| false, &mut |checked| {
        checked.emit(&mut |r, _| emit(r));
    });
}

/// Read the inputs on one thread, check chunks of deals on `jobs` others, and `write` each
/// checked chunk here, in input order.
fn run(
    policy: &Policy,
    inputs: &[Input],
    settings: &Settings,
    jobs: usize,
    render: &Render<'_>,
    write: &mut dyn FnMut(Checked),
) {
    let estimate = weight::Estimate::new(policy);
    let chunk_bytes = weight::IN_FLIGHT_BYTES / pipeline::in_flight(jobs);
    let weigh = |chunk: &Vec<Pending>| estimate.of_chunk(chunk);
    let budget = pipeline::Budget {
        bytes: weight::IN_FLIGHT_BYTES,
        weigh: &weigh,
    };
    pipeline::run_within(
        jobs,
        &budget,
        |feed: &mut pipeline::Feed<'_, Vec<Pending>>| {
            let queue = Queue {
                chunk: Vec::with_capacity(CHUNK),
                text: 0,
                chunk_bytes,
                estimate: &estimate,
                seen: 0,
                max: settings.max_deals,
                flush: feed,
            };
            read_inputs(inputs, settings, queue)
        },
        &|chunk| check_chunk(policy, settings, render, &estimate, chunk),
        write,
    );
}

/// Read every input, in order, into the queue's chunks of deals.
fn read_inputs(inputs: &[Input], settings: &Settings, mut queue: Queue<'_>) {
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
            Input::Stdin => read_stdin(settings, &mut queue),
        }
    }
    queue.flush();
}

fn read_batch_file(path: &Path, settings: &Settings, queue: &mut Queue<'_>) {
    let name = path.display().to_string();
    match crate::bounded::open(path, settings.read_timeout) {
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

/// Standard input: one deal document, or JSON lines, as [`super::stdin::kind`] says (named
/// with `--stdin-format`, or detected). Only JSON lines may be larger than `--max-deal-size`:
/// they stream like a `.jsonl` batch.
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
    let format = match super::stdin::kind(settings.stdin_format, &bytes) {
        StdinKind::Lines => {
            let mut reader = BufReader::new(std::io::Cursor::new(bytes).chain(lock));
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
                text,
                format,
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
        if let Ok(style) =
            indicatif::ProgressStyle::with_template("{spinner} {human_pos} deals checked ({rate})")
        {
            // indicatif's own `{per_sec}` prints four decimals; a whole number reads better.
            bar.set_style(style.with_key(
                "rate",
                |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0} deals/s", state.per_sec());
                },
            ));
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
