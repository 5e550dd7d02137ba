//! The whole report of a `check` run, in any format, written as the deals come: each deal's
//! part rendered on the worker thread that checked it ([`DealRenderer`]), then put in place
//! in input order ([`RunReport::add`]) between the format's head and tail. `covenant check`
//! writes it to standard output; `covenant serve` answers it to `POST /v1/check`, so both give
//! the same bytes for the same deals.

use std::borrow::Cow;
use std::io::{self, Write};
use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use miette::GraphicalReportHandler;

use crate::resolve::Policy;

use super::audit::Audit;
use super::stream::{self, Caps, Streamed};
use super::{github, human, json, junit, DealReport, DealSummary, Options, Summary};

/// A report format of `covenant check --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Sarif,
    Junit,
    Markdown,
    /// GitHub Actions workflow commands (annotations).
    Github,
}

impl Format {
    /// The streamed kind of the format, when its head counts the whole run.
    fn streamed(self) -> Option<stream::Kind> {
        match self {
            Format::Sarif => Some(stream::Kind::Sarif),
            Format::Markdown => Some(stream::Kind::Markdown),
            Format::Human | Format::Json | Format::Jsonl | Format::Junit | Format::Github => None,
        }
    }
}

/// Renders one deal's part of a report. `Sync`: worker threads share it.
pub struct DealRenderer {
    format: Format,
    /// The human format's diagnostic renderer.
    handler: GraphicalReportHandler,
    /// The human format's colours: its verdicts and findings' labels.
    style: super::style::Style,
    options: Options,
    /// JUnit's `timestamp`: the evaluation date at midnight.
    timestamp: String,
    /// Set when the SARIF log is full ([`RunReport::full`]): a deal's results are not rendered.
    full: Option<Arc<AtomicBool>>,
    /// The JSON-lines format's `run` member, the same on every line.
    run: Vec<u8>,
    /// The JSON and JSON-lines formats: the rule results whose JSON is the same on every deal.
    prerendered: Option<json::Prerendered>,
}

impl DealRenderer {
    /// A renderer of `format` for a run of `policy` described by `audit`; `color` is for the
    /// human format only. The evaluation date (JUnit's `timestamp`) is today's, unless
    /// [`DealRenderer::as_of`] says otherwise.
    pub fn new(format: Format, color: bool, policy: &Policy, audit: &Audit) -> DealRenderer {
        DealRenderer::with_options(format, color, policy, audit, Options::default())
    }

    /// [`DealRenderer::new`], showing what `options` say.
    pub fn with_options(
        format: Format,
        color: bool,
        policy: &Policy,
        audit: &Audit,
        options: Options,
    ) -> DealRenderer {
        let run = match format {
            Format::Jsonl => audit.run_object(policy),
            _ => Vec::new(),
        };
        let prerendered = match format {
            Format::Jsonl => Some(json::Prerendered::new(policy, false)),
            Format::Json => Some(json::Prerendered::new(policy, true)),
            _ => None,
        };
        DealRenderer {
            prerendered,
            format,
            handler: human::handler(color),
            style: super::style::Style { color },
            options,
            // Today's date needs the system's time zone, which jiff finds by reading the time
            // zone database (a walk of /usr/share/zoneinfo: about 1 ms of a 7 ms one-deal run),
            // so only JUnit, the one format that shows it, asks.
            timestamp: match format {
                Format::Junit => junit::timestamp(jiff::ZonedDateTime::now().date()),
                _ => String::new(),
            },
            full: None,
            run,
        }
    }

    /// The renderer of a report whose SARIF log may fill up: once `full` is set, the results
    /// of a deal are not rendered (they would not be listed).
    pub fn skipping_when(mut self, full: Option<Arc<AtomicBool>>) -> DealRenderer {
        self.full = full;
        self
    }

    /// The renderer of a run evaluated as of `date` (`--as-of`); today when None.
    pub fn as_of(mut self, date: Option<jiff::civil::Date>) -> DealRenderer {
        if let Some(date) = date {
            self.timestamp = junit::timestamp(date);
        }
        self
    }

    /// Render `d`'s part at the end of `buf` (nothing for a deal the report leaves out, or for
    /// any deal of a `--quiet` human report). Always `true` (the signature is the one the
    /// engine's batches take, `check::Render`).
    pub fn render(&self, policy: &Policy, d: &DealReport, buf: &mut Vec<u8>) -> bool {
        let quiet = self.options.quiet && self.format == Format::Human;
        if quiet || !shows(&self.options, d.summary()) {
            return true;
        }
        match self.format {
            Format::Human => {
                let text = human::deal(policy, d, &self.handler, self.style, &self.options);
                buf.extend_from_slice(text.as_bytes());
            }
            Format::Jsonl => {
                let pre = self.prerendered.as_ref();
                json::write_report_line_with(buf, policy, d, &self.run, pre);
                buf.push(b'\n');
            }
            Format::Json => json::write_report_deal_with(buf, policy, d, self.prerendered.as_ref()),
            Format::Github => {
                let mut text = String::new();
                github::deal(policy, d, &mut text);
                buf.extend_from_slice(text.as_bytes());
            }
            Format::Junit => {
                let mut text = String::new();
                junit::testsuite_with(policy, d, &self.options, &self.timestamp, &mut text);
                buf.extend_from_slice(text.as_bytes());
            }
            Format::Sarif
                if self
                    .full
                    .as_ref()
                    .is_some_and(|f| f.load(Ordering::Relaxed)) => {}
            Format::Sarif | Format::Markdown => {
                if let Some(kind) = self.format.streamed() {
                    stream::render(kind, policy, d, buf);
                }
            }
        }
        true
    }
}

/// Whether a report with these options shows the deal: every deal, or under
/// `--failures-only` those that fail the run.
fn shows(options: &Options, d: DealSummary) -> bool {
    !options.failures_only || d.fails(options)
}

/// A run's report being written to `out`: the head (at once), each deal's part in input
/// order, then the tail ([`RunReport::finish`]). The streamed formats (SARIF, Markdown) hold
/// the parts until the end, as their heads count the whole run.
pub struct RunReport<'w> {
    format: Format,
    options: Options,
    audit: Audit,
    stream: Option<Streamed>,
    summary: Summary,
    /// Deals written so far (the JSON report separates them, JUnit numbers its suites).
    shown: usize,
    out: &'w mut dyn Write,
}

impl<'w> RunReport<'w> {
    /// Start the report: the JSON report's head is written now. Writing errors are the
    /// writer's to keep (the command line's standard output records them).
    pub fn start(
        format: Format,
        policy: &Policy,
        audit: Audit,
        out: &'w mut dyn Write,
    ) -> RunReport<'w> {
        RunReport::start_with(format, Options::default(), policy, audit, out)
    }

    /// [`RunReport::start`], showing what `options` say.
    pub fn start_with(
        format: Format,
        options: Options,
        policy: &Policy,
        audit: Audit,
        out: &'w mut dyn Write,
    ) -> RunReport<'w> {
        if format == Format::Json {
            let mut head = Vec::new();
            json::report_head(&mut head, policy, &audit);
            let _ = out.write_all(&head);
        }
        if format == Format::Junit {
            let _ = out.write_all(junit::HEAD.as_bytes());
        }
        RunReport {
            format,
            options,
            audit,
            stream: format.streamed().map(Streamed::new),
            summary: Summary::default(),
            shown: 0,
            out,
        }
    }

    /// The report within `caps` (the SARIF and Markdown reports; everything, by default).
    pub fn within(mut self, caps: Caps) -> RunReport<'w> {
        self.stream = self.stream.take().map(|s| s.within(caps));
        self
    }

    /// Set once the SARIF log is full, for [`DealRenderer::skipping_when`] (None for the other
    /// formats).
    pub fn full(&self) -> Option<Arc<AtomicBool>> {
        match self.format {
            Format::Sarif => self.stream.as_ref().map(Streamed::full),
            _ => None,
        }
    }

    /// Whether [`RunReport::add`] needs each deal's whole report: the streamed formats (SARIF,
    /// Markdown) render part of it here. The others write what [`DealRenderer::render`] gave
    /// and need only the deal's summary ([`RunReport::add_summary`]).
    pub fn needs_reports(&self) -> bool {
        self.stream.is_some()
    }

    /// The next deal, with the part [`DealRenderer::render`] gave it.
    pub fn add(&mut self, policy: &Policy, d: &DealReport, rendered: &[u8]) {
        let summary = d.summary();
        if let Some(stream) = &mut self.stream {
            self.summary.add_summary(summary);
            if shows(&self.options, summary) {
                stream.add(policy, d, rendered);
            }
            return;
        }
        self.add_summary(summary, rendered);
    }

    /// The next deal, by its summary, with the part [`DealRenderer::render`] gave it: what a
    /// format that does not need the whole report takes ([`RunReport::needs_reports`]). A
    /// streamed format, which does, only counts it (its part is left out).
    pub fn add_summary(&mut self, d: DealSummary, rendered: &[u8]) {
        self.add_summaries(rendered, &[(d, Some(0..rendered.len()))]);
    }

    /// [`RunReport::add_summary`] for each deal of a chunk, in order: `deals` gives each one's
    /// summary and the place of its part in `text`, where the parts follow each other (a
    /// place that is not in `text` is no part, as `add_summary` of nothing). The parts of deals
    /// shown one after the other are written in one call: a run at least as long as the
    /// writer's buffer (a chunk's parts, hundreds of KB) then goes past it instead of being
    /// copied into it: 6% of a batch's CPU time on 2 cores (BENCHMARKS.md, thirteenth session).
    pub fn add_summaries(&mut self, text: &[u8], deals: &[(DealSummary, Option<Range<usize>>)]) {
        let mut run = 0..0;
        for (d, part) in deals {
            if !self.count(*d) {
                continue;
            }
            let part = part
                .clone()
                .filter(|p| text.get(p.clone()).is_some())
                .unwrap_or(run.end..run.end);
            let before = self.before_deal();
            if part.start != run.end || before.is_some() {
                self.write_part(text, run);
                if let Some(before) = before {
                    let _ = self.out.write_all(&before);
                }
                run = part.start..part.start;
            }
            run.end = part.end;
            self.shown += 1;
        }
        self.write_part(text, run);
    }

    /// Count `d`; whether it is shown (the streamed formats need whole reports: none is).
    fn count(&mut self, d: DealSummary) -> bool {
        self.summary.add_summary(d);
        debug_assert!(
            self.stream.is_none(),
            "the streamed formats need whole reports"
        );
        shows(&self.options, d) && self.stream.is_none()
    }

    /// What the format writes before the next deal's part, if anything: the JSON report's
    /// separator, JUnit's opening.
    fn before_deal(&self) -> Option<Cow<'static, [u8]>> {
        match self.format {
            Format::Json => Some(Cow::Borrowed(json::deal_separator(self.shown == 0))),
            Format::Junit => Some(Cow::Owned(junit::open(self.shown).into_bytes())),
            _ => None,
        }
    }

    fn write_part(&mut self, text: &[u8], part: Range<usize>) {
        if !part.is_empty() {
            let _ = self.out.write_all(text.get(part).unwrap_or_default());
        }
    }

    /// The verdicts counted so far.
    pub fn summary(&self) -> &Summary {
        &self.summary
    }

    /// Write the end of the report (the streamed formats: the whole report); the run's
    /// verdict counts. An error: the streamed report could not be written in full.
    pub fn finish(self, policy: &Policy) -> io::Result<Summary> {
        let RunReport {
            format,
            options,
            audit,
            stream,
            summary,
            shown,
            out,
        } = self;
        match format {
            Format::Human => {
                let _ = out.write_all(human::summary(&summary, &options).as_bytes());
            }
            Format::Json => {
                let mut tail = Vec::new();
                json::report_tail(&mut tail, shown, &summary);
                tail.push(b'\n');
                let _ = out.write_all(&tail);
            }
            Format::Github => {
                let _ = out.write_all(github::summary(&summary).as_bytes());
            }
            Format::Junit => {
                let _ = out.write_all(junit::TAIL.as_bytes());
            }
            Format::Sarif | Format::Markdown | Format::Jsonl => {}
        }
        if let Some(stream) = stream {
            stream.finish(policy, &audit, &summary, out)?;
        }
        Ok(summary)
    }
}
