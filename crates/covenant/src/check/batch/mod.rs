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
mod reader;
mod small;
mod weight;

pub use weight::IN_FLIGHT_BYTES;

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

/// The deals a chunk is cut at in a short run: enough to make handing chunks between threads
/// cheap, small enough to keep every worker busy and memory small.
const CHUNK: usize = 64;

/// The deals a chunk is cut at when it starts after `seen` deals: 64 for a run's first 1,024
/// deals (16 chunks), then 128. Each chunk costs a hand-over between threads (a sleeping
/// thread woken: microseconds on a virtual machine), and a run ends when its last chunk is
/// done, perhaps with the other workers idle: more deals per chunk save hand-overs in a long
/// run, fewer keep a short run's end short. 256 saved little more for up to twice the memory;
/// chunks grown a deal at a time kept touching fresh memory (BENCHMARKS.md, "eleventh
/// session").
fn chunk_deals(seen: u64) -> usize {
    match seen {
        0..1_024 => CHUNK,
        _ => 2 * CHUNK,
    }
}

/// The least room made for each deal's rendering (more once a chunk has shown what deals
/// render to: [`weight::Estimate::text_room`]).
const TEXT_PER_DEAL: usize = 2048;

/// A deal waiting to be checked.
enum Pending {
    File(std::path::PathBuf),
    Text {
        path: String,
        first_line: usize,
        /// Shared as it is, into the deal's source file: never copied again.
        text: Arc<str>,
        format: DealFormat,
    },
    /// Line `line` of a JSON lines batch (a `.jsonl` file, or standard input): one JSON deal,
    /// its text at `text` in its chunk's text ([`Chunk::text`]), its batch's name at `batch` in
    /// the chunk's names ([`Chunk::names`]). Only [`Queue::push_line`] makes one. Its path and
    /// its own text are made on the worker that checks it, so all the deal's memory is
    /// allocated and freed there.
    Line {
        batch: usize,
        line: usize,
        text: Range<usize>,
    },
    Done(DealReport),
}

impl Pending {
    /// The bytes of deal text it holds.
    fn text_len(&self) -> usize {
        match self {
            Pending::Text { text, .. } => text.len(),
            Pending::Line { text, .. } => text.len(),
            Pending::File(_) | Pending::Done(_) => 0,
        }
    }

    /// Its path; `lines`: its chunk's lines, where a [`Pending::Line`] finds its batch's name.
    fn path(&self, lines: ChunkLines<'_>) -> String {
        match self {
            Pending::File(p) => p.display().to_string(),
            Pending::Text { path, .. } => path.clone(),
            Pending::Line { batch, line, .. } => line_path(lines.name(*batch), *line),
            Pending::Done(r) => r.path.clone(),
        }
    }
}

/// The path of line `line` of the JSON lines `name` (`batch.jsonl:17`), made in one allocation.
fn line_path(name: &str, line: usize) -> String {
    let mut path = String::with_capacity(name.len() + 21);
    path.push_str(name);
    path.push(':');
    path.push_str(itoa::Buffer::new().format(line));
    path
}

/// Deals to check, in input order, and the text of those that are lines of JSON lines, one
/// after the other in one allocation (per chunk, not per deal).
struct Chunk {
    deals: Vec<Pending>,
    text: String,
    /// The names of the batches its lines are from, one entry for each run of lines from one
    /// batch, which each line names by its place here: no reference count that the reader and
    /// the workers share changes for every line (BENCHMARKS.md, "Issue 18: thirty-second
    /// session").
    names: Vec<Arc<str>>,
}

impl Chunk {
    fn with_capacity(deals: usize, text: usize) -> Chunk {
        Chunk {
            deals: Vec::with_capacity(deals),
            text: String::with_capacity(text),
            names: Vec::new(),
        }
    }

    fn lines(&self) -> ChunkLines<'_> {
        ChunkLines {
            text: &self.text,
            names: &self.names,
        }
    }
}

/// What a chunk's [`Pending::Line`]s read: the chunk's text and its batches' names.
#[derive(Clone, Copy)]
struct ChunkLines<'c> {
    text: &'c str,
    names: &'c [Arc<str>],
}

impl<'c> ChunkLines<'c> {
    /// The name at `at`; `push_line` gives each line the place of a name it has just checked
    /// or pushed, so an empty name is never read (a fault here shows in the path, as `:17`).
    fn name(self, at: usize) -> &'c str {
        debug_assert!(at < self.names.len(), "batch {at} of {}", self.names.len());
        self.names.get(at).map(|n| &**n).unwrap_or_default()
    }

    fn text(self, at: Range<usize>) -> &'c str {
        self.text.get(at).unwrap_or_default()
    }
}

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

/// The deals of a run, in order, cut into chunks of at most [`chunk_deals`] deals and about
/// `chunk_bytes` (the text read, and what the checked deals are expected to weigh); deals
/// past the limit are reported unread.
struct Queue<'e> {
    chunk: Chunk,
    /// The bytes of deal text in `chunk`.
    text: usize,
    chunk_bytes: usize,
    /// The deals `chunk` is cut at ([`chunk_deals`] when it started).
    limit: usize,
    estimate: &'e weight::Estimate,
    seen: u64,
    max: Option<u64>,
    flush: &'e mut dyn FnMut(Chunk),
}

impl<'e> Queue<'e> {
    /// An empty queue, before the run's first deal.
    fn new(
        chunk_bytes: usize,
        estimate: &'e weight::Estimate,
        max: Option<u64>,
        flush: &'e mut dyn FnMut(Chunk),
    ) -> Queue<'e> {
        let limit = chunk_deals(0);
        Queue {
            chunk: Chunk::with_capacity(limit, 0),
            text: 0,
            chunk_bytes,
            limit,
            estimate,
            seen: 0,
            max,
            flush,
        }
    }

    fn push(&mut self, p: Pending) {
        self.seen += 1;
        let p = match (self.max, &p) {
            (Some(max), Pending::File(_) | Pending::Text { .. }) if self.seen > max => {
                Pending::Done(read::too_many_deals(max).report(p.path(self.chunk.lines())))
            }
            _ => p,
        };
        self.add(p);
    }

    /// Line `line` of the JSON lines `name`, one deal: its text goes into the chunk's.
    fn push_line(&mut self, name: &Arc<str>, line: usize, text: &str) {
        self.seen += 1;
        let p = match self.max {
            Some(max) if self.seen > max => {
                Pending::Done(read::too_many_deals(max).report(line_path(name, line)))
            }
            _ => {
                let start = self.chunk.text.len();
                self.chunk.text.push_str(text);
                let names = &mut self.chunk.names;
                if !names.last().is_some_and(|last| Arc::ptr_eq(last, name)) {
                    names.push(Arc::clone(name));
                }
                Pending::Line {
                    batch: names.len() - 1,
                    line,
                    text: start..self.chunk.text.len(),
                }
            }
        };
        self.add(p);
    }

    fn add(&mut self, p: Pending) {
        self.text += p.text_len();
        self.chunk.deals.push(p);
        let expected = self.text + self.chunk.deals.len() * self.estimate.per_deal();
        if self.chunk.deals.len() >= self.limit || expected >= self.chunk_bytes {
            self.flush();
        }
    }

    fn flush(&mut self) {
        if !self.chunk.deals.is_empty() {
            // The next chunk's text: about as long as this one's.
            let room = self.chunk.text.len() + self.chunk.text.len() / 4;
            self.limit = chunk_deals(self.seen);
            let next = Chunk::with_capacity(self.limit, room);
            let chunk = std::mem::replace(&mut self.chunk, next);
            self.text = 0;
            (self.flush)(chunk);
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
        &|chunk| check_chunk(work, &estimate, chunk),
        write,
    );
}

#[cfg(test)]
mod tests {
    /// Chunks of 64 deals for a run's first 1,024 deals, then of 128.
    #[test]
    fn chunks_grow_once_a_run_is_long() {
        let cut = super::chunk_deals;
        assert_eq!(cut(0), 64);
        assert_eq!(cut(1_023), 64);
        assert_eq!(cut(1_024), 128);
        assert_eq!(cut(u64::MAX), 128);
    }

    /// A one-rule policy, for the tests that cut lines into chunks.
    fn seats_policy() -> crate::resolve::Policy {
        let Ok(crate::resolve::Compiled { policy, .. }) =
            crate::resolve::compile_str("p.policy", "rule seats: board seats >= 3\n")
        else {
            panic!("the test policy does not compile");
        };
        policy
    }

    /// Lines of several batches, interleaved and cut across two chunks, are each checked under
    /// their own batch's path (as a worker checks them, and past `--max-deals`), and a chunk
    /// keeps a batch's name once for each run of its lines.
    #[test]
    fn lines_of_several_batches_keep_their_names_across_chunks() {
        use std::sync::Arc;
        let policy = seats_policy();
        let estimate = super::weight::Estimate::new(&policy);
        let mut chunks = Vec::new();
        let mut flush = |chunk: super::Chunk| chunks.push(chunk);
        let mut queue = super::Queue::new(usize::MAX, &estimate, Some(72), &mut flush);
        let (a, b): (Arc<str>, Arc<str>) = ("a.jsonl".into(), "b.jsonl".into());
        let mut pushed: Vec<(&Arc<str>, usize)> = (1..=70).map(|line| (&a, line)).collect();
        pushed.extend([(&b, 1), (&a, 71), (&b, 2)]);
        for &(name, line) in &pushed {
            queue.push_line(name, line, "{}");
        }
        queue.flush();
        let names: Vec<Vec<&str>> = chunks
            .iter()
            .map(|c| c.names.iter().map(|n| &**n).collect())
            .collect();
        assert_eq!(
            names,
            [vec!["a.jsonl"], vec!["a.jsonl", "b.jsonl", "a.jsonl"]]
        );
        let settings = crate::check::Settings::default();
        let work = super::Work {
            policy: &policy,
            settings: &settings,
            render: &|_, _| false,
            summarize: false,
        };
        let mut paths = Vec::new();
        for mut chunk in chunks {
            let deals = std::mem::take(&mut chunk.deals);
            let lines = chunk.lines();
            paths.extend(
                deals
                    .into_iter()
                    .map(|p| super::process(work, p, lines).path),
            );
        }
        let expected: Vec<String> = pushed
            .iter()
            .map(|(name, line)| format!("{name}:{line}"))
            .collect();
        assert_eq!(paths, expected);
    }

    /// The queue cuts a long run's lines into 16 chunks of 64 deals, then chunks of 128, each
    /// line once and in order; a run of 1,024 deals or fewer as before.
    #[test]
    fn a_long_run_is_cut_into_16_chunks_of_64_then_chunks_of_128() {
        let policy = seats_policy();
        let estimate = super::weight::Estimate::new(&policy);
        let cut = |deals: usize| {
            let mut sizes = Vec::new();
            let mut lines = Vec::new();
            let mut flush = |chunk: super::Chunk| {
                sizes.push(chunk.deals.len());
                for p in &chunk.deals {
                    if let super::Pending::Line { line, text, .. } = p {
                        lines.push((*line, chunk.text.get(text.clone()).map(str::to_owned)));
                    }
                }
            };
            let mut queue = super::Queue::new(usize::MAX, &estimate, None, &mut flush);
            let name: std::sync::Arc<str> = "b.jsonl".into();
            for line in 1..=deals {
                queue.push_line(&name, line, &format!("{{\"n\":{line}}}"));
            }
            queue.flush();
            let expected: Vec<_> = (1..=deals)
                .map(|l| (l, Some(format!("{{\"n\":{l}}}"))))
                .collect();
            assert_eq!(lines, expected, "{deals} deals");
            sizes
        };
        assert_eq!(cut(1_000), [vec![64; 15], vec![40]].concat());
        assert_eq!(cut(1_024), vec![64; 16]);
        assert_eq!(cut(1_025), [vec![64; 16], vec![1]].concat());
        assert_eq!(cut(1_500), [vec![64; 16], vec![128; 3], vec![92]].concat());
    }

    /// A batch line's path is its file's name, a colon and the line's number, as `format!`
    /// writes it.
    #[test]
    fn a_line_path_is_the_name_a_colon_and_the_number() {
        for (name, line) in [
            ("batch.jsonl", 17),
            ("-", 1),
            ("a:b.jsonl", 0),
            ("x", usize::MAX),
        ] {
            assert_eq!(super::line_path(name, line), format!("{name}:{line}"));
        }
    }
}
