//! The distribution files (docs/install.md, docs/ci.md): the Dockerfile, the GitHub Action and
//! its example workflow, the pre-commit hooks and `covenant schema --json`. Each file is linted
//! by its own tool where one can be installed here (`.ci/linters`: hadolint, actionlint,
//! pre-commit; docs/testing.md), and checked for what it must say; the Action's shell steps
//! are run.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use covenant::deal::{document_json, Format};
use serde_json::{json, Value};

use crate::support::{covenant, Dir};

const BIN: &str = env!("CARGO_BIN_EXE_covenant");

/// The linters installed by `.ci/linters`, or `None` when `COVENANT_SKIP_LINTERS=1`.
struct Linters {
    hadolint: PathBuf,
    actionlint: PathBuf,
    pre_commit_path: PathBuf,
}

fn linters() -> Option<&'static Linters> {
    static LINTERS: OnceLock<Option<Linters>> = OnceLock::new();
    LINTERS
        .get_or_init(|| {
            if std::env::var_os("COVENANT_SKIP_LINTERS").is_some_and(|v| v == "1") {
                eprintln!("COVENANT_SKIP_LINTERS=1: the distribution files are not linted");
                return None;
            }
            let run = Command::new("bash").arg(".ci/linters").output().unwrap();
            let err = String::from_utf8_lossy(&run.stderr);
            assert!(
                run.status.success(),
                ".ci/linters could not install the linters:\n{err}"
            );
            let out = String::from_utf8(run.stdout).unwrap();
            let path = |name: &str| {
                let line = out.lines().find_map(|l| l.strip_prefix(name)).unwrap();
                PathBuf::from(line.trim())
            };
            Some(Linters {
                hadolint: path("hadolint:"),
                actionlint: path("actionlint:"),
                pre_commit_path: dir_of_pythonpath(&out),
            })
        })
        .as_ref()
}

fn dir_of_pythonpath(out: &str) -> PathBuf {
    let line = out
        .lines()
        .find_map(|l| l.strip_prefix("pre-commit: PYTHONPATH="))
        .unwrap();
    PathBuf::from(line.split_whitespace().next().unwrap())
}

/// Run a linter: (success, everything it printed).
fn lint(program: &Path, args: &[&str]) -> (bool, String) {
    let run = Command::new(program).args(args).output().unwrap();
    let text =
        String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr);
    (run.status.success(), text)
}

fn yaml(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    document_json(&text, Format::Yaml).unwrap_or_else(|e| panic!("{path}: {e}"))
}

// The Dockerfile.

#[test]
fn the_dockerfile_passes_hadolint() {
    let Some(l) = linters() else { return };
    let (ok, out) = lint(&l.hadolint, &["--no-color", "Dockerfile"]);
    assert!(ok, "{out}");
    // The linter does find what it should: an untagged image and unpinned packages.
    let dir = Dir::new("hadolint");
    let bad = dir.file("Dockerfile", "FROM debian\nRUN apt-get install -y curl\n");
    let (ok, out) = lint(&l.hadolint, &["--no-color", &bad]);
    assert!(
        !ok && out.contains("DL3006") && out.contains("DL3008"),
        "{out}"
    );
}

/// The stages of the Dockerfile: (image, the lines of the stage).
fn stages() -> Vec<(String, Vec<String>)> {
    let text = std::fs::read_to_string("Dockerfile").unwrap();
    let mut stages: Vec<(String, Vec<String>)> = Vec::new();
    // Instructions, with their continuation lines joined.
    let joined = text.replace("\\\n", " ");
    for line in joined.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if let Some(from) = line.strip_prefix("FROM ") {
            stages.push((from.trim().to_string(), Vec::new()));
        } else if let Some((_, lines)) = stages.last_mut() {
            lines.push(line.to_string());
        }
    }
    stages
}

#[test]
fn the_image_is_built_in_one_stage_and_runs_covenant_unprivileged_in_another() {
    let stages = stages();
    assert_eq!(stages.len(), 2, "{stages:?}");
    let (build, build_lines) = &stages[0];
    assert_eq!(build, "rust:1-bookworm AS build");
    assert!(
        build_lines
            .iter()
            .any(|l| l.starts_with("RUN ") && l.contains("cargo build --profile dist --locked")),
        "{build_lines:?}"
    );
    let (runtime, lines) = &stages[1];
    assert_eq!(runtime, "debian:bookworm-slim");
    let has = |prefix: &str| {
        lines
            .iter()
            .filter(|l| l.starts_with(prefix))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        has("COPY "),
        ["COPY --from=build /out/covenant /usr/local/bin/covenant"]
    );
    assert_eq!(has("ENTRYPOINT "), ["ENTRYPOINT [\"covenant\"]"]);
    let user = has("USER ");
    let user = user.last().unwrap().trim_start_matches("USER ");
    let uid: u32 = user.split(':').next().unwrap().parse().unwrap();
    assert!(uid >= 1000, "the image must not run as root: {user}");
    // The build context leaves out the build folder (many GB) and the history.
    let ignored = std::fs::read_to_string(".dockerignore").unwrap();
    for path in ["target/", ".git/"] {
        assert!(
            ignored.lines().any(|l| l == path),
            "{path} not in .dockerignore"
        );
    }
}

/// The runtime image holds glibc and libgcc only: the binary must need nothing else.
#[test]
fn the_binary_links_only_what_the_runtime_image_has() {
    let Ok(run) = Command::new("ldd").arg(BIN).output() else {
        eprintln!("no ldd: the libraries of the binary are not checked");
        return;
    };
    let out = String::from_utf8(run.stdout).unwrap();
    let allowed = [
        "linux-vdso.so",
        "libgcc_s.so",
        "libm.so",
        "libc.so",
        "ld-linux",
        "libpthread.so",
        "libdl.so",
        "librt.so",
    ];
    let libraries: Vec<&str> = out
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(libraries.iter().any(|l| l.starts_with("libc.so")), "{out}");
    for library in libraries {
        let base = library.rsplit('/').next().unwrap();
        assert!(
            allowed.iter().any(|a| base.starts_with(a)),
            "{base} is not in debian:bookworm-slim:\n{out}"
        );
    }
}

// The GitHub Action and its example workflow.

#[test]
fn the_example_workflow_passes_actionlint() {
    let Some(l) = linters() else { return };
    let (ok, out) = lint(&l.actionlint, &["docs/examples/github/covenant.yml"]);
    assert!(ok && out.contains("Checking 1 workflow file(s)"), "{out}");
    let dir = Dir::new("actionlint");
    let bad = dir.file(
        "bad.yml",
        "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n",
    );
    let (ok, out) = lint(&l.actionlint, &[&bad]);
    assert!(!ok && out.contains("\"nope\" is not defined"), "{out}");
}

/// actionlint reads workflows, not an action's metadata: the Action's steps are linted as the
/// steps of a reusable workflow whose inputs and outputs are the Action's (the expressions, the
/// step ids they name, the inputs of the actions they use).
#[test]
fn the_actions_steps_pass_actionlint_as_a_workflow() {
    let Some(l) = linters() else { return };
    let action = yaml("action.yml");
    let inputs: serde_json::Map<String, Value> = action["inputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, input)| {
            let mut spec = json!({"type": "string", "required": input["required"] == true});
            if let Some(default) = input.get("default") {
                spec["default"] = default.clone();
            }
            (name.clone(), spec)
        })
        .collect();
    let outputs: serde_json::Map<String, Value> = action["outputs"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(name, output)| (name.clone(), output["value"].clone()))
        .collect();
    let workflow = json!({
        "name": "the steps of action.yml",
        "on": {"workflow_call": {"inputs": inputs}},
        "jobs": {"action": {
            "runs-on": "ubuntu-latest",
            "outputs": outputs,
            "steps": action["runs"]["steps"],
        }},
    });
    let dir = Dir::new("action-steps");
    // JSON is YAML.
    let file = dir.file(
        "action-steps.yml",
        serde_json::to_string_pretty(&workflow).unwrap(),
    );
    let (ok, out) = lint(&l.actionlint, &[&file]);
    assert!(ok && out.contains("Checking 1 workflow file(s)"), "{out}");
}

/// The step of `action.yml` named `name`: its shell script.
fn step_script(action: &Value, name: &str) -> String {
    let steps = action["runs"]["steps"].as_array().unwrap();
    let step = steps
        .iter()
        .find(|s| s["name"] == name)
        .unwrap_or_else(|| panic!("no step {name}"));
    step["run"].as_str().unwrap().to_string()
}

#[test]
fn the_action_checks_with_sarif_and_uploads_the_log() {
    let action = yaml("action.yml");
    assert_eq!(action["runs"]["using"], "composite");
    assert_eq!(action["inputs"]["deals"]["required"], true);
    for input in [
        "policy",
        "args",
        "sarif-file",
        "upload",
        "category",
        "fail-on",
    ] {
        assert!(
            action["inputs"][input]["description"].is_string(),
            "{input}"
        );
    }
    assert!(step_script(&action, "Check the deals")
        .contains("covenant check \"${policies[@]}\" --format sarif"));
    let steps = action["runs"]["steps"].as_array().unwrap();
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("github/codeql-action/upload-sarif@"))
        })
        .unwrap();
    assert_eq!(upload["with"]["sarif_file"], "${{ inputs.sarif-file }}");
    assert_eq!(
        action["outputs"]["exit-code"]["value"],
        "${{ steps.check.outputs.exit-code }}"
    );
    // Every path the cache key is computed from exists, and the build reads nothing else of
    // the repository (the sources, the grammar, the diagnostics page compiled in).
    let key = step_script(&action, "Name the build of covenant");
    let find = key.lines().find_map(|l| l.split_once("find ")).unwrap().1;
    let listed: Vec<&str> = find
        .split_whitespace()
        .take_while(|w| !w.starts_with('-'))
        .collect();
    assert_eq!(
        listed,
        [
            "Cargo.toml",
            "Cargo.lock",
            "src",
            "crates",
            "grammar",
            "docs/diagnostics.md"
        ]
    );
    for path in listed {
        assert!(Path::new(path).exists(), "{path}");
    }
}

/// Run a step's script as GitHub runs a `bash` step, with `covenant` (this build) on the PATH:
/// (exit code, what it wrote to `$GITHUB_OUTPUT`, its output).
fn run_step(script: &str, env: &[(&str, &str)], dir: &Dir) -> (i32, String, String) {
    let outputs = dir.path("github-output");
    std::fs::write(&outputs, "").unwrap();
    let file = dir.file("step.sh", script);
    let bin = Path::new(BIN).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let run = Command::new("bash")
        .args(["--noprofile", "--norc", "-eo", "pipefail", &file])
        .env("PATH", path)
        .env("GITHUB_OUTPUT", &outputs)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&run.stdout).into_owned() + &String::from_utf8_lossy(&run.stderr);
    (
        run.status.code().unwrap(),
        std::fs::read_to_string(&outputs).unwrap(),
        text,
    )
}

#[test]
fn the_actions_check_step_writes_the_log_and_keeps_the_exit_code() {
    let action = yaml("action.yml");
    let script = step_script(&action, "Check the deals");
    let dir = Dir::new("action-check");
    let sarif = dir.path("out.sarif");
    let deals =
        "examples/deals/acme-dragon-51-49.yaml\n\nexamples/deals/acme-dragon-hk-chain.yaml\n";
    let env = [
        ("POLICY", "examples/policies\n"),
        ("DEALS", deals),
        ("ARGS", "--as-of 2026-06-30  --deny-warnings"),
        ("SARIF_FILE", sarif.as_str()),
    ];
    let (code, outputs, text) = run_step(&script, &env, &dir);
    assert_eq!(code, 0, "the step itself succeeds: {text}");
    assert_eq!(outputs, "exit-code=1\nwritten=true\n", "{text}");
    let log: Value = serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    let run = &log["runs"][0];
    assert_eq!(run["properties"]["as_of"], "2026-06-30");
    let checked: Vec<&str> = run["properties"]["deals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        checked,
        [
            "examples/deals/acme-dragon-51-49.yaml",
            "examples/deals/acme-dragon-hk-chain.yaml"
        ]
    );
    assert!(!run["results"].as_array().unwrap().is_empty());
    // A policy that cannot be read: exit 2, recorded.
    let env = [
        ("POLICY", "no/such/folder"),
        ("DEALS", deals),
        ("ARGS", ""),
        ("SARIF_FILE", sarif.as_str()),
    ];
    let (code, outputs, text) = run_step(&script, &env, &dir);
    assert_eq!(code, 0, "{text}");
    assert!(outputs.starts_with("exit-code=2\n"), "{outputs}{text}");
}

#[test]
fn the_actions_last_step_fails_as_fail_on_says() {
    let action = yaml("action.yml");
    let script = step_script(&action, "Fail on findings");
    let dir = Dir::new("action-fail-on");
    for (fail_on, code, want) in [
        ("findings", "0", 0),
        ("findings", "1", 1),
        ("findings", "2", 2),
        ("invalid", "1", 0),
        ("invalid", "2", 2),
        ("never", "2", 0),
        ("sometimes", "1", 2),
    ] {
        let (got, _, text) = run_step(&script, &[("FAIL_ON", fail_on), ("CODE", code)], &dir);
        assert_eq!(got, want, "fail-on {fail_on}, exit {code}: {text}");
    }
}

// The pre-commit hooks.

#[test]
fn the_pre_commit_hooks_are_a_valid_manifest() {
    let Some(l) = linters() else { return };
    let run = |file: &str| {
        let out = Command::new("python3")
            .args(["-m", "pre_commit", "validate-manifest", file])
            .env("PYTHONPATH", &l.pre_commit_path)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.success(), text)
    };
    let (ok, text) = run(".pre-commit-hooks.yaml");
    assert!(ok, "{text}");
    let dir = Dir::new("pre-commit");
    let bad = dir.file("hooks.yaml", "- id: x\n  entry: y\n");
    let (ok, text) = run(&bad);
    assert!(!ok && text.contains("Missing required key: name"), "{text}");
}

/// Each hook's command does its work on the example policies: pre-commit runs `entry`, then
/// the hook's `args`, then the files changed (unless `pass_filenames` is false).
#[test]
fn the_pre_commit_hooks_run_fmt_check_and_lint() {
    let hooks = yaml(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().unwrap();
    let ids: Vec<&str> = hooks.iter().map(|h| h["id"].as_str().unwrap()).collect();
    assert_eq!(ids, ["covenant-fmt", "covenant-lint"]);
    let policies: Vec<String> = std::fs::read_dir("examples/policies")
        .unwrap()
        .map(|e| e.unwrap().path().display().to_string())
        .filter(|p| p.ends_with(".policy"))
        .collect();
    let dir = Dir::new("hooks");
    let unformatted = dir.file("x.policy", "rule   r:board seats>1\n");
    for hook in hooks {
        assert_eq!(
            hook["language"], "rust",
            "pre-commit builds covenant with cargo"
        );
        assert_eq!(hook["files"], "\\.policy$");
        let mut args: Vec<String> = hook["entry"]
            .as_str()
            .unwrap()
            .split(' ')
            .skip(1)
            .map(String::from)
            .collect();
        args.extend(
            hook["args"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|a| a.as_str().unwrap().to_string()),
        );
        let with_files = hook["pass_filenames"] != false;
        let run = |files: &[String], policy: &str| {
            let mut all = args.clone();
            if with_files {
                all.extend_from_slice(files);
            } else {
                all.extend(["-p".to_string(), policy.to_string()]);
            }
            let all: Vec<&str> = all.iter().map(String::as_str).collect();
            covenant(&all)
        };
        let (code, out, err) = run(&policies, "examples/policies");
        assert_eq!(code, 0, "{}: {out}{err}", hook["id"]);
        // And the hook fails where it should.
        let (code, out, err) = run(std::slice::from_ref(&unformatted), &unformatted);
        let expected = if hook["id"] == "covenant-fmt" { 1 } else { 0 };
        assert_eq!(code, expected, "{}: {out}{err}", hook["id"]);
        let broken = dir.file("broken.policy", "rule r: board seats >\n");
        let (code, _, _) = run(std::slice::from_ref(&broken), &broken);
        assert_eq!(code, 2, "{}: a policy that does not parse", hook["id"]);
    }
}

// `covenant schema`.

#[test]
fn schema_json_prints_the_committed_schema() {
    let (code, out, err) = covenant(&["schema", "--json"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        std::fs::read_to_string("schemas/deal.schema.json").unwrap()
    );
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["$schema"], "http://json-schema.org/draft-07/schema#");
    assert_eq!(v["required"], json!(["proposal"]));
}

#[test]
fn schema_of_a_policy_is_the_schema_its_deals_follow() {
    let (code, out, err) = covenant(&[
        "schema",
        "--json",
        "-p",
        "examples/canada/canada-ica.policy",
    ]);
    assert_eq!(code, 0, "{err}");
    let canada: Value = serde_json::from_str(&out).unwrap();
    let standard: Value = serde_json::from_str(&covenant(&["schema", "--json"]).1).unwrap();
    assert_ne!(canada, standard);
    let schema_file = std::fs::read_to_string("examples/canada/canada.schema.json").unwrap();
    let custom: Value = serde_json::from_str(&schema_file).unwrap();
    // The policy's schema file names fields the standard schema does not have; the generated
    // schema has them all.
    let names = |v: &Value| -> Vec<String> {
        v["properties"]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default()
    };
    for field in names(&custom) {
        assert!(
            canada["properties"].get(&field).is_some(),
            "{field} missing:\n{out}"
        );
    }
    // The listing names each record and field.
    let (code, listing, _) = covenant(&["schema"]);
    assert_eq!(code, 0);
    assert!(
        listing.starts_with("standard JV proposal schema v2\n\ndeal\n  proposal "),
        "{listing}"
    );
    assert!(
        listing.contains("\n  stake             percent\n"),
        "{listing}"
    );
    assert!(
        listing.contains("\n  expires    date; or `never`\n"),
        "{listing}"
    );
    let (code, _, err) = covenant(&["schema", "-p", "no/such.policy"]);
    assert_eq!(code, 2, "{err}");
}
