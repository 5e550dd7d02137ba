//! Formatting through `covenant fmt`'s formatter: one edit that replaces the whole text, or
//! none when it is already formatted or does not parse.

use covenant::source::{SourceFile, Span};
use covenant::syntax::format_policy;
use tower_lsp_server::ls_types::TextEdit;

use crate::position::LineIndex;

pub fn edits(name: &str, text: &str) -> Option<Vec<TextEdit>> {
    let formatted = format_policy(&SourceFile::policy(name, text)).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    let range = LineIndex::new(text).range(text, Span::new(0, text.len()));
    Some(vec![TextEdit::new(range, formatted)])
}
