//! The parallel check engine: deals are read in order on one thread, checked and rendered in
//! chunks on worker threads, and handed back in input order, all at once ([`pipeline`]).
//! Memory is bounded by the chunks in flight, so a `.jsonl` batch of any length streams; a
//! chunk holds fewer deals when each deal's report (or, when only summaries are kept, its
//! rendering) is large, so the bytes in flight are bounded as well ([`weight`]).
//!
//! Nothing is lost: every deal given becomes exactly one report, in input order, whatever
//! happens to it (unreadable, too large, empty, past `--max-deals`, or an internal error while
//! checking or rendering it). Worker threads have a large stack
//! ([`crate::limits::WORKER_STACK`]), so the deepest policy the compiler accepts evaluates
//! without overflowing.

mod pipeline;
mod queue;
mod reader;
mod small;
mod weight;

pub use weight::IN_FLIGHT_BYTES;

use std::cell::OnceCell;
use std::io::Read;
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use crate::deal::Format as DealFormat;
use crate::report::{DealReport, DealSummary};
use crate::source::SourceFile;

use super::deal::{check_document, check_file};
use super::document::Document;
use super::inputs::Input;
use super::read;
use super::settings::Settings;
use crate::resolve::Policy;
use queue::{line_path, Chunk, ChunkLines, Pending, Queue, CHUNK};

/// The least room made for each deal's rendering (more once a chunk has shown what deals
/// render to: [`weight::Estimate::text_room`]).
const TEXT_PER_DEAL: usize = 2048;

/// Renders one report for output at the end of the buffer, on the worker thread that
/// checked it; `false`: nothing rendered, keep the report instead.
pub type Render<'a> = dyn Fn(&DealReport, &mut Vec<u8>) -> bool + Sync + 'a;

/// Receives the reports of a batch, in input order.
pub trait Sink {
    /// One deal's report, with its rendering (None: not rendered).
    fn report(&mut self, report: DealReport, rendered: Option<&[u8]>);

    /// Whether each deal's summary and rendering are all this sink needs: then it receives
    /// [`Sink::summaries`] (whose default calls [`Sink::summary`] for each deal) instead of
    /// [`Sink::report`], and each report is dropped on the worker thread that made it (its
    /// memory freed where it was allocated). A sink that says so implements [`Sink::summary`]
    /// or [`Sink::summaries`].
    fn summaries_suffice(&self) -> bool {
        false
    }

    /// One deal's summary, with its rendering, in place of its report when
    /// [`Sink::summaries_suffice`].
    fn summary(&mut self, summary: DealSummary, rendered: Option<&[u8]>) {
        let _ = (summary, rendered);
    }

    /// The summaries of a chunk of deals, in order, in place of one [`Sink::summary`] each:
    /// each deal's rendering is its range of `text` (the renderings follow each other there),
    /// so a sink that writes them out can write a run of them at once.
    fn summaries(&mut self, text: &[u8], deals: &[(DealSummary, Option<Range<usize>>)]) {
        for (summary, range) in deals {
            self.summary(*summary, range.clone().and_then(|r| text.get(r)));
        }
    }

    /// `deals` more deals are checked, their reports about to come: for a progress line.
    fn progress(&mut self, deals: usize) {
        let _ = deals;
    }
}

impl<F: FnMut(DealReport, Option<&[u8]>)> Sink for F {
    fn report(&mut self, report: DealReport, rendered: Option<&[u8]>) {
        self(report, rendered)
    }
}

fn no_rendering(_: &DealReport, _: &mut Vec<u8>) -> bool {
    false
}

/// The deals of one batch: the inputs, what standard input is, and how each report is
/// rendered.
pub struct Batch<'a> {
    inputs: &'a [Input],
    stdin: Option<&'a mut (dyn Read + Send)>,
    render: &'a Render<'a>,
}

impl<'a> Batch<'a> {
    /// The deals of `inputs`, not rendered; [`Input::Stdin`] is reported unreadable unless
    /// [`Batch::stdin`] gives it.
    pub fn new(inputs: &'a [Input]) -> Batch<'a> {
        Batch {
            inputs,
            stdin: None,
            render: &no_rendering,
        }
    }

    /// What [`Input::Stdin`] reads: the process's standard input, for the command line.
    pub fn stdin(self, stdin: &'a mut (dyn Read + Send)) -> Batch<'a> {
        Batch {
            stdin: Some(stdin),
            ..self
        }
    }

    /// Render each report on the worker thread that checked it; the [`Sink`] receives the
    /// rendering with the report.
    pub fn rendered_with(self, render: &'a Render<'a>) -> Batch<'a> {
        Batch { render, ..self }
    }
}

impl Batch<'_> {
    /// Read standard input's first bytes ahead, when the inputs name it and it is given.
    fn stdin_head(&mut self, settings: &Settings) -> Option<reader::StdinHead> {
        let stdin = self.stdin.as_deref_mut()?;
        self.inputs
            .contains(&Input::Stdin)
            .then(|| reader::StdinHead::read(stdin, settings))
    }
}

/// What a worker needs: the policy, the settings, how to render a report, and whether the
/// writer needs only its summary.
#[derive(Clone, Copy)]
struct Work<'a> {
    policy: &'a Policy,
    settings: &'a Settings,
    render: &'a Render<'a>,
    summarize: bool,
}

/// Check one deal; a panic while checking it makes it `invalid` (`check_document` guards the
/// checking of a document; a file's reading is guarded here).
fn process(work: Work<'_>, pending: Pending, lines: ChunkLines<'_>) -> DealReport {
    match pending {
        Pending::Done(r) => r,
        Pending::File(p) => {
            let checked = catch_unwind(AssertUnwindSafe(|| {
                check_file(work.policy, work.settings, &p)
            }));
            checked.unwrap_or_else(|e| {
                let path = p.display().to_string();
                read::internal_panic("checking this deal", e.as_ref()).report(path)
            })
        }
        Pending::Line { batch, line, text } => {
            let path = line_path(lines.name(batch), line);
            let text: Arc<str> = lines.text(text).into();
            check_document(
                work.policy,
                work.settings,
                Document {
                    source: SourceFile::new(path.as_str(), text),
                    path,
                    first_line: line,
                    format: DealFormat::Json,
                },
            )
        }
        Pending::Text {
            path,
            first_line,
            text,
            format,
        } => check_document(
            work.policy,
            work.settings,
            Document {
                source: SourceFile::new(path.as_str(), text),
                path,
                first_line,
                format,
            },
        ),
    }
}

/// Check and render one deal into `buf`; a panic in either becomes an `invalid` report (and a
/// plain rendering of it), never a lost deal. The rendering's place in `buf`, if any.
fn process_and_render(
    work: Work<'_>,
    pending: Pending,
    lines: ChunkLines<'_>,
    buf: &mut Vec<u8>,
) -> (DealReport, Option<Range<usize>>) {
    let render = work.render;
    let report = process(work, pending, lines);
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

/// What the writer receives of a chunk's deals: their whole reports, or only their summaries
/// (the reports dropped where they were made); each with its rendering's place in the chunk's
/// text.
enum Handed {
    Reports(Vec<(DealReport, Option<Range<usize>>)>),
    Summaries(Vec<(DealSummary, Option<Range<usize>>)>),
}

/// A chunk of deals checked: their reports (or summaries) in input order, and the text they
/// rendered to.
struct Checked {
    text: Vec<u8>,
    deals: Handed,
}

/// The policy a worker checks with: worker 0 the caller's, each other worker a copy of its
/// own ([`Policy::unshared_copy`]), made on its own thread when it takes its first chunk, so
/// that no two workers change one reference count as they clone and drop the policy's texts
/// (BENCHMARKS.md, "Issue 18: thirty-third session").
struct WorkerPolicy(Option<OnceCell<Policy>>);

impl WorkerPolicy {
    fn of_worker(i: usize) -> WorkerPolicy {
        WorkerPolicy((i > 0).then(OnceCell::new))
    }

    fn get<'p>(&'p self, policy: &'p Policy) -> &'p Policy {
        let checking = match &self.0 {
            None => policy,
            Some(copy) => copy.get_or_init(|| policy.unshared_copy()),
        };
        #[cfg(test)]
        tests::note_policy_checked_with(policy, checking);
        checking
    }
}

fn check_chunk(work: Work<'_>, estimate: &weight::Estimate, mut chunk: Chunk) -> Checked {
    let pending = std::mem::take(&mut chunk.deals);
    let lines = chunk.lines();
    let mut text = Vec::with_capacity(estimate.text_room(pending.len(), TEXT_PER_DEAL));
    let n = pending.len();
    let mut bytes = 0;
    let mut next = |p| process_and_render(work, p, lines, &mut text);
    let deals = match work.summarize {
        // Each report (its results, evidence, strings and deal) is freed here: only its
        // summary stays in flight.
        true => Handed::Summaries(
            pending
                .into_iter()
                .map(|p| {
                    let (report, range) = next(p);
                    bytes += size_of::<(DealSummary, Option<Range<usize>>)>();
                    (report.summary(), range)
                })
                .collect(),
        ),
        false => Handed::Reports(
            pending
                .into_iter()
                .map(|p| {
                    let (report, range) = next(p);
                    bytes += weight::of(&report);
                    (report, range)
                })
                .collect(),
        ),
    };
    // The text's room is what it holds in memory, rendered or not.
    estimate.observe(bytes + text.capacity(), text.len(), n);
    Checked { text, deals }
}

impl Checked {
    fn hand_to(self, sink: &mut dyn Sink) {
        let Checked { text, deals } = self;
        match deals {
            Handed::Reports(reports) => {
                sink.progress(reports.len());
                for (report, range) in reports {
                    sink.report(report, range.and_then(|r| text.get(r)));
                }
            }
            Handed::Summaries(summaries) => {
                sink.progress(summaries.len());
                sink.summaries(&text, &summaries);
            }
        }
    }
}

/// Check every deal of the batch on the engine's worker threads (0: one per core); `sink`
/// receives each report and its rendering in input order. A small run (at most one chunk of
/// deals, [`small`]) is checked on this thread: no thread is started.
pub fn check_all(policy: &Policy, settings: &Settings, mut batch: Batch<'_>, sink: &mut dyn Sink) {
    let head = batch.stdin_head(settings);
    let jobs = match settings.jobs {
        _ if small::is_small(batch.inputs, head.as_ref(), settings) => 0,
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let summarize = sink.summaries_suffice();
    run(
        policy,
        settings,
        batch,
        head,
        jobs,
        summarize,
        &mut |checked| checked.hand_to(sink),
    );
}

/// Check one input on this thread and one worker, without rendering: for callers that check
/// inputs one by one (`diff`).
pub fn check_input(
    policy: &Policy,
    settings: &Settings,
    input: &Input,
    emit: &mut dyn FnMut(DealReport),
) {
    match input {
        Input::Missing(p, why) => {
            let path = p.display().to_string();
            emit(read::unreadable(&path, why).report(path))
        }
        Input::NoDeals(p) => {
            let path = p.display().to_string();
            emit(read::no_deals(&path).report(path))
        }
        Input::File(p) => emit(check_file(policy, settings, p)),
        Input::Batch(_) | Input::Stdin => {
            let batch = Batch::new(std::slice::from_ref(input));
            run(policy, settings, batch, None, 1, false, &mut |checked| {
                checked.hand_to(&mut |r, _: Option<&[u8]>| emit(r));
            });
        }
    }
}

/// Read the inputs on one thread, check chunks of deals on `jobs` others, and `write` each
/// checked chunk here, in input order (`jobs` 0: all of it here). `head`: standard input's
/// first bytes, if read ahead; `summarize`: hand on each deal's summary, not its report.
fn run(
    policy: &Policy,
    settings: &Settings,
    batch: Batch<'_>,
    head: Option<reader::StdinHead>,
    jobs: usize,
    summarize: bool,
    write: &mut dyn FnMut(Checked),
) {
    let Batch {
        inputs,
        stdin,
        render,
    } = batch;
    let work = Work {
        policy,
        settings,
        render,
        summarize,
    };
    let estimate = weight::Estimate::new(policy);
    let chunk_bytes = weight::IN_FLIGHT_BYTES / pipeline::in_flight(jobs);
    let weigh = |chunk: &Chunk| estimate.of_chunk(&chunk.deals);
    let budget = pipeline::Budget {
        bytes: weight::IN_FLIGHT_BYTES,
        weigh: &weigh,
    };
    pipeline::run_within(
        jobs,
        &budget,
        |feed: &mut pipeline::Feed<'_, Chunk>| {
            let queue = Queue::new(chunk_bytes, &estimate, settings.max_deals, feed);
            reader::read_inputs(inputs, stdin, head, settings, queue)
        },
        &pipeline::Workers {
            start: &WorkerPolicy::of_worker,
            work: &|own, chunk| {
                let policy = own.get(policy);
                check_chunk(Work { policy, ..work }, &estimate, chunk)
            },
        },
        write,
    );
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::Mutex;
    use std::thread::ThreadId;

    use super::Policy;

    /// For each chunk checked: the caller's policy, the policy it was checked with and the
    /// thread, as addresses (tests of several runs share the list).
    pub(crate) static POLICIES_CHECKED_WITH: Mutex<Vec<(usize, usize, ThreadId)>> =
        Mutex::new(Vec::new());

    pub(super) fn note_policy_checked_with(policy: &Policy, checking: &Policy) {
        let at = |p: &Policy| std::ptr::from_ref(p) as usize;
        let noted = (at(policy), at(checking), std::thread::current().id());
        if let Ok(mut all) = POLICIES_CHECKED_WITH.lock() {
            all.push(noted);
        }
    }
}
