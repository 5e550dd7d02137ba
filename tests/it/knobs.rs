//! The knobs (issue 17, item 4): `covenant.toml`, `--exclude` and the folders a deal search
//! skips, TOML on standard input, `fmt -` and `fmt --list`, `lint --deny-warnings` and
//! `# covenant: allow`, `--color` and `NO_COLOR`, completions and the manual page, and the exit
//! code of `explain`. Decisions: `docs/cli.md`.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

use clap::Parser;
use serde_json::Value;

use crate::support::{covenant, repo, Dir};

const BIN: &str = env!("CARGO_BIN_EXE_covenant");
const PASSING: &str = "proposal: x\nboard: {seats: 3}\n";
const FAILING: &str = "proposal: x\nboard: {seats: 0}\n";
const POLICY: &str = "rule seats: board seats >= 1\n";

/// Run the binary in `cwd`, where it looks for `covenant.toml`: (exit code, stdout, stderr).
fn covenant_in(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    binary(cwd, args, "", &[])
}

/// Run the binary in `cwd` with `stdin` and extra environment: (exit code, stdout, stderr).
fn binary(cwd: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> (i32, String, String) {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        command.env(k, v);
    }
    let mut child = command.spawn().unwrap();
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

/// The deals of a JSON-lines report, by path relative to `dir`, with their verdicts.
fn verdicts(dir: &Dir, out: &str) -> Vec<(String, String)> {
    let prefix = format!("{}/", dir.0.display());
    out.lines()
        .map(|l| {
            let r: Value = serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}"));
            let path = r["path"].as_str().unwrap();
            let path = path.strip_prefix(&prefix).unwrap_or(path);
            (path.to_string(), r["verdict"].as_str().unwrap().to_string())
        })
        .collect()
}

/// A project: a policy folder, deals (one in `deals/drafts/`), a `.git` and `covenant.toml`.
fn project(toml: &str) -> Dir {
    let dir = Dir::new("knobs-project");
    std::fs::create_dir_all(dir.0.join(".git")).unwrap();
    dir.file("rules/p.policy", POLICY);
    dir.file("deals/good.yaml", PASSING);
    dir.file("deals/drafts/bad.yaml", FAILING);
    dir.file("sub/folder/.keep", "");
    dir.file("covenant.toml", toml);
    dir
}

#[test]
fn the_config_file_sets_flags_the_command_line_does_not_give() {
    let toml = "policy = \"rules\"\nexclude = [\"drafts\"]\n\n[check]\nformat = \"jsonl\"\n";
    let dir = project(toml);
    let cwd = dir.0.join("sub/folder");
    // Found two folders up; `rules` is relative to the file, `../../deals` to the working folder.
    let (code, out, err) = covenant_in(&cwd, &["check", "../../deals"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(verdicts(&dir, &out).len(), 1, "{out}");
    assert!(out.contains("good.yaml"), "{out}");
    // The command line wins: another format, and `--exclude` replaces the file's list.
    let (code, out, err) = covenant_in(
        &cwd,
        &[
            "check",
            "../../deals",
            "--format",
            "json",
            "--exclude",
            "none",
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["deals"].as_array().unwrap().len(), 2, "{out}");
    // `--no-config` reads none: no policy is given then.
    let (code, _, err) = covenant_in(&cwd, &["--no-config", "check", "../../deals"]);
    assert_eq!(code, 2);
    assert!(err.contains("no policy given"), "{err}");
    // `--config FILE` names one; its paths are relative to its own folder.
    let other = dir.file(
        "elsewhere/other.toml",
        "policy = \"../rules\"\ncheck.format = \"jsonl\"\n",
    );
    let (code, out, err) = covenant_in(&cwd, &["check", "--config", &other, "../../deals"]);
    assert_eq!((code, verdicts(&dir, &out).len()), (1, 2), "{out}{err}");
}

#[test]
fn a_key_at_the_top_applies_to_every_command_with_the_flag() {
    let dir = project("policy = \"rules\"\ndeny-warnings = true\nformat = \"json\"\n");
    dir.file(
        "rules/p.policy",
        "let unused = 5\nrule seats: board seats >= 1\n",
    );
    let (code, out, err) = covenant_in(&dir.0, &["lint"]);
    assert_eq!(code, 1, "deny-warnings applies to lint: {out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert!(report["findings"].is_array(), "{out}");
    let (code, out, err) = covenant_in(&dir.0, &["explain", "deals/good.yaml"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.trim_start().starts_with('{'), "{out}");
}

#[test]
fn the_file_is_not_read_above_the_repository_root() {
    let outer = Dir::new("knobs-outer");
    outer.file("covenant.toml", "notasetting = 1\n");
    outer.file("repo/.git/HEAD", "");
    outer.file("repo/p.policy", POLICY);
    outer.file("repo/d.yaml", PASSING);
    let repo_dir = outer.0.join("repo");
    let (code, _, err) = covenant_in(&repo_dir, &["check", "-p", "p.policy", "d.yaml"]);
    assert_eq!(code, 0, "{err}");
    // Without `.git`, the file above is found, and its error shown.
    std::fs::remove_dir_all(repo_dir.join(".git")).unwrap();
    let (code, _, err) = covenant_in(&repo_dir, &["check", "-p", "p.policy", "d.yaml"]);
    assert_eq!(code, 2);
    assert!(err.contains("covenant::config::unknown-key"), "{err}");
    // Commands that do not read the file do not fail on it.
    let (code, out, _) = covenant_in(&repo_dir, &["completions", "bash"]);
    assert_eq!(code, 0);
    assert!(!out.is_empty());
}

#[test]
fn a_bad_config_file_is_shown_at_its_place() {
    let cases: [(&str, &str, &str); 6] = [
        (
            "polcy = \"rules\"\n",
            "covenant::config::unknown-key",
            "did you mean `policy`?",
        ),
        (
            "[lint]\nstrict = true\n",
            "covenant::config::unknown-key",
            "`strict` is not a setting of `covenant lint`",
        ),
        (
            "[check]\nformat = \"xml\"\n",
            "covenant::config::bad-value",
            "'xml' for '--format",
        ),
        (
            "strict = \"yes\"\n",
            "covenant::config::bad-value",
            "not `true` or `false`",
        ),
        (
            "jobs = 999\nmax-deal-size = \"12X\"\n",
            "covenant::config::bad-value",
            "--max-deal-size",
        ),
        (
            "policy = [\"a\"\n",
            "covenant::config::syntax",
            "not valid TOML",
        ),
    ];
    for (toml, code, message) in cases {
        let dir = project(toml);
        let (exit, out, err) = covenant_in(&dir.0, &["check", "-p", "rules", "deals"]);
        assert_eq!(exit, 2, "{toml}: {out}{err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains(code) && err.contains(message),
            "{toml}:\n{err}"
        );
        assert!(err.contains("covenant.toml:"), "the place is shown: {err}");
        assert!(
            err.contains("error: the config file cannot be used"),
            "{err}"
        );
    }
    // A value at the top must suit every command with the flag: one error says so.
    let dir = project("format = \"sarif\"\n");
    let (code, _, err) = covenant_in(&dir.0, &["check", "deals"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("(1 problem)") && err.contains("[COMMAND]"),
        "{err}"
    );
    // Both problems of one file are reported.
    let dir = project("jobs = 999\nmax-deal-size = \"12X\"\n");
    let (_, _, err) = covenant_in(&dir.0, &["check", "deals"]);
    assert!(err.contains("(2 problems)"), "{err}");
    let (code, _, err) = covenant_in(&dir.0, &["check", "--config", "missing.toml", "deals"]);
    assert_eq!(code, 2);
    assert!(err.contains("covenant::config::unreadable"), "{err}");
}

#[test]
fn folder_searches_skip_test_suites_snapshots_and_excluded_globs() {
    let dir = Dir::new("knobs-exclude");
    let policy = dir.file("p.policy", POLICY);
    dir.file("deals/a.yaml", PASSING);
    dir.file("deals/case.test.yaml", "policy: p.policy\ncases: []\n");
    dir.file("deals/case.snapshots/one.json", "{\"not\": \"a deal\"}");
    dir.file("deals/archive/old.yaml", FAILING);
    dir.file("deals/b.draft.yaml", FAILING);
    let deals = dir.path("deals");
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "-p", &policy, "--format", "jsonl", &deals];
        args.extend_from_slice(extra);
        let (code, out, err) = covenant(&args);
        (code, verdicts(&dir, &out), err)
    };
    let (code, found, err) = run(&[]);
    assert_eq!(code, 1, "{err}");
    let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
    assert_eq!(
        paths,
        [
            "deals/a.yaml",
            "deals/archive/old.yaml",
            "deals/b.draft.yaml"
        ]
    );
    let (code, found, err) = run(&["--exclude", "archive", "--exclude", "*.draft.yaml"]);
    assert_eq!((code, found.len()), (0, 1), "{found:?}{err}");
    let (_, found, _) = run(&["--exclude", "archive/**"]);
    assert_eq!(found.len(), 2, "{found:?}");
    // A file named on the command line is read, excluded or not.
    let draft = dir.path("deals/b.draft.yaml");
    let args = [
        "check",
        "-p",
        &policy,
        "--exclude",
        "*.draft.yaml",
        "--format",
        "jsonl",
        &draft,
    ];
    assert_eq!(covenant(&args).0, 1);
    // The examples' suites and snapshots are no deals.
    let tests = repo("examples/tests");
    let (code, out, _) = covenant(&["check", "-p", &policy, "--format", "jsonl", &tests]);
    assert_eq!(code, 2);
    assert!(out.contains("no deals found"), "{out}");
    // `diff` searches the same way.
    let (code, out, err) = covenant(&["diff", &policy, &policy, &deals, "--exclude", "archive"]);
    assert_eq!(code, 0, "{out}{err}");
    // A glob that is not one is refused as the flag is read.
    for bad in ["/abs/**", "a[", ""] {
        let e = covenant_cli::Cli::try_parse_from(["covenant", "check", "--exclude", bad, "d"]);
        assert!(e.is_err(), "{bad}");
    }
}

/// The report of a deal without its path and the file its evidence names: the same wherever
/// it was read from.
fn without_path(mut report: Value) -> Value {
    fn drop_files(v: &mut Value) {
        match v {
            Value::Object(map) => {
                map.remove("file");
                map.values_mut().for_each(drop_files);
            }
            Value::Array(items) => items.iter_mut().for_each(drop_files),
            _ => {}
        }
    }
    let deal = report["deals"][0].as_object_mut().unwrap();
    assert!(deal.remove("path").is_some());
    drop_files(&mut report);
    report
}

#[test]
fn a_toml_deal_on_standard_input_is_the_deal_of_its_file() {
    let policies = repo("examples/policies");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut seen = 0;
    for entry in std::fs::read_dir(root.join("examples/deals")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path.to_str().unwrap();
        let args = [
            "--no-config",
            "check",
            "-p",
            &policies,
            "--format",
            "json",
            "--include-proposed",
            // No `evaluated_at`: the runs may fall in different seconds.
            "--deterministic",
        ];
        let (code, out, _) = binary(root, &[&args[..], &[file]].concat(), "", &[]);
        let expected = without_path(serde_json::from_str(&out).unwrap());
        for named in [&[][..], &["--stdin-format", "toml"][..]] {
            let argv = [&args[..], named, &["-"]].concat();
            let (piped_code, out, err) = binary(root, &argv, &text, &[]);
            assert_eq!(piped_code, code, "{file} {named:?}: {err}");
            let piped = without_path(serde_json::from_str(&out).unwrap());
            assert_eq!(piped, expected, "{file} {named:?}");
        }
        seen += 1;
    }
    assert!(seen >= 3, "too few TOML examples: {seen}");
}

#[test]
fn fmt_formats_standard_input_to_standard_output() {
    let dir = Dir::new("knobs-fmt-stdin");
    let messy = "rule   seats:   board seats>=1   # note\n";
    let (code, out, err) = binary(&dir.0, &["fmt", "-"], messy, &[]);
    assert_eq!(
        (code, out.as_str()),
        (0, "rule seats: board seats >= 1  # note\n"),
        "{err}"
    );
    let (code, out, _) = binary(&dir.0, &["fmt", "-"], &out, &[]);
    assert_eq!(
        (code, out.as_str()),
        (0, "rule seats: board seats >= 1  # note\n")
    );
    let (code, out, _) = binary(&dir.0, &["fmt", "--check", "-"], messy, &[]);
    assert_eq!(code, 1);
    assert!(out.contains("+rule seats: board seats >= 1"), "{out}");
    let (code, out, _) = binary(&dir.0, &["fmt", "--list", "-"], messy, &[]);
    assert_eq!((code, out.as_str()), (1, "-\n"));
    // Text that does not parse: its errors, and nothing on standard output.
    let (code, out, err) = binary(&dir.0, &["fmt", "-"], "rule r: (\n", &[]);
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(err.contains("covenant::parse::"), "{err}");
    let (code, _, err) = binary(&dir.0, &["fmt", "-", "x.policy"], "", &[]);
    assert_eq!(code, 2);
    assert!(err.contains("alone"), "{err}");
}

#[test]
fn fmt_list_names_the_files_to_format_and_writes_none() {
    let dir = Dir::new("knobs-fmt-list");
    let messy = dir.file("a.policy", "rule   seats:   board seats>=1\n");
    let tidy = dir.file("b.policy", POLICY);
    let (code, out, err) = covenant(&["fmt", "--list", &dir.path("")]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(out, format!("{messy}\n"));
    assert_eq!(
        std::fs::read_to_string(&messy).unwrap(),
        "rule   seats:   board seats>=1\n"
    );
    let (code, out, _) = covenant(&["fmt", "--list", &tidy]);
    assert_eq!((code, out.as_str()), (0, ""));
    let both = covenant_cli::Cli::try_parse_from(["covenant", "fmt", "--list", "--check", "x"]);
    assert!(both.is_err());
}

/// The codes of `covenant lint --format json` on a policy, and its exit code.
fn lint_codes(policy: &str, extra: &[&str]) -> (u8, Vec<String>) {
    let mut args = vec!["lint", "-p", policy, "--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = covenant(&args);
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}{err}"));
    let codes = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            f["code"]
                .as_str()
                .unwrap()
                .trim_start_matches("covenant::lint::")
                .to_string()
        })
        .collect();
    (code, codes)
}

#[test]
fn lint_deny_warnings_makes_a_warning_fail() {
    let dir = Dir::new("knobs-lint-deny");
    let warned = dir.file("w.policy", "let unused = 5\nrule seats: board seats >= 1\n");
    assert_eq!(
        lint_codes(&warned, &[]),
        (0, vec!["unused-definition".into(), "missing-cite".into()])
    );
    assert_eq!(lint_codes(&warned, &["--deny-warnings"]).0, 1);
    // An info is no warning.
    let info = dir.file("i.policy", POLICY);
    assert_eq!(
        lint_codes(&info, &["--deny-warnings"]),
        (0, vec!["missing-cite".into()])
    );
}

#[test]
fn an_allow_comment_keeps_its_findings_out_and_fmt_keeps_it() {
    let dir = Dir::new("knobs-lint-allow");
    let text = "\
# covenant: allow unused-definition
let unused = 5
let spare = 6  # covenant: allow covenant::lint::unused-definition
let other = 7

# covenant: allow missing-cite
rule seats: board seats >= 1

rule chair {
  # covenant: allow lint::missing-cite
  require board seats >= 2
}

rule third: board seats >= 3  # covenant: allow never-passes
";
    let policy = dir.file("p.policy", text);
    let (code, codes) = lint_codes(&policy, &["--deny-warnings"]);
    // `other` is unused, and `third` has no cite: nothing allows those.
    assert_eq!(codes, ["unused-definition", "missing-cite"]);
    assert_eq!(code, 1);
    let (_, out, _) = covenant(&["lint", "-p", &policy, "--format", "json"]);
    assert!(
        out.contains("`other`") && out.contains("\"line\": 14"),
        "{out}"
    );
    // The comments survive formatting, where they were.
    let (code, _, _) = covenant(&["fmt", "--check", &policy]);
    assert_eq!(code, 0, "the fixture is formatted");
    // A compile error is never allowed.
    let broken = dir.file(
        "b.policy",
        "rule r: nothing here >= 1 # covenant: allow unknown-phrase\n",
    );
    let (code, _, _) = covenant(&["lint", "-p", &broken]);
    assert_eq!(code, 2);
}

#[test]
fn color_takes_auto_always_or_never_on_every_command() {
    let commands: [(&str, &[&str]); 4] = [
        ("check", &["d.yaml"]),
        ("lint", &[]),
        ("diff", &["old", "new", "d.yaml"]),
        ("test", &[]),
    ];
    for (command, rest) in commands {
        let argv =
            |when: &'static str| [&["covenant", command, "--color", when][..], rest].concat();
        for when in ["auto", "always", "never"] {
            let parsed = covenant_cli::Cli::try_parse_from(argv(when));
            assert!(parsed.is_ok(), "{command} --color {when}");
        }
        let e = covenant_cli::Cli::try_parse_from(argv("yes")).unwrap_err();
        assert_eq!(e.kind(), clap::error::ErrorKind::InvalidValue, "{command}");
        assert!(e.to_string().contains("auto, always, never"), "{e}");
    }
}

/// Run `covenant ARGS` on a terminal (a pseudo-terminal from `script`), with `env`: its output.
fn on_a_terminal(cwd: &Path, args: &str, env: &[(&str, &str)]) -> String {
    let mut command = Command::new("script");
    command
        // Standard error (a progress bar) stays out: standard output is what is coloured.
        .args(["-qec", &format!("{BIN} {args} 2>/dev/null"), "/dev/null"])
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .stdin(Stdio::null());
    for (k, v) in env {
        command.env(k, v);
    }
    let run = command.output().unwrap();
    String::from_utf8_lossy(&run.stdout).into_owned()
}

#[test]
fn no_color_turns_colour_off_on_a_terminal_unless_the_flag_asks() {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` to make a terminal");
        return;
    }
    let dir = Dir::new("knobs-no-color");
    dir.file("p.policy", POLICY);
    dir.file("d.yaml", FAILING);
    let args = "--no-config check -p p.policy d.yaml";
    let escape = '\u{1b}';
    assert!(
        on_a_terminal(&dir.0, args, &[]).contains(escape),
        "colour on a terminal"
    );
    assert!(!on_a_terminal(&dir.0, args, &[("NO_COLOR", "1")]).contains(escape));
    // An empty NO_COLOR asks nothing (no-color.org); the flag wins over it.
    assert!(on_a_terminal(&dir.0, args, &[("NO_COLOR", "")]).contains(escape));
    let always = format!("{args} --color always");
    assert!(on_a_terminal(&dir.0, &always, &[("NO_COLOR", "1")]).contains(escape));
    let never = format!("{args} --color never");
    assert!(!on_a_terminal(&dir.0, &never, &[]).contains(escape));
}

#[test]
fn completions_and_the_manual_page_cover_every_command() {
    for (shell, marker) in [
        ("bash", "_covenant()"),
        ("zsh", "#compdef covenant"),
        ("fish", "complete -c covenant"),
    ] {
        let (code, out, err) = covenant(&["completions", shell]);
        assert_eq!(code, 0, "{err}");
        assert!(
            out.contains(marker),
            "{shell}: {}",
            &out[..out.len().min(300)]
        );
        for word in ["check", "explain", "fmt", "exclude", "deny-warnings"] {
            assert!(out.contains(word), "{shell} completes no `{word}`");
        }
    }
    let (code, out, _) = covenant(&["man"]);
    assert_eq!(code, 0);
    assert!(out.contains(".TH covenant 1"), "{out}");
    assert!(
        out.contains("covenant\\-check"),
        "the commands are listed: {out}"
    );
    let (code, out, _) = covenant(&["man", "check"]);
    assert_eq!(code, 0);
    assert!(
        out.contains(".TH covenant\\-check 1") || out.contains(".TH covenant-check 1"),
        "{out}"
    );
    assert!(out.contains("\\-\\-exclude"), "{out}");
    let (code, _, err) = covenant(&["man", "nothing"]);
    assert_eq!(code, 2);
    assert!(err.contains("no command `nothing`"), "{err}");
    // `man` is for packagers: not in the help.
    let help = covenant_cli::Cli::try_parse_from(["covenant", "--help"])
        .unwrap_err()
        .to_string();
    assert!(
        help.contains("completions") && !help.contains("\n  man "),
        "{help}"
    );
}

/// A command's arguments are added to its definition only when it is used (`#[command(defer)]`
/// on `covenant_cli::Command`). Its help still opens with the description the list of commands
/// gives it (a doc comment on arguments it flattens would take its place) and still offers the
/// global options.
#[test]
fn each_command_s_help_opens_with_its_description() {
    let help = |args: &[&str]| {
        covenant_cli::Cli::try_parse_from(args)
            .unwrap_err()
            .to_string()
    };
    let top = help(&["covenant", "--help"]);
    let listed: Vec<(&str, &str)> = top
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.trim().split_once(' '))
        .map(|(name, about)| (name, about.trim()))
        .filter(|(name, _)| *name != "help")
        .collect();
    assert!(listed.len() >= 10, "{top}");
    for (name, about) in listed {
        let own = help(&["covenant", name, "--help"]);
        assert_eq!(
            own.lines().next(),
            Some(about),
            "covenant {name} --help:\n{own}"
        );
        assert!(
            own.contains("--config <FILE>"),
            "covenant {name} --help:\n{own}"
        );
    }
}

#[test]
fn explain_exits_as_check_does_for_the_rules_it_explains() {
    let policies = repo("examples/policies");
    let deal = |name: &str| repo(&format!("examples/deals/{name}"));
    let explain = |name: &str, extra: &[&str]| {
        let d = deal(name);
        let mut args = vec!["explain", "-p", &policies, &d];
        args.extend_from_slice(extra);
        covenant(&args).0
    };
    let check = |name: &str| covenant(&["check", "-p", &policies, &deal(name)]).0;
    // A rule in force that fails, is incomplete, passes, does not apply.
    assert_eq!(
        explain(
            "acme-dragon-connected-vehicle.yaml",
            &["--rule", "connected-vehicle"]
        ),
        1
    );
    assert_eq!(
        explain("acme-dragon-undated.json", &["--rule", "connected-vehicle"]),
        1
    );
    assert_eq!(
        explain("acme-dragon-51-49.yaml", &["--rule", "cfius-filing"]),
        0
    );
    assert_eq!(
        explain("acme-dragon-51-49.yaml", &["--rule", "connected-vehicle"]),
        0
    );
    // A reported rule does not count, unless --include-proposed; a warning rule only with
    // --deny-warnings.
    assert_eq!(
        explain("liberty-pearl-50-50.json", &["--rule", "american-control"]),
        0
    );
    let counted = ["--rule", "american-control", "--include-proposed"];
    assert_eq!(explain("liberty-pearl-50-50.json", &counted), 1);
    let warning = ["--rule", "equal-profit", "--include-proposed"];
    assert_eq!(explain("acme-dragon-us-control-waiver.toml", &warning), 0);
    let denied = [&warning[..], &["--deny-warnings"]].concat();
    assert_eq!(explain("acme-dragon-us-control-waiver.toml", &denied), 1);
    // Every rule: the exit code of `check`, in both formats.
    for name in [
        "acme-dragon-51-49.yaml",
        "acme-dragon-connected-vehicle.yaml",
        "acme-dragon-undated.json",
    ] {
        assert_eq!(explain(name, &[]), check(name), "{name}");
        assert_eq!(explain(name, &["--format", "json"]), check(name), "{name}");
    }
}
