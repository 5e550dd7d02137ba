//! `X is missing` / `X is present` and projections `(LIST) PHRASE` (SPEC §8).

use std::sync::Arc;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::schema::{Computed, Type};
use crate::source::{Named, Span};
use crate::syntax::ast;

use super::super::error::AfterScalar;
use super::super::ir::{Expr, ExprKind as K};
use super::super::phrase::{self, Frame};
use super::error::ListInGuard;
use super::{did_you_mean_phrase, Ctx, Lowerer};

/// `is missing` / `is present` on a value that is not a field of the deal: a computed value
/// (an aggregate, a definition, a computed field such as `controller`) is never absent.
#[derive(Debug, Error, Diagnostic)]
#[error("`{text}` is not a field of the deal, so it cannot be missing or present")]
#[diagnostic(code("covenant::type::presence-of-computed"), severity(Error))]
pub struct PresenceOfComputed {
    pub text: Arc<str>,
    /// What it is instead, in words.
    pub what: &'static str,
    #[source_code]
    pub src: Named,
    #[label(primary, "{what}")]
    pub span: SourceSpan,
    #[help]
    pub help: Option<String>,
}

impl Lowerer<'_> {
    /// `X is missing` (`missing`) or `X is present`: X a phrase to a deal field.
    pub(super) fn presence(
        &mut self,
        subject: &ast::Expr,
        missing: bool,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let mut inner = subject;
        while let ast::ExprKind::Paren(x) = &inner.kind {
            inner = x;
        }
        let ast::ExprKind::Phrase(p) = &inner.kind else {
            let x = self.expr(subject, frames, ctx)?;
            return self.not_a_field(&x, "computed from the deal, never absent", None);
        };
        let x = self.phrase(p, frames)?;
        let K::Path { base, steps } = &x.kind else {
            return self.not_a_field(&x, "not a field", None);
        };
        let Some(last) = steps.last() else {
            let help = "test a field it reads, such as `party owners is missing`";
            return self.not_a_field(&x, "a definition or an item, not a field", Some(help));
        };
        let computed = steps.iter().find_map(|s| {
            let field = self.schema.record(s.record).fields.get(s.field)?;
            let computed = !matches!(field.computed, None | Some(Computed::AllEntities));
            computed.then(|| field.name.clone())
        });
        if let Some(name) = computed {
            let help = format!(
                "`{name}` is computed from other fields: test those fields for presence instead"
            );
            return self.not_a_field(&x, "reads a computed field", Some(&help));
        }
        let each = last.map;
        if each && ctx == Ctx::Guard {
            self.type_error(ListInGuard {
                text: x.text.clone(),
                src: self.named(),
                span: x.loc.span.into(),
            });
            return None;
        }
        let kind = K::Presence {
            base: base.clone(),
            steps: steps.clone(),
            missing,
            each,
        };
        Some(self.mk(kind, Type::Bool, span))
    }

    fn not_a_field(&mut self, x: &Expr, what: &'static str, help: Option<&str>) -> Option<Expr> {
        self.type_error(PresenceOfComputed {
            text: x.text.clone(),
            what,
            src: self.named(),
            span: x.loc.span.into(),
            help: help.map(String::from),
        });
        None
    }

    /// `(LIST) PHRASE`: the phrase read on each record of the list (or on the one record).
    pub(super) fn projection(
        &mut self,
        list: &ast::Expr,
        p: &ast::Phrase,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let l = self.expr(list, frames, ctx)?;
        if l.ty == Type::Number && super::dates::duration_unit_of(p).is_some() {
            // `( … ) days` of a number is a duration, here where no duration may stand.
            self.duration_not_a_value(span);
            return None;
        }
        self.project(l, p, span)
    }

    /// The phrase `p` read on the items of the lowered list `l` (SPEC §8).
    pub(super) fn project(&mut self, l: Expr, p: &ast::Phrase, span: Span) -> Option<Expr> {
        if !matches!(l.ty.element(), Type::Record(_)) {
            self.resolve_error(AfterScalar {
                text: self.source.slice(p.span).to_string(),
                before: l.ty.clone(),
                src: self.named(),
                span: p.span.into(),
            });
            return None;
        }
        let defs = self.defs;
        let def_type = |i: usize| defs.def_type(i);
        match phrase::resolve_steps(self.schema, self.visible, &def_type, l.ty.clone(), p) {
            Ok((steps, ty)) => Some(self.mk(
                K::Project {
                    list: Box::new(l),
                    steps,
                },
                ty,
                span,
            )),
            Err(u) => {
                let at = p.parts.get(u.word).map_or(p.span, |w| w.span());
                let at = Span::new(at.start, p.span.end);
                let text = self.source.slice(at).to_string();
                match u.after_scalar {
                    Some(before) => self.resolve_error(AfterScalar {
                        text,
                        before,
                        src: self.named(),
                        span: at.into(),
                    }),
                    None => self.resolve_error(super::super::error::UnknownPhrase {
                        help: did_you_mean_phrase(&text, &u.candidates),
                        text,
                        src: self.named(),
                        span: at.into(),
                    }),
                }
                None
            }
        }
    }
}
