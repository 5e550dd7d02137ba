//! Resolution and type checking: parsed policy files → a compiled [`Policy`] of typed rules.
//!
//! [`compile`] loads every policy file (following `use`), picks the schema, resolves and types
//! each `let` once (lazily, in dependency order, detecting cycles), then lowers every rule.

mod countries;
mod depth;
pub mod error;
mod hoist;
pub mod ir;
mod load;
pub mod phrase;
mod rules;
pub mod typeck;

use std::cell::RefCell;
use std::path::PathBuf;

use crate::schema::{Schema, Type};
use crate::source::{SourceFile, Span};
use crate::syntax::ast::{self, Item};

use crate::limits::{with_big_stack, PolicyLimits};
use depth::Depth;
pub use error::CompileError;
use ir::{Base, Definition, Expr, ExprKind, Loc, Rule};
pub use load::{load_policy_files_with, policy_files, LoadedFile};
use phrase::DefRef;
pub use rules::NO_RULES_WARNING;
use typeck::{Definitions, Lowerer};

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
    /// The root fields the engine reads on every deal, resolved once: `date` (windows) and
    /// `proposal` (reports).
    pub date_field: Option<usize>,
    pub proposal_field: Option<usize>,
    /// How many hoisting slots the expressions use (see [`ir::Expr::hoist`]).
    pub hoist_slots: usize,
}

/// Diagnostics of a failed compilation, errors first; warnings of a successful one.
pub type Diagnostics = Vec<miette::Report>;

/// How many problems `diags` report: each error of a file that fails to parse counts, as
/// its "could not parse `x.policy`: 2 errors" line says.
pub fn problem_count(diags: &[miette::Report]) -> usize {
    diags
        .iter()
        .map(|d| {
            d.downcast_ref::<crate::syntax::error::ParseErrors>()
                .map_or(1, |p| p.len().max(1))
        })
        .sum()
}

/// Compile the policy files and folders at `paths`, with the default [`PolicyLimits`].
pub fn compile(paths: &[PathBuf]) -> Result<(Policy, Diagnostics), Diagnostics> {
    compile_with(paths, &PolicyLimits::default())
}

/// Compile the policy files and folders at `paths` within `limits`. Compilation runs on a
/// thread with a large stack (see [`crate::limits::BIG_STACK`]), so deep policies never
/// overflow the caller's.
pub fn compile_with(
    paths: &[PathBuf],
    limits: &PolicyLimits,
) -> Result<(Policy, Diagnostics), Diagnostics> {
    with_big_stack(|| {
        let files = load_policy_files_with(paths, limits)?;
        compile_files(files, limits)
    })
}

/// Compile one policy given as text (for tests and tools).
pub fn compile_str(name: &str, text: &str) -> Result<(Policy, Diagnostics), Diagnostics> {
    with_big_stack(|| {
        let source = SourceFile::policy(name, text);
        let ast = crate::syntax::parse(&source).map_err(|e| vec![miette::Report::new(e)])?;
        compile_files(
            vec![LoadedFile {
                source,
                ast,
                uses: Vec::new(),
                dir: None,
            }],
            &PolicyLimits::default(),
        )
    })
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
    depth: Depth,
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
        let started = self.depth.begin_def();
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
        self.depth.end_def(index, started);
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

    fn def_is_mapped(&self, index: usize) -> bool {
        self.with_done(index, |x| typeck::is_mapped(x, self))
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

    fn enter(&self) -> bool {
        self.depth.enter()
    }

    fn leave(&self) {
        self.depth.leave()
    }

    fn use_def(&self, index: usize) -> Result<(), usize> {
        self.depth.use_def(index)
    }

    fn depth_limit(&self) -> usize {
        self.depth.limit()
    }
}

impl Lowerer<'_> {
    fn expr_in_root(&mut self, e: &ast::Expr, frames: &mut Vec<phrase::Frame>) -> Option<Expr> {
        self.lower_value(e, frames)
    }
}

fn compile_files(
    files: Vec<LoadedFile>,
    limits: &PolicyLimits,
) -> Result<(Policy, Diagnostics), Diagnostics> {
    rules::test_panic_hook(&files);
    rules::count_rules(&files, limits)?;
    let mut errors: Vec<CompileError> = Vec::new();
    let schema = load::pick_schema(&files, limits, &mut errors);

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
    let depth = Depth::new(limits.depth(), entries.len());
    let table = DefTable {
        depth,
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
                errors.push(rules::duplicate_id(
                    &files,
                    rule,
                    *other_file,
                    *other_span,
                    file,
                ));
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
            let compiled = rules::lower_rule(&mut lowerer, &loaded.ast.header, rule);
            errors.append(&mut lowerer.errors);
            if let Some(r) = compiled {
                rules.push(r);
            }
        }
    }
    {
        let entries = table.entries.borrow();
        let values = entries
            .iter()
            .map(|e| match &e.state {
                DefState::Done(x) => Some(x),
                _ => None,
            })
            .collect();
        let mut countries = countries::CountryCheck::new(&schema, values, &files);
        countries.run(&rules);
        errors.append(&mut countries.errors);
    }
    let mut defs: Vec<Definition> = table
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

    if errors.iter().all(|e| e.warning) && rules.is_empty() {
        errors.push(rules::no_rules(&files));
    }
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
    let hoist_slots = hoist::assign_slots(
        rules
            .iter_mut()
            .flat_map(hoist::rule_exprs)
            .chain(defs.iter_mut().map(|d| &mut d.value)),
    );
    let date_field = schema.root().field_index("date");
    let proposal_field = schema.root().field_index("proposal");
    Ok((
        Policy {
            sources,
            files: infos,
            date_field,
            proposal_field,
            schema,
            defs,
            rules,
            hoist_slots,
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
