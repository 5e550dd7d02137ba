//! `covenant.toml`: the settings a project keeps instead of repeating flags (`docs/cli.md`).
//!
//! - Found upward from the working folder: the first `covenant.toml` in it or a folder above,
//!   stopping at the folder that holds `.git` (a repository's root: a file above it belongs
//!   to no one in the repository) and at the file system's root. `--config FILE` names one,
//!   `--no-config` reads none.
//! - Each key is the long name of the flag it sets ([`KEYS`]). A key at the top applies to
//!   every command that has that flag; a key in a `[COMMAND]` table (`[check]`, `[lint]`, …)
//!   to that command only, over the top.
//! - A flag given on the command line wins over the file (a list too: `-p` on the command line
//!   replaces the file's `policy`). Paths in the file are relative to the file's folder.
//! - Every key and value is checked, against every command that has the flag, before anything
//!   runs: an unknown key or a bad value is an error (`covenant::config::…`) shown at its place
//!   in the file, exit 2.
//!
//! The file is applied by rewriting the arguments: the settings the command line does not give
//! become `--KEY=VALUE` arguments after the command's name, and clap parses the whole again, so
//! a setting from the file is read exactly as the same flag would be.

mod read;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use clap::parser::ValueSource;
use clap::{ArgAction, ArgMatches, Command};

pub use read::{Config, ConfigError, Setting};

/// The file's name.
pub const FILE_NAME: &str = "covenant.toml";

/// The commands that read the file. `serve`, `lsp`, `completions` and `man` never look for it.
pub const COMMANDS: [&str; 6] = ["check", "explain", "fmt", "lint", "test", "diff"];

/// What a key's text is: a path is relative to the file's folder.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    Plain,
    Path,
}

/// Every key a `covenant.toml` may hold: the long name of the flag it sets, and what its text
/// is. Whether it is a yes/no (`true`), one value or a list comes from the flag itself.
/// To make a new flag settable from the file, add its line here (and a row to `docs/cli.md`).
pub const KEYS: &[(&str, Text)] = &[
    ("policy", Text::Path),
    ("exclude", Text::Plain),
    ("format", Text::Plain),
    ("deny-warnings", Text::Plain),
    ("include-proposed", Text::Plain),
    ("strict", Text::Plain),
    ("jobs", Text::Plain),
    ("color", Text::Plain),
    ("max-deal-size", Text::Plain),
    ("max-policy-size", Text::Plain),
    ("read-timeout", Text::Plain),
    ("max-deals", Text::Plain),
    ("max-deal-depth", Text::Plain),
    ("max-deal-values", Text::Plain),
    ("max-results", Text::Plain),
    ("require-applicable", Text::Plain),
    ("failures-only", Text::Plain),
];

/// The text kind of a key, when it is one.
pub fn key(name: &str) -> Option<Text> {
    KEYS.iter().find(|(k, _)| *k == name).map(|(_, t)| *t)
}

/// The flag `--NAME` of `command`, when it has one.
pub fn flag<'c>(command: &'c Command, name: &str) -> Option<&'c clap::Arg> {
    command.get_arguments().find(|a| a.get_long() == Some(name))
}

/// The first `covenant.toml` in `cwd` or a folder above it, up to the folder that holds
/// `.git` (included) or the root; named relative to `cwd` (`covenant.toml`,
/// `../covenant.toml`), so that paths in it stay as short as they were written.
pub fn find(cwd: &Path) -> Option<PathBuf> {
    let canonical = std::fs::canonicalize(cwd).ok()?;
    for (up, dir) in canonical.ancestors().enumerate() {
        if dir.join(FILE_NAME).is_file() {
            let mut shown = if cwd == Path::new(".") {
                PathBuf::new()
            } else {
                cwd.to_path_buf()
            };
            shown.extend(std::iter::repeat_n("..", up));
            return Some(shown.join(FILE_NAME));
        }
        if dir.join(".git").exists() {
            return None;
        }
    }
    None
}

/// The arguments `argv` (the program's name first) with the settings of `config` that apply
/// to the command `matches` parsed and that its command line does not give, as flags after
/// the command's name.
pub fn merged_args(
    argv: &[OsString],
    matches: &ArgMatches,
    cli: &Command,
    config: &Config,
) -> Vec<OsString> {
    let Some((name, sub_matches)) = matches.subcommand() else {
        return argv.to_vec();
    };
    let Some(command) = cli.find_subcommand(name) else {
        return argv.to_vec();
    };
    let mut added = Vec::new();
    for (key, text) in KEYS {
        let Some(arg) = flag(command, key) else {
            continue;
        };
        if sub_matches.value_source(arg.get_id().as_str()) == Some(ValueSource::CommandLine) {
            continue;
        }
        if let Some(setting) = config.setting(name, key) {
            added.extend(as_args(key, *text, setting, config.dir()));
        }
    }
    let at = command_position(argv, name);
    let mut out = argv.get(..at).unwrap_or_default().to_vec();
    out.extend(added);
    out.extend(argv.get(at..).unwrap_or_default().iter().cloned());
    out
}

/// The flags that give `setting` to `--KEY`.
fn as_args(key: &str, text: Text, setting: &Setting, dir: &Path) -> Vec<OsString> {
    let one = |value: &str| -> OsString {
        let mut arg = OsString::from(format!("--{key}="));
        match text {
            Text::Path => arg.push(dir.join(value)),
            Text::Plain => arg.push(value),
        }
        arg
    };
    match setting {
        Setting::Yes(true) => vec![OsString::from(format!("--{key}"))],
        Setting::Yes(false) => Vec::new(),
        Setting::One(v) => vec![one(&v.text)],
        Setting::List(vs) => vs.iter().map(|v| one(&v.text)).collect(),
    }
}

/// The index in `argv` just after the command's name: after the program's name and the global
/// flags `--config FILE` and `--no-config`, which may come before it.
fn command_position(argv: &[OsString], name: &str) -> usize {
    let mut i = 1;
    while let Some(arg) = argv.get(i) {
        if arg == "--config" {
            i += 2;
        } else if arg == name {
            return i + 1;
        } else {
            i += 1;
        }
    }
    argv.len()
}

/// Is the flag `arg` a yes/no (true), or does it take a list (false: one value)?
pub fn arity(arg: &clap::Arg) -> Arity {
    match arg.get_action() {
        ArgAction::SetTrue | ArgAction::SetFalse => Arity::Yes,
        ArgAction::Append | ArgAction::Count => Arity::List,
        _ => Arity::One,
    }
}

/// How many values a flag takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    /// A yes/no flag: `true` or `false` in the file.
    Yes,
    One,
    List,
}

#[cfg(test)]
mod tests;
