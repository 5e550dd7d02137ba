//! What a compilation saw, for tools such as the language server: where each phrase resolved
//! to (its field path, type and unit), the names that were possible where a phrase did not
//! resolve, and the type of each definition. A [`Recorder`] passed to
//! [`compile_loaded`](super::compile_loaded) collects them; a plain compilation records
//! nothing.

use std::cell::RefCell;

use crate::schema::{Constraint, RecordId, Schema, Type};
use crate::source::Span;

use super::ir::{Base, Step};
use super::phrase::{Frame, Resolved};

/// A phrase that resolved: what it reads, and its type.
#[derive(Clone, Debug)]
pub struct PhraseUse {
    /// The file of the phrase (an index into the loaded files).
    pub file: usize,
    pub span: Span,
    pub base: UseBase,
    /// The words that name the base when it is a definition or an item (`foreign partner` of
    /// `foreign partner stake`).
    pub base_span: Option<Span>,
    /// The fields read from the base, in order.
    pub fields: Vec<FieldStep>,
    pub ty: Type,
    /// What the value of the last field must be beyond its type (a country code, …).
    pub constraint: Constraint,
}

/// What a phrase starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UseBase {
    /// The deal.
    Deal,
    /// The item of an enclosing quantifier or `where`, by the name it has there (`party`).
    Item(String),
    /// A `let` definition, by where its name is written.
    Definition { file: usize, name_span: Span },
}

/// One field a phrase reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldStep {
    /// The field's name as the schema has it (`board_seats`).
    pub name: String,
    pub record: RecordId,
    pub field: usize,
    /// The value before was a list: the field is read on each of its items.
    pub each: bool,
}

/// A phrase that did not resolve: from the first word that failed to its end, and the names
/// that were possible at that word (fields of the value so far, or, at the first word, the
/// definitions, item names and fields in scope).
#[derive(Clone, Debug)]
pub struct UnresolvedPhrase {
    pub file: usize,
    /// The whole phrase.
    pub phrase: Span,
    /// From the first word that does not resolve to the end of the phrase.
    pub span: Span,
    /// The names possible there, with spaces between words (`board seats`).
    pub candidates: Vec<String>,
}

/// The type of a definition that compiled.
#[derive(Clone, Debug)]
pub struct DefinitionType {
    pub file: usize,
    pub name_span: Span,
    pub ty: Type,
}

/// Everything a [`Recorder`] collected.
#[derive(Clone, Debug, Default)]
pub struct Recorded {
    pub phrases: Vec<PhraseUse>,
    pub unresolved: Vec<UnresolvedPhrase>,
    pub definitions: Vec<DefinitionType>,
}

/// Collects what a compilation resolves (see the module's documentation).
#[derive(Debug, Default)]
pub struct Recorder {
    recorded: RefCell<Recorded>,
}

impl Recorder {
    pub fn new() -> Recorder {
        Recorder::default()
    }

    /// What was recorded, phrases in source order.
    pub fn into_recorded(self) -> Recorded {
        let mut r = self.recorded.into_inner();
        r.phrases
            .sort_by_key(|p| (p.file, p.span.start, p.span.end));
        r.phrases
            .dedup_by(|a, b| a.file == b.file && a.span == b.span);
        r.unresolved.sort_by_key(|p| (p.file, p.span.start));
        r
    }

    pub(super) fn phrase(
        &self,
        schema: &Schema,
        file: usize,
        span: Span,
        resolved: &Resolved,
        frames: &[Frame],
        definition: impl Fn(usize) -> (usize, Span),
    ) {
        let base = match resolved.base {
            Base::Root => UseBase::Deal,
            Base::Item(depth) => {
                let frame = frames
                    .len()
                    .checked_sub(depth + 1)
                    .and_then(|i| frames.get(i));
                let name = frame.and_then(|f| f.names.first()).cloned();
                UseBase::Item(name.unwrap_or_default().replace('_', " "))
            }
            Base::Let(index) => {
                let (file, name_span) = definition(index);
                UseBase::Definition { file, name_span }
            }
        };
        let constraint = resolved
            .steps
            .last()
            .and_then(|s| schema.record(s.record).fields.get(s.field))
            .map(|f| f.constraint.clone())
            .unwrap_or_default();
        let fields = resolved.steps.iter().map(field_step).collect();
        self.recorded.borrow_mut().phrases.push(PhraseUse {
            file,
            span,
            base,
            base_span: resolved.base_span,
            fields,
            ty: resolved.ty.clone(),
            constraint,
        });
    }

    pub(super) fn unresolved(&self, unresolved: UnresolvedPhrase) {
        self.recorded.borrow_mut().unresolved.push(unresolved);
    }

    pub(super) fn definition(&self, file: usize, name_span: Span, ty: &Type) {
        self.recorded.borrow_mut().definitions.push(DefinitionType {
            file,
            name_span,
            ty: ty.clone(),
        });
    }
}

fn field_step(s: &Step) -> FieldStep {
    FieldStep {
        name: s.name.to_string(),
        record: s.record,
        field: s.field,
        each: s.map,
    }
}
