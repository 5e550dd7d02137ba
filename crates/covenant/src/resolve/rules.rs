//! Rules: lowering one rule, duplicate ids, the limits on rules of a compilation, and the
//! warning for a compilation of zero rules.

use crate::limits::PolicyLimits;
use crate::schema::{Schema, Type};
use crate::source::Span;
use crate::syntax::ast::{self, Clause, Item, Severity};

use super::error::{
    DuplicateRuleId, FirstRuleIdUse, NoJurisdictionField, RepealedWithoutUntil, ResolveError,
};
use super::ir::{Base, Citation, Each, Expr, ExprKind, Loc, Rule, Step, Window};
use super::policy_error::{NoRules, PolicyError, TooManyRules};
use super::typeck::{Ctx, Lowerer};
use super::{Diagnostics, LoadedFile};

/// More rules than [`PolicyLimits::max_rules`] is an error before anything is lowered.
pub(super) fn count_rules(files: &[LoadedFile], limits: &PolicyLimits) -> Result<(), Diagnostics> {
    let mut seen = 0usize;
    for f in files {
        for item in &f.ast.items {
            let Item::Rule(rule) = item else { continue };
            seen += 1;
            if seen > limits.max_rules {
                return Err(Diagnostics::one(PolicyError::from(TooManyRules {
                    max: limits.max_rules,
                    src: f.source.named(),
                    span: rule.id.span.into(),
                })));
            }
        }
    }
    Ok(())
}

/// In test builds only (and with the `test-hooks` feature, which the CLI's tests enable):
/// compiling a policy file whose name contains `covenant-test-panic`
/// panics, so tests can prove that an internal error is caught and reported.
pub(super) fn test_panic_hook(files: &[LoadedFile]) {
    #[cfg(any(test, feature = "test-hooks"))]
    if files
        .iter()
        .any(|f| f.source.name.contains("covenant-test-panic"))
    {
        #[allow(clippy::panic, reason = "test hook")]
        {
            panic!("test hook: a panic while compiling");
        }
    }
    let _ = files;
}

pub(super) fn duplicate_id(
    files: &[LoadedFile],
    rule: &ast::Rule,
    other_file: usize,
    other_span: Span,
    file: usize,
) -> ResolveError {
    let help = if rule.id_derived {
        "give one of the rules an explicit id: `rule my-id: …`"
    } else {
        "rule ids must be unique across every loaded policy file"
    };
    let id = rule.id.node.clone();
    let Some(src) = files.get(file).map(|f| &f.source) else {
        return ResolveError::from(DuplicateRuleId {
            id,
            src: None,
            span: None,
            first: None,
            help: None,
            first_elsewhere: None,
        });
    };
    let first_elsewhere = files
        .get(other_file)
        .filter(|_| other_file != file)
        .map(|other| FirstRuleIdUse {
            src: other.source.named(),
            span: other_span.into(),
        });
    ResolveError::from(DuplicateRuleId {
        id,
        src: Some(src.named()),
        span: Some(rule.id.span.into()),
        first: (other_file == file).then(|| other_span.into()),
        help: Some(help),
        first_elsewhere,
    })
}

/// Lower one rule; `header_on` is the header's `on D`, lowered once for the file.
pub(super) fn lower_rule(
    lowerer: &mut Lowerer<'_>,
    header: &ast::Header,
    header_on: Option<&Expr>,
    rule: &ast::Rule,
) -> Option<Rule> {
    let mut out = Rule {
        id: rule.id.node.clone(),
        title: rule.title.as_ref().map(|t| t.node.clone()),
        severity: Severity::Error,
        cites: header.cites.iter().map(Citation::new).collect(),
        help: None,
        window: header.effective.as_ref().map(window),
        status: ast::Status::InForce,
        on: header_on.cloned(),
        overrides: Vec::new(),
        overridden_by: Vec::new(),
        when: Vec::new(),
        require: Vec::new(),
        unless: Vec::new(),
        waivable: None,
        loc: Loc {
            file: lowerer.file,
            span: rule.span,
        },
        id_span: rule.id.span,
    };
    if let Some(j) = &header.jurisdiction {
        out.when.push(jurisdiction_guard(lowerer, j)?);
    }
    let mut ok = true;
    let mut status = header.status.as_ref();
    let mut own_window = None;
    for clause in &rule.clauses {
        match clause {
            Clause::Severity(s) => out.severity = s.node,
            Clause::Status(s) => status = Some(s),
            // Linked once every rule is lowered (`super::precedence`).
            Clause::Overrides(_) => {}
            Clause::Cite(c) => out.cites.push(Citation::new(c)),
            Clause::Help(h) => out.help = Some(h.node.clone()),
            // A rule's window replaces the header's `from` and `until`, not its `on` (SPEC §9).
            Clause::Effective(w) => {
                out.window = Some(window(w));
                own_window = Some(w);
                if let Some(d) = &w.on {
                    match lowerer.window_date(d) {
                        Some(x) => out.on = Some(x),
                        None => ok = false,
                    }
                }
            }
            Clause::When(e) => match lowerer.clause(e, Ctx::Guard) {
                Some(x) => out.when.push(x),
                None => ok = false,
            },
            Clause::Unless(e) => match lowerer.clause(e, Ctx::Guard) {
                Some(x) => out.unless.push(x),
                None => ok = false,
            },
            Clause::Require(e) => match lowerer.clause(e, Ctx::Require) {
                Some(x) => out.require.push(x),
                None => ok = false,
            },
            Clause::Waivable(e) => match lowerer.authorities(e) {
                Some(x) => out.waivable = Some(x),
                None => ok = false,
            },
        }
    }
    if let Some(status) = status {
        out.status = status.node;
        let used = own_window.or(header.effective.as_ref());
        if status.node == ast::Status::Repealed && used.is_none_or(|w| w.until.is_none()) {
            lowerer.resolve_error(RepealedWithoutUntil {
                src: lowerer.source.named(),
                span: status.span.into(),
                window: used.map(|w| w.span.into()),
            });
            ok = false;
        }
    }
    ok.then_some(out)
}

fn window(w: &ast::Window) -> Window {
    Window {
        from: w.from.node,
        until: w.until.as_ref().map(|u| u.node),
    }
}

/// The header's `jurisdiction "US"` as the guard `jurisdiction = "US"`.
fn jurisdiction_guard(lowerer: &mut Lowerer<'_>, j: &ast::Spanned<String>) -> Option<Expr> {
    let root = lowerer.schema.root();
    let loc = Loc {
        file: lowerer.file,
        span: j.span,
    };
    let Some(field) = root.field_index("jurisdiction") else {
        lowerer.resolve_error(NoJurisdictionField {
            src: lowerer.source.named(),
            span: j.span.into(),
        });
        return None;
    };
    let path = Expr {
        kind: ExprKind::Path {
            base: Base::Root,
            steps: vec![Step {
                field,
                record: Schema::ROOT,
                name: "jurisdiction".into(),
                map: false,
                flatten: false,
            }],
        },
        ty: Type::String,
        loc,
        text: "jurisdiction".into(),
        hoist: None,
    };
    let value = Expr {
        kind: ExprKind::Const(crate::value::Scalar::Str(j.node.as_str().into())),
        ty: Type::String,
        loc,
        text: format!("\"{}\"", j.node).into(),
        hoist: None,
    };
    Some(Expr {
        kind: ExprKind::Compare {
            op: ast::CmpOp::Eq,
            lhs: Box::new(path),
            rhs: Box::new(value),
            each: Each::None,
        },
        ty: Type::Bool,
        loc,
        text: format!("jurisdiction = \"{}\"", j.node).into(),
        hoist: None,
    })
}

/// The files given compile to zero rules: every deal would pass (see [`NoRules`]).
pub(super) fn no_rules(files: &[LoadedFile]) -> PolicyError {
    let shown: Vec<String> = files
        .iter()
        .take(3)
        .map(|f| f.source.name.to_string())
        .collect();
    PolicyError::from(NoRules {
        more: files.len().saturating_sub(shown.len()),
        files: shown,
    })
}
