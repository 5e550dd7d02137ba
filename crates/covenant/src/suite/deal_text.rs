//! The deal of a test case as the engine checks it: a file named relative to the suite, one
//! line of a `.jsonl` batch (`batch.jsonl:2`), or a mapping written inline in the suite. The
//! report path is the path as written in the suite (relative to it), `file.jsonl:N` for a
//! batch line, `<suite file name>:<line>` for an inline deal.

use std::path::Path;

use crate::check::{read, Document};
use crate::deal::{self, Format as DealFormat};
use crate::limits::{show_size, Limits, PolicyLimits};
use crate::source::{SourceFile, Span};

use super::diag::{DealUnreadable, SuiteError};

/// An inline deal: the suite's text with everything outside the mapping blanked (newlines
/// kept), so the deal loader reads only the mapping and every position is the suite's own.
pub fn inline(source: &SourceFile, display: &str, span: Span) -> Document {
    let blanked: String = source
        .text
        .char_indices()
        .flat_map(|(i, c)| {
            let keep = c == '\n' || (i >= span.start && i < span.end);
            let n = if keep { 1 } else { c.len_utf8() };
            std::iter::repeat_n(if keep { c } else { ' ' }, n)
        })
        .collect();
    let line = source.line_col(span.start).0;
    let file = Path::new(display)
        .file_name()
        .map_or(display.to_string(), |f| f.to_string_lossy().into_owned());
    Document {
        path: format!("{file}:{line}"),
        source: SourceFile::new(display, blanked),
        first_line: 1,
        format: DealFormat::Yaml,
    }
}

/// A suite or deal file's text, within the deal size limit (and, when not a regular file,
/// the time limit of `limits`); an error says why it cannot be read.
pub fn read_text(path: &Path, limits: &PolicyLimits) -> Result<String, String> {
    let max = Limits::default().max_deal_size;
    let bytes = crate::bounded::read_file(path, max, limits.read_timeout)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("larger than the limit of {}", show_size(max)))?;
    String::from_utf8(bytes).map_err(|_| "not UTF-8 text".to_string())
}

/// Read a deal file named relative to the suite: `deals/jv.yaml` or `batch.jsonl:N`.
pub fn file(
    source: &SourceFile,
    dir: &Path,
    written: &str,
    span: Span,
    limits: &PolicyLimits,
) -> Result<Document, Box<SuiteError>> {
    let (file, line) = match written.rsplit_once(':') {
        Some((f, n)) if f.ends_with(".jsonl") => (f, n.parse::<usize>().ok().or(Some(0))),
        _ => (written, None),
    };
    let full = dir.join(file);
    let unreadable_with = |why: String, help: Option<&str>| {
        Box::new(SuiteError::from(DealUnreadable {
            written: written.to_string(),
            why,
            span,
            help: help.map(str::to_string),
            src: source.named(),
        }))
    };
    let unreadable = |why: String| unreadable_with(why, None);
    if let Err(e) = std::fs::metadata(&full) {
        let why = if e.kind() == std::io::ErrorKind::NotFound {
            "no such file".to_string()
        } else {
            e.to_string()
        };
        return Err(unreadable_with(
            format!("{why} (looked for `{}`)", full.display()),
            Some("a deal path is relative to the suite file"),
        ));
    }
    let name = full.display().to_string();
    let max = Limits::default().max_deal_size;
    if let Some(n) = line {
        let content = read::batch_line(&full, n, max, limits.read_timeout).map_err(unreadable)?;
        if read::is_blank(&content) {
            return Err(unreadable(format!("`{file}` has no deal on line {n}")));
        }
        return Ok(Document {
            path: written.to_string(),
            source: SourceFile::new(format!("{name}:{n}"), content),
            first_line: n,
            format: DealFormat::Json,
        });
    }
    let text = read_text(&full, limits).map_err(unreadable)?;
    let Some(format) = deal::format_of(Path::new(file)) else {
        let help = if file.ends_with(".jsonl") {
            "a batch holds several deals: name one line, such as `batch.jsonl:2`"
        } else {
            "a deal file is .yaml, .yml, .json or .toml"
        };
        return Err(unreadable_with("not a deal file".into(), Some(help)));
    };
    Ok(Document {
        path: written.to_string(),
        source: SourceFile::new(name, text),
        first_line: 1,
        format,
    })
}
