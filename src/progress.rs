//! A progress line on stderr for large batches, only when stderr is a terminal.

use std::io::IsTerminal;
use std::ops::Range;

use covenant::check::Sink;
use covenant::report::{DealReport, DealSummary};

/// A sink that counts the deals checked on a progress line, handing each report on.
pub struct WithProgress<'a> {
    bar: Option<indicatif::ProgressBar>,
    sink: &'a mut dyn Sink,
}

impl<'a> WithProgress<'a> {
    pub fn new(sink: &'a mut dyn Sink) -> WithProgress<'a> {
        WithProgress {
            bar: std::io::stderr().is_terminal().then(bar),
            sink,
        }
    }

    /// Clear the progress line.
    pub fn finish(self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn bar() -> indicatif::ProgressBar {
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
    bar
}

impl Sink for WithProgress<'_> {
    fn report(&mut self, report: DealReport, rendered: Option<&[u8]>) {
        self.sink.report(report, rendered);
    }

    fn summaries_suffice(&self) -> bool {
        self.sink.summaries_suffice()
    }

    fn summary(&mut self, summary: DealSummary, rendered: Option<&[u8]>) {
        self.sink.summary(summary, rendered);
    }

    fn summaries(&mut self, text: &[u8], deals: &[(DealSummary, Option<Range<usize>>)]) {
        self.sink.summaries(text, deals);
    }

    fn progress(&mut self, deals: usize) {
        if let Some(bar) = &self.bar {
            bar.inc(deals as u64);
        }
        self.sink.progress(deals);
    }
}
