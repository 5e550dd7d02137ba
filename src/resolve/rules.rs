//! Rules: lowering one rule, duplicate ids, the limits on rules of a compilation, and the
//! warning for a compilation of zero rules.

use crate::limits::PolicyLimits;
use crate::schema::{Schema, Type};
use crate::source::Span;
use crate::syntax::ast::{self, Clause, Item, Severity};

use super::error::CompileError;
use super::ir::{Base, Each, Expr, ExprKind, Loc, Rule, Step, Window};
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
                let err = CompileError::new(
                    "covenant::policy::too-many-rules",
                    format!("the policies have more than {} rules", limits.max_rules),
                )
                .at(f.source.named(), rule.id.span, "this rule passes the limit")
                .help("split the policies into several runs, or raise the limit (`PolicyLimits::max_rules`)");
                return Err(vec![miette::Report::new(err)]);
            }
        }
    }
    Ok(())
}

/// In test builds only: compiling a policy file whose name contains `covenant-test-panic`
/// panics, so tests can prove that an internal error is caught and reported.
pub(super) fn test_panic_hook(files: &[LoadedFile]) {
    #[cfg(test)]
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
) -> CompileError {
    let message = format!("rule id `{}` is used twice", rule.id.node);
    let help = if rule.id_derived {
        "give one of the rules an explicit id: `rule my-id: …`"
    } else {
        "rule ids must be unique across every loaded policy file"
    };
    let Some(src) = files.get(file).map(|f| &f.source) else {
        return CompileError::new("covenant::resolve::duplicate-rule-id", message);
    };
    let mut err = CompileError::new("covenant::resolve::duplicate-rule-id", message)
        .at(src.named(), rule.id.span, "second use")
        .help(help);
    if other_file == file {
        err = err.label(other_span, "first used here");
    } else if let Some(other) = files.get(other_file) {
        err = err.related(
            CompileError::new("covenant::resolve::duplicate-rule-id", "first used here").at(
                other.source.named(),
                other_span,
                "first use",
            ),
        );
    }
    err
}

pub(super) fn lower_rule(
    lowerer: &mut Lowerer<'_>,
    header: &ast::Header,
    rule: &ast::Rule,
) -> Option<Rule> {
    let mut out = Rule {
        id: rule.id.node.clone(),
        title: rule.title.as_ref().map(|t| t.node.clone()),
        severity: Severity::Error,
        cites: Vec::new(),
        help: None,
        window: header.effective.as_ref().map(window),
        when: Vec::new(),
        require: Vec::new(),
        unless: Vec::new(),
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
    for clause in &rule.clauses {
        match clause {
            Clause::Severity(s) => out.severity = s.node,
            Clause::Cite(c) => out.cites.push(c.node.clone()),
            Clause::Help(h) => out.help = Some(h.node.clone()),
            Clause::Effective(w) => out.window = Some(window(w)),
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
        lowerer.errors.push(
            CompileError::new(
                "covenant::resolve::no-jurisdiction-field",
                "the header names a jurisdiction, but the schema has no `jurisdiction` field",
            )
            .at(
                lowerer.source.named(),
                j.span,
                "needs a `jurisdiction` field",
            ),
        );
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

/// The code of the warning that the policy files given compile to zero rules.
pub const NO_RULES_WARNING: &str = "covenant::policy::no-rules";

/// The files given compile to zero rules: every deal would pass. A warning (the deals are
/// still checked, their outcomes unchanged), so that a policy whose rules vanished, such as a
/// file whose line ends hid them in a comment, is never silently compliant.
pub(super) fn no_rules(files: &[LoadedFile]) -> CompileError {
    let names: Vec<String> = files
        .iter()
        .take(3)
        .map(|f| format!("`{}`", f.source.name))
        .collect();
    let more = files.len().saturating_sub(names.len());
    let mut which = names.join(", ");
    if more > 0 {
        which.push_str(&format!(" and {more} more"));
    }
    let (what, verb) = if files.len() == 1 {
        ("the policy file", "holds")
    } else {
        ("the policy files", "hold")
    };
    CompileError::new(
        NO_RULES_WARNING,
        format!("{what} {which} {verb} no rule: no deal can fail, so every deal is compliant"),
    )
    .help("add a rule (`rule ID: …`, or an expression on a line of its own); a file of `let` definitions is meant to be `use`d by a file with rules; if lines seem to be missing, check the file's line ends (docs/syntax.md)")
    .as_warning()
}
