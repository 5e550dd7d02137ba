//! The whole report of a `check` run, in any format, written as the deals come: each deal's
//! part rendered on the worker thread that checked it ([`DealRenderer`]), then put in place
//! in input order ([`RunReport::add`]) between the format's head and tail. `covenant check`
//! writes it to standard output; `covenant serve` answers it to `POST /v1/check`, so both give
//! the same bytes for the same deals.

use std::io::{self, Write};

use miette::GraphicalReportHandler;

use crate::resolve::Policy;

use super::audit::Audit;
use super::stream::{self, Streamed};
use super::{human, json, DealReport, Summary};

/// A report format of `covenant check --format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Human,
    Json,
    Jsonl,
    Sarif,
    Junit,
    Markdown,
}

impl Format {
    /// The streamed kind of the format, when its head counts the whole run.
    fn streamed(self) -> Option<stream::Kind> {
        match self {
            Format::Sarif => Some(stream::Kind::Sarif),
            Format::Junit => Some(stream::Kind::Junit),
            Format::Markdown => Some(stream::Kind::Markdown),
            Format::Human | Format::Json | Format::Jsonl => None,
        }
    }
}

/// Renders one deal's part of a report. `Sync`: worker threads share it.
pub struct DealRenderer {
    format: Format,
    /// The human format's diagnostic renderer.
    handler: GraphicalReportHandler,
    /// The JSON-lines format's `run` member, the same on every line.
    run: Vec<u8>,
}

impl DealRenderer {
    /// A renderer of `format` for a run of `policy` described by `audit`; `color` is for the
    /// human format only.
    pub fn new(format: Format, color: bool, policy: &Policy, audit: &Audit) -> DealRenderer {
        let run = match format {
            Format::Jsonl => audit.run_object(policy),
            _ => Vec::new(),
        };
        DealRenderer {
            format,
            handler: human::handler(color),
            run,
        }
    }

    /// Render `d`'s part at the end of `buf`. Always `true`: every format renders each deal
    /// (the signature is the one the engine's batches take, `check::Render`).
    pub fn render(&self, policy: &Policy, d: &DealReport, buf: &mut Vec<u8>) -> bool {
        match self.format {
            Format::Human => {
                buf.extend_from_slice(human::deal(policy, d, &self.handler).as_bytes());
            }
            Format::Jsonl => {
                json::write_report_line(buf, policy, d, &self.run);
                buf.push(b'\n');
            }
            Format::Json => json::write_report_deal(buf, policy, d),
            Format::Sarif | Format::Junit | Format::Markdown => {
                if let Some(kind) = self.format.streamed() {
                    stream::render(kind, policy, d, buf);
                }
            }
        }
        true
    }
}

/// A run's report being written to `out`: the head (at once), each deal's part in input
/// order, then the tail ([`RunReport::finish`]). The streamed formats (SARIF, JUnit,
/// Markdown) hold the parts until the end, as their heads count the whole run.
pub struct RunReport<'w> {
    format: Format,
    audit: Audit,
    stream: Option<Streamed>,
    summary: Summary,
    /// Deals written so far (the JSON report separates them).
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
        if format == Format::Json {
            let mut head = Vec::new();
            json::report_head(&mut head, policy, &audit);
            let _ = out.write_all(&head);
        }
        RunReport {
            format,
            audit,
            stream: format.streamed().map(Streamed::new),
            summary: Summary::default(),
            shown: 0,
            out,
        }
    }

    /// The next deal, with the part [`DealRenderer::render`] gave it.
    pub fn add(&mut self, policy: &Policy, d: &DealReport, rendered: &[u8]) {
        self.summary.add(d.verdict);
        if let Some(stream) = &mut self.stream {
            stream.add(policy, d, rendered);
            return;
        }
        if self.format == Format::Json {
            let _ = self.out.write_all(json::deal_separator(self.shown == 0));
        }
        let _ = self.out.write_all(rendered);
        self.shown += 1;
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
            audit,
            stream,
            summary,
            shown,
            out,
        } = self;
        match format {
            Format::Human => {
                let _ = out.write_all(human::summary(&summary).as_bytes());
            }
            Format::Json => {
                let mut tail = Vec::new();
                json::report_tail(&mut tail, shown, &summary);
                tail.push(b'\n');
                let _ = out.write_all(&tail);
            }
            Format::Sarif | Format::Junit | Format::Markdown | Format::Jsonl => {}
        }
        if let Some(stream) = stream {
            stream.finish(policy, &audit, &summary, out)?;
        }
        Ok(summary)
    }
}
