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
        // 480 MiB here. Now the spools keep at most 2 × 4 MiB in memory, the pipeline a few
        // chunks.
        assert!(peak < 24 * MIB, "{format}: {} MiB", peak / MIB);
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
