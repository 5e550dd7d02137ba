//! Phrases: resolution against the scopes, definitions that shadow fields, and the item
//! scopes opened by `where`, quantifiers and must-forms.

use crate::schema::{Schema, Type};
use crate::source::Span;
use crate::syntax::ast;

use super::super::error::{
    AfterScalar, AmbiguousDefinition, DefinitionLikeField, DefinitionTooDeep, ItemOrListField,
    UnknownPhrase,
};
use super::super::index::UnresolvedPhrase;
use super::super::ir::{Base, Expr, ExprKind as K, Step};
use super::super::phrase::{self, Frame, Unresolved};
use super::{did_you_mean_phrase, Ctx, Lowerer};

impl Lowerer<'_> {
    pub(super) fn phrase(&mut self, p: &ast::Phrase, frames: &[Frame]) -> Option<Expr> {
        if super::dates::is_evaluation_date(p) {
            return Some(self.mk(K::EvaluationDate, Type::Date, p.span));
        }
        let defs = self.defs;
        let def_type = |i: usize| defs.def_type(i);
        match phrase::resolve(self.schema, frames, self.visible, &def_type, p) {
            Ok(r) => {
                if let Some(record) = self.record {
                    let defs = self.defs;
                    let at = |i: usize| {
                        let (_, file, span) = defs.def_name(i);
                        (file, span)
                    };
                    record.phrase(self.schema, self.file, p.span, &r, frames, at);
                }
                self.item_definitions_in_depth(&r.steps, p)?;
                if let Base::Let(index) = r.base {
                    self.check_shadowing(index, frames, p)?;
                    if let Err(own) = self.defs.use_def(index) {
                        let (name, _, _) = self.defs.def_name(index);
                        self.resolve_error(DefinitionTooDeep {
                            name,
                            limit: self.defs.depth_limit(),
                            own,
                            src: self.named(),
                            span: p.span.into(),
                        });
                        return None;
                    }
                    if r.steps.is_empty() {
                        let ty = r.ty.clone();
                        return Some(self.mk(
                            K::Path {
                                base: Base::Let(index),
                                steps: Vec::new(),
                            },
                            ty,
                            p.span,
                        ));
                    }
                }
                Some(self.mk(
                    K::Path {
                        base: r.base,
                        steps: r.steps,
                    },
                    r.ty,
                    p.span,
                ))
            }
            Err(u) if u.poisoned => None,
            Err(Unresolved {
                item_or_list: Some(words),
                ..
            }) => {
                self.resolve_error(ItemOrListField {
                    help: format!(
                        "name the enclosing item with `as` (`every {words} as x: …`), then write \
                         `x` for it; `{words}` here is then only the list field"
                    ),
                    words,
                    src: self.named(),
                    span: p.span.into(),
                });
                None
            }
            Err(u) if u.ambiguous.is_some() => {
                let index = u.ambiguous.unwrap_or_default();
                let (name, def_file, def_span) = self.defs.def_name(index);
                self.resolve_error(AmbiguousDefinition {
                    name,
                    src: self.named(),
                    span: p.span.into(),
                    definition: (def_file == self.file).then(|| def_span.into()),
                });
                None
            }
            Err(u) => {
                let word_span = p.parts.get(u.word).map_or(p.span, |w| w.span());
                let word_span = Span::new(word_span.start, p.span.end);
                let text = self.source.slice(word_span).to_string();
                if let Some(before) = u.after_scalar {
                    self.resolve_error(AfterScalar {
                        text,
                        before,
                        src: self.named(),
                        span: word_span.into(),
                    });
                    return None;
                }
                let words: Vec<&str> = p
                    .parts
                    .iter()
                    .skip(u.word)
                    .filter_map(|w| match w {
                        ast::PhrasePart::Word { text, .. } => Some(text.as_str()),
                        _ => None,
                    })
                    .collect();
                let help = self
                    .keyword_in_field_help(p, frames)
                    .or_else(|| {
                        (u.word == 0)
                            .then(|| self.item_field_help(&words))
                            .flatten()
                    })
                    .or_else(|| did_you_mean_phrase(&text, &u.candidates));
                if let Some(record) = self.record {
                    record.unresolved(UnresolvedPhrase {
                        file: self.file,
                        phrase: p.span,
                        span: word_span,
                        candidates: u.candidates,
                    });
                }
                self.resolve_error(UnknownPhrase {
                    text,
                    src: self.named(),
                    span: word_span.into(),
                    help,
                });
                None
            }
        }
    }

    /// An item definition is evaluated where its field is read, as a `let` is: its depth
    /// counts there (`covenant::resolve::too-deep`).
    fn item_definitions_in_depth(&mut self, steps: &[Step], p: &ast::Phrase) -> Option<()> {
        for s in steps {
            let field = self.schema.record(s.record).fields.get(s.field);
            let Some(index) = field.and_then(|f| phrase::define_of(self.schema, f)) else {
                continue;
            };
            if let Err(own) = self.defs.use_def(index) {
                let (name, _, _) = self.defs.def_name(index);
                self.resolve_error(DefinitionTooDeep {
                    name,
                    limit: self.defs.depth_limit(),
                    own,
                    src: self.named(),
                    span: p.span.into(),
                });
                return None;
            }
        }
        Some(())
    }

    /// SPEC §2.3 rule 4: a definition must not equal or be a word-prefix of a field or singular
    /// reachable where it is used.
    fn check_shadowing(&mut self, index: usize, frames: &[Frame], p: &ast::Phrase) -> Option<()> {
        let (name, def_file, def_span) = self.defs.def_name(index);
        let key = name.replace(' ', "_");
        // The reachable names, in the order of `phrase::field_names` (root fields, then each
        // frame's item names and fields), compared with `_` for spaces and without building
        // them: this runs at every use of a definition.
        let clash = record_names(self.schema, Schema::ROOT)
            .chain(frames.iter().flat_map(|f| {
                let fields = match f.ty {
                    Type::Record(id) => Some(record_names(self.schema, id)),
                    _ => None,
                };
                f.names
                    .iter()
                    .map(String::as_str)
                    .chain(fields.into_iter().flatten())
            }))
            .find(|r| same_words_or_prefix(&key, r))
            .map(|r| r.replace(' ', "_"));
        if let Some(field) = clash {
            self.resolve_error(DefinitionLikeField {
                name,
                field: field.replace('_', " "),
                src: self.named(),
                span: p.span.into(),
                definition: (def_file == self.file).then(|| def_span.into()),
            });
            return None;
        }
        Some(())
    }

    /// The singulars that name the items of `list`: a list field's (`parties` → `party`,
    /// also mapped: `party owners` → `owner`); none for the values of a scalar field mapped
    /// over a list (`party country`), a list literal or a computed list (SPEC §8).
    pub fn item_names(&self, list: &Expr) -> Vec<String> {
        match &list.kind {
            K::Path { steps, base } => match (steps.last(), base) {
                (Some(s), _) => self.singular_of_step(s),
                (None, Base::Let(i)) => self.defs.def_item_names(*i),
                _ => Vec::new(),
            },
            K::Project { steps, list } => match steps.last() {
                Some(s) => self.singular_of_step(s),
                None => self.item_names(list),
            },
            K::Filter { list, .. } => self.item_names(list),
            _ => Vec::new(),
        }
    }

    fn singular_of_step(&self, s: &super::super::ir::Step) -> Vec<String> {
        let field = self.schema.record(s.record).fields.get(s.field);
        field
            .filter(|f| f.ty.is_list())
            .map(|f| {
                vec![f
                    .singular
                    .clone()
                    .unwrap_or_else(|| crate::schema::singular_of(&f.name))]
            })
            .unwrap_or_default()
    }

    /// The condition of a filter or quantifier, lowered in `frame`, the scope of its items.
    pub(super) fn scoped_condition(
        &mut self,
        frame: Frame,
        cond: &ast::Expr,
        frames: &mut Vec<Frame>,
    ) -> (Option<Expr>, Frame) {
        self.in_frame(frame, frames, |this, frames| {
            let c = this.expr(cond, frames, Ctx::Guard);
            this.expect_condition(c?, Ctx::Guard)
        })
    }
}

/// The names of a record's fields and their singulars, as [`phrase::field_names`] lists them
/// (with `_` where those have spaces).
pub(super) fn record_names(
    schema: &Schema,
    record: crate::schema::RecordId,
) -> impl Iterator<Item = &str> {
    schema.record(record).fields.iter().flat_map(|f| {
        let singular = f.singular.as_deref().filter(|s| *s != f.name);
        std::iter::once(f.name.as_str()).chain(singular)
    })
}

/// Is `name`, with spaces read as `_`, the words of `key` or `key` followed by more words?
pub(super) fn same_words_or_prefix(key: &str, name: &str) -> bool {
    let mut n = name.bytes().map(|b| if b == b' ' { b'_' } else { b });
    key.bytes().all(|k| n.next() == Some(k)) && matches!(n.next(), None | Some(b'_'))
}
