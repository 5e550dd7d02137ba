//! Shared checks for the fuzz targets: every diagnostic must render, and every label must lie
//! inside the text it points into.
#![allow(dead_code)]

use covenant::deal::{load, Format, LoadOptions, Loaded};
use covenant::schema::Schema;
use covenant::source::SourceFile;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use std::sync::OnceLock;

pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(Schema::standard)
}

/// Render `diag` (and its related diagnostics) as a user would see it; assert that every
/// label lies in `text` on character boundaries. `text` is `None` when the diagnostic may
/// point into another file (a compiled policy's embedded sources).
pub fn check_diagnostic(diag: &dyn Diagnostic, text: Option<&str>) {
    if let (Some(text), Some(labels)) = (text, diag.labels()) {
        for label in labels {
            let (start, end) = (label.offset(), label.offset() + label.len());
            assert!(
                end <= text.len(),
                "label {start}..{end} outside a text of {} bytes: {diag}",
                text.len()
            );
            assert!(
                text.is_char_boundary(start) && text.is_char_boundary(end),
                "label {start}..{end} splits a character: {diag}"
            );
        }
    }
    if let Some(related) = diag.related() {
        for r in related {
            check_diagnostic(r, text);
        }
    }
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
    let mut out = String::new();
    handler
        .render_report(&mut out, diag)
        .unwrap_or_else(|e| panic!("diagnostic does not render ({e}): {diag}"));
}

/// Load `text` as one deal of `format` and check every diagnostic.
pub fn load_deal(text: &str, name: &str, first_line: usize, format: Format) -> Option<Loaded> {
    let source = SourceFile::new(name, text);
    match load(
        source,
        name.to_string(),
        first_line,
        format,
        schema(),
        &LoadOptions::default(),
    ) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                check_diagnostic(w, Some(text));
            }
            Some(loaded)
        }
        Err(errors) => {
            check_diagnostic(&errors, Some(text));
            None
        }
    }
}
