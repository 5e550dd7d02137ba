//! `covenant lint`: static checks of policies, without deals.
//!
//! [`lint`] loads and parses the policy files, compiles them (every compile error becomes a
//! finding with its own code), then runs the lint checks:
//! - on the parsed files, even when the policy does not compile: `empty-window`,
//!   `expired-window`, `missing-cite` ([`items`]);
//! - on a compiled policy only: `unused-definition`, `shadows-field` ([`defs`]), the
//!   interval reasoning of `always-false-when`, `never-passes`, `never-fails` ([`rules`]) and
//!   `exempt-by-absence` ([`absence`]).
//!
//! With deals, [`expiring`] lists the approvals that expire within a span of today (SPEC §10).
//!
//! A `# covenant: allow CODE` comment in a policy leaves the lint findings of CODE out, on its
//! line or for the item it is in or above (`lint/allow.rs`).
//!
//! The library never prints: [`output`] and [`sarif`] render a [`LintReport`] to strings.

mod absence;
mod allow;
mod defs;
pub mod expiring;
mod finding;
mod formula;
mod items;
mod lower;
pub mod output;
mod rules;
pub mod sarif;
mod solve;

use std::path::PathBuf;

use jiff::civil::Date;

use crate::limits::PolicyLimits;
use crate::resolve::{CompileDiagnostic, Compiled, Diagnostics, LoadedFile, Policy, PolicyError};
use crate::source::SourceFile;

pub use finding::{Finding, Severity};

pub const UNUSED_DEFINITION: &str = "covenant::lint::unused-definition";
pub const SHADOWS_FIELD: &str = "covenant::lint::shadows-field";
pub const NEVER_PASSES: &str = "covenant::lint::never-passes";
pub const NEVER_FAILS: &str = "covenant::lint::never-fails";
pub const ALWAYS_FALSE_WHEN: &str = "covenant::lint::always-false-when";
pub const EMPTY_WINDOW: &str = "covenant::lint::empty-window";
pub const EXPIRED_WINDOW: &str = "covenant::lint::expired-window";
pub const MISSING_CITE: &str = "covenant::lint::missing-cite";
pub const NO_RULES: &str = "covenant::lint::no-rules";
pub const EXEMPT_BY_ABSENCE: &str = "covenant::lint::exempt-by-absence";
pub const EXPIRING_APPROVAL: &str = "covenant::lint::expiring-approval";
pub const EXPIRED_APPROVAL: &str = "covenant::lint::expired-approval";

/// Every lint code with a one-line description (for SARIF rule metadata), in the order of
/// the registry.
pub fn codes() -> impl Iterator<Item = &'static crate::codes::Code> {
    crate::codes::of_phase(crate::codes::Phase::Lint)
}

/// Everything `covenant lint` found.
#[derive(Debug, Default)]
pub struct LintReport {
    /// The policy files loaded, in load order.
    pub files: Vec<String>,
    /// Parse and compile diagnostics first (in the compiler's order), then the lint findings
    /// in file order and source order.
    pub findings: Vec<Finding>,
    /// The policy could not be loaded or parsed, so nothing else was checked.
    pub fatal: bool,
    /// The policy parses but does not compile: its compile errors are among the findings.
    pub compile_errors: bool,
    /// The deals whose approvals were listed (`--expiring`), in argument order.
    pub deals: Vec<String>,
    /// One of those deals could not be loaded: its errors are among the findings.
    pub deals_invalid: bool,
}

impl LintReport {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity == severity)
            .count()
    }

    /// `2` when the policy cannot be loaded, parsed or compiled (SPEC §4: a policy that does
    /// not compile is invalid input) or a deal cannot be loaded, `1` when a lint finding is an
    /// error, else `0`.
    pub fn exit_code(&self) -> u8 {
        self.exit_code_denying(false)
    }

    /// [`Self::exit_code`]; with `deny_warnings` (`lint --deny-warnings`), a warning finding
    /// makes it `1` too (an info never does).
    pub fn exit_code_denying(&self, deny_warnings: bool) -> u8 {
        let warnings = if deny_warnings {
            self.count(Severity::Warning)
        } else {
            0
        };
        if self.fatal || self.compile_errors || self.deals_invalid {
            2
        } else if self.count(Severity::Error) + warnings > 0 {
            1
        } else {
            0
        }
    }
}

/// The findings of the lint checks alone (no compile diagnostics), in file order and source
/// order: those on the parsed `files` always, those that need the compiled policy when it is
/// given (compiled from the same files). For tools that report compile diagnostics their own
/// way, such as the language server.
pub fn lint_findings(files: &[LoadedFile], policy: Option<&Policy>, today: Date) -> Vec<Finding> {
    let names: Vec<&str> = files.iter().map(|f| &*f.source.name).collect();
    let mut found = Vec::new();
    items::check(files, today, &mut found);
    if let Some(policy) = policy {
        defs::check(policy, &mut found);
        rules::check(policy, &mut found);
        absence::check(policy, &mut found);
    }
    let order = |f: &Finding| {
        let file = f
            .file
            .as_ref()
            .and_then(|n| names.iter().position(|m| m == n))
            .unwrap_or(usize::MAX);
        (file, f.span.map_or(0, |s| s.start), f.code.clone())
    };
    found.sort_by_cached_key(order);
    allow::apply(files, &mut found);
    found
}

/// Lint the policy files and folders at `paths`; `today` decides which windows are over.
pub fn lint(paths: &[PathBuf], today: Date) -> LintReport {
    lint_with(paths, today, &PolicyLimits::default())
}

/// [`lint`], reading and compiling the policies within `limits`.
pub fn lint_with(paths: &[PathBuf], today: Date, limits: &PolicyLimits) -> LintReport {
    match crate::resolve::load_policy_files_with(paths, limits) {
        Ok(files) => lint_loaded(&files, crate::resolve::compile_with(paths, limits), today),
        Err(diags) => fatal(diags),
    }
}

/// Lint one policy given as text (for tests and tools); `use` is not followed.
pub fn lint_str(name: &str, text: &str, today: Date) -> LintReport {
    let source = SourceFile::policy(name, text);
    let ast = match crate::syntax::parse(&source) {
        Ok(ast) => ast,
        Err(e) => return fatal(Diagnostics::one(e)),
    };
    let files = [LoadedFile {
        sha256: crate::digest::sha256_hex(text.as_bytes()),
        source,
        ast,
        uses: Vec::new(),
        dir: None,
    }];
    lint_loaded(&files, crate::resolve::compile_str(name, text), today)
}

fn fatal(diags: Diagnostics) -> LintReport {
    LintReport {
        files: Vec::new(),
        findings: Finding::from_reports(diags.into_reports()),
        fatal: true,
        compile_errors: false,
        deals: Vec::new(),
        deals_invalid: false,
    }
}

fn lint_loaded(
    files: &[LoadedFile],
    compiled: Result<Compiled, Diagnostics>,
    today: Date,
) -> LintReport {
    let names: Vec<String> = files.iter().map(|f| f.source.name.to_string()).collect();
    let mut findings = Vec::new();
    let compile_errors = compiled.is_err();
    let policy = match compiled {
        Ok(Compiled { policy, warnings }) => {
            // `lint` says which file holds no rule (`no-rules`, an error), so the compiler's
            // warning about the whole set would only repeat it.
            let warnings: Vec<_> = warnings
                .into_iter()
                .filter(|w| !matches!(w, CompileDiagnostic::Policy(PolicyError::NoRules(_))))
                .map(miette::Report::new)
                .collect();
            findings.extend(Finding::from_reports(warnings));
            Some(policy)
        }
        Err(diags) => {
            findings.extend(Finding::from_reports(diags.into_reports()));
            None
        }
    };
    findings.extend(lint_findings(files, policy.as_ref(), today));
    allow::apply(files, &mut findings);
    LintReport {
        files: names,
        findings,
        fatal: false,
        compile_errors,
        deals: Vec::new(),
        deals_invalid: false,
    }
}
