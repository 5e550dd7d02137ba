//! Memory of large batches (issue 9, item 7): the SARIF, JUnit and Markdown reports are
//! streamed, and the pipeline bounds the bytes in flight, not only the deals. Measured with a
//! counting allocator: the most bytes live at once while `covenant check` runs in-process.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::support;

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::process::Command;
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};
use std::sync::Mutex;

use clap::Parser;
use support::{repo, Dir};

/// The system allocator, counting the bytes live while `COUNTING` is on. The integration
/// tests share one binary, so this is the allocator of every test; it only counts inside a
/// measurement, which runs in a process of its own ([`measured_alone`]).
struct Counting;

static COUNTING: AtomicBool = AtomicBool::new(false);
/// Signed: a block allocated before counting began and freed during it takes its size off.
static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn grew(n: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        let n = n as isize;
        let now = LIVE.fetch_add(n, Ordering::Relaxed) + n;
        PEAK.fetch_max(now, Ordering::Relaxed);
    }
}

fn shrank(n: usize) {
    if COUNTING.load(Ordering::Relaxed) {
        LIVE.fetch_sub(n as isize, Ordering::Relaxed);
    }
}

// SAFETY: every call is passed on to the system allocator unchanged; only sizes are counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn dealloc(&self, p: *mut u8, layout: Layout) {
        unsafe { System.dealloc(p, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, p: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let q = unsafe { System.realloc(p, layout, new_size) };
        if !q.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        q
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Set in the process that runs one measurement alone.
const ALONE: &str = "COVENANT_TEST_MEMORY_ALONE";

/// Whether this process is the one to measure `test` in. If not, runs this test binary again
/// on `test` alone (the other tests of the binary would allocate while it counts), passes on
/// its output, and fails if it fails or does not run that test.
fn measured_alone(test: &str) -> bool {
    if std::env::var_os(ALONE).is_some() {
        return true;
    }
    let output = Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--test-threads=1", "--nocapture"])
        .env(ALONE, "1")
        .output()
        .unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    eprintln!("{err}");
    assert!(output.status.success(), "{test} alone:\n{out}\n{err}");
    assert!(out.contains("1 passed"), "{test} did not run alone:\n{out}");
    false
}

/// One measurement at a time, should several run in one process (`COVENANT_TEST_MEMORY_ALONE`
/// set by hand): each would count the other's allocations.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn alone() -> std::sync::MutexGuard<'static, ()> {
    ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner())
}

const MIB: usize = 1 << 20;

/// The most a streamed report may hold at once, by design: the checked deals in flight in the
/// pipeline, the report's spools at their in-memory limit (at most three: Markdown's table
/// rows, sections and rows with findings), and 8 MiB for the compiled policy, the deals being
/// checked on the workers and the writer's buffers. A bound of 24 MiB failed in CI when the examples' reports grew heavy enough to
/// fill the pipeline's budget (20–24 MiB measured on one machine across runs of one test).
fn streamed_bound() -> usize {
    covenant::check::IN_FLIGHT_BYTES + 3 * covenant::report::spool::SPOOL_MEMORY + 8 * MIB
}

/// Standard output that only counts its bytes.
#[derive(Default)]
struct Count(usize);

impl Write for Count {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0 += buf.len();
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// `covenant ARGS…` in-process: its exit code, the bytes it wrote to stdout, and the most
/// bytes allocated at once beyond those live before it started.
fn peak_of(args: &[&str]) -> (u8, usize, usize) {
    let cli =
        covenant_cli::Cli::parse_from(std::iter::once("covenant").chain(args.iter().copied()));
    let (mut out, mut err) = (Count::default(), Vec::new());
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    let code = covenant_cli::run(cli, &mut out, &mut err);
    COUNTING.store(false, Ordering::SeqCst);
    let peak = (PEAK.load(Ordering::SeqCst) - before).max(0) as usize;
    assert!(
        err.len() < 10_000,
        "{}",
        String::from_utf8_lossy(&err[..2000])
    );
    (code, out.0, peak)
}

/// A `.jsonl` batch of `n` deals, each non-compliant with evidence in several rules.
fn batch(dir: &Dir, n: usize) -> String {
    let mut text = String::new();
    for i in 0..n {
        text.push_str(&format!(
            concat!(
                r#"{{"proposal":"JV {i}","date":"2026-10-12","jurisdiction":"US","investment":"USD 2B","#,
                r#""parties":[{{"name":"Liberty {i}","country":"US","stake":"40%","voting":"40%","board_seats":3,"#,
                r#""government_stake":"0%","profit_share":"40%","subsidies":"USD 0"}},"#,
                r#"{{"name":"Dragon {i}","country":"CN","stake":"60%","voting":"60%","board_seats":4,"#,
                r#""government_stake":"30%","profit_share":"60%","subsidies":"USD 300M"}}],"#,
                r#""board":{{"seats":7}},"data":[{{"name":"telemetry","category":"personal","location":"CN","subjects":2000000}}],"#,
                r#""plants":[{{"country":"US","region":"MI","capacity":1000,"local_content":"50%"}}]}}"#,
                "\n"
            ),
            i = i
        ));
    }
    dir.file("batch.jsonl", text)
}

#[test]
fn sarif_junit_and_markdown_reports_of_a_large_batch_are_streamed() {
    if !measured_alone(
        "report_memory::sarif_junit_and_markdown_reports_of_a_large_batch_are_streamed",
    ) {
        return;
    }
    let _alone = alone();
    let dir = Dir::new("report-memory");
    let deals = batch(&dir, 10_000);
    let policy = repo("examples/policies");
    for format in ["sarif", "junit", "markdown"] {
        let args = [
            "check", "-p", &policy, &deals, "--format", format, "--jobs", "2",
        ];
        let (code, written, peak) = peak_of(&args);
        assert_eq!(code, 1, "{format}");
        eprintln!(
            "{format}: {written} bytes written, {} KiB at most",
            peak / 1024
        );
        // Every deal's report held until the end, then the whole document: SARIF took
        // 480 MiB here. Now the report is bounded by design.
        assert!(peak < streamed_bound(), "{format}: {} MiB", peak / MIB);
    }
}

#[test]
fn a_policy_of_many_rules_keeps_a_bounded_number_of_bytes_in_flight() {
    if !measured_alone(
        "report_memory::a_policy_of_many_rules_keeps_a_bounded_number_of_bytes_in_flight",
    ) {
        return;
    }
    let _alone = alone();
    let dir = Dir::new("rules-memory");
    let rules: String = (0..1000)
        .map(|i| format!("rule r{i}: board seats >= {}\n", i % 10))
        .collect();
    let policy = dir.file("many.policy", rules);
    let deals = batch(&dir, 600);
    let args = [
        "check", "-p", &policy, &deals, "--format", "jsonl", "--jobs", "2",
    ];
    let (code, written, peak) = peak_of(&args);
    assert_eq!(code, 1);
    eprintln!("{written} bytes written, {} KiB at most", peak / 1024);
    assert!(written > 60 * MIB, "{written}");
    // Eight chunks of 64 deals, each with 1,000 results, held 80 MiB; chunks now hold
    // fewer deals when each deal's report is large.
    assert!(peak < 32 * MIB, "{} MiB", peak / MIB);
}

/// 200,000 deals (issue 17): the SARIF log lists GitHub's most, 25,000 results, counts the
/// others, is valid SARIF 2.1.0, and is written in bounded memory. Each deal is one line of a
/// `.jsonl` batch checked against one rule that half of them fail, so that the run stays short
/// in a debug build.
#[test]
fn a_sarif_log_of_200000_deals_is_capped_valid_and_written_in_bounded_memory() {
    if !measured_alone(
        "report_memory::a_sarif_log_of_200000_deals_is_capped_valid_and_written_in_bounded_memory",
    ) {
        return;
    }
    let _alone = alone();
    const DEALS: usize = 200_000;
    let dir = Dir::new("sarif-200k");
    let policy = dir.file(
        "board.policy",
        "rule small-board \"The board has fewer than 5 seats\": board seats < 5\n",
    );
    let mut text = String::with_capacity(DEALS * 48);
    for i in 0..DEALS {
        text.push_str(&format!(
            "{{\"proposal\":\"JV {i}\",\"board\":{{\"seats\":{}}}}}\n",
            3 + i % 4
        ));
    }
    let deals = dir.file("deals.jsonl", text);
    let failing = DEALS / 2;
    let log_path = dir.path("log.sarif");
    let mut log_file = std::fs::File::create(&log_path).unwrap();
    let args = [
        "check", "-p", &policy, &deals, "--format", "sarif", "--jobs", "2",
    ];
    let cli =
        covenant_cli::Cli::parse_from(std::iter::once("covenant").chain(args.iter().copied()));
    let mut err = Vec::new();
    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    COUNTING.store(true, Ordering::SeqCst);
    let code = covenant_cli::run(cli, &mut log_file, &mut err);
    COUNTING.store(false, Ordering::SeqCst);
    let peak = (PEAK.load(Ordering::SeqCst) - before).max(0) as usize;
    drop(log_file);
    assert_eq!(code, 1, "{}", String::from_utf8_lossy(&err));
    let written = std::fs::metadata(&log_path).unwrap().len();
    eprintln!("{written} bytes written, {} KiB at most", peak / 1024);
    // The results past the 25,000th are neither rendered nor kept (10.5 MiB measured).
    assert!(peak < streamed_bound(), "{} MiB", peak / MIB);

    let log: serde_json::Value = serde_json::from_reader(std::io::BufReader::new(
        std::fs::File::open(&log_path).unwrap(),
    ))
    .unwrap();
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(
        results.len(),
        covenant::report::stream::GITHUB_SARIF_RESULTS
    );
    assert!(results.len() <= 25_000);
    assert_eq!(
        run["properties"]["results_omitted"],
        failing - results.len()
    );
    assert_eq!(run["properties"]["summary"]["deals"], DEALS);
    assert_eq!(run["properties"]["summary"]["non_compliant"], failing);
    assert_eq!(run["properties"]["deals"].as_array().unwrap().len(), DEALS);
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true);
    let notice = invocation["toolExecutionNotifications"][0]["message"]["text"]
        .as_str()
        .unwrap();
    assert!(
        notice.starts_with(&format!(
            "25000 results are listed and {} more",
            failing - 25_000
        )),
        "{notice}"
    );
    // The results listed are the first ones, in deal order: deal lines 3, 4, 7, 8, … fail.
    let last = results[results.len() - 1]["properties"]["deal"]
        .as_str()
        .unwrap();
    assert!(last.ends_with(":50000"), "{last}");
    assert_eq!(
        crate::sarif_schema::schema_errors(&log),
        Vec::<String>::new()
    );
}
