//! The engine as a library caller uses it: one deal in memory, a file, a batch into a sink,
//! one engine shared by threads.

use std::path::PathBuf;
use std::sync::Arc;

use super::*;
use crate::deal::Format;
use crate::eval::outcome::Verdict;
use crate::resolve::Compiled;

const POLICY: &str = "rule seats: board seats >= 3\n\
rule chair \"A chair is named\" {\n  severity warning\n  require board chair != \"\"\n}\n";

fn engine() -> Engine {
    let compiled = crate::resolve::compile_str("jv.policy", POLICY);
    let Ok(Compiled { policy, .. }) = compiled else {
        panic!("the test policy does not compile");
    };
    Engine::new(policy, Settings::default())
}

fn outcomes(engine: &Engine, report: &DealReport) -> Vec<String> {
    report
        .results
        .iter()
        .map(|r| {
            let id = engine
                .policy()
                .rules
                .get(r.rule)
                .map_or("?", |rule| &rule.id);
            format!("{id}={}", outcome_label(r))
        })
        .collect()
}

#[test]
fn the_engine_can_be_shared_by_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Engine>();
    let engine = Arc::new(engine());
    let verdicts: Vec<Verdict> = std::thread::scope(|s| {
        let checks: Vec<_> = [2, 3]
            .map(|seats| {
                let engine = Arc::clone(&engine);
                s.spawn(move || {
                    let deal = format!("proposal: x\nboard: {{seats: {seats}, chair: A}}\n");
                    engine.check_text("d.yaml", &deal, Format::Yaml).verdict
                })
            })
            .into_iter()
            .collect();
        checks.into_iter().filter_map(|c| c.join().ok()).collect()
    });
    assert_eq!(verdicts, [Verdict::NonCompliant, Verdict::Compliant]);
}

#[test]
fn a_deal_in_memory_gets_its_outcomes_and_verdict() {
    let engine = engine();
    let report = engine.check_text(
        "d.json",
        r#"{"proposal": "x", "board": {"seats": 2}}"#,
        Format::Json,
    );
    assert_eq!(report.path, "d.json");
    assert_eq!(report.proposal.as_deref(), Some("x"));
    assert_eq!(report.verdict, Verdict::NonCompliant);
    assert_eq!(
        outcomes(&engine, &report),
        ["seats=fail", "chair=incomplete"]
    );
    assert!(report.deal.is_none(), "kept only for renderers that ask");
}

#[test]
fn other_settings_over_the_same_policy() {
    let lenient = engine();
    let deal = "proposal: x\nboard: {seats: 3, chair: \"\"}\n";
    let report = lenient.check_text("d.yaml", deal, Format::Yaml);
    assert_eq!(
        report.verdict,
        Verdict::Compliant,
        "{:?}",
        outcomes(&lenient, &report)
    );
    let strict = lenient.with_settings(Settings {
        deny_warnings: true,
        keep_diagnostics: true,
        ..Settings::default()
    });
    assert!(std::ptr::eq(strict.policy(), lenient.policy()));
    let report = strict.check_text("d.yaml", deal, Format::Yaml);
    assert_eq!(report.verdict, Verdict::NonCompliant);
    assert!(report.deal.is_some());
}

#[test]
fn an_invalid_deal_reports_its_problems_with_their_places() {
    let engine = engine();
    let report = engine.check_text(
        "d.yaml",
        "proposal: x\nboard: {seats: lots}\n",
        Format::Yaml,
    );
    assert_eq!(report.verdict, Verdict::Invalid);
    assert!(report.results.is_empty());
    let problem = report.problems.first();
    assert_eq!(problem.map(|p| (p.error, p.line)), Some((true, Some(2))));
    assert!(problem.is_some_and(|p| p.diagnostic.is_none()));
}

#[test]
fn an_internal_error_while_checking_is_an_invalid_report() {
    let report = engine().check_text("covenant-test-panic.yaml", "proposal: x\n", Format::Yaml);
    assert_eq!(report.verdict, Verdict::Invalid);
    let codes: Vec<&str> = report.problems.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["covenant::internal::panic"]);
}

/// Collects a batch's reports, their renderings and the progress counts.
#[derive(Default)]
struct Collected {
    paths: Vec<String>,
    rendered: Vec<String>,
    progress: usize,
}

impl Sink for Collected {
    fn report(&mut self, report: DealReport, rendered: Option<&[u8]>) {
        self.paths.push(report.path);
        let text = rendered.map(|t| String::from_utf8_lossy(t).into_owned());
        self.rendered.push(text.unwrap_or_default());
    }

    fn progress(&mut self, deals: usize) {
        self.progress += deals;
    }
}

#[test]
fn a_batch_reaches_the_sink_in_input_order_rendered_on_the_workers() {
    let engine = engine().with_settings(Settings {
        jobs: 2,
        ..Settings::default()
    });
    let lines: String = (0..150)
        .map(|i| {
            format!(
                "{{\"proposal\": \"p{i}\", \"board\": {{\"seats\": {}}}}}\n",
                i % 5
            )
        })
        .collect();
    let mut stdin = std::io::Cursor::new(lines.into_bytes());
    let inputs = [
        Input::Missing(PathBuf::from("gone.yaml"), "no such file or folder".into()),
        Input::Stdin,
        Input::NoDeals(PathBuf::from("empty")),
    ];
    let render = |r: &DealReport, buf: &mut Vec<u8>| {
        buf.extend_from_slice(r.verdict.as_str().as_bytes());
        true
    };
    let batch = Batch::new(&inputs).stdin(&mut stdin).rendered_with(&render);
    let mut sink = Collected::default();
    engine.check_batch(batch, &mut sink);
    let mut expected = vec!["gone.yaml".to_string()];
    expected.extend((1..=150).map(|n| format!("-:{n}")));
    expected.push("empty".into());
    assert_eq!(sink.paths, expected);
    assert_eq!(sink.progress, 152);
    assert_eq!(sink.rendered.first().map(String::as_str), Some("invalid"));
    let seats_of = |n: usize| {
        if n % 5 >= 3 {
            "compliant"
        } else {
            "non-compliant"
        }
    };
    let rendered: Vec<&str> = sink
        .rendered
        .iter()
        .skip(1)
        .take(150)
        .map(String::as_str)
        .collect();
    let expected: Vec<&str> = (0..150).map(seats_of).collect();
    assert_eq!(rendered, expected);
}

#[test]
fn standard_input_not_given_to_a_batch_is_reported_unread() {
    let engine = engine();
    let mut reports = Vec::new();
    let mut sink = |r: DealReport, rendered: Option<&[u8]>| reports.push((r, rendered.is_some()));
    engine.check_batch(Batch::new(&[Input::Stdin]), &mut sink);
    let [(report, rendered)] = reports.as_slice() else {
        panic!("one report expected, got {}", reports.len());
    };
    assert!(!rendered);
    assert_eq!(report.verdict, Verdict::Invalid);
    let codes: Vec<&str> = report.problems.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(codes, ["covenant::deal::unreadable"]);
}

#[test]
fn one_named_deal_is_read_from_a_file_a_batch_line_or_standard_input() {
    let root = crate::repo_root();
    let batch = root.join("examples/deals/batch.jsonl");
    let arg = format!("{}:2", batch.display());
    let timeout = std::time::Duration::from_secs(5);
    let mut no_stdin = std::io::empty();
    let line = Document::read_named(&arg, &mut no_stdin, None, timeout);
    let line = line.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((line.path.as_str(), line.first_line), (arg.as_str(), 2));
    assert_eq!(line.format, Format::Json);
    let whole = Document::read_named(&batch.display().to_string(), &mut no_stdin, None, timeout);
    assert!(whole.is_err_and(|e| e.contains("is a batch")));
    let mut stdin = std::io::Cursor::new(b"proposal = \"x\"\n".to_vec());
    let piped = Document::read_named("-", &mut stdin, None, timeout);
    let piped = piped.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((piped.path.as_str(), piped.format), ("-", Format::Toml));
    let mut lines = std::io::Cursor::new(b"{}\n{}\n".to_vec());
    let several = Document::read_named("-", &mut lines, None, timeout);
    assert!(several.is_err_and(|e| e.contains("JSON lines")));
}

/// The first ```rust block of a Markdown text.
fn rust_block(markdown: &str) -> Option<&str> {
    let start = markdown.find("```rust\n")? + "```rust\n".len();
    let rest = markdown.get(start..)?;
    rest.get(..rest.find("```")?)
}

/// The README's library snippet is the crate documentation's example, which runs as a
/// doctest: the two cannot drift apart.
#[test]
fn the_readme_library_snippet_is_the_crate_doctest() {
    let root = crate::repo_root();
    let read = |p: &str| std::fs::read_to_string(root.join(p)).unwrap_or_default();
    let readme = read("README.md");
    let crate_doc: String = read("crates/covenant/src/lib.rs")
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| format!("{}\n", l.strip_prefix(' ').unwrap_or(l)))
        .collect();
    let example = rust_block(&crate_doc);
    assert!(
        example.is_some_and(|e| e.contains("Engine::new")),
        "{crate_doc}"
    );
    assert_eq!(rust_block(&readme), example);
}

/// Check `inputs` with `stdin` on an engine asked for 2 workers: the paths reported, and how
/// many threads the run started.
fn check_counting_threads(inputs: &[Input], stdin: &[u8]) -> (Vec<String>, usize) {
    let engine = engine().with_settings(Settings {
        jobs: 2,
        ..Settings::default()
    });
    let mut stdin = std::io::Cursor::new(stdin.to_vec());
    let mut sink = Collected::default();
    let before = crate::limits::threads_started_here();
    engine.check_batch(Batch::new(inputs).stdin(&mut stdin), &mut sink);
    (sink.paths, crate::limits::threads_started_here() - before)
}

fn json_lines(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| format!("{{\"proposal\": \"p{i}\", \"board\": {{\"seats\": 3}}}}\n"))
        .collect::<String>()
        .into_bytes()
}

#[test]
fn a_small_run_starts_no_thread() {
    // One deal on standard input, YAML or JSON lines.
    let (paths, threads) = check_counting_threads(&[Input::Stdin], b"proposal: p\n");
    assert_eq!((paths, threads), (vec!["-".to_string()], 0));
    let (paths, threads) = check_counting_threads(&[Input::Stdin], &json_lines(3));
    assert_eq!(paths, ["-:1", "-:2", "-:3"]);
    assert_eq!(threads, 0);
    // One chunk of deals, the most a small run holds, with a missing file.
    let inputs = [
        Input::Missing(PathBuf::from("gone.yaml"), "gone".into()),
        Input::Stdin,
    ];
    let (paths, threads) = check_counting_threads(&inputs, &json_lines(63));
    assert_eq!(paths.len(), 64);
    assert_eq!(threads, 0);
}

#[test]
fn a_run_of_more_than_one_chunk_starts_the_pipeline_with_the_same_reports() {
    let inputs = [
        Input::Missing(PathBuf::from("gone.yaml"), "gone".into()),
        Input::Stdin,
    ];
    let (paths, threads) = check_counting_threads(&inputs, &json_lines(64));
    // Two workers and the reader.
    assert_eq!(threads, 3);
    let mut expected = vec!["gone.yaml".to_string()];
    expected.extend((1..=64).map(|n| format!("-:{n}")));
    assert_eq!(paths, expected);
}

/// Collects a batch's deals as a sink that takes summaries (or, when `summaries` is false,
/// whole reports): each deal's summary and rendering, and how many whole reports came.
#[derive(Default)]
struct Summaries {
    summaries: bool,
    got: Vec<(crate::report::DealSummary, String)>,
    reports: usize,
}

impl Sink for Summaries {
    fn report(&mut self, report: DealReport, rendered: Option<&[u8]>) {
        self.reports += 1;
        let text = rendered.map(|t| String::from_utf8_lossy(t).into_owned());
        self.got.push((report.summary(), text.unwrap_or_default()));
    }

    fn summaries_suffice(&self) -> bool {
        self.summaries
    }

    fn summary(&mut self, summary: crate::report::DealSummary, rendered: Option<&[u8]>) {
        let text = rendered.map(|t| String::from_utf8_lossy(t).into_owned());
        self.got.push((summary, text.unwrap_or_default()));
    }
}

#[test]
fn a_sink_given_summaries_counts_what_one_given_reports_counts() {
    // Compliant, non-compliant, incomplete and invalid deals on standard input (one whose
    // rendering panics), a batch whose every line panics while it is checked, a missing file.
    let lines: String = (0..200)
        .map(|i| match i % 5 {
            0 => format!("{{\"proposal\": \"p{i}\", \"board\": {{\"seats\": 3}}}}\n"),
            1 => format!("{{\"proposal\": \"p{i}\", \"board\": {{\"seats\": 1}}}}\n"),
            2 => format!("{{\"proposal\": \"p{i}\"}}\n"),
            3 => "{\"proposal\": \"boom\", \"board\": {\"seats\": 4}}\n".to_string(),
            _ => "{\"board\": {\"seats\": \"lots\"}}\n".to_string(),
        })
        .collect();
    let dir = std::env::temp_dir().join(format!("covenant-summaries-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let panicking = dir.join("covenant-test-panic.jsonl");
    std::fs::write(&panicking, "{}\n{}\n{}\n").unwrap();
    let inputs = [
        Input::Stdin,
        Input::Batch(panicking),
        Input::Missing(PathBuf::from("gone.yaml"), "no such file or folder".into()),
    ];
    let render = |r: &DealReport, buf: &mut Vec<u8>| {
        if r.proposal.as_deref() == Some("boom") {
            panic!("test: a panic while rendering a deal");
        }
        buf.extend_from_slice(r.verdict.as_str().as_bytes());
        true
    };
    let run = |jobs: usize, summaries: bool| {
        let engine = engine().with_settings(Settings {
            jobs,
            ..Settings::default()
        });
        let mut stdin = std::io::Cursor::new(lines.clone().into_bytes());
        let batch = Batch::new(&inputs).stdin(&mut stdin).rendered_with(&render);
        let mut sink = Summaries {
            summaries,
            ..Summaries::default()
        };
        engine.check_batch(batch, &mut sink);
        sink
    };
    let whole = run(1, false);
    assert_eq!((whole.got.len(), whole.reports), (204, 204));
    let mut counts = crate::report::Summary::default();
    whole.got.iter().for_each(|(s, _)| counts.add_summary(*s));
    // Invalid: 40 deals, 40 whose rendering panicked, 3 panicking lines, 1 missing file.
    let by_verdict = (
        counts.compliant,
        counts.non_compliant,
        counts.incomplete,
        counts.invalid,
    );
    assert_eq!(
        (counts.deals, by_verdict),
        (204, (40, 40, 40, 84)),
        "{counts:?}"
    );
    assert_eq!(counts.exit_code(), 2);
    for jobs in [1, 2] {
        let summarized = run(jobs, true);
        assert_eq!(summarized.reports, 0);
        assert_eq!(summarized.got, whole.got, "{jobs} jobs");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// A worker's own copy of the policy (`Policy::unshared_copy`) checks deals as the policy
/// does: each of 200 baseline-v2 deals (look-through, a total per bloc, a table, a
/// conversion) gets the same JSON line, both rendered with the caller's policy (as a batch's
/// workers render their results).
#[test]
fn a_copy_of_the_policy_reports_every_deal_alike() {
    let path = crate::repo_root().join("benches/baseline-v2/baseline-v2.policy");
    let Ok(Compiled { policy, .. }) = crate::resolve::compile(&[path]) else {
        panic!("baseline-v2 does not compile");
    };
    let copy = policy.unshared_copy();
    let settings = Settings::default();
    let mut verdicts = std::collections::BTreeSet::new();
    for (i, line) in crate::run_generator("benches/baseline-v2/gen.py", &[], 200)
        .into_iter()
        .enumerate()
    {
        let line: Arc<str> = line.into();
        let mut reported_by = |checking: &Policy| {
            let document = Document {
                path: format!("deals.jsonl:{}", i + 1),
                source: crate::source::SourceFile::new("deals.jsonl", Arc::clone(&line)),
                first_line: i + 1,
                format: Format::Json,
            };
            let report = deal::check_document(checking, &settings, document);
            verdicts.insert(report.verdict.as_str());
            crate::report::json::deal_line(&policy, &report)
        };
        let (theirs, ours) = (reported_by(&policy), reported_by(&copy));
        assert_eq!(theirs, ours, "deal {}", i + 1);
    }
    assert_eq!(verdicts.len(), 2, "{verdicts:?}");
}

/// With two workers, each checks its chunks with a policy of its own: the first the caller's,
/// the second its copy. Each worker's first deal waits (up to 5 s) until the other has started
/// one too, so both take chunks.
#[test]
fn each_worker_checks_with_a_policy_of_its_own() {
    use std::collections::{BTreeMap, BTreeSet};
    use std::sync::{Condvar, Mutex};
    use std::time::Duration;

    let engine = engine().with_settings(Settings {
        jobs: 2,
        ..Settings::default()
    });
    let started = (Mutex::new(std::collections::HashSet::new()), Condvar::new());
    let render = |r: &DealReport, buf: &mut Vec<u8>| {
        let (threads, arrived) = &started;
        let Ok(mut seen) = threads.lock() else {
            return false;
        };
        if seen.insert(std::thread::current().id()) {
            arrived.notify_all();
            let wait = arrived.wait_timeout_while(seen, Duration::from_secs(5), |s| s.len() < 2);
            drop(wait);
        }
        buf.extend_from_slice(r.verdict.as_str().as_bytes());
        true
    };
    let mut stdin = std::io::Cursor::new(json_lines(640));
    let inputs = [Input::Stdin];
    let batch = Batch::new(&inputs).stdin(&mut stdin).rendered_with(&render);
    let mut sink = Collected::default();
    engine.check_batch(batch, &mut sink);
    assert_eq!(sink.paths.len(), 640);

    // Only this run's workers (the threads that rendered its deals: a thread's id is never
    // used again), since other tests' runs note theirs too, some with a policy that lived at
    // the same address before this one.
    let ours = started.0.lock().map(|s| s.clone()).unwrap_or_default();
    let caller = std::ptr::from_ref(engine.policy()) as usize;
    let noted = batch::tests::POLICIES_CHECKED_WITH
        .lock()
        .map(|n| n.clone());
    let mut by_thread: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for (policy, checking, thread) in noted.unwrap_or_default() {
        if policy == caller && ours.contains(&thread) {
            by_thread
                .entry(format!("{thread:?}"))
                .or_default()
                .insert(checking);
        }
    }
    let policies: Vec<&BTreeSet<usize>> = by_thread.values().collect();
    assert_eq!(policies.len(), 2, "two workers: {by_thread:?}");
    assert!(policies.iter().all(|p| p.len() == 1), "{by_thread:?}");
    let used: BTreeSet<usize> = policies.iter().flat_map(|p| p.iter().copied()).collect();
    assert_eq!(used.len(), 2, "two policies: {by_thread:?}");
    assert!(used.contains(&caller), "one the caller's: {by_thread:?}");
}
