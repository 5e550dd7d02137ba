//! The last resort works: an internal panic while checking one deal, or while compiling the
//! policy, becomes a `covenant::internal::panic` diagnostic; the deal is still reported
//! (`invalid`) in every format and the batch goes on. The panics come from test-only hooks
//! (a deal or policy path containing `covenant-test-panic`).

use clap::Parser;

fn check(args: &[&str]) -> (u8, String, String) {
    let cli = crate::Cli::parse_from(["covenant", "check"].iter().chain(args));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = crate::run(cli, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

struct Temp(std::path::PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        let dir = std::env::temp_dir().join(format!("covenant-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).ok();
        Temp(dir)
    }

    fn file(&self, name: &str, text: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, text).ok();
        p.display().to_string()
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

const DEAL: &str = "proposal: x\nboard: {seats: 3}\n";

#[test]
fn a_panic_while_checking_a_deal_is_reported_and_the_batch_goes_on() {
    let t = Temp::new("panic-deal");
    let policy = t.file("p.policy", "rule seats: board seats >= 3\n");
    let first = t.file("a.yaml", DEAL);
    let bad = t.file("covenant-test-panic.yaml", DEAL);
    let last = t.file("c.yaml", DEAL);
    for format in ["human", "json", "jsonl", "sarif", "junit", "markdown"] {
        let (code, out, err) = check(&[
            "-p", &policy, "--color", "never", "--format", format, &first, &bad, &last,
        ]);
        assert_eq!(code, 2, "{format}: {err}");
        assert!(out.contains("covenant::internal::panic"), "{format}: {out}");
        // SARIF names every deal, in order, in `runs[0].properties.deals`.
        let list = match format {
            "sarif" => out.get(out.rfind("\"deals\"").unwrap_or(0)..).unwrap_or(""),
            _ => out.as_str(),
        };
        let (a, b, c) = (
            list.find(first.as_str()),
            list.find(bad.as_str()),
            list.find(last.as_str()),
        );
        assert!(a.is_some() && a < b && b < c, "{format}: order\n{out}");
    }
    let (_, out, _) = check(&["-p", &policy, "--format", "json", &first, &bad, &last]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    let verdicts: Vec<&str> = report["deals"]
        .as_array()
        .map(|d| d.iter().filter_map(|d| d["verdict"].as_str()).collect())
        .unwrap_or_default();
    assert_eq!(verdicts, ["compliant", "invalid", "compliant"]);
    let problem = &report["deals"][1]["errors"][0];
    assert_eq!(problem["code"], "covenant::internal::panic");
    assert!(problem["message"]
        .as_str()
        .is_some_and(|m| m.contains("test hook")));
    assert!(problem["help"]
        .as_str()
        .is_some_and(|m| m.contains("report it")));
}

#[test]
fn a_panic_while_compiling_is_a_diagnostic() {
    let t = Temp::new("panic-policy");
    let policy = t.file(
        "covenant-test-panic.policy",
        "rule seats: board seats >= 3\n",
    );
    let deal = t.file("a.yaml", DEAL);
    let (code, out, err) = check(&["-p", &policy, &deal]);
    assert_eq!(code, 2);
    assert!(out.is_empty());
    assert!(err.contains("covenant::internal::panic"), "{err}");
    assert!(err.contains("does not compile"), "{err}");
}

#[test]
fn a_panic_while_compiling_is_a_notification_of_the_sarif_log() {
    let t = Temp::new("panic-policy-sarif");
    let policy = t.file(
        "covenant-test-panic.policy",
        "rule seats: board seats >= 3\n",
    );
    let deal = t.file("a.yaml", DEAL);
    let (code, out, err) = check(&["-p", &policy, &deal, "--format", "sarif"]);
    assert_eq!(code, 2, "{err}");
    let log: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false, "{out}");
    let notes = &invocation["toolExecutionNotifications"];
    assert_eq!(
        notes[0]["message"]["text"],
        "the policy does not compile (1 problem): no deal was checked"
    );
    assert!(notes[1]["message"]["text"]
        .as_str()
        .is_some_and(|m| m.starts_with("covenant::internal::panic: ")));
    // No place in a file: a notification, not a result.
    assert_eq!(log["runs"][0]["results"], serde_json::json!([]));
}
