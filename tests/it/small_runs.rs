//! Small jobs (issue 18, item 4): `covenant` runs on one big-stack thread, and a run of at most
//! one chunk of deals (a lone file, standard input, a small batch or folder) starts no other
//! thread: compiling and parsing reuse the big stack, and the deals are checked on it. The
//! output is the same as with the pipeline's threads.

use covenant::limits::{threads_started_here, with_big_stack};

use crate::support::{covenant, repo};

/// Run `covenant ARGS…` as `main` does, on a big-stack thread: its output, and how many
/// threads it started beyond that one.
fn on_the_big_stack(args: &[&str]) -> ((u8, String, String), usize) {
    with_big_stack(|| {
        let before = threads_started_here();
        let output = covenant(args);
        (output, threads_started_here() - before)
    })
}

#[test]
fn one_deal_a_small_batch_or_a_small_folder_starts_no_thread() {
    let policy = repo("examples/policies");
    for deals in [
        "examples/deals/acme-dragon-51-49.yaml",
        "examples/deals/batch.jsonl",
        "examples/deals",
    ] {
        let deals = repo(deals);
        for format in ["human", "jsonl", "sarif"] {
            let args = [
                "check", "-p", &policy, &deals, "--format", format, "--jobs", "2",
            ];
            let (output, threads) = on_the_big_stack(&args);
            assert!(output.0 <= 1, "{deals}: {}", output.2);
            assert_eq!(threads, 0, "{deals} --format {format}");
            // The same output off the big stack (where the compile starts its own thread).
            assert_eq!(covenant(&args), output, "{deals} --format {format}");
        }
    }
}

#[test]
fn explain_and_lint_start_no_thread_on_the_big_stack() {
    let policy = repo("examples/policies");
    let deal = repo("examples/deals/acme-dragon-51-49.yaml");
    for args in [
        vec!["explain", "-p", &policy, &deal],
        vec!["lint", "-p", &policy],
    ] {
        let (output, threads) = on_the_big_stack(&args);
        assert!(output.0 <= 1, "{args:?}: {}", output.2);
        assert_eq!(threads, 0, "{args:?}");
    }
}
