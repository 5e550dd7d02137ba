//! Deal inputs: folder search (extensions in any case, unreadable subfolders, symlink loops,
//! FIFOs and devices), files that are not regular files named directly or through `use`,
//! standard input (pretty JSON, TOML, `--stdin-format`), and arguments that yield no deal.
//! Nothing is lost and nothing hangs. Decisions: `docs/semantics.md` (Inputs).
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::support;

use std::io::Write;
use std::os::unix::fs::{symlink, PermissionsExt};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use support::{check_jsonl, codes, covenant, Dir, SMALL_POLICY};

const BIN: &str = env!("CARGO_BIN_EXE_covenant");
const DEAL_YAML: &str = "proposal: x\nboard: {seats: 2}\n";
const DEAL_JSON: &str = r#"{"proposal": "x", "board": {"seats": 2}}"#;

/// The paths of the reports, relative to `dir`, and their verdicts.
fn checked(dir: &Dir, reports: &[Value]) -> Vec<(String, String)> {
    reports
        .iter()
        .map(|r| {
            let path = r["path"].as_str().unwrap();
            let rel = path.strip_prefix(&format!("{}/", dir.0.display()));
            (
                rel.unwrap_or(path).to_string(),
                r["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn compliant(paths: &[&str]) -> Vec<(String, String)> {
    paths
        .iter()
        .map(|p| (p.to_string(), "compliant".to_string()))
        .collect()
}

fn mkfifo(path: &str) {
    let made = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(made.success());
}

#[test]
fn folder_search_finds_deal_extensions_in_any_case() {
    let dir = Dir::new("ext-case");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let deals = dir.path("deals");
    dir.file("deals/a.YAML", DEAL_YAML);
    dir.file("deals/b.Json", DEAL_JSON);
    dir.file("deals/c.TOML", "proposal = \"x\"\nboard = {seats = 2}\n");
    dir.file("deals/d.Yml", DEAL_YAML);
    dir.file("deals/e.JSONL", format!("{DEAL_JSON}\n"));
    dir.file("deals/notes.txt", "not a deal");
    let (code, reports, err) = check_jsonl(&policy, &[&deals], &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        checked(&dir, &reports),
        compliant(&[
            "deals/a.YAML",
            "deals/b.Json",
            "deals/c.TOML",
            "deals/d.Yml",
            "deals/e.JSONL:1"
        ])
    );
}

/// A folder nested so deep that its path is longer than the system allows: listing it fails
/// even for root (ENAMETOOLONG).
fn too_long_folder(dir: &Dir, under: &str) {
    // bash, not dash: dash's `cd` fails once the path it keeps is too long.
    let made = Command::new("bash")
        .current_dir(dir.path(under))
        .arg("-c")
        .arg("p=$(printf 'ddddddddddddddd/%.0s' $(seq 100)); for i in 1 2 3; do mkdir -p \"$p\" && cd \"$p\" || exit 1; done; echo 'proposal: x' > deep.yaml")
        .status()
        .unwrap();
    assert!(made.success());
}

#[test]
fn an_unreadable_subfolder_is_invalid_and_the_deals_beside_it_are_checked() {
    let dir = Dir::new("unreadable-sub");
    let policy = dir.file("p.policy", SMALL_POLICY);
    dir.file("deals/a.yaml", DEAL_YAML);
    dir.file("deals/z.yaml", DEAL_YAML);
    too_long_folder(&dir, "deals");
    let (code, reports, err) = check_jsonl(&policy, &[&dir.path("deals")], &[]);
    assert_eq!(code, 2, "{err}");
    let seen = checked(&dir, &reports);
    assert_eq!(seen.len(), 3, "{seen:?}");
    assert_eq!(seen[0], compliant(&["deals/a.yaml"])[0]);
    assert!(seen[1].0.starts_with("deals/ddddddddddddddd/"), "{seen:?}");
    assert_eq!(seen[1].1, "invalid");
    assert_eq!(codes(&reports[1]), ["covenant::deal::unreadable"]);
    let message = reports[1]["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("cannot list folder"), "{message}");
    assert_eq!(seen[2], compliant(&["deals/z.yaml"])[0]);

    // A folder without permissions, when the test does not run as root.
    let locked = Dir::new("locked-sub");
    let policy = locked.file("p.policy", SMALL_POLICY);
    locked.file("deals/a.yaml", DEAL_YAML);
    locked.file("deals/locked/b.yaml", DEAL_YAML);
    let sub = locked.path("deals/locked");
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o000)).unwrap();
    let still_readable = std::fs::read_dir(&sub).is_ok();
    let (code, reports, _) = check_jsonl(&policy, &[&locked.path("deals")], &[]);
    std::fs::set_permissions(&sub, std::fs::Permissions::from_mode(0o755)).unwrap();
    if !still_readable {
        assert_eq!(code, 2);
        assert_eq!(
            checked(&locked, &reports),
            [
                compliant(&["deals/a.yaml"])[0].clone(),
                ("deals/locked".to_string(), "invalid".to_string())
            ]
        );
    }
}

#[test]
fn symlink_loops_end_and_each_file_is_checked_once() {
    let dir = Dir::new("loops");
    let policy = dir.file("p.policy", SMALL_POLICY);
    dir.file("deals/a.yaml", DEAL_YAML);
    dir.file("deals/sub/b.yaml", DEAL_YAML);
    let at = |p: &str| dir.path(&format!("deals/{p}"));
    symlink(".", at("self")).unwrap();
    symlink("..", at("up")).unwrap();
    symlink("..", at("sub/back")).unwrap();
    symlink("sub", at("alias")).unwrap();
    symlink("a.yaml", at("link.yaml")).unwrap();
    symlink("../a.yaml", at("sub/again.yaml")).unwrap();
    let outside = Dir::new("loops-outside");
    outside.file("c.yaml", DEAL_YAML);
    symlink(&outside.0, at("archive")).unwrap();
    let (code, reports, err) = check_jsonl(&policy, &[&dir.path("deals")], &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        checked(&dir, &reports),
        compliant(&["deals/a.yaml", "deals/archive/c.yaml", "deals/sub/b.yaml"])
    );
    for link in ["deals/self`", "deals/up`", "deals/sub/back`"] {
        assert!(err.contains(link), "{link}: {err}");
    }
    assert_eq!(err.matches("warning: skipped").count(), 3, "{err}");
    assert!(err.contains("a loop"), "{err}");
}

#[test]
fn fifos_and_devices_in_a_folder_are_skipped_with_a_warning() {
    let dir = Dir::new("special-in-folder");
    let policy = dir.file("p.policy", SMALL_POLICY);
    dir.file("deals/a.yaml", DEAL_YAML);
    mkfifo(&dir.path("deals/pipe.yaml"));
    symlink("/dev/zero", dir.path("deals/zero.json")).unwrap();
    let start = Instant::now();
    let (code, reports, err) = check_jsonl(&policy, &[&dir.path("deals")], &[]);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(code, 0, "{err}");
    assert_eq!(checked(&dir, &reports), compliant(&["deals/a.yaml"]));
    assert!(
        err.contains("warning: skipped") && err.contains("pipe.yaml") && err.contains("a FIFO"),
        "{err}"
    );
    assert!(
        err.contains("zero.json") && err.contains("a device"),
        "{err}"
    );
}

#[test]
fn a_fifo_or_device_named_directly_is_read_within_the_limits() {
    let dir = Dir::new("special-named");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let pipe = dir.path("pipe.yaml");
    mkfifo(&pipe);
    let zero = dir.path("zero.json");
    symlink("/dev/zero", &zero).unwrap();
    let limits = ["--read-timeout", "300ms", "--max-deal-size", "1K"];
    let start = Instant::now();
    let (code, reports, _) = check_jsonl(&policy, &[&pipe, &zero], &limits);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(code, 2);
    assert_eq!(codes(&reports[0]), ["covenant::deal::unreadable"]);
    let message = reports[0]["errors"][0]["message"].as_str().unwrap();
    assert!(
        message.contains("nothing to read within 300 ms"),
        "{message}"
    );
    assert_eq!(codes(&reports[1]), ["covenant::deal::too-large"]);

    // A FIFO with a writer is read as a deal; a batch streams through one. (A new FIFO: the
    // reader that timed out above still waits on the first one.)
    for (name, text, deals) in [
        ("written.yaml", DEAL_YAML.to_string(), 1),
        ("written.jsonl", format!("{DEAL_JSON}\n").repeat(3), 3),
    ] {
        let fifo = dir.path(name);
        mkfifo(&fifo);
        let mut writer = Command::new("sh")
            .arg("-c")
            .arg(format!("sleep 0.2; printf '%s' '{text}' > '{fifo}'"))
            .spawn()
            .unwrap();
        let (code, reports, err) = check_jsonl(&policy, &[&fifo], &["--read-timeout", "20s"]);
        assert_eq!((code, reports.len()), (0, deals), "{err}");
        writer.wait().unwrap();
    }
}

#[test]
fn a_fifo_or_device_policy_is_refused_in_time() {
    let dir = Dir::new("special-policy");
    let deal = dir.file("d.yaml", DEAL_YAML);
    mkfifo(&dir.path("pipe.policy"));
    symlink("/dev/zero", dir.path("zero.policy")).unwrap();
    let uses_pipe = dir.file(
        "a.policy",
        "use \"pipe.policy\"\nrule r: board seats >= 1\n",
    );
    let uses_zero = dir.file(
        "b.policy",
        "use \"zero.policy\"\nrule r: board seats >= 1\n",
    );
    let limit = ["--read-timeout", "300ms", "--max-policy-size", "1K"];
    let runs: [(&str, &str); 4] = [
        (&uses_pipe, "covenant::policy::unreadable"),
        (&dir.path("pipe.policy"), "covenant::policy::unreadable"),
        (&uses_zero, "covenant::policy::too-large"),
        (&dir.path("zero.policy"), "covenant::policy::too-large"),
    ];
    for (policy, want) in runs {
        let start = Instant::now();
        let mut args = vec!["check", "-p", policy];
        args.extend(limit);
        args.push(&deal);
        let (code, _, err) = covenant(&args);
        assert!(start.elapsed() < Duration::from_secs(10), "{policy}");
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(want), "{policy}: {err}");
        if want.ends_with("unreadable") {
            assert!(err.contains("nothing to read"), "{err}");
        }
    }
}

#[test]
fn an_argument_without_deals_exits_2_naming_it() {
    let dir = Dir::new("no-deals");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let empty = dir.path("empty");
    std::fs::create_dir_all(&empty).unwrap();
    dir.file("only-notes/readme.txt", "no deal here");
    let good = dir.file("good.yaml", DEAL_YAML);
    let notes = dir.path("only-notes");
    let (code, reports, _) = check_jsonl(&policy, &[&empty, &good, &notes], &[]);
    assert_eq!(code, 2);
    assert_eq!(
        checked(&dir, &reports),
        [
            ("empty".to_string(), "invalid".to_string()),
            compliant(&["good.yaml"])[0].clone(),
            ("only-notes".to_string(), "invalid".to_string()),
        ]
    );
    let message = reports[0]["errors"][0]["message"].as_str().unwrap();
    assert_eq!(message, format!("no deals found in folder `{empty}`"));
    let (code, out, _) = covenant(&["check", "-p", &policy, "--color", "never", &empty]);
    assert_eq!(code, 2);
    assert!(out.contains("no deals found in folder"), "{out}");
}

#[test]
fn diff_with_a_deal_that_cannot_be_read_exits_2() {
    let dir = Dir::new("diff-missing");
    let old = dir.file("old.policy", SMALL_POLICY);
    let good = dir.file("good.yaml", DEAL_YAML);
    let empty = dir.path("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let (code, _, err) = covenant(&["diff", &old, &old, &good]);
    assert_eq!(code, 0, "{err}");
    for missing in [dir.path("missing.yaml"), empty] {
        let (code, out, err) = covenant(&["diff", &old, &old, &good, &missing]);
        assert_eq!(code, 2, "{out}");
        assert!(err.contains(&format!("`{missing}`")), "{err}");
    }
}

/// Run the binary with `stdin` as standard input: (exit code, stdout, stderr).
fn with_stdin(args: &[&str], stdin: &str) -> (i32, String, String) {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.as_bytes()).unwrap();
    drop(input);
    let run = child.wait_with_output().unwrap();
    (
        run.status.code().unwrap(),
        String::from_utf8(run.stdout).unwrap(),
        String::from_utf8(run.stderr).unwrap(),
    )
}

#[test]
fn standard_input_is_pretty_json_toml_yaml_or_json_lines() {
    let dir = Dir::new("stdin");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let pretty = "{\n  \"proposal\": \"x\",\n  \"board\": {\n    \"seats\": 2\n  }\n}\n";
    let toml = "# a TOML deal\nproposal = \"x\"\n\n[board]\nseats = 2\n";
    let lines = format!("{DEAL_JSON}\n\n{DEAL_JSON}\n");
    let cases: [(&str, &str, usize); 5] = [
        (pretty, "", 1),
        (toml, "", 1),
        (DEAL_YAML, "", 1),
        (&lines, "", 2),
        (DEAL_JSON, "", 1),
    ];
    for (text, _, deals) in cases {
        let (code, out, err) =
            with_stdin(&["check", "-p", &policy, "--format", "jsonl", "-"], text);
        assert_eq!(
            (code, out.lines().count()),
            (0, deals),
            "{text}\n{out}{err}"
        );
    }
    // Named: a one-line JSON document read as JSON lines is the same deal; a TOML document
    // that detection would take for something else is read as TOML.
    let named: [(&str, &str, i32, usize); 4] = [
        (&lines, "jsonl", 0, 2),
        (DEAL_JSON, "json", 0, 1),
        ("proposal = 'x'\nboard.seats = 2\n", "toml", 0, 1),
        (pretty, "yaml", 0, 1),
    ];
    for (text, format, want, deals) in named {
        let args = [
            "check",
            "-p",
            &policy,
            "--format",
            "jsonl",
            "--stdin-format",
            format,
            "-",
        ];
        let (code, out, err) = with_stdin(&args, text);
        assert_eq!(
            (code, out.lines().count()),
            (want, deals),
            "{format}\n{out}{err}"
        );
    }
    // The wrong format named is an invalid deal, never a pass.
    let args = [
        "check",
        "-p",
        &policy,
        "--format",
        "jsonl",
        "--stdin-format",
        "json",
        "-",
    ];
    let (code, out, _) = with_stdin(&args, toml);
    assert_eq!((code, out.lines().count()), (2, 1), "{out}");
    // explain reads standard input the same way.
    for (text, format) in [(pretty, None), (toml, None), (toml, Some("toml"))] {
        let mut args = vec!["explain", "-p", &policy];
        if let Some(f) = format {
            args.extend(["--stdin-format", f]);
        }
        args.push("-");
        let (code, out, err) = with_stdin(&args, text);
        assert_eq!(code, 0, "{text}\n{out}{err}");
        assert!(out.contains("rule seats [error]: pass"), "{out}");
    }
}
