//! The JUnit XML report of `covenant check --format junit` (see `docs/reports.md`).
//!
//! One `<testsuite>` per deal, one `<testcase>` per rule. A failing error or warning rule is a
//! `<failure>`, an incomplete one an `<error>` (so CI goes red on both), a rule that does not
//! apply is `<skipped/>`; info rules, and rules that do not count (`proposed`, `reported`,
//! SPEC §12), always pass, with their outcome in the suite's `<system-out>`. An invalid deal
//! is one testcase `load` whose `<error>` lists the deal's problems.
//!
//! The document is valid against both schemas CI servers read: Jenkins' `junit-10.xsd` and
//! the Apache Ant JUnit schema (`tests/fixtures/junit/`). The Ant schema wants what a test
//! run of Java has: each suite's `id`, `package`, `timestamp`, `hostname` and `time`, each
//! case's `time`, a `<system-out>` and a `<system-err>` in every suite, none in a case, and no
//! attribute on `<testsuites>`. Covenant measures no durations and names no host, so that the
//! report stays the same for the same deals: `time="0"`, `hostname="localhost"` (the schema's
//! own word for a host not known), and `timestamp` is the evaluation date at midnight.

use std::fmt::Write as _;

use crate::eval::outcome::{Outcome, RuleResult, Verdict};
use crate::resolve::Policy;
use crate::syntax::ast::Severity;

use super::escape_runs::push_escaped;
use super::{prose, DealProblem, DealReport, Options};

/// Counts of one suite, or of all of them.
#[derive(Debug, Default, Clone, Copy)]
pub struct Counts {
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

impl Counts {
    pub fn add(&mut self, o: Counts) {
        self.tests += o.tests;
        self.failures += o.failures;
        self.errors += o.errors;
        self.skipped += o.skipped;
    }

    pub fn attributes(&self) -> String {
        format!(
            "tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\"",
            self.tests, self.failures, self.errors, self.skipped
        )
    }
}

/// A character XML 1.0 allows; anything else is written as U+FFFD.
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// Escape text content: `&`, `<`, `>`, and a carriage return (which parsers would drop).
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_escaped(&mut out, s, text_stop, push_text_char);
    out
}

/// One character of text content, escaped ([`escape_text`]).
fn push_text_char(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '\r' => out.push_str("&#13;"),
        c if allowed(c) => out.push(c),
        _ => out.push('\u{FFFD}'),
    }
}

/// Escape an attribute value in double quotes; tabs and newlines are kept as references, as
/// parsers would otherwise turn them into spaces.
pub fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_attr(&mut out, s);
    out
}

/// [`escape_attr`] of `s`, written at the end of `out`.
fn push_attr(out: &mut String, s: &str) {
    let stop = |b| text_stop(b) || matches!(b, b'"' | b'\'');
    push_escaped(out, s, stop, push_attr_char);
}

/// One character of an attribute value, escaped ([`escape_attr`]).
fn push_attr_char(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&apos;"),
        '\n' => out.push_str("&#10;"),
        '\t' => out.push_str("&#9;"),
        c => push_text_char(out, c),
    }
}

/// Whether `b` may begin a character [`push_text_char`] does not copy as it is: `&`, `<`,
/// `>`, a character below U+0020 (DEL and the C1 controls are allowed in XML 1.0, and copied),
/// or `EF`, the first byte of U+FFFE and U+FFFF (and of other characters, which are copied
/// after a look).
fn text_stop(b: u8) -> bool {
    b < 0x20 || matches!(b, b'&' | b'<' | b'>' | 0xEF)
}

/// The text of a failure or error: evidence notes with their places, the help lines, the rule.
fn details(policy: &Policy, d: &DealReport, r: &RuleResult) -> String {
    let mut out = String::new();
    for e in &r.evidence {
        match &e.location {
            Some(l) => {
                let note = prose::note(e);
                let _ = writeln!(out, "{note} ({}:{}:{})", d.file(), l.line, l.column);
            }
            None => {
                for line in prose::note_lines(e) {
                    let _ = writeln!(out, "{line}");
                }
            }
        }
        // The edges and links of ownership evidence, each at its place.
        for (l, label) in super::holdings::places(&e.note) {
            let _ = writeln!(out, "  {label} ({}:{}:{})", d.file(), l.line, l.column);
        }
    }
    let rule = policy.rules.get(r.rule);
    let rule_help = rule.and_then(|x| x.help.as_ref());
    let help = prose::result_help(r);
    if let Some(h) = &help {
        let _ = writeln!(out, "help: {h}");
    }
    if let Some(h) = rule_help.filter(|h| Some(*h) != help.as_ref()) {
        let _ = writeln!(out, "help: {h}");
    }
    write_cites(rule.map_or(&[], |x| x.cites.as_slice()), &mut out);
    if let Some(at) = rule.and_then(|x| super::sarif::result_position(policy, x, r)) {
        let _ = writeln!(out, "rule: {}:{}:{}", at.file, at.start.0, at.start.1);
    }
    out
}

/// A `cite:` line per source of the rule (SPEC §12).
fn write_cites(cites: &[crate::resolve::ir::Citation], out: &mut String) {
    for c in cites {
        let _ = writeln!(out, "cite: {}", super::cite::line(c));
    }
}

/// What the `<testcase>` of one rule counts.
fn case_counts(policy: &Policy, r: &RuleResult) -> Counts {
    let Some(rule) = policy.rules.get(r.rule) else {
        return Counts::default();
    };
    let mut c = Counts {
        tests: 1,
        ..Counts::default()
    };
    let info = rule.severity == Severity::Info || !r.counted;
    match r.outcome {
        Outcome::Fail if !info => c.failures = 1,
        Outcome::Incomplete if !info => c.errors = 1,
        Outcome::NotApplicable => c.skipped = 1,
        // A pass, exempt or not, or an info rule that failed or is incomplete: a passed test.
        _ => {}
    }
    c
}

/// What the `<testsuite>` of one deal counts.
pub fn suite_counts(policy: &Policy, d: &DealReport) -> Counts {
    suite_counts_with(policy, d, &Options::default())
}

/// [`suite_counts`] with these options: a deal to which no rule applies has a failing
/// testcase more under `--require-applicable`.
pub fn suite_counts_with(policy: &Policy, d: &DealReport, options: &Options) -> Counts {
    if d.verdict == Verdict::Invalid {
        return Counts {
            tests: 1,
            errors: 1,
            ..Counts::default()
        };
    }
    let mut c = Counts::default();
    for r in &d.results {
        c.add(case_counts(policy, r));
    }
    if none_applies_fails(d, options) {
        c.add(Counts {
            tests: 1,
            failures: 1,
            ..Counts::default()
        });
    }
    c
}

/// Under `--require-applicable`, a deal to which no rule applies fails.
fn none_applies_fails(d: &DealReport, options: &Options) -> bool {
    options.require_applicable && d.no_rule_applies()
}

/// The testcase `applicable` that fails a deal (whose path, escaped, is `path`) to which no
/// rule applies.
fn none_applies_case(d: &DealReport, path: &str, out: &mut String) {
    let _ = write!(
        out,
        "    <testcase classname=\"{path}\" name=\"applicable\">\n      <failure message=\"{}\" type=\"covenant::rule::none-applies\">--require-applicable fails a deal to which no rule applies</failure>\n    </testcase>\n",
        escape_attr(&super::findings::counts(d))
    );
}

/// One `<testcase>` for one rule of the deal whose path, escaped, is `path`; the note of a
/// rule that passes with something to say (an exemption, an info or uncounted rule that fails
/// or is incomplete) is added to `notes`, for the suite's `<system-out>`.
fn testcase(
    policy: &Policy,
    d: &DealReport,
    path: &str,
    r: &RuleResult,
    out: &mut String,
    notes: &mut String,
) {
    let Some(rule) = policy.rules.get(r.rule) else {
        return;
    };
    out.push_str("    <testcase classname=\"");
    out.push_str(path);
    out.push_str("\" name=\"");
    push_attr(out, &rule.id);
    out.push_str("\" time=\"0\"");
    if r.outcome == Outcome::Pass && !r.is_exempt() {
        out.push_str("/>\n");
        return;
    }
    // An info rule, and a rule that does not count (SPEC §12), never fails the suite.
    let info = rule.severity == Severity::Info || !r.counted;
    let message = prose::result_message(r);
    match r.outcome {
        Outcome::Fail | Outcome::Incomplete if !info => {
            let (tag, kind) = if r.outcome == Outcome::Fail {
                ("failure", "covenant::rule::failed")
            } else {
                ("error", "covenant::rule::incomplete")
            };
            let _ = write!(
                out,
                ">\n      <{tag} message=\"{}\" type=\"{kind}\">{}</{tag}>\n    </testcase>\n",
                escape_attr(&message),
                escape_text(details(policy, d, r).trim_end())
            );
        }
        Outcome::NotApplicable => {
            let _ = write!(
                out,
                ">\n      <skipped message=\"{}\"/>\n    </testcase>\n",
                escape_attr(&message)
            );
        }
        _ => {
            // An exempt pass, or an info or uncounted rule that failed or is incomplete:
            // passes, with a note.
            out.push_str("/>\n");
            let kind = match super::status::tag(rule, r) {
                Some(tag) if !r.counted => tag,
                _ => "info".to_string(),
            };
            let note = match r.is_exempt() {
                true => {
                    let mut note = format!("{}: {message}\n", rule.id);
                    write_cites(&rule.cites, &mut note);
                    note
                }
                false => format!(
                    "{}: {kind}: {}: {message}\n{}",
                    rule.id,
                    r.outcome.as_str(),
                    details(policy, d, r)
                ),
            };
            add_note(notes, &note);
        }
    }
}

/// Add a note (lines) to a suite's `<system-out>`, a blank line after the one before.
fn add_note(notes: &mut String, note: &str) {
    if note.is_empty() {
        return;
    }
    if !notes.is_empty() {
        notes.push('\n');
    }
    notes.push_str(note);
}

fn problem_line(p: &DealProblem) -> String {
    let kind = if p.error { "error" } else { "warning" };
    let at = match (p.line, p.column) {
        (Some(l), Some(c)) => format!(" at {l}:{c}"),
        (Some(l), None) => format!(" at line {l}"),
        _ => String::new(),
    };
    let help = p
        .help
        .as_ref()
        .map(|h| format!("\n  help: {h}"))
        .unwrap_or_default();
    format!("{kind} {}{at}: {}{help}\n", p.code, p.message)
}

/// The lines of a deal's problems, and of how many more there were.
fn problem_lines(d: &DealReport) -> String {
    let mut text: String = d.problems.iter().map(problem_line).collect();
    for (n, what) in [
        (d.errors_omitted, "errors"),
        (d.warnings_omitted, "warnings"),
    ] {
        if n > 0 {
            let _ = writeln!(text, "… and {n} more {what} not shown");
        }
    }
    text
}

/// The attributes and the body of one deal's `<testsuite>`, after its opening
/// `  <testsuite id="N"` ([`open`]: the number is known only in the order of the run).
/// `timestamp` is the evaluation date at midnight, `2026-03-01T00:00:00`.
pub fn testsuite(policy: &Policy, d: &DealReport, timestamp: &str, out: &mut String) {
    testsuite_with(policy, d, &Options::default(), timestamp, out);
}

/// [`testsuite`] with these options (see [`suite_counts_with`]).
pub fn testsuite_with(
    policy: &Policy,
    d: &DealReport,
    options: &Options,
    timestamp: &str,
    out: &mut String,
) {
    let mut body = String::new();
    let mut notes = String::new();
    let c = suite_counts_with(policy, d, options);
    let path = escape_attr(&d.path);
    if d.verdict == Verdict::Invalid {
        let first = d.problems.iter().find(|p| p.error).or(d.problems.first());
        let text = problem_lines(d);
        let _ = write!(
            body,
            "    <testcase classname=\"{path}\" name=\"load\" time=\"0\">\n      <error message=\"{}\" type=\"{}\">{}</error>\n    </testcase>\n",
            escape_attr(first.map_or("the deal is invalid", |p| p.message.as_str())),
            escape_attr(first.map_or("covenant::deal::invalid", |p| p.code.as_str())),
            escape_text(text.trim_end())
        );
    } else {
        for r in &d.results {
            testcase(policy, d, &path, r, &mut body, &mut notes);
        }
        if none_applies_fails(d, options) {
            none_applies_case(d, &path, &mut body);
        }
        add_note(&mut notes, &problem_lines(d));
    }
    let _ = writeln!(
        out,
        " name=\"{name}\" package=\"{name}\" timestamp=\"{timestamp}\" hostname=\"localhost\" {} time=\"0\">",
        c.attributes(),
        name = path,
    );
    out.push_str("    <properties>\n");
    if let Some(p) = &d.proposal {
        let _ = writeln!(
            out,
            "      <property name=\"proposal\" value=\"{}\"/>",
            escape_attr(p)
        );
    }
    let _ = writeln!(
        out,
        "      <property name=\"verdict\" value=\"{}\"/>",
        d.verdict.as_str()
    );
    if let Some(n) = d.applicable() {
        let _ = writeln!(out, "      <property name=\"applicable\" value=\"{n}\"/>");
    }
    out.push_str("    </properties>\n");
    out.push_str(&body);
    close_suite(&notes, out);
}

/// The end of a `<testsuite>`: its `<system-out>` (the notes), `<system-err/>`, the end tag.
/// Both the Ant schema and Jenkins' take the two elements, and Ant's wants them.
pub fn close_suite(notes: &str, out: &mut String) {
    let notes = notes.trim_end();
    if notes.is_empty() {
        out.push_str("    <system-out/>\n");
    } else {
        let _ = writeln!(out, "    <system-out>{}</system-out>", escape_text(notes));
    }
    out.push_str("    <system-err/>\n  </testsuite>\n");
}

/// The opening of the `id`-th `<testsuite>` (from 0, as the Ant schema counts), up to its
/// other attributes.
pub fn open(id: usize) -> String {
    format!("  <testsuite id=\"{id}\"")
}

/// `date` at midnight, as a suite's `timestamp`.
pub fn timestamp(date: jiff::civil::Date) -> String {
    format!("{date}T00:00:00")
}

/// The document up to its first `<testsuite>`.
pub const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n";

/// The document after its last `<testsuite>`.
pub const TAIL: &str = "</testsuites>\n";

/// The whole batch as one JUnit XML document, `timestamp` on every suite (`covenant check`
/// writes it deal by deal: see [`super::run`]).
pub fn report(policy: &Policy, deals: &[DealReport], timestamp: &str) -> String {
    let mut out = String::from(HEAD);
    for (id, d) in deals.iter().enumerate() {
        out.push_str(&open(id));
        testsuite(policy, d, timestamp, &mut out);
    }
    out.push_str(TAIL);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_attributes_are_escaped() {
        assert_eq!(
            escape_text("a < b && c > d"),
            "a &lt; b &amp;&amp; c &gt; d"
        );
        assert_eq!(escape_text("x\u{0}y\u{FFFE}"), "x\u{FFFD}y\u{FFFD}");
        assert_eq!(
            escape_attr("say \"hi\"\n\t'x' <1>"),
            "say &quot;hi&quot;&#10;&#9;&apos;x&apos; &lt;1&gt;"
        );
        assert_eq!(escape_text("]]>"), "]]&gt;");
        assert_eq!(escape_text("Acme–Dragon 🚗"), "Acme–Dragon 🚗");
    }

    /// Each character escaped on its own, as the escapes were first written.
    fn one_by_one(s: &str, one: fn(&mut String, char)) -> String {
        let mut out = String::new();
        for c in s.chars() {
            one(&mut out, c);
        }
        out
    }

    /// An attribute's character escaped as `escape_attr` first wrote it.
    fn attr_char_as_written(out: &mut String, c: char) {
        match c {
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            c => push_text_char(out, c),
        }
    }

    proptest::proptest! {
        /// Runs copied whole escape as each character escaped on its own, among the
        /// characters escaped, the control characters, U+FFFE, U+FFFF and the characters
        /// that share their first byte (`EF`: U+F000, U+FFFD, U+FEFF) and any others.
        #[test]
        fn runs_escape_as_one_character_at_a_time(
            parts in proptest::collection::vec(proptest::prop_oneof![
                proptest::sample::select(vec![
                    '&', '<', '>', '"', '\'', '\n', '\t', '\r', '\u{0}', '\u{1f}', '\u{7f}',
                    '\u{FFFE}', '\u{FFFF}', '\u{FFFD}', '\u{F000}', '\u{FEFF}', '\u{E000}',
                    '\u{D7FF}', 'a', ' ', 'é', '–', '🚗',
                ]),
                proptest::char::any(),
            ], 0..40)
        ) {
            let s: String = parts.into_iter().collect();
            proptest::prop_assert_eq!(escape_text(&s), one_by_one(&s, push_text_char));
            proptest::prop_assert_eq!(escape_attr(&s), one_by_one(&s, attr_char_as_written));
        }
    }
}
