//! The registry against the source: every code literal under `src/` is registered, every
//! registered code is used, and each is in its phase.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::{lookup, of_phase, Phase, CODES};

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let p = entry.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// Is `text` a whole code `covenant::<phase>::<name>` (lower case, digits and `-`)?
fn is_code(text: &str) -> bool {
    let Some(rest) = text.strip_prefix("covenant::") else {
        return false;
    };
    let Some((phase, name)) = rest.split_once("::") else {
        return false;
    };
    let word = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    word(phase) && word(name)
}

/// The string literals of `text` that are whole codes (`"covenant::lint::"`, a prefix, is not).
pub(crate) fn code_literals(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (i, _) in text.match_indices("\"covenant::") {
        let literal = text.get(i + 1..).unwrap_or_default();
        let literal = literal.split('"').next().unwrap_or_default();
        if is_code(literal) {
            out.insert(literal.to_string());
        }
    }
    out
}

/// Every code literal under `src/` and the server crate's `src/`, but the registry's own
/// table, with a file that uses it.
fn source_codes() -> Vec<(String, PathBuf)> {
    let mut files = Vec::new();
    let crate_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    rust_files(&crate_dir.join("src"), &mut files);
    // The server's codes (`covenant::server::…`) are reported by the `covenant-server` crate,
    // the config file's (`covenant::config::…`) by the command line's package.
    rust_files(&crate_dir.join("../covenant-server/src"), &mut files);
    rust_files(&crate_dir.join("../../src"), &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        if f.ends_with("crates/covenant/src/codes.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        out.extend(code_literals(&text).into_iter().map(|c| (c, f.clone())));
    }
    out
}

#[test]
fn every_code_literal_in_the_source_is_registered() {
    let found = source_codes();
    assert!(found.len() > 80, "too few codes found: {found:?}");
    let missing: Vec<String> = found
        .iter()
        .filter(|(c, _)| lookup(c).is_none())
        .map(|(c, f)| format!("{c} (in {})", f.display()))
        .collect();
    assert!(
        missing.is_empty(),
        "codes used in src/ but not in the registry (crates/covenant/src/codes.rs): {missing:?}"
    );
}

#[test]
fn every_registered_code_is_used_in_the_source() {
    let used: BTreeSet<String> = source_codes().into_iter().map(|(c, _)| c).collect();
    let unused: Vec<&str> = CODES
        .iter()
        .map(|c| c.code)
        .filter(|c| !used.contains(*c))
        .collect();
    assert!(
        unused.is_empty(),
        "registered codes that nothing in src/ reports: {unused:?}"
    );
}

#[test]
fn each_code_is_registered_once_in_its_phase() {
    let mut seen = BTreeSet::new();
    for c in CODES {
        assert!(is_code(c.code), "not a code: {}", c.code);
        assert!(seen.insert(c.code), "{} is registered twice", c.code);
        let phase = c.code.split("::").nth(1);
        assert_eq!(
            phase,
            Some(c.phase.as_str()),
            "{} is in the wrong phase",
            c.code
        );
        assert!(
            !c.summary.is_empty() && !c.summary.contains('\n'),
            "{}",
            c.code
        );
    }
    for phase in Phase::ALL {
        assert!(of_phase(phase).next().is_some(), "{phase:?} has no code");
    }
}

#[test]
fn the_phase_tables_agree_with_the_registry() {
    for kind in crate::deal::DealErrorKind::ALL {
        let c = lookup(kind.code()).map(|c| c.phase);
        // The approvals' warnings are deal diagnostics of their own phase (SPEC §10).
        let phase = if kind.code().starts_with("covenant::waiver::") {
            Phase::Waiver
        } else {
            Phase::Deal
        };
        assert_eq!(c, Some(phase), "{kind:?}");
    }
}

#[test]
fn the_scanner_reads_whole_code_literals_only() {
    let text = r#"x("covenant::lint::"); y("covenant::deal::bad-date"); // covenant::type::z
        const A: &str = "covenant::a::b::c"; let b = "covenant::policy::not-utf8";"#;
    let found: Vec<String> = code_literals(text).into_iter().collect();
    assert_eq!(
        found,
        ["covenant::deal::bad-date", "covenant::policy::not-utf8"]
    );
}
