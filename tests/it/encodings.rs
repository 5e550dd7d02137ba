//! Invalid UTF-8, a byte-order mark, CRLF line ends, tabs and NUL bytes, in policies and in
//! deals of every format: each is accepted or reported with a diagnostic, never a panic, and
//! the other deals of the run are still checked.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::support;

use support::{check_jsonl, codes, covenant, Dir};

const POLICY: &str = "rule seats: board seats >= 3\n";

/// One deal in each format, written from its parts so a test can splice bytes in; the
/// `.jsonl` batch has the JSON deal (on one line, with `eol` line ends) between two good ones.
fn deals(dir: &Dir, name: &str, yaml: &[u8], json: &[u8], toml: &[u8]) -> Vec<String> {
    deals_eol(dir, name, yaml, json, toml, b"\n")
}

fn deals_eol(
    dir: &Dir,
    name: &str,
    yaml: &[u8],
    json: &[u8],
    toml: &[u8],
    eol: &[u8],
) -> Vec<String> {
    let good = |p: &str| format!("{{\"proposal\": \"{p}\", \"board\": {{\"seats\": 3}}}}");
    let mut jsonl = good("first").into_bytes();
    jsonl.extend_from_slice(eol);
    let one_line: Vec<u8> = json
        .iter()
        .copied()
        .filter(|b| *b != b'\n' && *b != b'\r')
        .collect();
    jsonl.extend_from_slice(&one_line);
    jsonl.extend_from_slice(eol);
    jsonl.extend_from_slice(good("last").as_bytes());
    jsonl.extend_from_slice(eol);
    vec![
        dir.file(&format!("{name}.yaml"), yaml),
        dir.file(&format!("{name}.json"), json),
        dir.file(&format!("{name}.toml"), toml),
        dir.file(&format!("{name}.jsonl"), jsonl),
    ]
}

/// Check the deals: (exit code, (path tail, verdict, codes) of every deal).
fn run(dir: &Dir, deals: &[String]) -> (u8, Vec<(String, String, Vec<String>)>) {
    let policy = dir.file("p.policy", POLICY);
    let args: Vec<&str> = deals.iter().map(String::as_str).collect();
    let (code, reports, _) = check_jsonl(&policy, &args, &[]);
    let seen = reports
        .iter()
        .map(|r| {
            let path = r["path"].as_str().unwrap();
            let tail = path.rsplit('/').next().unwrap().to_string();
            (tail, r["verdict"].as_str().unwrap().to_string(), codes(r))
        })
        .collect();
    (code, seen)
}

fn row(path: &str, verdict: &str, codes: &[&str]) -> (String, String, Vec<String>) {
    (
        path.into(),
        verdict.into(),
        codes.iter().map(|c| c.to_string()).collect(),
    )
}

/// Every format's deal got `verdict` and `codes`; the batch's other lines are compliant.
fn expect_all(name: &str, seen: &[(String, String, Vec<String>)], verdict: &str, codes: &[&str]) {
    let expected = vec![
        row(&format!("{name}.yaml"), verdict, codes),
        row(&format!("{name}.json"), verdict, codes),
        row(&format!("{name}.toml"), verdict, codes),
        row(&format!("{name}.jsonl:1"), "compliant", &[]),
        row(&format!("{name}.jsonl:2"), verdict, codes),
        row(&format!("{name}.jsonl:3"), "compliant", &[]),
    ];
    assert_eq!(seen, expected);
}

/// A policy file with `bytes`: (exit code, stderr) of checking a compliant deal against it.
fn policy_run(dir: &Dir, bytes: &[u8]) -> (u8, String) {
    let policy = dir.file("case.policy", bytes);
    let deal = dir.file("ok.yaml", "proposal: x\nboard: {seats: 3}\n");
    let (code, _, err) = covenant(&["check", "-p", &policy, &deal]);
    (code, err)
}

#[test]
fn invalid_utf8_deals_are_unreadable() {
    let dir = Dir::new("enc-utf8");
    let d = deals(
        &dir,
        "bad",
        b"proposal: \"\xff\"\nboard: {seats: 3}\n",
        b"{\"proposal\": \"\xc3\x28\", \"board\": {\"seats\": 3}}",
        b"proposal = \"\xff\"\n[board]\nseats = 3\n",
    );
    let (code, seen) = run(&dir, &d);
    assert_eq!(code, 2);
    expect_all("bad", &seen, "invalid", &["covenant::deal::unreadable"]);
}

/// A batch line that is not UTF-8 says where its first bad byte is, wherever it falls (the
/// check runs over whole words of the line, the place is found after).
#[test]
fn an_invalid_utf8_batch_line_names_the_offset_of_its_bad_byte() {
    let dir = Dir::new("enc-utf8-offset");
    let policy = dir.file("p.policy", POLICY);
    let good = "{\"proposal\": \"x\", \"board\": {\"seats\": 3}}";
    for at in [14usize, 40, 100] {
        let mut line = format!("{{\"proposal\": \"{}", "a".repeat(at - 14)).into_bytes();
        line.extend_from_slice(b"\xe2\x82\", \"board\": {\"seats\": 3}}");
        let mut jsonl = format!("{good}\n").into_bytes();
        jsonl.extend_from_slice(&line);
        jsonl.push(b'\n');
        let batch = dir.file(&format!("at-{at}.jsonl"), jsonl);
        let (code, reports, _) = check_jsonl(&policy, &[&batch], &[]);
        assert_eq!(code, 2);
        let message = reports[1]["errors"][0]["message"].as_str().unwrap();
        assert!(
            message.ends_with(&format!(
                "line is not UTF-8 text (invalid byte at offset {at})"
            )),
            "{message}"
        );
        assert_eq!(reports[0]["verdict"], "compliant");
    }
}

#[test]
fn invalid_utf8_policies_are_rejected_and_left_alone_by_fmt() {
    let dir = Dir::new("enc-utf8-policy");
    let bytes = b"rule seats: board seats >= 3 # \xff\n";
    let (code, err) = policy_run(&dir, bytes);
    assert_eq!(code, 2);
    assert!(err.contains("covenant::policy::not-utf8"), "{err}");
    let path = dir.path("case.policy");
    let (code, _, err) = covenant(&["fmt", &path]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), bytes);
}

#[test]
fn a_byte_order_mark_is_accepted() {
    let dir = Dir::new("enc-bom");
    let d = deals(
        &dir,
        "bom",
        "\u{feff}proposal: x\nboard: {seats: 3}\n".as_bytes(),
        "\u{feff}{\"proposal\": \"x\", \"board\": {\"seats\": 3}}".as_bytes(),
        "\u{feff}proposal = \"x\"\n[board]\nseats = 3\n".as_bytes(),
    );
    let (code, seen) = run(&dir, &d);
    assert_eq!(code, 0);
    expect_all("bom", &seen, "compliant", &[]);
    let (code, err) = policy_run(&dir, "\u{feff}rule seats: board seats >= 3\n".as_bytes());
    assert_eq!(code, 0, "{err}");
}

#[test]
fn crlf_line_ends_are_accepted_and_positions_stay_right() {
    let dir = Dir::new("enc-crlf");
    let d = deals_eol(
        &dir,
        "crlf",
        b"proposal: x\r\nboard:\r\n  seats: 3\r\n",
        b"{\"proposal\": \"x\",\r\n \"board\": {\"seats\": 3}}\r\n",
        b"proposal = \"x\"\r\n[board]\r\nseats = 3\r\n",
        b"\r\n",
    );
    let (code, seen) = run(&dir, &d);
    assert_eq!(code, 0);
    expect_all("crlf", &seen, "compliant", &[]);
    // A diagnostic in a CRLF file names the right line.
    let policy = dir.file("p.policy", POLICY);
    let bad = dir.file("bad.yaml", "proposal: x\r\nboard:\r\n  seats: \"3\"\r\n");
    let (_, reports, _) = check_jsonl(&policy, &[&bad], &[]);
    assert_eq!(reports[0]["errors"][0]["line"], 3);
    let (code, err) = policy_run(&dir, b"rule seats {\r\n  require board seats >= 3\r\n}\r\n");
    assert_eq!(code, 0, "{err}");
}

#[test]
fn tabs_are_whitespace_except_where_a_format_forbids_them() {
    let dir = Dir::new("enc-tab");
    let d = deals(
        &dir,
        "tab",
        b"proposal: \"a\tb\"\t\nboard: {seats: 3,\tchair: \"A\"}\t# note\n",
        b"{\t\"proposal\":\t\"x\",\t\"board\": {\"seats\": 3}}",
        b"proposal\t=\t\"a\tb\"\n[board]\nseats = 3\t\n",
    );
    let (code, seen) = run(&dir, &d);
    assert_eq!(code, 0);
    expect_all("tab", &seen, "compliant", &[]);
    // Where a format forbids a tab it is a syntax error with a diagnostic, never a guess:
    // YAML indentation, a raw tab inside a JSON string, and (a limitation of the YAML
    // parser, see docs/reliability.md) a tab right after a YAML `:`.
    let policy = dir.file("p.policy", POLICY);
    let indented = dir.file("indent.yaml", "proposal: x\nboard:\n\tseats: 3\n");
    let raw = dir.file(
        "raw.json",
        "{\"proposal\": \"a\tb\", \"board\": {\"seats\": 3}}",
    );
    let after_colon = dir.file("colon.yaml", "proposal:\tx\nboard: {seats: 3}\n");
    let (code, reports, _) = check_jsonl(&policy, &[&indented, &raw, &after_colon], &[]);
    assert_eq!(code, 2);
    for r in &reports {
        assert_eq!(codes(r), ["covenant::deal::syntax"], "{r}");
    }
    assert!(reports[0]["errors"][0]["help"]
        .as_str()
        .unwrap()
        .contains("spaces"));
    assert!(reports[1]["errors"][0]["help"]
        .as_str()
        .unwrap()
        .contains("\\t"));
    let (code, err) = policy_run(&dir, b"rule seats {\n\trequire\tboard seats >= 3\n}\n");
    assert_eq!(code, 0, "{err}");
}

#[test]
fn nul_bytes_are_errors() {
    let dir = Dir::new("enc-nul");
    let d = deals(
        &dir,
        "nul",
        b"proposal: x\0\nboard: {seats: 3}\n",
        b"{\"proposal\": \"x\0\", \"board\": {\"seats\": 3}}",
        b"proposal = \"x\"\0\n[board]\nseats = 3\n",
    );
    let (code, seen) = run(&dir, &d);
    assert_eq!(code, 2);
    expect_all("nul", &seen, "invalid", &["covenant::deal::syntax"]);
    for bytes in [
        &b"rule seats: board seats >= 3\0\n"[..],
        b"rule seats: proposal = \"a\0b\"\n",
    ] {
        let (code, err) = policy_run(&dir, bytes);
        assert_eq!(code, 2);
        assert!(err.contains("the policy contains a NUL byte"), "{err}");
    }
}

/// A deal that fails `board seats >= 5` and `board seats >= 6`, for the line-end tests.
const THREE_SEATS: &str = "proposal: x\nboard: {seats: 3}\n";

/// The rule ids of a policy's report on [`THREE_SEATS`], and the exit code.
fn rule_ids(dir: &Dir, policy: &[u8]) -> (u8, Vec<String>, String) {
    let policy = dir.file("eol.policy", policy);
    let deal = dir.file("three.yaml", THREE_SEATS);
    let (code, reports, err) = check_jsonl(&policy, &[&deal], &[]);
    let ids = reports
        .first()
        .and_then(|r| r["rules"].as_array().cloned())
        .unwrap_or_default()
        .iter()
        .map(|r| r["id"].as_str().unwrap().to_string())
        .collect();
    (code, ids, err)
}

#[test]
fn a_lone_cr_ends_a_line_as_lf_and_crlf_do() {
    let dir = Dir::new("enc-cr");
    // CR-only line ends: every rule is read, none is swallowed by the comment before it.
    let cr_only = b"# seats\rrule five: board seats >= 5\r# six\rrule six: board seats >= 6\r";
    let (code, ids, err) = rule_ids(&dir, cr_only);
    assert_eq!(ids, ["five", "six"], "{err}");
    assert_eq!(code, 1);
    // One stray CR after a comment in an LF file does not hide the rule after it.
    let stray = b"rule five: board seats >= 5 # note\rrule six: board seats >= 6\n";
    let (_, ids, err) = rule_ids(&dir, stray);
    assert_eq!(ids, ["five", "six"], "{err}");
    // Mixed line ends, and a clause that goes on after a trailing `and` across a lone CR.
    let mixed = b"rule five {\r\n  require board seats >= 1 and\r  board seats >= 5\r}\nrule six: board seats >= 6\r\n";
    let (_, ids, err) = rule_ids(&dir, mixed);
    assert_eq!(ids, ["five", "six"], "{err}");
}

#[test]
fn a_lone_cr_counts_as_a_line_in_diagnostics_and_reports() {
    let dir = Dir::new("enc-cr-lines");
    // The unknown phrase is on line 3 (after two CR line ends), column 14.
    let policy = dir.file("eol.policy", b"# one\r# two\rrule bad: stak < 50%\r");
    let deal = dir.file("three.yaml", THREE_SEATS);
    let (code, _, err) = covenant(&["check", "-p", &policy, &deal, "--color", "never"]);
    assert_eq!(code, 2);
    assert!(err.contains("eol.policy:3:11"), "{err}");
    assert!(err.contains(" 3 │ rule bad: stak < 50%"), "{err}");
    // SARIF regions count the same lines.
    let policy = dir.file("fail.policy", b"# one\r\rrule five: board seats >= 5\r");
    let (_, out, _) = covenant(&["check", "-p", &policy, &deal, "--format", "sarif"]);
    let sarif: serde_json::Value = serde_json::from_str(&out).unwrap();
    // The rule's place is the first related location (the primary one is in the deal).
    let result = &sarif["runs"][0]["results"][0];
    let region = &result["relatedLocations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3, "{region}");
    assert_eq!(region["startColumn"], 6, "{region}");
}

#[test]
fn other_line_separators_are_rejected_by_name() {
    let dir = Dir::new("enc-ff");
    for (bytes, name) in [
        ("\u{b}", "U+000B LINE TABULATION"),
        ("\u{c}", "U+000C FORM FEED"),
        ("\u{85}", "U+0085 NEXT LINE"),
        ("\u{2028}", "U+2028 LINE SEPARATOR"),
        ("\u{2029}", "U+2029 PARAGRAPH SEPARATOR"),
    ] {
        // After a comment (where it would hide the next rule), in a clause and in a string.
        for text in [
            format!("rule five: board seats >= 5 # page{bytes}rule six: board seats >= 6\n"),
            format!("rule five: board seats >= 5{bytes}\nrule six: board seats >= 6\n"),
            format!("rule five: proposal = \"a{bytes}b\"\n"),
        ] {
            let (code, err) = policy_run(&dir, text.as_bytes());
            assert_eq!(code, 2, "{name}: {err}");
            assert!(
                err.contains("covenant::parse::bad-character"),
                "{name}: {err}"
            );
            assert!(err.contains(name), "{name}: {err}");
        }
    }
}

#[test]
fn fmt_rewrites_lone_crs_as_line_feeds_and_is_idempotent() {
    let dir = Dir::new("enc-cr-fmt");
    let path = dir.file(
        "cr.policy",
        b"# seats\rrule five: board seats >= 5\r# six\rrule six {\r  require board seats >= 6\r}\r",
    );
    let (code, _, err) = covenant(&["fmt", &path]);
    assert_eq!(code, 0, "{err}");
    let once = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        once,
        "# seats\nrule five: board seats >= 5\n# six\nrule six {\n  require board seats >= 6\n}\n"
    );
    let (code, _, err) = covenant(&["fmt", "--check", &path]);
    assert_eq!(code, 0, "{err}");
    // A form feed is left alone, with the diagnostic.
    let ff = b"rule five: board seats >= 5\x0c\n";
    let path = dir.file("ff.policy", ff);
    let (code, _, err) = covenant(&["fmt", &path]);
    assert_eq!(code, 2);
    assert!(err.contains("U+000C FORM FEED"), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), ff);
}

#[test]
fn a_policy_set_of_zero_rules_is_a_warning_in_check() {
    let dir = Dir::new("enc-no-rules");
    let deal = dir.file("three.yaml", THREE_SEATS);
    // Definitions only: the deal is still checked (compliant, exit 0), with a warning.
    let defs = dir.file("defs.policy", "let home = \"US\"\nlet quorum = 5\n");
    let (code, reports, err) = check_jsonl(&defs, &[&deal], &[]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(reports[0]["verdict"], "compliant");
    assert!(err.contains("covenant::policy::no-rules"), "{err}");
    assert!(err.contains("defs.policy"), "{err}");
    // An empty file, and a file of comments, are no different.
    for text in ["", "# nothing here yet\n"] {
        let empty = dir.file("empty.policy", text);
        let (code, _, err) = check_jsonl(&empty, &[&deal], &[]);
        assert_eq!(code, 0, "{err}");
        assert!(err.contains("covenant::policy::no-rules"), "{err}");
    }
    // A folder where a file of definitions is used by a file with rules: no warning.
    let folder = Dir::new("enc-no-rules-folder");
    folder.file("defs.policy", "let quorum = 5\n");
    folder.file(
        "main.policy",
        "use \"defs.policy\"\nrule five: board seats >= quorum\n",
    );
    let (code, _, err) = check_jsonl(folder.0.to_str().unwrap(), &[&deal], &[]);
    assert_eq!(code, 1, "{err}");
    assert!(!err.contains("no-rules"), "{err}");
}
