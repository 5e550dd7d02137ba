//! What a compilation reports: each diagnostic is an error of one phase
//! ([`CompileDiagnostic`]), collected in [`Diagnostics`]; a successful compilation is a
//! [`Compiled`] policy with its warnings.

use miette::Diagnostic;
use thiserror::Error;

use super::typeck::TypeError;
use super::{FxError, Policy, PolicyError, ResolveError};
use crate::syntax::error::ParseErrors;

/// One diagnostic of a compilation, from the phase that found it.
#[derive(Debug, Error, Diagnostic)]
pub enum CompileDiagnostic {
    /// Every parse error of one file (`covenant::parse::…`).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Parse(Box<ParseErrors>),
    /// A policy file that cannot be read, a limit, no rules (`covenant::policy::…`).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Policy(PolicyError),
    /// Names that do not fit together (`covenant::resolve::…`).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Resolve(ResolveError),
    /// Units, lists and conditions (`covenant::type::…`).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Type(TypeError),
    /// Rate tables and conversions (`covenant::fx::…`, SPEC §11).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Fx(FxError),
}

impl CompileDiagnostic {
    /// A warning (the compilation still succeeds), not an error.
    pub fn is_warning(&self) -> bool {
        self.severity() == Some(miette::Severity::Warning)
    }

    /// How many problems it reports: each error of a file that fails to parse counts, as its
    /// "could not parse `x.policy`: 2 errors" line says.
    pub fn problem_count(&self) -> usize {
        match self {
            CompileDiagnostic::Parse(errors) => errors.len().max(1),
            _ => 1,
        }
    }
}

impl From<ParseErrors> for CompileDiagnostic {
    fn from(e: ParseErrors) -> Self {
        CompileDiagnostic::Parse(Box::new(e))
    }
}

impl From<PolicyError> for CompileDiagnostic {
    fn from(e: PolicyError) -> Self {
        CompileDiagnostic::Policy(e)
    }
}

impl From<ResolveError> for CompileDiagnostic {
    fn from(e: ResolveError) -> Self {
        CompileDiagnostic::Resolve(e)
    }
}

impl From<FxError> for CompileDiagnostic {
    fn from(e: FxError) -> Self {
        CompileDiagnostic::Fx(e)
    }
}

impl From<TypeError> for CompileDiagnostic {
    fn from(e: TypeError) -> Self {
        CompileDiagnostic::Type(e)
    }
}

/// The diagnostics of a compilation, in the order found: of a failed one, the errors first,
/// then the warnings; of a successful one, the warnings.
///
/// As an error it reads as the command line's summary, "the policy does not compile (N
/// problems)", and renders every diagnostic as related, so `compile(…)?` in a function that
/// returns `miette::Result` shows them all.
#[derive(Debug, Default)]
pub struct Diagnostics(Vec<CompileDiagnostic>);

impl Diagnostics {
    pub fn new() -> Diagnostics {
        Diagnostics(Vec::new())
    }

    /// One diagnostic.
    pub fn one(d: impl Into<CompileDiagnostic>) -> Diagnostics {
        Diagnostics(vec![d.into()])
    }

    pub fn push(&mut self, d: impl Into<CompileDiagnostic>) {
        self.0.push(d.into());
    }

    /// How many problems they report: each error of a file that fails to parse counts.
    pub fn problem_count(&self) -> usize {
        self.0.iter().map(CompileDiagnostic::problem_count).sum()
    }

    /// Each diagnostic as a [`miette::Report`], for a list of reports of several sources.
    pub fn into_reports(self) -> Vec<miette::Report> {
        self.0.into_iter().map(miette::Report::new).collect()
    }
}

impl std::ops::Deref for Diagnostics {
    type Target = [CompileDiagnostic];

    fn deref(&self) -> &[CompileDiagnostic] {
        &self.0
    }
}

impl From<Vec<CompileDiagnostic>> for Diagnostics {
    fn from(all: Vec<CompileDiagnostic>) -> Self {
        Diagnostics(all)
    }
}

impl FromIterator<CompileDiagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = CompileDiagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

impl Extend<CompileDiagnostic> for Diagnostics {
    fn extend<I: IntoIterator<Item = CompileDiagnostic>>(&mut self, iter: I) {
        self.0.extend(iter);
    }
}

impl IntoIterator for Diagnostics {
    type Item = CompileDiagnostic;
    type IntoIter = std::vec::IntoIter<CompileDiagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a Diagnostics {
    type Item = &'a CompileDiagnostic;
    type IntoIter = std::slice::Iter<'a, CompileDiagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl std::fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let n = self.problem_count();
        let s = if n == 1 { "" } else { "s" };
        write!(f, "the policy does not compile ({n} problem{s})")
    }
}

impl std::error::Error for Diagnostics {}

impl Diagnostic for Diagnostics {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.0.iter().map(|d| d as &dyn Diagnostic)))
    }
}

/// A compiled policy and the warnings of its compilation.
#[derive(Debug)]
pub struct Compiled {
    pub policy: Policy,
    pub warnings: Diagnostics,
}

impl Compiled {
    /// The policy and the warnings, apart.
    pub fn into_parts(self) -> (Policy, Diagnostics) {
        (self.policy, self.warnings)
    }
}

#[cfg(test)]
mod tests {
    use miette::Diagnostic;

    use super::super::error::ResolveError;
    use super::super::typeck::error::UnitMismatch;
    use super::super::typeck::TypeError;
    use super::super::{compile_str, PolicyError};
    use super::CompileDiagnostic;
    use crate::codes::{lookup, Phase};
    use crate::schema::Type;

    #[test]
    fn a_type_error_carries_its_operands_and_their_units() {
        let Err(diags) = compile_str("t.policy", "rule r: board seats > 10%\n") else {
            panic!("compiled")
        };
        let [CompileDiagnostic::Type(TypeError::UnitMismatch(e))] = &*diags else {
            panic!("{diags:?}")
        };
        let UnitMismatch {
            left,
            left_ty,
            right,
            right_ty,
            ..
        } = &**e;
        let (left, right): (&str, &str) = (left, right);
        assert_eq!(
            (left, left_ty, right, right_ty),
            ("board seats", &Type::Number, "10%", &Type::Percent)
        );
        assert_eq!(
            e.to_string(),
            "`board seats` is a number but `10%` is a percent"
        );
        let code = e.code().map(|c| c.to_string()).unwrap_or_default();
        assert_eq!(lookup(&code).map(|c| c.phase), Some(Phase::Type));
    }

    #[test]
    fn a_resolution_error_carries_the_phrase_and_its_suggestion() {
        let Err(diags) = compile_str("t.policy", "rule r: board seat > 1\n") else {
            panic!("compiled")
        };
        let [CompileDiagnostic::Resolve(ResolveError::UnknownPhrase(e))] = &*diags else {
            panic!("{diags:?}")
        };
        assert_eq!(e.text, "seat");
        assert_eq!(e.help.as_deref(), Some("did you mean `seats`?"));
        let code = e.code().map(|c| c.to_string()).unwrap_or_default();
        assert_eq!(lookup(&code).map(|c| c.phase), Some(Phase::Resolve));
    }

    #[test]
    fn failed_diagnostics_read_as_the_summary_and_relate_each_problem() {
        let text = "rule a: sector < \"x\"\nrule b: board seats > 10%\n";
        let Err(diags) = compile_str("t.policy", text) else {
            panic!("compiled")
        };
        assert_eq!(diags.problem_count(), 2);
        assert_eq!(
            diags.to_string(),
            "the policy does not compile (2 problems)"
        );
        let report = miette::Report::new(diags);
        let related: Vec<String> = report
            .related()
            .map(|r| r.map(|d| d.to_string()).collect())
            .unwrap_or_default();
        assert_eq!(
            related,
            [
                "string values can only be compared with `=` and `!=`",
                "`board seats` is a number but `10%` is a percent"
            ]
        );
    }

    #[test]
    fn each_parse_error_of_a_file_counts_as_a_problem() {
        let Err(diags) = compile_str("t.policy", "rule a board seats > 1\nrule b (\n") else {
            panic!("compiled")
        };
        assert!(
            matches!(&*diags, [CompileDiagnostic::Parse(_)]),
            "{diags:?}"
        );
        assert_eq!(diags.problem_count(), 2);
        assert_eq!(
            diags.to_string(),
            "the policy does not compile (2 problems)"
        );
        let reports = diags.into_reports();
        assert_eq!(super::super::problem_count(&reports), 2);
    }

    /// Every error of the policy, resolve and type phases says it is an error (as a warning
    /// says it is a warning), whichever way it was found.
    #[test]
    fn every_error_has_the_error_severity() {
        let dir = std::env::temp_dir().join(format!("covenant-severity-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let two_rules = dir.join("two-rules.policy");
        let _ = std::fs::write(
            &two_rules,
            "rule a: board seats > 1\nrule b: board seats < 9\n",
        );
        let one_rule = crate::limits::PolicyLimits {
            max_rules: 1,
            ..Default::default()
        };
        let failures = [
            super::super::compile_with(&[two_rules], &one_rule),
            super::super::compile(&[dir.join("no-such-file.policy")]),
            compile_str("t.policy", "rule r: board seat > 1\n"),
            compile_str("t.policy", "rule r: board seats > 10%\n"),
        ];
        let _ = std::fs::remove_dir_all(&dir);
        for failed in failures {
            let Err(diags) = failed else {
                panic!("compiled")
            };
            for d in &diags {
                assert_eq!(d.severity(), Some(miette::Severity::Error), "{d:?}");
            }
        }
    }

    #[test]
    fn a_policy_of_no_rule_compiles_with_one_warning() {
        let Ok(compiled) = compile_str("t.policy", "let home = \"US\"\n") else {
            panic!("does not compile")
        };
        assert!(compiled.policy.rules.is_empty());
        let [w] = &*compiled.warnings else {
            panic!("{:?}", compiled.warnings)
        };
        assert!(w.is_warning());
        assert!(matches!(
            w,
            CompileDiagnostic::Policy(PolicyError::NoRules(_))
        ));
        assert_eq!(
            w.to_string(),
            "the policy file `t.policy` holds no rule: no deal can fail, so every deal is compliant"
        );
    }
}
