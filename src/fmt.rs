//! `covenant fmt [--check|--list] PATH…` and `covenant fmt -`: canonical formatting of policy
//! files.
//!
//! Each file is parsed and printed back in the canonical layout (`docs/formatting.md`). A
//! file is rewritten atomically (a temporary file in the same folder, then a rename); one that
//! does not parse is left untouched and its errors are reported, and the other files are still
//! processed. With `--check` nothing is written: a unified diff is printed for every file that
//! would change; with `--list`, its path. `-` formats standard input to standard output.
//! Exit code: 2 when a file does not parse or cannot be read or written, else 1 when `--check`
//! or `--list` found a file to change, else 0.

use covenant::resolve::policy_files;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use covenant::limits::{show_size, PolicyLimits};
use covenant::report::human;
use covenant::report::visible::visible;
use covenant::source::SourceFile;
use covenant::syntax::format_policy;

use super::limits::PolicyLimitArgs;
use super::style;

mod unified;

#[cfg(test)]
mod tests;

#[derive(clap::Args, Debug, Clone)]
pub struct FmtArgs {
    /// Policy files or folders, or `-` alone: format standard input to standard output.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Do not write: print a diff and exit 1 when a file would change.
    #[arg(long)]
    pub check: bool,
    /// Do not write: print the path of each file that would change, and exit 1 if there is one.
    #[arg(long, conflicts_with = "check")]
    pub list: bool,
    #[command(flatten)]
    pub limits: PolicyLimitArgs,
}

/// What `fmt` does with a file that would change.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Write,
    /// `--check`: print a diff.
    Check,
    /// `--list`: print its path.
    List,
}

/// What happened to one file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Unchanged,
    Changed,
    Failed,
}

pub fn run(args: &FmtArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let handler = human::handler(style::stderr_auto());
    let Some(limits) = args.limits.resolve_or_report(err) else {
        return 2;
    };
    let mode = if args.check {
        Mode::Check
    } else if args.list {
        Mode::List
    } else {
        Mode::Write
    };
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        if args.paths.len() > 1 {
            let _ = writeln!(
                err,
                "error: `-` (standard input) is formatted alone: name no other path"
            );
            return 2;
        }
        return format_stdin(mode, &limits, out, err, &handler);
    }
    let mut failed = false;
    let mut files = Vec::new();
    for path in &args.paths {
        match policy_files(path) {
            Ok(mut found) => files.append(&mut found),
            Err(e) => {
                let shown = visible(&path.display().to_string()).into_owned();
                let _ = writeln!(err, "error: cannot read `{shown}`: {e}");
                failed = true;
            }
        }
    }
    let mut changed = 0;
    for path in &files {
        match format_file(path, mode, &limits, out, err, &handler) {
            Outcome::Unchanged => {}
            Outcome::Changed => changed += 1,
            Outcome::Failed => failed = true,
        }
    }
    if mode != Mode::Write && changed > 0 {
        let s = if changed == 1 { "" } else { "s" };
        let _ = writeln!(
            err,
            "error: {changed} file{s} would be reformatted; run `covenant fmt` to format"
        );
    }
    exit_code(failed, mode, changed > 0)
}

fn exit_code(failed: bool, mode: Mode, changed: bool) -> u8 {
    if failed {
        2
    } else if mode != Mode::Write && changed {
        1
    } else {
        0
    }
}

/// `covenant fmt -`: standard input formatted to standard output (with `--check`, a diff;
/// with `--list`, `-` when it would change). Nothing is printed to standard output when it
/// does not parse.
fn format_stdin(
    mode: Mode,
    limits: &PolicyLimits,
    out: &mut dyn Write,
    err: &mut dyn Write,
    handler: &miette::GraphicalReportHandler,
) -> u8 {
    let max = limits.max_file_size;
    let mut bytes = Vec::new();
    let read = std::io::stdin()
        .lock()
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes);
    if let Err(e) = read {
        let _ = writeln!(err, "error: cannot read standard input: {e}");
        return 2;
    }
    if bytes.len() as u64 > max {
        let size = show_size(max);
        let _ = writeln!(err, "error: standard input is larger than the limit of {size} (raise the limit with --max-policy-size)");
        return 2;
    }
    let Ok(text) = String::from_utf8(bytes) else {
        let _ = writeln!(err, "error: standard input is not UTF-8 text");
        return 2;
    };
    let shown = "<stdin>";
    let formatted = match format_policy(&SourceFile::new(shown, text.clone())) {
        Ok(f) => f,
        Err(errors) => {
            let _ = err.write_all(human::render(handler, &errors).as_bytes());
            let _ = writeln!(err, "error: standard input does not parse");
            return 2;
        }
    };
    let changed = formatted != text;
    match mode {
        Mode::Write => {
            let _ = out.write_all(formatted.as_bytes());
        }
        Mode::Check if changed => {
            let _ = out.write_all(unified::diff(shown, &text, &formatted).as_bytes());
        }
        Mode::List if changed => {
            let _ = writeln!(out, "-");
        }
        Mode::Check | Mode::List => {}
    }
    exit_code(false, mode, changed)
}

/// Read a policy within the size limit (and, when not a regular file, the time limit); an
/// error is the message to print.
fn read_policy(path: &Path, shown: &str, limits: &PolicyLimits) -> Result<String, String> {
    let max = limits.max_file_size;
    let bytes = covenant::bounded::read_file(path, max, limits.read_timeout)
        .map_err(|e| format!("cannot read `{shown}`: {e}"))?
        .ok_or_else(|| {
            format!(
                "policy `{shown}` is larger than the limit of {}: it was left as it is (raise the limit with --max-policy-size)",
                show_size(max)
            )
        })?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!("policy `{shown}` is not UTF-8 text (invalid byte at offset {at}); it was left as it is")
    })
}

fn format_file(
    path: &Path,
    mode: Mode,
    limits: &PolicyLimits,
    out: &mut dyn Write,
    err: &mut dyn Write,
    handler: &miette::GraphicalReportHandler,
) -> Outcome {
    let shown = path.display().to_string();
    let text = match read_policy(path, &visible(&shown), limits) {
        Ok(t) => t,
        Err(e) => {
            let _ = writeln!(err, "error: {e}");
            return Outcome::Failed;
        }
    };
    let source = SourceFile::new(shown.clone(), text.clone());
    let formatted = match format_policy(&source) {
        Ok(f) => f,
        Err(errors) => {
            let _ = err.write_all(human::render(handler, &errors).as_bytes());
            let _ = writeln!(err, "error: `{shown}` does not parse; it was left as it is");
            return Outcome::Failed;
        }
    };
    if formatted == text {
        return Outcome::Unchanged;
    }
    match mode {
        Mode::Check => {
            let _ = out.write_all(unified::diff(&shown, &text, &formatted).as_bytes());
            return Outcome::Changed;
        }
        Mode::List => {
            let _ = writeln!(out, "{}", visible(&shown));
            return Outcome::Changed;
        }
        Mode::Write => {}
    }
    match write_atomically(path, &formatted) {
        Ok(()) => Outcome::Changed,
        Err(e) => {
            let _ = writeln!(err, "error: cannot write `{shown}`: {e}");
            Outcome::Failed
        }
    }
}

/// Write `text` to a temporary file beside `path`, then rename it over `path`, so that a
/// reader never sees half a file. The file keeps its permissions. A symbolic link stays a
/// link: the file it leads to is written (the temporary file beside that file).
fn write_atomically(path: &Path, text: &str) -> std::io::Result<()> {
    let resolved = std::fs::canonicalize(path);
    let path = resolved.as_deref().unwrap_or(path);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = path
        .file_name()
        .map_or_else(|| "policy".into(), |n| n.to_string_lossy().into_owned());
    let temp = dir.join(format!(".{name}.{}.fmt.tmp", std::process::id()));
    let result = (|| {
        let mut file = std::fs::File::create(&temp)?;
        #[cfg(test)]
        if tests::FAIL_WRITE.with(std::cell::Cell::get) {
            let half = text.as_bytes().get(..text.len() / 2).unwrap_or_default();
            file.write_all(half)?;
            return Err(std::io::Error::other("interrupted (test hook)"));
        }
        file.write_all(text.as_bytes())?;
        file.sync_all()?;
        if let Ok(meta) = std::fs::metadata(path) {
            std::fs::set_permissions(&temp, meta.permissions())?;
        }
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result
}
