//! `covenant fmt [--check] PATH…`: canonical formatting of policy files.
//!
//! Each file is parsed and printed back in the canonical layout (`docs/formatting.md`). A
//! file is rewritten atomically (a temporary file in the same folder, then a rename); one that
//! does not parse is left untouched and its errors are reported, and the other files are still
//! processed. With `--check` nothing is written: a unified diff is printed for every file that
//! would change. Exit code: 2 when a file does not parse or cannot be read or written, else 1
//! when `--check` found a file to change, else 0.

use covenant::resolve::policy_files;
use std::io::{IsTerminal, Write};
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
    /// Policy files or folders.
    #[arg(value_name = "PATH", required = true)]
    pub paths: Vec<PathBuf>,
    /// Do not write: print a diff and exit 1 when a file would change.
    #[arg(long)]
    pub check: bool,
    #[command(flatten)]
    pub limits: PolicyLimitArgs,
}

/// What happened to one file.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Unchanged,
    Changed,
    Failed,
}

pub fn run(args: &FmtArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let handler = human::handler(style::wanted("auto", std::io::stderr().is_terminal()));
    let Some(limits) = args.limits.resolve_or_report(err) else {
        return 2;
    };
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
        match format_file(path, args.check, &limits, out, err, &handler) {
            Outcome::Unchanged => {}
            Outcome::Changed => changed += 1,
            Outcome::Failed => failed = true,
        }
    }
    if args.check && changed > 0 {
        let s = if changed == 1 { "" } else { "s" };
        let _ = writeln!(
            err,
            "error: {changed} file{s} would be reformatted; run `covenant fmt` to format"
        );
    }
    if failed {
        2
    } else if args.check && changed > 0 {
        1
    } else {
        0
    }
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
    check: bool,
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
    if check {
        let _ = out.write_all(unified::diff(&shown, &text, &formatted).as_bytes());
        return Outcome::Changed;
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
