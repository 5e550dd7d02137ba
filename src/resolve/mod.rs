//! Resolution and type checking: parsed policy files → a compiled [`Policy`] of typed rules.
//!
//! [`compile`] loads every policy file (following `use`), picks the schema, resolves and types
//! each `let` once (lazily, in dependency order, detecting cycles), then lowers every rule.

pub mod error;
pub mod ir;
mod load;
pub mod phrase;
pub mod typeck;

use std::cell::RefCell;
use std::path::PathBuf;

use crate::schema::{Schema, Type};
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{self, Clause, Item, Severity};

pub use error::CompileError;
use ir::{Base, Definition, Each, Expr, ExprKind, Loc, Rule, Step, Window};
pub use load::{load_policy_files, LoadedFile};
use phrase::DefRef;
use typeck::{Ctx, Definitions, Lowerer};

/// What a report says about one policy file.
#[derive(Clone, Debug)]
pub struct PolicyInfo {
    pub path: String,
    pub title: Option<String>,
    pub version: Option<String>,
}

/// A compiled policy: every rule of every loaded file, ready to evaluate.
#[derive(Debug)]
pub struct Policy {
    pub sources: Vec<SourceFile>,
    pub files: Vec<PolicyInfo>,
    pub schema: Schema,
    pub defs: Vec<Definition>,
    pub rules: Vec<Rule>,
}

/// Diagnostics of a failed compilation, errors first; warnings of a successful one.
pub type Diagnostics = Vec<miette::Report>;

/// Compile the policy files and folders at `paths`.
pub fn compile(paths: &[PathBuf]) -> Result<(Policy, Diagnostics), Diagnostics> {
    let files = load_policy_files(paths)?;
    compile_files(files)
}

/// Compile one policy given as text (for tests and tools).
pub fn compile_str(name: &str, text: &str) -> Result<(Policy, Diagnostics), Diagnostics> {
    let source = SourceFile::new(name, text);
    let ast = crate::syntax::parse(&source).map_err(|e| vec![miette::Report::new(e)])?;
    compile_files(vec![LoadedFile {
        source,
        ast,
        uses: Vec::new(),
        dir: None,
    }])
}

struct DefEntry {
    name: String,
    file: usize,
    name_span: Span,
    value: ast::Expr,
    state: DefState,
}

enum DefState {
    Pending,
    InProgress,
    Done(Expr),
    Failed,
}

struct DefTable<'a> {
    schema: &'a Schema,
    files: &'a [LoadedFile],
    visible: Vec<Vec<DefRef>>,
    entries: RefCell<Vec<DefEntry>>,
    stack: RefCell<Vec<usize>>,
    errors: RefCell<Vec<CompileError>>,
}

impl DefTable<'_> {
    fn source(&self, file: usize) -> Option<&SourceFile> {
        self.files.get(file).map(|f| &f.source)
    }

    fn ensure(&self, index: usize) {
        let (file, value) = {
            let mut entries = self.entries.borrow_mut();
            let Some(entry) = entries.get_mut(index) else {
                return;
            };
            match entry.state {
                DefState::Pending => {}
                DefState::InProgress => {
                    drop(entries);
                    self.cycle_error(index);
                    return;
                }
                _ => return,
            }
            entry.state = DefState::InProgress;
            (entry.file, entry.value.clone())
        };
        self.stack.borrow_mut().push(index);
        let result = match (self.source(file), self.visible.get(file)) {
            (Some(source), Some(visible)) => {
                let mut lowerer = Lowerer {
                    schema: self.schema,
                    defs: self,
                    visible,
                    file,
                    source,
                    errors: Vec::new(),
                };
                let mut frames = Vec::new();
                let x = lowerer.expr_in_root(&value, &mut frames);
                self.errors.borrow_mut().append(&mut lowerer.errors);
                x
            }
            _ => None,
        };
        self.stack.borrow_mut().pop();
        if let Some(entry) = self.entries.borrow_mut().get_mut(index) {
            if matches!(entry.state, DefState::InProgress) {
                entry.state = result.map_or(DefState::Failed, DefState::Done);
            }
        }
    }

    fn cycle_error(&self, index: usize) {
        let stack = self.stack.borrow();
        let entries = self.entries.borrow();
        let start = stack.iter().position(|&i| i == index).unwrap_or(0);
        let chain: Vec<usize> = stack
            .get(start..)
            .map(<[usize]>::to_vec)
            .unwrap_or_default();
        let names: Vec<String> = chain
            .iter()
            .chain(std::iter::once(&index))
            .filter_map(|&i| entries.get(i).map(|e| format!("`{}`", e.name)))
            .collect();
        let Some(first) = entries.get(index) else {
            return;
        };
        let Some(src) = self.source(first.file) else {
            return;
        };
        let mut err = CompileError::new(
            "covenant::resolve::cyclic-definition",
            format!(
                "definitions refer to each other in a cycle: {}",
                names.join(" → ")
            ),
        )
        .at(
            src.named(),
            first.name_span,
            "this definition depends on itself",
        )
        .help("a definition may use earlier ones, but never itself");
        for &i in chain.iter().skip(1) {
            if let Some(e) = entries.get(i) {
                if e.file == first.file {
                    err = err.label(e.name_span, format!("`{}` is part of the cycle", e.name));
                }
            }
        }
        for entry in entries.iter() {
            let _ = entry;
        }
        drop(entries);
        // Mark the whole chain failed so each cycle is reported once.
        let mut entries = self.entries.borrow_mut();
        for &i in &chain {
            if let Some(e) = entries.get_mut(i) {
                e.state = DefState::Failed;
            }
        }
        self.errors.borrow_mut().push(err);
    }

    fn with_done<T>(&self, index: usize, f: impl FnOnce(&Expr) -> T) -> Option<T> {
        self.ensure(index);
        match self.entries.borrow().get(index).map(|e| &e.state) {
            Some(DefState::Done(x)) => Some(f(x)),
            _ => None,
        }
    }
}

impl Definitions for DefTable<'_> {
    fn def_type(&self, index: usize) -> Option<Type> {
        self.with_done(index, |x| x.ty.clone())
    }

    fn def_is_list_value(&self, index: usize) -> bool {
        self.with_done(index, |x| match &x.kind {
            ExprKind::List(_) => true,
            ExprKind::Path {
                base: Base::Let(i),
                steps,
            } => steps.is_empty() && self.def_is_list_value(*i),
            _ => false,
        })
        .unwrap_or(false)
    }

    fn def_item_names(&self, index: usize) -> Vec<String> {
        let Some(x) = self.with_done(index, Clone::clone) else {
            return Vec::new();
        };
        let (Some(source), Some(visible)) = (self.source(x.loc.file), self.visible.get(x.loc.file))
        else {
            return Vec::new();
        };
        let lowerer = Lowerer {
            schema: self.schema,
            defs: self,
            visible,
            file: x.loc.file,
            source,
            errors: Vec::new(),
        };
        lowerer.item_names(&x)
    }

    fn def_name(&self, index: usize) -> (String, usize, Span) {
        self.entries
            .borrow()
            .get(index)
            .map(|e| (e.name.clone(), e.file, e.name_span))
            .unwrap_or_default()
    }
}

impl Lowerer<'_> {
    fn expr_in_root(&mut self, e: &ast::Expr, frames: &mut Vec<phrase::Frame>) -> Option<Expr> {
        self.lower_value(e, frames)
    }
}

fn compile_files(files: Vec<LoadedFile>) -> Result<(Policy, Diagnostics), Diagnostics> {
    let mut errors: Vec<CompileError> = Vec::new();
    let schema = load::pick_schema(&files, &mut errors);

    // Definitions: one table for all files, each file seeing its own and its used files'.
    let mut entries = Vec::new();
    for (file, loaded) in files.iter().enumerate() {
        for item in &loaded.ast.items {
            if let Item::Let(def) = item {
                entries.push(DefEntry {
                    name: def.name.join(" "),
                    file,
                    name_span: def.name_span,
                    value: def.value.clone(),
                    state: DefState::Pending,
                });
            }
        }
    }
    let visible = load::visible_definitions(&files, &entries_meta(&entries), &mut errors);
    let table = DefTable {
        schema: &schema,
        files: &files,
        visible,
        entries: RefCell::new(entries),
        stack: RefCell::new(Vec::new()),
        errors: RefCell::new(Vec::new()),
    };
    let count = table.entries.borrow().len();
    for i in 0..count {
        table.ensure(i);
    }

    errors.append(&mut table.errors.borrow_mut());
    let mut rules: Vec<Rule> = Vec::new();
    let mut seen_ids: std::collections::HashMap<&str, (usize, Span)> =
        std::collections::HashMap::new();
    for (file, loaded) in files.iter().enumerate() {
        let Some(visible) = table.visible.get(file) else {
            continue;
        };
        for item in &loaded.ast.items {
            let Item::Rule(rule) = item else { continue };
            if let Some((other_file, other_span)) = seen_ids.get(rule.id.node.as_str()) {
                errors.push(duplicate_id(&files, rule, *other_file, *other_span, file));
                continue;
            }
            seen_ids.insert(rule.id.node.as_str(), (file, rule.id.span));
            let mut lowerer = Lowerer {
                schema: &schema,
                defs: &table,
                visible,
                file,
                source: &loaded.source,
                errors: Vec::new(),
            };
            let compiled = lower_rule(&mut lowerer, &loaded.ast.header, rule);
            errors.append(&mut lowerer.errors);
            if let Some(r) = compiled {
                rules.push(r);
            }
        }
    }
    let defs: Vec<Definition> = table
        .entries
        .into_inner()
        .into_iter()
        .filter_map(|e| match e.state {
            DefState::Done(value) => Some(Definition {
                name: e.name,
                loc: Loc {
                    file: e.file,
                    span: e.name_span,
                },
                value,
            }),
            _ => None,
        })
        .collect();

    let (warnings, errs): (Vec<_>, Vec<_>) = errors.into_iter().partition(|e| e.warning);
    let warnings: Diagnostics = warnings.into_iter().map(miette::Report::new).collect();
    if !errs.is_empty() {
        let mut all: Diagnostics = errs.into_iter().map(miette::Report::new).collect();
        all.extend(warnings);
        return Err(all);
    }
    let infos = files
        .iter()
        .map(|f| PolicyInfo {
            path: f.source.name.to_string(),
            title: f.ast.header.title.as_ref().map(|t| t.node.clone()),
            version: f.ast.header.version.as_ref().map(|t| t.node.clone()),
        })
        .collect();
    let sources = files.into_iter().map(|f| f.source).collect();
    Ok((
        Policy {
            sources,
            files: infos,
            schema,
            defs,
            rules,
        },
        warnings,
    ))
}

/// (name, file, span) of each definition, for visibility and duplicate checks.
fn entries_meta(entries: &[DefEntry]) -> Vec<(String, usize, Span)> {
    entries
        .iter()
        .map(|e| (e.name.clone(), e.file, e.name_span))
        .collect()
}

fn duplicate_id(
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

fn lower_rule(lowerer: &mut Lowerer<'_>, header: &ast::Header, rule: &ast::Rule) -> Option<Rule> {
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
    };
    let value = Expr {
        kind: ExprKind::Const(crate::value::Scalar::Str(j.node.as_str().into())),
        ty: Type::String,
        loc,
        text: format!("\"{}\"", j.node).into(),
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
    })
}
