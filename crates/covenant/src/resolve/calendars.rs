//! Calendars (SPEC §9): each file's `calendar "TEXT" from "FILE"`, read once at compile time,
//! and which calendars each file sees: its own and those its used files see, transitively
//! (a calendar reached by two ways counts once).

use std::path::Path;
use std::sync::Arc;

use crate::dates::{Calendar, CalendarError};
use crate::limits::PolicyLimits;
use crate::source::SourceFile;
use crate::syntax::ast::CalendarClause;

use super::date_error::{BadCalendarLine, UnreadableCalendar};
use super::error::ResolveError;
use super::header_clauses::seen_by_each;
use super::{CompileDiagnostic, LoadedFile};

/// The calendars a file sees.
#[derive(Clone, Debug, Default)]
pub enum Sight {
    #[default]
    None,
    One(Arc<Calendar>),
    /// Two or more: `working days` would be ambiguous.
    Several(Vec<Arc<Calendar>>),
}

/// What every loaded file sees, by file index.
#[derive(Debug, Default)]
pub struct Calendars {
    per_file: Vec<Sight>,
}

impl Calendars {
    /// The calendars file `file` sees.
    pub fn sight(&self, file: usize) -> &Sight {
        static NONE: Sight = Sight::None;
        self.per_file.get(file).unwrap_or(&NONE)
    }
}

/// Read every file's calendar (an unreadable or bad one is `covenant::date::bad-calendar`),
/// and work out what each file sees.
pub(super) fn load(
    files: &[LoadedFile],
    limits: &PolicyLimits,
    errors: &mut Vec<CompileDiagnostic>,
) -> Calendars {
    let own: Vec<Option<Arc<Calendar>>> = files
        .iter()
        .map(|f| {
            let clause = f.ast.header.calendar.as_ref()?;
            match read(f, clause, limits) {
                Ok(c) => Some(Arc::new(c)),
                Err(e) => {
                    errors.push(CompileDiagnostic::Resolve(e));
                    None
                }
            }
        })
        .collect();
    let per_file = seen_by_each(files, |f| f.ast.header.calendar.is_some())
        .into_iter()
        .map(|seen| {
            let seen: Vec<Arc<Calendar>> = seen
                .into_iter()
                .filter_map(|f| own.get(f).cloned().flatten())
                .collect();
            match seen.as_slice() {
                [] => Sight::None,
                [one] => Sight::One(one.clone()),
                _ => Sight::Several(seen),
            }
        })
        .collect();
    Calendars { per_file }
}

/// The calendar of `clause`, read from its file (relative to the policy file) within the
/// policy size and time limits.
fn read(
    f: &LoadedFile,
    clause: &CalendarClause,
    limits: &PolicyLimits,
) -> Result<Calendar, ResolveError> {
    let path = f
        .dir
        .as_deref()
        .unwrap_or(Path::new("."))
        .join(&clause.file.node);
    let unreadable = |why: String| {
        ResolveError::from(UnreadableCalendar {
            file: clause.file.node.clone(),
            why,
            src: f.source.named(),
            span: clause.file.span.into(),
        })
    };
    let bytes = crate::bounded::read_file(&path, limits.max_file_size, limits.read_timeout)
        .map_err(|e| unreadable(e.to_string()))?
        .ok_or_else(|| {
            let size = crate::limits::show_size(limits.max_file_size);
            unreadable(format!(
                "the file is larger than the limit of {size} (--max-policy-size)"
            ))
        })?;
    let text =
        String::from_utf8(bytes).map_err(|_| unreadable("the file is not UTF-8 text".into()))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    match Calendar::parse(&clause.name.node, &clause.file.node, text) {
        Ok(c) => Ok(c),
        Err(CalendarError::Empty) => Err(unreadable(
            "the file lists no day, so it covers no year".into(),
        )),
        Err(CalendarError::BadLine(b)) => {
            let file = SourceFile::new(path.display().to_string(), text.to_string());
            Err(ResolveError::from(BadCalendarLine {
                file: clause.file.node.clone(),
                line: b.line,
                why: b.why,
                src: file.named(),
                span: (b.start, b.end - b.start).into(),
            }))
        }
    }
}

/// A calendar as messages name it: `"UK bank holidays" (calendars/uk.csv)`.
pub fn shown(c: &Calendar) -> String {
    format!("\"{}\" ({})", c.name, c.file)
}
