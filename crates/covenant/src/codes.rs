//! The registry of diagnostic codes: every `covenant::<phase>::<name>` the program can report,
//! with its phase and a one-line summary, in one table.
//!
//! Each phase reports its codes through its own error type (see the phase map in the crate
//! documentation); the codes those types carry are string literals such as
//! `#[diagnostic(code("covenant::type::not-a-list"))]`, and the tests hold them to this table:
//! every code literal under `src/` is registered here, every registered code is used under
//! `src/`, and `docs/diagnostics.md` has exactly one row for each (with a triggering input,
//! `tests/diagnostics_reference.rs`). A new code is added here, in the docs and with a fixture,
//! or the build's tests fail.

/// The phase that reports a code: the middle part of `covenant::<phase>::<name>`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Phase {
    /// The text of a policy file does not follow the grammar ([`crate::syntax::error`]).
    Parse,
    /// A policy file or folder cannot be read, or the files exceed a limit
    /// ([`crate::resolve::PolicyError`]).
    Policy,
    /// Names that do not fit together ([`crate::resolve::ResolveError`]).
    Resolve,
    /// Units, lists and conditions ([`crate::resolve::typeck::TypeError`]).
    Type,
    /// Calendars and the dates windows test (SPEC §9), reported by resolution
    /// ([`crate::resolve::ResolveError`]).
    Date,
    /// Lookup tables whose rows could compete or whose cells a table does not take (SPEC §8;
    /// variants of [`crate::resolve::ResolveError`]).
    Table,
    /// Exchange-rate tables and conversions (SPEC §11, [`crate::resolve::FxError`]).
    Fx,
    /// A deal that cannot be read or loaded ([`crate::deal::DealError`],
    /// [`crate::check::read::Problem`]).
    Deal,
    /// An approval that names a rule and does not exempt it: deal warnings found while rules
    /// run (SPEC §10; [`crate::deal::DealError`]).
    Waiver,
    /// An input past a limit of the batch ([`crate::check::read::Problem`]).
    Limit,
    /// A bug, caught.
    Internal,
    /// A rule's outcome in a report.
    Rule,
    /// `covenant lint` findings ([`crate::lint`]).
    Lint,
    /// A test suite that cannot be run ([`crate::suite::SuiteError`]).
    Test,
    /// A request `covenant serve` cannot answer with a report (the `covenant-server` crate's
    /// `ApiError`): the `code` of a JSON error body.
    Server,
    /// The command line's config file, `covenant.toml` (the `covenant-cli` package's
    /// `config::ConfigError`).
    Config,
}

impl Phase {
    /// Every phase, in the order of the documentation.
    pub const ALL: [Phase; 16] = [
        Phase::Parse,
        Phase::Policy,
        Phase::Resolve,
        Phase::Type,
        Phase::Date,
        Phase::Table,
        Phase::Fx,
        Phase::Deal,
        Phase::Waiver,
        Phase::Limit,
        Phase::Internal,
        Phase::Rule,
        Phase::Lint,
        Phase::Test,
        Phase::Server,
        Phase::Config,
    ];

    /// The phase as it appears in its codes: `type` in `covenant::type::not-a-list`.
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Parse => "parse",
            Phase::Policy => "policy",
            Phase::Resolve => "resolve",
            Phase::Type => "type",
            Phase::Date => "date",
            Phase::Table => "table",
            Phase::Fx => "fx",
            Phase::Deal => "deal",
            Phase::Waiver => "waiver",
            Phase::Limit => "limit",
            Phase::Internal => "internal",
            Phase::Rule => "rule",
            Phase::Lint => "lint",
            Phase::Test => "test",
            Phase::Server => "server",
            Phase::Config => "config",
        }
    }
}

/// One registered code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code {
    /// The stable code, such as `covenant::type::not-a-list`.
    pub code: &'static str,
    pub phase: Phase,
    /// What it reports, in one line.
    pub summary: &'static str,
}

const fn code(code: &'static str, phase: Phase, summary: &'static str) -> Code {
    Code {
        code,
        phase,
        summary,
    }
}

use Phase::{
    Config, Date, Deal, Fx, Internal, Limit, Lint, Parse, Policy, Resolve, Rule, Server, Table,
    Test, Type, Waiver,
};

/// Every code, grouped by phase in the order of `docs/diagnostics.md` (the `lint` codes in the
/// order of the rules of `covenant lint --format sarif`, which lists them from here).
#[rustfmt::skip]
pub const CODES: &[Code] = &[
    code("covenant::parse::syntax", Parse, "the text does not follow the grammar"),
    code("covenant::parse::unterminated-string", Parse, "a `\"` is not closed on its line"),
    code("covenant::parse::unclosed-delimiter", Parse, "a `(`, `[` or `{` is never closed"),
    code("covenant::parse::mismatched-delimiter", Parse, "a `)`, `]` or `}` closes the wrong bracket"),
    code("covenant::parse::bad-literal", Parse, "a date, number, percent, money amount or escape that is not valid"),
    code("covenant::parse::duplicate-clause", Parse, "a clause that may appear once appears twice"),
    code("covenant::parse::misplaced-header", Parse, "a `policy` header that is not the first item"),
    code("covenant::parse::bad-character", Parse, "a line separator other than LF, CR LF or CR"),
    code("covenant::parse::too-deep", Parse, "brackets or prefix operators nested too deeply"),
    code("covenant::policy::unreadable", Policy, "a policy path that does not exist or cannot be read"),
    code("covenant::policy::not-utf8", Policy, "a policy file that is not UTF-8 text"),
    code("covenant::policy::no-policy", Policy, "a folder with no `.policy` file"),
    code("covenant::policy::too-large", Policy, "a policy file larger than the size limit"),
    code("covenant::policy::too-many-rules", Policy, "more rules than the rule limit"),
    code("covenant::policy::no-rules", Policy, "the policy files hold no rule, so every deal is compliant (a warning)"),
    code("covenant::policy::error", Policy, "fallback for a policy diagnostic without a code (never expected)"),
    code("covenant::resolve::unknown-phrase", Resolve, "a phrase that names no field or definition"),
    code("covenant::resolve::ambiguous-definition", Resolve, "a definition that reads like a reachable field"),
    code("covenant::resolve::cyclic-definition", Resolve, "definitions that refer to each other in a cycle"),
    code("covenant::resolve::duplicate-definition", Resolve, "one name defined twice"),
    code("covenant::resolve::duplicate-rule-id", Resolve, "two rules with one id"),
    code("covenant::resolve::unknown-rule", Resolve, "`overrides` names no loaded rule"),
    code("covenant::resolve::override-cycle", Resolve, "rules that override each other in a cycle"),
    code("covenant::resolve::use-cycle", Resolve, "`use` includes that form a cycle"),
    code("covenant::resolve::bad-schema", Resolve, "a `schema` that cannot be read or used"),
    code("covenant::resolve::conflicting-schema", Resolve, "files loaded together name two schemas"),
    code("covenant::resolve::schema-conflict", Resolve, "a schema that `extends standard` redeclares a standard field"),
    code("covenant::resolve::no-jurisdiction-field", Resolve, "a header jurisdiction with a schema without a `jurisdiction` field"),
    code("covenant::resolve::too-deep", Resolve, "an expression deeper than the depth limit"),
    code("covenant::resolve::unnamed-item", Resolve, "a quantifier or filter with `where` or `:` over values without a singular, and no `as`"),
    code("covenant::type::unit-mismatch", Type, "units that do not combine"),
    code("covenant::type::list-in-guard", Type, "a list in a guard, where it would hold vacuously"),
    code("covenant::type::two-lists", Type, "both sides of one comparison are lists"),
    code("covenant::type::scalar-list-comparison", Type, "a list value compared with one value"),
    code("covenant::type::list-comparison", Type, "a list field met by one value"),
    code("covenant::type::list-operand", Type, "arithmetic or `of` on a list"),
    code("covenant::type::nested-list", Type, "a list literal holding a list"),
    code("covenant::type::not-a-list", Type, "a single value where a list is needed"),
    code("covenant::type::not-a-condition", Type, "a value where a condition is needed"),
    code("covenant::type::not-a-record", Type, "`must have` on values that are not records"),
    code("covenant::type::not-comparable", Type, "a comparison of records or nested lists"),
    code("covenant::type::not-numeric", Type, "an aggregate or `is within` on values that are not numbers"),
    code("covenant::type::bool-aggregate", Type, "an aggregate of yes/no values"),
    code("covenant::type::not-ordered", Type, "an order comparison of text or yes/no values"),
    code("covenant::type::no-location", Type, "`must stay` on items without a `location`"),
    code("covenant::type::bad-country", Type, "a string met by a country field that is not a country code"),
    code("covenant::type::presence-of-computed", Type, "`is missing` or `is present` on a value that is not a deal field"),
    code("covenant::type::bad-kind", Type, "a string met by an entity's kind that is not one of the six kinds"),
    code("covenant::type::bad-measure", Type, "a look-through measure that is not a percent field of the edges"),
    code("covenant::type::not-an-entity", Type, "a look-through holder or target that is not an entity"),
    code("covenant::type::bad-key", Type, "a `per` key that is a list or a record that is not an entity, or a table key that is a record"),
    code("covenant::type::not-a-date", Type, "a window's `on` date, or `year of`, given a value that is not a date"),
    code("covenant::date::bad-calendar", Date, "a calendar file that cannot be read, lists no day, or has a line that is not `YYYY-MM-DD[,name]`"),
    code("covenant::date::no-calendar", Date, "`working days` in a file that sees no calendar"),
    code("covenant::date::ambiguous-calendar", Date, "`working days` in a file that sees two calendars"),
    code("covenant::date::window-on-evaluation-date", Date, "a window's `on` date that reads `evaluation date`"),
    code("covenant::type::bad-authorities", Type, "`waivable by` with something other than a list of strings written in the policy"),
    code("covenant::table::overlap", Table, "two rows of a lookup table that can match the same keys"),
    code("covenant::table::unordered", Table, "open `from` rows of a lookup table that do not ascend"),
    code("covenant::table::bad-cell", Table, "a table cell that is not a literal, a list literal, `from … until` or `any`, or a row without one cell per key"),
    code("covenant::table::too-large", Table, "a lookup table with more rows than the limit (10,000)"),
    code("covenant::fx::bad-file", Fx, "an `fx` rate file that cannot be read or is malformed, or repeats a date and pair"),
    code("covenant::fx::no-table", Fx, "a conversion in a file that sees no `fx` rate table"),
    code("covenant::fx::ambiguous-table", Fx, "a conversion in a file that sees two `fx` rate tables"),
    code("covenant::deal::unreadable", Deal, "a deal path that does not exist or cannot be read"),
    code("covenant::deal::syntax", Deal, "malformed YAML, JSON or TOML"),
    code("covenant::deal::duplicate-key", Deal, "one key twice in a mapping"),
    code("covenant::deal::multiple-documents", Deal, "a YAML file with several documents"),
    code("covenant::deal::not-a-mapping", Deal, "a deal or a record element that is not a mapping"),
    code("covenant::deal::type-mismatch", Deal, "a value of the wrong kind"),
    code("covenant::deal::bare-number", Deal, "a bare number where a percent or money is wanted"),
    code("covenant::deal::bad-percent", Deal, "text that is not a percent"),
    code("covenant::deal::bad-money", Deal, "text that is not an amount of money"),
    code("covenant::deal::bad-date", Deal, "not a calendar date"),
    code("covenant::deal::missing-required", Deal, "a required field that is absent or null"),
    code("covenant::deal::unknown-key", Deal, "a key the schema does not have (a warning unless strict)"),
    code("covenant::deal::too-deep", Deal, "nesting deeper than the depth limit"),
    code("covenant::deal::too-large", Deal, "a deal, a value or a number too large"),
    code("covenant::deal::stakes-not-100", Deal, "stakes that do not add up to 100% (a warning)"),
    code("covenant::deal::bad-country", Deal, "a country field that is not an ISO 3166-1 alpha-2 code"),
    code("covenant::deal::not-an-integer", Deal, "a fraction in a count"),
    code("covenant::deal::not-in-enum", Deal, "a string outside its field's `enum`"),
    code("covenant::deal::near-miss", Deal, "a deal string that meets a policy literal only in case or white space (a warning)"),
    code("covenant::deal::bad-kind", Deal, "an entity's `kind` outside the six kinds"),
    code("covenant::deal::duplicate-entity", Deal, "a name used by two parties, entities or groups"),
    code("covenant::deal::unknown-entity", Deal, "an owner, group member, casting vote or approval party that names no entity"),
    code("covenant::deal::owners-over-100", Deal, "the owners of one entity over 100% in one measure"),
    code("covenant::deal::ownership-cycle", Deal, "entities that own each other in a circle"),
    code("covenant::deal::empty", Deal, "a deal, or a folder of deals, with nothing in it"),
    code("covenant::deal::invalid", Deal, "the summary of a deal that could not be loaded"),
    code("covenant::waiver::expired", Waiver, "an approval that names a rule and expired before its evaluation date (a warning)"),
    code("covenant::waiver::not-yet-valid", Waiver, "an approval that names a rule and is granted after its evaluation date (a warning)"),
    code("covenant::waiver::wrong-authority", Waiver, "an approval by an authority the rule is not waivable by (a warning)"),
    code("covenant::waiver::not-waivable", Waiver, "an approval that names a rule without `waivable by` (a warning)"),
    code("covenant::waiver::incomplete", Waiver, "an approval without `authority`, `granted` or `expires`, or a rule whose evaluation date is unknown (a warning)"),
    code("covenant::waiver::unknown-rule", Waiver, "an approval that names a rule the policy does not have (a warning)"),
    code("covenant::waiver::not-covered", Waiver, "a party-scoped approval whose parties do not cover the rule's failure (a warning)"),
    code("covenant::limit::too-many-deals", Limit, "a deal past the deal limit, never read"),
    code("covenant::internal::panic", Internal, "an internal error, caught (never expected)"),
    code("covenant::rule::failed", Rule, "the deal breaks the rule"),
    code("covenant::rule::repealed-without-until", Rule, "`status repealed` on a rule whose window has no `until`"),
    code("covenant::rule::incomplete", Rule, "the deal lacks a value the rule needs"),
    code("covenant::rule::none-applies", Rule, "no rule applies to the deal (compliant; a failure under `--require-applicable`)"),
    code("covenant::lint::unused-definition", Lint, "a `let` or `define` definition that no rule uses"),
    code("covenant::lint::shadows-field", Lint, "a definition whose words name a field of the schema"),
    code("covenant::lint::never-passes", Lint, "a rule whose conditions contradict each other, so no deal can make it pass"),
    code("covenant::lint::never-fails", Lint, "a `require` clause that holds for every deal, so the rule can never fail on it"),
    code("covenant::lint::always-false-when", Lint, "a `when` that can never hold, so the rule never applies"),
    code("covenant::lint::empty-window", Lint, "an `effective` window whose `until` is not after its start"),
    code("covenant::lint::expired-window", Lint, "an `effective` window that ended before today"),
    code("covenant::lint::missing-cite", Lint, "a rule without a `cite` naming its source"),
    code("covenant::lint::no-rules", Lint, "a policy file that holds no rule, uses no file that does, and that no policy file uses"),
    code("covenant::lint::shadowed-item", Lint, "a singular that names the inner item while it also names an enclosing one (a warning, on every command)"),
    code("covenant::lint::exempt-by-absence", Lint, "an `unless` that exempts when a field is missing"),
    code("covenant::lint::expiring-approval", Lint, "an approval of a deal that expires within the span of `lint --expiring`"),
    code("covenant::lint::expired-approval", Lint, "an approval of a deal that expired on or before today (`lint --expiring`)"),
    code("covenant::test::unreadable", Test, "a suite file that cannot be read"),
    code("covenant::test::syntax", Test, "a suite that is not valid YAML"),
    code("covenant::test::duplicate-key", Test, "one key twice in a suite mapping"),
    code("covenant::test::unknown-key", Test, "a key the suite format does not have"),
    code("covenant::test::missing-key", Test, "a key the suite needs is missing"),
    code("covenant::test::type", Test, "a suite value of the wrong kind"),
    code("covenant::test::bad-value", Test, "an unknown verdict or outcome, or an invalid date"),
    code("covenant::test::unknown-rule", Test, "an expectation for a rule the policy does not have"),
    code("covenant::test::duplicate-case", Test, "two cases with one name"),
    code("covenant::test::deal-unreadable", Test, "a case's deal that cannot be read"),
    code("covenant::test::policy", Test, "the suite's policy does not compile"),
    code("covenant::server::bad-request", Server, "a request body that cannot be read, or a request the API does not take"),
    code("covenant::server::bad-query", Server, "a query parameter that is unknown or whose value is not valid"),
    code("covenant::server::unsupported-media-type", Server, "a deal body whose Content-Type is not JSON, YAML, TOML or JSON lines"),
    code("covenant::server::payload-too-large", Server, "a request body larger than the deal size limit"),
    code("covenant::server::invalid-deal", Server, "a deal that cannot be loaded: the answer lists its diagnostics"),
    code("covenant::server::unauthorized", Server, "a `/v1` request without the bearer token the server requires"),
    code("covenant::server::not-found", Server, "no such route, or no decision with that id"),
    code("covenant::server::method-not-allowed", Server, "a route asked with a method it does not take"),
    code("covenant::server::timeout", Server, "a request that took longer than the request timeout"),
    code("covenant::server::overloaded", Server, "more requests at once than the concurrency limit"),
    code("covenant::server::log-unavailable", Server, "the decision log could not record the check, so no verdict is given"),
    code("covenant::server::invalid-policy-set", Server, "a candidate policy set (`POST /v1/impact`) that does not compile, or names a file outside itself"),
    code("covenant::server::reload-failed", Server, "a policy reload whose policies do not compile: the old set keeps serving"),
    code("covenant::server::internal", Server, "an internal error of the server, caught (never expected)"),
    code("covenant::config::unreadable", Config, "a config file named by `--config` that cannot be read"),
    code("covenant::config::syntax", Config, "a config file that is not valid TOML"),
    code("covenant::config::unknown-key", Config, "a config key that is no setting, or no setting of the command of its table"),
    code("covenant::config::bad-value", Config, "a config value that its flag would refuse, or of the wrong kind"),
];

/// The registered code `code`, if it is one.
pub fn lookup(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.code == code)
}

/// The registered codes of one phase, in registry order.
pub fn of_phase(phase: Phase) -> impl Iterator<Item = &'static Code> {
    CODES.iter().filter(move |c| c.phase == phase)
}

#[cfg(test)]
mod tests;
