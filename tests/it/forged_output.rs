//! Nothing forged: text from a deal (its values, keys, comments, even its file name) cannot
//! put a terminal control sequence, a carriage return, a NUL or a bidi override into a human
//! or Markdown report, nor into `explain`, `diff` or `test` output. Such characters are shown
//! escaped (`\u{1b}`). JSON, JSON lines, SARIF and JUnit escape them by their own rules.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::support;

use covenant::report::visible::is_hidden;
use support::{covenant, Dir, SMALL_POLICY};

/// A proposal that, printed raw, erases its own line and prints a fake verdict.
const FORGED: &str = r#"x\u001b[1A\u001b[2K\rdeals/ok.json (Good JV): compliant\n  pass seats\u0000\u202e\u2066\u0085"#;

/// A deal that fails `seats`, with the forged proposal and an unknown key of the same kind.
fn forged_deal() -> String {
    format!(r#"{{"proposal": "{FORGED}", "board": {{"seats": 0}}, "x\u001b[2K\r": 1}}"#)
}

/// Every hidden character of `out` but line feeds, shown for the failure message.
fn hidden(out: &str) -> Vec<String> {
    out.chars()
        .filter(|&c| c != '\n' && is_hidden(c))
        .map(|c| c.escape_unicode().to_string())
        .collect()
}

fn assert_not_forged(what: &str, out: &str) {
    assert!(hidden(out).is_empty(), "{what}: {:?}\n{out}", hidden(out));
    assert!(
        !out.lines().any(|l| l.ends_with("(Good JV): compliant")),
        "{what} prints a forged verdict line:\n{out}"
    );
}

#[test]
fn deal_text_cannot_forge_a_human_or_markdown_report() {
    let dir = Dir::new("forged");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let deal = dir.file("d.json", forged_deal());
    // Markdown escapes the backslash and the bracket of each escape, so a page shows the same.
    let shown = [
        (
            "human",
            r"x\u{1b}[1A\u{1b}[2K\u{d}deals/ok.json",
            r"\u{0}\u{202e}\u{2066}\u{85}",
        ),
        (
            "markdown",
            r"x\\u{1b}\[1A\\u{1b}\[2K\\u{d}deals/ok.json",
            r"\\u{0}\\u{202e}\\u{2066}\\u{85}",
        ),
    ];
    for (format, start, end) in shown {
        let (code, out, _) = covenant(&["check", "-p", &policy, "--format", format, &deal]);
        assert_eq!(code, 1, "{out}");
        assert_not_forged(format, &out);
        assert!(out.contains(start) && out.contains(end), "{format}: {out}");
    }
    for colour in ["always", "never"] {
        let (_, out, _) = covenant(&["check", "-p", &policy, "--color", colour, &deal]);
        let without_sgr = out.replace("\u{1b}[", "");
        assert!(!without_sgr.contains(['\r', '\0', '\u{202e}']), "{out}");
    }
}

#[test]
fn formats_with_their_own_escaping_keep_the_text_exactly() {
    let dir = Dir::new("forged-formats");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let deal = dir.file("d.json", forged_deal());
    let want = "x\u{1b}[1A\u{1b}[2K\rdeals/ok.json (Good JV): compliant\n  pass seats\0\u{202e}\u{2066}\u{85}";
    for format in ["json", "jsonl", "sarif"] {
        let (_, out, _) = covenant(&["check", "-p", &policy, "--format", format, &deal]);
        assert!(!out.contains(['\u{1b}', '\r', '\0']), "{format}: {out}");
        let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap_or(""))
            .or_else(|_| serde_json::from_str(&out))
            .unwrap();
        let text = v.to_string();
        assert!(text.contains(r"\u001b[1A"), "{format}: {text}");
        if format != "sarif" {
            let proposal = v.get("deals").map_or(&v["proposal"], |d| &d[0]["proposal"]);
            assert_eq!(proposal, want, "{format}");
        }
    }
    let (_, out, _) = covenant(&["check", "-p", &policy, "--format", "junit", &deal]);
    assert!(!out.contains(['\u{1b}', '\0', '\r']), "{out}");
}

#[test]
fn a_control_character_in_the_deal_source_is_not_drawn_raw() {
    let dir = Dir::new("forged-source");
    let policy = dir.file("p.policy", SMALL_POLICY);
    // Raw ESC and a lone CR in a YAML comment, on the line of the failing value.
    let deal = dir.file(
        "raw.yaml",
        "proposal: x\nboard: {seats: 0}  # \x1b[2K\rraw.yaml (x): compliant\n",
    );
    let (code, out, _) = covenant(&["check", "-p", &policy, "--color", "never", &deal]);
    assert_eq!(code, 1, "{out}");
    assert_not_forged("human", &out);
    assert!(out.contains("raw.yaml:2  board.seats: 0"), "{out}");
    let verbose = ["check", "-p", &policy, "--verbose", "--color", "never"];
    let (code, out, _) = covenant(&[&verbose[..], &[deal.as_str()]].concat());
    assert_eq!(code, 1, "{out}");
    assert_not_forged("human", &out);
    // The diagnostic is still there, without the source lines: the place of each label.
    assert!(out.contains("`board seats` is 0, not >= 1"), "{out}");
    assert!(out.contains("raw.yaml:2:"), "{out}");
    // A CRLF deal is drawn with its source as usual.
    let crlf = dir.file("crlf.yaml", "proposal: x\r\nboard: {seats: 0}\r\n");
    let (_, out, _) = covenant(&[&verbose[..], &[crlf.as_str()]].concat());
    assert_not_forged("crlf", &out);
    assert!(out.contains("│ board: {seats: 0}"), "{out}");
}

#[test]
fn a_file_name_cannot_forge_output_of_any_command() {
    let dir = Dir::new("forged-name");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let stricter = dir.file("q.policy", "rule seats: board seats >= 2\n");
    let name = "e\u{1b}[2K\r\u{202e}.json";
    let deal = dir.file(name, r#"{"proposal": "x", "board": {"seats": 1}}"#);
    let runs: [&[&str]; 5] = [
        &["check", "-p", &policy, "--color", "never", &deal],
        &["check", "-p", &policy, "--format", "markdown", &deal],
        &["explain", "-p", &policy, &deal],
        &["diff", "--color", "never", &policy, &stricter, &deal],
        &["diff", "--format", "markdown", &policy, &stricter, &deal],
    ];
    for args in runs {
        let (_, out, err) = covenant(args);
        assert_not_forged(&args.join(" "), &out);
        assert_not_forged(&args.join(" "), &err);
        assert!(
            out.contains(r"e\u{1b}[2K\u{d}\u{202e}.json"),
            "{args:?}: {out}"
        );
    }
}

#[test]
fn explain_and_test_escape_deal_text() {
    let dir = Dir::new("forged-explain");
    let policy = dir.file("p.policy", SMALL_POLICY);
    let deal = dir.file("d.json", forged_deal());
    let (code, out, err) = covenant(&["explain", "-p", &policy, &deal]);
    assert_eq!(code, 1, "the rule does not pass: {err}");
    assert_not_forged("explain", &out);
    assert_not_forged("explain stderr", &err);
    let suite = concat!(
        "policy: p.policy\ncases:\n",
        "  - name: \"case \\e[2K\\r✓ fine\"\n    deal: d.json\n    expect: {verdict: compliant}\n",
        "  - name: bad\n    deal: {proposal: \"\\e[2K\", board: {seats: x}}\n",
        "    expect: {verdict: compliant}\n",
    );
    dir.file("s.test.yaml", suite);
    let (code, out, err) = covenant(&["test", &dir.path("s.test.yaml"), "--color", "never"]);
    assert_eq!(code, 1, "{out}{err}");
    assert_not_forged("test", &out);
    assert!(out.contains(r"case \u{1b}[2K\u{d}✓ fine"), "{out}");
}
