//! The language contract lives in the repository (`docs/spec.md`), so every "SPEC §N" that the
//! code and the docs cite must name a section of it; and the copy must be the contract itself.

use std::path::{Path, PathBuf};

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn spec_sections(spec: &str) -> Vec<String> {
    spec.lines()
        .filter(|line| line.starts_with('#'))
        .filter_map(|heading| {
            let title = heading.trim_start_matches('#').trim();
            let number = title.split_whitespace().next()?.trim_end_matches('.');
            number
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
                .then(|| number.to_string())
        })
        .collect()
}

fn citations_in(dir: &Path, found: &mut Vec<(PathBuf, String)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name == ".git" || name == "spec.md" || name == "spec_refs.rs" {
            continue;
        }
        if path.is_dir() {
            citations_in(&path, found);
            continue;
        }
        let cites = path
            .extension()
            .is_some_and(|ext| ext == "rs" || ext == "md" || ext == "pest");
        let Some(text) = cites.then(|| std::fs::read_to_string(&path).ok()).flatten() else {
            continue;
        };
        for (at, _) in text.match_indices("SPEC §") {
            let number: String = text[at + "SPEC §".len()..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == '.')
                .collect();
            found.push((path.clone(), number.trim_end_matches('.').to_string()));
        }
    }
}

#[test]
fn every_spec_citation_names_a_section_of_docs_spec_md() {
    let root = repo_root();
    let spec = std::fs::read_to_string(root.join("docs/spec.md")).unwrap();
    let sections = spec_sections(&spec);
    assert!(sections.contains(&"2.6".to_string()) && sections.contains(&"15".to_string()));
    let mut found = Vec::new();
    for dir in [
        "src",
        "crates",
        "docs",
        "tests",
        "grammar",
        "README.md",
        "CONTRIBUTING.md",
    ] {
        citations_in(&root.join(dir), &mut found);
    }
    assert!(found.len() > 30, "too few citations found: {}", found.len());
    let dangling: Vec<_> = found
        .iter()
        .filter(|(_, number)| !sections.contains(number))
        .collect();
    assert!(
        dangling.is_empty(),
        "SPEC § citations with no section in docs/spec.md: {dangling:?}"
    );
}

/// `docs/spec.md` is kept in step with the shared contract whenever that is reachable (it is on
/// the development machines; a clean clone elsewhere has only the copy). Set
/// `COVENANT_SHARED_SPEC` to compare against another path.
#[test]
fn docs_spec_md_is_the_shared_contract() {
    let root = repo_root();
    let shared = std::env::var_os("COVENANT_SHARED_SPEC")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/SPEC.md"));
    let Ok(contract) = std::fs::read_to_string(&shared) else {
        eprintln!(
            "{} is not reachable; only the in-repo copy is checked",
            shared.display()
        );
        return;
    };
    let copy = std::fs::read_to_string(root.join("docs/spec.md")).unwrap();
    assert!(
        copy == contract,
        "docs/spec.md differs from {}: copy it over",
        shared.display()
    );
}
