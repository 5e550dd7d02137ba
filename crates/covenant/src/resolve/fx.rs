//! The rate tables of the loaded files (SPEC §11): each `fx "TEXT" from "FILE" [url "U"]`
//! clause's file, read when the policy compiles (relative to the policy file, within the
//! policy size and time limits), and which table each file sees.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::fx::{read_rates, BadRates, RateTable};
use crate::limits::PolicyLimits;
use crate::source::SourceFile;
use crate::syntax::ast::FxClause;

use super::fx_error::{BadRateHeader, BadRateRow, FxError, RepeatedRate, UnreadableRates};
use super::header_clauses::seen_by_each;
use super::{CompileDiagnostic, LoadedFile};

/// The rate tables, and which ones each file sees.
#[derive(Debug, Default)]
pub struct FxScope {
    /// One table per file with an `fx` clause, in file order (empty when its file is bad).
    pub tables: Vec<RateTable>,
    /// For each file, the tables it sees (indices into `tables`).
    pub seen: Vec<Vec<usize>>,
    /// Each table's clause as an error names it: `` `fx "ECB rates"` (rates.policy:2) ``.
    pub shown: Vec<String>,
}

/// Read the rate file of every `fx` clause; the errors of a bad one go to `errors`.
pub(super) fn load(
    files: &[LoadedFile],
    limits: &PolicyLimits,
    errors: &mut Vec<CompileDiagnostic>,
) -> FxScope {
    let mut scope = FxScope::default();
    let mut table_of_file = vec![None; files.len()];
    for (index, f) in files.iter().enumerate() {
        let Some(clause) = &f.ast.header.fx else {
            continue;
        };
        // Relative to the policy's folder; as written for a policy given as text.
        let path = match &f.dir {
            Some(dir) => dir.join(&clause.file.node),
            None => PathBuf::from(&clause.file.node),
        };
        let table = match read_table(f, clause, &path, limits) {
            Ok(t) => t,
            Err(e) => {
                errors.push(CompileDiagnostic::Fx(e));
                table_header(clause, &path)
            }
        };
        if let Some(slot) = table_of_file.get_mut(index) {
            *slot = Some(scope.tables.len());
        }
        let (line, _) = f.source.line_col(clause.span.start);
        scope.shown.push(format!(
            "`fx \"{}\"` ({}:{line})",
            clause.text.node, f.source.name
        ));
        scope.tables.push(table);
    }
    scope.seen = seen_by_each(files, |f| f.ast.header.fx.is_some())
        .into_iter()
        .map(|seen| {
            seen.iter()
                .filter_map(|&f| table_of_file.get(f).copied().flatten())
                .collect()
        })
        .collect();
    scope
}

/// The table of `clause` without its rows.
fn table_header(clause: &FxClause, path: &Path) -> RateTable {
    RateTable::new(
        Arc::from(clause.text.node.as_str()),
        clause.url.as_ref().map(|u| Arc::from(u.node.as_str())),
        Arc::from(path.display().to_string()),
    )
}

fn read_table(
    f: &LoadedFile,
    clause: &FxClause,
    path: &Path,
    limits: &PolicyLimits,
) -> Result<RateTable, FxError> {
    let shown = path.display().to_string();
    let unreadable = |why: String| {
        FxError::from(UnreadableRates {
            path: shown.clone(),
            why,
            src: f.source.named(),
            span: clause.file.span.into(),
        })
    };
    let max = limits.max_file_size;
    let bytes = crate::bounded::read_file(path, max, limits.read_timeout)
        .map_err(|e| unreadable(e.to_string()))?
        .ok_or_else(|| {
            let size = crate::limits::show_size(max);
            unreadable(format!(
                "the file is larger than the limit of {size} (--max-policy-size)"
            ))
        })?;
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        unreadable(format!(
            "the file is not UTF-8 text (invalid byte at offset {at})"
        ))
    })?;
    match read_rates(&text) {
        Ok(rows) => Ok(table_header(clause, path).with_rows(rows)),
        Err(bad) => Err(bad_rates(shown.clone(), SourceFile::new(shown, text), bad)),
    }
}

/// The diagnostic of a malformed rate file, shown in the file's own text.
fn bad_rates(path: String, source: SourceFile, bad: BadRates) -> FxError {
    let src = source.named();
    match bad {
        BadRates::Header { span } => BadRateHeader {
            path,
            src,
            span: span.into(),
        }
        .into(),
        BadRates::Line {
            line,
            span,
            why,
            help,
        } => BadRateRow {
            path,
            line,
            why,
            src,
            span: span.into(),
            help,
        }
        .into(),
        BadRates::Repeated {
            line,
            span,
            first_line,
            first,
        } => RepeatedRate {
            path,
            line,
            first_line,
            src,
            span: span.into(),
            first: first.into(),
        }
        .into(),
    }
}
