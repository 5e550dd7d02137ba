//! Small jobs (issue 18, item 4): `covenant` runs on one big-stack thread, and a run of at most
//! one chunk of deals (a lone file, standard input, a small batch or folder) starts no other
//! thread: compiling and parsing reuse the big stack, and the deals are checked on it. The
//! output is the same as with the pipeline's threads.
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

/// The address space mimalloc's arenas reserved in one run of the binary, as its statistics
/// at exit print it (`reserved  :    66.4 MiB …`).
fn arenas_reserved(env: &[(&str, &str)]) -> String {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_covenant"));
    command
        .arg("--version")
        .env_remove("MIMALLOC_ARENA_RESERVE")
        .env_remove("mimalloc_arena_reserve")
        .env("MIMALLOC_SHOW_STATS", "1");
    for (k, v) in env {
        command.env(k, v);
    }
    let run = command
        .output()
        .unwrap_or_else(|e| panic!("covenant --version: {e}"));
    let stats = String::from_utf8_lossy(&run.stderr).into_owned();
    let line = stats
        .lines()
        .find(|l| l.trim_start().starts_with("reserved"))
        .unwrap_or_else(|| panic!("no arena reserve in mimalloc's statistics:\n{stats}"));
    line.split(':').nth(1).unwrap_or("").trim().to_owned()
}

/// The binary has mimalloc reserve its arenas 64 MiB at a time (an arena of 1 GiB writes about
/// 40 more pages of bitmaps at every start), unless `MIMALLOC_ARENA_RESERVE`, in upper or
/// lower case, asks otherwise.
#[test]
fn the_binary_reserves_small_arenas() {
    let ours = arenas_reserved(&[]);
    assert!(ours.starts_with("6") && ours.contains("MiB"), "{ours}");
    for variable in ["MIMALLOC_ARENA_RESERVE", "mimalloc_arena_reserve"] {
        let asked = arenas_reserved(&[(variable, "1GiB")]);
        assert!(asked.starts_with("1.0 GiB"), "{variable}: {asked}");
    }
}

/// `covenant --version` with one environment variable set: what it wrote to standard error.
fn version_stderr(variable: &str, value: &str) -> String {
    let run = std::process::Command::new(env!("CARGO_BIN_EXE_covenant"))
        .arg("--version")
        .env_remove("MIMALLOC_SHOW_STATS")
        .env_remove("mimalloc_show_stats")
        .env(variable, value)
        .output()
        .unwrap_or_else(|e| panic!("covenant --version: {e}"));
    String::from_utf8_lossy(&run.stderr).into_owned()
}

/// mimalloc reads each option with the C library's `getenv`, in lower and in upper case, as
/// the repository's `.cargo/config.toml` builds it (`MI_USE_ENVIRON=0`), not by comparing
/// the option's name with every variable of the environment, case blind: that cost about
/// 180,000 instructions at every start. A name in mixed case is the sign: only the comparison
/// finds it. (A build whose C flags come from the environment instead is not checked.)
#[test]
fn mimalloc_reads_its_options_by_their_name() {
    if !option_env!("CFLAGS").is_some_and(|f| f.contains("-DMI_USE_ENVIRON=0")) {
        eprintln!("C flags from the environment, not the repository's: not checked");
        return;
    }
    for variable in ["MIMALLOC_SHOW_STATS", "mimalloc_show_stats"] {
        let stats = version_stderr(variable, "1");
        assert!(
            stats.contains("peak"),
            "{variable}: no statistics:\n{stats}"
        );
    }
    let mixed = version_stderr("Mimalloc_Show_Stats", "1");
    assert_eq!(mixed, "", "mimalloc read an option in mixed case");
}
