//! The weight of checked deals in memory, so that the pipeline bounds the bytes in flight as
//! well as the deals: a chunk holds fewer deals when each deal's report is large (a policy of
//! 12,000 rules gives every deal 12,000 results).

use std::mem::size_of;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::eval::outcome::RuleResult;
use crate::report::{DealProblem, DealReport};
use crate::resolve::Policy;

/// The most bytes of checked reports and their renderings in flight at once, over every
/// chunk being read ahead, checked or waiting to be written.
pub const IN_FLIGHT_BYTES: usize = 16 << 20;

/// What one deal's report (or summary) and rendering are expected to weigh: at least what
/// the policy's rules make of a report, else what the last chunk checked weighed per deal.
#[derive(Debug)]
pub struct Estimate {
    floor: usize,
    per_deal: AtomicUsize,
    /// The bytes one deal rendered to, on average, in the last chunk checked.
    text_per_deal: AtomicUsize,
}

impl Estimate {
    pub fn new(policy: &Policy) -> Estimate {
        let floor = size_of::<DealReport>() + policy.rules.len() * (size_of::<RuleResult>() + 64);
        Estimate {
            floor,
            per_deal: AtomicUsize::new(floor),
            text_per_deal: AtomicUsize::new(0),
        }
    }

    /// The room to make for the rendering of `deals` deals: a quarter more than the last
    /// chunk rendered, so that a chunk's text is seldom moved as it grows, and at least
    /// `least` a deal.
    pub fn text_room(&self, deals: usize, least: usize) -> usize {
        let seen = self.text_per_deal.load(Ordering::Relaxed);
        deals.saturating_mul(least.max(seen.saturating_add(seen / 4)))
    }

    pub fn per_deal(&self) -> usize {
        self.per_deal.load(Ordering::Relaxed)
    }

    /// What a chunk of deals is expected to weigh once checked: its text, and each deal's
    /// report and rendering.
    pub fn of_chunk(&self, chunk: &[super::Pending]) -> usize {
        let text: usize = chunk.iter().map(super::Pending::text_len).sum();
        text + chunk.len() * self.per_deal()
    }

    /// Learn from a chunk of `deals` deals that weighed `bytes`, `text` of it rendered.
    pub fn observe(&self, bytes: usize, text: usize, deals: usize) {
        if let Some(each) = bytes.checked_div(deals) {
            self.per_deal.store(each.max(self.floor), Ordering::Relaxed);
        }
        if let Some(each) = text.checked_div(deals) {
            self.text_per_deal.store(each, Ordering::Relaxed);
        }
    }
}

fn len(s: &Option<String>) -> usize {
    s.as_ref().map_or(0, String::len)
}

fn problem(p: &DealProblem) -> usize {
    // A rendered diagnostic keeps the deal's source alive; the source is counted once below.
    size_of::<DealProblem>() + p.code.len() + p.message.len() + len(&p.help)
}

/// About the bytes a report holds: its results, problems and, for the human report, the
/// loaded deal (its text and the tree built from it, a few times the text).
pub fn of(report: &DealReport) -> usize {
    size_of::<DealReport>()
        + report.path.len()
        + report.results.iter().map(RuleResult::weight).sum::<usize>()
        + report.problems.iter().map(problem).sum::<usize>()
        + report.deal.as_ref().map_or(0, |d| 4 * d.source.text.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_room_follows_what_the_last_chunk_rendered() {
        let estimate = Estimate {
            floor: 0,
            per_deal: AtomicUsize::new(0),
            text_per_deal: AtomicUsize::new(0),
        };
        assert_eq!(estimate.text_room(64, 2048), 64 * 2048);
        estimate.observe(0, 64 * 3000, 64);
        assert_eq!(estimate.text_room(64, 2048), 64 * 3750);
        estimate.observe(0, 64 * 100, 64);
        assert_eq!(estimate.text_room(10, 2048), 10 * 2048);
        estimate.observe(0, 0, 0);
        assert_eq!(estimate.text_room(usize::MAX, 2048), usize::MAX);
    }
}
