//! Resolution and type checking: parsed policy files → a compiled [`Policy`] of typed rules.
//!
//! [`compile`] loads every policy file (following `use`), picks the schema, resolves and types
//! each `let` once (lazily, in dependency order, detecting cycles), then lowers every rule.
//!
//! Its diagnostics are of three enums of this module, one per phase: [`PolicyError`]
//! (`covenant::policy::…`, reading the files), [`ResolveError`] (`covenant::resolve::…`,
//! names) and [`typeck::TypeError`] (`covenant::type::…`, units, lists and conditions), beside
//! the [`ParseErrors`](crate::syntax::error::ParseErrors) of a file that does not parse; each
//! is a [`CompileDiagnostic`], and a compilation returns them as [`Diagnostics`].

/// An error enum of one phase, in the style of [`crate::syntax::error::ParseError`]: each
/// variant boxes the struct of the same name (which carries the code, message, labels and
/// help), is transparent to it, and converts from it.
macro_rules! error_enum {
    ($(#[$meta:meta])* pub enum $enum:ident { $($variant:ident),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, thiserror::Error, miette::Diagnostic)]
        pub enum $enum {
            $(
                #[error(transparent)]
                #[diagnostic(transparent)]
                $variant(Box<$variant>),
            )*
        }

        $(impl From<$variant> for $enum {
            fn from(e: $variant) -> $enum {
                $enum::$variant(Box::new(e))
            }
        })*
    };
}

pub mod calendars;
mod countries;
mod date_error;
mod define;
mod defs;
mod depth;
mod diagnostics;
pub mod error;
mod evaluation_date;
mod fx;
pub mod fx_error;
mod header_clauses;
mod hoist;
pub mod index;
pub mod ir;
mod item_error;
mod load;
mod override_error;
pub mod phrase;
mod policy_error;
mod precedence;
mod rules;
mod table_error;
pub mod typeck;
mod unshared;
pub mod value_set;

use std::cell::RefCell;
use std::path::PathBuf;

use crate::schema::{Constraint, Schema};
use crate::source::{SourceFile, Span};
use crate::syntax::ast::Item;

use crate::limits::{with_big_stack, PolicyLimits};
use defs::{entries_meta, DefState, DefTable};
use depth::Depth;
pub use diagnostics::{CompileDiagnostic, Compiled, Diagnostics};
pub use error::ResolveError;
pub use fx::FxScope;
pub use fx_error::FxError;
use ir::{Definition, Loc, Rule};
pub use load::{
    load_for_tools, load_policy_files_with, policy_files, LoadedFile, Overlay, ParseCaches,
};
pub use policy_error::PolicyError;
use typeck::Lowerer;

/// What a report says about one policy file.
#[derive(Clone, Debug)]
pub struct PolicyInfo {
    pub path: String,
    pub title: Option<String>,
    pub version: Option<String>,
    /// The sha256 of the file's text as read ([`LoadedFile::sha256`]).
    pub sha256: String,
}

/// A compiled policy: every rule of every loaded file, ready to evaluate.
#[derive(Debug)]
pub struct Policy {
    pub sources: Vec<SourceFile>,
    pub files: Vec<PolicyInfo>,
    pub schema: Schema,
    pub defs: Vec<Definition>,
    pub rules: Vec<Rule>,
    /// The order rules are evaluated in: each after every rule that overrides it (SPEC §14),
    /// ties in policy order. Reports keep policy order.
    pub order: Vec<usize>,
    /// The root fields the engine reads on every deal, resolved once: `date` (windows) and
    /// `proposal` (reports).
    pub date_field: Option<usize>,
    pub proposal_field: Option<usize>,
    /// How many hoisting slots the expressions use (see [`ir::Expr::hoist`]).
    pub hoist_slots: usize,
    /// Some rule reads `evaluation date`, directly or through a definition (SPEC §9): values
    /// kept for a deal may depend on the rule's evaluation date.
    pub reads_evaluation_date: bool,
    /// The rate tables of the `fx` clauses (SPEC §11), which conversions name by index.
    pub fx: Vec<crate::fx::RateTable>,
    /// What evaluation derives from the policy once (its compiled quick pass), made on first
    /// use.
    pub attached: crate::attached::Attached,
}

/// How many problems `reports` hold: each error of a file that fails to parse counts, as
/// its "could not parse `x.policy`: 2 errors" line says. For a list that mixes compile
/// diagnostics (see [`Diagnostics::into_reports`]) with others; [`Diagnostics`] counts its own.
pub fn problem_count(reports: &[miette::Report]) -> usize {
    reports
        .iter()
        .map(|r| {
            r.downcast_ref::<CompileDiagnostic>()
                .map_or(1, CompileDiagnostic::problem_count)
        })
        .sum()
}

/// Compile the policy files and folders at `paths`, with the default [`PolicyLimits`].
pub fn compile(paths: &[PathBuf]) -> Result<Compiled, Diagnostics> {
    compile_with(paths, &PolicyLimits::default())
}

/// Compile the policy files and folders at `paths` within `limits`. Compilation runs on a
/// thread with a large stack (see [`crate::limits::BIG_STACK`]), so deep policies never
/// overflow the caller's.
pub fn compile_with(paths: &[PathBuf], limits: &PolicyLimits) -> Result<Compiled, Diagnostics> {
    with_big_stack(|| {
        let files = load_policy_files_with(paths, limits)?;
        compile_files(files, limits)
    })
}

/// Compile one policy given as text (for tests and tools).
pub fn compile_str(name: &str, text: &str) -> Result<Compiled, Diagnostics> {
    with_big_stack(|| {
        let source = SourceFile::policy(name, text);
        let ast = crate::syntax::parse(&source).map_err(Diagnostics::one)?;
        compile_files(
            vec![LoadedFile {
                sha256: crate::digest::sha256_hex(text.as_bytes()),
                source,
                ast,
                uses: Vec::new(),
                dir: None,
            }],
            &PolicyLimits::default(),
        )
    })
}

/// Compile files already loaded (see [`load_policy_files_with`]), noting what resolves where
/// in `record` when given (see [`index`]). Run it on a thread with a large stack
/// ([`crate::limits::with_big_stack`]) for deep policies.
pub fn compile_loaded(
    files: &[LoadedFile],
    limits: &PolicyLimits,
    record: Option<&index::Recorder>,
) -> Result<Compiled, Diagnostics> {
    compile_recording(files, limits, record)
}

fn compile_files(files: Vec<LoadedFile>, limits: &PolicyLimits) -> Result<Compiled, Diagnostics> {
    compile_recording(&files, limits, None)
}

fn compile_recording(
    files: &[LoadedFile],
    limits: &PolicyLimits,
    record: Option<&index::Recorder>,
) -> Result<Compiled, Diagnostics> {
    rules::test_panic_hook(files);
    rules::count_rules(files, limits)?;
    let mut errors: Vec<CompileDiagnostic> = Vec::new();
    let mut schema = load::pick_schema(files, limits, &mut errors);
    let calendars = calendars::load(files, limits, &mut errors);
    let fx = fx::load(files, limits, &mut errors);

    // Definitions: one table for all files, each file seeing its own and its used files'.
    let entries = define::collect(files, &mut schema, &mut errors);
    let metas = entries_meta(&entries);
    let visible = defs::visible_definitions(files, &metas, &mut errors);
    define::duplicates(files, &metas, &entries, &visible, &schema, &mut errors);
    let depth = Depth::new(limits.depth(), entries.len());
    let table = DefTable {
        depth,
        schema: &schema,
        fx: &fx,
        files,
        calendars: &calendars,
        visible,
        entries: RefCell::new(entries),
        stack: RefCell::new(Vec::new()),
        errors: RefCell::new(Vec::new()),
        record,
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
        let lowerer = |errors: Vec<CompileDiagnostic>| Lowerer {
            schema: &schema,
            defs: &table,
            visible,
            file,
            source: &loaded.source,
            calendars: &calendars,
            fx: &fx,
            errors,
            record,
        };
        // The header's `on D`, shared by the rules of the file (SPEC §9).
        let header_on = loaded
            .ast
            .header
            .effective
            .as_ref()
            .and_then(|w| w.on.as_ref());
        let header_on = header_on.and_then(|d| {
            let mut l = lowerer(Vec::new());
            let x = l.window_date(d);
            errors.append(&mut l.errors);
            x
        });
        for item in &loaded.ast.items {
            let Item::Rule(rule) = item else { continue };
            if let Some((other_file, other_span)) = seen_ids.get(rule.id.node.as_str()) {
                let error = rules::duplicate_id(files, rule, *other_file, *other_span, file);
                errors.push(error.into());
                continue;
            }
            seen_ids.insert(rule.id.node.as_str(), (file, rule.id.span));
            let mut lowerer = lowerer(Vec::new());
            let compiled =
                rules::lower_rule(&mut lowerer, &loaded.ast.header, header_on.as_ref(), rule);
            errors.append(&mut lowerer.errors);
            if let Some(r) = compiled {
                rules.push(r);
            }
        }
    }
    let date_flags;
    let order = precedence::link(files, &seen_ids, &mut rules, &mut errors);
    {
        let entries = table.entries.borrow();
        let values: Vec<Option<&ir::Expr>> = entries
            .iter()
            .map(|e| match &e.state {
                DefState::Done(x) => Some(x),
                _ => None,
            })
            .collect();
        if let Some(record) = record {
            for (e, v) in entries.iter().zip(&values) {
                if let Some(v) = v {
                    record.definition(e.file, e.name_span, &v.ty);
                }
            }
        }
        date_flags = evaluation_date::definition_flags(&schema, &values);
        evaluation_date::check_windows(&schema, &rules, &date_flags, files, &mut errors);
        for wanted in [Constraint::Country, Constraint::EntityKind] {
            let mut check = countries::CountryCheck::new(wanted, &schema, values.clone(), files);
            check.run(&rules);
            errors.append(&mut check.errors);
        }
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
                item: e.item.map(|scope| scope.record),
                reads_evaluation_date: false,
            }),
            _ => None,
        })
        .collect();

    if errors.iter().all(CompileDiagnostic::is_warning) && rules.is_empty() {
        errors.push(rules::no_rules(files).into());
    }
    let (warnings, errs): (Vec<_>, Vec<_>) =
        errors.into_iter().partition(CompileDiagnostic::is_warning);
    if !errs.is_empty() {
        let mut all = Diagnostics::from(errs);
        all.extend(warnings);
        return Err(all);
    }
    let warnings = Diagnostics::from(warnings);
    let infos = files
        .iter()
        .map(|f| PolicyInfo {
            path: f.source.name.to_string(),
            title: f.ast.header.title.as_ref().map(|t| t.node.clone()),
            version: f.ast.header.version.as_ref().map(|t| t.node.clone()),
            sha256: f.sha256.clone(),
        })
        .collect();
    let sources = files.iter().map(|f| f.source.clone()).collect();
    let hoist_slots = hoist::assign_slots(
        rules
            .iter_mut()
            .flat_map(hoist::rule_exprs)
            .chain(defs.iter_mut().map(|d| &mut d.value)),
    );
    define::set_types(&mut schema, &defs);
    for (d, flag) in defs.iter_mut().zip(&date_flags) {
        d.reads_evaluation_date = *flag;
    }
    let reads_evaluation_date = rules
        .iter()
        .any(|r| hoist::rule_exprs_ref(r).any(|e| evaluation_date::reads(&schema, e, &date_flags)));
    let date_field = schema.root().field_index("date");
    let proposal_field = schema.root().field_index("proposal");
    Ok(Compiled {
        policy: Policy {
            sources,
            files: infos,
            date_field,
            proposal_field,
            schema,
            defs,
            rules,
            order,
            hoist_slots,
            reads_evaluation_date,
            fx: fx.tables,
            attached: crate::attached::Attached::default(),
        },
        warnings,
    })
}
