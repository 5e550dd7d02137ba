//! `covenant fmt`: snapshots of the formatted examples and fixtures, the formatting laws on
//! each of them, and the command's behaviour on files and folders.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use crate::fmt_support;

use std::path::{Path, PathBuf};

use crate::common;
use common::covenant;
use fmt_support::check_laws;

/// The formatted text of the file at `path`, after checking the formatting laws on it.
fn formatted(path: &Path) -> String {
    check_laws(&std::fs::read_to_string(path).unwrap())
}

#[test]
fn formatted_examples() {
    insta::glob!("../../examples", "policies/*.policy", |path| {
        insta::assert_snapshot!(formatted(path));
    });
}

#[test]
fn formatted_parser_fixtures() {
    insta::glob!("../fixtures", "policies/*.policy", |path| {
        insta::assert_snapshot!(formatted(path));
    });
}

/// Inputs written to exercise the layout: comments everywhere, every construct, odd spacing.
#[test]
fn formatted_fmt_fixtures() {
    insta::glob!("../fixtures", "fmt/*.policy", |path| {
        insta::assert_snapshot!(formatted(path));
    });
}

#[test]
fn shipped_examples_are_formatted() {
    let (code, out, err) = covenant(&["fmt", "--check", "examples/policies"]);
    assert_eq!(code, 0, "{out}{err}");
    assert_eq!(out, "");
}

/// A fresh folder under the system's temporary folder.
fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("covenant-fmt-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const UGLY: &str = "let   home =   \"US\"\nrule r :  x   >  1   # note\n";
const PRETTY: &str = "let home = \"US\"\nrule r: x > 1  # note\n";
const BROKEN: &str = "rule r: x >\n";

#[test]
fn rewrites_files_in_place() {
    let dir = temp_dir("rewrite");
    let file = dir.join("a.policy");
    std::fs::write(&file, UGLY).unwrap();
    let (code, out, err) = covenant(&["fmt", file.to_str().unwrap()]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), PRETTY);
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn check_prints_a_diff_and_writes_nothing() {
    let dir = temp_dir("check");
    let file = dir.join("a.policy");
    std::fs::write(&file, UGLY).unwrap();
    let (code, out, err) = covenant(&["fmt", "--check", file.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    let shown = file.display();
    assert_eq!(
        out,
        format!(
            "--- {shown}\n+++ {shown} (formatted)\n@@ -1,2 +1,2 @@\n\
             -let   home =   \"US\"\n-rule r :  x   >  1   # note\n\
             +let home = \"US\"\n+rule r: x > 1  # note\n"
        )
    );
    assert!(err.contains("1 file would be reformatted"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), UGLY);
    std::fs::write(&file, PRETTY).unwrap();
    assert_eq!(
        covenant(&["fmt", "--check", file.to_str().unwrap()]),
        (0, String::new(), String::new())
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_file_that_does_not_parse_is_reported_and_left_alone() {
    let dir = temp_dir("broken");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let broken = dir.join("b.policy");
    let good = dir.join("sub").join("c.policy");
    let other = dir.join("notes.txt");
    std::fs::write(&broken, BROKEN).unwrap();
    std::fs::write(&good, UGLY).unwrap();
    std::fs::write(&other, UGLY).unwrap();
    let (code, out, err) = covenant(&["fmt", dir.to_str().unwrap()]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(out, "");
    assert!(err.contains("covenant::parse::syntax"), "{err}");
    assert!(
        err.contains("does not parse; it was left as it is"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), BROKEN);
    // The other files of the folder are still formatted; files not named `*.policy` are not.
    assert_eq!(std::fs::read_to_string(&good).unwrap(), PRETTY);
    assert_eq!(std::fs::read_to_string(&other).unwrap(), UGLY);
    // With --check, a parse error wins over a file to change.
    std::fs::write(&good, UGLY).unwrap();
    let (code, out, _) = covenant(&["fmt", "--check", dir.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(out.contains("c.policy (formatted)"), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn folders_are_searched_recursively_in_sorted_order() {
    let dir = temp_dir("sorted");
    std::fs::create_dir_all(dir.join("b")).unwrap();
    for name in ["c.policy", "a.policy", "b/a.policy"] {
        std::fs::write(dir.join(name), UGLY).unwrap();
    }
    let (code, out, _) = covenant(&["fmt", "--check", dir.to_str().unwrap()]);
    assert_eq!(code, 1);
    let order: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("--- "))
        .map(|p| p.strip_prefix(dir.to_str().unwrap()).unwrap())
        .collect();
    assert_eq!(order, ["/a.policy", "/b/a.policy", "/c.policy"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_missing_file_is_an_error() {
    let (code, _, err) = covenant(&["fmt", "no/such/file.policy"]);
    assert_eq!(code, 2);
    assert!(err.contains("cannot read `no/such/file.policy`"), "{err}");
}

#[test]
fn line_ends_byte_order_mark_and_tabs() {
    let text = "\u{FEFF}# bom\r\nrule a:\tx   = 1  # one\r\n\r\n\r\n\r\n\ty\r\n";
    assert_eq!(check_laws(text), "# bom\nrule a: x = 1  # one\n\ny\n");
}

#[test]
fn empty_and_comment_only_files() {
    assert_eq!(check_laws(""), "");
    assert_eq!(check_laws("\n\n  \n"), "");
    assert_eq!(
        check_laws("\n\n# one\n\n\n\n   # two   \n\n"),
        "# one\n\n# two\n"
    );
}

#[test]
fn blank_lines_between_items_and_clauses() {
    let text = "let a = 1\n\n\n\nlet b = 2\nrule r {\n\n\n  require a\n\n\n  require b\n\n}\n";
    assert_eq!(
        check_laws(text),
        "let a = 1\n\nlet b = 2\nrule r {\n  require a\n\n  require b\n}\n"
    );
}

#[test]
fn multi_line_expressions_are_joined_unless_a_comment_holds_the_line() {
    let text = "rule r:\n  a and\n  b or\n    c or  # why c\n    d\n";
    assert_eq!(
        check_laws(text),
        "rule r: a and b or c or  # why c\n    d\n"
    );
    let text = "let l = [\n  1,\n  2,\n]\n";
    assert_eq!(check_laws(text), "let l = [1, 2]\n");
}

#[test]
fn header_clauses_keep_their_order() {
    let text = "policy \"P\"\nversion \"1\"\n effective 2026-01-01\n   jurisdiction \"US\"\n";
    assert_eq!(
        check_laws(text),
        "policy \"P\" version \"1\"\n  effective 2026-01-01\n  jurisdiction \"US\"\n"
    );
    let text = "policy \"P\"\n  schema \"s.json\"\n  version \"1\"\n";
    assert_eq!(
        check_laws(text),
        "policy \"P\"\n  schema \"s.json\"\n  version \"1\"\n"
    );
}

#[test]
fn deep_nesting_and_long_chains() {
    let chain = vec!["x"; 5_000].join(" and ");
    let parens = format!("{}x{}", "(".repeat(200), ")".repeat(200));
    let text = format!("rule r: {chain}\nrule s: {parens}\n");
    let once = fmt_support::fmt(&text);
    assert_eq!(once, text);
    assert_eq!(fmt_support::fmt(&once), once);
}

#[cfg(unix)]
#[test]
fn a_symlink_stays_a_symlink_and_its_target_is_formatted() {
    use std::os::unix::fs::symlink;
    let dir = temp_dir("symlink");
    std::fs::create_dir_all(dir.join("real")).unwrap();
    std::fs::create_dir_all(dir.join("links")).unwrap();
    let target = dir.join("real/a.policy");
    std::fs::write(&target, UGLY).unwrap();
    let link = dir.join("links/a.policy");
    symlink("../real/a.policy", &link).unwrap();
    // A second link to the same file in the folder: the file is formatted once.
    symlink("a.policy", dir.join("links/b.policy")).unwrap();
    let (code, out, err) = covenant(&["fmt", dir.join("links").to_str().unwrap()]);
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(
        std::fs::read_link(&link).unwrap(),
        Path::new("../real/a.policy")
    );
    assert_eq!(std::fs::read_to_string(&target).unwrap(), PRETTY);
    // No temporary file is left beside the link or the target.
    assert_eq!(std::fs::read_dir(dir.join("real")).unwrap().count(), 1);
    assert_eq!(std::fs::read_dir(dir.join("links")).unwrap().count(), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn a_policy_larger_than_the_limit_is_refused_before_it_is_read() {
    let dir = temp_dir("too-large");
    let zero = dir.join("zero.policy");
    std::os::unix::fs::symlink("/dev/zero", &zero).unwrap();
    let big = dir.join("big.policy");
    std::fs::write(&big, UGLY).unwrap();
    let zero = zero.to_str().unwrap();
    for args in [
        vec!["fmt", zero],
        vec!["fmt", "--check", "--max-policy-size", "1K", zero],
        vec!["fmt", "--max-policy-size", "10", big.to_str().unwrap()],
    ] {
        let (code, out, err) = covenant(&args);
        assert_eq!(code, 2, "{args:?}: {out}{err}");
        assert!(err.contains("larger than the limit"), "{err}");
    }
    assert_eq!(std::fs::read_to_string(&big).unwrap(), UGLY);
    let _ = std::fs::remove_dir_all(&dir);
}
