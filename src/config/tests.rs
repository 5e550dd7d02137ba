use std::ffi::OsString;
use std::path::{Path, PathBuf};

use super::{find, flag, COMMANDS, FILE_NAME, KEYS};

struct Temp(PathBuf);

impl Temp {
    fn new(name: &str) -> Temp {
        let dir =
            std::env::temp_dir().join(format!("covenant-config-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Temp(dir.canonicalize().unwrap())
    }
}

impl Drop for Temp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[test]
fn every_key_is_a_flag_of_a_command_that_reads_the_file() {
    let cli = crate::Cli::whole_command();
    for (key, _) in KEYS {
        let commands: Vec<&str> = COMMANDS
            .iter()
            .copied()
            .filter(|c| {
                cli.find_subcommand(c)
                    .is_some_and(|c| flag(c, key).is_some())
            })
            .collect();
        assert!(!commands.is_empty(), "`{key}` is the flag of no command");
    }
    for c in COMMANDS {
        assert!(cli.find_subcommand(c).is_some(), "no command `{c}`");
    }
}

#[test]
fn the_file_is_found_upward_up_to_the_repository_root() {
    let t = Temp::new("find");
    let deep = t.0.join("repo/a/b");
    std::fs::create_dir_all(&deep).unwrap();
    assert_eq!(find(&deep), None);
    std::fs::write(t.0.join("repo/a").join(FILE_NAME), "").unwrap();
    assert_eq!(find(&deep), Some(deep.join("..").join(FILE_NAME)));
    assert_eq!(
        find(&t.0.join("repo/a")),
        Some(t.0.join("repo/a").join(FILE_NAME))
    );
    // Above the repository's root, a file is not the repository's.
    std::fs::remove_file(t.0.join("repo/a").join(FILE_NAME)).unwrap();
    std::fs::write(t.0.join(FILE_NAME), "").unwrap();
    assert_eq!(find(&deep), Some(deep.join("../../..").join(FILE_NAME)));
    std::fs::create_dir_all(t.0.join("repo/.git")).unwrap();
    assert_eq!(find(&deep), None);
    // A `.git` file (a worktree) is a root too; the root's own file is found.
    std::fs::remove_dir_all(t.0.join("repo/.git")).unwrap();
    std::fs::write(t.0.join("repo/.git"), "gitdir: elsewhere").unwrap();
    assert_eq!(find(&deep), None);
    std::fs::write(t.0.join("repo").join(FILE_NAME), "").unwrap();
    assert_eq!(find(&deep), Some(deep.join("../..").join(FILE_NAME)));
}

fn args(list: &[&str]) -> Vec<OsString> {
    list.iter().map(OsString::from).collect()
}

/// The arguments `argv` becomes with the file `toml` in `dir`.
fn merged(dir: &Path, toml: &str, argv: &[&str]) -> Vec<String> {
    let path = dir.join(FILE_NAME);
    std::fs::write(&path, toml).unwrap();
    let cli = crate::Cli::whole_command();
    let argv = args(argv);
    let matches = cli.clone().try_get_matches_from(&argv).unwrap();
    let config = super::Config::load(&path, &cli).unwrap();
    super::merged_args(&argv, &matches, &cli, &config)
        .into_iter()
        .map(|a| a.into_string().unwrap())
        .collect()
}

#[test]
fn the_command_line_wins_and_paths_are_the_files() {
    let t = Temp::new("merge");
    let toml = "policy = [\"policies\", \"/abs\"]\ndeny-warnings = true\nstrict = false\nformat = \"json\"\n\n[check]\nformat = \"sarif\"\nexclude = \"drafts\"\n";
    let dir = t.0.display().to_string();
    assert_eq!(
        merged(&t.0, toml, &["covenant", "check", "d.yaml"]),
        [
            "covenant".to_string(),
            "check".into(),
            format!("--policy={dir}/policies"),
            "--policy=/abs".into(),
            "--exclude=drafts".into(),
            "--format=sarif".into(),
            "--deny-warnings".into(),
            "d.yaml".into(),
        ]
    );
    assert_eq!(
        merged(
            &t.0,
            toml,
            &[
                "covenant",
                "--no-config",
                "check",
                "-p",
                "x",
                "--format",
                "human",
                "d"
            ]
        ),
        [
            "covenant",
            "--no-config",
            "check",
            "--exclude=drafts",
            "--deny-warnings",
            "-p",
            "x",
            "--format",
            "human",
            "d"
        ]
    );
    // `lint` takes the top's format, and has no `exclude` or `strict`.
    assert_eq!(
        merged(&t.0, toml, &["covenant", "lint", "--config", "c.toml"]),
        [
            "covenant".to_string(),
            "lint".into(),
            format!("--policy={dir}/policies"),
            "--policy=/abs".into(),
            "--format=json".into(),
            "--deny-warnings".into(),
            "--config".into(),
            "c.toml".into(),
        ]
    );
}
