//! `GET /metrics`: the server's counters in the Prometheus text format (version 0.0.4):
//! requests by route and status, their latency, the verdicts logged, decision-log failures
//! and policy reloads.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

/// The upper bounds of the latency histogram's buckets, in seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// The verdicts counted, in the order shown.
const VERDICTS: [&str; 4] = ["compliant", "non-compliant", "incomplete", "invalid"];

#[derive(Default)]
struct Latency {
    /// Requests at or under each bound of [`BUCKETS`] (not cumulative; summed when shown).
    buckets: [u64; BUCKETS.len()],
    count: u64,
    /// Total seconds, in microseconds (whole numbers add up exactly).
    sum_micros: u64,
}

/// The counters. Shared by every request.
#[derive(Default)]
pub struct Metrics {
    /// Requests by (route, status).
    requests: Mutex<BTreeMap<(String, u16), u64>>,
    latency: Mutex<BTreeMap<String, Latency>>,
    verdicts: [AtomicU64; VERDICTS.len()],
    log_failures: AtomicU64,
    reloads_ok: AtomicU64,
    reloads_failed: AtomicU64,
}

impl Metrics {
    /// A request answered: its route (the matched pattern, such as `/v1/decisions/{id}`,
    /// never the raw path), status and duration.
    pub fn request(&self, route: &str, status: u16, took: Duration) {
        if let Ok(mut requests) = self.requests.lock() {
            *requests.entry((route.to_string(), status)).or_default() += 1;
        }
        if let Ok(mut latency) = self.latency.lock() {
            let l = latency.entry(route.to_string()).or_default();
            let seconds = took.as_secs_f64();
            if let Some(i) = BUCKETS.iter().position(|b| seconds <= *b) {
                if let Some(bucket) = l.buckets.get_mut(i) {
                    *bucket += 1;
                }
            }
            l.count += 1;
            l.sum_micros += u64::try_from(took.as_micros()).unwrap_or(u64::MAX);
        }
    }

    /// A decision committed to the log with this verdict.
    pub fn verdict(&self, verdict: &str) {
        if let Some(i) = VERDICTS.iter().position(|v| *v == verdict) {
            if let Some(counter) = self.verdicts.get(i) {
                counter.fetch_add(1, Ordering::Relaxed);
            }
        }
    }

    pub fn log_failure(&self) {
        self.log_failures.fetch_add(1, Ordering::Relaxed);
    }

    pub fn reload(&self, ok: bool) {
        let counter = if ok {
            &self.reloads_ok
        } else {
            &self.reloads_failed
        };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text of every counter.
    pub fn render(&self) -> String {
        let mut out = String::new();
        self.render_requests(&mut out);
        self.render_latency(&mut out);
        out.push_str(
            "# HELP covenant_decisions_total Decisions committed to the log, by verdict.\n",
        );
        out.push_str("# TYPE covenant_decisions_total counter\n");
        for (verdict, counter) in VERDICTS.iter().zip(&self.verdicts) {
            let n = counter.load(Ordering::Relaxed);
            let _ = writeln!(out, "covenant_decisions_total{{verdict=\"{verdict}\"}} {n}");
        }
        counter(
            &mut out,
            "covenant_decision_log_append_failures_total",
            "Checks answered 503 because the decision log could not record them.",
            self.log_failures.load(Ordering::Relaxed),
        );
        out.push_str("# HELP covenant_policy_reloads_total Policy reloads, by result.\n");
        out.push_str("# TYPE covenant_policy_reloads_total counter\n");
        for (result, n) in [("ok", &self.reloads_ok), ("failed", &self.reloads_failed)] {
            let n = n.load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "covenant_policy_reloads_total{{result=\"{result}\"}} {n}"
            );
        }
        out
    }

    fn render_requests(&self, out: &mut String) {
        out.push_str(
            "# HELP covenant_http_requests_total HTTP requests answered, by route and status.\n",
        );
        out.push_str("# TYPE covenant_http_requests_total counter\n");
        let Ok(requests) = self.requests.lock() else {
            return;
        };
        for ((route, status), n) in requests.iter() {
            let _ = writeln!(
                out,
                "covenant_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}"
            );
        }
    }

    fn render_latency(&self, out: &mut String) {
        let name = "covenant_http_request_duration_seconds";
        let _ = writeln!(
            out,
            "# HELP {name} Time to answer an HTTP request, by route."
        );
        let _ = writeln!(out, "# TYPE {name} histogram");
        let Ok(latency) = self.latency.lock() else {
            return;
        };
        for (route, l) in latency.iter() {
            let mut cumulative = 0;
            for (bound, n) in BUCKETS.iter().zip(&l.buckets) {
                cumulative += n;
                let _ = writeln!(
                    out,
                    "{name}_bucket{{route=\"{route}\",le=\"{bound}\"}} {cumulative}"
                );
            }
            let _ = writeln!(
                out,
                "{name}_bucket{{route=\"{route}\",le=\"+Inf\"}} {}",
                l.count
            );
            let (whole, micros) = (l.sum_micros / 1_000_000, l.sum_micros % 1_000_000);
            let _ = writeln!(out, "{name}_sum{{route=\"{route}\"}} {whole}.{micros:06}");
            let _ = writeln!(out, "{name}_count{{route=\"{route}\"}} {}", l.count);
        }
    }
}

fn counter(out: &mut String, name: &str, help: &str, value: u64) {
    let _ = writeln!(out, "# HELP {name} {help}");
    let _ = writeln!(out, "# TYPE {name} counter");
    let _ = writeln!(out, "{name} {value}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_counts_requests_latency_and_verdicts() {
        let m = Metrics::default();
        m.request("/v1/check", 200, Duration::from_micros(1500));
        m.request("/v1/check", 200, Duration::from_millis(30));
        m.request("/v1/check", 422, Duration::from_micros(300));
        m.verdict("compliant");
        m.verdict("non-compliant");
        m.verdict("non-compliant");
        m.log_failure();
        m.reload(true);
        m.reload(false);
        m.reload(false);
        let text = m.render();
        for line in [
            "covenant_http_requests_total{route=\"/v1/check\",status=\"200\"} 2",
            "covenant_http_requests_total{route=\"/v1/check\",status=\"422\"} 1",
            "covenant_http_request_duration_seconds_bucket{route=\"/v1/check\",le=\"0.0005\"} 1",
            "covenant_http_request_duration_seconds_bucket{route=\"/v1/check\",le=\"0.002\"} 2",
            "covenant_http_request_duration_seconds_bucket{route=\"/v1/check\",le=\"0.05\"} 3",
            "covenant_http_request_duration_seconds_bucket{route=\"/v1/check\",le=\"+Inf\"} 3",
            "covenant_http_request_duration_seconds_sum{route=\"/v1/check\"} 0.031800",
            "covenant_http_request_duration_seconds_count{route=\"/v1/check\"} 3",
            "covenant_decisions_total{verdict=\"non-compliant\"} 2",
            "covenant_decisions_total{verdict=\"invalid\"} 0",
            "covenant_decision_log_append_failures_total 1",
            "covenant_policy_reloads_total{result=\"failed\"} 2",
        ] {
            assert!(text.lines().any(|l| l == line), "no `{line}` in\n{text}");
        }
    }
}
