//! `fmt` never loses a file: an interrupted rewrite leaves the original intact and no
//! temporary file behind.

use std::cell::Cell;

use clap::Parser;

thread_local! {
    /// Test hook: the temporary file's write stops half way with an error.
    pub(super) static FAIL_WRITE: Cell<bool> = const { Cell::new(false) };
}

fn fmt(paths: &[&str]) -> (u8, String) {
    let cli = crate::Cli::parse_from(["covenant", "fmt"].iter().chain(paths));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = crate::run(cli, &mut out, &mut err);
    (code, String::from_utf8_lossy(&err).into_owned())
}

fn entries(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn an_interrupted_rewrite_keeps_the_original_and_leaves_no_temporary_file() {
    let dir = std::env::temp_dir().join(format!("covenant-fmt-atomic-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).ok();
    let original = "# keep me\nrule r:   board seats>1   # and me\nlet  x = 1\n";
    let a = dir.join("a.policy");
    let b = dir.join("b.policy");
    std::fs::write(&a, original).ok();
    std::fs::write(&b, original).ok();
    let (pa, pb) = (a.display().to_string(), b.display().to_string());

    FAIL_WRITE.with(|f| f.set(true));
    let (code, err) = fmt(&[&pa, &pb]);
    FAIL_WRITE.with(|f| f.set(false));
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("cannot write") && err.contains("interrupted"),
        "{err}"
    );
    // Both files were tried, both are intact, and nothing else is in the folder.
    assert_eq!(std::fs::read_to_string(&a).ok().as_deref(), Some(original));
    assert_eq!(std::fs::read_to_string(&b).ok().as_deref(), Some(original));
    assert_eq!(entries(&dir), ["a.policy", "b.policy"]);

    // Without the interruption the files are rewritten, comments kept, nothing left over.
    let (code, err) = fmt(&[&pa, &pb]);
    assert_eq!(code, 0, "{err}");
    let formatted = std::fs::read_to_string(&a).unwrap_or_default();
    assert_ne!(formatted, original);
    assert!(
        formatted.contains("# keep me") && formatted.contains("# and me"),
        "{formatted}"
    );
    assert_eq!(entries(&dir), ["a.policy", "b.policy"]);
    let _ = std::fs::remove_dir_all(&dir);
}
