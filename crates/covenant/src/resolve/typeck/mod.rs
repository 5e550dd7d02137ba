//! Lowering AST expressions to the typed IR: phrase resolution, implicit each and unit checks.

use crate::schema::{Schema, Type};
use crate::source::{SourceFile, Span};
use crate::syntax::ast;

use super::calendars::Calendars;
use super::error::{ResolveError, TooDeep};
use super::ir::{Expr, ExprKind as K, Loc};
use super::phrase::{DefRef, Frame};
use super::CompileDiagnostic;
use error::{ListInGuard, NotACondition};

mod convert;
mod dates;
mod dates_error;
mod element_side;
pub mod error;
mod expr;
mod holdings;
mod holdings_error;
mod items;
mod must;
mod names;
mod ops;
mod phrase_help;
mod presence;
mod quant;
pub mod suggest;
mod table;
mod table_cells;
mod table_check;
mod table_error;
mod waivable;
mod yes_no;

pub use element_side::is_mapped;
pub use error::TypeError;
pub use holdings::{has_entities, is_entity_record};
pub use suggest::{did_you_mean, did_you_mean_phrase, suggested_replacement};
pub use table_check::{MAX_TABLE_ROWS, MAX_TABLE_VALUES};
pub use waivable::is_constant;

/// What a lowering needs from the policy being compiled: definitions by index.
pub trait Definitions {
    /// The type of definition `index`, resolving it first if needed (None: it failed).
    fn def_type(&self, index: usize) -> Option<Type>;
    /// True when the definition is bound directly to a list literal (a list value, which never
    /// distributes).
    fn def_is_list_value(&self, index: usize) -> bool;
    /// True when the definition is bound to a mapped phrase (`party stake`), a list that
    /// distributes (SPEC §2.6).
    fn def_is_mapped(&self, index: usize) -> bool;
    /// True when the definition's value is written in the policy: literals, list literals of
    /// them, and definitions of such (the authorities of `waivable by`, SPEC §10).
    fn def_is_constant(&self, _index: usize) -> bool {
        false
    }
    /// The item names (singulars) of a list definition.
    fn def_item_names(&self, index: usize) -> Vec<String>;
    /// The name and span of a definition, for the shadowing check.
    fn def_name(&self, index: usize) -> (String, usize, Span);
    /// The values of a definition bound to a literal, or to a list literal of literals (maybe
    /// through other definitions), for table cells (SPEC §8); None for any other definition.
    fn def_constant(&self, _index: usize) -> Option<Constant> {
        None
    }
    /// One level deeper into an expression (definitions lowered on first use included);
    /// false when that passes the depth limit.
    fn enter(&self) -> bool {
        true
    }
    /// Back out of a level entered with [`Definitions::enter`].
    fn leave(&self) {}
    /// A use of definition `index` at the current depth: `Err(its own depth)` when evaluating
    /// it there would pass the depth limit.
    fn use_def(&self, _index: usize) -> Result<(), usize> {
        Ok(())
    }
    /// The depth limit, for messages.
    fn depth_limit(&self) -> usize {
        usize::MAX
    }
}

/// The value of a definition bound to literals (see [`Definitions::def_constant`]).
#[derive(Clone, Debug)]
pub enum Constant {
    One(crate::value::Scalar),
    Many(Vec<crate::value::Scalar>),
}

/// Lowers one clause's expression.
pub struct Lowerer<'a> {
    pub schema: &'a Schema,
    /// The rate tables, and which ones each file sees (SPEC §11).
    pub fx: &'a super::FxScope,
    pub defs: &'a dyn Definitions,
    pub visible: &'a [DefRef],
    pub file: usize,
    pub source: &'a SourceFile,
    /// The calendars each file sees, for `working days` (SPEC §9).
    pub calendars: &'a Calendars,
    pub errors: Vec<CompileDiagnostic>,
    /// Where resolved and unresolved phrases are noted, for tools (see [`super::index`]).
    pub record: Option<&'a super::index::Recorder>,
}

/// The kind of clause being lowered: guards must never hold vacuously.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Ctx {
    Require,
    Guard,
}

fn scalar_kind(ty: &Type) -> Option<&Type> {
    match ty {
        Type::List(_) | Type::Record(_) => None,
        t => Some(t),
    }
}

fn numeric(ty: &Type) -> bool {
    matches!(ty, Type::Number | Type::Percent | Type::Money)
}

fn orderable(ty: &Type) -> bool {
    numeric(ty) || *ty == Type::Date
}

impl<'a> Lowerer<'a> {
    pub(super) fn type_error(&mut self, e: impl Into<TypeError>) {
        self.errors.push(CompileDiagnostic::Type(e.into()));
    }

    pub(super) fn resolve_error(&mut self, e: impl Into<ResolveError>) {
        self.errors.push(CompileDiagnostic::Resolve(e.into()));
    }

    /// The file being lowered, as the source of a diagnostic.
    fn named(&self) -> crate::source::Named {
        self.source.named()
    }

    fn text(&self, span: Span) -> std::sync::Arc<str> {
        let raw = self.source.slice(span);
        if raw.contains('\n') {
            // A clause written over several lines reads as one line in messages.
            let lines: Vec<&str> = raw
                .lines()
                .map(|l| l.split(" #").next().unwrap_or(l).trim())
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .collect();
            return lines.join(" ").into();
        }
        raw.into()
    }

    fn mk(&self, kind: K, ty: Type, span: Span) -> Expr {
        Expr {
            kind,
            ty,
            loc: Loc {
                file: self.file,
                span,
            },
            text: self.text(span),
            hoist: None,
        }
    }

    /// Lower a `let` value in the root scope. Definitions never distribute implicitly.
    pub fn lower_value(&mut self, e: &ast::Expr, frames: &mut Vec<Frame>) -> Option<Expr> {
        self.expr(e, frames, Ctx::Guard)
    }

    /// Lower a whole clause; the result is a bool (a list of bools distributes in `require`).
    pub fn clause(&mut self, e: &ast::Expr, ctx: Ctx) -> Option<Expr> {
        let mut frames = Vec::new();
        let x = self.expr(e, &mut frames, ctx)?;
        self.expect_condition(x, ctx)
    }

    /// A condition: a bool, or in `require` a phrase that is a list of bools (implicit each).
    fn expect_condition(&mut self, x: Expr, ctx: Ctx) -> Option<Expr> {
        if x.ty.element() == &Type::Bool {
            self.not_a_list_field(&x, None, element_side::Test::Condition, x.loc.span)?;
        }
        match &x.ty {
            Type::Bool => Some(x),
            Type::List(t) if **t == Type::Bool && ctx == Ctx::Require => {
                let span = x.loc.span;
                let item = self.mk(K::Item, Type::Bool, span);
                Some(self.mk(
                    K::Must {
                        subject: Box::new(x),
                        negated: false,
                        pred: Box::new(item),
                        each: true,
                    },
                    Type::Bool,
                    span,
                ))
            }
            Type::List(t) if **t == Type::Bool => {
                self.type_error(ListInGuard {
                    text: x.text.clone(),
                    src: self.named(),
                    span: x.loc.span.into(),
                });
                None
            }
            t => {
                self.type_error(NotACondition {
                    text: x.text.clone(),
                    ty: t.clone(),
                    src: self.named(),
                    span: x.loc.span.into(),
                });
                None
            }
        }
    }

    /// Lower one sub-expression, one level deeper (`covenant::resolve::too-deep` past the
    /// limit, reported once per clause).
    fn expr(&mut self, e: &ast::Expr, frames: &mut Vec<Frame>, ctx: Ctx) -> Option<Expr> {
        if !self.defs.enter() {
            if !self.errors.iter().any(is_too_deep) {
                self.resolve_error(TooDeep {
                    limit: self.defs.depth_limit(),
                    src: self.named(),
                    span: e.span.into(),
                });
            }
            return None;
        }
        let x = self.expr_at(e, frames, ctx);
        self.defs.leave();
        x
    }
}

/// Is `d` a `covenant::resolve::too-deep`, which is reported once per clause?
fn is_too_deep(d: &CompileDiagnostic) -> bool {
    matches!(
        d,
        CompileDiagnostic::Resolve(ResolveError::TooDeep(_) | ResolveError::DefinitionTooDeep(_))
    )
}
