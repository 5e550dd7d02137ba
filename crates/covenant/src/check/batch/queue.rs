//! The deals of a run as the reader hands them on: cut into chunks, each deal a
//! [`Pending`] (a file, a document read, a line of a JSON lines batch, or a report made
//! unread), and a chunk's lines held in one text.

use std::ops::Range;
use std::sync::Arc;

use super::read;
use super::weight;
use crate::deal::Format as DealFormat;
use crate::report::DealReport;

/// The deals a chunk is cut at in a short run: enough to make handing chunks between threads
/// cheap, small enough to keep every worker busy and memory small.
pub(super) const CHUNK: usize = 64;

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

/// A deal waiting to be checked.
pub(super) enum Pending {
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
    pub(super) fn text_len(&self) -> usize {
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
pub(super) fn line_path(name: &str, line: usize) -> String {
    let mut path = String::with_capacity(name.len() + 21);
    path.push_str(name);
    path.push(':');
    path.push_str(itoa::Buffer::new().format(line));
    path
}

/// Deals to check, in input order, and the text of those that are lines of JSON lines, one
/// after the other in one allocation (per chunk, not per deal).
pub(super) struct Chunk {
    pub(super) deals: Vec<Pending>,
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

    pub(super) fn lines(&self) -> ChunkLines<'_> {
        ChunkLines {
            text: &self.text,
            names: &self.names,
        }
    }
}

/// What a chunk's [`Pending::Line`]s read: the chunk's text and its batches' names.
#[derive(Clone, Copy)]
pub(super) struct ChunkLines<'c> {
    text: &'c str,
    names: &'c [Arc<str>],
}

impl<'c> ChunkLines<'c> {
    /// The name at `at`; `push_line` gives each line the place of a name it has just checked
    /// or pushed, so an empty name is never read (a fault here shows in the path, as `:17`).
    pub(super) fn name(self, at: usize) -> &'c str {
        debug_assert!(at < self.names.len(), "batch {at} of {}", self.names.len());
        self.names.get(at).map(|n| &**n).unwrap_or_default()
    }

    pub(super) fn text(self, at: Range<usize>) -> &'c str {
        self.text.get(at).unwrap_or_default()
    }
}

/// The deals of a run, in order, cut into chunks of at most [`chunk_deals`] deals and about
/// `chunk_bytes` (the text read, and what the checked deals are expected to weigh); deals
/// past the limit are reported unread.
pub(super) struct Queue<'e> {
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
    pub(super) fn new(
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

    pub(super) fn push(&mut self, p: Pending) {
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
    pub(super) fn push_line(&mut self, name: &Arc<str>, line: usize, text: &str) {
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

    pub(super) fn flush(&mut self) {
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
        let work = super::super::Work {
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
                    .map(|p| super::super::process(work, p, lines).path),
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
