//! Helpers for tests that run `covenant` in-process, on files in a fresh temporary folder.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use clap::Parser;
use covenant_cli::{run, Cli};

/// A temporary folder, removed when dropped.
pub struct Dir(pub PathBuf);

impl Dir {
    pub fn new(name: &str) -> Dir {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("covenant-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    /// Write `bytes` to `name` in the folder; the path as a string.
    pub fn file(&self, name: &str, bytes: impl AsRef<[u8]>) -> String {
        let p = self.0.join(name);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&p, bytes).unwrap();
        p.to_str().unwrap().to_string()
    }

    pub fn path(&self, name: &str) -> String {
        self.0.join(name).to_str().unwrap().to_string()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// `covenant ARGS…` as the tests run it: `check` with `--deterministic`, so that no test depends
/// on the clock (the reports leave the run's `evaluated_at` out; `tests/it/audit.rs` checks it
/// without the flag, through [`Cli`] itself).
pub fn argv<'a>(args: &[&'a str]) -> Vec<&'a str> {
    let mut argv = vec!["covenant"];
    argv.extend_from_slice(args);
    if args.first() == Some(&"check") && !args.contains(&"--deterministic") {
        argv.insert(2, "--deterministic");
    }
    argv
}

/// Run `covenant ARGS…` in-process: (exit code, stdout, stderr). `check` runs with
/// `--deterministic` (see [`argv`]).
pub fn covenant(args: &[&str]) -> (u8, String, String) {
    let cli = Cli::parse_from(argv(args));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = run(cli, &mut out, &mut err);
    (
        code,
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    )
}

/// `covenant check -p POLICY DEALS… --format jsonl`: the exit code and each deal's report.
pub fn check_jsonl(
    policy: &str,
    deals: &[&str],
    extra: &[&str],
) -> (u8, Vec<serde_json::Value>, String) {
    let mut args = vec!["check", "-p", policy, "--format", "jsonl"];
    args.extend_from_slice(extra);
    args.extend_from_slice(deals);
    let (code, out, err) = covenant(&args);
    let reports = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (code, reports, err)
}

/// The codes of a deal report's problems (errors and warnings).
pub fn codes(report: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    for key in ["errors", "warnings"] {
        if let Some(list) = report[key].as_array() {
            out.extend(list.iter().map(|e| e["code"].as_str().unwrap().to_string()));
        }
    }
    out
}

/// A rule's outcome in a deal report (`exempt` for an exempt pass).
pub fn outcome(report: &serde_json::Value, rule: &str) -> String {
    let r = report["rules"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == rule)
        .unwrap_or_else(|| panic!("no rule {rule} in {report}"));
    if r["exempt"] == true {
        "exempt".into()
    } else {
        r["outcome"].as_str().unwrap().to_string()
    }
}

/// The repository's own files.
pub fn repo(path: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(path)
        .to_str()
        .unwrap()
        .to_string()
}

/// The size of a heavy test: `ci` in a normal run, `soak` when `COVENANT_SOAK` is set to
/// anything but `0` (docs/testing.md: the soak runs `--release`).
pub fn size(ci: usize, soak: usize) -> usize {
    match std::env::var("COVENANT_SOAK") {
        Ok(v) if v != "0" => soak,
        _ => ci,
    }
}

/// [`size`] as a proptest case count.
pub fn cases(ci: u32, soak: u32) -> u32 {
    size(ci as usize, soak as usize) as u32
}

/// A small policy that reads a few fields, for tests of the loader through the CLI.
pub const SMALL_POLICY: &str = "rule seats: board seats >= 1\n";
