//! Shared checks for the fuzz targets: every diagnostic must render, and every label must lie
//! inside the text it points into.
#![allow(dead_code)]

use covenant::deal::fuzzing::load_without_fast_path;
use covenant::deal::tree::Deal;
use covenant::deal::{load, DealErrors, Format, Limits as DealLimits, LoadOptions, Loaded};
use covenant::eval::compiled::agreements;
use covenant::eval::{evaluate_uncompiled, evaluate_with_warnings};
use covenant::resolve::Policy;
use covenant::schema::Schema;
use covenant::source::SourceFile;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme};
use std::sync::OnceLock;

pub fn schema() -> &'static Schema {
    static SCHEMA: OnceLock<Schema> = OnceLock::new();
    SCHEMA.get_or_init(Schema::standard)
}

/// Render `diag` (and its related diagnostics) as a user would see it; assert that every
/// label lies in `text` on character boundaries. `text` is `None` when the diagnostic may
/// point into another file (a compiled policy's embedded sources).
pub fn check_diagnostic(diag: &dyn Diagnostic, text: Option<&str>) {
    if let (Some(text), Some(labels)) = (text, diag.labels()) {
        for label in labels {
            let (start, end) = (label.offset(), label.offset() + label.len());
            assert!(
                end <= text.len(),
                "label {start}..{end} outside a text of {} bytes: {diag}",
                text.len()
            );
            assert!(
                text.is_char_boundary(start) && text.is_char_boundary(end),
                "label {start}..{end} splits a character: {diag}"
            );
        }
    }
    if let Some(related) = diag.related() {
        for r in related {
            check_diagnostic(r, text);
        }
    }
    let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor());
    let mut out = String::new();
    handler
        .render_report(&mut out, diag)
        .unwrap_or_else(|e| panic!("diagnostic does not render ({e}): {diag}"));
}

/// A policy of the repository, compiled from its files (its schema, rates and `use`d files
/// beside it); `path` is relative to the repository (found from this crate's folder: `fuzz/`
/// or, replayed by `tests/it/fuzz_regressions.rs`, the repository itself).
fn compile_repo(path: &str) -> Policy {
    let here = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let root = here
        .ancestors()
        .find(|p| p.join("benches/baseline-v2").is_dir())
        .unwrap_or(here);
    let path = root.join(path);
    match covenant::resolve::compile(std::slice::from_ref(&path)) {
        Ok(compiled) => compiled.policy,
        Err(e) => panic!("{} does not compile: {e:?}", path.display()),
    }
}

/// `benches/baseline-v2/baseline-v2.policy`: the v2 constructs, and a schema with entities.
pub fn baseline_v2() -> &'static Policy {
    static POLICY: OnceLock<Policy> = OnceLock::new();
    POLICY.get_or_init(|| compile_repo("benches/baseline-v2/baseline-v2.policy"))
}

/// The adversarial policies of `tests/fixtures/compiled-adversarial`, written against the
/// compiled quick pass (`tests/it/compiled_quick.rs` reads this list too): arithmetic, money
/// and percents; quantifiers, Kleene logic, near misses, `when`/`unless`, must-forms;
/// membership, currencies, several clauses of each kind, overrides and waivable rules; nested
/// quantifiers that read the outer item; windows and definitions of the evaluation date beside
/// compiled conditions; and two policies of random rules (`fuzz_rules.py`). Each brings in the
/// definitions of `common.policy` by `use`.
pub const ADVERSARIAL: [&str; 8] = [
    "tests/fixtures/compiled-adversarial/arith.policy",
    "tests/fixtures/compiled-adversarial/logic.policy",
    "tests/fixtures/compiled-adversarial/misc.policy",
    "tests/fixtures/compiled-adversarial/nest.policy",
    "tests/fixtures/compiled-adversarial/dates.policy",
    "tests/fixtures/compiled-adversarial/fuzz-1001.policy",
    "tests/fixtures/compiled-adversarial/fuzz-1002.policy",
    "tests/fixtures/compiled-adversarial/tables.policy",
];

/// The policies whose conditions the compiled quick pass decides, as
/// `tests/it/compiled_quick.rs` checks them: the two benchmark policies, the examples (the
/// three of `examples/policies` together, North America's with its own schema, Canada's), the
/// [`ADVERSARIAL`] ones and the v2 forms written against baseline-v2's schema.
pub fn compiled_policies() -> &'static [Policy] {
    static POLICIES: OnceLock<Vec<Policy>> = OnceLock::new();
    POLICIES.get_or_init(|| {
        let others = [
            "tests/differential/jv-baseline.policy",
            "benches/baseline-v2/baseline-v2.policy",
            "examples/policies",
            "examples/north-america/north-america.policy",
            "examples/canada/canada-ica.policy",
            "tests/fixtures/compiled-adversarial/v2forms.policy",
        ];
        others
            .into_iter()
            .chain(ADVERSARIAL)
            .map(compile_repo)
            .collect()
    })
}

/// Load `text` as one deal of `format` and check every diagnostic.
pub fn load_deal(text: &str, name: &str, first_line: usize, format: Format) -> Option<Loaded> {
    let source = SourceFile::new(name, text);
    match load(
        source,
        name.to_string(),
        first_line,
        format,
        schema(),
        &LoadOptions::default(),
    ) {
        Ok(loaded) => {
            for w in &loaded.warnings {
                check_diagnostic(w, Some(text));
            }
            Some(loaded)
        }
        Err(errors) => {
            check_diagnostic(&errors, Some(text));
            None
        }
    }
}

/// Target `deal_fast`: `text` loaded as a JSON deal by `deal::load` (its fast path first) and
/// by the full loader alone give the same deal and warnings, or the same errors, with the
/// standard schema and baseline-v2's, leniently and strictly, and within the default limits
/// and limits small enough for a fuzzed deal to cross (nesting, values, string length).
pub fn check_fast_path(text: &str) {
    let schemas: [&Schema; 2] = [schema(), &baseline_v2().schema];
    for (i, schema) in schemas.into_iter().enumerate() {
        for opts in load_options() {
            let fast = loaded_by(load, text, schema, &opts);
            let full = loaded_by(load_without_fast_path, text, schema, &opts);
            assert_eq!(fast, full, "schema {i}, options {opts:?}");
        }
    }
}

/// The options [`check_fast_path`] loads with: lenient and strict, and lenient within two sets
/// of small limits (a generated deal has 150 to 400 values, 4 levels, strings of up to 40
/// bytes).
fn load_options() -> [LoadOptions; 4] {
    let small = |max_depth, max_nodes, max_string_len| LoadOptions {
        limits: DealLimits {
            max_depth,
            max_nodes,
            max_string_len,
        },
        ..LoadOptions::default()
    };
    [
        LoadOptions::default(),
        LoadOptions {
            strict: true,
            ..LoadOptions::default()
        },
        small(3, 60, 12),
        small(4, 200, 24),
    ]
}

/// `deal::load` or a function of its signature.
type LoadFn =
    fn(SourceFile, String, usize, Format, &Schema, &LoadOptions) -> Result<Loaded, DealErrors>;

/// What `f` gives for `text` as one JSON deal, written out (`Debug`).
fn loaded_by(f: LoadFn, text: &str, schema: &Schema, opts: &LoadOptions) -> String {
    let name = "fuzz.json";
    let loaded = f(
        SourceFile::new(name, text),
        name.into(),
        1,
        Format::Json,
        schema,
        opts,
    );
    format!("{loaded:?}")
}

/// Target `compiled`: [`compiled_agrees`] for each of [`compiled_policies`] under which `text`
/// loads as a JSON deal ([`loaded_under`]).
pub fn check_compiled(text: &str) {
    for (policy, loaded) in loaded_under(text) {
        compiled_agrees(policy, &loaded.deal, &mut |_, _| {});
    }
}

/// The policies of [`compiled_policies`] under which `text` loads as a JSON deal, with the
/// deal. The diagnostics of a deal that does not load are not rendered here (the `deal_*`
/// targets render them): a deal of a hundred errors, rendered under each of fourteen policies,
/// outlasts a fuzz run's timeout.
pub fn loaded_under(text: &str) -> Vec<(&'static Policy, Loaded)> {
    let opts = LoadOptions::default();
    let load_as = |policy: &Policy| {
        let source = SourceFile::new("fuzz.json", text);
        load(
            source,
            "fuzz.json".into(),
            1,
            Format::Json,
            &policy.schema,
            &opts,
        )
        .ok()
    };
    compiled_policies()
        .iter()
        .filter_map(|policy| Some((policy, load_as(policy)?)))
        .collect()
}

/// The compiled quick pass agrees with the evaluator on `deal`, with the deal's date and an
/// `--as-of` date: each condition it decides, it decides as the evaluator does
/// (`eval::compiled::agreements`), and whole evaluations with it and without it
/// (`evaluate_with_warnings`, `evaluate_uncompiled`) give the same results and warnings, with
/// proposed rules and without. `seen` is told of each condition: whether it has a compiled
/// form, and whether the form decided it.
pub fn compiled_agrees(policy: &Policy, deal: &Deal, seen: &mut dyn FnMut(bool, bool)) {
    let file = &policy.files[0].path;
    for as_of in [None, Some(jiff::civil::date(2026, 1, 15))] {
        for a in agreements(policy, deal, as_of) {
            seen(a.has_form, a.compiled.is_some());
            if let Some(tv) = a.compiled {
                let rule = &policy.rules[a.rule].id;
                let (clause, index) = (a.clause, a.index);
                assert_eq!(
                    tv, a.evaluated,
                    "rule {rule} ({clause:?} {index}) of {file} differs on {}",
                    deal.path
                );
            }
        }
        for proposed in [false, true] {
            let with = evaluate_with_warnings(policy, deal, as_of, proposed);
            let without = evaluate_uncompiled(policy, deal, as_of, proposed);
            assert_eq!(
                format!("{with:?}"),
                format!("{without:?}"),
                "{file} differs on {} (as of {as_of:?}, proposed {proposed})",
                deal.path
            );
        }
    }
}
