//! Policy-file diagnostics (`covenant::policy::…`): a policy file or folder named with `-p`
//! (or by `use`) cannot be read, the files exceed a limit, or they hold no rule.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use crate::source::Named;

error_enum! {
    /// One problem with the policy files themselves.
    pub enum PolicyError {
        Unreadable,
        UsedUnreadable,
        NotUtf8,
        NoPolicy,
        TooLarge,
        TooManyRules,
        NoRules,
    }
}

/// A path given with `-p` that does not exist or cannot be read (a folder that cannot be
/// listed, a FIFO, a device).
#[derive(Debug, Error, Diagnostic)]
#[error("cannot read policy `{path}`: {why}")]
#[diagnostic(
    code("covenant::policy::unreadable"),
    severity(Error),
    help("check the path given with -p/--policy")
)]
pub struct Unreadable {
    pub path: String,
    /// The system's reason.
    pub why: String,
}

/// A file named by `use` that cannot be read.
#[derive(Debug, Error, Diagnostic)]
#[error("cannot read used policy `{path}`: {why}")]
#[diagnostic(code("covenant::policy::unreadable"), severity(Error))]
pub struct UsedUnreadable {
    pub path: String,
    pub why: String,
    #[source_code]
    pub src: Named,
    #[label(primary, "used here")]
    pub span: SourceSpan,
}

/// A policy file that is not UTF-8 text.
#[derive(Debug, Error, Diagnostic)]
#[error("policy `{path}` is not UTF-8 text (invalid byte at offset {offset})")]
#[diagnostic(code("covenant::policy::not-utf8"), severity(Error))]
pub struct NotUtf8 {
    pub path: String,
    /// The offset of the first byte that is not UTF-8.
    pub offset: usize,
}

/// A folder with no `.policy` file.
#[derive(Debug, Error, Diagnostic)]
#[error("no `.policy` file in `{path}`")]
#[diagnostic(code("covenant::policy::no-policy"), severity(Error))]
pub struct NoPolicy {
    pub path: String,
}

/// A policy file larger than `--max-policy-size`.
#[derive(Debug, Error, Diagnostic)]
#[error("policy `{path}` is larger than the limit of {limit}")]
#[diagnostic(
    code("covenant::policy::too-large"),
    severity(Error),
    help("a policy this large is rejected; raise the limit with --max-policy-size")
)]
pub struct TooLarge {
    pub path: String,
    /// The limit as shown (`4 MiB`).
    pub limit: String,
    #[source_code]
    pub src: Option<Named>,
    /// The `use` that names the file, when a file uses it.
    #[label(primary, "used here")]
    pub span: Option<SourceSpan>,
}

/// More rules than `PolicyLimits::max_rules`, found before any rule is compiled.
#[derive(Debug, Error, Diagnostic)]
#[error("the policies have more than {max} rules")]
#[diagnostic(
    code("covenant::policy::too-many-rules"),
    severity(Error),
    help("split the policies into several runs, or raise the limit (`PolicyLimits::max_rules`)")
)]
pub struct TooManyRules {
    pub max: usize,
    #[source_code]
    pub src: Named,
    #[label(primary, "this rule passes the limit")]
    pub span: SourceSpan,
}

/// The files given compile to zero rules: every deal would pass. A warning (the deals are
/// still checked, their outcomes unchanged), so that a policy whose rules vanished, such as a
/// file whose line ends hid them in a comment, is never silently compliant.
#[derive(Debug, Error, Diagnostic)]
#[error("{} no rule: no deal can fail, so every deal is compliant", no_rules(.files, *.more))]
#[diagnostic(
    code("covenant::policy::no-rules"),
    severity(Warning),
    help("add a rule (`rule ID: …`, or an expression on a line of its own); a file of `let` definitions is meant to be `use`d by a file with rules; if lines seem to be missing, check the file's line ends (docs/syntax.md)")
)]
pub struct NoRules {
    /// The first three files.
    pub files: Vec<String>,
    /// How many more files there are.
    pub more: usize,
}

/// "the policy file `a.policy` holds", "the policy files `a`, `b` and 2 more hold".
fn no_rules(files: &[String], more: usize) -> String {
    let names: Vec<String> = files.iter().map(|f| format!("`{f}`")).collect();
    let mut which = names.join(", ");
    if more > 0 {
        which.push_str(&format!(" and {more} more"));
    }
    let (what, verb) = if files.len() + more == 1 {
        ("the policy file", "holds")
    } else {
        ("the policy files", "hold")
    };
    format!("{what} {which} {verb}")
}
