//! One deal document ready to check, and reading the one deal an argument names.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::deal::{self, Format};
use crate::limits::Limits;
use crate::source::SourceFile;

use super::read;
use super::stdin::{self, StdinFormat, StdinKind};

/// One deal document, as [`super::Engine::check_document`] takes it.
#[derive(Clone, Debug)]
pub struct Document {
    /// The path its report names: a file, `-`, `batch.jsonl:N` for one line of a batch.
    pub path: String,
    /// Its text, named as its diagnostics show it.
    pub source: SourceFile,
    /// The line of the file the text starts on (a line of a batch), so positions are the file's.
    pub first_line: usize,
    pub format: Format,
}

impl Document {
    /// A whole document named `name`, in its report and its diagnostics alike.
    pub fn new(name: &str, text: &str, format: Format) -> Document {
        Document {
            path: name.to_string(),
            source: SourceFile::new(name, text),
            first_line: 1,
            format,
        }
    }

    /// Read the one deal `arg` names, as `covenant explain` takes it: a file, `-` (read from
    /// `stdin`, in the format named or detected), or one line of a batch as `batch.jsonl:N`;
    /// each within the default deal size limit and, when not a regular file, within
    /// `timeout`. An error is the message to show.
    pub fn read_named(
        arg: &str,
        stdin: &mut dyn Read,
        stdin_format: Option<StdinFormat>,
        timeout: Duration,
    ) -> Result<Document, String> {
        let max = Limits::default().max_deal_size;
        if arg == "-" {
            return read_stdin(stdin, stdin_format, max);
        }
        if let Some((file, line)) = arg.rsplit_once(':').filter(|(f, _)| f.ends_with(".jsonl")) {
            let n: usize = line
                .parse()
                .map_err(|_| format!("`{line}` is not a line number"))?;
            let content = read::batch_line(Path::new(file), n, max, timeout)?;
            return Ok(Document {
                path: arg.into(),
                source: SourceFile::new(arg, content),
                first_line: n,
                format: Format::Json,
            });
        }
        let path = PathBuf::from(arg);
        if path.extension().is_some_and(|e| e == "jsonl") {
            return Err(format!("`{arg}` is a batch: name one deal as `{arg}:N`"));
        }
        let format = deal::format_of(&path)
            .ok_or_else(|| format!("`{arg}` is not a deal file (.yaml, .yml, .json, .toml)"))?;
        let text = read::deal_file(&path, max, timeout).map_err(|p| p.to_string())?;
        Ok(Document {
            path: arg.into(),
            source: SourceFile::new(arg, text),
            first_line: 1,
            format,
        })
    }
}

/// One deal document from standard input; JSON lines are several deals, refused here.
fn read_stdin(
    stdin: &mut dyn Read,
    stdin_format: Option<StdinFormat>,
    max: u64,
) -> Result<Document, String> {
    let mut bytes = Vec::new();
    Read::take(stdin, max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(read::too_large("standard input", max).to_string());
    }
    let format = match stdin::kind(stdin_format, &bytes) {
        StdinKind::Document(f) => f,
        StdinKind::Lines => {
            return Err("standard input holds JSON lines (several deals): explain one deal at a time, or name its format with --stdin-format".into())
        }
    };
    let text =
        String::from_utf8(bytes).map_err(|_| "standard input is not UTF-8 text".to_string())?;
    Ok(Document {
        path: "-".into(),
        source: SourceFile::new("-", text),
        first_line: 1,
        format,
    })
}
