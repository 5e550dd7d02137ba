//! Small jobs (issue 18, item 4): `covenant` runs its command on a big stack on the process's
//! own thread, and a run of at most one chunk of deals (a lone file, standard input, a small
//! batch or folder) starts no other thread: compiling and parsing reuse the big stack, and the
//! deals are checked on it. The output is the same as with the pipeline's threads.
#![allow(clippy::panic)]

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

/// One line of mimalloc's statistics at exit for a run of the binary with `args`, its figures
/// after the colon (`reserved` gives `66.3 MiB    66.3 MiB    66.3 MiB`: at its peak, in all
/// and at exit; `threads` gives `1           1           1`).
fn mimalloc_statistic(args: &[&str], env: &[(&str, &str)], name: &str) -> String {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_covenant"));
    command.args(args);
    // No mimalloc option of the environment this test runs in, in any case.
    for (variable, _) in std::env::vars_os() {
        let mimalloc = variable
            .to_str()
            .is_some_and(|n| n.to_ascii_uppercase().starts_with("MIMALLOC_"));
        if mimalloc {
            command.env_remove(variable);
        }
    }
    command.env("MIMALLOC_SHOW_STATS", "1");
    for (k, v) in env {
        command.env(k, v);
    }
    let run = command
        .output()
        .unwrap_or_else(|e| panic!("covenant {args:?}: {e}"));
    let stats = String::from_utf8_lossy(&run.stderr).into_owned();
    let line = stats
        .lines()
        .find(|l| l.trim_start().starts_with(name))
        .unwrap_or_else(|| panic!("no `{name}` in mimalloc's statistics:\n{stats}"));
    line.split(':').nth(1).unwrap_or("").trim().to_owned()
}

/// The address space mimalloc's arenas reserved in one `covenant --version`.
fn arenas_reserved(env: &[(&str, &str)]) -> String {
    mimalloc_statistic(&["--version"], env, "reserved")
}

/// The most threads that allocated at once in a run of the binary with `args`.
fn threads_at_most(args: &[&str]) -> String {
    let threads = mimalloc_statistic(args, &[], "threads");
    threads.split_whitespace().next().unwrap_or("").to_owned()
}

/// A short run is the process's one thread: the command runs on a stack segment mapped on the
/// main thread, not on a thread of its own (`src/big_stack.rs`; BENCHMARKS.md, "Issue 18:
/// twenty-fifth session"), and a run of at most one chunk starts none. A batch of more than
/// one chunk still has its pipeline's threads.
#[test]
fn a_short_run_is_the_process_s_one_thread() {
    let policy = repo("examples/policies");
    let deal = repo("examples/deals/acme-dragon-51-49.yaml");
    let batch = repo("examples/deals/batch.jsonl");
    let short: [&[&str]; 5] = [
        &["--version"],
        &["check", "-p", &policy, &deal],
        &["check", "-p", &policy, &batch, "--format", "jsonl"],
        &["explain", "-p", &policy, &deal],
        &["lint", "-p", &policy],
    ];
    for args in short {
        assert_eq!(threads_at_most(args), "1", "covenant {args:?}");
    }
    let lines = std::fs::read_to_string(&batch).unwrap_or_else(|e| panic!("{batch}: {e}"));
    let dir = crate::support::Dir::new("small-runs-threads");
    let large = dir.file("large.jsonl", lines.repeat(20));
    let threads = threads_at_most(&[
        "check", "-p", &policy, &large, "--format", "jsonl", "--jobs", "2",
    ]);
    assert!(
        threads.parse::<u32>().is_ok_and(|n| n > 1),
        "120 deals: {threads} threads"
    );
}

/// The binary has mimalloc reserve its arenas 64 MiB at a time (an arena of 1 GiB writes about
/// 40 more pages of bitmaps at every start), unless `MIMALLOC_ARENA_RESERVE`, in any case, asks
/// otherwise.
#[test]
fn the_binary_reserves_small_arenas() {
    let ours = arenas_reserved(&[]);
    assert!(ours.starts_with("6") && ours.contains("MiB"), "{ours}");
    for variable in ["MIMALLOC_ARENA_RESERVE", "mimalloc_arena_reserve"] {
        let asked = arenas_reserved(&[(variable, "1GiB")]);
        assert!(asked.starts_with("1.0 GiB"), "{variable}: {asked}");
    }
}

/// Nothing allocates before mimalloc has started (the binary's code that runs before the Rust
/// runtime, `src/main.rs`, asks whether standard output is closed without `io::stdout()`).
/// Memory asked for before then is mapped outside any arena (mimalloc makes none yet) and
/// unmapped later, so more was reserved at the peak than at exit; and every option not set is
/// read again from the environment at each use until mimalloc starts. With it, `--version`
/// reserved 66.4 MiB at its peak against 66.3 at exit, made 5 mappings instead of 3 and cost
/// about 105,000 more instructions (BENCHMARKS.md, "Issue 18: twenty-fourth session").
#[test]
fn nothing_allocates_before_mimalloc_starts() {
    let reserved = arenas_reserved(&[]);
    let figures: Vec<&str> = reserved.split("MiB").map(str::trim).take(3).collect();
    let first = figures.first().copied().unwrap_or_default();
    assert!(
        figures.len() == 3 && figures.iter().all(|f| *f == first),
        "memory was reserved outside the arena: {reserved}"
    );
}

/// The deepest policy the default limits allow compiles and checks through the binary, on
/// the big stack its command runs on (`src/big_stack.rs`): brackets to the parser's limit and
/// a chain of `100% of` just under the compile depth (1,024). The compile and the parse run on
/// that stack in place, trusting its size: on a segment of 1 MiB said to be the big stack,
/// this test fails (the binary dies of `SIGSEGV` on the segment's guard page).
#[test]
fn the_deepest_policy_allowed_checks_through_the_binary() {
    let depth = covenant::syntax::MAX_DEPTH;
    let policy = format!(
        "rule parens: {}board seats > 0{}\nrule chain: board seats >= {}1\n",
        "(".repeat(depth),
        ")".repeat(depth),
        "100% of ".repeat(1000),
    );
    let dir = crate::support::Dir::new("small-runs-deep");
    let policy = dir.file("deep.policy", policy);
    let deal = repo("examples/deals/acme-dragon-51-49.yaml");
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_covenant"))
        .args(["check", "-p", &policy, &deal, "--format", "jsonl"])
        .output()
        .unwrap_or_else(|e| panic!("covenant check: {e}"));
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let report: serde_json::Value =
        serde_json::from_str(stdout.trim()).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    for rule in ["parens", "chain"] {
        assert_eq!(crate::support::outcome(&report, rule), "pass", "{stdout}");
    }
}
