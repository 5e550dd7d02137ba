//! A report that cannot be written is an error: every command, in every format, exits 2 with
//! a message on stderr when standard output is full (`/dev/full`) or closed. A reader that
//! hangs up (`| head`, EPIPE) is not an error: the output is cut quietly, as rustc and
//! ripgrep do, and the exit code is the verdict's. Runs the built binary.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::support;

use std::process::{Command, Stdio};

use support::{repo, Dir};

const BIN: &str = env!("CARGO_BIN_EXE_covenant");

/// Every command and format that writes a report, on the example policies and deals.
fn runs(dir: &Dir) -> Vec<Vec<String>> {
    let policy = repo("examples/policies");
    let deal = repo("examples/deals/acme-dragon-51-49.yaml");
    let deals = repo("examples/deals");
    let unformatted = dir.file("u.policy", "rule   r:   board seats >= 1\n");
    let stricter = dir.file("new.policy", "rule r: board seats >= 100\n");
    let suite = repo("examples/tests");
    let mut runs: Vec<Vec<&str>> = Vec::new();
    for format in ["human", "json", "jsonl", "sarif", "junit", "markdown"] {
        runs.push(vec!["check", "-p", &policy, "--format", format, &deals]);
    }
    for format in ["human", "json"] {
        runs.push(vec!["explain", "-p", &policy, "--format", format, &deal]);
    }
    runs.push(vec!["fmt", "--check", &unformatted]);
    for format in ["human", "json", "sarif"] {
        runs.push(vec!["lint", "-p", &policy, "--format", format]);
    }
    runs.push(vec!["test", &suite]);
    for format in ["human", "json", "markdown"] {
        runs.push(vec![
            "diff",
            "--format",
            format,
            &unformatted,
            &stricter,
            &deals,
        ]);
    }
    runs.into_iter()
        .map(|r| r.into_iter().map(String::from).collect())
        .collect()
}

#[test]
fn a_full_disk_is_an_error_in_every_command_and_format() {
    let dir = Dir::new("write-full");
    for args in runs(&dir) {
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let run = Command::new(BIN)
            .args(&args)
            .stdout(full)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("error: cannot write the report to standard output")
                && err.contains("No space left on device"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn a_closed_standard_output_is_an_error() {
    let dir = Dir::new("write-closed");
    for args in runs(&dir) {
        let run = Command::new("sh")
            .arg("-c")
            .arg(r#"exec "$0" "$@" >&-"#)
            .arg(BIN)
            .args(&args)
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&run.stderr);
        assert_eq!(run.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("cannot write the report to standard output: it is closed"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn fmt_that_writes_no_report_does_not_need_standard_output() {
    let dir = Dir::new("write-fmt");
    let policy = dir.file("u.policy", "rule   r:   board seats >= 1\n");
    let run = Command::new(BIN)
        .args(["fmt", &policy])
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    assert_eq!(
        std::fs::read_to_string(&policy).unwrap(),
        "rule r: board seats >= 1\n"
    );
}

#[test]
fn a_reader_that_hangs_up_is_not_an_error() {
    // 4,000 deals of human output are more than a pipe holds, so the writer meets EPIPE.
    let dir = Dir::new("write-epipe");
    let policy = dir.file("p.policy", "rule seats: board seats >= 1\n");
    let line = r#"{"proposal": "x", "board": {"seats": 2}}"#;
    let batch = dir.file("b.jsonl", format!("{line}\n").repeat(4000));
    let mut child = Command::new(BIN)
        .args(["check", "-p", &policy, "--color", "never", &batch])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let run = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{err}");
    assert_eq!(err, "");
}
