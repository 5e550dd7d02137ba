//! Lowering AST expressions to the typed IR: phrase resolution, implicit each and unit checks.

use crate::schema::{Schema, Type};
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{self, AggKind, ArithOp, CmpOp, ExprKind as A, InForm, Literal, MustPred};
use crate::value::Scalar;

use super::error::CompileError;
use super::ir::{Base, Each, Expr, ExprKind as K, Loc};
use super::phrase::{self, DefRef, Frame};

/// What a lowering needs from the policy being compiled: definitions by index.
pub trait Definitions {
    /// The type of definition `index`, resolving it first if needed (None: it failed).
    fn def_type(&self, index: usize) -> Option<Type>;
    /// True when the definition is bound directly to a list literal (a list value, which never
    /// distributes).
    fn def_is_list_value(&self, index: usize) -> bool;
    /// The item names (singulars) of a list definition.
    fn def_item_names(&self, index: usize) -> Vec<String>;
    /// The name and span of a definition, for the shadowing check.
    fn def_name(&self, index: usize) -> (String, usize, Span);
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

/// The code of an expression too deep to compile.
const TOO_DEEP: &str = "covenant::resolve::too-deep";

/// Lowers one clause's expression.
pub struct Lowerer<'a> {
    pub schema: &'a Schema,
    pub defs: &'a dyn Definitions,
    pub visible: &'a [DefRef],
    pub file: usize,
    pub source: &'a SourceFile,
    pub errors: Vec<CompileError>,
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

fn describe(ty: &Type) -> String {
    match ty {
        Type::Record(_) => "a record".into(),
        Type::List(t) if matches!(**t, Type::Record(_)) => "a list of records".into(),
        Type::List(t) => format!("a list of {t}s"),
        t => format!("a {t}"),
    }
}

impl<'a> Lowerer<'a> {
    fn err(
        &mut self,
        code: &'static str,
        span: Span,
        message: String,
        label: &str,
        help: Option<String>,
    ) {
        let mut e = CompileError::new(code, message).at(self.source.named(), span, label);
        if let Some(h) = help {
            e = e.help(h);
        }
        self.errors.push(e);
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
                self.err(
                    "covenant::type::list-in-guard",
                    x.loc.span,
                    format!(
                        "`{}` is a list, and a guard must not hold vacuously",
                        x.text
                    ),
                    "a list of values",
                    Some("write `some`, `every` or `no`".into()),
                );
                None
            }
            t => {
                self.err(
                    "covenant::type::not-a-condition",
                    x.loc.span,
                    format!("`{}` is {}, not a condition", x.text, describe(t)),
                    "expected true or false here",
                    Some("compare it with something, such as `stake > 50%`".into()),
                );
                None
            }
        }
    }

    /// Lower one sub-expression, one level deeper (`covenant::resolve::too-deep` past the
    /// limit, reported once per clause).
    fn expr(&mut self, e: &ast::Expr, frames: &mut Vec<Frame>, ctx: Ctx) -> Option<Expr> {
        if !self.defs.enter() {
            if !self.errors.iter().any(|e| e.code == TOO_DEEP) {
                let limit = self.defs.depth_limit();
                self.err(
                    TOO_DEEP,
                    e.span,
                    format!("expression nested more than {limit} levels deep, counting each operator of a chain and the definitions it uses"),
                    "too deep here",
                    Some("write a long list of alternatives as `x in [a, b, …]`, or split the expression into definitions used side by side".into()),
                );
            }
            return None;
        }
        let x = self.expr_at(e, frames, ctx);
        self.defs.leave();
        x
    }

    fn expr_at(&mut self, e: &ast::Expr, frames: &mut Vec<Frame>, ctx: Ctx) -> Option<Expr> {
        let span = e.span;
        match &e.kind {
            A::Paren(inner) => {
                let mut x = self.expr(inner, frames, ctx)?;
                x.loc.span = span;
                x.text = self.text(span);
                Some(x)
            }
            A::Literal(lit) => {
                let (s, ty) = literal(lit);
                Some(self.mk(K::Const(s), ty, span))
            }
            A::List(items) => self.list_literal(items, frames, ctx, span),
            A::Phrase(p) => self.phrase(p, frames),
            A::Where { list, cond } => {
                let list = self.list_operand(list, frames, ctx, "where")?;
                let cond = self.scoped_condition(&list, cond, frames)?;
                let ty = list.ty.clone();
                Some(self.mk(
                    K::Filter {
                        list: Box::new(list),
                        cond: Box::new(cond),
                    },
                    ty,
                    span,
                ))
            }
            A::Quant {
                kind,
                subject,
                filter,
                body,
            } => {
                let list = self.list_operand(subject, frames, ctx, "a quantifier")?;
                let item_name = self
                    .item_names(&list)
                    .into_iter()
                    .next()
                    .unwrap_or_else(|| "item".into());
                let cond = match filter {
                    Some(c) => Some(Box::new(self.scoped_condition(&list, c, frames)?)),
                    None => None,
                };
                let body = match body {
                    Some(b) => {
                        frames.push(self.frame_for(&list));
                        let lowered = self.expr(b, frames, ctx);
                        frames.pop();
                        Some(Box::new(self.expect_condition(lowered?, ctx)?))
                    }
                    None => None,
                };
                Some(self.mk(
                    K::Quant {
                        kind: *kind,
                        list: Box::new(list),
                        cond,
                        body,
                        item_name: item_name.replace('_', " ").into(),
                    },
                    Type::Bool,
                    span,
                ))
            }
            A::Or(l, r) | A::And(l, r) => {
                let l = self.bool_operand(l, frames, ctx)?;
                let r = self.bool_operand(r, frames, ctx)?;
                let kind = if matches!(e.kind, A::Or(..)) {
                    K::Or(Box::new(l), Box::new(r))
                } else {
                    K::And(Box::new(l), Box::new(r))
                };
                Some(self.mk(kind, Type::Bool, span))
            }
            A::Not(x) => {
                let x = self.bool_operand(x, frames, Ctx::Guard)?;
                Some(self.mk(K::Not(Box::new(x)), Type::Bool, span))
            }
            A::Compare { op, lhs, rhs } => self.compare(*op, lhs, rhs, frames, ctx, span),
            A::In {
                elem,
                list,
                negated,
                written_as,
            } => self.membership(elem, list, *negated, *written_as, frames, ctx, span),
            A::Within {
                lhs,
                tolerance,
                rhs,
            } => {
                let l = self.expr(lhs, frames, ctx)?;
                let t = self.expr(tolerance, frames, ctx)?;
                let r = self.expr(rhs, frames, ctx)?;
                let each = self.each_side(&l, &r, ctx, span)?;
                let (lt, rt) = (l.ty.element().clone(), r.ty.element().clone());
                self.same_unit(&lt, &rt, span, &l, &r)?;
                if !numeric(&lt) {
                    self.err(
                        "covenant::type::not-numeric",
                        span,
                        format!(
                            "`is within` needs numbers, percents or money, not {}",
                            describe(&lt)
                        ),
                        "not a number",
                        None,
                    );
                    return None;
                }
                self.same_unit(&t.ty, &rt, t.loc.span, &t, &r)?;
                Some(self.mk(
                    K::Within {
                        lhs: Box::new(l),
                        tolerance: Box::new(t),
                        rhs: Box::new(r),
                        each,
                    },
                    Type::Bool,
                    span,
                ))
            }
            A::Arith { op, lhs, rhs } => {
                let l = self.scalar_operand(lhs, frames, ctx, "arithmetic")?;
                let r = self.scalar_operand(rhs, frames, ctx, "arithmetic")?;
                let ty = self.arith_type(*op, &l, &r, span)?;
                Some(self.mk(
                    K::Arith {
                        op: *op,
                        lhs: Box::new(l),
                        rhs: Box::new(r),
                    },
                    ty,
                    span,
                ))
            }
            A::PercentOf { percent, of } => {
                let p = self.scalar_operand(percent, frames, ctx, "`of`")?;
                if p.ty != Type::Percent {
                    self.err(
                        "covenant::type::unit-mismatch",
                        p.loc.span,
                        format!(
                            "`{}` is {}, but `of` needs a percent before it",
                            p.text,
                            describe(&p.ty)
                        ),
                        "expected a percent",
                        Some("write a percent such as `10% of investment`".into()),
                    );
                    return None;
                }
                let x = self.scalar_operand(of, frames, ctx, "`of`")?;
                let ty = self.arith_type(ArithOp::Mul, &p, &x, span)?;
                Some(self.mk(
                    K::Arith {
                        op: ArithOp::Mul,
                        lhs: Box::new(p),
                        rhs: Box::new(x),
                    },
                    ty,
                    span,
                ))
            }
            A::Aggregate { kind, arg } => self.aggregate(*kind, arg, frames, ctx, span),
            A::Must {
                subject,
                negated,
                pred,
            } => self.must(subject, *negated, pred, frames, ctx, span),
        }
    }

    fn list_literal(
        &mut self,
        items: &[ast::Expr],
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let mut out = Vec::new();
        let mut elem_ty: Option<Type> = None;
        for item in items {
            let x = self.expr(item, frames, ctx)?;
            let Some(t) = scalar_kind(&x.ty).cloned() else {
                self.err(
                    "covenant::type::nested-list",
                    x.loc.span,
                    format!(
                        "a list literal holds values, and `{}` is {}",
                        x.text,
                        describe(&x.ty)
                    ),
                    "not a single value",
                    None,
                );
                return None;
            };
            if let Some(prev) = &elem_ty {
                if *prev != t {
                    self.err(
                        "covenant::type::unit-mismatch",
                        x.loc.span,
                        format!("this list mixes {prev} and {t}"),
                        "a different type from the first element",
                        None,
                    );
                    return None;
                }
            }
            elem_ty = Some(t);
            out.push(x);
        }
        let ty = Type::list(elem_ty.unwrap_or(Type::String));
        Some(self.mk(K::List(out), ty, span))
    }

    fn phrase(&mut self, p: &ast::Phrase, frames: &[Frame]) -> Option<Expr> {
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
                let help = did_you_mean_phrase(&text, &u.candidates);
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

    fn frame_for(&self, list: &Expr) -> Frame {
        Frame {
            ty: list.ty.element().clone(),
            names: self.item_names(list),
        }
    }

    fn scoped_condition(
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

    fn list_operand(
        &mut self,
        e: &ast::Expr,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        what: &str,
    ) -> Option<Expr> {
        let x = self.expr(e, frames, ctx)?;
        if !x.ty.is_list() {
            self.err(
                "covenant::type::not-a-list",
                x.loc.span,
                format!(
                    "{what} needs a list, and `{}` is {}",
                    x.text,
                    describe(&x.ty)
                ),
                "not a list",
                None,
            );
            return None;
        }
        Some(x)
    }

    fn scalar_operand(
        &mut self,
        e: &ast::Expr,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        what: &str,
    ) -> Option<Expr> {
        let x = self.expr(e, frames, ctx)?;
        if scalar_kind(&x.ty).is_none() {
            self.err(
                "covenant::type::list-operand",
                x.loc.span,
                format!(
                    "{what} needs a single value, and `{}` is {}",
                    x.text,
                    describe(&x.ty)
                ),
                "not a single value",
                Some("use `total`, `max`, `min` or `count of` to make one value of a list".into()),
            );
            return None;
        }
        Some(x)
    }

    fn bool_operand(&mut self, e: &ast::Expr, frames: &mut Vec<Frame>, ctx: Ctx) -> Option<Expr> {
        let x = self.expr(e, frames, ctx)?;
        self.expect_condition(x, ctx)
    }

    /// True for a list that is a value (a literal, or a definition bound to one), which never
    /// distributes.
    fn is_list_value(&self, x: &Expr) -> bool {
        match &x.kind {
            K::List(_) => true,
            K::Path {
                base: Base::Let(i),
                steps,
            } => steps.is_empty() && self.defs.def_is_list_value(*i),
            _ => false,
        }
    }

    /// Which side of a comparison distributes (implicit each).
    fn each_side(&mut self, l: &Expr, r: &Expr, ctx: Ctx, span: Span) -> Option<Each> {
        let each = match (l.ty.is_list(), r.ty.is_list()) {
            (false, false) => return Some(Each::None),
            (true, true) => {
                self.err(
                    "covenant::type::two-lists",
                    span,
                    format!("`{}` and `{}` are both lists", l.text, r.text),
                    "compares two lists",
                    Some("compare one value with a list: use `total`, `max` or `every`".into()),
                );
                return None;
            }
            (true, false) => (Each::Left, l),
            (false, true) => (Each::Right, r),
        };
        let (side, list) = each;
        if self.is_list_value(list) {
            self.err(
                "covenant::type::scalar-list-comparison",
                span,
                format!(
                    "`{}` is a list value, and a comparison needs a single value",
                    list.text
                ),
                "a list",
                Some("test membership with `in`".into()),
            );
            return None;
        }
        if ctx == Ctx::Guard {
            self.err(
                "covenant::type::list-in-guard",
                list.loc.span,
                format!(
                    "`{}` is a list, and a guard must not hold vacuously",
                    list.text
                ),
                "a list of values",
                Some("write `some`, `every` or `no`".into()),
            );
            return None;
        }
        Some(side)
    }

    fn same_unit(&mut self, a: &Type, b: &Type, span: Span, l: &Expr, r: &Expr) -> Option<()> {
        let (Some(a), Some(b)) = (scalar_kind(a), scalar_kind(b)) else {
            self.err(
                "covenant::type::not-comparable",
                span,
                format!("`{}` and `{}` cannot be compared", l.text, r.text),
                "records and nested lists are not values",
                Some("name a field of the record, such as `party stake`".into()),
            );
            return None;
        };
        if a != b {
            // A percent times (or over) a plain number stays a percent (`100% / 3 * 3 = 100%`),
            // so writing the number as a percent would change its meaning.
            let pct = if *a == Type::Percent { l } else { r };
            let scaled = matches!(pct.kind, K::Arith { .. });
            let help = match (a, b) {
                (Type::Percent, Type::Number) | (Type::Number, Type::Percent) if scaled => Some(format!(
                    "`{}` is a percent: a percent times or over a plain number stays a percent \
                     (`2 * 10%` is `20%`), so compare it with a percent",
                    pct.text
                )),
                (Type::Percent, Type::Number) if is_number_literal(&r.text) => Some(format!("write `{}%`", r.text)),
                (Type::Number, Type::Percent) if is_number_literal(&l.text) => Some(format!("write `{}%`", l.text)),
                (Type::Percent, Type::Number) | (Type::Number, Type::Percent) => {
                    Some("a percent and a plain number have different units: write the number as a percent, or compare with `P% of X`".into())
                }
                _ => None,
            };
            self.err(
                "covenant::type::unit-mismatch",
                span,
                format!("`{}` is a {a} but `{}` is a {b}", l.text, r.text),
                "these have different units",
                help,
            );
            return None;
        }
        Some(())
    }

    fn compare(
        &mut self,
        op: CmpOp,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let l = self.expr(lhs, frames, ctx)?;
        let r = self.expr(rhs, frames, ctx)?;
        let each = self.each_side(&l, &r, ctx, span)?;
        let (lt, rt) = (l.ty.element().clone(), r.ty.element().clone());
        self.same_unit(&lt, &rt, span, &l, &r)?;
        if !matches!(op, CmpOp::Eq | CmpOp::Ne) && !orderable(&lt) {
            self.err(
                "covenant::type::not-ordered",
                span,
                format!("{} values can only be compared with `=` and `!=`", lt),
                "not ordered",
                None,
            );
            return None;
        }
        Some(self.mk(
            K::Compare {
                op,
                lhs: Box::new(l),
                rhs: Box::new(r),
                each,
            },
            Type::Bool,
            span,
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn membership(
        &mut self,
        elem: &ast::Expr,
        list: &ast::Expr,
        negated: bool,
        form: InForm,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let e = self.expr(elem, frames, ctx)?;
        let l = self.expr(list, frames, ctx)?;
        if !l.ty.is_list() {
            let (message, help) = if l.ty == Type::String && form == InForm::Contains {
                (
                    format!("`contains` needs a list, and `{}` is a string", l.text),
                    "compare strings with `=`",
                )
            } else {
                (
                    format!("`{}` is {}, not a list", l.text, describe(&l.ty)),
                    "use `=` to compare two values",
                )
            };
            self.err(
                "covenant::type::not-a-list",
                l.loc.span,
                message,
                "expected a list",
                Some(help.into()),
            );
            return None;
        }
        let each = if e.ty.is_list() {
            if self.is_list_value(&e) {
                self.err(
                    "covenant::type::two-lists",
                    span,
                    format!("`{}` and `{}` are both lists", e.text, l.text),
                    "compares two lists",
                    Some("test one value: use `every` or `some`".into()),
                );
                return None;
            }
            if ctx == Ctx::Guard {
                self.err(
                    "covenant::type::list-in-guard",
                    e.loc.span,
                    format!(
                        "`{}` is a list, and a guard must not hold vacuously",
                        e.text
                    ),
                    "a list of values",
                    Some("write `some`, `every` or `no`".into()),
                );
                return None;
            }
            Each::Left
        } else {
            Each::None
        };
        let (et, lt) = (e.ty.element().clone(), l.ty.element().clone());
        self.same_unit(&et, &lt, span, &e, &l)?;
        Some(self.mk(
            K::In {
                elem: Box::new(e),
                list: Box::new(l),
                negated,
                each,
            },
            Type::Bool,
            span,
        ))
    }

    fn arith_type(&mut self, op: ArithOp, l: &Expr, r: &Expr, span: Span) -> Option<Type> {
        use Type::*;
        let (a, b) = (&l.ty, &r.ty);
        let ty = match op {
            ArithOp::Add | ArithOp::Sub => {
                if a == b && numeric(a) {
                    Some(a.clone())
                } else {
                    None
                }
            }
            ArithOp::Mul => match (a, b) {
                (Number, Number) => Some(Number),
                (Percent, Percent) => Some(Percent),
                (Percent, Number) | (Number, Percent) => Some(Percent),
                (Percent | Number, Money) | (Money, Percent | Number) => Some(Money),
                _ => None,
            },
            ArithOp::Div => match (a, b) {
                (Number, Number) | (Money, Money) | (Percent, Percent) => Some(Number),
                (Money, Number | Percent) => Some(Money),
                (Percent, Number) => Some(Percent),
                _ => None,
            },
        };
        if ty.is_none() {
            let sym = match op {
                ArithOp::Add => "+",
                ArithOp::Sub => "-",
                ArithOp::Mul => "*",
                ArithOp::Div => "/",
            };
            self.err("covenant::type::unit-mismatch", span, format!("cannot compute {a} {sym} {b}"), "units do not combine", Some("add and subtract values of one unit; multiply money only by a number or a percent".into()));
        }
        ty
    }

    fn aggregate(
        &mut self,
        kind: AggKind,
        arg: &ast::Expr,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let name = match kind {
            AggKind::Total => "total",
            AggKind::Count => "count of",
            AggKind::Max => "max",
            AggKind::Min => "min",
            AggKind::Average => "average",
        };
        let x = self.list_operand(arg, frames, ctx, &format!("`{name}`"))?;
        let elem = x.ty.element().clone();
        let ty = match kind {
            AggKind::Count => Some(Type::Number),
            AggKind::Total | AggKind::Average if numeric(&elem) => Some(elem),
            AggKind::Max | AggKind::Min if orderable(&elem) => Some(elem),
            _ => None,
        };
        let Some(ty) = ty else {
            self.err(
                "covenant::type::not-numeric",
                x.loc.span,
                format!(
                    "`{name}` needs a list of numbers, and `{}` is {}",
                    x.text,
                    describe(&x.ty)
                ),
                "not numbers",
                Some("name a numeric field, such as `total party stake`".into()),
            );
            return None;
        };
        Some(self.mk(
            K::Aggregate {
                kind,
                arg: Box::new(x),
            },
            ty,
            span,
        ))
    }

    fn must(
        &mut self,
        subject: &ast::Expr,
        negated: bool,
        pred: &MustPred,
        frames: &mut Vec<Frame>,
        ctx: Ctx,
        span: Span,
    ) -> Option<Expr> {
        let s = self.expr(subject, frames, ctx)?;
        let each = s.ty.is_list();
        if each && ctx == Ctx::Guard {
            self.err(
                "covenant::type::list-in-guard",
                s.loc.span,
                format!(
                    "`{}` is a list, and a guard must not hold vacuously",
                    s.text
                ),
                "a list of values",
                Some("write `some`, `every` or `no`".into()),
            );
            return None;
        }
        let elem_ty = s.ty.element().clone();
        frames.push(Frame {
            ty: elem_ty.clone(),
            names: if each {
                self.item_names(&s)
            } else {
                Vec::new()
            },
        });
        let p = self.must_pred(&s, &elem_ty, pred, frames, span);
        frames.pop();
        let p = p?;
        Some(self.mk(
            K::Must {
                subject: Box::new(s),
                negated,
                pred: Box::new(p),
                each,
            },
            Type::Bool,
            span,
        ))
    }

    fn must_pred(
        &mut self,
        s: &Expr,
        elem_ty: &Type,
        pred: &MustPred,
        frames: &mut Vec<Frame>,
        span: Span,
    ) -> Option<Expr> {
        let item = self.mk(K::Item, elem_ty.clone(), s.loc.span);
        let item = Expr {
            text: s.text.clone(),
            ..item
        };
        let cmp = |this: &mut Self, op: CmpOp, v: Expr| -> Option<Expr> {
            this.same_unit(&item.ty, &v.ty, span, &item, &v)?;
            if !matches!(op, CmpOp::Eq | CmpOp::Ne) && !orderable(&item.ty) {
                this.err(
                    "covenant::type::not-ordered",
                    span,
                    format!("{} values can only be compared with `=` and `!=`", item.ty),
                    "not ordered",
                    None,
                );
                return None;
            }
            Some(this.mk(
                K::Compare {
                    op,
                    lhs: Box::new(item.clone()),
                    rhs: Box::new(v),
                    each: Each::None,
                },
                Type::Bool,
                span,
            ))
        };
        let member = |this: &mut Self, elem: Expr, v: Expr| -> Option<Expr> {
            if !v.ty.is_list() {
                this.err(
                    "covenant::type::not-a-list",
                    v.loc.span,
                    format!("`{}` is {}, not a list", v.text, describe(&v.ty)),
                    "expected a list",
                    None,
                );
                return None;
            }
            this.same_unit(elem.ty.element(), v.ty.element(), span, &elem, &v)?;
            let each = if elem.ty.is_list() {
                Each::Left
            } else {
                Each::None
            };
            Some(this.mk(
                K::In {
                    elem: Box::new(elem),
                    list: Box::new(v),
                    negated: false,
                    each,
                },
                Type::Bool,
                span,
            ))
        };
        match pred {
            MustPred::Be(v) => {
                let v = self.expr(v, frames, Ctx::Require)?;
                if v.ty.is_list() && scalar_kind(v.ty.element()).is_some() && self.is_list_value(&v)
                {
                    member(self, item.clone(), v)
                } else {
                    cmp(self, CmpOp::Eq, v)
                }
            }
            MustPred::BeIn(v) | MustPred::BeOneOf(v) => {
                let v = self.expr(v, frames, Ctx::Require)?;
                member(self, item.clone(), v)
            }
            MustPred::BeCmp(op, v) => {
                let v = self.expr(v, frames, Ctx::Require)?;
                cmp(self, *op, v)
            }
            MustPred::Have(f) => {
                let Type::Record(_) = elem_ty else {
                    self.err(
                        "covenant::type::not-a-record",
                        s.loc.span,
                        format!(
                            "`must have` needs records, and `{}` is {}",
                            s.text,
                            describe(&s.ty)
                        ),
                        "not records",
                        None,
                    );
                    return None;
                };
                let x = self.phrase(f, frames)?;
                if x.ty != Type::Bool {
                    self.err(
                        "covenant::type::not-a-condition",
                        f.span,
                        format!(
                            "`{}` is {}, but `have` needs a true/false field",
                            x.text,
                            describe(&x.ty)
                        ),
                        "not true or false",
                        None,
                    );
                    return None;
                }
                Some(x)
            }
            MustPred::Stay { list, .. } => {
                let Type::Record(rec) = elem_ty else {
                    self.err(
                        "covenant::type::no-location",
                        s.loc.span,
                        format!(
                            "`must stay` needs items with a `location`, and `{}` is {}",
                            s.text,
                            describe(&s.ty)
                        ),
                        "no location",
                        None,
                    );
                    return None;
                };
                let l = self.expr(list, frames, Ctx::Require)?;
                let record = self.schema.record(*rec);
                let Some(loc_field) = record.field_index("location") else {
                    self.err(
                        "covenant::type::no-location",
                        s.loc.span,
                        format!(
                            "`must stay` needs a `location` field, and {} has none",
                            record.name
                        ),
                        "no `location` field",
                        None,
                    );
                    return None;
                };
                let step = |index: usize, name: &str| super::ir::Step {
                    field: index,
                    record: *rec,
                    name: name.into(),
                    map: false,
                    flatten: false,
                };
                let loc_ty = record
                    .fields
                    .get(loc_field)
                    .map(|f| f.ty.clone())
                    .unwrap_or(Type::String);
                let loc = self.mk(
                    K::Path {
                        base: Base::Item(0),
                        steps: vec![step(loc_field, "location")],
                    },
                    loc_ty,
                    s.loc.span,
                );
                let loc = Expr {
                    text: format!("{} location", s.text).into(),
                    ..loc
                };
                let in_loc = member(self, loc, l.clone())?;
                let in_loc = Expr {
                    text: format!("{} location in {}", s.text, l.text).into(),
                    ..in_loc
                };
                let Some(tr_field) = record.field_index("transfers") else {
                    return Some(in_loc);
                };
                let tr_ty = record
                    .fields
                    .get(tr_field)
                    .map(|f| f.ty.clone())
                    .unwrap_or(Type::list(Type::String));
                let tr = self.mk(
                    K::Path {
                        base: Base::Item(0),
                        steps: vec![step(tr_field, "transfers")],
                    },
                    tr_ty,
                    s.loc.span,
                );
                let tr = Expr {
                    text: format!("{} transfers", s.text).into(),
                    ..tr
                };
                let list_text = l.text.clone();
                let in_tr = member(self, tr, l)?;
                let in_tr = Expr {
                    text: format!("every {} transfer in {list_text}", s.text).into(),
                    ..in_tr
                };
                Some(self.mk(K::And(Box::new(in_loc), Box::new(in_tr)), Type::Bool, span))
            }
        }
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

fn is_number_literal(text: &str) -> bool {
    crate::number::Exact::parse(text).is_some()
}

/// The value and type of a literal.
pub fn literal(lit: &Literal) -> (Scalar, Type) {
    match lit {
        Literal::Number(n) => (Scalar::Number(*n), Type::Number),
        Literal::Percent(p) => (Scalar::Percent(*p), Type::Percent),
        Literal::Money(c, a) => (Scalar::Money(*c, *a), Type::Money),
        Literal::Date(d) => (Scalar::Date(*d), Type::Date),
        Literal::Str(s) => (Scalar::Str(s.as_str().into()), Type::String),
        Literal::Bool(b) => (Scalar::Bool(*b), Type::Bool),
    }
}

/// Words that cannot be bare words in a phrase (SPEC §2.1); a field with such a name is
/// reached with back quotes.
const KEYWORDS: [&str; 28] = [
    "and", "or", "not", "every", "some", "no", "at", "least", "most", "exactly", "of", "where",
    "in", "is", "contains", "one", "within", "must", "be", "stay", "have", "total", "count",
    "number", "max", "min", "average", "deal",
];

/// The closest candidate to `text`, if any is close enough.
fn closest<'c>(text: &str, candidates: &'c [String]) -> Option<&'c String> {
    let text = text.to_lowercase();
    candidates
        .iter()
        .map(|c| (strsim::jaro_winkler(&text, c), c))
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// "did you mean `name`?" from the closest candidate, if any is close enough.
pub fn did_you_mean(text: &str, candidates: &[String]) -> Option<String> {
    closest(text, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// [`did_you_mean`] for a phrase: a word that is a keyword is offered back-quoted
/// (`` `count` ``), the form that reaches it.
pub fn did_you_mean_phrase(text: &str, candidates: &[String]) -> Option<String> {
    let best = closest(text, candidates)?;
    let words: Vec<String> = best
        .split(' ')
        .map(|w| {
            if KEYWORDS.contains(&w) || w == "true" || w == "false" {
                format!("`{w}`")
            } else {
                w.to_string()
            }
        })
        .collect();
    let phrase = words.join(" ");
    if phrase.contains('`') {
        Some(format!("did you mean `` {phrase} ``?"))
    } else {
        Some(format!("did you mean `{phrase}`?"))
    }
}
