//! The README's install section (issue 17, item 1): the commands it gives work on this
//! checkout, and the release build is the small one it describes.
#![allow(
    clippy::indexing_slicing,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic
)]

use std::path::Path;
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn manifest() -> toml_edit::DocumentMut {
    let text = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    text.parse().unwrap()
}

#[test]
fn the_readme_installs_the_package_that_holds_the_covenant_program() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let install = readme.find("## Install").expect("an install section");
    let setup = readme.find("cargo test").unwrap();
    assert!(
        setup < install,
        "the install section follows the two set-up commands"
    );
    let section = &readme[install..];
    assert!(section.contains("cargo install --path . --locked"));
    assert!(section.contains("cargo install --git "));
    let manifest = manifest();
    let package = manifest["package"]["name"].as_str().unwrap();
    assert!(
        section.contains(&format!("{package} --locked")),
        "`cargo install --git` names the package `{package}`"
    );
    let bins = manifest["bin"].as_array_of_tables().unwrap();
    assert!(bins.iter().any(|b| b["name"].as_str() == Some("covenant")));
}

/// `--locked` fails when `Cargo.lock` is not what the manifests ask for: resolving the
/// package's whole graph with the lock file as it is shows the README's command would not.
#[test]
fn the_lock_file_is_up_to_date_for_an_install_with_locked() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let run = Command::new(cargo)
        .args([
            "tree",
            "--locked",
            "--offline",
            "--edges",
            "normal",
            "--package",
            "covenant-cli",
            "--depth",
            "1",
        ])
        .current_dir(root())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "cargo tree --locked: {err}");
    assert!(String::from_utf8_lossy(&run.stdout).starts_with("covenant-cli "));
}

#[test]
fn the_release_build_has_no_debug_info_and_profiling_keeps_line_tables() {
    let manifest = manifest();
    let profiles = &manifest["profile"];
    assert_eq!(profiles["release"]["debug"].as_bool(), Some(false));
    assert_eq!(profiles["profiling"]["inherits"].as_str(), Some("release"));
    assert_eq!(profiles["profiling"]["debug"].as_integer(), Some(1));
    assert_eq!(profiles["dist"]["inherits"].as_str(), Some("release"));
    assert_eq!(profiles["dist"]["lto"].as_str(), Some("fat"));
    assert_eq!(profiles["dist"]["codegen-units"].as_integer(), Some(1));
}

#[test]
fn what_users_install_is_the_dist_build() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    assert!(readme.contains("cargo install --path . --locked --profile dist"));
    let dockerfile = std::fs::read_to_string(root().join("Dockerfile")).unwrap();
    assert!(dockerfile.contains("cargo build --profile dist --locked --bin covenant"));
    assert!(dockerfile.contains("target/dist/covenant"));
    let action = std::fs::read_to_string(root().join("action.yml")).unwrap();
    assert!(action.contains("cargo install --locked --profile dist"));
}
