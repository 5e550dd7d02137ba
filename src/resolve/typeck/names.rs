//! Phrases: resolution against the scopes, definitions that shadow fields, and the item
//! scopes opened by `where`, quantifiers and must-forms.

use crate::schema::{Schema, Type};
use crate::source::Span;
use crate::syntax::ast;

use super::super::error::CompileError;
use super::super::ir::{Base, Expr, ExprKind as K};
use super::super::phrase::{self, Frame};
use super::{describe, did_you_mean_phrase, Ctx, Lowerer, TOO_DEEP};

impl Lowerer<'_> {
    pub(super) fn phrase(&mut self, p: &ast::Phrase, frames: &[Frame]) -> Option<Expr> {
        let defs = self.defs;
        let def_type = |i: usize| defs.def_type(i);
        match phrase::resolve(self.schema, frames, self.visible, &def_type, p) {
            Ok(r) => {
                if let Base::Let(index) = r.base {
                    self.check_shadowing(index, frames, p)?;
                    if let Err(own) = self.defs.use_def(index) {
                        let (name, _, _) = self.defs.def_name(index);
                        let limit = self.defs.depth_limit();
                        self.err(
                            TOO_DEEP,
                            p.span,
                            format!("using `{name}` here nests the expression more than {limit} levels deep: `{name}` is itself {own} levels deep"),
                            "too deep here",
                            Some("use the definition in a shallower place, or make it less deep".into()),
                        );
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
            Err(u) if u.ambiguous.is_some() => {
                let index = u.ambiguous.unwrap_or_default();
                let (name, def_file, def_span) = self.defs.def_name(index);
                let mut e = CompileError::new(
                    "covenant::resolve::ambiguous-definition",
                    format!("`{name}` names both a definition and a field or item here"),
                )
                .at(self.source.named(), p.span, "this phrase could mean either");
                if def_file == self.file {
                    e = e.label(def_span, "defined here");
                }
                self.errors
                    .push(e.help("rename the definition so a phrase never has two readings"));
                None
            }
            Err(u) => {
                let word_span = p.parts.get(u.word).map_or(p.span, |w| w.span());
                let word_span = Span::new(word_span.start, p.span.end);
                let text = self.source.slice(word_span).to_string();
                if let Some(t) = u.after_scalar {
                    self.err(
                        "covenant::resolve::unknown-phrase",
                        word_span,
                        format!("`{text}` does not name anything: the phrase before it is {}, which has no fields", describe(&t)),
                        "unknown here",
                        None,
                    );
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
                self.err(
                    "covenant::resolve::unknown-phrase",
                    word_span,
                    format!("unknown phrase `{text}`"),
                    "not a field or definition",
                    help,
                );
                None
            }
        }
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
            let mut e = CompileError::new(
                "covenant::resolve::ambiguous-definition",
                format!(
                    "definition `{name}` has the same words as the field `{}`",
                    field.replace('_', " ")
                ),
            )
            .at(self.source.named(), p.span, "this phrase could mean either");
            if def_file == self.file {
                e = e.label(def_span, "defined here");
            }
            e = e.help("rename the definition so a phrase never has two readings");
            self.errors.push(e);
            return None;
        }
        Some(())
    }

    pub fn item_names(&self, list: &Expr) -> Vec<String> {
        match &list.kind {
            K::Path { steps, base } => match (steps.last(), base) {
                (Some(s), _) => {
                    let field = self.schema.record(s.record).fields.get(s.field);
                    field
                        .map(|f| {
                            vec![f
                                .singular
                                .clone()
                                .unwrap_or_else(|| crate::schema::singular_of(&f.name))]
                        })
                        .unwrap_or_default()
                }
                (None, Base::Let(i)) => self.defs.def_item_names(*i),
                _ => Vec::new(),
            },
            K::Filter { list, .. } => self.item_names(list),
            _ => Vec::new(),
        }
    }

    pub(super) fn frame_for(&self, list: &Expr) -> Frame {
        Frame {
            ty: list.ty.element().clone(),
            names: self.item_names(list),
        }
    }

    pub(super) fn scoped_condition(
        &mut self,
        list: &Expr,
        cond: &ast::Expr,
        frames: &mut Vec<Frame>,
    ) -> Option<Expr> {
        frames.push(self.frame_for(list));
        let c = self.expr(cond, frames, Ctx::Guard);
        frames.pop();
        self.expect_condition(c?, Ctx::Guard)
    }
}

/// The names of a record's fields and their singulars, as [`phrase::field_names`] lists them
/// (with `_` where those have spaces).
fn record_names(schema: &Schema, record: crate::schema::RecordId) -> impl Iterator<Item = &str> {
    schema.record(record).fields.iter().flat_map(|f| {
        let singular = f.singular.as_deref().filter(|s| *s != f.name);
        std::iter::once(f.name.as_str()).chain(singular)
    })
}

/// Is `name`, with spaces read as `_`, the words of `key` or `key` followed by more words?
fn same_words_or_prefix(key: &str, name: &str) -> bool {
    let mut n = name.bytes().map(|b| if b == b' ' { b'_' } else { b });
    key.bytes().all(|k| n.next() == Some(k)) && matches!(n.next(), None | Some(b'_'))
}
